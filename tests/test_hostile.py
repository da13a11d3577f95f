"""The hostile corpus: every file is refused with a named message or accepted and rendered inert,
validation stays bounded in time and memory, and no payload runs in a real browser."""

import os
import shutil
import subprocess
import sys

import pytest

from playwright.sync_api import Error as PlaywrightError

from browser import StaticServer
from conftest import FIXTURES, ROOT, TODAY, copy_reference_data
from inert import live_code
from portal_kemitraan.core.catalog import load_catalog
from sitebuild import build, project, search_records, site_files

HOSTILE = os.path.join(FIXTURES, "hostile")
FILES = sorted(n for n in os.listdir(HOSTILE) if n.endswith(".yml"))
ACCEPTED = [n for n in FILES if not n.startswith("bad-")]
REFUSED = [n for n in FILES if n.startswith("bad-")]
EXPECTED = open(os.path.join(HOSTILE, "expected.txt"), encoding="utf-8").read().splitlines()
SVG_CLEANED = sorted(
    line.split(":", 1)[0] for line in open(os.path.join(HOSTILE, "svg", "expected.txt"), encoding="utf-8") if line.rstrip().endswith(": cleaned")
)
# Published files made from partner data: each is opened directly in the browser, not only through pages.
DATA_ASSETS = ("assets/partners/", "api/", "feed.xml", "sitemap.xml", "partners.csv")


def tree_with(tmp_path, names):
    root = copy_reference_data(str(tmp_path))
    shutil.copy(os.path.join(HOSTILE, "logos", "jahat.svg"), os.path.join(root, "logos"))
    for name in names:
        shutil.copy(os.path.join(HOSTILE, name), root)
    return root


def test_the_corpus_has_at_least_40_files_of_both_kinds():
    assert len(FILES) + 1 >= 40  # +1: the 5 MiB file made below
    assert len(ACCEPTED) >= 20 and len(REFUSED) >= 15


@pytest.mark.parametrize("name", FILES)
def test_each_file_is_refused_by_name_or_accepted(tmp_path, name):
    root = tree_with(tmp_path, [name])
    catalog = load_catalog(root, today=TODAY)
    got = catalog.report.lines(notes=False)
    if name.startswith(("bad-", "warn-")):  # refused, or accepted with warnings: the exact lines either way
        expected = [line for line in EXPECTED if line.startswith(f"partners/{name}:")]
        assert expected, f"no expected lines for {name}"
        assert got == expected
        assert catalog.report.ok == name.startswith("warn-")
    else:
        assert got == []


