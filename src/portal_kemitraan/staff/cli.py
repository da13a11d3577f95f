"""The staff command line: argument parsing and output for each command, over the core modules."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import unicodedata

import jinja2
from slugify import slugify

from . import agreement, checkcache, corrections, doctor, intake, report, verify, yamledit
from ..render import templating
from ..core.catalog import Catalog, check_new_partner, check_slug, load_catalog
from ..core.reference import find_province
from ..core.safefs import Refused, output_folder, read_inside, read_regular, write_inside, write_output
from .schema import schema_path, schema_text
from ..core.settings import read_mkdocs_config, settings_from_mkdocs
from ..core.yamlsource import MAX_BYTES as MAX_PARTNER_BYTES

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
    file names, values from partner files and CSV exports, argparse's messages."""

    def __init__(self, stream):
        self._stream = stream

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


def _safe_streams():
    """Wrap stdout and stderr for one command (undone afterwards, so an embedding program keeps its own)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(sys.stdout), _SafeStream(sys.stderr)
    return saved


def _date(text: str) -> dt.date:
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01")
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise argparse.ArgumentTypeError(f"{text!r} is outside {EARLIEST_DAY.year}-{LATEST_DAY.year}")
    return value


def _days(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days")
    if not 0 <= value <= 36_500:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 36500 days")
    return value


def _text(text: str) -> str:
    """A line of text from the command line: not empty; the partner checks refuse control characters."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _argument_text(text: str) -> str:
    """A name given on the command line: one line of printable text, at most 200 characters."""
    text = text.strip()
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    if len(text) > 200 or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise argparse.ArgumentTypeError("must be one line of printable text, at most 200 characters")
    return text


def _slug(text: str) -> str:
    problem = check_slug(text)
    if problem:
        raise argparse.ArgumentTypeError(problem.replace("the file name", "the slug"))
    return text


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help="the partners folder to use (default: partners/)")


def _print_report(catalog: Catalog, quiet_notes: bool = False) -> None:
    for line in catalog.report.lines(notes=not quiet_notes):
        print(line)


def cmd_validate(args) -> int:
    today = args.today or dt.date.today()
    key = None if args.no_cache else checkcache.fingerprint(args.data, today)
    outcome = checkcache.load(args.data, key) if key else None
    if outcome is None:
        catalog = load_catalog(args.data, today=today)
        report = catalog.report
        outcome = {
            "lines": {"errors": [str(p) for p in report.errors], "warnings": [str(p) for p in report.warnings], "notes": [str(p) for p in report.notes]},
            "summary": f"OK: {len(catalog.partners)} partners, {len(catalog.patterns)} patterns, {len(catalog.stages)} stages, {len(catalog.forms)} forms.",
        }
        if key:
            checkcache.store(args.data, key, outcome)
    lines = outcome["lines"]
    for line in lines.get("errors", []) + lines.get("warnings", []) + ([] if args.quiet else lines.get("notes", [])):
        print(line)
    errors = len(lines.get("errors", []))
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}; nothing was published.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(outcome.get("summary", "OK"))
    return 0


def cmd_list(args) -> int:
    catalog = load_catalog(args.data)
    rows = [("slug", "pattern", "side", "stage", "visibility")]
    for slug, rec in sorted(catalog.partners.items()):
        rows.append((slug, rec.data.pattern, rec.data.side, catalog.stage_of(rec), rec.data.visibility))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if not catalog.report.ok:
        print(f"({len(catalog.report.errors)} invalid files left out; run validate)", file=sys.stderr)
        return 1
    return 0


