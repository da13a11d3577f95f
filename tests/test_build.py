"""The built site: every page and address, privacy of non-public data, escaping, and failure on bad data."""

import json
import os
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from conftest import DEMO, FIXTURES
from inert import live_code
from sitebuild import build, project, read, search_records, site_files

PUBLIC = [
    "bumdes-makmur-bersama", "cv-kopi-gayo-mandiri", "energi-nusa-peduli", "kelompok-mina-lestari",
    "kelompok-ternak-sejahtera", "koperasi-tani-sumber-rejeki", "koperasi-tebu-manis-jaya", "kursus-rajut-banua",
    "kwt-melati", "pasar-segar-nusantara", "pt-agro-pupuk-lestari", "pt-olahan-ikan-samudra", "toko-tani-berkah",
    "ud-tembakau-sindoro",
]  # fmt: skip
UNLISTED = "yayasan-usaha-mikro-sulsel"
HIDDEN = "pt-sayur-sehat-bali"
# Values from the example files that must never be published anywhere.
PRIVATE = [
    "Minta perpanjangan MoU dibahas", "Belum dihubungi", "Pameran pangan 2026", "Yohanes Bria", "6281255501234",
    "0812 5550 1234", "kenal_pengusul", "lewat penyuluh", "perpanjangan menunggu keputusan direksi", "PT Sayur Sehat Bali",
]  # fmt: skip


def text_files(site):
    for path in site_files(site):
        if path.endswith((".html", ".json", ".xml", ".csv", ".js", ".txt")) and "/assets/" not in path and "/admin/" not in path:  # admin/: tests/test_editor.py
            yield path, open(path, encoding="utf-8").read()


def test_strict_build_passes_without_warnings(built_site):
    site, result = built_site
    assert "WARNING" not in result.stderr, result.stderr
    assert "consent" not in result.stderr and "Yohanes" not in result.stderr  # notes are for validate only


def test_pages_and_addresses(built_site):
    site, _ = built_site
    for rel in ["index.html", "partners/index.html", "patterns/index.html", "guide/index.html", "join/index.html", "404.html", "guide/data/index.html"]:
        assert os.path.exists(os.path.join(site, rel)), rel
    for slug in PUBLIC + [UNLISTED]:
        assert os.path.exists(os.path.join(site, "partners", slug, "index.html")), slug
    for pid in ["agency", "operational-cooperation", "foster-parent", "general-trade"]:
        assert os.path.exists(os.path.join(site, "patterns", pid, "index.html")), pid


def test_interface_is_indonesian(built_site):
    site, _ = built_site
    assert '<html lang="id"' in read(site, "index.html")
    assert "Halaman tidak ditemukan" in read(site, "404.html")
    assert 'href="/portal-kemitraan/partners/"' in read(site, "404.html")  # absolute: the 404 page is served at any depth


def test_hidden_partner_produces_nothing(built_site):
    site, _ = built_site
    assert not os.path.exists(os.path.join(site, "partners", HIDDEN))
    for path, text in text_files(site):
        assert HIDDEN not in text, path


def test_private_values_appear_in_no_file(built_site):
    site, _ = built_site
    for path, text in text_files(site):
        for value in PRIVATE:
            assert value not in text, f"{value!r} leaked into {path}"


def test_unlisted_partner_has_a_noindex_page_and_nothing_else(built_site):
    site, _ = built_site
    page = read(site, f"partners/{UNLISTED}/index.html")
    assert '<meta name="robots" content="noindex">' in page
    for path, text in text_files(site):
        if os.path.relpath(path, site).startswith((f"partners/{UNLISTED}/", f"en/partners/{UNLISTED}/")):
            continue  # its own page, in each edition
        assert UNLISTED not in text, path
        assert "Yayasan Pemberdayaan Usaha Mikro" not in text, path


def test_directory_lists_every_public_partner_without_javascript(built_site):
    site, _ = built_site
    html = read(site, "partners/index.html")
    found = re.findall(r'<li class="portal-card" data-slug="([a-z0-9-]+)"', html)
    names = re.findall(r'<h2 class="portal-card__name"><a href="[^"]+">([^<]+)</a>', html)
    assert len(names) == len(found) and names == sorted(names, key=str.casefold)  # alphabetical by name
    assert sorted(found) == PUBLIC
    data = json.loads(read(site, "api/directory.json"))
    assert sorted(r[data["fields"].index("slug")] for r in data["rows"]) == PUBLIC


