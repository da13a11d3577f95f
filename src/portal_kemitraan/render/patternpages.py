"""The partnership patterns: the overview of all four and one page per pattern, with its flow drawn."""

from __future__ import annotations

from . import diagrams
from .context import Generated, PageContext, escape


class PatternPages:
    """The patterns overview, then one page per pattern with its two sides, their partners and what flows between them."""

    kind = "pattern"

    def __init__(self, ctx: PageContext):
        self.ctx = ctx

    def plan(self) -> list[Generated]:
        _, t = self.ctx.locale.gettext, self.ctx.locale.pick
        overview = {"title": _("Pola kemitraan"), "description": _("Empat pola kemitraan dan dua pihak di setiap pola."), "hide": ["toc"]}
        pages = [Generated("patterns/index.md", overview, "patterns", None, None, self)]
        for pid, pattern in self.ctx.site.patterns.items():
            meta = {"title": escape(t(pattern.name.model_dump())), "description": escape(t(pattern.summary.model_dump())), "template": "pattern.html"}
            pages.append(Generated(f"patterns/{pid}.md", meta, self.kind, pid, self.ctx.sources.get(f"patterns/{pid}"), self))
        return pages

    def inputs(self, page: Generated) -> tuple:
        site = self.ctx.site
        if page.kind == "patterns":
            return (site.by_pattern(),)
        return (page.key, [p for p in site.listed if p.pattern == page.key])

    def render(self, page: Generated, url: str) -> str:
        ctx, site = self.ctx, self.ctx.site
        common = ctx.common(url, page.src_uri)
        if page.kind == "patterns":
            return ctx.render("patterns.html.j2", counts=site.by_pattern(), **common)
        pattern = site.patterns[page.key]
        members = {s.id: [p for p in site.listed if p.pattern == page.key and p.side == s.id] for s in pattern.sides}
        return ctx.render("pattern.html.j2", pid=page.key, pattern=pattern, members=members, flow=self._flow(pattern), **common)

    def _flow(self, pattern) -> dict[str, str]:
        """The pattern's two sides and what flows between them, drawn for a wide screen and for a phone."""
        if not pattern.flows or len(pattern.sides) != 2:
            return {}
        t = self.ctx.locale.pick
        a, b = pattern.sides
        flows = [(f.source == a.id, t(f.label.model_dump())) for f in pattern.flows]
        names = t(a.label.model_dump()), t(b.label.model_dump())
        title = self.ctx.locale.gettext("Alur antara {a} dan {b}").format(a=names[0], b=names[1])
        return {
            "wide": self.ctx.diagram(diagrams.flow_wide(*names, flows), title, "wide"),
            "narrow": self.ctx.diagram(diagrams.flow_narrow(*names, flows), title, "narrow"),
        }
