"""The site's one search (Pagefind): the query set through it on both editions, every visible search box typed
into as a person would (desktop and phone), filters combined with words, and nothing private in the index."""

import glob
import gzip
import json
import os

import pytest
from playwright.sync_api import expect

import searchset
from browser import StaticServer
from sitebuild import read

QUERIES = searchset.load_queries()
EDITIONS = {"id": "", "en": "en/"}
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def search_site(tmp_path_factory):
    """The demo partners with the query set's own (public, hidden, unlisted, with staff notes), both editions."""
    from sitebuild import build, outcome, project, shared

    def make(base):
        folder = project(base)
        searchset.add_partners(os.path.join(folder, "partners"))
        result, site = build(folder)
        return {"site": site, "result": outcome(result)}

    made = shared(tmp_path_factory, "search", make)
    assert made["result"]["returncode"] == 0, made["result"]["stderr"]
    return made["site"]


@pytest.fixture(scope="session")
def search_server(search_site):
    with StaticServer(search_site) as srv:
        yield srv.url


def new_page(browser, size="desktop"):
    context = browser.new_context(viewport=SIZES[size], locale="id-ID", is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    return page


def test_searchset_is_realistic_and_large_enough():
    kinds = {q["kind"] for q in QUERIES["id"]}
    assert len(QUERIES["id"]) + len(QUERIES["en"]) >= 60
    assert {"affix", "story", "place", "alias", "variant", "typo", "negative"} <= kinds
    assert any(q["expect"] == "none" for q in QUERIES["en"]) and any(q["expect"] != "none" for q in QUERIES["en"])


def test_judge_counts_misses_and_leaks():
    """The scoring itself can fail: a wrong partner is a miss, any result for a negative is a leak."""
    queries = [{"q": "a", "expect": "x"}, {"q": "b", "expect": "y"}, {"q": "c", "expect": "none"}]
    answers = {"a": ["/partners/x/"], "b": ["/partners/z/", "/patterns/agency/"], "c": ["/guide/"]}
    verdict = searchset.judge(queries, answers)
    assert verdict["found"] == 1 and verdict["missed"] == ["b"] and verdict["leaked"] == ["c"]


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["id", "en"])
def test_every_query_of_the_set_through_the_site_search(browser, search_server, edition):
    """Recall in the first five ≥ 95 % for each edition, through the search every box runs (all kinds of result,
    and partners only), and not one result, of any kind, for words only in private data."""
    page = new_page(browser)
    page.goto(search_server + EDITIONS[edition])
    for partners_only in (False, True):
        answers, totals = searchset.through_engine(page, QUERIES[edition], partners_only)
        verdict = searchset.judge(QUERIES[edition], answers, totals)
        assert verdict["recall"] >= 0.95, verdict
        assert verdict["leaked"] == [], verdict
    assert page.errors == []
    page.context.close()


# A few queries of each kind, typed into each box: (edition, words, partner expected among the first five).
TYPED = [
    ("id", "melatih", "kursus-rajut-banua"),
    ("id", "Jogja batik", "sanggar-batik-giriloyo"),
    ("id", "gudang pendingin", "koperasi-tani-sumber-rejeki"),
    ("en", "seaweed", "rumput-laut-wakatobi"),
    ("en", "NTT", "kelompok-ternak-sejahtera"),
    ("id", "kripik singkong", "kwt-melati"),
    ("id", "bali", "subak-organik-tabanan"),
    ("en", "seawed", "rumput-laut-wakatobi"),
]


