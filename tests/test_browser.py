"""The site in a real Chromium: directory filters and the address, search, profile, join page,
console errors, phone layout, accessibility (axe-core), and screenshots for a person to look at."""

import json
import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser import StaticServer, stub_outside
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


# The directory, news, embed, map and join behaviours are the site's own script over the generated pages,
# the same bytes on every engine: they run on the two MkDocs editions. The Zensical build runs the
# page matrix below, the header search, the theme's controls, the layout and the language switch.
PORTAL_JS = pytest.mark.parametrize("server", ["mkdocs", "english"], indirect=True)


@pytest.fixture(scope="session")
def served():
    """One server per built folder for the whole session, started when first asked for: served(folder)."""
    servers: dict[str, StaticServer] = {}

    def url(folder: str) -> str:
        if folder not in servers:
            servers[folder] = StaticServer(folder)
        return servers[folder].url

    yield url
    for srv in servers.values():
        srv.stop()


def build_url(request, served, build: str) -> str:
    """The address of a build's edition: MkDocs with the hook, its English edition at /en/, or Zensical
    from `portal render` (the tests address pages relative to it)."""
    site = request.getfixturevalue("zensical_site") if build == "zensical" else request.getfixturevalue("built_site")[0]
    return served(site) + ("en/" if build == "english" else "")


@pytest.fixture(scope="session", params=["mkdocs", "english", "zensical"])
def server(request, served):
    """Each build's site, for the tests that run on several (PORTAL_JS: the two MkDocs editions)."""
    return build_url(request, served, request.param)


@pytest.fixture
def says(request):
    """The words a person sees, in the language of the edition under test: says(indonesian, english)."""
    english = "server" in request.fixturenames and request.node.callspec.params.get("server") == "english"
    return lambda indonesian, in_english: in_english if english else indonesian


