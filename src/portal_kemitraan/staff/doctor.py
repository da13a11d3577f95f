"""Is this configuration ready to go live? Placeholder addresses, contact and intake, and the data (which
refuses template text in public partners)."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ..core.problems import Text
from ..core.catalog import Catalog
from ..core.fieldtypes import email_address
from ..core.safefs import Refused, read_inside
from ..core.settings import Settings, read_mkdocs_config

DEMO_ORGANISATION = "Portal Kemitraan"  # the demo's organisation and site name
DEMO_MARK = "Example partner (fictional)"  # the comment each demo partner file starts with
# Text that `portal new` and the demo configuration write, which must never reach a public page.
# Hosts that are placeholders: any with a label "example" (example.org, example.github.io), or this machine.
_EXAMPLE_HOST = re.compile(r"(^|\.)example(\.|$)|^(localhost|127\.0\.0\.1)$", re.I)


def placeholder_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "") if url else ""
    return not host or bool(_EXAMPLE_HOST.search(host))


def check(config_path: str, settings: Settings, catalog: Catalog, editions: list[tuple[str, dict, str]] = ()) -> list[str]:
    """One line per thing to change, each naming where to change it; empty when ready. `editions` are the
    project's editions, (configuration file, its settings, its language), the main one first."""
    lines = []
    try:
        config = read_mkdocs_config(config_path)
    except ValueError as exc:
        return [Text('{config_path}: {exc}', config_path=config_path, exc=exc)]
    site_url = str(config.get("site_url") or "")
    if not site_url:
        lines.append(Text('{config_path}: site_url: not set; set it to the public address of the site (https://…/)', config_path=config_path))
    elif placeholder_host(site_url) or not site_url.startswith("https://"):
        lines.append(Text("{config_path}: site_url: {site_url!r} is a placeholder or not https; set the site's real public address", config_path=config_path, site_url=site_url))
    repo_url = str(config.get("repo_url") or "")
    if repo_url and placeholder_host(repo_url) or "github.com/example/" in repo_url:
        lines.append(Text("{config_path}: repo_url: {repo_url!r} is the demo's; set your data repository, or remove the line", config_path=config_path, repo_url=repo_url))
    try:
        email = email_address(settings.contact_email)
    except ValueError:
        email = ""
    if not email or placeholder_host("mailto://" + email.split("@")[-1]):
        lines.append(Text('{config_path}: extra.portal.contact_email: {contact_email!r} is a placeholder; set the address applicants write to', config_path=config_path, contact_email=settings.contact_email))
    if settings.intake_form_url and (placeholder_host(settings.intake_form_url) or not settings.intake_form_url.startswith("https://")):
        lines.append(Text('{config_path}: extra.portal.intake_form_url: {intake_form_url!r} is not a real https form address; set it or leave it empty', config_path=config_path, intake_form_url=settings.intake_form_url))
    form = settings.correction_form
    if form and placeholder_host(form.url):
        lines.append(Text('{config_path}: extra.portal.correction_form.url: {url!r} is not a real https address', config_path=config_path, url=form.url))
    if settings.organisation.strip() == DEMO_ORGANISATION:
        lines.append(Text("{config_path}: extra.portal.organisation: {organisation!r} is the demo's name; set your organisation's name", config_path=config_path, organisation=settings.organisation))
    if str(config.get("site_name") or "").strip() == DEMO_ORGANISATION:
        lines.append(Text("{config_path}: site_name: {DEMO_ORGANISATION!r} is the demo's name; set your site's name", config_path=config_path, DEMO_ORGANISATION=DEMO_ORGANISATION))
    if not settings.intake_form_url:
        lines.append(Text("{config_path}: extra.portal.intake_form_url: not set; applicants can only write an e-mail. Make the intake form (STAFF.md: the intake form) and set its https address", config_path=config_path))
    if not form:
        lines.append(Text("{config_path}: extra.portal.correction_form: not set; partners can only ask for corrections by e-mail. Make the correction form (STAFF.md) and set its address and fields", config_path=config_path))
    lines += edition_problems(site_url, list(editions))
    lines += demo_partners(catalog)
    for problem in catalog.report.errors:
        lines.append(str(problem))
    return lines


def edition_problems(main_url: str, editions: list[tuple[str, dict, str]]) -> list[str]:
    """Every edition's address under the main one's and not a placeholder; each edition's language switch
    (extra.alternate) naming the editions' real addresses."""
    lines = []
    addresses = {}
    for name, config, lang in editions:
        url = str(config.get("site_url") or "")
        addresses[lang] = url
        if name == "mkdocs.yml":
            continue
        if not url:
            lines.append(Text("{name}: site_url: not set; set the {lang} edition's public address ({main}{lang}/)", name=name, lang=lang, main=main_url or "https://…/"))
        elif placeholder_host(url) or not url.startswith("https://"):
            lines.append(Text("{name}: site_url: {url!r} is a placeholder or not https; set the {lang} edition's real address", name=name, url=url, lang=lang))
        elif main_url and not url.startswith(main_url.rstrip("/") + "/"):
            lines.append(Text("{name}: site_url: {url!r} is not under the main edition's address {main}; set {main}{lang}/", name=name, url=url, main=main_url, lang=lang))
    for name, config, _ in editions:
        extra = config.get("extra") if isinstance(config.get("extra"), dict) else {}
        alternates = extra.get("alternate") if isinstance(extra.get("alternate"), list) else []
        for entry in alternates:
            if not isinstance(entry, dict):
                continue
            lang, link = str(entry.get("lang") or ""), str(entry.get("link") or "")
            if lang in addresses and link != addresses[lang]:
                lines.append(Text("{name}: extra.alternate: the {lang} link {link!r} is not that edition's address {url!r}", name=name, lang=lang, link=link, url=addresses[lang]))
    return lines


def demo_partners(catalog: Catalog) -> list[str]:
    """The demo's fictional partners still in the data: each file the demo ships says so in its first lines
    ("Example partner (fictional)"), and every address in them is on a placeholder host (example.id …)."""
    found = []
    for slug, record in sorted(catalog.partners.items()):
        path = os.path.join(catalog.root, os.path.basename(record.path))
        try:
            head = read_inside(catalog.root, path, 64 * 1024)[:600].decode("utf-8", "replace")
        except Refused:
            head = ""
        p = record.data
        hosts = [p.website] if p.website else []
        if p.contact and p.contact.email:
            hosts.append("mailto://" + p.contact.email.split("@")[-1])
        marked = DEMO_MARK in head
        placeholder = bool(hosts) and all(placeholder_host(h) for h in hosts) and p.visibility != "hidden"
        if marked or placeholder:
            why = Text("says it is an example partner (fictional)") if marked else Text("has only placeholder addresses (example.…)")
            found.append(Text('{path}:1: file: {why}; remove it (and its logo) before the site goes live, or give its real details', path=record.path, why=why))
    return found
