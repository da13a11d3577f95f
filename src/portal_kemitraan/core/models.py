"""The data models: what a partner, pattern, stage and form file may hold, checked field by field."""

from __future__ import annotations

import datetime as dt
import re
import difflib
import typing
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BeforeValidator, BaseModel, ConfigDict, Field, Strict, model_validator

from . import reference
from .problems import Text

from .fieldtypes import Email, HttpUrl, Line, Markdown, Para, Phone, Province, ShortLine, Slug, Summary, WhatsApp, LocatedError, storable_notes


class Model(BaseModel):
    """Every model refuses unknown fields, so that a typo is reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class I18n(Model):
    """A text in Indonesian (id) and English (en)."""

    id: Para
    en: Para


# --- partner --------------------------------------------------------------------------------


DRAFT_ONLY = Text("is required but missing (only a hidden draft may leave it out)")


def lacks_province(data: Any) -> bool:
    """Raw partner data that is shown (not hidden) and names no province: checked beside the model's other
    errors, which stop its own after-checks from running."""
    if not isinstance(data, dict) or data.get("visibility") == "hidden":
        return False
    region = data.get("region")
    return isinstance(region, dict) and region.get("province") in (None, "")


def lacks_side(data: Any) -> bool:
    """Raw partner data that is shown (not hidden) and names no side (an application whose form did not ask
    it stays a hidden draft until staff choose one)."""
    return isinstance(data, dict) and data.get("visibility") != "hidden" and data.get("side") in (None, "")


class Region(Model):
    province: Optional[Province] = Field(
        None, description="One of Indonesia's 38 provinces, any letter case. Required, except in a hidden draft awaiting screening."
    )
    city: Optional[Line] = Field(None, description="City or regency.")


class Location(Model):
    lat: float = Field(ge=reference.LAT_MIN, le=reference.LAT_MAX, description="Latitude, within Indonesia.")
    lon: float = Field(ge=reference.LON_MIN, le=reference.LON_MAX, description="Longitude, within Indonesia.")


class Person(Model):
    name: Line
    role: Optional[Line] = None
    email: Optional[Email] = None
    phone: Optional[Phone] = None
    whatsapp: Optional[WhatsApp] = Field(None, description="An Indonesian mobile number on WhatsApp (08… or +62 8…); shown only with consent.")
    consent: Annotated[bool, Strict()] = Field(
        False, description="true only when this person agreed to be shown publicly; otherwise kept for staff."
    )


class Contact(Model):
    email: Optional[Email] = Field(None, description="The organisation's public e-mail address.")
    phone: Optional[Phone] = Field(None, description="Digits, spaces, +, - and parentheses; stored as +62…")
    whatsapp: Optional[WhatsApp] = Field(None, description="The organisation's WhatsApp: an Indonesian mobile number (08… or +62 8…).")
    person: Optional[Person] = None


class Agreement(Model):
    type: Line = Field("MoU", description="E.g. MoU (nota kesepahaman), PKS, contract.")
    signed: Optional[dt.date] = None
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    document: Optional[HttpUrl] = Field(None, description="Link to the signed document (http or https).")
    counterpart: Optional[Line] = Field(
        None, description="The other side of the agreement: another partner's slug, or a name. Staff only: used by `portal mou`, never published."
    )


def agreement_status(start: dt.date | None, end: dt.date | None, today: dt.date, soon_days: int) -> str:
    """'upcoming', 'active', 'ending' (within soon_days), 'ended', or 'open' (no end date)."""
    if start and today < start:
        return "upcoming"
    if end is None:
        return "open"
    if end < today:
        return "ended"
    if (end - today).days <= soon_days:
        return "ending"
    return "active"


class Activity(Model):
    title: Line
    date: Optional[dt.date] = None
    summary: Optional[Para] = None


class Evaluation(Model):
    period: ShortLine = Field(description="E.g. 2025 or 2025-H1.")
    summary: Para
    achieved: Optional[Para] = None
    obstacles: Optional[Para] = None


Kind = Literal["individual", "community-group", "cooperative", "business", "ngo", "government", "education", "media", "other"]
Visibility = Literal["public", "unlisted", "hidden"]


def _as_text(value):
    """A note staff typed as a number (owner: 12) is the text they meant."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


