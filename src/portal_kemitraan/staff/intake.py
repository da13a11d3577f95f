"""Intake import: rows of a form's CSV export become new, hidden partner files at the first stage."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
import yaml
from slugify import slugify
from ..core.catalog import Catalog, check_new_partner
from ..core.problems import Problem
from ..core.problems import Text, joined, said
from . import intakeform
from .formexport import fold, header_columns, kind_names, ANONYMOUS, MISDECODED, Mapping, decode, file_date_order, match, pattern_names, province_names, rows_of, received_date, side_names


SCHEMA_COMMENT = "# yaml-language-server: $schema=partner.schema.json"


MAPPING_NAME = os.path.join("templates", "intake-mapping.yml")


@dataclass
class Outcome:
    """What one import did: files to write, and the rows it reported."""

    written: dict[str, str] = field(default_factory=dict)  # slug -> file text
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    empty_rows: int = 0
    unmapped: list[str] = field(default_factory=list)  # columns that feed no field (kept in internal.screening)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what happened, details), per row
    drafts: set[str] = field(default_factory=set)  # slugs written with problems a person must settle

    @property
    def needs_a_person(self) -> bool:
        return bool(self.problems or self.drafts)


def _website_key(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/").lower() if host else None


def _known_keys(catalog: Catalog) -> tuple[dict, dict]:
    """E-mail addresses and websites of existing partners, to spot someone who applies twice."""
    emails, sites = {}, {}
    for slug, rec in catalog.partners.items():
        p = rec.data
        contact = p.contact
        for email in (contact.email if contact else None, contact.person.email if contact and contact.person else None):
            if email:
                emails.setdefault(email.lower(), slug)
        applicant = p.internal.applicant if p.internal else None
        if applicant is not None and applicant.email:
            emails.setdefault(applicant.email.lower(), slug)
        key = _website_key(p.website)
        if key:
            sites.setdefault(key, slug)
    return emails, sites


class _Writer(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Writer.add_representer(str, _str)


def partner_yaml(data: dict, csv_name: str, row_line: int, gettext=None) -> str:
    body = yaml.dump(data, Dumper=_Writer, allow_unicode=True, sort_keys=False, width=100)
    head = Text("Imported from {file}, line {line}. Hidden until screened; see internal.screening.", file=csv_name, line=row_line)
    return f"{SCHEMA_COMMENT}\n# {' '.join(said(head, gettext).split())}\n\n{body}"


def import_rows(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date, order: str | None = None,
                gettext=None) -> Outcome:
    """Turn every row into a partner file, or into a reported problem; never both, never neither.

    Each row becomes the text of its file and is read back and validated exactly as `validate` would,
    before anything is written; a row that would not be valid is reported with its line and left out."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(raw) + 1))  # a long answer is data, not an error
    try:
        return _import(raw, csv_name, catalog, mapping, today, order, gettext)
    finally:
        csv.field_size_limit(limit)


@dataclass
class _Layout:
    """What the header row and the file as a whole say: the columns of the fields, of the timestamp, and its
    day/month order; the file's encoding and the lines that were not UTF-8."""

    header: list[str]
    columns: dict[str, int]
    received_col: int | None
    order: str | None
    encoding: str
    other: set[int]


