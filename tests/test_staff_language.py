"""The staff tools speak Indonesian by default and English when the locale (LANG) or `--lang` says so: every
command's messages and --help come from the site's gettext catalogs, validation messages included."""

from __future__ import annotations

import os
import re

import pytest
from conftest import DEMO, FIXTURES, ROOT, TODAY, copy_reference_data, run_portal

from portal_kemitraan.core.problems import Text, said
from portal_kemitraan.render import catalogs
from portal_kemitraan.render.i18n import locale_language, translations
from portal_kemitraan.staff import arguments, reporter

INTAKE = os.path.join(FIXTURES, "intake")
LOCALES = {"id": "id_ID.UTF-8", "en": "en_US.UTF-8"}


def english_fragments() -> list[str]:
    """The words of every English message that Indonesian says otherwise: the parts between placeholders
    with at least two words, which no Indonesian output may hold."""
    fragments = set()
    for message in catalogs.read("id"):
        if not message.id or not isinstance(message.id, str) or not message.string or message.string == message.id:
            continue
        for part in re.split(r"\{[^}]*\}|%\([a-z_]+\)[sr]|%[sr]", message.id):
            part = part.strip(" ;:,.()\n")
            if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2 and part not in message.string:
                fragments.add(part)
    return sorted(fragments, key=len, reverse=True)


FRAGMENTS = english_fragments()


def untranslated(text: str) -> list[str]:
    return [fragment for fragment in FRAGMENTS if fragment in text]


def run_in(language: str, monkeypatch, *args, cwd=None):
    monkeypatch.setenv("LANG", LOCALES[language])
    result = run_portal(*args, cwd=cwd)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.mark.parametrize(
    "environ, argv, expected",
    [
        ({"LANG": "id_ID.UTF-8"}, ["validate"], "id"),
        ({"LANG": "en_US.UTF-8"}, ["validate"], "en"),
        ({"LANG": "en_GB.UTF-8"}, ["validate"], "en"),
        ({}, ["validate"], "id"),  # no locale: the organisation's own language
        ({"LANG": "C.UTF-8"}, ["validate"], "id"),
        ({"LANG": "fr_FR.UTF-8"}, ["validate"], "id"),  # a language without a catalog
        ({"LANG": "id_ID.UTF-8", "LC_ALL": "en_US.UTF-8"}, ["validate"], "en"),  # LC_ALL outranks LANG
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "id:en"}, ["validate"], "id"),  # GNU's list of preferences
        ({"LANG": "en_US.UTF-8"}, ["--lang", "id", "validate"], "id"),
        ({"LANG": "id_ID.UTF-8"}, ["--lang=en", "validate"], "en"),
        ({"LANG": "id_ID.UTF-8"}, ["mou", "x", "--lang", "en"], "id"),  # mou's own --lang is the draft's language
    ],
)
def test_the_language_follows_lang_and_lang_option(environ, argv, expected):
    assert reporter.language(argv, environ) == expected
    if argv[0] == "validate":  # the MkDocs hook's messages follow the locale as the commands do
        assert locale_language(environ) == expected


def _helps(parser) -> dict[str, list]:
    """Every help text of every command, as the code writes it (English messages)."""
    import argparse

    out = {"": [a.help for a in parser._actions if isinstance(a.help, Text)]}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            out[""] += [c.help for c in action._choices_actions]
            for name, command in action.choices.items():
                out[name] = [a.help for a in command._actions if isinstance(a.help, Text)]
    return out


def test_every_commands_help_is_in_the_chosen_language(monkeypatch):
    helps = _helps(arguments.build_parser())
    assert len(helps) >= 14 and all(helps.values())
    indonesian = translations("id").gettext
    for command, texts in helps.items():
        argv = [command, "--help"] if command else ["--help"]
        code, shown_id, _ = run_in("id", monkeypatch, *argv)
        code_en, shown_en, _ = run_in("en", monkeypatch, *argv)
        assert code == code_en == 0
        # compared without white space: argparse wraps lines at spaces and after hyphens
        flat_id, flat_en = "".join(shown_id.split()), "".join(shown_en.split())
        assert shown_id.startswith("penggunaan: portal") and shown_en.startswith("usage: portal")
        assert "tampilkanbantuaninilalukeluar" in flat_id and "showthishelpmessageandexit" in flat_en
        for text in texts:
            said_id = "".join(said(text, indonesian).split())
            assert said_id != "".join(str(text).split()), f"{command}: no Indonesian for {text!r}"
            assert said_id in flat_id, f"portal {command} --help: {said(text, indonesian)!r} not shown"
            assert "".join(str(text).split()) in flat_en
        assert untranslated(shown_id) == [], f"portal {command} --help"


