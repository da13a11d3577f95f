"""Corrections as partners really write them: words no field takes, a row with a name but no code, "all correct"."""

from __future__ import annotations

import os

import yaml

from conftest import copy_reference_data, run_portal

EXPORT = (
    "Cap waktu,Kode profil,Nama lembaga yang benar,Kota/kabupaten,Catatan lain\n"
    '25/11/2026 10:00:00,kwt-melati,,,"Jumlah anggota sekarang 31 keluarga, bukan 25."\n'
    "26/11/2026 14:30:00,,Koperasi Tani Sumber Rejeky,Kabupaten Garut,\n"
    "27/11/2026 09:10:00,bumdes-makmur-bersama,,,Sudah benar semua\n"
    "28/11/2026 08:00:00,,Mitra Yang Tidak Ada Sama Sekali,Kota Entah,\n"
)


def _run(tmp_path, *extra):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = os.path.join(str(tmp_path), "koreksi.csv")
    with open(export, "w", encoding="utf-8") as fh:
        fh.write(EXPORT)
    done = run_portal("--lang", "id", "corrections", export, "--data", root, "--today", "2026-12-01", *extra)
    return root, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_every_answer_is_shown_and_a_bad_row_stops_no_other(tmp_path):
    root, code, out, err = _run(tmp_path)
    # the partner's own words, which no field of the mapping takes
    assert "kwt-melati" in out and "Jumlah anggota sekarang 31 keluarga, bukan 25." in out, out
    # a row with the name (one letter off) and no code finds its partner, says how, and its change is shown
    assert "Koperasi Tani Sumber Rejeky" in out and "koperasi-tani-sumber-rejeki" in out, out
    assert 'region.city: "Kabupaten Bandung Barat" -> "Kabupaten Garut"' in out, out
    # "all correct" is heard
    assert "bumdes-makmur-bersama" in out and "profil sudah benar" in out, out
    # a name that names nobody is one row's problem, not the run's end
    assert "Mitra Yang Tidak Ada Sama Sekali" in out and code == 1, out + err


def test_apply_records_the_confirmation_and_the_changes(tmp_path):
    root, code, out, err = _run(tmp_path, "--apply")
    sumber = yaml.safe_load(open(os.path.join(root, "koperasi-tani-sumber-rejeki.yml"), encoding="utf-8"))
    assert sumber["region"]["city"] == "Kabupaten Garut" and str(sumber["last_verified"]) == "2026-11-26"
    bumdes = yaml.safe_load(open(os.path.join(root, "bumdes-makmur-bersama.yml"), encoding="utf-8"))
    assert str(bumdes["last_verified"]) == "2026-11-27", out  # "Sudah benar semua" on 27/11
    melati = open(os.path.join(root, "kwt-melati.yml"), encoding="utf-8").read()
    assert "31 keluarga" not in melati  # words are for staff to read, never written into the file


def test_a_huge_or_odd_name_without_a_code_is_one_rows_problem(tmp_path):
    """A name of thousands of characters, or of control and direction characters, is never compared at length:
    its row is reported and the other rows are read as before."""
    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = os.path.join(str(tmp_path), "koreksi.csv")
    with open(export, "w", encoding="utf-8") as fh:
        fh.write(EXPORT + "29/11/2026 08:00:00,," + "Koperasi " * 600 + ",Kota,\n" + "30/11/2026 08:00:00,,\u202eKWT\u0007 Melati,Kota,\n")
    done = run_portal("--lang", "en", "corrections", export, "--data", root, "--today", "2026-12-01")
    out = done.stdout.decode("utf-8")
    assert b"Traceback" not in done.stderr and "names no pattern, side, province or kind" in out, out
    assert ":6: name:" in out and ":7: name:" in out and "\u202e" not in out and "\x07" not in out, out
    assert "bumdes-makmur-bersama" in out  # the rows before them still read
