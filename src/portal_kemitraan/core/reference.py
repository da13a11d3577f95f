"""Fixed reference data the models check against: Indonesia's provinces and its bounding box."""

from __future__ import annotations

import os
from functools import lru_cache

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# Indonesia's extent, with a small margin for outer islands (Sabang to Merauke, Miangas to Rote).
LAT_MIN, LAT_MAX = -11.5, 6.5
LON_MIN, LON_MAX = 94.5, 141.5


@lru_cache(maxsize=1)
def provinces() -> list[dict]:
    """The 38 provinces, each {id, name, aliases}, in the order of the data file."""
    with open(os.path.join(HERE, "provinces.yml"), encoding="utf-8") as fh:
        rows = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return [{"id": r["id"], "name": r["name"], "aliases": r.get("aliases", [])} for r in rows]


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, dict]:
    table = {}
    for row in provinces():
        for spelling in [row["name"], row["id"], *row["aliases"]]:
            table[_fold(spelling)] = row
    return table


def _fold(text: str) -> str:
    return " ".join(text.replace("-", " ").replace(".", " ").split()).casefold()


def find_province(text: str) -> dict | None:
    """The province a spelling refers to (any case, official name, id or alias), or None."""
    return _by_folded_name().get(_fold(text))


def province_by_name(name: str) -> dict:
    return _by_folded_name()[_fold(name)]
