"""Machine-readable exports built with the site: directory data, JSON API, CSV and the Atom feed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .csvout import csv_text
from .i18n import Locale, localized
from ..core.public import PublicSite

# Public fields of the API, in order. Nothing outside this list is exported.
API_FIELDS = [
    "slug", "url", "name", "summary", "summary_en", "description_html", "description_html_en", "kind", "pattern",
    "pattern_name", "side", "side_label", "forms", "sectors", "province", "province_id", "city", "location", "website",
    "logo", "contact", "stage", "stage_label", "agreement", "activities", "evaluations", "since", "last_verified",
]  # fmt: skip
LABELS = ("pattern_name", "side_label", "stage_label")  # in the language of the edition that exports them
CSV_FIELDS = [
    "slug", "name", "summary", "pattern", "side", "province", "city", "kind", "sectors", "forms", "stage", "website",
    "email", "phone", "contact_person", "agreement_type", "agreement_start", "agreement_end", "agreement_status",
    "since", "last_verified", "url",
]  # fmt: skip
DIRECTORY_FIELDS = ["slug", "name", "summary", "summary_lang", "pattern", "side", "province", "city", "stage", "sectors", "logo", "since"]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Labels:
    """Names of patterns, sides and stages in one language."""

    def __init__(self, site: PublicSite, locale: Locale):
        pick = locale.pick
        self.patterns = {pid: pick(pat.name.model_dump()) for pid, pat in site.patterns.items()}
        self.sides = {(pid, s.id): pick(s.label.model_dump()) for pid, pat in site.patterns.items() for s in pat.sides}
        self.stages = {s.id: pick(s.label.model_dump()) for s in site.stages}

    def of(self, p: dict) -> dict:
        return {"pattern_name": self.patterns[p["pattern"]], "side_label": self.sides[(p["pattern"], p["side"])], "stage_label": self.stages[p["stage"]]}


def api_record(p: dict, labels: Labels) -> dict:
    record = {**p, **labels.of(p)}
    return {k: record.get(k) for k in API_FIELDS}


def shared_data(site: PublicSite) -> dict:
    cat = site
    return {
        "patterns": [
            {
                "id": pid,
                "name": pat.name.model_dump(),
                "summary": pat.summary.model_dump(),
                "sides": [{"id": s.id, "label": s.label.model_dump(), "brings": s.brings.model_dump()} for s in pat.sides],
            }
            for pid, pat in cat.patterns.items()
        ],
        "stages": [{"id": s.id, "label": s.label.model_dump()} for s in cat.stages],
        "forms": [{"id": f.id, "label": f.label.model_dump()} for f in cat.forms],
    }


def directory_json(site: PublicSite, locale: Locale) -> str:
    """Compact rows for the client-side directory: a header of field names, then one array per partner;
    text and labels in the edition's language (summary_lang says when a summary had to stay Indonesian)."""
    labels = Labels(site, locale)
    rows = []
    for p in site.listed:
        summary, lang = localized(p, "summary", locale.code)
        row = {**p, "summary": summary, "summary_lang": lang}
        rows.append([row[f] for f in DIRECTORY_FIELDS])
    meta = {
        "patterns": labels.patterns,
        "sides": {sid: label for (pid, sid), label in labels.sides.items()},
        "stages": labels.stages,
        "stage_order": site.stage_ids,
    }
    return _dumps({"fields": DIRECTORY_FIELDS, "rows": rows, **meta})


def partners_json(site: PublicSite, labels: Labels) -> str:
    data = {"generated": site.today.isoformat(), "count": len(site.listed), "partners": [api_record(p, labels) for p in site.listed]}
    data.update(shared_data(site))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def partner_json(p: dict, labels: Labels) -> str:
    return json.dumps(api_record(p, labels), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def partners_csv(site: PublicSite) -> str:
    return csv_text(CSV_FIELDS, _csv_rows(site), bom=True)  # codes, not labels: the same in every edition


def _csv_rows(site: PublicSite):
    for p in site.listed:
        contact = p["contact"] or {}
        person = contact.get("person") or {}
        agreement = p["agreement"] or {}
        row = {
            **p,
            "email": contact.get("email"),
            "phone": contact.get("phone"),
            "contact_person": person.get("name"),
            "agreement_type": agreement.get("type"),
            "agreement_start": agreement.get("start"),
            "agreement_end": agreement.get("end"),
            "agreement_status": agreement.get("status"),
        }
        yield [row[f] for f in CSV_FIELDS]


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(site: PublicSite, site_url: str, title: str, locale: Locale | None = None, limit: int = 50) -> str:
    """Newest partners first, by `since`; the feed's date is the newest entry's, so rebuilds are identical.
    Written by ElementTree, so every text is escaped as XML requires."""
    locale = locale or Locale("id")
    labels = Labels(site, locale)
    base = site_url.rstrip("/") + "/"
    entries = sorted((p for p in site.listed if p["since"]), key=lambda p: (p["since"], p["slug"]), reverse=True)[:limit]
    updated = entries[0]["since"] if entries else site.today.isoformat()
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": locale.code})

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    sub(feed, "title", locale.gettext("{site}: mitra baru").format(site=title))
    sub(feed, "id", base + "feed.xml")
    sub(feed, "link", rel="self", href=base + "feed.xml")
    sub(feed, "link", rel="alternate", href=base + "partners/")
    sub(feed, "updated", f"{updated}T00:00:00Z")
    for p in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", p["name"])
        sub(entry, "id", base + p["url"])
        sub(entry, "link", rel="alternate", href=base + p["url"])
        sub(entry, "published", f"{p['since']}T00:00:00Z")
        sub(entry, "updated", f"{p['since']}T00:00:00Z")
        sub(entry, "category", term=p["pattern"], label=labels.patterns[p["pattern"]])
        summary, lang = localized(p, "summary", locale.code)
        element = sub(entry, "summary", summary)
        if lang:
            element.set("xml:lang", lang)
        sub(sub(entry, "author"), "name", p["name"])
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def files(site: PublicSite, site_url: str, title: str, locale: str = "id") -> dict[str, str]:
    """Every export of one edition of the site, by its path in that edition."""
    lang = Locale(locale)
    labels = Labels(site, lang)
    out = {
        "api/directory.json": directory_json(site, lang),
        "api/partners.json": partners_json(site, labels),
        "partners.csv": partners_csv(site),
        "feed.xml": atom_feed(site, site_url, title, lang),
    }
    for p in site.listed:
        out[f"api/partners/{p['slug']}.json"] = partner_json(p, labels)
    return out
