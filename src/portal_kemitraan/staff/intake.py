"""Intake import: rows of a form's CSV export become new, hidden partner files at the first stage."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from slugify import slugify

from ..core.catalog import Catalog, check_new_partner
from ..core.problems import Problem
from ..core.reference import find_province
from ..core.safefs import Refused, read_inside, read_regular
from ..core.yamlsource import MAX_BYTES, load_bytes

SCHEMA_COMMENT = "# yaml-language-server: $schema=partner.schema.json"
MAPPING_NAME = os.path.join("templates", "intake-mapping.yml")
ANONYMOUS = {"anonymous", "anonim", "-", "n/a"}  # what form exports write where nobody answered
# The partner fields a form's column may fill.
MAPPABLE = (
    "name", "summary", "description", "pattern", "side", "kind", "sectors", "region.province", "region.city", "website",
    "contact.email", "contact.phone", "contact.person.name", "contact.person.role", "contact.person.email", "contact.person.phone",
)  # fmt: skip


@dataclass
class Mapping:
    fields: dict[str, list[str]]
    received: list[str]
    defaults: dict[str, str]

    @classmethod
    def load(cls, path: str, root: str | None = None) -> "Mapping":
        """Read a mapping file (inside the data folder `root`, or one a staff member named); ValueError when unusable."""
        try:
            raw_bytes = read_inside(root, path, MAX_BYTES) if root else read_regular(path, MAX_BYTES)
        except Refused as exc:
            raise ValueError(f"{path}: {exc.message}")
        src = load_bytes(raw_bytes, path)
        if src.problems:
            raise ValueError(str(src.problems[0]))
        raw = src.data if isinstance(src.data, dict) else {}
        fields = raw.get("fields")
        texts = lambda v: isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))  # noqa: E731
        if not isinstance(fields, dict) or not all(isinstance(k, str) and texts(v) for k, v in fields.items()):
            raise ValueError(f"{path}: needs a 'fields:' mapping of field -> list of column headers")
        unknown = sorted(set(fields) - set(MAPPABLE))
        if unknown:
            raise ValueError(f"{path}: fields: {', '.join(unknown)} cannot be filled from a form; use some of: {', '.join(MAPPABLE)}")
        received, defaults = raw.get("received") or [], raw.get("defaults") or {}
        if not texts(received) or not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
            raise ValueError(f"{path}: 'received' must be a list of headers and 'defaults' a mapping of texts")
        return cls(
            fields={k: [v] if isinstance(v, str) else list(v) for k, v in fields.items()},
            received=[received] if isinstance(received, str) else list(received),
            defaults=dict(defaults),
        )


@dataclass
class Outcome:
    """What one import did: files to write, and the rows it reported."""

    written: dict[str, str] = field(default_factory=dict)  # slug -> file text
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    empty_rows: int = 0
    unmapped: list[str] = field(default_factory=list)  # columns that feed no field (kept in internal.screening)


def normalise_header(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().rstrip("?:").split()).casefold()


def decode(raw: bytes) -> tuple[str, str, set[int]]:
    """UTF-16 with its byte-order mark (Excel's "Unicode text"), else UTF-8 (with or without BOM) decided line
    by line: a line that is not UTF-8 is read as Windows-1252 (Excel's default CSV export), and its number is
    returned, so a file mostly in UTF-8 with one line from another program keeps every other line right.
    A newline byte is never inside a character in either encoding, so lines can be decided one by one."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16", set()
        except UnicodeDecodeError:
            pass
    encoding = "utf-8"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8-sig"
    try:
        return raw.decode("utf-8"), encoding, set()
    except UnicodeDecodeError:
        pass
    parts, other, utf8 = [], set(), False
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8 = utf8 or not line.isascii()
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="replace"))
            other.add(number)
    # No line with UTF-8 beyond ASCII: a Windows-1252 file (Excel's export), not a mixed one.
    return "\n".join(parts), ("mixed" if utf8 else "cp1252"), other


def sniff_dialect(text: str) -> type[csv.Dialect]:
    """Form exports follow RFC 4180 quoting; only the separator varies (, ; or tab), so only it is sniffed."""
    sample = text[: 64 * 1024]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=header.count)
    return type("FormExport", (csv.excel,), {"delimiter": delimiter})


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
        applicant = ((p.internal or {}).get("applicant") or {}) if isinstance(p.internal, dict) else {}
        if isinstance(applicant, dict) and isinstance(applicant.get("email"), str):
            emails.setdefault(applicant["email"].lower(), slug)
        key = _website_key(p.website)
        if key:
            sites.setdefault(key, slug)
    return emails, sites


