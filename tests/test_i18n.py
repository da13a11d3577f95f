"""Two editions from one set of templates: every string comes from a catalog, no catalog is stale or has an
untranslated string, and the English edition is complete, switchable, and honest about Indonesian text."""

import hashlib
import io
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from babel.messages.checkers import python_format
from babel.messages.pofile import read_po, write_po

from conftest import ROOT, copy_reference_data, TODAY
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.render import catalogs, i18n
from portal_kemitraan.render.i18n import LANGUAGES, Locale, phone
from portal_kemitraan.render.pages import SitePlan
from portal_kemitraan.core.settings import Settings
from sitebuild import read, search_records, site_files


def test_no_catalog_is_stale():
    """Every message in the code is in each catalog, and nothing else is: run `python3 scripts/dev.py catalogs`."""
    wanted = catalogs.messages_of(catalogs.extract())
    assert len(wanted) > 100
    for locale in LANGUAGES:
        have = catalogs.messages_of(catalogs.read(locale))
        assert sorted(map(str, wanted - have)) == [], f"{locale}: missing (run: python3 scripts/dev.py catalogs)"
        assert sorted(map(str, have - wanted)) == [], f"{locale}: stale (run: python3 scripts/dev.py catalogs)"


def test_each_compiled_catalog_is_its_catalog_compiled():
    """The .mo file read at every start is the .po file compiled: run `python3 scripts/dev.py catalogs`."""
    for locale in LANGUAGES:
        with open(i18n.catalog_path(locale), "rb") as po, open(i18n.compiled_path(locale), "rb") as mo:
            assert mo.read() == i18n.compile_catalog(po.read(), locale), f"{locale}: stale .mo (run: python3 scripts/dev.py catalogs)"


def _retranslate(path, msgid: str, string: str) -> None:
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale="en", domain=i18n.DOMAIN)
    catalog[msgid].string = string
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    with open(path, "wb") as fh:
        fh.write(out.getvalue())


def test_a_compiled_catalog_is_read_only_while_it_is_the_catalog_as_it_is_now(tmp_path, monkeypatch):
    """A .po file edited by hand and not compiled again still says what it says now: the .mo compiled from
    its older text is passed over, as is a broken .mo or none; compiled again, the .mo is what is read."""
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, folder)
    monkeypatch.setattr(i18n, "LOCALES_DIR", str(folder))
    po, mo = i18n.catalog_path("en"), i18n.compiled_path("en")
    assert i18n.translations("en").gettext("Jadi mitra") == "Become a partner"
    _retranslate(po, "Jadi mitra", "Join us")
    assert i18n.translations("en").gettext("Jadi mitra") == "Join us"  # the .mo of the older text is passed over
    for broken in (b"", b"not a catalog", open(mo, "rb").read()[:40]):
        with open(mo, "wb") as fh:
            fh.write(broken)
        assert i18n.translations("en").gettext("Jadi mitra") == "Join us"
    os.remove(mo)
    assert i18n.translations("en").gettext("Jadi mitra") == "Join us"
    assert catalogs.compile_one("en") and not catalogs.compile_one("en")
    # The fresh .mo is what is read: one compiled from other words under the digest of the .po as it is.
    with open(po, "rb") as fh:
        now = fh.read()
    _retranslate(po, "Jadi mitra", "Read from the .mo")
    with open(po, "rb") as fh:
        other = fh.read()
    with open(mo, "wb") as fh:
        fh.write(i18n.compile_catalog(other, "en").replace(hashlib.sha256(other).hexdigest().encode(), hashlib.sha256(now).hexdigest().encode()))
    with open(po, "wb") as fh:
        fh.write(now)
    assert i18n.translations("en").gettext("Jadi mitra") == "Read from the .mo"


