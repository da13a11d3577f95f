"""The render step as one pure function: a PublicSite, the settings and an edition in, every file of that
edition out (generated pages with their front matter and HTML, exports, logos), with the rules of publishing
it. Adapters decide only where the files go; no other module lists them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import yaml

from ..core.parallel import fork_map
from ..core.public import PublicSite
from . import exports
from .bundle import BUNDLE, search_bundle
from .cards import SITE_CARD, card_path, site_card
from .handwritten import BUILTIN_EXTENSIONS, searchable
from .i18n import SCRIPT_WORDS
from .context import front_matter, page_url
from .pages import SitePlan
from .editor import editor_files
from .search import documents, vocabulary

# Settings of an engine that point readers into the data repository (the repository link in the header,
# the "edit this page" pencil). A published edition has none of them; only a staff preview keeps them.
REPOSITORY_SETTINGS = ("repo_url", "repo_name", "edit_uri")


@dataclass(frozen=True)
class Edition:
    """One edition of the site: its language, public address and title, how its pages are addressed,
    the folder of templates that override the built-in ones, (a staff preview only) the data file behind
    each page, for edit links, whether its engine rewrites the href and src of raw HTML as relative to
    the Markdown file (Zensical does; MkDocs does not), and how its hand-written pages are converted."""

    locale: str = "id"
    site_url: str = ""
    title: str = ""
    directory_urls: bool = True
    overrides: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    links_from_source: bool = False
    markdown: tuple = (BUILTIN_EXTENSIONS, {})  # the Markdown extensions of hand-written pages (handwritten.extensions_of)
    repository: str = ""  # the data repository's address: the staff editor (admin/) edits it; never a link for readers
    # Where compiled templates are kept between builds: a jinja2.BytecodeCache that the caller owns (the preview's
    # memory, the user's cache folder); None compiles every template afresh. It changes no output.
    compiled: object | None = None


@dataclass(frozen=True)
class OutputFile:
    """One file of an edition: its path, what it is, and how to make its content. A "page" (generated: `make`
    gives its HTML body, `meta` is its front matter), a "handwritten" page with its blocks filled in, an
    "export", an "asset" (a cleaned logo), a share "card", or the "search" bundle (`make(polite=False)`
    gives every file of it, by path)."""

    path: str
    kind: str
    make: Callable[[], str | bytes]
    meta: dict | None = None
    in_nav: bool = False
    partner: str | None = None  # the slug of the partner whose own file this is (profile, share image, record)

    def content(self) -> str | bytes:
        """The file as an engine reads it: a page as front matter and its body as one raw HTML block."""
        return page_text(self.meta or {}, self.make()) if self.kind == "page" else self.make()


def published_config(config: dict) -> dict:
    """An engine's settings as an edition is published with them: nothing that links into the repository."""
    return {key: value for key, value in config.items() if key not in REPOSITORY_SETTINGS}


class FrontMatterError(ValueError):
    """A page's front matter would not read back as written (its noindex or search exclusion could be lost)."""


