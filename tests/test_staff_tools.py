"""The staff tools on real-shaped data: WhatsApp as a contact (file, profile, verification), agreement drafts,
a profile's facts, an organisation's own form imported through its mapping, and corrections applied in place."""

from __future__ import annotations

import csv
import io
import os
import urllib.parse

from conftest import DEMO, ROOT, TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.core.settings import Settings
from portal_kemitraan.render.pages import SitePlan

CONFIG = os.path.join(DEMO, "mkdocs.yml")

PHONE_ONLY = """name: Kelompok Tani Hutan Wana Lestari
pattern: foster-parent
side: foster-child
summary: Kelompok tani hutan yang menanam kopi di bawah tegakan dan menjual biji kopi kering.
region: {province: Jawa Barat, city: Kabupaten Bandung}
contact:
  whatsapp: "0812-3456-7890"
  person:
    name: Pak Dadang
    whatsapp: "+62 813 1111 2222"
    consent: false
since: 2025-01-10
last_verified: 2025-01-10
"""


def run(*args):
    result = run_portal(*args)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def data_with(tmp_path, name: str, text: str) -> str:
    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, f"{name}.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    return root


def test_whatsapp_takes_an_indonesian_mobile_number_and_refuses_others_with_their_line(tmp_path):
    root = data_with(tmp_path, "kth-wana-lestari", PHONE_ONLY.replace('"0812-3456-7890"', '"022 555 0142"'))
    code, out, err = run("validate", "--data", root)
    assert code == 1
    assert "partners/kth-wana-lestari.yml:7: contact.whatsapp: must be an Indonesian mobile number (WhatsApp)" in out + err
    root = data_with(tmp_path / "ok", "kth-wana-lestari", PHONE_ONLY)
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    assert catalog.partners["kth-wana-lestari"].data.contact.whatsapp == "+6281234567890"  # stored one way


def test_the_profile_links_the_whatsapp_chat_and_keeps_an_unconsented_persons_number_out(tmp_path):
    root = data_with(tmp_path, "kth-wana-lestari", PHONE_ONLY)
    site = build_public_site(load_catalog(root, today=TODAY), TODAY, parallel=False)
    body = SitePlan(site, Settings()).render("partners/kth-wana-lestari.md", "partners/kth-wana-lestari/")
    assert 'href="https://wa.me/6281234567890"' in body and "WhatsApp +62 812 3456 7890" in body
    assert "8131111" not in body and "Pak Dadang" not in body  # the person did not agree to be shown
    partner = next(p for p in site.pages if p.slug == "kth-wana-lestari")
    assert partner.contact["whatsapp"] == "+6281234567890" and partner.contact["person"] is None


def test_verify_asks_a_phone_only_partner_on_whatsapp_with_the_message_typed_in(tmp_path):
    root = data_with(tmp_path, "kth-wana-lestari", PHONE_ONLY)
    code, out, err = run("verify", "--data", root, "--config", CONFIG, "--today", TODAY.isoformat())
    assert code == 0, out + err
    assert "kth-wana-lestari: last checked 2025-01-10; to WhatsApp +6281311112222 (whatsapp.txt)" in out
    folder = os.path.join(os.path.dirname(root), "outbox", f"verify-{TODAY.isoformat()}")
    names = os.listdir(folder)
    assert "kth-wana-lestari.eml" not in names and "whatsapp.txt" in names  # no draft without a recipient
    assert "energi-nusa-peduli.eml" in names  # partners with an address still get an e-mail draft
    with open(os.path.join(folder, "whatsapp.txt"), encoding="utf-8") as fh:
        listing = fh.read()
    # Staff may write to the contact person even before they consent to be shown: the person's number first.
    assert "Kelompok Tani Hutan Wana Lestari (kth-wana-lestari)\nPak Dadang: +62 813 1111 2222\nhttps://wa.me/6281311112222?text=" in listing
    link = listing.split("https://wa.me/6281311112222?text=", 1)[1].split("\n", 1)[0]
    message = urllib.parse.unquote(link)
    assert message.startswith("Mohon periksa profil Kelompok Tani Hutan Wana Lestari")
    assert "https://example.github.io/portal-kemitraan/partners/kth-wana-lestari/" in message
    assert 'balas pesan ini dengan "Sudah benar"' in message and "surel ini" not in message  # worded for a chat
    with open(os.path.join(folder, "mail-merge.csv"), encoding="utf-8-sig") as fh:
        rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(fh.read()))}
    assert rows["kth-wana-lestari"]["to_whatsapp"] == "+6281311112222" and rows["kth-wana-lestari"]["whatsapp_link"].startswith("https://wa.me/")
    assert rows["energi-nusa-peduli"]["to_whatsapp"] == "" and rows["energi-nusa-peduli"]["to_email"]


