"""The staff command line: argument parsing and output for each command, over the core modules."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import unicodedata

import jinja2
from slugify import slugify

from . import agreement, checkcache, corrections, doctor, intake, report, sitecheck, start, verify, yamledit
from ..render import templating
from ..core.catalog import Catalog, check_new_partner, check_slug, load_catalog
from ..core.reference import find_province
from ..core.safefs import Refused, data_lock, inside, output_folder, read_inside, read_regular, write_inside, write_output
from .schema import schema_path, schema_text
from ..core.settings import Settings, parse_mkdocs_config, read_mkdocs_config, settings_from_mkdocs
from ..core.yamlsource import MAX_BYTES as MAX_PARTNER_BYTES
from ..core.problems import Text, joined, said
from ..render.i18n import LANGUAGES, N_, edition_language, locale_language, translations

DEFAULT_DATA = "partners"  # relative to the current folder: run the commands from the project folder
DEFAULT_CONFIG = "mkdocs.yml"
EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # --today and --date outside this are typos
MAX_CSV_BYTES = 64 * 1024 * 1024


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


class CommandError(Exception):
    """The command could not do its work (exit 1)."""


def _utf8_streams() -> None:
    """Read and write UTF-8 whatever the locale says (Windows consoles, LANG=C in CI)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


# Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts escape
# sequences, BEL rings, CR rewrites the line), DEL, C1 controls (CSI), the line and paragraph separators, and
# the invisible direction controls that reorder what is shown. Every one is printed as a visible \xNN/\uNNNN.
_UNSAFE = [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0)) + [0x2028, 0x2029] \
    + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)) + [0x200E, 0x200F, 0x061C]
TERMINAL_SAFE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}


class _SafeStream:
    """A text stream that shows every character a terminal would act on as an escape, whatever prints it:
    file names, values from partner files and CSV exports, argparse's messages; and that knows the
    language its reader chose (`gettext`), in which `say` writes every message."""

    def __init__(self, stream, gettext=None, language: str = ""):
        self._stream = stream
        self.gettext = gettext
        self.language = language

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(TERMINAL_SAFE))

    def write_export(self, text: str) -> int:
        """A machine-readable export (report's CSV, JSON, Markdown) written as it is: its values hold no
        control characters (validation refuses them) and its CSV lines end in CR LF, as RFC 4180 asks."""
        if text.translate({c: None for c in (0x0D, 0x0A, 0x09)}).translate(TERMINAL_SAFE) != text.translate({c: None for c in (0x0D, 0x0A, 0x09)}):
            return self.write(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _safe_streams(gettext, language: str):
    """Wrap stdout and stderr for one command (undone afterwards, so an embedding program keeps its own)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(sys.stdout, gettext, language), _SafeStream(sys.stderr, gettext, language)
    return saved


def say(*items, file=None, end: str = "\n") -> None:
    """print() for a person: each message (`Text`, or an exception carrying one) in the command's language."""
    stream = file or sys.stdout
    gettext = getattr(stream, "gettext", None)
    stream.write(" ".join(said(item, gettext) for item in items) + end)


def language(argv: list[str], environ) -> str:
    """The language of the messages and help: `--lang` before the command, else the locale's (LANGUAGE,
    LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else Indonesian, the organisation's own."""
    for i, arg in enumerate(argv):
        if not arg.startswith("-"):
            break  # the command: options after it are the command's own (mou and verify have a --lang of their own)
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return locale_language(environ)


# argparse's own words (usage, errors, section titles), in the same catalogs as every other message.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"), N_("expected at least one argument"), N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"), N_("expected %s argument"), N_("expected %s arguments"),
)


class _ArgparseSpeaks:
    """For one command, argparse says its own words through our catalogs (it looks `_` and `ngettext` up in
    its module when it speaks); put back as they were afterwards."""

    def __init__(self, catalog):
        self.catalog = catalog

    def __enter__(self):
        self.saved = argparse._, argparse.ngettext
        argparse._, argparse.ngettext = self.catalog.gettext, self.catalog.ngettext
        return self

    def __exit__(self, *exc):
        argparse._, argparse.ngettext = self.saved
        return False


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(said(Text('{text!r} is not a date like 2026-12-01', text=text), _gettext()))
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise argparse.ArgumentTypeError(said(Text('{text!r} is outside {year}-{year2}', text=text, year=EARLIEST_DAY.year, year2=LATEST_DAY.year), _gettext()))
    return value


def _days(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(said(Text('{text!r} is not a whole number of days', text=text), _gettext()))
    if not 0 <= value <= 36_500:
        raise argparse.ArgumentTypeError(said(Text('{text!r} is not between 0 and 36500 days', text=text), _gettext()))
    return value


def _text(text: str) -> str:
    """A line of text from the command line: not empty; the partner checks refuse control characters."""
    if not text.strip():
        raise argparse.ArgumentTypeError(said(Text("must not be empty"), _gettext()))
    return text


def _argument_text(text: str) -> str:
    """A name given on the command line: one line of printable text, at most 200 characters."""
    text = text.strip()
    if not text:
        raise argparse.ArgumentTypeError(said(Text("must not be empty"), _gettext()))
    if len(text) > 200 or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise argparse.ArgumentTypeError(said(Text("must be one line of printable text, at most 200 characters"), _gettext()))
    return text


def _slug(text: str) -> str:
    problem = check_slug(text)
    if problem:
        raise argparse.ArgumentTypeError(said(Text("the slug: {problem}", problem=problem), _gettext()))
    return text


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help=Text("the partners folder to use (default: partners/)"))


def _print_report(catalog: Catalog, quiet_notes: bool = False) -> None:
    for line in catalog.report.lines(notes=not quiet_notes):
        say(line)


