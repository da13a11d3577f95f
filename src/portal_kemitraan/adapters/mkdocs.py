"""The MkDocs adapter: validates in on_config, adds the rendered pages, exports and logos as virtual files,
fills the page bodies, keeps the repository out of published pages, and watches the data in serve."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from dataclasses import dataclass

import jinja2

from mkdocs import utils
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from ..core.catalog import Catalog, load_catalog, shown
from ..core.parallel import Beside
from ..core.problems import DataError
from ..core.public import PublicSite, build_public_site
from ..core.safefs import inside
from ..core.settings import Settings
from ..render.bundle import BUNDLE, FRESH, SearchIndexError, write_bundle
from ..render.handwritten import MARKER, extensions_of
from ..render.i18n import edition_language, locale_language, translations
from ..render.minify import strip_indentation
from ..render.site import REPOSITORY_SETTINGS, Edition, OutputFile, Part, Rendered, render_site

log = logging.getLogger("mkdocs.hooks.portal")
PREVIEW_ENV = "PORTAL_PREVIEW"  # set to 1 for a staff preview build with edit links into the repository
PART_ENV = "PORTAL_PART"  # "2/3": build only that part of the edition (render.site.Part; `portal part` sets it)
ELSEWHERE = "portal-elsewhere.html"  # the empty template of a page another part writes: MkDocs writes nothing


class _Elsewhere(File):
    """A file another part of the build writes: listed, so that links to it resolve and every part lists the
    same files, but not written here."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def _write_outputs(site_dir: str, outputs: list[OutputFile]) -> int:
    """Make each file and write it under `site_dir` as MkDocs writes a generated file (text as UTF-8)."""
    for out in outputs:
        data = out.make()
        utils.write_file(data.encode("utf-8") if isinstance(data, str) else data, os.path.join(site_dir, out.path))
    return len(outputs)


class _NotSkipped(logging.Filter):
    """MkDocs says once per page that it wrote nothing for a page another part writes, or one written from
    the theme's single drawing (adapters.chrome): noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Page skipped:")


@dataclass(frozen=True)
class Loaded:
    """The data a command has already read, validated and made public, handed to every edition it builds (in
    a forked copy of itself: staff.site_commands), so that the data is read once however many editions there are;
    and the part of the edition to build (None: all of it). Used only by a build of the same data folder,
    day and "ending soon" window; any other loads its own."""

    root: str
    today: dt.date
    ending_soon_days: int
    catalog: Catalog
    site: PublicSite
    part: Part | None = None

    def serves(self, root: str, today: dt.date, ending_soon_days: int) -> bool:
        return (os.path.realpath(root), today, ending_soon_days) == (os.path.realpath(self.root), self.today, self.ending_soon_days)


def adapters_in(config) -> list:
    """The portal adapters among a loaded configuration's hooks and plugins (a command hands them its Loaded)."""
    found = []
    for plugin in config.plugins.values():
        owner = getattr(getattr(plugin, "on_config", None), "__self__", None)
        if isinstance(owner, MkDocsAdapter) and owner not in found:
            found.append(owner)
    return found


