"""Problems found in data files, their one-line `file:line: field: message` form, and the messages' words
kept as values (`Text`) so that each output says them in its reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

Gettext = Callable[[str], str]


class Text:
    """A message for a person: its template (a message id of the gettext catalogs) and the values filled
    in, kept apart so that each output says it in its reader's language (`said`). It is not a str: it is
    said (`said(message, gettext)`), never pasted into other text as it is, so a message cannot lose its
    translation on the way. str() gives it in the words of the code (logs, tests).

        Text("{value!r} is not a province of Indonesia", value=given)
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values):
        if not isinstance(template, str):
            raise TypeError(f"a message's template is text, not {type(template).__name__}")
        self.template = template
        self.values = values

    def said(self, gettext: Gettext | None) -> str:
        """The message in the language of `gettext` (values that are messages themselves translated too)."""
        values = {k: said(v, gettext) if isinstance(v, (Text, Problem, BaseException)) else v for k, v in self.values.items()}
        translated = gettext(self.template) if gettext is not None else self.template
        try:
            return translated.format(**values) if values else translated
        except (KeyError, IndexError, ValueError):  # a catalog whose placeholders differ: the code's words
            return self.template.format(**values) if values else self.template

    def __str__(self) -> str:
        return self.said(None)

    def __repr__(self) -> str:
        return f"Text({self.template!r}, **{self.values!r})"

    def __format__(self, spec: str) -> str:
        raise TypeError(f"the message {self.template!r} is pasted into other text untranslated; say it with said() or make the whole a Text")

    def __eq__(self, other) -> bool:
        if isinstance(other, Text):
            return (self.template, self.values) == (other.template, other.values)
        return isinstance(other, str) and str(self) == other  # as the code words it (tests, stored messages)

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other) -> bool:
        return str(self) < str(other)

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __reduce__(self):  # messages travel from forked workers: keep template and values
        return (_text, (self.template, self.values))


def joined(messages, separator: str = "\n") -> Text:
    """Several messages as one, each said in its reader's language (the separator as it is)."""
    values = {f"m{i}": message for i, message in enumerate(messages)}
    return Text(separator.replace("{", "{{").replace("}", "}}").join("{" + name + "}" for name in values), **values)


def _text(template: str, values: dict) -> Text:
    return Text(template, **values)


def said(message, gettext: Gettext | None) -> str:
    """Any message in the language of `gettext`: a `Text` translated, anything else (file names, values
    from the data) as it is; lists of messages joined as the code joined them is the caller's business."""
    if isinstance(message, (Text, Problem)):
        return message.said(gettext)
    if gettext is None:
        return str(message)
    if isinstance(message, BaseException) and message.args and isinstance(message.args[0], (Text, BaseException)):
        return said(message.args[0], gettext)  # an error raised with a message, or wrapping another error
    return str(message)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth noting) in one file, at one line."""

    path: str  # shown path, e.g. "partners/koperasi-maju.yml"
    line: int  # 1-based; 0 when the file as a whole is at fault
    field: str  # dotted field path, or "yaml"/"file" for whole-file problems
    message: str
    severity: str = "error"  # "error", "warning" (published, but staff should look) or "note"

    def __str__(self) -> str:
        return self.said(None)

    def said(self, gettext: Gettext | None) -> str:
        """The problem's line, its message (and the words "warning"/"note") in the language of `gettext`."""
        prefix = "" if self.severity == "error" else said(SEVERITY[self.severity], gettext) + ": "
        return f"{self.path}:{self.line}: {self.field}: {prefix}{said(self.message, gettext)}"


SEVERITY = {"warning": Text("warning"), "note": Text("note")}


@dataclass
class Report:
    """Every problem of one run, errors and notes kept apart, always sorted."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")

    @property
    def notes(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "note")

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def lines(self, notes: bool = True, gettext: Gettext | None = None) -> list[str]:
        chosen = self.errors + self.warnings + (self.notes if notes else [])
        return [p.said(gettext) for p in chosen]


class DataError(Exception):
    """Raised when the data tree is invalid; carries every error line at once."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(self.said(None))

    def said(self, gettext: Gettext | None) -> str:
        lines = self.report.lines(notes=False, gettext=gettext)
        head = Text("{count} problem(s) in the partner data:", count=len(lines))
        return "\n".join([said(head, gettext), *lines])