@pytest.fixture
def shot(request):
    """A screenshot path for this test's page, named by the build it comes from."""
    params = request.node.callspec.params
    build = params.get("server", params.get("build", "mkdocs"))

    def path(name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        return os.path.join(ARTIFACTS, f"{build}-{name}.png")

    return path


@pytest.fixture(scope="session")
def form_server(built_site_with_form, served):
    return served(built_site_with_form)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
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
    # The 404 page served away from its configured path re-points its styles after the load event (it says
    # when it has decided, on <html data-site-root>); then every stylesheet must have arrived: until they
    # do, Material's hidden toggles are shown as bare checkboxes.
    page.wait_for_function("!document.querySelector('script[data-portal-404]') || document.documentElement.hasAttribute('data-site-root')")
    page.wait_for_function("Array.prototype.every.call(document.querySelectorAll('link[rel=stylesheet]'), function (l) { return l.sheet && l.sheet.href === l.href; })")
    page.wait_for_function("!document.querySelector('.portal-directory') || document.querySelector('.portal-directory[data-ready=true]')")


@PORTAL_JS
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
    page.wait_for_function("location.search.includes('cari=koperasi')")
    # Back undoes the search, then the side filter
    page.go_back()
    page.wait_for_function("!location.search.includes('cari=')")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 3")
    assert page.input_value("#f-q") == ""
    page.go_back()
    page.wait_for_function("!location.search.includes('side=')")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 4")
    assert page.input_value("#f-side") == ""
    # a bookmarked or shared address restores the same view
    other = page.context.new_page()
    other.goto(server + "partners/?pattern=general-trade&side=supplier&cari=koperasi")
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


@PORTAL_JS
def test_show_more_is_not_shown_when_everything_fits(page, server):
    page.goto(server + "partners/")
    wait_directory(page)
    expect(cards(page)).to_have_count(14)
    assert not shown(page.locator(".portal-more")) and not shown(page.locator(".portal-empty"))


@PORTAL_JS
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


@PORTAL_JS
def test_directory_counts_follow_the_filters(page, server):
    page.goto(server + "partners/?province=Jawa+Tengah")
    wait_directory(page)
    expect(cards(page)).to_have_count(3)
    assert page.locator("#f-pattern option[value='operational-cooperation']").text_content().endswith("(3)")
    assert page.locator("#f-pattern option[value='agency']").text_content().endswith("(0)")
    page.fill("#f-q", "qwertyuiop zxcvbnm")
    expect(page.locator(".portal-empty")).to_be_visible()


def test_directory_without_javascript_is_the_full_list(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "partners/")
    expect(cards(page)).to_have_count(14)
    expect(page.locator(".portal-filters")).to_be_hidden()
    context.close()


def test_without_the_script_the_magnifier_leads_to_the_directory(browser, server):
    """The header's search dialog is made by the script (from assets/portal-words.js); without the script
    the magnifier is a plain link to the directory, which lists everyone, and points at no dialog."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + PAGES["profile"])
    opener = page.locator(".portal-search-open")
    expect(opener).to_be_visible()
    assert page.locator("#portal-search-dialog").count() == 0
    assert opener.get_attribute("aria-controls") is None and opener.get_attribute("aria-haspopup") is None
    opener.click()
    page.wait_for_url("**/partners/")
    expect(cards(page)).to_have_count(14)
    context.close()


def test_header_search_finds_a_partner_by_name(page, server):
    """The magnifier in the header opens the site's search (on every build: the header is the project's own)."""
    page.goto(server)
    opener = page.locator(".portal-search-open")
    expect(opener).to_have_attribute("aria-controls", "portal-search-dialog")  # made by the script, then named
    expect(opener).to_have_attribute("aria-haspopup", "dialog")
    dialog = page.locator("#portal-search-dialog")
    expect(dialog).to_be_hidden()
    page.click(".portal-search-open")
    expect(dialog).to_be_visible()
    expect(page.locator("#portal-search-q")).to_be_focused()
    page.keyboard.type("Mina Lestari", delay=30)
    result = dialog.locator(".portal-result", has_text="Kelompok Pembudidaya Ikan Mina Lestari").first
    expect(result).to_be_visible()
    result.locator("a").click()
    page.wait_for_url("**/partners/kelompok-mina-lestari/")
    assert page.console_errors == []


@PORTAL_JS
def test_profile_shows_the_correction_link_with_the_slug(page, server, says):
    """The correction action is on the first screen (desktop), before the profile's long sections, and again
    at the end; both carry the slug."""
    page.goto(server + PAGES["profile"])
    links = page.get_by_role("link", name=re.compile(says("Ajukan koreksi", "Ask for a correction")))
    expect(links).to_have_count(2)
    top = links.first
    expect(top).to_be_visible()
    assert top.bounding_box()["y"] + top.bounding_box()["height"] <= 800
    assert page.evaluate("""() => { const a = document.querySelector('[data-correction]'); const d = document.querySelector('.portal-description');
        return !!(a.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
    for i in range(2):
        href = links.nth(i).get_attribute("href")
        assert "koperasi-tani-sumber-rejeki" in href and href.startswith("mailto:")
    # The header: name, pattern and side, province, agreement status; the first facts below it.
    head = page.locator(".portal-partner__head")
    expect(head.locator("h1")).to_have_text("Koperasi Tani Sumber Rejeki")
    expect(head).to_contain_text(says("Dagang umum · Pemasok", "General trade · Supplier"))
    expect(head).to_contain_text("Jawa Barat")
    expect(head).to_contain_text(says("segera berakhir", "ending soon"))
    expect(page.locator(".portal-keyfacts")).to_contain_text(says("Pelaksanaan", "Implementation"))
    assert page.console_errors == []


@PORTAL_JS
def test_print_button_opens_the_print_dialog(page, server, says):
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(server + PAGES["profile"])
    button = page.get_by_role("button", name=says("Cetak profil", "Print profile"))
    expect(button).to_be_visible()
    # It sits beside the correction link as its equal: same height, same line.
    correction = page.locator(".portal-partner__actions a.md-button")
    box, beside = button.bounding_box(), correction.bounding_box()
    assert abs(box["height"] - beside["height"]) < 1 and abs(box["y"] - beside["y"]) < 1, (box, beside)
    button.click()
    page.wait_for_function("window.__printed === 1")  # once the QR code of the printout is drawn
    expect(page.locator(".portal-printout svg.portal-qr")).to_have_count(1)


def test_join_page_has_the_form_iframe_and_a_plain_link(page, form_server):
    stub_outside(page.context)  # the form's own host answers with a stand-in
    page.goto(form_server + "join/")
    frame = page.locator("iframe.portal-intake__frame")
    expect(frame).to_have_attribute("src", "https://forms.example.org/kemitraan")
    expect(page.get_by_role("link", name=re.compile("Buka formulir pengajuan"))).to_have_attribute("href", "https://forms.example.org/kemitraan")
    expect(page.frame_locator("iframe.portal-intake__frame").locator("h1")).to_have_text("Formulir kemitraan (contoh)")


@PORTAL_JS
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


# Every page type: the five above, the pattern list, the guide (stage diagram), the open-data page, the
# embed builder, the embed itself, the news, the 404 and an unlisted profile.
A11Y_PAGES = {**PAGES, "patterns": "patterns/", "guide": "guide/", "data": "guide/data/", "embed-builder": "guide/embed/",
              "embed": "embed/", "news": "kabar/", "404": "tidak-ada/", "unlisted": "partners/yayasan-usaha-mikro-sulsel/",
              "search-open": "", "directory-searched": "partners/"}
# Pages checked in a state a reader puts them in: the header's search open with results, the directory
# answering words with a filter chosen.
A11Y_STATES = {
    "search-open": lambda page: (page.click(".portal-search-open"), page.fill("#portal-search-q", "tani"),
                                 page.wait_for_function("document.querySelector('#portal-search-dialog').getAttribute('data-query') === 'tani'")),
    "directory-searched": lambda page: (page.fill("#f-q", "koperasi"), page.select_option("#f-province", "Jawa Barat"),
                                        page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'koperasi'")),
}
# Every rule axe has, the WCAG 2.2 target size (24 px) included, which axe leaves off unless asked.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
AXE_SCRIPT = Axe().axe_script
SCHEME_ATTRIBUTE = {"light": "default", "dark": "slate"}


def open_in_scheme(browser, url, scheme):
    """The page as a first visit sees it on a system set to `scheme`: a fresh context (nothing remembered)
    that prefers that scheme, recording every request and every console error. The scheme on the page is
    checked, not assumed: Material applies it from its script, after the load event."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID", color_scheme=scheme)
    page = context.new_page()
    page.requests, page.console_errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    # Colours are measured as they end up: no fading in, so no waiting for it.
    page.add_init_script("addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML('beforeend',"
                         " '<style>*, *::before, *::after { transition: none !important; animation: none !important; }</style>'))")
    page.goto(url)
    settle(page)
    in_scheme(page, scheme)
    return page


def in_scheme(page, scheme):
    """Wait until the page shows `scheme` (Material follows the system's preference while no palette is chosen)."""
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{SCHEME_ATTRIBUTE[scheme]}'")


def next_frames(page) -> None:
    """Wait until the page has drawn twice since now: what a resize or a scheme change sets off is laid out."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def switch_scheme(page, scheme) -> None:
    """The system turns to `scheme` and the theme's own palette switch is set to it, as a reader's toggle sets it."""
    page.emulate_media(color_scheme=scheme)
    page.evaluate("(scheme) => { const input = document.querySelector('input[name=__palette][data-md-color-scheme=' + scheme + ']');"
                  " input.checked = true; input.dispatchEvent(new Event('change', {bubbles: true})); }", SCHEME_ATTRIBUTE[scheme])
    in_scheme(page, scheme)
    next_frames(page)


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (the script is put into the page once per visit)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)


# The Zensical build's bodies are the same bytes as MkDocs' (test_render compares them): its matrix covers
# what the engine itself draws around them: the header and its search, a page of its own Markdown, the
# 404 page, and one page of each generated kind that wraps a long body.
ZENSICAL_PAGES = ("home", "directory", "profile", "guide", "404", "search-open")
# The English edition is the same templates with other words: its pages whose words change the layout most
# (headers, cards, facets, forms, the 404's re-pointed root, search), not every page of prose again.
ENGLISH_PAGES = ("home", "directory", "directory-searched", "profile", "pattern", "join", "news", "404", "search-open")
MATRIX = ([("mkdocs", name) for name in A11Y_PAGES] + [("english", name) for name in ENGLISH_PAGES]
          + [("zensical", name) for name in ZENSICAL_PAGES])


# The rows name their build as a plain value: an indirect `server` is keyed by the row, so pytest would
# set it up and tear it down again around every one.
@pytest.mark.parametrize("build,name", MATRIX)
def test_every_page_as_a_reader_sees_it(browser, served, build, name, shot, request):
    """One visit per page collects every check of the page, in both colour schemes on a desktop and a phone
    screen: axe-core finds nothing of any impact, the page never scrolls sideways, the console stays free
    of errors, and every request it makes while it loads and draws (directory data, search index, logos,
    lazy images below the fold) goes to the site's own address. The visit starts as a first visit on a
    system that prefers light; then the system's scheme changes and the theme's own palette switch is set
    to match, as a reader's toggle sets it (the theme applies the system's preference only on load:
    test_a_first_visit_on_a_dark_system_is_dark covers that). Screenshots of each combination are
    written for a person to look at (MkDocs and its English edition)."""
    server = build_url(request, served, build)
    origin = re.match(r"https?://[^/]+/", server).group(0)
    bad = []
    page = open_in_scheme(browser, server + A11Y_PAGES[name], "light")
    if name in A11Y_STATES:
        A11Y_STATES[name](page)
    # The screen is narrowed once (the theme lays its sidebars out again on a resize); the scheme changes
    # at each width, which changes colours only.
    for width, schemes in ((1280, ("light", "dark")), (390, ("dark", "light"))):
        if width != 1280:
            page.set_viewport_size({"width": width, "height": 844})
            next_frames(page)
        for scheme in schemes:
            if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != SCHEME_ATTRIBUTE[scheme]:
                switch_scheme(page, scheme)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                bad.append(f"{width}px: the page scrolls sideways by {overflow}px")
            bad += [
                f"{width}px {scheme}: {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                for v in axe_violations(page)
            ]
            if build != "zensical":
                page.screenshot(path=shot(f"{name}-{width}-{scheme}"), full_page=width < 400)
    page.mouse.wheel(0, 20000)  # lazy images below the fold load too: wait until every image has
    page.wait_for_function("Array.prototype.every.call(document.images, function (i) { return i.complete; })")
    bad += [f"console: {e}" for e in page.console_errors if not (name == "404" and "404" in e)]
    bad += [f"a request outside the site: {url}" for url in page.requests if not url.startswith((origin, "data:"))]
    assert page.requests, "the visit was recorded"
    page.context.close()
    assert bad == [], "\n".join(bad)


@PORTAL_JS
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


def test_language_switch_leads_to_the_same_page_in_the_other_edition(page, server, says):
    """On every build, Zensical's included: `portal render` writes both editions."""
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
    expect(page.get_by_role("link", name=re.compile(says("Ask for a correction", "Ajukan koreksi"))).first).to_be_visible()


@PORTAL_JS
def test_embed_builder_makes_the_iframe_code(page, server):
    page.goto(server + "guide/embed/")
    page.select_option("#e-pattern", "foster-parent")
    page.select_option("#e-controls", "0")
    page.fill("#e-height", "600")
    code = page.input_value("#e-code")
    assert code.startswith('<iframe src="' + server + "embed/?pattern=foster-parent&amp;controls=0")
    assert 'height="600"' in code
    expect(page.locator("iframe.portal-embed-preview")).to_have_attribute("src", server + "embed/?pattern=foster-parent&controls=0")


# -- design: what a person sees on a phone and a desktop ---------------------------------------------------


def visible_box(locator):
    """The element's box if a person can see it (displayed, with a size), else None."""
    return locator.bounding_box() if locator.is_visible() else None


@PORTAL_JS
def test_directory_on_a_phone_shows_a_partner_first_and_filters_behind_one_button(page, server, says):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "partners/")
    wait_directory(page)
    first = cards(page).first.locator(".portal-card__name")
    box = visible_box(first)
    assert box and box["y"] + box["height"] <= 844, f"the first partner's name is below the fold: {box}"
    # The facets wait behind "Saring"; the button says so and opens them.
    toggle = page.locator(".portal-filters__toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_accessible_name(says("Saring", "Filter"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#f-pattern")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#f-pattern")).to_be_visible()
    page.select_option("#f-province", "Jawa Timur")
    expect(cards(page)).to_have_count(2)
    expect(toggle).to_have_text(says("Saring (1)", "Filter (1)"))
    # The active filter is a chip; pressing it removes the filter and brings every partner back.
    chip = page.locator(".portal-chips button")
    expect(chip).to_have_count(1)
    expect(chip).to_be_visible()
    expect(chip).to_contain_text("Jawa Timur")
    assert "province=Jawa+Timur" in page.url
    toggle.click()  # closing the facets leaves the chip in view
    expect(page.locator("#f-pattern")).to_be_hidden()
    expect(chip).to_be_visible()
    chip.click()
    expect(cards(page)).to_have_count(14)
    expect(page.locator(".portal-chips")).to_be_hidden()
    assert "province=" not in page.url
    assert page.console_errors == []


@PORTAL_JS
def test_directory_on_a_desktop_shows_the_filters_without_the_button(page, server):
    page.goto(server + "partners/")
    wait_directory(page)
    expect(page.locator(".portal-filters__toggle")).to_be_hidden()
    expect(page.locator("#f-pattern")).to_be_visible()
    # Cards form a grid: at 1280 px two or more share a row.
    tops = [round(cards(page).nth(i).bounding_box()["y"]) for i in range(2)]
    assert tops[0] == tops[1]


@PORTAL_JS
def test_directory_sorts_by_name_and_newest(page, server, built_site):
    partners = json.loads(open(os.path.join(built_site[0], "api", "partners.json"), encoding="utf-8").read())["partners"]
    page.goto(server + "partners/")
    wait_directory(page)
    names = lambda: cards(page).locator(".portal-card__name").all_text_contents()
    assert names() == sorted(names(), key=str.casefold)
    page.select_option("#f-sort", "newest")
    newest = max((p for p in partners if p["since"]), key=lambda p: (p["since"], p["name"]))
    expect(cards(page).first.locator(".portal-card__name")).to_have_text(newest["name"])
    assert "sort=newest" in page.url
    page.reload()
    wait_directory(page)
    assert page.input_value("#f-sort") == "newest"
    expect(cards(page).first.locator(".portal-card__name")).to_have_text(newest["name"])
    # Without words the first order is the name order, and says so; "by name" is not offered a second time.
    expect(page.locator("#f-sort option").first).to_have_text(re.compile(r"^Nam[ae] \(A–Z\)$"))
    assert page.eval_on_selector("#f-sort option[value=name]", "o => o.hidden && o.disabled")
    page.select_option("#f-sort", "")
    expect(cards(page).first.locator(".portal-card__name")).to_have_text(min((p["name"] for p in partners if p["slug"] != "yayasan-usaha-mikro-sulsel"), key=str.casefold))


@PORTAL_JS
def test_home_search_box_goes_to_the_directory_with_the_words(page, server):
    page.goto(server)
    box = page.locator("#portal-home-q")
    expect(box).to_be_visible()
    box.fill("kopi")
    box.press("Enter")
    page.wait_for_url(re.compile(r"partners/\?cari=kopi$"))
    wait_directory(page)
    assert page.input_value("#f-q") == "kopi"
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("CV Kopi Gayo Mandiri")
    # Nothing lies over the list (Material opens its search dialog for ?q=): the result can be followed.
    assert page.evaluate("document.querySelector('[data-md-toggle=search]').checked") is False
    cards(page).first.locator(".portal-card__name a").click()
    page.wait_for_url(re.compile(r"partners/cv-kopi-gayo-mandiri/$"))


@PORTAL_JS
@pytest.mark.parametrize("width", [1280, 390])
def test_map_markers_are_sized_by_partners_and_lead_to_the_province(page, server, says, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server)
    dots = page.locator("circle.portal-map__dot")
    count = dots.count()
    assert count >= 5
    frame = page.locator(".portal-map__svg").bounding_box()
    sizes = {}
    for i in range(count):
        box = visible_box(dots.nth(i))
        assert box, f"marker {i} is not visible"
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        sizes[dots.nth(i).get_attribute("data-province")] = box["width"]
    assert sizes["Jawa Timur"] > sizes["Aceh"]  # two partners against one
    # Every province by name, readable without pointing at anything, each link at least 24 px each way.
    names = page.locator(".portal-map__legend a")
    expect(names).to_have_count(count)
    for i in range(count):
        box = visible_box(names.nth(i))
        assert box and box["height"] >= 24 and box["width"] >= 24, box
    expect(names.first).to_contain_text("Jawa Tengah")  # most partners first
    # The same numbers as a table, opened by its summary.
    table = page.locator(".portal-map__table table")
    expect(table).to_be_hidden()
    page.locator(".portal-map__table summary").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(count)
    expect(table.locator("tr", has_text="Jawa Timur").locator("td")).to_have_text("2")
    page.locator('.portal-map__legend a[data-province="Jawa Timur"]').click()
    page.wait_for_url(re.compile(r"partners/\?province=Jawa"))
    wait_directory(page)
    expect(cards(page)).to_have_count(2)
    assert page.input_value("#f-province") == "Jawa Timur"


@PORTAL_JS
def test_diagrams_and_charts_are_readable_on_a_phone_and_a_desktop(page, server):
    """Text in the build-time drawings stays at least 12 px on screen: the tall drawing on a phone, the
    wide one on a desktop."""
    def smallest_text(selector):
        return page.evaluate(
            "sel => Math.min(...Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length)"
            ".map(e => e.getBoundingClientRect().height))", selector)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + PAGES["pattern"])
    expect(page.locator(".portal-diagram--narrow")).to_be_visible()
    expect(page.locator(".portal-diagram--wide")).to_be_hidden()
    assert smallest_text(".portal-diagram--narrow text") >= 12
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".portal-diagram--wide")).to_be_visible()
    expect(page.locator(".portal-diagram--narrow")).to_be_hidden()
    assert smallest_text(".portal-diagram--wide text") >= 12
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "guide/")
    assert smallest_text(".portal-diagram text") >= 12
    page.goto(server)
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.portal-bars th')).fontSize)") >= 12


