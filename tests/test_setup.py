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


def test_pip_s_settings_are_handed_to_uv_and_the_index_addresses_stay_off_the_command_line(dev):
    options, env = dev.uv_settings(
        "global.index-url='https://user:secret@mirror.example/simple'\n"
        "global.extra-index-url='file:///opt/a/simple\\nfile:///opt/b/simple'\n"
        "global.find-links='/opt/wheels'\n"
        "install.find-links='/opt/install-wheels'\n"  # pip install's own section wins over global
        "global.constraint='/etc/pip/constraints.txt'\n"
        "global.trusted-host='mirror.example other.example'\n"
        ":env:.cert='/etc/ssl/bundle.crt'\n"
        ":env:.default-timeout='180'\n"
        "global.proxy='http://proxy.example:3128'\n"
        ":env:.disable-pip-version-check='1'\n"
        "download.dest='/somewhere'\n"  # another command's: not pip install's
    )
    assert env == {"UV_DEFAULT_INDEX": "https://user:secret@mirror.example/simple", "UV_INDEX": "file:///opt/a/simple file:///opt/b/simple",
                   "UV_FIND_LINKS": "/opt/install-wheels", "SSL_CERT_FILE": "/etc/ssl/bundle.crt", "UV_HTTP_TIMEOUT": "180",
                   "HTTPS_PROXY": "http://proxy.example:3128", "HTTP_PROXY": "http://proxy.example:3128"}
    assert options == ["--index-strategy", "unsafe-best-match", "--constraint", "/etc/pip/constraints.txt",
                       "--allow-insecure-host", "mirror.example", "--allow-insecure-host", "other.example"]
    assert not any("secret" in o for o in options)
    # The environment's PIP_* settings win over the files'; no settings at all is PyPI alone.
    assert dev.uv_settings("global.no-index='false'\n:env:.no-index='true'\n")[0][-1] == "--no-index"
    assert dev.uv_settings("") == (["--index-strategy", "unsafe-best-match"], {})


def test_a_pip_setting_uv_has_no_counterpart_for_leaves_the_install_to_pip(dev):
    for listing in ("global.only-binary=':all:'\n", "global.client-cert='/etc/ssl/me.pem'\n", "install.require-hashes='1'\n",
                    "global.no-index='maybe'\n", "not a setting\n", "global.index-url=https://unquoted\n",
                    # an address uv would read as `name=address`, or as a list
                    "global.index-url='https://mirror.example/simple?token=abc'\n", "global.find-links='/opt/wheels,old'\n"):
        assert dev.uv_settings(listing) is None, listing


def _recording(dev, monkeypatch, failing: str = ""):
    calls = []

    def run(cmd, shown=None, **kw):
        calls.append({"cmd": [str(c) for c in cmd], "shown": shown or " ".join(map(str, cmd)), "env": kw.get("env") or {}})
        if failing and os.path.basename(cmd[0]).startswith(failing):
            raise dev.subprocess.CalledProcessError(2, cmd)

    monkeypatch.setattr(dev, "run", run)
    return calls


def test_uv_installs_with_pip_s_indexes_and_pip_takes_over_when_uv_fails(dev, tmp_path, monkeypatch):
    monkeypatch.setattr(dev, "BIN", str(tmp_path / ".venv" / "bin"))
    monkeypatch.setattr(dev, "pip_settings", lambda: "global.index-url='https://user:secret@mirror.example/simple'\n")
    calls = _recording(dev, monkeypatch)
    dev.install(["-r", "requirements-dev.txt"])
    # No uv in .venv yet: pip fetches it (from its own indexes), then uv installs.
    assert [c["cmd"][1:4] for c in calls] == [["-m", "pip", "install"], ["pip", "install", "-q"]]
    assert calls[0]["cmd"][-1] == dev.UV and calls[1]["cmd"][-2:] == ["-r", "requirements-dev.txt"]
    assert calls[1]["env"]["UV_DEFAULT_INDEX"] == "https://user:secret@mirror.example/simple"
    assert not any("secret" in c["shown"] or "secret" in " ".join(c["cmd"]) for c in calls)
    (tmp_path / ".venv" / "bin").mkdir()
    (tmp_path / ".venv" / "bin" / "uv").write_text("")
    calls = _recording(dev, monkeypatch, failing="uv")
    dev.install(["pytest>=8"])
    assert [os.path.basename(c["cmd"][0]) for c in calls] == ["uv", os.path.basename(dev.PY)]
    assert calls[1]["cmd"][1:4] == ["-m", "pip", "install"] and calls[1]["cmd"][-1] == "pytest>=8"


def test_pip_installs_alone_when_its_settings_cannot_be_followed_or_read(dev, monkeypatch):
    for said in ("global.only-binary=':all:'\n", None):
        monkeypatch.setattr(dev, "pip_settings", lambda said=said: said)
        calls = _recording(dev, monkeypatch)
        dev.install(["-r", "requirements.txt"])
        assert [c["cmd"][1:4] for c in calls] == [["-m", "pip", "install"]] and calls[0]["cmd"][-1] == "requirements.txt"
