"""The engine-neutral path: `portal render --out DIR` writes the same pages and exports the MkDocs hook
publishes, and Zensical builds a working site from them."""

import json
import os
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import ROOT, TODAY
from portal_kemitraan.adapters.folder import RenderError, engine_config, project_files, write_folder
from sitebuild import read, search_records


def test_the_engine_config_drops_only_the_hook_and_points_at_the_rendered_folders():
    text = open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8").read()
    config = engine_config(text)
    assert "hooks:" not in config and "portal_hook" not in config
    assert config.startswith("docs_dir: docs\nsite_dir: site\n")
    assert "theme:" in config and "custom_dir: overrides" in config and "extra:" in config


def test_render_writes_a_project_for_another_engine(tmp_path):
    out = tmp_path / "out"
    files = project_files(os.path.join(ROOT, "mkdocs.yml"))
    assert write_folder(str(out), files) == len(files)
    page = (out / "docs" / "partners" / "kwt-melati.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])  # written by a YAML serialiser, read back by a YAML parser
    assert front["template"] == "partner.html" and front["title"] == "Kelompok Wanita Tani Melati"
    assert page.split("---\n", 2)[2].lstrip().startswith('<div class="portal-generated">\n<nav class="portal-crumbs"')
    assert '<article class="portal-partner" data-slug="kwt-melati">' in page
    assert "<!-- portal:" not in (out / "docs" / "index.md").read_text(encoding="utf-8")  # blocks filled in
    assert (out / "docs" / "api" / "partners.json").exists() and (out / "docs" / "feed.xml").exists()
    assert (out / "overrides" / "partner.html").exists() and (out / "overrides" / "partials" / "portal-search.html").exists()
    assert (out / "docs" / "pagefind" / "pagefind.js").exists()  # the site's search travels with the pages
    assert not any("internal" in p for p in files if p.endswith(".json")) and "docs/partners/koperasi-tebu-manis-jaya.md" in files


def test_render_refuses_a_folder_it_did_not_make_and_replaces_one_it_made(tmp_path):
    mine = tmp_path / "bukan"
    mine.mkdir()
    (mine / "catatan.txt").write_text("jangan dihapus")
    with pytest.raises(RenderError, match="is not empty and was not made by `portal render`"):
        write_folder(str(mine), {"a.md": "x"})
    assert (mine / "catatan.txt").exists()
    out = tmp_path / "out"
    write_folder(str(out), {"a.md": "x", "b/c.md": "y"})
    write_folder(str(out), {"a.md": "z"})
    assert (out / "a.md").read_text() == "z" and not (out / "b").exists()


def test_rendered_pages_match_what_the_hook_publishes(built_site, zensical_site):
    mkdocs_site, _ = built_site
    for rel in ("api/partners.json", "api/directory.json", "partners.csv", "feed.xml", "api/partners/kwt-melati.json"):
        with open(os.path.join(mkdocs_site, rel), "rb") as a, open(os.path.join(zensical_site, rel), "rb") as b:
            assert a.read() == b.read(), rel
    for rel in ("partners/kwt-melati/index.html", "patterns/agency/index.html", "partners/index.html", "join/index.html"):
        assert "portal-" in read(zensical_site, rel)
    hidden = [p for p in os.listdir(os.path.join(zensical_site, "partners"))]
    assert sorted(hidden) == sorted(os.listdir(os.path.join(mkdocs_site, "partners")))


def test_zensical_keeps_unlisted_and_embed_pages_out_of_sitemap_and_marks_them_noindex(zensical_site):
    assert '<meta name="robots" content="noindex">' in read(zensical_site, "embed/index.html")
    tree = ET.fromstring(read(zensical_site, "sitemap.xml").encode("utf-8"))
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith("/partners/kwt-melati/") for loc in locs)
    assert not any(loc.endswith("/portal-kemitraan/embed/") or "/partners/page/" in loc for loc in locs)
    assert any(loc.endswith("/guide/embed/") for loc in locs)  # the embed builder page is a normal page
    # The site's own search index came with the rendered docs; the engine's own holds nothing.
    locations = {r["url"] for r in search_records(zensical_site)}
    assert "/partners/kelompok-mina-lestari/" in locations and "/partners/yayasan-usaha-mikro-sulsel/" not in locations
    assert json.loads(read(zensical_site, "search.json"))["items"] == []


def test_the_render_command_reports_data_errors_without_writing(tmp_path):
    import shutil
    from sitebuild import project
    from test_trust_commands import run

    folder = project(str(tmp_path / "p"))
    shutil.copy(os.path.join(ROOT, "tests", "fixtures", "hostile", "bad-long-name.yml"), os.path.join(folder, "partners"))
    code, out, err = run("render", "--out", tmp_path / "out", "--config", os.path.join(folder, "mkdocs.yml"))
    assert code == 1 and "bad-long-name.yml:1: name: is 201 characters long" in out
    assert not (tmp_path / "out").exists()
    assert TODAY  # the fixture data is dated; the render uses SOURCE_DATE_EPOCH or today


def test_a_template_of_the_same_name_in_overrides_wins(tmp_path):
    from conftest import copy_reference_data
    from portal_kemitraan.core.catalog import load_catalog
    from portal_kemitraan.core.public import build_public_site
    from portal_kemitraan.core.settings import Settings
    from portal_kemitraan.render.pages import SitePlan

    root = copy_reference_data(str(tmp_path), with_partners=True)
    site = build_public_site(load_catalog(root, today=TODAY), TODAY)
    overrides = tmp_path / "overrides"
    (overrides / "blocks").mkdir(parents=True)
    (overrides / "partner.html.j2").write_text('<article class="milik-situs">{{ partner.name }} · {{ _("Kontak") }}</article>\n')
    (overrides / "blocks" / "cta.html.j2").write_text("<p>ajakan sendiri</p>\n")
    plan = SitePlan(site, Settings(), overrides=str(overrides), locale="en")
    assert plan.render("partners/kwt-melati.md", "partners/kwt-melati/") == '<article class="milik-situs">Kelompok Wanita Tani Melati · Contact</article>\n'
    assert plan.block("cta", "") == "<p>ajakan sendiri</p>\n"
    assert "portal-stats" in plan.block("stats", "")  # the others stay the built-in ones
