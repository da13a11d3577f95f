"""The staff command line: one command run from its arguments to its exit code, every word through the reporter."""

from __future__ import annotations

import os
import sys
from ..core.safefs import Refused, data_lock
from ..core.problems import Text
from ..render.i18n import translations
from .arguments import DEFAULT_DATA, build_parser
from .data_commands import load_settings
from .reporter import CommandError, InvalidData, Reporter, UsageError, language, shown_path, speaking


WRITERS = frozenset({"new", "import", "corrections", "verified", "new-activity", "schema", "init"})


def data_of(config: str) -> str:
    """The data folder a configuration names (for commands that take --config rather than --data)."""
    path = os.path.abspath(config)
    folder = os.path.join(os.path.dirname(path), load_settings(path).data_dir if os.path.isfile(path) else DEFAULT_DATA)
    if not os.path.isdir(folder):
        raise UsageError(Text("extra.portal.data_dir: {data}: no such folder", data=shown_path(folder)))
    return folder


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is an exit code (0 fine, 1 problems, 2 usage) and lines of text, in
    the language chosen by `--lang` or the locale (Indonesian unless it says English)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = language(argv, os.environ)
    catalog = translations(chosen)
    with speaking(catalog.gettext, chosen) as reporter:
        return _main(argv, reporter)


def _main(argv: list[str], reporter: Reporter) -> int:
    parser = build_parser(reporter.gettext)
    if any("\x00" in arg for arg in argv):
        # No path or value may hold a NUL (the system cannot open such a path): one line, not a traceback.
        reporter.warn(Text("portal: an argument holds a NUL character (\\x00); no path or value can"))
        return 2
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage line and its message
        return exc.code if isinstance(exc.code, int) else 2
    name = f"portal {args.command}"
    try:
        if hasattr(args, "data"):
            args.data = os.path.abspath(args.data)
            if not os.path.isdir(args.data):
                what = Text("is not a folder") if os.path.lexists(args.data) else Text("no such folder")
                raise UsageError(Text('--data {data}: {what}', data=args.data, what=what))
        if args.command in WRITERS:  # one writer at a time: these change files of the data folder
            with data_lock(args.data if hasattr(args, "data") else data_of(args.config)):
                return args.func(args, reporter)
        return args.func(args, reporter)
    except InvalidData:
        return 1
    except UsageError as exc:
        reporter.warn(Text("{command}: {error}", command=name, error=exc))
        return 2
    except CommandError as exc:
        reporter.warn(Text("{command}: {error}", command=name, error=exc))
        return 1
    except Refused as exc:
        reporter.warn(Text("{command}: {error}", command=name, error=exc.message))
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        reporter.warn(Text("{command}: {where}{reason}", command=name, where=where, reason=exc.strerror or exc))
        return 1
    except (RecursionError, MemoryError) as exc:
        reporter.warn(Text("{command}: the input is too large or too deeply nested ({error})", command=name, error=type(exc).__name__))
        return 1


def main_exit() -> None:
    """The `portal` console script."""
    sys.exit(main())
