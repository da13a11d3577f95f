"""The engine-neutral path: `portal render --out DIR` writes the same pages and exports the MkDocs hook
publishes, and Zensical builds a working site from them."""

import json
import os
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import DEMO, ROOT, TODAY
from portal_kemitraan.adapters.folder import RenderError, edition_configs, engine_config, project_files, read_config, write_folder
from sitebuild import read, search_records, site_files


def test_each_edition_gets_a_whole_config_without_the_hook_or_the_repository():
    """INHERIT resolved as MkDocs resolves it (mappings merged, lists replaced): Zensical ignores it."""
    editions = dict(edition_configs(os.path.join(DEMO, "mkdocs.yml")))
    assert sorted(editions) == ["mkdocs.en.yml", "mkdocs.yml"]
    english = yaml.safe_load(engine_config(editions["mkdocs.en.yml"], "docs-en", "site/en", {"search": "Search"}))
    assert english["docs_dir"] == "docs-en" and english["site_dir"] == "site/en" and "INHERIT" not in english
    assert english["theme"]["language"] == "en" and english["theme"]["custom_dir"] == "overrides"  # merged with the parent's theme
    assert english["theme"]["palette"][0]["toggle"]["name"] == "Switch to dark mode"  # the list is the child's
    assert english["extra"]["portal"]["organisation"] and english["extra"]["portal_text"] == {"search": "Search"}
    for config in (english, yaml.safe_load(engine_config(editions["mkdocs.yml"], "docs", "site"))):
        assert "hooks" not in config and not {"repo_url", "repo_name", "edit_uri"} & set(config)
        assert config["plugins"] == [{"search": {"enabled": False}}]


def test_tags_in_a_config_are_written_back_as_tags(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                                         "extra:\n  key: !ENV [PORTAL_KEY, fallback]\n", encoding="utf-8")
    text = engine_config(read_config(str(tmp_path / "mkdocs.yml")), "docs", "site")
    assert "!!python/name:material.extensions.emoji.twemoji" in text and "!ENV" in text and "PORTAL_KEY" in text


def test_an_edition_named_without_its_config_is_refused(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nextra:\n  alternate:\n    - {lang: id}\n    - {lang: en}\n", encoding="utf-8")
    with pytest.raises(RenderError, match="mkdocs.en.yml is not beside mkdocs.yml"):
        edition_configs(str(tmp_path / "mkdocs.yml"))
    (tmp_path / "mkdocs.en.yml").write_text("INHERIT: mkdocs.en.yml\n", encoding="utf-8")
    with pytest.raises(RenderError, match="INHERIT leads back to itself"):
        edition_configs(str(tmp_path / "mkdocs.yml"))


def test_render_writes_a_project_for_another_engine(tmp_path):
    from sitebuild import project

    out = tmp_path / "out"
    files = project_files(os.path.join(project(str(tmp_path / "project")), "mkdocs.yml"))
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
    english = (out / "docs-en" / "partners" / "kwt-melati.md").read_text(encoding="utf-8")  # the second edition
    assert '<html' not in english and "Ask for a correction" in english and (out / "docs-en" / "pagefind" / "pagefind.js").exists()
    assert (out / "mkdocs.en.yml").exists() and (out / "docs-en" / "api" / "partners.json").exists()
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


@pytest.mark.parametrize("edition", ["", "en"])
def test_every_engine_publishes_the_same_search_bundle_byte_for_byte(built_site, zensical_site, edition):
    """One producer (render/bundle.py, from render_site) makes the index for MkDocs and for Zensical alike:
    the same partners, patterns and hand-written pages, converted with the configuration's own extensions."""

    mkdocs_bundle = os.path.join(built_site[0], edition, "pagefind")
    zensical_bundle = os.path.join(zensical_site, edition, "pagefind")
    names = sorted(os.path.relpath(p, mkdocs_bundle) for p in site_files(mkdocs_bundle))
    assert names == sorted(os.path.relpath(p, zensical_bundle) for p in site_files(zensical_bundle))
    for name in names:
        with open(os.path.join(mkdocs_bundle, name), "rb") as a, open(os.path.join(zensical_bundle, name), "rb") as b:
            assert a.read() == b.read(), name
    urls = {r["url"] for r in search_records(os.path.join(built_site[0], edition))}
    assert "/join/" in urls and "/partners/kwt-melati/" in urls and "/patterns/agency/" in urls, sorted(urls)  # hand-written, partner, pattern


@pytest.mark.parametrize("edition", ["", "en/"])
def test_zensical_keeps_unlisted_and_embed_pages_out_of_sitemap_and_marks_them_noindex(zensical_site, edition):
    """Both editions of the Zensical build: what may be found, and what may not."""
    site = os.path.join(zensical_site, edition) if edition else zensical_site
    assert '<meta name="robots" content="noindex">' in read(site, "embed/index.html")
    assert '<meta name="robots" content="noindex">' in read(site, "partners/yayasan-usaha-mikro-sulsel/index.html")  # unlisted
    assert '<meta name="robots" content="noindex">' not in read(site, "partners/kwt-melati/index.html")
    tree = ET.fromstring(read(site, "sitemap.xml").encode("utf-8"))
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(f"/{edition}partners/kwt-melati/") for loc in locs)
    assert not any(loc.endswith(f"/portal-kemitraan/{edition}embed/") or "/partners/page/" in loc or "yayasan-usaha-mikro-sulsel" in loc for loc in locs)
    assert any(loc.endswith("/guide/embed/") for loc in locs)  # the embed builder page is a normal page
    assert not os.path.exists(os.path.join(site, "partners", "pt-sayur-sehat-bali"))  # hidden: no page at all
    # The site's own search index came with the rendered docs; the engine's own holds nothing.
    locations = {r["url"] for r in search_records(site)}
    assert "/partners/kelompok-mina-lestari/" in locations and "/partners/yayasan-usaha-mikro-sulsel/" not in locations  # from the edition's root
    assert json.loads(read(site, "search.json"))["items"] == []


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