def cmd_validate(args) -> int:
    today = args.today or dt.date.today()
    gettext = _gettext()
    key = None if args.no_cache else checkcache.fingerprint(args.data, today, _language())
    outcome = checkcache.load(args.data, key) if key else None
    if outcome is None:
        catalog = load_catalog(args.data, today=today)
        report = catalog.report
        summary = Text("OK: {partners} partners, {patterns} patterns, {stages} stages, {forms} forms.", partners=len(catalog.partners),
                       patterns=len(catalog.patterns), stages=len(catalog.stages), forms=len(catalog.forms))
        outcome = {  # kept in the language it was said in, which is part of the fingerprint
            "lines": {kind: [p.said(gettext) for p in problems] for kind, problems in
                      (("errors", report.errors), ("warnings", report.warnings), ("notes", report.notes))},
            "summary": said(summary, gettext),
        }
        if key:
            checkcache.store(args.data, key, outcome)
    lines = outcome["lines"]
    for line in lines.get("errors", []) + lines.get("warnings", []) + ([] if args.quiet else lines.get("notes", [])):
        say(line)
    errors = len(lines.get("errors", []))
    if errors:
        say(Text("{errors} error(s); nothing was published.", errors=errors), file=sys.stderr)
        return 1
    if not args.quiet:
        say(outcome.get("summary") or Text("OK"))
    return 0


