"""Intake import: rows of a form's CSV export become new, hidden partner files at the first stage."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError
from slugify import slugify

from .catalog import Catalog
from .models import Partner, explain
from .problems import Problem
from .reference import find_province
from .yamlsource import dotted

SCHEMA_COMMENT = "# yaml-language-server: $schema=partner.schema.json"
MAPPING_NAME = os.path.join("templates", "intake-mapping.yml")
ANONYMOUS = {"anonymous", "anonim", "-", "n/a"}  # what form exports write where nobody answered


@dataclass
class Mapping:
    fields: dict[str, list[str]]
    received: list[str]
    defaults: dict[str, str]

    @classmethod
    def load(cls, path: str) -> "Mapping":
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh) or {}
        if not isinstance(raw.get("fields"), dict):
            raise ValueError(f"{path}: needs a 'fields:' mapping of field -> list of column headers")
        return cls(
            fields={k: [v] if isinstance(v, str) else list(v) for k, v in raw["fields"].items()},
            received=list(raw.get("received") or []),
            defaults=dict(raw.get("defaults") or {}),
        )


@dataclass
class Outcome:
    """What one import did: files to write, and the rows it reported."""

    written: dict[str, str] = field(default_factory=dict)  # slug -> file text
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    empty_rows: int = 0


def normalise_header(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().rstrip("?:").split()).casefold()


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252 (Excel's default export)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def sniff_dialect(text: str) -> type[csv.Dialect]:
    """Form exports follow RFC 4180 quoting; only the separator varies (, ; or tab), so only it is sniffed."""
    sample = text[: 64 * 1024]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        delimiter = max(",;\t", key=header.count)
    return type("FormExport", (csv.excel,), {"delimiter": delimiter})


def _website_key(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = parts.netloc.lower().removeprefix("www.")
    return host + parts.path.rstrip("/").lower() if host else None


def _known_keys(catalog: Catalog) -> tuple[dict, dict]:
    """E-mail addresses and websites of existing partners, to spot someone who applies twice."""
    emails, sites = {}, {}
    for slug, rec in catalog.partners.items():
        p = rec.data
        contact = p.contact
        for email in (contact.email if contact else None, contact.person.email if contact and contact.person else None):
            if email:
                emails.setdefault(email.lower(), slug)
        applicant = ((p.internal or {}).get("applicant") or {}) if isinstance(p.internal, dict) else {}
        if isinstance(applicant, dict) and isinstance(applicant.get("email"), str):
            emails.setdefault(applicant["email"].lower(), slug)
        key = _website_key(p.website)
        if key:
            sites.setdefault(key, slug)
    return emails, sites


def _set(data: dict, path: str, value) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _pattern_id(value: str, catalog: Catalog) -> str | None:
    folded = value.strip().casefold()
    for pid, pattern in catalog.patterns.items():
        if folded in (pid, pattern.name.id.casefold(), pattern.name.en.casefold()):
            return pid
    return None


def _side_id(value: str, pattern_id: str, catalog: Catalog) -> str | None:
    folded = value.strip().casefold()
    for side in catalog.patterns[pattern_id].sides:
        if folded in (side.id, side.label.id.casefold(), side.label.en.casefold()):
            return side.id
    return None


def _received(value: str) -> str | None:
    """A date from the export's timestamp column, in the common layouts of form exports."""
    value = value.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%y %H:%M:%S", "%d/%m/%Y %H.%M.%S", "%m/%d/%Y %I:%M:%S %p", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


