"""What every generated page of one edition is rendered with: its site, settings, language, templates, addresses."""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field

import yaml

from . import templating
from .i18n import Locale
from ..core.public import PublicSite
from ..core.reference import provinces


@dataclass(frozen=True)
class Generated:
    """One page the data makes: where it lives, its front matter, the page type that renders it (`maker`:
    a profile, a directory, news, pattern page type) and its key there, and the data file staff edit for it."""

    src_uri: str
    meta: dict
    kind: str  # directory, partner, embed, news, patterns, pattern
    key: str | int | None = None
    edit_path: str | None = None  # data file a staff member edits for this page
    maker: object = field(default=None, compare=False, repr=False)

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


def escape(text: str) -> str:
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


@dataclass(frozen=True)
class Pagination:
    """A list shown `size` items a page: how many pages, and the items of page `n` (from 1)."""

    total: int
    size: int

    @property
    def count(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def chunk(self, items, n: int):
        return items[(n - 1) * self.size : n * self.size]


class PageContext:
    """One edition's site, settings, language and templates, and what every template sees. It keeps nothing
    between builds: a new one is made for each."""

    def __init__(self, site: PublicSite, settings, locale: Locale, overrides: str | None, site_url: str, links_from_source: bool,
                 sources: dict[str, str]):
        self.site = site
        self.settings = settings
        self.locale = locale
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.links_from_source = links_from_source
        self.sources = sources
        self.templates = templating.environment(overrides, locale, settings)
        pick = locale.pick
        sides = {(pid, s.id): s.label.model_dump() for pid, pat in site.patterns.items() for s in pat.sides}
        stages = {s.id: s.label.model_dump() for s in site.stages}
        self.templates.globals.update(side_label=lambda pid, sid: pick(sides[(pid, sid)]), stage_label=lambda sid: pick(stages[sid]))

    def common(self, page_url: str, src_uri: str | None = None) -> dict:
        """What every template sees. `base` leads from the page back to the site's root in an href or src
        (from the Markdown file's folder where the engine rewrites those, else from the page's address);
        `page_base` does so from the page's address, for what no engine rewrites (data-* and form actions)."""
        page_base = "../" * page_url.count("/")
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

    def render(self, name: str, **context) -> str:
        return self.templates.get_template(name).render(**context)

    def diagram(self, drawing, title: str, variant: str = "") -> str:
        return self.render("diagram.svg.j2", d=drawing, title=title, variant=variant)