def cmd_list(args) -> int:
    catalog = load_catalog(args.data)
    rows = [("slug", "pattern", "side", "stage", "visibility")]
    for slug, rec in sorted(catalog.partners.items()):
        rows.append((slug, rec.data.pattern, rec.data.side, catalog.stage_of(rec), rec.data.visibility))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        say("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if not catalog.report.ok:
        say(Text('({count} invalid files left out; run validate)', count=len(catalog.report.errors)), file=sys.stderr)
        return 1
    return 0


def cmd_new(args) -> int:
    catalog = load_catalog(args.data)
    fail = []
    pattern = catalog.patterns.get(args.pattern)
    if pattern is None:
        fail.append(Text("--pattern: unknown pattern {pattern!r}; choose one of: {patterns}", pattern=args.pattern, patterns=", ".join(catalog.patterns)))
    elif args.side not in [s.id for s in pattern.sides]:
        fail.append(Text("--side: {side!r} is not a side of {pattern}; choose {one} or {other}", side=args.side, pattern=args.pattern,
                         one=pattern.sides[0].id, other=pattern.sides[1].id))
    province = find_province(args.province)
    if province is None:
        fail.append(Text("--province: {province!r} is not a province of Indonesia", province=args.province))
    slug = args.slug or slugify(args.name, max_length=64, word_boundary=True)
    if check_slug(slug):
        fail.append(Text("cannot derive a file name from {name!r} ({problem}); give one with --slug", name=args.name, problem=check_slug(slug)))
    if fail:
        raise UsageError(joined(fail))
    target = os.path.join(args.data, f"{slug}.yml")
    for ext in (".yml", ".yaml"):
        if os.path.lexists(os.path.join(args.data, slug + ext)):
            raise CommandError(Text("{file} already exists; nothing was written (use --slug to choose another name)", file=slug + ext))
    side = next(s for s in pattern.sides if s.id == args.side)
    other = next(s for s in pattern.sides if s.id != args.side)
    stage = catalog.stages[0]
    text = templating.render(
        "new-partner.yml.j2",
        slug=slug,
        name=args.name,
        pattern=args.pattern,
        pattern_name=pattern.name.id,
        side=args.side,
        side_label=side.label.id,
        other_side=other.id,
        summary=args.summary or f"[[Ringkasan satu kalimat tentang {args.name}]]",
        province=province["name"],
        stage=stage.id,
        stage_label=stage.label.id,
        visibility=args.visibility,
        today=dt.date.today().isoformat(),
    )
    today = dt.date.today()
    _, problems = check_new_partner(catalog, slug, text, today)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for problem in sorted(errors):
            say(problem)
        raise CommandError(Text('the new file would not be valid; nothing was written'))
    write_inside(args.data, target, text.encode("utf-8"))
    say(Text('wrote {target}', target=_shown(target)))
    return 0


def cmd_schema(args) -> int:
    catalog = load_catalog(args.data)
    if not catalog.report.ok:
        _print_report(catalog)
        return 1
    text = schema_text(catalog)
    path = schema_path(catalog)
    try:
        current = read_regular(path, 4 * 1024 * 1024).decode("utf-8", errors="replace")
    except Refused:
        current = None
    if args.check:
        if current != text:
            say(Text('{path} is out of date; run: python scripts/portal.py schema', path=_shown(path)), file=sys.stderr)
            return 1
        say(Text('{path} is up to date.', path=_shown(path)))
        return 0
    if current != text:
        write_inside(args.data, path, text.encode("utf-8"), replace=True)
        say(Text('wrote {path}', path=_shown(path)))
    else:
        say(Text('{path} is up to date.', path=_shown(path)))
    return 0


def _refuse_invalid(catalog: Catalog, command: str) -> bool:
    if catalog.report.ok:
        return False
    _print_report(catalog, quiet_notes=True)
    say(Text('portal {command}: the data has errors; fix them first (see validate)', command=command), file=sys.stderr)
    return True


def _mapping_and_export(args, default_mapping: str, allowed) -> tuple:
    """The column mapping (--mapping, or the data folder's default) and the bytes of the export named."""
    mapping_path = args.mapping or os.path.join(args.data, default_mapping)
    try:
        mapping = intake.Mapping.load(mapping_path, args.data if not args.mapping else None, allowed=allowed)
    except ValueError as exc:
        raise UsageError(exc)
    try:
        return mapping, read_regular(args.csv, MAX_CSV_BYTES)
    except Refused as exc:
        raise UsageError(Text('{csv}: {message}', csv=args.csv, message=exc.message))


def cmd_import(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "import"):
        return 1
    mapping, raw = _mapping_and_export(args, intake.MAPPING_NAME, intake.MAPPABLE)
    if args.map:
        return _write_starting_mapping(args, raw, catalog, mapping)
    shown_csv = args.csv
    today = args.today or dt.date.today()
    outcome = intake.import_rows(raw, shown_csv, catalog, mapping, today, args.date_order, gettext=_gettext())
    for problem in sorted(outcome.problems + outcome.notes):
        say(problem)
    if args.dry_run and outcome.unmapped:
        say(Text('columns that feed no field (kept under internal.screening): {unmapped}', unmapped=', '.join(outcome.unmapped)))
    written = failed = 0
    for slug, text in outcome.written.items():
        target = os.path.join(args.data, f"{slug}.yml")
        if args.dry_run:
            say(Text('--- would write {target}', target=_shown(target)))
            say(text)
            continue
        try:
            write_inside(args.data, target, text.encode("utf-8"))
        except FileExistsError:
            say(Text('{target}:1: file: appeared while importing; row not imported', target=_shown(target)))
            failed += 1
            continue
        written += 1
        if slug in outcome.drafts:
            say(Text("wrote {target} (a hidden draft with problems to settle: internal.import_problems)", target=_shown(target)))
        else:
            say(Text("wrote {target}", target=_shown(target)))
    # One line per row: what happened to it, and what a person has to do.
    for line, what, detail in outcome.rows:
        if detail:
            say(Text("line {line}: {what}: {detail}", line=line, what=what, detail=detail))
        else:
            say(Text("line {line}: {what}", line=line, what=what))
    counts = dict(count=len(outcome.written) if args.dry_run else written, drafts=len(outcome.drafts),
                  reported=len(outcome.problems) + failed, empty=outcome.empty_rows)
    if args.dry_run:
        summary = Text("would import {count} row(s), {drafts} of them needing a person; {reported} reported; {empty} empty row(s) ignored.", **counts)
    else:
        summary = Text("imported {count} row(s), {drafts} of them needing a person; {reported} reported; {empty} empty row(s) ignored.", **counts)
    say(summary, file=sys.stderr)
    # 0: everything imported as it was given; 1: something needs a person (a draft to settle, a row skipped or refused).
    return 1 if outcome.needs_a_person or failed else 0


def _write_starting_mapping(args, raw: bytes, catalog: Catalog, known) -> int:
    """`import --map`: a mapping file for this export's own column titles and answers, to check and edit."""
    try:
        text, columns = intake.starting_mapping(raw, args.csv, catalog, known, gettext=_gettext())
    except ValueError as exc:
        raise UsageError(exc)
    stem = slugify(os.path.splitext(os.path.basename(args.csv))[0], max_length=40) or "form"
    target = args.map_out or os.path.join(args.data, "templates", f"intake-mapping.{stem}.yml")
    if "name" not in columns.values():
        say(Text("{csv}:1: header: no column looks like the partner's name; write its title under fields: name in the mapping", csv=args.csv))
    if args.dry_run:
        sys.stdout.write(text)
        return 0
    try:
        if os.path.abspath(target).startswith(os.path.abspath(args.data) + os.sep):
            write_inside(args.data, target, text.encode("utf-8"))
        else:
            write_output(args.data, target, text.encode("utf-8"), _shown(target))
    except FileExistsError:
        raise UsageError(Text('{target} exists; edit it, or name another file with --map-out', target=_shown(target)))
    except Refused as exc:
        raise UsageError(Text('--map-out: {message}', message=exc.message))
    except OSError as exc:
        raise CommandError(Text("{target}: {reason}", target=_shown(target), reason=exc.strerror or exc))
    for title, target_field in columns.items():
        say(Text('{title!r} -> {target_field}', title=title, target_field=target_field))
    say(Text('wrote {target}: check it, then run: portal import {csv} --mapping {target}', target=_shown(target), csv=args.csv), file=sys.stderr)
    return 0


def cmd_corrections(args) -> int:
    """Read the correction form's export; show each partner's changes; apply those accepted, in place."""
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "corrections"):
        return 1
    mapping, raw = _mapping_and_export(args, corrections.MAPPING_NAME, None)
    if "slug" not in mapping.fields:
        raise UsageError(Text("{value}: fields: needs slug (the column with the profile's slug or address)", value=args.mapping or corrections.MAPPING_NAME))
    today = args.today or dt.date.today()
    files = {}
    for slug in catalog.partners:
        path = os.path.join(args.data, slug + ".yml")
        if os.path.isfile(path):
            files[slug] = read_inside(args.data, path, MAX_PARTNER_BYTES).decode("utf-8")
    found = corrections.review(raw, args.csv, catalog, files, mapping)
    for problem in found.problems + found.notes:
        say(problem)
    only = {key for value in (args.only or []) for key in value.split(",") if key}
    failed = bool(found.problems)
    for slug, changes in found.changes.items():
        path = os.path.join(args.data, slug + ".yml")
        say(Text('{slug} ({path}), from line {value} of {csv}:', slug=slug, path=_shown(path), value=', '.join(str(n) for n in sorted({c.line for c in changes})), csv=args.csv))
        for change in changes:
            before = yamledit.render(change.before) if change.before is not None else Text("(empty)")
            say(Text("  {field}: {before} -> {after}", field=change.path, before=before, after=yamledit.render(change.after)))
        if not args.apply:
            continue
        accepted = [c for c in changes if (c.key in only or slug in only) if only] if only else changes
        if not only and sys.stdin.isatty():
            accepted = [c for c in changes if input(said(Text("  apply {field}? [y/N] ", field=c.path), _gettext())).strip().lower() in ("y", "ya", "yes")]
        if not accepted:
            say(Text("  nothing accepted; the file is unchanged"))
            continue
        when = min(found.received.get(slug, today), today)
        try:
            new = corrections.apply(files[slug], accepted, when)
        except yamledit.EditError as exc:  # an alias, a list with comments: not changed behind staff's back
            say(Text('  {problem}', problem=exc))
            say(Text("  not applied: the file would not be valid after these changes"))
            failed = True
            continue
        errors = corrections.check(catalog, slug, catalog.partners[slug].path, new, today)
        if errors:
            for problem in sorted(errors):
                say(Text('  {problem}', problem=problem))
            say(Text("  not applied: the file would not be valid after these changes"))
            failed = True
            continue
        write_inside(args.data, path, new.encode("utf-8"), replace=True, expected=files[slug].encode("utf-8"))
        say(Text('  applied {count} change(s); last_verified: {date}', count=len(accepted), date=when.isoformat()))
    if not found.changes and not found.problems:
        say(Text("No correction differs from the partner files."))
    elif not args.apply:
        say(Text("Nothing written. Apply with --apply (every change shown) or --apply --only SLUG:FIELD,… (those named)."), file=sys.stderr)
    return 1 if failed else 0