def _set(data: dict, path: str, value) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _pattern_id(value: str, catalog: Catalog) -> str | None:
    folded = value.strip().casefold()
    for pid, pattern in catalog.patterns.items():
        if folded in (pid, pattern.name.id.casefold(), pattern.name.en.casefold()):
            return pid
    return None


def _side_id(value: str, pattern_id: str, catalog: Catalog) -> str | None:
    folded = value.strip().casefold()
    for side in catalog.patterns[pattern_id].sides:
        if folded in (side.id, side.label.id.casefold(), side.label.en.casefold()):
            return side.id
    return None


_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_YEAR_FIRST = re.compile(r"^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})\b")


def date_order(values: list[str]) -> tuple[str | None, str | None]:
    """Which order the day/month/year timestamps of one file use, from the values alone: a first number
    above 12 can only be a day (dmy), a second above 12 only a day (mdy). Returns (order, None), (None, None)
    when the values cannot tell, or (None, why) when they contradict each other."""
    first = second = None
    for value in values:
        m = _SLASHED.match(value)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 and first is None:
            first = value.strip()
        if b > 12 and second is None:
            second = value.strip()
    if first and second:
        return None, f"mixes day/month ({first}) and month/day ({second}) dates"
    return ("dmy" if first else "mdy" if second else None), None


def _received(value: str, order: str | None) -> str | None:
    """The date of a timestamp (Google Forms: 2026/11/02 9:15:31, 20/11/2026 14.05.33; Microsoft Forms:
    11/20/2026 2:05:33 PM), day and month read in the file's order; None when it is not a date."""
    m = _YEAR_FIRST.match(value)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        m = _SLASHED.match(value)
        if m and order:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            year += 2000 if year < 100 else 0
            day, month = (a, b) if order == "dmy" else (b, a)
            return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return None


