"""The verification loop: who is due for a check, the message each partner gets, and recording the check."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid

from ..core.catalog import Catalog, check_new_partner
from ..core.public import PublicSite
from ..render import templating
from ..render.csvout import csv_text
from ..render.exports import Labels
from ..render.i18n import Locale, localized, phone, whatsapp_link
from . import yamledit
from .report import is_due
from ..core.problems import Text, said

MERGE_FIELDS = ["slug", "name", "to_name", "to_email", "to_whatsapp", "whatsapp_link", "subject", "body", "page", "last_verified", "to_phone"]


def due(catalog: Catalog, today: dt.date, days: int) -> list[str]:
    """Slugs of published (public or unlisted) partners due for a check, longest unchecked first."""
    rows = [
        (rec.data.last_verified or dt.date.min, slug)
        for slug, rec in catalog.partners.items()
        if rec.data.visibility != "hidden" and is_due(rec.data.last_verified, today, days)
    ]
    return [slug for _, slug in sorted(rows)]


@dataclass(frozen=True)
class Message:
    slug: str
    name: str
    to_name: str
    to_email: str  # empty when the file has no address: the message is written for staff to send by hand
    subject: str
    body: str
    page: str
    last_verified: str
    subject_plain: str = ""  # the subject without the partner's name, for a draft whose name cannot be a header
    to_whatsapp: str = ""  # a mobile number (+62 8…) when there is no address: the message goes by WhatsApp
    whatsapp_link: str = ""  # wa.me with the message typed in, for staff to open and send
    to_phone: str = ""  # with neither an address nor a mobile number: the number staff call (a landline)

    @property
    def by_whatsapp(self) -> bool:
        return not self.to_email and bool(self.to_whatsapp)

    @property
    def by_call(self) -> bool:
        """Neither an address nor a mobile number: staff ask by telephone (or in person), never by a draft."""
        return not self.to_email and not self.to_whatsapp


def recipient(catalog: Catalog, slug: str) -> tuple[str, str]:
    """Who is asked: the contact person (staff may write to them even before they consent to be shown),
    else the partner's own address, else the applicant's address kept under internal."""
    p = catalog.partners[slug].data
    person = p.contact.person if p.contact else None
    if person and person.email:
        return person.name, person.email
    if p.contact and p.contact.email:
        return p.name, p.contact.email
    applicant = p.internal.applicant if p.internal else None
    if applicant is not None and applicant.email:
        return applicant.name or p.name, applicant.email
    return (person.name if person else p.name), ""


def whatsapp_number(catalog: Catalog, slug: str) -> str:
    """The mobile number to ask on WhatsApp when there is no address: the contact person's WhatsApp, the
    partner's, then a phone number of theirs that is a mobile one; empty when there is none."""
    from ..core.fieldtypes import MOBILE

    p = catalog.partners[slug].data
    contact = p.contact
    person = contact.person if contact else None
    for number in (person and person.whatsapp, contact and contact.whatsapp, person and person.phone, contact and contact.phone):
        if number and MOBILE.fullmatch(number):
            return number
    return ""


def phone_to_call(catalog: Catalog, slug: str) -> str:
    """The number staff call when there is neither an address nor a mobile number: the contact person's, then
    the partner's; empty when there is none."""
    p = catalog.partners[slug].data
    contact = p.contact
    person = contact.person if contact else None
    return next((n for n in (person and person.phone, contact and contact.phone) if n), "")


def messages(catalog: Catalog, site: PublicSite, slugs: list[str], settings, site_url: str, lang: str = "id") -> list[Message]:
    """One message per partner: its public data exactly as published (from PublicSite), its page's address,
    and how to answer. Written in Indonesian or English from templates/verify-message.txt.j2."""
    locale = Locale(lang)
    env = templating.environment(locale=locale, settings=settings)
    labels = Labels(site, locale)
    by_slug = {p.slug: p for p in site.pages}
    base = site_url.rstrip("/") + "/" if site_url else ""
    out = []
    for slug in slugs:
        p = by_slug[slug]
        page = base + (locale.prefix or "") + p.url if base else p.url
        to_name, to_email = recipient(catalog, slug)
        number = "" if to_email else whatsapp_number(catalog, slug)
        call = "" if to_email or number else phone_to_call(catalog, slug)
        context = {
            "by_whatsapp": bool(number),
            "by_call": not to_email and not number,
            "p": p,
            "labels": labels.of(p),
            "summary": localized(p, "summary", locale.code)[0],
            "page": page,
            "to_name": to_name,
            "correction": templating.correction_href(settings, p, locale, page) if settings.correction_form else "",
            "settings": settings,
        }
        text = env.get_template("verify-message.txt.j2").render(**context)
        subject, _, body = text.partition("\n\n")
        plain = locale.gettext("Mohon periksa profil lembaga Anda di situs {org}").format(org=settings.organisation)
        subject = " ".join(subject.removeprefix("Subject: ").split())
        link = whatsapp_link(number, f"{subject}\n\n{body.strip()}") if number else ""
        out.append(Message(slug, p.name, to_name, to_email, subject, body.strip() + "\n", page, p.last_verified or "", " ".join(plain.split()),
                           number, link, call))
    return out


