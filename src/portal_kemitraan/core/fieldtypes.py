"""The value types of the data files: storable text, slugs, web and e-mail addresses, phone numbers, provinces."""

from __future__ import annotations

import difflib
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, Strict, StringConstraints

from . import reference
from .problems import Text


SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_slug = re.compile(SLUG_RE)
# Characters that have no place in partner text: C0/C1 controls (tab and newline aside), and the
# bidirectional embedding/override/isolate controls that can make text read differently than it is stored.
_BIDI = "\u202a-\u202e\u2066-\u2069"
# Characters no output can carry: lone surrogates (UTF-8 cannot encode them) and Unicode noncharacters
# (XML, and so the feed and sitemap, cannot hold U+FFFE/U+FFFF; the others are not for interchange).
# The noncharacters past U+FFFF are looked for only in text that has such characters at all: a class of
# characters beyond the Basic Multilingual Plane is checked one by one on every character (ten times the
# cost of the rest of the check, 12 % of reading 10,000 partner files).
_UNCARRIABLE = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = re.compile("[" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")
_BAD_MULTILINE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}{_UNCARRIABLE}]")
_BAD_LINE = re.compile(f"[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f{_BIDI}{_UNCARRIABLE}]")


def _check_chars(value: str, multiline: bool) -> str:
    found = (_BAD_MULTILINE if multiline else _BAD_LINE).search(value)
    if found is None and not value.isascii() and max(value) > "\uffff":
        found = _ASTRAL_NONCHARACTERS.search(value)
    if found:
        ch = found.group()
        if ch == "\n":
            raise ValueError(Text("must be a single line"))
        if "\u202a" <= ch <= "\u2069":
            raise ValueError(Text('contains the invisible direction control U+{code:04X}; remove it', code=ord(ch)))
        if "\ud800" <= ch <= "\udfff":
            raise ValueError(Text('contains the lone surrogate U+{code:04X}, which no file can store; remove it', code=ord(ch)))
        if ch >= "\ufdd0":
            raise ValueError(Text('contains the Unicode noncharacter U+{code:04X}; remove it', code=ord(ch)))
        raise ValueError(Text('contains the control character U+{code:04X}; remove it', code=ord(ch)))
    return value


def check_text(value: str) -> str:
    """Raise ValueError for a character that some output cannot carry; newlines and tabs are fine."""
    return _check_chars(value, multiline=True)


def _line(value: str) -> str:
    return _check_chars(value, multiline=False)


def _para(value: str) -> str:
    return _check_chars(value, multiline=True)


def _text(max_length: int, multiline: bool = False):
    return Annotated[
        str,
        Strict(),
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_para if multiline else _line),
    ]


Line = _text(200)
ShortLine = _text(60)
Para = _text(2000, multiline=True)
Summary = _text(280)
Markdown = _text(20_000, multiline=True)
Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_RE, min_length=2, max_length=64)]


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(Text("must start with http:// or https://"))
    if not parts.netloc or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError(Text("is not a valid web address"))
    if "@" in parts.netloc:  # user:password@host: the address is published, and the credentials with it
        raise ValueError(Text("must not carry a user name or password (the part before @ in the host); it would be published"))
    return value


HttpUrl = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_http_url)]


def phone_number(value: str) -> str:
    if not re.fullmatch(r"[0-9 +\-()]+", value):
        raise ValueError(Text("may hold only digits, spaces, +, - and parentheses"))
    if "+" in value[1:]:
        raise ValueError(Text("may have + only at the start"))
    digits = re.sub(r"\D", "", value)
    if value.startswith("+"):
        normal = "+" + digits
    elif digits.startswith("62"):
        normal = "+" + digits
    elif digits.startswith("0"):
        normal = "+62" + digits[1:]
    else:
        normal = digits
    if not 6 <= len(digits) <= 15:
        raise ValueError(Text("must have between 6 and 15 digits"))
    return normal


Phone = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(phone_number)]
MOBILE = re.compile(r"\+628[1-9]\d{6,10}")  # an Indonesian mobile number as stored: +62 8xx, 10 to 13 digits in all


def _whatsapp(value: str) -> str:
    normal = phone_number(value)
    if not MOBILE.fullmatch(normal):
        raise ValueError(Text("must be an Indonesian mobile number (WhatsApp), such as 0812 3456 7890 or +62 812 3456 7890"))
    return normal


WhatsApp = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_whatsapp)]
# An address as people write them: the WHATWG rule (what <input type=email> accepts) narrowed to the
# characters real mailboxes use, so that no ?, &, %, #, / or = can turn a mailto: link into a query.
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9_+'-]+(?:\.[A-Za-z0-9_+'-]+)*$")
_EMAIL_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


def email_address(value: str) -> str:
    """The address with its domain in lower case; ValueError when it is not an address like nama@contoh.id."""
    local, at, domain = value.rpartition("@")
    if not at or len(local) > 64 or not _EMAIL_LOCAL.match(local) or not _EMAIL_DOMAIN.match(domain):
        shown = value if len(value) <= 80 else value[:77] + "…"
        raise ValueError(Text("{shown!r} is not an e-mail address like nama@contoh.id (letters, digits, . _ + - ' before the @)", shown=shown))
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


Email = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(email_address)]


def _province(value: str) -> str:
    found = reference.find_province(value)
    if found is None:
        names = [p["name"] for p in reference.provinces()]
        close = difflib.get_close_matches(value.title(), names, n=1, cutoff=0.6)
        hint = Text('; did you mean {value!r}?', value=close[0]) if close else Text("; use one of Indonesia's 38 provinces")
        raise ValueError(Text('{value!r} is not a province of Indonesia{hint}', value=value, hint=hint))
    return found["name"]


Province = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, max_length=60),
    AfterValidator(_province),
    Field(json_schema_extra={"examples": [p["name"] for p in reference.provinces()]}),
]


def storable_notes(value: dict) -> dict:
    """Staff notes are never published, but the staff commands print and write them: every text in them
    must be storable too. Walks the loaded values without recursion."""
    stack: list[tuple[tuple, object]] = [((), value)]
    while stack:
        loc, item = stack.pop()
        if isinstance(item, str):
            try:
                check_text(item)
            except ValueError as exc:
                raise LocatedError(loc, exc.args[0])
        elif isinstance(item, dict):
            for key, sub in item.items():
                if isinstance(key, str):
                    try:
                        check_text(key)
                    except ValueError as exc:
                        raise LocatedError(loc, Text("a key {problem}", problem=exc.args[0]))
                stack.append((loc + (key,), sub))
        elif isinstance(item, list):
            stack.extend((loc + (i,), sub) for i, sub in enumerate(item))
    return value


class LocatedError(ValueError):
    """A cross-field error that knows which field (relative to its model) is at fault."""

    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc = loc
        self.message = message