def test_finding_pages_have_no_sidebar_and_reading_pages_one_width(page, server):
    """No page keeps an empty right-hand column. The finding pages (home, directory, profile, news) have no docs
    sidebar and use the whole width; the reading pages (patterns, guide, join) share one width beside it."""
    finding, reading = set(), set()
    for path in ("", "partners/", PAGES["profile"], "kabar/", PAGES["pattern"], "patterns/", "guide/", "join/"):
        page.goto(server + path)
        expect(page.locator(".md-sidebar--secondary")).to_have_count(0)
        width = round(page.locator(".md-content").bounding_box()["width"])
        if path in ("", "partners/", PAGES["profile"], "kabar/"):
            expect(page.locator(".md-sidebar--primary")).to_be_hidden()
            finding.add(width)
        else:
            expect(page.locator(".md-sidebar--primary")).to_be_visible()
            reading.add(width)
    assert len(finding) == 1 and len(reading) == 1, (finding, reading)
    assert min(finding) > max(reading)
    # The page title in the site's colour, not the theme's pale grey.
    assert page.eval_on_selector(".md-typeset h1", "h => getComputedStyle(h).color") in ("rgb(29, 106, 52)", "rgb(143, 214, 164)")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("server", ["mkdocs"], indirect=True)
def test_printed_profiles_fit_two_a4_pages_and_carry_a_qr_code_of_their_address(page, server, built_site):
    """Every profile prints on one or two A4 pages without the site's navigation, and its QR code (drawn by
    the page's script once the profile has loaded), read back by a decoder (zxing-cpp) from the printed page,
    is the profile's public address."""
    import zxingcpp
    from PIL import Image
    import io

    site = built_site[0]
    partners = json.loads(open(os.path.join(site, "api", "partners.json"), encoding="utf-8").read())["partners"]
    site_url = "https://example.github.io/portal-kemitraan/"
    for p in partners:
        page.goto(server + p["url"])
        page.wait_for_selector(".portal-printout[data-ready=true] svg.portal-qr", state="attached")
        page.emulate_media(media="print")
        pages = pdf_pages(page.pdf(format="A4"))
        assert 1 <= pages <= 2, f"{p['slug']}: {pages} pages"
        if p["slug"] == "koperasi-tani-sumber-rejeki":
            for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".portal-partner__actions"):
                expect(page.locator(hidden).first).to_be_hidden()
            qr = page.locator(".portal-qr")
            expect(qr).to_be_visible()
            image = Image.open(io.BytesIO(qr.screenshot(scale="css")))
            found = zxingcpp.read_barcodes(image.convert("L").resize((image.width * 4, image.height * 4), Image.NEAREST))
            assert [r.text for r in found] == [site_url + p["url"]]
        page.emulate_media(media="screen")
        expect(page.locator(".portal-qr")).to_be_hidden()


