"""Fixed reference data the models check against: Indonesia's provinces and its bounding box."""

from __future__ import annotations

import os
from types import MappingProxyType

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# Indonesia's extent, with a small margin for outer islands (Sabang to Merauke, Miangas to Rote).
LAT_MIN, LAT_MAX = -11.5, 6.5
LON_MIN, LON_MAX = 94.5, 141.5


def _read_provinces() -> tuple:
    with open(os.path.join(HERE, "provinces.yml"), encoding="utf-8") as fh:
        rows = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return tuple(MappingProxyType({"id": r["id"], "name": r["name"], "aliases": tuple(r.get("aliases", []))}) for r in rows)


def provinces() -> tuple:
    """The 38 provinces, each {id, name, aliases} (read-only), in the order of the data file."""
    return PROVINCES


def _fold(text: str) -> str:
    return " ".join(text.replace("-", " ").replace(".", " ").split()).casefold()


# Read once when the module is imported: constants of the package, never changed afterwards.
PROVINCES = _read_provinces()
_BY_FOLDED_NAME = MappingProxyType({_fold(spelling): row for row in PROVINCES for spelling in [row["name"], row["id"], *row["aliases"]]})


def find_province(text: str) -> dict | None:
    """The province a spelling refers to (any case, official name, id or alias), or None."""
    return _BY_FOLDED_NAME.get(_fold(text))


def province_by_name(name: str) -> dict:
    return _BY_FOLDED_NAME[_fold(name)]


# Each kind of organisation (models.Kind) by its name in Indonesian and in English.
KIND_LABELS = {
    "individual": ("Perorangan", "Individual"),
    "community-group": ("Kelompok masyarakat", "Community group"),
    "cooperative": ("Koperasi", "Cooperative"),
    "business": ("Badan usaha", "Business"),
    "ngo": ("Lembaga swadaya masyarakat", "NGO"),
    "government": ("Instansi pemerintah", "Government"),
    "education": ("Lembaga pendidikan", "Education"),
    "media": ("Media", "Media"),
    "other": ("Lainnya", "Other"),
}