@pytest.mark.browser
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_search_box_gives_the_same_answer(browser, search_server, size):
    """The header's dialog, the home page's box and the directory's box, on a desktop and on a phone, in both
    editions: each visible, each showing the expected partner among its first results, in the same order.
    Each page is loaded once per edition and every query of the edition typed into its boxes in turn, as a
    reader searching again does: each box must answer the new words, not keep the last answer."""
    page = new_page(browser, size)
    dialog = page.locator("#portal-search-dialog")
    # Every query on a desktop; on a phone (the same code, a narrower layout) one per edition and kind.
    typed = TYPED if size == "desktop" else TYPED[::2]
    for edition, base in ((e, search_server + EDITIONS[e]) for e in EDITIONS):
        queries = [(words, expected) for e, words, expected in typed if e == edition]
        found: dict[str, dict[str, list]] = {}
        page.goto(base)
        for words, _ in queries:
            expect(page.locator(".portal-search-open")).to_be_visible()
            expect(dialog).to_be_hidden()
            header = searchset.through_box(page, "header", words)
            expect(dialog).to_be_visible()
            expect(dialog.locator(".portal-results li").first).to_be_visible()
            # Each result says what it is and where, in the edition's words, with the words around the match.
            first = dialog.locator(".portal-result--partner").first
            expect(first.locator(".portal-result__meta")).to_contain_text("Profil mitra" if edition == "id" else "Partner profile")
            assert "dokumen" not in dialog.inner_text().lower()
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            expect(page.locator("#portal-home-q")).to_be_visible()
            found[words] = {"header": header, "home": searchset.through_box(page, "home", words)}
        page.goto(base + "partners/")
        expect(page.locator("#f-q")).to_be_visible()
        for words, _ in queries:
            found[words]["directory"] = searchset.through_box(page, "directory", words)
        for words, expected in queries:
            slugs = {name: [searchset.slug_of(u) for u in links] for name, links in found[words].items()}
            for name, shown in slugs.items():
                assert expected in shown[: searchset.TOP], (name, edition, words, shown)
            partners_in_header = [s for s in slugs["header"] if s]
            n = min(len(partners_in_header), len(slugs["home"]), 5)
            assert partners_in_header[:n] == slugs["home"][:n] == slugs["directory"][:n], slugs
        # Enter in the home box opens the directory with the words, answered the same way (once per edition
        # and size: it hands the words to the same box).
        words = queries[0][0]
        directory = [searchset.slug_of(u) for u in found[words]["directory"]]
        n = min(len([u for u in found[words]["header"] if searchset.slug_of(u)]), len(found[words]["home"]), 5)
        page.goto(base)
        page.fill("#portal-home-q", words)
        page.press("#portal-home-q", "Enter")
        page.wait_for_function("document.querySelector('.portal-directory[data-state=done]')")
        assert page.input_value("#f-q") == words
        page.wait_for_function("(q) => document.querySelector('.portal-directory').getAttribute('data-query') === q", arg=words)
        shown = page.eval_on_selector_all(".portal-card__name a", "links => links.map(a => a.href)")
        assert [searchset.slug_of(u) for u in shown][:n] == directory[:n]
    page.wait_for_load_state("networkidle")
    # Nothing that grows with the partners was fetched along the way: no sitemap, no whole index, no data file.
    heavy = [u for u in page.requested if u.split("?")[0].endswith(("sitemap.xml", "search_index.json", "directory.json", "partners.json", "activities.json"))]
    assert heavy == []
    assert page.errors == []
    page.context.close()


@pytest.mark.browser
def test_directory_filters_combine_with_words_and_the_address_keeps_both(browser, search_server):
    page = new_page(browser)
    page.goto(search_server + "partners/")
    page.wait_for_selector(".portal-directory[data-ready=true]")
    page.fill("#f-q", "ikan")
    page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'ikan'")
    everywhere = {searchset.slug_of(u) for u in page.eval_on_selector_all(".portal-card__name a", "ls => ls.map(a => a.href)")}
    assert {"kelompok-mina-lestari", "pt-olahan-ikan-samudra", "hotel-flores-bahari"} <= everywhere
    page.select_option("#f-province", "Jawa Tengah")
    page.wait_for_function("location.search.includes('province=Jawa+Tengah') && location.search.includes('cari=ikan')")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 2")
    narrowed = {searchset.slug_of(u) for u in page.eval_on_selector_all(".portal-card__name a", "ls => ls.map(a => a.href)")}
    assert narrowed == {"kelompok-mina-lestari", "pt-olahan-ikan-samudra"}
    # "ikan" is in both summaries: each card shows its summary once, with no excerpt repeating it.
    expect(page.locator(".portal-card__summary")).to_have_count(2)
    expect(page.locator(".portal-card__excerpt")).to_have_count(0)
    # Options that would show nothing with the words and the province cannot be chosen; counts follow.
    assert page.eval_on_selector("#f-pattern option[value=agency]", "o => o.disabled")
    assert "(1)" in page.inner_text("#f-pattern option[value=operational-cooperation]") or "(2)" in page.inner_text("#f-pattern option[value=operational-cooperation]")
    page.select_option("#f-side", "partner-company")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 1")
    expect(page.locator(".portal-card__name a")).to_have_text("PT Olahan Ikan Samudra Jaya")
    # The address is shareable: a new visit shows the same words, filters and list.
    url = page.url
    assert "cari=ikan" in url and "side=partner-company" in url
    other = new_page(browser, "phone")
    other.goto(url)
    other.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'ikan'")
    expect(other.locator(".portal-card__name a")).to_have_text(["PT Olahan Ikan Samudra Jaya"])
    assert other.input_value("#f-q") == "ikan" and other.input_value("#f-province") == "Jawa Tengah"
    # Sorting by name keeps the words and the filters.
    page.select_option("#f-side", "")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 2")
    page.select_option("#f-sort", "name")
    page.wait_for_function("location.search.includes('sort=name')")
    page.wait_for_function("document.querySelector('.portal-directory[data-state=done]')")
    names = page.eval_on_selector_all(".portal-card__name a", "ls => ls.map(a => a.textContent)")
    assert names == sorted(names, key=str.casefold) and len(names) == 2
    assert page.errors == [] and other.errors == []
    other.context.close()
    page.context.close()


