"""The message catalogs: extracting every translatable string from the templates and the Python code, and
keeping each language's .po file in step (new strings added, vanished ones dropped) and compiled (.mo)."""

from __future__ import annotations

import datetime
import io
import os

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LANGUAGES, catalog_path, compile_catalog, compiled_path

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METHODS = [("**/templates/**.j2", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "N_": None, "NP_": (1, 2), "Text": None, "gettext": None, "ngettext": (1, 2)}
STAMP = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # fixed header dates: no churn in git


def extract() -> Catalog:
    """Every message of the package, with where it is used."""
    catalog = Catalog(domain=DOMAIN, project="portal-kemitraan", charset="utf-8", creation_date=STAMP, revision_date=STAMP)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(locale: str) -> Catalog:
    with open(catalog_path(locale), "rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def messages_of(catalog: Catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def update(locale: str) -> bool:
    """Bring one language's catalog in step with the code (keeping translations); True when it changed."""
    template = extract()
    path = catalog_path(locale)
    if os.path.exists(path):
        catalog = read(locale)
        before = _text(catalog)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
    else:
        catalog = Catalog(locale=locale, domain=DOMAIN, project="portal-kemitraan", charset="utf-8", creation_date=STAMP, revision_date=STAMP)
        catalog.update(template, no_fuzzy_matching=True)
        before = None
    after = _text(catalog)
    if after != before:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(after)
    return after != before


def _text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def compile_one(locale: str) -> bool:
    """Compile one language's .po file into the .mo file read at every start; True when that changed it."""
    with open(catalog_path(locale), "rb") as fh:
        compiled = compile_catalog(fh.read(), locale)
    path = compiled_path(locale)
    if os.path.exists(path):
        with open(path, "rb") as fh:
            if fh.read() == compiled:
                return False
    with open(path, "wb") as fh:
        fh.write(compiled)
    return True


def update_all() -> list[str]:
    return [locale for locale in LANGUAGES if update(locale) | compile_one(locale)]
