"""The commands over the partner files: validate, list, new, schema, form, report, mou, verify, verified, new-activity."""

# Each command imports its own tools where it runs (the form writer, the agreement's drafting, the mail
# merge, the file editor): `validate` and `list` start without them, about a quarter of a second sooner.

from __future__ import annotations

import datetime as dt
import os
from . import checkcache
from ..core.catalog import Catalog, check_new_partner, check_slug, load_catalog
from ..core.verdicts import check_catalog
from ..core.reference import find_province
from ..core.safefs import Refused, output_folder, read_inside, read_regular, write_inside, write_output
from ..core.settings import read_mkdocs_config, settings_from_mkdocs
from ..core.yamlsource import MAX_BYTES as MAX_PARTNER_BYTES
from ..core.problems import Text, joined, said
from .reporter import CommandError, InvalidData, UsageError, shown_path


def load_settings(config_path: str):
    try:
        return settings_from_mkdocs(config_path)
    except (TypeError, ValueError) as exc:
        raise UsageError(Text('{config_path}: {exc}', config_path=config_path, exc=exc))


def valid_catalog(reporter, data: str, command: str) -> Catalog:
    """The catalog of the data folder; when it has errors, they are said and the command stops (exit 1)."""
    catalog = load_catalog(data)
    if not catalog.report.ok:
        reporter.problems(catalog.report, notes=False)
        reporter.warn(Text('portal {command}: the data has errors; fix them first (see validate)', command=command))
        raise InvalidData(command)
    return catalog


