"""The search bundle: the one producer of every engine's Pagefind index, through Pagefind's Python API, in memory."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from importlib import metadata

import cbor2
from pagefind.index import PagefindIndex
from pagefind.service import PagefindService

BUNDLE = "pagefind"  # the folder of the index, beside the edition's pages
FRESH = "pagefind-fresh"  # a preview's index of the documents changed since the whole one was written, beside it
# Pagefind's ready-made interfaces: the site has its own, so these are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# The versions of Pagefind whose index files _reproducible knows how to put in order (their metadata's
# filters at [3] and sorts at [4]); any other is refused until it has been checked and added here.
KNOWN_VERSIONS = ("1.5.0", "1.5.1", "1.5.2")
SIGNATURE = b"pagefind_dcd"  # what every packed piece of a Pagefind index starts with, once unzipped


class SearchIndexError(Exception):
    """Pagefind could not write the index (the message says why)."""


def pagefind_version() -> str:
    """The version of the Pagefind indexer installed (the `pagefind-bin` package, which ships it)."""
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        raise SearchIndexError("the search index needs the pagefind-bin package (pip install 'pagefind[bin]')") from None


def check_version(version: str) -> None:
    """Refuse a Pagefind whose index format has not been checked: its files could not be made reproducible."""
    if version not in KNOWN_VERSIONS:
        raise SearchIndexError(
            f"Pagefind {version} is not one of the versions this portal has checked ({', '.join(KNOWN_VERSIONS)}); "
            "install one of them, or check its index format and add it to render/bundle.py"
        )


class _Service(PagefindService):
    """Pagefind's own service (the indexer started with --service) with the executable of `pagefind-bin`,
    a reading buffer large enough for a whole bundle, an optional low priority, and a reader that takes
    each answer as it comes: the library's reader waits a tenth of a second before every answer, which
    is 17 minutes for 10,000 documents."""

    def __init__(self, polite: bool = False):
        super().__init__()
        from pagefind_bin import get_executable

        self._bin = get_executable()
        self.polite = polite

    async def launch(self) -> "_Service":
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            limit=1 << 30, preexec_fn=(lambda: os.nice(10)) if self.polite and hasattr(os, "nice") else None,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def close(self) -> None:
        """End the indexer whatever happened. The library's own close first awaits every answer, so an
        indexer that failed made it raise with the process still running, left to the garbage collector
        (which met an ended event loop: 'Event loop is closed'). Here answers nobody will get are dropped,
        the indexer is told to stop, and its pipes are read to their end while this loop still runs."""
        self._poll_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._poll_task
        for future in self._responses.values():
            future.cancel()  # an answer already given stays given
        if self._backend.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._backend.terminate()
        await self._backend.communicate()

    async def _wait_for_responses(self) -> None:
        try:
            while True:
                output = await self._backend.stdout.readuntil(b",")
                response = json.loads(base64.b64decode(output[:-1]))
                future = self._responses.get((response or {}).get("message_id"))
                if future is None or future.done():
                    continue
                payload = response["payload"]
                if payload.get("type") == "Error":
                    future.set_exception(SearchIndexError(f"Pagefind: {payload.get('message')}"))
                else:
                    future.set_result(payload)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, KeyError) as exc:
            for future in self._responses.values():  # the indexer stopped or spoke nonsense: nobody waits forever
                if not future.done():
                    future.set_exception(SearchIndexError(f"Pagefind stopped answering ({type(exc).__name__})"))


_BATCH = 250  # documents handed to Pagefind at a time when the caller may hold it back (`ready`)


async def _index(docs, lang: str, polite: bool, ready=None) -> list[dict]:
    service = await _Service(polite).launch()
    try:
        index: PagefindIndex = await service.create_index({"force_language": lang})
        step = _BATCH if ready is not None else max(1, len(docs))
        for start in range(0, len(docs), step):
            while ready is not None and not ready.is_set():
                await asyncio.sleep(0.05)  # this process has other work now (a preview's rebuild)
            await asyncio.gather(*(index.add_html_file(content=doc.html, url="/" + doc.url) for doc in docs[start:start + step]))
        return await index.get_files()
    finally:
        await service.close()


def _run(make_coroutine):
    """Run a coroutine to its end: here, or (when this thread already runs an event loop, as a program driving
    a browser does) in a thread of its own, its outcome handed back."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    outcome: dict = {}

    def work():
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # handed back to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="pagefind-index")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def search_bundle(docs, lang: str, polite: bool = False, ready=None) -> dict[str, bytes]:
    """The Pagefind bundle of these documents (path under the edition -> bytes), with the language fixed
    (Indonesian stemming for `id`, English for `en`) and reproducible: the same documents give the same
    bytes. `polite` runs the indexer at a low CPU priority (a preview's index, made beside the next rebuild);
    `ready` (a threading.Event), while clear, holds the documents not yet handed to it: this process's own
    part of the work (about 0.4 ms a document) then leaves the processor to the rebuild."""
    check_version(pagefind_version())
    try:
        made = _run(lambda: _index(list(docs), lang, polite, ready))
    except (OSError, SearchIndexError) as exc:
        raise SearchIndexError(f"the search index could not be written: {exc}") from None
    files = {f["path"]: f["content"] for f in made if os.path.basename(f["path"]) not in UNUSED}
    if "pagefind.js" not in files:
        raise SearchIndexError("the search index could not be written: Pagefind made no pagefind.js")
    return {f"{BUNDLE}/{path}": data for path, data in sorted(_reproducible(files).items())}


