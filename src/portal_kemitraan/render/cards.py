"""Share images: one 1200×630 card per partner with a logo (its logo, name, pattern and place), shown by
WhatsApp and social media when a profile's address is shared."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re

import resvg_py
from PIL import Image, ImageDraw, ImageFont

try:
    import resource
except ImportError:  # Windows: no fork either, so the drawing worker is never started
    resource = None

log = logging.getLogger("mkdocs.plugins.portal")

SIZE = (1200, 630)  # what link previews show at full width (Open Graph's recommended size)
LOGO_BOX = 340  # the logo fits this square, on a white tile
QUALITY = 88  # JPEG: a card is a few tens of KB and takes about 2 ms to encode (PNG took 17)
INK, SOFT, ACCENT, PAPER = (27, 46, 34), (74, 90, 80), (46, 125, 50), (244, 247, 241)
MAX_LINES = 3
DRAW_SECONDS = 10.0  # wall time one SVG logo may take to draw; the validation bounds keep real ones at milliseconds
DRAW_MEMORY = 512 * 1024 * 1024  # bytes the drawing worker may add to what it held when it started


class SvgDrawer:
    """Draws SVG logos with resvg in a worker process that the system stops past DRAW_MEMORY and that is
    ended past DRAW_SECONDS per logo: a logo that aborts the library or runs on costs its card's logo (the
    tile stays empty, and the build says so), never the build. One worker per process that asks, started
    at the first logo and kept for the next ones; where there is no fork, the logo is drawn in this process."""

    def __init__(self):
        self._owner = None
        self._worker = self._pipe = None

    def draw(self, text: str, size: dict) -> bytes | None:
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:
            return _render_svg(text, size)
        if self._owner != os.getpid() or self._worker is None or not self._worker.is_alive():
            self._start(context)
        try:
            self._pipe.send((text, size))
            if not self._pipe.poll(DRAW_SECONDS):
                raise TimeoutError
            kind, value = self._pipe.recv()
        except (TimeoutError, EOFError, OSError, BrokenPipeError):
            self.close()
            return None
        return value if kind == "ok" else None

    def _start(self, context) -> None:
        self._owner = os.getpid()  # a forked build worker starts its own: a pipe is never shared
        self._pipe, child = context.Pipe()
        self._worker = context.Process(target=_draw_forever, args=(child,), daemon=True)
        self._worker.start()
        child.close()

    def close(self) -> None:
        if self._worker is not None and self._owner == os.getpid():
            if self._worker.is_alive():
                self._worker.kill()
            self._worker.join()
        self._worker = self._pipe = None


def _render_svg(text: str, size: dict) -> bytes:
    return bytes(resvg_py.svg_to_bytes(svg_string=text, **size))


def _draw_forever(connection) -> None:
    """The drawing worker: bounded memory, one logo at a time until its pipe closes. It imports nothing:
    a worker forked from a threaded server (the preview) must not wait for a lock another thread held."""
    with open("/proc/self/statm") as fh:
        held = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (held + DRAW_MEMORY, held + DRAW_MEMORY))
    while True:
        try:
            text, size = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", _render_svg(text, size)))
        except Exception as exc:  # noqa: BLE001 - any logo resvg refuses: reported, the worker goes on
            connection.send(("error", type(exc).__name__))


def card_path(slug: str) -> str:
    """Where a partner's share image is published, in each edition."""
    return f"assets/share/{slug}.jpg"


def share_card(name: str, pattern_line: str, place: str, organisation: str, logo: bytes, logo_path: str, drawer: SvgDrawer | None = None) -> bytes:
    """The card as JPEG bytes. The logo is the cleaned, published file (SVG drawn by resvg from the
    sanitised markup, raster images decoded by Pillow); a logo that cannot be drawn leaves its tile empty
    rather than failing the build. Text that does not fit is shortened with an ellipsis."""
    card = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((70, 125, 70 + 380, 125 + 380), radius=28, fill=(255, 255, 255), outline=(214, 224, 208), width=2)
    drawn = _logo(logo, logo_path, drawer)
    if drawn is None:
        log.info("portal: the share card for %s has no logo: %s could not be drawn within its bounds", name, logo_path)
    else:
        card.paste(drawn, (70 + (380 - drawn.width) // 2, 125 + (380 - drawn.height) // 2), drawn)
    left, right = 510, SIZE[0] - 70
    width = right - left
    y = 130
    small = _font(30)
    for line in _wrap(pattern_line, small, width, 1):
        draw.text((left, y), line, font=small, fill=ACCENT)
        y += 46
    size, lines = _fit(name, width)
    big = _font(size)
    y += 10
    for line in lines:
        draw.text((left, y), line, font=big, fill=INK)
        y += int(size * 1.18)
    y += 16
    for line in _wrap(place, small, width, 1):
        draw.text((left, y), line, font=small, fill=SOFT)
    footer = _font(26)
    for line in _wrap(organisation, footer, width, 1):
        draw.text((left, SIZE[1] - 96), line, font=footer, fill=SOFT)
    draw.rectangle((0, SIZE[1] - 14, SIZE[0], SIZE[1]), fill=ACCENT)
    out = io.BytesIO()
    card.save(out, "JPEG", quality=QUALITY, optimize=False, progressive=False)
    return out.getvalue()


def _font(size: int):
    """Pillow's own font (Aileron, shipped with Pillow): the same card on every machine, no system fonts."""
    return ImageFont.load_default(size=size)


def _fit(name: str, width: int) -> tuple[int, list[str]]:
    """The largest of a few sizes at which the name fits in MAX_LINES lines (the smallest, shortened, else)."""
    for size in (64, 54, 46):
        lines = _wrap(name, _font(size), width, MAX_LINES + 1)
        if len(lines) <= MAX_LINES:
            return size, lines
    return 46, _wrap(name, _font(46), width, MAX_LINES)


def _wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    """Words into lines of at most `width` pixels; a word wider than a line is cut; past `max_lines` the last
    line ends in an ellipsis. Linear in the text: each word is measured once with its line."""
    words, lines, current = " ".join(str(text).split()).split(" "), [], ""
    for word in words[:200]:  # a name is at most a few dozen words; the rest could never be shown
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width and len(current) > 1:  # one very long word: cut it
            cut = max(1, int(len(current) * width / font.getlength(current)))
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    return lines


def _logo(data: bytes, path: str, drawer: SvgDrawer | None = None):
    """The logo as an RGBA image that fits LOGO_BOX, or None when it cannot be drawn."""
    try:
        if path.lower().endswith(".svg"):
            text = data.decode("utf-8")
            # the longer side is drawn at LOGO_BOX pixels, so no proportion makes a huge canvas
            box = re.search(r'viewBox="\s*[-\d.eE]+[\s,]+[-\d.eE]+[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)', text[:4096])
            tall = bool(box) and float(box.group(2)) > float(box.group(1))
            size = {"height": LOGO_BOX} if tall else {"width": LOGO_BOX}
            png = drawer.draw(text, size) if drawer is not None else _render_svg(text, size)
            if png is None:
                return None
            image = Image.open(io.BytesIO(png))
        else:
            image = Image.open(io.BytesIO(data))
        image = image.convert("RGBA")
        image.thumbnail((LOGO_BOX, LOGO_BOX))
        return image
    except Exception:  # noqa: BLE001 - any logo the drawing libraries refuse: the card goes without it
        return None
