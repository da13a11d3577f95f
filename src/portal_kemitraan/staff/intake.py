"""Intake import: rows of a form's CSV export become new, hidden partner files at the first stage."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from slugify import slugify

from ..core.catalog import Catalog, check_new_partner
from ..core.problems import Problem
from ..core.reference import PROVINCES
from ..core.safefs import Refused, read_inside, read_regular
from ..core.yamlsource import MAX_BYTES, load_bytes
from ..core.problems import Text, joined, said

SCHEMA_COMMENT = "# yaml-language-server: $schema=partner.schema.json"
MAPPING_NAME = os.path.join("templates", "intake-mapping.yml")
ANONYMOUS = {"anonymous", "anonim", "-", "n/a"}  # what form exports write where nobody answered
# The partner fields a form's column may fill.
MAPPABLE = (
    "name", "summary", "description", "pattern", "side", "kind", "sectors", "region.province", "region.city", "website",
    "contact.email", "contact.phone", "contact.whatsapp", "contact.person.name", "contact.person.role", "contact.person.email",
    "contact.person.phone", "contact.person.whatsapp",
)  # fmt: skip


VALUE_FIELDS = ("pattern", "side", "region.province", "kind")
# Each kind of organisation as forms ask it (the join page's labels, both languages, and common words).
KINDS = {
    "individual": ["Perorangan", "Individual", "Pribadi"],
    "community-group": ["Kelompok masyarakat", "Community group", "Kelompok", "Kelompok tani", "Komunitas"],
    "cooperative": ["Koperasi", "Cooperative", "KUD"],
    "business": ["Badan usaha", "Business", "Usaha", "Perusahaan", "UMKM", "UMK", "CV", "PT", "UD"],
    "ngo": ["Lembaga swadaya masyarakat", "LSM", "Yayasan", "NGO", "Non-profit"],
    "government": ["Instansi pemerintah", "Pemerintah", "Government", "Dinas", "BUMDes"],
    "education": ["Lembaga pendidikan", "Education", "Sekolah", "Kampus", "Universitas"],
    "media": ["Media"],
    "other": ["Lainnya", "Other"],
}  # fields whose answers are matched to ids


@dataclass
class Mapping:
    fields: dict[str, list[str]]
    received: list[str]
    defaults: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {an answer as written -> id}

    @classmethod
    def load(cls, path: str, root: str | None = None, allowed: tuple[str, ...] | None = MAPPABLE) -> "Mapping":
        """Read a mapping file (inside the data folder `root`, or one a staff member named); ValueError when unusable."""
        try:
            raw_bytes = read_inside(root, path, MAX_BYTES) if root else read_regular(path, MAX_BYTES)
        except Refused as exc:
            raise ValueError(Text('{path}: {message}', path=path, message=exc.message))
        src = load_bytes(raw_bytes, path)
        if src.problems:
            raise ValueError(str(src.problems[0]))
        raw = src.data if isinstance(src.data, dict) else {}
        fields = raw.get("fields")
        texts = lambda v: isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))  # noqa: E731
        if not isinstance(fields, dict) or not all(isinstance(k, str) and texts(v) for k, v in fields.items()):
            raise ValueError(Text("{path}: needs a 'fields:' mapping of field -> list of column headers", path=path))
        unknown = sorted(f for f in fields if (f not in allowed if allowed is not None else not re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", f)))
        if unknown:
            raise ValueError(Text('{path}: fields: {unknown} cannot be filled from a form; use some of: {value}', path=path, unknown=', '.join(unknown), value=', '.join(allowed or ())))
        received, defaults = raw.get("received") or [], raw.get("defaults") or {}
        if not texts(received) or not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
            raise ValueError(Text("{path}: 'received' must be a list of headers and 'defaults' a mapping of texts", path=path))
        values = raw.get("values") or {}
        if not isinstance(values, dict) or not all(
            k in VALUE_FIELDS and isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
            for k, v in values.items()
        ):
            raise ValueError(Text("{path}: 'values' maps some of {VALUE_FIELDS} to {{answer: id}} (texts only)", path=path, VALUE_FIELDS=', '.join(VALUE_FIELDS)))
        return cls(
            fields={k: [v] if isinstance(v, str) else list(v) for k, v in fields.items()},
            received=[received] if isinstance(received, str) else list(received),
            defaults=dict(defaults),
            values={k: dict(v) for k, v in values.items()},
        )


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


def fold(text: str) -> str:
    """An answer as compared: no accents, no letter case, every run of punctuation, dashes and spaces one space
    ("Bapak angkat - anak angkat" is "Bapak angkat – anak angkat")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+|_", " ", plain.casefold()).split())


