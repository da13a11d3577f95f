"""Trims the indentation templates leave in built HTML, leaving <pre>, <textarea> and <code> untouched."""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<code\b.*?</code>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def strip_indentation(html: str) -> str:
    """Collapse every line break plus following blanks and indentation into one line break."""
    parts = _KEEP.split(html)
    for i in range(0, len(parts), 2):  # even items lie outside the kept elements
        parts[i] = _INDENT.sub("\n", parts[i])
    return "".join(parts)
