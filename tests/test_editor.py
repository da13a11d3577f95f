"""The staff's web editor at /admin/ (Decap CMS), in a real browser with Decap's test backend: a partner added,
one corrected and an activity recorded through the form, in Indonesian; what the form refuses; the files it
writes valid, built and shown; nothing private on the page and no request leaving the site."""

from __future__ import annotations

import base64
import glob
import html
import json
import os
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from browser import StaticServer, stub_outside
from conftest import TODAY
from portal_kemitraan.core.catalog import load_catalog

# Its module-wide fixture (a project it changes, or a server) stays in one worker under pytest-xdist.
pytestmark = pytest.mark.xdist_group("editor")

NEW = "kelompok-nelayan-teluk-biru"
READ_FILES = """async () => {
  const out = {};
  const walk = async (tree) => {
    for (const value of Object.values(tree)) {
      if (value && typeof value.path === 'string' && 'content' in value) {
        const c = value.content;
        out[value.path] = typeof c === 'string' ? {text: c}
          : {base64: btoa(String.fromCharCode(...new Uint8Array(await c.fileObj.arrayBuffer())))};
      } else if (value && typeof value === 'object') { await walk(value); }
    }
  };
  await walk(window.repoFiles);
  return out;
}"""


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    from sitebuild import build, project

    folder = project(str(tmp_path_factory.mktemp("editor")))
    result, site = build(folder, english=False)
    assert result.returncode == 0, result.stderr
    return folder, site


def repo_files(data: str) -> dict:
    """The data folder as Decap's test backend holds a repository (window.repoFiles): every .yml file, the
    reference files beside the partners included, so the list of partners must leave them out."""
    files: dict = {"patterns": {}}
    for path in sorted(glob.glob(os.path.join(data, "*.yml")) + glob.glob(os.path.join(data, "patterns", "*.yml"))):
        rel = os.path.relpath(path, data).replace(os.sep, "/")
        with open(path, encoding="utf-8") as fh:
            entry = {"path": f"partners/{rel}", "content": fh.read()}
        (files["patterns"] if rel.startswith("patterns/") else files)[os.path.basename(rel)] = entry
    return {"partners": files}


def open_editor(browser, server: str, data: str, size=(1280, 800)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="id-ID")
    stub_outside(context)
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda exc: page.errors.append(f"{exc.name}: {exc.message} {exc.stack}"[:500]))

    # Decap's test backend instead of GitHub: the same configuration and rules, an in-browser repository.
    def test_backend(route):
        response = route.fetch()
        portal = json.loads(response.text())
        portal["config"]["backend"] = {"name": "test-repo"}
        route.fulfill(response=response, body=json.dumps(portal))

    page.route("**/admin/portal-editor.json", test_backend)
    page.add_init_script(f"window.repoFiles = {json.dumps(repo_files(data))};")
    page.goto(server + "admin/")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Kelompok Wanita Tani Melati")).to_be_visible()
    return page


def open_entry(page, name: str, field) -> None:
    """Open an entry of a list by its name until its form shows `field`: Decap draws the list again once its
    entries have loaded, and a click on the first drawing can land on nothing (seen under load)."""
    for _ in range(10):
        page.get_by_text(name).first.click()
        try:
            field.wait_for(state="visible", timeout=3_000)
            return
        except PlaywrightTimeout:
            continue
    expect(field).to_be_visible()


def publish(page) -> None:
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Terbitkan sekarang").click()


def written(page) -> dict:
    return page.evaluate(READ_FILES)


def png(path: str) -> str:
    from PIL import Image

    Image.new("RGB", (64, 64), (20, 90, 140)).save(path)
    return path


