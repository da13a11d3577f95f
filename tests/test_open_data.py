"""Open data people can use, and the partnership news: labels and absolute addresses, the workbook read back
by openpyxl, the data package validated by Frictionless, the licence, the news pages and their feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import DATA, TODAY
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.core.settings import Settings
from portal_kemitraan.render import exports, listings, pages
from sitebuild import read

BASE = "https://example.github.io/portal-kemitraan/"


def table(site, edition=""):
    with open(os.path.join(site, edition, "partners.csv"), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_carries_labels_beside_codes_and_absolute_addresses(built_site):
    site, _ = built_site
    rows = {r["slug"]: r for r in table(site)}
    k = rows["koperasi-tani-sumber-rejeki"]
    assert (k["pattern"], k["pattern_name"], k["side"], k["side_label"]) == ("general-trade", "Dagang umum", "supplier", "Pemasok")
    assert (k["stage"], k["stage_label"], k["province_id"], k["province"]) == ("implementation", "Pelaksanaan", "jawa-barat", "Jawa Barat")
    assert k["url"] == BASE + "partners/koperasi-tani-sumber-rejeki/"
    english = {r["slug"]: r for r in table(site, "en")}["koperasi-tani-sumber-rejeki"]
    assert (english["pattern_name"], english["side_label"], english["stage_label"]) == ("General trade", "Supplier", "Implementation")
    assert english["url"] == BASE + "en/partners/koperasi-tani-sumber-rejeki/"
    api = json.loads(read(site, "api/partners.json"))
    assert api["partners"][0]["address"].startswith(BASE + "partners/")


def test_the_workbook_reads_back_with_openpyxl_as_the_same_table_with_real_dates(built_site):
    from openpyxl import load_workbook

    site, _ = built_site
    book = load_workbook(os.path.join(site, "partners.xlsx"))
    sheet = book.active
    assert sheet.title == "mitra" and sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    rows = list(sheet.iter_rows(values_only=True))
    csv_rows = table(site)
    assert list(rows[0]) == list(csv_rows[0].keys())
    assert len(rows) == len(csv_rows) + 1
    header = rows[0]
    for values, expected in zip(rows[1:], csv_rows):
        for name, value in zip(header, values):
            if isinstance(value, dt.datetime):
                assert value.date().isoformat() == expected[name], name
            else:
                assert ("" if value is None else str(value)) == expected[name], name
    since = header.index("since")
    assert all(isinstance(r[since], dt.datetime) for r in rows[1:] if r[since] is not None)
    assert load_workbook(os.path.join(site, "en", "partners.xlsx")).active.title == "partners"


def test_the_data_package_is_valid_for_frictionless_and_states_the_licence(built_site):
    import frictionless

    site, _ = built_site
    for edition in ("", "en"):
        path = os.path.join(site, edition, "datapackage.json")
        report = frictionless.validate(path)
        assert report.valid, report.flatten(["type", "message"])
        package = json.loads(open(path, encoding="utf-8").read())
        assert package["licenses"] == [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0 International"}]
        fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
        assert fields == list(table(site, edition)[0].keys())
    assert json.loads(read(site, "api/partners.json"))["licence"]["id"] == "CC-BY-4.0"
    data_page = read(site, "guide/data/index.html")
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">Creative Commons Attribution 4.0 International</a>' in data_page


def test_the_licence_is_configurable():
    settings = Settings.from_extra({"portal": {"data_licence": {"id": "CC0-1.0", "title": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}}})
    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY)
    out = exports.files(site, BASE, "Portal", "id", settings.licence.model_dump())
    assert json.loads(out["api/partners.json"])["licence"]["id"] == "CC0-1.0"
    assert json.loads(out["datapackage.json"])["licenses"][0]["name"] == "CC0-1.0"


# -- the partnership news -----------------------------------------------------------------------------------


def test_news_page_lists_activities_newest_first_each_linking_to_its_partner(built_site):
    site, _ = built_site
    html = read(site, "kabar/index.html")
    dates = re.findall(r'<p class="portal-news__date"><time datetime="([0-9-]+)">', html)
    activities = json.loads(read(site, "api/activities.json"))
    assert len(dates) == min(20, len(activities["rows"])) and dates == sorted(dates, reverse=True)
    first = activities["rows"][0]
    assert f'<a href="../{first[5]}">{first[4]}</a>' in html
    assert "Kabar kemitraan" in html and 'href="../kabar.xml"' in html
    home = read(site, "index.html")
    assert home.count('class="portal-news__item"') == 3 and 'href="kabar/"' in home
    assert "Partnership news" in read(site, "en/kabar/index.html")


def test_news_is_paginated_without_javascript(monkeypatch):
    monkeypatch.setattr(listings, "NEWS_PAGE", 2)
    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY)
    plan = pages.SitePlan(site, Settings())
    news = [uri for uri, page in plan.pages.items() if page.kind == "news"]
    total = len(site.activities())
    assert len(news) == (total + 1) // 2 and news[1] == "kabar/page/2.md"
    second = plan.render("kabar/page/2.md", "kabar/page/2/")
    assert '<span aria-current="page">2</span>' in second and '<a href="../../../kabar/">1</a>' in second
    assert plan.pages["kabar/page/2.md"].meta["search"] == {"exclude": True}


@pytest.mark.parametrize("count", [2, 3, 6, 9, 444, 5000])
def test_a_list_page_links_the_first_and_last_pages_and_two_either_side_whatever_its_length(count):
    """The news' and the directory's pages link each other by number: never every page (that grew with the
    square of the partners), but the first, the last and two either side of the page, a gap marked between."""
    plan = pages.SitePlan(build_public_site(load_catalog(DATA, today=TODAY), TODAY), Settings())
    macro = plan.templates.from_string('{% import "_macros.html.j2" as m %}{{ m.page_links("../kabar/", n, count, "Halaman kabar") }}')
    for n in sorted({1, 2, 3, 4, count // 2, count - 2, count - 1, count} & set(range(1, count + 1))):
        html = macro.render(n=n, count=count)
        assert html.count('<nav class="portal-pages" aria-label="Halaman kabar">') == 1
        assert re.findall(r'<span aria-current="page">(\d+)</span>', html) == [str(n)]
        links = re.findall(r'<a href="([^"]+)">(\d+)</a>', html)
        assert all(href == "../kabar/" + ("" if k == "1" else f"page/{k}/") for href, k in links)
        expected = sorted({1, count} | set(range(max(1, n - 2), min(count, n + 2) + 1)))
        shown = [int(k) for k in re.findall(r">(\d+)</(?:a|span)>", html)]
        assert shown == expected and len(shown) <= 7
        gaps = sum(1 for a, b in zip(expected, expected[1:]) if b > a + 1)
        assert html.count('<span class="portal-pages__gap" aria-hidden="true">…</span>') == gaps


def test_news_feed_is_atom_with_the_newest_activities(built_site):
    site, _ = built_site
    root = ET.fromstring(read(site, "kabar.xml").encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert entries and root.find("a:title", ns).text == "Portal Kemitraan: kabar kemitraan"
    published = [e.find("a:published", ns).text for e in entries]
    assert published == sorted(published, reverse=True)
    assert all(e.find("a:link", ns).get("href").startswith(BASE + "partners/") for e in entries)
    assert len({e.find("a:id", ns).text for e in entries}) == len(entries)
    assert 'href="kabar.xml"' in read(site, "index.html")  # announced in every page's head


def test_a_future_activity_is_upcoming_until_its_day_then_news(tmp_path):
    """`new-activity --date` in the future: an agenda item ("Akan datang") on the news page, not news, not in
    the feed or the home page's latest; a build on or after its day moves it to the news."""
    import datetime as dt

    from conftest import copy_reference_data
    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.core.settings import Settings
    from portal_kemitraan.render.site import Edition, render_site
    from test_trust_commands import run

    root = copy_reference_data(str(tmp_path), with_partners=True)
    code, out, err = run("new-activity", "kwt-melati", "Pameran jamu di Sleman", "--date", "2027-05-01", "--today", "2026-12-01", "--data", root)
    assert code == 0, out + err

    def files_on(day):
        site = build_public_site(load_catalog(root, today=day), day, parallel=False)
        return {f.path: f.content() for f in render_site(site, Settings.from_extra({}), Edition("id", "https://contoh.example/", "Portal"), parallel=False)}

    before = files_on(dt.date(2026, 12, 1))
    news = before["kabar/index.md"]
    agenda = news[news.index('<section class="portal-agenda"'):news.index("</section>")]
    assert "Akan datang" in agenda and "Pameran jamu di Sleman" in agenda
    assert news.count("Pameran jamu di Sleman") == 1  # in the agenda only
    assert "Pameran jamu di Sleman" not in before["kabar.xml"] and "Pameran jamu di Sleman" not in before["api/activities.json"]
    after = files_on(dt.date(2027, 5, 1))
    news = after["kabar/index.md"]
    assert 'class="portal-agenda"' not in news
    first = news.index('<li class="portal-news__item"')
    assert "Pameran jamu di Sleman" in news[first:news.index("</li>", first)]  # the newest news now
    assert "Pameran jamu di Sleman" in after["kabar.xml"] and "Pameran jamu di Sleman" in after["api/activities.json"]