MAX_NAMED = 200  # characters: the longest name of a pattern, side, province or kind is far shorter


def match(answer: str, table: dict[str, str], names: dict[str, str]) -> tuple[str | None, str | None]:
    """The id an answer names, forgivingly: `table` maps folded spellings to ids. A spelling one or two letters
    off with one clear match counts, with a note saying how it was read. Returns (id, note) or (None, why).
    An answer longer than any name (MAX_NAMED) is not compared at all: matching costs grow with its length."""
    if len(answer) > MAX_NAMED:
        return None, Text('an answer of {count:,} characters names no pattern, side, province or kind', count=len(answer))
    key = fold(answer)
    if key in table:
        return table[key], None
    close = difflib.get_close_matches(key, list(table), n=4, cutoff=0.8) if len(key) >= 4 else []
    ids = list(dict.fromkeys(table[c] for c in close))
    if len(ids) == 1:
        return ids[0], Text('read {answer!r} as {value!r}', answer=answer, value=names[ids[0]])
    if ids:
        return None, Text('{answer!r} could be {ids}', answer=answer, ids=' or '.join(repr(names[i]) for i in ids))
    return None, Text('{answer!r} is not recognised', answer=answer)


def _table(entries: dict[str, list[str]], extra: dict[str, str]) -> dict[str, str]:
    """Folded spellings -> id, from each id's own spellings and the mapping file's `values` for the field."""
    table = {fold(spelling): key for key, spellings in entries.items() for spelling in [key, *spellings] if fold(spelling)}
    table.update({fold(answer): key for answer, key in extra.items() if key in entries and fold(answer)})
    return table


def _patterns(catalog: Catalog, mapping: "Mapping") -> tuple[dict, dict]:
    entries = {pid: [p.name.id, p.name.en] for pid, p in catalog.patterns.items()}
    return _table(entries, mapping.values.get("pattern", {})), {pid: p.name.id for pid, p in catalog.patterns.items()}


def _sides(catalog: Catalog, mapping: "Mapping", pattern_id: str) -> tuple[dict, dict]:
    sides = catalog.patterns[pattern_id].sides
    return _table({s.id: [s.label.id, s.label.en] for s in sides}, mapping.values.get("side", {})), {s.id: s.label.id for s in sides}


def _provinces(mapping: "Mapping") -> tuple[dict, dict]:
    entries = {row["name"]: [row["id"], *row["aliases"]] for row in PROVINCES}
    return _table(entries, mapping.values.get("region.province", {})), {row["name"]: row["name"] for row in PROVINCES}


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
        return None, Text('mixes day/month ({first}) and month/day ({second}) dates', first=first, second=second)
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


def partner_yaml(data: dict, csv_name: str, row_line: int, gettext=None) -> str:
    body = yaml.dump(data, Dumper=_Writer, allow_unicode=True, sort_keys=False, width=100)
    head = Text("Imported from {file}, line {line}. Hidden until screened; see internal.screening.", file=csv_name, line=row_line)
    return f"{SCHEMA_COMMENT}\n# {' '.join(said(head, gettext).split())}\n\n{body}"


MISDECODED = ("\ufffd", "Ã", "Â", "â€")  # what UTF-8 or undefined bytes look like when read as Windows-1252


def _reader(text: str):
    """A strict CSV reader: malformed quoting is an error, not two rows merged; any field size is read."""
    dialect = sniff_dialect(text)
    return csv.reader(io.StringIO(text, newline=""), dialect, strict=True)


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


