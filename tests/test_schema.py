"""The committed JSON Schema is current, editors find it, and it agrees with the validator on the examples."""

import datetime as dt
import glob
import json
import os

import jsonschema
import yaml

from conftest import DATA
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.staff.schema import schema_text


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def partner_files():
    return sorted(p for p in glob.glob(os.path.join(DATA, "*.yml")) if os.path.basename(p) not in ("stages.yml", "forms.yml", "search.yml"))


def test_committed_schema_is_up_to_date():
    catalog = load_catalog(DATA)
    with open(os.path.join(DATA, "partner.schema.json"), encoding="utf-8") as fh:
        assert fh.read() == schema_text(catalog), "run: python scripts/portal.py schema"


def test_every_example_file_points_editors_at_the_schema():
    for path in partner_files():
        with open(path, encoding="utf-8") as fh:
            assert fh.readline().strip() == "# yaml-language-server: $schema=partner.schema.json", path


def test_examples_pass_the_schema_and_a_bad_file_fails_it():
    with open(os.path.join(DATA, "partner.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    validator = jsonschema.Draft202012Validator(schema)
    for path in partner_files():
        with open(path, encoding="utf-8") as fh:
            data = _jsonable(yaml.safe_load(fh))
        assert list(validator.iter_errors(data)) == [], path
    bad = {"name": "x", "pattern": "agency", "side": "supplier", "summary": "s", "region": {"province": "Bali"}, "sumary": 1}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "sumary" in messages and "supplier" in messages
