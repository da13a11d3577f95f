"""Trust, third round: hostile text in every published field read back from every output with a real parser,
the terminal, the mail drafts, logos' metadata, reserved names, the 404 page's addresses and staff templates."""

import csv
import email
import email.policy
import io
import json
import os
import shutil
import xml.etree.ElementTree as ET
import zipfile

import pytest
import yaml
from PIL import Image, PngImagePlugin

from conftest import TODAY, copy_reference_data
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.logos import clean_raster
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.core.settings import Settings
from portal_kemitraan.render.site import Edition, render_site
from test_trust_commands import run  # the command in this process: (exit code, stdout, stderr)

# Text that changes its meaning on the way out if anything writes it by string formatting: line and paragraph
# separators, YAML and Markdown syntax, quotes, HTML, an encoded word that decodes to a line break, template
# syntax, a formula, a next-line character and a byte-order mark.
HOSTILE = ("Mitra\u2028\u2029 ---\\n \"' : # &amp; <b>x</b> {{ 7*7 }} {% raw %} =?utf-8?q?a=0D=0ABcc=3A_x=40evil=2Eexample?= "
           "=HYPERLINK(\"http://evil.example\") \ufeff [tautan](javascript:alert(1)) *tebal* `kode`")


def hostile_partner(root: str, slug: str = "mitra-jahat", visibility: str = "public") -> dict:
    """A partner with every published text field set to the hostile text (within each field's limits)."""
    one = HOSTILE.replace("\u2028", " ").replace("\u2029", " ").replace("\u0085", " ")  # single-line fields
    data = {
        "name": one[:200], "pattern": "agency", "side": "agent", "summary": HOSTILE[:280], "summary_en": HOSTILE[:280],
        "description": HOSTILE, "description_en": HOSTILE, "region": {"province": "Bali", "city": one[:200]},
        "kind": "cooperative", "sectors": [one[:60], one[10:70]], "forms": ["grant"],
        "website": "https://contoh.example.id/?q=%22%3E%3Cscript%3E&a=b",
        "contact": {"email": "o'brien+tag@contoh.example.id", "phone": "+62 812 3456 7890",
                    "person": {"name": one[:200], "role": one[:200], "email": "p@contoh.example.id", "consent": True}},
        "agreement": {"type": one[:200], "signed": "2025-01-02", "start": "2025-01-03", "end": "2027-01-02",
                      "document": "https://contoh.example.id/mou.pdf#\"><script>"},
        "activities": [{"title": one[:200], "date": "2025-05-05", "summary": HOSTILE}],
        "evaluations": [{"period": one[:60], "summary": HOSTILE, "achieved": HOSTILE, "obstacles": HOSTILE}],
        "since": "2024-01-01", "last_verified": "2026-01-01", "visibility": visibility,
    }
    with open(os.path.join(root, f"{slug}.yml"), "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
    return data


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    head = text[4:end + 1]
    assert head.isascii(), "front matter is plain ASCII: every other character escaped"
    return yaml.safe_load(head)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_field_hostile_reads_back_from_every_front_matter_and_export(tmp_path, locale):
    root = copy_reference_data(str(tmp_path))
    data = hostile_partner(root)
    hostile_partner(root, "mitra-tersembunyi-jahat", "unlisted")
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.ok, catalog.report.lines()
    site = build_public_site(catalog, TODAY, parallel=False)
    settings = Settings.from_extra({})
    files = {f.path: f.content() for f in render_site(site, settings, Edition(locale, "https://contoh.example/portal/", "Portal"), parallel=False)}
    pages = [path for path in files if path.endswith(".md")]
    assert len(pages) >= 10
    for path in pages:
        meta = _front_matter(files[path])  # every generated page's front matter, read back by a YAML parser
        assert isinstance(meta, dict) and meta.get("title"), path
    profile = _front_matter(files["partners/mitra-jahat.md"])
    assert "Mitra" in profile["title"] and "{{ 7*7 }}" in profile["title"]  # kept as text, escaped for HTML
    unlisted = _front_matter(files["partners/mitra-tersembunyi-jahat.md"])
    assert unlisted["robots"] == "noindex" and unlisted["search"] == {"exclude": True}
    # Every export, read by its own parser, holds the hostile values exactly.
    api = json.loads(files["api/partners.json"])
    mine = next(p for p in api["partners"] if p["slug"] == "mitra-jahat")
    assert mine["name"] == data["name"] and mine["summary"] == data["summary"]
    assert not any(p["slug"] == "mitra-tersembunyi-jahat" for p in api["partners"])
    rows = list(csv.DictReader(io.StringIO(files["partners.csv"].lstrip("\ufeff"))))
    row = next(r for r in rows if r["slug"] == "mitra-jahat")
    assert row["name"].lstrip("'") == data["name"]  # a formula-like cell is escaped with a leading '
    ET.fromstring(files["feed.xml"].encode("utf-8"))
    ET.fromstring(files["kabar.xml"].encode("utf-8"))
    with zipfile.ZipFile(io.BytesIO(files["partners.xlsx"])) as book:
        assert book.testzip() is None
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(files["partners.xlsx"]), read_only=True).active
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(str(n).lstrip("'") == data["name"] for n in names)
    json.loads(files["datapackage.json"])
    json.loads(files["api/activities.json"])


