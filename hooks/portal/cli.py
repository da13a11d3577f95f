"""The staff command line: argument parsing and output for each command, over the core modules."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

import yaml
from slugify import slugify

from . import agreement, intake, report, templating
from .catalog import Catalog, load_catalog
from .reference import find_province
from .schema import schema_path, schema_text
from .settings import settings_from_mkdocs

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.join(PROJECT, "partners")


def _utf8_streams() -> None:
    """Read and write UTF-8 whatever the locale says (Windows consoles, LANG=C in CI)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01")


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default=DEFAULT_DATA, metavar="DIR", help="the partners folder to use (default: partners/)")


def _print_report(catalog: Catalog, quiet_notes: bool = False) -> None:
    for line in catalog.report.lines(notes=not quiet_notes):
        print(line)


def cmd_validate(args) -> int:
    if not os.path.isdir(args.data):
        print(f"portal validate: {args.data}: no such folder", file=sys.stderr)
        return 2
    catalog = load_catalog(args.data, today=args.today)
    _print_report(catalog, quiet_notes=args.quiet)
    errors = len(catalog.report.errors)
    if errors:
        print(f"{errors} error{'s' if errors != 1 else ''}; nothing was published.", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"OK: {len(catalog.partners)} partners, {len(catalog.patterns)} patterns, {len(catalog.stages)} stages, {len(catalog.forms)} forms.")
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
    if len(slug) < 2:
        fail.append(f"cannot derive a file name from {args.name!r}; give one with --slug")
    if fail:
        for line in fail:
            print(f"portal new: {line}", file=sys.stderr)
        return 2
    target = os.path.join(args.data, f"{slug}.yml")
    for ext in (".yml", ".yaml"):
        if os.path.exists(os.path.join(args.data, slug + ext)):
            print(f"portal new: {slug}{ext} already exists; nothing was written (use --slug to choose another name)", file=sys.stderr)
            return 1
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
        summary=args.summary or f"{args.name}: ringkasan singkat tentang mitra ini.",
        province=province["name"],
        stage=stage.id,
        stage_label=stage.label.id,
        visibility=args.visibility,
        today=dt.date.today().isoformat(),
    )
    with open(target, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"wrote {os.path.relpath(target)}")
    check = load_catalog(args.data)
    own = [p for p in check.report.errors if p.path.endswith(f"/{slug}.yml")]
    for problem in own:
        print(problem)
    return 1 if own else 0


def cmd_schema(args) -> int:
    catalog = load_catalog(args.data)
    if not catalog.report.ok:
        _print_report(catalog)
        return 1
    text = schema_text(catalog)
    path = schema_path(catalog)
    try:
        with open(path, encoding="utf-8") as fh:
            current = fh.read()
    except FileNotFoundError:
        current = None
    if args.check:
        if current != text:
            print(f"{os.path.relpath(path)} is out of date; run: python scripts/portal.py schema", file=sys.stderr)
            return 1
        print(f"{os.path.relpath(path)} is up to date.")
        return 0
    if current != text:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {os.path.relpath(path)}")
    else:
        print(f"{os.path.relpath(path)} is up to date.")
    return 0


def _refuse_invalid(catalog: Catalog, command: str) -> bool:
    if catalog.report.ok:
        return False
    _print_report(catalog, quiet_notes=True)
    print(f"portal {command}: the data has errors; fix them first (see validate)", file=sys.stderr)
    return True


def cmd_import(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "import"):
        return 1
    mapping_path = args.mapping or os.path.join(args.data, intake.MAPPING_NAME)
    try:
        mapping = intake.Mapping.load(mapping_path)
        with open(args.csv, "rb") as fh:
            raw = fh.read()
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"portal import: {exc}", file=sys.stderr)
        return 2
    shown_csv = os.path.relpath(args.csv) if not os.path.isabs(args.csv) else args.csv
    outcome = intake.import_rows(raw, shown_csv, catalog, mapping, args.today or dt.date.today())
    for problem in sorted(outcome.problems + outcome.notes):
        print(problem)
    for slug, text in outcome.written.items():
        target = os.path.join(args.data, f"{slug}.yml")
        if args.dry_run:
            print(f"--- would write {os.path.relpath(target)}")
            print(text)
            continue
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {os.path.relpath(target)}")
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {len(outcome.written)} row(s); {len(outcome.problems)} reported; {outcome.empty_rows} empty row(s) ignored.", file=sys.stderr)
    if outcome.written and not args.dry_run:
        check = load_catalog(args.data)
        wrong = [p for p in check.report.errors if any(p.path.endswith(f"/{slug}.yml") for slug in outcome.written)]
        for problem in wrong:
            print(problem)
        if wrong:
            return 1
    return 1 if outcome.problems else 0


def cmd_report(args) -> int:
    catalog = load_catalog(args.data)
    if _refuse_invalid(catalog, "report"):
        return 1
    result = report.build_report(catalog, args.today or dt.date.today(), ending_days=args.ending_days, stale_days=args.stale_days)
    sys.stdout.write(report.FORMATS[args.format](result))
    return 0


def cmd_mou(args) -> int:
    catalog = load_catalog(args.data)
    if args.slug not in catalog.partners:
        known = [p for p in catalog.report.errors if p.path.endswith((f"/{args.slug}.yml", f"/{args.slug}.yaml"))]
        for problem in known:
            print(problem)
        if not known:
            print(f"portal mou: no partner {args.slug!r} (see: portal list)", file=sys.stderr)
        return 1 if known else 2
    settings = settings_from_mkdocs(args.config)
    text = agreement.draft(catalog, args.slug, settings.organisation, settings.contact_email, args.lang, args.today)
    if args.html:
        name = catalog.partners[args.slug].data.name
        text = agreement.to_html(text, args.lang, f"MoU – {name}")
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


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
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("new", help="write a new, valid partner file to fill in")
    p.add_argument("name", help="the partner's name, e.g. \"Koperasi Tani Makmur\"")
    p.add_argument("--pattern", required=True, help="pattern id, e.g. general-trade")
    p.add_argument("--side", required=True, help="side id within the pattern, e.g. supplier")
    p.add_argument("--province", required=True, help="province, e.g. \"Jawa Barat\"")
    p.add_argument("--summary", help="one-line summary (can be edited later)")
    p.add_argument("--slug", help="file name to use instead of one derived from the name")
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
    p.add_argument("--today", type=_date, default=None, help="date recorded as imported_on (default: today)")
    _add_data(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("report", help="the pipeline and who needs attention today")
    p.add_argument("--today", type=_date, default=None, help="the day to report for (default: today)")
    p.add_argument("--format", choices=sorted(report.FORMATS), default="table", help="table (default), csv, json or md")
    p.add_argument("--ending-days", type=int, default=60, metavar="N", help="agreements ending within N days (default 60)")
    p.add_argument("--stale-days", type=int, default=183, metavar="N", help="verification or contact older than N days (default 183, about 6 months)")
    _add_data(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("mou", help="draft a written agreement (MoU) for one partner")
    p.add_argument("slug", help="the partner's slug (file name without .yml)")
    p.add_argument("--lang", choices=agreement.LANGS, default="id", help="id (default) or en")
    p.add_argument("--html", action="store_true", help="a printable HTML page instead of Markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--today", type=_date, default=None, help="the draft's date (default: today)")
    p.add_argument("--config", default=os.path.join(PROJECT, "mkdocs.yml"), help="where the organisation's name is set (extra.portal)")
    _add_data(p)
    p.set_defaults(func=cmd_mou)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "data"):
        args.data = os.path.abspath(args.data)
    return args.func(args)
