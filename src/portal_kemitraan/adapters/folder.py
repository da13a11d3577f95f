"""The engine-neutral adapter: writes the rendered site as a docs folder (Markdown pages with front matter
and HTML bodies, hand-written pages with their blocks filled in, exports, logos) for any MkDocs-like engine."""

from __future__ import annotations

import json
import os
import re
import shutil

import yaml

from ..core.catalog import load_catalog
from ..core.problems import DataError
from ..core.public import build_public_site
from ..core.settings import Settings
from ..render.i18n import Locale
from ..render.pages import SitePlan, page_url
from ..render import search
from ..render.site import render_site
from .mkdocs import site_language

MARKER = re.compile(r"<!--\s*portal:\s*([a-z-]+)\s*-->")
STAMP = ".portal-render"  # marks a folder this command made, so that it may be written again
MKDOCS_ONLY: set[str] = set()  # none now: the header and its search are the project's own on every engine


class RenderError(Exception):
    """The folder cannot be written (the message says why)."""


def render_files(config: dict, config_dir: str, today=None) -> dict[str, str | bytes]:
    """Every file of the docs folder, by its path: generated pages, hand-written pages with blocks, exports, logos."""
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    settings = Settings.from_extra(extra)
    root = os.path.join(config_dir, settings.data_dir)
    today = today or settings.build_date()
    catalog = load_catalog(root, today=today)
    if not catalog.report.ok:
        raise DataError(catalog.report)
    site = build_public_site(catalog, today, settings.ending_soon_days)
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    overrides = os.path.join(config_dir, theme["custom_dir"]) if theme.get("custom_dir") else None
    directory_urls = config.get("use_directory_urls", True) is not False
    locale = site_language(theme.get("language"))
    site_url, title = str(config.get("site_url") or ""), str(config.get("site_name") or settings.organisation)
    plan = SitePlan(site, settings, overrides=overrides, locale=locale, site_url=site_url)
    files = render_site(site, settings, locale, site_url, title, directory_urls, plan=plan)
    out: dict[str, str | bytes] = {f.path: f.content for f in files}
    docs_dir = os.path.join(config_dir, str(config.get("docs_dir") or "docs"))
    pages = []
    for base, _, names in os.walk(docs_dir):
        for name in sorted(names):
            path = os.path.join(base, name)
            rel = os.path.relpath(path, docs_dir).replace(os.sep, "/")
            with open(path, "rb") as fh:
                data = fh.read()
            if name.endswith(".md"):
                text = data.decode("utf-8")
                url = page_url(rel, directory_urls)
                if rel not in out:
                    page = _searchable(text, url)
                    if page:
                        pages.append(page)
                data = MARKER.sub(lambda m: plan.block(m.group(1), url), text)
            out.setdefault(rel, data)
    # The site's search, built here: engines that do not run the hook publish it as any other static file.
    out.update(search.index_files(search.documents(site, plan.locale, site.synonyms, sorted(pages)), locale))
    return out


def _searchable(text: str, url: str) -> tuple[str, str, str] | None:
    """A hand-written page as the search indexes it (its address, title and HTML without the generated
    blocks), or None when its front matter keeps it out of search."""
    import markdown

    meta, body = {}, text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            loaded = yaml.safe_load(text[4:end])
            meta = loaded if isinstance(loaded, dict) else {}
            body = text[end + 4 :]
    excluded = isinstance(meta.get("search"), dict) and meta["search"].get("exclude")
    if excluded or "noindex" in str(meta.get("robots", "")):
        return None
    html = markdown.markdown(MARKER.sub("", body), extensions=["attr_list", "md_in_html", "tables", "admonition"])
    title = str(meta.get("title") or "")
    if not title:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        title = re.sub(r"<[^>]+>", "", heading.group(1)).strip() if heading else url
    return url, title, html


def engine_config(config_text: str, theme_text: dict | None = None) -> str:
    """The site configuration for another engine: the same settings, without the MkDocs hook (the pages are
    already rendered), reading `docs/` and `overrides/` beside it, with the theme's words (extra.portal_text)
    that the hook would otherwise add."""
    kept, skipping = [], False
    for line in config_text.splitlines():
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skipping = line.startswith("hooks:")
        if skipping or line.startswith(("docs_dir:", "site_dir:")):
            continue
        if line.split("#", 1)[0].strip() == "plugins: []":
            # The site's search is its own (pagefind/, in docs/): the engine's search would publish a second,
            # whole index of every page, unlisted profiles included.
            kept.extend(["plugins:", "  - search:", "      enabled: false"])
            continue
        kept.append(line)
        if line.rstrip() == "extra:" and theme_text is not None:
            kept.append("  portal_text: " + json.dumps(theme_text, ensure_ascii=False, sort_keys=True))
    text = "\n".join(kept) + "\n"
    yaml.load(text, Loader=_AnyTag)  # still a mapping a YAML parser reads
    return "docs_dir: docs\nsite_dir: site\n" + text


class _AnyTag(yaml.SafeLoader):
    """Accepts MkDocs' tags (!!python/name:…, !ENV) as plain values, only to check the result parses."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def project_files(config_path: str) -> dict[str, str | bytes]:
    """A whole project for another engine: `mkdocs.yml` (hook-free), `docs/` (rendered), `overrides/`."""
    from ..core.settings import read_mkdocs_config

    config = read_mkdocs_config(config_path)
    config_dir = os.path.dirname(os.path.abspath(config_path))
    files = {f"docs/{rel}": data for rel, data in render_files(config, config_dir).items()}
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    with open(config_path, encoding="utf-8") as fh:
        files["mkdocs.yml"] = engine_config(fh.read(), Locale(site_language(theme.get("language"))).theme_text())
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    if theme.get("custom_dir"):
        custom = os.path.join(config_dir, theme["custom_dir"])
        for base, _, names in os.walk(custom):
            for name in names:
                path = os.path.join(base, name)
                rel = os.path.relpath(path, custom).replace(os.sep, "/")
                if rel in MKDOCS_ONLY:
                    continue
                with open(path, "rb") as fh:
                    files[f"{theme['custom_dir']}/{rel}"] = fh.read()
    return files


def write_folder(out_dir: str, files: dict[str, str | bytes]) -> int:
    """Write the files into `out_dir`, which must be new, empty, or made by this command before."""
    if os.path.lexists(out_dir):
        if not os.path.isdir(out_dir) or os.path.islink(out_dir):
            raise RenderError(f"{out_dir} is not a folder")
        if os.listdir(out_dir) and not os.path.exists(os.path.join(out_dir, STAMP)):
            raise RenderError(f"{out_dir} is not empty and was not made by `portal render`; choose a new folder")
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    with open(os.path.join(out_dir, STAMP), "w", encoding="utf-8") as fh:
        fh.write("Written by `portal render`; the whole folder is replaced on the next run.\n")
    for rel, content in sorted(files.items()):
        target = os.path.join(out_dir, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
    return len(files)
