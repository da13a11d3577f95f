"""The staff report: the pipeline by stage, and which partners need attention on a given day."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ..core.catalog import Catalog
from ..render.csvout import csv_text
from ..core.problems import Gettext, Text, joined, said
from ..core.models import Internal, agreement_status
from ..core.settings import ENDING_SOON_DAYS, STALE_DAYS

RECOMMENDED = {"logo": Text("logo"), "description": Text("deskripsi"), "website": Text("situs web"), "contact": Text("kontak")}
# Stages at which a partnership is under way; an ended agreement there means the stage is out of date.
UNDER_WAY = ("signing", "implementation", "monitoring")


@dataclass
class Item:
    section: str  # pipeline, ending, ended, stale, incomplete
    slug: str
    detail: str
    owner: str = ""


@dataclass
class Report:
    today: dt.date
    stages: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, label, slugs)
    items: list[Item] = field(default_factory=list)


# The report is written in Indonesian in the code (its first readers); each text is a message of the catalogs.
SECTIONS = {
    "waiting": Text("Pendaftar menunggu jawaban"),
    "ending": Text("Kesepakatan segera berakhir"),
    "ended": Text("Kesepakatan berakhir, tahap belum diperbarui"),
    "stale": Text("Lama tidak diperiksa atau dihubungi"),
    "incomplete": Text("Profil publik belum lengkap"),
    "due": Text("Waktunya diperiksa mitra (portal verify)"),
}


def is_due(last_verified: dt.date | None, today: dt.date, days: int) -> bool:
    """A published profile is due for a check (`portal verify`) when it was never checked, or not within `days`."""
    return last_verified is None or (today - last_verified).days > days


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    extra = sum(1 for d in range(1, rest + 1) if (start + dt.timedelta(days=d)).weekday() < 5)
    return weeks * 5 + extra


def waiting(record, first_stage: str, stage: str, today: dt.date, reply_days: int) -> Text | None:
    """For an applicant still waiting for the answer the join page promises (a hidden draft at the first stage,
    with the day its application came): how many working days are left, or how far past the promise it is."""
    p = record.data
    came = _date(p.internal.received or p.internal.imported_on) if p.internal else None
    if p.visibility != "hidden" or stage != first_stage or came is None:
        return None
    left = reply_days - working_days(came, today)
    if left >= 0:
        return Text("mendaftar {date}; {left} hari kerja lagi untuk menjawab", date=came.isoformat(), left=left)
    return Text("mendaftar {date}; jawaban terlambat {late} hari kerja dari janji {days} hari kerja", date=came.isoformat(), late=-left, days=reply_days)


def build_report(catalog: Catalog, today: dt.date, ending_days: int = ENDING_SOON_DAYS, stale_days: int = STALE_DAYS,
                 language: str = "id", reply_days: int = 5) -> Report:
    """The report of one day; the stages named in `language` (id or en), as the rest of the report is said."""
    report = Report(today)
    by_stage: dict[str, list[str]] = {s.id: [] for s in catalog.stages}
    for slug in sorted(catalog.partners):
        record = catalog.partners[slug]
        p = record.data
        internal = p.internal or Internal()
        owner = internal.owner or ""
        stage = catalog.stage_of(record)
        by_stage[stage].append(slug)
        answer = waiting(record, catalog.stages[0].id if catalog.stages else stage, stage, today, reply_days)
        if answer is not None:
            report.items.append(Item("waiting", slug, answer, owner))
        if p.agreement and p.agreement.end:
            status = agreement_status(p.agreement.start, p.agreement.end, today, ending_days)
            end = p.agreement.end.isoformat()
            if status == "ending":
                days = (p.agreement.end - today).days
                report.items.append(Item("ending", slug, Text("{type} berakhir {end} ({days} hari lagi)", type=p.agreement.type, end=end, days=days), owner))
            elif status == "ended" and stage in UNDER_WAY:
                report.items.append(Item("ended", slug, Text("{type} berakhir {end}, tahap masih '{stage}'", type=p.agreement.type, end=end, stage=stage), owner))
        if p.visibility != "hidden":
            limit = today - dt.timedelta(days=stale_days)
            old = []
            if p.last_verified is None:
                old.append(Text("belum pernah diperiksa mitra"))
            elif p.last_verified < limit:
                old.append(Text("terakhir diperiksa {date}", date=p.last_verified.isoformat()))
            contact = _date(internal.last_contact)
            if contact and contact < limit:
                old.append(Text("terakhir dihubungi {date}", date=contact.isoformat()))
            if old:
                report.items.append(Item("stale", slug, joined(old, "; "), owner))
        if p.visibility != "hidden" and is_due(p.last_verified, today, stale_days):
            when = Text("terakhir diperiksa {date}", date=p.last_verified.isoformat()) if p.last_verified else Text("belum pernah diperiksa")
            report.items.append(Item("due", slug, when, owner))
        if p.visibility == "public":
            missing = [label for name, label in RECOMMENDED.items() if not getattr(p, name)]
            if missing:
                report.items.append(Item("incomplete", slug, Text("belum ada: {fields}", fields=joined(missing, ", ")), owner))
    report.stages = [(s.id, s.label.en if language == "en" else s.label.id, by_stage[s.id]) for s in catalog.stages]
    return report


def as_rows(report: Report, gettext: Gettext | None = None) -> list[dict]:
    rows = [{"section": "pipeline", "stage": sid, "slug": slug, "detail": label, "owner": ""} for sid, label, slugs in report.stages for slug in slugs]
    rows += [{"section": i.section, "stage": "", "slug": i.slug, "detail": said(i.detail, gettext), "owner": i.owner} for i in report.items]
    return rows


def to_json(report: Report, gettext: Gettext | None = None) -> str:
    data = {
        "today": report.today.isoformat(),
        "pipeline": [{"stage": sid, "label": label, "count": len(slugs), "partners": slugs} for sid, label, slugs in report.stages],
        "attention": {key: [{"slug": i.slug, "detail": said(i.detail, gettext), "owner": i.owner} for i in report.items if i.section == key]
                      for key in SECTIONS},
        "due_for_check": sum(1 for i in report.items if i.section == "due"),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_FIELDS = ["section", "stage", "slug", "detail", "owner"]


def to_csv(report: Report, gettext: Gettext | None = None) -> str:
    return csv_text(CSV_FIELDS, ([row[f] for f in CSV_FIELDS] for row in as_rows(report, gettext)), newline="\n")


def to_markdown(report: Report, gettext: Gettext | None = None) -> str:
    def t(message) -> str:
        return said(message, gettext)

    head = "| " + t(Text("Tahap")) + " | " + t(Text("Jumlah")) + " | " + t(Text("Mitra")) + " |"
    lines = ["# " + t(Text("Laporan kemitraan per {date}", date=report.today.isoformat())), "", "## " + t(Text("Alur kemitraan")), "",
             head, "|---|---:|---|"]
    for n, (sid, label, slugs) in enumerate(report.stages, 1):
        lines.append(f"| {n}. {label} | {len(slugs)} | {', '.join(slugs)} |")
    columns = "| " + t(Text("Mitra")) + " | " + t(Text("Keterangan")) + " | " + t(Text("Penanggung jawab")) + " |"
    for key, title in SECTIONS.items():
        items = [i for i in report.items if i.section == key]
        lines += ["", f"## {t(title)} ({len(items)})", ""]
        if not items:
            lines.append(t(Text("Tidak ada.")))
            continue
        lines += [columns, "|---|---|---|"]
        lines += [f"| {i.slug} | {t(i.detail)} | {i.owner} |" for i in items]
    return "\n".join(lines) + "\n"


def to_table(report: Report, gettext: Gettext | None = None) -> str:
    """A plain terminal table: fixed-width columns, one block per section."""
    lines = [said(Text("Laporan kemitraan per {date}", date=report.today.isoformat()), gettext), "", said(Text("Alur kemitraan"), gettext).upper()]
    width = max(len(label) for _, label, _ in report.stages) + 4
    for n, (sid, label, slugs) in enumerate(report.stages, 1):
        lines.append(f"  {f'{n:>2}. {label}':<{width}} {len(slugs):>4}  {', '.join(slugs)}")
    for key, title in SECTIONS.items():
        items = [i for i in report.items if i.section == key]
        lines += ["", f"{said(title, gettext).upper()} ({len(items)})"]
        if not items:
            lines.append("  " + said(Text("tidak ada"), gettext))
            continue
        slug_w = max(len(i.slug) for i in items)
        owner_w = max(len(i.owner) for i in items)
        lines += [f"  {i.slug:<{slug_w}}  {i.owner:<{owner_w}}  {said(i.detail, gettext)}".rstrip() for i in items]
    return "\n".join(lines) + "\n"


FORMATS = {"table": to_table, "csv": to_csv, "json": to_json, "md": to_markdown}
