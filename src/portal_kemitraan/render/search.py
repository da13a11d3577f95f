"""The site's search: one Pagefind document per listed partner and per public page, in the edition's language."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from lxml import html as lxml_html

from ..core.public import PublicSite
from ..core.reference import find_province
from .i18n import Locale, localized

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable document: the address it leads to (from the edition's root) and the HTML Pagefind reads.
    The HTML is made here from published values only; it is not a page of the site."""

    url: str
    html: str
    text: str = ""  # the words Pagefind indexes, for the list of words a typo is corrected to

    def typo_words(self) -> frozenset[str]:
        """The document's words a typo may be corrected to (folded, letters only, five letters or more)."""
        return frozenset(w for w in words(self.text) if TYPO_MIN <= len(w) <= TYPO_MAX and w.isalpha())


def _e(text: str) -> str:
    return html.escape(text or "", quote=True)


def fold(text: str) -> str:
    """Lower case without accents, for matching a reader's words against a list of terms."""
    text = text or ""
    if text.isascii():  # most text: nothing to take apart, and ASCII's case folding is its lower case
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
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
    """A listed partner as Pagefind reads it: weighted text (its own words first: summary, story, activities;
    then its name, sectors, place, pattern and synonyms), the values its result card shows (meta), its
    facets (filters) and sort keys."""
    lang = locale.code
    summary, summary_lang = localized(p, "summary", lang)
    description = getattr(p, f"description_html_{lang}", None) if lang != "id" else None
    description = description or p.description_html
    province = find_province(p.province) or {"aliases": []}
    place = " ".join(x for x in [p.city or "", p.province, *province["aliases"]] if x)
    pattern, side, stage = patterns[p.pattern], sides[(p.pattern, p.side)], stages[p.stage]
    activities = [f"{a['title']}. {a['summary'] or ''}" for a in p.activities]
    story = _text_of(description)  # read once: the document's own words and the synonyms' source
    body_text = " ".join([p.name, summary, p.summary, " ".join(p.sectors), place, story, *activities])
    extra = synonyms.expand(body_text)
    # The partner's own words come first (summary, story, activities): the excerpt a reader sees is cut from
    # them only (meta "own" and "lead" count their words), never from the words added for the index.
    own = [("p", f' data-pagefind-weight="5"{_lang_attr(summary_lang)}', summary)]
    if lang != "id" and p.summary_en:
        own.append(("p", ' lang="id"', p.summary))  # a reader of /en/ may type the Indonesian words
    if description:
        own.append(("div", "", story))
    own.extend(("p", ' lang="id"', text) for text in activities)
    parts = [f"<{tag}{attrs}>{_e(text)}</{tag}>" for tag, attrs, text in own if text.strip()]
    parts += [
        f'<h1 data-pagefind-weight="10">{_e(p.name)}</h1>',
        f'<p data-pagefind-weight="5">{_e(", ".join(p.sectors))}</p>',
        f'<p data-pagefind-weight="4">{_e(place)}</p>',
        f'<p data-pagefind-weight="2">{_e(pattern)}, {_e(side)}</p>',
    ]
    if extra:
        parts.append(f'<p data-pagefind-weight="3">{_e(" ".join(extra))}</p>')
    meta = {
        "title": p.name,
        "kind": "partner",
        "summary": summary,
        "pattern": p.pattern,
        "tags": f"{pattern} · {side}",
        "province": p.province,
        "stage": stage,
        "lead": str(len(summary.split())),
        "own": str(sum(len(text.split()) for _tag, _attrs, text in own)),
    }
    if summary_lang:
        meta["summary_lang"] = summary_lang
    if p.logo:
        meta["image"] = p.logo
    filters = {"pattern": [p.pattern], "side": [f"{p.pattern}/{p.side}"], "sector": list(p.sectors),
               "province": [p.province], "stage": [p.stage]}
    name_key = fold(p.name)
    # Two orders (each costs every search about 2 bytes a partner): by name, and newest first.
    sort = {"name": name_key, "since": p.since or "0000-00-00"}
    text = " ".join([body_text, p.summary_en or "", pattern, side, *extra])
    return SearchDoc(p.url, _document(lang, "".join(parts), meta, filters, sort), text)


def page_doc(url: str, title: str, body_html: str, lang: str) -> SearchDoc:
    """A hand-written or generated page of the site (a pattern, the guide), indexed by its text."""
    text = _text_of(body_html)
    parts = f'<h1 data-pagefind-weight="6">{_e(title)}</h1><div>{_e(text)}</div>'
    # Only pages carry a kind: a filter on partners would cost every search a list of every partner.
    return SearchDoc(url, _document(lang, parts, {"title": title, "kind": "page"}, {"kind": ["page"]}, {}), f"{title} {text}")


