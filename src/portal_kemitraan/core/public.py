"""The public projection: only what may be published (typed records of core/published.py), for every page and export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalog import Catalog, PartnerRecord
from .models import Pattern, Term, agreement_status
from .published import PublicPartner
from .parallel import fork_map
from .reference import province_by_name, provinces
from .sanitize import is_safe_url, markdown_to_html
from .settings import ENDING_SOON_DAYS


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _logo_url(logo: str | None) -> str | None:
    """Where a logo under partners/ is published; only logos of published partners are copied."""
    return f"assets/partners/{logo}" if logo else None


def _public_contact(given) -> dict | None:
    """The published ways to reach a partner: its own, and its contact person's only when they consented."""
    if not given:
        return None
    person = given.person
    shown_person = None
    if person is not None and person.consent:
        shown_person = {"name": person.name, "role": person.role, "email": person.email, "phone": person.phone, "whatsapp": person.whatsapp}
    contact = {"email": given.email, "phone": given.phone, "whatsapp": given.whatsapp, "person": shown_person}
    return contact if any(contact.values()) else None


def _public_agreement(a, today: dt.date, soon_days: int) -> dict | None:
    """The published facts of a partner's agreement, with its status on `today`."""
    if not a:
        return None
    return {
        "type": a.type,
        "signed": _iso(a.signed),
        "start": _iso(a.start),
        "end": _iso(a.end),
        "document": a.document if a.document and is_safe_url(a.document) else None,
        "status": agreement_status(a.start, a.end, today, soon_days),
    }


def public_partner(catalog: Catalog, record: PartnerRecord, today: dt.date, soon_days: int) -> PublicPartner:
    """Every public field of one partner (core/published.py declares them). `internal` and non-consented
    persons never enter it."""
    p = record.data
    stage_id = catalog.stage_of(record)
    province = province_by_name(p.region.province)
    contact, agreement = _public_contact(p.contact), _public_agreement(p.agreement, today, soon_days)
    return PublicPartner(**{
        "slug": record.slug,
        "url": f"partners/{record.slug}/",
        "name": p.name,
        "summary": p.summary,
        "summary_en": p.summary_en,
        "description_html": markdown_to_html(p.description) if p.description else "",
        "description_html_en": markdown_to_html(p.description_en) if p.description_en else "",
        "kind": p.kind,
        "pattern": p.pattern,
        "side": p.side,
        "forms": list(p.forms),
        "sectors": list(p.sectors),
        "province": province["name"],
        "province_id": province["id"],
        "city": p.region.city,
        "location": {"lat": p.location.lat, "lon": p.location.lon} if p.location else None,
        "website": p.website if p.website and is_safe_url(p.website) else None,
        "logo": _logo_url(p.logo),
        "contact": contact,
        "stage": stage_id,
        "stage_index": catalog.stage_ids.index(stage_id),
        "agreement": agreement,
        "activities": [
            {"title": x.title, "date": _iso(x.date), "summary": x.summary}
            for x in sorted(p.activities, key=lambda x: x.date or dt.date.min, reverse=True)
        ],
        "evaluations": [
            {"period": e.period, "summary": e.summary, "achieved": e.achieved, "obstacles": e.obstacles}
            for e in sorted(p.evaluations, key=lambda e: e.period, reverse=True)
        ],
        "since": _iso(p.since),
        "last_verified": _iso(p.last_verified),
        "listed": p.visibility == "public",
    })


@dataclass(frozen=True)
class Totals:
    """Counts over all listed partners, computed once when the site is made: every directory and news page
    shows them, and recomputing them per page made the build quadratic in the number of partners."""

    by_pattern: dict[str, int]
    by_province: dict[str, int]
    by_side: dict[tuple[str, str], int]
    by_stage: dict[str, int]
    recent: tuple[PublicPartner, ...]
    activities: tuple[dict, ...]
    upcoming: tuple[dict, ...]
    sectors: tuple[tuple[str, int], ...]


RECENT = 6  # newest partners shown on the home page


