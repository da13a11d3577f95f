"""Load and validate a whole data tree (partners, patterns, stages, forms) into one Catalog."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from . import privacy
from .logos import MAX_LOGO_BYTES, LogoError, clean_logo
from .fieldtypes import SLUG_RE
from .models import DRAFT_ONLY, Partner, Pattern, SearchTerms, Term, describe, explain, lacks_province, lacks_side
from .parallel import fork_map
from .problems import Problem, Report, joined
from .published import published_sources
from .safefs import Refused, list_folder, read_inside
from .yamlsource import MAX_BYTES, Source, load_bytes, load_file
from .problems import Text

RESERVED = {"stages", "forms", "search"}  # data files at the top of partners/ that are not partners
LOGO_TYPES = {".png", ".jpg", ".jpeg", ".svg", ".webp"}
DATA_EXTENSIONS = (".yml", ".yaml")  # exactly these, in lower case, are read as data
# Files at the top of partners/ that are not data and are expected there.
KNOWN_FILES = {"partner.schema.json", "README.md", "readme.md", ".gitkeep"}
# Endings (any letter case) of files that look like data: reported when they would be ignored.
DATA_LIKE = (".yml", ".yaml", ".json", ".csv", ".toml", ".txt", ".yml.txt")
EARLIEST = dt.date(1900, 1, 1)  # no date in partner data is older than this
FUTURE_YEARS = 30  # nor further in the future than this, counted from the build date
_slug_re = re.compile(SLUG_RE)


@dataclass
class PartnerRecord:
    """A validated partner with the facts the files imply: its slug and where it came from."""

    slug: str
    path: str  # shown path, e.g. partners/koperasi-maju.yml
    data: Partner


@dataclass
class Catalog:
    """Everything the site and the staff commands need, validated."""

    root: str
    patterns: dict[str, Pattern] = field(default_factory=dict)
    stages: list[Term] = field(default_factory=list)
    forms: list[Term] = field(default_factory=list)
    partners: dict[str, PartnerRecord] = field(default_factory=dict)
    synonyms: list[list[str]] = field(default_factory=list)  # partners/search.yml: words that find each other
    logos: dict[str, bytes] = field(default_factory=dict)  # logo path under partners/ -> bytes to publish
    report: Report = field(default_factory=Report)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def form(self, form_id: str) -> Term:
        return next(f for f in self.forms if f.id == form_id)

    def stage_of(self, record: PartnerRecord) -> str:
        return record.data.stage or self.stages[0].id

    def side(self, pattern_id: str, side_id: str):
        return next(s for s in self.patterns[pattern_id].sides if s.id == side_id)


def shown(root: str, abs_path: str) -> str:
    """The path as messages show it: relative to the data folder's parent, with forward slashes."""
    base = os.path.dirname(os.path.abspath(root))
    return os.path.relpath(os.path.abspath(abs_path), base).replace(os.sep, "/")


def _validate(model: type[BaseModel], src: Source):
    """Validate loaded data against a model, recording every error with its line."""
    if src.problems:
        return None
    if not isinstance(src.data, dict):
        what = Text("empty") if src.data is None else describe(src.data)
        src.problems.append(Problem(src.path, src.line_of(()), "file", Text('must be a mapping of fields (key: value), but is {what}', what=what)))
        return None
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message = explain(error, model)
            src.error(loc, message)
        if model is Partner and lacks_province(src.data) and not any(p.field == "region.province" for p in src.problems):
            src.error(("region", "province"), DRAFT_ONLY)
        if model is Partner and lacks_side(src.data) and not any(p.field == "side" for p in src.problems):
            src.error(("side",), DRAFT_ONLY)
        return None


def _load_terms(root: str, name: str, catalog: Catalog) -> list[Term]:
    path = os.path.join(root, f"{name}.yml")
    src = load_file(path, shown(root, path), root)
    terms: list[Term] = []
    if not src.problems and not isinstance(src.data, list):
        src.problems.append(Problem(src.path, src.line_of(()), "file", Text('must be a list of {name}', name=name)))
    if not src.problems:
        seen: dict[str, int] = {}
        for i, item in enumerate(src.data):
            sub = Source(src.path, item, {k[1:]: v for k, v in src.lines.items() if k[:1] == (i,)})
            sub.lines.setdefault((), src.line_of((i,)))
            term = _validate(Term, sub)
            src.problems.extend(Problem(p.path, p.line, f"[{i}].{p.field}", p.message) for p in sub.problems)
            if term is None:
                continue
            if term.id in seen:
                src.error((i, "id"), Text('duplicate id {id!r} (also item {value})', id=term.id, value=seen[term.id]))
                continue
            seen[term.id] = i
            terms.append(term)
        if not terms and not src.problems:
            src.problems.append(Problem(src.path, 1, "file", Text('lists no {name}', name=name)))
    catalog.report.extend(src.problems)
    return terms


