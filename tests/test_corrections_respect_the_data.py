"""Corrections from the public form change only what they may: never a partner the site does not list, the
newest answer per field by its timestamp, never a value reached through an alias or a list's comments, and
every other byte kept; every problem of the export is a line, never a traceback."""

import os

from conftest import TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.catalog import load_catalog

HEADER = "Cap waktu,Kode profil,Kota/kabupaten,Deskripsi,Sektor,Ringkasan\n"


def _run(*args):
    result = run_portal(*args)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def _export(tmp_path, rows: str, name="koreksi.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return str(path)


def _partner(root, slug, text):
    with open(os.path.join(root, f"{slug}.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    return os.path.join(root, f"{slug}.yml")


def test_a_hidden_or_unlisted_partner_is_never_changed_from_the_public_form(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    hidden = _partner(root, "pelamar-rahasia", "name: Pelamar Rahasia\npattern: agency\nside: agent\nsummary: Pelamar.\n"
                      "region: {province: Bali}\nvisibility: hidden\ncontact: {email: asli@pelamar.id}\n")
    before = open(hidden, encoding="utf-8").read()
    export = _export(tmp_path, "2026/11/20 10:00:00,pelamar-rahasia,Kota Palsu,,,Ringkasan palsu\n")
    code, out, err = _run("corrections", export, "--apply", "--data", root, "--today", TODAY.isoformat())
    assert code == 1
    assert f"{export}:2: slug: pelamar-rahasia is hidden: the public form does not change it" in out
    assert open(hidden, encoding="utf-8").read() == before


def test_the_newest_answer_wins_by_its_timestamp_and_the_older_is_shown_as_superseded(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = _export(tmp_path, "2026/11/24 16:30:00,kwt-melati,Kabupaten Bantul,,,\n"  # the newest, listed first
                                "2026/11/24 09:15:00,kwt-melati,Kabupaten Kulon Progo,,,\n")
    code, out, err = _run("corrections", export, "--apply", "--data", root, "--today", TODAY.isoformat())
    assert code == 0, out + err
    assert f"{export}:3: region.city: note: superseded by the newer answer on line 2" in out
    catalog = load_catalog(root, today=TODAY)
    assert catalog.partners["kwt-melati"].data.region.city == "Kabupaten Bantul"


def test_a_block_description_is_replaced_whole_and_the_next_field_kept(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = os.path.join(root, "kwt-melati.yml")
    before = open(path, encoding="utf-8").read()
    assert "description: |" in before
    export = _export(tmp_path, '2026/11/24 16:30:00,kwt-melati,,"Deskripsi baru yang benar.",,\n')
    code, out, err = _run("corrections", export, "--apply", "--data", root, "--today", TODAY.isoformat())
    assert code == 0, out + err
    after = open(path, encoding="utf-8").read()
    assert 'description: "Deskripsi baru yang benar."\n' in after
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    old = load_catalog(copy_reference_data(str(tmp_path / "old"), with_partners=True), today=TODAY).partners["kwt-melati"].data
    new = catalog.partners["kwt-melati"].data
    assert new.description == "Deskripsi baru yang benar." and new.activities == old.activities and new.internal == old.internal


def test_an_alias_from_internal_and_a_list_with_comments_are_left_for_staff(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = _partner(root, "mitra-alias", "internal:\n  catatan_kota: &kota Denpasar\nname: Mitra Alias\npattern: agency\nside: agent\n"
                    "summary: Mitra dengan alias.\nregion:\n  province: Bali\n  city: *kota\nsectors:\n  - kopi  # yang utama\n  - teh\n")
    assert load_catalog(root, today=TODAY).report.ok
    before = open(path, encoding="utf-8").read()
    export = _export(tmp_path, "2026/11/24 16:30:00,mitra-alias,Badung,,\"kopi, teh, cokelat\",\n")
    code, out, err = _run("corrections", export, "--apply", "--only", "mitra-alias:region.city", "--data", root, "--today", TODAY.isoformat())
    assert code == 1 and "region.city: is written as an alias (*name) of a value elsewhere in the file; edit it by hand" in out, out + err
    code, out, err = _run("corrections", export, "--apply", "--only", "mitra-alias:sectors", "--data", root, "--today", TODAY.isoformat())
    assert code == 1 and "sectors: is a list with comments in it; edit it by hand" in out, out + err
    assert open(path, encoding="utf-8").read() == before  # internal.catatan_kota and the comment as they were


def test_a_huge_answer_and_broken_quoting_are_lines_and_the_other_rows_still_count(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = _export(tmp_path, "2026/11/24 10:00:00,kwt-melati,Kabupaten Bantul,,,\n"
                                f"2026/11/24 11:00:00,kwt-melati,,{'x' * 200_000},,\n"
                                '2026/11/24 12:00:00,kwt-melati,"Kota "Yogya,,,\n')
    code, out, err = _run("corrections", export, "--data", root, "--today", TODAY.isoformat())
    assert code == 1 and "Traceback" not in out + err
    assert f"{export}:3: row: an answer is longer than 20,000 characters" in out
    assert f"{export}:4: row: cannot be read as CSV" in out
    assert '  region.city: "Kabupaten Sleman" -> "Kabupaten Bantul"' in out
