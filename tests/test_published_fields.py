"""What is public is declared once (core/published.py): every field list is derived from it, and a typo fails."""

from __future__ import annotations

import ast
import dataclasses
import pathlib

import pytest

from conftest import DATA, ROOT, TODAY
from portal_kemitraan.core import catalog, published
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.models import Partner
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.render import exports
from portal_kemitraan.staff import corrections

COLUMN_NAMES = {c.name for f in published.FIELDS for c in published._columns(f)}


def test_every_field_list_is_made_of_declared_names_only():
    declared = set(published.NAMES) | COLUMN_NAMES
    for name, fields in {
        "exports.API_FIELDS": exports.API_FIELDS, "exports.CSV_FIELDS": exports.CSV_FIELDS,
        "exports.DIRECTORY_FIELDS": exports.DIRECTORY_FIELDS,
    }.items():
        assert fields and set(fields) <= declared, (name, set(fields) - declared)
    model_fields = set(Partner.model_fields)
    assert catalog._CROSS_FIELDS == published.published_sources() and catalog._CROSS_FIELDS <= model_fields
    assert {path.split(".")[0] for path in corrections.CORRECTABLE} <= published.published_sources()
    assert "internal" not in published.published_sources() and "visibility" not in published.published_sources()


def test_the_lists_follow_the_declaration_when_it_changes(monkeypatch):
    """Derived, not copied: a field taken out of the API in the declaration leaves every list derived from it."""
    fields = tuple(f if f.name != "website" else _with(f, api=False, correct=()) for f in published.FIELDS)
    monkeypatch.setattr(published, "FIELDS", fields)
    assert "website" not in published.api_fields() and "website" not in published.correctable()
    assert "website" in published.table_columns()[[c.name for c in published.table_columns()].index("website")].name


def _with(f: dataclasses.Field, **changes) -> dataclasses.Field:
    copy = dataclasses.field(metadata={**f.metadata, **changes})
    copy.name = f.name
    return copy


def test_the_public_record_is_typed_and_a_misspelt_field_fails_at_once():
    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY, parallel=False)
    partner = site.listed[0]
    assert isinstance(partner, published.PublicPartner)
    assert tuple(f.name for f in dataclasses.fields(partner)) == published.NAMES
    with pytest.raises(AttributeError):
        partner.nmae  # noqa: B018
    with pytest.raises(dataclasses.FrozenInstanceError):
        partner.name = "x"
    with pytest.raises(TypeError):
        dataclasses.replace(partner, interal={"notes": "x"})
    assert not any(callable(getattr(partner, name)) for name in published.NAMES)  # plain data for templates


def _string_lists(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            values = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if values:
                yield node.lineno, values


# Lists that share words with the public record but name something else, each said here.
OTHER_VOCABULARIES = {
    ("core/settings.py", ("slug", "name", "address")): "the answers a correction form's address may carry",
    ("staff/site_commands.py", ("name", "url", "email")): "the options of `portal init`",
    ("staff/intake.py", ("name", "pattern", "side", "summary")): "the keys a partner file cannot be written without",
}


def test_no_module_but_the_declaration_lists_public_fields():
    """A list of three or more public field names (and nothing else) anywhere else in src/ is a second declaration."""
    names = set(published.NAMES) | COLUMN_NAMES
    found = []
    for path in sorted((pathlib.Path(ROOT) / "src").rglob("*.py")):
        if path.name == "published.py":
            continue
        for line, values in _string_lists(ast.parse(path.read_text(encoding="utf-8"))):
            hits = [v for v in values if v in names]
            where = (path.relative_to(pathlib.Path(ROOT, "src", "portal_kemitraan")).as_posix(), tuple(values))
            if len(hits) >= 3 and len(hits) == len(values) and where not in OTHER_VOCABULARIES:
                found.append(f"{path.relative_to(ROOT)}:{line}: {hits}")
    assert not found, "\n".join(found)