class MkDocsAdapter:
    """One object per MkDocs process; its state is rebuilt in every on_config (each build or rebuild).
    `preview` makes the component that a `serve` process keeps between builds (adapters.preview.Preview,
    given by the hook file: adapters do not import one another); `chrome` draws profiles from one drawing
    of the theme per page shape (adapters.chrome.Chrome, likewise given by the hook file); `compiled` gives
    a build's store of compiled templates (adapters.templatecache.user_cache, likewise)."""

    def __init__(self, preview=None, chrome=None, compiled=None):
        self.make_preview = preview
        self.make_chrome = chrome
        self.make_compiled = compiled  # a build's store of compiled templates, when the hook file gives one
        self.command: str | None = None
        self.settings: Settings | None = None
        self.root: str | None = None
        self.rendered: Rendered | None = None  # this build's files and generated pages, from render_site
        self.site: PublicSite | None = None
        self.edition: Edition | None = None
        self.outputs: dict[str, OutputFile] = {}  # this build's files, from render_site
        self.preview = None  # `serve`: what the preview keeps between builds
        self.part: Part | None = None  # one part of the build (PORTAL_PART), or None for all of it
        self.elsewhere: set[str] = set()  # pages listed in this build that another part writes
        self.search: Beside | None = None  # the edition's search index, made beside the pages (a build's)
        self.exports: Beside | None = None  # the edition's downloads, made and written beside the pages (a build's)
        self.dirty = False  # `--dirty`: MkDocs draws only the pages whose source changed
        self.nav = None  # this build's navigation (on_nav), which every page is drawn with
        self.compiled = None  # where this build's templates compile once (adapters.templatecache, the preview's memory)
        self.loaded: Loaded | None = None  # the data the command building this edition has read already

    # -- events --------------------------------------------------------------------------------

    def on_startup(self, command, dirty):
        self.command, self.dirty = command, dirty
        if command == "serve" and self.make_preview is not None:
            self.preview = self.make_preview(dirty)
            _stopped_as_by_ctrl_c()

    def on_shutdown(self):
        if self.preview is not None:
            self.preview.close()

    @property
    def staging(self):
        return self.preview.staging if self.preview is not None else None

    def is_preview(self) -> bool:
        """A staff preview (`mkdocs serve`, or PORTAL_PREVIEW=1): the only builds whose pages link into the repository."""
        return self.command == "serve" or os.environ.get(PREVIEW_ENV, "").strip().lower() in ("1", "true", "yes")

    def parallel(self) -> bool:
        """Forking a threaded process (the live-reload server) can deadlock: `serve` works in one process."""
        return self.command != "serve"

    def on_config(self, config):
        try:
            settings = Settings.from_extra(config.extra)
            locale = edition_language(config.theme["language"])
        except ValueError as exc:
            raise PluginError(str(exc))
        if self.loaded is not None:  # the command says which part, whatever the environment holds
            self.part = self.loaded.part
        else:
            try:
                self.part = Part.parse(os.environ[PART_ENV]) if os.environ.get(PART_ENV, "").strip() else None
            except ValueError:
                raise PluginError(f"{PART_ENV}={os.environ[PART_ENV]!r}: name one part of the build as NUMBER/COUNT, e.g. 2/3")
        if self.part is not None and self.command == "serve":
            raise PluginError(f"{PART_ENV}: a preview shows the whole site; build parts with `portal part`")
        if not any(isinstance(f, _NotSkipped) for f in logging.getLogger("mkdocs.commands.build").filters):
            logging.getLogger("mkdocs.commands.build").addFilter(_NotSkipped())
        root = os.path.join(os.path.dirname(config.config_file_path), settings.data_dir)
        if inside(root, config.site_dir) or inside(config.site_dir, root):
            # MkDocs empties site_dir before it writes: never the data folder, a folder in it or around it.
            raise PluginError(f"site_dir: {config.site_dir} is the data folder ({root}), inside it or around it; build outside the data")
        today = settings.build_date()
        parallel = self.parallel()
        if self.preview is not None:
            self.preview.list_theme_once(config.theme)
            catalog, site = self.preview.load(root, today, settings.ending_soon_days)
        elif self.loaded is not None and self.loaded.serves(root, today, settings.ending_soon_days):
            catalog, site = self.loaded.catalog, self.loaded.site  # valid: the command refuses invalid data first
        else:
            catalog = load_catalog(root, today=today, parallel=parallel)
            site = build_public_site(catalog, today, settings.ending_soon_days, parallel=parallel) if catalog.report.ok else None
        if site is None:  # said in the language of the person building, as the staff commands say it
            gettext = translations(locale_language(os.environ)).gettext
            for line in catalog.report.lines(notes=False, gettext=gettext):
                log.error(line)
            raise PluginError(DataError(catalog.report).said(gettext))
        preview = self.is_preview()
        repository = str(config.repo_url or "")  # the staff editor's git host (admin/), never a link for readers
        sources = {}
        if preview:
            sources = {slug: rec.path for slug, rec in catalog.partners.items()}
            data_path = shown(root, root)
            sources.update({f"patterns/{pid}": f"{data_path}/patterns/{pid}.yml" for pid in catalog.patterns})
        else:
            # The published site never points readers into the data repository (no edit pencil, no repo link).
            for key in REPOSITORY_SETTINGS:
                config[key] = None
        # The preview's search reads its fresh index too (adapters.preview.Indexer); no other build has one.
        config.extra["portal_fresh_search"] = FRESH if self.preview is not None else None
        overrides = config.theme.custom_dir if config.theme.custom_dir else None
        # Templates compile once: into the preview's memory, or the user's cache folder for a build (the theme's too, on_env).
        self.compiled = self.preview.compiled if self.preview is not None else self.make_compiled() if self.make_compiled else None
        edition = Edition(locale, config.site_url or "", config.site_name, config.use_directory_urls, overrides, sources,
                          markdown=extensions_of(config.markdown_extensions, config.mdx_configs), repository=repository,
                          compiled=self.compiled)
        self.settings, self.root, self.site, self.edition = settings, root, site, edition
        return config

    def on_files(self, files, config):
        handwritten = {f.src_uri: f.content_string for f in files.documentation_pages() if f.abs_src_path}
        # The preview renders only what changed, when it knows what that is; a build renders every profile now.
        made = render_site(self.site, self.settings, self.edition, ahead=self.staging is None, parallel=self.parallel(),
                           handwritten=handwritten, part=self.part)
        self.rendered = plan = made
        config.extra["portal_text"] = made.theme_text()  # the overrides' words, in this edition's language
        self.outputs = {f.path: f for f in made if f.kind != "handwritten"}  # MkDocs converts those itself
        if self.preview is not None:  # its search follows in the background, begun now (adapters.preview.Indexer)
            self.preview.indexer.submit(self.outputs[BUNDLE].make, os.path.join(config.site_dir, BUNDLE))
        if self.staging is not None:
            rebuilt = self.staging.add_files(made.plan, list(self.outputs.values()), files, config)
            if self.staging.data_changed:
                for file in files.documentation_pages():
                    if file.src_uri not in plan.pages and file.abs_src_path and MARKER.search(file.content_string):
                        self.staging.stale(file)
            log.info("portal: %d generated page(s) changed", rebuilt)
            return files
        # One part of the build lists every file (the navigation, the sitemap and every link stay those of the
        # whole build) and writes only its own (render.site.Part).
        self.elsewhere = set() if made.written_here(None) else set(handwritten)
        # The index needs only the public site and the hand-written pages: it is made now, in a forked worker,
        # while MkDocs writes the pages on this core (Pagefind is never beside a whole edition in memory).
        self.search = Beside(self.outputs[BUNDLE].make, self.parallel()) if made.written_here(None) and self.preview is None else None
        # The downloads (the JSON API, the tables, the feeds) are made and written by a second worker while
        # MkDocs draws and writes the pages here: no page needs them. MkDocs lists them, so links to them resolve.
        downloads = self._list_files(made, files, config)
        self.exports = Beside(lambda: _write_outputs(config.site_dir, downloads), self.parallel()) if downloads else None
        return files

    def _list_files(self, made: Rendered, files, config) -> list[OutputFile]:
        """Every file of the edition handed to MkDocs (made here, or listed only when another part or the
        worker beside writes it); returns the downloads this build writes, for the worker beside."""
        downloads = []
        for out in self.outputs.values():
            if out.kind == "search":
                continue  # written whole after the build (on_post_build)
            if out.kind == "page":
                # The page's source is its front matter; its HTML comes from render_site in on_page_content.
                inclusion = InclusionLevel.UNDEFINED if out.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, out.path, content=made.pages[out.path].markdown(), inclusion=inclusion))
                if not made.written_here(out):
                    self.elsewhere.add(out.path)
            elif made.written_here(out) and out.kind != "export":
                files.append(File.generated(config, out.path, content=out.make()))  # logos: the cleaned bytes, never the file
            else:  # listed only: another part writes it, or (a download of this part) the worker beside
                if made.written_here(out):
                    downloads.append(out)
                files.append(_Elsewhere.generated(config, out.path, content=b""))
        return downloads

    def on_page_markdown(self, markdown, page, config, files):
        generated = self.rendered.pages.get(page.file.src_uri)
        if generated is not None:
            # MkDocs drops front matter it cannot parse without a word; a partner page without its
            # noindex or search exclusion must never be published, so check every key arrived.
            lost = sorted(k for k, v in generated.meta.items() if page.meta.get(k) != v)
            if lost:
                raise PluginError(f"{page.file.src_uri}: MkDocs lost the generated front matter ({', '.join(lost)}); refusing to publish this page")
            base = _data_edit_base(config)
            page.edit_url = base + generated.edit_path if base and generated.edit_path and self.is_preview() else None
            page.render = _no_markdown(page)  # its HTML comes from the plan: skip an empty Python-Markdown pass
        elif not self.is_preview():
            page.edit_url = None
        if page.file.src_uri in self.elsewhere:
            page.meta["template"] = ELSEWHERE  # another part writes it: nothing to draw here
        return markdown

    def on_page_content(self, html, page, config, files):
        uri = page.file.src_uri
        if uri in self.elsewhere:
            return ""
        if uri in self.outputs and self.outputs[uri].kind == "page":
            made = self.staging.take(uri) if self.staging is not None else None
            return made if made is not None else self.outputs[uri].make()
        return self.rendered.fill_blocks(html, page.url)

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def on_env(self, env, config, files):
        if self.compiled is not None:  # the theme's templates too (MkDocs makes a new environment per build)
            env.bytecode_cache = self.compiled
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({ELSEWHERE: ""}), env.loader])
        # Not in a preview (its pages link into the repository, each its own way) nor in `--dirty`.
        if self.make_chrome is not None and not self.is_preview() and not self.dirty and self.nav is not None:
            self._profiles_from_one_drawing(env, config, files)
        return env

    def _profiles_from_one_drawing(self, env, config, files) -> None:
        """Every profile this build writes, drawn once per shape by the theme (adapters.chrome); MkDocs then
        draws nothing for them (the empty template, as for a page another part writes)."""
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)  # what a build draws every page with
        profiles = []
        for file in doc_files:
            made = self.rendered.pages.get(file.src_uri)
            if made is not None and made.kind == "partner" and file.page is not None and file.src_uri not in self.elsewhere:
                profiles.append((file.page, str(made.key)))
        for page in self.make_chrome(config, env, self.nav, doc_files).write(profiles):
            page.meta["template"] = ELSEWHERE

    def on_post_page(self, output, page, config):
        return strip_indentation(output)

    def on_post_build(self, config):
        if self.staging is not None:
            self.staging.committed()
        exports, self.exports = self.exports, None  # started in on_files
        if exports is not None:
            exports.result()
        if not self.rendered.written_here(None):
            return  # the search of the whole edition is part 1's
        out = os.path.join(config.site_dir, BUNDLE)
        if self.preview is not None:
            # The preview serves the rebuilt pages at once; the site-wide downloads follow (after its search).
            follow = self.staging.follow if self.staging is not None else []
            self.preview.indexer.follow([(os.path.join(config.site_dir, path), make_file) for path, make_file in follow])
            return
        search, self.search = self.search, None  # started in on_files
        try:
            write_bundle(search.result() if search is not None else self.outputs[BUNDLE].make(), out)
        except SearchIndexError as exc:
            raise PluginError(str(exc))

    def on_build_error(self, error):
        if self.preview is not None:
            self.preview.indexer.end()  # the whole search index goes on, as after a build
        for beside in (self.search, self.exports):
            if beside is not None:
                beside.cancel()
        self.search = self.exports = None

    def on_serve(self, server, config, builder):
        data_dir = self.settings.data_dir if self.settings else "partners"
        server.watch(os.path.join(os.path.dirname(config.config_file_path), data_dir))
        server.watch(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        _notified(server)
        return server


def _stopped_as_by_ctrl_c() -> None:
    """A preview stopped by `kill` or by its terminal closing cleans up as after Ctrl+C: MkDocs removes its
    served copy of the site (`mkdocs_*`) and the preview its staging only when the stop comes as KeyboardInterrupt;
    otherwise both stay in the temporary folder, a whole site each."""
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers belong to the main thread (a test may run MkDocs in another)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)


