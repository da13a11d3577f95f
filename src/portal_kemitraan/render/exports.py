"""Machine-readable exports built with the site: directory data, JSON API, CSV, XLSX, a Frictionless data
package, and Atom feeds of new partners and of partnership news."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Callable

from .csvout import csv_line, csv_text
from .i18n import Locale, localized
from ..core.public import PublicSite
from ..core.published import PublicPartner, api_fields, as_dict, directory_fields, export_value, table_columns

# Every list of fields comes from the one declaration (core/published.py): nothing outside it is exported.
API_FIELDS = api_fields()
COLUMNS = table_columns()  # the tables' columns (CSV, XLSX, the data package's schema), in order
TABLE = [(c.name, c.kind, c.title_id, c.title_en) for c in COLUMNS]
CSV_FIELDS = [c.name for c in COLUMNS]
DIRECTORY_FIELDS = list(directory_fields())


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Labels:
    """Names of patterns, sides and stages in one language."""

    def __init__(self, site: PublicSite, locale: Locale):
        pick = locale.pick
        self.patterns = {pid: pick(pat.name.model_dump()) for pid, pat in site.patterns.items()}
        self.sides = {(pid, s.id): pick(s.label.model_dump()) for pid, pat in site.patterns.items() for s in pat.sides}
        self.stages = {s.id: pick(s.label.model_dump()) for s in site.stages}

    def of(self, p: PublicPartner) -> dict:
        return {"pattern_name": self.patterns[p.pattern], "side_label": self.sides[(p.pattern, p.side)], "stage_label": self.stages[p.stage]}


def export_record(p: PublicPartner, labels: Labels, base: str = "") -> dict:
    """A partner as the exports read it: its public fields, the labels of this edition, its absolute address."""
    return {**as_dict(p), **labels.of(p), "address": base + p.url if base else None}


def api_record(p: PublicPartner, labels: Labels, base: str = "") -> dict:
    record = export_record(p, labels, base)
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
        row = {**as_dict(p), "summary": summary, "summary_lang": lang}
        rows.append([row[f] for f in DIRECTORY_FIELDS])
    meta = {
        "patterns": labels.patterns,
        "sides": {sid: label for (pid, sid), label in labels.sides.items()},
        "stages": labels.stages,
        "stage_order": site.stage_ids,
    }
    return _dumps({"fields": DIRECTORY_FIELDS, "rows": rows, **meta})


def _record_json(p: dict, labels: Labels, base: str) -> str:
    return _dumps(api_record(p, labels, base))


def partners_json(site: PublicSite, labels: Labels, base: str = "", licence: dict | None = None) -> str:
    """Every listed partner's record with the reference data: the same text as one compact json.dumps with
    sorted keys, written from the records' own texts."""
    data = {"generated": site.today.isoformat(), "count": len(site.listed), "partners": None}
    if licence:
        data["licence"] = licence
    data.update(shared_data(site))
    records = "[" + ",".join(_record_json(p, labels, base) for p in site.listed) + "]"
    parts = (f"{_dumps(key)}:{records if key == 'partners' else _dumps(data[key])}" for key in sorted(data))
    return "{" + ",".join(parts) + "}\n"


def partner_json(p: dict, labels: Labels, base: str = "") -> str:
    return _record_json(p, labels, base) + "\n"


def partners_csv(site: PublicSite, labels: Labels, base: str = "") -> str:
    rows = (csv_line(row) for row in _table_rows(site, labels, base))
    return csv_text(CSV_FIELDS, rows, bom=True)


def _table_rows(site: PublicSite, labels: Labels, base: str = ""):
    """One row per listed partner, in CSV_FIELDS order (dates as ISO text; the XLSX writer makes them dates)."""
    for p in site.listed:
        record = export_record(p, labels, base)
        record["url"] = base + p.url  # the tables give each profile's address (absolute when the site's is known)
        yield [export_value(record, column) for column in COLUMNS]


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(site: PublicSite, site_url: str, title: str, locale: Locale | None = None, limit: int = 50) -> str:
    """Newest partners first, by `since`; the feed's date is the newest entry's, so rebuilds are identical.
    Written by ElementTree, so every text is escaped as XML requires."""
    locale = locale or Locale("id")
    labels = Labels(site, locale)
    base = site_url.rstrip("/") + "/"
    entries = sorted((p for p in site.listed if p.since), key=lambda p: (p.since, p.slug), reverse=True)[:limit]
    updated = entries[0].since if entries else site.today.isoformat()
    feed, sub = _feed(locale, locale.gettext("{site}: mitra baru").format(site=title), base + "feed.xml", base + "partners/", updated)
    for p in entries:
        entry = sub(feed, "entry")
        sub(entry, "title", p.name)
        sub(entry, "id", base + p.url)
        sub(entry, "link", rel="alternate", href=base + p.url)
        sub(entry, "published", f"{p.since}T00:00:00Z")
        sub(entry, "updated", f"{p.since}T00:00:00Z")
        sub(entry, "category", term=p.pattern, label=labels.patterns[p.pattern])
        summary, lang = localized(p, "summary", locale.code)
        element = sub(entry, "summary", summary)
        if lang:
            element.set("xml:lang", lang)
        sub(sub(entry, "author"), "name", p.name)
    return _serialise(feed)