def cmd_new(args) -> int:
    catalog = load_catalog(args.data)
    fail = []
    pattern = catalog.patterns.get(args.pattern)
    if pattern is None:
        fail.append(f"--pattern: unknown pattern {args.pattern!r}; choose one of: {', '.join(catalog.patterns)}")
    elif args.side not in [s.id for s in pattern.sides]:
        fail.append(f"--side: {args.side!r} is not a side of {args.pattern}; choose {' or '.join(s.id for s in pattern.sides)}")
    province = find_province(args.province)
    if province is None:
        fail.append(f"--province: {args.province!r} is not a province of Indonesia")
    slug = args.slug or slugify(args.name, max_length=64, word_boundary=True)
    if check_slug(slug):
        fail.append(f"cannot derive a file name from {args.name!r} ({check_slug(slug)}); give one with --slug")
    if fail:
        raise UsageError("\n".join(fail))
    target = os.path.join(args.data, f"{slug}.yml")
    for ext in (".yml", ".yaml"):
        if os.path.lexists(os.path.join(args.data, slug + ext)):
            raise CommandError(f"{slug}{ext} already exists; nothing was written (use --slug to choose another name)")
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
            print(problem)
        raise CommandError(f"the new file would not be valid; nothing was written")
    write_inside(args.data, target, text.encode("utf-8"))
    print(f"wrote {_shown(target)}")
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
            print(f"{_shown(path)} is out of date; run: python scripts/portal.py schema", file=sys.stderr)
            return 1
        print(f"{_shown(path)} is up to date.")
        return 0
    if current != text:
        write_inside(args.data, path, text.encode("utf-8"), replace=True)
        print(f"wrote {_shown(path)}")
    else:
        print(f"{_shown(path)} is up to date.")
    return 0


def _refuse_invalid(catalog: Catalog, command: str) -> bool:
    if catalog.report.ok:
        return False
    _print_report(catalog, quiet_notes=True)
    print(f"portal {command}: the data has errors; fix them first (see validate)", file=sys.stderr)
    return True


def _mapping_and_export(args, default_mapping: str, allowed) -> tuple:
    """The column mapping (--mapping, or the data folder's default) and the bytes of the export named."""
    mapping_path = args.mapping or os.path.join(args.data, default_mapping)
    try:
        mapping = intake.Mapping.load(mapping_path, args.data if not args.mapping else None, allowed=allowed)
    except ValueError as exc:
        raise UsageError(str(exc))
    try:
        return mapping, read_regular(args.csv, MAX_CSV_BYTES)
    except Refused as exc:
        raise UsageError(f"{args.csv}: {exc.message}")


def cmd_import(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "import"):
        return 1
    mapping, raw = _mapping_and_export(args, intake.MAPPING_NAME, intake.MAPPABLE)
    if args.map:
        return _write_starting_mapping(args, raw, catalog, mapping)
    shown_csv = args.csv
    today = args.today or dt.date.today()
    outcome = intake.import_rows(raw, shown_csv, catalog, mapping, today, args.date_order)
    for problem in sorted(outcome.problems + outcome.notes):
        print(problem)
    if args.dry_run and outcome.unmapped:
        print(f"columns that feed no field (kept under internal.screening): {', '.join(outcome.unmapped)}")
    written = failed = 0
    for slug, text in outcome.written.items():
        target = os.path.join(args.data, f"{slug}.yml")
        if args.dry_run:
            print(f"--- would write {_shown(target)}")
            print(text)
            continue
        try:
            write_inside(args.data, target, text.encode("utf-8"))
        except FileExistsError:
            print(f"{_shown(target)}:1: file: appeared while importing; row not imported")
            failed += 1
            continue
        written += 1
        print(f"wrote {_shown(target)}" + (" (a hidden draft with problems to settle: internal.import_problems)" if slug in outcome.drafts else ""))
    # One line per row: what happened to it, and what a person has to do.
    for line, what, detail in outcome.rows:
        print(f"line {line}: {what}" + (f": {detail}" if detail else ""))
    verb = "would import" if args.dry_run else "imported"
    count = len(outcome.written) if args.dry_run else written
    drafts = len(outcome.drafts)
    print(f"{verb} {count} row(s), {drafts} of them needing a person; {len(outcome.problems) + failed} reported; "
          f"{outcome.empty_rows} empty row(s) ignored.", file=sys.stderr)
    # 0: everything imported as it was given; 1: something needs a person (a draft to settle, a row skipped or refused).
    return 1 if outcome.needs_a_person or failed else 0


