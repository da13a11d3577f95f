"""Partner care: the verification loop (verify, verified, report), activities added in place, corrections."""

from __future__ import annotations

import difflib
import email
import email.policy
import os

import yaml

from conftest import DEMO, ROOT, TODAY, copy_reference_data, run_portal

CONFIG = os.path.join(DEMO, "mkdocs.yml")


def run(*args):
    result = run_portal(*args)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def tree(tmp_path) -> str:
    return copy_reference_data(str(tmp_path), with_partners=True)


def read(path) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def changed_lines(before: str, after: str) -> list[str]:
    return [l for l in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]


def test_verify_writes_a_message_per_due_profile_as_eml_and_one_mail_merge_csv(tmp_path):
    root = tree(tmp_path)
    code, out, err = run("verify", "--data", root, "--config", CONFIG, "--today", TODAY.isoformat())
    assert code == 0, out + err
    folder = os.path.join(os.path.dirname(root), "outbox", f"verify-{TODAY.isoformat()}")  # beside the data, never in it
    names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    due = ["energi-nusa-peduli", "kelompok-mina-lestari", "yayasan-usaha-mikro-sulsel"]
    # kelompok-ternak-sejahtera has no address but a mobile number: asked on WhatsApp; ud-tembakau-sindoro has
    # a landline only: called (calls.txt), never sent a draft without a recipient (test_staff_tools.py)
    assert names == sorted([f"{s}.eml" for s in due] + ["calls.txt", "mail-merge.csv", "whatsapp.txt"])
    assert read(os.path.join(folder, ".gitignore")).splitlines()[-1] == "*"  # contact details never committed
    assert not os.path.exists(os.path.join(root, ".outbox")) and not os.path.exists(os.path.join(root, ".gitignore"))
    # Exactly the headers built, read back as a mail program reads them: no header hides in a name.
    for name in names:
        if name.endswith(".eml"):
            with open(os.path.join(folder, name), "rb") as fh:
                parsed = email.message_from_binary_file(fh, policy=email.policy.default)
            assert [k for k in parsed.keys() if k not in ("To",)] == ["From", "Subject", "Date", "Message-ID", "X-Unsent", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"]
    with open(os.path.join(folder, "energi-nusa-peduli.eml"), "rb") as fh:
        mail = email.message_from_binary_file(fh, policy=email.policy.default)
    assert mail["To"] == "PT Energi Nusa Peduli <pkbl@energinusa.example.com>"
    assert mail["From"].addresses[0].addr_spec == "kemitraan@example.org"
    assert mail["Subject"] == "Mohon periksa profil PT Energi Nusa Peduli di situs Portal Kemitraan"
    assert mail["X-Unsent"] == "1"
    body = mail.get_content()
    assert "https://example.github.io/portal-kemitraan/partners/energi-nusa-peduli/" in body
    assert "Pola kemitraan: Bapak angkat – anak angkat, Bapak angkat" in body
    assert "Terakhir diperiksa: 1 Februari 2026" in body and "Sudah benar" in body
    partner = yaml.safe_load(read(os.path.join(root, "energi-nusa-peduli.yml")))
    for value in partner["internal"].values():  # staff notes never go out
        if isinstance(value, str) and len(value) > 3:
            assert value not in body
    # Hidden prospects and profiles checked recently get nothing.
    assert "pt-sayur-sehat-bali" not in out and "koperasi-tani-sumber-rejeki" not in out
    merge = read(os.path.join(folder, "mail-merge.csv"))
    assert merge.startswith("\ufeffslug,name,to_name,to_email,to_whatsapp,whatsapp_link,subject,body,page,last_verified,to_phone")
    assert merge.count("\nenergi-nusa-peduli,") == 1


def test_verify_in_english_with_a_prefilled_correction_form(tmp_path):
    root = tree(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(read(CONFIG).replace(
        "    organisation: Portal Kemitraan\n",
        "    organisation: Portal Kemitraan\n    correction_form:\n      url: https://docs.google.com/forms/d/e/FORM/viewform\n"
        "      fields: {slug: entry.111, name: entry.222}\n"), encoding="utf-8")
    code, out, err = run("verify", "--data", root, "--config", config, "--today", TODAY.isoformat(), "--lang", "en", "--days", "30")
    assert code == 0, out + err
    with open(os.path.join(os.path.dirname(root), "outbox", f"verify-{TODAY.isoformat()}", "kelompok-mina-lestari.eml"), "rb") as fh:
        mail = email.message_from_binary_file(fh, policy=email.policy.default)
    body = mail.get_content()
    assert mail["Subject"].startswith("Please check the profile of")
    assert "https://example.github.io/portal-kemitraan/en/partners/kelompok-mina-lestari/" in body
    assert "https://docs.google.com/forms/d/e/FORM/viewform?usp=pp_url&entry.111=kelompok-mina-lestari&entry.222=" in body
    assert "Pola" not in body  # every label in English


def test_verify_dry_run_writes_nothing(tmp_path):
    root = tree(tmp_path)
    before = sorted(os.listdir(root))
    code, out, err = run("verify", "--data", root, "--config", CONFIG, "--today", TODAY.isoformat(), "--dry-run")
    assert code == 0 and "energi-nusa-peduli: last checked 2026-02-01; to pkbl@energinusa.example.com" in out
    assert sorted(os.listdir(root)) == before


def test_verified_records_the_date_in_place_keeping_every_other_byte(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "energi-nusa-peduli.yml")
    before = read(path)
    code, out, err = run("verified", "energi-nusa-peduli", "--date", "2026-11-20", "--data", root)
    assert code == 0, out + err
    after = read(path)
    assert changed_lines(before, after) == ["-last_verified: 2026-02-01", "+last_verified: 2026-11-20"]
    assert after == before.replace("last_verified: 2026-02-01", "last_verified: 2026-11-20")  # every other byte
    assert after.count("#") == before.count("#") == 3  # the comments among them
    code, out, err = run("report", "--data", root, "--today", TODAY.isoformat(), "--format", "json")
    assert code == 0, out + err
    import json

    report = json.loads(out)
    assert report["due_for_check"] == 4 and "energi-nusa-peduli" not in [i["slug"] for i in report["attention"]["due"]]


def test_verified_adds_the_line_where_it_belongs_when_missing(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "toko-tani-berkah.yml")
    text = read(path).replace("last_verified: 2026-10-05\n", "")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    code, out, err = run("verified", "toko-tani-berkah", "--data", root)
    assert code == 0, out + err
    after = read(path)
    assert changed_lines(text, after)[0].startswith("+last_verified: ")
    assert after.index("since:") < after.index("last_verified:") < after.index("visibility:")


def test_verified_refuses_a_future_date_an_unknown_slug_and_a_date_before_joining(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "energi-nusa-peduli.yml")
    before = read(path)
    code, _, err = run("verified", "energi-nusa-peduli", "--date", "2999-01-01", "--data", root)
    assert code == 2
    code, _, err = run("verified", "tidak-ada", "--data", root)
    assert code == 2 and "no partner 'tidak-ada'" in err
    code, out, err = run("verified", "energi-nusa-peduli", "--date", "1850-01-01", "--data", root)
    assert code == 2 and read(path) == before


def test_new_activity_is_appended_to_the_list_in_place(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "koperasi-tani-sumber-rejeki.yml")
    before = read(path)
    code, out, err = run("new-activity", "koperasi-tani-sumber-rejeki", 'Rapat "evaluasi": panen raya', "--date", "2026-11-20",
                         "--summary", "Dua puluh anggota hadir.", "--data", root)
    assert code == 0, out + err
    after = read(path)
    assert changed_lines(before, after) == [
        '+  - title: "Rapat \\"evaluasi\\": panen raya"', "+    date: 2026-11-20", '+    summary: "Dua puluh anggota hadir."',
    ]
    data = yaml.safe_load(after)
    assert data["activities"][-1] == {"title": 'Rapat "evaluasi": panen raya', "date": __import__("datetime").date(2026, 11, 20), "summary": "Dua puluh anggota hadir."}
    assert run("validate", "--data", root)[0] == 0


def test_new_activity_starts_the_list_when_there_is_none(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "toko-tani-berkah.yml")
    before = read(path)
    assert "activities" not in before
    code, out, err = run("new-activity", "toko-tani-berkah", "Kunjungan ke 40 kios", "--date", "2026-11-02", "--data", root)
    assert code == 0, out + err
    after = read(path)
    assert changed_lines(before, after) == ["+activities:", '+  - title: "Kunjungan ke 40 kios"', "+    date: 2026-11-02"]
    assert run("validate", "--data", root)[0] == 0


def test_new_activity_refuses_what_validate_would_refuse_and_writes_nothing(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "toko-tani-berkah.yml")
    before = read(path)
    code, out, err = run("new-activity", "toko-tani-berkah", "Judul\u202enakal", "--data", root)
    assert code == 1 and "activities[0].title: contains the invisible direction control U+202E" in out and read(path) == before
    code, out, err = run("new-activity", "toko-tani-berkah", "  ", "--data", root)
    assert code == 2 and read(path) == before


def test_profile_correction_opens_the_prefilled_form_with_the_address_beside_it():
    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.core.settings import Settings
    from portal_kemitraan.render.pages import SitePlan
    from conftest import DATA

    site = build_public_site(load_catalog(DATA, today=TODAY), TODAY)
    form = {"url": "https://docs.google.com/forms/d/e/FORM/viewform", "fields": {"slug": "entry.111", "name": "entry.222", "address": "entry.333"}}
    plan = SitePlan(site, Settings.from_extra({"portal": {"correction_form": form}}), site_url="https://contoh.id/")
    html = plan.render("partners/kwt-melati.md", "partners/kwt-melati/")
    href = ("https://docs.google.com/forms/d/e/FORM/viewform?usp=pp_url&amp;entry.111=kwt-melati&amp;entry.222=Kelompok%20Wanita%20Tani%20Melati"
            "&amp;entry.333=https%3A%2F%2Fcontoh.id%2Fpartners%2Fkwt-melati%2F")
    assert html.count(f'<a class="md-button" href="{href}" data-correction="kwt-melati">') == 2
    # The prefilled e-mail is written out once, beside the first button (the second closes the profile).
    assert html.count('Atau tulis ke <a href="mailto:kemitraan@example.org?subject=') == 1
    assert html.count(">kemitraan@example.org</a>.") == 1
    # Without a form, the button is the prefilled e-mail, and the address is still written out beside it,
    # linked alone (the button right above it holds the subject and the text).
    plain = SitePlan(site, Settings()).render("partners/kwt-melati.md", "partners/kwt-melati/")
    assert plain.count('<a class="md-button" href="mailto:kemitraan@example.org?subject=') == 2
    assert plain.count('Atau tulis ke <a href="mailto:kemitraan@example.org">kemitraan@example.org</a>.') == 1
