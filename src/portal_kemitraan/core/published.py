"""The one declaration of what a partner publishes: the typed public record, and every field list derived from it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of the published tables (CSV, XLSX, the data package): its name, its Frictionless type, its
    titles in Indonesian and English, and where its value is in an export record (see `export_value`).
    `table=False` for a value only the JSON API (`api`) or the directory's data (`directory`) carries."""

    name: str
    kind: str = "string"
    title_id: str = ""
    title_en: str = ""
    path: tuple[str, ...] = ()
    table: bool = True
    api: bool = False
    directory: bool = False


def published(*columns: Column, source: tuple[str, ...] = (), api: bool = True, directory: bool = False, correct: tuple[str, ...] = (),
              own_column: tuple[str, str, str] | None = None):
    """A field of the public record. `source`: the top-level fields of the partner file it is made from (their
    text is published, so privacy reads them); `api`: in the JSON API; `directory`: in the directory's data;
    `correct`: the paths of the partner file a partner may correct through it; `own_column`: (type, Indonesian
    title, English title) when the field is a column of the tables itself; `columns`: further columns made of it."""
    return dataclasses.field(metadata={"source": source, "api": api, "directory": directory, "correct": correct, "own": own_column, "columns": columns})


@dataclass(frozen=True, slots=True)
class PublicPartner:
    """Every public field of one partner, and nothing else: `internal` and non-consented persons never enter
    it. Made by core/public.py; read by every page, export and search document. Nested values are plain data.
    The order of the fields is the order of the published tables' columns."""

    slug: str = published(directory=True, own_column=("string", "Slug (alamat tetap)", "Slug (permanent address)"))
    name: str = published(source=("name",), directory=True, correct=("name",), own_column=("string", "Nama", "Name"))
    summary: str = published(
        Column("summary_lang", table=False, directory=True),  # the language a summary had to stay in
        source=("summary",), directory=True, correct=("summary",), own_column=("string", "Ringkasan", "Summary"),
    )
    pattern: str = published(
        Column("pattern_name", "string", "Pola", "Pattern", path=("pattern_name",), api=True),
        source=("pattern",), directory=True, own_column=("string", "Kode pola", "Pattern code"),
    )
    side: str = published(
        Column("side_label", "string", "Pihak", "Side", path=("side_label",), api=True),
        source=("side",), directory=True, own_column=("string", "Kode pihak", "Side code"),
    )
    province_id: str = published(source=("region",), own_column=("string", "Kode provinsi", "Province code"))
    province: str = published(source=("region",), directory=True, correct=("region.province",), own_column=("string", "Provinsi", "Province"))
    city: str | None = published(source=("region",), directory=True, correct=("region.city",), own_column=("string", "Kota/kabupaten", "City or regency"))
    kind: str | None = published(source=("kind",), correct=("kind",), own_column=("string", "Jenis", "Kind"))
    sectors: list = published(source=("sectors",), directory=True, correct=("sectors",), own_column=("string", "Sektor (dipisah ;)", "Sectors (separated by ;)"))
    forms: list = published(source=("forms",), own_column=("string", "Bentuk kerja sama (dipisah ;)", "Forms of cooperation (separated by ;)"))
    stage: str = published(
        Column("stage_label", "string", "Tahap", "Stage", path=("stage_label",), api=True),
        source=("stage",), directory=True, own_column=("string", "Kode tahap", "Stage code"),
    )
    website: str | None = published(source=("website",), correct=("website",), own_column=("string", "Situs web", "Website"))
    contact: dict | None = published(
        Column("email", "string", "Surel", "E-mail", path=("contact", "email")),
        Column("phone", "string", "Telepon", "Phone", path=("contact", "phone")),
        Column("contact_person", "string", "Narahubung", "Contact person", path=("contact", "person", "name")),
        source=("contact",), correct=("contact.email", "contact.phone", "contact.whatsapp"),
    )
    agreement: dict | None = published(
        Column("agreement_type", "string", "Jenis kesepakatan", "Agreement type", path=("agreement", "type")),
        Column("agreement_start", "date", "Kesepakatan mulai", "Agreement start", path=("agreement", "start")),
        Column("agreement_end", "date", "Kesepakatan berakhir", "Agreement end", path=("agreement", "end")),
        Column("agreement_status", "string", "Status kesepakatan", "Agreement status", path=("agreement", "status")),
        source=("agreement",),
    )
    since: str | None = published(source=("since",), directory=True, own_column=("date", "Bermitra sejak", "Partner since"))
    last_verified: str | None = published(source=("last_verified",), own_column=("date", "Terakhir diperiksa", "Last checked"))
    url: str = published(
        Column("address", table=False, api=True),  # the profile's absolute address (the tables' url column is that too)
        own_column=("string", "Alamat profil", "Profile address"),
    )
    summary_en: str | None = published(source=("summary_en",), correct=("summary_en",))
    description_html: str = published(source=("description",), correct=("description",))
    description_html_en: str = published(source=("description_en",), correct=("description_en",))
    location: dict | None = published(source=("location",))
    logo: str | None = published(source=("logo",), directory=True)
    activities: list = published(source=("activities",))
    evaluations: list = published(source=("evaluations",))
    stage_index: int = published(api=False)  # the stage's place in the order of stages (for sorting)
    listed: bool = published(api=False)  # public (listed) or unlisted (its own page only)


FIELDS = dataclasses.fields(PublicPartner)
NAMES = tuple(f.name for f in FIELDS)


def _columns(f: dataclasses.Field) -> tuple[Column, ...]:
    own = f.metadata["own"]
    mine = (Column(f.name, own[0], own[1], own[2], path=(f.name,)),) if own else ()
    return mine + tuple(f.metadata["columns"])


def table_columns() -> tuple[Column, ...]:
    """The published tables' columns, in order."""
    return tuple(c for f in FIELDS for c in _columns(f) if c.table)


def api_fields() -> tuple[str, ...]:
    """The keys of a partner's record in the JSON API."""
    return tuple(f.name for f in FIELDS if f.metadata["api"]) + tuple(c.name for f in FIELDS for c in f.metadata["columns"] if c.api)


def directory_fields() -> tuple[str, ...]:
    """The values of a partner in the directory's data, in order."""
    return tuple(f.name for f in FIELDS if f.metadata["directory"]) + tuple(c.name for f in FIELDS for c in f.metadata["columns"] if c.directory)


def published_sources() -> frozenset[str]:
    """The top-level fields of a partner file whose values are published (privacy reads their text)."""
    return frozenset(s for f in FIELDS for s in f.metadata["source"])


def correctable() -> tuple[str, ...]:
    """The paths of a partner file a partner may correct on its own profile: published values only."""
    return tuple(path for f in FIELDS for path in f.metadata["correct"])


def export_value(record: dict, column: Column):
    """A column's value in an export record (the public fields, the labels and the address, as a dict)."""
    value = record
    for key in column.path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def as_dict(partner: PublicPartner) -> dict:
    """The record as a plain dict (its nested values are plain data already)."""
    return {name: getattr(partner, name) for name in NAMES}