def test_the_english_catalog_translates_every_string_keeping_its_placeholders():
    """Every Indonesian message (the site's, the report's) has its English; the staff tools' messages are
    English in the code, and the Indonesian catalog says them (test_staff_language.py)."""
    untranslated, broken = [], []
    indonesian = catalogs.read("id")
    for message in catalogs.read("en"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = indonesian.get(message.id)
        if source is not None and source.string:  # an English message of the staff tools
            continue
        if not re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|%\(\w+\)s", "", str(message.id))):
            continue  # placeholders and punctuation only, such as "{path}: {reason}": nothing to translate
        if not all(strings):
            untranslated.append(message.id)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in strings:
            if set(re.findall(r"%\(\w+\)s|\{\w+\}", text)) != set(re.findall(r"%\(\w+\)s|\{\w+\}", ids[-1])):
                broken.append(message.id)
        try:
            python_format(None, message)
        except Exception as exc:  # babel's own placeholder checker
            broken.append((message.id, str(exc)))
    assert untranslated == [] and broken == []


def test_no_indonesian_ui_string_is_left_outside_the_catalogs():
    """A template line with Indonesian words must pass them through _() or {% trans %} (data aside)."""
    words = re.compile(r">[^<{}]*\b(mitra|dan|yang|untuk|dengan|tidak|halaman|Semua|Tampilkan|Belum)\b[^<{}]*<")
    folder = os.path.join(os.path.dirname(catalogs.__file__), "templates")
    offenders = []
    for base, _, names in os.walk(folder):
        for name in names:
            if not name.endswith(".html.j2"):
                continue
            for number, line in enumerate(open(os.path.join(base, name), encoding="utf-8"), 1):
                if words.search(line) and "trans" not in line:
                    offenders.append(f"{name}:{number}: {line.strip()[:80]}")
    assert offenders == []


def test_dates_numbers_and_phones_are_written_for_the_locale():
    assert Locale("id").date("2026-10-02") == "2 Oktober 2026"
    assert Locale("en").date("2026-10-02") == "October 2, 2026"
    assert phone("+62225550142") == "+62 22 555 0142"
    assert phone("+6281234567890") == "+62 812 3456 7890"
    assert phone("+6561234567") == "+6561234567"
    en = Locale("en")
    assert en.ngettext("%(count)s mitra", "%(count)s mitra", 1) == "%(count)s partner"
    assert en.ngettext("%(count)s mitra", "%(count)s mitra", 3) == "%(count)s partners"


def test_the_templates_words_are_what_jinjas_own_gettext_gives(tmp_path):
    """render/templating installs its own `_` and `gettext` (a message without variables made once per
    environment): they must give what Jinja's i18n extension gives with newstyle=True, in HTML (escaped, the
    translation marked safe) and in plain text, with and without variables, in `{% trans %}` blocks, with a
    doubled percent sign, and the second time a message is used as the first."""
    import jinja2
    from portal_kemitraan.render.templating import environment

    body = ('{{ _("Tahap") }}|{{ _("Tahap") }}|{{ gettext("Cari mitra atau halaman") }}|{{ _("100%% <b>") }}|'
            '{{ _("%(who)s & co", who="<i>") }}|{% trans n=3 %}{{ n }} mitra & <u>{% endtrans %}|{{ _("100%% <b>") }}\n')
    for name in ("words.html.j2", "words.txt.j2"):
        (tmp_path / name).write_text(body, encoding="utf-8")
    for code in LANGUAGES:
        ours = environment(str(tmp_path), Locale(code))
        # Jinja's own: the same templates, escaping and whitespace rules, with the extension's `_` and `gettext`.
        jinjas = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=ours.autoescape, trim_blocks=True,
                                    lstrip_blocks=True, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
        jinjas.install_gettext_translations(Locale(code).translations, newstyle=True)
        for name in ("words.txt.j2", "words.html.j2", "words.txt.j2", "words.html.j2"):  # each kind after the other
            got, want = ours.get_template(name).render(), jinjas.get_template(name).render()
            assert got == want, (code, name)
        assert "&lt;i&gt; & co" in ours.get_template("words.html.j2").render()  # the variable escaped, the text marked safe
        assert "100% <b>" in ours.get_template("words.html.j2").render()
        assert "<i> & co" in ours.get_template("words.txt.j2").render()
    assert "Search partners or pages" in environment(str(tmp_path), Locale("en")).get_template("words.html.j2").render()


def test_english_pages_mark_indonesian_text_and_use_english_text_where_given(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, "mitra-dwibahasa.yml"), "w", encoding="utf-8") as fh:
        fh.write(
            "name: Mitra Dwibahasa\npattern: agency\nside: agent\nsummary: Ringkasan dalam bahasa Indonesia.\n"
            "summary_en: A summary in English.\ndescription: Uraian **panjang**.\nregion: {province: Bali}\n"
        )
    site = build_public_site(load_catalog(root, today=TODAY), TODAY)
    en = SitePlan(site, Settings(), locale="en")
    both = en.render("partners/mitra-dwibahasa.md", "partners/mitra-dwibahasa/")
    assert '<p class="portal-lead">A summary in English.</p>' in both
    assert '<div lang="id"><p>Uraian <strong>panjang</strong>.</p>' in both  # no English description: marked
    melati = en.render("partners/kwt-melati.md", "partners/kwt-melati/")
    assert '<p class="portal-lead" lang="id">' in melati and "Partnership stage" in melati
    assert en.pages["partners/mitra-dwibahasa.md"].meta["description"] == "A summary in English."
    indonesian = SitePlan(site, Settings(), locale="id").render("partners/mitra-dwibahasa.md", "partners/mitra-dwibahasa/")
    assert '<p class="portal-lead">Ringkasan dalam bahasa Indonesia.</p>' in indonesian and 'lang="id"><p>Uraian' not in indonesian


