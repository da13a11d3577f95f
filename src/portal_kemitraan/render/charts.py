"""Bar charts drawn at build time as HTML (a table with bars): text stays page-sized at any screen width."""

from __future__ import annotations

from . import templating


def bar_chart(rows: list[tuple[str, int]], title: str, env=None, link=None) -> str:
    """A horizontal bar chart of every row, bar lengths proportional to the largest value; `link(label)`
    gives an optional address for each row's label."""
    peak = max((v for _, v in rows), default=0) or 1
    bars = [{"label": label, "value": value, "share": round(100 * value / peak, 1), "href": link(label) if link else None} for label, value in rows]
    return (env or templating.environment()).get_template("chart.html.j2").render(title=title, bars=bars)
