"""The intake form as an XLSForm (KoboToolbox, ODK), made from the data's patterns, sides, provinces and kinds."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from ..core.catalog import Catalog
from ..core.models import Partner
from ..core.reference import KIND_LABELS, provinces

FORM_ID = "portal_kemitraan_intake"
LANGUAGES = ("Indonesian (id)", "English (en)")  # XLSForm's language columns: label::Indonesian (id) ...
# What ODK and KoboToolbox add to every export beside the answers: not the applicant's words.
METADATA = ("start", "end", "today", "deviceid", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
            "_submitted_by", "_tags", "_index", "__version__", "_attachments", "_geolocation", "_xform_id_string", "meta/instanceID",
            "meta/rootUuid", "meta/deprecatedID", "instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
            "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "SubmissionDate")  # fmt: skip
RECEIVED = ("_submission_time", "SubmissionDate", "end")  # when a response was received, by export
KEPT = ("_uuid",)  # the submission's own id: kept under internal.screening, to find it again in the form's server


def metadata(header: str) -> bool:
    """Whether a column is one the form's server adds (not an answer): left out of the screening notes."""
    title = header.strip()
    return title in METADATA and title not in KEPT


@dataclass(frozen=True)
class Question:
    """One question: its XML name (the header of an export "with XML values and headers"), what it asks in
    both languages, and the partner field it feeds (None: kept word for word under internal.screening)."""

    name: str
    kind: str  # XLSForm type: text, select_one LIST, integer
    label: tuple[str, str]
    field: str | None = None
    hint: tuple[str, str] = ("", "")
    required: bool = False
    constraint: str = ""
    message: tuple[str, str] = ("", "")
    choice_filter: str = ""
    appearance: str = ""


@dataclass(frozen=True)
class Group:
    name: str
    label: tuple[str, str]
    questions: tuple[Question, ...]


def _limits() -> dict[str, int]:
    """The longest name and summary a partner file takes: the partner model's own limits."""
    props = Partner.model_json_schema()["properties"]
    return {"name": props["name"]["maxLength"], "summary": props["summary"]["maxLength"]}


# The same checks `validate` makes, in XPath: an e-mail address, an Indonesian mobile number as people write
# it (0812…, +62 812…, 62812…, with spaces or dashes), a web address.
EMAIL = r"regex(., '^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$')"
WHATSAPP = r"regex(., '^(\+62|62|0)[ -]?8[1-9]([ -]?[0-9]){6,10}$')"
WEBSITE = r"regex(., '^https?://[^ ]+\.[^ ]+$')"


def groups() -> tuple[Group, ...]:
    """The form: the organisation, the applicant, and the partnership offered (the screening questions an
    applicant can answer: who they speak for, their role, the form of partnership, its benefits, the effort
    and how long it lasts)."""
    limit = _limits()
    longest = lambda n: f"string-length(.) <= {n}"  # noqa: E731
    return (
        Group("lembaga", ("Lembaga Anda", "Your organisation"), (
            Question("nama_lembaga", "text", ("Nama lembaga atau usaha", "Name of the organisation or business"), "name", required=True,
                     constraint=longest(limit["name"]), message=(f"Paling banyak {limit['name']} huruf.", f"At most {limit['name']} characters.")),
            Question("jenis", "select_one jenis", ("Jenis lembaga", "Type of organisation"), "kind"),
            Question("sektor", "text", ("Bidang usaha", "Sectors"), "sectors", hint=("Pisahkan dengan koma, mis. kopi, kerajinan", "Separate with commas, e.g. coffee, crafts")),
            Question("provinsi", "select_one provinsi", ("Provinsi", "Province"), "region.province", required=True, appearance="minimal"),
            Question("kota", "text", ("Kota/kabupaten", "City/regency"), "region.city"),
            Question("ringkasan", "text", ("Ringkasan", "Short description"), "summary", required=True,
                     hint=("Satu atau dua kalimat tentang apa yang dikerjakan lembaga Anda.", "One or two sentences on what your organisation does."),
                     constraint=longest(limit["summary"]), message=(f"Paling banyak {limit['summary']} huruf.", f"At most {limit['summary']} characters."),
                     appearance="multiline"),
            Question("situs_web", "text", ("Situs web", "Website"), "website", constraint=WEBSITE,
                     message=("Tulis alamat lengkap, mulai dengan https://", "Write the whole address, starting with https://")),
        )),
        Group("pengaju", ("Tentang Anda", "About you"), (
            Question("nama_pengaju", "text", ("Nama Anda", "Your name"), "contact.person.name", required=True,
                     constraint=longest(limit["name"]), message=(f"Paling banyak {limit['name']} huruf.", f"At most {limit['name']} characters.")),
            Question("mewakili", "select_one mewakili", ("Anda mengajukan atas nama siapa?", "On whose behalf do you apply?"), required=True),
            Question("peran", "text", ("Peran dan tanggung jawab Anda di lembaga", "Your role and responsibility there"), "contact.person.role"),
            Question("surel", "text", ("Surel", "E-mail"), "contact.person.email", required=True, constraint=EMAIL,
                     message=("Tulis alamat surel seperti nama@contoh.id", "Write an e-mail address like name@example.org")),
            Question("whatsapp", "text", ("Nomor WhatsApp", "WhatsApp number"), "contact.person.whatsapp", constraint=WHATSAPP,
                     hint=("mis. 0812 3456 7890", "e.g. 0812 3456 7890"), appearance="numbers",
                     message=("Tulis nomor HP Indonesia, mis. 0812 3456 7890", "Write an Indonesian mobile number, e.g. 0812 3456 7890")),
            Question("izin_tampil", "select_one ya_tidak", ("Boleh nama dan kontak Anda ditampilkan di profil lembaga di situs?",
                     "May your name and contact details be shown on your organisation's profile?"), "contact.person.consent", required=True,
                     hint=("Tanpa izin Anda, keduanya tidak pernah ditampilkan.", "Without your permission, neither is ever shown.")),
        )),
        Group("kemitraan", ("Kemitraan yang ditawarkan", "The partnership offered"), (
            Question("pola", "select_one pola", ("Pola yang diminati", "Pattern of interest"), "pattern", required=True),
            Question("pihak", "select_one pihak", ("Peran Anda dalam pola itu", "Your side in that pattern"), "side", required=True,
                     choice_filter="pola=${pola}"),
            Question("tawaran", "text", ("Bentuk kerja sama yang ditawarkan dan manfaatnya", "The partnership offered and its benefits"), required=True,
                     appearance="multiline"),
            Question("perkiraan", "text", ("Perkiraan waktu, tenaga dan biaya", "Estimated time, effort and cost"), appearance="multiline"),
            Question("jangka", "select_one jangka", ("Berapa lama kerja sama ini?", "How long would it last?")),
            Question("kenal", "text", ("Siapa di lembaga kami yang sudah Anda kenal, bila ada?", "Whom do you already know in our organisation, if anyone?")),
        )),
    )  # fmt: skip


