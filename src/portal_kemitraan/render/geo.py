"""The map of partners: Indonesia's outline and one marker per province, drawn at build time as SVG."""

from __future__ import annotations

import json
import math
import os

import yaml

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "maps")
WEST, EAST, SOUTH, NORTH = 93.2, 142.4, -12.0, 6.8  # degrees: the frame drawn, with room for the largest marker
WIDTH = 720  # SVG user units across
SCALE = WIDTH / (EAST - WEST)
HEIGHT = round((NORTH - SOUTH) * SCALE)
MIN_STEP = 0.9  # px: outline points closer than this to the last one kept are dropped


def project(lon: float, lat: float) -> tuple[float, float]:
    """Plate carrée: near the equator, distortion is under 2% across Indonesia."""
    return (lon - WEST) * SCALE, (NORTH - lat) * SCALE


def outline_path() -> str:
    """Indonesia's islands as one SVG path (Natural Earth 1:50m, vendored in maps/indonesia.json)."""
    with open(os.path.join(HERE, "indonesia.json"), encoding="utf-8") as fh:
        rings = json.load(fh)["rings"]
    parts = []
    for ring in rings:
        kept: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= MIN_STEP:
                kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z")
    return "".join(parts)


def capitals() -> dict[str, dict]:
    """Province id -> {capital, lat, lon}."""
    with open(os.path.join(HERE, "capitals.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def markers(counts: list[tuple[str, str, int]]) -> list[dict]:
    """One marker per (province id, name, count), its area proportional to the count; largest drawn first
    so smaller neighbours (Jakarta beside West Java) stay on top and can be pointed at."""
    peak = max((n for _, _, n in counts), default=0) or 1
    out, places = [], capitals()
    for pid, name, n in counts:
        place = places[pid]
        x, y = project(place["lon"], place["lat"])
        out.append({"id": pid, "name": name, "count": n, "x": round(x, 1), "y": round(y, 1), "r": round(5 + 17 * math.sqrt(n / peak), 1)})
    return sorted(out, key=lambda m: -m["r"])