def cmd_validate(args, reporter) -> int:
    today = args.today or dt.date.today()
    gettext = reporter.gettext
    key = None if args.no_cache else checkcache.fingerprint(args.data, today, reporter.language)
    outcome = checkcache.load(args.data, key) if key else None
    if outcome is None:
        catalog, valid = check_catalog(args.data, today=today)
        report = catalog.report
        summary = Text("OK: {partners} partners, {patterns} patterns, {stages} stages, {forms} forms.", partners=valid,
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
        reporter.say(line)
    errors = len(lines.get("errors", []))
    if errors:
        reporter.warn(Text("{errors} error(s); nothing was published.", errors=errors))
        return 1
    if not args.quiet:
        reporter.say(outcome.get("summary") or Text("OK"))
    return 0


def cmd_list(args, reporter) -> int:
    catalog = load_catalog(args.data)
    rows = [("slug", "pattern", "side", "stage", "visibility")]
    for slug, rec in sorted(catalog.partners.items()):
        rows.append((slug, rec.data.pattern, rec.data.side or "-", catalog.stage_of(rec), rec.data.visibility))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        reporter.say("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if not catalog.report.ok:
        reporter.warn(Text('({count} invalid files left out; run validate)', count=len(catalog.report.errors)))
        return 1
    return 0


def _named(args, catalog: Catalog) -> tuple[list, str | None, str | None, dict | None, str | None]:
    """The pattern, side, province and kind `new` was given, by their names in either language or their ids:
    (what could not be read, pattern id, side id, province, kind id)."""
    from . import formexport

    fail = []
    pattern_id, why = formexport.match(args.pattern, *formexport.pattern_names(catalog, formexport.NO_MAPPING))
    pattern = catalog.patterns.get(pattern_id)
    side_id = None
    if pattern is None:
        fail.append(Text("--pattern: {why}; choose one of: {patterns}", why=why, patterns=", ".join(f"{p.name.id} ({pid})" for pid, p in catalog.patterns.items())))
    else:
        side_id, why = formexport.match(args.side, *formexport.side_names(catalog, formexport.NO_MAPPING, pattern_id))
        if side_id is None:
            fail.append(Text("--side: {why}; a side of {pattern} is {one} or {other}", why=why, pattern=pattern.name.id,
                             one=pattern.sides[0].label.id, other=pattern.sides[1].label.id))
    province_name, why = formexport.match(args.province, *formexport.province_names(formexport.NO_MAPPING))
    province = find_province(province_name) if province_name else None
    if province is None:
        fail.append(Text("--province: {why}", why=why))
    kind = None
    if args.kind:
        kind, why = formexport.match(args.kind, *formexport.kind_names(formexport.NO_MAPPING))
        if kind is None:
            fail.append(Text("--kind: {why}; choose one of: {kinds}", why=why, kinds=", ".join(names[0] for names in formexport.KINDS.values())))
    return fail, pattern_id, side_id, province, kind


def cmd_new(args, reporter) -> int:
    from slugify import slugify

    from ..render import templating

    catalog = load_catalog(args.data)
    fail, pattern_id, side_id, province, kind = _named(args, catalog)
    slug = args.slug or slugify(args.name, max_length=64, word_boundary=True)
    if check_slug(slug):
        fail.append(Text("cannot derive a file name from {name!r} ({problem}); give one with --slug", name=args.name, problem=check_slug(slug)))
    if fail:
        raise UsageError(joined(fail))
    target = os.path.join(args.data, f"{slug}.yml")
    for ext in (".yml", ".yaml"):
        if os.path.lexists(os.path.join(args.data, slug + ext)):
            raise CommandError(Text("{file} already exists; nothing was written (use --slug to choose another name)", file=slug + ext))
    pattern = catalog.patterns[pattern_id]
    side = next(s for s in pattern.sides if s.id == side_id)
    other = next(s for s in pattern.sides if s.id != side_id)
    stage = catalog.stages[0]
    text = templating.render(
        "new-partner.yml.j2",
        slug=slug,
        name=args.name,
        pattern=pattern_id,
        pattern_name=pattern.name.id,
        side=side_id,
        side_label=side.label.id,
        other_side=other.id,
        other_side_label=other.label.id,
        kind=kind,
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
            reporter.say(problem)
        raise CommandError(Text('the new file would not be valid; nothing was written'))
    write_inside(args.data, target, text.encode("utf-8"))
    reporter.say(Text('wrote {target}', target=shown_path(target)))
    return 0


def cmd_schema(args, reporter) -> int:
    from .schema import schema_path, schema_text

    catalog = load_catalog(args.data)
    if not catalog.report.ok:
        reporter.problems(catalog.report)
        return 1
    text = schema_text(catalog)
    path = schema_path(catalog)
    try:
        current = read_regular(path, 4 * 1024 * 1024).decode("utf-8", errors="replace")
    except Refused:
        current = None
    if args.check:
        if current != text:
            reporter.warn(Text('{path} is out of date; run: python scripts/portal.py schema', path=shown_path(path)))
            return 1
        reporter.say(Text('{path} is up to date.', path=shown_path(path)))
        return 0
    if current != text:
        write_inside(args.data, path, text.encode("utf-8"), replace=True)
        reporter.say(Text('wrote {path}', path=shown_path(path)))
    else:
        reporter.say(Text('{path} is up to date.', path=shown_path(path)))
    return 0


def cmd_form(args, reporter) -> int:
    """The intake form as an XLSForm for KoboToolbox or ODK, from the data's patterns and sides."""
    from . import intakeform

    catalog = load_catalog(args.data)
    if not catalog.report.ok:
        reporter.problems(catalog.report)
        return 1
    settings = load_settings(args.config)
    data = intakeform.form_bytes(catalog, settings.organisation, args.today or dt.date.today())
    try:
        write_output(args.data, args.output, data, shown_path(args.output))
    except Refused as exc:
        raise UsageError(Text('-o: {message}', message=exc.message))
    reporter.say(Text("wrote {output}: upload it to KoboToolbox (or ODK Central); its export is read by `portal import` as it is", output=shown_path(args.output)))
    return 0


def cmd_report(args, reporter) -> int:
    from . import report

    catalog = valid_catalog(reporter, args.data, "report")
    settings = load_settings(args.config)
    ending = settings.ending_soon_days if args.ending_days is None else args.ending_days
    stale = settings.stale_days if args.stale_days is None else args.stale_days
    result = report.build_report(catalog, args.today or dt.date.today(), ending_days=ending, stale_days=stale, language=reporter.language,
                                 reply_days=settings.reply_days)
    reporter.write_export(report.FORMATS[args.format](result, reporter.gettext))
    return 0


def cmd_mou(args, reporter) -> int:
    import jinja2

    from . import agreement

    catalog = load_catalog(args.data)
    if args.slug not in catalog.partners:
        known = [p for p in catalog.report.errors if p.path.endswith((f"/{args.slug}.yml", f"/{args.slug}.yaml"))]
        for problem in known:
            reporter.say(problem)
        if not known:
            raise UsageError(Text('no partner {slug!r} (see: portal list)', slug=args.slug))
        return 1
    settings = load_settings(args.config)
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
            write_output(args.data, args.output, text.encode("utf-8"), shown_path(args.output))
        except Refused as exc:
            raise UsageError(Text('-o: {message}', message=exc.message))
        reporter.say(Text('wrote {output}', output=shown_path(args.output)))
    else:
        reporter.write_text(text)
    return 0


def partner_file(args, catalog: Catalog) -> tuple[str, str]:
    """The path and text of the partner named by args.slug: a usage error when there is none."""
    record = catalog.partners.get(args.slug)
    if record is None:
        raise UsageError(Text('no partner {slug!r} (see: portal list)', slug=args.slug))
    path = next((os.path.join(args.data, args.slug + ext) for ext in (".yml", ".yaml") if os.path.isfile(os.path.join(args.data, args.slug + ext))), None)
    if path is None:
        raise CommandError(Text('{slug}: its file is not a plain .yml file in {data}', slug=args.slug, data=shown_path(args.data)))
    return path, read_inside(args.data, path, MAX_PARTNER_BYTES).decode("utf-8")


def write_edit(reporter, args, catalog: Catalog, path: str, old: str, new: str, today: dt.date, what: str) -> int:
    """Write an edited partner file after checking it as `validate` would, and only while it still holds
    `old` (what the command read); nothing is written otherwise."""
    _, problems = check_new_partner(catalog, args.slug, new, today, replacing=catalog.partners[args.slug].path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        for problem in sorted(errors):
            reporter.say(problem)
        raise CommandError(Text('the file would not be valid after this change; nothing was written'))
    write_inside(args.data, path, new.encode("utf-8"), replace=True, expected=old.encode("utf-8"))
    reporter.say(Text('{path}: {what}', path=shown_path(path), what=what))
    return 0


def cmd_verify(args, reporter) -> int:
    from . import verify

    from ..core.public import build_public_site

    catalog = valid_catalog(reporter, args.data, "verify")
    settings = load_settings(args.config)
    today = args.today or dt.date.today()
    days = settings.stale_days if args.days is None else args.days
    slugs = verify.due(catalog, today, days)
    if not slugs:
        reporter.say(Text('No published profile is due for a check (last checked within {days} days).', days=days))
        return 0
    config = read_mkdocs_config(args.config) if os.path.isfile(args.config) else {}
    site_url = str(config.get("site_url") or "")
    site = build_public_site(catalog, today, settings.ending_soon_days, parallel=False)
    found = verify.messages(catalog, site, slugs, settings, site_url, args.lang)
    folder = os.path.abspath(args.out) if args.out else verify.outbox(args.data, today)
    if not args.dry_run:
        # Messages hold contact details: a folder outside the data, made here, that keeps itself out of git.
        try:
            folder = output_folder(args.data, folder, shown_path(folder), "messages")
        except Refused as exc:
            raise UsageError(Text('--out: {message}', message=exc.message))
    for m in found:
        reporter.say(Text('{slug}: last checked {last}; to {to}', slug=m.slug, last=m.last_verified or Text("never"), to=_verify_channel(m)))
        if not args.dry_run and m.to_email:
            write_inside(folder, os.path.join(folder, f"{m.slug}.eml"), verify.eml(m, settings, today), replace=True)
    if not args.dry_run:
        write_inside(folder, os.path.join(folder, "mail-merge.csv"), verify.merge_csv(found).encode("utf-8"), replace=True)
        chats, calls = sum(1 for m in found if m.by_whatsapp), sum(1 for m in found if m.by_call)
        if chats:
            write_inside(folder, os.path.join(folder, "whatsapp.txt"), verify.whatsapp_list(found).encode("utf-8"), replace=True)
        if calls:
            write_inside(folder, os.path.join(folder, "calls.txt"), verify.call_list(found, reporter.gettext).encode("utf-8"), replace=True)
        reporter.warn(Text('wrote {value} e-mail draft(s), {chats} WhatsApp message(s) (whatsapp.txt), {calls} call(s) to make (calls.txt) and mail-merge.csv to {folder}',
                           value=len(found) - chats - calls, chats=chats, calls=calls, folder=shown_path(folder)))
    else:
        reporter.warn(Text('{count} profile(s) due for a check; nothing written (--dry-run)', count=len(found)))
    return 0


def _verify_channel(m) -> Text | str:
    """How one partner is asked: its address, WhatsApp, or a call (with its number, or in person)."""
    if m.to_email:
        return m.to_email
    if m.by_whatsapp:
        return Text("WhatsApp {number} (whatsapp.txt)", number=m.to_whatsapp)
    if m.to_phone:
        return Text("a call to {number} (calls.txt)", number=m.to_phone)
    return Text("no address or number: ask in person (calls.txt)")


def cmd_verified(args, reporter) -> int:
    from . import yamledit

    catalog = valid_catalog(reporter, args.data, "verified")
    today = dt.date.today() if args.today is None else args.today
    when = args.date or today
    if when > today:
        raise UsageError(Text('--date {date} is in the future', date=when.isoformat()))
    path, text = partner_file(args, catalog)
    try:
        new = yamledit.set_value(text, "last_verified", when)
    except yamledit.EditError as exc:
        raise CommandError(Text('{path}: {exc}', path=shown_path(path), exc=exc))
    if new == text:
        reporter.say(Text('{path}: last_verified is already {date}', path=shown_path(path), date=when.isoformat()))
        return 0
    return write_edit(reporter, args, catalog, path, text, new, today, Text("last_verified: {date}", date=when.isoformat()))


def cmd_new_activity(args, reporter) -> int:
    from . import yamledit

    catalog = valid_catalog(reporter, args.data, "new-activity")
    today = dt.date.today() if args.today is None else args.today
    item = {"title": args.title.strip(), "date": args.date or today}
    if args.summary:
        item["summary"] = args.summary.strip()
    path, text = partner_file(args, catalog)
    try:
        new = yamledit.append_item(text, "activities", item)
    except yamledit.EditError as exc:
        raise CommandError(Text('{path}: {exc}', path=shown_path(path), exc=exc))
    return write_edit(reporter, args, catalog, path, text, new, today, Text("activity added: {title} ({date})", title=item["title"], date=item["date"].isoformat()))
