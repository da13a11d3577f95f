"""The engine-neutral adapter: writes the rendered site as a docs folder (Markdown pages with front matter
and HTML bodies, hand-written pages with their blocks filled in, exports, logos) for any MkDocs-like engine."""

from __future__ import annotations

import copy
import os
import re
import shutil

import yaml

from ..core.catalog import load_catalog
from ..core.problems import DataError
from ..core.public import PublicSite, build_public_site
from ..core.safefs import Refused, read_regular
from ..core.settings import Settings
from ..render.handwritten import extensions_of
from ..render.i18n import edition_language
from ..render.site import Edition, published_config, render_site
from ..core.problems import Text

STAMP = ".portal-render"  # marks a folder this command made, so that it may be written again
CONFIG_LIMIT = 1024 * 1024
_FOLDER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")


class RenderError(Exception):
    """The folder cannot be written (the message says why)."""


def load_site(config: dict, config_dir: str, today=None) -> tuple[Settings, PublicSite]:
    """The settings and the public site of a project (DataError when the data has errors)."""
    extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
    settings = Settings.from_extra(extra)
    root = os.path.join(config_dir, settings.data_dir)
    today = today or settings.build_date()
    catalog = load_catalog(root, today=today)
    if not catalog.report.ok:
        raise DataError(catalog.report)
    return settings, build_public_site(catalog, today, settings.ending_soon_days)


def render_files(config: dict, config_dir: str, today=None, loaded: tuple[Settings, PublicSite] | None = None,
                 compiled=None) -> tuple[dict[str, str | bytes], dict]:
    """Every file of one edition's docs folder, by its path: generated pages, hand-written pages with
    their blocks filled in, exports, logos, and the edition's search index (engines that do not run the
    hook publish it as any other static file); and the theme's words in the edition's language.
    `compiled`: where templates compile once (render.site.Edition.compiled)."""
    settings, site = loaded or load_site(config, config_dir, today)
    theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
    edition = Edition(
        locale=edition_language(theme.get("language")),
        site_url=str(config.get("site_url") or ""),
        title=str(config.get("site_name") or settings.organisation),
        directory_urls=config.get("use_directory_urls", True) is not False,
        overrides=os.path.join(config_dir, theme["custom_dir"]) if theme.get("custom_dir") else None,
        links_from_source=True,  # engines without the hook (Zensical) rewrite raw HTML's href and src from the file
        markdown=extensions_of(config.get("markdown_extensions")),
        repository=str(config.get("repo_url") or ""),
        compiled=compiled,
    )
    docs_dir = os.path.join(config_dir, str(config.get("docs_dir") or "docs"))
    handwritten, other = {}, {}
    for base, _, names in os.walk(docs_dir):
        for name in sorted(names):
            path = os.path.join(base, name)
            rel = os.path.relpath(path, docs_dir).replace(os.sep, "/")
            with open(path, "rb") as fh:
                data = fh.read()
            if name.endswith(".md"):
                handwritten[rel] = data.decode("utf-8")
            else:
                other[rel] = data
    out: dict[str, str | bytes] = {}
    rendered = render_site(site, settings, edition, handwritten=handwritten)
    for f in rendered:
        if f.kind == "search":
            out.update(f.make())
        else:
            out[f.path] = f.content()
    for rel, data in other.items():
        out.setdefault(rel, data)
    return out, rendered.theme_text()


