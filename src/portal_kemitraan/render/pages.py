"""The site plan: the pages the data makes, each rendered by the page type of its kind, and the blocks of hand-written pages."""

from __future__ import annotations

from .blocks import Blocks
from .context import Generated, PageContext, front_matter, json_for_script, page_url  # noqa: F401 (the plan's vocabulary)
from .i18n import Locale
from .listings import DirectoryPages, EmbedPage, NewsPages
from .patternpages import PatternPages
from .profiles import ProfilePages
from .templating import state
from ..core.public import PublicSite


class SitePlan:
    """One edition's generated pages (directory, profiles, embed, news, patterns, in that order), what each
    page's body is made from, and the blocks of hand-written pages. It keeps nothing between builds."""

    def __init__(self, site: PublicSite, settings, sources: dict[str, str] | None = None, overrides: str | None = None, locale: str | Locale = "id",
                 site_url: str = "", links_from_source: bool = False):
        """`sources` (slug -> data file) is given only for a staff preview, to offer edit links;
        `overrides` is a folder whose templates win over the built-in ones of the same name;
        `links_from_source`: the engine rewrites the href and src of raw HTML as relative to the Markdown file,
        as Zensical does (MkDocs leaves them as written), so those are written from the file's folder;
        `locale` is the language of this edition (a code, or its Locale); `site_url` its public address (for
        the QR code printed on a profile; without it there is none)."""
        self.locale = locale if isinstance(locale, Locale) else Locale(locale)
        self.ctx = PageContext(site, settings, self.locale, overrides, site_url, links_from_source, sources or {})
        self.site, self.settings, self.templates = site, settings, self.ctx.templates
        self.profiles = ProfilePages(self.ctx)
        self.blocks = Blocks(self.ctx)
        self.pages: dict[str, Generated] = {}
        for kind in (DirectoryPages(self.ctx), self.profiles, EmbedPage(self.ctx), NewsPages(self.ctx), PatternPages(self.ctx)):
            for page in kind.plan():
                # Two generated pages at one address would silently replace one another (a pattern named "index"
                # replacing the patterns overview): the catalog reserves such names, and this refuses any left.
                if page.src_uri in self.pages:
                    raise ValueError(f"two generated pages at {page.src_uri}: {self.pages[page.src_uri].kind} and {page.kind}")
                self.pages[page.src_uri] = page

    def render(self, src_uri: str, page_url: str) -> str:
        """The body HTML of a generated page."""
        page = self.pages[src_uri]
        return page.maker.render(page, page_url)

    def inputs(self, src_uri: str) -> tuple:
        """The data a generated page's body is made from, beyond shared_key(): equal inputs make the same body."""
        page = self.pages[src_uri]
        return page.maker.inputs(page)

    def shared_key(self) -> tuple:
        """What every page depends on besides its own inputs: reference data, settings, language, address,
        date, and the state of every template file (built-in and overriding)."""
        site = self.site
        return (
            tuple((pid, p.model_dump_json()) for pid, p in site.patterns.items()),
            tuple(t.model_dump_json() for t in site.stages + site.forms),
            self.settings.model_dump_json(),
            self.locale.code,
            self.ctx.site_url,
            site.today,
            state(self.templates),
        )

    def has_card(self, p) -> bool:
        return self.profiles.has_card(p)

    def share_card(self, slug: str) -> bytes:
        return self.profiles.share_card(slug)

    def jsonld(self, p) -> str:
        return self.profiles.jsonld(p)

    def block(self, name: str, page_url: str, src_uri: str | None = None) -> str:
        return self.blocks.block(name, page_url, src_uri)

    def fill_blocks(self, text: str, page_url: str, src_uri: str | None = None) -> str:
        return self.blocks.fill(text, page_url, src_uri)
