"""The site's search: one Pagefind document per listed partner and per public page, in the edition's language."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass

import cbor2
from lxml import html as lxml_html

from ..core.public import PublicSite
from ..core.reference import find_province
from .i18n import Locale, localized

BUNDLE = "pagefind"  # the folder of the index, beside the edition's pages
# Pagefind's ready-made interfaces: the site has its own, so these are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable document: the address it leads to (from the edition's root) and the HTML Pagefind reads.
    The HTML is made here from published values only; it is not a page of the site."""

    url: str
    html: str


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def fold(text: str) -> str:
    """Lower case without accents, for matching a reader's words against a list of terms."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


MIN_SYNONYM_BUDGET = 400  # characters of synonyms one document may gain even when its own text is short


class Synonyms:
    """Groups of words a reader may type for the same thing (region short names, spelling variants, city
    nicknames). A document holding one member of a group is indexed with the others too: any of them finds it.
    Matching is one pass over the document's words (phrases by their first word), so it stays linear."""

    def __init__(self, groups):
        self.groups = [tuple(g) for g in groups]
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for i, group in enumerate(self.groups):
            for term in group:
                tokens = tuple(words(term))
                if tokens:
                    self.by_first.setdefault(tokens[0], []).append((tokens, i))
        for options in self.by_first.values():
            options.sort(key=lambda item: -len(item[0]))

    def expand(self, text: str) -> list[str]:
        """The other members of every group the text mentions, in the order first met."""
        tokens = words(text)
        found: dict[int, None] = {}
        for at, token in enumerate(tokens):
            for phrase, group in self.by_first.get(token, ()):
                if tuple(tokens[at : at + len(phrase)]) == phrase:
                    found.setdefault(group, None)
                    break
        seen = set(tokens)
        extra, budget = [], max(MIN_SYNONYM_BUDGET, len(text))
        for group in found:
            for term in self.groups[group]:
                if not set(words(term)) <= seen:
                    budget -= len(term) + 1
                    if budget < 0:  # synonyms add at most as much as the document's own text
                        return extra
                    extra.append(term)
        return extra


