"""The commands over the whole site: doctor, check, init and render."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from . import doctor, hostlimits, sitecheck, start, yamledit
from ..core.catalog import load_catalog
from ..core.parallel import Beside
from ..core.public import build_public_site
from ..core.safefs import inside
from ..core.settings import Settings, parse_mkdocs_config
from ..core.problems import Text, joined
from ..render.i18n import edition_language
from .data_commands import load_settings
from .reporter import CommandError, UsageError, shown_path


def cmd_doctor(args, reporter) -> int:
    settings = load_settings(args.config)
    catalog = load_catalog(args.data)
    findings: list = []
    try:
        editions = [(name, config, lang) for name, config, lang, _, _ in edition_files(os.path.abspath(args.config))] if os.path.isfile(args.config) else []
    except UsageError as exc:  # an edition named but missing is one more thing to change
        editions, findings = [], [Text("{config}: {error}", config=args.config, error=exc.args[0])]
    findings += doctor.check(args.config, settings, catalog, editions)
    for finding in findings:
        reporter.say(finding)
    if findings:
        reporter.warn(Text('{count} thing(s) to change before the site goes live.', count=len(findings)))
        return 1
    reporter.say(Text("Ready to go live: addresses, contact and intake are set, the data is valid and holds no template text."))
    return 0


def edition_files(config_path: str):
    """(name, configuration, language, public address, output folder) of every edition of the project."""
    from ..adapters.folder import RenderError, edition_configs

    config_dir = os.path.dirname(config_path)
    try:
        editions = edition_configs(config_path)
        out = []
        for name, config in editions:
            theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
            out.append((name, config, edition_language(theme.get("language")), str(config.get("site_url") or ""),
                        os.path.normpath(os.path.join(config_dir, str(config.get("site_dir") or "site")))))
        return out
    except (RenderError, ValueError) as exc:
        raise UsageError(exc)


def cmd_check(args, reporter) -> int:
    """Validate, build every edition strictly, then read the built site against the data."""
    project = checked_project(args.config, reporter)
    if not args.no_build:
        for name, _, lang, _, site_dir in project.editions:
            build_edition(reporter, project, name, lang, site_dir)
    return check_built(reporter, project)


@dataclass(frozen=True)
class Project:
    """A project ready to build: its configuration, settings, data folder, editions and valid catalog."""

    config_path: str
    settings: Settings
    data: str
    editions: list
    today: object
    catalog: object
    public: object  # the catalog's public site (core.public), made once for every edition and the site's check

    @property
    def config_dir(self) -> str:
        return os.path.dirname(self.config_path)


def checked_project(config: str, reporter) -> Project:
    """The project of a configuration, refused (with every problem of its data said) unless it may be built:
    its data valid, every edition with a public address and a site folder outside the data."""
    config_path = os.path.abspath(config)
    if not os.path.isfile(config_path):
        raise UsageError(Text("--config {config}: no such file", config=config))
    settings = load_settings(config_path)
    data = os.path.join(os.path.dirname(config_path), settings.data_dir)
    if not os.path.isdir(data):
        raise UsageError(Text("extra.portal.data_dir: {data}: no such folder", data=shown_path(data)))
    editions = edition_files(config_path)
    today = settings.build_date()
    catalog = load_catalog(data, today=today)
    if not catalog.report.ok:
        reporter.problems(catalog.report, notes=False)
        raise CommandError(Text("{errors} error(s) in the data; nothing was built or published.", errors=len(catalog.report.errors)))
    for name, config, lang, site_url, site_dir in editions:
        if inside(data, site_dir) or inside(site_dir, data):  # MkDocs empties site_dir before it writes
            where = name + ": site_dir " + shown_path(site_dir)
            raise UsageError(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data', shown=where, what=Text("the built site")))
        if not site_url:
            raise UsageError(Text("{config}: site_url: not set; every edition needs its public address", config=name))
    public = build_public_site(catalog, today, settings.ending_soon_days)
    return Project(config_path, settings, data, editions, today, catalog, public)


def build_edition(reporter, project: Project, name: str, lang: str, site_dir: str, part=None) -> None:
    """One edition built strictly by MkDocs into `site_dir` (its own unless another is given), from the data the
    project has already read and made public (once for every edition), in a forked copy of this process that
    gives the edition's memory back when it ends; its errors said. The whole edition unless `part`
    (render.site.Part) is given (`portal part`), whatever the environment says."""
    reporter.say(Text("building the {language} edition ({config}) into {site_dir} …", language=lang, config=name, site_dir=shown_path(site_dir)))
    lines = Beside(lambda: _built(project, name, site_dir, part), daemon=False).result()
    if lines is not None:
        for line in lines:
            reporter.say(Text("{config}: {line}", config=name, line=line))
        raise CommandError(Text("the strict build of {config} failed; nothing may be published", config=name))


def _built(project: Project, name: str, site_dir: str, part) -> list[str] | None:
    """MkDocs' build of one edition, as `mkdocs build --strict` makes it; None when it passed, else what it said."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from ..adapters.mkdocs import Loaded, adapters_in

    said = _Said()
    logger = logging.getLogger("mkdocs")
    before = (logger.level, logger.propagate)
    logger.addHandler(said)
    logger.setLevel(logging.WARNING)  # what `mkdocs build` would print as WARNING or ERROR, and nothing printed meanwhile
    logger.propagate = False
    try:
        where = os.getcwd()
    except OSError:  # this process's folder is gone: nothing to come back to
        where = None
    try:
        os.chdir(project.config_dir)  # as `mkdocs build` is run: a plugin's folders (a cache) lie beside the configuration
        config = load_config(config_file=os.path.join(project.config_dir, name), site_dir=site_dir, strict=True)
        loaded = Loaded(project.data, project.today, project.settings.ending_soon_days, project.catalog, project.public, part)
        for adapter in adapters_in(config):
            adapter.loaded = loaded
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        finally:
            config.plugins.on_shutdown()
        return None
    except MkDocsException as exc:  # MkDocs' own refusals ("Aborted with 1 warnings in strict mode!")
        return said.lines + [str(exc)]
    except Exception as exc:  # noqa: BLE001 - a theme's or a plugin's failure is said in one line, never a traceback
        return said.lines + [f"{type(exc).__name__}: {exc}"]
    finally:
        logger.removeHandler(said)
        logger.setLevel(before[0])
        logger.propagate = before[1]
        if where is not None:
            os.chdir(where)


