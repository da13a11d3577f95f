"""The staff preview's incremental rebuild (`mkdocs serve --dirty`): generated sources are staged in a
folder of their own and rewritten only when their content changes; after the first build MkDocs is handed
only the pages, exports and logos that changed, and the outputs of removed ones are deleted."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field

from mkdocs.structure.files import File, InclusionLevel

from ..render import exports
from ..render.pages import SitePlan, page_url


def _digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass
class Built:
    """What the last successful build published: each generated page's shared key, inputs, front matter
    and digest; each export's and logo's digest; each partner's public record (by identity)."""

    shared: tuple | None = None
    pages: dict[str, tuple] = field(default_factory=dict)
    exports: dict[str, str] = field(default_factory=dict)
    logos: dict[str, str] = field(default_factory=dict)
    partners: dict[str, dict] = field(default_factory=dict)


class Staging:
    """One per `mkdocs serve --dirty` process (made in on_startup, removed in on_shutdown)."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="portal-preview-")
        self.built = Built()
        self.pending: Built | None = None
        self.first = True
        self.data_changed = True  # since the last build: hand-written pages showing blocks are rebuilt
        self.records: dict = {}  # each partner's part of the exports (render.exports._kept)
        self.removed_urls: set[str] = set()  # pages of the last build that are gone

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def committed(self) -> None:
        """The build succeeded: what it published is the base for the next one."""
        if self.pending is not None:
            self.built, self.pending, self.first = self.pending, None, False

    # -- the files of one build ----------------------------------------------------------------

    def add_files(self, plan: SitePlan, files, config, title: str) -> int:
        """Add what changed to MkDocs' files and delete the outputs of what was removed; returns the number
        of generated pages to rebuild."""
        last = self.built
        now = Built(shared=plan.shared_key())
        everything = self.first or now.shared != last.shared
        site = plan.site
        now.partners = {p["slug"]: p for p in site.pages}
        changed = {slug for slug, p in now.partners.items() if last.partners.get(slug) is not p}
        removed = set(last.partners) - set(now.partners)
        data_changed = everything or bool(changed or removed)

        rebuilt = 0
        for uri, page in plan.pages.items():
            inputs, meta = plan.inputs(uri), page.meta
            before = last.pages.get(uri)
            if not everything and before is not None and before[1] == inputs and before[2] == meta:
                now.pages[uri] = before
                if page.in_nav:  # in the navigation: listed, and skipped by MkDocs as unmodified
                    files.append(self._file(config, uri, page.in_nav))
                continue
            url = page_url(uri, config.use_directory_urls)
            text = page.markdown()
            digest = _digest(text + plan.prepare(uri, url))
            now.pages[uri] = (now.shared, inputs, meta, digest)
            if before is not None and before[3] == digest and not everything:
                plan.discard(uri, url)
                if page.in_nav:
                    files.append(self._file(config, uri, page.in_nav))
                continue
            self._write(uri, f"{text}\n<!-- body {digest} -->\n")
            files.append(self._file(config, uri, page.in_nav))
            rebuilt += 1
        self.removed_urls = set()
        for uri in set(last.pages) - set(now.pages):
            self.removed_urls.add(page_url(uri, config.use_directory_urls))
            self._remove(File.generated(config, uri, content="").abs_dest_path)
            self._remove(os.path.join(self.folder, uri))

        if everything:
            self.records = {}
        made = exports.planned(site, config.site_url or "", title, plan.locale.code, plan.settings.licence.model_dump(), self.records)
        per_partner = {exports.partner_export(slug): slug for slug in now.partners}
        for path, make in made.items():
            slug = per_partner.get(path)
            keep = not data_changed or (slug is not None and slug not in changed and not everything)
            # The spreadsheet takes seconds at 10,000 partners: the preview writes it once (README).
            keep = keep or (path == exports.SPREADSHEET and not self.first)
            written = False
            if keep and path in last.exports:
                now.exports[path] = last.exports[path]
            else:
                data = make()
                now.exports[path] = digest = _digest(data)
                if last.exports.get(path) != digest or everything:
                    self._write(path, data)
                    written = True
            if written or slug is None:  # site-wide exports stay listed (pages link to them); MkDocs copies them if newer
                files.append(File.generated(config, path, abs_src_path=os.path.join(self.folder, path)))
        self.records = {key: kept for key, kept in self.records.items() if key[1] in now.partners}
        for path in set(last.exports) - set(now.exports):
            self._remove(os.path.join(config.site_dir, path))

        for path, data in site.logos.items():
            now.logos[path] = digest = _digest(data)
            if last.logos.get(path) != digest or everything:
                self._write(path, data)
                files.append(File.generated(config, path, abs_src_path=os.path.join(self.folder, path)))
        for path in set(last.logos) - set(now.logos):
            self._remove(os.path.join(config.site_dir, path))

        self.pending = now
        self.data_changed = data_changed
        return rebuilt

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