def cmd_report(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "report"):
        return 1
    settings = _settings(args.config)
    ending = settings.ending_soon_days if args.ending_days is None else args.ending_days
    stale = settings.stale_days if args.stale_days is None else args.stale_days
    result = report.build_report(catalog, args.today or dt.date.today(), ending_days=ending, stale_days=stale, language=_language())
    getattr(sys.stdout, "write_export", sys.stdout.write)(report.FORMATS[args.format](result, _gettext()))
    return 0


def cmd_mou(args) -> int:
    catalog = load_catalog(args.data)
    if args.slug not in catalog.partners:
        known = [p for p in catalog.report.errors if p.path.endswith((f"/{args.slug}.yml", f"/{args.slug}.yaml"))]
        for problem in known:
            say(problem)
        if not known:
            raise UsageError(Text('no partner {slug!r} (see: portal list)', slug=args.slug))
        return 1
    settings = _settings(args.config)
    try:
        text = agreement.draft(catalog, args.slug, settings.organisation, settings.contact_email, args.lang, args.today, args.counterpart)
    except agreement.PartiesError as exc:
        raise UsageError(exc)
    except jinja2.TemplateError as exc:
        raise CommandError(Text('the agreement template cannot be used: {exc}', exc=exc))
    if args.html:
        name = catalog.partners[args.slug].data.name
        text = agreement.to_html(text, args.lang, f"MoU – {name}")
    if args.output:
        try:
            write_output(args.data, args.output, text.encode("utf-8"), _shown(args.output))
        except Refused as exc:
            raise UsageError(Text('-o: {message}', message=exc.message))
        say(Text('wrote {output}', output=_shown(args.output)))
    else:
        sys.stdout.write(text)
    return 0


def _partner_file(args, catalog: Catalog) -> tuple[str, str]:
    """The path and text of the partner named by args.slug: a usage error when there is none."""
    record = catalog.partners.get(args.slug)
    if record is None:
        raise UsageError(Text('no partner {slug!r} (see: portal list)', slug=args.slug))
    path = next((os.path.join(args.data, args.slug + ext) for ext in (".yml", ".yaml") if os.path.isfile(os.path.join(args.data, args.slug + ext))), None)
    if path is None:
        raise CommandError(Text('{slug}: its file is not a plain .yml file in {data}', slug=args.slug, data=_shown(args.data)))
    return path, read_inside(args.data, path, MAX_PARTNER_BYTES).decode("utf-8")


def _write_edit(args, catalog: Catalog, path: str, old: str, new: str, today: dt.date, what: str) -> int:
    """Write an edited partner file after checking it as `validate` would, and only while it still holds
    `old` (what the command read); nothing is written otherwise."""
    _, problems = check_new_partner(catalog, args.slug, new, today, replacing=catalog.partners[args.slug].path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for problem in sorted(errors):
            say(problem)
        raise CommandError(Text('the file would not be valid after this change; nothing was written'))
    write_inside(args.data, path, new.encode("utf-8"), replace=True, expected=old.encode("utf-8"))
    say(Text('{path}: {what}', path=_shown(path), what=what))
    return 0


def cmd_verify(args) -> int:
    from ..core.public import build_public_site

    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "verify"):
        return 1
    settings = _settings(args.config)
    today = args.today or dt.date.today()
    days = settings.stale_days if args.days is None else args.days
    slugs = verify.due(catalog, today, days)
    if not slugs:
        say(Text('No published profile is due for a check (last checked within {days} days).', days=days))
        return 0
    config = read_mkdocs_config(args.config) if os.path.isfile(args.config) else {}
    site_url = str(config.get("site_url") or "")
    site = build_public_site(catalog, today, settings.ending_soon_days, parallel=False)
    found = verify.messages(catalog, site, slugs, settings, site_url, args.lang)
    folder = os.path.abspath(args.out) if args.out else verify.outbox(args.data, today)
    if not args.dry_run:
        # Messages hold contact details: a folder outside the data, made here, that keeps itself out of git.
        try:
            folder = output_folder(args.data, folder, _shown(folder), "messages")
        except Refused as exc:
            raise UsageError(Text('--out: {message}', message=exc.message))
    for m in found:
        last = m.last_verified or Text("never")
        to = m.to_email or (Text("WhatsApp {number} (whatsapp.txt)", number=m.to_whatsapp) if m.by_whatsapp
                            else Text("NO ADDRESS OR MOBILE NUMBER: send by hand"))
        say(Text('{slug}: last checked {last}; to {to}', slug=m.slug, last=last, to=to))
        if not args.dry_run and not m.by_whatsapp:
            write_inside(folder, os.path.join(folder, f"{m.slug}.eml"), verify.eml(m, settings, today), replace=True)
    if not args.dry_run:
        write_inside(folder, os.path.join(folder, "mail-merge.csv"), verify.merge_csv(found).encode("utf-8"), replace=True)
        chats = sum(1 for m in found if m.by_whatsapp)
        if chats:
            write_inside(folder, os.path.join(folder, "whatsapp.txt"), verify.whatsapp_list(found).encode("utf-8"), replace=True)
        say(Text('wrote {value} e-mail draft(s), {chats} WhatsApp message(s) (whatsapp.txt) and mail-merge.csv to {folder}', value=len(found) - chats, chats=chats, folder=_shown(folder)),
              file=sys.stderr)
    else:
        say(Text('{count} profile(s) due for a check; nothing written (--dry-run)', count=len(found)), file=sys.stderr)
    return 0