def choices(catalog: Catalog) -> list[tuple[str, str, str, str, str]]:
    """(list, name, Indonesian label, English label, pattern) for every choice: the data's own ids as names."""
    rows = [("jenis", kind, id_, en, "") for kind, (id_, en) in KIND_LABELS.items()]
    rows += [("provinsi", p["id"], p["name"], p["name"], "") for p in provinces()]
    for pid, pattern in catalog.patterns.items():
        rows.append(("pola", pid, pattern.name.id, pattern.name.en, ""))
    for pid, pattern in catalog.patterns.items():
        rows += [("pihak", s.id, s.label.id, s.label.en, pid) for s in pattern.sides]
    rows += [("mewakili", "diri_sendiri", "Diri sendiri", "Myself", ""), ("mewakili", "kelompok", "Kelompok", "A group", ""),
             ("mewakili", "lembaga", "Lembaga atau usaha", "An organisation or business", "")]
    rows += [("ya_tidak", "ya", "Ya", "Yes", ""), ("ya_tidak", "tidak", "Tidak", "No", "")]
    rows += [("jangka", "sekali", "Sekali jalan", "A one-off", ""), ("jangka", "berjangka", "Untuk jangka waktu tertentu", "For a set period", "")]
    return rows


def sheets(catalog: Catalog, organisation: str) -> dict[str, list[list]]:
    """The three sheets of the XLSForm, as rows."""
    id_, en = LANGUAGES
    survey = [["type", "name", f"label::{id_}", f"label::{en}", f"hint::{id_}", f"hint::{en}", "required",
               "constraint", f"constraint_message::{id_}", f"constraint_message::{en}", "choice_filter", "appearance"]]
    for group in groups():
        survey.append(["begin_group", group.name, *group.label, "", "", "", "", "", "", "", "field-list"])
        for q in group.questions:
            survey.append([q.kind, q.name, *q.label, *q.hint, "yes" if q.required else "", q.constraint, *q.message, q.choice_filter, q.appearance])
        survey.append(["end_group", "", "", "", "", "", "", "", "", "", "", ""])
    rows = choices(catalog)
    table = [["list_name", "name", f"label::{id_}", f"label::{en}", "pola"]] + [list(r) for r in rows]
    names = [(r[0], r[1]) for r in rows]
    settings_head = ["form_title", "form_id", "version", "default_language"]
    title = f"Pengajuan kemitraan {organisation}".strip()
    version = hashlib.sha256(repr((survey, table, title)).encode("utf-8")).hexdigest()[:10]
    settings = [settings_head, [title, FORM_ID, version, id_]]
    if len(set(names)) != len(names):  # two patterns may share a side's id: the filter tells them apart
        settings[0].append("allow_choice_duplicates")
        settings[1].append("yes")
    return {"survey": survey, "choices": table, "settings": settings}


def headers() -> dict[str, list[str]]:
    """Every header an export of this form may give each partner field: the XML name (alone, or after its
    group with KoboToolbox's "/" or ODK Central's "-"), and the label in either language (alone or after
    its group's label)."""
    out: dict[str, list[str]] = {}
    for group in groups():
        for q in group.questions:
            if q.field is None:
                continue
            titles = out.setdefault(q.field, [])
            titles += [f"{group.name}/{q.name}", f"{group.name}-{q.name}", q.name]
            for group_label, label in zip(group.label, q.label):
                titles += [f"{group_label}/{label}", label]
    return out


def form_bytes(catalog: Catalog, organisation: str, today: dt.date) -> bytes:
    from ..render.xlsx import plain_workbook

    return plain_workbook(sheets(catalog, organisation), today)