def _write_starting_mapping(args, raw: bytes, catalog: Catalog, known) -> int:
    """`import --map`: a mapping file for this export's own column titles and answers, to check and edit."""
    try:
        text, columns = intake.starting_mapping(raw, args.csv, catalog, known)
    except ValueError as exc:
        raise UsageError(str(exc))
    stem = slugify(os.path.splitext(os.path.basename(args.csv))[0], max_length=40) or "form"
    target = args.map_out or os.path.join(args.data, "templates", f"intake-mapping.{stem}.yml")
    if "name" not in columns.values():
        print(f"{args.csv}:1: header: no column looks like the partner's name; write its title under fields: name in the mapping")
    if args.dry_run:
        sys.stdout.write(text)
        return 0
    try:
        if os.path.abspath(target).startswith(os.path.abspath(args.data) + os.sep):
            write_inside(args.data, target, text.encode("utf-8"))
        else:
            write_output(args.data, target, text.encode("utf-8"), _shown(target))
    except FileExistsError:
        raise UsageError(f"{_shown(target)} exists; edit it, or name another file with --map-out")
    except Refused as exc:
        raise UsageError(f"--map-out: {exc.message}")
    except OSError as exc:
        raise CommandError(f"{_shown(target)}: {exc.strerror or exc}")
    for title, target_field in columns.items():
        print(f"{title!r} -> {target_field}")
    print(f"wrote {_shown(target)}: check it, then run: portal import {args.csv} --mapping {_shown(target)}", file=sys.stderr)
    return 0


def cmd_corrections(args) -> int:
    """Read the correction form's export; show each partner's changes; apply those accepted, in place."""
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "corrections"):
        return 1
    mapping, raw = _mapping_and_export(args, corrections.MAPPING_NAME, None)
    if "slug" not in mapping.fields:
        raise UsageError(f"{args.mapping or corrections.MAPPING_NAME}: fields: needs slug (the column with the profile's slug or address)")
    today = args.today or dt.date.today()
    files = {}
    for slug in catalog.partners:
        path = os.path.join(args.data, slug + ".yml")
        if os.path.isfile(path):
            files[slug] = read_inside(args.data, path, MAX_PARTNER_BYTES).decode("utf-8")
    found = corrections.review(raw, args.csv, catalog, files, mapping)
    for problem in found.problems:
        print(problem)
    only = {key for value in (args.only or []) for key in value.split(",") if key}
    failed = bool(found.problems)
    for slug, changes in found.changes.items():
        path = os.path.join(args.data, slug + ".yml")
        print(f"{slug} ({_shown(path)}), from line {', '.join(str(n) for n in sorted({c.line for c in changes}))} of {args.csv}:")
        for change in changes:
            print(f"  {change.path}: {yamledit.render(change.before) if change.before is not None else '(empty)'} -> {yamledit.render(change.after)}")
        if not args.apply:
            continue
        accepted = [c for c in changes if (c.key in only or slug in only) if only] if only else changes
        if not only and sys.stdin.isatty():
            accepted = [c for c in changes if input(f"  apply {c.path}? [y/N] ").strip().lower() in ("y", "ya", "yes")]
        if not accepted:
            print("  nothing accepted; the file is unchanged")
            continue
        when = min(found.received.get(slug, today), today)
        new = corrections.apply(files[slug], accepted, when)
        errors = corrections.check(catalog, slug, catalog.partners[slug].path, new, today)
        if errors:
            for problem in sorted(errors):
                print(f"  {problem}")
            print("  not applied: the file would not be valid after these changes")
            failed = True
            continue
        write_inside(args.data, path, new.encode("utf-8"), replace=True)
        print(f"  applied {len(accepted)} change(s); last_verified: {when.isoformat()}")
    if not found.changes and not found.problems:
        print("No correction differs from the partner files.")
    elif not args.apply:
        print("Nothing written. Apply with --apply (every change shown) or --apply --only SLUG:FIELD,… (those named).", file=sys.stderr)
    return 1 if failed else 0


def cmd_report(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "report"):
        return 1
    settings = _settings(args.config)
    ending = settings.ending_soon_days if args.ending_days is None else args.ending_days
    stale = settings.stale_days if args.stale_days is None else args.stale_days
    result = report.build_report(catalog, args.today or dt.date.today(), ending_days=ending, stale_days=stale)
    getattr(sys.stdout, "write_export", sys.stdout.write)(report.FORMATS[args.format](result))
    return 0


