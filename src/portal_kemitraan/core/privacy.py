"""Finds a non-consented contact person's name, e-mail or phone in a partner's public text."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from .problems import Text
from .published import published_sources

_PHONE_LIKE = re.compile(r"\+?\d[\d \t().-]{4,}\d")
MIN_NAME = 4  # shorter names ("Ani") match too many ordinary words to be worth a warning
# Text a command wrote for staff to replace ("[[tulis ringkasan]]"): never published.
PLACEHOLDER = re.compile(r"\[\[[^\[\]\n]{0,200}\]\]")


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _national(digits: str) -> str:
    """The national number without the country or trunk prefix: +62 812… and 0812… compare equal."""
    digits = digits.lstrip("+")
    if digits.startswith("62"):
        return digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def public_texts(partner) -> list[tuple[tuple, str]]:
    """(location, text) of every published text value of a partner model: every string of the fields the
    public record is made from (core/published.py), but the contact person (whose own name, role, e-mail and
    phone are the ones looked for). Walked generically, so a field published later is covered here."""
    data = partner.model_dump(include=set(published_sources()))
    if isinstance(data.get("contact"), dict):
        data["contact"].pop("person", None)
    out: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            out.append((loc, value))
        elif isinstance(value, dict):
            stack.extend((loc + (k,), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, (list, tuple)):
            stack.extend((loc + (i,), v) for i, v in reversed(list(enumerate(value))))
    return out


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))  # soft hyphen, zero-width characters
_ESCAPED = re.compile(r"\\(.)")  # Markdown's backslash escapes


def _decoded(text: str) -> str:
    """The text as a reader sees it once it is published: HTML entities and percent-escapes decoded,
    Markdown's backslash escapes and invisible characters removed, compatibility forms (full-width
    letters) made plain. A name written "&#83;uparman" or "Su\\parman" is still that name."""
    for _ in range(3):  # entities inside escapes inside entities
        previous = text
        text = html.unescape(unquote(text))
        if text == previous:
            break
    return unicodedata.normalize("NFKC", _ESCAPED.sub(r"\1", text)).translate(_INVISIBLE)


def placeholders(partner) -> list[tuple[tuple, str]]:
    """Where the public text of `partner` still holds a placeholder written by `portal new` or `import`."""
    return [(loc, m.group(0)) for loc, text in public_texts(partner) for m in [PLACEHOLDER.search(text)] if m]


def mentions(partner, person) -> list[tuple[tuple, str]]:
    """Where the public text of `partner` names `person` (by name, e-mail or phone), with what it names."""
    name = fold(person.name)
    name_re = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)") if len(name) >= MIN_NAME else None
    email = person.email.casefold() if person.email else None
    phone = _national(re.sub(r"\D", "", person.phone)) if person.phone else None
    found = []
    for loc, raw in public_texts(partner):
        text = _decoded(raw)
        folded = fold(text)
        if name_re and name_re.search(folded):
            found.append((loc, Text("the name")))
        elif email and email in folded:
            found.append((loc, Text("the e-mail address")))
        elif phone and len(phone) >= 6 and any(_national(re.sub(r"\D", "", m)) .endswith(phone) for m in _PHONE_LIKE.findall(text)):
            found.append((loc, Text("the phone number")))
    return found
