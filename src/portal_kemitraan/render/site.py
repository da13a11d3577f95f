"""The render step as one pure function: a PublicSite and a language in, every output file of that edition
out (generated pages with their front matter and HTML, exports, logos). Adapters decide where they go."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.public import PublicSite
from . import exports
from .pages import SitePlan, front_matter, page_url


@dataclass(frozen=True)
class OutputFile:
    """One file of the site: its path in the edition, its content, and what it is."""

    path: str
    content: str | bytes
    kind: str  # "page" (Markdown with front matter and an HTML body), "export" or "asset"
    in_nav: bool = False


def page_text(meta: dict, body: str) -> str:
    """A generated page for any engine: YAML front matter (see front_matter), then the HTML body as one raw block."""
    return f"---\n{front_matter(meta)}---\n\n<div class=\"portal-generated\">\n{body.strip()}\n</div>\n"


def render_site(
    site: PublicSite,
    settings,
    locale: str = "id",
    site_url: str = "",
    title: str = "",
    directory_urls: bool = True,
    overrides: str | None = None,
    plan: SitePlan | None = None,
) -> list[OutputFile]:
    """Every file of one edition of the site, in a stable order."""
    plan = plan or SitePlan(site, settings, overrides=overrides, locale=locale, site_url=site_url)
    out = []
    for src_uri, page in plan.pages.items():
        body = plan.render(src_uri, page_url(src_uri, directory_urls))
        out.append(OutputFile(src_uri, page_text(page.meta, body), "page", page.in_nav))
    for path, text in exports.files(site, site_url, title or settings.organisation, locale, settings.licence.model_dump()).items():
        out.append(OutputFile(path, text, "export"))
    for path, data in site.logos.items():
        out.append(OutputFile(path, data, "asset"))
    return out