def page_text(meta: dict, body: str) -> str:
    """A generated page for any engine: YAML front matter (see front_matter), then the HTML body as one raw
    block. The front matter is read back before it is handed out: a page whose noindex or search exclusion
    an engine could lose is never published."""
    head = front_matter(meta)
    if yaml.load(head, Loader=_Loader) != meta:
        raise FrontMatterError(f"the front matter of a page does not read back as written: {sorted(meta)}")
    return f"---\n{head}---\n\n<div class=\"portal-generated\">\n{body.strip()}\n</div>\n"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Part:
    """Part `number` of `count` of an edition's build, for building it on several machines and joining the
    parts (`portal part`, `portal join`). Part 1 writes every file that is no single partner's (lists,
    hand-written pages, site-wide downloads, logos, the search of every partner); the partners' own files
    (profile, share image, JSON record) are split by slug, in slug order, into ranges of (nearly) equal size
    for the other parts (all of them part 1's when there is one part). Every part still lists every page, so
    each page it writes is the one a whole build writes."""

    number: int
    count: int

    def __post_init__(self):
        if not 1 <= self.number <= self.count:
            raise ValueError(f"part {self.number} of {self.count}")

    @classmethod
    def parse(cls, text: str) -> "Part":
        """The part a text such as "2/3" names; anything else is refused with ValueError."""
        number, slash, count = str(text).partition("/")
        if not (slash and number.isascii() and number.isdigit() and count.isascii() and count.isdigit()):
            raise ValueError(text)
        return cls(int(number), int(count))

    def slugs(self, site: PublicSite) -> frozenset[str]:
        """The partners whose own files this part writes."""
        slugs = sorted(p.slug for p in site.pages)
        if self.count == 1:
            return frozenset(slugs)
        # Part 1's files no single partner owns cost about as much as a range of profiles (the search index,
        # the downloads, the lists: measured at 10,000 partners), so it has no range of its own.
        ranges, index = self.count - 1, self.number - 2
        return frozenset(slugs[len(slugs) * index // ranges : len(slugs) * (index + 1) // ranges]) if index >= 0 else frozenset()


class _Ahead:
    """Files of one render made ahead on every core (profiles, share images), all at once when the first is
    asked for; each is handed out once (then made again if asked for), so they are never all held twice."""

    def __init__(self, make, keys: list, parallel: bool):
        self.make, self.keys, self.parallel = make, list(keys), parallel
        self.ready: dict | None = None

    def take(self, key):
        if self.ready is None:
            self.ready = dict(zip(self.keys, fork_map(self.make, self.keys, self.parallel)))
        made = self.ready.pop(key, None)
        return made if made is not None else self.make(key)


class Rendered(list):
    """Every file of one edition (a list of OutputFile), with what an engine's adapter needs beside them: the
    generated pages (their front matter), the blocks of hand-written pages, and the theme's words."""

    def __init__(self, files: list[OutputFile], plan: SitePlan, mine: Callable[[str | None], bool]):
        super().__init__(files)
        self.plan = plan
        self.pages = plan.pages
        self.fill_blocks = plan.fill_blocks
        self.mine = mine

    def written_here(self, out: OutputFile | None) -> bool:
        """Whether this build writes the file (every file, unless it builds one part: see Part); `None` is a
        hand-written page or another file that no single partner owns."""
        return self.mine(out.partner if out is not None else None)

    def theme_text(self) -> dict:
        """The words of the theme's overrides in this edition's language (config.extra.portal_text)."""
        return self.plan.locale.theme_text()


def render_site(site: PublicSite, settings, edition: Edition | None = None, ahead: bool = True,
                parallel: bool = True, handwritten: dict[str, str] | None = None, part: Part | None = None) -> Rendered:
    """Every file of one edition of the site, in a stable order. With `ahead`, the profiles are rendered now
    (on every core when `parallel`); otherwise each file is made only when asked for (a preview asks only
    for what changed).
    With `handwritten` (the Markdown of every hand-written page, by its path under the docs folder), those
    pages with their blocks filled in and the edition's search bundle are among the files.
    With `part`, every file is still listed, but only that part's are made ahead (Rendered.written_here)."""
    edition = edition or Edition()
    plan = SitePlan(site, settings, edition.sources, edition.overrides, edition.locale, edition.site_url, edition.links_from_source)
    if edition.compiled is not None:
        plan.templates.bytecode_cache = edition.compiled  # before any page is made
    ours = part.slugs(site) if part is not None else None

    def mine(slug: str | None) -> bool:
        return part is None or (part.number == 1 if slug is None else slug in ours)

    urls = {uri: page_url(uri, edition.directory_urls) for uri in plan.pages}
    profiles = [uri for uri, page in plan.pages.items() if page.kind == "partner" and mine(page.key)] if ahead else []
    bodies = _Ahead(lambda uri: plan.render(uri, urls[uri]), profiles, parallel)
    out = [OutputFile(uri, "page", lambda uri=uri: bodies.take(uri), page.meta, page.in_nav, page.key if page.kind == "partner" else None)
           for uri, page in plan.pages.items()]
    title = edition.title or settings.organisation
    own_records = {exports.partner_export(p.slug): p.slug for p in site.pages}
    # One partner's JSON record is published once, by the main edition (exports.planned).
    records = not plan.locale.prefix
    for path, make in exports.planned(site, edition.site_url, title, plan.locale.code, settings.licence.model_dump(), records).items():
        out.append(OutputFile(path, "export", make, partner=own_records.get(path)))
    for path, data in site.logos.items():
        out.append(OutputFile(path, "asset", lambda data=data: data))  # the cleaned bytes, never the file itself
    with_card = [p.slug for p in site.pages if plan.has_card(p)]
    cards = _Ahead(plan.share_card, [slug for slug in with_card if mine(slug)] if ahead else [], parallel)
    for slug in with_card:  # made ahead on every core too: a card is a few milliseconds (render/cards.py)
        out.append(OutputFile(card_path(slug), "card", lambda slug=slug: cards.take(slug), {"slug": slug}, partner=slug))
    out.append(OutputFile(SCRIPT_WORDS, "asset", plan.locale.script_words))
    tagline = plan.locale.gettext("Direktori mitra, pola kemitraan, dan cara bergabung menjadi mitra")
    out.append(OutputFile(SITE_CARD, "card", lambda: site_card(title, tagline, settings.organisation), {"slug": None}))
    if edition.repository and not plan.locale.prefix:  # the staff's editor, in the main edition only
        for path, data in editor_files(site, edition.site_url, edition.repository, settings.organisation, settings.data_dir).items():
            out.append(OutputFile(path, "asset", lambda data=data: data))
    if handwritten is not None:
        written = {rel: text for rel, text in sorted(handwritten.items()) if rel not in plan.pages}
        for rel, text in written.items():
            url = page_url(rel, edition.directory_urls)
            out.append(OutputFile(rel, "handwritten", lambda text=text, url=url, rel=rel: plan.fill_blocks(text, url, rel)))
        out.append(OutputFile(BUNDLE, "search", _Search(plan, edition, written)))
    return Rendered(out, plan, mine)


class _Search:
    """How to make the edition's search bundle: its listed partners, its patterns and its hand-written pages.
    Called, it makes the bundle; a preview makes the documents and the bundle apart (adapters.preview.Indexer).
    `reuse` is the caller's memory between bundles (a preview's, which it keeps and hands in): the search
    documents and words of partners whose public record is the same object as last time."""

    def __init__(self, plan: SitePlan, edition: Edition, written: dict[str, str]):
        self.plan, self.edition, self.written = plan, edition, written
        self.lang = plan.locale.code

    def documents(self, reuse: dict | None = None) -> list:
        edition, plan = self.edition, self.plan
        pages = [searchable(page_url(rel, edition.directory_urls), text, edition.markdown) for rel, text in self.written.items()]
        return documents(plan.site, plan.locale, plan.site.synonyms, sorted(page for page in pages if page), reuse)

    def bundle(self, docs: list, polite: bool = False, reuse: dict | None = None, indexed: list | None = None, ready=None) -> dict[str, bytes]:
        """The bundle of `docs`; Pagefind reads `indexed` instead when given (the same documents with a preview's
        keys: search.keyed), the words for typos always come from `docs`. `ready`: see bundle.search_bundle."""
        files = search_bundle(indexed if indexed is not None else docs, self.lang, polite, ready)
        files.update((f"{BUNDLE}/{path}", data) for path, data in vocabulary(docs, reuse).items())
        return files

    def __call__(self, polite: bool = False, reuse: dict | None = None) -> dict[str, bytes]:
        return self.bundle(self.documents(reuse), polite, reuse)