def test_404_page_links_work_wherever_the_site_is_served(browser, built_site, says):
    """A host serves 404.html for every missing address. Served under another path than site_url's (a
    preview), at any depth, the page still finds the site: styles load and its links lead to real pages."""
    srv = StaticServer(built_site[0], prefix="/preview-7/")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        response = page.goto(srv.url + "partners/no-such-partner/deeper/")
        assert response.status == 404
        link = page.get_by_role("link", name="Buka direktori mitra")
        expect(link).to_have_attribute("href", "/preview-7/partners/")
        # Material's stylesheet arrived: the header has the site's colour, not the browser's default.
        page.wait_for_function("getComputedStyle(document.querySelector('.md-header')).backgroundColor === 'rgb(29, 106, 52)'")
        # Its scripts ran again from the root found, in their order, before the page said it had settled:
        # the header's dialog is made (the words came before the site's script) and opens from the magnifier.
        page.wait_for_function("document.documentElement.hasAttribute('data-site-root')")
        assert page.evaluate("document.getElementById('portal-search-dialog') !== null")
        page.click(".portal-search-open")
        expect(page.locator("#portal-search-dialog")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("#portal-search-dialog")).to_be_hidden()
        link.click()
        page.wait_for_url(srv.url + "partners/")
        expect(page.locator("h1")).to_have_text("Direktori mitra")
        # At the configured path itself nothing needs changing.
        page.goto(srv.url + "en/nothing-here/")
        expect(page.get_by_role("link", name="Buka direktori mitra")).to_have_attribute("href", "/preview-7/partners/")
    finally:
        context.close()
        srv.stop()