def test_partner_pages_stay_out_of_the_navigation(built_site):
    site, _ = built_site
    for page in ("index.html", "partners/kwt-melati/index.html", "guide/index.html"):
        links = re.findall(r'<a href="([^"]*)" class="md-nav__link', read(site, page))
        assert len(links) < 25, links
        assert not any(re.search(r"partners/[a-z0-9-]+/$", link) for link in links), links
        assert not any(slug in " ".join(links) for slug in PUBLIC)


def test_profile_content(built_site):
    site, _ = built_site
    html = read(site, "partners/koperasi-tani-sumber-rejeki/index.html")
    assert "<h1>Koperasi Tani Sumber Rejeki</h1>" in html
    assert '<meta name="description" content="Koperasi petani sayur' in html
    assert 'href="../../patterns/general-trade/"' in html
    assert "Ibu Rina Marlina" in html  # consented person
    assert 'href="tel:+62225550142"' in html
    assert "Segera berakhir" in html  # ends 2027-01-15, within 60 days of 2026-12-01
    assert 'aria-current="step"' in html and "Pelaksanaan" in html
    assert "Profil ini terakhir diperiksa bersama mitra pada <time datetime=\"2026-10-02\">2 Oktober 2026</time>" in html
    assert 'data-correction="koperasi-tani-sumber-rejeki"' in html
    correction = re.search(r'href="([^"]+)" data-correction', html).group(1)
    assert correction.startswith("mailto:kemitraan@example.org?subject=") and "koperasi-tani-sumber-rejeki" in correction
    assert "github.com" not in html and "/edit/" not in html  # published pages never link into the data repository
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(ld)
    assert data["@type"] == "Organization" and data["name"] == "Koperasi Tani Sumber Rejeki"
    assert data["address"]["addressRegion"] == "Jawa Barat"


def test_agreement_statuses(built_site):
    site, _ = built_site
    assert "Telah berakhir" in read(site, "partners/energi-nusa-peduli/index.html")
    assert "Berlaku</span>" in read(site, "partners/kelompok-mina-lestari/index.html")


def test_pattern_pages_explain_and_group_partners(built_site):
    site, _ = built_site
    html = read(site, "patterns/agency/index.html")
    # The two sides and the flows between them, drawn at build time: one drawing for wide screens, one for phones.
    assert html.count('<svg class="portal-diagram') == 2
    assert "hak khusus memasarkan" in html and "mermaid" not in html
    assert "Prinsipal" in html and "Agen" in html
    principal = html[html.index("<h3>Prinsipal</h3>", html.index('id="mitra"')) :]
    assert principal.index("pt-agro-pupuk-lestari") < principal.index("<h3>Agen</h3>")
    assert "github.com" not in html  # no edit link in the published site


def test_home_has_search_numbers_map_chart_recent_partners_and_call_to_action(built_site):
    site, _ = built_site
    html = read(site, "index.html")
    # A search box that goes to the directory with the words as ?cari= (Material's own search takes ?q=)
    assert re.search(r'<form class="portal-search" action="partners/" method="get" role="search"', html)
    assert '<input id="portal-home-q" name="cari" type="search"' in html
    # The stage chart is a table of every stage (no "other" bucket), its numbers in the text.
    chart = html[html.index('<table class="portal-bars">') : html.index("</table>", html.index('<table class="portal-bars">'))]
    assert chart.count("<tr>") == 11 and "Lainnya" not in chart and "<caption>Mitra menurut tahap kemitraan</caption>" in chart
    # The map: one marker per province with partners, each to the directory filtered by it; the same as a table.
    pins = re.findall(r'<li><a href="partners/\?province=([^"]+)" aria-label=', html[html.index('<ul class="portal-map__legend"'):])
    assert len(re.findall(r'<circle class="portal-map__dot"', html)) == len(pins)
    provinces = {p["province"] for p in json.loads(read(site, "api/partners.json"))["partners"]}
    assert sorted(urllib.parse.unquote_plus(p) for p in pins) == sorted(provinces)
    assert 'aria-label="Jawa Timur: 2 mitra"' in html
    table = html[html.index('<details class="portal-map__table"') :]
    assert table.count('<th scope="row">') == len(provinces)
    assert '<a class="md-button md-button--primary" href="join/">Jadi mitra</a>' in html
    recent = re.findall(r'data-slug="([a-z0-9-]+)"', html[html.index("Mitra yang baru bergabung") :])
    assert recent[:2] == ["bumdes-makmur-bersama", "kwt-melati"]
    assert "<strong>14</strong> mitra" in html


