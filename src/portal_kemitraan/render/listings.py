"""The lists of partners and of their news: the directory (in pages), its embeddable copy, and the news pages."""

from __future__ import annotations

from .context import Generated, PageContext, Pagination

NEWS_PAGE = 20  # activities per page of the news


class DirectoryPages:
    """The directory of listed partners, `page_size` a page; only its first page is searched."""

    kind = "directory"

    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.pagination = Pagination(len(ctx.site.listed), ctx.settings.page_size)

    def plan(self) -> list[Generated]:
        _, listed = self.ctx.locale.gettext, self.ctx.site.listed
        pages = []
        for n in range(1, self.pagination.count + 1):
            meta = {
                "title": _("Direktori mitra"),
                "description": self.ctx.locale.ngettext(
                    "Daftar {n} mitra: cari dan saring menurut pola, sektor, provinsi dan tahap.",
                    "Daftar {n} mitra: cari dan saring menurut pola, sektor, provinsi dan tahap.",
                    len(listed),
                ).format(n=len(listed)),
                "template": "directory.html",
                "hide": ["navigation", "toc"],  # a finding page: the whole width for the list
            }
            if n > 1:
                meta["title"] = _("Direktori mitra (halaman {n})").format(n=n)
                meta["search"] = {"exclude": True}
                meta["sitemap"] = False  # the first page stands for the list
            pages.append(Generated("partners/index.md" if n == 1 else f"partners/page/{n}.md", meta, self.kind, n, None, self))
        return pages

    def inputs(self, page: Generated) -> tuple:
        """What the page's body is made from besides what every page shares (compared by value)."""
        site = self.ctx.site
        return (page.kind, page.key, self.pagination.chunk(site.listed, page.key), len(site.listed), site.sectors(), site.by_province(),
                site.by_pattern(), site.by_side(), site.by_stage())

    def render(self, page: Generated, url: str) -> str:
        chunk = self.pagination.chunk(self.ctx.site.listed, page.key)
        return self.ctx.render("directory.html.j2", page_no=page.key, page_count=self.pagination.count, chunk=chunk, embed=False,
                               **self.ctx.common(url, page.src_uri))


class EmbedPage(DirectoryPages):
    """The directory's first page to embed in another site (kept out of search and indexes)."""

    kind = "embed"

    def plan(self) -> list[Generated]:
        meta = {
            "title": self.ctx.locale.gettext("Direktori mitra (sematan)"),
            "template": "embed.html",
            "robots": "noindex",
            "search": {"exclude": True},
            "hide": ["toc", "navigation"],
        }
        return [Generated("embed/index.md", meta, self.kind, 1, None, self)]

    def render(self, page: Generated, url: str) -> str:
        chunk = self.pagination.chunk(self.ctx.site.listed, 1)
        return self.ctx.render("directory.html.j2", page_no=1, page_count=1, chunk=chunk, embed=True, **self.ctx.common(url, page.src_uri))


class NewsPages:
    """The partnership news, newest first, NEWS_PAGE activities a page, with the agenda on the first."""

    kind = "news"

    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.news = ctx.site.activities()
        self.pagination = Pagination(len(self.news), NEWS_PAGE)
        # The filters offer only the patterns and provinces that have news.
        self.patterns = frozenset(a["pattern"] for a in self.news)
        self.provinces = tuple(sorted({a["province"] for a in self.news}))

    def plan(self) -> list[Generated]:
        _ = self.ctx.locale.gettext
        pages = []
        for n in range(1, self.pagination.count + 1):
            meta = {
                "title": _("Kabar kemitraan") if n == 1 else _("Kabar kemitraan (halaman {n})").format(n=n),
                "description": _("Kegiatan terbaru bersama para mitra, dari yang paling baru."),
                "template": "news.html",
                "hide": ["navigation", "toc"],
            }
            if n > 1:
                meta["search"] = {"exclude": True}
                meta["sitemap"] = False
            pages.append(Generated("kabar/index.md" if n == 1 else f"kabar/page/{n}.md", meta, self.kind, n, None, self))
        return pages

    def inputs(self, page: Generated) -> tuple:
        n, site = page.key, self.ctx.site
        return (n, self.pagination.chunk(self.news, n), len(self.news), self.patterns, self.provinces, site.upcoming() if n == 1 else ())

    def render(self, page: Generated, url: str) -> str:
        n = page.key
        return self.ctx.render("news.html.j2", page_no=n, page_count=self.pagination.count, items=self.pagination.chunk(self.news, n),
                               total=len(self.news), news_patterns=self.patterns, news_provinces=self.provinces,
                               **self.ctx.common(url, page.src_uri))
