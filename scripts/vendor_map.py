"""Write render/maps/indonesia.json from world-atlas's countries-50m.json (Natural Earth, public domain).

Run once by a developer when the outline should change:
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/vendor_map.py package/countries-50m.json
It decodes the TopoJSON arcs, keeps Indonesia's outer rings (ISO 3166 numeric 360), drops islands too small to
see at the size the map is drawn, and rounds to 0.02 degrees: a few tens of kilobytes instead of 750.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "portal_kemitraan" / "render" / "maps" / "indonesia.json"
MIN_AREA = 0.02  # square degrees, about 250 km2: smaller islands are a speck at 700 px across


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc[1:] if points else arc)
    return points


def area(points) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def simplify(points, step: float = 0.02) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        q = [round(round(x / step) * step, 2), round(round(y / step) * step, 2)]
        if not out or q != out[-1]:
            out.append(q)
    return out


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    geometry = next(g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == "360")
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = [simplify(ring(p[0], arcs)) for p in polygons]
    rings = [r for r in rings if len(r) >= 4 and area([tuple(x) for x in r]) >= MIN_AREA]
    data = {
        "source": "Natural Earth 1:50m admin 0 countries, via world-atlas 2.0.2 (countries-50m.json)",
        "licence": "Natural Earth: public domain. world-atlas: ISC licence, see LICENSE beside this file.",
        "rings": rings,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rings)} rings, {sum(len(r) for r in rings)} points")


if __name__ == "__main__":
    main(sys.argv[1])
