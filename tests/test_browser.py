"""The site in a real Chromium: directory filters and the address, search, profile, join page,
console errors, phone layout, accessibility (axe-core), and screenshots for a person to look at."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser import StaticServer, offline_routes
from conftest import ROOT

pytestmark = pytest.mark.browser
ARTIFACTS = os.path.join(ROOT, "test-artifacts", "screenshots")
PAGES = {
    "home": "",
    "directory": "partners/",
    "profile": "partners/koperasi-tani-sumber-rejeki/",
    "pattern": "patterns/operational-cooperation/",
    "join": "join/",
}


@pytest.fixture(scope="session", params=["mkdocs", "english", "zensical"])
def server(request):
    """The site as each build makes it: MkDocs with the hook (the default), its English edition at /en/,
    and Zensical from `portal render`. The tests address pages relative to the edition's root."""
    site = request.getfixturevalue("zensical_site") if request.param == "zensical" else request.getfixturevalue("built_site")[0]
    srv = StaticServer(site)
    yield srv.url + ("en/" if request.param == "english" else "")
    srv.stop()


@pytest.fixture
def says(request):
    """The words a person sees, in the language of the edition under test: says(indonesian, english)."""
    english = "server" in request.fixturenames and request.node.callspec.params.get("server") == "english"
    return lambda indonesian, in_english: in_english if english else indonesian