@pytest.mark.browser
def test_words_the_index_does_not_hold_find_nothing_and_say_so(browser, search_server):
    """A word only in private data finds nothing in any box, and the reader is told in words, not left guessing."""
    page = new_page(browser)
    page.goto(search_server)
    assert searchset.through_box(page, "header", "Suparman") == []
    expect(page.locator("#portal-search-dialog .portal-search-dialog__status")).to_contain_text("Tidak ada yang cocok")
    page.keyboard.press("Escape")
    assert searchset.through_box(page, "home", "kerupuk") == []
    page.goto(search_server + "partners/")
    assert searchset.through_box(page, "directory", "Wamena") == []
    expect(page.locator(".portal-empty")).to_be_visible()
    # Most of the words matching is enough: the reader sees those partners, told that not every word matched.
    page.fill("#f-q", "modal usaha pedagang")
    page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'modal usaha pedagang'")
    expect(page.locator(".portal-count")).to_contain_text("memuat sebagian")
    assert "kopdit-rezeki-pontianak" in [searchset.slug_of(u) for u in page.eval_on_selector_all(".portal-card__name a", "ls => ls.map(a => a.href)")]
    page.context.close()


def _unpacked(site: str) -> list[bytes]:
    out = []
    for path in glob.glob(os.path.join(site, "**", "pagefind", "**", "*.pf_*"), recursive=True):
        with open(path, "rb") as fh:
            data = fh.read()
        out.append(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    for path in glob.glob(os.path.join(site, "**", "pagefind", "typo", "*.json"), recursive=True):
        with open(path, "rb") as fh:
            out.append(fh.read())  # the words a typo is corrected to are published too
    return out


@pytest.mark.browser
def test_a_typo_is_read_as_the_word_one_letter_away_and_the_reader_is_told(browser, search_server):
    """One letter wrong, missing or added in a word of five letters or more: every box finds the partner and
    says how it read the words; a shorter word is not guessed at."""
    page = new_page(browser)
    page.goto(search_server)
    assert "kwt-melati" in [searchset.slug_of(u) for u in searchset.through_box(page, "header", "kripik singkong")]
    expect(page.locator("#portal-search-dialog .portal-search-dialog__status")).to_contain_text("Dibaca sebagai “keripik singkong”")
    page.keyboard.press("Escape")
    assert "ud-tembakau-sindoro" in [searchset.slug_of(u) for u in searchset.through_box(page, "home", "tembakao")]
    expect(page.locator("form.portal-search .portal-search__status")).to_contain_text("Dibaca sebagai “tembakau”")
    page.goto(search_server + "partners/")
    assert searchset.slug_of(searchset.through_box(page, "directory", "koprasi tebu")[0]) == "koperasi-tebu-manis-jaya"
    expect(page.locator(".portal-count")).to_contain_text("Dibaca sebagai “koperasi tebu”")
    # The words typed right are not "corrected".
    searchset.through_box(page, "directory", "koperasi tebu")
    expect(page.locator(".portal-count")).not_to_contain_text("Dibaca sebagai")
    assert page.errors == []
    page.context.close()


@pytest.mark.browser
def test_the_words_around_a_match_are_the_partners_own(browser, search_server):
    """An excerpt is cut from the partner's summary, story and activities, never from the words added for
    the index (place aliases, pattern names, synonyms); a card never shows its summary twice."""
    page = new_page(browser)
    page.goto(search_server)
    searchset.through_box(page, "header", "sortasi")
    first = page.locator("#portal-search-dialog .portal-result__excerpt").first
    expect(first.locator("mark").first).to_have_text("sortasi")
    assert "Jabar" not in first.inner_text() and "West Java" not in first.inner_text()
    page.keyboard.press("Escape")
    # Found only through a region's short name: the result says what the partner does, in its own words.
    searchset.through_box(page, "header", "Jatim")
    texts = page.locator("#portal-search-dialog .portal-result__excerpt").all_inner_texts()
    assert texts and all("Jatim" not in t and "East Java" not in t for t in texts), texts
    assert "Toko sarana pertanian di Kediri yang menjadi agen tunggal pupuk organik untuk wilayah kabupatennya." in texts
    page.keyboard.press("Escape")
    page.goto(search_server + "partners/")
    # A word of the summary: the card shows the summary once, with no excerpt under it.
    searchset.through_box(page, "directory", "swalayan")
    card = page.locator('.portal-card[data-slug="koperasi-tani-sumber-rejeki"]')
    expect(card.locator(".portal-card__summary")).to_be_visible()
    expect(card.locator(".portal-card__excerpt")).to_have_count(0)
    # A word of its story only: the words around it, under the summary.
    searchset.through_box(page, "directory", "sortasi")
    expect(card.locator(".portal-card__excerpt mark").first).to_have_text("sortasi")
    page.context.close()


@pytest.mark.browser
def test_the_directory_on_a_phone_shows_the_results_of_a_filter_not_the_filters(browser, search_server, search_site):
    """On a phone the filters open in a panel; "Lihat hasil" closes it and the count, the chosen filter as a
    chip and the first partners are on the screen. The order says what it is; only values partners have are
    offered; an address names a province in any capitals."""
    page = new_page(browser, "phone")
    page.goto(search_server + "partners/")
    page.wait_for_selector(".portal-directory[data-ready=true]")
    assert "Bali" in page.eval_on_selector_all("#f-province option", "os => os.map(o => o.value)")
    assert "(0)" not in page.eval_on_selector_all(".portal-facets option", "os => os.map(o => o.textContent).join()")  # a pattern, side or stage nobody has is not offered
    expect(page.locator("#f-province")).to_be_hidden()
    expect(page.locator("#f-sort option").first).to_have_text("Nama (A–Z)")  # no words: in name order
    assert page.eval_on_selector("#f-sort option[value=name]", "o => o.hidden")
    page.click(".portal-filters__toggle")
    expect(page.locator("#f-province")).to_be_visible()
    page.select_option("#f-province", "Jawa Tengah")
    page.wait_for_function("location.search.includes('province=Jawa+Tengah') && document.querySelectorAll('.portal-cards > li').length === 3")
    page.click(".portal-filters__done")
    expect(page.locator("#f-province")).to_be_hidden()
    expect(page.locator(".portal-chips")).to_contain_text("Jawa Tengah")
    for visible in (".portal-chips", ".portal-count", ".portal-cards > li >> nth=0"):
        expect(page.locator(visible)).to_be_in_viewport()
    expect(page.locator(".portal-count")).to_contain_text("3 dari")
    page.fill("#f-q", "ikan")
    page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'ikan'")
    expect(page.locator("#f-sort option").first).to_have_text("Paling cocok")
    assert not page.eval_on_selector("#f-sort option[value=name]", "o => o.hidden")
    # An address typed or shared in other capitals still chooses the province.
    page.goto(search_server + "partners/?province=jawa%20tengah")
    page.wait_for_function("document.querySelectorAll('.portal-cards > li').length === 3")
    assert page.input_value("#f-province") == "Jawa Tengah"
    # The news offers only the provinces that have news: the partner in Bali has none yet.
    page.goto(search_server + "kabar/")
    offered = page.eval_on_selector_all("#n-province option", "os => os.filter(o => o.value).map(o => o.value)")
    activities = json.loads(read(search_site, "api/activities.json"))
    column = activities["fields"].index("province")
    assert offered and set(offered) <= {row[column] for row in activities["rows"]} and "Bali" not in offered
    page.context.close()


def test_the_words_a_typo_is_read_as_are_the_published_words_by_length():
    from portal_kemitraan.render.search import SearchDoc, vocabulary

    docs = [SearchDoc("a/", "", "Koperasi tani: koperasi, SAYUR segar 2024 tani"), SearchDoc("b/", "", "Koperasi kopi Gayo")]
    files = vocabulary(docs)
    assert sorted(files) == ["typo/4.json", "typo/5.json", "typo/8.json"]
    assert json.loads(files["typo/8.json"]) == ["koperasi"]
    assert json.loads(files["typo/4.json"]) == ["gayo", "kopi", "tani"]  # as many documents each: by letter
    assert json.loads(files["typo/5.json"]) == ["sayur", "segar"]  # folded; numbers and short words left out


def test_the_index_holds_nothing_private(search_site):
    """Every piece of both editions' indexes, unpacked: no hidden or unlisted partner, no staff note, no
    unconsented person, no address of the data repository."""
    pieces = _unpacked(search_site)
    assert len(pieces) > 20
    blob = b"\n".join(pieces).lower()
    assert b"sumber rejeki" in blob  # the unpacked index is readable, so the checks below can fail
    for secret in ("Lembah Baliem", "anggrek", "Wamena", "Durian Montong", "mitra-tak-terdaftar", "mitra-tersembunyi",
                   "kerupuk", "terasi", "berutang", "Suparman", "Wiryokusumo", "Yohanes Bria", "direksi", "penyuluh",
                   "Pameran pangan", "Usaha Mikro Sulawesi", "yayasan-usaha-mikro-sulsel", "pt-sayur-sehat-bali", "github.com"):
        assert secret.lower().encode() not in blob, secret


def test_no_first_view_fetches_what_grows_with_the_partners(search_site):
    """No page asks for the sitemap, a whole index or the directory's data: Material's search and instant
    navigation are off, and the directory searches through the index's pieces only when asked."""
    for rel in ("index.html", "partners/index.html", "partners/koperasi-tani-sumber-rejeki/index.html", "kabar/index.html", "en/index.html"):
        html = read(search_site, rel)
        for heavy in ("search_index.json", "sitemap.xml", "api/directory.json", "api/activities.json\" as=\"fetch"):
            assert heavy not in html, (rel, heavy)
    assert not os.path.exists(os.path.join(search_site, "search", "search_index.json"))
    assert os.path.exists(os.path.join(search_site, "pagefind", "pagefind.js")) and os.path.exists(os.path.join(search_site, "en", "pagefind", "pagefind.js"))


@pytest.mark.browser
def test_long_unbroken_words_never_widen_a_phone_page(browser, search_server):
    """An activity with a long address, a long sector name: every page showing them fits a 390 px screen."""
    page = new_page(browser, "phone")
    for path in ("kabar/", "partners/hotel-flores-bahari/", "partners/", "partners/?cari=Labuan", ""):
        page.goto(search_server + path)
        page.wait_for_load_state("load")
        if "cari=" in path:
            page.wait_for_function("document.querySelector('.portal-directory').getAttribute('data-query') === 'Labuan'")
        assert "hotel-flores-bahari.example.id" in page.content() or path in ("partners/", "partners/?cari=Labuan", "")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
    page.context.close()


def test_staff_synonyms_are_checked_with_their_line(tmp_path):
    from conftest import TODAY, copy_reference_data
    from portal_kemitraan.core.catalog import load_catalog

    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "search.yml"), "w", encoding="utf-8") as fh:
        fh.write("synonyms:\n  - [rezeki, rejeki]\n  - [sendiri]\n  - [" + "x" * 61 + ", y]\nlain: 1\n")
    lines = load_catalog(root, today=TODAY).report.lines()
    assert any(line.startswith("partners/search.yml:3: synonyms[1]:") for line in lines), lines
    assert any(line.startswith("partners/search.yml:4: synonyms[2][0]:") for line in lines), lines
    assert any(line.startswith("partners/search.yml:5: lain:") for line in lines), lines


def test_synonyms_add_the_other_words_of_a_group_a_text_mentions():
    from portal_kemitraan.render.search import Synonyms

    groups = Synonyms([["rezeki", "rejeki"], ["pasar swalayan", "supermarket"], ["Makassar", "Ujung Pandang"]])
    assert groups.expand("Koperasi Sumber Rejeki") == ["rezeki"]
    assert groups.expand("menjual ke Pasar Swalayan di kota") == ["supermarket"]
    assert groups.expand("pasar tradisional dan toko swalayan") == []  # a phrase counts only whole
    assert groups.expand("kantor di ujung pandang") == ["Makassar"]
    assert groups.expand("tidak ada apa-apa") == []
