"""The staff commands are untrusted input too: arguments, file-system states and CSV exports.
Every outcome is exit 0, 1 or 2 with lines of text; nothing is written outside the data folder,
and the data folder is never left invalid."""

import contextlib
import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, FIXTURES, ROOT, TODAY, copy_reference_data, run_portal
from portal_kemitraan.staff import cli
from portal_kemitraan.core.catalog import load_catalog

# Its module-wide fixture (a project it changes, or a server) stays in one worker under pytest-xdist.
pytestmark = pytest.mark.xdist_group("trust-commands")

CORPUS = os.path.join(FIXTURES, "hostile-commands")
EXPECTED = yaml.safe_load(open(os.path.join(CORPUS, "expected.yml"), encoding="utf-8"))


def run(*argv, cwd=None):
    """The command in this process, as `portal ARGV…`: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([str(a) for a in argv])
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder):
    """Every path under a folder with its size and modification time (links not followed)."""
    found = {}
    for base, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = os.path.join(base, name)
            st_ = os.lstat(path)
            found[os.path.relpath(path, folder)] = (st_.st_size, st_.st_mtime_ns)
    return found


# --- the CSV corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_form_export_of_the_corpus_has_its_expected_outcome(tmp_path, name):
    root = copy_reference_data(str(tmp_path))
    before = set(os.listdir(root))
    code, out, err = run("import", os.path.join(CORPUS, name), "--data", root, "--today", TODAY.isoformat())
    expected = EXPECTED[name]
    lines = [line.replace(os.path.join(CORPUS, ""), "") for line in out.splitlines()]
    reported = [line for line in lines if ": note: " not in line and not line.startswith(("wrote ", "line "))]
    assert reported == expected["reported"]
    # Rows imported as hidden drafts with a value set aside, each with what a person must settle.
    drafts = [line for line in lines if line.startswith("line ") and ": needs a person: " in line]
    assert drafts == expected.get("drafts", [])
    for note in expected.get("notes", []):
        assert note in lines
    written = sorted(n[:-4] for n in set(os.listdir(root)) - before)
    assert written == sorted(expected["written"])
    assert code == (1 if expected["reported"] or drafts else 0), err
    assert "Traceback" not in err
    assert load_catalog(root, today=TODAY).report.ok  # never left invalid


def test_the_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(n for n in os.listdir(CORPUS) if n.endswith(".csv"))


def test_a_very_long_answer_is_data_and_an_oversized_row_is_refused(tmp_path):
    root = copy_reference_data(str(tmp_path))
    path = tmp_path / "panjang.csv"
    long_answer = "kata " * 60_000  # 300 KB in one cell: more than the csv module reads by default
    huge_answer = "x" * (2 * 1024 * 1024)  # would make a partner file over the 1 MiB limit
    path.write_text(
        "Nama lembaga,Provinsi,Cerita\r\n" f"Koperasi Panjang,Bali,{long_answer}\r\n" f"Koperasi Raksasa,Bali,{huge_answer}\r\n", encoding="utf-8"
    )
    code, out, err = run("import", path, "--data", root, "--today", TODAY.isoformat())
    assert code == 1, err
    assert os.path.exists(os.path.join(root, "koperasi-panjang.yml"))
    assert not os.path.exists(os.path.join(root, "koperasi-raksasa.yml"))
    assert f"{path}:3: row: file is over 1,048,576 bytes (1 MiB); row not imported" in out.splitlines()
    assert load_catalog(root, today=TODAY).report.ok


def test_report_csv_escapes_formulas_through_the_shared_writer(tmp_path):
    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "mitra-rumus.yml"), "w", encoding="utf-8") as fh:
        fh.write('name: Mitra Rumus\npattern: agency\nside: agent\nsummary: x.\nregion: {province: Bali}\n'
                 'internal: {owner: "=HYPERLINK(\\"http://evil.example.org\\")"}\n')
    code, out, _ = run("report", "--format", "csv", "--data", root, "--today", TODAY.isoformat())
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    owners = [row[4] for row in rows if row[2] == "mitra-rumus" and row[4]]
    assert owners and all(o == "'=HYPERLINK(\"http://evil.example.org\")" for o in owners)


# --- arguments and file-system states ---------------------------------------------------------------


def test_slugs_from_arguments_cannot_leave_the_data_folder(tmp_path):
    root = copy_reference_data(str(tmp_path / "d"))
    for slug in ("../keluar", "/tmp/keluar", "a/b", "..", "index", "stages", "Besar", "x", "a--b"):
        code, out, err = run("new", "Mitra Uji", "--slug", slug, "--pattern", "agency", "--side", "agent", "--province", "Bali", "--data", root)
        assert code == 2 and "portal new: error: argument --slug:" in err, (slug, err)
        code, out, err = run("mou", slug, "--data", root)
        assert code == 2, slug
    assert sorted(os.listdir(tmp_path)) == ["d"] and not os.path.exists("/tmp/keluar.yml")


def test_new_writes_nothing_when_the_file_would_be_invalid(tmp_path):
    root = copy_reference_data(str(tmp_path))
    before = snapshot(root)
    code, out, err = run("new", "Mitra\u0007Bel", "--slug", "mitra-bel", "--pattern", "agency", "--side", "agent", "--province", "Bali", "--data", root)
    assert code == 1 and "partners/mitra-bel.yml:5: name: contains the control character U+0007; remove it" in out
    assert "nothing was written" in err and snapshot(root) == before


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["validate", "--data", "{file}"], 2, "is not a folder"),
        (["report", "--data", "{missing}"], 2, "no such folder"),
        (["validate", "--today", "9999-12-31"], 2, "is outside 1900-2199"),
        (["report", "--ending-days", "99999999999999999999"], 2, "is not between 0 and 36500 days"),
        (["report", "--stale-days", "-1"], 2, "is not between 0 and 36500 days"),
        (["import", "{missing}"], 2, "does not exist"),
        (["import", "{folder}"], 2, "is not a regular file"),
        (["import", "{fifo}"], 2, "is not a regular file"),
        (["import", "{file}", "--mapping", "{folder}"], 2, "is not a regular file"),
        (["import", "{file}", "--mapping", "{file}"], 2, "needs a 'fields:' mapping"),
        (["mou", "kwt-melati", "--config", "{folder}"], 2, "is not a regular file"),
        (["mou", "kwt-melati", "-o", "{inside}"], 2, "is inside the data folder"),
        (["mou", "kwt-melati", "-o", "{config}"], 2, "is not a draft"),
        (["verify", "--out", "{data}"], 2, "is the data folder, inside it or around it"),
        (["verify", "--out", "{around}"], 2, "is the data folder, inside it or around it"),
        (["verify", "--out", "{busy}"], 2, "is not empty and was not made by this command"),
        (["doctor", "--config", "{file}"], 2, "must be a mapping of settings"),
    ],
)
def test_bad_arguments_and_file_system_states_get_one_clear_line(tmp_path, argv, code, message):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    places = {
        "file": tmp_path / "berkas.txt",
        "missing": tmp_path / "tidak-ada",
        "folder": tmp_path / "folder",
        "fifo": tmp_path / "pipa",
        "outside": tmp_path / "keluar.md",
        "inside": os.path.join(root, "mou.md"),
        "config": tmp_path / "mkdocs.yml",
        "data": root,
        "around": tmp_path,
        "busy": tmp_path / "sibuk",
    }
    places["file"].write_text("teks biasa\n")
    places["config"].write_text("site_name: Uji\n")
    places["busy"].mkdir()
    (places["busy"] / "catatan.txt").write_text("milik orang lain\n")
    places["folder"].mkdir()
    os.mkfifo(places["fifo"])
    argv = [a.format(**places) for a in argv]
    if "--data" not in argv and argv[0] != "doctor" or argv[0] == "doctor":
        argv += ["--data", root] if "--data" not in argv else []
    got, out, err = run(*argv, cwd=str(tmp_path))
    assert got == code, (out, err)
    assert message in err and "Traceback" not in err
    assert not places["outside"].exists()


def test_a_data_folder_in_a_loop_of_links_is_one_line(tmp_path):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    code, out, err = run("validate", "--data", tmp_path / "a")
    assert code == 2 and "is not a folder" in err


def test_a_mixed_encoding_export_keeps_every_name_right(tmp_path):
    """Each line decided alone: the Windows-1252 line and the UTF-8 lines are both read right."""
    root = copy_reference_data(str(tmp_path))
    code, out, err = run("import", os.path.join(CORPUS, "mixed-encoding.csv"), "--data", root)
    assert code == 1, out + err
    names = {yaml.safe_load(open(os.path.join(root, f"{slug}.yml"), encoding="utf-8"))["name"] for slug in ("kafe-cafe-jogja", "warung-sate-macao")}
    assert names == {"Kafe Café Jogja", "Warung Sate Mação"}


# --- every command, arbitrary arguments ---------------------------------------------------------------

COMMANDS = ["validate", "new", "list", "schema", "import", "report", "mou", "doctor", "verify", "verified", "new-activity", "corrections"]
FLAGS = ["--data", "--today", "--slug", "--pattern", "--side", "--province", "--summary", "--visibility", "--mapping", "--dry-run",
         "--format", "--ending-days", "--stale-days", "--lang", "--html", "-o", "--output", "--config", "--check", "-q", "--days", "--date",
         "--out", "--date-order"]  # fmt: skip
PATHS = ["partners", "partners/kwt-melati.yml", "partners/logos", "partners/x/../../keluar", "../keluar", "/tmp/keluar-abs",
         "/proc/self/environ", "/dev/null", "/dev/zero", "", ".", "..", "keluar.md", "partners/../keluar.md", "pipa", "tautan-keluar",
         # output targets inside and outside the data folder, and names a terminal would act on
         "partners/.outbox", "partners/patterns", "outbox", "outbox/lain", "draf.html", "partners/draf.md", "mkdocs.yml",
         "partners/\x1b[31mmerah.yml", "\x07bel.md", "baris\rbaru.md", "\u202ekebalik.md", "partners/\x1b]0;judul\x07.md"]  # fmt: skip
WORDS = ["kwt-melati", "agency", "agent", "supplier", "Bali", "Atlantis", "2026-12-01", "2026-02-30", "0", "-5", "1e9", "id", "en",
         "csv", "json", "md", "table", "public", "hidden", "index", "--", "-", "NaN"]  # fmt: skip
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
argument = st.one_of(st.sampled_from(FLAGS), st.sampled_from(PATHS), st.sampled_from(WORDS), text)
EDITING = {"new", "import", "verified", "new-activity", "schema", "corrections"}  # the commands that exist to change partner files


def git(base, *args) -> str:
    return subprocess.run(["git", "-C", str(base), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def playground(tmp_path_factory):
    """A project folder in git with a valid data folder, a FIFO and a link leading out of it, and a file with
    a terminal's escape sequence in its name among the partners."""
    base = tmp_path_factory.mktemp("playground")
    root = copy_reference_data(str(base), with_partners=True)
    shutil.copy(os.path.join(DEMO, "mkdocs.yml"), base)
    os.mkfifo(base / "pipa")
    os.symlink(base / "keluar.md", os.path.join(root, "tautan-keluar"))
    git(base, "init", "-q")
    git(base, "add", "partners", "mkdocs.yml")
    git(base, "-c", "user.name=Uji", "-c", "user.email=uji@example.org", "commit", "-q", "-m", "data")
    return base


