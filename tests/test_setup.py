"""The test command's setup (scripts/dev.py): after the build command, only the test tools are installed."""

from __future__ import annotations

import importlib.util
import os
import tomllib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def dev(tmp_path, monkeypatch):
    """scripts/dev.py loaded as a module, pointed at a copy of this project's requirement files in tmp_path."""
    spec = importlib.util.spec_from_file_location("dev_under_test", os.path.join(ROOT, "scripts", "dev.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("pyproject.toml", "requirements.txt", "requirements-dev.txt"):
        (tmp_path / name).write_bytes(open(os.path.join(ROOT, name), "rb").read())
    (tmp_path / ".venv").mkdir()
    monkeypatch.setattr(module, "ROOT", str(tmp_path))
    monkeypatch.setattr(module, "VENV", str(tmp_path / ".venv"))
    return module


def test_after_the_build_command_only_the_test_extra_is_installed(dev, tmp_path):
    with open(tmp_path / "pyproject.toml", "rb") as fh:
        extra = tomllib.load(fh)["project"]["optional-dependencies"]["test"]
    assert extra and any(e.startswith("pytest") for e in extra)
    # No runtime installed yet (a fresh clone whose first command is the test command): the whole file.
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == []
    (tmp_path / ".venv" / ".installed-requirements.txt").write_text("digest-now")
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == extra
    # The runtime was installed from other files (pyproject.toml or a requirements file changed since).
    assert dev.test_extra_only("requirements-dev.txt", "digest-later") == []
    # Only the test file gets the shortcut.
    assert dev.test_extra_only("requirements.txt", "digest-now") == []


def test_a_requirements_dev_file_that_adds_more_is_installed_whole(dev, tmp_path):
    (tmp_path / ".venv" / ".installed-requirements.txt").write_text("digest-now")
    original = (tmp_path / "requirements-dev.txt").read_text()
    (tmp_path / "requirements-dev.txt").write_text(original + "pytest-timeout\n")
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == []
    (tmp_path / "requirements-dev.txt").write_text("# only comments and the extra\n-e .[test]  # the project's test tools\n\n")
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") != []


def test_a_file_it_cannot_follow_leaves_the_install_to_pip(dev, tmp_path):
    """A requirements file that is not UTF-8, or a pyproject.toml without a test extra: no shortcut and no
    traceback; pip installs the whole file and says what is wrong."""
    (tmp_path / ".venv" / ".installed-requirements.txt").write_text("digest-now")
    (tmp_path / "requirements-dev.txt").write_bytes(b"-e .[test]\n\xff\xfe\n")
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == []
    (tmp_path / "requirements-dev.txt").write_text("-e .[test]\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project.optional-dependencies]\ndocs = ["mkdocs"]\n')
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == []
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project.optional-dependencies]\ntest = "pytest"\n')
    assert dev.test_extra_only("requirements-dev.txt", "digest-now") == []