def cmd_mou(args) -> int:
    catalog = load_catalog(args.data)
    if args.slug not in catalog.partners:
        known = [p for p in catalog.report.errors if p.path.endswith((f"/{args.slug}.yml", f"/{args.slug}.yaml"))]
        for problem in known:
            print(problem)
        if not known:
            raise UsageError(f"no partner {args.slug!r} (see: portal list)")
        return 1
    settings = _settings(args.config)
    try:
        text = agreement.draft(catalog, args.slug, settings.organisation, settings.contact_email, args.lang, args.today, args.counterpart)
    except agreement.PartiesError as exc:
        raise UsageError(str(exc))
    except jinja2.TemplateError as exc:
        raise CommandError(f"the agreement template cannot be used: {exc}")
    if args.html:
        name = catalog.partners[args.slug].data.name
        text = agreement.to_html(text, args.lang, f"MoU – {name}")
    if args.output:
        try:
            write_output(args.data, args.output, text.encode("utf-8"), _shown(args.output))
        except Refused as exc:
            raise UsageError(f"-o: {exc.message}")
        print(f"wrote {_shown(args.output)}")
    else:
        sys.stdout.write(text)
    return 0


def _partner_file(args, catalog: Catalog) -> tuple[str, str]:
    """The path and text of the partner named by args.slug: a usage error when there is none."""
    record = catalog.partners.get(args.slug)
    if record is None:
        raise UsageError(f"no partner {args.slug!r} (see: portal list)")
    path = next((os.path.join(args.data, args.slug + ext) for ext in (".yml", ".yaml") if os.path.isfile(os.path.join(args.data, args.slug + ext))), None)
    if path is None:
        raise CommandError(f"{args.slug}: its file is not a plain .yml file in {_shown(args.data)}")
    return path, read_inside(args.data, path, MAX_PARTNER_BYTES).decode("utf-8")


def _write_edit(args, catalog: Catalog, path: str, new: str, today: dt.date, what: str) -> int:
    """Write an edited partner file after checking it as `validate` would; nothing is written otherwise."""
    _, problems = check_new_partner(catalog, args.slug, new, today, replacing=catalog.partners[args.slug].path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for problem in sorted(errors):
            print(problem)
        raise CommandError(f"the file would not be valid after this change; nothing was written")
    write_inside(args.data, path, new.encode("utf-8"), replace=True)
    print(f"{_shown(path)}: {what}")
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
        print(f"No published profile is due for a check (last checked within {days} days).")
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
            raise UsageError(f"--out: {exc.message}")
    for m in found:
        last = m.last_verified or "never"
        to = m.to_email or (f"WhatsApp {m.to_whatsapp} (whatsapp.txt)" if m.by_whatsapp else "NO ADDRESS OR MOBILE NUMBER: send by hand")
        print(f"{m.slug}: last checked {last}; to {to}")
        if not args.dry_run and not m.by_whatsapp:
            write_inside(folder, os.path.join(folder, f"{m.slug}.eml"), verify.eml(m, settings, today), replace=True)
    if not args.dry_run:
        write_inside(folder, os.path.join(folder, "mail-merge.csv"), verify.merge_csv(found).encode("utf-8"), replace=True)
        chats = sum(1 for m in found if m.by_whatsapp)
        if chats:
            write_inside(folder, os.path.join(folder, "whatsapp.txt"), verify.whatsapp_list(found).encode("utf-8"), replace=True)
        print(f"wrote {len(found) - chats} e-mail draft(s), {chats} WhatsApp message(s) (whatsapp.txt) and mail-merge.csv to {_shown(folder)}",
              file=sys.stderr)
    else:
        print(f"{len(found)} profile(s) due for a check; nothing written (--dry-run)", file=sys.stderr)
    return 0


def cmd_verified(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "verified"):
        return 1
    today = dt.date.today() if args.today is None else args.today
    when = args.date or today
    if when > today:
        raise UsageError(f"--date {when.isoformat()} is in the future")
    path, text = _partner_file(args, catalog)
    try:
        new = yamledit.set_value(text, "last_verified", when)
    except yamledit.EditError as exc:
        raise CommandError(f"{_shown(path)}: {exc}")
    if new == text:
        print(f"{_shown(path)}: last_verified is already {when.isoformat()}")
        return 0
    return _write_edit(args, catalog, path, new, today, f"last_verified: {when.isoformat()}")


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
        raise CommandError(f"{_shown(path)}: {exc}")
    return _write_edit(args, catalog, path, new, today, f"activity added: {item['title']} ({item['date'].isoformat()})")


def cmd_doctor(args) -> int:
    settings = _settings(args.config)
    catalog = load_catalog(args.data)
    findings = doctor.check(args.config, settings, catalog)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} thing(s) to change before the site goes live.", file=sys.stderr)
        return 1
    print("Ready to go live: addresses, contact and intake are set, the data is valid and holds no template text.")
    return 0