@pytest.fixture
def shot(request):
    """A screenshot path for this test's page, named by the build it comes from."""
    build = request.node.callspec.params.get("server", "mkdocs")

    def path(name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        return os.path.join(ARTIFACTS, f"{build}-{name}.png")

    return path


@pytest.fixture(scope="session")
def form_server(built_site_with_form):
    srv = StaticServer(built_site_with_form)
    yield srv.url
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    offline_routes(context)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: pg.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    yield pg
    context.close()


def cards(page):
    return page.locator(".portal-cards > li.portal-card")


def wait_directory(page):
    page.wait_for_selector(".portal-directory[data-ready=true]")


def settle(page):
    """Wait until the page is as a person sees it: loaded and the directory drawn (diagrams are inline SVG).
    (Cheaper than waiting for the network to be idle, which costs half a second on every page.)"""
    page.wait_for_load_state("load")
    page.wait_for_function("!document.querySelector('.portal-directory') || document.querySelector('.portal-directory[data-ready=true]')")


def test_directory_filters_narrow_the_list_and_the_address_restores_them(page, server, says):
    page.goto(server + "partners/")
    wait_directory(page)
    expect(cards(page)).to_have_count(14)
    page.select_option("#f-pattern", "general-trade")
    expect(cards(page)).to_have_count(4)
    assert "pattern=general-trade" in page.url
    expect(page.locator(".portal-count")).to_have_text(says("4 dari 14 mitra cocok dengan saringan.", "4 of 14 partners match the filters."))
    page.select_option("#f-side", "supplier")
    expect(cards(page)).to_have_count(3)
    assert "side=supplier" in page.url
    page.fill("#f-q", "koperasi")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Koperasi Tani Sumber Rejeki")
    page.wait_for_function("location.search.includes('q=koperasi')")
    # Back undoes the search, then the side filter
    page.go_back()
    page.wait_for_function("!location.search.includes('q=')")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 3")
    assert page.input_value("#f-q") == ""
    page.go_back()
    page.wait_for_function("!location.search.includes('side=')")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 4")
    assert page.input_value("#f-side") == ""
    # a bookmarked or shared address restores the same view
    other = page.context.new_page()
    other.goto(server + "partners/?pattern=general-trade&side=supplier&q=koperasi")
    wait_directory(other)
    expect(cards(other)).to_have_count(1)
    assert other.input_value("#f-q") == "koperasi" and other.input_value("#f-pattern") == "general-trade"
    assert page.console_errors == []


def shown(locator) -> bool:
    """What a person sees: the element is rendered and not hidden by any style rule."""
    return locator.is_visible() and locator.evaluate("e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'")


def test_show_more_appears_only_when_there_is_more_and_shows_it(page, small_pages_site):
    srv = StaticServer(small_pages_site)
    try:
        page.goto(srv.url + "partners/")
        wait_directory(page)
        more = page.locator(".portal-more")
        expect(cards(page)).to_have_count(6)
        assert shown(more)
        more.click()
        expect(cards(page)).to_have_count(12)
        assert shown(more)
        more.click()
        expect(cards(page)).to_have_count(14)
        assert not shown(more)
        page.select_option("#f-pattern", "general-trade")  # 4 partners: one screen, no button
        expect(cards(page)).to_have_count(4)
        assert not shown(more)
    finally:
        srv.stop()


def test_show_more_is_not_shown_when_everything_fits(page, server):
    page.goto(server + "partners/")
    wait_directory(page)
    expect(cards(page)).to_have_count(14)
    assert not shown(page.locator(".portal-more")) and not shown(page.locator(".portal-empty"))


def test_options_that_would_show_nothing_are_disabled_and_a_stale_side_is_dropped(page, server):
    page.goto(server + "partners/?province=Jawa+Tengah")
    wait_directory(page)
    assert page.locator("#f-pattern option[value='agency']").is_disabled()
    assert not page.locator("#f-pattern option[value='operational-cooperation']").is_disabled()
    page.goto(server + "partners/")
    wait_directory(page)
    page.select_option("#f-pattern", "general-trade")
    page.select_option("#f-side", "supplier")
    expect(cards(page)).to_have_count(3)
    page.select_option("#f-pattern", "foster-parent")
    assert page.input_value("#f-side") == ""
    expect(cards(page)).to_have_count(page.evaluate("document.querySelectorAll('.portal-cards > li').length"))
    assert "side=" not in page.url and cards(page).count() > 0


def test_directory_counts_follow_the_filters(page, server):
    page.goto(server + "partners/?province=Jawa+Tengah")
    wait_directory(page)
    expect(cards(page)).to_have_count(3)
    assert page.locator("#f-pattern option[value='operational-cooperation']").text_content().endswith("(3)")
    assert page.locator("#f-pattern option[value='agency']").text_content().endswith("(0)")
    page.fill("#f-q", "tidak ada yang seperti ini")
    expect(page.locator(".portal-empty")).to_be_visible()


def test_directory_without_javascript_is_the_full_list(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "partners/")
    expect(cards(page)).to_have_count(14)
    expect(page.locator(".portal-filters")).to_be_hidden()
    context.close()


def test_search_finds_a_partner_by_name(page, server, request):
    if request.node.callspec.params["server"] == "zensical":
        pytest.skip("Zensical 0.0.73 has its own search interface (README: Engines); its index is checked in test_render.py")
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type("Mina Lestari", delay=30)
    result = page.locator(".md-search-result__item", has_text="Kelompok Pembudidaya Ikan Mina Lestari").first
    expect(result).to_be_visible(timeout=15000)
    assert page.console_errors == []


def test_profile_shows_the_correction_link_with_the_slug(page, server, says):
    page.goto(server + PAGES["profile"])
    link = page.get_by_role("link", name=re.compile(says("Ajukan koreksi", "Ask for a correction")))
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert "koperasi-tani-sumber-rejeki" in href and href.startswith("mailto:")
    assert page.console_errors == []


def test_join_page_has_the_form_iframe_and_a_plain_link(page, form_server):
    page.goto(form_server + "join/")
    frame = page.locator("iframe.portal-intake__frame")
    expect(frame).to_have_attribute("src", "https://forms.example.org/kemitraan")
    expect(page.get_by_role("link", name=re.compile("Buka formulir pengajuan"))).to_have_attribute("href", "https://forms.example.org/kemitraan")
    expect(page.frame_locator("iframe.portal-intake__frame").locator("h1")).to_have_text("Formulir kemitraan (contoh)")


def test_join_page_without_form_composes_an_email(page, server, says):
    page.goto(server + "join/")
    form = page.locator("form.portal-mailform")
    expect(form).to_have_attribute("action", "mailto:kemitraan@example.org")
    page.fill("#j-name", "Koperasi Maju Jaya")
    page.fill("#j-person", "Dewi, sekretaris")
    page.fill("#j-email", "dewi@example.org")
    page.fill("#j-phone", "0812 3456 7890")
    page.select_option("#j-province", "Jawa Timur")
    assert page.locator("#j-province option").count() == 39  # a choice of the 38 provinces
    page.select_option("#j-pattern", "general-trade")
    page.fill("#j-offer", "Pasokan sayur, 2 ton per minggu")
    page.click("form.portal-mailform button[type=submit]")
    page.wait_for_function("document.querySelector('form.portal-mailform').hasAttribute('data-mailto')")
    href = form.get_attribute("data-mailto")
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(href)
    assert parts.scheme == "mailto" and unquote(parts.path) == "kemitraan@example.org"
    query = parse_qs(parts.query)
    assert query["subject"] == [says("Pengajuan kemitraan", "Partnership application") + ": Koperasi Maju Jaya"]
    assert says("Pola yang diminati:\nDagang umum", "Pattern of interest:\nGeneral trade") in query["body"][0]
    assert "Pasokan sayur, 2 ton per minggu" in query["body"][0]
    assert says("Telepon atau WhatsApp:\n0812 3456 7890", "Phone or WhatsApp:\n0812 3456 7890") in query["body"][0]
    assert says("Provinsi:\nJawa Timur", "Province:\nJawa Timur") in query["body"][0] and "*" not in query["body"][0]


# Console errors are checked on the two MkDocs editions; the Zensical build runs the functional and
# accessibility tests (a documented subset, to keep the suite within two minutes).
MKDOCS_EDITIONS = pytest.mark.parametrize("server", ["mkdocs", "english"], indirect=True)


@MKDOCS_EDITIONS
@pytest.mark.parametrize("name", list(PAGES) + ["guide", "patterns", "404", "unlisted"])
def test_no_console_errors(page, server, name):
    path = {"guide": "guide/", "patterns": "patterns/", "404": "tidak-ada/", "unlisted": "partners/yayasan-usaha-mikro-sulsel/"}.get(name, PAGES.get(name))
    page.goto(server + path)
    settle(page)
    errors = [e for e in page.console_errors if not (name == "404" and "404" in e)]
    assert errors == []


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility_has_no_violations_in_either_scheme_or_size(page, server, name, shot, request):
    """axe-core finds nothing, of any impact, in light and dark, on a desktop and a phone screen, and the
    page never scrolls sideways. Screenshots of each combination are written for a person to look at."""
    build = request.node.callspec.params["server"]
    zensical = build == "zensical"
    # Every combination on the Indonesian MkDocs build; the other builds share its stylesheet and markup,
    # so they are checked in light on the desktop and dark on the phone (Zensical: the desktop only).
    combinations = {1280: ("light", "dark"), 390: ("light", "dark")} if build == "mkdocs" else {1280: ("light",), 390: () if zensical else ("dark",)}
    # Colours are measured as they end up: no fading between schemes, so no waiting for it.
    page.add_init_script("addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML('beforeend',"
                         " '<style>*, *::before, *::after { transition: none !important; animation: none !important; }</style>'))")
    page.goto(server + PAGES[name])
    settle(page)
    bad = []
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            bad.append(f"{width}px: the page scrolls sideways by {overflow}px")
        for scheme in combinations[width]:
            page.emulate_media(color_scheme=scheme)
            results = Axe().run(page)
            bad += [
                f"{width}px {scheme}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"]
            ]
            if not zensical:
                page.screenshot(path=shot(f"{name}-{width}-{scheme}"), full_page=width < 400)
    assert bad == [], "\n".join(bad)