LANDLINE_ONLY = PHONE_ONLY.replace('  whatsapp: "0812-3456-7890"\n', '  phone: "022 555 0100"\n').replace('    whatsapp: "+62 813 1111 2222"\n', "")


def test_verify_puts_a_partner_without_address_or_mobile_on_the_call_list_never_in_a_draft(tmp_path):
    """A landline only: the call list has the number and the words to read out; no .eml without a recipient."""
    root = data_with(tmp_path, "kth-wana-lestari", LANDLINE_ONLY)
    code, out, err = run("--lang", "en", "verify", "--data", root, "--config", CONFIG, "--today", TODAY.isoformat())
    assert code == 0, out + err
    assert "kth-wana-lestari: last checked 2025-01-10; to a call to +62225550100 (calls.txt)" in out, out
    folder = os.path.join(os.path.dirname(root), "outbox", f"verify-{TODAY.isoformat()}")
    names = os.listdir(folder)
    assert "kth-wana-lestari.eml" not in names and "calls.txt" in names and "energi-nusa-peduli.eml" in names
    listing = open(os.path.join(folder, "calls.txt"), encoding="utf-8").read()
    assert listing.startswith("Kelompok Tani Hutan Wana Lestari (kth-wana-lestari)\nPak Dadang: +62 22 555 0100\n"), listing[:200]
    assert "https://example.github.io/portal-kemitraan/partners/kth-wana-lestari/" in listing and "kepada staf yang menelepon" in listing
    assert "surel ini" not in listing and "balas pesan ini" not in listing  # worded for a call
    assert "call(s) to make (calls.txt)" in err, err
    for name in names:  # every draft has its recipient
        if name.endswith(".eml"):
            head = open(os.path.join(folder, name), encoding="utf-8", errors="replace").read().split("\n\n", 1)[0]
            assert any(line.startswith("To:") and "@" in line for line in head.splitlines()), name


# --- an agreement between the right parties ------------------------------------------------------------


def mou(*args, cwd=None):
    result = run_portal("mou", *args, "--today", "2026-12-01", cwd=cwd)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_mou_where_the_organisation_is_a_party_is_between_it_and_the_partner():
    code, out, err = mou("kwt-melati")  # general trade: the organisation buys and markets
    assert code == 0, err
    parties = section(out, "## 1. Para pihak", "## 2.")
    assert "1. **Portal Kemitraan**, selanjutnya disebut **Pihak Pertama**, bertindak sebagai *pembeli/pemasar*" in parties
    assert "2. **Kelompok Wanita Tani Melati**" in parties and "difasilitasi" not in out
    assert "| Portal Kemitraan | Kelompok Wanita Tani Melati |" in out and "Mengetahui (fasilitator)" not in out


def test_mou_for_a_foster_child_binds_its_foster_parent_and_not_the_organisation():
    code, out, err = mou("kelompok-ternak-sejahtera", "--with", "energi-nusa-peduli")
    assert code == 0, err
    parties = section(out, "## 1. Para pihak", "## 2.")
    assert "1. **PT Energi Nusa Peduli**" in parties and "bertindak sebagai *bapak angkat*" in parties
    assert "2. **Kelompok Ternak Kambing Sejahtera**" in parties and "bertindak sebagai *anak angkat*" in parties
    assert "difasilitasi oleh **Portal Kemitraan**" in parties and "bukan pihak dalam nota ini" in parties
    first = section(out, "### Pihak Pertama", "### Pihak Kedua")
    second = section(out, "### Pihak Kedua", "## 4.")
    assert "Kesungguhan untuk tumbuh" not in first and "Kesungguhan untuk tumbuh" in second  # the child's obligation
    assert "Pinjaman lunak" in first
    assert "| PT Energi Nusa Peduli | Kelompok Ternak Kambing Sejahtera | Portal Kemitraan |" in out