def test_a_hostile_partner_builds_with_mkdocs_and_every_page_keeps_its_front_matter(tmp_path):
    """The whole build (the hook checks that MkDocs kept every key of each generated front matter)."""
    from sitebuild import build, project, read

    folder = project(str(tmp_path / "p"), with_partners=False)
    hostile_partner(os.path.join(folder, "partners"))
    hostile_partner(os.path.join(folder, "partners"), "mitra-tersembunyi-jahat", "unlisted")
    result, site = build(folder, english=False)
    assert result.returncode == 0, result.stderr
    assert '<meta name="robots" content="noindex">' in read(site, "partners/mitra-tersembunyi-jahat/index.html")
    assert "{{ 7*7 }}" in read(site, "partners/mitra-jahat/index.html") and "49" not in read(site, "partners/mitra-jahat/index.html").split("<title>")[1][:300]


def test_file_names_with_terminal_escapes_are_printed_escaped(tmp_path):
    root = copy_reference_data(str(tmp_path))
    for name in ("merah\x1b[31m.yml", "bel\x07.yml", "baris\rbaru.yml", "judul\x1b]0;pwn\x07.yml", "balik\u202e.yml"):
        with open(os.path.join(root, name), "w", encoding="utf-8") as fh:
            fh.write("name: [\n")
    code, out, err = run("validate", "--data", root, "--no-cache")
    assert code == 1
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in out + err
    assert "merah\\x1b[31m.yml" in out and "bel\\x07.yml" in out and "baris\\x0dbaru.yml" in out and "balik\\u202e.yml" in out


def test_a_name_hiding_a_header_never_adds_one_to_a_draft(tmp_path):
    """An encoded word in the partner's or person's name that decodes to CR LF and a Bcc: the draft's headers,
    parsed as a mail program parses them, are exactly the ones built, and none carries the name."""
    root = copy_reference_data(str(tmp_path), with_partners=True)
    path = os.path.join(root, "kelompok-mina-lestari.yml")
    text = open(path, encoding="utf-8").read()
    text = text.replace('name: "Kelompok Pembudidaya Ikan Mina Lestari"', 'name: "=?utf-8?q?Mina=0D=0ABcc=3A_x=40evil=2Eexample?="')
    open(path, "w", encoding="utf-8").write(text)
    config = os.path.join(os.path.dirname(root), "mkdocs.yml")
    shutil.copy(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "mkdocs.yml"), config)
    code, out, err = run("verify", "--data", root, "--config", config, "--today", TODAY.isoformat(), "--days", "30", "--out", str(tmp_path / "keluar"))
    assert code == 0, out + err
    drafts = [n for n in os.listdir(tmp_path / "keluar") if n.endswith(".eml")]
    assert "kelompok-mina-lestari.eml" in drafts
    for name in drafts:
        raw = (tmp_path / "keluar" / name).read_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        keys = [k for k in parsed.keys()]
        assert "Bcc" not in keys and keys.count("To") <= 1 and keys.count("Subject") == 1, keys
        assert str(parsed["Message-ID"]).strip().startswith("<")
        assert b"\r\n" in raw  # SMTP line endings
        assert "evil" not in str(parsed["To"] or "") + str(parsed["Subject"])
    mina = email.message_from_bytes((tmp_path / "keluar" / "kelompok-mina-lestari.eml").read_bytes(), policy=email.policy.default)
    assert "=?utf-8?q?Mina" in mina.get_content()  # the body still names the partner, as text


