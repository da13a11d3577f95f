"""What each host publishes at most: a built site measured as the host counts it, refused where it is built."""

from __future__ import annotations

import os

from portal_kemitraan.staff import hostlimits
from portal_kemitraan.staff.hostlimits import Measured, judge, measure

NOWHERE = {}  # a person's computer: no host's variable set


def sparse(path, size: int) -> None:
    """A file of `size` bytes as the host counts them, taking no room on this disk."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)


def test_a_site_is_measured_as_a_host_counts_it(tmp_path):
    site = tmp_path / "site"
    sparse(str(site / "index.html"), 1_000)
    sparse(str(site / "api" / "partners.json"), 30 * 1024 * 1024)
    sparse(str(site / "en" / "index.html"), 2_000)
    os.symlink("/etc/passwd", site / "en" / "link")  # a link is counted as itself, never followed
    found = measure(str(site))
    assert (found.files, found.largest, found.largest_size) == (4, "api/partners.json", 30 * 1024 * 1024)
    assert found.size == 1_000 + 30 * 1024 * 1024 + 2_000 + len("/etc/passwd")


def test_a_site_within_every_limit_is_said_and_nothing_more():
    refusals, warnings = judge(Measured(8_500_000, 317, "assets/bundle.js", 1_000_000), {"GITHUB_ACTIONS": "true"})
    assert refusals == warnings == []
    assert str(hostlimits.summary(Measured(8_500_000, 317, "a.js", 1_000_000), "site")) == \
        "site: 8.5 MB in 317 files; the largest file is a.js (1.0 MB)."


def test_over_a_limit_of_the_host_building_it_is_a_refusal_and_elsewhere_a_warning():
    big = Measured(1_200_000_000, 45_000, "api/partners.json", 31 * 1024 * 1024)
    refusals, warnings = judge(big, {"GITHUB_ACTIONS": "true"})
    assert [str(r) for r in refusals] == ["GitHub Pages publishes a site of at most 1,000 MB; this one is 1,200 MB"]
    assert "Cloudflare Pages publishes no file over 26.2 MB; api/partners.json is 32.5 MB" in [str(w) for w in warnings]
    refusals, warnings = judge(big, {"CF_PAGES": "1"})
    assert [str(r) for r in refusals] == ["Cloudflare Pages publishes no file over 26.2 MB; api/partners.json is 32.5 MB"]
    # A plan's limit is said, never refused: the host cannot tell this project which plan it is on.
    assert "Cloudflare Pages publishes at most 20,000 files (on the free plan); this site has 45,000 files" in [str(w) for w in warnings]
    refusals, warnings = judge(big, NOWHERE)
    assert refusals == [] and len(warnings) == 4  # GitHub, GitLab.com, Cloudflare's file and its free plan


def test_a_limit_that_holds_only_on_some_plan_or_path_is_never_a_refusal():
    """GitLab's limits hold on GitLab.com only (a GitLab of one's own sets its own); GitHub's 100 MB a file
    only when the site is pushed to a repository."""
    huge = Measured(5_000_000_000, 300_000, "api/partners.json", 150_000_000)
    assert [str(r) for r in judge(huge, {"GITLAB_CI": "true"})[0]] == []
    assert [str(r) for r in judge(huge, {"GITHUB_ACTIONS": "true"})[0]] == ["GitHub Pages publishes a site of at most 1,000 MB; this one is 5,000 MB"]
