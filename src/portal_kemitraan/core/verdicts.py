"""The data folder checked for a command that only reports its problems (validate), without keeping models."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .catalog import Catalog, PartnerJob, begin_catalog, check_logo, finish_catalog, private_words, read_and_check
from .parallel import fork_map
from .problems import Text
from .yamlsource import Source


@dataclass(frozen=True)
class Verdict:
    """What a command that only reports needs of one partner file: its problems, its logo and that logo's
    line (checked by the process that holds every logo), and its values that search words must not hold."""

    problems: tuple
    read: bool = False  # the file gave a model (it may still have errors)
    logo: str | None = None
    logo_line: int = 1
    private: tuple = ()


def _verdict(catalog: Catalog, today: dt.date, job: PartnerJob) -> Verdict:
    """read_and_check without handing the model back: in a worker, sending 5,000 models to this process
    and rebuilding them there costs more than reading a tenth of the files."""
    src, partner = read_and_check(catalog, today, job)
    if partner is None:
        return Verdict(tuple(src.problems))
    private = tuple(private_words(job.shown, partner).items()) if catalog.synonyms else ()
    return Verdict(tuple(src.problems), True, partner.logo, src.line_of(("logo",)), private)


def check_catalog(root: str, today: dt.date | None = None, parallel: bool = True) -> tuple[Catalog, int]:
    """Every check and problem of load_catalog, in the same order, for a command that only reports them
    (validate): the catalog without its partners' models, and how many partner files are valid."""
    today = today or dt.date.today()
    catalog, jobs = begin_catalog(root)
    private: dict[str, Text] = {}
    valid = 0
    for job, verdict in zip(jobs, fork_map(functools.partial(_verdict, catalog, today), jobs, parallel)):
        src = Source(job.shown, lines={("logo",): verdict.logo_line}, problems=list(verdict.problems))
        if verdict.logo is not None:
            check_logo(catalog.root, src, verdict.logo, catalog)
        catalog.report.extend(src.problems)
        if verdict.read and not any(p.severity == "error" for p in src.problems):
            valid += 1
            private.update(verdict.private)
    finish_catalog(catalog, private)
    return catalog, valid
