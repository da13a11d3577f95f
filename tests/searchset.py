"""The search query set (fixtures/search/queries.yml) run against a built site, through the engine or a search box.
Used by tests/test_search.py and scripts/bench.py (which loads this file by its path)."""

from __future__ import annotations

import os
import shutil

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "search")
TOP = 5  # a query is answered when its partner is among the first five results

# Every query of a list through the page's own Pagefind bundle, in one visit: the same engine and options the
# site's scripts use (partners only for the home page's box and the directory).
ENGINE_JS = """
async ({queries, partnersOnly, top}) => {
  const base = document.querySelector('.portal-search-dialog').getAttribute('data-base');
  const pf = await window.portalSearch.load(base);
  const out = [];
  for (const q of queries) {
    const search = await window.portalSearch.find(pf, q, partnersOnly ? {filters: {not: {kind: 'page'}}} : {}, base);
    const rows = await Promise.all(search.results.slice(0, top).map(r => r.data()));
    out.push({q, total: search.results.length, top: rows.map(d => d.url)});
  }
  return out;
}
"""

# What each box shows: the links of its results, in order.
BOXES = {
    "header": {"open": ".portal-search-open", "input": "#portal-search-q", "root": "#portal-search-dialog", "links": "#portal-search-dialog .portal-results a"},
    "home": {"open": None, "input": "#portal-home-q", "root": "form.portal-search", "links": "form.portal-search .portal-results a"},
    "directory": {"open": None, "input": "#f-q", "root": ".portal-directory", "links": ".portal-directory .portal-cards .portal-card__name a"},
}


def load_queries() -> dict[str, list[dict]]:
    with open(os.path.join(FIXTURES, "queries.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def add_partners(data_dir: str) -> list[str]:
    """Copy the query set's own partners (public, hidden, unlisted, with staff notes) beside the demo's."""
    names = sorted(os.listdir(os.path.join(FIXTURES, "partners")))
    for name in names:
        shutil.copy(os.path.join(FIXTURES, "partners", name), os.path.join(data_dir, name))
    return names


def slug_of(url: str) -> str | None:
    """The partner an address leads to, or None for another page."""
    parts = [p for p in url.split("?")[0].split("#")[0].split("/") if p]
    return parts[-1] if len(parts) >= 2 and parts[-2] == "partners" else None


def judge(queries: list[dict], answers: dict[str, list[str]], totals: dict[str, int] | None = None) -> dict:
    """Recall among the first five, and which negatives gave anything (any result, of any kind)."""
    positives = [q for q in queries if q["expect"] != "none"]
    missed = [q["q"] for q in positives if q["expect"] not in [slug_of(u) for u in answers.get(q["q"], [])[:TOP]]]
    leaked = [q["q"] for q in queries if q["expect"] == "none" and (answers.get(q["q"]) or (totals or {}).get(q["q"]))]
    found = len(positives) - len(missed)
    return {"positives": len(positives), "found": found, "recall": found / len(positives) if positives else 1.0,
            "missed": missed, "negatives": len(queries) - len(positives), "leaked": leaked}


def through_engine(page, queries: list[dict], partners_only: bool = False) -> tuple[dict[str, list[str]], dict[str, int]]:
    rows = page.evaluate(ENGINE_JS, {"queries": [q["q"] for q in queries], "partnersOnly": partners_only, "top": TOP})
    return {r["q"]: r["top"] for r in rows}, {r["q"]: r["total"] for r in rows}


def through_box(page, box: str, q: str, timeout: float = 15000) -> list[str]:
    """Type a query into a visible box as a person would and read the links it shows once it has answered."""
    spec = BOXES[box]
    if spec["open"] and not page.is_visible(spec["input"]):
        page.click(spec["open"])
    field = page.locator(spec["input"])
    field.fill("")
    field.type(q)
    page.wait_for_function(
        """([root, input, q]) => {
          const r = document.querySelector(root), i = document.querySelector(input);
          return r && i && i.value === q && r.getAttribute('data-state') === 'done' && r.getAttribute('data-query') === q;
        }""",
        arg=[spec["root"], spec["input"], q],
        timeout=timeout,
    )
    return page.eval_on_selector_all(spec["links"], "links => links.map(a => a.href)")
