"""Share images: one 1200×630 card per partner with a logo (its logo, name, pattern and place), and one per
edition for every other page, shown by WhatsApp and social media when an address is shared."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
import time

import resvg_py
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger("mkdocs.plugins.portal")

SIZE = (1200, 630)  # what link previews show at full width (Open Graph's recommended size)
LOGO_BOX = 340  # the logo fits this square, on a white tile
QUALITY = 88  # JPEG: a card is a few tens of KB and takes about 2 ms to encode (PNG took 17)
INK, SOFT, ACCENT, PAPER = (27, 46, 34), (74, 90, 80), (46, 125, 50), (244, 247, 241)
MAX_LINES = 3
DRAW_SECONDS = 10.0  # wall time one SVG logo may take to draw; the validation bounds keep real ones at milliseconds


class SvgDrawer:
    """Draws SVG logos with resvg in a worker process of its own (render/drawworker.py: started with nothing
    of this process but two pipes, bounded in memory by the system) that is ended past DRAW_SECONDS per
    logo: a logo that aborts the library or runs on costs its card's logo (the tile stays empty, and the
    build says so), never the build. One worker per process that asks, kept for the next logos."""

    def __init__(self, command: list[str] | None = None):
        self.command = command or [sys.executable, "-m", "portal_kemitraan.render.drawworker"]
        self._owner = None
        self._worker = None

    def draw(self, text: str, size: dict) -> bytes | None:
        if self._owner != os.getpid() or self._worker is None or self._worker.poll() is not None:
            self._start()
        data = text.encode("utf-8")
        try:
            self._worker.stdin.write(json.dumps({"size": size, "bytes": len(data)}).encode() + b"\n" + data)
            self._worker.stdin.flush()
            deadline = time.monotonic() + DRAW_SECONDS
            header = json.loads(self._read_line(deadline))
            png = self._read(int(header.get("bytes", 0)), deadline) if header.get("ok") else None
        except (OSError, ValueError, TimeoutError, EOFError):
            self.close()
            return None
        return png

    def _start(self) -> None:
        import subprocess

        self._owner = os.getpid()  # a forked build worker starts its own: pipes are never shared
        self._worker = subprocess.Popen(self.command, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)
        self._buffer = b""

    def _fill(self, deadline: float) -> None:
        import select

        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self._worker.stdout], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(self._worker.stdout.fileno(), 1 << 16)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def _read_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _read(self, n: int, deadline: float) -> bytes:
        while len(self._buffer) < n:
            self._fill(deadline)
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def close(self) -> None:
        if self._worker is not None and self._owner == os.getpid():
            if self._worker.poll() is None:
                self._worker.kill()
            self._worker.wait()
            for stream in (self._worker.stdin, self._worker.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._worker = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit, nothing left to close
            pass


def _render_svg(text: str, size: dict) -> bytes:
    return bytes(resvg_py.svg_to_bytes(svg_string=text, **size))


SITE_CARD = "assets/share/site.jpg"  # each edition's own card, in its language, for pages without a partner's


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
    big = _font(size, bold=True)
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


FONTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fonts")  # DejaVu Sans (fonts/LICENSE)


def _font(size: int, bold: bool = False):
    """The bundled DejaVu Sans: every letter and mark of Indonesian and English text (the en dash of "Bapak
    angkat – anak angkat", quotes, ellipses), the same on every machine, no system fonts."""
    return ImageFont.truetype(os.path.join(FONTS, "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)


def site_card(title: str, tagline: str, organisation: str) -> bytes:
    """An edition's own card for pages without a partner's card: the site's title and what it offers, in the
    edition's language, and the organisation."""
    card = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(card)
    left, width = 90, SIZE[0] - 180
    size, lines = _fit(title, width)
    big, small, y = _font(size, bold=True), _font(34), 170
    for line in lines:
        draw.text((left, y), line, font=big, fill=INK)
        y += int(size * 1.18)
    for line in _wrap(tagline, small, width, 2):
        draw.text((left, y + 24), line, font=small, fill=ACCENT)
        y += 48
    for line in _wrap(organisation, _font(26), width, 1):
        draw.text((left, SIZE[1] - 96), line, font=_font(26), fill=SOFT)
    draw.rectangle((0, SIZE[1] - 14, SIZE[0], SIZE[1]), fill=ACCENT)
    out = io.BytesIO()
    card.save(out, "JPEG", quality=QUALITY, optimize=False, progressive=False)
    return out.getvalue()


def _fit(name: str, width: int) -> tuple[int, list[str]]:
    """The largest of a few sizes at which the name fits in MAX_LINES lines (the smallest, shortened, else)."""
    for size in (60, 50, 42):
        lines = _wrap(name, _font(size, bold=True), width, MAX_LINES + 1)
        if len(lines) <= MAX_LINES:
            return size, lines
    return 42, _wrap(name, _font(42, bold=True), width, MAX_LINES)


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
