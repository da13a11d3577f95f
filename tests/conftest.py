"""Shared test helpers: paths, a copy of the reference data to drop fixture files into, and a built site."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The staff commands speak the locale's language: Indonesian unless the locale says English. Most tests read
# their messages in English, so the suite runs under an English locale; the tests of the Indonesian
# messages (test_staff_language.py) set LANG=id_ID.UTF-8 themselves.
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "en_US.UTF-8"

# The tests never read the live data folder, pages or addresses (partners/, docs/*.md, mkdocs*.yml): an
# organisation replaces those with its own. They read a copy of the demo kept here, a whole project folder.
DEMO = os.path.join(ROOT, "tests", "demo")
DATA = os.path.join(DEMO, "partners")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
TODAY = dt.date(2026, 12, 1)  # the fixed "today" of every test that depends on the date
PY = sys.executable


def copy_reference_data(dest: str, with_partners: bool = False) -> str:
    """A partners/ folder with the real patterns, stages, forms and logos (and optionally the example partners)."""
    target = os.path.join(dest, "partners")
    os.makedirs(target, exist_ok=True)
    for name in ("stages.yml", "forms.yml"):
        shutil.copy(os.path.join(DATA, name), target)
    for folder in ("patterns", "logos", "templates"):
        shutil.copytree(os.path.join(DATA, folder), os.path.join(target, folder))
    if with_partners:
        for name in os.listdir(DATA):
            if name.endswith(".yml") and name not in ("stages.yml", "forms.yml"):
                shutil.copy(os.path.join(DATA, name), target)
    return target


@pytest.fixture
def data_dir(tmp_path):
    return copy_reference_data(str(tmp_path))


def run_portal(*args, env=None, cwd=None, subprocess_run=False):
    """Run a staff command, capturing its output (bytes, as a process would give it). In this process by
    default (fast); as a real process through scripts/portal.py when an environment is given or asked for."""
    if env is not None or subprocess_run:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run([PY, os.path.join(ROOT, "scripts", "portal.py"), *args], capture_output=True, cwd=cwd or DEMO, env=full_env)
    import contextlib
    import io

    from portal_kemitraan.staff import cli

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        os.chdir(cwd or DEMO)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([str(a) for a in args])
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["portal", *args], code, out.getvalue().encode("utf-8"), err.getvalue().encode("utf-8"))


def build_site(project_dir: str, *extra, env=None, one_core: bool = False) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` for a project folder laid out like this repository (`one_core`: with the
    process's CPU affinity set to a single core, as `taskset -c 0` would)."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    full_env.update(env or {})
    return subprocess.run(
        [PY, "-m", "mkdocs", "build", "--strict", *(extra if "-f" in extra else ("-f", os.path.join(project_dir, "mkdocs.yml"), *extra))],
        capture_output=True,
        text=True,
        cwd=project_dir,
        env=full_env,
        preexec_fn=(lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None,
    )


def _built(tmp_path_factory, name: str, english: bool = True, extra_yaml: dict | None = None):
    """The example data built once per run (shared between the workers), both editions unless told."""
    from sitebuild import build, completed, outcome, project, shared

    def make(folder):
        result, site = build(project(folder, extra_yaml=extra_yaml), english=english)
        return {"site": site, "result": outcome(result)}

    made = shared(tmp_path_factory, name, make)
    result = completed(made["result"])
    assert result.returncode == 0, result.stderr
    return made["site"], result


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The example data built once with the project's own configuration."""
    return _built(tmp_path_factory, "example")


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory):
    """The example data rendered by `portal render --out` and built by Zensical instead of MkDocs."""
    from sitebuild import build_zensical, completed, outcome, project, shared

    def make(folder):
        result, site = build_zensical(project(folder))
        return {"site": site, "result": outcome(result)}

    made = shared(tmp_path_factory, "zensical", make)
    result = completed(made["result"])
    assert result.returncode == 0, result.stdout + result.stderr
    return made["site"]


