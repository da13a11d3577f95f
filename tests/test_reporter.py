"""Every command's output passes through the reporter, and argparse speaks the reader's language unpatched."""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import pathlib

from conftest import ROOT, run_portal

REPORTER = "src/portal_kemitraan/staff/reporter.py"
# The SVG drawing worker answers its parent through its own pipes: a protocol, not words for a person.
PROTOCOL = {"src/portal_kemitraan/render/drawworker.py"}


def _writes(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                yield node.lineno, "print()"
            if isinstance(func, ast.Attribute) and func.attr in ("write", "writelines") and isinstance(func.value, ast.Attribute) \
                    and func.value.attr in ("stdout", "stderr") and isinstance(func.value.value, ast.Name) and func.value.value.id == "sys":
                yield node.lineno, f"sys.{func.value.attr}.{func.attr}()"


def test_nothing_but_the_reporter_prints():
    found = []
    for path in sorted(pathlib.Path(ROOT, "src").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == REPORTER or rel in PROTOCOL:
            continue
        found += [f"{rel}:{line}: {what}" for line, what in _writes(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, "\n".join(found)


def test_the_scan_finds_a_print_and_a_stream_write():
    code = "import sys\nprint('x')\nsys.stderr.write('y')\n"
    assert [what for _, what in _writes(ast.parse(code))] == ["print()", "sys.stderr.write()"]


def test_argparse_speaks_indonesian_without_being_patched():
    before = (argparse._, argparse.ngettext)
    done = run_portal("--lang", "id", "report", "--format", "x")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "penggunaan: portal report" in err and "galat: argumen --format: pilihan tidak sah: 'x'" in err, err
    done = run_portal("--lang", "en", "new")
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "usage: portal new" in err and "the following arguments are required: name" in err, err
    assert (argparse._, argparse.ngettext) == before and argparse._ is gettext.gettext
    source = pathlib.Path(ROOT, "src", "portal_kemitraan", "staff", "arguments.py").read_text(encoding="utf-8")
    assert "argparse._ =" not in source and "argparse._," not in source


def test_every_command_says_the_datas_errors_in_the_readers_language(tmp_path):
    """The reporter holds the run's language: `report`, `verify` and `new-activity` refuse invalid data with the
    same Indonesian lines `validate` prints (they used to print the code's English words)."""
    from conftest import copy_reference_data

    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, "mitra-rusak.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: Mitra Rusak\npattern: agency\nside: agent\nsummary: Ringkasan.\nregion: {province: Atlantis}\n")
    said_by = {}
    for command in (["validate", "-q"], ["report"], ["verify", "--dry-run"], ["new-activity", "mitra-rusak", "Rapat"]):
        for lang in ("id", "en"):
            done = run_portal("--lang", lang, *command, "--data", root)
            assert done.returncode == 1, (command, done.stderr)
            said_by[(command[0], lang)] = [line for line in done.stdout.decode("utf-8").splitlines() if line.startswith("partners/mitra-rusak.yml:")]
    for command in ("report", "verify", "new-activity"):
        assert said_by[(command, "id")] == said_by[("validate", "id")] != said_by[("validate", "en")], command
        assert said_by[(command, "en")] == said_by[("validate", "en")], command
