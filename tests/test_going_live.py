"""Going live: `portal init` makes the demo an organisation's own portal, `portal check` is the gate on the
organisation's own data (and fails naming the page when a hand-written page leaks or links nowhere), and
`doctor` reads every edition."""

import os
import shutil

import pytest

from conftest import DEMO, run_portal
from sitebuild import project

# Its module-wide fixture (a project it changes, or a server) stays in one worker under pytest-xdist.
pytestmark = pytest.mark.xdist_group("going-live")

NAME = "Yayasan Tunas Desa"
URL = "https://kemitraan.tunasdesa.or.id/"
INIT = ("init", "--name", NAME, "--url", URL, "--email", "kemitraan@tunasdesa.or.id", "--form", "https://ee.kobotoolbox.org/x/abc123", "--yes")

# The organisation's own partners: listed, unlisted, hidden, a contact person without consent, staff notes.
OWN = {
    "koperasi-nelayan-teluk-biru.yml": """name: Koperasi Nelayan Teluk Biru
pattern: general-trade
side: supplier
summary: Koperasi nelayan yang memasok ikan segar setiap pagi.
region: {province: Maluku, city: Ambon}
contact:
  email: pengurus@telukbiru.or.id
  person:
    name: Marthen Latuheru
    email: marthen.latuheru@telukbiru.or.id
    phone: "0813 4455 6677"
    whatsapp: "0813 4455 6677"
    consent: false
internal:
  owner: Dewi Kartikasari
  notes: Sedang menawar harga solar bersubsidi untuk armada kecil
""",
    "toko-rempah-saparua.yml": """name: Toko Rempah Saparua
pattern: general-trade
side: buyer
summary: Toko rempah yang membeli pala dan cengkih dari kelompok tani.
region: {province: Maluku, city: Saparua}
visibility: unlisted
internal: {notes: Pemilik minta profil tidak dipajang di direktori dulu}
""",
    "pt-bahari-rahasia-sejahtera.yml": """name: PT Bahari Rahasia Sejahtera
pattern: foster-parent
side: foster-parent
summary: Perusahaan pengolahan hasil laut yang masih dalam penjajakan tertutup.
region: {province: Maluku Utara, city: Ternate}
contact: {email: direksi@bahari-rahasia.co.id, phone: "0921 311 2244"}
visibility: hidden
""",
}


def _run(*args, cwd, lang="en", env=None):
    result = run_portal(*args, cwd=cwd, env={"LANG": "id_ID.UTF-8" if lang == "id" else "en_US.UTF-8", **(env or {})})
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def own_portal(tmp_path_factory):
    """The demo after `portal init`, checked empty, then with the organisation's own partners, checked again."""
    folder = project(str(tmp_path_factory.mktemp("own-portal")))
    code, out, err = _run(*INIT, cwd=folder)
    assert code == 0, out + err
    empty = _run("check", cwd=folder)
    with open(os.path.join(folder, "site", "partners", "index.html"), encoding="utf-8") as fh:
        empty_directory = fh.read()
    for name, text in OWN.items():
        with open(os.path.join(folder, "partners", name), "w", encoding="utf-8") as fh:
            fh.write(text)
    return folder, empty, empty_directory


def test_init_makes_the_demo_the_organisations_own_and_every_edition_agrees(own_portal):
    import yaml

    folder, _, _ = own_portal
    main = open(os.path.join(folder, "mkdocs.yml"), encoding="utf-8").read()
    english = open(os.path.join(folder, "mkdocs.en.yml"), encoding="utf-8").read()
    config = yaml.safe_load(main)
    assert config["site_name"] == NAME and config["site_url"] == URL and "repo_url" not in config
    assert config["extra"]["portal"]["organisation"] == NAME and config["extra"]["portal"]["contact_email"] == "kemitraan@tunasdesa.or.id"
    assert [a["link"] for a in config["extra"]["alternate"]] == [URL, URL + "en/"]
    assert "site_url: \"https://kemitraan.tunasdesa.or.id/en/\"" in english and "example.github.io" not in main + english
    assert "# The two editions" in main and "shared_assets" in main  # comments and other settings kept
    demo = sorted(n for n in os.listdir(os.path.join(DEMO, "partners")) if n.endswith(".yml") and "Example partner" in open(os.path.join(DEMO, "partners", n), encoding="utf-8").read())
    assert demo and not any(os.path.exists(os.path.join(folder, "partners", n)) for n in demo if n not in OWN)
    assert os.listdir(os.path.join(folder, "partners", "logos")) == []  # the demo's logos went with them
    assert os.path.exists(os.path.join(folder, "partners", "patterns", "agency.yml"))  # reference data stays


def test_an_empty_portal_builds_passes_check_and_says_kindly_that_no_partner_is_shown_yet(own_portal):
    _, (code, out, err), directory = own_portal
    assert code == 0, out + err
    assert "0 partners shown" in out
    assert "Belum ada mitra yang ditampilkan." in directory and "portal-filters" not in directory
    assert 'href="../join/"' in directory


