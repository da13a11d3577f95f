"""The public projection: only what may be published, as plain dicts every page and export uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalog import Catalog, PartnerRecord
from .memo import Memo
from .models import Pattern, Term
from .parallel import fork_map
from .reference import province_by_name, provinces
from .sanitize import is_safe_url, markdown_to_html
from .settings import ENDING_SOON_DAYS

def agreement_status(start: dt.date | None, end: dt.date | None, today: dt.date, soon_days: int) -> str:
    """'upcoming', 'active', 'ending' (within soon_days), 'ended', or 'open' (no end date)."""
    if start and today < start:
        return "upcoming"
    if end is None:
        return "open"
    if end < today:
        return "ended"
    if (end - today).days <= soon_days:
        return "ending"
    return "active"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _logo_url(logo: str | None) -> str | None:
    """Where a logo under partners/ is published; only logos of published partners are copied."""
    return f"assets/partners/{logo}" if logo else None


def public_partner(catalog: Catalog, record: PartnerRecord, today: dt.date, soon_days: int) -> dict:
    """Every public field of one partner. `internal` and non-consented persons never enter this dict."""
    p = record.data
    stage_id = catalog.stage_of(record)
    province = province_by_name(p.region.province)
    contact = None
    if p.contact:
        person = p.contact.person
        shown_person = None
        if person is not None and person.consent:
            shown_person = {"name": person.name, "role": person.role, "email": person.email, "phone": person.phone}
        contact = {"email": p.contact.email, "phone": p.contact.phone, "person": shown_person}
        if not any(contact.values()):
            contact = None
    agreement = None
    if p.agreement:
        a = p.agreement
        agreement = {
            "type": a.type,
            "signed": _iso(a.signed),
            "start": _iso(a.start),
            "end": _iso(a.end),
            "document": a.document if a.document and is_safe_url(a.document) else None,
            "status": agreement_status(a.start, a.end, today, soon_days),
        }
    return {
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
    }


def _same(entry: tuple | None, partner, context: tuple) -> bool:
    return entry is not None and entry[0] is partner and entry[1] == context


@dataclass(frozen=True)
class PublicSite:
    """What the site publishes and nothing else: listed partners, unlisted ones (own page only), the public
    reference data (patterns, stages, forms) and the cleaned logo files. Holds no path back to the catalog,
    so nothing reachable from a template or an export can lead to `internal` or an unconsented person."""

    today: dt.date
    patterns: dict[str, Pattern]
    stages: tuple[Term, ...]
    forms: tuple[Term, ...]
    listed: tuple[dict, ...]
    unlisted: tuple[dict, ...]
    logos: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes to publish
    synonyms: tuple[tuple[str, ...], ...] = ()  # groups of words search treats as one (partners/search.yml)
    # Aggregates over all partners, computed once: every directory and news page shows them, and
    # recomputing them per page made the build quadratic in the number of partners.
    _totals: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _once(self, name: str, compute):
        if name not in self._totals:
            self._totals[name] = compute()
        return self._totals[name]

    @property
    def pages(self) -> list[dict]:
        return list(self.listed) + list(self.unlisted)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def by_pattern(self) -> dict[str, int]:
        return self._once('by_pattern', self._by_pattern)

    def _by_pattern(self) -> dict[str, int]:
        counts = {pid: 0 for pid in self.patterns}
        for p in self.listed:
            counts[p["pattern"]] += 1
        return counts

    def by_province(self) -> dict[str, int]:
        return self._once('by_province', self._by_province)

    def _by_province(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.listed:
            counts[p["province"]] = counts.get(p["province"], 0) + 1
        order = {row["name"]: i for i, row in enumerate(provinces())}
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]])))

    def by_side(self) -> dict[tuple[str, str], int]:
        return self._once('by_side', self._by_side)

    def _by_side(self) -> dict[tuple[str, str], int]:
        counts = {(pid, s.id): 0 for pid, pattern in self.patterns.items() for s in pattern.sides}
        for p in self.listed:
            counts[(p["pattern"], p["side"])] += 1
        return counts

    def by_stage(self) -> dict[str, int]:
        return self._once('by_stage', self._by_stage)

    def _by_stage(self) -> dict[str, int]:
        counts = {sid: 0 for sid in self.stage_ids}
        for p in self.listed:
            counts[p["stage"]] += 1
        return counts

    def recent(self, n: int = 6) -> list[dict]:
        return self._once(f"recent{n}", lambda: self._recent(n))

    def _recent(self, n: int) -> list[dict]:
        dated = [p for p in self.listed if p["since"]]
        return sorted(dated, key=lambda p: (p["since"], p["slug"]), reverse=True)[:n]

    def activities(self) -> list[dict]:
        return self._once('activities', self._activities)

    def _all_activities(self) -> list[dict]:
        return [
            {**a, "slug": p["slug"], "name": p["name"], "url": p["url"], "pattern": p["pattern"], "side": p["side"], "province": p["province"], "n": i}
            for p in self.listed
            for i, a in enumerate(p["activities"])
        ]

    def _activities(self) -> list[dict]:
        """Every activity of every listed partner up to the build date, newest first (undated last), each with
        its partner's public facts: the partnership news. An activity dated later is upcoming, not news."""
        today = self.today.isoformat()
        items = [a for a in self._all_activities() if not a["date"] or a["date"] <= today]
        return sorted(items, key=lambda a: (a["date"] or "", a["slug"], -a["n"]), reverse=True)

    def upcoming(self) -> list[dict]:
        """Activities dated after the build date, soonest first: the agenda. The first build on or after
        an activity's date moves it to the news."""
        return self._once("upcoming", self._upcoming)

    def _upcoming(self) -> list[dict]:
        today = self.today.isoformat()
        items = [a for a in self._all_activities() if a["date"] and a["date"] > today]
        return sorted(items, key=lambda a: (a["date"], a["slug"], a["n"]))

    def sectors(self) -> list[tuple[str, int]]:
        return self._once('sectors', self._sectors)

    def _sectors(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for p in self.listed:
            for s in p["sectors"]:
                counts[s] = counts.get(s, 0) + 1
        return sorted(counts.items(), key=lambda kv: kv[0].casefold())


def build_public_site(catalog: Catalog, today: dt.date, soon_days: int = ENDING_SOON_DAYS, parallel: bool = True, memo: Memo | None = None) -> PublicSite:
    """Project a valid catalog onto its public form; hidden partners are dropped here, once. With a `memo`,
    a partner whose checked model and context are those of the last call keeps its projection (the same
    dict, so later steps can tell unchanged partners by identity)."""
    shown = [slug for slug in sorted(catalog.partners) if catalog.partners[slug].data.visibility != "hidden"]
    context = (today, soon_days, tuple(catalog.stage_ids))
    previous = memo.public if memo is not None else {}
    todo = [slug for slug in shown if not _same(previous.get(slug), catalog.partners[slug].data, context)]
    # Markdown and sanitising dominate: spread over the cores.
    made = dict(zip(todo, fork_map(lambda slug: public_partner(catalog, catalog.partners[slug], today, soon_days), todo, parallel)))
    projected = [made[slug] if slug in made else previous[slug][2] for slug in shown]
    if memo is not None:
        memo.public = {slug: (catalog.partners[slug].data, context, public) for slug, public in zip(shown, projected)}
    listed, unlisted, logos = [], [], {}
    for slug, public in zip(shown, projected):
        record = catalog.partners[slug]
        (listed if public["listed"] else unlisted).append(public)
        if record.data.logo:
            logos[public["logo"]] = catalog.logos[record.data.logo]
    listed.sort(key=lambda p: (p["name"].casefold(), p["slug"]))
    return PublicSite(
        today=today,
        patterns=dict(catalog.patterns),
        stages=tuple(catalog.stages),
        forms=tuple(catalog.forms),
        listed=tuple(listed),
        unlisted=tuple(unlisted),
        logos=logos,
        synonyms=tuple(tuple(group) for group in catalog.synonyms),
    )
