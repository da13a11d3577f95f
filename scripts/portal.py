#!/usr/bin/env python3
"""Thin shim for `portal` (the console script installed into .venv by `python3 scripts/dev.py build`)."""

import os
import sys

if not sys.flags.utf8_mode:  # UTF-8 for file names, files and the console, whatever the locale says
    os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.argv])

try:
    from portal_kemitraan.staff.cli import main
except ImportError:  # run with another Python: use the project's own environment
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    venv_python = os.path.join(here, ".venv", "Scripts" if os.name == "nt" else "bin", "python")
    if os.path.exists(venv_python) and os.path.realpath(sys.executable) != os.path.realpath(venv_python):
        os.execv(venv_python, [venv_python, "-X", "utf8", *sys.argv])
    sys.exit("portal: the project is not installed; run `python3 scripts/dev.py build` first")

if __name__ == "__main__":
    sys.exit(main())
