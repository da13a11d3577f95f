"""Partner Markdown to safe HTML: markdown-it-py (CommonMark, linear time, raw HTML off), then nh3's allowlist."""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "sub", "sup", "mark", "small",
    "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}
MAX_NESTING = 20  # lists, quotes and emphasis nested deeper than this are written as text


def _engine() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML in the text stays text."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING}).enable(
        ["table", "strikethrough"]
    )


_ENGINE = _engine()  # a configured parser, made once on import; it keeps nothing between texts


def _keep_safe_links(element: str, attribute: str, value: str):
    if attribute == "href":
        return value if is_safe_url(value) else None
    if attribute == "style":  # table cell alignment is the only style markdown-it writes
        return value if value in ("text-align:left", "text-align:center", "text-align:right") else None
    return value


def is_safe_url(url: str) -> bool:
    """True for http, https, mailto and tel addresses (the only links partner data may carry), and for web
    addresses only without a user name or password before the host (they would be published)."""
    text = url.strip().lower()
    if not text.startswith(SAFE_SCHEMES):
        return False
    if text.startswith(("http:", "https:")):
        try:
            return "@" not in urlsplit(url.strip()).netloc
        except ValueError:
            return False
    return True


def render_markdown(text: str) -> str:
    """Markdown to HTML in time linear in the text; raw HTML stays text. Sanitise the result before use."""
    return _ENGINE.render(text)


def markdown_to_html(text: str) -> str:
    """Render partner Markdown and keep only allowlisted tags, attributes and link schemes."""
    html = render_markdown(text)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        attribute_filter=_keep_safe_links,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
