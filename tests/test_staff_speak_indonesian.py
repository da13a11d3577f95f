"""Staff speak Indonesian to the tools: patterns, sides, kinds and provinces by their names, days as 20/11/2026."""

from __future__ import annotations

import os

import yaml

from conftest import TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.catalog import load_catalog


def test_new_takes_the_names_staff_use_and_writes_indonesian_notes(tmp_path):
    root = copy_reference_data(str(tmp_path))
    done = run_portal("--lang", "id", "new", "Kelompok Nelayan Bahari", "--pattern", "Bapak angkat", "--side", "Anak angkat",
                      "--province", "jatim", "--kind", "koperasi", "--data", root)
    assert done.returncode == 0, done.stderr.decode()
    text = open(os.path.join(root, "kelompok-nelayan-bahari.yml"), encoding="utf-8").read()
    data = yaml.safe_load(text)
    assert (data["pattern"], data["side"], data["kind"], data["region"]["province"]) == ("foster-parent", "foster-child", "cooperative", "Jawa Timur")
    notes = [line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line]
    assert "# Profil mitra." in text and "Bagian berikut boleh diisi" in text
    for english in ("Partner profile", "optional", "the other side", "staff only", "plain text"):
        assert english not in "\n".join(notes), english
    assert load_catalog(root, today=TODAY).report.ok


def test_new_in_english_names_and_a_wrong_name_says_what_it_could_be(tmp_path):
    root = copy_reference_data(str(tmp_path))
    done = run_portal("--lang", "en", "new", "Toko Kopi Lereng", "--pattern", "General trade", "--side", "Supplier", "--province", "East Java", "--data", root)
    assert done.returncode == 0, done.stderr.decode()
    assert yaml.safe_load(open(os.path.join(root, "toko-kopi-lereng.yml"), encoding="utf-8"))["side"] == "supplier"
    wrong = run_portal("--lang", "id", "new", "Toko Lain", "--pattern", "Bapak angkat", "--side", "Pembeli", "--province", "Bali", "--data", root)
    err = wrong.stderr.decode()
    assert wrong.returncode == 2 and "'Pembeli' tidak dikenali" in err and "Bapak angkat atau Anak angkat" in err, err


