"""The intake form as an XLSForm (`portal form`): converted by pyxform as KoboToolbox and ODK do, its choices the
data's own ids, and its exports (KoboToolbox with XML names or labels, ODK Central) imported with no mapping."""

from __future__ import annotations

import os

import openpyxl
import pytest
import yaml

from conftest import TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.reference import provinces


def run(*args):
    result = run_portal(*args)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.fixture
def data(tmp_path):
    return copy_reference_data(str(tmp_path / "repo"), with_partners=True)


def write_form(data, tmp_path) -> str:
    out = str(tmp_path / "formulir.xlsx")
    code, stdout, stderr = run("form", "--data", data, "-o", out, "--today", TODAY.isoformat())
    assert code == 0, stdout + stderr
    return out


def sheet_rows(book, name) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_form_converts_as_kobotoolbox_and_odk_convert_it(data, tmp_path):
    from pyxform.xls2xform import convert

    path = write_form(data, tmp_path)
    warnings: list = []
    xform = convert(xlsform=path, validate=False, warnings=warnings).xform
    assert warnings == []
    # Required questions, the partner model's limits, the side filtered by the pattern chosen.
    assert 'nodeset="/data/lembaga/nama_lembaga" required="true()"' in xform.replace(" type=\"string\"", "")
    assert "string-length(.) &lt;= 280" in xform and "string-length(.) &lt;= 200" in xform
    assert "/data/kemitraan/pola" in xform and "choice_filter" not in xform  # pyxform turns the filter into XPath
    # Both languages, Indonesian first.
    assert 'lang="Indonesian (id)" default="true()"' in xform and 'lang="English (en)"' in xform
    again = str(tmp_path / "lagi.xlsx")
    assert run("form", "--data", data, "-o", again, "--today", TODAY.isoformat())[0] == 0
    assert open(path, "rb").read() == open(again, "rb").read()  # the same data gives the same file


def test_every_choice_is_an_id_of_the_data(data, tmp_path):
    catalog = load_catalog(data, today=TODAY)
    book = openpyxl.load_workbook(write_form(data, tmp_path), read_only=True)
    choices = sheet_rows(book, "choices")
    of = lambda name: [c["name"] for c in choices if c["list_name"] == name]  # noqa: E731
    assert of("pola") == list(catalog.patterns)
    for pid, pattern in catalog.patterns.items():
        assert [c["name"] for c in choices if c["list_name"] == "pihak" and c["pola"] == pid] == [s.id for s in pattern.sides]
    assert of("provinsi") == [p["id"] for p in provinces()] and len(of("provinsi")) == 38
    assert set(of("jenis")) == {"individual", "community-group", "cooperative", "business", "ngo", "government", "education", "media", "other"}
    labels = {c["name"]: c["label::Indonesian (id)"] for c in choices if c["list_name"] == "pola"}
    assert labels["foster-parent"] == catalog.patterns["foster-parent"].name.id  # shown by name, stored as the id
    assert sheet_rows(book, "settings")[0]["default_language"] == "Indonesian (id)"


def test_a_pattern_added_as_a_file_is_in_the_next_form(data, tmp_path):
    with open(os.path.join(data, "patterns", "general-trade.yml"), encoding="utf-8") as fh:
        text = fh.read()
    with open(os.path.join(data, "patterns", "titip-jual.yml"), "w", encoding="utf-8") as fh:
        fh.write(text.replace("order:", "order: 99 #", 1) if "order:" in text else text)
    book = openpyxl.load_workbook(write_form(data, tmp_path), read_only=True)
    assert "titip-jual" in [c["name"] for c in sheet_rows(book, "choices") if c["list_name"] == "pola"]


KOBO_XML = """start;end;lembaga/nama_lembaga;lembaga/jenis;lembaga/sektor;lembaga/provinsi;lembaga/kota;lembaga/ringkasan;lembaga/situs_web;pengaju/nama_pengaju;pengaju/mewakili;pengaju/peran;pengaju/surel;pengaju/whatsapp;pengaju/izin_tampil;kemitraan/pola;kemitraan/pihak;kemitraan/tawaran;kemitraan/perkiraan;kemitraan/jangka;kemitraan/kenal;_id;_uuid;_submission_time;_validation_status;_notes;_status;_submitted_by;__version__;_tags;_index
2026-11-20T08:01:00.000+07:00;2026-11-20T08:09:12.000+07:00;Kelompok Nelayan Teluk Biru;community-group;perikanan, ikan asin;sulawesi-tengah;Kabupaten Donggala;Kelompok nelayan kecil yang mengeringkan ikan asin dan mencari pembeli tetap.;;Hasan Lamato;kelompok;Ketua kelompok;hasan@contoh.id;0812 7000 1234;ya;foster-parent;foster-child;Pasokan ikan asin bulanan bagi pengolah.;Dua hari sebulan;berjangka;;101;6f1c2a9e-0b8a-4f5e-9a61-1d2c3b4a5e60;2026-11-20T01:09:20;;[];submitted_via_web;;vQ7k;[];1
2026-11-21T10:00:00.000+07:00;2026-11-21T10:12:40.000+07:00;CV Rempah Wangi;business;rempah;jawa-timur;Kota Malang;Pengolah rempah bubuk yang mencari agen di kota-kota Jawa Timur.;https://rempahwangi.example.id;Dewi Anggraini;lembaga;Pemilik;dewi@contoh.id;;tidak;agency;principal;Produk rempah bubuk untuk dijual agen.;;sekali;Bu Sari;102;0c8d7b6a-5f4e-4d3c-8b2a-19e8d7c6b5a4;2026-11-21T03:12:55;;[];submitted_via_web;;vQ7k;[];2
"""

