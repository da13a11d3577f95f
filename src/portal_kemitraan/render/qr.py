"""QR codes of profile addresses, drawn at build time as inline SVG by Segno, for the printed profile."""

from __future__ import annotations

import segno


def svg(address: str) -> str:
    """One <svg> of the address as a QR code (error correction M, survives a crease or a smudge).
    The mask is fixed instead of scored over all eight: a valid code either way, four times faster to make,
    which matters at ten thousand profiles."""
    code = segno.make(address, error="m", micro=False, mask=0, boost_error=False)
    return code.svg_inline(svgclass="portal-qr", lineclass=None, omitsize=True, border=2, dark="#000", light="#fff")