def test_days_are_taken_as_indonesians_write_them(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    done = run_portal("new-activity", "kwt-melati", "Pelatihan pengemasan", "--date", "20/11/2026", "--today", "01/12/2026", "--data", root)
    assert done.returncode == 0, done.stderr.decode()
    data = yaml.safe_load(open(os.path.join(root, "kwt-melati.yml"), encoding="utf-8"))
    assert {"title": "Pelatihan pengemasan", "date": __import__("datetime").date(2026, 11, 20)} in [
        {k: a[k] for k in ("title", "date")} for a in data["activities"]]
    wrong = run_portal("--lang", "id", "verified", "kwt-melati", "--date", "31/11/2026", "--data", root)
    assert wrong.returncode == 2 and "bukan tanggal seperti 2026-12-01 atau 01/12/2026" in wrong.stderr.decode()


APPLICANT = """name: {name}
pattern: general-trade
side: supplier
summary: Pendaftar dari formulir.
region: {{}}
visibility: hidden
internal:
  received: {received}
"""


def test_report_lists_the_applicants_waiting_for_an_answer_with_the_days_left(tmp_path):
    """The join page promises an answer within five working days: the report keeps that promise in view."""
    root = copy_reference_data(str(tmp_path))
    for slug, name, received in [("pendaftar-baru", "Pendaftar Baru", "2026-11-30"), ("pendaftar-lama", "Pendaftar Lama", "2026-11-20")]:
        with open(os.path.join(root, f"{slug}.yml"), "w", encoding="utf-8") as fh:
            fh.write(APPLICANT.format(name=name, received=received))
    done = run_portal("--lang", "id", "report", "--today", "2026-12-02", "--data", root, "--format", "md")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode()
    section = out.split("## Pendaftar menunggu jawaban (2)", 1)[1].split("##", 1)[0]
    assert "| pendaftar-baru | mendaftar 2026-11-30; 3 hari kerja lagi untuk menjawab |" in section, section  # Tue and Wed gone
    assert "| pendaftar-lama | mendaftar 2026-11-20; jawaban terlambat 3 hari kerja dari janji 5 hari kerja |" in section, section
    english = run_portal("--lang", "en", "report", "--today", "2026-12-02", "--data", root).stdout.decode("utf-8")
    assert "APPLICANTS WAITING FOR AN ANSWER (2)" in english and "3 working day(s) left to answer" in english, english


OWN_FORM = (
    "Timestamp,Nama Organisasi,Alamat surel,Provinsi,Jenis kemitraan yang diminati,Ceritakan usaha Anda\n"
    "2026/11/20 09:15:02,PT Pangan Raya Nusantara,pangan@contoh.id,Jawa Timur,Bapak angkat (kami perusahaan besar),Pabrik pengolahan ikan.\n"
    "2026/11/21 10:02:40,Koperasi Nelayan Bahari,bahari@contoh.id,Sulawesi Selatan,Anak angkat (usaha kecil),Menangkap ikan.\n"
    "2026/11/22 11:00:00,Toko Kopi Lereng,kopi@contoh.id,Jawa Timur,Keagenan,Menjual kopi.\n"
)


def test_a_form_with_its_own_titles_is_mapped_by_its_answers_and_imported_as_written(tmp_path):
    """'Jenis kemitraan yang diminati' reads like a kind of organisation, but its answers name patterns: --map
    makes it the pattern column, and the answers that name a side give the side too."""
    root = copy_reference_data(str(tmp_path))
    export = os.path.join(str(tmp_path), "jawaban.csv")
    with open(export, "w", encoding="utf-8") as fh:
        fh.write(OWN_FORM)
    mapping = os.path.join(str(tmp_path), "pemetaan.yml")
    done = run_portal("--lang", "id", "import", export, "--map", "--map-out", mapping, "--data", root)
    assert done.returncode == 0, done.stderr.decode()
    written = yaml.safe_load(open(mapping, encoding="utf-8"))
    assert written["fields"]["pattern"] == ["Jenis kemitraan yang diminati"] and "kind" not in written["fields"], written["fields"]
    done = run_portal("--lang", "id", "import", export, "--mapping", mapping, "--data", root, "--today", "2026-12-01")
    catalog = load_catalog(root, today=TODAY)
    got = {slug: (rec.data.pattern, rec.data.side) for slug, rec in catalog.partners.items()}
    assert got["pt-pangan-raya-nusantara"] == ("foster-parent", "foster-parent"), (got, done.stdout.decode())
    assert got["koperasi-nelayan-bahari"] == ("foster-parent", "foster-child"), got
    assert got["toko-kopi-lereng"][0] == "agency", got


def test_import_warns_of_an_export_git_would_commit_and_the_repository_ignores_them_in_its_root(tmp_path):
    import shutil
    import subprocess

    from conftest import ROOT

    project = tmp_path / "proyek"
    project.mkdir()
    root = copy_reference_data(str(project))
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    export = project / "jawaban.csv"
    export.write_text(OWN_FORM, encoding="utf-8")
    done = run_portal("--lang", "id", "import", str(export), "--dry-run", "--data", root, "--today", "2026-12-01")
    assert "data pribadi pendaftar bisa ikut di-commit" in done.stderr.decode(), done.stderr.decode()
    shutil.copy(os.path.join(ROOT, ".gitignore"), project / ".gitignore")  # the portal's own: root exports ignored
    done = run_portal("--lang", "id", "import", str(export), "--dry-run", "--data", root, "--today", "2026-12-01")
    assert "di-commit" not in done.stderr.decode(), done.stderr.decode()