def cmd_verified(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "verified"):
        return 1
    today = dt.date.today() if args.today is None else args.today
    when = args.date or today
    if when > today:
        raise UsageError(Text('--date {date} is in the future', date=when.isoformat()))
    path, text = _partner_file(args, catalog)
    try:
        new = yamledit.set_value(text, "last_verified", when)
    except yamledit.EditError as exc:
        raise CommandError(Text('{path}: {exc}', path=_shown(path), exc=exc))
    if new == text:
        say(Text('{path}: last_verified is already {date}', path=_shown(path), date=when.isoformat()))
        return 0
    return _write_edit(args, catalog, path, text, new, today, Text("last_verified: {date}", date=when.isoformat()))


def cmd_new_activity(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "new-activity"):
        return 1
    today = dt.date.today() if args.today is None else args.today
    item = {"title": args.title.strip(), "date": args.date or today}
    if args.summary:
        item["summary"] = args.summary.strip()
    path, text = _partner_file(args, catalog)
    try:
        new = yamledit.append_item(text, "activities", item)
    except yamledit.EditError as exc:
        raise CommandError(Text('{path}: {exc}', path=_shown(path), exc=exc))
    return _write_edit(args, catalog, path, text, new, today, Text("activity added: {title} ({date})", title=item["title"], date=item["date"].isoformat()))


def cmd_doctor(args) -> int:
    settings = _settings(args.config)
    catalog = load_catalog(args.data)
    findings: list = []
    try:
        editions = [(name, config, lang) for name, config, lang, _, _ in _editions(os.path.abspath(args.config))] if os.path.isfile(args.config) else []
    except UsageError as exc:  # an edition named but missing is one more thing to change
        editions, findings = [], [Text("{config}: {error}", config=args.config, error=exc.args[0])]
    findings += doctor.check(args.config, settings, catalog, editions)
    for finding in findings:
        say(finding)
    if findings:
        say(Text('{count} thing(s) to change before the site goes live.', count=len(findings)), file=sys.stderr)
        return 1
    say(Text("Ready to go live: addresses, contact and intake are set, the data is valid and holds no template text."))
    return 0


def _editions(config_path: str):
    """(name, configuration, language, public address, output folder) of every edition of the project."""
    from ..adapters.folder import RenderError, edition_configs

    config_dir = os.path.dirname(config_path)
    try:
        editions = edition_configs(config_path)
        out = []
        for name, config in editions:
            theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
            out.append((name, config, edition_language(theme.get("language")), str(config.get("site_url") or ""),
                        os.path.normpath(os.path.join(config_dir, str(config.get("site_dir") or "site")))))
        return out
    except (RenderError, ValueError) as exc:
        raise UsageError(exc)


def cmd_check(args) -> int:
    """Validate, build every edition strictly, then read the built site against the data."""
    from ..core.public import build_public_site

    config_path = os.path.abspath(args.config)
    if not os.path.isfile(config_path):
        raise UsageError(Text("--config {config}: no such file", config=args.config))
    settings = _settings(config_path)
    config_dir = os.path.dirname(config_path)
    data = os.path.join(config_dir, settings.data_dir)
    if not os.path.isdir(data):
        raise UsageError(Text("extra.portal.data_dir: {data}: no such folder", data=_shown(data)))
    editions = _editions(config_path)
    today = settings.build_date()
    catalog = load_catalog(data, today=today)
    if not catalog.report.ok:
        _print_report(catalog, quiet_notes=True)
        raise CommandError(Text("{errors} error(s) in the data; nothing was built or published.", errors=len(catalog.report.errors)))
    for name, config, lang, site_url, site_dir in editions:
        if inside(data, site_dir) or inside(site_dir, data):  # MkDocs empties site_dir before it writes
            where = name + ": site_dir " + _shown(site_dir)
            raise UsageError(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data', shown=where, what=Text("the built site")))
        if not site_url:
            raise UsageError(Text("{config}: site_url: not set; every edition needs its public address", config=name))
        if not args.no_build:
            say(Text("building the {language} edition ({config}) into {site_dir} …", language=lang, config=name, site_dir=_shown(site_dir)))
            built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", os.path.join(config_dir, name)],
                                   cwd=config_dir, capture_output=True, text=True, encoding="utf-8", errors="replace")
            if built.returncode != 0:
                lines = [line for line in (built.stdout + built.stderr).splitlines() if line.startswith(("ERROR", "WARNING", "Aborted", "Error"))]
                for line in lines or (built.stdout + built.stderr).splitlines()[-20:]:
                    say(Text("{config}: {line}", config=name, line=line))
                raise CommandError(Text("the strict build of {config} failed; nothing may be published", config=name))
    public = build_public_site(catalog, today, settings.ending_soon_days)
    sites = [sitecheck.EditionSite(name, lang, site_url, site_dir) for name, _, lang, site_url, site_dir in editions]
    # A staff preview (PORTAL_PREVIEW=1, a pull request's build) has edit links into the repository by design
    # and is never published; every other build must have none.
    repository = "" if os.environ.get("PORTAL_PREVIEW") else str(editions[0][1].get("repo_url") or "")
    problems = sitecheck.check_site(editions[0][4], sites, catalog, public, repository)
    root = _shown(editions[0][4])
    for problem in problems:
        say(Text("{root}/{problem}", root=root, problem=problem))
    if problems:
        raise CommandError(Text("{count} problem(s) in the built site; do not publish it.", count=len(problems)))
    say(Text("The site may be published: {editions} edition(s) in {root}, {partners} partners shown, no private value, every link and export checked.",
             editions=len(sites), root=root, partners=len(public.listed) + len(public.unlisted)))
    return 0


