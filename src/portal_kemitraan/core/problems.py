"""Problems found in data files, and their one-line `file:line: field: message` form."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth noting) in one file, at one line."""

    path: str  # shown path, e.g. "partners/koperasi-maju.yml"
    line: int  # 1-based; 0 when the file as a whole is at fault
    field: str  # dotted field path, or "yaml"/"file" for whole-file problems
    message: str
    severity: str = "error"  # "error", "warning" (published, but staff should look) or "note"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


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

    def lines(self, notes: bool = True) -> list[str]:
        chosen = self.errors + self.warnings + (self.notes if notes else [])
        return [str(p) for p in chosen]


class DataError(Exception):
    """Raised when the data tree is invalid; carries every error line at once."""

    def __init__(self, report: Report):
        self.report = report
        lines = report.lines(notes=False)
        count = len(lines)
        head = f"{count} problem{'s' if count != 1 else ''} in the partner data:"
        super().__init__("\n".join([head, *lines]))