def _load_search_terms(root: str, catalog: Catalog) -> list[list[str]]:
    """partners/search.yml, if present: the staff's own groups of words that find each other."""
    path = os.path.join(root, "search.yml")
    if not os.path.lexists(path):
        return []
    src = load_file(path, shown(root, path), root)
    terms = _validate(SearchTerms, src)
    catalog.report.extend(src.problems)
    return [list(group) for group in terms.synonyms] if terms else []


def _yaml_files(root: str, folder: str, catalog: Catalog, skip: set[str] = frozenset()) -> list[str]:
    """The data files of a folder, by name; reports every file that looks like data but would be ignored."""
    try:
        entries = list_folder(folder)
    except Refused as exc:
        catalog.report.add(Problem(shown(root, folder), 1, "file", exc.message))
        return []
    found = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name in KNOWN_FILES or name in skip:
            continue
        lower = name.lower()
        if name.endswith(DATA_EXTENSIONS):
            found.append(name)  # links and odd files are refused when read, with their line
        elif lower.endswith(DATA_EXTENSIONS) and not name.endswith(DATA_EXTENSIONS):
            stem = name[: -len(lower.rsplit(".", 1)[1]) - 1]
            catalog.report.add(Problem(shown(root, entry.path), 1, "file", Text('is not read: data files end in lowercase .yml; rename it to {stem}.yml', stem=stem)))
        elif lower.endswith(DATA_LIKE) and not entry.is_dir(follow_symlinks=False):
            catalog.report.add(
                Problem(shown(root, entry.path), 1, "file", Text("looks like data but is not read (only .yml files are); convert it to YAML or move it out of partners/"))
            )
    return found


def _load_patterns(root: str, catalog: Catalog) -> None:
    folder = os.path.join(root, "patterns")
    found = _yaml_files(root, folder, catalog)
    if not found:
        catalog.report.add(Problem(shown(root, folder), 1, "file", Text("no pattern files found; add partners/patterns/<id>.yml")))
    for name in found:
        pattern_id = name.rsplit(".", 1)[0]
        path = os.path.join(folder, name)
        src = load_file(path, shown(root, path), root)
        if not _slug_re.match(pattern_id):
            src.problems.append(Problem(src.path, 1, "file", Text("pattern file names must be lowercase ids like general-trade.yml")))
        elif pattern_id in RESERVED_PATTERN_IDS:
            src.problems.append(Problem(src.path, 1, "file", Text('the file name {pattern_id!r} is reserved for the patterns overview page (/patterns/); choose another', pattern_id=pattern_id)))
        pattern = _validate(Pattern, src)
        catalog.report.extend(src.problems)
        if pattern is not None and not src.problems:
            catalog.patterns[pattern_id] = pattern
    catalog.patterns = dict(sorted(catalog.patterns.items(), key=lambda kv: (kv[1].order, kv[0])))


RESERVED_SLUGS = {"page", "index"}  # /partners/page/N/ and /partners/ are the directory's own pages
RESERVED_PATTERN_IDS = {"index"}  # /patterns/ is the overview of the patterns


def check_slug(stem: str) -> str | None:
    """Why a file name (without .yml) cannot be a partner's slug, or None when it can."""
    if stem in RESERVED_SLUGS:
        return Text("the file name {stem!r} is reserved for the directory's own pages; choose another", stem=stem)
    if stem in RESERVED:
        return Text('the file name {stem!r} is reserved for the data file {stem}.yml; choose another', stem=stem)
    if not 2 <= len(stem) <= 64:
        return Text('the file name {stem!r} must be 2 to 64 characters long', stem=stem)
    if not _slug_re.match(stem):
        return Text('the file name {stem!r} must use lowercase a-z, 0-9 and single hyphens (e.g. koperasi-tani-maju.yml)', stem=stem)
    return None