@PORTAL_JS
def test_clear_filters_button_empties_every_filter_and_the_address(page, server, says):
    page.goto(server + "partners/?pattern=general-trade&province=Jawa+Barat&cari=kop&sort=newest")
    wait_directory(page)
    expect(cards(page)).to_have_count(1)
    expect(page.locator(".portal-chips button")).to_have_count(3)
    clear = page.get_by_role("button", name=says("Hapus saringan", "Clear filters"), exact=True)
    clear.click()
    expect(cards(page)).to_have_count(14)
    expect(page.locator(".portal-chips")).to_be_hidden()
    # With nothing left to clear the button goes, and the reader goes on from the search box.
    expect(clear).to_be_hidden()
    expect(page.locator("#f-q")).to_be_focused()
    page.select_option("#f-stage", "implementation")
    expect(clear).to_be_visible()
    page.wait_for_function("!location.search.includes('pattern=') && !location.search.includes('cari=')")
    assert page.input_value("#f-q") == "" and page.input_value("#f-province") == ""


def test_colour_scheme_switch_changes_the_page(page, server):
    page.emulate_media(color_scheme="light")
    page.goto(server)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = body.evaluate("e => getComputedStyle(e).backgroundColor")
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    expect(toggle).to_be_visible()
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    dark = body.evaluate("e => getComputedStyle(e).backgroundColor")
    assert dark != light