def _import(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date, order: str | None, gettext) -> Outcome:
    out = Outcome()
    mapping = mapping.extended(intakeform.headers(), intakeform.RECEIVED)  # `portal form`'s exports need no mapping
    text, encoding, other = decode(raw)
    if encoding == "cp1252":
        out.notes.append(Problem(csv_name, 1, "file", Text("is not valid UTF-8; read as Windows-1252 (Excel's default). Check the rows reported as mis-decoded"), "note"))
    elif encoding == "mixed":
        shown_lines = ", ".join(str(n) for n in sorted(other)[:10]) + (" …" if len(other) > 10 else "")
        out.notes.append(Problem(csv_name, 1, "file", Text('is UTF-8 except line(s) {shown_lines}, read as Windows-1252 (each line decided alone)', shown_lines=shown_lines), "note"))
    reader = rows_of(text)
    layout = _layout(out, reader, text, csv_name, mapping, order, encoding, other)
    if layout is None:
        return out
    emails, sites = _known_keys(catalog)
    in_file: dict[str, int] = {}  # slug, e-mail or website -> the line of the row in this file that has it
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.problems.append(
                Problem(csv_name, line, "row", Text('malformed CSV quoting ({exc}); this row and the rest of the file were not imported', exc=exc))
            )
            break
        row_line, line = line, reader.line_num + 1
        if _readable(out, row, row_line, set(range(row_line, line)), layout, csv_name):
            data, notes, issues = _row_data(row, row_line, layout, csv_name, catalog, mapping, today)
            _place(out, data, notes, issues, row_line, csv_name, catalog, today, gettext, in_file, (emails, sites))
    return out


def _layout(out: Outcome, reader, text: str, csv_name: str, mapping: Mapping, order: str | None, encoding: str, other: set[int]) -> _Layout | None:
    """The header row read against the mapping; None (with the problem said) when nothing can be imported."""
    try:
        header = next(reader)
    except StopIteration:
        out.problems.append(Problem(csv_name, 1, "file", Text("is empty; expected a header row and one row per response")))
        return None
    except csv.Error as exc:
        out.problems.append(Problem(csv_name, reader.line_num or 1, "header", Text('malformed CSV ({exc}); nothing imported', exc=exc)))
        return None
    columns, received_col = header_columns(header, mapping)
    if "name" not in columns:
        out.problems.append(Problem(csv_name, 1, "header", Text("no column for the partner's name; expected one of: {value}", value=', '.join(mapping.own_titles('name')))))
        return None
    used = set(columns.values()) | ({received_col} if received_col is not None else set())
    out.unmapped = [h.strip() or f"column {i + 1}" for i, h in enumerate(header) if i not in used and not intakeform.metadata(h)]
    if received_col is not None:
        order, why = file_date_order(text, received_col, order)
        if why:
            out.problems.append(Problem(csv_name, 1, header[received_col].strip() or "received", Text('{why}; nothing imported', why=why)))
            return None
    return _Layout(header, columns, received_col, order, encoding, other)


def _readable(out: Outcome, row: list[str], row_line: int, lines_of_row: set[int], layout: _Layout, csv_name: str) -> bool:
    """Whether a row can be imported at all (empty rows, extra values and undecodable bytes cannot)."""
    if not any(cell.strip() for cell in row):
        out.empty_rows += 1
        return False
    if len(row) > len(layout.header):
        out.problems.append(Problem(csv_name, row_line, "row", Text('has {count} values but the header has {count2} columns; row not imported', count=len(row), count2=len(layout.header))))
        return False
    if "\ufffd" in "".join(row) and lines_of_row & layout.other:
        # bytes that are neither UTF-8 nor Windows-1252: a name read wrongly is never written
        out.problems.append(Problem(csv_name, row_line, "row", Text("holds bytes that are neither UTF-8 nor Windows-1252; save the file as UTF-8; row not imported")))
        return False
    if layout.encoding == "cp1252" and any(mark in cell for cell in row for mark in MISDECODED):
        out.notes.append(Problem(csv_name, row_line, "row", Text("looks mis-decoded (characters such as Ã or �); check its text in the file written"), "note"))
    elif lines_of_row & layout.other and layout.encoding == "mixed":
        out.notes.append(Problem(csv_name, row_line, "row", Text("was not UTF-8 and was read as Windows-1252; check its text in the file written"), "note"))
    return True


