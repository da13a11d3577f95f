"""A site built in parts (`portal part`, each its own process, as jobs of a CI matrix run them) and joined
(`portal join`) is the site one machine builds, byte for byte, with one search that finds every partner;
the join refuses parts that do not make one site, and neither command builds where it must not."""

import json
import os

import pytest

from conftest import run_portal
from sitebuild import EPOCH, digest, project, search_records

ENV = {"SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}


def said(result) -> str:
    return (result.stdout + result.stderr).decode("utf-8")


def profiles(folder):
    return sorted(name for name in os.listdir(os.path.join(folder, "partners")) if os.path.isdir(os.path.join(folder, "partners", name))
                  and os.path.isfile(os.path.join(folder, "partners", name, "index.html"))) if os.path.isdir(os.path.join(folder, "partners")) else []


def test_three_parts_built_apart_and_joined_are_the_one_machine_build_with_one_search(built_site, tmp_path):
    whole = built_site[0]
    folder = project(str(tmp_path / "p"))
    parts = [str(tmp_path / f"part{k}") for k in (1, 2, 3)]
    for k, out in enumerate(parts, 1):
        result = run_portal("part", f"{k}/3", "--out", out, env=ENV, cwd=folder)
        assert result.returncode == 0, said(result)
    # Part 1 wrote the lists and the search and no profile; the others each their own range of profiles.
    written = [profiles(out) for out in parts]
    every = profiles(whole)
    assert written[0] == [] and written[1] and written[2] and sorted(written[1] + written[2]) == every and len(every) >= 6
    assert written[1][-1] < written[2][0]  # ranges of slugs, in order
    assert os.path.isfile(os.path.join(parts[0], "partners", "index.html")) and os.path.isfile(os.path.join(parts[0], "en", "index.html"))
    assert os.path.isdir(os.path.join(parts[0], "pagefind")) and not os.path.exists(os.path.join(parts[1], "pagefind"))
    assert not os.path.exists(os.path.join(parts[1], "partners", "index.html"))  # the directory is part 1's
    assert not os.path.exists(os.path.join(parts[2], "en", "pagefind"))

    joined = run_portal("--lang", "id", "join", *reversed(parts), env=ENV, cwd=folder)  # in any order
    assert joined.returncode == 0, said(joined)
    assert "2 edisi" in said(joined)  # then checked as `portal check` checks a site
    a, b = digest(whole), digest(os.path.join(folder, "site"))
    assert sorted(a) == sorted(b) and sorted(name for name in a if a[name] != b[name]) == []
    found = {record["url"] for record in search_records(os.path.join(folder, "site"))}
    with open(os.path.join(whole, "api", "partners.json"), encoding="utf-8") as fh:
        listed = [p["slug"] for p in json.load(fh)["partners"]]
    assert listed and all(any(f"partners/{slug}/" in url for url in found) for slug in listed)


@pytest.fixture
def demo(tmp_path):
    return project(str(tmp_path / "p"))


def fake_part(folder, number, count, project_digest, files=None):
    os.makedirs(folder)
    with open(os.path.join(folder, ".portal-part.json"), "w", encoding="utf-8") as fh:
        json.dump({"part": number, "parts": count, "project": project_digest}, fh)
    for rel, data in (files or {}).items():
        os.makedirs(os.path.dirname(os.path.join(folder, rel)), exist_ok=True)
        with open(os.path.join(folder, rel), "wb") as fh:
            fh.write(data)
    return folder


def this_project(folder):
    from portal_kemitraan.staff.parts import fingerprint
    from portal_kemitraan.staff.reporter import Reporter
    from portal_kemitraan.staff.site_commands import checked_project

    return fingerprint(checked_project(os.path.join(folder, "mkdocs.yml"), Reporter(lambda text: text, "en")))


def test_the_join_refuses_parts_missing_twice_or_of_other_data_and_leaves_the_site_alone(demo, tmp_path):
    here = this_project(demo)
    site = os.path.join(demo, "site")
    os.makedirs(site)
    with open(os.path.join(site, "index.html"), "w", encoding="utf-8") as fh:
        fh.write("the site as it was")
    one, two = fake_part(str(tmp_path / "a"), 1, 3, here), fake_part(str(tmp_path / "b"), 2, 3, here)
    result = run_portal("join", one, two, cwd=demo)
    assert result.returncode == 1 and "1, 2 of 3" in said(result)
    result = run_portal("join", one, one, two, cwd=demo)
    assert result.returncode == 1 and "1, 1, 2 of 3" in said(result)
    huge = fake_part(str(tmp_path / "huge"), 1, 10**12, here)  # a count no list of parts is made from
    result = run_portal("join", huge, cwd=demo)
    assert result.returncode == 1 and f"1 of {10**12}" in said(result)
    three = fake_part(str(tmp_path / "c"), 3, 3, "0" * 64)
    result = run_portal("join", one, two, three, cwd=demo)
    assert result.returncode == 1 and "same commit" in said(result) and os.path.basename(three) in said(result)
    # Two parts that wrote one file differently: nothing is joined.
    fake_part(str(tmp_path / "d"), 3, 3, here, {"assets/portal.css": b"x"})
    fake_part(str(tmp_path / "e"), 1, 3, here, {"assets/portal.css": b"y"})
    result = run_portal("join", str(tmp_path / "e"), two, str(tmp_path / "d"), cwd=demo)
    assert result.returncode == 1 and "assets/portal.css" in said(result) and "two parts wrote it differently" in said(result)
    # A folder that no part command wrote, and a part's manifest that is not one.
    result = run_portal("join", str(tmp_path), cwd=demo)
    assert result.returncode == 2 and ".portal-part.json" in said(result)
    with open(os.path.join(one, ".portal-part.json"), "w", encoding="utf-8") as fh:
        fh.write('{"part": "1", "parts": 3}')
    result = run_portal("join", one, cwd=demo)
    assert result.returncode == 2 and "not a part of the site" in said(result)
    with open(os.path.join(site, "index.html"), encoding="utf-8") as fh:
        assert fh.read() == "the site as it was"
    assert not [name for name in os.listdir(demo) if name.startswith("site.")]


@pytest.mark.parametrize("part,out,words", [
    ("4/3", "parts/4", "NUMBER/COUNT"),
    ("0/3", "parts/0", "NUMBER/COUNT"),
    ("dua/tiga", "parts/2", "NUMBER/COUNT"),
    ("1/3", "partners", "is the data folder"),
    ("1/3", "partners/out", "is the data folder"),
    ("1/3", ".", "is the data folder"),
    ("1/3", "site", "is the site folder"),
    ("1/3", "docs", "not a part of the site; give a new or empty folder"),
])
def test_a_part_is_never_built_over_the_data_the_project_the_site_or_other_files(demo, part, out, words):
    before = sorted(os.listdir(os.path.join(demo, "partners")))
    result = run_portal("part", part, "--out", out, cwd=demo)
    assert result.returncode == 2, said(result)
    assert words in said(result) and "Traceback" not in said(result)
    assert sorted(os.listdir(os.path.join(demo, "partners"))) == before
    assert os.path.isfile(os.path.join(demo, "docs", "index.md"))


def test_the_workflow_in_parts_builds_each_part_apart_and_publishes_only_the_checked_join():
    import yaml

    from conftest import ROOT

    def flow(name):
        with open(os.path.join(ROOT, ".github", "workflows", name), encoding="utf-8") as fh:
            return yaml.load(fh, Loader=yaml.BaseLoader)  # BaseLoader keeps the key "on" as text

    parts, whole = flow("publish-in-parts.yml"), flow("publish.yml")
    # Exactly one of the two publishes a push to main: the repository variable chooses.
    assert "vars.PUBLISH_IN_PARTS == 'true'" in parts["jobs"]["part"]["if"]
    assert "vars.PUBLISH_IN_PARTS != 'true'" in whole["jobs"]["build"]["if"]
    part = parts["jobs"]["part"]
    assert part["strategy"]["matrix"]["part"] == ["1", "2", "3"]
    steps = part["steps"]
    build = next(s for s in steps if "portal part" in s.get("run", ""))
    assert '"${{ matrix.part }}/${{ strategy.job-total }}"' in build["run"]
    keep = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert keep["with"]["include-hidden-files"] == "true" and keep["with"]["path"] == "parts/${{ matrix.part }}"
    join = parts["jobs"]["join"]
    assert join["needs"] == "part"
    order = [next(i for i, s in enumerate(join["steps"]) if what in s.get("run", "") + s.get("uses", ""))
             for what in ("download-artifact", "portal join parts/*", "upload-pages-artifact")]
    assert order == sorted(order)
    assert parts["jobs"]["deploy"]["needs"] == "join" and parts["jobs"]["push-site"]["needs"] == "join"
    runs = " | ".join(s.get("run", "") for job in parts["jobs"].values() for s in job["steps"])
    assert "pytest" not in runs and "dev.py test" not in runs  # the gate is the organisation's own data


def test_a_part_whose_build_fails_is_no_part_any_more(demo, tmp_path):
    """A folder that held a part before, built again from pages MkDocs refuses: the command fails and the
    folder's manifest is gone, so `portal join` cannot take what is left there for a part."""
    out = fake_part(str(tmp_path / "part1"), 1, 2, this_project(demo), {"index.html": b"an older part"})
    with open(os.path.join(demo, "docs", "index.md"), "a", encoding="utf-8") as fh:
        fh.write("\n[a page that is not there](tidak-ada.md)\n")  # a strict build refuses the broken link
    result = run_portal("part", "1/2", "--out", out, env=ENV, cwd=demo)
    assert result.returncode == 1 and "Traceback" not in said(result)
    assert not os.path.exists(os.path.join(out, ".portal-part.json"))
    result = run_portal("join", out, str(tmp_path / "part1"), cwd=demo)
    assert result.returncode == 2 and "not a part of the site" in said(result)


def test_portal_check_builds_whole_editions_even_where_the_environment_names_a_part(demo, monkeypatch):
    """PORTAL_PART left in a shell or a CI job's environment never turns the publish gate into a part's build;
    and every edition is built from the data the check read once (no edition reads the partner files again)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.exceptions import Abort

    from portal_kemitraan.adapters import mkdocs as adapter
    from portal_kemitraan.core import catalog as catalog_module

    def build(config, **kwargs):  # in the edition's forked build: what it found is said back as MkDocs' refusal
        config.plugins.on_config(config)  # the adapter's own, for real
        found = [(a.part, a.site is a.loaded.site) for a in adapter.adapters_in(config)]
        raise Abort(f"stopped here by the test: {found}")

    def no_second_reading(*args, **kwargs):
        raise AssertionError("an edition read the data again")

    monkeypatch.setenv("PORTAL_PART", "2/3")
    monkeypatch.setattr(mkdocs_build, "build", build)
    monkeypatch.setattr(adapter, "load_catalog", no_second_reading)
    result = run_portal("check", cwd=demo)
    assert result.returncode == 1 and "Traceback" not in said(result), said(result)
    # the first edition, whole, from the check's own data; then the check stops
    assert "stopped here by the test: [(None, True)]" in said(result) and "read the data again" not in said(result)
    assert catalog_module.load_catalog is not no_second_reading


def test_a_broken_template_stops_the_check_with_one_line_and_the_folder_it_ran_in_kept(demo, tmp_path):
    """An edition's build fails inside the forked copy of the command: what failed is one line (no
    traceback), nothing may be published, and the command's own folder is where it was."""
    with open(os.path.join(demo, "overrides", "main.html"), "a", encoding="utf-8") as fh:
        fh.write("\n{% if %}\n")
    before = os.getcwd()
    result = run_portal("check", "--config", os.path.join(demo, "mkdocs.yml"), cwd=str(tmp_path))
    assert result.returncode == 1, said(result)
    assert "mkdocs.yml: TemplateSyntaxError:" in said(result) and "Traceback" not in said(result)
    assert os.getcwd() == before and not os.path.exists(os.path.join(str(tmp_path), "site"))


def test_a_part_refuses_an_edition_published_outside_the_main_one(demo, tmp_path):
    """A part is one folder: an edition whose site lies beside the main one's (not in it) would be built
    outside the part's folder, so the part is refused before anything is built."""
    config = os.path.join(demo, "mkdocs.en.yml")
    with open(config, encoding="utf-8") as fh:
        text = fh.read()
    with open(config, "w", encoding="utf-8") as fh:
        fh.write(text.replace("site_dir: site/en", "site_dir: site-en"))
    result = run_portal("part", "1/2", "--out", str(tmp_path / "part1"), cwd=demo)
    assert result.returncode == 2 and "outside the main edition" in said(result)
    assert not os.path.exists(tmp_path / "part1") and not os.path.exists(os.path.join(demo, "site-en"))