def _import(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date, order: str | None, gettext) -> Outcome:
    out = Outcome()
    text, encoding, other = decode(raw)
    if encoding == "cp1252":
        out.notes.append(Problem(csv_name, 1, "file", Text("is not valid UTF-8; read as Windows-1252 (Excel's default). Check the rows reported as mis-decoded"), "note"))
    elif encoding == "mixed":
        shown_lines = ", ".join(str(n) for n in sorted(other)[:10]) + (" …" if len(other) > 10 else "")
        out.notes.append(Problem(csv_name, 1, "file", Text('is UTF-8 except line(s) {shown_lines}, read as Windows-1252 (each line decided alone)', shown_lines=shown_lines), "note"))
    reader = _reader(text)
    try:
        header = next(reader)
    except StopIteration:
        out.problems.append(Problem(csv_name, 1, "file", Text("is empty; expected a header row and one row per response")))
        return out
    except csv.Error as exc:
        out.problems.append(Problem(csv_name, reader.line_num or 1, "header", Text('malformed CSV ({exc}); nothing imported', exc=exc)))
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
        out.problems.append(Problem(csv_name, 1, "header", Text("no column for the partner's name; expected one of: {value}", value=', '.join(mapping.fields.get('name', [])))))
        return out
    used = set(columns.values()) | ({received_col} if received_col is not None else set())
    out.unmapped = [h.strip() or f"column {i + 1}" for i, h in enumerate(header) if i not in used]
    if received_col is not None:
        order, why = _file_date_order(text, received_col, order)
        if why:
            out.problems.append(Problem(csv_name, 1, header[received_col].strip() or "received", Text('{why}; nothing imported', why=why)))
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
        lines_of_row = set(range(row_line, line))
        if not any(cell.strip() for cell in row):
            out.empty_rows += 1
            continue
        if len(row) > len(header):
            out.problems.append(Problem(csv_name, row_line, "row", Text('has {count} values but the header has {count2} columns; row not imported', count=len(row), count2=len(header))))
            continue
        if "\ufffd" in "".join(row) and lines_of_row & other:
            # bytes that are neither UTF-8 nor Windows-1252: a name read wrongly is never written
            out.problems.append(Problem(csv_name, row_line, "row", Text("holds bytes that are neither UTF-8 nor Windows-1252; save the file as UTF-8; row not imported")))
            continue
        if encoding == "cp1252" and any(mark in cell for cell in row for mark in MISDECODED):
            out.notes.append(Problem(csv_name, row_line, "row", Text("looks mis-decoded (characters such as Ã or �); check its text in the file written"), "note"))
        elif lines_of_row & other and encoding == "mixed":
            out.notes.append(Problem(csv_name, row_line, "row", Text("was not UTF-8 and was read as Windows-1252; check its text in the file written"), "note"))
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}
        cells = {k: ("" if v.casefold() in ANONYMOUS else v) for k, v in cells.items()}
        answers = {header[i].strip() or f"column {i + 1}": row[i].strip() for i in range(len(row)) if row[i].strip()}
        data, notes, issues = _row_to_partner(cells, catalog, mapping)
        if not data["name"]:
            data["name"] = f"Calon mitra dari {os.path.basename(csv_name)} baris {row_line}"
            issues.append(("name", Text("empty; a placeholder name was given until screening")))
        internal = {"screening": answers, "imported_from": f"{os.path.basename(csv_name)}:{row_line}", "imported_on": today.isoformat()}
        received = _received(row[received_col], order) if received_col is not None and received_col < len(row) else None
        if received:
            internal["received"] = received
        data["internal"] = internal
        slug = slugify(data["name"], max_length=64, word_boundary=True) if data["name"] else ""
        keys = [slug] + [e.lower() for e in _emails(data)] + [k for k in [_website_key(data.get("website"))] if k]
        earlier = next((in_file[k] for k in keys if k in in_file), None)
        if earlier is not None:
            out.problems.append(Problem(csv_name, row_line, "row", Text('the same applicant as the row on line {earlier} of this file; skipped', earlier=earlier)))
            out.rows.append((row_line, Text("skipped"), Text('the same applicant as line {earlier}', earlier=earlier)))
            continue
        duplicate = _existing(data, slug, catalog, emails, sites)
        if duplicate:
            out.problems.append(Problem(csv_name, row_line, "row", Text('{duplicate}; skipped', duplicate=duplicate)))
            out.rows.append((row_line, Text("skipped"), duplicate))
            continue
        refused, drafted = _write_or_refuse(data, slug, issues, csv_name, row_line, catalog, today, gettext)
        if refused:
            out.problems.extend(refused)
            out.rows.append((row_line, Text("not imported"), joined([Text("{field}: {problem}", field=p.field, problem=p.message) for p in refused], "; ")))
            continue
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
    return out


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
                field_name = p.field if p.field != "file" else ("name" if p.message.startswith("the file name") else "row")
                out.append(Problem(csv_name, row_line, field_name, Text("{problem}; row not imported", problem=p.message)))
            return out, None
        issues.extend((p.field, Text("{problem}; set aside (the answer is kept under internal.screening)", problem=p.message)) for p in fixable)
    return [Problem(csv_name, row_line, "row", Text("too many problems to set aside; row not imported"))], None


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
        return None, Text('the dates are {found} (e.g. {value}), not {given} as --date-order says', found=found, value=ambiguous[0], given=given)
    if found or not ambiguous:
        return found or given, None
    if given:
        return given, None
    return None, (
        Text('dates such as {value} could be day/month or month/day and no value settles it; pass --date-order dmy (Indonesian forms) or --date-order mdy (English forms)', value=ambiguous[0])
    )


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
    # Not given ("don't know" is a fine answer; a form rarely asks for the side) is what screening settles
    # anyway: a note. An answer that names no pattern or side is an issue for a person.
    pattern, why = (None, Text("not given"))
    if cells.get("pattern"):
        pattern, why = match(cells["pattern"], *_patterns(catalog, mapping))
        if pattern and why:
            notes.append(("pattern", why))
    if pattern is None:
        pattern = mapping.defaults.get("pattern")
        (issues if cells.get("pattern") else notes).append(("pattern", Text('{why}; set to {pattern!r} until screening', why=why, pattern=pattern)))
    side, why = (None, Text("not given"))
    if cells.get("side") and pattern in catalog.patterns:
        side, why = match(cells["side"], *_sides(catalog, mapping, pattern))
        if side and why:
            notes.append(("side", why))
    if side is None:
        default = mapping.defaults.get("side")
        sides = [s.id for s in catalog.patterns[pattern].sides] if pattern in catalog.patterns else []
        side = default if default in sides else (sides[-1] if sides else default)
        (issues if cells.get("side") else notes).append(("side", Text('{why}; set to {side!r} until screening', why=why, side=side)))
    data.update(pattern=pattern, side=side)
    summary = cells.get("summary") or cells.get("description") or ""
    summary = " ".join(summary.split())
    if len(summary) > 280:
        summary = summary[:277].rsplit(" ", 1)[0] + "…"
    data["summary"] = summary or f"[[Calon mitra: {data['name']}. Tulis ringkasannya sebelum dipublikasikan.]]"
    data["region"] = {}
    if cells.get("region.province"):
        table, names = _provinces(mapping)
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
        kind, why = match(cells["kind"], _table(KINDS, mapping.values.get("kind", {})), {k: k for k in KINDS})
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
        person["consent"] = False  # an applicant's own details stay private until they agree to be shown
        contact["person"] = person
    if contact:
        data["contact"] = contact
    data["stage"] = catalog.stages[0].id if catalog.stages else "identification"
    data["visibility"] = "hidden"
    return data, notes, issues


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