class _Said(logging.Handler):
    """What a build logs as a warning or an error, kept to be said through the reporter."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} - {record.getMessage()}")


def check_built(reporter, project: Project) -> int:
    """Read the built site of every edition against the data; refused with every problem found."""
    catalog, editions, public = project.catalog, project.editions, project.public
    reporter.say(Text("reading the built site in {site_dir} against the data …", site_dir=shown_path(editions[0][4])))
    sites = [sitecheck.EditionSite(name, lang, site_url, site_dir) for name, _, lang, site_url, site_dir in editions]
    # A staff preview (PORTAL_PREVIEW=1, a pull request's build) has edit links into the repository by design
    # and is never published; every other build must have none.
    repository = "" if os.environ.get("PORTAL_PREVIEW") else str(editions[0][1].get("repo_url") or "")
    problems = sitecheck.check_site(editions[0][4], sites, catalog, public, repository)
    root = shown_path(editions[0][4])
    for problem in problems:
        reporter.say(Text("{root}/{problem}", root=root, problem=problem))
    # What the host counts (the whole site, its files, its largest file), against what each host publishes.
    measured = hostlimits.measure(editions[0][4])
    refusals, warnings = hostlimits.judge(measured, os.environ)
    reporter.say(hostlimits.summary(measured, root))
    for line in warnings:
        reporter.warn(Text("warning: {line}", line=line))
    for line in refusals:
        reporter.say(Text("{root}: {line}", root=root, line=line))
    if refusals:
        reporter.say(Text("{root}: the host building it would not publish it: publish it where the site fits (PUBLISHING.md lists each host's limits), or with one edition fewer.", root=root))
    if problems or refusals:
        raise CommandError(Text("{count} problem(s) in the built site; do not publish it.", count=len(problems) + len(refusals)))
    reporter.say(Text("The site may be published: {editions} edition(s) in {root}, {partners} partners shown, no private value, every link and export checked.",
             editions=len(sites), root=root, partners=len(public.listed) + len(public.unlisted)))
    return 0


def _init_answers(reporter, args, interactive: bool):
    """What `portal init` is told: the options given, the rest asked at a terminal; UsageError when not enough."""
    questions = {
        "name": Text("The organisation's name (as readers should see it)"),
        "url": Text("The site's public address, e.g. https://kemitraan.example-org.id/ (see PUBLISHING.md)"),
        "email": Text("The e-mail address applicants and partners write to"),
        "form": Text("The intake form's https address (empty: applicants write an e-mail)"),
        "languages": Text("Languages to publish: id, or id,en"),
        "repository": Text("The data repository's https address, for staff edit links in previews (may be empty)"),
    }
    values = {key: getattr(args, key) for key in questions}
    if values["languages"] is None:
        values["languages"] = "id,en" if not interactive else None
    for key, question in questions.items():
        if values[key] is None and interactive:
            values[key] = reporter.ask(question, "id,en" if key == "languages" else "")
    missing = [f"--{key}" for key in ("name", "url", "email") if not values[key]]
    if missing:
        raise UsageError(Text("missing {options}; give them as options, or run portal init at a terminal to be asked", options=", ".join(missing)))
    url = values["url"].strip()
    answers = start.Answers(name=values["name"].strip(), site_url=url if url.endswith("/") else url + "/", email=values["email"].strip(),
                            form=(values["form"] or "").strip(), languages=start.parse_languages(values["languages"] or "id"),
                            repository=(values["repository"] or "").strip())
    problems = start.check_answers(answers)
    if problems:
        raise UsageError(joined(problems))
    return answers


def _check_config(path: str, text: str) -> None:
    """A configuration `portal init` would write, refused (nothing changed) when its settings would not be valid."""
    try:
        config = parse_mkdocs_config(text)
        Settings.from_extra(config.get("extra") if isinstance(config.get("extra"), dict) else None)
    except ValueError as exc:
        raise CommandError(Text("{path}: the new configuration would not be valid ({error}); nothing was changed", path=shown_path(path), error=exc))


def cmd_init(args, reporter) -> int:
    """The demo made into the organisation's own portal (every answer a flag too; asked at a terminal)."""
    config_path = os.path.abspath(args.config)
    if not os.path.isfile(config_path):
        raise UsageError(Text("--config {config}: no such file", config=args.config))
    interactive = sys.stdin is not None and sys.stdin.isatty() and not args.yes
    answers = _init_answers(reporter, args, interactive)
    project = os.path.dirname(config_path)
    settings = load_settings(config_path)
    data = os.path.join(project, settings.data_dir)
    try:
        texts = {config_path: start.configure_main(start.read_config(config_path), answers)}
        for lang in answers.languages[1:]:
            path = os.path.join(project, f"mkdocs.{lang}.yml")
            if not os.path.isfile(path):
                raise CommandError(Text("mkdocs.{lang}.yml: missing; the {lang} edition needs its configuration beside mkdocs.yml", lang=lang))
            texts[path] = start.configure_edition(start.read_config(path), os.path.basename(path), answers, lang)
    except yamledit.EditError as exc:
        raise CommandError(exc)
    dropped = sorted(os.path.join(project, f"mkdocs.{lang}.yml") for lang in start.LANGUAGE_NAMES
                     if lang not in answers.languages and os.path.isfile(os.path.join(project, f"mkdocs.{lang}.yml")))
    for path, text in texts.items():  # every configuration is checked before anything is written
        _check_config(path, text)
    partners, logos = ([], []) if args.keep_demo else start.demo_files(data)
    if interactive:
        reporter.say(Text("portal init will write {configs}, remove {dropped}, and remove {partners} demo partner file(s) and {logos} logo(s).",
                 configs=", ".join(shown_path(p) for p in texts), dropped=", ".join(shown_path(p) for p in dropped) or "-", partners=len(partners), logos=len(logos)))
        if reporter.ask(Text("Go ahead? (y/n)"), "n").lower() not in ("y", "ya", "yes"):
            reporter.say(Text("Nothing was changed."))
            return 1
    for path, text in texts.items():
        start.write_beside(path, text)
        reporter.say(Text("wrote {path}", path=shown_path(path)))
    for path in dropped + partners + logos:
        os.unlink(path)
        reporter.say(Text("removed {path}", path=shown_path(path)))
    reporter.say(Text("Your portal is set up. Next: add partners (portal new, or the editor), then run portal check; portal doctor lists what still needs a person."))
    return 0


