"""The screenshots of STAFF.md's section on the web editor: the demo built, its editor opened in Chromium with
Decap's test backend (as tests/test_editor.py opens it), each step saved as a PNG into staff-guide/.

    .venv/bin/python scripts/staff_screenshots.py
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "staff-guide")


def _load(name: str):
    """A helper module of the tests, by its path (the tests' folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "tests", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, os.path.join(ROOT, "tests"))  # the tests' helpers import each other by name
    browser_helpers, sitebuild, editor = _load("browser"), _load("sitebuild"), _load("test_editor")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = sitebuild.project(os.path.join(work, "demo"))
        result, site = sitebuild.build(folder, english=False)
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        with browser_helpers.StaticServer(site) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_helpers.chromium_path(), args=browser_helpers.CHROMIUM_ARGS)
            page = editor.open_editor(browser, server.url, os.path.join(folder, "partners"))
            page.screenshot(path=os.path.join(OUT, "1-daftar-mitra.png"))
            page.get_by_label("Buat Mitra baru").click()
            page.get_by_label("Nama lembaga", exact=True).fill("Kelompok Nelayan Teluk Biru")
            page.get_by_label("Pola kemitraan").fill("Bapak angkat")
            page.keyboard.press("Enter")
            page.get_by_label("Pihak dalam pola").fill("Anak angkat")
            page.get_by_role("option", name="Anak angkat (Bapak angkat – anak angkat)", exact=True).click()
            page.get_by_label("Ringkasan", exact=True).fill("Kelompok nelayan kecil yang mengeringkan ikan asin dan mencari bapak angkat.")
            page.screenshot(path=os.path.join(OUT, "2-mitra-baru.png"))
            page.on("dialog", lambda dialog: dialog.accept())  # leave the new partner unsaved: it is only a picture
            page.get_by_role("link", name="Menulis di koleksi Mitra").click()
            page.get_by_text("Kelompok Wanita Tani Melati").click()
            page.get_by_role("button", name="Tambah kegiatan").click()
            page.get_by_label("Judul kegiatan").last.fill("Pelatihan sirup jahe")
            page.get_by_label("Judul kegiatan").last.scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(OUT, "3-tambah-kegiatan.png"))
            page.get_by_role("button", name="Terbitkan").click()
            page.screenshot(path=os.path.join(OUT, "4-terbitkan.png"))
            browser.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
