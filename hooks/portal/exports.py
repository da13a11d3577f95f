"""Machine-readable exports built with the site: directory data, JSON API, CSV and the Atom feed."""

from __future__ import annotations

import csv
import io
import json
import re

from . import templating
from .public import PublicSite

# Public fields of the API, in order. Nothing outside this list is exported.
API_FIELDS = [
    "slug", "url", "name", "summary", "description_html", "kind", "pattern", "pattern_name", "side", "side_label",
    "forms", "sectors", "province", "province_id", "city", "location", "website", "logo", "contact", "stage",
    "stage_label", "agreement", "activities", "evaluations", "since", "last_verified",
]  # fmt: skip
CSV_FIELDS = [
    "slug", "name", "summary", "pattern", "side", "province", "city", "kind", "sectors", "forms", "stage", "website",
    "email", "phone", "contact_person", "agreement_type", "agreement_start", "agreement_end", "agreement_status",
    "since", "last_verified", "url",
]  # fmt: skip
DIRECTORY_FIELDS = ["slug", "name", "summary", "pattern", "side", "province", "city", "stage", "sectors", "logo"]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def api_record(p: dict) -> dict:
    return {k: p[k] for k in API_FIELDS}


def shared_data(site: PublicSite) -> dict:
    cat = site.catalog
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


def directory_json(site: PublicSite) -> str:
    """Compact rows for the client-side directory: a header of field names, then one array per partner."""
    rows = [[p[f] for f in DIRECTORY_FIELDS] for p in site.listed]
    meta = {
        "patterns": {pid: pat.name.id for pid, pat in site.catalog.patterns.items()},
        "sides": {s.id: s.label.id for pat in site.catalog.patterns.values() for s in pat.sides},
        "stages": {s.id: s.label.id for s in site.catalog.stages},
        "stage_order": site.catalog.stage_ids,
    }
    return _dumps({"fields": DIRECTORY_FIELDS, "rows": rows, **meta})


def partners_json(site: PublicSite) -> str:
    data = {"generated": site.today.isoformat(), "count": len(site.listed), "partners": [api_record(p) for p in site.listed]}
    data.update(shared_data(site))
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def partner_json(p: dict) -> str:
    return json.dumps(api_record(p), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d ()\-]+$)")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else (";".join(value) if isinstance(value, list) else str(value))
    return "'" + text if _FORMULA.match(text) else text


def partners_csv(site: PublicSite) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
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
        writer.writerow([_cell(row[f]) for f in CSV_FIELDS])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8


def atom_feed(site: PublicSite, site_url: str, title: str, limit: int = 50) -> str:
    """Newest partners first, by `since`; the feed's date is the newest entry's, so rebuilds are identical."""
    entries = sorted((p for p in site.listed if p["since"]), key=lambda p: (p["since"], p["slug"]), reverse=True)[:limit]
    updated = entries[0]["since"] if entries else site.today.isoformat()
    return templating.render("feed.xml.j2", entries=entries, site_url=site_url.rstrip("/") + "/", title=title, updated=updated)


def files(site: PublicSite, site_url: str, title: str) -> dict[str, str]:
    """Every export, by its path in the built site."""
    out = {
        "api/directory.json": directory_json(site),
        "api/partners.json": partners_json(site),
        "partners.csv": partners_csv(site),
        "feed.xml": atom_feed(site, site_url, title),
    }
    for p in site.listed:
        out[f"api/partners/{p['slug']}.json"] = partner_json(p)
    return out
