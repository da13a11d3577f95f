"""Drafting a written agreement (MoU) from a partner file, its pattern's two sides, and a staff-editable template."""

from __future__ import annotations

import datetime as dt
import os

import jinja2
import nh3
from jinja2.sandbox import SandboxedEnvironment

from ..render import templating
from ..core.catalog import Catalog
from ..core.safefs import Refused, read_inside
from ..core.sanitize import render_markdown

MAX_TEMPLATE_BYTES = 256 * 1024

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
LANGS = ("id", "en")


def indonesian_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def draft(catalog: Catalog, slug: str, organisation: str, email: str, lang: str = "id", today: dt.date | None = None) -> str:
    """The agreement in Markdown, from partners/templates/mou.<lang>.md.j2."""
    today = today or dt.date.today()
    record = catalog.partners[slug]
    p = record.data
    pattern = catalog.patterns[p.pattern]
    partner_side = catalog.side(p.pattern, p.side)
    our_side = next(s for s in pattern.sides if s.id != p.side)
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
            raise jinja2.TemplateNotFound(f"{name} is not UTF-8 text")

    # Staff edit these templates in the data repository: they run sandboxed, with no access to Python internals.
    env = SandboxedEnvironment(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template(f"mou.{lang}.md.j2")
    return template.render(
        org={"name": organisation, "email": email},
        partner=p,
        person=p.contact.person if p.contact and p.contact.person else None,
        pattern_id=p.pattern,
        pattern=pattern,
        partner_side=partner_side,
        our_side=our_side,
        forms=[f.label.id for f in forms],
        forms_en=[f.label.en for f in forms],
        product=product,
        agreement=p.agreement or _NoAgreement(),
        today=today,
        date=indonesian_date,
    )


class _NoAgreement:
    type = "MoU"
    start = end = signed = document = None


def to_html(markdown_text: str, lang: str, title: str) -> str:
    """A printable HTML page of the draft; partner text in it is sanitised like on the site."""
    body = render_markdown(markdown_text)
    body = nh3.clean(body, tags={"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"})
    return templating.render("mou.html.j2", lang=lang, title=title, body=body)
