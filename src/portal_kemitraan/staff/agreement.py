"""Drafting a written agreement (MoU) from a partner file, its pattern's two sides, and a staff-editable template."""

from __future__ import annotations

import datetime as dt
import os

import jinja2
import nh3

from . import sandbox
from ..render import templating
from ..core.catalog import Catalog
from ..core.safefs import Refused, read_inside
from ..core.sanitize import render_markdown
from ..core.problems import Text

MAX_TEMPLATE_BYTES = 256 * 1024

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]


def indonesian_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class PartiesError(ValueError):
    """The agreement's two sides cannot be named (the message says what to give)."""


def _sided(catalog: Catalog, slug: str):
    """A partner's data, refused while it has no side (a hidden draft whose form did not ask): an agreement
    names both sides."""
    p = catalog.partners[slug].data
    if p.side is None:
        raise PartiesError(Text("{slug} has no side yet: choose it in partners/{slug}.yml (side:) first", slug=slug))
    return p


def counterpart(catalog: Catalog, slug: str, organisation: str, email: str, named: str | None = None) -> tuple[dict, dict | None]:
    """The other side of a partner's agreement and the facilitator (None when the organisation is itself a
    party). The other side is `named` (the command line), else the partner file's agreement.counterpart: a
    partner's slug, which must be on the other side of the same pattern, or a name. Without either, the
    organisation is the other side when its pattern makes it a party (`organisation: party`); a pattern
    where it is the facilitator needs the other side named."""
    p = _sided(catalog, slug)
    pattern = catalog.patterns[p.pattern]
    other_side = next(s for s in pattern.sides if s.id != p.side)
    org = {"name": organisation, "email": email, "place": "", "representative": None, "slug": None}
    given = named or (p.agreement.counterpart if p.agreement else None)
    facilitator = org if pattern.organisation == "facilitator" else None
    if not given:
        if facilitator is not None:
            raise PartiesError(
                # the names of patterns and sides come in both languages: each translation uses its own (_en, _id)
                Text('in the {pattern_en} pattern the organisation brings the two sides together (organisation: facilitator in '
                     'patterns/{pattern}.yml): name the {side_en} with --with SLUG or --with "NAME", or agreement.counterpart in '
                     'partners/{slug}.yml', pattern=p.pattern, slug=slug, **_names("pattern", pattern.name), **_names("side", other_side.label))
            )
        return org, None
    if given == slug:
        raise PartiesError(Text('{slug} cannot be both sides of its own agreement', slug=slug))
    record = catalog.partners.get(given)
    if record is None:
        return {"name": given, "email": "", "place": "", "representative": None, "slug": None}, facilitator
    q = _sided(catalog, given)
    if q.pattern != p.pattern or q.side != other_side.id:
        raise PartiesError(Text("{given} is a {their_side_en} in {their_pattern_en}; the other side of {slug}'s agreement is a {side_en} in "
                                "{pattern_en}", given=given, slug=slug, **_names("their_side", catalog.side(q.pattern, q.side).label),
                                **_names("their_pattern", catalog.patterns[q.pattern].name), **_names("side", other_side.label),
                                **_names("pattern", pattern.name)))
    person = q.contact.person if q.contact and q.contact.person else None
    return {
        "name": q.name,
        "email": (person.email if person and person.email else None) or (q.contact.email if q.contact else None) or "",
        "place": ", ".join(x for x in (q.region.city, q.region.province) if x),
        "representative": person,
        "slug": given,
    }, facilitator


def _names(key: str, label) -> dict:
    """A pattern's or side's name in both languages, as message values: `{key}_en` and `{key}_id`."""
    return {f"{key}_en": label.en.lower() if key.endswith("side") else label.en, f"{key}_id": label.id.lower() if key.endswith("side") else label.id}


def draft(catalog: Catalog, slug: str, organisation: str, email: str, lang: str = "id", today: dt.date | None = None, named: str | None = None) -> str:
    """The agreement in Markdown, from partners/templates/mou.<lang>.md.j2: the partner and its counterpart
    as the two parties, and the organisation as a party or as the facilitator, as the pattern says."""
    today = today or dt.date.today()
    record = catalog.partners[slug]
    p = _sided(catalog, slug)
    pattern = catalog.patterns[p.pattern]
    partner_side = catalog.side(p.pattern, p.side)
    our_side = next(s for s in pattern.sides if s.id != p.side)
    other, facilitator = counterpart(catalog, slug, organisation, email, named)
    forms = [catalog.form(f) for f in p.forms]
    product = ", ".join(p.sectors) if p.sectors else p.summary.rstrip(".")
    folder = os.path.join(catalog.root, "templates")

    def load(name: str):
        """Templates come from the data folder, so they are read through its boundary."""
        path = os.path.join(folder, name)
        try:
            return read_inside(catalog.root, path, MAX_TEMPLATE_BYTES).decode("utf-8"), path, lambda: False
        except Refused as exc:
            raise jinja2.TemplateNotFound(f"{name} {exc.message}")
        except UnicodeDecodeError:
            raise jinja2.TemplateNotFound(Text('{name} is not UTF-8 text', name=name))

    # Staff edit these templates in the data repository: they run sandboxed over plain data (never objects
    # with methods), within bounds of work, output and time, in a worker the system stops past its memory.
    context = sandbox.plain({
        "org": {"name": organisation, "email": email},
        "other": other,  # the first party: the organisation itself, or the counterpart named
        "facilitator": facilitator,  # the organisation when it is not a party, else None
        "partner": p,
        "person": p.contact.person if p.contact and p.contact.person else None,
        "pattern_id": p.pattern,
        "pattern": pattern,
        "partner_side": partner_side,
        "our_side": our_side,  # the first party's side
        "other_side": our_side,
        "forms": [f.label.id for f in forms],
        "forms_en": [f.label.en for f in forms],
        "product": product,
        "agreement": p.agreement or {"type": "MoU", "start": None, "end": None, "signed": None, "document": None},
        "today": today,
    })

    def render() -> str:
        env = sandbox.BoundedEnvironment(
            loader=jinja2.FunctionLoader(load),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        return env.render_bounded(env.get_template(f"mou.{lang}.md.j2"), date=indonesian_date, **context)

    return sandbox.run_bounded(render)


def to_html(markdown_text: str, lang: str, title: str) -> str:
    """A printable HTML page of the draft; partner text in it is sanitised like on the site."""
    body = render_markdown(markdown_text)
    body = nh3.clean(body, tags={"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"})
    return templating.render("mou.html.j2", lang=lang, title=title, body=body)
