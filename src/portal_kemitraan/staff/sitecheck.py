"""The built site read against the data (`portal check`): no private value in any file, every link and anchor
resolves, every alternate exists, every export parses. Problems are values (`Text`), one per line."""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import unquote
from xml.etree import ElementTree

from ..core.catalog import Catalog
from ..core.parallel import Beside, fork_map
from ..core.privacy import _PHONE_LIKE, _national
from ..core.problems import Text
from ..core.public import PublicSite
from ..core.published import as_dict
from ..render.editor import vendored_digests
from .sitelinks import broken_links, site_files, sitemap_problems

# Fields of a partner that hold ids or reference names (published for every partner alike), never a
# value that identifies one partner: they are not looked for.
_REFERENCE_FIELDS = frozenset({"pattern", "side", "kind", "forms", "stage", "visibility", "province", "consent", "logo", "location", "lat", "lon"})
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[A-Za-z!/?][^>]*>")
_ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
# A run of digits as phone numbers are written: at most two separators between digits (+62 812-3456-7890,
# (022) 555 0142), so a long run of spaces or dots is never searched twice.
# It starts at its first digit (a "+" before it adds no digit), so the engine skips ahead to a digit.
_DIGIT_RUN = re.compile(r"\d(?:[ \t().-]{0,2}\d){5,}")
_NON_DIGIT = re.compile(r"\D")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.+Z-]*)?$")
MAX_NEEDLE = 8  # words of a value looked for: its start is enough to show that it is there
_IDENTIFYING = re.compile(r"name|owner|applicant|person|contact|email|mail|phone|whatsapp|wa$|pic|staf|staff", re.I)
_RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".otf")

VENDORED = vendored_digests()  # read once: the package's own files, constant


@dataclass(frozen=True)
class EditionSite:
    """One built edition: its configuration file, language, public address and output folder."""

    config: str
    language: str
    site_url: str
    site_dir: str


@dataclass(frozen=True)
class Secret:
    """What a private value is: where it comes from (file and field) and the rule it falls under, and the
    files of the site where it may appear (an unlisted partner's own page)."""

    source: str
    field: str
    rule: str  # internal | hidden | unconsented | unlisted
    allowed: tuple[str, ...] = ()


