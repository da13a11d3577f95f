"""Partner Markdown to safe HTML: render with Python-Markdown, then clean with nh3's allowlist."""

from __future__ import annotations

import markdown
import nh3

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "sub", "sup", "mark", "small",
    "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}

_md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


def _keep_safe_links(element: str, attribute: str, value: str):
    if attribute == "href":
        return value if value.strip().lower().startswith(SAFE_SCHEMES) else None
    return value


def is_safe_url(url: str) -> bool:
    """True for http, https, mailto and tel addresses: the only links partner data may carry."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


def markdown_to_html(text: str) -> str:
    """Render partner Markdown and keep only allowlisted tags, attributes and link schemes."""
    html = _md.reset().convert(text)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        attribute_filter=_keep_safe_links,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
