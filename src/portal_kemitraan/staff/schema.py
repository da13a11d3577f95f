"""The JSON Schema file of the partner files: its text and its place in the data folder."""

from __future__ import annotations

import json
import os

from ..core.catalog import Catalog
from ..core.partnerschema import SCHEMA_NAME, partner_schema


def schema_text(catalog: Catalog) -> str:
    return json.dumps(partner_schema(catalog), indent=2, ensure_ascii=False) + "\n"


def schema_path(catalog: Catalog) -> str:
    return os.path.join(catalog.root, SCHEMA_NAME)
