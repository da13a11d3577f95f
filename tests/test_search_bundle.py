"""The search bundle's producer: Pagefind's Python API, a checked version, the same bytes for the same documents."""

from __future__ import annotations

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