def _suggest(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return Text('; did you mean {value!r}?', value=close[0]) if close else Text('; choose one of: {options}', options=', '.join(options))


def _cross_check(catalog: Catalog, src: Source, partner: Partner, today: dt.date) -> None:
    """Rules that need the reference data or the date: references resolve, dates make sense, nothing
    public still holds a placeholder or names a contact person who has not consented."""
    pattern = catalog.patterns.get(partner.pattern)
    if pattern is None:
        src.error(("pattern",), Text('unknown pattern {pattern!r}{suggest}', pattern=partner.pattern, suggest=_suggest(partner.pattern, list(catalog.patterns))))
    else:
        sides = [s.id for s in pattern.sides]
        if partner.side is not None and partner.side not in sides:
            src.error(("side",), Text('{side!r} is not a side of pattern {pattern!r}{suggest}', side=partner.side, pattern=partner.pattern, suggest=_suggest(partner.side, sides)))
    stage_ids = catalog.stage_ids
    if partner.stage is not None and stage_ids and partner.stage not in stage_ids:
        src.error(("stage",), Text('unknown stage {stage!r}{suggest}', stage=partner.stage, suggest=_suggest(partner.stage, stage_ids)))
    form_ids = [f.id for f in catalog.forms]
    for i, form_id in enumerate(partner.forms):
        if form_ids and form_id not in form_ids:
            src.error(("forms", i), Text('unknown form {form_id!r}{suggest}', form_id=form_id, suggest=_suggest(form_id, form_ids)))
    agreement = partner.agreement
    if agreement and agreement.start and agreement.end and agreement.end <= agreement.start:
        src.error(("agreement", "end"), Text('must be after start ({date})', date=agreement.start.isoformat()))
    _check_dates(src, partner, today)
    if partner.visibility != "hidden" and src.bracketed:
        for loc, found in privacy.placeholders(partner):
            src.error(loc, Text('still holds the placeholder {found}; write the real text before the partner is {visibility}', found=found, visibility=partner.visibility))
    person = partner.contact.person if partner.contact else None
    if person is not None and not person.consent:
        if partner.visibility != "hidden":  # a hidden prospect's private contact is expected: no note to act on
            src.error(
                ("contact", "person"),
                Text("has no consent: true, so this person is kept for staff and not published"),
                severity="note",
            )
        for loc, what in privacy.mentions(partner, person):
            src.error(
                loc,
                Text('mentions {what} of contact.person, who has not consented to be shown; remove it or record consent', what=what),
                severity="warning",
            )


def _check_dates(src: Source, partner: Partner, today: dt.date) -> None:
    """Dates plausible for what they mean: nothing before 1900 or decades ahead; past events not in the future."""
    latest = today + dt.timedelta(days=365 * FUTURE_YEARS)
    dated: list[tuple[tuple, dt.date | None, bool]] = [
        (("since",), partner.since, True),
        (("last_verified",), partner.last_verified, True),
    ]
    if partner.agreement:
        a = partner.agreement
        dated += [(("agreement", "signed"), a.signed, True), (("agreement", "start"), a.start, False), (("agreement", "end"), a.end, False)]
    dated += [(("activities", i, "date"), x.date, False) for i, x in enumerate(partner.activities)]
    for loc, value, past in dated:
        if value is None:
            continue
        if value < EARLIEST:
            src.error(loc, Text('{date} is before {year}; check the year', date=value.isoformat(), year=EARLIEST.year))
        elif past and value > today:
            src.error(loc, Text('{date} is in the future (today is {today})', date=value.isoformat(), today=today.isoformat()))
        elif value > latest:
            src.error(loc, Text('{date} is more than {FUTURE_YEARS} years ahead; check the year', date=value.isoformat(), FUTURE_YEARS=FUTURE_YEARS))


_LOGO_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")


def check_logo(root: str, src: Source, logo: str, catalog: Catalog) -> None:
    """The logo is a plain file inside partners/ whose content is an image of its kind; its cleaned bytes are kept."""
    ext = os.path.splitext(logo)[1].lower()
    if ext not in LOGO_TYPES:
        src.error(("logo",), Text('must be a .png, .jpg, .svg or .webp file, not {value}', value=ext or Text('a file without extension')))
        return
    if not _LOGO_PATH.match(logo) or ".." in logo.split("/"):
        src.error(("logo",), Text("must be a path inside partners/ of letters, digits, -, _ and ., such as logos/name.png"))
        return
    if logo in catalog.logos:
        return
    path = os.path.join(root, logo)
    try:
        data = read_inside(root, path, MAX_LOGO_BYTES)
        cleaned = clean_logo(data, ext)
    except Refused as exc:
        src.error(("logo",), Text('{shown} {message}', shown=shown(root, path), message=exc.message))
        return
    except LogoError as exc:
        src.error(("logo",), Text('{shown}: {exc}', shown=shown(root, path), exc=exc))
        return
    if cleaned.removed:
        what = joined(cleaned.removed[:6], ", ")
        if len(cleaned.removed) > 6:
            what = joined([what, Text(' and {value} more', value=len(cleaned.removed) - 6)], "")
        src.error(("logo",), Text('{shown}: left out of the published copy: {what}', shown=shown(root, path), what=what), severity="note")
    catalog.logos[logo] = cleaned.data


_CROSS_FIELDS = published_sources()  # the fields messages across files point at are all published ones


def read_partner(job: PartnerJob) -> tuple[Source, Partner | None]:
    """Load and validate one partner file (in a worker process for large trees)."""
    src = load_file(job.path, job.shown, job.root, job.real_root or None)
    partner = _validate(Partner, src)
    src.data = None  # the model carries the data now
    # Keep only the lines that cross-file messages point at: less to send back from a worker.
    src.lines = {k: v for k, v in src.lines.items() if len(k) <= 3 and (not k or k[0] in _CROSS_FIELDS)}
    return src, partner


@dataclass(frozen=True)
class PartnerJob:
    """One partner file to read: its path, the path shown in messages, and the data folder (and that
    folder with every link resolved, once for all its files; empty: resolved at each read)."""

    path: str
    shown: str
    root: str
    real_root: str = ""

    @property
    def stem(self) -> str:
        return self.shown.rsplit("/", 1)[-1].rsplit(".", 1)[0]


@dataclass(frozen=True)
class CheckedPartner:
    """One partner file as read and checked against the reference data: its problems, its model (None when
    it could not be read), and the cleaned bytes of its logo (None without one)."""

    problems: tuple
    partner: Partner | None
    logo: bytes | None = None


def begin_catalog(root: str) -> tuple[Catalog, list[PartnerJob]]:
    """The reference data of a data folder (patterns, stages, forms, search terms) and its partner files,
    not read yet. A folder that is missing gives a catalog with that problem and no files."""
    catalog = Catalog(root=root)
    if not os.path.isdir(root):
        what = Text("is a file, not a folder") if os.path.exists(root) else Text("does not exist")
        catalog.report.add(Problem(shown(root, root), 0, "file", Text('{what}; the data folder holds the partner files', what=what)))
        return catalog, []
    catalog.stages = _load_terms(root, "stages", catalog)
    catalog.forms = _load_terms(root, "forms", catalog)
    _load_patterns(root, catalog)
    catalog.synonyms = _load_search_terms(root, catalog)
    stems: dict[str, str] = {}
    prefix = shown(root, root)
    real_root = os.path.realpath(root)
    jobs: list[PartnerJob] = []
    for name in _yaml_files(root, root, catalog, skip={f"{r}{e}" for r in RESERVED for e in DATA_EXTENSIONS}):
        stem = name.rsplit(".", 1)[0]
        shown_path = f"{prefix}/{name}"
        if stem in stems:
            catalog.report.add(Problem(shown_path, 1, "file", Text('the slug {stem!r} is also used by {value}; keep one file', stem=stem, value=stems[stem])))
            continue
        stems[stem] = shown_path
        jobs.append(PartnerJob(os.path.join(root, name), shown_path, root, real_root))
    return catalog, jobs


def check_partner(catalog: Catalog, job: PartnerJob, read: tuple[Source, Partner | None], today: dt.date) -> CheckedPartner:
    """Finish the checks of a partner file read by read_partner: its slug and the rules that need the
    reference data and its logo file."""
    src, partner = read
    _finish_partner(catalog, src, partner, job.stem, today)
    return _with_logo(catalog, src, partner)


def read_and_check(catalog: Catalog, today: dt.date, job: PartnerJob) -> tuple[Source, Partner | None]:
    """read_partner and every check of check_partner but the logo's (in a worker: logos shared by many
    partners are read and cleaned once, by the process that holds them all)."""
    src, partner = read_partner(job)
    _finish_partner(catalog, src, partner, job.stem, today)
    return src, partner


def _with_logo(catalog: Catalog, src: Source, partner: Partner | None) -> CheckedPartner:
    """The partner's logo checked (once per logo file for the whole catalog) and the file's checks done."""
    if partner is not None and partner.logo is not None:
        check_logo(catalog.root, src, partner.logo, catalog)
    logo = catalog.logos.get(partner.logo) if partner is not None and partner.logo else None
    return CheckedPartner(tuple(src.problems), partner, logo)


def add_partner(catalog: Catalog, job: PartnerJob, checked: CheckedPartner) -> None:
    """Put a checked partner file into the catalog: its problems in the report, the partner (when it has no
    error) among the partners, its cleaned logo among the logos."""
    catalog.report.extend(checked.problems)
    partner = checked.partner
    if partner is not None and checked.logo is not None:
        catalog.logos[partner.logo] = checked.logo
    if partner is not None and not any(p.severity == "error" for p in checked.problems):
        catalog.partners[job.stem] = PartnerRecord(job.stem, job.shown, partner)


def load_catalog(root: str, today: dt.date | None = None, parallel: bool = True) -> Catalog:
    """Read every data file under `root` (the partners/ folder) and check it; never raises for bad data."""
    today = today or dt.date.today()
    catalog, jobs = begin_catalog(root)
    for job, (src, partner) in zip(jobs, fork_map(functools.partial(read_and_check, catalog, today), jobs, parallel)):
        add_partner(catalog, job, _with_logo(catalog, src, partner))
    finish_catalog(catalog)
    return catalog


def private_words(path: str, partner: Partner) -> dict[str, Text]:
    """The values of a partner that search words must not hold, folded, with why: a hidden partner's
    name, and every detail of a contact person who has not consented to be shown."""
    private: dict[str, Text] = {}
    if partner.visibility == "hidden":
        private[privacy.fold(partner.name)] = Text("the name of {path}, a hidden partner", path=path)
    person = partner.contact.person if partner.contact else None
    if person is not None and not person.consent:
        for value in (person.name, person.email, person.phone, person.whatsapp):
            if value:
                private[privacy.fold(value)] = Text("a contact person of {path} who has not consented to be shown", path=path)
    return private


def finish_catalog(catalog: Catalog, private: dict[str, Text] | None = None) -> None:
    """The rules across files that need every partner read: the search words of partners/search.yml (which
    reach the public index) hold no hidden partner's name and no contact person who has not consented
    (`private`: those values, when the catalog does not hold the partners)."""
    if not catalog.synonyms:
        return
    if private is None:
        private = {}
        for record in catalog.partners.values():
            private.update(private_words(record.path, record.data))
    if not private:
        return
    path = os.path.join(catalog.root, "search.yml")
    lines = read_inside(catalog.root, path, MAX_BYTES).decode("utf-8", "replace").splitlines()
    shown_path = shown(catalog.root, path)
    for group in catalog.synonyms:
        for term in group:
            folded = privacy.fold(term)
            why = private.get(folded) or next((w for value, w in private.items() if len(value) >= privacy.MIN_NAME and f" {value} " in f" {folded} "), None)
            if why is not None:
                line = next((i for i, text in enumerate(lines, 1) if term in text), 1)
                catalog.report.add(Problem(shown_path, line, "synonyms", Text("{term!r} is {why}: search words are published in the index; remove it", term=term, why=why)))


def reference_key(catalog: Catalog, today: dt.date) -> tuple:
    """What a partner's checks depend on besides its own file and logo: the date and the reference data."""
    return (
        today,
        tuple((pid, p.model_dump_json()) for pid, p in catalog.patterns.items()),
        tuple(t.model_dump_json() for t in catalog.stages),
        tuple(t.model_dump_json() for t in catalog.forms),
    )


def _finish_partner(catalog: Catalog, src: Source, partner: Partner | None, stem: str, today: dt.date) -> None:
    problem = check_slug(stem)
    if problem:
        src.problems.append(Problem(src.path, 1, "file", problem))
    if partner is not None:
        _cross_check(catalog, src, partner, today)


def check_new_partner(catalog: Catalog, slug: str, text: str, today: dt.date, replacing: str | None = None) -> tuple[object, list[Problem]]:
    """Check the text of a partner file before it is written, as `validate` would check it once written:
    returns the data as read back and every problem (an empty list of errors means it may be written).
    `replacing` names the file (as shown) when the text is a new version of an existing partner."""
    shown_path = replacing or f"{shown(catalog.root, catalog.root)}/{slug}.yml"
    src = load_bytes(text.encode("utf-8"), shown_path)  # with the size limit a written file would meet
    data = src.data
    partner = _validate(Partner, src)
    if slug in catalog.partners and not replacing:
        src.problems.append(Problem(shown_path, 1, "file", Text('a partner file {slug}.yml already exists', slug=slug)))
    _finish_partner(catalog, src, partner, slug, today)
    return data, src.problems


