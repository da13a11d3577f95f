"""Finds a non-consented contact person's name, e-mail or phone in a partner's public text."""

from __future__ import annotations

import re

# Top-level fields whose text is published (and so may not name a person who did not consent).
TEXT_FIELDS = frozenset({"name", "summary", "summary_en", "description", "description_en", "sectors", "region", "contact", "activities", "evaluations", "agreement"})
_PHONE_LIKE = re.compile(r"\+?\d[\d \t().-]{4,}\d")
MIN_NAME = 4  # shorter names ("Ani") match too many ordinary words to be worth a warning
# Text a command wrote for staff to replace ("[[tulis ringkasan]]"): never published.
PLACEHOLDER = re.compile(r"\[\[[^\[\]\n]{0,200}\]\]")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _national(digits: str) -> str:
    """The national number without the country or trunk prefix: +62 812… and 0812… compare equal."""
    digits = digits.lstrip("+")
    if digits.startswith("62"):
        return digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def public_texts(partner) -> list[tuple[tuple, str]]:
    """(location, text) of every published free-text value of a partner model."""
    out: list[tuple[tuple, str]] = [(("name",), partner.name), (("summary",), partner.summary)]
    for key in ("summary_en", "description", "description_en"):
        if getattr(partner, key):
            out.append(((key,), getattr(partner, key)))
    out += [(("sectors", i), s) for i, s in enumerate(partner.sectors)]
    if partner.region.city:
        out.append((("region", "city"), partner.region.city))
    if partner.contact:
        for key in ("email", "phone"):
            value = getattr(partner.contact, key)
            if value:
                out.append((("contact", key), value))
    for i, activity in enumerate(partner.activities):
        out.append((("activities", i, "title"), activity.title))
        if activity.summary:
            out.append((("activities", i, "summary"), activity.summary))
    for i, evaluation in enumerate(partner.evaluations):
        for key in ("summary", "achieved", "obstacles"):
            value = getattr(evaluation, key)
            if value:
                out.append((("evaluations", i, key), value))
    return out


def placeholders(partner) -> list[tuple[tuple, str]]:
    """Where the public text of `partner` still holds a placeholder written by `portal new` or `import`."""
    return [(loc, m.group(0)) for loc, text in public_texts(partner) for m in [PLACEHOLDER.search(text)] if m]


def mentions(partner, person) -> list[tuple[tuple, str]]:
    """Where the public text of `partner` names `person` (by name, e-mail or phone), with what it names."""
    name = _fold(person.name)
    name_re = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)") if len(name) >= MIN_NAME else None
    email = person.email.casefold() if person.email else None
    phone = _national(re.sub(r"\D", "", person.phone)) if person.phone else None
    found = []
    for loc, text in public_texts(partner):
        folded = _fold(text)
        if name_re and name_re.search(folded):
            found.append((loc, "the name"))
        elif email and email in folded:
            found.append((loc, "the e-mail address"))
        elif phone and len(phone) >= 6 and any(_national(re.sub(r"\D", "", m)) .endswith(phone) for m in _PHONE_LIKE.findall(text)):
            found.append((loc, "the phone number"))
    return found