def outputs_of(args) -> set[str]:
    """The output targets an example names (after -o, --output or --out), relative to the playground."""
    found = set()
    for flag, value in zip(args, args[1:]):
        if flag in ("-o", "--output", "--out") and value:
            found.add(os.path.normpath(value))
    return found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command=st.sampled_from(COMMANDS), args=st.lists(argument, max_size=8))
def test_any_arguments_give_an_exit_code_and_never_a_traceback_or_a_write_outside(playground, command, args):
    """Any arguments: an exit code, no traceback, nothing printed that a terminal acts on, no partner file
    changed but by the commands that exist to change them, nothing added to the data folder that git would
    ignore, and outside it only the outputs asked for (or the default outbox)."""
    root = os.path.join(playground, "partners")
    before = snapshot(playground)
    code, out, err = run(command, *args, cwd=str(playground))
    assert code in (0, 1, 2), (code, out, err)
    assert "Traceback" not in out + err
    assert not any(c in out + err for c in "\x1b\x07\r\u202e"), (out, err)
    after = snapshot(playground)
    asked = outputs_of(args)
    new_or_changed = {p for p in set(after) | set(before) if after.get(p) != before.get(p)}
    outside = {p for p in new_or_changed if not p.startswith("partners" + os.sep) and p != "partners"}
    allowed = {p for p in outside if p.split(os.sep)[0] == "outbox" or any(p == a or p.startswith(a + os.sep) for a in asked)}
    assert outside <= allowed, (outside - allowed)
    assert not any(p.endswith(".yml") or p == "mkdocs.yml" for p in outside), outside  # drafts never replace data
    if command not in EDITING:
        assert not {p for p in new_or_changed if p.startswith("partners" + os.sep)}, new_or_changed
    assert not [p for p in new_or_changed if os.path.basename(p) == ".gitignore" and p.startswith("partners")]
    assert git(playground, "status", "--porcelain", "--ignored", "--", "partners").count("!!") == 0
    assert not os.path.exists("/tmp/keluar-abs") and not os.path.exists("/tmp/keluar-abs.yml")
    # Valid on the day the command ran: a command left to its default date (`verified` without --date) writes
    # the real today, which may be later than the demo's pinned TODAY.
    catalog = load_catalog(root, today=max(TODAY, dt.date.today()))
    assert catalog.report.ok, catalog.report.lines()
    # Undo what a command legitimately wrote, so each example starts alike.
    for path in sorted(set(after) - set(before), key=len, reverse=True):
        full = os.path.join(playground, path)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full, ignore_errors=True)
        elif os.path.lexists(full):
            os.unlink(full)
    git(playground, "checkout", "-q", "--", "partners")


