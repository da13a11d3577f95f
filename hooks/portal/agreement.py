"""Drafting a written agreement (MoU) from a partner file, its pattern's two sides, and a staff-editable template."""

from __future__ import annotations

import datetime as dt
import os

import jinja2
import markdown
import nh3

from . import templating
from .catalog import Catalog

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
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(catalog.root, "templates")),
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
    body = markdown.markdown(markdown_text, extensions=["tables", "sane_lists"])
    body = nh3.clean(body, tags={"h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"})
    return templating.render("mou.html.j2", lang=lang, title=title, body=body)
