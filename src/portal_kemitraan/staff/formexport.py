"""The form-export reader: a form's CSV export as rows (encodings, separators, strict quoting), its headers and
timestamps, and its answers matched to the ids they name; shared by import and corrections."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from ..core.catalog import Catalog
from ..core.reference import KIND_LABELS, PROVINCES
from ..core.safefs import Refused, read_inside, read_regular
from ..core.yamlsource import MAX_BYTES, load_bytes
from ..core.problems import Text


ANONYMOUS = {"anonymous", "anonim", "-", "n/a"}  # what form exports write where nobody answered


# The partner fields a form's column may fill.
MAPPABLE = (
    "name", "summary", "description", "pattern", "side", "kind", "sectors", "region.province", "region.city", "website",
    "contact.email", "contact.phone", "contact.whatsapp", "contact.person.name", "contact.person.role", "contact.person.email",
    "contact.person.phone", "contact.person.whatsapp", "contact.person.consent",
)  # fmt: skip


VALUE_FIELDS = ("pattern", "side", "region.province", "kind")


# Each kind of organisation as forms ask it: its names in both languages, then common words.
_KIND_WORDS = {
    "individual": ["Pribadi"],
    "community-group": ["Kelompok", "Kelompok tani", "Komunitas"],
    "cooperative": ["KUD"],
    "business": ["Usaha", "Perusahaan", "UMKM", "UMK", "CV", "PT", "UD"],
    "ngo": ["LSM", "Yayasan", "Non-profit"],
    "government": ["Pemerintah", "Dinas", "BUMDes"],
    "education": ["Sekolah", "Kampus", "Universitas"],
    "media": [],
    "other": [],
}
KINDS = {kind: [*dict.fromkeys(KIND_LABELS[kind]), *words] for kind, words in _KIND_WORDS.items()}  # answers matched to ids


@dataclass
class Mapping:
    fields: dict[str, list[str]]
    received: list[str]
    defaults: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {an answer as written -> id}
    added: frozenset = frozenset()  # titles `extended` added (the portal's own form): not the file's own, not listed to staff

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

    def extended(self, fields: dict[str, list[str]], received: tuple[str, ...]) -> "Mapping":
        """The same mapping with more titles after its own (a title of its own always wins): the headers
        of the portal's own XLSForm's exports."""
        more = {k: list(v) for k, v in self.fields.items()}
        for target, titles in fields.items():
            more.setdefault(target, []).extend(t for t in titles if t not in more[target])
        added = frozenset(t for titles in fields.values() for t in titles) - {t for titles in self.fields.values() for t in titles}
        return Mapping(more, self.received + [r for r in received if r not in self.received], dict(self.defaults), self.values, self.added | added)

    def own_titles(self, target: str) -> list[str]:
        """The titles this mapping file gives a field (without those `extended` added)."""
        return [t for t in self.fields.get(target, []) if t not in self.added]


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
    ids = list(dict.fromkeys(table[c] for c in close)) or _named_inside(key, table)
    if len(ids) == 1:
        return ids[0], Text('read {answer!r} as {value!r}', answer=answer, value=names[ids[0]])
    if ids:
        return None, Text('{answer!r} could be {ids}', answer=answer, ids=' or '.join(repr(names[i]) for i in ids))
    return None, Text('{answer!r} is not recognised', answer=answer)


def _named_inside(key: str, table: dict[str, str]) -> list[str]:
    """The ids whose longest spellings stand as whole words inside a longer answer ("Bapak angkat (kami
    perusahaan besar)" holds "bapak angkat"): the ids of the longest such spelling, so a short word inside a
    longer name does not count twice. Linear in the table (answers are at most MAX_NAMED characters)."""
    padded = f" {key} "
    inside = [spelling for spelling in table if len(spelling) >= 4 and f" {spelling} " in padded]
    if not inside:
        return []
    longest = max(len(spelling) for spelling in inside)
    return list(dict.fromkeys(table[spelling] for spelling in inside if len(spelling) == longest))


def named_table(entries: dict[str, list[str]], extra: dict[str, str]) -> dict[str, str]:
    """Folded spellings -> id, from each id's own spellings and the mapping file's `values` for the field. A
    spelling two ids share names neither (the mapping file's own answers still decide)."""
    owners: dict[str, set[str]] = {}
    for key, spellings in entries.items():
        for spelling in [key, *spellings]:
            if fold(spelling):
                owners.setdefault(fold(spelling), set()).add(key)
    table = {spelling: next(iter(keys)) for spelling, keys in owners.items() if len(keys) == 1}
    table.update({fold(answer): key for answer, key in extra.items() if key in entries and fold(answer)})
    return table


_NAME_PARTS = re.compile(r"\s+[–—-]\s+")  # "Bapak angkat – anak angkat": each side of the dash names the pattern too


def pattern_names(catalog: Catalog, mapping: "Mapping") -> tuple[dict, dict]:
    """Each pattern by its names in both languages, each half of a name ("Bapak angkat"), and its sides' names
    (a side names its pattern when no other pattern has a side of that name)."""
    entries = {}
    for pid, p in catalog.patterns.items():
        names = [p.name.id, p.name.en]
        entries[pid] = names + [part for name in names for part in _NAME_PARTS.split(name)] + [l for s in p.sides for l in (s.label.id, s.label.en)]
    return named_table(entries, mapping.values.get("pattern", {})), {pid: p.name.id for pid, p in catalog.patterns.items()}


def kind_names(mapping: "Mapping") -> tuple[dict, dict]:
    """Each kind of organisation by its id and the words forms and staff use for it."""
    return named_table(KINDS, mapping.values.get("kind", {})), {k: k for k in KINDS}


def side_names(catalog: Catalog, mapping: "Mapping", pattern_id: str) -> tuple[dict, dict]:
    sides = catalog.patterns[pattern_id].sides
    return named_table({s.id: [s.label.id, s.label.en] for s in sides}, mapping.values.get("side", {})), {s.id: s.label.id for s in sides}


def province_names(mapping: "Mapping") -> tuple[dict, dict]:
    entries = {row["name"]: [row["id"], *row["aliases"]] for row in PROVINCES}
    return named_table(entries, mapping.values.get("region.province", {})), {row["name"]: row["name"] for row in PROVINCES}


_SLASHED = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")


_YEAR_FIRST = re.compile(r"^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?!\d)")  # also ISO 8601: 2026-11-13T09:15:02


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


def received_date(value: str, order: str | None) -> str | None:
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


MISDECODED = ("\ufffd", "Ã", "Â", "â€")  # what UTF-8 or undefined bytes look like when read as Windows-1252


def rows_of(text: str):
    """A strict CSV reader: malformed quoting is an error, not two rows merged; any field size is read."""
    dialect = sniff_dialect(text)
    return csv.reader(io.StringIO(text, newline=""), dialect, strict=True)


def file_date_order(text: str, column: int, given: str | None) -> tuple[str | None, str | None]:
    """The day/month order of the file's timestamps: settled by the values, else `given` (--date-order);
    (None, why) when neither can settle it or they disagree. Never a guess."""
    values = []
    reader = rows_of(text)
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


def header_columns(header: list[str], mapping: Mapping, key=normalise_header) -> tuple[dict[str, int], int | None]:
    """Which column feeds each field of the mapping (the first title of its list that the header has; a title
    the header holds twice is its first column), and the column of each response's timestamp: titles compared
    by `key` (normalise_header; or fold, which forgives accents and punctuation too)."""
    index = {key(h): i for i, h in reversed(list(enumerate(header))) if h.strip()}
    columns: dict[str, int] = {}
    for target, titles in mapping.fields.items():
        found = next((index[key(h)] for h in titles if key(h) in index), None)
        if found is not None:
            columns[target] = found
    received = next((index[key(h)] for h in mapping.received if key(h) in index), None)
    return columns, received


NO_MAPPING = Mapping(fields={}, received=[], defaults={})
