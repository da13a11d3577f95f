"""The search's own words: counts in the right number, and every search landmark named for a screen reader."""

from __future__ import annotations

import json
import os
import re

from portal_kemitraan.render.i18n import Locale


def test_the_count_of_results_has_its_singular():
    english, indonesian = Locale("en").theme_text(), Locale("id").theme_text()
    assert (english["{n} hasil|one"], english["{n} hasil|other"]) == ("{n} result", "{n} results")
    assert indonesian["{n} hasil|one"] == indonesian["{n} hasil|other"] == "{n} hasil"  # Indonesian has one form


def test_every_search_landmark_has_a_name_of_its_own(built_site):
    site, _ = built_site
    for rel in ("index.html", os.path.join("en", "index.html"), os.path.join("partners", "index.html")):
        page = open(os.path.join(site, rel), encoding="utf-8").read()
        forms = re.findall(r"<form[^>]*role=\"search\"[^>]*>", page)
        names = [re.search(r'aria-label="([^"]+)"', form) for form in forms]
        assert forms and all(names), (rel, forms)
        labels = [name.group(1) for name in names]
        assert len(set(labels)) == len(labels), (rel, labels)  # two unnamed or same-named landmarks confuse a screen reader
        # The header's dialog is made by the script from the edition's words: its form is named apart too.
        edition = "en" if rel.startswith("en") else ""
        with open(os.path.join(site, edition, "assets", "portal-words.js"), encoding="utf-8") as fh:
            words = json.loads(re.fullmatch(r"window\.portalWords = (\{.*\});\n", fh.read(), re.S).group(1))
        assert words["region"] and words["region"] not in labels, (rel, words["region"], labels)
        if edition:
            assert (words["hits-one"], words["hits-other"]) == ("{n} result", "{n} results")
