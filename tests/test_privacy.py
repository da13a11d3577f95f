"""Sentinel strings in every private place; a full build; every file under site/ scanned for them."""

import gzip
import os
import shutil

import pytest

from conftest import FIXTURES, TODAY, copy_reference_data
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.staff import sitecheck
from sitebuild import build, build_zensical, outcome, project, shared, site_files

S = "ZQXSENTINEL"  # prefix no real text contains


def sentinel(kind, n):
    return f"{S}{kind}{n}".lower() if kind == "mail" else f"{S}-{kind}-{n}"


PUBLIC_PARTNER = f"""# yaml-language-server: $schema=partner.schema.json
name: Mitra Publik Uji
pattern: general-trade
side: supplier
summary: Mitra publik untuk uji privasi.
region: {{province: Bali, city: Denpasar}}
logo: logos/rahasia-publik.svg
contact:
  email: publik@example.org
  person:
    name: {sentinel('person', 1)}
    role: {sentinel('person', 2)}
    email: {sentinel('mail', 3)}@example.org
    phone: "0899 7788 6655"
internal:
  owner: {sentinel('internal', 1)}
  notes: |
    {sentinel('internal', 2)}
  last_contact: 2026-01-01
  screening:
    question: {sentinel('internal', 3)}
    nested: [{sentinel('internal', 4)}, {{deeper: {sentinel('internal', 5)}}}]
"""

UNLISTED_PARTNER = f"""name: {sentinel('unlisted', 1)}
pattern: agency
side: agent
summary: {sentinel('unlisted', 2)}
description: {sentinel('unlisted', 3)}
region: {{province: Aceh, city: {sentinel('unlisted', 4)}}}
sectors: [{sentinel('unlisted', 5)}]
since: 2026-11-01
visibility: unlisted
internal: {{notes: {sentinel('internal', 6)}}}
"""

HIDDEN_PARTNER = f"""name: {sentinel('hidden', 1)}
pattern: foster-parent
side: foster-child
summary: {sentinel('hidden', 2)}
description: "{sentinel('hidden', 3)} **tebal**"
region: {{province: Papua, city: {sentinel('hidden', 4)}}}
sectors: [{sentinel('hidden', 5)}]
website: https://{sentinel('mail', 6)}.example.org
logo: logos/rahasia-tersembunyi.svg
contact:
  email: {sentinel('mail', 7)}@example.org
  person: {{name: {sentinel('hidden', 8)}, consent: true}}
activities: [{{title: {sentinel('hidden', 9)}}}]
evaluations: [{{period: "2025", summary: {sentinel('hidden', 10)}}}]
agreement: {{type: {sentinel('hidden', 11)}, start: 2025-01-01, end: 2027-01-01}}
since: 2026-11-20
visibility: hidden
internal: {{notes: {sentinel('internal', 7)}}}
"""

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><desc>{}</desc><rect width="10" height="10"/></svg>\n'


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def private_site(tmp_path_factory, request):
    """The data with sentinels, built by MkDocs with the hook, and by `portal render` + Zensical (both editions each)."""
    def make(base):
        folder = project(base, with_partners=True)
        data = os.path.join(folder, "partners")
        for name, text in (("mitra-publik-uji", PUBLIC_PARTNER), ("mitra-unlisted-uji", UNLISTED_PARTNER), ("mitra-hidden-uji", HIDDEN_PARTNER)):
            with open(os.path.join(data, f"{name}.yml"), "w", encoding="utf-8") as fh:
                fh.write(text)
        with open(os.path.join(data, "logos", "rahasia-publik.svg"), "w", encoding="utf-8") as fh:
            fh.write(LOGO.format("logo publik"))
        with open(os.path.join(data, "logos", "rahasia-tersembunyi.svg"), "w", encoding="utf-8") as fh:
            fh.write(LOGO.format(sentinel("hidden", 12)))
        result, site = build(folder) if request.param == "mkdocs" else build_zensical(folder)
        return {"site": site, "result": outcome(result)}

    made = shared(tmp_path_factory, f"privacy-{request.param}", make)
    result = made["result"]
    assert result["returncode"] == 0, result["stdout"] + result["stderr"]
    assert S not in result["stderr"] + result["stdout"]  # the build stays quiet about private values too
    return made["site"]


def every_file(site):
    for path in site_files(site):
        with open(path, "rb") as fh:
            raw = fh.read()
        if path.endswith(".gz") or raw[:2] == b"\x1f\x8b":  # sitemap.xml.gz, and every piece of the search index
            raw = gzip.decompress(raw)
        yield os.path.relpath(path, site).replace(os.sep, "/"), raw.decode("utf-8", "replace").lower()