def cmd_render(args, reporter) -> int:
    from ..adapters.folder import RenderError, project_files, write_folder
    from ..adapters.templatecache import user_cache
    from ..core.problems import DataError

    out = os.path.abspath(args.out)
    data = os.path.join(os.path.dirname(os.path.abspath(args.config)), load_settings(args.config).data_dir)
    if inside(data, out) or inside(out, data):  # whatever markers the folder holds: the data is never replaced
        raise UsageError(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data', shown=shown_path(args.out), what=Text("the rendered site")))
    try:
        files = project_files(args.config, compiled=user_cache())
        count = write_folder(out, files)
    except DataError as exc:
        for line in exc.report.lines(notes=False):
            reporter.say(line)
        raise CommandError(Text("the data has errors; nothing was rendered (see validate)"))
    except (ValueError, RenderError) as exc:
        raise UsageError(exc)
    except OSError as exc:
        raise CommandError(Text("{path}: {reason}", path=exc.filename or args.out, reason=exc.strerror or exc))
    configs = sorted((name for name in files if "/" not in name and name.endswith(".yml")), key=lambda n: (n != "mkdocs.yml", n))
    builds = " && ".join("zensical build" + ("" if name == "mkdocs.yml" else f" -f {name}") for name in configs)
    reporter.say(Text('wrote {count} files into {out}: one configuration (without the hook) and one docs folder per edition ({configs}), and the overriding templates;', count=count, out=shown_path(args.out), configs=', '.join(configs)))
    reporter.say(Text('build every edition with another engine, the main one first, e.g.: cd {out} && {builds}', out=shown_path(args.out), builds=builds))
    return 0