def test_check_passes_on_the_organisations_own_data_with_unlisted_hidden_and_private_values(own_portal):
    folder, _, _ = own_portal
    code, out, err = _run("check", cwd=folder)
    assert code == 0, out + err
    assert "2 edition(s)" in out and "2 partners shown" in out
    profile = open(os.path.join(folder, "site", "partners", "koperasi-nelayan-teluk-biru", "index.html"), encoding="utf-8").read()
    assert "Koperasi Nelayan Teluk Biru" in profile and "Marthen" not in profile


def test_doctor_lists_only_what_still_needs_a_person_after_init(own_portal):
    folder, _, _ = own_portal
    code, out, err = _run("doctor", cwd=folder)
    assert code == 1
    assert [line.split(": ")[1] for line in out.splitlines()] == ["extra.portal.correction_form"], out


def test_doctor_names_the_english_edition_left_at_the_demos_address(own_portal, tmp_path):
    folder = str(tmp_path / "p")
    shutil.copytree(own_portal[0], folder, ignore=shutil.ignore_patterns("site"))
    shutil.copy(os.path.join(DEMO, "mkdocs.en.yml"), folder)
    code, out, err = _run("doctor", cwd=folder)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("mkdocs.en.yml:")]
    assert any("site_url" in line and "example.github.io" in line for line in lines), out
    assert any("extra.alternate" in line for line in lines), out


def test_check_fails_naming_the_page_in_indonesian_when_a_hand_written_page_leaks_or_links_nowhere(own_portal, tmp_path):
    folder = str(tmp_path / "p")
    shutil.copytree(own_portal[0], folder, ignore=shutil.ignore_patterns("site"))
    code, out, err = _run(*INIT, "--languages", "id", cwd=folder)  # one edition this time
    assert code == 0 and not os.path.exists(os.path.join(folder, "mkdocs.en.yml")), out + err
    with open(os.path.join(folder, "docs", "guide", "index.md"), "a", encoding="utf-8") as fh:
        fh.write("\n\nKami juga bekerja dengan PT Bahari Rahasia Sejahtera. Tanya Pak Marthen di +62 813-4455-6677.\n"
                 "Lihat [laporan](../laporan-tahunan/).\n")
    code, out, err = _run("check", cwd=folder, lang="id", env={"PORTAL_PARALLEL_MIN": "1"})  # the site read on both cores
    assert code == 1, out + err
    page = [line for line in out.splitlines() if line.startswith("site/guide/index.html: ")]
    assert any("pt-bahari-rahasia-sejahtera.yml" in line and "tersembunyi" in line for line in page), out
    assert any("koperasi-nelayan-teluk-biru.yml" in line and "contact.person.phone" in line and "belum setuju" in line for line in page), out
    assert any("../laporan-tahunan/" in line and "tidak ada" in line for line in page), out
    assert "masalah" in err and "problem" not in err  # Indonesian by default
    for english in ("holds", "hidden", "no such page", "consented"):
        assert english not in out, english


def test_check_is_a_usage_error_without_a_configuration(tmp_path):
    code, out, err = _run("check", "--config", str(tmp_path / "mkdocs.yml"), cwd=str(tmp_path))
    assert code == 2 and "mkdocs.yml" in err


def test_init_refuses_placeholder_answers_and_writes_nothing(tmp_path):
    folder = project(str(tmp_path / "p"))
    before = open(os.path.join(folder, "mkdocs.yml"), encoding="utf-8").read()
    code, out, err = _run("init", "--name", "X", "--url", "https://example.github.io/x/", "--email", "a@example.org", "--languages", "en", "--yes", cwd=folder)
    assert code == 2
    assert "--url" in err and "--email" in err and "--languages" in err
    assert open(os.path.join(folder, "mkdocs.yml"), encoding="utf-8").read() == before
    assert len([n for n in os.listdir(os.path.join(folder, "partners")) if n.endswith(".yml")]) > 10
    code, out, err = _run("init", "--yes", cwd=folder)
    assert code == 2 and "--name" in err


def test_check_refuses_a_site_the_host_building_it_would_not_publish_and_warns_elsewhere(own_portal, tmp_path):
    """On Cloudflare's builders (CF_PAGES=1) a file over 25 MiB stops the publication before the host refuses
    it, with what to do; on a person's computer the same site passes, with a warning naming the host."""
    folder = str(tmp_path / "p")
    shutil.copytree(own_portal[0], folder)
    with open(os.path.join(folder, "site", "assets", "peta-besar.bin"), "wb") as fh:
        fh.truncate(26 * 1024 * 1024 + 1)  # sparse: no room taken on this disk
    nowhere = {"GITHUB_ACTIONS": "", "GITLAB_CI": "", "CF_PAGES": ""}  # whatever host runs these tests
    code, out, err = _run("check", "--no-build", cwd=folder, env={**nowhere, "CF_PAGES": "1"})
    assert code == 1, out + err
    assert "site: Cloudflare Pages publishes no file over 26.2 MB; assets/peta-besar.bin is 27.3 MB" in out.splitlines()
    assert "PUBLISHING.md" in out and "1 problem(s) in the built site; do not publish it." in err
    code, out, err = _run("check", "--no-build", cwd=folder, lang="id", env=nowhere)
    assert code == 0, out + err
    assert "Situs boleh diterbitkan" in out
    assert "peringatan: Cloudflare Pages tidak menerbitkan berkas yang lebih besar dari 26.2 MB; assets/peta-besar.bin berukuran 27.3 MB" in err