def _text_of(fragment: str) -> str:
    """The readable text of a piece of sanitised HTML."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for node in root.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " headerlink ")]'):
        node.drop_tree()  # the ¶ beside each heading
    for node in root.xpath("//script|//style|//svg"):
        node.drop_tree()
    return " ".join(root.text_content().split())


def _labels(site: PublicSite, locale: Locale):
    t = locale.pick
    patterns = {pid: t(p.name.model_dump()) for pid, p in site.patterns.items()}
    sides = {(pid, s.id): t(s.label.model_dump()) for pid, p in site.patterns.items() for s in p.sides}
    stages = {s.id: t(s.label.model_dump()) for s in site.stages}
    return patterns, sides, stages


def partner_doc(p: dict, locale: Locale, synonyms: Synonyms, patterns, sides, stages) -> SearchDoc:
    """A listed partner as Pagefind reads it: weighted text (name first, then what it does and where, then
    its story and news), the values its result card shows (meta), its facets (filters) and sort keys."""
    lang = locale.code
    summary, summary_lang = localized(p, "summary", lang)
    description = p.get(f"description_html_{lang}") if lang != "id" else None
    description = description or p["description_html"]
    province = find_province(p["province"]) or {"aliases": []}
    place = " ".join(x for x in [p["city"] or "", p["province"], *province["aliases"]] if x)
    pattern, side, stage = patterns[p["pattern"]], sides[(p["pattern"], p["side"])], stages[p["stage"]]
    activities = " ".join(f"{a['title']}. {a['summary'] or ''}" for a in p["activities"])
    body_text = " ".join([p["name"], summary, p["summary"], " ".join(p["sectors"]), place, _text_of(description), activities])
    extra = synonyms.expand(body_text)
    parts = [
        f'<h1 data-pagefind-weight="10">{_e(p["name"])}</h1>',
        f'<p data-pagefind-weight="5"{_lang_attr(summary_lang)}>{_e(summary)}</p>',
        f'<p data-pagefind-weight="5">{_e(", ".join(p["sectors"]))}</p>',
        f'<p data-pagefind-weight="4">{_e(place)}</p>',
        f'<p data-pagefind-weight="2">{_e(pattern)}, {_e(side)}</p>',
    ]
    if lang != "id" and p.get("summary_en"):
        parts.append(f'<p lang="id">{_e(p["summary"])}</p>')  # a reader of /en/ may type the Indonesian words
    if description:
        parts.append(f"<div>{_e(_text_of(description))}</div>")
    for a in p["activities"]:
        parts.append(f'<p lang="id">{_e(a["title"])}. {_e(a["summary"] or "")}</p>')
    if extra:
        parts.append(f'<p data-pagefind-weight="3">{_e(" ".join(extra))}</p>')
    meta = {
        "title": p["name"],
        "kind": "partner",
        "summary": summary,
        "pattern": p["pattern"],
        "tags": f"{pattern} · {side}",
        "province": p["province"],
        "stage": stage,
    }
    if summary_lang:
        meta["summary_lang"] = summary_lang
    if p["logo"]:
        meta["image"] = p["logo"]
    filters = {"pattern": [p["pattern"]], "side": [f"{p['pattern']}/{p['side']}"], "sector": list(p["sectors"]),
               "province": [p["province"]], "stage": [p["stage"]]}
    name_key = fold(p["name"])
    # Two orders (each costs every search about 2 bytes a partner): by name, and newest first.
    sort = {"name": name_key, "since": p["since"] or "0000-00-00"}
    return SearchDoc(p["url"], _document(lang, "".join(parts), meta, filters, sort))


def page_doc(url: str, title: str, body_html: str, lang: str) -> SearchDoc:
    """A hand-written or generated page of the site (a pattern, the guide), indexed by its text."""
    text = _text_of(body_html)
    parts = f'<h1 data-pagefind-weight="6">{_e(title)}</h1><div>{_e(text)}</div>'
    # Only pages carry a kind: a filter on partners would cost every search a list of every partner.
    return SearchDoc(url, _document(lang, parts, {"title": title, "kind": "page"}, {"kind": ["page"]}, {}))


def _lang_attr(code: str | None) -> str:
    return f' lang="{code}"' if code else ""


def _document(lang: str, body: str, meta: dict, filters: dict, sort: dict) -> str:
    hidden = []
    for key, value in meta.items():
        hidden.append(f'<span data-pagefind-meta="{_e(key)}">{_e(value)}</span>')
    for key, values in filters.items():
        for value in values:
            hidden.append(f'<span data-pagefind-filter="{_e(key)}">{_e(value)}</span>')
    for key, value in sort.items():
        hidden.append(f'<span data-pagefind-sort="{_e(key)}">{_e(value)}</span>')
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>{_e(meta["title"])}</title></head><body><main data-pagefind-body>{body}</main>{"".join(hidden)}</body></html>'


def documents(site: PublicSite, locale: Locale, synonyms, pages: list[tuple[str, str, str]] = ()) -> list[SearchDoc]:
    """Every search document of one edition: the listed partners (never unlisted or hidden ones: only
    `site.listed` is read), the patterns, and the given pages (url, title, body HTML)."""
    synonyms = synonyms if isinstance(synonyms, Synonyms) else Synonyms(synonyms)
    patterns, sides, stages = _labels(site, locale)
    docs = [partner_doc(p, locale, synonyms, patterns, sides, stages) for p in site.listed]
    t = locale.pick
    for pid, pattern in site.patterns.items():
        text = " ".join([t(pattern.summary.model_dump()), *(t(s.label.model_dump()) for s in pattern.sides)])
        docs.append(page_doc(f"patterns/{pid}/", t(pattern.name.model_dump()), f"<p>{_e(text)}</p>", locale.code))
    docs.extend(page_doc(url, title, body, locale.code) for url, title, body in pages)
    return docs


class SearchIndexError(Exception):
    """Pagefind could not write the index (the message says why)."""


SIGNATURE = b"pagefind_dcd"  # what every packed piece of a Pagefind index starts with, once unzipped


def _unpack(path: str):
    with open(path, "rb") as fh:
        data = gzip.decompress(fh.read())
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{os.path.basename(path)} is not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE):])


def _pack(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _make_reproducible(bundle: str) -> None:
    """The same documents give the same bundle, byte for byte: Pagefind writes the values of each filter, and
    the filters and sorts in its metadata, in the order of a randomly seeded hash map. Values, filters and
    sorts are put in order here, and the files they change renamed by their new content."""
    entry_path = os.path.join(bundle, "pagefind-entry.json")
    with open(entry_path, encoding="utf-8") as fh:
        entry = json.load(fh)
    for lang, info in entry["languages"].items():
        meta_path = os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta")
        meta = _unpack(meta_path)
        filters = []
        for name, old in sorted(meta[3]):
            old_path = os.path.join(bundle, "filter", f"{old}.pf_filter")
            content = _unpack(old_path)
            packed = _pack([content[0], sorted(content[1], key=lambda value: value[0])])
            new = f"{lang}_{hashlib.sha256(packed).hexdigest()[:7]}"
            os.remove(old_path)
            with open(os.path.join(bundle, "filter", f"{new}.pf_filter"), "wb") as fh:
                fh.write(packed)
            filters.append([name, new])
        meta[3] = filters
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        packed = _pack(meta)
        info["hash"] = f"{lang}_{hashlib.sha256(packed).hexdigest()[:10]}"
        os.remove(meta_path)
        with open(os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta"), "wb") as fh:
            fh.write(packed)
    with open(entry_path, "w", encoding="utf-8") as fh:
        json.dump(entry, fh, ensure_ascii=False, separators=(",", ":"))


def pagefind_binary() -> str:
    """The Pagefind executable shipped inside the `pagefind-bin` package."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise SearchIndexError(f"the search index needs the pagefind-bin package ({exc})") from None
    return str(get_executable())


