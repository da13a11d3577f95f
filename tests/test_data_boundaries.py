"""The data folder is sacred: outputs never land in or around it whatever markers it holds, one command
changes it at a time, a write never leaves half a file and never replaces a file changed since it was read;
and what a logo costs to draw is bounded before anything draws it, with a worker that survives the rest."""

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import TODAY, copy_reference_data, run_portal
from portal_kemitraan.core.safefs import Refused, data_lock, write_inside
from sitebuild import project


def _run(*args, cwd):
    result = run_portal(*args, cwd=cwd)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


# --- outputs never touch the data -------------------------------------------------------------------


@pytest.mark.parametrize("out", ["partners/rendered", "partners", ".", "partners/logos"])
def test_render_refuses_a_folder_inside_or_around_the_data_whatever_markers_it_holds(tmp_path, out):
    folder = project(str(tmp_path / "p"))
    data = os.path.join(folder, "partners")
    with open(os.path.join(data, ".portal-render"), "w", encoding="utf-8") as fh:  # a marker committed inside partners/
        fh.write("Written by `portal render`\n")
    before = sorted(os.listdir(data))
    code, _, err = _run("render", "--out", out, cwd=folder)
    assert code == 2 and "data folder" in err, err
    assert sorted(os.listdir(data)) == before and not os.path.exists(os.path.join(data, "rendered"))


def test_check_and_the_build_refuse_a_site_dir_in_the_data_folder(tmp_path):
    folder = project(str(tmp_path / "p"))
    config = os.path.join(folder, "mkdocs.yml")
    with open(config, "a", encoding="utf-8") as fh:
        fh.write("\nsite_dir: partners/site\n")
    code, _, err = _run("check", cwd=folder)
    assert code == 2 and "site_dir" in err and "data folder" in err, err
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config], capture_output=True, text=True, cwd=folder)
    assert built.returncode != 0 and "data folder" in built.stdout + built.stderr
    assert not os.path.exists(os.path.join(folder, "partners", "site"))


# --- one writer at a time, whole files --------------------------------------------------------------


def test_a_second_writer_waits_for_the_first_and_is_refused_in_the_end(tmp_path):
    root = copy_reference_data(str(tmp_path))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom portal_kemitraan.core.safefs import data_lock\n"
         "with data_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)\n", root],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"  # the lock is held: wait for that, not for a time
        with pytest.raises(Refused, match="another portal command"):
            with data_lock(root, wait=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    with data_lock(root, wait=0.3):  # released with its holder
        pass


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = os.path.join(root, "kwt-melati.yml")
    read = open(path, "rb").read()
    with open(path, "ab") as fh:  # another command (new-activity) wrote it meanwhile
        fh.write(b"# added by another command\n")
    with pytest.raises(Refused, match="changed since this command read it"):
        write_inside(root, path, read + b"last_verified: 2026-11-30\n", replace=True, expected=read)
    assert open(path, "rb").read().endswith(b"# added by another command\n")
    assert not [n for n in os.listdir(root) if n.endswith(".tmp")]


def test_a_killed_write_leaves_no_half_file(tmp_path):
    """The bytes go beside the target and are renamed: killed while writing a large new file, the command
    leaves nothing under the file's name (validate sees no half-written partner)."""
    root = copy_reference_data(str(tmp_path))
    code = ("import os, sys\nfrom portal_kemitraan.core import safefs\nreal = os.fsync\n"
            "def stop(fd):\n    print('written', flush=True)\n    import time; time.sleep(60)\n"
            "safefs.os.fsync = stop\n"
            "safefs.write_inside(sys.argv[1], os.path.join(sys.argv[1], 'mitra-baru.yml'), b'name: x\\n' * 100000)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, root], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "written"
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait()
    assert not os.path.exists(os.path.join(root, "mitra-baru.yml"))
    code, out, err = _run("validate", "--data", root, "--today", TODAY.isoformat(), cwd=str(tmp_path))
    assert code == 0, out + err


# --- logos bounded at validation, drawn in a bounded worker ------------------------------------------


def test_a_costly_logo_is_refused_by_validate_with_its_line(tmp_path):
    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "logos", "tinggi.svg"), "w", encoding="utf-8") as fh:
        fh.write('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000"><rect width="1" height="10"/></svg>')
    with open(os.path.join(root, "mitra-logo.yml"), "w", encoding="utf-8") as fh:
        fh.write("name: Mitra Logo\npattern: agency\nside: agent\nsummary: Uji logo.\nregion: {province: Bali}\nlogo: logos/tinggi.svg\n")
    code, out, err = _run("validate", "--data", root, "--today", TODAY.isoformat(), cwd=str(tmp_path))
    assert code == 1 and "partners/mitra-logo.yml:6: logo: partners/logos/tinggi.svg: the drawing is 1×100000" in out, out + err


