"""The staff preview (`mkdocs serve`): after saving a partner file, every page that shows the partner is
served updated; an added partner appears and a deleted one disappears. Real server, small N."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import TODAY
from sitebuild import EPOCH, project

# Its module-wide fixture (a project it changes, or a server) stays in one worker under pytest-xdist.
pytestmark = pytest.mark.xdist_group("preview")

BASE = "/portal-kemitraan/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module", params=[["--dirty"], []], ids=["dirty", "full"])
def preview(tmp_path_factory, request):
    """The README's preview (`mkdocs serve --dirty`: only what changed is rebuilt) and plain `mkdocs serve`."""
    root = project(str(tmp_path_factory.mktemp("preview")))
    port = free_port()
    # Its own temporary folder: MkDocs serves a copy of the site from there, and the preview stages its pages there.
    temporary = str(tmp_path_factory.mktemp("preview-tmp"))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, TMPDIR=temporary)
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *request.param, "-a", f"127.0.0.1:{port}"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    log: list[str] = []
    # The log is read as it comes (a full pipe would stop the server), and tells when the watcher runs:
    # MkDocs starts watching before it says where it serves.
    reader = threading.Thread(target=lambda: log.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}{BASE}"
    try:
        wait_for(lambda: any("Serving on" in line for line in list(log)), "the server watching the files")
        wait_for(lambda: get(url) is not None, "the first build")
        yield root, url
    finally:
        # Stopped as `kill` does, or as a closed terminal does: it cleans up as after Ctrl+C.
        proc.send_signal(signal.SIGTERM if request.param else signal.SIGHUP)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert os.listdir(temporary) == [], "the stopped preview left its copies of the site in the temporary folder"


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(check, what: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"the preview did not show {what} within {timeout:.0f} s")


def edit(root: str, name: str, old: str, new: str) -> None:
    path = os.path.join(root, "partners", name)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


def updated(url: str, pages: dict[str, bool]) -> bool:
    """Each page (path -> whether NEW should be in it) served as expected; pages are written one by one
    during a rebuild, so the check is repeated until all agree."""
    for path, present in pages.items():
        body = get(url + path)
        if present and (body is None or NEW not in body):
            return False
        if not present and body is not None and NEW in body:
            return False
    return True


NEW = "Toko Tani Berkah Sentosa"


def searched(browser, url: str, words: str) -> list[str] | None:
    """What the site's search answers for these words in the preview now (None while it cannot answer)."""
    page = browser.new_page()
    try:
        page.goto(url)
        return page.evaluate(
            """async (q) => { const dialog = document.querySelector('.portal-search-dialog');
              const pf = await window.portalSearch.load(dialog ? dialog.getAttribute('data-base') : './');
              const found = await window.portalSearch.find(pf, q, {}, 'preview-' + Date.now());
              return Promise.all(found.results.map(r => r.data().then(d => d.url))); }""",
            words,
        )
    except Exception:  # the index is being replaced: ask again
        return None
    finally:
        page.close()


def test_an_edit_reaches_every_page_that_shows_the_partner(preview, browser):
    root, url = preview
    edit(root, "toko-tani-berkah.yml", 'name: "Toko Tani Berkah"', f'name: "{NEW}"')
    # Its profile, the directory's first page and data, its pattern page, the home page's newest partners.
    assert 'name="portal-fresh-search"' in (get(url) or "")  # the preview's pages read its fresh index too
    pages = {"partners/toko-tani-berkah/": True, "partners/": True, "api/directory.json": True, "patterns/agency/": True, "": True,
             "api/partners/toko-tani-berkah.json": True, "api/partners.json": True, "partners.csv": True}
    wait_for(lambda: updated(url, pages), "the edit on every page that shows the partner")
    # The search index follows (written beside the preview, after the pages): the new name is found, and every
    # other page is still in it, once.
    base = url[url.index("/", len("http://")):]
    wait_for(lambda: (searched(browser, url, "Sentosa") or []) == [base + "partners/toko-tani-berkah/"], "the edit found by the search")
    assert base + "partners/kwt-melati/" in searched(browser, url, "jamu")  # the other partners are still there
    assert searched(browser, url, "kemitraan")  # and the pages