def test_every_page_links_to_joining(built_site):
    """Every page's banner (the embedded directory: its foot) has a link to the join page of its own edition,
    and that link leads to the file of that page (the navigation's own entry does not count)."""
    site, _ = built_site
    checked = 0
    for path, text in text_files(site):
        if not path.endswith(".html") or path.endswith(os.sep + "404.html"):
            continue
        rel = os.path.relpath(path, site)
        english = rel.startswith("en" + os.sep)
        words = "Become a partner" if english else "Jadi mitra"
        where = r'<p class="portal-embed__foot">' if rel in (os.path.join("embed", "index.html"), os.path.join("en", "embed", "index.html")) else r'<p class="portal-announce">'
        found = re.search(where + r'[^<]*<a href="([^"]+)"[^>]*>' + re.escape(words) + "</a>", text)
        assert found, rel
        target = os.path.normpath(os.path.join(os.path.dirname(path), found.group(1)))
        assert os.path.isfile(os.path.join(target, "index.html")), (rel, found.group(1))
        assert os.path.relpath(target, site) == (os.path.join("en", "join") if english else "join"), (rel, found.group(1))
        checked += 1
    assert checked > 30


def test_join_page_without_form_url_offers_a_mailto_form(built_site):
    site, _ = built_site
    html = read(site, "join/index.html")
    assert '<form class="portal-mailform" action="mailto:kemitraan@example.org"' in html
    assert "<iframe" not in html
    assert "5 hari kerja" in html


def test_join_page_with_form_url_embeds_it_with_a_link(built_site_with_form):
    html = read(built_site_with_form, "join/index.html")
    assert '<iframe class="portal-intake__frame" src="https://forms.example.org/kemitraan"' in html
    assert '<a href="https://forms.example.org/kemitraan" rel="noopener">' in html