def test_a_logo_that_kills_or_stalls_its_drawing_worker_costs_only_its_cards_logo(monkeypatch):
    """The worker is the last line: a drawing that ends its process (as an abort inside resvg does) or runs
    past its time costs that card's logo only (the tile stays empty); the next logo gets a new worker."""
    import io

    from PIL import Image

    from portal_kemitraan.render import cards

    # The real worker, except that a logo holding ABORT ends it and one holding STALL never answers.
    worker = ("import os, signal, sys, time, runpy\n"
              "from portal_kemitraan.render import drawworker\n"
              "real = drawworker._read_exactly\n"
              "def read(stream, n):\n"
              "    data = real(stream, n)\n"
              "    if b'ABORT' in data: os.kill(os.getpid(), signal.SIGKILL)\n"
              "    if b'STALL' in data: time.sleep(120)\n"
              "    return data\n"
              "drawworker._read_exactly = read\n"
              "sys.exit(drawworker.main())\n")
    monkeypatch.setattr(cards, "DRAW_SECONDS", 3.0)
    good = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#c62828"/></svg>'
    drawer = cards.SvgDrawer([sys.executable, "-c", worker])

    def card(svg):
        data = cards.share_card("Mitra Uji", "Keagenan · Agen", "Denpasar, Bali", "Org", svg.encode(), "logos/x.svg", drawer)
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == cards.SIZE
            return image.getpixel((260, 315))

    try:
        assert card(good)[0] > 150
        assert card(good.replace("</svg>", "<desc>ABORT</desc></svg>")) == (255, 255, 255)  # the tile stays empty
        red = card(good)
        assert red[0] > 150 and red[1] < 100, red  # a new worker drew the next one
        assert card(good.replace("</svg>", "<desc>STALL</desc></svg>")) == (255, 255, 255)
        assert card(good)[0] > 150
    finally:
        drawer.close()


# --- search words under the same rules as partner text ------------------------------------------------


def test_search_words_may_not_name_a_hidden_partner_or_an_unconsented_person(tmp_path):
    from portal_kemitraan.core.catalog import load_catalog

    root = copy_reference_data(str(tmp_path), with_partners=True)
    with open(os.path.join(root, "search.yml"), "w", encoding="utf-8") as fh:
        fh.write("synonyms:\n  - [sayur, PT Sayur Sehat Bali]\n  - [ternak, Yohanes Bria]\n  - [kopi, coffee]\n")
    lines = load_catalog(root, today=TODAY).report.lines()
    assert "partners/search.yml:2: synonyms: 'PT Sayur Sehat Bali' is the name of partners/pt-sayur-sehat-bali.yml, a hidden partner: search words are published in the index; remove it" in lines
    assert any(line.startswith("partners/search.yml:3: synonyms: 'Yohanes Bria' is a contact person of partners/kelompok-ternak-sejahtera.yml") for line in lines)
    assert not any("coffee" in line for line in lines)


def test_synonyms_add_at_most_as_much_as_a_documents_own_text():
    from portal_kemitraan.render.search import MIN_SYNONYM_BUDGET, Synonyms

    groups = [[f"kata{i}", f"sinonim{i} " * 5] for i in range(150)]  # 150 groups, each keyed on a word of the text
    text = " ".join(f"kata{i}" for i in range(150))
    extra = Synonyms(groups).expand(text)
    assert 0 < sum(len(t) + 1 for t in extra) <= max(MIN_SYNONYM_BUDGET, len(text)) < 150 * 46
    assert len(Synonyms(groups).expand(text + " isi" * 3000)) == 150  # a long document may take them all


# --- generated mappings -----------------------------------------------------------------------------


def test_a_starting_mapping_is_written_by_the_yaml_dumper_whatever_the_titles_and_answers_hold(tmp_path):
    import yaml

    root = copy_reference_data(str(tmp_path))
    export = tmp_path / "jawaban.csv"
    title = "Catatan\nfields:\n  name: [Pura-pura]\n# x"
    huge = "Bali " * 800_000  # a 4 MB answer: never compared, never written into the mapping
    export.write_text(f'Timestamp,Nama lembaga,"{title}",Provinsi\n2026/11/20 10:00:00,Koperasi A,catatan,"{huge}"\n'
                      "2026/11/20 11:00:00,Koperasi B,catatan,Jatim\n", encoding="utf-8")
    out = tmp_path / "mapping.yml"
    result = run_portal("import", str(export), "--map", "--map-out", str(out), "--data", root, cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    mapping = yaml.safe_load(text)
    from portal_kemitraan.staff.formexport import MAPPABLE

    assert mapping["fields"]["name"] == ["Nama lembaga"] and set(mapping) == {"fields", "received", "values", "defaults"}
    assert set(mapping["fields"]) <= set(MAPPABLE)  # the title's lines stayed inside one quoted title
    listed = [t for titles in mapping["fields"].values() for t in titles]
    assert title in listed or "#   Catatan fields: name: [Pura-pura] # x\n" in text  # a field's title, or one comment line
    assert mapping["values"]["region.province"] == {"Jatim": "Jawa Timur"}
    assert len(text) < 10_000
