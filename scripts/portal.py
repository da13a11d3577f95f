#!/usr/bin/env python3
"""Staff commands for the partner data: validate, new, list, schema (run with --help)."""

import os
import sys

if not sys.flags.utf8_mode:  # UTF-8 for file names, files and the console, whatever the locale says
    os.execv(sys.executable, [sys.executable, "-X", "utf8", *sys.argv])

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "hooks"))

from portal.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