def _lang_attr(code: str | None) -> str:
    return f' lang="{code}"' if code else ""


KEY_FILTER = "portal-key"  # a preview's whole index: each document's address, so that a fresh index can stand in for it
_END = "</body></html>"


def keyed(doc: SearchDoc) -> SearchDoc:
    """The document with its address as a filter (KEY_FILTER). A preview indexes every document so, and a
    reader's search there leaves out those its fresh index (of the partners changed since) replaces."""
    if not doc.html.endswith(_END):
        raise ValueError(f"{doc.url}: not a document made by render.search")
    span = f'<span data-pagefind-filter="{KEY_FILTER}">{_e(doc.url)}</span>'
    return SearchDoc(doc.url, doc.html[: -len(_END)] + span + _END, doc.text)


def _document(lang: str, body: str, meta: dict, filters: dict, sort: dict) -> str:
    hidden = []
    for key, value in meta.items():
        hidden.append(f'<span data-pagefind-meta="{_e(key)}">{_e(value)}</span>')
    for key, values in filters.items():
        for value in values:
            hidden.append(f'<span data-pagefind-filter="{_e(key)}">{_e(value)}</span>')
    for key, value in sort.items():
        hidden.append(f'<span data-pagefind-sort="{_e(key)}">{_e(value)}</span>')
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>{_e(meta["title"])}</title></head><body><main data-pagefind-body>{body}</main>{"".join(hidden)}{_END}'


def documents(site: PublicSite, locale: Locale, synonyms, pages: list[tuple[str, str, str]] = (), reuse: dict | None = None) -> list[SearchDoc]:
    """Every search document of one edition: the listed partners (never unlisted or hidden ones: only
    `site.listed` is read), the patterns, and the given pages (url, title, body HTML).
    `reuse` is a caller's memory between calls (a preview's): a partner whose public record is the same object
    as last time, in the same language, labels and synonyms, keeps its document; it holds only this call's."""
    synonyms = synonyms if isinstance(synonyms, Synonyms) else Synonyms(synonyms)
    patterns, sides, stages = _labels(site, locale)
    if reuse is None:
        docs = [partner_doc(p, locale, synonyms, patterns, sides, stages) for p in site.listed]
    else:
        context = (locale.code, patterns, sides, stages, synonyms.groups)
        last, now = reuse.get("partners", {}), {}
        for p in site.listed:
            hit = last.get(p.slug)
            now[p.slug] = hit if hit is not None and hit[0] is p and hit[1] == context else (p, context, partner_doc(p, locale, synonyms, patterns, sides, stages))
        reuse["partners"] = now
        docs = [entry[2] for entry in now.values()]
    t = locale.pick
    for pid, pattern in site.patterns.items():
        text = " ".join([t(pattern.summary.model_dump()), *(t(s.label.model_dump()) for s in pattern.sides)])
        docs.append(page_doc(f"patterns/{pid}/", t(pattern.name.model_dump()), f"<p>{_e(text)}</p>", locale.code))
    docs.extend(page_doc(url, title, body, locale.code) for url, title, body in pages)
    return docs


TYPO_FOLDER = "typo"  # beside Pagefind's files: the words of the index by length, for correcting a typo
TYPO_MIN, TYPO_MAX = 4, 24  # a typo is corrected in words of five letters or more, to a word one edit away


def vocabulary(docs: list[SearchDoc], reuse: dict | None = None) -> dict[str, bytes]:
    """The words of the indexed documents (folded, letters only), one file per length, the words found in
    most documents first: a reader's word the index does not hold is matched, in the browser, against the
    words one letter shorter, as long and one longer. Linear in the documents; only published text.
    `reuse` (a preview's memory) keeps each unchanged document's words."""
    counts: Counter = Counter()
    last = (reuse or {}).get("words", {})
    now = {}
    for doc in docs:
        hit = last.get(doc.url)
        found = hit[1] if hit is not None and hit[0] is doc else doc.typo_words()
        now[doc.url] = (doc, found)
        counts.update(found)
    if reuse is not None:
        reuse["words"] = now
    by_length: dict[int, list[str]] = {}
    for word, _n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        by_length.setdefault(len(word), []).append(word)
    return {f"{TYPO_FOLDER}/{n}.json": json.dumps(ws, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            for n, ws in sorted(by_length.items())}
