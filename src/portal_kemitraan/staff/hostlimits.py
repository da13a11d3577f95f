"""What each static host publishes at most, and how a built site measures against it before it is sent."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..core.problems import Text
from .sitelinks import site_files


@dataclass(frozen=True)
class Limit:
    """At most `most` of `what` (`site`: bytes of the whole site, `files`: how many, `file`: bytes of one).
    A limit that holds for every account of the host (`always`) refuses the site where that host builds it;
    one that holds only on some plan or way of publishing (`when` says which) is a warning."""

    what: str
    most: int
    always: bool = True
    when: Text | None = None


@dataclass(frozen=True)
class Host:
    """A host this project has a publishing configuration for, known in its own builds by an environment
    variable it sets (`variable` = `value`)."""

    name: str
    variable: str
    value: str
    limits: tuple[Limit, ...]


MB, MIB = 1000 * 1000, 1024 * 1024
# As each host documents them (2026-12): GitHub Pages, GitLab Pages on GitLab.com, Cloudflare Pages (100,000
# files on its paid plans, 20,000 on the free one). Netlify: none checked (no such limit is known here).
HOSTS = (
    Host("GitHub Pages", "GITHUB_ACTIONS", "true", (
        Limit("site", 1000 * MB),
        Limit("file", 100 * MB, always=False, when=Text("when the site is pushed to a repository (PUBLISH_TO=repository)")),
    )),
    Host("GitLab Pages", "GITLAB_CI", "true", (
        Limit("site", 1000 * MB, always=False, when=Text("on GitLab.com")),
        Limit("files", 200_000, always=False, when=Text("on GitLab.com")),
    )),
    Host("Cloudflare Pages", "CF_PAGES", "1", (
        Limit("files", 100_000),
        Limit("file", 25 * MIB),
        Limit("files", 20_000, always=False, when=Text("on the free plan")),
    )),
)


@dataclass(frozen=True)
class Measured:
    """A built site as a host counts it: its bytes, its files, and its largest file (path under the site)."""

    size: int
    files: int
    largest: str
    largest_size: int

    def amount(self, what: str) -> int:
        return {"site": self.size, "files": self.files, "file": self.largest_size}[what]


def measure(site_root: str) -> Measured:
    """Every file under the site's folder (links counted as the files they are), walked once."""
    size = files = largest_size = 0
    largest = ""
    for path in site_files(site_root):
        try:
            bytes_ = os.lstat(path).st_size
        except OSError:
            continue
        size, files = size + bytes_, files + 1
        if bytes_ > largest_size:
            largest, largest_size = os.path.relpath(path, site_root).replace(os.sep, "/"), bytes_
    return Measured(size, files, largest, largest_size)


def building_host(environ) -> Host | None:
    """The host whose build this is, by the variable it sets (None on a person's computer)."""
    return next((h for h in HOSTS if environ.get(h.variable) == h.value), None)


def _amount(what: str, value: int) -> Text:
    if what == "files":
        return Text("{count:,} files", count=value)
    return Text("{size:,.1f} MB", size=value / MB) if value < 100 * MB else Text("{size:,.0f} MB", size=value / MB)


def over(measured: Measured, host: Host) -> list[tuple[Limit, Text]]:
    """Each limit of `host` the site is over, with a line saying by how much (and which file)."""
    found = []
    for limit in host.limits:
        value = measured.amount(limit.what)
        if value <= limit.most:
            continue
        values = dict(host=host.name, most=_amount(limit.what, limit.most), value=_amount(limit.what, value),
                      when=Text(" ({when})", when=limit.when) if limit.when else "")
        if limit.what == "site":
            line = Text("{host} publishes a site of at most {most}{when}; this one is {value}", **values)
        elif limit.what == "files":
            line = Text("{host} publishes at most {most}{when}; this site has {value}", **values)
        else:
            line = Text("{host} publishes no file over {most}{when}; {path} is {value}", path=measured.largest, **values)
        found.append((limit, line))
    return found


def judge(measured: Measured, environ) -> tuple[list[Text], list[Text]]:
    """(refusals, warnings): over a limit that always holds on the host building this site is a refusal
    (the host would not publish it); every other limit it is over, on any host, is a warning."""
    here = building_host(environ)
    refusals, warnings = [], []
    for host in HOSTS:
        for limit, line in over(measured, host):
            (refusals if host is here and limit.always else warnings).append(line)
    return refusals, warnings


def summary(measured: Measured, root: str) -> Text:
    return Text("{root}: {size} in {files}; the largest file is {path} ({largest}).", root=root,
                size=_amount("site", measured.size), files=_amount("files", measured.files),
                path=measured.largest or "-", largest=_amount("file", measured.largest_size))