def test_the_subprocess_entry_point_reports_cleanly_too(tmp_path):
    root = copy_reference_data(str(tmp_path))
    result = run_portal("import", str(tmp_path / "tidak-ada.csv"), "--data", root)
    assert result.returncode == 2
    assert result.stderr.decode().endswith("tidak-ada.csv: does not exist\n") and b"Traceback" not in result.stderr


# --- doctor ---------------------------------------------------------------------------------------------

READY = """site_name: Portal Kemitraan Nusa
site_url: https://kemitraan.nusa.or.id/
extra:
  portal:
    organisation: Yayasan Kemitraan Nusa
    contact_email: kemitraan@nusa.or.id
    intake_form_url: https://forms.gle/abc123
    correction_form: {url: "https://forms.gle/koreksi1", fields: {slug: entry.1}}
"""


def test_doctor_lists_what_the_demo_configuration_must_change(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    code, out, err = run("doctor", "--data", root, "--config", os.path.join(DEMO, "mkdocs.yml"))
    assert code == 1
    assert "site_url: 'https://example.github.io/portal-kemitraan/' is a placeholder or not https" in out
    assert "repo_url: 'https://github.com/example/portal-kemitraan' is the demo's" in out
    assert "extra.portal.contact_email: 'kemitraan@example.org' is a placeholder" in out
    # The demo's name and its sixteen fictional partners, each by its file.
    assert "extra.portal.organisation: 'Portal Kemitraan' is the demo's name" in out and "site_name: 'Portal Kemitraan' is the demo's name" in out
    examples = [line for line in out.splitlines() if "says it is an example partner (fictional)" in line]
    assert len(examples) == 16 and examples[0].startswith("partners/bumdes-makmur-bersama.yml:1: file:")
    assert "thing(s) to change before the site goes live" in err


def test_doctor_passes_a_ready_configuration_and_catches_template_text(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=False)  # the demo's fictional partners would be listed
    config = tmp_path / "mkdocs.yml"
    config.write_text(READY)
    code, out, err = run("doctor", "--data", root, "--config", config)
    assert code == 0, out + err
    assert out.startswith("Ready to go live")
    # `new` will not write a public partner whose summary is still the placeholder...
    code, out, err = run("new", "Koperasi Baru Sekali", "--pattern", "agency", "--side", "agent", "--province", "Bali", "--visibility", "public", "--data", root)
    assert code == 1 and not os.path.exists(os.path.join(root, "koperasi-baru-sekali.yml"))
    assert "summary: still holds the placeholder [[Ringkasan satu kalimat tentang Koperasi Baru Sekali]]; write the real text before the partner is public" in out
    # ...writes a hidden one, and once someone makes it public by hand, validate and doctor refuse it.
    code, out, err = run("new", "Koperasi Baru Sekali", "--pattern", "agency", "--side", "agent", "--province", "Bali", "--data", root)
    assert code == 0, out + err
    path = os.path.join(root, "koperasi-baru-sekali.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read().replace("visibility: hidden", "visibility: unlisted")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    code, out, err = run("validate", "--data", root)
    assert code == 1 and "koperasi-baru-sekali.yml:8: summary: still holds the placeholder" in out
    code, out, err = run("doctor", "--data", root, "--config", config)
    assert code == 1 and "summary: still holds the placeholder" in out


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "forked workers"])
def test_a_placeholder_is_found_however_the_yaml_writes_it(tmp_path, monkeypatch, parallel):
    """The parser notes whether any text holds "[[", and only then are the public texts searched for a
    placeholder: a placeholder written through escapes, split over a folded block, given through an alias
    or in a list is still found, and a file with brackets that are no placeholder passes."""
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = os.path.join(root, "koperasi-tani-sumber-rejeki.yml")
    text = open(path, encoding="utf-8").read()
    escaped = text.replace('summary: "Koperasi petani', 'summary: "\\x5b\\x5btulis ringkasan\\u005d] Koperasi petani', 1)
    folded = text.replace("description: |\n  Koperasi ini", "description: >\n  [[tulis\n  deskripsi]]\n\n  Koperasi ini", 1)
    aliased = text.replace('  - title: "Pelatihan sortasi dan pengemasan"', '  - title: &judul "[[judul kegiatan]]"', 1).replace(
        '  - title: "Kunjungan gudang pembeli"', "  - title: *judul", 1)
    plain = text.replace('summary: "Koperasi petani', 'summary: "[Koperasi] [petani]', 1)
    monkeypatch.setenv("PORTAL_PARALLEL_MIN", "1" if parallel else "100000")
    for variant, field in ((escaped, "summary"), (folded, "description"), (aliased, "activities[0].title"), (plain, None)):
        assert variant != text
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(variant)
        catalog = load_catalog(root, today=TODAY)
        said = [line for line in catalog.report.lines() if "still holds the placeholder" in line]
        if field is None:
            assert said == [] and catalog.report.ok, catalog.report.lines()
        else:
            assert any(f"koperasi-tani-sumber-rejeki.yml:" in line and f": {field}: still holds the placeholder [[" in line for line in said), catalog.report.lines()