@pytest.mark.browser
def test_a_partner_added_corrected_and_given_an_activity_through_the_editor_shows_on_the_site(browser, editor_site, tmp_path):
    from sitebuild import build

    import shutil

    shared, site = editor_site
    folder = shutil.copytree(shared, str(tmp_path / "project"), ignore=shutil.ignore_patterns("site"))  # the shared build stays as built
    data = os.path.join(folder, "partners")
    with StaticServer(site) as server:
        page = open_editor(browser, server.url, data)
        # The list holds partners only: the reference files beside them are not offered as partners.
        links = page.eval_on_selector_all("a[href*='/collections/partners/entries/']", "ls => ls.map(a => a.getAttribute('href'))")
        assert links and not [h for h in links if h.rsplit("/", 1)[-1] in ("search", "stages", "forms")], links
        page.get_by_label("Buat Mitra baru").click()
        # Indonesian labels; a pattern and a side chosen by their names.
        page.get_by_label("Nama lembaga", exact=True).fill("Kelompok Nelayan Teluk Biru")
        page.get_by_label("Pola kemitraan").fill("Bapak angkat")
        page.keyboard.press("Enter")
        page.get_by_label("Pihak dalam pola").fill("Agen")
        page.get_by_role("option", name="Agen (Keagenan)", exact=True).click()
        page.get_by_label("Ringkasan", exact=True).fill("x" * 281)
        page.get_by_label("Provinsi").fill("Sulawesi Tengah")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Pilih gambar").click()
        page.set_input_files("input[type=file]", png(str(tmp_path / "teluk-biru.png")))
        page.get_by_role("button", name="Pakai yang dipilih").click()
        # A summary over 280 characters is refused in the form, with validate's limit.
        publish(page)
        expect(page.get_by_text("Ringkasan tidak sesuai aturan: Paling banyak 280 huruf.")).to_be_visible()
        assert f"partners/{NEW}.yml" not in written(page)
        # A side of another pattern is refused too, saying which sides the pattern has.
        page.get_by_label("Ringkasan", exact=True).fill("Kelompok nelayan kecil yang mengeringkan ikan asin dan mencari bapak angkat.")
        publish(page)
        expect(page.get_by_text("Isian tidak dapat disimpan: Pihak “agent” bukan pihak pola yang dipilih; pilih salah satu: foster-parent, foster-child.")).to_be_visible()
        assert f"partners/{NEW}.yml" not in written(page)
        assert len(page.errors) <= 2  # Decap leaves the promise of each refused save rejected, unhandled: those two only
        page.errors.clear()
        page.get_by_label("Pihak dalam pola").fill("Anak angkat")
        page.get_by_role("option", name="Anak angkat (Bapak angkat – anak angkat)", exact=True).click()
        publish(page)
        expect(page.get_by_role("button", name="Sudah terbit")).to_be_visible()
        # An existing partner's summary corrected, and an activity added to it.
        page.get_by_role("link", name=re.compile("Menulis di koleksi Mitra")).click()
        open_entry(page, "Kelompok Wanita Tani Melati", page.get_by_label("Ringkasan", exact=True))
        expect(page.get_by_label("Ringkasan", exact=True)).to_have_value(re.compile("^Kelompok wanita tani"))
        page.get_by_label("Ringkasan", exact=True).fill("Kelompok wanita tani yang mengolah jamu, keripik dan sirup jahe dari pekarangan.")
        page.get_by_role("button", name="Tambah kegiatan").click()
        page.get_by_label("Judul kegiatan").last.fill("Pelatihan sirup jahe")
        page.get_by_label("Tanggal").last.fill(TODAY.isoformat())
        page.get_by_label("Ringkasan kegiatan").last.fill("Dua puluh anggota belajar membuat sirup jahe.")
        publish(page)
        expect(page.get_by_role("button", name="Sudah terbit")).to_be_visible()
        files = written(page)
        outside = [u for u in page.requests if not u.startswith(server.url)]
        assert page.errors == []
        page.context.close()
    assert outside == []  # no request leaves the site (the test backend stands for the git host)
    for path, content in files.items():
        target = os.path.join(folder, *path.split("/"))
        if "text" in content:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(content["text"])
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(base64.b64decode(content["base64"]))
    # What the editor wrote is valid, as `validate` reads it, and the site built from it shows it.
    catalog = load_catalog(data, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    new = catalog.partners[NEW].data
    assert (new.pattern, new.side, new.region.province, new.logo) == ("foster-parent", "foster-child", "Sulawesi Tengah", "logos/teluk-biru.png")
    melati = catalog.partners["kwt-melati"].data
    assert "sirup jahe" in melati.summary and melati.activities[-1].title == "Pelatihan sirup jahe"
    result, site = build(folder, english=False)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(site, "partners", NEW, "index.html"), encoding="utf-8") as fh:
        assert "Kelompok Nelayan Teluk Biru" in fh.read()
    with open(os.path.join(site, "partners", "kwt-melati", "index.html"), encoding="utf-8") as fh:
        page_text = fh.read()
    assert "sirup jahe dari pekarangan" in page_text and "Pelatihan sirup jahe" in page_text


