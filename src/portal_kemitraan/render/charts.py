"""Bar charts drawn at build time as inline SVG (no chart library in the browser)."""

from __future__ import annotations

from . import templating

ROW = 28  # pixels per bar
LABEL_WIDTH = 190
BAR_WIDTH = 260


def top_n(rows: list[tuple[str, int]], n: int, other: str = "Lainnya") -> list[tuple[str, int]]:
    """The n largest rows, the rest summed into one 'other' row."""
    if len(rows) <= n:
        return rows
    head, tail = rows[: n - 1], rows[n - 1 :]
    return head + [(other, sum(v for _, v in tail))]


def bar_chart(rows: list[tuple[str, int]], title: str, env=None) -> str:
    """A horizontal bar chart; bar lengths are proportional to the largest value."""
    peak = max((v for _, v in rows), default=0) or 1
    bars = [
        {"label": label, "value": value, "y": i * ROW, "width": round(BAR_WIDTH * value / peak, 1)}
        for i, (label, value) in enumerate(rows)
    ]
    return (env or templating.environment()).get_template("chart.svg.j2").render(
        title=title,
        bars=bars,
        height=max(ROW, len(rows) * ROW),
        label_width=LABEL_WIDTH,
        width=LABEL_WIDTH + BAR_WIDTH + 40,
    )
