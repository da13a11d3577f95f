"""The site plan: which pages the data makes, their front matter, and their HTML from templates."""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import yaml

from . import charts, diagrams, geo, templating
from .cards import SvgDrawer, card_path, share_card
from .handwritten import MARKER
from .i18n import Locale, localized
from ..core.public import PublicSite
from ..core.reference import provinces


@dataclass(frozen=True)
class Generated:
    """One page the data makes: where it lives, its front matter, and how to render its body."""

    src_uri: str
    meta: dict
    kind: str  # directory, partner, patterns, pattern
    key: str | int | None = None
    edit_path: str | None = None  # data file a staff member edits for this page

    @property
    def in_nav(self) -> bool:
        """The first page of each generated list is in the site's navigation; profiles and later pages are not."""
        return self.kind in ("directory", "patterns", "news") and self.key in (None, 1)

    def markdown(self) -> str:
        return f"---\n{front_matter(self.meta)}---\n"


def front_matter(meta: dict) -> str:
    """A page's front matter, written by a YAML serialiser (libyaml's) in plain ASCII: every other character
    escaped, so no line or paragraph separator, direction control or quote in partner text can end a value,
    a line or the block early, in MkDocs or in any other engine's parser."""
    return yaml.dump(meta, Dumper=_Dumper, allow_unicode=False, sort_keys=True, width=1 << 30, default_flow_style=False)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
NEWS_PAGE = 20  # activities per page of the news


def _base(page_url: str) -> str:
    """The relative prefix from a page (directory URLs) back to the site root."""
    return "../" * page_url.count("/")


def _escape(text: str) -> str:
    """For front matter values that Material prints unescaped (title, description)."""
    return html.escape(text, quote=True)