def test_mou_takes_the_other_side_as_a_name_or_from_the_partner_file(tmp_path):
    code, out, err = mou("cv-kopi-gayo-mandiri", "--with", "PT Kopi Nusantara Raya", "--lang", "en")  # agency
    assert code == 0, err
    assert "1. **PT Kopi Nusantara Raya**, hereinafter the **First Party**, acting as *principal*" in out
    assert "facilitated by **Portal Kemitraan**" in out
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = os.path.join(root, "koperasi-tebu-manis-jaya.yml")  # operational cooperation, no agreement yet
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("agreement:\n  type: MoU\n  counterpart: ud-tembakau-sindoro\n")
    code, out, err = mou("koperasi-tebu-manis-jaya", "--data", root)
    assert code == 0, err
    assert "1. **UD Tembakau Sindoro**" in out and "bertindak sebagai *perusahaan mitra*" in out
    assert "Kerugian karena gagal panen" in out


def test_mou_refuses_a_missing_or_wrong_other_side_with_what_to_give():
    code, out, err = mou("kelompok-ternak-sejahtera")
    assert code == 2 and "name the foster parent with --with SLUG" in err and "agreement.counterpart" in err
    code, out, err = mou("kelompok-ternak-sejahtera", "--with", "toko-tani-berkah")
    assert code == 2 and "toko-tani-berkah is a agent in Agency; the other side" in err
    code, out, err = mou("kelompok-ternak-sejahtera", "--with", "kelompok-ternak-sejahtera")
    assert code == 2 and "cannot be both sides" in err


def test_the_staff_guide_mou_examples_work_as_written(tmp_path):
    import re
    import shlex
    import shutil

    copy_reference_data(str(tmp_path), with_partners=True)
    shutil.copy(CONFIG, tmp_path / "mkdocs.yml")
    with open(os.path.join(ROOT, "STAFF.md"), encoding="utf-8") as fh:
        guide = fh.read()
    block = guide[guide.index("## Menyusun draf MoU") :].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("#", 1)[0])[2:] for line in block.splitlines() if line.strip()]
    assert len(commands) == 2 and all(c[0] == "mou" for c in commands)
    for command in commands:
        result = run_portal(*command, cwd=str(tmp_path))
        assert result.returncode == 0, (command, result.stderr.decode("utf-8"))
    html = (tmp_path / "mou.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>Draft Memorandum of Understanding</h1>", html) and "Energi Nusa Peduli" in html


# --- partners see their facts first ---------------------------------------------------------------------


def test_a_profile_shows_when_it_was_last_checked_among_the_first_facts_and_correction_mail_has_the_full_address(tmp_path):
    import html as html_module
    import json
    import re

    root = copy_reference_data(str(tmp_path), with_partners=True)
    site = build_public_site(load_catalog(root, today=TODAY), TODAY, parallel=False)
    plan = SitePlan(site, Settings(), site_url="https://contoh.id/portal/")
    body = plan.render("partners/koperasi-tani-sumber-rejeki.md", "partners/koperasi-tani-sumber-rejeki/")
    facts = body[body.index('<ul class="portal-keyfacts"') : body.index("</ul>", body.index('<ul class="portal-keyfacts"'))]
    assert "Diperiksa bersama mitra" in facts and "<time" in facts
    assert body.index("Diperiksa bersama mitra") < body.index('<section class="portal-section">')  # before the long part
    assert body.index("Ajukan koreksi") < body.index('<section class="portal-section">')
    mailto = html_module.unescape(re.search(r'href="(mailto:[^"]+)" data-correction', body).group(1))
    assert urllib.parse.quote("https://contoh.id/portal/partners/koperasi-tani-sumber-rejeki/", safe="") in mailto
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["url"] == "https://contoh.id/portal/partners/koperasi-tani-sumber-rejeki/"
    assert data["@id"].startswith(data["url"]) and data["logo"].startswith("https://contoh.id/portal/assets/partners/logos/")
    partner = next(p for p in site.pages if p.slug == "koperasi-tani-sumber-rejeki")
    assert data["sameAs"] == [partner.website]


