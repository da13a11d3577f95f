"""The staff commands as a user runs them: exit codes, messages, UTF-8 whatever the locale."""

import os

import pytest

import yaml

from conftest import DATA, TODAY, run_portal
from portal_kemitraan.core.catalog import load_catalog

C_LOCALE = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "", "PYTHONUTF8": "0"}


def test_validate_ok_exit_0():
    result = run_portal("validate", "--today", TODAY.isoformat())
    assert result.returncode == 0
    assert result.stdout.decode().strip().endswith("16 partners, 4 patterns, 11 stages, 9 forms.")


def test_validate_mentions_missing_consent_as_note_only():
    out = run_portal("validate", "--today", TODAY.isoformat()).stdout.decode()
    assert "partners/kelompok-ternak-sejahtera.yml:18: contact.person: note: has no consent: true" in out


def test_validate_usage_error_exit_2(tmp_path):
    assert run_portal("validate", "--bogus").returncode == 2
    assert run_portal("validate", "--data", str(tmp_path / "nope")).returncode == 2
    assert run_portal("validate", "--today", "31-13-2026").returncode == 2  # 31-12-2026 is a day as Indonesians write it
    assert run_portal().returncode == 2


@pytest.mark.parametrize("command", ["validate", "new", "list", "schema", "import", "report", "mou", "render", "doctor", "corrections"])
def test_each_command_runs_as_a_real_process(command):
    """One subprocess smoke test per command (the rest of the tests run the commands in-process)."""
    result = run_portal(command, "--help", subprocess_run=True)
    assert result.returncode == 0 and b"usage: portal " + command.encode() in result.stdout and not result.stderr


def test_every_command_has_help():
    for command in ([], ["validate"], ["new"], ["list"], ["schema"]):
        result = run_portal(*command, "--help")
        assert result.returncode == 0 and b"usage:" in result.stdout


def test_new_writes_a_valid_commented_file_with_folded_slug(data_dir):
    result = run_portal("new", "Koperasi Sérba Usaha Ñusantara", "--pattern", "general-trade", "--side", "supplier", "--province", "jawa tengah", "--data", data_dir, env=C_LOCALE)
    assert result.returncode == 0, result.stderr.decode()
    path = os.path.join(data_dir, "koperasi-serba-usaha-nusantara.yml")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("# yaml-language-server: $schema=partner.schema.json")
    data = yaml.safe_load(text)
    assert data["name"] == "Koperasi Sérba Usaha Ñusantara"
    assert data["region"]["province"] == "Jawa Tengah"
    assert data["visibility"] == "hidden" and data["stage"] == "identification"
    catalog = load_catalog(data_dir)
    assert catalog.report.ok and "koperasi-serba-usaha-nusantara" in catalog.partners


def test_new_refuses_to_overwrite(data_dir):
    args = ("new", "Toko Tani", "--pattern", "agency", "--side", "agent", "--province", "Bali", "--data", data_dir)
    assert run_portal(*args).returncode == 0
    before = open(os.path.join(data_dir, "toko-tani.yml"), encoding="utf-8").read()
    again = run_portal(*args)
    assert again.returncode == 1 and b"already exists" in again.stderr
    assert open(os.path.join(data_dir, "toko-tani.yml"), encoding="utf-8").read() == before


def test_new_checks_its_arguments(data_dir):
    result = run_portal("new", "X Y", "--pattern", "agency", "--side", "supplier", "--province", "Atlantis", "--data", data_dir)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "--side: 'supplier' is not recognised; a side of " in err and "--province: 'Atlantis' is not recognised" in err


def test_list_prints_one_line_per_partner():
    result = run_portal("list", env=C_LOCALE)
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].split() == ["slug", "pattern", "side", "stage", "visibility"]
    assert len(lines) == 1 + 16
    assert any(line.split() == ["yayasan-usaha-mikro-sulsel", "foster-parent", "foster-parent", "implementation", "unlisted"] for line in lines)


def test_output_is_utf8_under_the_c_locale(data_dir):
    with open(os.path.join(data_dir, "ñandu.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: Ñandú\n")
    result = run_portal("validate", "--data", data_dir, env=C_LOCALE)
    assert result.returncode == 1
    # C names no language: the messages are the organisation's own, Indonesian, and still UTF-8
    assert "partners/ñandu.yml:1: file: nama berkas 'ñandu'" in result.stdout.decode("utf-8")


def test_schema_check_detects_staleness(data_dir):
    assert run_portal("schema", "--data", data_dir).returncode == 0
    assert run_portal("schema", "--check", "--data", data_dir).returncode == 0
    with open(os.path.join(data_dir, "patterns", "new-pattern.yml"), "w", encoding="utf-8") as fh:
        fh.write(open(os.path.join(DATA, "patterns", "agency.yml"), encoding="utf-8").read())
    stale = run_portal("schema", "--check", "--data", data_dir)
    assert stale.returncode == 1 and b"out of date" in stale.stderr


def test_a_yaml_extension_is_accepted(data_dir):
    with open(os.path.join(data_dir, "mitra-yaml.yaml"), "w", encoding="utf-8") as fh:
        fh.write("name: Mitra YAML\npattern: agency\nside: agent\nsummary: S.\nregion: {province: Bali}\n")
    catalog = load_catalog(data_dir)
    assert catalog.report.ok and catalog.partners["mitra-yaml"].path.endswith("/mitra-yaml.yaml")


def test_a_command_starts_without_the_tools_of_every_other(tmp_path):
    """`validate` loads the catalog and its own module, not the site's render, the agreement's drafting, the
    mail merge or the form writer (a quarter of a second of every command's start); `mou` still gets its tools."""
    import subprocess
    import sys

    from conftest import copy_reference_data

    root = copy_reference_data(str(tmp_path), with_partners=True)
    probe = ("import sys; from portal_kemitraan.staff import cli; code = cli.main(sys.argv[1:]); "
             "print('LOADED', code, *sorted(m for m in sys.modules if m.startswith('portal_kemitraan')))")

    def loaded(*args):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=str(tmp_path))
        line = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
        return line.split()[1], set(line.split()[2:])

    code, modules = loaded("validate", "--data", root)
    assert code == "0" and "portal_kemitraan.core.catalog" in modules
    heavy = {"portal_kemitraan.render.site", "portal_kemitraan.staff.agreement", "portal_kemitraan.staff.verify",
             "portal_kemitraan.staff.intakeform", "portal_kemitraan.staff.parts", "portal_kemitraan.staff.site_commands"}
    assert modules & heavy == set()
    code, modules = loaded("mou", "kwt-melati", "--data", root)
    assert code == "0" and "portal_kemitraan.staff.agreement" in modules


def test_every_command_names_a_function_that_exists():
    """The parser names each command's function by its module (imported when the command runs): every name
    must be found, or that command alone would fail when staff first run it."""
    import argparse
    import importlib

    from portal_kemitraan.staff.arguments import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert len(commands) >= 18
    for name, sub in commands.items():
        module, function = sub.get_default("func").names
        assert callable(getattr(importlib.import_module(f"portal_kemitraan.staff.{module}"), function)), name