def test_a_5_mib_file_is_refused_fast(tmp_path):
    root = tree_with(tmp_path, [])
    with open(os.path.join(root, "besar.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: besar\ndescription: |\n" + ("  " + "x" * 1022 + "\n") * 5 * 1024)
    size = os.path.getsize(os.path.join(root, "besar.yml"))
    assert size >= 5 * 1024 * 1024
    catalog = load_catalog(root, today=TODAY)  # refused by its size before a byte is parsed (safefs.read_inside)
    assert catalog.report.lines() == [f"partners/besar.yml:1: file: file is {size:,} bytes; the limit is 1,048,576 (1 MiB)"]


def test_validating_the_whole_corpus_reports_the_worst_inputs(tmp_path):
    """One run over every hostile file plus the worst inputs just under the size limit."""
    root = tree_with(tmp_path, FILES)
    with open(os.path.join(root, "hampir-batas.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: x\ninternal: [" + ",".join(["[a, b]"] * 80_000) + "]\n")  # ~560 KB of flow lists
    with open(os.path.join(root, "kunci-banyak.yml"), "w", encoding="utf-8") as fh:
        fh.write("".join(f"k{i}: v\n" for i in range(60_000)))  # many unknown keys
    proc = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "scripts", "portal.py"), "validate", "--data", root, "--today", TODAY.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate(timeout=300)  # a hang fails the test; speed is measured by scripts/bench.py
    assert proc.returncode == 1
    assert b"Traceback" not in err
    text = out.decode("utf-8")
    assert "partners/hampir-batas.yml:2: yaml: more than 20,000 values" in text
    assert "partners/kunci-banyak.yml" in text


def test_memory_of_validating_the_corpus_stays_small(tmp_path):
    root = tree_with(tmp_path, FILES)
    # VmHWM: the peak of this process's own memory. (ru_maxrss keeps, across exec, the size of the process it
    # was forked from: a test run grown large made this fail though validation itself stayed small.)
    code = (
        "import sys, datetime;"
        "from portal_kemitraan.core.catalog import load_catalog; load_catalog(%r, today=datetime.date(2026, 12, 1));"
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
    ) % (root,)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    peak_kib = int(result.stdout.strip())
    assert peak_kib < 300 * 1024, f"peak {peak_kib / 1024:.0f} MiB"


def test_accepted_files_build_into_pages_without_live_code(hostile_site):
    for name in ACCEPTED:
        assert os.path.exists(os.path.join(hostile_site, "partners", name[:-4], "index.html")), name
    for path in site_files(hostile_site):
        if path.endswith((".html", ".xml")):
            with open(path, encoding="utf-8") as fh:
                assert live_code(fh.read()) == [], path
    assert search_records(hostile_site)  # searchable as text; the script never writes it as HTML (test_build.py)


def test_template_syntax_in_data_stays_text(hostile_site):
    with open(os.path.join(hostile_site, "partners", "name-template-syntax", "index.html"), encoding="utf-8") as fh:
        html = fh.read()
    assert "{{ 7*7 }} {% if true %}jinja{% endif %} ${7*7}" in html.replace("&#39;", "'")


@pytest.mark.browser
def test_no_payload_runs_in_chromium(hostile_site, browser):
    server = StaticServer(hostile_site)
    pages = ["", "partners/", "patterns/agency/", "embed/"] + [f"partners/{n[:-4]}/" for n in ACCEPTED]
    fired = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (fired.append(f"dialog on {page.url}: {d.message}"), d.dismiss()))
        for path in pages:
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            # fire any event handler that might have slipped through, on every element of the content
            page.evaluate(
                "document.querySelectorAll('.md-content *').forEach(e => ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']"
                ".forEach(t => e.dispatchEvent(new Event(t))))"
            )
            if page.evaluate("window.__pwned !== undefined"):
                fired.append(f"window.__pwned set on {path}")
        assets = sorted(
            os.path.relpath(path, hostile_site).replace(os.sep, "/")
            for path in site_files(hostile_site)
            if os.path.relpath(path, hostile_site).replace(os.sep, "/").startswith(DATA_ASSETS)
        )
        assert len([a for a in assets if a.endswith(".svg")]) >= len(SVG_CLEANED)
        opened, downloaded = 0, []
        for asset in assets:
            try:
                # JSON is shown as text and can run nothing: arriving is enough; documents (SVG, XML) load fully.
                page.goto(server.url + asset, wait_until="commit" if asset.endswith(".json") else "load")
            except PlaywrightError as exc:  # a file the browser downloads (CSV, gzip) is not run either
                assert "Download is starting" in str(exc), (asset, exc)
                downloaded.append(asset)
                continue
            page.wait_for_load_state("load")
            if not asset.endswith(".json"):  # a JSON file is shown as text: nothing in it can listen to events
                page.evaluate("document.querySelectorAll('*').forEach(e => ['click', 'mouseover', 'focus', 'load'].forEach(t => e.dispatchEvent(new Event(t))))")
            if page.evaluate("window.__pwned !== undefined"):
                fired.append(f"window.__pwned set by opening {asset}")
            opened += 1
        assert downloaded == ["partners.csv", "sitemap.xml.gz"] and opened == len(assets) - 2
        page.goto(server.url + "partners/")
        page.wait_for_selector(".portal-directory[data-ready=true]")
        page.fill("#f-q", "script")
        page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'script'")
        page.click(".portal-search-open")
        page.keyboard.type("script alert", delay=20)
        page.wait_for_function("document.querySelector('#portal-search-dialog').getAttribute('data-query') === 'script alert'")
        if page.evaluate("window.__pwned !== undefined"):
            fired.append("window.__pwned set by the directory or search results")
    finally:
        context.close()
        server.stop()
    assert fired == []


def test_the_live_code_finder_itself_finds_live_code():
    assert live_code('<img src=x onerror="alert(1)">') == ["<img onerror=…>"]
    assert live_code('<a href=" JavaScript:alert(1)">x</a>')
    assert live_code("<script>alert(1)</script>") == ["<script> with a payload"]
    assert live_code('<script type="application/ld+json">{"a": "</b>"}</script>')
    assert live_code("<p>&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>") == []