def _notified(server) -> None:
    """MkDocs watches by polling: every watched file is listed and looked at twice a second, which at 10,000
    partner files is half of an idle preview's work and slows every rebuild beside it. Before the server
    starts, its watches move to the system's own notifications (inotify, FSEvents, ReadDirectoryChangesW)
    through watchdog, which MkDocs already uses; where they are missing or refused (a limit on watches), the
    polling watcher stays."""
    try:
        from watchdog import events
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver
    except ImportError:
        return
    old, paths = getattr(server, "observer", None), getattr(server, "_watched_paths", None)
    if Observer is PollingObserver or not isinstance(old, PollingObserver) or old.is_alive() or not isinstance(paths, dict):
        return
    # Only changes rebuild: the notifications also say when a file is opened or read, and every build reads
    # every partner file (MkDocs rebuilds on any event it is given, so reads would rebuild without end).
    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
               events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class OnChanges(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
            return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or changes)

    saved = (old, dict(paths), dict(getattr(server, "_watch_refs", {})))
    server.observer, server._watched_paths, server._watch_refs = OnChanges(), {}, {}
    try:
        for path, count in saved[1].items():
            for _ in range(count):
                server.watch(path)
    except (OSError, TypeError) as exc:  # TypeError: a watchdog without event filters
        log.info("portal: watching by polling (%s)", exc)
        server.observer, server._watched_paths, server._watch_refs = saved


def _no_markdown(page):
    """A page's render step for a page whose HTML the hook makes: no Markdown to convert, no anchors."""

    def render(config, files):
        page.content = ""
        page.present_anchor_ids = set()

    return render


def _data_edit_base(config) -> str | None:
    """The edit address of the repository root: edit_uri with its docs folder taken off."""
    if not config.repo_url or not config.edit_uri:
        return None
    docs = os.path.basename(os.path.normpath(config.docs_dir)) + "/"
    edit = config.edit_uri if config.edit_uri.endswith("/") else config.edit_uri + "/"
    if edit.endswith(docs):
        edit = edit[: -len(docs)]
    return config.repo_url.rstrip("/") + "/" + edit.lstrip("/")
