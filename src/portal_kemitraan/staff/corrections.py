"""Corrections that come back: the correction form's export read against the partner files, field by field."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re

import yaml
from dataclasses import dataclass, field

from ..core.catalog import Catalog, check_new_partner
from ..core.problems import Problem
from ..core.published import correctable
from . import formexport, yamledit
from ..core.problems import Text

MAPPING_NAME = os.path.join("templates", "correction-mapping.yml")
MAX_ANSWER = 20_000  # characters of one answer: the longest field (a description) is 20,000
# What a partner may correct on its own profile: published values only. A column mapped to anything else
# (internal notes, visibility, stage, the contact person, who must consent) is reported, never applied.
CORRECTABLE = correctable()  # declared with the public fields (core/published.py)


@dataclass
class Change:
    """One field of one partner: the value in the file now and the value the correction asks for."""

    slug: str
    path: str
    before: object
    after: object
    line: int  # the row of the export it comes from

    @property
    def key(self) -> str:
        return f"{self.slug}:{self.path}"


@dataclass
class Review:
    """What an export asks for: the changes, per partner, and what cannot be applied."""

    changes: dict[str, list[Change]] = field(default_factory=dict)  # slug -> changes, in file order
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    received: dict[str, dt.date] = field(default_factory=dict)  # slug -> the date of its latest correction
    words: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # slug -> (line, column, answer) no field takes
    confirmed: dict[str, int] = field(default_factory=dict)  # slug -> the line where the partner said the profile is right


# What a partner writes when the profile is right (folded: no case, accents or punctuation).
ALL_CORRECT = frozenset({"sudah benar", "sudah benar semua", "benar semua", "semua benar", "semua sudah benar", "sudah sesuai", "sesuai",
                         "semua sesuai", "tidak ada yang keliru", "tidak ada perubahan", "benar", "ya sudah benar", "all correct",
                         "everything is correct", "it is correct", "correct", "no changes", "nothing to change"})


def _current(data, path: str):
    for key in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _value(path: str, answer: str, mapping: formexport.Mapping):
    """A form's answer as the field's value, read as the import reads it (a province's short name, a list)."""
    if path == "sectors":
        return [s.strip() for s in re.split(r"[,;\n]", answer) if s.strip()][:20]
    if path == "region.province":
        found, _ = formexport.match(answer, *formexport.province_names(mapping))
        return found or answer
    if path == "kind":
        found, _ = formexport.match(answer, formexport.named_table(formexport.KINDS, mapping.values.get("kind", {})), {k: k for k in formexport.KINDS})
        return found or answer
    if path == "website" and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", answer):
        return "https://" + answer
    if path in ("contact.phone", "contact.whatsapp"):
        from ..core.fieldtypes import phone_number

        try:
            return phone_number(answer)  # stored as +62…, so "0812 …" and "+62 812 …" are the same number
        except ValueError:
            return answer  # the check says what is wrong when it is applied
    return answer


def review(raw: bytes, csv_name: str, catalog: Catalog, files: dict[str, str], mapping: formexport.Mapping) -> Review:
    """Read a correction form's export: for each row, the partner it names (by slug) and each answered field
    that differs from the file. `files` holds each partner file's text by slug (read by the caller)."""
    out = Review()
    csv.field_size_limit(max(csv.field_size_limit(), len(raw) + 1))  # a long answer is reported by its row, not by the reader
    text, _, _ = formexport.decode(raw)
    reader = formexport.rows_of(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        out.problems.append(Problem(csv_name, 1, "file", Text("has no header row")))
        return out
    columns, received_col = formexport.header_columns(header, mapping, formexport.fold)
    columns = dict(sorted(columns.items(), key=lambda kv: kv[1]))
    if "slug" not in columns and "name" not in columns:
        out.problems.append(Problem(csv_name, 1, "header", Text("no column with the profile's slug; expected one of: {value}", value=', '.join(mapping.fields.get('slug', [])))))
        return out
    placed = set(columns.values()) | ({received_col} if received_col is not None else set())
    free = {i: h.strip() or f"column {i + 1}" for i, h in enumerate(header) if i not in placed}  # the partner's own words
    order = formexport.file_date_order(text, received_col, None)[0] if received_col is not None else None
    line = reader.line_num + 1
    pending: dict[str, dict[str, tuple[tuple, Change]]] = {}
    names = _partner_names(catalog)  # the partners by name, once: a row without a profile code is matched against it
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # malformed quoting: the rest of the file cannot be read row by row
            out.problems.append(Problem(csv_name, line, "row", Text("cannot be read as CSV ({error}); this row and the ones after it were not read", error=str(exc))))
            break
        row_line, line = line, reader.line_num + 1
        slug, by_name = _partner_of(out, row, row_line, columns, csv_name, catalog, files, names)
        if slug is None:
            continue
        cell = lambda i: row[i].strip() if i < len(row) else ""  # noqa: E731
        moment = _moment(cell(received_col), order) if received_col is not None else ("", 0)
        answers = {path: cell(i) for path, i in columns.items() if not (by_name and path == "name")}  # a name that found the partner is no correction
        _row_changes(out, pending, slug, answers, moment, row_line, csv_name, files, mapping)
        said_words = [(row_line, title, cell(i)) for i, title in free.items() if cell(i) and cell(i).casefold() not in formexport.ANONYMOUS]
        if any(formexport.fold(text) in ALL_CORRECT for _, _, text in said_words):
            out.confirmed[slug] = row_line
        out.words.setdefault(slug, []).extend(w for w in said_words if formexport.fold(w[2]) not in ALL_CORRECT)
        if moment[0]:
            out.received[slug] = max(out.received.get(slug, dt.date.min), dt.date.fromisoformat(moment[0]))
    out.changes = {slug: [change for _, change in changes.values()] for slug, changes in pending.items()}
    return out


def _partner_names(catalog: Catalog) -> tuple[dict, dict]:
    """Each published partner by its name (forgivingly, as form answers are matched)."""
    shown = {slug: rec for slug, rec in catalog.partners.items() if rec.data.visibility == "public"}
    return formexport.named_table({slug: [rec.data.name] for slug, rec in shown.items()}, {}), {slug: rec.data.name for slug, rec in shown.items()}


def _partner_of(out: Review, row: list[str], row_line: int, columns: dict[str, int], csv_name: str, catalog: Catalog,
                files: dict[str, str], names: tuple[dict, dict]) -> tuple[str | None, bool]:
    """The slug of the public partner a row corrects (by its profile code, else by its name) and whether it was
    found by name; (None, False), with the reason said, for a row that corrects none."""
    if not any(cell.strip() for cell in row):
        return None, False
    if any(len(cell) > MAX_ANSWER for cell in row):
        out.problems.append(Problem(csv_name, row_line, "row", Text("an answer is longer than {count:,} characters, longer than any field; not applied", count=MAX_ANSWER)))
        return None, False
    cell = lambda key: row[columns[key]].strip() if key in columns and columns[key] < len(row) else ""  # noqa: E731
    slug, by_name = cell("slug").strip("/").rsplit("/", 1)[-1], False  # a slug, or the profile's address
    if not slug and cell("name"):
        slug, why = formexport.match(cell("name"), *names)
        if slug is None:
            out.problems.append(Problem(csv_name, row_line, "name", Text("no profile code, and the name names no partner: {why}; not applied", why=why)))
            return None, False
        by_name = True
        found = Text("no profile code: {why}; taken as the partner {slug}", why=why, slug=slug) if why else \
            Text("no profile code: the partner {slug} found by its name", slug=slug)
        out.notes.append(Problem(csv_name, row_line, "name", found, "note"))
    if slug not in files:
        out.problems.append(Problem(csv_name, row_line, "slug", Text('{value!r} is no partner in the data; not applied', value=slug or Text('(empty)'))))
        return None, False
    visibility = catalog.partners[slug].data.visibility
    if visibility != "public":
        # Anyone can fill the public form, and a slug follows a name: a partner the site does not list is
        # never changed from it. Staff see the row and check it with the partner themselves.
        out.problems.append(Problem(csv_name, row_line, "slug", Text("{slug} is {visibility}: the public form does not change it; check the answers with the partner and edit the file by hand", slug=slug, visibility=visibility)))
        return None, False
    return slug, by_name


def _row_changes(out: Review, pending: dict, slug: str, answers: dict[str, str], moment: tuple, row_line: int, csv_name: str,
                 files: dict[str, str], mapping: formexport.Mapping) -> None:
    """Each answer of one row that differs from the partner's file, as a pending change; the newest answer
    to a field wins (by its timestamp, then its row), the older noted as superseded."""
    current = yaml.safe_load(files[slug])
    for path, answer in answers.items():
        if path == "slug" or not answer or answer.casefold() in formexport.ANONYMOUS:
            continue
        if path not in CORRECTABLE:
            out.problems.append(Problem(csv_name, row_line, path, Text("is not a public field a partner may correct; not applied")))
            continue
        after, before = _value(path, answer, mapping), _current(current, path)
        if after == before or (isinstance(before, dt.date) and str(before) == after):
            continue
        key = (moment, row_line)
        earlier = pending.setdefault(slug, {}).get(path)
        if earlier is None or earlier[0] <= key:
            if earlier is not None:
                out.notes.append(Problem(csv_name, earlier[1].line, path, Text("superseded by the newer answer on line {line}", line=row_line), "note"))
            pending[slug][path] = (key, Change(slug, path, before, after, row_line))
        else:
            out.notes.append(Problem(csv_name, row_line, path, Text("superseded by the newer answer on line {line}", line=earlier[1].line), "note"))


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp])?")


def _moment(value: str, order: str | None) -> tuple[str, int]:
    """A response's timestamp as (its day, seconds into that day), to order answers; ('', 0) without one."""
    day = formexport.received_date(value, order) or ""
    rest = value.strip().split(None, 1)[1] if day and len(value.strip().split(None, 1)) > 1 else ""
    m = _TIME.search(rest)
    if not m:
        return day, 0
    hours = int(m.group(1)) % 12 + (12 if m.group(4) and m.group(4).lower() == "p" else 0) if m.group(4) else int(m.group(1))
    return day, hours * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


def apply(text: str, changes: list[Change], when: dt.date) -> str:
    """The partner file's text with the accepted changes and last_verified set to `when`, edited in place."""
    for change in changes:
        text = yamledit.set_path(text, change.path, change.after)
    return yamledit.set_value(text, "last_verified", when)


def check(catalog: Catalog, slug: str, path: str, text: str, today: dt.date) -> list[Problem]:
    """The errors the corrected file would have (none: it may be written)."""
    _, problems = check_new_partner(catalog, slug, text, today, replacing=path)
    return [p for p in problems if p.severity == "error"]