def _ask(question: Text, default: str = "") -> str:
    """One answer typed at a terminal (the default when nothing is typed)."""
    shown = said(question, _gettext()) + (f" [{default}]" if default else "") + ": "
    try:
        answer = input(shown.translate(TERMINAL_SAFE)).strip()
    except EOFError:
        answer = ""
    return answer or default


def cmd_init(args) -> int:
    """The demo made into the organisation's own portal (every answer a flag too; asked at a terminal)."""
    config_path = os.path.abspath(args.config)
    if not os.path.isfile(config_path):
        raise UsageError(Text("--config {config}: no such file", config=args.config))
    interactive = sys.stdin is not None and sys.stdin.isatty() and not args.yes
    questions = {
        "name": Text("The organisation's name (as readers should see it)"),
        "url": Text("The site's public address, e.g. https://kemitraan.example-org.id/ (see PUBLISHING.md)"),
        "email": Text("The e-mail address applicants and partners write to"),
        "form": Text("The intake form's https address (empty: applicants write an e-mail)"),
        "languages": Text("Languages to publish: id, or id,en"),
        "repository": Text("The data repository's https address, for staff edit links in previews (may be empty)"),
    }
    values = {key: getattr(args, key) for key in questions}
    if values["languages"] is None:
        values["languages"] = "id,en" if not interactive else None
    for key, question in questions.items():
        if values[key] is None and interactive:
            values[key] = _ask(question, "id,en" if key == "languages" else "")
    missing = [f"--{key}" for key in ("name", "url", "email") if not values[key]]
    if missing:
        raise UsageError(Text("missing {options}; give them as options, or run portal init at a terminal to be asked", options=", ".join(missing)))
    url = values["url"].strip()
    answers = start.Answers(name=values["name"].strip(), site_url=url if url.endswith("/") else url + "/", email=values["email"].strip(),
                            form=(values["form"] or "").strip(), languages=start.parse_languages(values["languages"] or "id"),
                            repository=(values["repository"] or "").strip())
    problems = start.check_answers(answers)
    if problems:
        raise UsageError(joined(problems))
    project = os.path.dirname(config_path)
    settings = _settings(config_path)
    data = os.path.join(project, settings.data_dir)
    try:
        texts = {config_path: start.configure_main(start.read_config(config_path), answers)}
        for lang in answers.languages[1:]:
            path = os.path.join(project, f"mkdocs.{lang}.yml")
            if not os.path.isfile(path):
                raise CommandError(Text("mkdocs.{lang}.yml: missing; the {lang} edition needs its configuration beside mkdocs.yml", lang=lang))
            texts[path] = start.configure_edition(start.read_config(path), os.path.basename(path), answers, lang)
    except yamledit.EditError as exc:
        raise CommandError(exc)
    dropped = sorted(os.path.join(project, f"mkdocs.{lang}.yml") for lang in start.LANGUAGE_NAMES
                     if lang not in answers.languages and os.path.isfile(os.path.join(project, f"mkdocs.{lang}.yml")))
    for path, text in texts.items():  # every configuration is checked before anything is written
        try:
            config = parse_mkdocs_config(text)
            Settings.from_extra(config.get("extra") if isinstance(config.get("extra"), dict) else None)
        except ValueError as exc:
            raise CommandError(Text("{path}: the new configuration would not be valid ({error}); nothing was changed", path=_shown(path), error=exc))
    partners, logos = ([], []) if args.keep_demo else start.demo_files(data)
    if interactive:
        say(Text("portal init will write {configs}, remove {dropped}, and remove {partners} demo partner file(s) and {logos} logo(s).",
                 configs=", ".join(_shown(p) for p in texts), dropped=", ".join(_shown(p) for p in dropped) or "-", partners=len(partners), logos=len(logos)))
        if _ask(Text("Go ahead? (y/n)"), "n").lower() not in ("y", "ya", "yes"):
            say(Text("Nothing was changed."))
            return 1
    for path, text in texts.items():
        start.write_beside(path, text)
        say(Text("wrote {path}", path=_shown(path)))
    for path in dropped + partners + logos:
        os.unlink(path)
        say(Text("removed {path}", path=_shown(path)))
    say(Text("Your portal is set up. Next: add partners (portal new, or the editor), then run portal check; portal doctor lists what still needs a person."))
    return 0


