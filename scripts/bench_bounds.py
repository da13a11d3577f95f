#!/usr/bin/env python3
"""The floors under issue 30's missed targets: Pagefind's indexer alone, Material's page around each profile, plain MkDocs.

Usage: .venv/bin/python scripts/bench_bounds.py [N ...]        (default: 10000)
       .venv/bin/python scripts/bench_bounds.py 10000 --keep DIR

For N generated partners (the same seeded partners as scripts/bench.py), it prints what no change to this
project's own code can bring under the targets of peak memory (600 MB) and size (300 MB):
- Pagefind's indexer alone, in a process of its own through its Python API, given the main edition's partner
  and pattern documents (the hand-written pages left out, so a floor): its peak resident memory and time;
- both editions as CI publishes them: every profile page's bytes, split into the partner's article and what
  the theme draws around it (head, header, tabs, navigation drawer, footer, scripts);
- plain MkDocs with the same theme and the same pages written by hand (no hook, no data, no search): one
  edition's peak memory and published size.
It is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time

from bench import EPOCH, folder_size, projects, run_measured

# Run in a child process, so that only the indexer and this small driver are measured.
_INDEXER = r"""
import json, os, sys, time
from portal_kemitraan.adapters.folder import edition_configs, load_site
from portal_kemitraan.render.bundle import search_bundle
from portal_kemitraan.render.i18n import edition_language
from portal_kemitraan.render.site import Edition, render_site

project = sys.argv[1]
config = edition_configs(os.path.join(project, "mkdocs.yml"))[0][1]
settings, site = load_site(config, project)
edition = Edition(locale=edition_language(config["theme"].get("language")), site_url=str(config.get("site_url") or ""))
search = next(f for f in render_site(site, settings, edition, ahead=False, handwritten={}) if f.kind == "search").make
docs = search.documents()
print(json.dumps({"documents": len(docs), "html": sum(len(d.html.encode()) for d in docs)}), flush=True)
start = time.perf_counter()
files = search_bundle(docs, search.lang)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": sum(len(v) for v in files.values())}), flush=True)
"""

ARTICLE = b'<article class="md-content__inner md-typeset">'


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _indexers() -> list[int]:
    """The processes of Pagefind's indexer running now (pagefind-bin's executable, started with --service)."""
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                args = fh.read().split(b"\0")
        except OSError:
            continue
        if len(args) > 1 and os.path.basename(args[0]) == b"pagefind" and b"--service" in args:
            found.append(int(name))
    return found


def indexer_alone(project: str) -> dict:
    """Pagefind's indexer given the main edition's partner and pattern documents: its peak RSS (sampled every
    50 ms), its time, the documents' count and bytes, and the bundle's bytes."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.Popen([sys.executable, "-c", _INDEXER, project], env=env, stdout=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max([peak[0], *(_rss_kib(pid) for pid in _indexers())])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: dict = {}
    for line in proc.stdout:
        out.update(json.loads(line))
    if proc.wait() != 0:
        raise SystemExit("the indexer's run failed")
    done.set()
    sampler.join()
    return {**out, "peak_mib": peak[0] / 1024}


def profile_split(site: str) -> dict:
    """Every profile page of both editions (partners/<slug>/index.html, the directory's own pages left out):
    their count, their bytes, and the bytes of the partner's article within them (the content area MkDocs
    fills, from its opening tag to its closing one)."""
    pages = total = article = 0
    for folder in (os.path.join(site, "partners"), os.path.join(site, "en", "partners")):
        for slug in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            path = os.path.join(folder, slug, "index.html")
            if slug == "page" or not os.path.isfile(path):
                continue
            with open(path, "rb") as fh:
                html = fh.read()
            start, end = html.find(ARTICLE), html.rfind(b"</article>")
            if start < 0 or end < start:
                continue
            pages += 1
            total += len(html)
            article += end + len(b"</article>") - start
    return {"pages": pages, "bytes": total, "article": article, "around": total - article}


def bounds(n: int, keep: str | None) -> None:
    work, project, baseline, rows = projects(n, os.path.join(keep, str(n)) if keep else None, "bounds")
    py = sys.executable
    listed = sum(1 for _, d in rows if d["visibility"] == "public")
    print(f"N={n} ({listed} listed), {dt.date.today()}, {os.cpu_count()} cores", flush=True)
    alone = indexer_alone(project)
    print(f"  Pagefind's indexer alone: {alone['documents']:,} documents ({alone['html'] / 1e6:.1f} MB of HTML): peak"
          f" {alone['peak_mib']:,.0f} MiB ({alone['peak_mib'] * 1024 / max(alone['documents'], 1):.0f} KiB a document),"
          f" {alone['seconds']:.1f} s, bundle {alone['bytes'] / 1e6:.1f} MB", flush=True)
    for cmd in ([py, "-m", "mkdocs", "build", "--strict", "-q"], [py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"]):
        run_measured(cmd, project)
    site = os.path.join(project, "site")
    split = profile_split(site)
    pages = max(split["pages"], 1)
    print(f"  both editions: {folder_size(site) / 1e6:.1f} MB; {split['pages']:,} profile pages {split['bytes'] / 1e6:.1f} MB, of which"
          f" the theme around the article {split['around'] / 1e6:.1f} MB ({split['around'] / pages / 1000:.1f} KB a page)"
          f" and the articles {split['article'] / 1e6:.1f} MB ({split['article'] / pages / 1000:.1f} KB a page)", flush=True)
    trees: list = []
    seconds = run_measured([py, "-m", "mkdocs", "build", "-q"], baseline, trees)[0]
    print(f"  plain MkDocs, one edition (the same pages by hand, no hook): {seconds:.1f} s, peak {max(trees) / 1024:,.0f} MiB,"
          f" published {folder_size(os.path.join(baseline, 'site')) / 1e6:.1f} MB", flush=True)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of partners (default 10000)")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated projects in DIR")
    args = parser.parse_args()
    started = time.perf_counter()
    for n in args.sizes or [10000]:
        bounds(n, args.keep)
    print(f"  ({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
