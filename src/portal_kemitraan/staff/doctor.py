"""Is this configuration ready to go live? Placeholder addresses, contact and intake, and the data (which
refuses template text in public partners)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..core.catalog import Catalog
from ..core.models import email_address
from ..core.settings import Settings, read_mkdocs_config

# Text that `portal new` and the demo configuration write, which must never reach a public page.
# Hosts that are placeholders: any with a label "example" (example.org, example.github.io), or this machine.
_EXAMPLE_HOST = re.compile(r"(^|\.)example(\.|$)|^(localhost|127\.0\.0\.1)$", re.I)


def _placeholder_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "") if url else ""
    return not host or bool(_EXAMPLE_HOST.search(host))


def check(config_path: str, settings: Settings, catalog: Catalog) -> list[str]:
    """One line per thing to change, each naming where to change it; empty when ready."""
    lines = []
    try:
        config = read_mkdocs_config(config_path)
    except ValueError as exc:
        return [f"{config_path}: {exc}"]
    site_url = str(config.get("site_url") or "")
    if not site_url:
        lines.append(f"{config_path}: site_url: not set; set it to the public address of the site (https://…/)")
    elif _placeholder_host(site_url) or not site_url.startswith("https://"):
        lines.append(f"{config_path}: site_url: {site_url!r} is a placeholder or not https; set the site's real public address")
    repo_url = str(config.get("repo_url") or "")
    if repo_url and _placeholder_host(repo_url) or "github.com/example/" in repo_url:
        lines.append(f"{config_path}: repo_url: {repo_url!r} is the demo's; set your data repository, or remove the line")
    try:
        email = email_address(settings.contact_email)
    except ValueError:
        email = ""
    if not email or _placeholder_host("mailto://" + email.split("@")[-1]):
        lines.append(f"{config_path}: extra.portal.contact_email: {settings.contact_email!r} is a placeholder; set the address applicants write to")
    if settings.intake_form_url and (_placeholder_host(settings.intake_form_url) or not settings.intake_form_url.startswith("https://")):
        lines.append(f"{config_path}: extra.portal.intake_form_url: {settings.intake_form_url!r} is not a real https form address; set it or leave it empty")
    form = settings.correction_form
    if form and _placeholder_host(form.url):
        lines.append(f"{config_path}: extra.portal.correction_form.url: {form.url!r} is not a real https address")
    for problem in catalog.report.errors:
        lines.append(str(problem))
    return lines