def test_validate_says_every_problem_in_indonesian_or_english_as_a_real_process(tmp_path):
    """A partner file with problems of every kind of message (pydantic's, the catalog's, the YAML reader's),
    through `scripts/portal.py` with LANG set as a terminal sets it."""
    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "rusak.yml"), "w", encoding="utf-8") as fh:
        fh.write(
            "name: Koperasi Rusak\npattern: general-tred\nside: supplier\nsummary: [a]\n"
            "region: {province: Jawa Barta}\nsince: 2099-01-01\nwebsite: ftp://contoh.id\nwarna: merah\n"
        )
    with open(os.path.join(root, "ganda.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: A\nname: B\n")
    with open(os.path.join(DEMO, "partners", "kwt-melati.yml"), encoding="utf-8") as fh:  # valid but for its pattern and date
        text = fh.read().replace("\npattern: ", "\npattern: x", 1).replace("\nsince: ", "\nsince: 2099-01-01\nx: ", 1)
    with open(os.path.join(root, "kwt-melati.yml"), "w", encoding="utf-8") as fh:
        fh.write(text.replace("\nx: ", "\n# ", 1))
    said_in = {}
    for language, lang in LOCALES.items():
        result = run_portal("validate", "--data", root, "--today", TODAY.isoformat(), env={"LANG": lang, "LC_ALL": "", "LANGUAGE": ""})
        assert result.returncode == 1
        said_in[language] = result.stdout.decode("utf-8") + result.stderr.decode("utf-8")
    id_text, en_text = said_in["id"], said_in["en"]
    # the same lines, in the same order, at the same places: only the words differ
    where = re.compile(r"^(partners/[^:]+:\d+: [^:]+):", re.M)
    assert where.findall(id_text) == where.findall(en_text) and len(where.findall(id_text)) >= 6
    for english, indonesian in [
        ("unknown pattern 'xgeneral-trade'; did you mean 'general-trade'?", "pola 'xgeneral-trade' tidak dikenal; maksud Anda 'general-trade'?"),
        ("since: 2099-01-01 is in the future (today is 2026-12-01)", "since: 2099-01-01 ada di masa depan (hari ini 2026-12-01)"),
        ("summary: must be text, not a list", "summary: harus teks, bukan daftar"),
        ("'Jawa Barta' is not a province of Indonesia; did you mean 'Jawa Barat'?", "'Jawa Barta' bukan provinsi di Indonesia; maksud Anda 'Jawa Barat'?"),
        ("warna: unknown field", "warna: ruas tidak dikenal"),
        ("website: must start with http:// or https://", "website: harus diawali http:// atau https://"),
        ("duplicate key 'name' (first given on line 1); keep only one", "kunci ganda 'name' (pertama kali di baris 1); simpan satu saja"),
        ("error(s); nothing was published.", "galat; tidak ada yang diterbitkan."),
    ]:
        assert english in en_text and indonesian in id_text, (english, indonesian)
    assert untranslated(id_text) == [], id_text


def _project(tmp_path) -> str:
    """A copy of the demo project: its configuration and partners (with the example partners)."""
    import shutil

    copy_reference_data(str(tmp_path), with_partners=True)
    shutil.copy(os.path.join(DEMO, "mkdocs.yml"), tmp_path / "mkdocs.yml")
    return str(tmp_path)


# One run of each command that makes it speak: (arguments, what the Indonesian says, what the English says).
COMMANDS = [
    (["validate", "--today", "2026-12-01"], "OK: 16 mitra, 4 pola", "OK: 16 partners, 4 patterns"),
    (["new", "Koperasi Uji Bahasa", "--pattern", "general-trade", "--side", "supplier", "--province", "Bali"],
     "menulis partners/koperasi-uji-bahasa.yml", "wrote partners/koperasi-uji-bahasa.yml"),
    (["new", "X", "--pattern", "umum", "--side", "x", "--province", "Mars"], "'Mars' tidak dikenali", "'Mars' is not recognised"),
    (["schema", "--check"], "partners/partner.schema.json", "partners/partner.schema.json"),
    (["import", os.path.join(INTAKE, "own-form.csv"), "--map", "--dry-run"], "", ""),
    (["import", os.path.join(INTAKE, "google-forms.csv"), "--dry-run", "--today", "2026-12-01"], "akan mengimpor", "would import"),
    (["corrections", os.path.join(INTAKE, "corrections.csv"), "--today", "2026-12-01"],
     "bukan mitra dalam data; tidak diterapkan", "is no partner in the data; not applied"),
    (["report", "--today", "2026-12-01"], "KESEPAKATAN SEGERA BERAKHIR", "AGREEMENTS ENDING SOON"),
    (["report", "--today", "2026-12-01", "--format", "md"], "| 8. Pelaksanaan | 4 |", "| 8. Implementation | 4 |"),
    (["mou", "tidak-ada"], "tidak ada mitra 'tidak-ada'", "no partner 'tidak-ada'"),
    (["mou", "kwt-melati", "--with", "kwt-melati"], "tidak dapat menjadi kedua pihak", "cannot be both sides"),
    (["mou", "kwt-melati", "--with", "koperasi-tani-sumber-rejeki"], "adalah pemasok dalam pola Dagang umum", "is a supplier in General trade"),
    (["verify", "--dry-run", "--today", "2026-12-01"], "profil perlu diperiksa; tidak ada yang ditulis", "profile(s) due for a check; nothing written"),
    (["verified", "kwt-melati", "--date", "2030-01-01", "--today", "2026-12-01"], "ada di masa depan", "is in the future"),
    (["new-activity", "kwt-melati", "Pelatihan pengemasan", "--date", "2026-11-20"], "kegiatan ditambahkan", "activity added"),
    (["render", "--out", "keluar", "--config", "tidak-ada.yml"], "portal render:", "portal render:"),
    (["doctor"], "hal perlu diubah sebelum situs terbit", "thing(s) to change before the site goes live"),
    (["list", "--data", "tidak-ada"], "folder tidak ada", "no such folder"),
    (["validate", "--today", "2026-13-01"], "bukan tanggal seperti 2026-12-01 atau 01/12/2026", "is not a date like 2026-12-01 or 01/12/2026"),
    (["frobnicate"], "pilihan tidak sah", "invalid choice"),
]


@pytest.mark.parametrize("argv, indonesian, english", COMMANDS, ids=[" ".join(c[0][:2]) for c in COMMANDS])
def test_every_command_speaks_indonesian_by_default_and_english_when_asked(tmp_path, monkeypatch, argv, indonesian, english):
    outputs = {}
    for language in LOCALES:
        folder = tmp_path / language
        folder.mkdir()
        project = _project(folder)
        code, out, err = run_in(language, monkeypatch, *argv, cwd=project)
        outputs[language] = (code, out + err)
    (code_id, said_id), (code_en, said_en) = outputs["id"], outputs["en"]
    assert code_id == code_en and said_id.strip()
    assert indonesian in said_id and english in said_en, (said_id, said_en)
    assert untranslated(said_id) == [], said_id


def test_every_staff_message_has_both_languages():
    """Each message of the catalogs is said in the other language by one of them (the staff tools' English
    messages in id, the site's and the report's Indonesian ones in en), with the same placeholders."""
    english, indonesian = catalogs.read("en"), catalogs.read("id")
    missing = []
    for message in indonesian:
        if not message.id or not re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|%\([a-z_]+\)[sr]", "", str(message.id))):
            continue
        other = english.get(message.id)
        if not (message.string or (other is not None and other.string)):
            missing.append(message.id)
        elif message.string and isinstance(message.id, str):
            # a value given in both languages ({side_en}, {side_id}) is said by each translation in its own
            placeholders = lambda text: sorted(re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]",  # noqa: E731
                                                          text.replace("{{", "").replace("}}", "").replace("_id}", "_en}")))
            assert placeholders(message.id) == placeholders(message.string), message.id
    assert missing == [], f"untranslated (run scripts/dev.py catalogs, then translate): {missing[:10]}"


def test_a_build_with_data_errors_says_them_in_the_language_of_the_person_building(tmp_path):
    """`mkdocs build` refuses data with errors, each line said as `validate` says it, in the locale's language."""
    from conftest import build_site
    from sitebuild import project

    folder = project(str(tmp_path), with_partners=False)
    with open(os.path.join(folder, "partners", "tanpa-nama.yml"), "w", encoding="utf-8") as fh:
        fh.write("pattern: general-trade\nside: supplier\nsummary: Ringkas.\nregion: {province: Bali}\n")
    for lang, expected in (("id_ID.UTF-8", "partners/tanpa-nama.yml:1: name: wajib diisi tetapi tidak ada"),
                           ("en_US.UTF-8", "partners/tanpa-nama.yml:1: name: is required but missing")):
        result = build_site(folder, env={"LANG": lang, "LC_ALL": "", "LANGUAGE": ""})
        assert result.returncode != 0 and expected in result.stderr, result.stderr[-2000:]
