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