def _row_data(row: list[str], row_line: int, layout: _Layout, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date):
    """A row as the data of a partner file (every answer kept under internal.screening), with its notes and
    the problems a person must settle."""
    header = layout.header
    cells = {name: row[i].strip() if i < len(row) else "" for name, i in layout.columns.items()}
    cells = {k: ("" if v.casefold() in ANONYMOUS else v) for k, v in cells.items()}
    answers = {header[i].strip() or f"column {i + 1}": row[i].strip() for i in range(len(row)) if row[i].strip() and not intakeform.metadata(header[i])}
    data, notes, issues = _row_to_partner(cells, catalog, mapping)
    if not data["name"]:
        data["name"] = f"Calon mitra dari {os.path.basename(csv_name)} baris {row_line}"
        issues.append(("name", Text("empty; a placeholder name was given until screening")))
    internal = {"screening": answers, "imported_from": f"{os.path.basename(csv_name)}:{row_line}", "imported_on": today.isoformat()}
    col = layout.received_col
    received = received_date(row[col], layout.order) if col is not None and col < len(row) else None
    if received:
        internal["received"] = received
    data["internal"] = internal
    return data, notes, issues


def _place(out: Outcome, data: dict, notes, issues, row_line: int, csv_name: str, catalog: Catalog, today: dt.date, gettext,
           in_file: dict[str, int], known: tuple[dict, dict]) -> None:
    """One row's file written (as `out.written`), or the row skipped as a second application, or refused."""
    slug = slugify(data["name"], max_length=64, word_boundary=True) if data["name"] else ""
    keys = [slug] + [e.lower() for e in _emails(data)] + [k for k in [_website_key(data.get("website"))] if k]
    earlier = next((in_file[k] for k in keys if k in in_file), None)
    if earlier is not None:
        out.problems.append(Problem(csv_name, row_line, "row", Text('the same applicant as the row on line {earlier} of this file; skipped', earlier=earlier)))
        out.rows.append((row_line, Text("skipped"), Text('the same applicant as line {earlier}', earlier=earlier)))
        return
    duplicate = _existing(data, slug, catalog, *known)
    if duplicate:
        out.problems.append(Problem(csv_name, row_line, "row", Text('{duplicate}; skipped', duplicate=duplicate)))
        out.rows.append((row_line, Text("skipped"), duplicate))
        return
    refused, drafted = _write_or_refuse(data, slug, issues, csv_name, row_line, catalog, today, gettext)
    if refused:
        out.problems.extend(refused)
        out.rows.append((row_line, Text("not imported"), joined([Text("{field}: {problem}", field=p.field, problem=p.message) for p in refused], "; ")))
        return
    text, slug = drafted
    for key in keys:
        in_file[key] = row_line
    out.notes.extend(Problem(csv_name, row_line, f, m, "note") for f, m in notes)
    if issues:
        out.drafts.add(slug)
        out.rows.append((row_line, Text("needs a person"), joined([Text("{field}: {problem}", field=f, problem=m) for f, m in issues], "; ")))
    else:
        out.rows.append((row_line, Text("imported"), ""))
    out.written[slug] = text


def _write_or_refuse(data: dict, slug: str, issues: list, csv_name: str, row_line: int, catalog: Catalog, today: dt.date, gettext=None):
    """The row as a partner file, checked as `validate` checks it: a value that fails its check is set aside
    (the answer stays word for word under internal.screening) and recorded under internal.import_problems
    for a person to settle, so the row is still imported as a hidden draft. A row is refused only when what
    cannot be set aside fails: the name (no file name can be made of it), or an answer that may not be
    written at all (control characters, YAML keys that change meaning). Returns (problems, None) or
    ([], (text, slug))."""
    if len(slug) < 2:
        return [Problem(csv_name, row_line, "name", Text("cannot make a file name from it; row not imported"))], None
    for _ in range(12):
        if issues:
            # written in the staff's language: the file is theirs to settle
            data["internal"]["import_problems"] = [f"{f}: {said(m, gettext)}" for f, m in issues]
        text = partner_yaml(data, os.path.basename(csv_name), row_line, gettext)
        loaded, problems = check_new_partner(catalog, slug, text, today)
        errors = [p for p in problems if p.severity == "error"]
        if not errors:
            if loaded != data:
                return [Problem(csv_name, row_line, "row", Text("a value would change its meaning when written as YAML; row not imported"))], None
            return [], (text, slug)
        fixable = [p for p in errors if p.field != "file" and set_aside(data, p.field)]
        if len(fixable) != len(errors):
            refused = [p for p in errors if p not in fixable]
            out = []
            for p in refused:
                field_name = p.field if p.field != "file" else ("name" if str(p.message).startswith("the file name") else "row")
                out.append(Problem(csv_name, row_line, field_name, Text("{problem}; row not imported", problem=p.message)))
            return out, None
        issues.extend((p.field, Text("{problem}; set aside (the answer is kept under internal.screening)", problem=p.message)) for p in fixable)
    return [Problem(csv_name, row_line, "row", Text("too many problems to set aside; row not imported"))], None