def _unpack(name: str, data: bytes):
    data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{name} is not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE):])


def _pack(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _reproducible(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same documents give the same bundle, byte for byte: Pagefind writes the values of each filter, and
    the filters and sorts in its metadata, in the order of a randomly seeded hash map. Values, filters and
    sorts are put in order here, and the files they change renamed by their new content."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for lang, info in entry["languages"].items():
        meta = _unpack("the index's metadata", files.pop(f"pagefind.{info['hash']}.pf_meta"))
        if not (isinstance(meta, list) and len(meta) > 4 and isinstance(meta[3], list) and isinstance(meta[4], list)):
            raise SearchIndexError("Pagefind's metadata is not in the shape this portal knows; check its version")
        filters = []
        for name, old in sorted(meta[3]):
            content = _unpack(f"filter {name}", files.pop(f"filter/{old}.pf_filter"))
            packed = _pack([content[0], sorted(content[1], key=lambda value: value[0])])
            new = f"{lang}_{hashlib.sha256(packed).hexdigest()[:7]}"
            files[f"filter/{new}.pf_filter"] = packed
            filters.append([name, new])
        meta[3] = filters
        meta[4] = sorted(meta[4], key=lambda sort: sort[0])
        packed = _pack(meta)
        info["hash"] = f"{lang}_{hashlib.sha256(packed).hexdigest()[:10]}"
        files[f"pagefind.{info['hash']}.pf_meta"] = packed
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


def write_bundle(files: dict[str, bytes], out_dir: str) -> None:
    """Put a bundle (paths under BUNDLE/) in `out_dir`, replacing what was there: written beside it and
    moved into place only when complete, so a reader never meets half an index."""
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".portal-search-", dir=parent)
    try:
        for path, data in files.items():
            target = os.path.join(work, *path.split("/")[1:])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_CONTENT_NAMED = re.compile(r"(?:^pagefind\.[^.]+\.pf_meta|_[0-9a-f]{7,}\.pf_[a-z]+)$")


def refresh_bundle(files: dict[str, bytes], out_dir: str) -> None:
    """Bring a served bundle up to date in place, writing only what changed (a preview's index after an edit:
    a few files instead of thousands). Pagefind names its pieces by their content, so a piece already there
    is already right; new pieces are written first (each beside its place and renamed), then the files that
    point at them (the entry, the loader, the word lists), then the pieces no longer used are removed, so a
    reader meets either the old index or the new one."""
    if not os.path.isdir(out_dir):
        write_bundle(files, out_dir)
        return
    wanted = {os.path.join(out_dir, *path.split("/")[1:]): data for path, data in files.items()}
    last = ("pagefind-entry.json", "pagefind.js")
    for target, data in sorted(wanted.items(), key=lambda item: os.path.basename(item[0]) in last):
        try:
            if _CONTENT_NAMED.search(os.path.basename(target)):
                if os.path.getsize(target) == len(data):
                    continue  # named by its content: the same name is the same bytes
            else:
                with open(target, "rb") as fh:
                    if fh.read() == data:
                        continue
        except OSError:
            pass
        os.makedirs(os.path.dirname(target), exist_ok=True)
        work = target + ".portal-new"
        with open(work, "wb") as fh:
            fh.write(data)
        os.replace(work, target)
    for folder, _dirs, names in os.walk(out_dir):
        for name in names:
            path = os.path.join(folder, name)
            if path not in wanted:
                os.remove(path)