def starting_mapping(raw: bytes, csv_name: str, catalog: Catalog, known: Mapping, sample: int = 200,
                     gettext=None) -> tuple[str, dict[str, str]]:
    """A mapping file for one form's export, for staff to check and edit: each column title matched (forgivingly)
    to the field whose known titles it resembles, the received-date column, and every answer of the first
    `sample` rows of the pattern, side, province and kind columns matched to its id (left empty, with a
    comment, where none is clear). Returns the YAML text and {column title: field}."""
    csv.field_size_limit(max(csv.field_size_limit(), len(raw) + 1))  # a long answer is data, not the end of the rows
    text, _, _ = decode(raw)
    reader = _reader(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValueError(Text('{csv_name}: no header row to make a mapping from', csv_name=csv_name))
    rows = []
    for _ in range(sample):
        try:
            rows.append(next(reader))
        except (StopIteration, csv.Error):
            break
    titles = {fold(t): target for target, ts in known.fields.items() for t in ts if fold(t)}
    received_titles = {fold(t) for t in known.received if fold(t)}
    chosen: dict[str, str] = {}  # field -> column title
    received = None
    for title in header:
        key = fold(title)
        if not key:
            continue
        if key in received_titles and received is None:
            received = title.strip()
            continue
        target = titles.get(key)
        if target is None:
            # "Nama Organisasi / Usaha" holds the known "Nama organisasi": the longest known title inside it wins.
            inside = sorted((t for t in titles if re.search(rf"\b{re.escape(t)}\b", key)), key=len, reverse=True)
            close = difflib.get_close_matches(key, list(titles), n=1, cutoff=0.8)
            target = titles[inside[0]] if inside else (titles[close[0]] if close else None)
        if target and target not in chosen:
            chosen[target] = title.strip()
    def comment(message: Text) -> str:  # a comment line for staff, in their language
        return " ".join(said(message, gettext).split())

    out = ["# " + comment(Text("Which column of this form's export feeds which partner field, made by `portal import --map` from {file}.",
                               file=os.path.basename(csv_name))),
           "# " + comment(Text("Check every line, then: portal import FILE --mapping THIS-FILE")),
           "# " + comment(Text("Every answer of a row is also kept, word for word, under internal.screening (never published).")), "fields:"]
    for target in MAPPABLE:
        if target in chosen:
            out.append(_entry(target, [chosen[target]], 2))
    unmapped = [t.strip() for t in header if t.strip() and t.strip() not in chosen.values() and t.strip() != received]
    if unmapped:
        out.append("  # " + comment(Text("Columns matched to no field (kept under internal.screening only); move a title into a list above to use it:")))
        out.extend("  #   " + comment(t[:MAX_NAMED]) for t in unmapped)  # one line each, whatever breaks a title holds
    out.append(_entry("received", [received], 0) if received else "received: []  # " + comment(Text("the column with each response's date, if any")))
    values: dict[str, dict[str, str]] = {}
    lookups = {"pattern": _patterns(catalog, known), "region.province": _provinces(known), "kind": (_table(KINDS, known.values.get("kind", {})), {k: k for k in KINDS})}
    for target, (table, names) in lookups.items():
        if target not in chosen:
            continue
        column = [fold(t) for t in header].index(fold(chosen[target]))
        for row in rows:
            answer = row[column].strip() if column < len(row) else ""
            # An answer becomes a key of the mapping: one line, short enough to be a plain YAML key, or not listed.
            if answer and len(answer) <= 120 and "\n" not in answer and "\r" not in answer and answer.casefold() not in ANONYMOUS and answer not in values.get(target, {}):
                found, _ = match(answer, table, names)
                values.setdefault(target, {})[answer] = found or ""
    out.append("# " + comment(Text("Answers as written in the form -> the id they mean (pattern and kind ids, province names).")))
    out.append("# " + comment(Text("An empty value was not recognised: write the id, or leave it empty to have the row imported as a draft to settle.")))
    out.append("values:" if values else "values: {}")
    for target, answers in values.items():
        out.append(f"  {target}:")
        for answer, found in answers.items():
            out.append(_entry(answer, found, 4) + ("" if found else "  # " + comment(Text("not recognised"))))
    out.append("defaults:" if known.defaults else "defaults: {}")
    out.extend(_entry(key, value, 2) for key, value in known.defaults.items())
    text = "\n".join(out) + "\n"
    expected = {"fields": {t: [chosen[t]] for t in MAPPABLE if t in chosen}, "received": [received] if received else [],
                "values": values, "defaults": dict(known.defaults)}
    if yaml.safe_load(text) != expected:  # what the dumper wrote reads back as exactly what was meant
        raise ValueError(Text('{csv_name}: its column titles cannot be written into a mapping safely', csv_name=csv_name))
    return text, {title: target for target, title in chosen.items()}


def _entry(key: str, value, indent: int) -> str:
    """One `key: value` line of a mapping, written by the YAML dumper (titles and answers quoted as it
    must; a line break in one is an escape, never a new line of YAML)."""
    line = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=True, width=1 << 30, sort_keys=False)
    return " " * indent + line.strip()[1:-1].strip()


def _flow(text: str) -> str:
    """A text as one YAML flow scalar (JSON's quoting is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)