def test_link_previews_name_the_other_editions_locale(built_site):
    site = built_site[0]
    with open(os.path.join(site, "partners", "kwt-melati", "index.html"), encoding="utf-8") as fh:
        indonesian = fh.read()
    with open(os.path.join(site, "en", "partners", "kwt-melati", "index.html"), encoding="utf-8") as fh:
        english = fh.read()
    assert '<meta property="og:locale" content="id_ID">' in indonesian and '<meta property="og:locale:alternate" content="en_US">' in indonesian
    assert '<meta property="og:locale" content="en_US">' in english and '<meta property="og:locale:alternate" content="id_ID">' in english


# --- import any form -----------------------------------------------------------------------------------


INTAKE = os.path.join(ROOT, "tests", "fixtures", "intake")


def test_a_form_of_the_organisations_own_is_imported_with_a_mapping_written_by_map_and_edited(tmp_path):
    """A Google Forms export with the organisation's own column titles and answers as people type them:
    `import --map` writes a starting mapping; staff move two titles into it; every row is then imported,
    misspellings read as the one clear match, and the row whose answer names no pattern comes in as a hidden
    draft with its problem recorded: nothing is dropped, and the exit code says a person is needed."""
    import yaml

    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = os.path.join(INTAKE, "own-form.csv")
    before = sorted(os.listdir(root))
    code, out, err = run("import", export, "--map", "--data", root)
    assert code == 0, out + err
    assert "'Nama Organisasi / Usaha' -> name" in out and "'Provinsi asal' -> region.province" in out
    mapping_path = os.path.join(root, "templates", "intake-mapping.own-form.yml")
    assert sorted(os.listdir(root)) == before  # only the mapping, in templates/
    text = open(mapping_path, encoding="utf-8").read()
    mapping = yaml.safe_load(text)
    assert mapping["received"] == ["Cap waktu"]
    assert mapping["values"]["region.province"] == {"Jawa Tengah": "Jawa Tengah", "Sulawesi Selatn": "Sulawesi Selatan", "Jatim": "Jawa Timur", "Jawa Barat": "Jawa Barat"}
    assert mapping["values"]["kind"]["UMKM"] == "business"
    assert mapping["fields"]["pattern"] == ["Bentuk kemitraan yang diminati"]  # placed by its answers, which name patterns
    code, out, err = run("import", export, "--map", "--data", root)
    assert code == 2 and "exists" in err  # never replaced
    # What a staff member does next: one of the form's questions is moved into the mapping.
    text = text.replace("fields:\n", 'fields:\n  summary: ["Apa yang Anda kerjakan?"]\n', 1)
    with open(mapping_path, "w", encoding="utf-8") as fh:
        fh.write(text)
    code, out, err = run("import", export, "--mapping", mapping_path, "--data", root, "--today", TODAY.isoformat())
    lines = out.splitlines()
    assert code == 1, out + err  # one row needs a person
    assert "line 2: imported" in lines and "line 3: imported" in lines and "line 4: imported" in lines
    assert "line 5: needs a person: pattern: 'Titip jual di toko' is not recognised; set to 'general-trade' until screening" in lines
    assert "imported 4 row(s), 1 of them needing a person; 0 reported; 0 empty row(s) ignored." in err
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()  # the data folder is valid after the import
    sekar = catalog.partners["kelompok-tani-sekar-arum"].data
    # The form never asks the side: no row gets a guessed one (a fishers' cooperative is no foster parent).
    assert (sekar.pattern, sekar.side, sekar.kind, sekar.region.province) == ("agency", None, "community-group", "Jawa Tengah")
    assert f"{export}:2: side: note: not given; choose the side (principal, agent) in the file before publishing" in lines
    assert sekar.summary == "Menanam dan menjual sayur organik." and sekar.visibility == "hidden"
    nelayan = catalog.partners["koperasi-nelayan-bahari-sejahtera"].data
    assert (nelayan.pattern, nelayan.side, nelayan.region.province) == ("foster-parent", None, "Sulawesi Selatan")  # a hyphen for the dash; a typo
    assert catalog.partners["warung-kopi-lereng"].data.region.province == "Jawa Timur"  # a short name
    draft = catalog.partners["sanggar-anyaman-mendong"].data
    assert draft.internal.import_problems == ["pattern: 'Titip jual di toko' is not recognised; set to 'general-trade' until screening"]
    assert draft.internal.screening["Bentuk kemitraan yang diminati"] == "Titip jual di toko"  # the answer, word for word
    # The same export again: every applicant is known now, so nothing is written twice.
    code, out, err = run("import", export, "--mapping", mapping_path, "--data", root, "--today", TODAY.isoformat())
    assert code == 1 and out.count(": skipped: ") == 4