def _emails(data: dict) -> list[str]:
    contact = data.get("contact") or {}
    return [e for e in (contact.get("email"), (contact.get("person") or {}).get("email")) if isinstance(e, str) and e]


def _existing(data: dict, slug: str, catalog: Catalog, emails: dict, sites: dict) -> str | None:
    """Why a row is a partner the data already has, or None."""
    if slug in catalog.partners:
        return Text('a partner with the slug {slug!r} already exists', slug=slug)
    for email in _emails(data):
        if email.lower() in emails:
            return Text('e-mail {email} is already used by {value}', email=email, value=emails[email.lower()])
    site = _website_key(data.get("website"))
    if site and site in sites:
        return Text('website {website} is already used by {value}', website=data['website'], value=sites[site])
    return None


def _row_to_partner(cells: dict, catalog: Catalog, mapping: Mapping) -> tuple[dict, list[tuple[str, str]], list[tuple[str, str]]]:
    """Map one row's cells onto partner fields: the data, notes about readings made (a spelling read as the
    one it is close to), and issues a person must settle (a value guessed or left out)."""
    notes: list[tuple[str, str]] = []
    issues: list[tuple[str, str]] = []
    data: dict = {"name": cells.get("name", "")}
    # A pattern not given ("don't know" is a fine answer) is what screening settles anyway: a note. An answer
    # that names no pattern, or a side neither asked nor named, is an issue for a person.
    pattern, why = (None, Text("not given"))
    if cells.get("pattern"):
        pattern, why = match(cells["pattern"], *pattern_names(catalog, mapping))
        if pattern and why:
            notes.append(("pattern", why))
    if pattern is None:
        pattern = mapping.defaults.get("pattern")
        (issues if cells.get("pattern") else notes).append(("pattern", Text('{why}; set to {pattern!r} until screening', why=why, pattern=pattern)))
    side, why = (None, Text("not given"))
    given = cells.get("side") or ""
    if not given and cells.get("pattern") and pattern in catalog.patterns:
        # "Anak angkat (usaha kecil)": the pattern's answer may name the side too (its whole name names none)
        names = catalog.patterns[pattern].name
        if fold(cells["pattern"]) not in (fold(names.id), fold(names.en)):
            side, _ = match(cells["pattern"], *side_names(catalog, mapping, pattern))
    elif given and pattern in catalog.patterns:
        side, why = match(given, *side_names(catalog, mapping, pattern))
        if side and why:
            notes.append(("side", why))
    if side is None:
        # Never guessed: the side the mapping's defaults name (staff chose it for every row of this form), or
        # none, left for staff to choose in the hidden draft (it cannot be published without one).
        default = mapping.defaults.get("side")
        sides = [s.id for s in catalog.patterns[pattern].sides] if pattern in catalog.patterns else []
        if default in sides:
            side = default
            notes.append(("side", Text('{why}; set to {side!r} as the mapping says', why=why, side=side)))
        else:  # not asked: a note, as a pattern not given is (the draft cannot be published without it)
            (issues if given else notes).append(("side", Text("{why}; choose the side ({sides}) in the file before publishing", why=why, sides=", ".join(sides))
                                                 if sides else Text("{why}; choose the side in the file before publishing", why=why)))
    data.update(pattern=pattern)
    if side is not None:
        data["side"] = side
    _other_fields(data, cells, mapping, notes, issues)
    data["stage"] = catalog.stages[0].id if catalog.stages else "identification"
    data["visibility"] = "hidden"
    return data, notes, issues