@pytest.mark.browser
def test_a_pattern_is_edited_in_its_own_file_and_stays_valid(browser, editor_site, tmp_path):
    """The patterns are in the editor too: a pattern's summary changed, its file still a valid pattern."""
    import shutil

    shared, site = editor_site
    folder = shutil.copytree(shared, str(tmp_path / "project"), ignore=shutil.ignore_patterns("site"))
    data = os.path.join(folder, "partners")
    with StaticServer(site) as server:
        page = open_editor(browser, server.url, data)
        page.get_by_role("link", name="Pola kemitraan").click()
        summary = page.get_by_label("Bahasa Indonesia", exact=True).nth(1)  # the name's, then the summary's
        open_entry(page, "Keagenan", summary)
        expect(summary).to_have_value(re.compile("^Usaha kecil menjadi agen"))
        summary.fill("Usaha kecil menjadi agen resmi yang memasarkan produk usaha yang lebih besar di wilayahnya.")
        publish(page)
        expect(page.get_by_role("button", name="Sudah terbit")).to_be_visible()
        text = written(page)["partners/patterns/agency.yml"]["text"]
        page.context.close()
    with open(os.path.join(data, "patterns", "agency.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    catalog = load_catalog(data, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    assert catalog.patterns["agency"].summary.id.startswith("Usaha kecil menjadi agen resmi")
    assert [s.id for s in catalog.patterns["agency"].sides] == ["principal", "agent"]


def test_the_editor_is_in_the_main_edition_only_and_holds_nothing_private(editor_site):
    folder, site = editor_site
    names = sorted(os.listdir(os.path.join(site, "admin")))
    assert names == ["LICENSE-decap-cms.txt", "decap-cms.js", "decap-cms.js.LICENSE.txt", "index.html", "portal-editor.css", "portal-editor.js",
                     "portal-editor.json"]
    page = html.unescape(open(os.path.join(site, "admin", "index.html"), encoding="utf-8").read())
    assert '<meta name="robots" content="noindex, nofollow">' in page and "Content-Security-Policy" in page
    assert "connect-src 'self' blob: data: https://api.github.com" in page
    text = "".join(open(os.path.join(site, "admin", n), encoding="utf-8").read() for n in ("index.html", "portal-editor.json"))
    for secret in ("internal:", "Suparman", "durian", "Pameran pangan"):  # staff notes and hidden partners of the demo
        assert secret not in text
    assert not os.path.exists(os.path.join(site, "en", "admin"))


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_the_editor_s_page_has_no_accessibility_violation(browser, editor_site, size):
    """axe-core on the editor as staff see it: the list of partners, and a partner's form."""
    from test_browser import axe_violations

    folder, site = editor_site
    with StaticServer(site) as server:
        page = open_editor(browser, server.url, os.path.join(folder, "partners"), size)
        found = {"list": axe_violations(page)}
        open_entry(page, "Kelompok Wanita Tani Melati", page.get_by_label("Ringkasan", exact=True))
        expect(page.get_by_label("Ringkasan", exact=True)).to_have_value(re.compile("^Kelompok wanita tani"))
        found["form"] = axe_violations(page)
        page.context.close()
    problems = {view: [(v["id"], len(v["nodes"]), v["nodes"][0]["target"], v["nodes"][0].get("failureSummary", "")[:300]) for v in found[view]] for view in found}
    assert problems == {"list": [], "form": []}, problems


@pytest.mark.browser
@pytest.mark.parametrize("locale, label, button, refused", [
    ("id-ID", "Token GitHub Anda", "Masuk", "Itu bukan token GitHub"),
    ("en-US", "Your GitHub token", "Sign in", "That is not a GitHub token"),
])
def test_staff_sign_in_with_their_own_token_in_their_browser_s_language(browser, editor_site, locale, label, button, refused):
    """GitHub without an OAuth server: the staff member's token, checked for its shape, kept in the browser;
    the words follow the browser's language. Only the site and the git host are asked for anything."""
    folder, site = editor_site
    with StaticServer(site) as server:
        context = browser.new_context(locale=locale)
        stub_outside(context)
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.url + "admin/")
        page.get_by_label(label).fill("bukan-token")
        page.get_by_role("button", name=button).click()
        expect(page.get_by_text(refused)).to_be_visible()
        assert page.evaluate("localStorage.getItem('decap-cms-user')") is None
        page.get_by_label(label).fill("github_pat_" + "A1b2C3d4E5" * 4)
        with page.expect_request(lambda request: request.url.startswith("https://api.github.com/")) as asked:  # Decap asks who this is
            page.get_by_role("button", name=button).click()
        expect(page.locator("#portal-signin")).to_be_hidden()
        assert asked.value.headers.get("authorization") == "token github_pat_" + "A1b2C3d4E5" * 4  # the staff member's own access
        context.close()
    assert {u.split("/")[2] for u in requests} <= {server.url.split("/")[2], "api.github.com"}, requests
