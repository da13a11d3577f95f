"""Diagrams drawn at build time as inline SVG: a pattern's two sides and what flows between them, and the stages."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

LINE = 18  # px between lines of 14 px text
EM = 0.56  # average advance of a character, in ems, generous for Indonesian words in a system sans-serif


def wrap(text: str, width: float, size: float = 14) -> list[str]:
    """Lines of text that fit `width` px at `size` px (long words are left whole rather than cut)."""
    return textwrap.wrap(text, max(6, int(width / (size * EM))), break_long_words=False) or [""]


@dataclass
class Drawing:
    """Shapes of one diagram in SVG user units; rendered by diagram.svg.j2."""

    width: float
    height: float = 0
    boxes: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # paths with an arrowhead at the end
    texts: list[dict] = field(default_factory=list)

    def box(self, x, y, w, h, label: list[str], cls: str, size: int = 15) -> None:
        self.boxes.append({"x": x, "y": y, "w": w, "h": h, "cls": cls})
        top = y + h / 2 - (len(label) - 1) * LINE / 2 + size * 0.35
        for i, line in enumerate(label):
            self.texts.append({"x": x + w / 2, "y": top + i * LINE, "text": line, "anchor": "middle", "cls": "portal-diagram__box-label", "rotate": False})

    def arrow(self, points: list[tuple[float, float]], dashed: bool = False) -> None:
        (x1, y1), (x2, y2) = points[-2], points[-1]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5 or 1
        ux, uy = dx / length, dy / length
        head = [(x2, y2), (x2 - 9 * ux + 5 * uy, y2 - 9 * uy - 5 * ux), (x2 - 9 * ux - 5 * uy, y2 - 9 * uy + 5 * ux)]
        shaft = points[:-1] + [(x2 - 8 * ux, y2 - 8 * uy)]
        self.lines.append({
            "d": "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in shaft),
            "head": " ".join(f"{x:.1f},{y:.1f}" for x, y in head),
            "dashed": dashed,
        })

    def text(self, x, y, lines: list[str], anchor: str = "start", cls: str = "portal-diagram__label", rotate: bool = False) -> None:
        for i, line in enumerate(lines):
            self.texts.append({"x": x, "y": y + i * LINE, "text": line, "anchor": anchor, "cls": cls, "rotate": rotate})


def flow_wide(a: str, b: str, flows: list[tuple[bool, str]]) -> Drawing:
    """Side a on the left, side b on the right, one labelled arrow per flow between them (True: a to b)."""
    d = Drawing(width=720)
    box_w, gap_x = 190, 530
    rows, y = [], 16
    for forward, label in flows:
        lines = wrap(label, 300, 13)
        rows.append((forward, lines, y))
        y += len(lines) * LINE + 34
    height = max(y, 2 * LINE + 60)
    d.height = height
    d.box(0, 0, box_w, height, wrap(a, box_w - 20, 15), "portal-diagram__box portal-diagram__box--a")
    d.box(gap_x, 0, 720 - gap_x, height, wrap(b, box_w - 20, 15), "portal-diagram__box portal-diagram__box--b")
    for forward, lines, top in rows:
        d.text(360, top + 4, lines, anchor="middle")
        arrow_y = top + len(lines) * LINE + 2
        ends = [(box_w + 6, arrow_y), (gap_x - 6, arrow_y)]
        d.arrow(ends if forward else ends[::-1])
    return d


def flow_narrow(a: str, b: str, flows: list[tuple[bool, str]]) -> Drawing:
    """The same diagram for a phone: side a above, side b below, the arrows running up or down between them."""
    d = Drawing(width=340)
    a_lines = wrap(a, 300, 15)
    a_h = len(a_lines) * LINE + 26
    d.box(0, 0, 340, a_h, a_lines, "portal-diagram__box portal-diagram__box--a")
    y = a_h
    for forward, label in flows:
        lines = wrap(label, 260, 13)
        h = max(len(lines) * LINE + 24, 52)
        ends = [(40, y + 4), (40, y + h - 4)]
        d.arrow(ends if forward else ends[::-1])
        d.text(66, y + h / 2 - (len(lines) - 1) * LINE / 2 + 5, lines)
        y += h
    b_lines = wrap(b, 300, 15)
    b_h = len(b_lines) * LINE + 26
    d.box(0, y, 340, b_h, b_lines, "portal-diagram__box portal-diagram__box--b")
    d.height = y + b_h
    return d


def stage_flow(labels: list[str], loop_to: int, loop_label: str) -> Drawing:
    """The stages top to bottom, and a dashed arrow from the last back to stage `loop_to` (1-based)."""
    d = Drawing(width=360)
    box_w, y, mids = 290, 0, []
    for i, label in enumerate(labels, start=1):
        lines = wrap(f"{i}. {label}", box_w - 24, 14)
        h = len(lines) * LINE + 16
        if i > 1:
            d.arrow([(box_w / 2, y - 22), (box_w / 2, y)])
        d.box(0, y, box_w, h, lines, "portal-diagram__box portal-diagram__box--stage" + (" portal-diagram__box--a" if i == 1 else ""), 14)
        mids.append(y + h / 2)
        y += h + 22
    d.height = y - 22
    if len(labels) > 1:
        top, bottom = mids[loop_to - 1], mids[-1]
        d.arrow([(box_w, bottom), (box_w + 26, bottom), (box_w + 26, top), (box_w + 2, top)], dashed=True)
        d.text(box_w + 44, (top + bottom) / 2, [loop_label], anchor="middle", rotate=True)
    return d