def write_index(docs: list[SearchDoc], out_dir: str, lang: str, polite: bool = False) -> None:
    """Write the Pagefind bundle for these documents into `out_dir`, replacing what was there. The documents
    are written as files into a temporary folder and indexed by the Pagefind command, with the language fixed
    (Indonesian stemming for `id`, English for `en`); the bundle is moved into place only when complete.
    `polite` runs Pagefind at a low CPU priority (a preview's index, made beside the next rebuild)."""
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".portal-search-", dir=parent)
    try:
        source = os.path.join(work, "docs")
        for doc in docs:
            folder = os.path.join(source, *[part for part in doc.url.split("/") if part])
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as fh:
                fh.write(doc.html)
        bundle = os.path.join(work, BUNDLE)
        done = subprocess.run(
            [pagefind_binary(), "--site", source, "--output-path", bundle, "--force-language", lang, "--silent"],
            capture_output=True, text=True, errors="replace",
            preexec_fn=(lambda: os.nice(10)) if polite and hasattr(os, "nice") else None,
        )
        if done.returncode != 0 or not os.path.isfile(os.path.join(bundle, "pagefind.js")):
            raise SearchIndexError(f"the search index could not be written: {(done.stderr or done.stdout).strip()[:2000]}")
        for extra in UNUSED:
            path = os.path.join(bundle, extra)
            if os.path.isfile(path):
                os.remove(path)
        _make_reproducible(bundle)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(bundle, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def index_files(docs: list[SearchDoc], lang: str) -> dict[str, bytes]:
    """The Pagefind bundle as files (path under the edition -> bytes), for an adapter that writes a folder."""
    out: dict[str, bytes] = {}
    work = tempfile.mkdtemp(prefix="portal-search-")
    try:
        bundle = os.path.join(work, BUNDLE)
        write_index(docs, bundle, lang)
        for folder, _, names in os.walk(bundle):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    out[BUNDLE + "/" + os.path.relpath(path, bundle).replace(os.sep, "/")] = fh.read()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out