def test_matching_forgives_case_punctuation_dashes_and_one_clear_typo():
    from portal_kemitraan.staff.formexport import fold, match

    spellings = {"Bapak angkat – anak angkat": "foster-parent", "Keagenan": "agency", "Sulawesi Selatan": "ss", "Papua Barat": "pb", "Papua Barat Daya": "pbd"}
    table = {fold(k): v for k, v in spellings.items()}
    names = {v: k for k, v in spellings.items()}
    assert match("bapak ANGKAT-anak angkat", table, names) == ("foster-parent", None)
    assert match("  keagenan. ", table, names) == ("agency", None)
    assert match("Sulawesi Selatn", table, names) == ("ss", "read 'Sulawesi Selatn' as 'Sulawesi Selatan'")
    found, why = match("Papua Barat Day", table, names)
    assert found is None and "could be" in why  # two are as close: a person decides
    assert match("Pola baru", table, names) == (None, "'Pola baru' is not recognised")


def test_only_a_hidden_draft_may_leave_its_province_out(tmp_path):
    draft = "name: Calon Mitra\npattern: agency\nside: agent\nsummary: Belum diisi.\nregion: {city: Malang}\nvisibility: hidden\n"
    root = data_with(tmp_path, "calon-mitra", draft)
    assert load_catalog(root, today=TODAY).report.ok
    root = data_with(tmp_path / "shown", "calon-mitra", draft.replace("visibility: hidden", "visibility: unlisted"))
    code, out, err = run("validate", "--data", root)
    assert code == 1 and "partners/calon-mitra.yml:5: region.province: is required but missing (only a hidden draft may leave it out)" in out + err


# --- corrections that come back -------------------------------------------------------------------------


def changed_lines(before: str, after: str) -> list[str]:
    import difflib

    return [l for l in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0) if l[:1] in "+-" and l[:3] not in ("+++", "---")]


