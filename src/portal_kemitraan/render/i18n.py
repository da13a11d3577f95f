"""Languages of the site: gettext catalogs (Babel) for every user-facing string, and dates and numbers
formatted for the locale. Message ids are the Indonesian text, the site's first language."""

from __future__ import annotations

import json

import datetime as dt
import hashlib
import io
import os
import struct

from babel import Locale as BabelLocale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locales")
LANGUAGES = ("id", "en")  # the first is the site's own language, at /
DOMAIN = "messages"


def edition_language(theme_language: str | None) -> str:
    """An edition's language from its theme's (`id`, `en`; `en-GB` counts as `en`); ValueError for a
    language without a message catalog."""
    code = str(theme_language or LANGUAGES[0]).split("-")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"theme.language: {theme_language!r} has no message catalog; the site speaks: {', '.join(LANGUAGES)}")
    return code


def locale_language(environ) -> str:
    """The language a person's locale asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them),
    among the catalogs' languages; the site's own (Indonesian) when it names none of them (C, POSIX, fr_FR)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        for entry in value.split(":") if name == "LANGUAGE" else [value]:
            code = entry.split(".")[0].split("@")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":
            break  # the first locale variable that is set decides
    return LANGUAGES[0]


def catalog_path(locale: str) -> str:
    return os.path.join(LOCALES_DIR, locale, "LC_MESSAGES", f"{DOMAIN}.po")


def compiled_path(locale: str) -> str:
    """The catalog compiled (`python3 scripts/dev.py catalogs` writes it beside the .po file)."""
    return os.path.join(LOCALES_DIR, locale, "LC_MESSAGES", f"{DOMAIN}.mo")


# A message of the compiled catalog that is no sentence: the SHA-256 of the .po file it was compiled from.
SOURCE_KEY = "portal-kemitraan: sha256 of messages.po"


def compile_catalog(po: bytes, locale: str) -> bytes:
    """A .po file's bytes compiled to a .mo file's, which carry the digest of the .po under SOURCE_KEY."""
    from babel.messages.mofile import write_mo  # imported only when a catalog is compiled (20 ms of a start)
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=locale, domain=DOMAIN)
    catalog.add(SOURCE_KEY, hashlib.sha256(po).hexdigest())
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def translations(locale: str) -> Translations:
    """One language's catalog: its compiled .mo file when that was compiled from the .po file as it is now
    (a millisecond), else the .po file compiled here (30-70 ms, at every command's start): a catalog edited
    by hand and not compiled again still says what it says."""
    if locale not in LANGUAGES:
        raise ValueError(f"unknown language {locale!r}; the site has: {', '.join(LANGUAGES)}")
    with open(catalog_path(locale), "rb") as fh:
        po = fh.read()
    try:
        with open(compiled_path(locale), "rb") as fh:
            compiled = Translations(io.BytesIO(fh.read()), domain=DOMAIN)
        if compiled.gettext(SOURCE_KEY) == hashlib.sha256(po).hexdigest():
            return compiled
    except (OSError, ValueError, LookupError, struct.error):  # missing, or not a catalog: compiled below
        pass
    return Translations(io.BytesIO(compile_catalog(po, locale)), domain=DOMAIN)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is translated later (the theme's strings below)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural form for the catalog, translated later."""
    return singular, plural


# Strings of the Material overrides (overrides/*.html): the adapters hand them to the theme, translated, as
# config.extra.portal_text, since the theme's templates cannot read our catalogs themselves.
THEME_MESSAGES = (
    N_("Ingin bekerja sama?"), N_("Jadi mitra"), N_("Mitra baru"), N_("Kabar kemitraan"), N_("Halaman tidak ditemukan"),
    N_("Alamat yang Anda buka tidak ada, atau profil mitra ini sudah tidak ditampilkan."),
    N_("Buka direktori mitra"), N_("untuk mencari menurut nama, pola atau provinsi."),
    N_("Gunakan kotak pencarian di bagian atas halaman."), N_("Ajukan kemitraan"), N_("bila Anda ingin menjadi mitra."),
    N_("Tautan portal"), N_("Direktori mitra"), N_("Data terbuka"), N_("Sematkan direktori"), N_("Umpan mitra baru"),
    N_("Cari mitra atau halaman"), N_("Mencari…"), N_("Tidak ada yang cocok dengan “{q}”. Coba kata lain, nama kota atau provinsi."),
    N_("Profil mitra"), N_("Halaman"), N_("Pencarian belum dapat dimuat. Buka direktori mitra untuk melihat semua mitra."),
    N_("mis. pelatihan, kopi, NTT"), N_("Tutup"), N_("Lihat semua hasil di direktori"),
    N_("Pencarian di situs ini"), N_("Dibaca sebagai “{q}”."),
)
# Where each edition publishes the words its script builds the header's search from (Locale.script_words).
SCRIPT_WORDS = "assets/portal-words.js"
# The theme's words that depend on a number: both forms of each, for the script to choose ("1 result", "2 results").
THEME_PLURALS = (
    NP_("{n} hasil", "{n} hasil"),
    NP_("Tidak ada yang memuat semua kata; {n} hasil memuat sebagian.", "Tidak ada yang memuat semua kata; {n} hasil memuat sebagian."),
)


class Locale:
    """One language of the site: its translations, and how it writes dates, numbers and phone numbers."""

    def __init__(self, code: str):
        self.code = code
        self.translations = translations(code)
        self.prefix = "" if code == LANGUAGES[0] else f"{code}/"  # where this edition lives under the site
        self.babel = BabelLocale.parse(code)  # parsed once: Babel parses a code given as text at every date

    def theme_text(self) -> dict[str, str]:
        """The theme's strings in this language, keyed by their Indonesian text."""
        words = {message: self.gettext(message) for message in THEME_MESSAGES}
        for singular, plural in THEME_PLURALS:  # keyed "<Indonesian>|one" and "|other"
            words[f"{singular}|one"], words[f"{singular}|other"] = self.ngettext(singular, plural, 1), self.ngettext(singular, plural, 2)
        return words

    def script_words(self) -> bytes:
        """assets/portal-words.js: the words the header's search dialog is made of, which the script builds
        on every page (the pages carry only its link to the directory: about 1.6 KB less on each)."""
        t, n = self.theme_text(), "{n} hasil"
        partial = "Tidak ada yang memuat semua kata; {n} hasil memuat sebagian."
        words = {
            "title": t["Cari mitra atau halaman"], "region": t["Pencarian di situs ini"], "placeholder": t["mis. pelatihan, kopi, NTT"],
            "close": t["Tutup"], "all": t["Lihat semua hasil di direktori"], "loading": t["Mencari…"],
            "corrected": t["Dibaca sebagai “{q}”."], "none": t["Tidak ada yang cocok dengan “{q}”. Coba kata lain, nama kota atau provinsi."],
            "hits-one": t[f"{n}|one"], "hits-other": t[f"{n}|other"], "partial-one": t[f"{partial}|one"], "partial-other": t[f"{partial}|other"],
            "partner": t["Profil mitra"], "page": t["Halaman"],
            "error": t["Pencarian belum dapat dimuat. Buka direktori mitra untuk melihat semua mitra."],
        }
        text = json.dumps(words, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"window.portalWords = {text};\n".encode("utf-8")

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: str | dt.date | None, form: str = "long") -> str:
        if not value:
            return ""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, format=form, locale=self.babel)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.babel)

    def pick(self, texts: dict) -> str:
        """The text of this language from {'id': …, 'en': …}, falling back to the first language."""
        return texts.get(self.code) or texts.get(LANGUAGES[0]) or ""


