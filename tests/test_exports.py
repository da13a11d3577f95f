"""The machine-readable exports, the embed view and the publishing configuration."""

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import yaml

from conftest import DEMO, ROOT
from sitebuild import read
from test_build import HIDDEN, PRIVATE, PUBLIC, UNLISTED

API_KEYS = {
    "slug", "url", "name", "summary", "summary_en", "description_html", "description_html_en", "kind", "pattern", "pattern_name", "side", "side_label",
    "forms", "sectors", "province", "province_id", "city", "location", "website", "logo", "contact", "stage",
    "stage_label", "agreement", "activities", "evaluations", "since", "last_verified", "address",
}  # fmt: skip


def test_partners_json_holds_public_partners_and_public_fields_only(built_site):
    site, _ = built_site
    data = json.loads(read(site, "api/partners.json"))
    assert data["count"] == len(PUBLIC) == len(data["partners"])
    assert sorted(p["slug"] for p in data["partners"]) == PUBLIC
    for p in data["partners"]:
        assert set(p) == API_KEYS
        assert "internal" not in json.dumps(p)
    assert [s["id"] for s in data["stages"]][0] == "identification" and len(data["stages"]) == 11
    assert {p["id"] for p in data["patterns"]} == {"agency", "operational-cooperation", "foster-parent", "general-trade"}
    ternak = next(p for p in data["partners"] if p["slug"] == "kelompok-ternak-sejahtera")
    assert ternak["contact"] == {"email": None, "phone": "+623805550177", "whatsapp": None, "person": None}  # no consent: no person


def test_one_json_file_per_public_partner(built_site):
    site, _ = built_site
    names = sorted(n[:-5] for n in os.listdir(os.path.join(site, "api", "partners")))
    assert names == PUBLIC
    one = json.loads(read(site, "api/partners/kwt-melati.json"))
    assert one["name"] == "Kelompok Wanita Tani Melati" and set(one) == API_KEYS


def test_csv_for_spreadsheets(built_site):
    site, _ = built_site
    text = read(site, "partners.csv")
    assert text.startswith("\ufeffslug,name,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert sorted(r["slug"] for r in rows) == PUBLIC
    sumber = next(r for r in rows if r["slug"] == "koperasi-tani-sumber-rejeki")
    assert sumber["agreement_status"] == "ending" and sumber["contact_person"] == "Ibu Rina Marlina"
    assert sumber["sectors"] == "hortikultura;sayuran"


def test_csv_cells_cannot_become_formulas():
    from portal_kemitraan.render.csvout import cell as _cell

    assert _cell("=HYPERLINK(\"http://x\")").startswith("'=")
    assert _cell("@SUM(A1)").startswith("'@")
    assert _cell("+62225550142") == "+62225550142"
    assert _cell("-cmd|' /C calc'!A0").startswith("'-")


def test_atom_feed_of_new_partners(built_site):
    site, _ = built_site
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(read(site, "feed.xml").encode("utf-8"))
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries][:2] == ["BUMDes Makmur Bersama", "Kelompok Wanita Tani Melati"]
    assert entries[0].find("a:link", ns).get("href") == "https://example.github.io/portal-kemitraan/partners/bumdes-makmur-bersama/"
    assert feed.find("a:updated", ns).text == "2026-11-02T00:00:00Z"
    assert 'type="application/atom+xml"' in read(site, "index.html")


def test_exports_hold_no_private_value(built_site):
    site, _ = built_site
    exported = [read(site, p) for p in ("api/partners.json", "api/directory.json", "partners.csv", "feed.xml")]
    exported += [read(site, f"api/partners/{n}") for n in os.listdir(os.path.join(site, "api", "partners"))]
    for text in exported:
        for value in PRIVATE + [UNLISTED, HIDDEN, "Yayasan Pemberdayaan", "screening", "last_contact", "\"owner\"", "sari", "dimas"]:
            assert value not in text, value


def test_exports_are_documented(built_site):
    site, _ = built_site
    page = read(site, "guide/data/index.html")
    for name in ("api/partners.json", "partners.csv", "feed.xml", "embed/"):
        assert name in page


