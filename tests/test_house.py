"""The house rules of src/: small modules and functions, each module saying its role in one line."""

from __future__ import annotations

import ast
import pathlib

from conftest import ROOT

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MODULES = sorted(pathlib.Path(ROOT, "src").rglob("*.py"))


def test_no_module_over_500_lines_and_no_function_over_60():
    too_long = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{rel}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                too_long.append(f"{rel}:{node.lineno}: {node.name}() is {node.end_lineno - node.lineno + 1} lines")
    assert MODULES and not too_long, "\n".join(too_long)


def test_every_module_says_its_role_in_its_first_line():
    missing = []
    for path in MODULES:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if path.name != "__init__.py" and not (doc and doc.splitlines()[0].strip()):
            missing.append(path.relative_to(ROOT).as_posix())
    assert not missing, missing
