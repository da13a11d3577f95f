#!/usr/bin/env python3
"""Benchmark: validation and build time, hook overhead over plain MkDocs, page sizes, directory speed, memory.

Usage: .venv/bin/python scripts/bench.py [N ...]        (default: 100 1000 10000)
       .venv/bin/python scripts/bench.py 10000 --vs-src ../before/src   (this code against another commit's, in turn)
       .venv/bin/python scripts/bench.py 1000 --no-browser --keep DIR
       .venv/bin/python scripts/bench.py --recall              (the search query set through every box)
       .venv/bin/python scripts/bench.py 10000 --parts 3       (one machine's build against parts joined, in turn)
       .venv/bin/python scripts/bench.py 30000 50000 --scale   (both editions, memory and size at each size)
       .venv/bin/python scripts/bench.py 30000 --search-scale  (the main edition, then the search's bytes per query)
       .venv/bin/python scripts/bench.py 10000 --bounds        (the floors under the missed targets: Pagefind alone,
                                                               the theme around each profile, plain MkDocs)

It generates N synthetic but realistic partners (seeded: the same N gives the same files) in a temporary
project, then prints one line per measurement. It is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
from html import escape
import datetime as dt
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

import yaml  # noqa: E402

from portal_kemitraan.core.reference import provinces  # noqa: E402

EPOCH = "1796083200"  # 2026-12-01: every build and preview of the benchmark runs on this date

WORDS = (
    "tani makmur sejahtera jaya mandiri lestari berkah sumber rejeki maju bersama karya abadi mulia sentosa "
    "harapan baru nusantara bahari agro mina tirta wana giri sari indah rukun damai"
).split()
KINDS_OF_ORG = ["Koperasi", "Kelompok Tani", "CV", "PT", "UD", "BUMDes", "Yayasan", "Kelompok Wanita Tani", "Sanggar", "Kelompok Nelayan"]
SECTORS = ["pertanian", "hortikultura", "perikanan", "peternakan", "kopi", "kerajinan", "tenun", "olahan pangan", "ritel", "pariwisata", "energi", "pendidikan"]
PATTERNS = {
    "agency": ["principal", "agent"],
    "operational-cooperation": ["partner-group", "partner-company"],
    "foster-parent": ["foster-parent", "foster-child"],
    "general-trade": ["buyer", "supplier"],
}
STAGES = ["identification", "information", "analysis", "exploration", "work-plan", "drafting", "signing", "implementation", "monitoring", "improvement", "follow-up"]
FORMS = ["revenue-sharing", "promotion-barter", "exchange", "expertise-pooling", "grant", "cost-sharing", "joint-investment"]
PARAGRAPH = (
    "Kelompok ini beranggotakan {n} orang dan bekerja di {sector}. Setiap bulan hasil kerja dikumpulkan, "
    "diperiksa mutunya, lalu dikirim kepada mitra sesuai jadwal yang disepakati bersama. "
)


def partner(rng: random.Random, i: int) -> tuple[str, dict]:
    org = rng.choice(KINDS_OF_ORG)
    name = f"{org} {rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {i}"
    pattern = rng.choice(list(PATTERNS))
    province = rng.choice(provinces())["name"]
    sector = rng.sample(SECTORS, rng.randint(1, 3))
    paragraphs = rng.choice([1, 1, 2, 3, 12])  # a few long descriptions
    description = "\n\n".join(PARAGRAPH.format(n=rng.randint(10, 300), sector=", ".join(sector)) * 2 for _ in range(paragraphs))
    description += "\n\n- pelatihan mutu\n- pencatatan **panen**\n- [situs](https://example.org)\n"
    data = {
        "name": name,
        "pattern": pattern,
        "side": rng.choice(PATTERNS[pattern]),
        "summary": f"{org} di {province} yang bekerja di bidang {', '.join(sector)} dan bermitra untuk memperluas pasar."[:280],
        "region": {"province": province, "city": f"Kota {rng.choice(WORDS).title()}"},
        "kind": rng.choice(["cooperative", "community-group", "business", "ngo"]),
        "sectors": sector,
        "forms": rng.sample(FORMS, rng.randint(0, 2)),
        "description": description,
        "stage": rng.choice(STAGES),
        "contact": {"email": f"mitra{i}@example.org", "phone": f"0812 555{i:05d}"[:16]},
        "since": f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",  # never after the day it runs
        "last_verified": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "visibility": rng.choice(["public"] * 18 + ["unlisted", "hidden"]),
        "internal": {"owner": rng.choice(["sari", "dimas", "ayu"]), "notes": "catatan staf"},
    }
    if rng.random() < 0.6:
        start = rng.randint(2022, 2026)
        data["agreement"] = {"type": "MoU", "start": f"{start}-01-01", "end": f"{start + rng.randint(1, 3)}-12-31"}
    if rng.random() < 0.4:
        data["activities"] = [{"title": f"Kegiatan {k}", "date": f"2025-{k + 1:02d}-10", "summary": "Pertemuan rutin."} for k in range(rng.randint(1, 4))]
    slug = f"mitra-{i:05d}"
    return slug, data


def make_project(folder: str, n: int, seed: int = 7) -> list[tuple[str, dict]]:
    """A copy of the project around N generated partners."""
    for name in ("docs", "docs-en", "overrides", "hooks"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(folder, name), ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(ROOT, "mkdocs.yml"), folder)
    shutil.copy(os.path.join(ROOT, "mkdocs.en.yml"), folder)
    data_dir = os.path.join(folder, "partners")
    os.makedirs(data_dir)
    for name in ("stages.yml", "forms.yml", "search.yml"):
        shutil.copy(os.path.join(ROOT, "partners", name), data_dir)
    for name in ("patterns", "logos", "templates"):
        shutil.copytree(os.path.join(ROOT, "partners", name), os.path.join(data_dir, name))
    rng = random.Random(seed)
    rows = [partner(rng, i) for i in range(n)]
    for slug, data in rows:
        with open(os.path.join(data_dir, f"{slug}.yml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
    return rows


def baseline_page(d: dict) -> str:
    """One profile written by hand in Markdown, with the same sections as the generated page."""
    steps = "\n".join(f"{i}. {'**' + s + '**' if s == d['stage'] else s}" for i, s in enumerate(STAGES, 1))
    facts = "\n".join(
        f"- **{k}:** {v}"
        for k, v in (
            ("Pola kemitraan", f"[{d['pattern']}](../patterns/{d['pattern']}.md), sebagai {d['side']}"),
            ("Jenis", d["kind"]),
            ("Bentuk kerja sama", ", ".join(d["forms"]) or "-"),
            ("Sektor", ", ".join(d["sectors"])),
            ("Wilayah", f"{d['region']['city']}, {d['region']['province']}"),
            ("Kontak", f"<{d['contact']['email']}>, [{d['contact']['phone']}](tel:{d['contact']['phone'].replace(' ', '')})"),
            ("Bermitra sejak", d["since"]),
        )
    )
    parts = [
        f"---\ntitle: {json.dumps(d['name'])}\ndescription: {json.dumps(d['summary'])}\n---\n",
        f"# {d['name']}\n\n{d['summary']}\n\n`{d['pattern']}` `{d['side']}` `{d['region']['province']}`",
        f"## Tahap kemitraan\n\n{steps}",
        f"## Tentang mitra\n\n{d['description']}",
        f"## Rincian\n\n{facts}",
    ]
    if d.get("agreement"):
        a = d["agreement"]
        parts.append(f"## Kesepakatan\n\n**Berlaku** {a['type']}: {a['start']} – {a['end']}.")
    if d.get("activities"):
        parts.append("## Kegiatan\n\n" + "\n".join(f"- **{x['title']}** · {x['date']}  \n  {x['summary']}" for x in d["activities"]))
    parts.append(f"Profil ini terakhir diperiksa pada {d['last_verified']}.\n\n[Ada yang keliru? Ajukan koreksi](mailto:kemitraan@example.org?subject=Koreksi){{ .md-button }}")
    return "\n\n".join(parts) + "\n"


def make_baseline(folder: str, rows: list[tuple[str, dict]]) -> None:
    """The same pages written by hand as Markdown: same theme, same nav, no hook."""
    docs = os.path.join(folder, "docs")
    shutil.copytree(os.path.join(ROOT, "docs"), docs)
    os.makedirs(os.path.join(docs, "partners"))
    os.makedirs(os.path.join(docs, "patterns"))
    for pid in PATTERNS:
        with open(os.path.join(docs, "patterns", f"{pid}.md"), "w", encoding="utf-8") as fh:
            fh.write(f"# {pid}\n")
    with open(os.path.join(docs, "partners", "index.md"), "w", encoding="utf-8") as fh:
        fh.write("# Direktori mitra\n\n" + "".join(f"- [{d['name']}]({s}.md)\n" for s, d in rows[:48] if d["visibility"] == "public"))
    for slug, d in rows:
        if d["visibility"] == "hidden":
            continue
        with open(os.path.join(docs, "partners", f"{slug}.md"), "w", encoding="utf-8") as fh:
            fh.write(baseline_page(d))
    config = open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8").read()
    config = config.replace("hooks:\n  - hooks/portal_hook.py\n", "not_in_nav: |\n  /partners/*\n  /patterns/*\n  /guide/embed.md\n")
    # The overrides take their words from extra.portal_text, which the hook sets; the baseline has no hook.
    from portal_kemitraan.render.i18n import Locale

    config = config.replace("\nextra:\n", "\nextra:\n  portal_text: " + json.dumps(Locale("id").theme_text(), ensure_ascii=False) + "\n", 1)
    nav_start = config.index("\nnav:")
    config = config[:nav_start] + "\nnav:\n  - Beranda: index.md\n  - Direktori mitra: partners/index.md\n  - Panduan kemitraan: guide/index.md\n  - Jadi mitra: join.md\n"
    for name in ("overrides",):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(folder, name))
    with open(os.path.join(folder, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(config)
    # pages that link to generated files would warn; the baseline drops those links' targets from strictness
    for rel in ("guide/data.md", "guide/embed.md"):
        path = os.path.join(docs, rel)
        if os.path.exists(path):
            os.remove(path)


def _tree_rss_kib(root_pid: int, proportional: bool = False) -> int:
    """The resident memory of a process and all its descendants now (KiB), read from /proc. Each process's
    RSS counts the pages it shares with the others (a forked worker's copy of its parent) again; with
    `proportional`, each process's PSS is added instead (a shared page split among those sharing it)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{name}/statm", encoding="ascii") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid, ppid = int(name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid) if proportional else rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_measured(cmd: list[str], cwd: str, tree: list | None = None, code: str | None = None, pss: list | None = None,
                 mark: str | None = None, marked: list | None = None) -> tuple[float, int, str]:
    """Run a child and read its own peak RSS through wait4 (KiB on Linux). With `tree`, the peak of the whole
    process tree (the child, its forked workers and Pagefind, their RSS added together), sampled every 50 ms,
    is appended to it; with `pss` too, the peak of their PSS added together (every fifth sample), to it.
    With `code`, the portal's package is imported from that folder (another commit's src/). With `mark`, the
    seconds until the child first prints a line holding it, and the tree's peak until then, are appended to
    `marked` (None when it never does)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, LANGUAGE="en", LANG="en_US.UTF-8")
    if code:
        env["PYTHONPATH"] = code
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE if mark else subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0, 0]
    done = threading.Event()
    seen: list = []

    def watch():
        for line in proc.stdout:
            if not seen and mark in line.decode("utf-8", "replace"):
                seen.append((time.perf_counter() - start, peak[0]))
        proc.stdout.close()

    watcher = threading.Thread(target=watch, daemon=True)
    if mark:
        watcher.start()

    def sample():
        count = 0
        while not done.wait(0.05):
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            count += 1
            if pss is not None and count % 5 == 0:
                peak[1] = max(peak[1], _tree_rss_kib(proc.pid, proportional=True))

    sampler = threading.Thread(target=sample, daemon=True)
    if tree is not None and os.path.isdir("/proc"):
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    if sampler.is_alive():
        sampler.join()
    if mark:
        watcher.join()
        marked.append(seen[0] if seen else None)
    if tree is not None:
        tree.append(peak[0])
    if pss is not None:
        pss.append(peak[1])
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-3000:]}")
    return seconds, usage.ru_maxrss, err


def _browser_helpers():
    import importlib.util

    spec = importlib.util.spec_from_file_location("portal_test_browser", os.path.join(ROOT, "tests", "browser.py"))
    browser = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(browser)
    return browser


FIRST_VIEWS = {"home": "", "directory": "partners/", "profile": None, "pattern": "patterns/general-trade/", "news": "kabar/",
               "guide": "guide/", "join": "join/", "home (en)": "en/", "directory (en)": "en/partners/"}


def search_in_browser(site: str, profile: str, slowdown: float = 4, views: bool = True) -> dict:
    """With the CPU slowed `slowdown` times (Chrome's own throttling, as for a mid-range phone), on fresh
    pages: what a first view of each page type transfers, and for a search typed into the header's dialog and
    into the directory: the time from the last keystroke until the results are drawn, and the bytes the search
    fetched. Sizes are of the bodies gzipped (as a static host sends them); Pagefind's pieces are gzipped already."""
    helpers = _browser_helpers()
    from playwright.sync_api import sync_playwright

    server = helpers.StaticServer(site)
    out: dict = {"views": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=helpers.chromium_path(), args=helpers.CHROMIUM_ARGS)

            def fresh(size=(1280, 900)):
                context = browser.new_context(viewport={"width": size[0], "height": size[1]})
                helpers.offline_routes(context)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                sizes: dict[str, int] = {}

                def on_response(response):
                    if response.url.startswith(server.url):
                        try:
                            body = response.body()
                        except Exception:
                            return
                        sizes[response.url] = len(gzip.compress(body, 6))

                page.on("response", on_response)
                return context, page, sizes

            for name, path in FIRST_VIEWS.items() if views else ():
                context, page, sizes = fresh((390, 844))
                page.goto(server.url + (path if path is not None else profile))
                page.wait_for_load_state("networkidle")
                out["views"][name] = (sum(sizes.values()), len(sizes))
                context.close()

            for box, path, field, root, words in (("header", "", "#portal-search-q", "#portal-search-dialog", "koperasi tani"),
                                                  ("directory", "partners/", "#f-q", ".portal-directory", "koperasi tani")):
                context, page, sizes = fresh()
                page.goto(server.url + path)
                page.wait_for_load_state("networkidle")
                before = dict(sizes)
                if box == "header":
                    page.click(".portal-search-open")
                page.evaluate("(f) => document.querySelector(f).addEventListener('input', () => { window.__last = performance.now(); })", field)
                page.type(field, words, delay=60)
                page.wait_for_function("([r, q]) => document.querySelector(r).getAttribute('data-query') === q", arg=[root, words], timeout=120000)
                mark = "portal-search-results" if box == "header" else "portal-directory-results"
                shown = page.evaluate("(m) => performance.getEntriesByName(m).pop().startTime - window.__last", mark)
                page.wait_for_load_state("networkidle")
                fetched = {u: n for u, n in sizes.items() if u not in before}
                kinds: dict[str, int] = {}
                for u, n in fetched.items():
                    name = u.rsplit("/", 1)[-1]
                    kind = name.rsplit(".", 1)[-1] if "pagefind" in u else name
                    kinds[kind] = kinds.get(kind, 0) + n
                out[box] = {"ms": shown, "bytes": sum(fetched.values()), "requests": len(fetched), "kinds": kinds,
                            "results": page.eval_on_selector_all(f"{root} a", "as => as.length")}
                if box == "directory":
                    before = dict(sizes)
                    page.evaluate("() => { window.__last = performance.now(); const s = document.querySelector('#f-province'); s.value = s.options[1].value; s.dispatchEvent(new Event('change', {bubbles: true})); }")
                    page.wait_for_function("() => performance.getEntriesByName('portal-directory-results').length > 1", timeout=120000)
                    filtered = page.evaluate("() => performance.getEntriesByName('portal-directory-results').pop().startTime - window.__last")
                    page.wait_for_load_state("networkidle")
                    out["filter"] = {"ms": filtered, "bytes": sum(n for u, n in sizes.items() if u not in before)}
                context.close()
            browser.close()
    finally:
        server.stop()
    return out


def recall_report() -> None:
    """The query set (tests/fixtures/search/queries.yml) typed into every search box of both editions on a
    desktop, on the demo partners plus the query set's own: recall among the first five, and negatives."""
    import importlib.util

    helpers = _browser_helpers()
    spec = importlib.util.spec_from_file_location("portal_searchset", os.path.join(ROOT, "tests", "searchset.py"))
    searchset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(searchset)
    from playwright.sync_api import sync_playwright

    work = tempfile.mkdtemp(prefix="portal-bench-recall-")
    try:
        for name in ("docs", "docs-en", "overrides", "hooks", "partners"):
            shutil.copytree(os.path.join(ROOT, name), os.path.join(work, name), ignore=shutil.ignore_patterns("__pycache__", ".outbox"))
        for name in ("mkdocs.yml", "mkdocs.en.yml"):
            shutil.copy(os.path.join(ROOT, name), work)
        searchset.add_partners(os.path.join(work, "partners"))
        py = sys.executable
        run_measured([py, "-m", "mkdocs", "build", "--strict", "-q"], work)
        run_measured([py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"], work)
        queries = searchset.load_queries()
        server = helpers.StaticServer(os.path.join(work, "site"))
        print("search recall among the first five (the query set typed into each box, desktop):")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=helpers.chromium_path(), args=helpers.CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                helpers.offline_routes(page.context)
                for edition, prefix in (("id", ""), ("en", "en/")):
                    for box in ("header", "home", "directory"):
                        page.goto(server.url + prefix + ("partners/" if box == "directory" else ""))
                        answers = {}
                        for q in queries[edition]:
                            answers[q["q"]] = searchset.through_box(page, box, q["q"])
                            if box == "header":
                                page.keyboard.press("Escape")
                        v = searchset.judge(queries[edition], answers)
                        print(f"  {edition} {box:9} {v['found']:3}/{v['positives']} = {v['recall'] * 100:5.1f} %;"
                              f" negatives with a result: {len(v['leaked'])}/{v['negatives']}"
                              + (f"; missed: {', '.join(v['missed'])}" if v["missed"] else "")
                              + (f"; leaked: {', '.join(v['leaked'])}" if v["leaked"] else ""))
                browser.close()
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile_chrome(path: str, own: tuple[str, ...] = ()) -> int:
    """Bytes of a profile page that are not the partner's own: the page without its <article> and JSON-LD,
    and without the texts in `own` (its name and summary, as the head's title and description tags
    repeat them), wherever they occur outside the article."""
    with open(path, encoding="utf-8") as fh:
        html = fh.read()
    for open_tag, close_tag in (('<article class="portal-partner"', "</article>"), ('<script type="application/ld+json">', "</script>")):
        start = html.find(open_tag)
        if start >= 0:
            end = html.find(close_tag, start) + len(close_tag)
            html = html[:start] + html[end:]
    for text in own:
        html = html.replace(escape(text, quote=True), "")
    return len(html.encode("utf-8"))


def preview_edit(project: str, rows: list[tuple[str, dict]], edits: int = 3, timeout: float = 900) -> tuple[float, list[float]]:
    """The README's preview (`mkdocs serve --dirty`) on the project: seconds until the site is first served,
    then, for each of `edits` saves of a partner file, seconds until its profile, the directory data, its
    pattern page and the home page are all served with the edit (each polled every 0.1 s). The partner is
    the first by name (so its pattern page lists it); the edit gives it a new name and makes it the newest
    partner (so the home page lists it)."""
    import socket
    import urllib.request
    from urllib.parse import urlsplit

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = yaml.safe_load(open(os.path.join(project, "mkdocs.yml"), encoding="utf-8").read().split("\nhooks:", 1)[0])
    base = urlsplit(config.get("site_url") or "/").path or "/"
    root = f"http://127.0.0.1:{port}{base}"
    listed = [(s, d) for s, d in rows if d["visibility"] == "public"]
    slug, data = min(listed, key=lambda row: (row[1]["name"].casefold(), row[0]))
    today = dt.datetime.fromtimestamp(int(EPOCH), dt.timezone.utc).date()
    pages = [f"partners/{slug}/", "api/directory.json", f"patterns/{data['pattern']}/", ""]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # watching needs livereload: keep it

    def fetch(path: str) -> str:
        try:
            with urllib.request.urlopen(root + path, timeout=5) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:
            return ""

    searcher = _preview_searcher()
    try:
        start = time.perf_counter()
        while not fetch(pages[0]):
            if time.perf_counter() - start > timeout or proc.poll() is not None:
                return float("nan"), [], []
            time.sleep(0.2)
        first = time.perf_counter() - start
        time.sleep(1.0)  # let the watcher settle after the first build
        path = os.path.join(project, "partners", f"{slug}.yml")
        name = data["name"]
        times, found = [], []
        for i in range(edits):
            word = "zuriatkopi" + "abcdefghij"[i]  # a word no partner has, of letters only: the index lists it
            marker = f"{name} {word.title()}"
            with open(path, "w", encoding="utf-8") as fh:
                yaml.safe_dump(dict(data, name=marker, since=today), fh, allow_unicode=True, sort_keys=False)
            saved = time.perf_counter()
            waiting = list(pages)
            while waiting:
                waiting = [p for p in waiting if marker not in fetch(p)]
                if time.perf_counter() - saved > timeout or proc.poll() is not None:
                    return first, times + [float("nan")], found
                if waiting:
                    time.sleep(0.1)
            times.append(time.perf_counter() - saved)
            # Found as a reader finds it: the site's own search in Chromium, on a page opened now, answers the word
            # with the partner (the preview's fresh index, before the whole index is written again).
            while True:
                began = time.perf_counter()
                if searcher(root, word, f"{base}partners/{slug}/"):
                    break
                if time.perf_counter() - saved > timeout or proc.poll() is not None:
                    return first, times, found + [(float("nan"), float("nan"))]
                time.sleep(0.1)
            # (when the first search that found it began, when it answered): one search's time apart.
            found.append((began - saved, time.perf_counter() - saved))
            time.sleep(1.0)
        return first, times, found
    finally:
        searcher.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _preview_searcher():
    """A callable (root, word, url) -> whether the site's own search, on a page of `root` opened now in Chromium,
    answers `word` with `url`; `.close()` ends the browser."""
    from playwright.sync_api import sync_playwright

    helpers = _browser_helpers()
    driver = sync_playwright().start()
    browser = driver.chromium.launch(executable_path=helpers.chromium_path(), args=helpers.CHROMIUM_ARGS)

    def search(root: str, word: str, url: str) -> bool:
        page = browser.new_page()
        try:
            page.goto(root + "kabar/", wait_until="load")  # a light page: the header's search is on every page
            urls = page.evaluate(
                """async (q) => { const pf = await window.portalSearch.load(document.querySelector('.portal-search-dialog').getAttribute('data-base'));
                  const found = await window.portalSearch.find(pf, q, {}, 'bench-' + Date.now());
                  return Promise.all(found.results.slice(0, 5).map(r => r.data().then(d => d.url))); }""", word)
            return url in urls
        except Exception:  # the index is being replaced: ask again
            return False
        finally:
            page.context.close()

    def close() -> None:
        browser.close()
        driver.stop()

    search.close = close
    return search


def projects(n: int, keep: str | None, kind: str) -> tuple[str, str, str, list]:
    """A work folder with N generated partners as a project (the hook) and as the plain-MkDocs baseline."""
    work = keep or tempfile.mkdtemp(prefix=f"portal-{kind}-{n}-")
    project, baseline = os.path.join(work, "project"), os.path.join(work, "baseline")
    for folder in (project, baseline):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    rows = make_project(project, n)
    make_baseline(baseline, rows)
    return work, project, baseline, rows


def bench(n: int, browser: bool, keep: str | None, preview: bool = True) -> None:
    work, project, baseline, rows = projects(n, keep, "bench")
    py = sys.executable
    validate = [py, os.path.join(ROOT, "scripts", "portal.py"), "validate", "--quiet", "--data", os.path.join(project, "partners")]
    v_s, v_mem, _ = run_measured(validate, project)
    w_s, _, _ = run_measured(validate, project)  # nothing changed since the first run
    # What CI publishes (both editions, one after the other, as the build command runs them), interleaved with
    # the plain-MkDocs baseline, twice: a slow moment of this shared machine then falls on both alike.
    builds, plains, trees = [], [], []
    for _ in range(2):
        p_s, p_mem, _ = run_measured([py, "-m", "mkdocs", "build", "-q"], baseline)
        plains.append((p_s, p_mem))
        b_s, b_mem, _ = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q"], project, trees)
        e_s, e_mem, _ = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"], project, trees)
        builds.append((b_s, b_mem, e_s, e_mem))
    # The publish gate as every host runs it (validate, both editions strictly, the built site read against
    # the data), interleaved with the plain-MkDocs baseline built twice (one per edition).
    checks, plain_pairs = [], []
    for _ in range(2):
        p1, _, _ = run_measured([py, "-m", "mkdocs", "build", "-q"], baseline)
        p2, _, _ = run_measured([py, "-m", "mkdocs", "build", "-q"], baseline)
        plain_pairs.append(p1 + p2)
        c_s, c_mem, _ = run_measured([os.path.join(os.path.dirname(py), "portal"), "check"], project, trees)
        checks.append((c_s, c_mem))
    b_s, b_mem, e_s, e_mem = min(builds, key=lambda b: b[0] + b[2])
    p_s, p_mem = min(plains)
    tree_peak = max(trees)
    site = os.path.join(project, "site")
    profiles = [os.path.getsize(os.path.join(site, "partners", s, "index.html")) for s, d in rows if d["visibility"] != "hidden"]
    listed = sum(1 for _, d in rows if d["visibility"] == "public")
    print(f"N={n} ({listed} listed) on {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}")
    print(f"  validation:           {v_s:8.2f} s cold, {w_s:.2f} s again with nothing changed   (peak {v_mem / 1024:.0f} MiB)")
    print(f"  build (hook):         {b_s:8.2f} s   (peak {b_mem / 1024:.0f} MiB); English edition {e_s:.2f} s (peak {e_mem / 1024:.0f} MiB); both {b_s + e_s:.2f} s")
    print(f"                        both editions, each run: {', '.join(f'{b[0] + b[2]:.1f} s' for b in builds)} (interleaved with the baseline:"
          f" {', '.join(f'{p[0]:.1f} s' for p in plains)}); whole process tree at its peak {tree_peak / 1024:.0f} MiB (targets: <= 60 s, <= 600 MB)")
    print(f"  portal check:         {min(c[0] for c in checks):8.2f} s (each run: {', '.join(f'{c[0]:.1f} s' for c in checks)}; interleaved with two plain"
          f" MkDocs builds: {', '.join(f'{p:.1f} s' for p in plain_pairs)}); validate, both editions strictly, the site read against the data (target at 1,000: <= 60 s)")
    print(f"  build (plain MkDocs): {p_s:8.2f} s   (peak {p_mem / 1024:.0f} MiB)")
    print(f"  hook overhead:        {(b_s / p_s - 1) * 100:+8.1f} %")
    print(f"  profile page:         {statistics.median(profiles) / 1024:8.1f} KiB median, {max(profiles) / 1024:.1f} KiB largest")
    chrome = [profile_chrome(os.path.join(site, "partners", s, "index.html")) for s, d in rows if d["visibility"] != "hidden"]
    bare = [profile_chrome(os.path.join(site, "partners", s, "index.html"), (d["name"], d["summary"])) for s, d in rows if d["visibility"] != "hidden"]
    print(f"  profile chrome:       {statistics.median(chrome) / 1000:8.1f} KB median (the page without the partner's own article);"
          f" {statistics.median(bare) / 1000:.1f} KB without its name and summary in the head's tags too")
    if preview:
        first, edits, found = preview_edit(project, rows)
        shown = ", ".join(f"{t:.2f}" for t in edits)
        print(f"  preview (serve --dirty): {first:5.1f} s until first served; from saving an edit until its profile, the directory data,")
        print(f"                         its pattern page and the home page all show it: {shown} s (median {statistics.median(edits or [float('nan')]):.2f} s; target <= 2 s)")
        print(f"                         until search finds it (the finding search began, answered): {', '.join(f'{a:.2f}/{b:.2f}' for a, b in found)} s (target <= 5 s)")
    if browser:
        slug = next(sl for sl, d in rows if d["visibility"] == "public")
        d = search_in_browser(site, f"partners/{slug}/")
        heaviest = max(d["views"].items(), key=lambda kv: kv[1][0])
        print("  first view, CPU 4x slower, phone (gzipped bytes, requests):")
        print("                        " + "; ".join(f"{k} {v[0] / 1000:.0f} KB/{v[1]}" for k, v in d["views"].items()))
        print(f"                        heaviest: {heaviest[0]}, {heaviest[1][0] / 1000:.0f} KB (target <= 150 KB)")
        print_search(d)
    print(f"  peak memory:          {max(v_mem, b_mem) / 1024:8.0f} MiB")
    sys.stdout.flush()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def folder_size(path: str) -> int:
    """Bytes of every file under a folder."""
    return sum(os.path.getsize(os.path.join(base, name)) for base, _dirs, names in os.walk(path) for name in names)


def site_sizes(site: str) -> dict[str, int]:
    """What CI publishes, by part: both editions, the English one, profiles, data, search, theme assets."""
    parts = {"both editions": site, "English edition (en/)": os.path.join(site, "en"), "profiles (partners/, main edition)": os.path.join(site, "partners"),
             "data (api/, main edition)": os.path.join(site, "api"), "search (pagefind/, main edition)": os.path.join(site, "pagefind"),
             "theme and assets (assets/, main edition)": os.path.join(site, "assets")}
    return {label: folder_size(path) for label, path in parts.items() if os.path.isdir(path)}


def versus(n: int, other: str, keep: str | None, rounds: int = 2, preview: bool = True) -> None:
    """This code (A) against another commit's (B: its src/ folder, imported through PYTHONPATH; the project's
    templates and scripts are this commit's), run by run in turn, on the same N generated partners: validation
    cold, both editions as two `mkdocs build` commands (the whole process tree's peak memory), `portal check`
    as CI runs it (the data and both editions, then the reading of the built site), the plain-MkDocs baseline
    of one edition, the preview (served, then found by search), and the size of what is published."""
    work, project, baseline, rows = projects(n, keep, "bench")
    py = sys.executable
    validate = [py, os.path.join(ROOT, "scripts", "portal.py"), "validate", "--quiet", "--no-cache", "--data", os.path.join(project, "partners")]
    both = ([py, "-m", "mkdocs", "build", "--strict", "-q"], [py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"])
    figures: dict[str, dict[str, list]] = {"A": {}, "B": {}}
    for _ in range(rounds):
        for label, code in (("A", None), ("B", other)):
            got = figures[label]
            got.setdefault("validate", []).append(run_measured(validate, project, code=code)[0])
            trees: list = []
            shares: list = []
            shutil.rmtree(os.path.join(project, "site"), ignore_errors=True)  # CI builds into a fresh clone: no old site to empty
            seconds = sum(run_measured(cmd, project, trees, code=code, pss=shares)[0] for cmd in both)
            got.setdefault("both", []).append(seconds)
            got.setdefault("peak", []).append(max(trees))
            got.setdefault("pss", []).append(max(shares))
            # What CI runs: `portal check` reads and validates the data, builds both editions, then reads the
            # site it built. Up to its line saying it reads the site: the data and both editions as CI builds them.
            marked: list = []
            trees = []
            shutil.rmtree(os.path.join(project, "site"), ignore_errors=True)
            got.setdefault("check", []).append(run_measured([py, os.path.join(ROOT, "scripts", "portal.py"), "check"], project, trees,
                                                            code=code, mark="reading the built site", marked=marked)[0])
            got.setdefault("check peak", []).append(max(trees))
            if marked[0] is not None:
                got.setdefault("ci both", []).append(marked[0][0])
                got.setdefault("ci both peak", []).append(marked[0][1])
            if label == "A":
                got.setdefault("sizes", []).append(site_sizes(os.path.join(project, "site")))
        figures["A"].setdefault("plain", []).append(run_measured([py, "-m", "mkdocs", "build", "-q"], baseline)[0])
    listed = sum(1 for _, d in rows if d["visibility"] == "public")
    print(f"N={n} ({listed} listed) on {os.cpu_count()} cores, {dt.date.today()}; A = this code, B = {other}; {rounds} rounds, in turn")
    for key, what, unit in (("validate", "validate, cold (--no-cache)", "s"), ("both", "both editions, two mkdocs builds", "s"),
                             ("peak", "whole process tree at its peak (RSS)", "MiB"), ("pss", "the same, shared pages counted once (PSS)", "MiB"),
                             ("check", "portal check (what CI runs)", "s"), ("check peak", "its process tree at its peak (RSS)", "MiB"),
                             ("ci both", "of which the data and both editions", "s"), ("ci both peak", "their process tree at its peak (RSS)", "MiB")):
        a = [v / 1024 if unit == "MiB" else v for v in figures["A"].get(key, [])]
        b = [v / 1024 if unit == "MiB" else v for v in figures["B"].get(key, [])]
        ratio = f"A/B {statistics.median(a) / statistics.median(b):.2f}" if a and b else ""
        print(f"  {what:40} A {', '.join(f'{v:.1f}' for v in a) or '-'} {unit}   B {', '.join(f'{v:.1f}' for v in b) or '-'} {unit}   {ratio}")
    print(f"  {'plain MkDocs, one edition':40} {', '.join(f'{v:.1f}' for v in figures['A']['plain'])} s")
    for label, size in figures["A"]["sizes"][-1].items():
        print(f"  size: {label:38} {size / 1e6:8.1f} MB")
    if preview:
        for label, code in (("A", None), ("B", other)):
            env_before = os.environ.get("PYTHONPATH")
            if code:
                os.environ["PYTHONPATH"] = code
            try:
                first, edits, found = preview_edit(project, rows)
            finally:
                if code:
                    os.environ.pop("PYTHONPATH") if env_before is None else os.environ.__setitem__("PYTHONPATH", env_before)
            print(f"  preview {label}: first served {first:.1f} s; an edit served {', '.join(f'{t:.2f}' for t in edits)} s;"
                  f" found by search (began/answered) {', '.join(f'{a:.1f}/{b:.1f}' for a, b in found)} s")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def tree_digest(site: str) -> dict[str, str]:
    """Every file of a site by its path, as its SHA-256: a joined site compared with one machine's."""
    import hashlib

    out = {}
    for base, _dirs, names in os.walk(site):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, site)] = hashlib.file_digest(fh, "sha256").hexdigest()
    return out


def in_parts(n: int, count: int, keep: str | None, rounds: int = 2) -> None:
    """One machine's build of both editions against the same site built in `count` parts (each `portal part`
    a process of its own, one after another as jobs of a CI matrix would run side by side) and joined
    (`portal join`, which checks the site), run by run in turn; the joined site compared with one machine's."""
    work, project, _baseline, rows = projects(n, keep, "parts")
    py, portal = sys.executable, os.path.join(ROOT, "scripts", "portal.py")
    both = ([py, "-m", "mkdocs", "build", "--strict", "-q"], [py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"])
    folders = [os.path.join(work, f"part{k}") for k in range(1, count + 1)]
    whole_s, whole_peak, part_s, part_peak, join_s, same = [], [], [], [], [], []
    for _ in range(rounds):
        trees: list = []
        whole_s.append(sum(run_measured(cmd, project, trees)[0] for cmd in both))
        whole_peak.append(max(trees))
        one = tree_digest(os.path.join(project, "site"))
        shutil.rmtree(os.path.join(project, "site"))
        seconds, peaks = [], []
        for k, folder in enumerate(folders, 1):
            trees = []
            seconds.append(run_measured([py, portal, "part", f"{k}/{count}", "--out", folder], project, trees)[0])
            peaks.append(max(trees))
        part_s.append(seconds)
        part_peak.append(peaks)
        join_s.append(run_measured([py, portal, "join", *folders], project)[0])
        joined = tree_digest(os.path.join(project, "site"))
        same.append(joined == one)
        shutil.rmtree(os.path.join(project, "site"))
    listed = sum(1 for _, d in rows if d["visibility"] == "public")
    print(f"N={n} ({listed} listed) on {os.cpu_count()} cores, {dt.date.today()}; {count} parts; {rounds} rounds, in turn")
    print(f"  one machine, both editions:   {', '.join(f'{v:.1f}' for v in whole_s)} s; peak {', '.join(f'{v / 1024:.0f}' for v in whole_peak)} MiB")
    for r in range(rounds):
        print(f"  round {r + 1}: parts {', '.join(f'{v:.1f}' for v in part_s[r])} s (peaks {', '.join(f'{v / 1024:.0f}' for v in part_peak[r])} MiB);"
              f" join and check {join_s[r]:.1f} s; side by side {max(part_s[r]) + join_s[r]:.1f} s, one after another"
              f" {sum(part_s[r]) + join_s[r]:.1f} s; joined site byte-identical to one machine's: {same[r]}")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


def scale(sizes: list[int], keep: str | None) -> None:
    """At each size: validation cold, both editions as CI publishes them, the process tree's peak and what is
    published (how cost grows, and what breaks first)."""
    py = sys.executable
    both = ([py, "-m", "mkdocs", "build", "--strict", "-q"], [py, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.en.yml"])
    for n in sizes:
        work, project, _baseline, rows = projects(n, os.path.join(keep, str(n)) if keep else None, "scale")
        validate = [py, os.path.join(ROOT, "scripts", "portal.py"), "validate", "--quiet", "--no-cache", "--data", os.path.join(project, "partners")]
        seconds_v = run_measured(validate, project)[0]
        trees: list = []
        times = [run_measured(cmd, project, trees)[0] for cmd in both]
        sizes_now = site_sizes(os.path.join(project, "site"))
        listed = sum(1 for _, d in rows if d["visibility"] == "public")
        print(f"N={n} ({listed} listed) on {os.cpu_count()} cores, {dt.date.today()}: validate {seconds_v:.1f} s; both editions"
              f" {sum(times):.1f} s ({times[0]:.1f} + {times[1]:.1f}); peak {max(trees) / 1024:.0f} MiB;"
              f" published {sizes_now['both editions'] / 1e6:.0f} MB (English {sizes_now.get('English edition (en/)', 0) / 1e6:.0f} MB)", flush=True)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def print_search(d: dict) -> None:
    """What search_in_browser measured of the two search boxes and the directory's filter."""
    for box in ("header", "directory"):
        r = d[box]
        print(f"  search ({box:9}):  {r['ms'] / 1000:8.2f} s from the last keystroke to results (target <= 1.5 s);"
              f" {r['bytes'] / 1000:.0f} KB in {r['requests']} requests for the query (target <= 300 KB)")
        print("                        of which " + ", ".join(f"{k} {n / 1000:.0f} KB" for k, n in sorted(r["kinds"].items(), key=lambda kv: -kv[1])))
    print(f"  directory filter:     {d['filter']['ms'] / 1000:8.2f} s to choose a province with the words kept; {d['filter']['bytes'] / 1000:.0f} KB more", flush=True)


def search_scale(sizes: list[int], keep: str | None) -> None:
    """At each size: the main edition alone, then what a search typed into the header's dialog and into the
    directory fetches (the search's bytes per query, as the partners grow)."""
    py = sys.executable
    for n in sizes:
        work, project, _baseline, rows = projects(n, os.path.join(keep, str(n)) if keep else None, "search")
        seconds = run_measured([py, "-m", "mkdocs", "build", "--strict", "-q"], project)[0]
        d = search_in_browser(os.path.join(project, "site"), "", views=False)
        listed = sum(1 for _, d_ in rows if d_["visibility"] == "public")
        print(f"N={n} ({listed} listed), {dt.date.today()}: main edition built in {seconds:.1f} s", flush=True)
        print_search(d)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


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
    """The floors under the missed targets for N partners; the generated project is removed even when a step fails."""
    work, project, baseline, rows = projects(n, os.path.join(keep, str(n)) if keep else None, "bounds")
    listed = sum(1 for _, d in rows if d["visibility"] == "public")
    print(f"N={n} ({listed} listed), {dt.date.today()}, {os.cpu_count()} cores", flush=True)
    try:
        _floors(project, baseline)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def _floors(project: str, baseline: str) -> None:
    py = sys.executable
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="numbers of partners (default 100 1000 10000; none with --recall alone)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated projects in DIR")
    parser.add_argument("--no-preview", action="store_true", help="skip the mkdocs serve edit-to-served measurement")
    parser.add_argument("--recall", action="store_true", help="type the search query set into every box of both editions first")
    parser.add_argument("--vs-src", metavar="SRC", help="compare with another commit's src/ folder (git worktree add ... REV), run by run in turn")
    parser.add_argument("--parts", type=int, metavar="COUNT", help="one machine's build against COUNT parts joined (portal part, portal join), in turn")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of --parts (default 2)")
    parser.add_argument("--scale", action="store_true", help="both editions, memory and size at each size (no baseline, no browser)")
    parser.add_argument("--search-scale", action="store_true", help="the main edition alone at each size, and the search's bytes per query")
    parser.add_argument("--bounds", action="store_true", help="the floors under the missed targets: Pagefind's indexer alone, the theme around each profile, plain MkDocs")
    args = parser.parse_args()
    if args.bounds:
        for n in args.sizes or [10000]:
            bounds(n, args.keep)
        return 0
    if args.search_scale:
        search_scale(args.sizes or [10000, 30000, 50000], args.keep)
        return 0
    if args.parts:
        for n in args.sizes or [10000]:
            in_parts(n, args.parts, os.path.join(args.keep, str(n)) if args.keep else None, max(1, args.rounds))
        return 0
    if args.scale:
        scale(args.sizes or [10000, 30000, 50000], args.keep)
        return 0
    if args.vs_src:
        for n in args.sizes or [10000]:
            versus(n, os.path.abspath(args.vs_src), os.path.join(args.keep, str(n)) if args.keep else None, preview=not args.no_preview)
        return 0
    if args.recall:
        recall_report()
    for n in args.sizes or ([] if args.recall else [100, 1000, 10000]):
        bench(n, not args.no_browser, os.path.join(args.keep, str(n)) if args.keep else None, not args.no_preview)
    return 0


if __name__ == "__main__":
    sys.exit(main())