def test_no_internal_or_unconsented_or_hidden_value_in_any_file(private_site):
    forbidden = [sentinel("internal", n) for n in range(1, 8)]
    forbidden += [sentinel("person", 1), sentinel("person", 2), sentinel("mail", 3), "8997788665", "0899 7788 6655"]
    forbidden += [sentinel("hidden", n) for n in range(1, 13)] + [sentinel("mail", 6), sentinel("mail", 7), "mitra-hidden-uji", "rahasia-tersembunyi"]
    scanned = 0
    for rel, text in every_file(private_site):
        scanned += 1
        for value in forbidden:
            assert value.lower() not in text, f"{value} in {rel}"
    assert scanned > 50


def test_unlisted_values_only_on_their_own_page(private_site):
    own = ("partners/mitra-unlisted-uji/index.html", "en/partners/mitra-unlisted-uji/index.html")  # each edition
    values = [sentinel("unlisted", n) for n in range(1, 6)] + ["mitra-unlisted-uji"]
    seen_on_own_page = False
    for rel, text in every_file(private_site):
        for value in values:
            if value.lower() in text:
                assert rel in own, f"{value} in {rel}"
                seen_on_own_page = True
    assert seen_on_own_page


def test_the_sentinels_would_be_found(private_site):
    """The scan is not vacuous: the public partner's page is there, with its public values."""
    files = dict(every_file(private_site))
    page = files["partners/mitra-publik-uji/index.html"]
    assert "mitra publik uji" in page and "publik@example.org" in page
    assert "assets/partners/logos/rahasia-publik.svg" in files
    assert "mitra publik uji" in files["api/partners.json"] and "mitra publik uji" in files["en/api/partners.json"]
    assert "partners/mitra-unlisted-uji/index.html" in files and "en/partners/mitra-unlisted-uji/index.html" in files
    assert any("mitra publik uji" in text for rel, text in files.items() if rel.startswith("pagefind/fragment/"))  # unpacked


def _project_of(site: str) -> str:
    folder = os.path.dirname(site)
    while not os.path.isdir(os.path.join(folder, "partners")):
        folder = os.path.dirname(folder)
    return folder


def _needles(private_site):
    catalog = load_catalog(os.path.join(_project_of(private_site), "partners"), today=TODAY)
    return catalog, build_public_site(catalog, TODAY, parallel=False)


def test_portal_check_reads_the_same_site_and_finds_no_leak(private_site):
    """`portal check`'s reading of a built site (the one definition of a leak) finds nothing in either build,
    and its needles hold every private sentinel of the data, so that finding nothing means something."""
    catalog, public = _needles(private_site)
    home = "https://example.github.io/portal-kemitraan/"
    editions = [sitecheck.EditionSite("mkdocs.yml", "id", home, private_site),
                sitecheck.EditionSite("mkdocs.en.yml", "en", home + "en/", os.path.join(private_site, "en"))]
    problems = sitecheck.check_site(private_site, editions, catalog, public)
    assert problems == [], "\n".join(problems)
    needles = sitecheck.private_needles(catalog, public, ["", "en/"])
    words = {w for entries in needles.by_key.values() for w, _, _ in entries}
    looked_for = {" ".join(w) for w in words}
    for value in [sentinel("internal", n) for n in range(1, 8)] + [sentinel("hidden", n) for n in (1, 2, 3, 4, 5, 8, 9, 10, 11)] + [sentinel("mail", 6), sentinel("mail", 7), sentinel("person", 1), sentinel("unlisted", 1)]:
        wanted = " ".join(sitecheck.words_of(value))
        assert any(f" {wanted} " in f" {w} " for w in looked_for), value
    assert "89977886655" in needles.phones


def test_portal_check_finds_a_value_planted_in_a_copy_of_the_built_site(private_site, tmp_path):
    catalog, public = _needles(private_site)
    copy = tmp_path / "site"
    shutil.copytree(private_site, copy)
    page = copy / "guide" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"<p>{sentinel('hidden', 1)} 0899-7788-6655</p></article>", 1), encoding="utf-8")
    found = sitecheck.leaks(str(copy), sitecheck.private_needles(catalog, public, ["", "en/"]))
    assert [str(p).split(":")[0] for p in found] == ["guide/index.html", "guide/index.html"], found