def test_an_added_partner_appears_and_a_deleted_one_disappears(preview, browser):
    root, url = preview
    source = os.path.join(root, "partners", "kwt-melati.yml")
    with open(source, encoding="utf-8") as fh:
        text = fh.read().replace('name: "Kelompok Wanita Tani Melati"', 'name: "Kelompok Wanita Tani Mawar"')
    with open(os.path.join(root, "partners", "kwt-mawar.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    shown = lambda: get(url + "partners/kwt-mawar/") is not None and "Kelompok Wanita Tani Mawar" in (get(url + "partners/") or "") \
        and "kwt-mawar" in (get(url + "api/directory.json") or "")  # noqa: E731
    wait_for(shown, "the added partner on its page, in the directory and its data")
    base = url[url.index("/", len("http://")):]
    wait_for(lambda: base + "partners/kwt-mawar/" in (searched(browser, url, "Mawar") or []), "the added partner found by the search")
    os.remove(os.path.join(root, "partners", "kwt-mawar.yml"))
    gone = lambda: get(url + "partners/kwt-mawar/") is None and "Kelompok Wanita Tani Mawar" not in (get(url + "partners/") or "x") \
        and "kwt-mawar" not in (get(url + "api/directory.json") or "kwt-mawar")  # noqa: E731
    wait_for(gone, "the deleted partner gone from its page, the directory and its data")
    wait_for(lambda: (lambda found: found is not None and base + "partners/kwt-mawar/" not in found and base + "partners/kwt-melati/" in found)(searched(browser, url, "jamu")),
             "the deleted partner gone from the search index")


# --- what the preview keeps, and what nothing else keeps ----------------------------------------------


def test_the_preview_sees_an_edit_by_its_bytes_and_reuses_only_what_is_unchanged(tmp_path):
    """A file rewritten with the same size and modification time (a checkout, a copy that keeps times) is
    read again, because the preview keys what it keeps by the file's state on disk, its change time among it
    (which no copy can set); an unchanged partner keeps its projection (the same record), and a changed logo is
    seen through its own state."""
    import datetime as dt

    from conftest import copy_reference_data
    from portal_kemitraan.adapters.preview import Preview

    root = copy_reference_data(str(tmp_path), with_partners=True)
    preview = Preview(dirty=False)
    try:
        catalog, site = preview.load(root, TODAY, 60)
        first = {p.slug: p for p in site.pages}
        path = os.path.join(root, "kwt-melati.yml")
        st = os.stat(path)
        text = open(path, encoding="utf-8").read()
        assert "Kelompok Wanita Tani Melati" in text
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.replace("Kelompok Wanita Tani Melati", "Kelompok Wanita Tani Seruni"))  # same length
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert os.stat(path).st_size == st.st_size and os.stat(path).st_mtime_ns == st.st_mtime_ns
        catalog, site = preview.load(root, TODAY, 60)
        now = {p.slug: p for p in site.pages}
        assert now["kwt-melati"].name == "Kelompok Wanita Tani Seruni"
        assert all(now[slug] is first[slug] for slug in first if slug != "kwt-melati")  # kept, not made again
        catalog, site = preview.load(root, TODAY + dt.timedelta(days=1), 60)  # another build date: all made again
        assert not any(p is now[p.slug] for p in site.pages)
    finally:
        preview.close()


def test_core_and_render_keep_nothing_between_calls():
    """No cache in core or render: no memoised function, no module-level container but declared constants
    (ALL-CAPS names, such as the sanitiser's allowlists), no cache parameter on the three steps."""
    import functools
    import importlib
    import inspect
    import pkgutil

    import portal_kemitraan.core
    import portal_kemitraan.render
    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.render.site import render_site

    found, seen = [], 0
    for package in (portal_kemitraan.core, portal_kemitraan.render):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            seen += 1
            for name, value in vars(module).items():
                if (isinstance(value, functools._lru_cache_wrapper) or hasattr(value, "cache_info")) and value.__module__ == module.__name__:
                    found.append(f"{module.__name__}.{name}: a memoised function")
                elif isinstance(value, (dict, list, set, bytearray)) and not name.startswith("__") and not name.isupper():
                    found.append(f"{module.__name__}.{name}: a module-level {type(value).__name__}")
    assert seen > 20 and found == [], "\n".join(found)
    for fn in (load_catalog, build_public_site, render_site):
        assert not {"memo", "cache", "kept", "compiled"} & set(inspect.signature(fn).parameters), fn.__name__


def test_adapters_import_nothing_from_each_other():
    """The MkDocs hook, `portal render` and the preview meet only in hooks/portal_hook.py."""
    import ast

    from conftest import ROOT

    folder = os.path.join(ROOT, "src", "portal_kemitraan", "adapters")
    names = {n[:-3] for n in os.listdir(folder) if n.endswith(".py") and n != "__init__.py"}
    crossing = []
    for name in sorted(names):
        tree = ast.parse(open(os.path.join(folder, f"{name}.py"), encoding="utf-8").read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = ("." * node.level) + (node.module or "")
                if node.level == 1 and (node.module in names or (node.module is None and {a.name for a in node.names} & names)):
                    crossing.append(f"{name}: from {target} import ...")
                if (node.module or "").startswith("portal_kemitraan.adapters"):
                    crossing.append(f"{name}: from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(a.name.startswith("portal_kemitraan.adapters") for a in node.names):
                crossing.append(f"{name}: import {[a.name for a in node.names]}")
    assert len(names) >= 3 and crossing == [], crossing


def test_the_preview_makes_again_only_the_search_documents_of_changed_partners():
    """The bundle maker takes the preview's memory (`reuse`): an unchanged partner keeps its document and its
    words, a changed one gets new ones, and the documents and word lists are those made without memory."""
    import dataclasses

    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.render.i18n import Locale
    from portal_kemitraan.render.search import documents, vocabulary

    from conftest import DATA

    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY, 60, parallel=False)
    reuse: dict = {}
    first = documents(site, Locale("id"), site.synonyms, (), reuse)
    assert first == documents(site, Locale("id"), site.synonyms)
    assert vocabulary(first, reuse) == vocabulary(first)
    changed = dataclasses.replace(site.listed[0], summary="Koperasi yang kini juga menjual madu hutan.")
    site = dataclasses.replace(site, listed=(changed, *site.listed[1:]))
    again = documents(site, Locale("id"), site.synonyms, (), reuse)
    assert again == documents(site, Locale("id"), site.synonyms) and again[0] != first[0]
    assert all(a is b for a, b in zip(again[1:len(site.listed)], first[1:len(site.listed)]))  # the same objects
    assert b"madu" in b"".join(vocabulary(again, reuse).values()) and vocabulary(again, reuse) == vocabulary(again)


def test_the_preview_rebuilds_on_changes_but_not_on_reading(tmp_path, caplog):
    """The watches move from polling to the system's notifications, which also report a file being read:
    every build reads every partner file, so a read must not ask for a rebuild (it would never stop)."""
    import logging

    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from portal_kemitraan.adapters.mkdocs import _notified

    watched = tmp_path / "partners"
    watched.mkdir()
    (watched / "dibaca.yml").write_text("name: A\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    try:
        server.watch(str(watched))
        _notified(server)
        assert not isinstance(server.observer, PollingObserver)
        caplog.set_level(logging.DEBUG, logger="mkdocs.livereload")
        server.observer.start()
        (watched / "dibaca.yml").read_text(encoding="utf-8")
        (watched / "diubah.yml").write_text("name: B\n", encoding="utf-8")
        wait_for(lambda: server._want_rebuild, "a change asking for a rebuild", timeout=30)
        seen = [r.getMessage() for r in caplog.records if r.name == "mkdocs.livereload"]
        assert any("diubah.yml" in line for line in seen) and not any("dibaca.yml" in line for line in seen), seen
    finally:
        server.observer.stop()
        server.server_close()


class _Maker:
    """Render's search maker as the preview's indexer uses it, over documents the test sets, whose whole
    index waits until the test lets it go: what a reader's search answers meanwhile is the fresh index's."""

    lang = "id"

    def __init__(self, docs):
        self.docs, self.gate = docs, threading.Event()

    def documents(self, reuse=None):
        return list(self.docs)

    def bundle(self, docs, polite=False, reuse=None, indexed=None, ready=None):
        from portal_kemitraan.render.bundle import search_bundle

        assert self.gate.wait(60), "the test never let the whole index go"
        return search_bundle(indexed, self.lang)


def test_a_save_is_found_by_the_fresh_index_before_the_whole_index_is_written_again(tmp_path, browser):
    """While the whole index is being written again, the site's search (its own script, in Chromium) already
    finds a changed partner by its new words and no longer by its old ones, leaves a removed partner out and
    still finds the others; once the whole index is written, the same answers come from it alone."""
    import dataclasses
    import shutil

    from portal_kemitraan.adapters.preview import Indexer
    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.render.i18n import Locale
    from portal_kemitraan.render.search import documents

    from browser import StaticServer
    from conftest import DATA, ROOT

    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY, 60, parallel=False)
    first, *others = site.listed
    first = dataclasses.replace(first, summary="Kelompok yang dulu memanen zuriatlama bersama warga.")  # a word no one else has
    site = dataclasses.replace(site, listed=(first, *others))
    folder = tmp_path / "site"
    folder.mkdir()
    shutil.copy(os.path.join(ROOT, "docs", "assets", "portal.js"), folder / "portal.js")
    (folder / "index.html").write_text('<!doctype html><html lang="id"><head><meta name="portal-fresh-search" content="pagefind-fresh">'
                                       '<script src="portal.js"></script></head><body></body></html>', encoding="utf-8")
    fresh = folder / "pagefind-fresh" / "stale.json"
    maker, indexer = _Maker(documents(site, Locale("id"), site.synonyms)), Indexer()
    maker.gate.set()
    indexer.submit(maker, str(folder / "pagefind"))
    wait_for(lambda: indexer.indexed is not None and fresh.exists() and json.loads(fresh.read_text()) == {"fresh": False, "stale": []}, "the whole index")
    # A save: the first partner's summary changes, the last partner is removed; the whole index is held back.
    maker.gate.clear()
    changed = dataclasses.replace(first, summary="Kelompok yang kini memanen madu hutan bersama warga.")
    maker.docs = documents(dataclasses.replace(site, listed=(changed, *others[:-1])), Locale("id"), site.synonyms)
    indexer.submit(maker, str(folder / "pagefind"))  # as the build begins
    indexer.follow([])  # as it ends
    wait_for(lambda: fresh.exists() and json.loads(fresh.read_text())["fresh"], "the fresh index")
    assert json.loads(fresh.read_text())["stale"] == sorted([first.url, others[-1].url])
    server = StaticServer(str(folder))
    try:
        url = server.url
        base = url[url.index("/", len("http://")):]
        assert searched(browser, url, "madu hutan") == [base + first.url]
        assert base + first.url not in (searched(browser, url, "zuriatlama") or [])
        assert base + others[-1].url not in (searched(browser, url, others[-1].name) or [])
        assert base + others[0].url in searched(browser, url, others[0].name)
        maker.gate.set()  # the whole index is written: the fresh one empties, and the whole one answers the same
        wait_for(lambda: json.loads(fresh.read_text()) == {"fresh": False, "stale": []}, "the fresh index emptied")
        assert searched(browser, url, "madu hutan") == [base + first.url]
        assert base + others[-1].url not in (searched(browser, url, others[-1].name) or [])
    finally:
        maker.gate.set()
        server.stop()


def test_a_fresh_index_is_left_out_when_most_documents_changed(tmp_path, monkeypatch):
    """New reference data or labels change every document: indexing them beside the build would cost what the
    whole index costs, so there is no fresh index and nothing is left out; the whole index answers, as before."""
    from portal_kemitraan.adapters import preview
    from portal_kemitraan.render.search import page_doc

    docs = [page_doc(f"halaman-{i}/", f"Halaman {i}", f"<p>kata{i}</p>", "id") for i in range(3)]
    indexed = {doc.url: doc for doc in docs}
    changed = [page_doc(doc.url, "Baru", "<p>baru</p>", "id") for doc in docs[:2]] + docs[2:]
    out, stale = tmp_path / "pagefind", tmp_path / "pagefind-fresh" / "stale.json"
    monkeypatch.setattr(preview, "FRESH_MOST", 2)
    preview.Indexer._write_fresh(_Maker(changed), str(out), changed, indexed)
    assert json.loads(stale.read_text()) == {"fresh": True, "stale": ["halaman-0/", "halaman-1/"]}
    monkeypatch.setattr(preview, "FRESH_MOST", 1)
    preview.Indexer._write_fresh(_Maker(changed), str(out), changed, indexed)
    assert json.loads(stale.read_text()) == {"fresh": False, "stale": []}
    assert sorted(os.listdir(tmp_path / "pagefind-fresh")) == ["stale.json"]