KOBO_LABELS = """Lembaga Anda/Nama lembaga atau usaha,Lembaga Anda/Jenis lembaga,Lembaga Anda/Provinsi,Lembaga Anda/Ringkasan,Tentang Anda/Nama Anda,Tentang Anda/Surel,Tentang Anda/Boleh nama dan kontak Anda ditampilkan di profil lembaga di situs?,Kemitraan yang ditawarkan/Pola yang diminati,Kemitraan yang ditawarkan/Peran Anda dalam pola itu,Kemitraan yang ditawarkan/Bentuk kerja sama yang ditawarkan dan manfaatnya,_id,_uuid,_submission_time
Koperasi Kopi Puncak,Koperasi,Jawa Barat,Koperasi petani kopi yang mencari pembeli biji kopi hijau.,Asep Sunarya,asep@contoh.id,Ya,Dagang umum,Pemasok,Biji kopi hijau 2 ton sebulan.,201,5b6a7c8d-1e2f-4a3b-9c8d-7e6f5a4b3c2d,2026-11-22T02:00:00
"""

ODK_CENTRAL = """SubmissionDate,lembaga-nama_lembaga,lembaga-provinsi,lembaga-ringkasan,pengaju-nama_pengaju,pengaju-surel,pengaju-izin_tampil,kemitraan-pola,kemitraan-pihak,kemitraan-tawaran,meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion
2026-11-23T04:05:06.789Z,Kelompok Tenun Sekar,nusa-tenggara-timur,Kelompok penenun ikat yang mencari pelatihan dan pasar.,Maria Ina,maria@contoh.id,tidak,operational-cooperation,partner-group,Kain tenun untuk diolah bersama.,uuid:1a2b3c4d,uuid:1a2b3c4d,7,kolektor,0,0,,received,,0,vQ7k
"""


def imported(root, slug):
    with open(os.path.join(root, f"{slug}.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("name, text, expected", [
    ("kobo-xml.csv", KOBO_XML, {"kelompok-nelayan-teluk-biru": ("foster-parent", "foster-child", "Sulawesi Tengah", True, "2026-11-20"),
                                "cv-rempah-wangi": ("agency", "principal", "Jawa Timur", False, "2026-11-21")}),
    ("kobo-labels.csv", KOBO_LABELS, {"koperasi-kopi-puncak": ("general-trade", "supplier", "Jawa Barat", True, "2026-11-22")}),
    ("odk-central.csv", ODK_CENTRAL, {"kelompok-tenun-sekar": ("operational-cooperation", "partner-group", "Nusa Tenggara Timur", False, "2026-11-23")}),
])  # fmt: skip
def test_an_export_of_the_form_imports_with_no_mapping(data, tmp_path, name, text, expected):
    """KoboToolbox's CSV (XML names with group prefixes, or labels; its metadata columns) and ODK Central's:
    `import` with the standard mapping, each row a hidden draft with its pattern, side and province, the
    date received, the applicant's consent as answered, and no server metadata among the answers."""
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    code, out, err = run("import", str(export), "--data", data, "--today", TODAY.isoformat())
    assert code == 0, out + err
    assert "_validation_status" not in out + err and "SubmitterID" not in out + err  # not answers: never listed
    for slug, (pattern, side, province, consent, received) in expected.items():
        partner = imported(data, slug)
        assert (partner["pattern"], partner["side"], partner["region"]["province"]) == (pattern, side, province)
        assert partner["visibility"] == "hidden"
        assert partner["contact"]["person"]["consent"] is consent
        assert partner["internal"]["received"] == received
        screening = partner["internal"]["screening"]
        assert not any(key in screening for key in ("_submission_time", "_validation_status", "__version__", "SubmitterID", "ReviewState"))
    assert load_catalog(data, today=TODAY).report.ok
    if name == "kobo-xml.csv":
        nelayan = imported(data, "kelompok-nelayan-teluk-biru")
        assert nelayan["contact"]["person"]["whatsapp"] == "0812 7000 1234"
        assert nelayan["internal"]["screening"]["_uuid"] == "6f1c2a9e-0b8a-4f5e-9a61-1d2c3b4a5e60"  # to find it again in KoboToolbox
        assert nelayan["kind"] == "community-group" and nelayan["sectors"] == ["perikanan", "ikan asin"]