def test_search_index_and_sitemap_hold_only_listed_partners(built_site):
    site, _ = built_site
    for edition in (site, os.path.join(site, "en")):
        locations = {r["url"] for r in search_records(edition)}  # from the edition's root
        for slug in PUBLIC:
            assert f"/partners/{slug}/" in locations
        assert f"/partners/{UNLISTED}/" not in locations and not any(UNLISTED in r["content"] for r in search_records(edition))
    urls = [e.text for e in ET.fromstring(read(site, "sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(u.endswith("partners/kwt-melati/") for u in urls)
    assert not any(UNLISTED in u for u in urls)


def test_invalid_data_fails_the_build_with_the_validator_messages(tmp_path):
    folder = project(str(tmp_path / "p"))
    case = os.path.join(FIXTURES, "invalid", "unknown-key")
    shutil.copy(os.path.join(case, "salah-ketik.yml"), os.path.join(folder, "partners"))
    result, site = build(folder)
    assert result.returncode != 0
    for line in open(os.path.join(case, "expected.txt"), encoding="utf-8").read().splitlines():
        assert line in result.stderr
    assert "Traceback" not in result.stderr
    assert not os.path.exists(os.path.join(site, "index.html"))


def test_hostile_text_is_inert(tmp_path):
    folder = project(str(tmp_path / "p"), with_partners=False)
    with open(os.path.join(folder, "partners", "jahat.yml"), "w", encoding="utf-8") as fh:
        fh.write(
            'name: "<script>alert(1)</script> &lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;"\n'
            "pattern: agency\nside: agent\n"
            'summary: "\\"><img src=x onerror=alert(3)>"\n'
            "region: {province: Bali, city: \"<svg onload=alert(4)>\"}\n"
            "sectors: [\"<b onmouseover=alert(5)>x</b>\"]\n"
            "description: |\n  [klik](javascript:alert(6)) <script>alert(7)</script> <img src=x onerror=alert(8)>\n"
            "  <a href=\"data:text/html,x\">d</a> [ok](https://example.org)\n"
        )
    result, site = build(folder)
    assert result.returncode == 0, result.stderr
    for path, text in text_files(site):
        if path.endswith((".html", ".xml")):
            assert live_code(text) == [], path
    # Search results are drawn from the index as text (tests/test_build.py: the script writes no HTML): the
    # hostile name is in the index as the words it is, to be found, and nothing more.
    assert any("<script>alert(1)</script>" in r["meta"]["title"] for r in search_records(site))
    page = read(site, "partners/jahat/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer ugc">ok</a>' in page


def test_serve_watches_the_data_folder():
    from types import SimpleNamespace

    from conftest import DEMO
    from portal_kemitraan.adapters.mkdocs import MkDocsAdapter
    from portal_kemitraan.core.settings import Settings

    adapter = MkDocsAdapter()
    adapter.settings = Settings(data_dir="data-mitra")
    watched = []
    server = SimpleNamespace(watch=lambda path, *a, **k: watched.append(path))
    adapter.on_serve(server, SimpleNamespace(config_file_path=os.path.join(DEMO, "mkdocs.yml")), None)
    assert watched[0] == os.path.join(DEMO, "data-mitra")


def test_prerendered_pages_are_the_ones_mkdocs_asks_for():
    """prerender() keys its pages by the URL MkDocs will give them; a mismatch would render twice."""
    from mkdocs.structure.files import File

    from portal_kemitraan.render.pages import page_url

    for uri in ("partners/kwt-melati.md", "partners/index.md", "index.md", "patterns/agency.md", "partners/page/2.md"):
        for directory_urls in (True, False):
            expected = File(uri, "docs", "site", directory_urls).url
            assert page_url(uri, directory_urls) == ("" if expected in (".", "./") else expected)  # as Page.url


def test_link_previews_carry_open_graph_tags_with_an_existing_absolute_image(built_site):
    from html.parser import HTMLParser

    class Meta(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and (a.get("property") or a.get("name", "")).startswith(("og:", "twitter:")):
                self.tags[a.get("property") or a.get("name")] = a.get("content")

    site, _ = built_site
    base = "https://example.github.io/portal-kemitraan/"
    for rel, title in (("partners/koperasi-tani-sumber-rejeki/index.html", "Koperasi Tani Sumber Rejeki"), ("index.html", "Beranda"),
                       ("en/partners/kwt-melati/index.html", "Kelompok Wanita Tani Melati")):
        parser = Meta()
        parser.feed(read(site, rel))
        tags = parser.tags
        assert tags["og:title"] == title and tags["og:description"] and tags["og:site_name"] == "Portal Kemitraan"
        assert tags["og:image"].startswith(base) and tags["twitter:card"] in ("summary", "summary_large_image")
        assert os.path.isfile(os.path.join(site, *tags["og:image"][len(base):].split("/"))), tags["og:image"]
        if "index.html" != rel:
            assert tags["og:url"] == base + rel[: -len("index.html")]
    assert parser.tags["og:locale"] == "en_US"


def test_a_build_that_fails_leaves_no_worker_behind(tmp_path, monkeypatch):
    """A build makes its search index in a forked worker beside the pages; when a page fails, the build
    stops that worker (MkDocs' on_build_error) rather than leaving it running in a long-lived process."""
    import multiprocessing

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    dest = project(str(tmp_path / "p"))
    with open(os.path.join(dest, "overrides", "partner.html"), "a", encoding="utf-8") as fh:
        fh.write('{% include "portal-no-such-part.html" %}')  # every partner page fails as it is drawn, after the worker started
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = load_config(os.path.join(dest, "mkdocs.yml"))
    before = set(multiprocessing.active_children())
    with pytest.raises(Exception, match="portal-no-such-part"):
        mkdocs_build(config)
    left = [p for p in multiprocessing.active_children() if p not in before]
    assert left == [], left
