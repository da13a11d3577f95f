"""Profile pages written around one rendering of the theme per page shape, instead of the theme once per page."""

from __future__ import annotations

import logging
import posixpath
import re
from itertools import combinations

from mkdocs import utils
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.portal")

# Material's templates drawn around every profile were the largest share of a build's main process that the
# profiler named (a third of it at 2,000 partners: Jinja and Material's base.html). What they draw
# around two profiles differs only where the page's own values go: its title, description, address and
# body. So one page of each shape (its front matter but for those values) is drawn with markers for them,
# and every profile of that shape is that drawing with its own values put in. Nothing is assumed about the
# templates: a marker must come out exactly as it went in (no filter changed it; each marker is long, in
# mixed case, with a tag, an entity and a double space, which any escaping, tag stripping, truncating or
# case change alters), no altered copy may be left anywhere, and the first profile of each shape is drawn
# by the theme too and must be byte for byte what the markers give. Else that shape is drawn page by page.
_MARK = "qZportalChromeq"
_TAIL = " Qz &amp; Qz  <b>Qz</b> " + "Qz" * 140
_SLUG = "qzportalchromeqslugq"  # an address: lowercase letters only, as a slug is
# Material tests a page's body for one thing: whether it has its own heading (partials/content.html draws
# the title as one when not). A body marker holds the same as the body it stands for.
_BODY_TESTS = ("\u003ch1",)
_FIELDS = {"title": _MARK + "Title" + _TAIL, "description": _MARK + "Description" + _TAIL, "slug": _SLUG}
_BODIES = {held: _MARK + "Body" + "".join(held) + _TAIL for n in range(len(_BODY_TESTS) + 1) for held in combinations(_BODY_TESTS, n)}
_SPLIT = re.compile("(" + "|".join(re.escape(v) for v in [*_FIELDS.values(), *_BODIES.values()]) + ")")
_FIELD_OF = {**{v: k for k, v in _FIELDS.items()}, **{v: "body" for v in _BODIES.values()}}


class Chrome:
    """The theme's drawing around profiles, per shape, for one build: `write(pages)` writes every page it
    can and returns those (MkDocs then draws nothing for them); the others are left to MkDocs."""

    def __init__(self, config, env, nav, doc_files):
        self.config, self.env, self.nav, self.doc_files = config, env, nav, doc_files
        self.models: dict[tuple, list | None] = {}

    def write(self, pages: list[tuple[Page, str]]) -> list[Page]:
        """`pages`: each profile's MkDocs page and its slug. Returns the pages written here."""
        done, total = [], len(pages)
        if self.config.plugins.events.get("page_context"):
            pages = []  # a plugin or hook changes each page's context: every page goes through MkDocs
        for page, slug in pages:
            values = _values(page, slug)
            if values is None:
                continue
            shape = _shape(page, slug)
            if shape not in self.models:
                self.models[shape] = self._model(page, slug, values)
                if self.models[shape] is None:
                    log.debug("portal: profiles like %s are drawn page by page", page.file.src_uri)
            parts = self.models[shape]
            if parts is None:
                continue
            raw = "".join(values[p] if i % 2 else p for i, p in enumerate(parts))
            output = self.config.plugins.on_post_page(raw, page=page, config=self.config)
            utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
            done.append(page)
        log.debug("portal: %d of %d profiles written from %d drawing(s) of the theme", len(done), total,
                  sum(parts is not None for parts in self.models.values()))
        return done

    def _model(self, page: Page, slug: str, values: dict) -> list | None:
        """The drawing of this page's shape split at the markers, checked against the theme's own drawing of `page`."""
        folder = posixpath.dirname(page.file.src_uri)
        file = File.generated(self.config, posixpath.join(folder, _SLUG + ".md"), content="")
        model = Page(None, file, self.config)
        model.markdown, model.content, model.toc = "", _BODIES[_held(values["body"])], page.toc
        model.update_date, model.edit_url = page.update_date, _slugged(page.edit_url, slug, _SLUG)
        model.meta = {k: _slugged(v, slug, _SLUG) for k, v in page.meta.items()}
        model.meta.update(title=_FIELDS["title"], description=_FIELDS["description"])
        try:
            parts = _SPLIT.split(self._draw(model))
        except Exception:  # a template fails on a marker (one named by a value with the slug in it): page by page
            return None
        if any(_MARK.lower() in p.lower() for p in parts[::2]):  # the slug marker holds it too
            return None  # a template changed a marker somewhere: it does more than print the value
        parts[1::2] = [_FIELD_OF[p] for p in parts[1::2]]
        filled = "".join(values[p] if i % 2 else p for i, p in enumerate(parts))
        return parts if filled == self._draw(page) else None

    def _draw(self, page: Page) -> str:
        """The theme's drawing of one page, as MkDocs makes it before the post_page event."""
        config = self.config
        config._current_page, page.active = page, True
        try:
            template = self.env.get_template(page.meta.get("template", "main.html"))
            return template.render(get_context(self.nav, self.doc_files, config, page))
        finally:
            config._current_page, page.active = None, False


def _values(page: Page, slug: str) -> dict | None:
    """The page's own values, or None when one is missing (a template may test for it)."""
    title, description, body = page.meta.get("title"), page.meta.get("description"), page.content
    if not all(isinstance(v, str) and v for v in (title, description, body)):
        return None
    if page.file.src_uri != posixpath.join(posixpath.dirname(page.file.src_uri), slug + ".md"):
        return None
    return {"title": title, "description": description, "slug": slug, "body": body}


def _shape(page: Page, slug: str) -> tuple:
    """What the drawing depends on besides the page's own values: the rest of its front matter and its folder."""
    meta = sorted((k, repr(_slugged(v, slug, _SLUG))) for k, v in page.meta.items() if k not in ("title", "description"))
    return (posixpath.dirname(page.file.src_uri), tuple(meta), _held(page.content), _slugged(page.edit_url, slug, _SLUG))


def _held(body: str) -> tuple:
    return tuple(t for t in _BODY_TESTS if t in body)


def _slugged(value, slug: str, marker: str):
    """A front-matter value with the page's slug in it (its share image) named by the marker instead."""
    return value.replace(slug, marker) if isinstance(value, str) else value