def whatsapp_link(number: str, text: str = "") -> str:
    """A wa.me link that opens a WhatsApp chat with a number stored as +62…, with a message typed in when given."""
    from urllib.parse import quote

    link = "https://wa.me/" + "".join(c for c in number if c.isdigit())
    return link + ("?text=" + quote(text, safe="") if text else "")


def phone(value: str | None) -> str:
    """+62225550142 -> +62 22 555 0142: a readable grouping of an Indonesian number (others as stored)."""
    if not value:
        return ""
    if not value.startswith("+62"):
        return value
    rest = value[3:]
    if rest.startswith("8"):  # mobile: 8xx-xxxx-xxxx
        groups = [rest[:3], rest[3:7], rest[7:]]
    elif rest[:2] in ("21", "22", "24", "31", "61"):  # two-digit area codes of the large cities
        groups = [rest[:2], rest[2:5], rest[5:]]
    else:
        groups = [rest[:3], rest[3:6], rest[6:]]
    return "+62 " + " ".join(g for g in groups if g)


def localized(partner, field: str, locale: str) -> tuple[str, str | None]:
    """A partner's text in a language, and the language it is really in when it had to fall back:
    ('…', None) when the text is in `locale`, ('…', 'id') when an English page shows Indonesian text."""
    if locale != LANGUAGES[0]:
        own = getattr(partner, f"{field}_{locale}", None)
        if own:
            return own, None
        value = getattr(partner, field) or ""
        return value, (LANGUAGES[0] if value else None)
    return getattr(partner, field) or "", None