def eml(message: Message, settings, today: dt.date) -> bytes:
    """The message as an unsent e-mail (.eml) that any mail program opens as a draft ready to send.

    Built by the email package under the SMTP policy, then read back: a name in a header can hide an encoded
    word (=?utf-8?q?…?=) that decodes to a line break and a header of its own (a Bcc). When what is read back
    is not exactly the headers meant, with the values meant, the draft is made again without the partner's
    name in its headers (the address alone, a subject without the name); the body always carries it."""
    for plain in (False, True):
        mail = _mail(message, settings, today, plain)
        data = bytes(mail)
        if _reads_back(data, mail):
            return data
    raise ValueError(Text("{slug}: the draft's headers cannot be written safely", slug=message.slug))


def _mail(message: Message, settings, today: dt.date, plain: bool) -> EmailMessage:
    mail = EmailMessage(policy=policy.SMTP)
    mail["From"] = Address(settings.organisation if not plain else "", addr_spec=settings.contact_email)
    if message.to_email:
        mail["To"] = Address(message.to_name if not plain else "", addr_spec=message.to_email)
    mail["Subject"] = message.subject if not plain else message.subject_plain
    mail["Date"] = format_datetime(dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.timezone.utc))
    mail["Message-ID"] = make_msgid(idstring=message.slug, domain=settings.contact_email.rpartition("@")[2] or None)
    mail["X-Unsent"] = "1"  # Outlook and others open it as a draft
    mail.set_content(message.body)
    return mail


def _reads_back(data: bytes, mail: EmailMessage) -> bool:
    """The draft, parsed as a mail program parses it, has exactly the headers built, each with its value."""
    parsed = BytesParser(policy=policy.default).parsebytes(data)
    if [k.lower() for k in parsed.keys()] != [k.lower() for k in mail.keys()]:
        return False
    for key in ("From", "To", "Subject"):
        if key in mail and (str(parsed[key]) != str(mail[key]) or any(c in str(parsed[key]) for c in "\r\n")):
            return False
    return True


def whatsapp_list(messages_: list[Message]) -> str:
    """The partners to ask on WhatsApp, as plain text for staff: name, number and the link that opens the
    chat with the message typed in (staff read it over before sending)."""
    blocks = [f"{m.name} ({m.slug})\n{m.to_name}: {phone(m.to_whatsapp)}\n{m.whatsapp_link}\n" for m in messages_ if m.by_whatsapp]
    return "\n".join(blocks)


def call_list(messages_: list[Message], gettext) -> str:
    """The partners to ask by telephone, as plain text for staff: name, who to ask, the number (or that there
    is none: ask in person), the profile's address, and the message to read out."""
    none = said(Text("no number: ask in person"), gettext)
    blocks = [f"{m.name} ({m.slug})\n{m.to_name}: {phone(m.to_phone) if m.to_phone else none}\n{m.page}\n\n{m.body}" for m in messages_ if m.by_call]
    return "\n---\n\n".join(blocks)


def merge_csv(messages_: list[Message]) -> str:
    """All messages as one mail-merge table (one row per partner; formula-like cells escaped)."""
    return csv_text(MERGE_FIELDS, ([getattr(m, f) for f in MERGE_FIELDS] for m in messages_), bom=True)


def record(catalog: Catalog, slug: str, path: str, text: str, when: dt.date, today: dt.date) -> tuple[str, list]:
    """The partner file's text with last_verified set to `when`, and the errors it would have (none: write it)."""
    new = yamledit.set_value(text, "last_verified", when)
    _, problems = check_new_partner(catalog, slug, new, today, replacing=path)
    return new, [p for p in problems if p.severity == "error"]


def outbox(data_dir: str, today: dt.date) -> str:
    """The default folder of the messages: outbox/verify-DATE/ beside the data folder, never inside it."""
    return os.path.join(os.path.dirname(os.path.abspath(data_dir)), "outbox", f"verify-{today.isoformat()}")