@dataclass
class Needles:
    """Private values as sequences of lower-case words, each filed under its rarest word (by how often the
    published data uses it), and private phone numbers by their national digits. A text is searched by the
    set of its words (C-speed), then only where a filed word occurs."""

    by_key: dict[str, list[tuple[tuple[str, ...], int, Secret]]] = field(default_factory=dict)
    phones: dict[str, list[Secret]] = field(default_factory=dict)
    rarity: dict[str, int] = field(default_factory=dict)  # word -> how often published text holds it

    def add(self, words: tuple[str, ...], secret: Secret) -> None:
        offset = min(range(len(words)), key=lambda i: (self.rarity.get(words[i], 0), -len(words[i])))
        self.by_key.setdefault(words[offset], []).append((words, offset, secret))

    def drop(self, words: list[str], rules: frozenset[str]) -> None:
        """Forget the values of `rules` that `words` (published text) holds: a value that is also public is no leak.
        Each distinct value is looked for once, up to its first place (find() would yield every place of
        every value: millions at 10,000 partners, where many share a note or an owner)."""
        present = self.by_key.keys() & set(words)
        places: dict[str, list[int]] = {word: [] for word in present}
        for at, word in enumerate(words):
            if word in places:
                places[word].append(at)
        held: dict[tuple, bool] = {}  # (value, the place of its filed word in it) -> whether the words hold it
        found = set()
        for word in present:
            for needle, offset, secret in self.by_key[word]:
                if secret.rule not in rules:
                    continue
                if (needle, offset) not in held:
                    size = len(needle)
                    held[needle, offset] = any(at >= offset and tuple(words[at - offset : at - offset + size]) == needle for at in places[word])
                if held[needle, offset]:
                    found.add(id(secret))
        for key in list(self.by_key):
            kept = [entry for entry in self.by_key[key] if id(entry[2]) not in found]
            if kept:
                self.by_key[key] = kept
            else:  # a word with nothing filed under it any more would send every text holding it through find()
                del self.by_key[key]

    def widen(self, extra: dict[int, tuple[str, ...]]) -> None:
        """Let the secrets named (by identity) appear in more files as well."""
        made: dict[int, Secret] = {}
        wider = lambda s: made.setdefault(id(s), replace(s, allowed=s.allowed + extra[id(s)])) if id(s) in extra else s  # noqa: E731
        self.by_key = {key: [(w, at, wider(s)) for w, at, s in entries] for key, entries in self.by_key.items()}
        self.phones = {number: [wider(s) for s in secrets] for number, secrets in self.phones.items()}

    def find(self, words: list[str], present: set[str] | None = None):
        """Every (value, secret) whose words occur in `words`, in order (`present`: the filed words among
        them, when the caller knows them already)."""
        present = self.by_key.keys() & set(words) if present is None else present
        if not present:
            return
        if len(present) <= _FEW_KEYS:  # few filed words: each found by the list's own search (C-speed), then put in order
            places = sorted((at, word) for word in present for at in _places(words, word))
        else:  # one pass, stopping only where a filed word stands
            places = [(at, word) for at, word in enumerate(words) if word in present]
        for at, word in places:
            for needle, offset, secret in self.by_key[word]:
                start = at - offset
                if start >= 0 and tuple(words[start : start + len(needle)]) == needle:
                    yield needle, secret

    def phone_lengths(self) -> list[int]:
        """How many digits the private numbers have: computed once for a scan of many texts."""
        return sorted({len(number) for number in self.phones})

    def phone_hits(self, text: str, lengths: list[int] | None = None):
        """The secrets whose phone number (national digits) lies inside a run of digits of `text`, however
        it is grouped or prefixed (+62, 0, wa.me/62…), and whatever digits stand beside it. `lengths`:
        phone_lengths(), when the numbers have not changed since it was taken."""
        if not self.phones:
            return
        lengths = lengths or self.phone_lengths()
        for match in _DIGIT_RUN.findall(text):
            digits = _NON_DIGIT.sub("", match)
            if len(digits) < lengths[0]:
                continue
            for start in range(len(digits) - lengths[0] + 1):
                for length in lengths:
                    if start + length <= len(digits):
                        yield from self.phones.get(digits[start : start + length], ())


class Reading:
    """The words and private phone numbers of texts, read line by line and remembered for one scan of many
    files (in one process): the theme draws the same lines and icons around every page, so most of a page
    is read once for the whole site. Exact: no word and no run of digits holds a line break, and case
    folding goes letter by letter. Bounded: past `cap` lines nothing new is kept, nor any line over 4 KiB."""

    def __init__(self, needles: Needles, cap: int = 30_000):
        self.needles, self.cap = needles, cap
        self.lengths = needles.phone_lengths()
        self.lines: dict[str, tuple[list[str], tuple]] = {}

    def read(self, text: str) -> tuple[list[str], set[str], list]:
        """words_of(text), the words among them that values are filed under, and the secrets of
        needles.phone_hits(text)."""
        words: list[str] = []
        filed: set[str] = set()
        phones: list = []
        lines, keys = self.lines, self.needles.by_key.keys()
        for line in text.split("\n"):
            known = lines.get(line)
            if known is None:
                found = words_of(line)
                known = (found, keys & set(found), tuple(self.needles.phone_hits(line, self.lengths)))
                if len(lines) < self.cap and len(line) <= 4096:
                    lines[line] = known
            words += known[0]
            filed |= known[1]
            phones += known[2]
        return words, filed, phones


_FEW_KEYS = 8  # up to this many filed words in a text, finding each with list.index beats one pass in Python


