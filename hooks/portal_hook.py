"""MkDocs glue: validate the data (on_config), add generated pages and exports (on_files), fill and trim pages, watch data (on_serve)."""

from __future__ import annotations

import logging
import os
import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from portal import exports
from portal.catalog import load_catalog, shown
from portal.minify import strip_indentation
from portal.pages import SitePlan
from portal.problems import DataError
from portal.public import build_public_site
from portal.settings import Settings

log = logging.getLogger("mkdocs.hooks.portal")
MARKER = re.compile(r"<!--\s*portal:\s*([a-z-]+)\s*-->")

_state: dict = {}
PREVIEW_ENV = "PORTAL_PREVIEW"  # set to 1 for a staff preview build with edit links into the repository


def on_startup(command, dirty):
    _state["command"] = command


def is_preview() -> bool:
    """A staff preview (`mkdocs serve`, or PORTAL_PREVIEW=1): the only builds whose pages link into the repository."""
    return _state.get("command") == "serve" or os.environ.get(PREVIEW_ENV, "").strip().lower() in ("1", "true", "yes")


def on_config(config):
    try:
        settings = Settings.from_extra(config.extra)
    except (TypeError, ValueError) as exc:
        raise PluginError(str(exc))
    root = os.path.join(os.path.dirname(config.config_file_path), settings.data_dir)
    today = settings.build_date()
    catalog = load_catalog(root, today=today)
    if not catalog.report.ok:
        error = DataError(catalog.report)
        for line in catalog.report.lines(notes=False):
            log.error(line)
        raise PluginError(str(error))
    site = build_public_site(catalog, today, settings.ending_soon_days)
    command = _state.get("command")
    _state.clear()
    _state["command"] = command
    preview = is_preview()
    if not preview:
        # The published site never points readers into the data repository (no edit pencil, no repo link).
        config.repo_url = None
        config.repo_name = None
        config.edit_uri = None
    sources = None
    if preview:
        sources = {slug: rec.path for slug, rec in catalog.partners.items()}
        data_path = shown(root, root)
        sources.update({f"patterns/{pid}": f"{data_path}/patterns/{pid}.yml" for pid in catalog.patterns})
    plan = SitePlan(site, settings, sources)
    plan.prerender(directory_urls=config.use_directory_urls)
    _state.update(settings=settings, root=root, site=site, plan=plan)
    return config


def _data_edit_base(config) -> str | None:
    """The edit address of the repository root: edit_uri with its docs folder taken off."""
    if not config.repo_url or not config.edit_uri:
        return None
    docs = os.path.basename(os.path.normpath(config.docs_dir)) + "/"
    edit = config.edit_uri if config.edit_uri.endswith("/") else config.edit_uri + "/"
    if edit.endswith(docs):
        edit = edit[: -len(docs)]
    return config.repo_url.rstrip("/") + "/" + edit.lstrip("/")


def on_files(files, config):
    plan: SitePlan = _state["plan"]
    site = _state["site"]
    for page in plan.pages.values():
        in_nav = page.kind in ("directory", "patterns") and page.key in (None, 1)
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.markdown(), inclusion=inclusion))
    for path, text in exports.files(site, config.site_url or "", config.site_name).items():
        files.append(File.generated(config, path, content=text))
    for dest, data in site.logos.items():
        files.append(File.generated(config, dest, content=data))  # the cleaned bytes, never the file itself
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _state["plan"].pages.get(page.file.src_uri)
    if generated is not None:
        # MkDocs drops front matter it cannot parse without a word; a partner page without its
        # noindex or search exclusion must never be published, so check every key arrived.
        lost = sorted(k for k, v in generated.meta.items() if page.meta.get(k) != v)
        if lost:
            raise PluginError(f"{page.file.src_uri}: MkDocs lost the generated front matter ({', '.join(lost)}); refusing to publish this page")
        base = _data_edit_base(config)
        page.edit_url = base + generated.edit_path if base and generated.edit_path and is_preview() else None
    elif not is_preview():
        page.edit_url = None
    return markdown


def on_page_content(html, page, config, files):
    plan: SitePlan = _state["plan"]
    if page.file.src_uri in plan.pages:
        return plan.render(page.file.src_uri, page.url)
    if "<!--" in html:
        return MARKER.sub(lambda m: plan.block(m.group(1), page.url), html)
    return html


def on_post_page(output, page, config):
    return strip_indentation(output)


def on_serve(server, config, builder):
    here = os.path.dirname(os.path.abspath(__file__))
    server.watch(os.path.join(os.path.dirname(config.config_file_path), _state["settings"].data_dir))
    server.watch(os.path.join(here, "portal"))
    return server
