"""The web editor's partner form, generated from the partner JSON Schema: every field staff edit is in it, with
Indonesian words, and every choice is an id of the data."""

from __future__ import annotations

import os

import pytest

from conftest import TODAY, copy_reference_data
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.reference import provinces
from portal_kemitraan.core.partnerschema import partner_schema
from portal_kemitraan.render import editor as editorconfig


@pytest.fixture
def catalog(tmp_path):
    return load_catalog(copy_reference_data(str(tmp_path), with_partners=True), today=TODAY)


def schema_paths(schema: dict, node: dict, prefix: str = "") -> set[str]:
    """Every field of the schema, by its dotted path, nested objects and list items followed."""
    out = set()
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        out.add(path)
        child = editorconfig._node(schema, child)
        if child.get("type") == "array":
            child = editorconfig._node(schema, child["items"])
        if child.get("type") == "object":
            out |= schema_paths(schema, child, path)
    return out


def form_paths(fields: list[dict], prefix: str = "") -> dict[str, dict]:
    out = {}
    for field in fields:
        path = f"{prefix}.{field['name']}" if prefix else field["name"]
        out[path] = field
        out.update(form_paths(field.get("fields", []), path))
    return out


def test_every_field_of_the_schema_that_staff_edit_is_in_the_form(catalog):
    schema = partner_schema(catalog)
    form = form_paths(editorconfig.partner_collection(catalog)["fields"])
    expected = schema_paths(schema, schema) - set(editorconfig.NOT_IN_FORM)
    assert expected - set(form) == set()  # nothing staff edit is missing
    assert set(form) - expected == {"internal.notes"}  # and nothing is invented but the staff's own notes
    for path, field in form.items():
        assert field["label"] and field["label"] == editorconfig.LABELS[path][0], path  # Indonesian words


def test_every_choice_is_an_id_of_the_data_shown_by_its_name(catalog):
    form = form_paths(editorconfig.partner_collection(catalog)["fields"])
    values = lambda path: [o["value"] for o in form[path]["options"]]  # noqa: E731
    assert values("pattern") == list(catalog.patterns)
    assert values("side") == [s.id for p in catalog.patterns.values() for s in p.sides]
    assert values("stage") == catalog.stage_ids
    assert values("forms") == [f.id for f in catalog.forms] and form["forms"]["multiple"] is True
    assert values("region.province") == [p["name"] for p in provinces()]
    assert values("visibility") == ["public", "unlisted", "hidden"]
    assert form["pattern"]["options"][0]["label"] == next(iter(catalog.patterns.values())).name.id


def test_the_form_holds_validate_s_limits_and_requirements(catalog):
    form = form_paths(editorconfig.partner_collection(catalog)["fields"])
    assert form["summary"]["pattern"][0] == "^[\\s\\S]{0,280}$" and form["name"]["pattern"][0] == "^[\\s\\S]{0,200}$"
    assert all(form[p]["required"] for p in ("name", "pattern", "side", "summary", "region.province"))
    assert form["since"]["format"] == "YYYY-MM-DD" and form["activities"]["widget"] == "list"
    assert form["logo"]["widget"] == "image" and form["contact.person.consent"]["widget"] == "boolean"


def test_a_pattern_added_as_a_file_is_a_choice_with_no_code_change(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, "patterns", "general-trade.yml"), encoding="utf-8") as fh:
        text = fh.read()
    with open(os.path.join(root, "patterns", "titip-jual.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    form = form_paths(editorconfig.partner_collection(load_catalog(root, today=TODAY))["fields"])
    assert "titip-jual" in [o["value"] for o in form["pattern"]["options"]]


def test_the_editor_s_indonesian_words_cover_every_phrase_of_its_english_ones():
    """Every phrase of Decap CMS's English interface has its Indonesian one, with the same placeholders."""
    import json
    import re

    folder = os.path.join(os.path.dirname(editorconfig.__file__), "editorwords")
    with open(os.path.join(folder, "decap-en-3.16.3.json"), encoding="utf-8") as fh:
        english = json.load(fh)
    with open(os.path.join(folder, "locale-id.json"), encoding="utf-8") as fh:
        indonesian = json.load(fh)

    def flat(tree, prefix=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value

    en, id_ = dict(flat(english)), dict(flat(indonesian))
    assert set(en) == set(id_) and len(en) > 200
    placeholders = lambda text: sorted(re.findall(r"%\{\w+\}", text))  # noqa: E731
    for key, text in en.items():
        assert placeholders(id_[key]) == placeholders(text), key
        assert ("||||" in id_[key]) == ("||||" in text), key  # the plural forms of Polyglot


@pytest.mark.parametrize("field, values", [
    ("whatsapp", ["0812 3456 7890", "+62 812-3456-7890", "6281234567890", "0274 123456", "08123", "0812 3456 7890 1234", "abc"]),
    ("email", ["a@b.id", "nama.saya@contoh.co.id", "a@b", "a b@c.id", "x@-a.id", "ani+kopi@contoh.id"]),
    ("website", ["https://contoh.id", "http://contoh.id/a", "contoh.id", "javascript:alert(1)", "https://"]),
])  # fmt: skip
def test_the_form_checks_a_shape_as_validate_does(catalog, field, values):
    """The editor's pattern for an e-mail address, a WhatsApp number and a web address accepts what
    `validate` accepts and refuses what it refuses, on the same values."""
    import re

    from portal_kemitraan.core.models import Contact, Partner

    pattern = re.compile(editorconfig.SHAPES[field][0])
    for value in values:
        try:
            if field == "website":
                Partner.model_validate({"name": "X", "pattern": "agency", "side": "agent", "summary": "S", "region": {"province": "Bali"}, "website": value})
            else:
                Contact.model_validate({field: value})
            valid = True
        except Exception:
            valid = False
        assert bool(pattern.match(value)) == valid, (field, value, valid)


def test_every_pattern_is_editable_with_every_field_of_its_file_in_indonesian(catalog):
    from portal_kemitraan.core.models import Pattern

    collection = editorconfig.pattern_collection(catalog)
    assert [f["name"] for f in collection["files"]] == list(catalog.patterns)
    assert all(f["file"] == f"partners/patterns/{f['name']}.yml" for f in collection["files"])
    schema = Pattern.model_json_schema(mode="validation")
    form = form_paths(collection["files"][0]["fields"])
    assert schema_paths(schema, schema) == set(form)
    for path, field in form.items():
        words = editorconfig.PATTERN_LABELS.get(path) or editorconfig.I18N_LABELS[path.rsplit(".", 1)[-1]]
        assert field["label"] == words[0], path
    assert form["sides"]["min"] == form["sides"]["max"] == 2 and form["sides.id"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert [o["value"] for o in form["organisation"]["options"]] == ["party", "facilitator"]


def test_only_a_plain_repository_address_gets_an_editor():
    """The data repository's host goes into the editor page's Content Security Policy: anything but a plain
    https host and owner/name gives no editor at all, never a policy with more in it."""
    assert editorconfig.backend("https://github.com/org/data")["repo"] == "org/data"
    assert editorconfig.backend("https://git.contoh.id/org/data.git")["api_root"] == "https://git.contoh.id/api/v1"
    for bad in ("", "http://github.com/org/data", "https://github.com/org", "https://x;script-src */a/b", "https://[::1]/a/b",
                "https://github.com:8443/a/b", "https://github.com/a b/c", "https://github.com/a/b/c", "https://host/a/\"b"):
        assert editorconfig.backend(bad) is None, bad
