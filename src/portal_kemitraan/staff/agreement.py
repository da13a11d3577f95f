"""Drafting a written agreement (MoU) from a partner file, its pattern's two sides, and a staff-editable template."""

from __future__ import annotations

import _string
import datetime as dt
import functools
import os
import re
import time

import jinja2
import nh3
from jinja2.sandbox import SandboxedEnvironment

from ..render import templating
from ..core.catalog import Catalog
from ..core.safefs import Refused, read_inside
from ..core.sanitize import render_markdown
from ..core.problems import Text

MAX_TEMPLATE_BYTES = 256 * 1024

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
LANGS = ("id", "en")


def indonesian_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class PartiesError(ValueError):
    """The agreement's two sides cannot be named (the message says what to give)."""


def counterpart(catalog: Catalog, slug: str, organisation: str, email: str, named: str | None = None) -> tuple[dict, dict | None]:
    """The other side of a partner's agreement and the facilitator (None when the organisation is itself a
    party). The other side is `named` (the command line), else the partner file's agreement.counterpart: a
    partner's slug, which must be on the other side of the same pattern, or a name. Without either, the
    organisation is the other side when its pattern makes it a party (`organisation: party`); a pattern
    where it is the facilitator needs the other side named."""
    p = catalog.partners[slug].data
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
    q = record.data
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
    p = record.data
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

    # Staff edit these templates in the data repository: they run sandboxed, with no access to Python internals,
    # and within bounds of work, output and time (a loop inside a loop, a text multiplied a million times).
    env = BoundedEnvironment(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template(f"mou.{lang}.md.j2")
    return env.render_bounded(template, 
        org={"name": organisation, "email": email},
        other=other,  # the first party: the organisation itself, or the counterpart named
        facilitator=facilitator,  # the organisation when it is not a party, else None
        partner=p,
        person=p.contact.person if p.contact and p.contact.person else None,
        pattern_id=p.pattern,
        pattern=pattern,
        partner_side=partner_side,
        our_side=our_side,  # the first party's side
        other_side=our_side,
        forms=[f.label.id for f in forms],
        forms_en=[f.label.en for f in forms],
        product=product,
        agreement=p.agreement or _NoAgreement(),
        today=today,
        date=indonesian_date,
    )


MAX_OUTPUT = 1024 * 1024  # characters of a drafted agreement: a real one is a few thousand
MAX_STEPS = 200_000  # items looped over and calls made, all loops together
MAX_SECONDS = 5.0
MAX_TEXT = 100_000  # characters a single * or % may make
MAX_WIDTH = 1000  # widths, paddings and counts given to filters and formatting


class TemplateTooCostly(jinja2.TemplateError):
    """A template that would loop, grow or run past the bounds (the message says which)."""


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with every loop, call, text multiplication and formatting counted against a budget,
    the output limited as it is produced, and a time limit checked at each step."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = 0
        self.deadline = None
        self.globals["range"] = self._range
        self.filters = {name: self._bounded(f) for name, f in self.filters.items()}

    def _bounded(self, func):
        """A filter that counts as a step, takes no size argument past MAX_WIDTH (center(10**9)) and makes
        no text past MAX_OUTPUT."""

        @functools.wraps(func)
        def bounded(*args, **kwargs):
            self._step()
            if any(isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_WIDTH for a in list(args[1:]) + list(kwargs.values())):
                raise TemplateTooCostly(Text('a filter of the template is given a size over {MAX_WIDTH:,}', MAX_WIDTH=MAX_WIDTH))
            result = func(*args, **kwargs)
            if isinstance(result, str) and len(result) > MAX_OUTPUT:
                raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
            return result

        return bounded

    def wrap_str_format(self, value):
        """str.format and format_map, refused when a field asks for a width or precision past MAX_WIDTH, or
        takes its width from an argument ("{:{w}}")."""
        formatter = super().wrap_str_format(value)
        if formatter is None:
            return None
        template = getattr(value, "__self__", "")

        def checked(*args, **kwargs):
            for _, _, spec, _ in _string.formatter_parser(template) if isinstance(template, str) else ():
                if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
                    raise TemplateTooCostly(Text('the template formats a value wider than {MAX_WIDTH:,} characters', MAX_WIDTH=MAX_WIDTH))
            return formatter(*args, **kwargs)

        return checked

    def _step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise TemplateTooCostly(Text('the template does more than {MAX_STEPS:,} steps (loops and calls); simplify it', MAX_STEPS=MAX_STEPS))
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateTooCostly(Text('the template ran longer than {MAX_SECONDS:g} s; simplify it', MAX_SECONDS=MAX_SECONDS))

    def _range(self, *args):
        for value in range(*args):
            self._step()
            yield value

    def call(self, __context, __obj, *args, **kwargs):
        self._step()
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_OUTPUT:
            raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
        return result

    def call_binop(self, context, operator, left, right):
        self._step()
        if operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * max(b, 0) > MAX_TEXT:
                    raise TemplateTooCostly(Text('the template multiplies a text or list past {MAX_TEXT:,} items', MAX_TEXT=MAX_TEXT))
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateTooCostly(Text("the template raises a number to too high a power"))
        if operator == "%" and isinstance(left, str) and ("*" in left or any(int(n) > MAX_WIDTH for n in re.findall(r"%[-+ #0]*(\d+)", left))):
            raise TemplateTooCostly(Text("the template pads a value too widely"))
        if operator == "+" and isinstance(left, (str, list)) and isinstance(right, type(left)) and len(left) + len(right) > MAX_OUTPUT:
            raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj, attribute):
        self._step()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self._step()
        return super().getitem(obj, argument)

    def render_bounded(self, template, **context) -> str:
        """Render within the bounds: the output is gathered piece by piece and stopped past MAX_OUTPUT."""
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        out, size = [], 0
        try:
            for piece in template.generate(**context):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise TemplateTooCostly(Text('the agreement would be over {MAX_OUTPUT:,} characters; the template repeats too much', MAX_OUTPUT=MAX_OUTPUT))
                out.append(piece)
                self._step()
        except RecursionError:
            raise TemplateTooCostly(Text("the template calls itself without end (a macro calling itself)")) from None
        finally:
            self.deadline = None
        return "".join(out)


class _NoAgreement:
    type = "MoU"
    start = end = signed = document = None


def to_html(markdown_text: str, lang: str, title: str) -> str:
    """A printable HTML page of the draft; partner text in it is sanitised like on the site."""
    body = render_markdown(markdown_text)
    body = nh3.clean(body, tags={"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"})
    return templating.render("mou.html.j2", lang=lang, title=title, body=body)
