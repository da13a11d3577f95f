"""The partners' profiles: one page per shown partner, its schema.org data and its share card."""

from __future__ import annotations

from .cards import SvgDrawer, card_path, share_card
from .context import Generated, PageContext, escape, json_for_script
from .i18n import localized
from ..core.published import PublicPartner


class ProfilePages:
    """A profile for every listed and unlisted partner (unlisted ones kept out of search and indexes)."""

    kind = "partner"

    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.by_slug = {p.slug: p for p in ctx.site.pages}
        self.drawer = SvgDrawer()  # SVG logos of share cards are drawn in a bounded worker (render/cards.py)

    def plan(self) -> list[Generated]:
        return [self._page(p) for p in self.ctx.site.pages]

    def _page(self, p: PublicPartner) -> Generated:
        meta = {
            "title": escape(p.name),
            "description": escape(localized(p, "summary", self.ctx.locale.code)[0]),
            "template": "partner.html",
            "hide": ["navigation", "toc"],
        }
        if self.has_card(p):  # link previews show the partner's card (render/cards.py)
            meta["image"] = card_path(p.slug)
        if not p.listed:
            meta["robots"] = "noindex"
            meta["search"] = {"exclude": True}
        return Generated(f"partners/{p.slug}.md", meta, self.kind, p.slug, self.ctx.sources.get(p.slug), self)

    def inputs(self, page: Generated) -> tuple:
        """What a profile's body is made from besides what every page shares: its partner's record (compared
        by identity first: the preview keeps an unchanged partner's record as it was)."""
        return (self.by_slug[page.key],)

    def render(self, page: Generated, url: str) -> str:
        partner = self.by_slug[page.key]
        address = self.ctx.site_url + partner.url if self.ctx.site_url else ""
        return self.ctx.render("partner.html.j2", partner=partner, jsonld=self.jsonld(partner), address=address, **self.ctx.common(url, page.src_uri))

    def has_card(self, p: PublicPartner) -> bool:
        return bool(p.logo) and p.logo in self.ctx.site.logos

    def share_card(self, slug: str) -> bytes:
        """The share image of one partner with a logo: its logo, name, pattern and side in this edition's
        language, and its place."""
        p, ctx = self.by_slug[slug], self.ctx
        pattern = ctx.site.patterns[p.pattern]
        side = next(s for s in pattern.sides if s.id == p.side)
        line = f"{ctx.locale.pick(pattern.name.model_dump())} · {ctx.locale.pick(side.label.model_dump())}"
        place = ", ".join(x for x in (p.city, p.province) if x)
        return share_card(p.name, line, place, ctx.settings.organisation, ctx.site.logos[p.logo], p.logo, self.drawer)

    def jsonld(self, p: PublicPartner) -> str:
        """The profile as schema.org data: the organisation, its own profile address, its logo and website."""
        site_url = self.ctx.site_url
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": p.name,
            "description": localized(p, "summary", self.ctx.locale.code)[0],
            "address": {"@type": "PostalAddress", "addressRegion": p.province, "addressCountry": "ID"},
        }
        if p.city:
            data["address"]["addressLocality"] = p.city
        if site_url:
            data["url"] = site_url + p.url  # this profile, the organisation's page on the site
            data["@id"] = data["url"] + "#organisation"
            if p.logo:
                data["logo"] = site_url + p.logo
        if p.website:
            data["sameAs"] = [p.website]  # the organisation's own site
            data.setdefault("url", p.website)
        if p.contact and p.contact["email"]:
            data["email"] = p.contact["email"]
        if p.contact and p.contact["phone"]:
            data["telephone"] = p.contact["phone"]
        if p.sectors:
            data["knowsAbout"] = p.sectors
        return json_for_script(data)