def activities_json(site: PublicSite, labels: Labels) -> str:
    """The partnership news for the news page's filters: one compact row per activity, newest first."""
    fields = ["date", "title", "summary", "slug", "name", "url", "pattern", "province"]
    rows = [[a[f] for f in fields] for a in site.activities()]
    return _dumps({"fields": fields, "rows": rows, "patterns": labels.patterns})


def news_feed(site: PublicSite, site_url: str, title: str, locale: Locale | None = None, limit: int = 50) -> str:
    """The newest activities as an Atom feed (undated ones are left out: a feed entry needs a date)."""
    locale = locale or Locale("id")
    labels = Labels(site, locale)
    base = site_url.rstrip("/") + "/"
    items = [a for a in site.activities() if a["date"]][:limit]
    feed, sub = _feed(locale, locale.gettext("{site}: kabar kemitraan").format(site=title), base + "kabar.xml", base + "kabar/",
                      items[0]["date"] if items else site.today.isoformat())
    for a in items:
        entry = sub(feed, "entry")
        sub(entry, "title", f"{a['name']}: {a['title']}").set("xml:lang", "id")
        sub(entry, "id", f"{base}{a['url']}#kegiatan-{a['date']}-{a['n']}")
        sub(entry, "link", rel="alternate", href=base + a["url"])
        sub(entry, "published", f"{a['date']}T00:00:00Z")
        sub(entry, "updated", f"{a['date']}T00:00:00Z")
        sub(entry, "category", term=a["pattern"], label=labels.patterns[a["pattern"]])
        if a["summary"]:
            sub(entry, "summary", a["summary"]).set("xml:lang", "id")
        sub(sub(entry, "author"), "name", a["name"])
    return _serialise(feed)


def _feed(locale: Locale, title: str, self_url: str, alternate: str, updated: str):
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": locale.code})

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    sub(feed, "title", title)
    sub(feed, "id", self_url)
    sub(feed, "link", rel="self", href=self_url)
    sub(feed, "link", rel="alternate", href=alternate)
    sub(feed, "updated", f"{updated}T00:00:00Z")
    return feed, sub


def _serialise(feed) -> str:
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def datapackage(site: PublicSite, site_url: str, title: str, licence: dict, locale: Locale) -> str:
    """A Frictionless Data Package descriptor of the tables (fields, types, licence), so the data can be
    checked and loaded by standard tools."""
    schema = {
        "fields": [
            {"name": name, "type": kind, "title": title_en if locale.code == "en" else title_id, **({"format": "uri"} if name == "url" else {})}
            for name, kind, title_id, title_en in TABLE
        ],
        "primaryKey": ["slug"],
        "missingValues": [""],
    }
    base = site_url.rstrip("/") + "/" if site_url else ""
    licences = [{"name": licence["id"], "path": licence["url"], "title": licence["title"]}]
    package = {
        "name": "partners",
        "title": title,
        "description": locale.gettext("Mitra yang profilnya terbuka untuk umum, dengan pola, pihak, wilayah, tahap dan kesepakatan."),
        "licenses": licences,
        "created": f"{site.today.isoformat()}T00:00:00Z",
        "resources": [
            {"name": "partners-csv", "path": "partners.csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8-sig", "schema": schema, "licenses": licences},
            {"name": "partners-xlsx", "path": "partners.xlsx", "profile": "tabular-data-resource", "format": "xlsx",
             "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "schema": schema, "licenses": licences},
        ],
    }
    if base:
        package["homepage"] = base
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def planned(site: PublicSite, site_url: str, title: str, locale: str = "id", licence: dict | None = None,
            records: bool = True) -> dict[str, Callable[[], str | bytes]]:
    """Every export of one edition of the site, by its path in that edition, each made when called (so a
    preview can make only those whose data changed). With `records`, one JSON file per listed partner too:
    the main edition publishes them for every edition (their codes are the same in every language, and
    api/partners.json of each edition gives the labels in its own)."""
    from .xlsx import workbook

    lang = Locale(locale)
    labels = Labels(site, lang)
    base = site_url.rstrip("/") + "/" if site_url else ""
    licence = licence or {"id": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International", "url": "https://creativecommons.org/licenses/by/4.0/"}
    out: dict[str, Callable[[], str | bytes]] = {
        "api/directory.json": lambda: directory_json(site, lang),
        "api/partners.json": lambda: partners_json(site, labels, base, licence),
        "api/activities.json": lambda: activities_json(site, labels),
        "partners.csv": lambda: partners_csv(site, labels, base),
        SPREADSHEET: lambda: workbook(TABLE, list(_table_rows(site, labels, base)), site.today, lang),
        "datapackage.json": lambda: datapackage(site, site_url, title, licence, lang),
        "feed.xml": lambda: atom_feed(site, site_url, title, lang),
        "kabar.xml": lambda: news_feed(site, site_url, title, lang),
    }
    for p in site.listed if records else ():
        out[partner_export(p.slug)] = lambda p=p: partner_json(p, labels, base)
    return out


def files(site: PublicSite, site_url: str, title: str, locale: str = "id", licence: dict | None = None,
          records: bool = True) -> dict[str, str | bytes]:
    """Every export of one edition of the site, by its path in that edition."""
    return {path: make() for path, make in planned(site, site_url, title, locale, licence, records).items()}


SPREADSHEET = "partners.xlsx"


def partner_export(slug: str) -> str:
    """Where one partner's JSON record is published."""
    return f"api/partners/{slug}.json"