def json_for_script(value) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page: partners/x.md -> partners/x/ (or partners/x.html), index.md -> its folder."""
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class SitePlan:
    """Everything the hook needs from the core: generated pages, their HTML, and blocks for hand-written pages."""

    def __init__(self, site: PublicSite, settings, sources: dict[str, str] | None = None, overrides: str | None = None, locale: str = "id", site_url: str = "",
                 links_from_source: bool = False):
        """`sources` (slug -> data file) is given only for a staff preview, to offer edit links;
        `overrides` is a folder whose templates win over the built-in ones of the same name;
        `links_from_source`: the engine rewrites the href and src of raw HTML as relative to the Markdown file,
        as Zensical does (MkDocs leaves them as written), so those are written from the file's folder;
        `locale` is the language of this edition of the site; `site_url` its public address (for the QR code
        printed on a profile; without it there is none). It keeps nothing between builds: a new plan is made
        for each."""
        self.site = site
        self.settings = settings
        self.links_from_source = links_from_source
        self.drawer = SvgDrawer()  # SVG logos of share cards are drawn in a bounded worker (render/cards.py)
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.sources = sources or {}
        self.locale = Locale(locale)
        self.templates = templating.environment(overrides, self.locale, settings)
        pick = self.locale.pick
        sides = {(pid, s.id): s.label.model_dump() for pid, pat in site.patterns.items() for s in pat.sides}
        stages = {s.id: s.label.model_dump() for s in site.stages}
        self.templates.globals.update(side_label=lambda pid, sid: pick(sides[(pid, sid)]), stage_label=lambda sid: pick(stages[sid]))
        self.page_size = settings.page_size
        self.pages: dict[str, Generated] = {}
        self._by_slug = {p.slug: p for p in site.pages}
        self._plan()

    # -- planning ------------------------------------------------------------------------------

    def _add(self, page: Generated) -> None:
        # Two generated pages at one address would silently replace one another (a pattern named "index"
        # replacing the patterns overview): the catalog reserves such names, and this refuses any left.
        if page.src_uri in self.pages:
            raise ValueError(f"two generated pages at {page.src_uri}: {self.pages[page.src_uri].kind} and {page.kind}")
        self.pages[page.src_uri] = page

    def _plan(self) -> None:
        site = self.site
        _, t = self.locale.gettext, self.locale.pick
        pages = max(1, math.ceil(len(site.listed) / self.page_size))
        for n in range(1, pages + 1):
            meta = {
                "title": _("Direktori mitra"),
                "description": self.locale.ngettext(
                    "Daftar {n} mitra: cari dan saring menurut pola, sektor, provinsi dan tahap.",
                    "Daftar {n} mitra: cari dan saring menurut pola, sektor, provinsi dan tahap.",
                    len(site.listed),
                ).format(n=len(site.listed)),
                "template": "directory.html",
                "hide": ["navigation", "toc"],  # a finding page: the whole width for the list
            }
            if n > 1:
                meta["title"] = _("Direktori mitra (halaman {n})").format(n=n)
                meta["search"] = {"exclude": True}
            self._add(Generated("partners/index.md" if n == 1 else f"partners/page/{n}.md", meta, "directory", n))
        for p in site.pages:
            self._add(self._partner_page(p))
        self._add(
            Generated(
                "embed/index.md",
                {
                    "title": _("Direktori mitra (sematan)"),
                    "template": "embed.html",
                    "robots": "noindex",
                    "search": {"exclude": True},
                    "hide": ["toc", "navigation"],
                },
                "embed",
            )
        )
        news = site.activities()
        news_pages = max(1, math.ceil(len(news) / NEWS_PAGE))
        for n in range(1, news_pages + 1):
            meta = {
                "title": _("Kabar kemitraan") if n == 1 else _("Kabar kemitraan (halaman {n})").format(n=n),
                "description": _("Kegiatan terbaru bersama para mitra, dari yang paling baru."),
                "template": "news.html",
                "hide": ["navigation", "toc"],
            }
            if n > 1:
                meta["search"] = {"exclude": True}
            self._add(Generated("kabar/index.md" if n == 1 else f"kabar/page/{n}.md", meta, "news", n))
        self._add(
            Generated(
                "patterns/index.md",
                {"title": _("Pola kemitraan"), "description": _("Empat pola kemitraan dan dua pihak di setiap pola."), "hide": ["toc"]},
                "patterns",
            )
        )
        for pid, pattern in self.site.patterns.items():
            meta = {
                "title": _escape(t(pattern.name.model_dump())),
                "description": _escape(t(pattern.summary.model_dump())),
                "template": "pattern.html",
            }
            self._add(Generated(f"patterns/{pid}.md", meta, "pattern", pid, self.sources.get(f"patterns/{pid}")))

    def _partner_page(self, p: dict) -> Generated:
        """One partner's profile: its address and front matter."""
        meta = {
            "title": _escape(p.name),
            "description": _escape(localized(p, "summary", self.locale.code)[0]),
            "template": "partner.html",
            "hide": ["navigation", "toc"],
        }
        if self.has_card(p):  # link previews show the partner's card (render/cards.py)
            meta["image"] = card_path(p.slug)
        if not p.listed:
            meta["robots"] = "noindex"
            meta["search"] = {"exclude": True}
        return Generated(f"partners/{p.slug}.md", meta, "partner", p.slug, self.sources.get(p.slug))

    def has_card(self, p: dict) -> bool:
        return bool(p.logo) and p.logo in self.site.logos

    def share_card(self, slug: str) -> bytes:
        """The share image of one partner with a logo: its logo, name, pattern and side in this edition's
        language, and its place."""
        p = self._by_slug[slug]
        pattern = self.site.patterns[p.pattern]
        side = next(s for s in pattern.sides if s.id == p.side)
        line = f"{self.locale.pick(pattern.name.model_dump())} · {self.locale.pick(side.label.model_dump())}"
        place = ", ".join(x for x in (p.city, p.province) if x)
        return share_card(p.name, line, place, self.settings.organisation, self.site.logos[p.logo], p.logo, self.drawer)

    # -- what a page depends on (for a preview that re-renders only what changed) -------------

    def shared_key(self) -> tuple:
        """What every page depends on besides its own inputs: reference data, settings, language, address,
        date, and the state of every template file (built-in and overriding)."""
        site = self.site
        return (
            tuple((pid, p.model_dump_json()) for pid, p in site.patterns.items()),
            tuple(t.model_dump_json() for t in site.stages + site.forms),
            self.settings.model_dump_json(),
            self.locale.code,
            self.site_url,
            site.today,
            templating.state(self.templates),
        )

    def inputs(self, src_uri: str) -> tuple:
        """The data a generated page's body is made from, beyond shared_key(): equal inputs (compared by
        value, and by identity first, which the memo of the public projection keeps for unchanged
        partners) make the same body."""
        page = self.pages[src_uri]
        site = self.site
        if page.kind == "partner":
            return (self._by_slug[page.key],)
        if page.kind in ("directory", "embed"):
            n = int(page.key or 1)
            chunk = site.listed[(n - 1) * self.page_size : n * self.page_size]
            return (page.kind, n, chunk, len(site.listed), site.sectors(), site.by_province())
        if page.kind == "news":
            n = int(page.key)
            news = site.activities()
            return (n, news[(n - 1) * NEWS_PAGE : n * NEWS_PAGE], len(news), site.by_province(), site.upcoming() if n == 1 else ())
        if page.kind == "patterns":
            return (site.by_pattern(),)
        if page.kind == "pattern":
            return (page.key, [p for p in site.listed if p.pattern == page.key])
        raise KeyError(src_uri)

    # -- rendering -----------------------------------------------------------------------------

    def _context(self, page_url: str, src_uri: str | None = None) -> dict:
        """What every template sees. `base` leads from the page back to the site's root in an href or src
        (from the Markdown file's folder where the engine rewrites those, else from the page's address);
        `page_base` does so from the page's address, for what no engine rewrites (data-* and form actions)."""
        page_base = _base(page_url)
        return {
            "base": "../" * src_uri.count("/") if self.links_from_source and src_uri else page_base,
            "page_base": page_base,
            "site": self.site,
            "patterns": self.site.patterns,
            "stages": self.site.stages,
            "forms": {f.id: f for f in self.site.forms},
            "provinces": [row["name"] for row in provinces()],
            "settings": self.settings,
            "today": self.site.today,
        }

    def render(self, src_uri: str, page_url: str) -> str:
        """The body HTML of a generated page."""
        page = self.pages[src_uri]
        if page.kind == "partner":
            return self._render_partner(src_uri, page_url)
        ctx = self._context(page_url, src_uri)
        if page.kind == "directory":
            n = int(page.key)
            total = max(1, math.ceil(len(self.site.listed) / self.page_size))
            chunk = self.site.listed[(n - 1) * self.page_size : n * self.page_size]
            return self._render("directory.html.j2", page_no=n, page_count=total, chunk=chunk, embed=False, **ctx)
        if page.kind == "news":
            n = int(page.key)
            news = self.site.activities()
            total = max(1, math.ceil(len(news) / NEWS_PAGE))
            chunk = news[(n - 1) * NEWS_PAGE : n * NEWS_PAGE]
            return self._render("news.html.j2", page_no=n, page_count=total, items=chunk, total=len(news), **ctx)
        if page.kind == "embed":
            chunk = self.site.listed[: self.page_size]
            return self._render("directory.html.j2", page_no=1, page_count=1, chunk=chunk, embed=True, **ctx)
        if page.kind == "patterns":
            return self._render("patterns.html.j2", counts=self.site.by_pattern(), **ctx)
        if page.kind == "pattern":
            pattern = self.site.patterns[page.key]
            members = {s.id: [p for p in self.site.listed if p.pattern == page.key and p.side == s.id] for s in pattern.sides}
            return self._render("pattern.html.j2", pid=page.key, pattern=pattern, members=members, flow=self._flow(pattern), **ctx)
        raise KeyError(src_uri)

    def _render_partner(self, src_uri: str, page_url: str) -> str:
        """A profile's body."""
        partner = self._by_slug[self.pages[src_uri].key]
        address = self.site_url + partner.url if self.site_url else ""
        return self._render(
            "partner.html.j2", partner=partner, jsonld=self.jsonld(partner), address=address, **self._context(page_url, src_uri)
        )

    def _flow(self, pattern) -> dict[str, str]:
        """The pattern's two sides and what flows between them, drawn for a wide screen and for a phone."""
        if not pattern.flows or len(pattern.sides) != 2:
            return {}
        t = self.locale.pick
        a, b = pattern.sides
        flows = [(f.source == a.id, t(f.label.model_dump())) for f in pattern.flows]
        title = self.locale.gettext("Alur antara {a} dan {b}").format(a=t(a.label.model_dump()), b=t(b.label.model_dump()))
        names = t(a.label.model_dump()), t(b.label.model_dump())
        return {
            "wide": self._diagram(diagrams.flow_wide(*names, flows), title, "wide"),
            "narrow": self._diagram(diagrams.flow_narrow(*names, flows), title, "narrow"),
        }

    def _diagram(self, drawing, title: str, variant: str = "") -> str:
        return self._render("diagram.svg.j2", d=drawing, title=title, variant=variant)

    def _render(self, name: str, **context) -> str:
        return self.templates.get_template(name).render(**context)

    def fill_blocks(self, text: str, page_url: str, src_uri: str | None = None) -> str:
        """A hand-written page (its Markdown, or the HTML an engine made of it) with every marker replaced by its block."""
        return MARKER.sub(lambda m: self.block(m.group(1), page_url, src_uri), text) if "<!--" in text else text

    def block(self, name: str, page_url: str, src_uri: str | None = None) -> str:
        """HTML for a `<!-- portal: NAME -->` marker in a hand-written page (`src_uri`: its Markdown file)."""
        ctx = self._context(page_url, src_uri)
        if name == "stats":
            _, t = self.locale.gettext, self.locale.pick
            by_stage = self.site.by_stage()
            ctx["stage_chart"] = charts.bar_chart(
                [(t(s.label.model_dump()), by_stage[s.id]) for s in self.site.stages], _("Mitra menurut tahap kemitraan"), self.templates,
            )
            ctx["active_agreements"] = sum(1 for p in self.site.listed if p.agreement and p.agreement["status"] in ("active", "ending", "open"))
        if name == "map":
            counts: dict[tuple[str, str], int] = {}
            for p in self.site.listed:
                key = (p.province_id, p.province)
                counts[key] = counts.get(key, 0) + 1
            ctx["map"] = {
                "width": geo.WIDTH,
                "height": geo.HEIGHT,
                "outline": geo.outline_path(),
                "markers": geo.markers([(pid, name, n) for (pid, name), n in counts.items()]),
            }
        if name == "stages":
            _, t = self.locale.gettext, self.locale.pick
            labels = [t(s.label.model_dump()) for s in self.site.stages]
            back = len(labels) - 6 if len(labels) > 6 else 1
            ctx["stage_svg"] = self._diagram(diagrams.stage_flow(labels, back, _("tahun berikutnya")), _("Alur tahap kemitraan"))
        return self._render(f"blocks/{name}.html.j2", **ctx)

    def jsonld(self, p: dict) -> str:
        """The profile as schema.org data: the organisation, its own profile address, its logo and website."""
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": p.name,
            "description": localized(p, "summary", self.locale.code)[0],
            "address": {"@type": "PostalAddress", "addressRegion": p.province, "addressCountry": "ID"},
        }
        if p.city:
            data["address"]["addressLocality"] = p.city
        if self.site_url:
            data["url"] = self.site_url + p.url  # this profile, the organisation's page on the site
            data["@id"] = data["url"] + "#organisation"
            if p.logo:
                data["logo"] = self.site_url + p.logo
        if p.website:
            data["sameAs"] = [p.website]  # the organisation's own site
            data.setdefault("url", p.website)
        if p.contact and p.contact["email"]:
            data["email"] = p.contact["email"]
        if p.contact and p.contact["phone"]:
            data["telephone"] = p.contact["phone"]
        if p.sectors:
            data["knowsAbout"] = p.sectors
        return json_for_script(data)