class _Tagged:
    """A value MkDocs reads through a tag (`!ENV`, `!!python/name:…`), kept as written for the engine."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


class _KeepTags(yaml.SafeLoader):
    """Reads a site configuration keeping every tagged value as it is (never constructing anything)."""


class _WriteTags(yaml.SafeDumper):
    """Writes a configuration back, tagged values with their tags."""


_KeepTags.add_multi_constructor("!", lambda loader, suffix, node: _Tagged("!" + suffix, node))
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged("tag:yaml.org,2002:python/" + suffix, node))
_WriteTags.add_representer(_Tagged, lambda dumper, value: _retag(value.node, value.tag))


def _retag(node: yaml.Node, tag: str) -> yaml.Node:
    node = copy.copy(node)
    node.tag = tag
    return node


def read_config(path: str, seen: tuple[str, ...] = ()) -> dict:
    """A site configuration as data, with INHERIT resolved the way MkDocs resolves it (mappings merged key
    by key, every other value taken from the inheriting file) and its tags kept."""
    real = os.path.realpath(path)
    if real in seen:
        raise RenderError(Text('{path}: INHERIT leads back to itself', path=path))
    try:
        raw = read_regular(path, CONFIG_LIMIT)
        config = yaml.load(raw.decode("utf-8"), Loader=_KeepTags) or {}
    except Refused as exc:
        raise RenderError(Text('{path}: {message}', path=path, message=exc.message))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RenderError(Text('{path}: cannot be read as YAML: {value}', path=path, value=str(exc).splitlines()[0]))
    if not isinstance(config, dict):
        raise RenderError(Text('{path}: must be a mapping of settings', path=path))
    parent = config.pop("INHERIT", None)
    if parent is None:
        return config
    if not isinstance(parent, str):
        raise RenderError(Text('{path}: INHERIT must name a file', path=path))
    return _merge(read_config(os.path.join(os.path.dirname(path), parent), seen + (real,)), config)


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def edition_configs(config_path: str) -> list[tuple[str, dict]]:
    """Every edition of a project, as (its configuration file's name, its configuration): the main one
    first, then one `mkdocs.<lang>.yml` beside it for each other language `extra.alternate` names."""
    main = read_config(config_path)
    main_lang = edition_language((main.get("theme") or {}).get("language") if isinstance(main.get("theme"), dict) else None)
    out = [("mkdocs.yml", main)]
    extra = main.get("extra") if isinstance(main.get("extra"), dict) else {}
    alternates = extra.get("alternate") if isinstance(extra.get("alternate"), list) else []
    for entry in alternates:
        lang = edition_language(entry.get("lang")) if isinstance(entry, dict) else main_lang
        if lang == main_lang or any(name == f"mkdocs.{lang}.yml" for name, _ in out):
            continue
        name = f"mkdocs.{lang}.yml"
        path = os.path.join(os.path.dirname(os.path.abspath(config_path)), name)
        if not os.path.isfile(path):
            raise RenderError(Text('extra.alternate names the {lang!r} edition, but {name} is not beside {basename}', lang=lang, name=name, basename=os.path.basename(config_path)))
        out.append((name, read_config(path)))
    return out


def engine_config(config: dict, docs_dir: str, site_dir: str, theme_text: dict | None = None) -> str:
    """An edition's configuration for another engine: the same settings without the MkDocs hook (the pages
    are rendered already) and without anything that links into the repository, reading the rendered
    `docs_dir`, with the theme's words (extra.portal_text) the hook would otherwise add."""
    out = published_config(config)
    for key in ("hooks", "INHERIT", "docs_dir", "site_dir"):
        out.pop(key, None)
    # The site's one search is its own (pagefind/, in the docs): the engine's would publish a second,
    # whole index of every page, unlisted profiles included.
    plugins = out.get("plugins") if isinstance(out.get("plugins"), list) else []
    out["plugins"] = [p for p in plugins if p != "search" and not (isinstance(p, dict) and "search" in p)] + [{"search": {"enabled": False}}]
    if theme_text is not None:
        out["extra"] = {**(out.get("extra") if isinstance(out.get("extra"), dict) else {}), "portal_text": theme_text}
    text = yaml.dump({"docs_dir": docs_dir, "site_dir": site_dir}, Dumper=_WriteTags, sort_keys=False, allow_unicode=True)
    return text + yaml.dump(out, Dumper=_WriteTags, sort_keys=False, allow_unicode=True, width=1 << 16)


def _folder(config: dict, key: str, default: str, name: str) -> str:
    value = str(config.get(key) or default).replace("\\", "/").strip("/")
    if not _FOLDER.match(value) or any(part in (".", "..") for part in value.split("/")):
        raise RenderError(Text('{name}: {key} must be a folder inside the project (letters, digits, - _ .), not {value!r}', name=name, key=key, value=value))
    return value


def project_files(config_path: str, compiled=None) -> dict[str, str | bytes]:
    """A whole project for another engine: for each edition, its configuration (hook-free) and its rendered
    docs folder; the overriding templates once."""
    config_dir = os.path.dirname(os.path.abspath(config_path))
    editions = edition_configs(config_path)
    loaded = load_site(editions[0][1], config_dir)  # one data folder, one public site, for every edition
    files: dict[str, str | bytes] = {}
    used: dict[str, str] = {}
    for name, config in editions:
        main = name == "mkdocs.yml"
        docs = "docs" if main else _folder(config, "docs_dir", "docs", name)
        site_dir = "site" if main else _folder(config, "site_dir", "site", name)
        if docs in used or (not main and not site_dir.startswith("site/")):
            raise RenderError(Text('{name}: each edition needs its own docs_dir and a site_dir inside site/ (found {docs!r}, {site_dir!r})', name=name, docs=docs, site_dir=site_dir))
        used[docs] = name
        rendered, theme_text = render_files(config, config_dir, loaded=loaded, compiled=compiled)
        for rel, data in rendered.items():
            files[f"{docs}/{rel}"] = data
        theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
        files[name] = engine_config(config, docs, site_dir, theme_text)
        custom = theme.get("custom_dir")
        if custom:
            folder = _folder(theme, "custom_dir", "overrides", name)
            for base, _, names in os.walk(os.path.join(config_dir, folder)):
                for entry in names:
                    path = os.path.join(base, entry)
                    rel = os.path.relpath(path, os.path.join(config_dir, folder)).replace(os.sep, "/")
                    with open(path, "rb") as fh:
                        files[f"{folder}/{rel}"] = fh.read()
    return files


def write_folder(out_dir: str, files: dict[str, str | bytes]) -> int:
    """Write the files into `out_dir`, which must be new, empty, or made by this command before."""
    if os.path.lexists(out_dir):
        if not os.path.isdir(out_dir) or os.path.islink(out_dir):
            raise RenderError(Text('{out_dir} is not a folder', out_dir=out_dir))
        if os.listdir(out_dir) and not os.path.exists(os.path.join(out_dir, STAMP)):
            raise RenderError(Text('{out_dir} is not empty and was not made by `portal render`; choose a new folder', out_dir=out_dir))
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