StaffText = Annotated[Optional[str], BeforeValidator(_as_text)]
StaffDate = Optional[Union[dt.date, str]]  # a date, or however staff wrote it (the report reads what it can)


class Applicant(BaseModel):
    """Who applied, as the intake form or staff recorded them (private: the applicant has not consented)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: StaffText = None
    email: StaffText = None


class Internal(BaseModel):
    """Staff-only notes, never published: the keys the staff tools read and write, typed, and room for
    anything else staff keep (every text storable, as the commands print and write them)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    owner: StaffText = Field(None, description="Who on the staff looks after this partnership (report).")
    last_contact: StaffDate = Field(None, description="When staff last spoke with the partner (report).")
    applicant: Optional[Applicant] = Field(None, description="Who applied, when it is not the contact (verify).")
    screening: Optional[dict[str, Any]] = Field(None, description="The intake form's answers, word for word (import).")
    import_problems: Optional[list[Any]] = Field(None, description="What the import left for a person to settle.")
    imported_from: StaffText = Field(None, description="The export file and line the partner was imported from.")
    imported_on: StaffDate = Field(None, description="The day of the import.")
    received: StaffDate = Field(None, description="The day the application was received.")

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, value):
        return storable_notes(value) if isinstance(value, dict) else value


class Partner(Model):
    """One partner organisation, as staff write it in partners/<slug>.yml."""

    name: Line = Field(description="The partner's name as it should appear publicly.")
    pattern: Slug = Field(description="A pattern id: a file name under partners/patterns/.")
    side: Optional[Slug] = Field(
        None, description="Which of the pattern's two sides this partner is on. Required, except in a hidden draft awaiting screening."
    )
    summary: Summary = Field(description="One or two plain sentences, at most 280 characters.")
    region: Region
    summary_en: Optional[Summary] = Field(None, description="The summary in English, for the English edition (optional).")
    description: Optional[Markdown] = Field(None, description="Longer text in Markdown.")
    description_en: Optional[Markdown] = Field(None, description="The description in English (optional); without it the English page shows the Indonesian text.")
    kind: Optional[Kind] = None
    forms: list[Slug] = Field(default_factory=list, max_length=20, description="Form ids from partners/forms.yml.")
    sectors: list[ShortLine] = Field(default_factory=list, max_length=20)
    location: Optional[Location] = None
    website: Optional[HttpUrl] = None
    logo: Optional[Line] = Field(None, description="Image path under partners/, e.g. logos/name.svg.")
    contact: Optional[Contact] = None
    stage: Optional[Slug] = Field(None, description="A stage id from partners/stages.yml; default the first.")
    agreement: Optional[Agreement] = None
    activities: list[Activity] = Field(default_factory=list, max_length=500)
    evaluations: list[Evaluation] = Field(default_factory=list, max_length=200)
    since: Optional[dt.date] = Field(None, description="When the partnership began; feeds 'recently joined'.")
    last_verified: Optional[dt.date] = Field(None, description="When the partner last confirmed this profile.")
    visibility: Visibility = Field("public", description="public: listed; unlisted: own page only; hidden: not published.")
    internal: Optional[Internal] = Field(None, description="Staff-only notes. Never published.")

    @model_validator(mode="after")
    def _published_has_a_province(self):
        # An imported application may not say where it is (or say it in a way no province matches): it stays a
        # hidden draft until staff fill it in. Anything shown has its province.
        if self.region.province is None and self.visibility != "hidden":
            raise LocatedError(("region", "province"), DRAFT_ONLY)
        if self.side is None and self.visibility != "hidden":
            raise LocatedError(("side",), DRAFT_ONLY)
        return self


# --- patterns, stages, forms ----------------------------------------------------------------


class Side(Model):
    id: Slug
    label: I18n
    who: I18n
    brings: I18n