def test_corrections_show_each_partners_changes_and_apply_the_accepted_ones_in_place(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    export = os.path.join(INTAKE, "corrections.csv")
    path = os.path.join(root, "kwt-melati.yml")
    before = open(path, encoding="utf-8").read()
    assert "# Example partner (fictional)" in before and "internal:  # staff only, never published" in before
    code, out, err = run("corrections", export, "--data", root, "--today", TODAY.isoformat())
    assert code == 1  # a row names no partner
    assert f"{export}:4: slug: 'mitra-yang-tidak-ada' is no partner in the data; not applied" in out
    assert "kwt-melati (" in out and "kwt-melati.yml), from line 2 of" in out
    assert '  region.city: "Kabupaten Sleman" -> "Kabupaten Bantul"' in out
    assert '  sectors: ["olahan pangan", "jamu"] -> ["olahan pangan", "jamu", "keripik"]' in out
    assert '  contact.whatsapp: (empty) -> "+6281270001234"' in out
    assert "koperasi-tani-sumber-rejeki" not in out  # its answer is what the file says already
    assert open(path, encoding="utf-8").read() == before  # shown, not written
    code, out, err = run("corrections", export, "--apply", "--only", "kwt-melati:region.city,kwt-melati:sectors", "--data", root, "--today", TODAY.isoformat())
    assert "applied 2 change(s); last_verified: 2026-11-25" in out
    after = open(path, encoding="utf-8").read()
    assert changed_lines(before, after) == [
        "-  city: Kabupaten Sleman", '+  city: "Kabupaten Bantul"',
        "-sectors: [olahan pangan, jamu]", '+sectors: ["olahan pangan", "jamu", "keripik"]',
        "-last_verified: 2026-10-28", "+last_verified: 2026-11-25",
    ]  # every other byte, comments included, as it was
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok and catalog.partners["kwt-melati"].data.region.city == "Kabupaten Bantul"
    assert catalog.partners["kwt-melati"].data.contact is None  # not accepted, not written


def test_a_correction_of_a_field_that_is_not_public_is_reported_not_applied(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("fields:\n  slug: [Kode profil]\n  internal.owner: [Catatan lain]\n  visibility: [Nama lembaga yang benar]\nreceived: [Cap waktu]\n", encoding="utf-8")
    before = {n: open(os.path.join(root, n), "rb").read() for n in os.listdir(root) if n.endswith(".yml")}
    export = os.path.join(INTAKE, "corrections.csv")
    code, out, err = run("corrections", export, "--mapping", str(mapping), "--apply", "--data", root, "--today", TODAY.isoformat())
    assert code == 1
    assert f"{export}:2: internal.owner: is not a public field a partner may correct; not applied" in out
    assert f"{export}:3: visibility: is not a public field a partner may correct; not applied" in out
    assert before == {n: open(os.path.join(root, n), "rb").read() for n in os.listdir(root) if n.endswith(".yml")}


def test_a_profile_link_preview_names_its_share_image(built_site):
    """The built pages point link previews at the card as an absolute address, and the card is published."""
    import re

    site_dir, _ = built_site
    for prefix in ("", "en/"):
        page = open(os.path.join(site_dir, prefix, "partners", "kwt-melati", "index.html"), encoding="utf-8").read()
        image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
        assert image.endswith(f"{prefix}assets/share/kwt-melati.jpg") and image.startswith("https://"), image
        assert '<meta property="og:image:width" content="1200">' in page
        assert os.path.getsize(os.path.join(site_dir, prefix, "assets", "share", "kwt-melati.jpg")) > 5000


def test_a_hidden_draft_may_wait_for_its_side_but_nothing_shown_may(tmp_path):
    """An application whose form did not ask the side is a hidden draft without one: valid, never published,
    and no agreement is drafted for it; made public without a side, it is an error with its line."""
    root = copy_reference_data(str(tmp_path), with_partners=True)
    draft = 'name: "Kelompok Nelayan Teluk"\npattern: foster-parent\nsummary: "Kelompok nelayan kecil."\nregion: {province: Bali}\nvisibility: hidden\n'
    with open(os.path.join(root, "kelompok-nelayan-teluk.yml"), "w", encoding="utf-8") as fh:
        fh.write(draft)
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    assert catalog.partners["kelompok-nelayan-teluk"].data.side is None
    assert "kelompok-nelayan-teluk" not in {p.slug for p in build_public_site(catalog, TODAY, parallel=False).pages}
    code, out, err = run("mou", "kelompok-nelayan-teluk", "--data", root, "-o", str(tmp_path / "mou.md"))
    assert code == 2 and "kelompok-nelayan-teluk has no side yet" in err and not (tmp_path / "mou.md").exists()
    with open(os.path.join(root, "kelompok-nelayan-teluk.yml"), "w", encoding="utf-8") as fh:
        fh.write(draft.replace("visibility: hidden", "visibility: public"))
    lines = load_catalog(root, today=TODAY).report.lines()
    assert "partners/kelompok-nelayan-teluk.yml:1: side: is required but missing (only a hidden draft may leave it out)" in lines, lines
