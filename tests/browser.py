"""Real-browser helpers: a local static server for a built site, and Debian's Chromium under Playwright."""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The features Playwright's own launch turns off (its --disable-features, as Playwright 1.5x passes it).
PLAYWRIGHT_DISABLED = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades", "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    # Chromium 156 gives every new window (each test's fresh context) a renderer of its own for the address
    # bar's suggestions (chrome://omnibox-popup.top-chrome/), which no headless page shows: half the CPU of
    # opening a context and its first page (0.77 against 0.35 CPU-seconds, 8 in a row), a third of a fresh
    # page's load. The pages under test are untouched. Chromium obeys only the last --disable-features, and
    # Playwright passes one of its own first: this one repeats Playwright's (test_browser checks it does).
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED + ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]),
    # No address but this machine's resolves: a page that reaches outside fails at once, and says so in its
    # console, where a test reads it. Nothing is intercepted for that: a context with any route has every
    # one of its requests paused for the test process, and its cache turned off (40 % of a page's load).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
STUB_FORM = "<!doctype html><html lang='id'><title>Formulir</title><h1>Formulir kemitraan (contoh)</h1></html>"


def chromium_path() -> str:
    """Debian's chromium; the test command installs it. Missing means a failed run, never a skip."""
    path = os.environ.get("PORTAL_CHROMIUM") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None
    ) or shutil.which("chromium")
    if not path or not os.path.exists(path):
        pytest.fail("Chromium not found: run the tests through `python3 scripts/dev.py test`, which installs it", pytrace=False)
    return path


class _Quiet(SimpleHTTPRequestHandler):
    """Like a static host: the site under `prefix`, and its 404.html (status 404) for any missing address."""

    prefix = "/"

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        inside = path[len(self.prefix) - 1 :] if path.startswith(self.prefix) else "/__outside-the-site__/"
        return super().translate_path(inside)

    def send_error(self, code, message=None, explain=None):
        page = os.path.join(self.directory, "404.html")
        if code != 404 or self.command != "GET" or not os.path.exists(page):
            return super().send_error(code, message, explain)
        with open(page, "rb") as fh:
            body = fh.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that closes a connection early (a page left before a file arrived) is no error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """Serves a folder on 127.0.0.1 on a free port until stopped, at the root or under another path."""

    def __init__(self, folder: str, prefix: str = "/"):
        handler = functools.partial(type("Handler", (_Quiet,), {"prefix": prefix}), directory=folder)
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}{prefix}"
        # Stopping waits for the serving loop to look up: every 50 ms instead of the default half second.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "StaticServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def stub_outside(context) -> None:
    """For the tests that need an outside service (the intake form's host, the git host's API): answer its
    requests with local stubs. Every other test goes without: a route pauses each request of its context."""

    def handle(route):
        url = route.request.url
        if "api.github.com" in url:
            return route.fulfill(status=200, content_type="application/json", body='{"stargazers_count": 0, "forks_count": 0}')
        if "forms.example.org" in url:
            return route.fulfill(status=200, content_type="text/html", body=STUB_FORM)
        return route.fulfill(status=204, body="")

    context.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), handle)


def _thumbnail(path: str, width: int, cap: int):
    """The screenshot at `path` scaled to `width` pixels, a tall page cut at `cap` pixels of thumbnail."""
    from PIL import Image

    with Image.open(path) as im:
        # Only the part of a tall page that the thumbnail keeps is scaled down.
        scale = width / im.width
        kept = im.crop((0, 0, im.width, min(im.height, max(1, round(cap / scale))))).convert("RGB")
        return kept.resize((width, max(1, min(cap, round(kept.height * scale)))), Image.LANCZOS, reducing_gap=3.0)


def contact_sheet(folder: str, out: str, width: int = 300, cap: int = 1100) -> int:
    """One image of every screenshot in `folder` (name order), in a grid of `width`-pixel thumbnails each
    under its file name; tall phone pages are cut at `cap` pixels of thumbnail. Returns how many it holds.
    Drawn after the last test, while nothing else runs: the thumbnails are made on every core, and a sheet
    named .jpg is written as JPEG (a seventh of the PNG's time, for an image only looked at)."""
    from PIL import Image, ImageDraw

    from portal_kemitraan.core.parallel import fork_map

    names = sorted(n for n in os.listdir(folder) if n.endswith(".png") and os.path.join(folder, n) != out)
    if not names:
        return 0
    made = fork_map(lambda path: _thumbnail(os.path.join(folder, path), width, cap), names, min_items=2)
    thumbs = [(name[: -len(".png")], thumb) for name, thumb in zip(names, made)]
    columns = min(6, len(thumbs))
    label, gap = 18, 12
    rows = [thumbs[i : i + columns] for i in range(0, len(thumbs), columns)]
    heights = [max(t.height for _, t in row) + label for row in rows]
    sheet = Image.new("RGB", (columns * (width + gap) + gap, sum(heights) + gap * (len(rows) + 1)), "#e8e8e8")
    draw = ImageDraw.Draw(sheet)
    y = gap
    for row, height in zip(rows, heights):
        for i, (name, thumb) in enumerate(row):
            x = gap + i * (width + gap)
            draw.text((x, y + 2), name, fill="#111")
            sheet.paste(thumb, (x, y + label))
        y += height + gap
    if out.lower().endswith((".jpg", ".jpeg")):
        sheet.save(out, quality=90)
    else:
        sheet.save(out, compress_level=1)  # quick to write, and no larger: screenshots compress little further
    return len(thumbs)
