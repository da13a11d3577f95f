"""Hand-written pages of an edition: their `<!-- portal: NAME -->` blocks, and their text as the search reads it."""

from __future__ import annotations

import re

import markdown
import yaml
from lxml import html as lxml_html

MARKER = re.compile(r"<!--\s*portal:\s*([a-z-]+)\s*-->")
# What every MkDocs-like engine converts with, whatever the configuration says (MkDocs' own built-ins).
BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
_PLAIN = (str, int, float, bool, type(None))


def split_front_matter(text: str) -> tuple[dict, str]:
    """A page's front matter (a mapping, or empty) and its Markdown body."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            try:
                loaded = yaml.safe_load(text[4:end])
            except yaml.YAMLError:
                loaded = None
            return (loaded if isinstance(loaded, dict) else {}), text[end + 4 :]
    return {}, text


def in_search(meta: dict) -> bool:
    """Whether a page's front matter lets it into the search: not excluded, not marked noindex."""
    excluded = isinstance(meta.get("search"), dict) and meta["search"].get("exclude")
    return not excluded and "noindex" not in str(meta.get("robots", ""))


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def extensions_of(entries, configs: dict | None = None) -> tuple[tuple[str, ...], dict[str, dict]]:
    """The Markdown extensions of a configuration (`markdown_extensions`: names, or one-key mappings of a name
    to its options, or names with `configs` beside them as MkDocs keeps them), MkDocs' built-ins first. Only
    options that are plain data are kept: a tagged or constructed value (`!!python/name:`) is never built here."""
    names: list[str] = list(BUILTIN_EXTENSIONS)
    options: dict[str, dict] = {}
    for entry in entries if isinstance(entries, list) else []:
        name, given = (next(iter(entry.items())) if isinstance(entry, dict) and len(entry) == 1 else (entry, None))
        if not isinstance(name, str):
            continue
        given = given if given is not None else (configs or {}).get(name)
        if name not in names:
            names.append(name)
        if isinstance(given, dict):
            options[name] = {k: v for k, v in given.items() if isinstance(k, str) and _plain(v)}
    return tuple(names), options


def searchable(url: str, text: str, extensions: tuple[tuple[str, ...], dict]) -> tuple[str, str, str] | None:
    """A hand-written page as the search indexes it (its address, title and HTML without the generated
    blocks, which are found through their partners), or None when its front matter keeps it out of search."""
    meta, body = split_front_matter(text)
    if not in_search(meta):
        return None
    names, options = extensions
    try:
        converter = markdown.Markdown(extensions=list(names), extension_configs=options)
    except (ImportError, AttributeError, TypeError, KeyError, ValueError):
        converter = markdown.Markdown(extensions=list(BUILTIN_EXTENSIONS))  # an extension this engine lacks
    page_html = converter.convert(MARKER.sub("", body))
    title = str(meta.get("title") or "")
    if not title and page_html.strip():
        heading = lxml_html.fragment_fromstring(page_html, create_parent="div").find(".//h1")
        title = " ".join(heading.text_content().replace("¶", "").split()) if heading is not None else ""
    return url, title or url, page_html
