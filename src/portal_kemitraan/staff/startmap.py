"""The starting mapping of a form's export (`portal import --map`): its column titles and answers matched to
the partner fields and ids they name, written as a mapping file for staff to check."""

from __future__ import annotations

import csv
import difflib
import os
import re

import yaml

from ..core.catalog import Catalog
from ..core.problems import Text, said
from .formexport import kind_names, ANONYMOUS, MAPPABLE, MAX_NAMED, Mapping, decode, fold, match, pattern_names, province_names, rows_of


def _sample(raw: bytes, csv_name: str, sample: int) -> tuple[list[str], list[list[str]]]:
    """The header row and the first `sample` rows of an export (ValueError when it has no header)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(raw) + 1))  # a long answer is data, not the end of the rows
    text, _, _ = decode(raw)
    reader = rows_of(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValueError(Text('{csv_name}: no header row to make a mapping from', csv_name=csv_name))
    rows = []
    for _ in range(sample):
        try:
            rows.append(next(reader))
        except (StopIteration, csv.Error):
            break
    return header, rows


def _match_titles(header: list[str], known: Mapping) -> tuple[dict[str, str], str | None]:
    """Each column title matched (forgivingly) to the field whose known titles it resembles, and the
    received-date column: ({field: column title}, the date column's title or None)."""
    titles = {fold(t): target for target, ts in known.fields.items() for t in ts if fold(t)}
    received_titles = {fold(t) for t in known.received if fold(t)}
    chosen: dict[str, str] = {}  # field -> column title
    received = None
    for title in header:
        key = fold(title)
        if not key:
            continue
        if key in received_titles and received is None:
            received = title.strip()
            continue
        target = titles.get(key)
        if target is None:
            # "Nama Organisasi / Usaha" holds the known "Nama organisasi": the longest known title inside it wins.
            inside = sorted((t for t in titles if re.search(rf"\b{re.escape(t)}\b", key)), key=len, reverse=True)
            close = difflib.get_close_matches(key, list(titles), n=1, cutoff=0.8)
            target = titles[inside[0]] if inside else (titles[close[0]] if close else None)
        if target and target not in chosen:
            chosen[target] = title.strip()
    return chosen, received


def _place_by_answers(chosen: dict[str, str], header: list[str], rows: list[list[str]], catalog: Catalog, known: Mapping) -> None:
    """A column whose answers name partnership patterns is the pattern column, whatever its title says ("Jenis
    kemitraan yang diminati" reads like a kind of organisation): it takes the field from a column placed by
    its title alone, which is then left to staff."""
    table, names = pattern_names(catalog, known)
    best, best_share = None, 0.5
    for column, title in enumerate(header):
        answers = [row[column].strip() for row in rows if column < len(row) and row[column].strip()]
        if not answers or not title.strip():
            continue
        share = sum(1 for answer in answers if match(answer, table, names)[0]) / len(answers)
        if share > best_share:
            best, best_share = title.strip(), share
    if best is None or chosen.get("pattern") == best:
        return
    for target, title in list(chosen.items()):
        if title == best:
            del chosen[target]  # the title alone had placed it elsewhere (a kind)
    chosen["pattern"] = best


def _answer_values(header: list[str], rows: list[list[str]], chosen: dict[str, str], catalog: Catalog, known: Mapping) -> dict[str, dict[str, str]]:
    """Every answer of the sampled rows in the pattern, province and kind columns, with the id it names ("" if none)."""
    values: dict[str, dict[str, str]] = {}
    lookups = {"pattern": pattern_names(catalog, known), "region.province": province_names(known), "kind": kind_names(known)}
    for target, (table, names) in lookups.items():
        if target not in chosen:
            continue
        column = [fold(t) for t in header].index(fold(chosen[target]))
        for row in rows:
            answer = row[column].strip() if column < len(row) else ""
            # An answer becomes a key of the mapping: one line, short enough to be a plain YAML key, or not listed.
            if answer and len(answer) <= 120 and "\n" not in answer and "\r" not in answer and answer.casefold() not in ANONYMOUS and answer not in values.get(target, {}):
                found, _ = match(answer, table, names)
                values.setdefault(target, {})[answer] = found or ""
    return values


def starting_mapping(raw: bytes, csv_name: str, catalog: Catalog, known: Mapping, sample: int = 200,
                     gettext=None) -> tuple[str, dict[str, str]]:
    """A mapping file for one form's export, for staff to check and edit: each column title matched (forgivingly)
    to the field whose known titles it resembles, the received-date column, and every answer of the first
    `sample` rows of the pattern, side, province and kind columns matched to its id (left empty, with a
    comment, where none is clear). Returns the YAML text and {column title: field}."""
    header, rows = _sample(raw, csv_name, sample)
    chosen, received = _match_titles(header, known)
    _place_by_answers(chosen, header, rows, catalog, known)
    def comment(message: Text) -> str:  # a comment line for staff, in their language
        return " ".join(said(message, gettext).split())

    out = ["# " + comment(Text("Which column of this form's export feeds which partner field, made by `portal import --map` from {file}.",
                               file=os.path.basename(csv_name))),
           "# " + comment(Text("Check every line, then: portal import FILE --mapping THIS-FILE")),
           "# " + comment(Text("Every answer of a row is also kept, word for word, under internal.screening (never published).")), "fields:"]
    for target in MAPPABLE:
        if target in chosen:
            out.append(_entry(target, [chosen[target]], 2))
    unmapped = [t.strip() for t in header if t.strip() and t.strip() not in chosen.values() and t.strip() != received]
    if unmapped:
        out.append("  # " + comment(Text("Columns matched to no field (kept under internal.screening only); move a title into a list above to use it:")))
        out.extend("  #   " + comment(t[:MAX_NAMED]) for t in unmapped)  # one line each, whatever breaks a title holds
    out.append(_entry("received", [received], 0) if received else "received: []  # " + comment(Text("the column with each response's date, if any")))
    values = _answer_values(header, rows, chosen, catalog, known)
    out.append("# " + comment(Text("Answers as written in the form -> the id they mean (pattern and kind ids, province names).")))
    out.append("# " + comment(Text("An empty value was not recognised: write the id, or leave it empty to have the row imported as a draft to settle.")))
    out.append("values:" if values else "values: {}")
    for target, answers in values.items():
        out.append(f"  {target}:")
        for answer, found in answers.items():
            out.append(_entry(answer, found, 4) + ("" if found else "  # " + comment(Text("not recognised"))))
    out.append("defaults:" if known.defaults else "defaults: {}")
    out.extend(_entry(key, value, 2) for key, value in known.defaults.items())
    text = "\n".join(out) + "\n"
    expected = {"fields": {t: [chosen[t]] for t in MAPPABLE if t in chosen}, "received": [received] if received else [],
                "values": values, "defaults": dict(known.defaults)}
    if yaml.safe_load(text) != expected:  # what the dumper wrote reads back as exactly what was meant
        raise ValueError(Text('{csv_name}: its column titles cannot be written into a mapping safely', csv_name=csv_name))
    return text, {title: target for target, title in chosen.items()}


def _entry(key: str, value, indent: int) -> str:
    """One `key: value` line of a mapping, written by the YAML dumper (titles and answers quoted as it
    must; a line break in one is an escape, never a new line of YAML)."""
    line = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=True, width=1 << 30, sort_keys=False)
    return " " * indent + line.strip()[1:-1].strip()


def _flow(text: str) -> str:
    """A text as one YAML flow scalar (JSON's quoting is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)
