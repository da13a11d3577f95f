"""Finds live code in built files: event-handler attributes, scripts with payloads, script-scheme links."""

from __future__ import annotations

import json
from html.parser import HTMLParser

BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                if value.strip().lower().startswith(BAD_SCHEMES) and not (tag == "img" and value.startswith("data:image/svg")):
                    self.found.append(f"<{tag} {name}={value[:30]}>")
        self.in_script = tag == "script"
        self.script_type = dict(attrs).get("type", "") if self.in_script else ""

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if not self.in_script:
            return
        if self.script_type == "application/ld+json":
            json.loads(data)  # data, not code: it must parse, and hold no raw '<' that could close the element
            if "<" in data:
                self.found.append("<script type=application/ld+json> with a raw '<'")
        elif "alert(" in data:
            self.found.append("<script> with a payload")


def live_code(html: str) -> list[str]:
    """Everything in an HTML text that a browser would run or follow as script."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def live_code_in_search_index(text: str) -> list[str]:
    """Material's search shows titles and text as HTML, so each must be inert too."""
    found = []
    for doc in json.loads(text)["docs"]:
        found += live_code(doc.get("title", "")) + live_code(doc.get("text", ""))
    return found