def summarize(listed: tuple[PublicPartner, ...], patterns: dict[str, Pattern], stages: tuple[Term, ...], today: dt.date) -> Totals:
    """Every count the pages show, in one pass per count (linear in the number of partners)."""
    by_pattern = {pid: 0 for pid in patterns}
    by_side = {(pid, s.id): 0 for pid, pattern in patterns.items() for s in pattern.sides}
    by_stage = {s.id: 0 for s in stages}
    provinces_seen: dict[str, int] = {}
    sector_counts: dict[str, int] = {}
    for p in listed:
        by_pattern[p.pattern] += 1
        by_side[(p.pattern, p.side)] += 1
        by_stage[p.stage] += 1
        provinces_seen[p.province] = provinces_seen.get(p.province, 0) + 1
        for s in p.sectors:
            sector_counts[s] = sector_counts.get(s, 0) + 1
    order = {row["name"]: i for i, row in enumerate(provinces())}
    dated = [p for p in listed if p.since]
    every = [
        {**a, "slug": p.slug, "name": p.name, "url": p.url, "pattern": p.pattern, "side": p.side, "province": p.province, "n": i}
        for p in listed
        for i, a in enumerate(p.activities)
    ]
    day = today.isoformat()
    return Totals(
        by_pattern=by_pattern,
        by_province=dict(sorted(provinces_seen.items(), key=lambda kv: (-kv[1], order[kv[0]]))),
        by_side=by_side,
        by_stage=by_stage,
        recent=tuple(sorted(dated, key=lambda p: (p.since, p.slug), reverse=True)[:RECENT]),
        # The news: every activity up to the build date, newest first (undated last). Later ones are the
        # agenda, soonest first; the first build on or after an activity's date moves it to the news.
        activities=tuple(sorted((a for a in every if not a["date"] or a["date"] <= day), key=lambda a: (a["date"] or "", a["slug"], -a["n"]), reverse=True)),
        upcoming=tuple(sorted((a for a in every if a["date"] and a["date"] > day), key=lambda a: (a["date"], a["slug"], a["n"]))),
        sectors=tuple(sorted(sector_counts.items(), key=lambda kv: kv[0].casefold())),
    )


@dataclass(frozen=True)
class PublicSite:
    """What the site publishes and nothing else: listed partners, unlisted ones (own page only), the public
    reference data (patterns, stages, forms) and the cleaned logo files. Holds no path back to the catalog,
    so nothing reachable from a template or an export can lead to `internal` or an unconsented person.
    Immutable once made (make it with `public_site`): its counts are computed with it, never later."""

    today: dt.date
    patterns: dict[str, Pattern]
    stages: tuple[Term, ...]
    forms: tuple[Term, ...]
    listed: tuple[PublicPartner, ...]
    unlisted: tuple[PublicPartner, ...]
    totals: Totals
    logos: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes to publish
    synonyms: tuple[tuple[str, ...], ...] = ()  # groups of words search treats as one (partners/search.yml)

    @property
    def pages(self) -> list[PublicPartner]:
        return list(self.listed) + list(self.unlisted)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def by_pattern(self) -> dict[str, int]:
        return self.totals.by_pattern

    def by_province(self) -> dict[str, int]:
        return self.totals.by_province

    def by_side(self) -> dict[tuple[str, str], int]:
        return self.totals.by_side

    def by_stage(self) -> dict[str, int]:
        return self.totals.by_stage

    def recent(self) -> tuple[PublicPartner, ...]:
        return self.totals.recent

    def activities(self) -> tuple[dict, ...]:
        """The partnership news: every activity of every listed partner up to the build date."""
        return self.totals.activities

    def upcoming(self) -> tuple[dict, ...]:
        """The agenda: activities dated after the build date, soonest first."""
        return self.totals.upcoming

    def sectors(self) -> tuple[tuple[str, int], ...]:
        return self.totals.sectors


def public_site(today: dt.date, patterns: dict[str, Pattern], stages, forms, listed, unlisted, logos=None, synonyms=()) -> PublicSite:
    """A PublicSite with its counts."""
    listed, stages = tuple(listed), tuple(stages)
    return PublicSite(today, dict(patterns), stages, tuple(forms), listed, tuple(unlisted), summarize(listed, patterns, stages, today),
                      dict(logos or {}), tuple(tuple(g) for g in synonyms))


def shown_slugs(catalog: Catalog) -> list[str]:
    """The partners the site shows in some way (listed or unlisted): every one but the hidden, by slug."""
    return [slug for slug in sorted(catalog.partners) if catalog.partners[slug].data.visibility != "hidden"]


def project_partners(catalog: Catalog, slugs: list[str], today: dt.date, soon_days: int = ENDING_SOON_DAYS, parallel: bool = True) -> list[PublicPartner]:
    """The public projection of the named partners (Markdown and sanitising dominate: spread over the cores)."""
    return fork_map(lambda slug: public_partner(catalog, catalog.partners[slug], today, soon_days), slugs, parallel)


def assemble_public(catalog: Catalog, today: dt.date, projected: dict[str, PublicPartner]) -> PublicSite:
    """The PublicSite of a catalog from the projection of every shown partner (by slug)."""
    listed, unlisted, logos = [], [], {}
    for slug in shown_slugs(catalog):
        public, record = projected[slug], catalog.partners[slug]
        (listed if public.listed else unlisted).append(public)
        if record.data.logo:
            logos[public.logo] = catalog.logos[record.data.logo]
    listed.sort(key=lambda p: (p.name.casefold(), p.slug))
    return public_site(today, catalog.patterns, catalog.stages, catalog.forms, listed, unlisted, logos, catalog.synonyms)


def build_public_site(catalog: Catalog, today: dt.date, soon_days: int = ENDING_SOON_DAYS, parallel: bool = True) -> PublicSite:
    """Project a valid catalog onto its public form; hidden partners are dropped here, once."""
    slugs = shown_slugs(catalog)
    return assemble_public(catalog, today, dict(zip(slugs, project_partners(catalog, slugs, today, soon_days, parallel))))
