"""How every command speaks: the terminal-safe output streams in the reader's language, and the command errors."""

from __future__ import annotations

import os
import sys
from ..core.problems import Text, said
from ..render.i18n import LANGUAGES, locale_language


class UsageError(Exception):
    """The command was called wrongly (exit 2)."""


class InvalidData(Exception):
    """The data has errors, already said: the command stops with exit 1 and says nothing more."""


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
    file names, values from partner files and CSV exports, argparse's messages."""

    def __init__(self, stream):
        self._stream = stream

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


class Reporter:
    """The voice of one command run: the reader's language (`gettext`, `language`) held here, and the only
    way anything reaches the terminal. Its streams escape what a terminal would act on (SafeStream)."""

    def __init__(self, gettext, language: str, out=None, err=None):
        self.gettext, self.language = gettext, language
        self.out = out if out is not None else SafeStream(sys.stdout)
        self.err = err if err is not None else SafeStream(sys.stderr)

    def say(self, *items, end: str = "\n") -> None:
        """Messages for a person (`Text`, problems, or errors carrying them) in the reader's language."""
        self.out.write(" ".join(said(item, self.gettext) for item in items) + end)

    def warn(self, *items) -> None:
        """A message about the run itself (a summary, a refusal, what to do next) on the error stream."""
        self.err.write(" ".join(said(item, self.gettext) for item in items) + "\n")

    def write_text(self, text: str) -> None:
        """A document the command makes (a draft agreement, a mapping) written to the output as it is."""
        self.out.write(text)

    def write_export(self, text: str) -> None:
        """A machine-readable export (report's CSV, JSON, Markdown): see SafeStream.write_export."""
        self.out.write_export(text)

    def problems(self, report, notes: bool = True) -> None:
        """Every problem of a data check, one `file:line: field: message` line each, in the reader's language."""
        for line in report.lines(notes=notes, gettext=self.gettext):
            self.say(line)

    def ask(self, question: Text, default: str = "") -> str:
        """One answer typed at a terminal (the default when nothing is typed)."""
        shown = said(question, self.gettext) + (f" [{default}]" if default else "") + ": "
        try:
            answer = input(shown.translate(TERMINAL_SAFE)).strip()
        except EOFError:
            answer = ""
        return answer or default

    def confirm(self, question: Text) -> bool:
        """A yes-or-no question at a terminal (its words end with the choices, e.g. "[y/N] "): yes only when
        the answer says so (y, ya, yes)."""
        try:
            answer = input(said(question, self.gettext).translate(TERMINAL_SAFE)).strip().lower()
        except EOFError:
            answer = ""
        return answer in ("y", "ya", "yes")


class speaking:
    """For one command: UTF-8 streams that escape what a terminal would act on, and the run's Reporter in the
    reader's language; the streams before are put back afterwards, so an embedding program keeps its own."""

    def __init__(self, gettext, language: str):
        self.gettext, self.language = gettext, language

    def __enter__(self) -> Reporter:
        utf8_streams()
        self.saved = sys.stdout, sys.stderr
        # argparse writes its usage and errors to sys.stdout and sys.stderr: those are the reporter's streams too
        reporter = Reporter(self.gettext, self.language)
        sys.stdout, sys.stderr = reporter.out, reporter.err
        return reporter

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


def shown_path(path: str) -> str:
    """A path as the user would type it: relative to the current folder when it is below it."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:
        return absolute
    return absolute if rel.startswith("..") else rel