@pytest.fixture(scope="session")
def small_pages_site(tmp_path_factory):
    """The example data with six cards per directory page, so that the directory has more than one page."""
    return _built(tmp_path_factory, "small-pages", english=False, extra_yaml={"page_size": 6})[0]


@pytest.fixture(scope="session")
def built_site_with_form(tmp_path_factory):
    """The same data with an external intake form configured."""
    return _built(tmp_path_factory, "with-form", english=False, extra_yaml={"intake_form_url": "https://forms.example.org/kemitraan"})[0]


@pytest.fixture(scope="session")
def browser():
    """One Chromium (Debian's, under Playwright) for every browser test of the session."""
    from playwright.sync_api import expect, sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path

    # Assertions wait for what a person would see; the give-up time is generous (both cores are shared by
    # the workers, a build and a browser each), so a slow moment waits instead of failing.
    expect.set_options(timeout=30_000)

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    """The accepted hostile corpus and every published hostile SVG, built once (Indonesian edition)."""
    from sitebuild import build, outcome, shared

    def make(base):
        result, site = build(hostile_project(base), english=False)
        return {"site": site, "result": outcome(result)}

    made = shared(tmp_path_factory, "hostile", make)
    assert made["result"]["returncode"] == 0, made["result"]["stderr"]
    return made["site"]


def hostile_project(base: str) -> str:
    """A project of the accepted hostile corpus, with every published hostile SVG as some partner's logo."""
    from sitebuild import project
    from test_hostile import ACCEPTED, HOSTILE, SVG_CLEANED

    folder = project(base, with_partners=False)
    shutil.copy(os.path.join(HOSTILE, "logos", "jahat.svg"), os.path.join(folder, "partners", "logos"))
    for name in ACCEPTED:
        shutil.copy(os.path.join(HOSTILE, name), os.path.join(folder, "partners"))
    # Every SVG of the corpus that is published (after cleaning) becomes some partner's logo.
    for svg in SVG_CLEANED:
        shutil.copy(os.path.join(HOSTILE, "svg", svg), os.path.join(folder, "partners", "logos", svg))
        slug = "logo-" + svg[: -len(".svg")]
        with open(os.path.join(folder, "partners", f"{slug}.yml"), "w", encoding="utf-8") as fh:
            fh.write(f"name: Logo {svg}\npattern: agency\nside: agent\nsummary: Logo uji.\nregion: {{province: Bali}}\nlogo: logos/{svg}\n")
    return folder


def _controller(session) -> bool:
    """Whether this is the process that runs the session (pytest alone, or xdist's controller), not a worker."""
    return not hasattr(session.config, "workerinput")


def pytest_sessionstart(session):
    """Screenshots are of this run only: a page type that no longer exists must not linger on the sheet. The
    controller clears them once, before any worker starts (a worker clearing them could remove another's)."""
    if _controller(session):
        shutil.rmtree(os.path.join(ROOT, "test-artifacts", "screenshots"), ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    """After the browser tests, one contact sheet of all their screenshots, for a reviewer to look at the
    whole site at once: test-artifacts/contact-sheet.jpg. Drawn once, by the controller after every worker
    has ended (each worker drawing it too had cost a whole sheet's work at each worker's end)."""
    folder = os.path.join(ROOT, "test-artifacts", "screenshots")
    if _controller(session) and os.path.isdir(folder):
        from browser import contact_sheet

        n = contact_sheet(folder, os.path.join(ROOT, "test-artifacts", "contact-sheet.jpg"))
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if n and reporter:
            reporter.write_line(f"contact sheet of {n} screenshots: test-artifacts/contact-sheet.jpg")


# `validate` keeps its outcome in the user's cache folder: the tests use one of their own.
os.environ["XDG_CACHE_HOME"] = os.path.join(ROOT, "test-artifacts", "cache")