def test_embed_takes_filters_from_its_address_and_can_hide_them(page, server):
    page.goto(server + "embed/?pattern=foster-parent&province=Nusa+Tenggara+Timur&controls=0")
    wait_directory(page)
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Kelompok Ternak Kambing Sejahtera")
    expect(page.locator(".portal-filters")).to_be_hidden()
    assert cards(page).first.locator("a").first.get_attribute("target") == "_blank"
    expect(page.locator("header.md-header")).to_be_hidden()
    expect(page.locator("footer.md-footer")).to_be_hidden()
    assert page.console_errors == []


def test_language_switch_leads_to_the_same_page_in_the_other_edition(page, server, says, request):
    if request.node.callspec.params["server"] == "zensical":
        pytest.skip("the Zensical path renders the Indonesian edition only (README: Engines)")
    page.goto(server + PAGES["profile"])
    switch = page.locator(".md-header__option .md-select button")
    expect(switch).to_be_visible()
    switch.hover()
    other = page.get_by_role("link", name=says("English", "Bahasa Indonesia"))
    expect(other).to_be_visible()
    other.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(("en/" if says("id", "en") == "id" else "") + PAGES["profile"]) and "/en/en/" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", says("en", "id"))
    expect(page.locator("h1")).to_have_text("Koperasi Tani Sumber Rejeki")
    expect(page.get_by_role("link", name=re.compile(says("Ask for a correction", "Ajukan koreksi")))).to_be_visible()


def test_embed_builder_makes_the_iframe_code(page, server):
    page.goto(server + "guide/embed/")
    page.select_option("#e-pattern", "foster-parent")
    page.select_option("#e-controls", "0")
    page.fill("#e-height", "600")
    code = page.input_value("#e-code")
    assert code.startswith('<iframe src="' + server + "embed/?pattern=foster-parent&amp;controls=0")
    assert 'height="600"' in code
    expect(page.locator("iframe.portal-embed-preview")).to_have_attribute("src", server + "embed/?pattern=foster-parent&controls=0")