def cmd_render(args) -> int:
    from ..adapters.folder import RenderError, project_files, write_folder
    from ..core.problems import DataError

    out = os.path.abspath(args.out)
    data = os.path.join(os.path.dirname(os.path.abspath(args.config)), _settings(args.config).data_dir)
    if inside(data, out) or inside(out, data):  # whatever markers the folder holds: the data is never replaced
        raise UsageError(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data', shown=_shown(args.out), what=Text("the rendered site")))
    try:
        files = project_files(args.config)
        count = write_folder(out, files)
    except DataError as exc:
        for line in exc.report.lines(notes=False):
            say(line)
        raise CommandError(Text("the data has errors; nothing was rendered (see validate)"))
    except (ValueError, RenderError) as exc:
        raise UsageError(exc)
    except OSError as exc:
        raise CommandError(Text("{path}: {reason}", path=exc.filename or args.out, reason=exc.strerror or exc))
    configs = sorted((name for name in files if "/" not in name and name.endswith(".yml")), key=lambda n: (n != "mkdocs.yml", n))
    builds = " && ".join("zensical build" + ("" if name == "mkdocs.yml" else f" -f {name}") for name in configs)
    say(Text('wrote {count} files into {out}: one configuration (without the hook) and one docs folder per edition ({configs}), and the overriding templates;', count=count, out=_shown(args.out), configs=', '.join(configs)))
    say(Text('build every edition with another engine, the main one first, e.g.: cd {out} && {builds}', out=_shown(args.out), builds=builds))
    return 0


def _gettext():
    """The translation of the command's output stream (None outside `main`: the code's words)."""
    return getattr(sys.stdout, "gettext", None)


def _language() -> str:
    return getattr(sys.stdout, "language", "") or LANGUAGES[0]


def _settings(config_path: str):
    try:
        return settings_from_mkdocs(config_path)
    except (TypeError, ValueError) as exc:
        raise UsageError(Text('{config_path}: {exc}', config_path=config_path, exc=exc))


def _shown(path: str) -> str:
    """A path as the user would type it: relative to the current folder when it is below it."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith("..") else rel


def _say_help(parser: argparse.ArgumentParser, gettext) -> None:
    """Every description and help text of a parser and its commands in the language of `gettext`."""
    parser.description = said(parser.description, gettext) if parser.description else parser.description
    for action in parser._actions:
        if isinstance(action.help, Text):
            action.help = said(action.help, gettext)
        for choice in getattr(action, "_choices_actions", []):
            choice.help = said(choice.help, gettext)
        if isinstance(action, argparse._SubParsersAction):
            for command in set(action.choices.values()):
                _say_help(command, gettext)


def build_parser(gettext=None) -> argparse.ArgumentParser:
    """The command line of `portal`, its help in the language of `gettext` (the code's words without one)."""
    parser = argparse.ArgumentParser(
        prog="portal",
        description=Text("Staff commands for the partner portal's data (partners/*.yml)."),
    )
    parser.add_argument("--lang", choices=LANGUAGES, metavar="{id,en}",
                        help=Text("the language of the messages and help: id or en (default: the locale's, LANG; else id)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("validate", help=Text("check every data file; exit 0 when valid, 1 with messages when not"))
    _add_data(p)
    p.add_argument("--today", type=_date, default=None, help=Text("date to check last_verified against (default: today)"))
    p.add_argument("-q", "--quiet", action="store_true", help=Text("print errors only, no notes or summary"))
    p.add_argument("--no-cache", action="store_true", help=Text("check every file even when nothing changed since the last run"))
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", help=Text("write a new, valid partner file to fill in"))
    p.add_argument("name", help=Text("the partner's name, e.g. \"Koperasi Tani Makmur\""))
    p.add_argument("--pattern", required=True, help=Text("pattern id, e.g. general-trade"))
    p.add_argument("--side", required=True, help=Text("side id within the pattern, e.g. supplier"))
    p.add_argument("--province", required=True, help=Text("province, e.g. \"Jawa Barat\""))
    p.add_argument("--summary", help=Text("one-line summary (can be edited later)"))
    p.add_argument("--slug", type=_slug, help=Text("file name to use instead of one derived from the name"))
    p.add_argument("--visibility", choices=["public", "unlisted", "hidden"], default="hidden", help=Text("default hidden until reviewed"))
    _add_data(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("list", help=Text("one line per partner: slug, pattern, side, stage, visibility"))
    _add_data(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("schema", help=Text("write partners/partner.schema.json for editors (or --check it is current)"))
    p.add_argument("--check", action="store_true", help=Text("exit 1 when the committed schema is stale"))
    _add_data(p)
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("import", help=Text("turn an intake form's CSV export into new hidden partner files"))
    p.add_argument("csv", help=Text("the responses file (CSV with a header row; , ; or tab; UTF-8 or Windows-1252)"))
    p.add_argument("--mapping", metavar="FILE", help=Text("column mapping (default: partners/templates/intake-mapping.yml)"))
    p.add_argument("--dry-run", action="store_true", help=Text("show what would be written, write nothing"))
    p.add_argument("--date-order", choices=("dmy", "mdy"), help=Text("day/month order of the timestamps when the file cannot settle it"))
    p.add_argument("--today", type=_date, default=None, help=Text("date recorded as imported_on (default: today)"))
    p.add_argument("--map", action="store_true",
                   help=Text("import nothing: write a starting mapping for this file's own column titles and answers, to check and edit"))
    p.add_argument("--map-out", metavar="FILE", help=Text("where --map writes (default: partners/templates/intake-mapping.<file>.yml; never replaced)"))
    _add_data(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("corrections", help=Text("read the correction form's export: each partner's changes, applied in place once accepted"))
    p.add_argument("csv", help=Text("the correction form's responses (CSV)"))
    p.add_argument("--mapping", metavar="FILE", help=Text("column mapping (default: partners/templates/correction-mapping.yml)"))
    p.add_argument("--apply", action="store_true", help=Text("write the changes: each one asked for at a terminal, else all shown, or those --only names"))
    p.add_argument("--only", action="append", metavar="SLUG[:FIELD]", help=Text("accept only these changes (comma-separated, repeatable)"))
    p.add_argument("--today", type=_date, default=None, help=Text("the day of the check (default: today); last_verified is the response's date"))
    _add_data(p)
    p.set_defaults(func=cmd_corrections)

    p = sub.add_parser("report", help=Text("the pipeline and who needs attention today"))
    p.add_argument("--today", type=_date, default=None, help=Text("the day to report for (default: today)"))
    p.add_argument("--format", choices=sorted(report.FORMATS), default="table", help=Text("table (default), csv, json or md"))
    p.add_argument("--ending-days", type=_days, default=None, metavar="N", help=Text("agreements ending within N days (default: extra.portal.ending_soon_days, 60)"))
    p.add_argument("--stale-days", type=_days, default=None, metavar="N", help=Text("verification or contact older than N days (default: extra.portal.stale_days, 183)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("where the portal's settings are (extra.portal)"))
    _add_data(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("mou", help=Text("draft a written agreement (MoU) for one partner"))
    p.add_argument("slug", type=_slug, help=Text("the partner's slug (file name without .yml)"))
    p.add_argument("--lang", choices=agreement.LANGS, default="id", help=Text("id (default) or en"))
    p.add_argument("--html", action="store_true", help=Text("a printable HTML page instead of Markdown"))
    p.add_argument("--with", dest="counterpart", metavar="SLUG_OR_NAME", type=_argument_text,
                   help=Text("the other side: a partner's slug or a name (default: agreement.counterpart, else the organisation where it is a party)"))
    p.add_argument("-o", "--output", metavar="FILE", help=Text("write to FILE (outside the data folder) instead of printing"))
    p.add_argument("--today", type=_date, default=None, help=Text("the draft's date (default: today)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("where the organisation's name is set (extra.portal)"))
    _add_data(p)
    p.set_defaults(func=cmd_mou)

    p = sub.add_parser("verify", help=Text("write a check-your-profile message to each partner due for one (.eml and a mail-merge CSV)"))
    p.add_argument("--days", type=_days, default=None, metavar="N", help=Text("due when last checked more than N days ago (default: extra.portal.stale_days, 183)"))
    p.add_argument("--lang", choices=("id", "en"), default="id", help=Text("the messages' language: id (default) or en"))
    p.add_argument("--out", metavar="DIR", help=Text("a folder outside the data folder (default: outbox/verify-DATE/ beside it, ignored by git)"))
    p.add_argument("--dry-run", action="store_true", help=Text("list who is due, write nothing"))
    p.add_argument("--today", type=_date, default=None, help=Text("the day to check against (default: today)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (site_url, extra.portal)"))
    _add_data(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("verified", help=Text("record that a partner checked its profile (sets last_verified, keeps the file's layout)"))
    p.add_argument("slug", type=_slug, help=Text("the partner's slug"))
    p.add_argument("--date", type=_date, default=None, help=Text("the day it was checked (default: today)"))
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=cmd_verified)

    p = sub.add_parser("new-activity", help=Text("add an activity to a partner's file (shown on its page and in the news)"))
    p.add_argument("slug", type=_slug, help=Text("the partner's slug"))
    p.add_argument("title", type=_text, help=Text("what happened, in a few words"))
    p.add_argument("--date", type=_date, default=None, help=Text("when (default: today)"))
    p.add_argument("--summary", type=_text, default=None, help=Text("one or two sentences more"))
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=cmd_new_activity)

    p = sub.add_parser("render", help=Text("write the site's pages, exports and logos as a docs folder for any engine (e.g. zensical)"))
    p.add_argument("--out", required=True, metavar="DIR", help=Text("the folder to write (new, empty, or written by render before)"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("init", help=Text("make the demo your organisation's portal: name, addresses, languages; the demo partners removed"))
    p.add_argument("--name", help=Text("the organisation's name"))
    p.add_argument("--url", help=Text("the site's public address (https://…/)"))
    p.add_argument("--email", help=Text("the contact e-mail address"))
    p.add_argument("--form", help=Text("the intake form's https address (default: none, applicants write an e-mail)"))
    p.add_argument("--languages", help=Text("the editions to publish: id or id,en (default: id,en)"))
    p.add_argument("--repository", help=Text("the data repository's address, for edit links in staff previews (default: none)"))
    p.add_argument("--keep-demo", action="store_true", help=Text("keep the demo's partners (default: removed)"))
    p.add_argument("-y", "--yes", action="store_true", help=Text("ask nothing: take the options as given"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml)"))
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", help=Text("the gate before publishing: validate, build every edition strictly, read the site against the data"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration (mkdocs.yml); every edition beside it is checked"))
    p.add_argument("--no-build", action="store_true", help=Text("check the site as it is already built, without building it again"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("doctor", help=Text("check that the configuration and data are ready to go live, and say what to change"))
    p.add_argument("--config", default=DEFAULT_CONFIG, help=Text("the site configuration to check"))
    _add_data(p)
    p.set_defaults(func=cmd_doctor)
    if gettext is not None:
        _say_help(parser, gettext)
    return parser


WRITERS = frozenset({"new", "import", "corrections", "verified", "new-activity", "schema", "init"})


def _data_of(config: str) -> str:
    """The data folder a configuration names (for commands that take --config rather than --data)."""
    path = os.path.abspath(config)
    folder = os.path.join(os.path.dirname(path), _settings(path).data_dir if os.path.isfile(path) else DEFAULT_DATA)
    if not os.path.isdir(folder):
        raise UsageError(Text("extra.portal.data_dir: {data}: no such folder", data=_shown(folder)))
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is an exit code (0 fine, 1 problems, 2 usage) and lines of text, in
    the language chosen by `--lang` or the locale (Indonesian unless it says English)."""
    _utf8_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = language(argv, os.environ)
    catalog = translations(chosen)
    saved = _safe_streams(catalog.gettext, chosen)
    try:
        with _ArgparseSpeaks(catalog):
            return _main(argv, catalog.gettext)
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: list[str], gettext) -> int:
    parser = build_parser(gettext)
    if any("\x00" in arg for arg in argv):
        # No path or value may hold a NUL (the system cannot open such a path): one line, not a traceback.
        say(Text("portal: an argument holds a NUL character (\\x00); no path or value can"), file=sys.stderr)
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage line and its message
        return exc.code if isinstance(exc.code, int) else 2
    name = f"portal {args.command}"
    try:
        if hasattr(args, "data"):
            args.data = os.path.abspath(args.data)
            if not os.path.isdir(args.data):
                what = Text("is not a folder") if os.path.lexists(args.data) else Text("no such folder")
                raise UsageError(Text('--data {data}: {what}', data=args.data, what=what))
        if args.command in WRITERS:  # one writer at a time: these change files of the data folder
            with data_lock(args.data if hasattr(args, "data") else _data_of(args.config)):
                return args.func(args)
        return args.func(args)
    except UsageError as exc:
        say(Text("{command}: {error}", command=name, error=exc), file=sys.stderr)
        return 2
    except CommandError as exc:
        say(Text("{command}: {error}", command=name, error=exc), file=sys.stderr)
        return 1
    except Refused as exc:
        say(Text("{command}: {error}", command=name, error=exc.message), file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(Text("{command}: {where}{reason}", command=name, where=where, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    except (RecursionError, MemoryError) as exc:
        say(Text("{command}: the input is too large or too deeply nested ({error})", command=name, error=type(exc).__name__), file=sys.stderr)
        return 1


def main_exit() -> None:
    """The `portal` console script."""
    sys.exit(main())