def test_the_english_edition_is_built_at_en_with_its_own_search_sitemap_and_exports(built_site):
    site, _ = built_site
    english = os.path.join(site, "en")
    home = read(english, "index.html")
    assert '<html lang="en"' in home and "Growing together through partnership" in home
    assert "Partners by partnership stage" in home and "Map of partners by province" in home and "Become a partner" in home
    profile = read(english, "partners/koperasi-tani-sumber-rejeki/index.html")
    assert "<h2>Partnership stage</h2>" in profile and "Ask for a correction" in profile
    assert '<time datetime="2026-10-02">October 2, 2026</time>' in profile
    assert "+62 22 555 0142" in profile  # a readable phone number
    correction = re.search(r'href="(mailto:[^"]+)" data-correction', profile).group(1)
    assert "Partner%20profile%20correction" in correction and "%2Fen%2Fpartners%2F" in correction
    # the switch leads to the same page in the other edition, and hreflang says so
    assert 'href="../../../partners/koperasi-tani-sumber-rejeki/" hreflang="id"' in profile
    indonesian = read(site, "partners/koperasi-tani-sumber-rejeki/index.html")
    assert 'href="../../en/partners/koperasi-tani-sumber-rejeki/" hreflang="en"' in indonesian
    # hreflang alternates are in the sitemaps (below), not the head, where Material would fetch a sitemap
    # beside each of them (tests/test_browser.py: no request outside the site)
    assert not re.search(r'<link rel="alternate"[^>]*hreflang', indonesian + profile)
    # each edition has its own search index in its language, and exports with its labels
    records = search_records(english)
    assert any(r["url"] == "/partners/kwt-melati/" for r in records)
    assert any(name.startswith("wasm.en.") for name in os.listdir(os.path.join(english, "pagefind")))  # English stemming
    assert any(name.startswith("wasm.id.") for name in os.listdir(os.path.join(site, "pagefind")))  # Indonesian stemming
    assert not any("Growing together" in r["content"] for r in search_records(site))
    assert any("Growing together" in r["content"] for r in records)
    api = json.loads(read(english, "api/partners.json"))
    melati = next(p for p in api["partners"] if p["slug"] == "kwt-melati")
    assert melati["pattern_name"] == "General trade" or melati["pattern_name"].isascii()
    # one partner's record is published once, by the main edition, for both (its codes are the same in each)
    assert os.path.isfile(os.path.join(site, "api", "partners", "kwt-melati.json"))
    assert not os.path.exists(os.path.join(english, "api", "partners"))
    assert json.loads(read(english, "api/directory.json"))["stages"]["identification"] != json.loads(read(site, "api/directory.json"))["stages"]["identification"]
    tree = ET.fromstring(read(english, "sitemap.xml").encode("utf-8"))
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("https://example.github.io/portal-kemitraan/en/") for loc in locs)
    entry = next(u for u in tree if u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text.endswith("/en/partners/kwt-melati/"))
    alternates = {a.get("hreflang"): a.get("href") for a in entry.iter("{http://www.w3.org/1999/xhtml}link")}
    assert alternates == {"id": "https://example.github.io/portal-kemitraan/partners/kwt-melati/", "en": "https://example.github.io/portal-kemitraan/en/partners/kwt-melati/"}
    feed = ET.fromstring(read(english, "feed.xml").encode("utf-8"))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_no_english_page_is_left_with_indonesian_interface_words(built_site):
    site, _ = built_site
    english = os.path.join(site, "en")
    interface = re.compile(r"\b(Cari nama|Semua pola|Tampilkan lebih banyak|Ajukan koreksi|Tahap kemitraan|Jadi mitra|Direktori mitra)\b")
    found = []
    for path in site_files(english):
        if path.endswith(".html"):
            text = open(path, encoding="utf-8").read()
            text = re.sub(r'<[^>]+lang="id"[^>]*>.*?</', "", text, flags=re.S)  # text marked Indonesian is data
            found += [f"{os.path.relpath(path, english)}: {m.group(0)}" for m in interface.finditer(text)]
    assert found == []


class _Shown(HTMLParser):
    """What a reader of a page sees or hears: its text and the labels of its controls (title, aria-label,
    placeholder, alt), without scripts, styles and code samples (file names such as feed.xml)."""

    SILENT = {"script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SILENT:
            self.silent += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SILENT and self.silent:
            self.silent -= 1

    def handle_data(self, data):
        if not self.silent:
            self.parts.append(data)


def test_no_indonesian_page_shows_english_interface_words(built_site):
    """The Indonesian edition speaks Indonesian: no theme or project words left in English (the issue saw
    "Permanent link" on every heading and "feed"). Partner data may be in any language; the examples are not."""
    site, _ = built_site
    english = re.compile(r"\b(Permanent link|[Ff]eeds?|Search|Skip to content|Table of contents|Back to top|Copy to clipboard|"
                         r"Previous|Next|Made with|Share|Download|Clear|Filters?|Sort by|Show more|Print)\b")
    found = []
    for path in site_files(site):
        rel = os.path.relpath(path, site).replace(os.sep, "/")
        if not path.endswith(".html") or rel.startswith("en/"):
            continue
        shown = _Shown()
        shown.feed(read(site, rel))
        found += [f"{rel}: {m.group(0)}" for m in english.finditer(" ".join(shown.parts))]
        description = re.search(r'<meta name="description" content="([^"]*)"', read(site, rel))
        found += [f"{rel} (description): {m.group(0)}" for m in english.finditer(description.group(1) if description else "")]
    assert found == []