def test_a_first_visit_on_a_dark_system_is_dark(browser, server):
    """Nothing chosen yet: the page takes the system's scheme when it loads (the page matrix switches later)."""
    page = open_in_scheme(browser, server + PAGES["directory"], "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    page.context.close()


def test_pattern_sides_sit_side_by_side_on_a_desktop_and_stack_on_a_phone(page, server):
    page.goto(server + PAGES["pattern"])
    panels = page.locator(".portal-grid > .portal-panel")
    expect(panels).to_have_count(2)
    a, b = panels.nth(0).bounding_box(), panels.nth(1).bounding_box()
    assert round(a["y"]) == round(b["y"]) and b["x"] > a["x"] + a["width"] - 1
    page.set_viewport_size({"width": 390, "height": 844})
    a, b = panels.nth(0).bounding_box(), panels.nth(1).bounding_box()
    assert b["y"] >= a["y"] + a["height"] and round(a["x"]) == round(b["x"])


@PORTAL_JS
def test_news_filters_narrow_the_activities_and_the_address_keeps_them(page, server, says):
    page.goto(server + "kabar/")
    page.wait_for_selector(".portal-news[data-ready=true]")
    items = page.locator(".portal-news__list > li")
    before = items.count()
    assert before >= 3
    expect(page.locator("#n-province")).to_be_visible()
    page.select_option("#n-province", "Jawa Tengah")
    expect(items).not_to_have_count(before)
    for text in items.locator(".portal-news__partner").all_text_contents():
        assert text.endswith("Jawa Tengah")
    expect(page.locator(".portal-news .portal-count")).to_contain_text(says("kabar cocok dengan saringan", "match the filters"))
    assert "province=Jawa+Tengah" in page.url
    page.reload()
    page.wait_for_selector(".portal-news[data-ready=true]")
    assert page.input_value("#n-province") == "Jawa Tengah"
    page.select_option("#n-province", "")
    expect(items).to_have_count(before)
    assert page.console_errors == []


def test_phone_menu_opens_the_navigation_and_leads_to_a_page(page, server, says):
    """On a phone the site's sections sit behind the header's menu button: hidden until it is pressed."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server)
    settle(page)
    menu = page.locator("label.md-header__button[for=__drawer]")
    section = page.locator("nav.md-nav--primary").get_by_role("link", name=says("Kabar kemitraan", "Partnership news"), exact=True)
    expect(menu).to_be_visible()
    expect(section).not_to_be_in_viewport()
    menu.click()
    expect(section).to_be_in_viewport()
    section.click()
    page.wait_for_url("**/kabar/")
    expect(page.locator("h1")).to_have_text(says("Kabar kemitraan", "Partnership news"))


def test_back_to_top_button_appears_on_the_way_up_and_goes_to_the_top(page, server, says):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server)
    settle(page)
    top = page.locator("button.md-top")
    expect(top).to_be_hidden()
    page.mouse.wheel(0, 3000)
    page.wait_for_function("scrollY > 2000")
    page.mouse.wheel(0, -400)  # Material shows the button when the reader scrolls back up
    expect(top).to_be_visible()
    top.click()
    page.wait_for_function("scrollY === 0")
    expect(page.locator("h1")).to_be_in_viewport()


@PORTAL_JS
def test_the_news_filters_look_like_the_directory_filters(page, server):
    """One look for a form field across the site: the news page's selects are drawn as the directory's."""
    look = "(() => { const s = getComputedStyle(document.querySelector(SEL)); const r = document.querySelector(SEL).getBoundingClientRect();" \
           " return [s.fontSize, s.padding, s.borderTopWidth, s.borderRadius, Math.round(r.height)]; })()"
    page.goto(server + "partners/")
    wait_directory(page)
    directory = page.evaluate(look.replace("SEL", "'#f-province'"))
    page.goto(server + "kabar/")
    page.wait_for_selector(".portal-news[data-ready=true]")
    assert page.evaluate(look.replace("SEL", "'#n-province'")) == directory


def test_profile_crumbs_lead_to_the_directory_and_the_partners_of_its_pattern(page, server, says):
    """A reader arriving from a shared link sees where the profile sits and goes on from there."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + PAGES["profile"])
    crumbs = page.get_by_role("navigation", name=says("Letak halaman ini", "Where this page is"))
    expect(crumbs).to_be_in_viewport()
    crumbs.get_by_role("link", name=says("Dagang umum", "General trade")).click()
    wait_directory(page)
    expect(page.locator("#f-pattern")).to_have_value("general-trade")
    expect(cards(page)).to_have_count(4)
    page.go_back()
    page.get_by_role("navigation", name=says("Letak halaman ini", "Where this page is")).get_by_role("link", name=says("Direktori mitra", "Partner directory")).click()
    wait_directory(page)
    expect(cards(page)).to_have_count(14)


def test_the_browser_starts_as_playwright_starts_it_without_the_address_bar_s_renderer(browser):
    """Chromium obeys only the last --disable-features it is given: the tests' own must keep every feature
    that Playwright's launch turns off, besides the address bar's suggestion renderer it drops (no part of
    the browser's own interface is opened beside a page)."""

    def descendants(pid: int) -> list[int]:
        """Every process descended from `pid` (Linux: each one's parent, from /proc)."""
        parents = {}
        for name in os.listdir("/proc"):
            try:
                with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as fh:
                    parents[int(name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
        found, todo = [], [pid]
        while todo:
            parent = todo.pop()
            kids = [p for p, pp in parents.items() if pp == parent]
            found += kids
            todo += kids
        return found

    context = browser.new_context()
    try:
        context.new_page()
        lines = []
        for pid in descendants(os.getpid()):  # this session's browser (one a worker)
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    lines.append(fh.read().decode("utf-8", "replace").split("\0"))
            except OSError:
                pass
        [command] = [c for c in lines if c[0].endswith("chromium") and not any(a.startswith("--type=") for a in c)]
        given = [set(a.split("=", 1)[1].split(",")) for a in command if a.startswith("--disable-features=")]
        assert len(given) >= 1 and all(earlier <= given[-1] for earlier in given), given
        assert {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= given[-1]
        targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
        assert [t["url"] for t in targets if t["type"] != "page"] == []
    finally:
        context.close()
