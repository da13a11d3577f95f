"""The SVG drawing worker: a process of its own (started by render/cards.py) that draws one logo at a time."""

from __future__ import annotations

import json
import os
import sys

MEMORY = 512 * 1024 * 1024  # bytes the worker may hold beyond what it holds once started


def _read_exactly(stream, n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) != n:
        raise EOFError
    return data


def main() -> int:
    """Read requests (a JSON line with the size wanted and the SVG's length, then its bytes) from standard
    input and answer each (a JSON line with the PNG's length, then its bytes) until standard input closes."""
    import resvg_py

    try:
        import resource

        with open("/proc/self/statm") as fh:
            held = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (held + MEMORY, held + MEMORY))
    except (ImportError, OSError, ValueError):
        pass  # a system without these limits: the parent's time limit still holds
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        line = source.readline()
        if not line:
            return 0
        request = json.loads(line)
        svg = _read_exactly(source, int(request["bytes"])).decode("utf-8")
        try:
            png = bytes(resvg_py.svg_to_bytes(svg_string=svg, **request["size"]))
            sink.write(json.dumps({"ok": True, "bytes": len(png)}).encode() + b"\n" + png)
        except Exception as exc:  # noqa: BLE001 - any logo resvg refuses: reported, the worker goes on
            sink.write(json.dumps({"ok": False, "error": type(exc).__name__}).encode() + b"\n")
        sink.flush()


if __name__ == "__main__":
    sys.exit(main())
