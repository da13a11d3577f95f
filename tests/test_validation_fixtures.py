"""Each invalid fixture under tests/fixtures/invalid/<case>/ yields exactly the lines in its expected.txt."""

import os
import shutil

import pytest

from conftest import FIXTURES, TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.catalog import load_catalog

CASES = sorted(os.listdir(os.path.join(FIXTURES, "invalid")))


def _tree(tmp_path, case):
    root = copy_reference_data(str(tmp_path))
    folder = os.path.join(FIXTURES, "invalid", case)
    for name in os.listdir(folder):
        if name != "expected.txt":
            shutil.copy(os.path.join(folder, name), root)
    with open(os.path.join(folder, "expected.txt"), encoding="utf-8") as fh:
        expected = fh.read().splitlines()
    return root, expected


@pytest.mark.parametrize("case", CASES)
def test_fixture_reports_exact_lines(tmp_path, case):
    root, expected = _tree(tmp_path, case)
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.lines() == expected


@pytest.mark.parametrize("case", CASES)
def test_validate_command_prints_the_same_lines(tmp_path, case):
    root, expected = _tree(tmp_path, case)
    result = run_portal("validate", "--data", root, "--today", TODAY.isoformat(), cwd=str(tmp_path))
    out = result.stdout.decode("utf-8").splitlines()
    only_notes = all(": note: " in line for line in expected)
    assert result.returncode == (0 if only_notes else 1), result.stderr
    assert out[: len(expected)] == expected
    assert b"Traceback" not in result.stderr


def test_all_fixture_cases_at_once_report_every_problem(tmp_path):
    """Problems in many files come out together, sorted, in one run."""
    root = copy_reference_data(str(tmp_path))
    expected = []
    for case in CASES:
        if case == "duplicate-slug":
            continue  # its kembar.yml would collide with duplicate-key's kembar.yml
        folder = os.path.join(FIXTURES, "invalid", case)
        for name in os.listdir(folder):
            if name != "expected.txt":
                shutil.copy(os.path.join(folder, name), root)
        expected += open(os.path.join(folder, "expected.txt"), encoding="utf-8").read().splitlines()
    catalog = load_catalog(root, today=TODAY)
    errors = [line for line in expected if ": note: " not in line]
    got = [str(p) for p in catalog.report.errors]
    assert sorted(got) == sorted(errors)
    keys = [(p.path, p.line) for p in catalog.report.errors]
    assert keys == sorted(keys), "errors come out sorted by file, then line"


def test_example_data_is_valid():
    result = run_portal("validate", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert b"OK: " in result.stdout


@pytest.mark.parametrize("forked", [False, True])
def test_validate_s_reading_reports_what_the_full_reading_reports(tmp_path, monkeypatch, forked):
    """`validate` reads without keeping the partners' models (check_catalog); the site's reading keeps them
    (load_catalog). On a tree with every kind of problem (each invalid case, the hostile files, a cleaned
    logo, search words naming a hidden partner and an unconsented person), read in this process and by
    forked workers, both report the same lines in the same order and count the same valid partners."""
    from portal_kemitraan.core.verdicts import check_catalog

    from test_hostile import tree_with

    root = tree_with(tmp_path / "data", [n for n in os.listdir(os.path.join(FIXTURES, "hostile")) if n.endswith(".yml")])
    for name in os.listdir(os.path.join(os.path.dirname(FIXTURES), "demo", "partners")):
        if name.endswith(".yml") and name not in ("stages.yml", "forms.yml", "search.yml"):
            shutil.copy(os.path.join(os.path.dirname(FIXTURES), "demo", "partners", name), root)
    for case in CASES:
        folder = os.path.join(FIXTURES, "invalid", case)
        for name in os.listdir(folder):
            if name != "expected.txt" and case != "duplicate-slug":
                shutil.copy(os.path.join(folder, name), root)
    with open(os.path.join(root, "search.yml"), "w", encoding="utf-8") as fh:
        fh.write("synonyms:\n  - [sayur, PT Sayur Sehat Bali]\n  - [ternak, Yohanes Bria]\n  - [kopi, coffee]\n")
    if forked:
        monkeypatch.setenv("PORTAL_PARALLEL_MIN", "2")
    full = load_catalog(root, today=TODAY)
    reported, valid = check_catalog(root, today=TODAY)
    lines = full.report.lines()
    assert reported.report.lines() == lines
    assert valid == len(full.partners) > 10
    assert reported.partners == {} and reported.logos == full.logos
    said = "\n".join(lines)
    for expected in ("a hidden partner: search words are published", "left out of the published copy", ": warning: ", ": note: "):
        assert expected in said, expected
    assert len(full.report.errors) > 20
