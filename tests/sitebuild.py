"""Builds of the site shared by the build and browser tests: one per configuration, made once per session."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess

from conftest import DEMO, ROOT, TODAY, build_site, copy_reference_data

EPOCH = str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.timezone.utc).timestamp()))


def shared(tmp_path_factory, name: str, make):
    """What `make(folder)` returns (JSON-able: paths, a build's outcome), made once for the whole run. Under
    pytest-xdist the workers share it: the first to ask makes it in a folder beside their own temporary
    folders while holding a lock; the others wait for it and read what it left. Nothing made is changed by a test."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(str(tmp_path_factory.mktemp(name)))
    import fcntl

    root = tmp_path_factory.getbasetemp().parent / "shared"
    root.mkdir(exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{name}.json"
        if not done.exists():
            folder = root / name
            shutil.rmtree(folder, ignore_errors=True)  # a maker that failed in the other worker leaves nothing usable
            folder.mkdir()
            value = make(str(folder))
            done.write_text(json.dumps(value), encoding="utf-8")
        return json.loads(done.read_text(encoding="utf-8"))


def outcome(result) -> dict:
    """A build's outcome as plain data, to be shared between workers."""
    return {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def completed(value: dict) -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], value["returncode"], value["stdout"], value["stderr"])


def project(dest: str, with_partners: bool = True, extra_yaml: dict | None = None) -> str:
    """A project laid out like this repository: the portal's code (templates, hook, the site's script and
    styles in docs/assets/) from the repository, the demo's pages, configuration and partners from
    tests/demo/ (never the live ones, which an organisation replaces), with settings in extra.portal changed."""
    os.makedirs(dest, exist_ok=True)
    for name in ("docs", "docs-en"):
        shutil.copytree(os.path.join(DEMO, name), os.path.join(dest, name))
    shutil.copytree(os.path.join(ROOT, "docs", "assets"), os.path.join(dest, "docs", "assets"))
    for name in ("overrides", "hooks"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(dest, name), ignore=shutil.ignore_patterns("__pycache__"))
    config = open(os.path.join(DEMO, "mkdocs.yml"), encoding="utf-8").read()
    for key, value in (extra_yaml or {}).items():
        config, n = re.subn(rf"(?m)^(    {key}:).*$", rf'\1 "{value}"', config)
        assert n == 1, key
    with open(os.path.join(dest, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(config)
    shutil.copy(os.path.join(DEMO, "mkdocs.en.yml"), dest)
    copy_reference_data(dest, with_partners=with_partners)
    return dest


def build(project_dir: str, english: bool = True):
    """Both editions, as the build command makes them: Indonesian into site/, then English into site/en/."""
    result = build_site(project_dir, env={"SOURCE_DATE_EPOCH": EPOCH})
    if result.returncode == 0 and english:
        result = build_site(project_dir, "-f", os.path.join(project_dir, "mkdocs.en.yml"), env={"SOURCE_DATE_EPOCH": EPOCH})
    return result, os.path.join(project_dir, "site")


def site_files(site_dir: str):
    for folder, _, names in os.walk(site_dir):
        for name in names:
            yield os.path.join(folder, name)


def digest(site_dir: str) -> dict[str, str]:
    """Every file of a built site by its path in the site, as its SHA-256: two sites compare byte for byte."""
    import hashlib

    out = {}
    for path in site_files(site_dir):
        with open(path, "rb") as fh:
            out[os.path.relpath(path, site_dir)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def read(site_dir: str, rel: str) -> str:
    with open(os.path.join(site_dir, rel), encoding="utf-8") as fh:
        return fh.read()


def build_zensical(project_dir: str):
    """The same project through the engine-neutral path: `portal render --out`, then `zensical build` for
    every edition it wrote (the main one first: site/, then site/en/)."""
    import subprocess
    import sys

    out = os.path.join(project_dir, "zensical")
    bin_dir = os.path.dirname(sys.executable)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    rendered = subprocess.run(
        [os.path.join(bin_dir, "portal"), "render", "--out", out, "--config", os.path.join(project_dir, "mkdocs.yml")],
        capture_output=True, text=True, cwd=project_dir, env=env,
    )
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    configs = sorted((n for n in os.listdir(out) if n.startswith("mkdocs") and n.endswith(".yml")), key=lambda n: (n != "mkdocs.yml", n))
    assert configs[0] == "mkdocs.yml" and len(configs) > 1, configs
    for name in configs:
        built = subprocess.run([os.path.join(bin_dir, "zensical"), "build", "-f", name], capture_output=True, text=True, cwd=out, env=env)
        if built.returncode != 0:
            break
    return built, os.path.join(out, "site")


def search_records(edition_dir: str) -> list[dict]:
    """Every record of an edition's search index (Pagefind's fragments, unpacked): url, content, meta, filters."""
    import glob
    import gzip
    import json

    records = []
    for path in sorted(glob.glob(os.path.join(edition_dir, "pagefind", "fragment", "*.pf_fragment"))):
        with open(path, "rb") as fh:
            data = gzip.decompress(fh.read())
        assert data.startswith(b"pagefind_dcd"), path
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records