class Flow(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: Slug = Field(alias="from")
    to: Slug
    label: I18n


class Pattern(Model):
    """A partnership pattern, as kept in partners/patterns/<id>.yml."""

    order: int = 100
    name: I18n
    summary: I18n
    sides: list[Side] = Field(min_length=2, max_length=2)
    flows: list[Flow] = Field(default_factory=list)
    fits: I18n
    example: I18n
    organisation: Literal["party", "facilitator"] = Field(
        "facilitator",
        description="In an agreement of this pattern, the organisation is one of the two sides (party) or brings the two "
        "sides together and witnesses their agreement (facilitator).",
    )

    @model_validator(mode="after")
    def _sides(self):
        ids = [s.id for s in self.sides]
        if len(set(ids)) != len(ids):
            raise LocatedError(("sides", 1, "id"), Text('the two sides need different ids (both are {value!r})', value=ids[0]))
        for i, flow in enumerate(self.flows):
            for key, value in (("from", flow.source), ("to", flow.to)):
                if value not in ids:
                    raise LocatedError(("flows", i, key), Text("{value!r} is not one of this pattern's sides: {ids}", value=value, ids=', '.join(ids)))
        return self


class SearchTerms(Model):
    """partners/search.yml: groups of words a reader may type for the same thing (search finds any by any)."""

    synonyms: Annotated[list[Annotated[list[ShortLine], Field(min_length=2, max_length=20)]], Field(max_length=2000)] = []


class Term(Model):
    """A stage of the partnership life cycle, or a form a partnership can take."""

    id: Slug
    label: I18n
    description: I18n


# --- errors ---------------------------------------------------------------------------------


def _unwrap(annotation):
    """The model class inside Optional[...] / list[...] / Annotated[...], if any."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (Union, list, typing.Union) or str(origin) == "types.UnionType":
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed in the mapping at `loc` (used for 'did you mean …?')."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return []
        current = _unwrap(current.model_fields[part].annotation)
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def describe(value: object) -> str:
    if value is None:
        return Text("empty")
    if isinstance(value, bool):
        return Text("true/false")
    if isinstance(value, (int, float)):
        return Text("a number")
    if isinstance(value, (dt.date, dt.datetime)):
        return Text("a date")
    if isinstance(value, list):
        return Text("a list")
    if isinstance(value, dict):
        return Text("a mapping")
    return Text("text")


def explain(error: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    """Turn one pydantic error into (loc, plain message)."""
    kind = error["type"]
    loc = tuple(error["loc"])
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), LocatedError):
        located = ctx["error"]
        return loc + located.loc, located.message
    if kind == "missing":
        return loc, Text("is required but missing")
    if kind == "extra_forbidden":
        known = fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = Text('; did you mean {value!r}?', value=close[0]) if close else (Text('; allowed here: {known}', known=', '.join(known)) if known else "")
        return loc, Text('unknown field{hint}', hint=hint)
    if kind == "string_type":
        return loc, Text("must be text, not {what}", what=describe(given))
    if kind in ("list_type",):
        return loc, Text("must be a list, not {what}", what=describe(given))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, Text("must be a mapping of fields, not {what}", what=describe(given))
    if kind in ("bool_type", "bool_parsing"):
        return loc, Text("must be true or false, not {what}", what=describe(given))
    if kind.startswith("date_") or kind == "date_type":
        return loc, Text("must be a date written as YYYY-MM-DD")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "finite_number"):
        return loc, Text("must be a number, not {what}", what=describe(given))
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))  # pydantic's "'a', 'b' or 'c'": the ids alone
        return loc, Text("must be one of: {choices}", choices=", ".join(choices))
    if kind == "string_too_long":
        return loc, Text("is {count} characters long; the limit is {limit}", count=len(given), limit=ctx.get("max_length"))
    if kind == "string_too_short":
        return loc, Text("must not be empty")
    if kind == "string_pattern_mismatch":
        return loc, Text('{given!r} is not a valid id (lowercase letters, digits and single hyphens)', given=given)
    if kind == "too_long":
        return loc, Text("has too many items; the limit is {limit}", limit=ctx.get("max_length"))
    if kind == "too_short":
        return loc, Text("needs at least {count} items", count=ctx.get("min_length"))
    if kind == "value_error":
        raised = ctx.get("error")
        if isinstance(raised, BaseException) and raised.args and isinstance(raised.args[0], Text):
            return loc, raised.args[0]
        return loc, str(raised or error["msg"])
    if kind in ("greater_than_equal", "less_than_equal"):
        return loc, Text("{given} is outside Indonesia (allowed: {bound})", given=given, bound=error["msg"].split("should be ", 1)[-1])
    msg = error["msg"]
    return loc, msg[:1].lower() + msg[1:]
