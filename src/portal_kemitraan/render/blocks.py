"""The blocks of hand-written pages: what a `<!-- portal: NAME -->` marker shows (counts, the map, the stages...)."""

from __future__ import annotations

from . import charts, diagrams, geo
from .context import PageContext
from .handwritten import MARKER


class Blocks:
    """The HTML of each block a hand-written page asks for, from `templates/blocks/NAME.html.j2`."""

    def __init__(self, ctx: PageContext):
        self.ctx = ctx

    def fill(self, text: str, page_url: str, src_uri: str | None = None) -> str:
        """A hand-written page (its Markdown, or the HTML an engine made of it) with every marker replaced by its block."""
        return MARKER.sub(lambda m: self.block(m.group(1), page_url, src_uri), text) if "<!--" in text else text

    def block(self, name: str, page_url: str, src_uri: str | None = None) -> str:
        """HTML for a `<!-- portal: NAME -->` marker in a hand-written page (`src_uri`: its Markdown file)."""
        ctx = self.ctx.common(page_url, src_uri)
        extra = {"stats": self._stats, "map": self._map, "stages": self._stages}.get(name)
        if extra is not None:
            ctx.update(extra())
        return self.ctx.render(f"blocks/{name}.html.j2", **ctx)

    def _stats(self) -> dict:
        site, locale = self.ctx.site, self.ctx.locale
        by_stage = site.by_stage()
        rows = [(locale.pick(s.label.model_dump()), by_stage[s.id]) for s in site.stages]
        return {
            "stage_chart": charts.bar_chart(rows, locale.gettext("Mitra menurut tahap kemitraan"), self.ctx.templates),
            "active_agreements": sum(1 for p in site.listed if p.agreement and p.agreement["status"] in ("active", "ending", "open")),
        }

    def _map(self) -> dict:
        counts: dict[tuple[str, str], int] = {}
        for p in self.ctx.site.listed:
            key = (p.province_id, p.province)
            counts[key] = counts.get(key, 0) + 1
        markers = geo.markers([(pid, name, n) for (pid, name), n in counts.items()])
        return {"map": {"width": geo.WIDTH, "height": geo.HEIGHT, "outline": geo.outline_path(), "markers": markers}}

    def _stages(self) -> dict:
        _, t = self.ctx.locale.gettext, self.ctx.locale.pick
        labels = [t(s.label.model_dump()) for s in self.ctx.site.stages]
        back = len(labels) - 6 if len(labels) > 6 else 1
        return {"stage_svg": self.ctx.diagram(diagrams.stage_flow(labels, back, _("tahun berikutnya")), _("Alur tahap kemitraan"))}