def cmd_render(args) -> int:
    from ..adapters.folder import RenderError, project_files, write_folder
    from ..core.problems import DataError

    try:
        files = project_files(args.config)
        count = write_folder(os.path.abspath(args.out), files)
    except DataError as exc:
        for line in exc.report.lines(notes=False):
            print(line)
        raise CommandError("the data has errors; nothing was rendered (see validate)")
    except (ValueError, RenderError) as exc:
        raise UsageError(str(exc))
    except OSError as exc:
        raise CommandError(f"{exc.filename or args.out}: {exc.strerror or exc}")
    configs = sorted((name for name in files if "/" not in name and name.endswith(".yml")), key=lambda n: (n != "mkdocs.yml", n))
    builds = " && ".join("zensical build" + ("" if name == "mkdocs.yml" else f" -f {name}") for name in configs)
    print(f"wrote {count} files into {_shown(args.out)}: one configuration (without the hook) and one docs folder per edition"
          f" ({', '.join(configs)}), and the overriding templates;")
    print(f"build every edition with another engine, the main one first, e.g.: cd {_shown(args.out)} && {builds}")
    return 0


def _settings(config_path: str):
    try:
        return settings_from_mkdocs(config_path)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{config_path}: {exc}")


def _shown(path: str) -> str:
    """A path as the user would type it: relative to the current folder when it is below it."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith("..") else rel


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal",
        description="Staff commands for the partner portal's data (partners/*.yml).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("validate", help="check every data file; exit 0 when valid, 1 with messages when not")
    _add_data(p)
    p.add_argument("--today", type=_date, default=None, help="date to check last_verified against (default: today)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, no notes or summary")
    p.add_argument("--no-cache", action="store_true", help="check every file even when nothing changed since the last run")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", help="write a new, valid partner file to fill in")
    p.add_argument("name", help="the partner's name, e.g. \"Koperasi Tani Makmur\"")
    p.add_argument("--pattern", required=True, help="pattern id, e.g. general-trade")
    p.add_argument("--side", required=True, help="side id within the pattern, e.g. supplier")
    p.add_argument("--province", required=True, help="province, e.g. \"Jawa Barat\"")
    p.add_argument("--summary", help="one-line summary (can be edited later)")
    p.add_argument("--slug", type=_slug, help="file name to use instead of one derived from the name")
    p.add_argument("--visibility", choices=["public", "unlisted", "hidden"], default="hidden", help="default hidden until reviewed")
    _add_data(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("list", help="one line per partner: slug, pattern, side, stage, visibility")
    _add_data(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("schema", help="write partners/partner.schema.json for editors (or --check it is current)")
    p.add_argument("--check", action="store_true", help="exit 1 when the committed schema is stale")
    _add_data(p)
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("import", help="turn an intake form's CSV export into new hidden partner files")
    p.add_argument("csv", help="the responses file (CSV with a header row; , ; or tab; UTF-8 or Windows-1252)")
    p.add_argument("--mapping", metavar="FILE", help="column mapping (default: partners/templates/intake-mapping.yml)")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p.add_argument("--date-order", choices=("dmy", "mdy"), help="day/month order of the timestamps when the file cannot settle it")
    p.add_argument("--today", type=_date, default=None, help="date recorded as imported_on (default: today)")
    p.add_argument("--map", action="store_true",
                   help="import nothing: write a starting mapping for this file's own column titles and answers, to check and edit")
    p.add_argument("--map-out", metavar="FILE", help="where --map writes (default: partners/templates/intake-mapping.<file>.yml; never replaced)")
    _add_data(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("corrections", help="read the correction form's export: each partner's changes, applied in place once accepted")
    p.add_argument("csv", help="the correction form's responses (CSV)")
    p.add_argument("--mapping", metavar="FILE", help="column mapping (default: partners/templates/correction-mapping.yml)")
    p.add_argument("--apply", action="store_true", help="write the changes: each one asked for at a terminal, else all shown, or those --only names")
    p.add_argument("--only", action="append", metavar="SLUG[:FIELD]", help="accept only these changes (comma-separated, repeatable)")
    p.add_argument("--today", type=_date, default=None, help="the day of the check (default: today); last_verified is the response's date")
    _add_data(p)
    p.set_defaults(func=cmd_corrections)

    p = sub.add_parser("report", help="the pipeline and who needs attention today")
    p.add_argument("--today", type=_date, default=None, help="the day to report for (default: today)")
    p.add_argument("--format", choices=sorted(report.FORMATS), default="table", help="table (default), csv, json or md")
    p.add_argument("--ending-days", type=_days, default=None, metavar="N", help="agreements ending within N days (default: extra.portal.ending_soon_days, 60)")
    p.add_argument("--stale-days", type=_days, default=None, metavar="N", help="verification or contact older than N days (default: extra.portal.stale_days, 183)")
    p.add_argument("--config", default=DEFAULT_CONFIG, help="where the portal's settings are (extra.portal)")
    _add_data(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("mou", help="draft a written agreement (MoU) for one partner")
    p.add_argument("slug", type=_slug, help="the partner's slug (file name without .yml)")
    p.add_argument("--lang", choices=agreement.LANGS, default="id", help="id (default) or en")
    p.add_argument("--html", action="store_true", help="a printable HTML page instead of Markdown")
    p.add_argument("--with", dest="counterpart", metavar="SLUG_OR_NAME", type=_argument_text,
                   help="the other side: a partner's slug or a name (default: agreement.counterpart, else the organisation where it is a party)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (outside the data folder) instead of printing")
    p.add_argument("--today", type=_date, default=None, help="the draft's date (default: today)")
    p.add_argument("--config", default=DEFAULT_CONFIG, help="where the organisation's name is set (extra.portal)")
    _add_data(p)
    p.set_defaults(func=cmd_mou)

    p = sub.add_parser("verify", help="write a check-your-profile message to each partner due for one (.eml and a mail-merge CSV)")
    p.add_argument("--days", type=_days, default=None, metavar="N", help="due when last checked more than N days ago (default: extra.portal.stale_days, 183)")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="the messages' language: id (default) or en")
    p.add_argument("--out", metavar="DIR", help="a folder outside the data folder (default: outbox/verify-DATE/ beside it, ignored by git)")
    p.add_argument("--dry-run", action="store_true", help="list who is due, write nothing")
    p.add_argument("--today", type=_date, default=None, help="the day to check against (default: today)")
    p.add_argument("--config", default=DEFAULT_CONFIG, help="the site configuration (site_url, extra.portal)")
    _add_data(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("verified", help="record that a partner checked its profile (sets last_verified, keeps the file's layout)")
    p.add_argument("slug", type=_slug, help="the partner's slug")
    p.add_argument("--date", type=_date, default=None, help="the day it was checked (default: today)")
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=cmd_verified)

    p = sub.add_parser("new-activity", help="add an activity to a partner's file (shown on its page and in the news)")
    p.add_argument("slug", type=_slug, help="the partner's slug")
    p.add_argument("title", type=_text, help="what happened, in a few words")
    p.add_argument("--date", type=_date, default=None, help="when (default: today)")
    p.add_argument("--summary", type=_text, default=None, help="one or two sentences more")
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    _add_data(p)
    p.set_defaults(func=cmd_new_activity)

    p = sub.add_parser("render", help="write the site's pages, exports and logos as a docs folder for any engine (e.g. zensical)")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write (new, empty, or written by render before)")
    p.add_argument("--config", default=DEFAULT_CONFIG, help="the site configuration (mkdocs.yml)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("doctor", help="check that the configuration and data are ready to go live, and say what to change")
    p.add_argument("--config", default=DEFAULT_CONFIG, help="the site configuration to check")
    _add_data(p)
    p.set_defaults(func=cmd_doctor)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is an exit code (0 fine, 1 problems, 2 usage) and lines of text."""
    _utf8_streams()
    saved = _safe_streams()
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    if any("\x00" in arg for arg in (sys.argv[1:] if argv is None else argv)):
        # No path or value may hold a NUL (the system cannot open such a path): one line, not a traceback.
        print("portal: an argument holds a NUL character (\\x00); no path or value can", file=sys.stderr)
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
                what = "is not a folder" if os.path.lexists(args.data) else "no such folder"
                raise UsageError(f"--data {args.data}: {what}")
        return args.func(args)
    except UsageError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    except Refused as exc:
        print(f"{name}: {exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{name}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except (RecursionError, MemoryError) as exc:
        print(f"{name}: the input is too large or too deeply nested ({type(exc).__name__})", file=sys.stderr)
        return 1


def main_exit() -> None:
    """The `portal` console script."""
    sys.exit(main())