class _Writer(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Writer.add_representer(str, _str)


def partner_yaml(data: dict, csv_name: str, row_line: int) -> str:
    body = yaml.dump(data, Dumper=_Writer, allow_unicode=True, sort_keys=False, width=100)
    return f"{SCHEMA_COMMENT}\n# Imported from {csv_name}, line {row_line}. Hidden until screened; see internal.screening.\n\n{body}"


MISDECODED = ("\ufffd", "Ã", "Â", "â€")  # what UTF-8 or undefined bytes look like when read as Windows-1252


def _reader(text: str):
    """A strict CSV reader: malformed quoting is an error, not two rows merged; any field size is read."""
    dialect = sniff_dialect(text)
    return csv.reader(io.StringIO(text, newline=""), dialect, strict=True)


def import_rows(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date, order: str | None = None) -> Outcome:
    """Turn every row into a partner file, or into a reported problem; never both, never neither.

    Each row becomes the text of its file and is read back and validated exactly as `validate` would,
    before anything is written; a row that would not be valid is reported with its line and left out."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(raw) + 1))  # a long answer is data, not an error
    try:
        return _import(raw, csv_name, catalog, mapping, today, order)
    finally:
        csv.field_size_limit(limit)


def _import(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date, order: str | None) -> Outcome:
    out = Outcome()
    text, encoding, other = decode(raw)
    if encoding == "cp1252":
        out.notes.append(Problem(csv_name, 1, "file", "is not valid UTF-8; read as Windows-1252 (Excel's default). Check the rows reported as mis-decoded", "note"))
    elif encoding == "mixed":
        shown_lines = ", ".join(str(n) for n in sorted(other)[:10]) + (" …" if len(other) > 10 else "")
        out.notes.append(Problem(csv_name, 1, "file", f"is UTF-8 except line(s) {shown_lines}, read as Windows-1252 (each line decided alone)", "note"))
    reader = _reader(text)
    try:
        header = next(reader)
    except StopIteration:
        out.problems.append(Problem(csv_name, 1, "file", "is empty; expected a header row and one row per response"))
        return out
    except csv.Error as exc:
        out.problems.append(Problem(csv_name, reader.line_num or 1, "header", f"malformed CSV ({exc}); nothing imported"))
        return out
    index = {normalise_header(h): i for i, h in reversed(list(enumerate(header))) if h.strip()}
    columns: dict[str, int] = {}
    for target, headers in mapping.fields.items():
        for h in headers:
            if normalise_header(h) in index:
                columns[target] = index[normalise_header(h)]
                break
    received_col = next((index[normalise_header(h)] for h in mapping.received if normalise_header(h) in index), None)
    if "name" not in columns:
        out.problems.append(Problem(csv_name, 1, "header", f"no column for the partner's name; expected one of: {', '.join(mapping.fields.get('name', []))}"))
        return out
    used = set(columns.values()) | ({received_col} if received_col is not None else set())
    out.unmapped = [h.strip() or f"column {i + 1}" for i, h in enumerate(header) if i not in used]
    if received_col is not None:
        order, why = _file_date_order(text, received_col, order)
        if why:
            out.problems.append(Problem(csv_name, 1, header[received_col].strip() or "received", f"{why}; nothing imported"))
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
                Problem(csv_name, line, "row", f"malformed CSV quoting ({exc}); this row and the rest of the file were not imported")
            )
            break
        row_line, line = line, reader.line_num + 1
        lines_of_row = set(range(row_line, line))
        if not any(cell.strip() for cell in row):
            out.empty_rows += 1
            continue
        if len(row) > len(header):
            out.problems.append(Problem(csv_name, row_line, "row", f"has {len(row)} values but the header has {len(header)} columns; row not imported"))
            continue
        if "\ufffd" in "".join(row) and lines_of_row & other:
            # bytes that are neither UTF-8 nor Windows-1252: a name read wrongly is never written
            out.problems.append(Problem(csv_name, row_line, "row", "holds bytes that are neither UTF-8 nor Windows-1252; save the file as UTF-8; row not imported"))
            continue
        if encoding == "cp1252" and any(mark in cell for cell in row for mark in MISDECODED):
            out.notes.append(Problem(csv_name, row_line, "row", "looks mis-decoded (characters such as Ã or �); check its text in the file written", "note"))
        elif lines_of_row & other and encoding == "mixed":
            out.notes.append(Problem(csv_name, row_line, "row", "was not UTF-8 and was read as Windows-1252; check its text in the file written", "note"))
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}
        cells = {k: ("" if v.casefold() in ANONYMOUS else v) for k, v in cells.items()}
        answers = {header[i].strip() or f"column {i + 1}": row[i].strip() for i in range(len(row)) if row[i].strip()}
        data, notes = _row_to_partner(cells, catalog, mapping)
        internal = {"screening": answers, "imported_from": f"{os.path.basename(csv_name)}:{row_line}", "imported_on": today.isoformat()}
        received = _received(row[received_col], order) if received_col is not None and received_col < len(row) else None
        if received:
            internal["received"] = received
        data["internal"] = internal
        slug = slugify(data["name"], max_length=64, word_boundary=True) if data["name"] else ""
        keys = [slug] + [e.lower() for e in _emails(data)] + [k for k in [_website_key(data.get("website"))] if k]
        earlier = next((in_file[k] for k in keys if k in in_file), None)
        if earlier is not None:
            out.problems.append(Problem(csv_name, row_line, "row", f"the same applicant as the row on line {earlier} of this file; skipped"))
            continue
        duplicate = _existing(data, slug, catalog, emails, sites)
        if duplicate:
            out.problems.append(Problem(csv_name, row_line, "row", f"{duplicate}; skipped"))
            continue
        text = partner_yaml(data, os.path.basename(csv_name), row_line)
        loaded, problems = check_new_partner(catalog, slug if len(slug) >= 2 else f"row-{row_line}", text, today)
        errors = [p for p in problems if p.severity == "error"]
        if len(slug) < 2 and data["name"]:
            errors.append(Problem(csv_name, row_line, "name", "cannot make a file name from it"))
        if not errors and loaded != data:
            errors = [Problem(csv_name, row_line, "row", "a value would change its meaning when written as YAML")]
        if errors:
            for p in errors:
                field_name = p.field if p.field != "file" else ("name" if p.message.startswith("the file name") else "row")
                out.problems.append(Problem(csv_name, row_line, field_name, f"{p.message.rstrip('.')}; row not imported"))
            continue
        for key in keys:
            in_file[key] = row_line
        out.notes.extend(Problem(csv_name, row_line, f, m, "note") for f, m in notes)
        out.written[slug] = text
    return out


def _file_date_order(text: str, column: int, given: str | None) -> tuple[str | None, str | None]:
    """The day/month order of the file's timestamps: settled by the values, else `given` (--date-order);
    (None, why) when neither can settle it or they disagree. Never a guess."""
    values = []
    reader = _reader(text)
    try:
        next(reader)
        for row in reader:
            if column < len(row):
                values.append(row[column])
    except (csv.Error, StopIteration):
        pass  # the main pass reports malformed rows; the rows read so far still count
    found, mixed = date_order(values)
    if mixed:
        return None, mixed
    ambiguous = [v.strip() for v in values if _SLASHED.match(v)]
    if found and given and found != given:
        return None, f"the dates are {found} (e.g. {ambiguous[0]}), not {given} as --date-order says"
    if found or not ambiguous:
        return found or given, None
    if given:
        return given, None
    return None, (
        f"dates such as {ambiguous[0]} could be day/month or month/day and no value settles it; "
        "pass --date-order dmy (Indonesian forms) or --date-order mdy (English forms)"
    )


def _emails(data: dict) -> list[str]:
    contact = data.get("contact") or {}
    return [e for e in (contact.get("email"), (contact.get("person") or {}).get("email")) if isinstance(e, str) and e]


def _existing(data: dict, slug: str, catalog: Catalog, emails: dict, sites: dict) -> str | None:
    """Why a row is a partner the data already has, or None."""
    if slug in catalog.partners:
        return f"a partner with the slug {slug!r} already exists"
    for email in _emails(data):
        if email.lower() in emails:
            return f"e-mail {email} is already used by {emails[email.lower()]}"
    site = _website_key(data.get("website"))
    if site and site in sites:
        return f"website {data['website']} is already used by {sites[site]}"
    return None


def _row_to_partner(cells: dict, catalog: Catalog, mapping: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    """Map one row's cells onto partner fields; returns the data and notes about guesses made."""
    notes: list[tuple[str, str]] = []
    data: dict = {"name": cells.get("name", "")}
    pattern = _pattern_id(cells.get("pattern", ""), catalog) if cells.get("pattern") else None
    if pattern is None:
        pattern = mapping.defaults.get("pattern")
        notes.append(("pattern", f"not given or not recognised ({cells.get('pattern') or 'empty'!r}); set to {pattern!r} for screening"))
    side = _side_id(cells["side"], pattern, catalog) if cells.get("side") and pattern in catalog.patterns else None
    if side is None:
        default = mapping.defaults.get("side")
        sides = [s.id for s in catalog.patterns[pattern].sides] if pattern in catalog.patterns else []
        side = default if default in sides else (sides[-1] if sides else default)
        notes.append(("side", f"not given; set to {side!r} for screening"))
    data.update(pattern=pattern, side=side)
    summary = cells.get("summary") or cells.get("description") or ""
    summary = " ".join(summary.split())
    if len(summary) > 280:
        summary = summary[:277].rsplit(" ", 1)[0] + "…"
    data["summary"] = summary or f"[[Calon mitra: {data['name']}. Tulis ringkasannya sebelum dipublikasikan.]]"
    province = cells.get("region.province", "")
    found = find_province(province) if province else None
    data["region"] = {"province": found["name"] if found else province}
    if cells.get("region.city"):
        data["region"]["city"] = cells["region.city"]
    if cells.get("description"):
        data["description"] = cells["description"]
    if cells.get("kind"):
        data["kind"] = cells["kind"].strip().lower()
    if cells.get("sectors"):
        data["sectors"] = [s.strip() for s in re.split(r"[,;\n]", cells["sectors"]) if s.strip()][:20]
    if cells.get("website"):
        site = cells["website"]
        data["website"] = site if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", site) else "https://" + site
    contact: dict = {}
    for key in ("email", "phone"):
        if cells.get(f"contact.{key}"):
            contact[key] = cells[f"contact.{key}"]
    person = {k: cells[f"contact.person.{k}"] for k in ("name", "role", "email", "phone") if cells.get(f"contact.person.{k}")}
    if person:
        person.setdefault("name", "(tanpa nama)")
        person["consent"] = False  # an applicant's own details stay private until they agree to be shown
        contact["person"] = person
    if contact:
        data["contact"] = contact
    data["stage"] = catalog.stages[0].id if catalog.stages else "identification"
    data["visibility"] = "hidden"
    return data, notes