def test_embed_view_has_no_site_chrome_and_reads_filters(built_site):
    site, _ = built_site
    html = read(site, "embed/index.html")
    assert ".md-header, .md-banner, .md-footer, .md-content__button { display: none !important; }" in html
    assert 'md-sidebar--primary' not in html and "portal-announce" not in html
    assert 'data-link-target="_blank"' in html and '<meta name="robots" content="noindex">' in html
    assert 'target="_blank" rel="noopener">Jadi mitra</a>' in html
    builder = read(site, "guide/embed/index.html")
    assert 'class="portal-filters portal-embed-builder" data-search-exclude data-embed="../../embed/"' in builder
    assert '<iframe class="portal-embed-preview" src="../../embed/"' in builder


def test_publish_workflow_checks_before_it_deploys():
    with open(os.path.join(ROOT, ".github", "workflows", "publish.yml"), encoding="utf-8") as fh:
        flow = yaml.load(fh, Loader=yaml.BaseLoader)  # BaseLoader keeps the key "on" as text
    assert set(flow["on"]) >= {"push", "pull_request"}
    assert flow["on"]["push"]["branches"] == ["main"]
    steps = flow["jobs"]["build"]["steps"]
    runs = " | ".join(s.get("run", "") for s in steps)
    # The gate is the organisation's own data (portal check: validate, strict builds, the site read against
    # the data), never this project's test suite.
    assert "portal check" in runs and "dev.py test" not in runs and "pytest" not in runs
    order = [next(i for i, s in enumerate(steps) if command in (s.get("run", "") + s.get("uses", ""))) for command in ("pip install", "portal check", "upload-pages-artifact")]
    assert order == sorted(order)
    uses = {s.get("uses", "").split("@")[0]: s for s in steps}
    assert "pull_request" in uses["actions/upload-artifact"]["if"]
    assert "pull_request" in uses["actions/upload-pages-artifact"]["if"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_pre_commit_runs_the_validator_and_the_schema_check():
    with open(os.path.join(ROOT, ".pre-commit-config.yaml"), encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert "scripts/portal.py validate" in hooks["validate-partners"]["entry"]
    assert hooks["check-jsonschema"]["args"] == ["--schemafile", "partners/partner.schema.json"]


def test_check_jsonschema_accepts_the_examples_and_refuses_a_typo(tmp_path):
    import glob
    import subprocess
    import sys

    files = [p for p in glob.glob(os.path.join(DEMO, "partners", "*.yml")) if not p.endswith(("stages.yml", "forms.yml", "search.yml"))]
    tool = os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    schema = os.path.join(DEMO, "partners", "partner.schema.json")
    ok = subprocess.run([tool, "--schemafile", schema, *files], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "typo.yml"
    bad.write_text("name: A\npattern: agency\nside: agent\nsumary: x\nregion: {province: Bali}\n", encoding="utf-8")
    refused = subprocess.run([tool, "--schemafile", schema, str(bad)], capture_output=True, text=True)
    assert refused.returncode == 1 and "sumary" in refused.stdout


def test_publish_workflow_can_publish_from_a_private_repository_either_way():
    with open(os.path.join(ROOT, ".github", "workflows", "publish.yml"), encoding="utf-8") as fh:
        text = fh.read()
    flow = yaml.load(text, Loader=yaml.BaseLoader)
    assert "keep it PRIVATE" in text
    build = flow["jobs"]["build"]["steps"]
    check = next(s for s in build if "portal check" in s.get("run", ""))
    assert "pull_request" in check["env"]["PORTAL_PREVIEW"]  # edit links only in a pull request's preview
    assert "vars.PUBLISH_TO != 'repository'" in flow["jobs"]["deploy"]["if"]
    push = flow["jobs"]["push-site"]
    assert push["needs"] == "build" and "vars.PUBLISH_TO == 'repository'" in push["if"]
    checkout = next(s for s in push["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["repository"] == "${{ vars.PUBLIC_SITE_REPO }}"
    assert checkout["with"]["ssh-key"] == "${{ secrets.PUBLIC_SITE_DEPLOY_KEY }}"
    script = push["steps"][-1]["run"]
    assert "cp -R site/. public/" in script and "partners" not in script  # only the built site leaves
