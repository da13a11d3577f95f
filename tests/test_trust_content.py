"""Untrusted content: linear-time Markdown, free-text privacy, the public projection as the only thing
templates and exports see, outputs written by real serialisers, and front matter that cannot be lost."""

import csv
import dataclasses
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from conftest import TODAY, copy_reference_data
from portal_kemitraan.render import exports
from portal_kemitraan.core.catalog import Catalog, PartnerRecord, load_catalog
from portal_kemitraan.core.models import Partner
from portal_kemitraan.render.pages import Generated, SitePlan
from portal_kemitraan.core.public import PublicSite, build_public_site
from portal_kemitraan.core.sanitize import markdown_to_html
from portal_kemitraan.core.settings import Settings
from sitebuild import site_files

MAX_DESCRIPTION = 20_000


# --- Markdown in linear time ------------------------------------------------------------------------

PATHOLOGICAL = {
    "open brackets": "[" * MAX_DESCRIPTION,
    "link openers": "[a](" * (MAX_DESCRIPTION // 4),
    "nested links": "[" * 5000 + "a" + "](b)" * 3750,
    "emphasis runs": "*a" * (MAX_DESCRIPTION // 2),
    "strong openers": "**" * (MAX_DESCRIPTION // 2),
    "mixed delimiters": "*_" * (MAX_DESCRIPTION // 2),
    "nested quotes": "> " * (MAX_DESCRIPTION // 2),
    "nested lists": "".join("  " * i + "- a\n" for i in range(150)),
    "list markers": "- " * (MAX_DESCRIPTION // 2),
    "ordered lists": "1. " * (MAX_DESCRIPTION // 3),
    "backticks": "`" * MAX_DESCRIPTION,
    "backtick runs": "".join("`" * i + "a" for i in range(1, 190)),
    "angle brackets": "<" * MAX_DESCRIPTION,
    "autolink-like": "<a" * (MAX_DESCRIPTION // 2),
    "entities": "&#" * (MAX_DESCRIPTION // 2),
    "table pipes": ("|a" * 100 + "|\n") + ("|-" * 100 + "|\n") + ("|" * 200 + "\n") * 90,
    "link reference definitions": "[a]: <" * (MAX_DESCRIPTION // 6),
    "underscores": "_" * MAX_DESCRIPTION,
}


def _calls(render, text: str) -> int:
    """How many Python function calls rendering `text` takes: a count of work that, unlike a clock, does not
    depend on how busy the machine is (the C parts, nh3 and the regex engine, are linear by construction)."""
    import sys

    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        render(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_costs_linear_work_up_to_the_maximum_length(name):
    """Doubling a pathological input at most doubles the work (a quadratic engine quadruples it), measured
    in function calls rather than seconds; and the input at the maximum length renders."""
    text = PATHOLOGICAL[name][:MAX_DESCRIPTION]
    markdown_to_html(text)
    quarter, half = _calls(markdown_to_html, text[: len(text) // 4]), _calls(markdown_to_html, text[: len(text) // 2])
    assert half <= 2.6 * quarter + 200, (name, quarter, half)


def test_the_linear_work_measure_would_see_a_quadratic_engine():
    """The measure is not vacuous: a renderer that rescans the text for every character is caught by it."""

    text = "[" * 200

    def quadratic_python(text):
        def step(j):
            return j

        for i in range(len(text)):
            for j in range(i):
                step(j)

    quarter, half = _calls(quadratic_python, text[:100]), _calls(quadratic_python, text[:200])
    assert half > 2.6 * quarter + 200


def test_raw_html_in_markdown_stays_text_and_links_keep_only_safe_schemes():
    html = markdown_to_html('<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://contoh.id) <b onclick="x">t</b>')
    assert "<img" not in html and "onerror=alert" in html.replace("&lt;img src=x ", "")  # shown as text
    assert 'href="https://contoh.id"' in html and "javascript:" not in html.split("href")[-1]
    assert "<b " not in html


# --- free-text privacy ------------------------------------------------------------------------------


def test_an_unconsented_person_named_in_public_text_is_a_warning_with_its_line(tmp_path):
    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "mitra-cerita.yml"), "w", encoding="utf-8") as fh:
        fh.write(
            "name: Mitra Cerita\npattern: agency\nside: agent\n"
            "summary: Dipimpin oleh ibu SITI   aminah sejak lama.\n"
            "region: {province: Bali}\n"
            "description: |\n  Hubungi kami.\n\n  Surel: siti.aminah@contoh.id\n"
            "activities:\n  - title: Pelatihan\n    summary: Telepon +62 812-3456-7890 untuk daftar.\n"
            "  - title: Siti Aminahwati bukan orang yang sama\n"
            "contact:\n  person: {name: Siti Aminah, email: siti.aminah@contoh.id, phone: '0812 3456 7890'}\n"
        )
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok  # a warning does not stop the build
    assert [str(p) for p in catalog.report.warnings] == [
        "partners/mitra-cerita.yml:4: summary: warning: mentions the name of contact.person, who has not consented to be shown; remove it or record consent",
        "partners/mitra-cerita.yml:6: description: warning: mentions the e-mail address of contact.person, who has not consented to be shown; remove it or record consent",
        "partners/mitra-cerita.yml:12: activities[0].summary: warning: mentions the phone number of contact.person, who has not consented to be shown; remove it or record consent",
    ]


# --- the public projection is the only thing templates and exports see --------------------------------

S = "ZQXPRIVATE"
SENTINEL_PARTNER = f"""name: Mitra Sentinel
pattern: general-trade
side: supplier
summary: Ringkasan publik.
region: {{province: Bali, city: Denpasar}}
contact:
  email: publik@contoh.id
  person: {{name: {S} Orang, role: {S}-peran, email: {S.lower()}@contoh.id, phone: "0899 1234 5678"}}
since: 2026-01-01
internal:
  owner: {S}-owner
  screening: {{jawaban: {S}-screening}}
"""


def _sentinel_site(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, "mitra-sentinel.yml"), "w", encoding="utf-8") as fh:
        fh.write(SENTINEL_PARTNER)
    for slug, visibility in (("mitra-tersembunyi", "hidden"), ("mitra-unlisted", "unlisted")):
        with open(os.path.join(root, f"{slug}.yml"), "w", encoding="utf-8") as fh:
            fh.write(SENTINEL_PARTNER.replace("Mitra Sentinel", f"ZQX{visibility.upper()}").replace("since: 2026-01-01", f"visibility: {visibility}"))
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    return build_public_site(catalog, TODAY)


def _reachable(value, seen=None):
    """Every object reachable from a value through dataclass fields, models, mappings and sequences."""
    seen = set() if seen is None else seen
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, (str, bytes, int, float, bool, type(None))):
            continue
        seen.add(id(item))
        yield item
        if dataclasses.is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)


def test_nothing_reachable_from_the_public_site_leads_back_to_the_catalog(tmp_path):
    site = _sentinel_site(tmp_path)
    kinds = {type(x) for x in _reachable(site)}
    assert not kinds & {Catalog, PartnerRecord, Partner}, kinds
    assert not any(S in repr(x) for x in _reachable(site) if isinstance(x, dict) and "slug" in x and x.get("listed"))
    assert {p.slug for p in site.pages} >= {"mitra-sentinel", "mitra-unlisted"}
    assert "mitra-tersembunyi" not in {p.slug for p in site.pages}


def _zip_text(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_every_template_and_export_rendered_from_sentinel_data_holds_no_private_value(tmp_path):
    site = _sentinel_site(tmp_path)
    plan = SitePlan(site, Settings())
    outputs = {}
    for src_uri, page in plan.pages.items():
        outputs[src_uri] = page.markdown() + plan.render(src_uri, src_uri[:-3] + "/")
    for block in sorted(n[: -len(".html.j2")] for n in os.listdir(os.path.join(os.path.dirname(exports.__file__), "templates", "blocks"))):
        outputs[f"block {block}"] = plan.block(block, "")
    for name, content in exports.files(site, "https://contoh.id/", "Portal").items():
        outputs[name] = content if isinstance(content, str) else _zip_text(content)  # the workbook: its XML parts
    assert len(outputs) > 40
    leaks = sorted(name for name, text in outputs.items() if S in text or S.lower() in text or "0899 1234 5678" in text or "+628991234" in text)
    assert leaks == []
    assert [name for name, text in outputs.items() if "ZQXHIDDEN" in text] == []
    assert [name for name, text in outputs.items() if "ZQXUNLISTED" in text] == ["partners/mitra-unlisted.md"]  # its own page only


# --- outputs are written by real serialisers and parse back ----------------------------------------------


def test_every_structured_file_of_the_hostile_site_parses_back(hostile_site):
    counts = {"json": 0, "xml": 0, "csv": 0, "svg": 0}
    for path in site_files(hostile_site):
        ext = path.rsplit(".", 1)[-1]
        if ext not in counts:
            continue
        with open(path, "rb") as fh:
            data = fh.read()
        if ext == "json":
            json.loads(data.decode("utf-8"))
        elif ext in ("xml", "svg"):
            ET.fromstring(data)
        else:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True))
            assert len({len(r) for r in rows}) == 1, path
        counts[ext] += 1
    assert counts["json"] > 20 and counts["xml"] >= 2 and counts["csv"] == 1 and counts["svg"] >= 10, counts


def test_the_feed_escapes_what_a_template_would_not(tmp_path):
    site = _sentinel_site(tmp_path)
    hostile = dataclasses.replace(site.listed[0], name="A & B </title><script>x</script> ]]>", summary="<b>\"'", since="2026-11-30")
    feed = exports.atom_feed(dataclasses.replace(site, listed=(hostile,)), "https://contoh.id/", "Portal & <co>")
    root = ET.fromstring(feed.encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == "Portal & <co>: mitra baru"
    assert root.find("a:entry/a:title", ns).text == hostile.name
    assert root.find("a:entry/a:summary", ns).text == "<b>\"'"


# --- generated front matter cannot be lost silently -------------------------------------------------


def test_a_generated_page_whose_front_matter_mkdocs_dropped_stops_the_build():
    from mkdocs.exceptions import PluginError

    from portal_kemitraan.adapters.mkdocs import MkDocsAdapter

    page_meta = {"title": "X", "template": "partner.html", "robots": "noindex", "search": {"exclude": True}}
    adapter = MkDocsAdapter()
    adapter.rendered = SimpleNamespace(pages={"partners/x.md": Generated("partners/x.md", page_meta, "partner", "x")})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="partners/x.md"), meta={}, edit_url=None)
    with pytest.raises(PluginError, match=r"partners/x.md: MkDocs lost the generated front matter \(robots, search, template, title\)"):
        adapter.on_page_markdown("", page, SimpleNamespace(repo_url=None, edit_uri=None), None)
    page.meta = dict(page_meta)
    assert adapter.on_page_markdown("", page, SimpleNamespace(repo_url=None, edit_uri=None), None) == ""


# --- the published site never links into the repository -------------------------------------------------


def test_edit_links_only_in_a_preview_build(tmp_path, built_site):
    """A preview build (PORTAL_PREVIEW=1) links each profile to its file in the repository; the session's
    build of the same project, both editions, links nowhere into it."""
    from sitebuild import EPOCH, project
    from conftest import build_site

    folder = project(str(tmp_path / "p"))
    result = build_site(folder, env={"SOURCE_DATE_EPOCH": EPOCH, "PORTAL_PREVIEW": "1"})
    assert result.returncode == 0, result.stderr
    with open(os.path.join(folder, "site", "partners", "kwt-melati", "index.html"), encoding="utf-8") as fh:
        html = fh.read()
    assert 'href="https://github.com/example/portal-kemitraan/edit/main/partners/kwt-melati.yml"' in html
    assert os.environ.get("PORTAL_PREVIEW", "") == ""  # the session's build is not a preview
    repo = re.compile(r"github\.com/example|/edit/main/")
    pages = [p for p in site_files(built_site[0]) if p.endswith((".html", ".xml", ".json"))]
    assert any(os.sep + "en" + os.sep in p for p in pages)
    texts = {p: open(p, encoding="utf-8").read() for p in pages}
    assert [p for p, text in texts.items() if repo.search(text)] == []
    # Only the live preview's search reads a fresh index (tests/test_preview.py): no build names one.
    assert "portal-fresh-search" not in html and [p for p, text in texts.items() if "portal-fresh-search" in text] == []
    assert not any(os.path.exists(os.path.join(root, "pagefind-fresh")) for root in (built_site[0], os.path.join(folder, "site")))