class _Writer(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Writer.add_representer(str, _str)


def partner_yaml(data: dict, csv_name: str, row_line: int) -> str:
    body = yaml.dump(data, Dumper=_Writer, allow_unicode=True, sort_keys=False, width=100)
    return f"{SCHEMA_COMMENT}\n# Imported from {csv_name}, line {row_line}. Hidden until screened; see internal.screening.\n\n{body}"


def import_rows(raw: bytes, csv_name: str, catalog: Catalog, mapping: Mapping, today: dt.date) -> Outcome:
    """Turn every row into a partner file, or into a reported problem; never both, never neither."""
    out = Outcome()
    text, encoding = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), sniff_dialect(text))
    try:
        header = next(reader)
    except StopIteration:
        out.problems.append(Problem(csv_name, 1, "file", "is empty; expected a header row and one row per response"))
        return out
    index = {normalise_header(h): i for i, h in reversed(list(enumerate(header))) if h.strip()}
    columns: dict[str, int] = {}
    for target, headers in mapping.fields.items():
        for h in headers:
            if normalise_header(h) in index:
                columns[target] = index[normalise_header(h)]
                break
    received_col = next((index[normalise_header(h)] for h in mapping.received if normalise_header(h) in index), None)
    if "name" not in columns:
        out.problems.append(Problem(csv_name, 1, "header", f"no column for the partner's name; expected one of: {', '.join(mapping.fields.get('name', []))}"))
        return out

    emails, sites = _known_keys(catalog)
    slugs = set(catalog.partners) | {n.rsplit(".", 1)[0] for n in os.listdir(catalog.root) if n.endswith((".yml", ".yaml"))}
    line = reader.line_num + 1
    for row in reader:
        row_line, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            out.empty_rows += 1
            continue
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}
        cells = {k: ("" if v.casefold() in ANONYMOUS else v) for k, v in cells.items()}
        answers = {header[i].strip() or f"column {i + 1}": row[i].strip() for i in range(min(len(row), len(header))) if row[i].strip()}
        data, notes = _row_to_partner(cells, catalog, mapping)
        internal = {"screening": answers, "imported_from": f"{os.path.basename(csv_name)}:{row_line}", "imported_on": today.isoformat()}
        if received_col is not None and received_col < len(row) and _received(row[received_col]):
            internal["received"] = _received(row[received_col])
        data["internal"] = internal
        try:
            Partner.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc, message = explain(error, Partner)
                out.problems.append(Problem(csv_name, row_line, dotted(loc), f"{message.rstrip('.')}; row not imported"))
            continue
        slug = slugify(data["name"], max_length=64, word_boundary=True)
        duplicate = None
        if len(slug) < 2:
            out.problems.append(Problem(csv_name, row_line, "name", "cannot make a file name from it; row not imported"))
            continue
        if slug in slugs:
            duplicate = f"a partner with the slug {slug!r} already exists"
        for email in {data.get("contact", {}).get("email"), data.get("contact", {}).get("person", {}).get("email")} - {None}:
            if email.lower() in emails and not duplicate:
                duplicate = f"e-mail {email} is already used by {emails[email.lower()]}"
        site = _website_key(data.get("website"))
        if site and site in sites and not duplicate:
            duplicate = f"website {data['website']} is already used by {sites[site]}"
        if duplicate:
            out.problems.append(Problem(csv_name, row_line, "row", f"{duplicate}; skipped"))
            continue
        slugs.add(slug)
        for email in {data.get("contact", {}).get("email"), data.get("contact", {}).get("person", {}).get("email")} - {None}:
            emails[email.lower()] = slug
        if site:
            sites[site] = slug
        out.notes.extend(Problem(csv_name, row_line, f, m, "note") for f, m in notes)
        out.written[slug] = partner_yaml(data, os.path.basename(csv_name), row_line)
    return out


def _row_to_partner(cells: dict, catalog: Catalog, mapping: Mapping) -> tuple[dict, list[tuple[str, str]]]:
    """Map one row's cells onto partner fields; returns the data and notes about guesses made."""
    notes: list[tuple[str, str]] = []
    data: dict = {"name": cells.get("name", "")}
    pattern = _pattern_id(cells.get("pattern", ""), catalog) if cells.get("pattern") else None
    if pattern is None:
        pattern = mapping.defaults.get("pattern")
        notes.append(("pattern", f"not given or not recognised ({cells.get('pattern') or 'empty'!r}); set to {pattern!r} for screening"))
    side = _side_id(cells["side"], pattern, catalog) if cells.get("side") and pattern in catalog.patterns else None
    if side is None:
        default = mapping.defaults.get("side")
        sides = [s.id for s in catalog.patterns[pattern].sides] if pattern in catalog.patterns else []
        side = default if default in sides else (sides[-1] if sides else default)
        notes.append(("side", f"not given; set to {side!r} for screening"))
    data.update(pattern=pattern, side=side)
    summary = cells.get("summary") or cells.get("description") or ""
    summary = " ".join(summary.split())
    if len(summary) > 280:
        summary = summary[:277].rsplit(" ", 1)[0] + "…"
    data["summary"] = summary or f"Calon mitra: {data['name']}."
    province = cells.get("region.province", "")
    found = find_province(province) if province else None
    data["region"] = {"province": found["name"] if found else province}
    if cells.get("region.city"):
        data["region"]["city"] = cells["region.city"]
    if cells.get("description"):
        data["description"] = cells["description"]
    if cells.get("kind"):
        data["kind"] = cells["kind"].strip().lower()
    if cells.get("sectors"):
        data["sectors"] = [s.strip() for s in re.split(r"[,;\n]", cells["sectors"]) if s.strip()][:20]
    if cells.get("website"):
        site = cells["website"]
        data["website"] = site if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", site) else "https://" + site
    contact: dict = {}
    for key in ("email", "phone"):
        if cells.get(f"contact.{key}"):
            contact[key] = cells[f"contact.{key}"]
    person = {k: cells[f"contact.person.{k}"] for k in ("name", "role", "email", "phone") if cells.get(f"contact.person.{k}")}
    if person:
        person.setdefault("name", "(tanpa nama)")
        person["consent"] = False  # an applicant's own details stay private until they agree to be shown
        contact["person"] = person
    if contact:
        data["contact"] = contact
    data["stage"] = catalog.stages[0].id if catalog.stages else "identification"
    data["visibility"] = "hidden"
    return data, notes