def _png(**extra) -> bytes:
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "RAHASIA-TEKS")
    info.add_itxt("XML:com.adobe.xmp", "<x>RAHASIA-XMP</x>")
    Image.new("RGBA", (32, 32), (10, 120, 60, 255)).save(out, "PNG", pnginfo=info, icc_profile=b"RAHASIA-ICC" * 40, exif=b"Exif\x00\x00RAHASIA-EXIF")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 60)).save(out, "JPEG", comment=b"RAHASIA-KOMENTAR", icc_profile=b"RAHASIA-ICC" * 40,
                                                   exif=b"Exif\x00\x00RAHASIA-EXIF", xmp=b"<x>RAHASIA-XMP</x>")
    return out.getvalue()


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), (10, 120, 60, 255)).save(out, "WEBP", icc_profile=b"RAHASIA-ICC" * 40, exif=b"Exif\x00\x00RAHASIA-EXIF",
                                                         xmp=b"<x>RAHASIA-XMP</x>")
    return out.getvalue()


@pytest.mark.parametrize("ext, make", [(".png", _png), (".jpg", _jpeg), (".webp", _webp)])
def test_raster_logos_are_published_as_pixels_only(ext, make):
    original = make()
    assert b"RAHASIA" in original  # the test image really carries the metadata
    cleaned = clean_raster(original, ext)
    assert b"RAHASIA" not in cleaned.data and b"ICC_PROFILE" not in cleaned.data and b"iCCP" not in cleaned.data
    assert b"eXIf" not in cleaned.data and b"tEXt" not in cleaned.data and b"iTXt" not in cleaned.data and b"\xff\xfe" not in cleaned.data[:200]
    image = Image.open(io.BytesIO(cleaned.data))
    assert not {"icc_profile", "exif", "comment", "xmp", "XML:com.adobe.xmp", "Comment"} & set(image.info)
    assert image.getpixel((5, 5))[:3] == (10, 120, 60) or ext == ".jpg"  # the pixels are kept
    assert "metadata" in cleaned.removed


def test_a_pattern_named_like_the_overview_page_is_refused(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    shutil.copy(os.path.join(root, "patterns", "agency.yml"), os.path.join(root, "patterns", "index.yml"))
    catalog = load_catalog(root, today=TODAY)
    assert "partners/patterns/index.yml:1: file: the file name 'index' is reserved for the patterns overview page (/patterns/); choose another" in catalog.report.lines()


TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "hostile-commands", "templates")
TEMPLATE_CASES = yaml.safe_load(open(os.path.join(TEMPLATES, "expected.yml"), encoding="utf-8"))


@pytest.mark.parametrize("name, why", sorted(TEMPLATE_CASES.items()))
def test_a_costly_agreement_template_is_stopped_with_a_clear_line(tmp_path, name, why):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    shutil.copy(os.path.join(TEMPLATES, name), os.path.join(root, "templates", "mou.id.md.j2"))
    code, out, err = run("mou", "kwt-melati", "--data", root)
    assert code == 1 and why in err and "Traceback" not in err and out == "", err


@pytest.mark.browser
def test_the_404_page_never_loads_anything_from_another_origin(browser, built_site):
    """Served away from its configured path, the 404 page finds the site's root among the address's parents;
    an address such as //evil.example/x must not make it load a script or style from evil.example."""
    from browser import StaticServer

    server = StaticServer(built_site[0])
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        for path in ("//evil.example/assets/x", "///evil.example//a/b", "/%2F%2Fevil.example/c"):
            page.goto(server.url.rstrip("/") + path)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
        server.stop()
    assert not [u for u in requested if "evil.example" in u.split("/")[2]], requested
