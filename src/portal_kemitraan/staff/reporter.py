"""How every command speaks: the terminal-safe output streams in the reader's language, and the command errors."""

from __future__ import annotations

import os
import sys
from ..core.catalog import Catalog
from ..core.problems import Text, said
from ..render.i18n import LANGUAGES, locale_language


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


class CommandError(Exception):
    """The command could not do its work (exit 1)."""


def utf8_streams() -> None:
    """Read and write UTF-8 whatever the locale says (Windows consoles, LANG=C in CI)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


# Characters a terminal acts on instead of showing: C0 controls but tab and newline (ESC starts escape
# sequences, BEL rings, CR rewrites the line), DEL, C1 controls (CSI), the line and paragraph separators, and
# the invisible direction controls that reorder what is shown. Every one is printed as a visible \xNN/\uNNNN.
_UNSAFE = [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0)) + [0x2028, 0x2029] \
    + list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)) + [0x200E, 0x200F, 0x061C]


TERMINAL_SAFE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}


class SafeStream:
    """A text stream that shows every character a terminal would act on as an escape, whatever prints it:
    file names, values from partner files and CSV exports, argparse's messages; and that knows the
    language its reader chose (`gettext`), in which `say` writes every message."""

    def __init__(self, stream, gettext=None, language: str = ""):
        self._stream = stream
        self.gettext = gettext
        self.language = language

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(TERMINAL_SAFE))

    def write_export(self, text: str) -> int:
        """A machine-readable export (report's CSV, JSON, Markdown) written as it is: its values hold no
        control characters (validation refuses them) and its CSV lines end in CR LF, as RFC 4180 asks."""
        if text.translate({c: None for c in (0x0D, 0x0A, 0x09)}).translate(TERMINAL_SAFE) != text.translate({c: None for c in (0x0D, 0x0A, 0x09)}):
            return self.write(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def safe_streams(gettext, language: str):
    """Wrap stdout and stderr for one command (undone afterwards, so an embedding program keeps its own)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout, gettext, language), SafeStream(sys.stderr, gettext, language)
    return saved


def say(*items, file=None, end: str = "\n") -> None:
    """print() for a person: each message (`Text`, or an exception carrying one) in the command's language."""
    stream = file or sys.stdout
    gettext = getattr(stream, "gettext", None)
    stream.write(" ".join(said(item, gettext) for item in items) + end)


def warn(*items) -> None:
    """A message about the run itself (a summary, a refusal, what to do next) on the error stream."""
    say(*items, file=sys.stderr)


def write_text(text: str) -> None:
    """A document the command makes (a draft agreement, a mapping) written to the output as it is."""
    sys.stdout.write(text)


def write_export(text: str) -> None:
    """A machine-readable export (report's CSV, JSON, Markdown): see SafeStream.write_export."""
    getattr(sys.stdout, "write_export", sys.stdout.write)(text)


class speaking:
    """For one command: UTF-8 streams that escape what a terminal would act on and know the reader's
    language (`gettext`); the streams before are put back afterwards, so an embedding program keeps its own."""

    def __init__(self, gettext, language: str):
        self.gettext, self.language = gettext, language

    def __enter__(self):
        utf8_streams()
        self.saved = safe_streams(self.gettext, self.language)
        return self

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved
        return False


def language(argv: list[str], environ) -> str:
    """The language of the messages and help: `--lang` before the command, else the locale's (LANGUAGE,
    LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else Indonesian, the organisation's own."""
    for i, arg in enumerate(argv):
        if not arg.startswith("-"):
            break  # the command: options after it are the command's own (mou and verify have a --lang of their own)
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return locale_language(environ)


def output_gettext():
    """The translation of the command's output stream (None outside `main`: the code's words)."""
    return getattr(sys.stdout, "gettext", None)


def output_language() -> str:
    return getattr(sys.stdout, "language", "") or LANGUAGES[0]


def print_report(catalog: Catalog, quiet_notes: bool = False) -> None:
    for line in catalog.report.lines(notes=not quiet_notes):
        say(line)


def shown_path(path: str) -> str:
    """A path as the user would type it: relative to the current folder when it is below it."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith("..") else rel


def ask(question: Text, default: str = "") -> str:
    """One answer typed at a terminal (the default when nothing is typed)."""
    shown = said(question, output_gettext()) + (f" [{default}]" if default else "") + ": "
    try:
        answer = input(shown.translate(TERMINAL_SAFE)).strip()
    except EOFError:
        answer = ""
    return answer or default


def confirm(question: Text) -> bool:
    """A yes-or-no question at a terminal (its words end with the choices, e.g. "[y/N] "): yes only when
    the answer says so (y, ya, yes)."""
    try:
        answer = input(said(question, output_gettext()).translate(TERMINAL_SAFE)).strip().lower()
    except EOFError:
        answer = ""
    return answer in ("y", "ya", "yes")