def _places(words: list[str], word: str):
    """Every index of `word` in `words`."""
    at = -1
    while True:
        try:
            at = words.index(word, at + 1)
        except ValueError:
            return
        yield at


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _leaves(value, path: tuple = ()):
    """(path, text) of every string in a nested value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, path + (str(k),))
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _leaves(v, path + (str(i),))


def _field_name(path: tuple) -> str:
    return ".".join(p if not p.isdigit() else f"[{p}]" for p in path).replace(".[", "[")


def _add_value(needles: Needles, text: str, path: tuple, secret: Secret) -> None:
    """A private value as needles: its phone numbers by their digits; its lines by their first words.
    A line is looked for when it identifies something (a name: one word of at least four letters, or
    more words) or, for free text, when it is long enough (three words, twelve letters) not to be
    ordinary words that any page may hold."""
    identifying = bool(_IDENTIFYING.search(path[-1] if path else "")) or secret.rule in ("unconsented",)
    if _DATE.match(text.strip()):
        return  # a date is shared by many partners and pages
    for match in _PHONE_LIKE.findall(text):
        digits = _national(re.sub(r"\D", "", match))
        if len(digits) >= 8:
            needles.phones.setdefault(digits, []).append(secret)
    for line in text.splitlines():
        words = tuple(words_of(line))[:MAX_NEEDLE]
        letters = sum(len(w) for w in words)
        if not words or all(w.isdigit() for w in words):
            continue
        if identifying or "@" in line:
            if len(words) >= 2 or letters >= 4:
                needles.add(words, secret)
        elif len(words) >= 3 and letters >= 12 or len(words) >= 2 and secret.rule in ("hidden", "unlisted") and path[:1] == ("name",):
            needles.add(words, secret)
        elif len(words) == 1 and letters >= 6 and path[:1] == ("name",):
            needles.add(words, secret)


def own_files(slug: str, logo: str | None, prefixes: list[str]) -> tuple[str, ...]:
    """The files where an unlisted partner's values may appear: its page (and what lies under it), its
    share card and its logo, in every edition."""
    out = []
    for prefix in prefixes:
        out += [f"{prefix}partners/{slug}/", f"{prefix}assets/share/{slug}."]
        if logo:
            out.append(f"{prefix}assets/partners/{logo}")
    return tuple(out)


def private_needles(catalog: Catalog, public: PublicSite, prefixes: list[str]) -> Needles:
    """Every value that must stay private, from the data: anything under `internal`, every value of a hidden
    partner, a contact person without consent; and an unlisted partner's values outside its own files.
    A value that a published partner or the reference data (patterns, stages, forms) also holds is dropped:
    the site may show it for that reason."""
    listed_words, unlisted_words = [], []
    for partner in public.listed:
        listed_words += words_of(" \n ".join(t for _, t in _leaves(as_dict(partner))))
    for partner in public.unlisted:
        unlisted_words += words_of(" \n ".join(t for _, t in _leaves(as_dict(partner))))
    reference = [m.model_dump(mode="json") for m in public.patterns.values()] + [t.model_dump(mode="json") for t in public.stages + public.forms]
    listed_words += words_of(" \n ".join(t for _, t in _leaves(reference)))
    needles = Needles(rarity=dict(Counter(listed_words)))
    for slug, record in sorted(catalog.partners.items()):
        source = f"{os.path.basename(catalog.root)}/{os.path.basename(record.path)}"
        p = record.data
        data = p.model_dump(mode="json", exclude={"internal"})
        if p.visibility == "hidden":
            for path, text in _leaves(data):
                if not _REFERENCE_FIELDS.intersection(path):
                    _add_value(needles, text, path, Secret(source, _field_name(path), "hidden"))
            if "-" in slug:
                needles.add(tuple(slug.split("-")), Secret(source, "slug", "hidden"))
            if p.logo:
                name = os.path.splitext(os.path.basename(p.logo))[0]
                if len(name) >= 6:
                    needles.add(tuple(words_of(name)), Secret(source, "logo", "hidden"))
        elif p.visibility == "unlisted":
            allowed = own_files(slug, f"{p.logo}" if p.logo else None, prefixes)
            for path, text in _leaves(data):
                if not _REFERENCE_FIELDS.intersection(path) and path[:2] != ("contact", "person"):
                    _add_value(needles, text, path, Secret(source, _field_name(path), "unlisted", allowed))
            if "-" in slug:
                needles.add(tuple(slug.split("-")), Secret(source, "slug", "unlisted", allowed))
        person = p.contact.person if p.contact else None
        if person is not None and not person.consent:
            for key in ("name", "email", "phone", "whatsapp"):
                value = getattr(person, key)
                if value:
                    _add_value(needles, str(value), ("contact", "person", key), Secret(source, f"contact.person.{key}", "unconsented"))
        for path, text in _leaves(p.internal.model_dump(exclude_none=True) if p.internal else {}, ("internal",)):
            _add_value(needles, text, path, Secret(source, _field_name(path), "internal"))
    needles.drop(listed_words, frozenset({"internal", "hidden", "unconsented", "unlisted"}))
    needles.drop(unlisted_words, frozenset({"internal", "hidden", "unconsented"}))
    needles.widen(_shared_by_unlisted(needles, catalog, public, prefixes))
    public_phones = set()
    for partner in public.listed + public.unlisted:
        for _, text in _leaves(partner.contact or {}):
            public_phones.update(_national(re.sub(r"\D", "", m)) for m in _PHONE_LIKE.findall(text))
    for number in public_phones:
        needles.phones.pop(number, None)
    return needles


def _shared_by_unlisted(needles: Needles, catalog: Catalog, public: PublicSite, prefixes: list[str]) -> dict[int, tuple[str, ...]]:
    """A value of one unlisted partner that another unlisted partner's own data holds too (two branches that
    share a summary) is that partner's own text on its own files: it may appear there as well."""
    extra: dict[int, tuple[str, ...]] = {}
    for partner in public.unlisted:
        logo = catalog.partners[partner.slug].data.logo if partner.slug in catalog.partners else None
        mine = own_files(partner.slug, f"{logo}" if logo else None, prefixes)
        for _, secret in needles.find(words_of(" \n ".join(t for _, t in _leaves(as_dict(partner))))):
            if secret.rule == "unlisted" and not set(mine) <= set(secret.allowed) | set(extra.get(id(secret), ())):
                extra[id(secret)] = extra.get(id(secret), ()) + mine
    return extra


