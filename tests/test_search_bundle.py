"""The search bundle's producer: Pagefind's Python API, a checked version, the same bytes for the same documents."""

from __future__ import annotations

import os

import pytest

from portal_kemitraan.render import bundle
from portal_kemitraan.render.search import SearchDoc, page_doc


def test_the_installed_pagefind_is_a_checked_version():
    bundle.check_version(bundle.pagefind_version())


@pytest.mark.parametrize("version", ["1.6.0", "2.0.0", "1.4.0", "1.5.2rc1"])
def test_an_unchecked_pagefind_version_is_refused_with_what_to_do(version):
    with pytest.raises(bundle.SearchIndexError) as caught:
        bundle.check_version(version)
    assert version in str(caught.value) and "render/bundle.py" in str(caught.value)


def test_the_same_documents_give_the_same_bundle_in_any_order_of_filters():
    docs = [page_doc(f"guide/{n}/", f"Panduan {n}", f"<p>koperasi nelayan ke-{n}</p>", "id") for n in range(30)]
    first, second = bundle.search_bundle(docs, "id"), bundle.search_bundle(list(docs), "id")
    assert first == second
    assert "pagefind/pagefind.js" in first and not any(name.endswith("pagefind-ui.js") for name in first)
    assert all(name.startswith("pagefind/") for name in first)


def test_an_indexer_that_stops_is_an_error_not_a_hang(monkeypatch):
    import pagefind_bin

    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: "/bin/true")  # starts, answers nothing, exits
    with pytest.raises(bundle.SearchIndexError) as caught:
        bundle.search_bundle([page_doc("a/", "A", "<p>kata</p>", "id")], "id")
    assert "could not be written" in str(caught.value)


# An indexer that refuses every request, then stays running: it writes its process id where the test reads it.
REFUSING_INDEXER = """#!{python}
import base64, json, os, sys, time
open({pidfile!r}, "w").write(str(os.getpid()))
buffer = b""
while True:
    byte = sys.stdin.buffer.read(1)
    if not byte:
        time.sleep(60)
    if byte != b",":
        buffer += byte
        continue
    asked = json.loads(base64.b64decode(buffer))
    buffer = b""
    answer = {{"message_id": asked["message_id"], "payload": {{"type": "Error", "message": "no"}}}}
    sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
    sys.stdout.flush()
"""


def test_an_indexer_that_refuses_is_an_error_and_is_stopped_leaving_nothing_behind(monkeypatch, tmp_path):
    """The error is said; the indexer process does not outlive the call; nothing of it is left for the
    garbage collector to close on an event loop that has ended (Python reports that as an error of its own)."""
    import gc
    import signal
    import sys

    import pagefind_bin

    pidfile = tmp_path / "pid"
    program = tmp_path / "indexer"
    program.write_text(REFUSING_INDEXER.format(python=sys.executable, pidfile=str(pidfile)))
    program.chmod(0o755)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: str(program))
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(bundle.SearchIndexError) as caught:
        bundle.search_bundle([page_doc("a/", "A", "<p>kata</p>", "id")], "id")
    assert "Pagefind: no" in str(caught.value)
    gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []
    pid = int(pidfile.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return  # ended and reaped
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the indexer was left running")


def test_a_program_that_runs_an_event_loop_can_make_the_bundle_too():
    """A program driving a browser (Playwright) or a notebook runs an event loop in its thread already."""
    import asyncio
    import threading

    docs = [page_doc("a/", "A", "<p>kata</p>", "id")]

    async def inside():
        return bundle.search_bundle(docs, "id")

    made = {}  # run in a thread of its own: this test's thread may run a browser's event loop already
    worker = threading.Thread(target=lambda: made.setdefault("bundle", asyncio.run(inside())))
    worker.start()
    worker.join()
    assert made["bundle"] == bundle.search_bundle(docs, "id")


def _tree(folder) -> dict:
    import os

    found = {}
    for base, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as fh:
                found[os.path.relpath(path, folder)] = (fh.read(), os.stat(path).st_ino)
    return found


def test_a_preview_s_index_is_brought_up_to_date_writing_only_what_changed(tmp_path):
    """After one document changed, the served bundle holds exactly the new bundle's files (the old pieces
    gone), as writing it whole would leave it; a piece whose content did not change is not written again."""
    docs = [page_doc(f"guide/{n}/", f"Panduan {n}", f"<p>koperasi nelayan ke-{n}</p>", "id") for n in range(40)]
    before = bundle.search_bundle(docs, "id")
    served = tmp_path / "site" / "pagefind"
    bundle.refresh_bundle(before, str(served))  # nothing there yet: written whole
    first = _tree(served)
    docs[7] = page_doc("guide/7/", "Panduan 7", "<p>koperasi petani kopi arabika</p>", "id")
    after = bundle.search_bundle(docs, "id")
    bundle.refresh_bundle(after, str(served))
    bundle.write_bundle(after, str(tmp_path / "whole" / "pagefind"))
    now, whole = _tree(served), _tree(tmp_path / "whole" / "pagefind")
    assert {path: data for path, (data, _ino) in now.items()} == {path: data for path, (data, _ino) in whole.items()}
    kept = [path for path in now if path.startswith("fragment") and path in first and first[path][1] == now[path][1]]
    assert len(kept) >= 35  # the unchanged documents' fragments stayed where they were
    assert set(first) - set(now)  # the changed document's old pieces are gone


def test_a_bundle_held_back_between_batches_is_the_same_bundle():
    """A preview holds the whole index back while it rebuilds (`ready` clear): the documents are handed over in
    batches, each only once `ready` is set, and the bundle is the one made in one go."""

    class Ready:
        asked = 0

        def is_set(self):
            self.asked += 1
            return self.asked % 3 == 0  # clear twice before each batch

    docs = [page_doc(f"halaman-{i}/", f"Halaman {i}", f"<p>kata{i} pelatihan kopi</p>", "id") for i in range(bundle._BATCH + 20)]
    ready = Ready()
    assert bundle.search_bundle(docs, "id", ready=ready) == bundle.search_bundle(docs, "id")
    assert ready.asked == 3 * 2  # two batches, each waited for