CONSENTING = {"ya", "yes", "y", "boleh", "setuju", "bersedia", "true", "1"}  # answers that give consent (folded)


def _other_fields(data: dict, cells: dict, mapping: Mapping, notes: list, issues: list) -> None:
    """The row's summary, place, description, kind, sectors, website and contact onto the partner's data."""
    summary = cells.get("summary") or cells.get("description") or ""
    summary = " ".join(summary.split())
    if len(summary) > 280:
        summary = summary[:277].rsplit(" ", 1)[0] + "…"
    data["summary"] = summary or f"[[Calon mitra: {data['name']}. Tulis ringkasannya sebelum dipublikasikan.]]"
    data["region"] = {}
    if cells.get("region.province"):
        table, names = province_names(mapping)
        province, why = match(cells["region.province"], table, names)
        if province:
            data["region"]["province"] = province
            if why:
                notes.append(("region.province", why))
        else:
            issues.append(("region.province", Text('{why}; left empty until screening', why=why)))
    else:
        notes.append(("region.province", Text("not given; left empty until screening")))
    if cells.get("region.city"):
        data["region"]["city"] = cells["region.city"]
    if cells.get("description"):
        data["description"] = cells["description"]
    if cells.get("kind"):
        kind, why = match(cells["kind"], *kind_names(mapping))
        if kind:
            data["kind"] = kind
        else:
            issues.append(("kind", Text('{why}; left out', why=why)))
    if cells.get("sectors"):
        data["sectors"] = [s.strip() for s in re.split(r"[,;\n]", cells["sectors"]) if s.strip()][:20]
    if cells.get("website"):
        site = cells["website"]
        data["website"] = site if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", site) else "https://" + site
    contact: dict = {}
    for key in ("email", "phone", "whatsapp"):
        if cells.get(f"contact.{key}"):
            contact[key] = cells[f"contact.{key}"]
    person = {k: cells[f"contact.person.{k}"] for k in ("name", "role", "email", "phone", "whatsapp") if cells.get(f"contact.person.{k}")}
    if person:
        person.setdefault("name", "(tanpa nama)")
        # An applicant's own details stay private unless they agreed, in the form, to be shown.
        person["consent"] = fold(cells.get("contact.person.consent") or "") in CONSENTING
        contact["person"] = person
    if contact:
        data["contact"] = contact


REQUIRED = ("name", "pattern", "side", "summary")  # a partner file cannot be written without these


def set_aside(data: dict, path: str) -> bool:
    """Take out the value a problem points at (its own key, or the list or mapping holding it), so the rest of
    the row can be written; False when it is one a partner file cannot do without."""
    parts = [p for p in path.split(".") if p]
    if not parts or parts[0] in REQUIRED or parts[0] in ("internal", "visibility", "stage"):
        return False
    holder, keys = data, []
    for part in parts:
        if not isinstance(holder, dict) or part not in holder:
            break
        keys.append(part)
        if not isinstance(holder[part], dict):
            break
        holder = holder[part]
    if not keys or keys == ["region"]:
        return False
    if keys[:2] == ["contact", "person"] and keys[-1] == "name":
        keys = keys[:2]  # a person without a usable name is left out whole
    parent = data
    for key in keys[:-1]:
        parent = parent[key]
    del parent[keys[-1]]
    if keys[:2] == ["contact", "person"] and len(keys) > 2 and set(parent) <= {"name", "consent"} and parent.get("name") == "(tanpa nama)":
        del data["contact"]["person"]  # nothing left of the applicant but the placeholder
        keys, parent = keys[:2], data["contact"]
    if len(keys) > 1 and not parent:  # an emptied mapping (contact without anything) goes too
        outer = data
        for key in keys[:-2]:
            outer = outer[key]
        del outer[keys[-2]]
    return True