# --- reading the built files --------------------------------------------------------------------------


def _texts(path: str, raw: bytes):
    """The texts of one built file as a reader or a program would get them: gzip unpacked (sitemaps, the
    search index), a workbook's parts, HTML with its tags reduced to their attribute values."""
    name = path.lower()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            return
    if raw[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                for info in archive.infolist()[:1000]:
                    if info.file_size < 64 * 1024 * 1024:
                        yield archive.read(info).decode("utf-8", "replace")
        except (zipfile.BadZipFile, OSError):
            pass
        return
    if name.endswith(_RASTER):
        return
    text = raw.decode("utf-8", "replace")
    if name.endswith((".html", ".htm", ".xml", ".svg")) or "<" in text[:200]:
        # What a reader sees (the text between tags) and what a program reads (every attribute's value),
        # apart: a value is looked for inside one or the other.
        values = " \n ".join(a or b for a, b in _ATTRIBUTE_VALUE.findall(text))
        text = html.unescape(_TAG.sub(" ", text) + " \n " + values)
    yield text
    if "%" in text:
        decoded = unquote(text)
        if decoded != text:  # "94%" is no escape: the same text is not read twice
            yield decoded


def leaks(site_root: str, needles: Needles, parallel: bool = True) -> list[Text]:
    """Every file of the site that holds a private value: one line per file and partner file, naming the
    fields found and the rule they fall under (never the value itself: the output may be a public log).
    The files are read on every core."""
    paths = list(site_files(site_root))
    reading = Reading(needles)  # each worker fills its own copy
    found = fork_map(lambda path: _file_leaks(site_root, path, reading), paths, parallel, dealt=True)
    return [problem for problems in found for problem in problems]


def _file_leaks(site_root: str, path: str, reading: Reading) -> list[Text]:
    rel = os.path.relpath(path, site_root).replace(os.sep, "/")
    with open(path, "rb") as fh:
        raw = fh.read()
    if len(raw) in VENDORED and hashlib.sha256(raw).hexdigest() in VENDORED[len(raw)]:
        return []  # the editor's third-party code, byte for byte as vendored: no data of ours is in it
    found: dict[tuple[str, str], set[str]] = {}
    for text in _texts(rel, raw):
        words, filed, phones = reading.read(text)
        for secret in [s for _, s in reading.needles.find(words, filed)] + phones:
            if not any(rel.startswith(a) for a in secret.allowed):
                found.setdefault((secret.source, secret.rule), set()).add(secret.field)
    return [_leak_message(rel, source, ", ".join(sorted(fields)), rule) for (source, rule), fields in sorted(found.items())]


def _leak_message(rel: str, source: str, fields: str, rule: str) -> Text:
    why = {
        "internal": Text("holds {source}'s {field}, a staff note that is never published", source=source, field=fields),
        "hidden": Text("holds {source}'s {field}, and that partner is hidden", source=source, field=fields),
        "unconsented": Text("holds {source}'s {field}, a contact person who has not consented to be shown", source=source, field=fields),
        "unlisted": Text("holds {source}'s {field}, and that partner is unlisted (only its own page may show it)", source=source, field=fields),
    }[rule]
    return Text("{path}: {why}", path=rel, why=why)


# --- exports parse ------------------------------------------------------------------------------------


def format_problems(site_root: str) -> list[Text]:
    """Every feed, sitemap and other XML, JSON file, CSV table, workbook and data package of the build parses."""
    problems = []
    for path in site_files(site_root):
        rel = os.path.relpath(path, site_root).replace(os.sep, "/")
        name = rel.rsplit("/", 1)[-1]
        try:
            if name.endswith(".json"):
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if name == "datapackage.json":
                    problems += _datapackage(site_root, rel, data)
            elif name.endswith(".xml") or name.endswith(".xml.gz"):
                with open(path, "rb") as fh:
                    raw = fh.read()
                ElementTree.fromstring(gzip.decompress(raw) if name.endswith(".gz") else raw)
            elif name.endswith(".csv"):
                with open(path, encoding="utf-8-sig", newline="") as fh:
                    rows = list(csv.reader(fh))
                widths = {len(r) for r in rows}
                if not rows or len(widths) != 1:
                    problems.append(Text("{path}: not a table: its rows have {widths} columns", path=rel, widths=", ".join(map(str, sorted(widths))) or "0"))
            elif name.endswith(".xlsx"):
                from openpyxl import load_workbook

                book = load_workbook(path, read_only=True)
                for sheet in book.worksheets:
                    for _ in sheet.iter_rows(values_only=True):
                        pass
                book.close()
        except (ValueError, UnicodeDecodeError, ElementTree.ParseError, OSError, EOFError, csv.Error, zipfile.BadZipFile, KeyError) as exc:
            problems.append(Text("{path}: cannot be read: {error}", path=rel, error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    return problems


def _datapackage(site_root: str, rel: str, data) -> list[Text]:
    """A data package's resources exist and each table's header is the fields its schema names."""
    problems = []
    folder = os.path.dirname(os.path.join(site_root, rel))
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list) or not resources:
        return [Text("{path}: a data package names its resources", path=rel)]
    for resource in resources:
        target = os.path.join(folder, str(resource.get("path", "")))
        if not resource.get("path") or not os.path.isfile(target):
            problems.append(Text("{path}: the resource {name!r} has no file {file!r}", path=rel, name=resource.get("name"), file=resource.get("path")))
            continue
        fields = [f.get("name") for f in (resource.get("schema") or {}).get("fields", [])]
        if fields and target.endswith(".csv"):
            with open(target, encoding="utf-8-sig", newline="") as fh:
                header = next(csv.reader(fh), [])
            if header != fields:
                problems.append(Text("{path}: the columns of {file} are not the fields its schema names", path=rel, file=resource.get("path")))
    return problems


def check_site(site_root: str, editions: list[EditionSite], catalog: Catalog, public: PublicSite, repository: str = "") -> list[Text]:
    """Every problem of a built site, read against its data: leaks, broken links and anchors, sitemaps and
    their alternates, exports that do not parse. Empty when the site may be published."""
    home = editions[0].site_url
    prefixes = []
    for edition in editions:
        rel = os.path.relpath(edition.site_dir, site_root).replace(os.sep, "/")
        prefixes.append("" if rel == "." else rel + "/")
    problems = []
    missing = [e for e in editions if not os.path.isfile(os.path.join(e.site_dir, "index.html"))]
    for edition in missing:
        problems.append(Text("{path}: the {language} edition ({config}) is not built there", path=os.path.relpath(edition.site_dir), language=edition.language, config=edition.config))
    if missing:
        return problems
    # The exports are parsed beside, on the core that gathering the private values (one process) leaves idle.
    formats = Beside(lambda: format_problems(site_root))
    try:
        problems += leaks(site_root, private_needles(catalog, public, prefixes))
        links, _ = broken_links(site_root, home, repository)
        problems += links
        for edition in editions:
            problems += sitemap_problems(site_root, edition.site_dir, home)
        problems += formats.result()
    finally:
        formats.cancel()  # stopped if anything above failed; nothing to do once its answer is in
    return problems