def test_portal_check_reports_exports_that_do_not_parse_after_the_leaks_and_links(private_site, tmp_path):
    """The exports are parsed beside the rest of the reading (in a forked worker): a broken JSON file, a
    table with a short row and a workbook cut in half are each one line, after a planted leak's line, and
    the reading of a whole site is the same with the worker as without."""
    catalog, public = _needles(private_site)
    copy = tmp_path / "site"
    shutil.copytree(private_site, copy)
    page = copy / "guide" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", f"<p>{sentinel('hidden', 1)}</p></article>", 1), encoding="utf-8")
    (copy / "api" / "directory.json").write_text('{"partners": [', encoding="utf-8")
    with open(copy / "partners.csv", "a", encoding="utf-8") as fh:
        fh.write("satu,dua\n")
    book = copy / "en" / "partners.xlsx"
    book.write_bytes(book.read_bytes()[: book.stat().st_size // 2])
    home = "https://example.github.io/portal-kemitraan/"
    editions = [sitecheck.EditionSite("mkdocs.yml", "id", home, str(copy)),
                sitecheck.EditionSite("mkdocs.en.yml", "en", home + "en/", str(copy / "en"))]
    found = [str(p) for p in sitecheck.check_site(str(copy), editions, catalog, public)]
    assert found[0].startswith("guide/index.html: ") and len(found) == 4, found
    assert sorted(line.split(": ", 2)[1] for line in found[1:]) == ["cannot be read", "cannot be read", "not a table"], found
    assert {line.split(":")[0] for line in found[1:]} == {"api/directory.json", "en/partners.xlsx", "partners.csv"}, found
    assert found[1:] == [str(p) for p in sitecheck.format_problems(str(copy))]


def test_the_vendored_editor_script_is_passed_over_only_byte_for_byte(private_site, tmp_path):
    """The leak scan passes over the third-party editor script only while it holds exactly the vendored
    bytes: a private value added to it, or written over it at the same size, is found. The editor's folder
    is scanned alone (whether a file is passed over depends on its bytes, not its place; the whole site is
    scanned by test_portal_check_reads_the_same_site_and_finds_no_leak)."""
    catalog, public = _needles(private_site)
    needles = sitecheck.private_needles(catalog, public, ["", "en/"])
    copy = tmp_path / "site"
    shutil.copytree(os.path.join(private_site, "admin"), copy / "admin")
    script = copy / "admin" / "decap-cms.js"
    original = script.read_bytes()
    assert sitecheck.leaks(str(copy), needles, parallel=False) == []
    planted = f"/* {sentinel('hidden', 1)} */".encode()
    for changed in (original + planted, planted + original[len(planted):]):
        script.write_bytes(changed)
        found = sitecheck.leaks(str(copy), needles, parallel=False)
        # Read as any other file, the script is found to hold the planted value (and ordinary words that
        # happen to be private values elsewhere), and nothing else in the editor's folder is.
        assert {str(p).split(":")[0] for p in found} == {"admin/decap-cms.js"}, found
        assert any("and that partner is hidden" in str(p) for p in found), found


def test_portal_check_finds_a_value_only_url_encoded_and_a_number_written_the_international_way(private_site, tmp_path):
    """A private value that a page holds only inside an encoded address (a mail link's body), and a private
    number written +62 with its own grouping: each is found, on the page that holds it and nowhere else."""
    catalog, public = _needles(private_site)
    copy = tmp_path / "site"
    shutil.copytree(private_site, copy)
    encoded = "".join(f"%{byte:02X}" for byte in sentinel("hidden", 1).encode())  # every character escaped
    for rel, planted in (("guide/index.html", f'<a href="mailto:halo@example.org?body={encoded}">94% surat</a>'),
                         ("patterns/index.html", "<p>Hubungi +62 899-7788-6655 (WA)</p>")):
        page = copy / rel
        page.write_text(page.read_text(encoding="utf-8").replace("</article>", planted + "</article>", 1), encoding="utf-8")
    found = sitecheck.leaks(str(copy), sitecheck.private_needles(catalog, public, ["", "en/"]), parallel=False)
    assert sorted(str(p).split(":")[0] for p in found) == ["guide/index.html", "patterns/index.html"], found


def test_two_unlisted_partners_sharing_a_value_may_each_show_it_on_their_own_page_and_nowhere_else(tmp_path):
    """Two branches of one organisation, both unlisted, with the same summary: each one's page shows its own
    summary, which is the other's too; that is no leak. Any other page showing it still is, for both."""
    data = copy_reference_data(str(tmp_path / "project"))
    shared_summary = "Cabang koperasi kopi arabika yang mengolah panen anggota di dataran tinggi"
    for slug in ("cabang-utara", "cabang-selatan"):
        with open(os.path.join(data, f"{slug}.yml"), "w", encoding="utf-8") as fh:
            fh.write(f"name: Koperasi Kopi {slug.title()}\npattern: agency\nside: agent\nsummary: {shared_summary}\n"
                     "region: {province: Aceh}\nsince: 2026-11-01\nvisibility: unlisted\n")
    catalog = load_catalog(data, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    public = build_public_site(catalog, TODAY, parallel=False)
    site = tmp_path / "site"
    for rel in ("partners/cabang-utara/index.html", "en/partners/cabang-selatan/index.html", "guide/index.html"):
        (site / rel).parent.mkdir(parents=True)
        (site / rel).write_text(f"<html><body><p>{shared_summary}</p></body></html>", encoding="utf-8")
    found = sorted(str(problem) for problem in sitecheck.leaks(str(site), sitecheck.private_needles(catalog, public, ["", "en/"]), parallel=False))
    assert [line.split(":")[0] for line in found] == ["guide/index.html", "guide/index.html"], found
    assert "cabang-selatan.yml" in found[0] + found[1] and "cabang-utara.yml" in found[0] + found[1]
