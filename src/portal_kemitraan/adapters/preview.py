"""The staff preview (`mkdocs serve`): the one component that keeps anything between builds. It keeps each
partner file as checked and as projected while its file (and its logo) is unchanged on disk, with the
reference data and the date; keeps compiled templates and each partner's search document; and, under
`--dirty`, hands MkDocs only the generated pages, exports and logos whose content changed, deleting the
outputs of removed ones. What readers wait for is served first; the search index and the site-wide
downloads follow in the background."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import stat
import sysconfig
import tempfile
import threading
from dataclasses import dataclass, field
from typing import NamedTuple

import jinja2
import jinja2.bccache
from mkdocs.structure.files import File, InclusionLevel

from ..core.catalog import Catalog, CheckedPartner, add_partner, begin_catalog, check_partner, finish_catalog, read_partner, reference_key
from ..core.public import PublicSite, assemble_public, project_partners, shown_slugs
from ..render import exports
from ..render.bundle import FRESH, SearchIndexError, refresh_bundle, search_bundle, write_bundle
from ..render.pages import SitePlan
from ..render.search import keyed
from ..render.site import OutputFile

log = logging.getLogger("mkdocs.hooks.portal")


def _digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def file_key(path: str | None) -> tuple | None:
    """What says a regular file is unchanged without reading it: its inode, size, and modification and
    change times in nanoseconds (any write, rename or replacement changes one of them). None for anything
    else (a symlink, a folder, nothing), which is never taken from memory: the checks see it afresh and say
    what is wrong. One `lstat` a file, so a save costs no reading of every file."""
    if path is None:
        return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, so each rebuild does not parse and compile them again. Jinja keys
    each entry by the template's name and a checksum of its source, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class Projected(NamedTuple):
    """A partner's public record, with the state of its file and the context (date, reference data) it was made in."""

    digest: tuple | None
    context: tuple
    record: object


class PageBuilt(NamedTuple):
    """What made a generated page of the last build: what all pages share, its own inputs, its front matter,
    and the digest of what was written."""

    shared: tuple | None
    inputs: tuple
    meta: dict
    digest: str


@dataclass(frozen=True)
class _Checked:
    digest: tuple | None
    context: tuple
    logo_path: str | None
    logo_digest: tuple | None
    checked: CheckedPartner


