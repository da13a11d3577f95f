"""The commands over form exports: import (and its starting mapping) and corrections."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from slugify import slugify
from . import corrections, formexport, intake, startmap, verify, yamledit
from ..core.catalog import Catalog
from ..core.safefs import inside, Refused, read_inside, read_regular, write_inside, write_output
from ..core.yamlsource import MAX_BYTES as MAX_PARTNER_BYTES
from ..core.problems import Text
from .data_commands import valid_catalog
from .reporter import CommandError, UsageError, shown_path


MAX_CSV_BYTES = 64 * 1024 * 1024


def mapping_and_export(args, default_mapping: str, allowed) -> tuple:
    """The column mapping (--mapping, or the data folder's default) and the bytes of the export named."""
    mapping_path = args.mapping or os.path.join(args.data, default_mapping)
    try:
        mapping = formexport.Mapping.load(mapping_path, args.data if not args.mapping else None, allowed=allowed)
    except ValueError as exc:
        raise UsageError(exc)
    try:
        return mapping, read_regular(args.csv, MAX_CSV_BYTES)
    except Refused as exc:
        raise UsageError(Text('{csv}: {message}', csv=args.csv, message=exc.message))


def cmd_import(args, reporter) -> int:
    catalog = valid_catalog(reporter, args.data, "import")
    mapping, raw = mapping_and_export(args, intake.MAPPING_NAME, formexport.MAPPABLE)
    if committable(args.csv, os.path.dirname(args.data)):
        reporter.warn(Text("{csv} is inside the repository and git does not ignore it: applicants' personal data could be committed. "
                           "Keep form exports in exports/ (ignored by git) or outside the repository.", csv=shown_path(args.csv)))
    if args.map:
        return _write_starting_mapping(reporter, args, raw, catalog, mapping)
    shown_csv = args.csv
    today = args.today or dt.date.today()
    outcome = intake.import_rows(raw, shown_csv, catalog, mapping, today, args.date_order, gettext=reporter.gettext)
    for problem in sorted(outcome.problems + outcome.notes):
        reporter.say(problem)
    if args.dry_run and outcome.unmapped:
        reporter.say(Text('columns that feed no field (kept under internal.screening): {unmapped}', unmapped=', '.join(outcome.unmapped)))
    written = failed = 0
    for slug, text in outcome.written.items():
        target = os.path.join(args.data, f"{slug}.yml")
        if args.dry_run:
            reporter.say(Text('--- would write {target}', target=shown_path(target)))
            reporter.say(text)
            continue
        try:
            write_inside(args.data, target, text.encode("utf-8"))
        except FileExistsError:
            reporter.say(Text('{target}:1: file: appeared while importing; row not imported', target=shown_path(target)))
            failed += 1
            continue
        written += 1
        if slug in outcome.drafts:
            reporter.say(Text("wrote {target} (a hidden draft with problems to settle: internal.import_problems)", target=shown_path(target)))
        else:
            reporter.say(Text("wrote {target}", target=shown_path(target)))
    # One line per row: what happened to it, and what a person has to do.
    for line, what, detail in outcome.rows:
        if detail:
            reporter.say(Text("line {line}: {what}: {detail}", line=line, what=what, detail=detail))
        else:
            reporter.say(Text("line {line}: {what}", line=line, what=what))
    counts = dict(count=len(outcome.written) if args.dry_run else written, drafts=len(outcome.drafts),
                  reported=len(outcome.problems) + failed, empty=outcome.empty_rows)
    if args.dry_run:
        summary = Text("would import {count} row(s), {drafts} of them needing a person; {reported} reported; {empty} empty row(s) ignored.", **counts)
    else:
        summary = Text("imported {count} row(s), {drafts} of them needing a person; {reported} reported; {empty} empty row(s) ignored.", **counts)
    reporter.warn(summary)
    # 0: everything imported as it was given; 1: something needs a person (a draft to settle, a row skipped or refused).
    return 1 if outcome.needs_a_person or failed else 0


def _write_starting_mapping(reporter, args, raw: bytes, catalog: Catalog, known) -> int:
    """`import --map`: a mapping file for this export's own column titles and answers, to check and edit."""
    try:
        text, columns = startmap.starting_mapping(raw, args.csv, catalog, known, gettext=reporter.gettext)
    except ValueError as exc:
        raise UsageError(exc)
    stem = slugify(os.path.splitext(os.path.basename(args.csv))[0], max_length=40) or "form"
    target = args.map_out or os.path.join(args.data, "templates", f"intake-mapping.{stem}.yml")
    if "name" not in columns.values():
        reporter.say(Text("{csv}:1: header: no column looks like the partner's name; write its title under fields: name in the mapping", csv=args.csv))
    if args.dry_run:
        reporter.write_text(text)
        return 0
    try:
        if os.path.abspath(target).startswith(os.path.abspath(args.data) + os.sep):
            write_inside(args.data, target, text.encode("utf-8"))
        else:
            write_output(args.data, target, text.encode("utf-8"), shown_path(target))
    except FileExistsError:
        raise UsageError(Text('{target} exists; edit it, or name another file with --map-out', target=shown_path(target)))
    except Refused as exc:
        raise UsageError(Text('--map-out: {message}', message=exc.message))
    except OSError as exc:
        raise CommandError(Text("{target}: {reason}", target=shown_path(target), reason=exc.strerror or exc))
    for title, target_field in columns.items():
        reporter.say(Text('{title!r} -> {target_field}', title=title, target_field=target_field))
    reporter.warn(Text('wrote {target}: check it, then run: portal import {csv} --mapping {target}', target=shown_path(target), csv=args.csv))
    return 0


def cmd_corrections(args, reporter) -> int:
    """Read the correction form's export; show each partner's changes; apply those accepted, in place."""
    catalog = valid_catalog(reporter, args.data, "corrections")
    mapping, raw = mapping_and_export(args, corrections.MAPPING_NAME, None)
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
        reporter.say(problem)
    only = {key for value in (args.only or []) for key in value.split(",") if key}
    failed = bool(found.problems)
    for slug in sorted(set(found.changes) | set(found.words) | set(found.confirmed)):
        when = min(found.received.get(slug, today), today)
        changes, words = found.changes.get(slug, []), found.words.get(slug, [])
        if changes:
            failed = _settle(reporter, args, catalog, files, slug, changes, only, when, today) or failed
        elif words or slug in found.confirmed:
            reporter.say(Text('{slug} ({path}):', slug=slug, path=shown_path(os.path.join(args.data, slug + ".yml"))))
        for line, title, text in words:  # what no field takes, for staff to read: the partner's own words
            reporter.say(Text('  in its own words (line {line}, {title}): {text}', line=line, title=title, text=text))
        if slug in found.confirmed and not changes:
            failed = _confirm(reporter, args, catalog, files, slug, found.confirmed[slug], when, today) or failed
    if not found.changes and not found.problems and not found.words and not found.confirmed:
        reporter.say(Text("No correction differs from the partner files."))
    elif not args.apply:
        reporter.warn(Text("Nothing written. Apply with --apply (every change shown) or --apply --only SLUG:FIELD,… (those named)."))
    return 1 if failed else 0


def _settle(reporter, args, catalog: Catalog, files: dict[str, str], slug: str, changes: list, only: set[str], when: dt.date, today: dt.date) -> bool:
    """Show one partner's changes and, with --apply, write those accepted (asked one by one at a terminal,
    or named by --only) when the file stays valid; True when they could not be applied."""
    path = os.path.join(args.data, slug + ".yml")
    reporter.say(Text('{slug} ({path}), from line {value} of {csv}:', slug=slug, path=shown_path(path), value=', '.join(str(n) for n in sorted({c.line for c in changes})), csv=args.csv))
    for change in changes:
        before = yamledit.render(change.before) if change.before is not None else Text("(empty)")
        reporter.say(Text("  {field}: {before} -> {after}", field=change.path, before=before, after=yamledit.render(change.after)))
    if not args.apply:
        return False
    accepted = [c for c in changes if (c.key in only or slug in only) if only] if only else changes
    if not only and sys.stdin.isatty():
        accepted = [c for c in changes if reporter.confirm(Text("  apply {field}? [y/N] ", field=c.path))]
    if not accepted:
        reporter.say(Text("  nothing accepted; the file is unchanged"))
        return False
    try:
        new = corrections.apply(files[slug], accepted, when)
        errors = corrections.check(catalog, slug, catalog.partners[slug].path, new, today)
    except yamledit.EditError as exc:  # an alias, a list with comments: not changed behind staff's back
        errors = [exc]
    if errors:
        for problem in sorted(errors, key=str):
            reporter.say(Text('  {problem}', problem=problem))
        reporter.say(Text("  not applied: the file would not be valid after these changes"))
        return True
    write_inside(args.data, path, new.encode("utf-8"), replace=True, expected=files[slug].encode("utf-8"))
    reporter.say(Text('  applied {count} change(s); last_verified: {date}', count=len(accepted), date=when.isoformat()))
    return False


def _confirm(reporter, args, catalog: Catalog, files: dict[str, str], slug: str, line: int, when: dt.date, today: dt.date) -> bool:
    """The partner says its profile is right: with --apply, last_verified records the day it said so."""
    reporter.say(Text("  the profile is right, the partner says (line {line})", line=line))
    if not args.apply:
        return False
    path = os.path.join(args.data, slug + ".yml")
    new, errors = verify.record(catalog, slug, catalog.partners[slug].path, files[slug], when, today)
    if errors:
        for problem in errors:
            reporter.say(Text('  {problem}', problem=problem))
        return True
    write_inside(args.data, path, new.encode("utf-8"), replace=True, expected=files[slug].encode("utf-8"))
    reporter.say(Text('  last_verified: {date}', date=when.isoformat()))
    return False


def committable(path: str, project: str) -> bool:
    """Whether a file inside the project's git repository would be committed (git does not ignore it); False
    outside a repository, or where git cannot be asked."""
    if not inside(project, os.path.abspath(path)):
        return False
    try:
        asked = subprocess.run(["git", "-C", project, "check-ignore", "-q", "--", os.path.abspath(path)], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return asked.returncode == 1  # 0: ignored; 128: not a repository
