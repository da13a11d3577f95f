"""MkDocs glue: validate the data (on_config), add generated pages and exports (on_files), fill and trim pages, watch data (on_serve)."""

from __future__ import annotations

import logging
import os
import re

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from portal import exports
from portal.catalog import load_catalog
from portal.minify import strip_indentation
from portal.pages import SitePlan
from portal.problems import DataError
from portal.public import build_public_site
from portal.settings import Settings

log = logging.getLogger("mkdocs.hooks.portal")
MARKER = re.compile(r"<!--\s*portal:\s*([a-z-]+)\s*-->")

_state: dict = {}


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
    _state.clear()
    plan = SitePlan(site, settings)
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
    for dest, source in site.logos.items():
        files.append(File.generated(config, dest, abs_src_path=source))
    return files


def on_page_markdown(markdown, page, config, files):
    generated = _state["plan"].pages.get(page.file.src_uri)
    if generated is not None:
        base = _data_edit_base(config)
        page.edit_url = base + generated.edit_path if base and generated.edit_path else None
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