class Preview:
    """One per `mkdocs serve` process: the MkDocs adapter asks it for the site of each build, and (under
    `--dirty`) for the files that changed. Nothing it keeps lives in core or render."""

    def __init__(self, dirty: bool):
        self.checked: dict[str, _Checked] = {}  # partner file path -> the file as checked, by its state on disk
        self.projected: dict[str, Projected] = {}  # slug -> its public record, by the state of its file and the context
        self.compiled = CompiledTemplates()
        self.staging = Staging() if dirty else None
        self.builds = 0
        self.frozen = False
        self.indexer = Indexer()
        self.listings: dict = {}  # the theme's static files in installed packages' folders, listed once

    def close(self) -> None:
        if self.staging is not None:
            self.staging.close()

    def load(self, root: str, today, soon_days: int) -> tuple[Catalog, PublicSite | None]:
        """The catalog of the data folder and, when it is valid, its public site: files whose state on disk,
        logo, reference data and date are those of an earlier build are not read or projected again."""
        self.builds += 1
        if self.builds == 2 and not self.frozen:
            # What survives a collection now (the checked files, projections, compiled templates) lives as
            # long as the process: freezing it keeps the collector from scanning it on every rebuild.
            gc.collect()
            gc.freeze()
            self.frozen = True
        catalog, jobs = begin_catalog(root)
        context = reference_key(catalog, today)
        kept: dict[str, _Checked] = {}
        for job in jobs:
            digest = file_key(job.path)
            hit = self.checked.get(job.path)
            if digest is not None and hit is not None and hit.digest == digest and hit.context == context and hit.logo_digest == file_key(hit.logo_path):
                kept[job.path] = hit
            else:
                checked = check_partner(catalog, job, read_partner(job), today)
                partner = checked.partner
                logo = os.path.join(root, partner.logo) if partner is not None and partner.logo else None
                kept[job.path] = _Checked(digest, context if digest is not None else (), logo, file_key(logo), checked)
            add_partner(catalog, job, kept[job.path].checked)
        finish_catalog(catalog)
        self.checked = kept
        if not catalog.report.ok:
            return catalog, None
        digests = {job.stem: kept[job.path].digest for job in jobs}
        key = (today, soon_days, context)
        slugs = shown_slugs(catalog)
        todo = [s for s in slugs if not (s in self.projected and (self.projected[s].digest, self.projected[s].context) == (digests[s], key) and digests[s])]
        made = dict(zip(todo, project_partners(catalog, todo, today, soon_days, parallel=False)))
        self.projected = {s: Projected(digests[s], key, made[s] if s in made else self.projected[s].record) for s in slugs}
        return catalog, assemble_public(catalog, today, {s: entry.record for s, entry in self.projected.items()})


    def list_theme_once(self, theme) -> None:
        """MkDocs lists every file of the theme's folders on every build to find its static files (Material
        holds thousands: about a second a rebuild here). The folders of installed packages do not change
        while a preview runs: their listing is kept; the project's own (overrides) is listed each time."""
        get_env = theme.get_env
        stable = tuple(sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib"))
        kept = self.listings

        def env_listing_once():
            env = get_env()

            def listing(extensions=None, filter_func=None):
                names: set[str] = set()
                for folder in theme.dirs:
                    one = jinja2.Environment(loader=jinja2.FileSystemLoader(folder))
                    if not os.path.abspath(folder).startswith(stable):
                        names.update(one.list_templates(extensions, filter_func))
                        continue
                    key = (folder, tuple(extensions or ()), tuple(theme.static_templates))
                    if key not in kept:
                        kept[key] = tuple(one.list_templates(extensions, filter_func))
                    names.update(kept[key])
                return sorted(names)

            env.list_templates = listing
            return env

        theme.get_env = env_listing_once


_REBASE = ("rebase",)  # the fresh worker's job once the whole index is written
FRESH_MOST = 200  # documents a fresh index holds at most (a few saves' worth; about 0.4 s of Pagefind here)


class Indexer:
    """What follows a build in the background: the search index and the site-wide downloads (the whole
    JSON, CSV and spreadsheet, the feeds), written beside the served site and moved into place whole. The
    pages are served at once; a build never waits for the work of the one before.
    Two workers, each taking only the newest build's work (the builds in between are skipped):
    - the fresh index, begun as soon as the build knows its public site: the documents changed since the
      whole index was last written (a few), indexed at once into `pagefind-fresh/` beside it, with
      `stale.json` naming the whole index's documents they replace; the site's search merges it and leaves
      those out (docs/assets/portal.js), so a save is found in seconds;
    - the whole index, every document again (Pagefind has no update: about 20 s at 10,000 partners), once the
      build has ended (but at once while there is none yet), at a low priority so that the next rebuild
      comes first; then the downloads, then the fresh index made again against it (usually empty)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.fresh_job: tuple | None = None  # (make, out, its number) of the newest build, or _REBASE
        self.whole_job: tuple | None = None  # (make, out, docs) for the whole index's worker
        self.files_job: list | None = None  # the newest build's site-wide downloads, for the same worker
        self.running: dict[str, bool] = {}  # each worker's, changed under the lock only
        self.reuse: dict = {}  # each listed partner's search document and words, handed back to render's bundle maker
        self.indexed: dict | None = None  # the documents of the whole index now served, by address
        self.latest: tuple | None = None  # the newest build's (make, out, docs)
        self.builds, self.ended = 0, 0  # builds begun (submit) and the last one that ended (follow)
        self.quiet = threading.Event()  # set while no build runs: the whole index's own work waits for it
        self.quiet.set()

    def submit(self, make, out: str) -> None:
        """A build's search, as soon as its public site is known (while MkDocs writes the pages): `make` is
        render's search maker (documents, then the bundle: render.site), its bundle written to `out`."""
        with self.lock:
            self.builds += 1
            if self.indexed is not None:  # the first whole index is never held back: no save waits on the first build
                self.quiet.clear()
            self.fresh_job = (make, out, self.builds)
            self._start("fresh", self._fresh_worker)

    def follow(self, files: list[tuple[str, object]]) -> None:
        """After a build: each (path, make) gives a site-wide download's bytes, written to that path."""
        with self.lock:
            self.files_job = list(files)
        self.end()

    def end(self) -> None:
        """The build has ended (or failed): the whole index goes on."""
        with self.lock:
            self.ended = self.builds
            self.quiet.set()
            self._start("whole", self._whole_worker)

    def _start(self, name: str, target) -> None:
        """Start the worker unless it runs (called under the lock; a worker says it stops under it too)."""
        if not self.running.get(name):
            self.running[name] = True
            threading.Thread(target=target, name=f"portal-{name}-index", daemon=True).start()

    def _fresh_worker(self) -> None:
        while True:
            with self.lock:
                job, self.fresh_job = self.fresh_job, None
                if job is None:
                    self.running["fresh"] = False
                    return
                indexed = self.indexed
                if job is _REBASE:  # the whole index changed: the newest build's documents against it
                    (make, out, docs), number = self.latest, None
                else:
                    (make, out, number), docs = job, None
            try:
                docs = docs if docs is not None else make.documents(self.reuse)  # the documents only this worker makes
                self._write_fresh(make, out, docs, indexed)
            except (SearchIndexError, OSError) as exc:  # said; the next build tries again
                log.warning("portal: the search's fresh index: %s", exc)
                continue
            if number is not None:  # a build's: the whole index follows it
                with self.lock:
                    self.latest = self.whole_job = (make, out, docs)
                    # Not beside a build (it would slow the pages a save waits for), unless there is no whole index yet.
                    if self.indexed is None or self.ended >= number:
                        self._start("whole", self._whole_worker)

    @staticmethod
    def _write_fresh(make, out: str, docs: list, indexed: dict | None) -> None:
        """`pagefind-fresh/` beside `out`: the index of the documents new or changed since the whole index, and
        stale.json: whether there is one, and the addresses of the whole index's documents changed or gone.
        When more changed than FRESH_MOST (new reference data, new labels), there is none: indexing them here
        would cost as much as the whole index, beside the build; the whole index, as before, answers alone."""
        now = {doc.url: doc for doc in docs}
        changed = [doc for url, doc in now.items() if indexed is not None and indexed.get(url) != doc]
        stale = sorted(url for url in (indexed or {}) if now.get(url) != indexed[url])
        if len(changed) > FRESH_MOST:
            changed, stale = [], []
        files = search_bundle(changed, make.lang) if changed else {}
        files[f"{FRESH}/stale.json"] = json.dumps({"fresh": bool(changed), "stale": stale}, ensure_ascii=False).encode("utf-8")
        write_bundle(files, os.path.join(os.path.dirname(out), FRESH))

    def _whole_worker(self) -> None:
        while True:
            with self.lock:
                job, self.whole_job = self.whole_job, None
                files, self.files_job = self.files_job, None
                if job is None and files is None:
                    self.running["whole"] = False
                    return
            if job is not None:
                self._write_whole(*job)
            for path, make_file in files or ():
                try:
                    _replace(path, make_file())
                except OSError as exc:  # said, and the next build writes it again; the thread goes on
                    log.warning("portal: %s could not be written: %s", path, exc.strerror or exc)

    def _write_whole(self, make, out: str, docs: list) -> None:
        try:
            files = make.bundle(docs, polite=True, reuse=self.reuse, indexed=[keyed(doc) for doc in docs], ready=self.quiet)
            self.quiet.wait()  # written between builds
            refresh_bundle(files, out)
        except SearchIndexError as exc:
            log.warning("portal: %s", exc)
            return
        with self.lock:
            self.indexed = {doc.url: doc for doc in docs}
            if self.fresh_job is None:  # a build waiting diffs against the new whole index anyway
                self.fresh_job = _REBASE
                self._start("fresh", self._fresh_worker)


def _replace(path: str, data: str | bytes) -> None:
    """Write a file of the served site beside it and move it into place, so a reader never meets half of it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    work = f"{path}.portal-{os.getpid()}.tmp"
    with open(work, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(work, path)


@dataclass
class Built:
    """What the last successful build published: each generated page's shared key, inputs, front matter
    and digest; each export's, logo's and share image's digest; each partner's public record (by identity)."""

    shared: tuple | None = None
    pages: dict[str, PageBuilt] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    logos: dict[str, str] = field(default_factory=dict)
    partners: dict[str, dict] = field(default_factory=dict)


# The site-wide downloads no page needs to be shown (the directory's own data, api/directory.json, is not one).
FOLLOWING = frozenset({"api/partners.json", "api/activities.json", "partners.csv", "datapackage.json", "feed.xml", "kabar.xml"})


class Staging:
    """`mkdocs serve --dirty`: generated sources are staged in a folder of their own and rewritten only when
    their content changes; after the first build MkDocs is handed only what changed."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="portal-preview-")
        self.built = Built()
        self.pending: Built | None = None
        self.first = True
        self.data_changed = True  # since the last build: hand-written pages showing blocks are rebuilt
        self.made: dict[str, str] = {}  # bodies made while staging this build, until MkDocs asks for them
        self.follow: list[tuple[str, object]] = []  # site-wide downloads of this build, written after it (Indexer)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def committed(self) -> None:
        """The build succeeded: what it published is the base for the next one."""
        if self.pending is not None:
            self.built, self.pending, self.first = self.pending, None, False

    # -- the files of one build ----------------------------------------------------------------

    def add_files(self, plan: SitePlan, outputs: list[OutputFile], files, config) -> int:
        """Add what changed to MkDocs' files and delete the outputs of what was removed; returns the number
        of generated pages to rebuild. `outputs` are the edition's files from render_site, made on demand."""
        last = self.built
        self.made = {}
        self.follow = []
        now = Built(shared=plan.shared_key())
        everything = self.first or now.shared != last.shared
        site = plan.site
        now.partners = {p.slug: p for p in site.pages}
        changed = {slug for slug, p in now.partners.items() if last.partners.get(slug) is not p}
        removed = set(last.partners) - set(now.partners)
        data_changed = everything or bool(changed or removed)
        per_partner = {exports.partner_export(slug): slug for slug in now.partners}

        rebuilt = 0
        for out in outputs:
            if out.kind == "search":
                continue  # indexed after the build, beside the next one (Indexer)
            if out.kind == "page":
                rebuilt += self._page(plan, out, last, now, everything, files, config)
            elif out.kind == "export":
                self._export(out, per_partner.get(out.path), data_changed, changed, everything, last, now, files, config)
            elif out.kind == "card" and not everything and out.meta["slug"] not in changed and out.path in last.logos:
                now.logos[out.path] = last.logos[out.path]  # a share image is drawn again only when its partner changed
            else:
                data = out.make()
                now.logos[out.path] = digest = _digest(data)
                if last.logos.get(out.path) != digest or everything:
                    self._write(out.path, data)
                    files.append(File.generated(config, out.path, abs_src_path=os.path.join(self.folder, out.path)))
        for uri in set(last.pages) - set(now.pages):
            self._remove(File.generated(config, uri, content="").abs_dest_path)
            self._remove(os.path.join(self.folder, uri))
        for path in set(last.exports) - set(now.exports):
            self._remove(os.path.join(config.site_dir, path))
        for path in set(last.logos) - set(now.logos):
            self._remove(os.path.join(config.site_dir, path))
        self.pending = now
        self.data_changed = data_changed
        return rebuilt

    def _export(self, out: OutputFile, slug: str | None, data_changed: bool, changed: set, everything: bool, last: Built, now: Built, files, config) -> None:
        """Stage one export if its data changed (a partner's own, or a site-wide one); whole-site downloads
        no page waits for are made after the build instead (Indexer)."""
        keep = not data_changed or (slug is not None and slug not in changed and not everything)
        # The spreadsheet takes seconds at 10,000 partners: the preview writes it once (README).
        keep = keep or (out.path == exports.SPREADSHEET and not self.first)
        if not keep and not self.first and out.path in FOLLOWING:
            # They grow with the partners and no page needs them to be shown: written after the build.
            self.follow.append((out.path, out.make))
            now.exports[out.path] = ""
            files.append(File.generated(config, out.path, abs_src_path=os.path.join(self.folder, out.path)))
            return
        written = False
        if keep and out.path in last.exports:
            now.exports[out.path] = last.exports[out.path]
        else:
            data = out.make()
            now.exports[out.path] = digest = _digest(data)
            if last.exports.get(out.path) != digest or everything:
                self._write(out.path, data)
                written = True
        if written or slug is None:  # site-wide exports stay listed (pages link to them); MkDocs copies them if newer
            files.append(File.generated(config, out.path, abs_src_path=os.path.join(self.folder, out.path)))

    def _page(self, plan: SitePlan, out: OutputFile, last: Built, now: Built, everything: bool, files, config) -> int:
        """Stage one generated page if its inputs or its body changed; 1 when MkDocs must rebuild it."""
        uri = out.path
        inputs, meta = plan.inputs(uri), out.meta
        before = last.pages.get(uri)
        if not everything and before is not None and before.inputs == inputs and before.meta == meta:
            now.pages[uri] = before
            if out.in_nav:  # in the navigation: listed, and skipped by MkDocs as unmodified
                files.append(self._file(config, uri, out.in_nav))
            return 0
        text = plan.pages[uri].markdown()
        body = out.make()
        digest = _digest(text + body)
        now.pages[uri] = PageBuilt(now.shared, inputs, meta, digest)
        if before is not None and before.digest == digest and not everything:
            if out.in_nav:
                files.append(self._file(config, uri, out.in_nav))
            return 0
        self._write(uri, f"{text}\n<!-- body {digest} -->\n")
        files.append(self._file(config, uri, out.in_nav))
        self.made[uri] = body
        return 1

    def take(self, uri: str) -> str | None:
        """The body made for a page while staging this build, handed out once (None if none was made)."""
        return self.made.pop(uri, None)

    def stale(self, file) -> None:
        """Make MkDocs rebuild a hand-written page (one that shows blocks of the data) by removing its output."""
        self._remove(file.abs_dest_path)

    # -- the staging folder --------------------------------------------------------------------

    def _file(self, config, uri: str, in_nav: bool) -> File:
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        return File.generated(config, uri, abs_src_path=os.path.join(self.folder, uri), inclusion=inclusion)

    def _write(self, path: str, data: str | bytes) -> None:
        target = os.path.join(self.folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)

    @staticmethod
    def _remove(path: str) -> None:
        try:
            os.remove(path)
        except OSError:
            pass
