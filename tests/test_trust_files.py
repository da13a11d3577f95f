"""The data folder is untrusted: links, special files, logos by content, SVG by allowlist, stray files."""

import io
import os
import shutil
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from conftest import FIXTURES, TODAY, copy_reference_data
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.logos import SVG_ATTRIBUTES, SVG_ELEMENTS, SVG_NS, LogoError, clean_svg

SVG_DIR = os.path.join(FIXTURES, "hostile", "svg")
SVG_EXPECTED = dict(
    line.split(": ", 1) for line in open(os.path.join(SVG_DIR, "expected.txt"), encoding="utf-8").read().splitlines() if line and not line.startswith("#")
)

PARTNER = """name: Mitra {slug}
pattern: agency
side: agent
summary: Ringkasan biasa.
region: {{province: Bali}}
{extra}
"""


def partner(root, slug, extra=""):
    path = os.path.join(root, f"{slug}.yml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(PARTNER.format(slug=slug, extra=extra))
    return path


def lines(root):
    return load_catalog(root, today=TODAY).report.lines(notes=False)


@pytest.fixture
def root(tmp_path):
    return copy_reference_data(str(tmp_path))


# --- links and special files ----------------------------------------------------------------------


def test_a_partner_file_linked_from_outside_is_refused(root, tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(PARTNER.format(slug="luar", extra=""), encoding="utf-8")
    os.symlink(outside, os.path.join(root, "mitra-luar.yml"))
    assert lines(root) == [
        "partners/mitra-luar.yml:1: file: is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"
    ]


def test_a_logo_linked_to_the_build_environment_is_refused_and_never_read(root):
    os.symlink("/proc/self/environ", os.path.join(root, "logos", "env.png"))
    partner(root, "mitra-env", "logo: logos/env.png")
    assert lines(root) == [
        "partners/mitra-env.yml:6: logo: partners/logos/env.png is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"
    ]


def test_a_logo_under_a_linked_folder_is_refused(root, tmp_path):
    elsewhere = tmp_path / "gambar"
    elsewhere.mkdir()
    shutil.copy(os.path.join(root, "logos", "energi-nusa-peduli.svg"), elsewhere / "a.svg")
    os.symlink(elsewhere, os.path.join(root, "gambar"))
    partner(root, "mitra-folder", "logo: gambar/a.svg")
    assert lines(root) == [
        "partners/mitra-folder.yml:6: logo: partners/gambar/a.svg is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"
    ]


def test_a_link_that_stays_inside_is_read(root):
    os.symlink("energi-nusa-peduli.svg", os.path.join(root, "logos", "alias.svg"))
    partner(root, "mitra-alias", "logo: logos/alias.svg")
    assert lines(root) == []


def test_a_data_folder_reached_through_a_link_reads_its_files_and_still_refuses_links_out(root, tmp_path):
    """The folder's own links are resolved once for all its files (core/safefs.read_inside): a partner file
    right inside it, one linked to another inside and one linked outside are each judged as before."""
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(PARTNER.format(slug="luar", extra=""), encoding="utf-8")
    partner(root, "mitra-asli")
    os.symlink("mitra-asli.yml", os.path.join(root, "mitra-salinan.yml"))
    os.symlink(outside, os.path.join(root, "mitra-luar.yml"))
    linked = str(tmp_path / "tautan-data")
    os.symlink(root, linked)
    for folder in (root, linked, linked + "/"):
        catalog = load_catalog(folder, today=TODAY)
        assert [line.split(": ", 1)[1] for line in catalog.report.lines()] == [
            "file: is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"
        ], (folder, catalog.report.lines())
        assert {"mitra-asli", "mitra-salinan"} <= set(catalog.partners)


def test_special_files_are_refused_before_reading(root):
    os.mkfifo(os.path.join(root, "pipa.yml"))  # reading a FIFO would block forever
    os.mkdir(os.path.join(root, "folder.yml"))
    os.mkfifo(os.path.join(root, "logos", "pipa.png"))
    partner(root, "mitra-pipa", "logo: logos/pipa.png")
    os.symlink("putaran-b.yml", os.path.join(root, "putaran-a.yml"))
    os.symlink("putaran-a.yml", os.path.join(root, "putaran-b.yml"))
    special = "is not a regular file (a folder, device, pipe or socket); only plain files are read"
    got = lines(root)
    assert f"partners/pipa.yml:1: file: {special}" in got
    assert f"partners/folder.yml:1: file: {special}" in got
    assert f"partners/mitra-pipa.yml:6: logo: partners/logos/pipa.png {special}" in got
    assert "partners/putaran-a.yml:1: file: cannot be read: Too many levels of symbolic links" in got
    assert len(got) == 5


def test_a_data_folder_that_is_a_file_is_one_clear_problem(tmp_path):
    path = tmp_path / "partners"
    path.write_text("x")
    assert load_catalog(str(path), today=TODAY).report.lines() == ["partners:0: file: is a file, not a folder; the data folder holds the partner files"]


def test_files_that_look_like_data_but_would_be_ignored_are_reported(root):
    partner(root, "mitra-baik")
    for name in ("Besar.YML", "campur.Yaml", "ekspor.json", "tanggapan.csv", "catatan.txt"):
        with open(os.path.join(root, name), "w") as fh:
            fh.write("name: x\n")
    with open(os.path.join(root, "patterns", "baru.YAML"), "w") as fh:
        fh.write("x: 1\n")
    open(os.path.join(root, ".swap.yml.swp"), "w").close()  # editors' hidden files are not data
    assert lines(root) == [
        "partners/Besar.YML:1: file: is not read: data files end in lowercase .yml; rename it to Besar.yml",
        "partners/campur.Yaml:1: file: is not read: data files end in lowercase .yml; rename it to campur.yml",
        "partners/catatan.txt:1: file: looks like data but is not read (only .yml files are); convert it to YAML or move it out of partners/",
        "partners/ekspor.json:1: file: looks like data but is not read (only .yml files are); convert it to YAML or move it out of partners/",
        "partners/patterns/baru.YAML:1: file: is not read: data files end in lowercase .yml; rename it to baru.yml",
        "partners/tanggapan.csv:1: file: looks like data but is not read (only .yml files are); convert it to YAML or move it out of partners/",
    ]


# --- raster logos by content ------------------------------------------------------------------------


def _image_bytes(fmt, size=(40, 20), exif=None, mode="RGB"):
    out = io.BytesIO()
    image = Image.new(mode, size, (46, 125, 50) if mode == "RGB" else 0)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def _logo_case(root, slug, filename, data):
    with open(os.path.join(root, "logos", filename), "wb") as fh:
        fh.write(data)
    partner(root, slug, f"logo: logos/{filename}")


def test_raster_logos_are_checked_by_their_content(root):
    _logo_case(root, "mitra-png", "asli.png", _image_bytes("PNG"))
    _logo_case(root, "mitra-jpg", "asli.jpg", _image_bytes("JPEG"))
    _logo_case(root, "mitra-webp", "asli.webp", _image_bytes("WEBP"))
    _logo_case(root, "mitra-gif", "gif.png", _image_bytes("GIF", mode="P"))
    _logo_case(root, "mitra-html", "halaman.png", b"<html><script>window.__pwned=1</script></html>")
    _logo_case(root, "mitra-potong", "potong.png", _image_bytes("PNG", size=(300, 300))[:200])
    _logo_case(root, "mitra-raksasa", "raksasa.png", _image_bytes("PNG", size=(20000, 20000), mode="1"))
    _logo_case(root, "mitra-besar", "besar.png", _image_bytes("PNG", size=(5000, 4000), mode="1"))
    got = lines(root)
    got = sorted(got, key=lambda line: "besar" in line)  # the 5000×4000 case last
    assert got[0] == "partners/mitra-gif.yml:6: logo: partners/logos/gif.png: the file is not a PNG image (it is a GIF image); save it as PNG or change the extension"
    assert got[1] == "partners/mitra-html.yml:6: logo: partners/logos/halaman.png: the file is not a PNG image (its content is not recognised); save it as PNG or change the extension"
    assert got[2].startswith("partners/mitra-potong.yml:6: logo: partners/logos/potong.png: the PNG image cannot be decoded (")
    assert got[3] == "partners/mitra-raksasa.yml:6: logo: partners/logos/raksasa.png: the image has far more than 16,777,216 pixels; scale it down"
    assert "partners/mitra-besar.yml:6: logo: partners/logos/besar.png: the image is 5000×4000 pixels; the limit is 16,777,216 pixels: scale it down" in got
    assert len(got) == 5


def test_published_raster_logos_lose_their_metadata_and_are_scaled(root):
    exif = Image.Exif()
    exif[0x010E] = "ZQXSENTINEL-exif-description"  # ImageDescription; GPS would be carried the same way
    _logo_case(root, "mitra-foto", "foto.jpg", _image_bytes("JPEG", size=(1600, 800), exif=exif.tobytes()))
    catalog = load_catalog(root, today=TODAY)
    data = catalog.logos["logos/foto.jpg"]
    assert b"ZQXSENTINEL" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (512, 256)
        assert not image.getexif()
    assert [str(p) for p in catalog.report.notes] == ["partners/mitra-foto.yml:6: logo: note: partners/logos/foto.jpg: left out of the published copy: metadata"]


# --- SVG by allowlist -------------------------------------------------------------------------------


def _check_static(svg: bytes) -> ET.Element:
    """What a published SVG may hold: SVG elements and attributes of the allowlist, fragment links only."""
    tree = ET.fromstring(svg)
    for element in tree.iter():
        assert element.tag.startswith("{" + SVG_NS + "}"), element.tag
        local = element.tag.split("}", 1)[1]
        assert local in SVG_ELEMENTS, local
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name in SVG_ATTRIBUTES or name in ("href", "{http://www.w3.org/XML/1998/namespace}lang"), name
            if name == "href":
                assert value.startswith("#"), value
            if "url(" in value:
                assert value.replace(" ", "").startswith("url(#"), value
    return tree


@pytest.mark.parametrize("name", sorted(SVG_EXPECTED))
def test_each_hostile_svg_is_cleaned_or_refused_as_expected(name):
    with open(os.path.join(SVG_DIR, name), "rb") as fh:
        data = fh.read()
    expected = SVG_EXPECTED[name]
    if expected.startswith("refused: "):
        with pytest.raises(LogoError) as caught:
            clean_svg(data)
        assert str(caught.value).startswith(expected[len("refused: ") :])
        return
    cleaned = clean_svg(data)
    tree = ET.fromstring(cleaned.data)
    # Markup only: text inside <text> is escaped character data, which no browser runs.
    text = " ".join(f"{e.tag} {' '.join(f'{k}={v}' for k, v in e.attrib.items())}" for e in tree.iter())
    for word in ("script", "javascript", "__pwned", "evil.example.org", "tracker", "foreignObject", "iframe", "style", "animate", "<set"):
        assert word not in text, (word, text)
    _check_static(cleaned.data)
    # The parser itself drops comments and processing instructions; everything else left out is named.
    assert name in ("clean-logo.svg", "cdata-and-comments.svg") or cleaned.removed, "what was left out is said"


def test_the_clean_logo_keeps_its_drawing():
    with open(os.path.join(SVG_DIR, "clean-logo.svg"), "rb") as fh:
        cleaned = clean_svg(fh.read())
    tree = _check_static(cleaned.data)
    tags = [e.tag.split("}", 1)[1] for e in tree.iter()]
    assert tags == ["svg", "title", "defs", "linearGradient", "stop", "stop", "path", "rect", "use", "text", "tspan"]
    assert tree.get("viewBox") == "0 0 64 64" and tree.find(f"{{{SVG_NS}}}rect").get("fill") == "url(#g)"
    text = tree.find(f"{{{SVG_NS}}}text")
    assert text.get("font-size") == "12px" and text.get("fill") == "#fff"  # style declarations kept as attributes
    assert "".join(text.itertext()) == "KT M uji"
    assert tree.find(f"{{{SVG_NS}}}use").get("href") == "#p"
    assert cleaned.removed == []


def test_svg_logos_in_a_partner_tree_are_cleaned_with_a_note(root):
    shutil.copy(os.path.join(SVG_DIR, "event-handlers-any-case.svg"), os.path.join(root, "logos", "acara.svg"))
    shutil.copy(os.path.join(SVG_DIR, "doctype-entities.svg"), os.path.join(root, "logos", "dtd.svg"))
    partner(root, "mitra-acara", "logo: logos/acara.svg")
    partner(root, "mitra-dtd", "logo: logos/dtd.svg")
    catalog = load_catalog(root, today=TODAY)
    assert catalog.report.lines() == [
        "partners/mitra-dtd.yml:6: logo: partners/logos/dtd.svg: the SVG declares a DTD or entities, which are not allowed; export a plain SVG",
        "partners/mitra-acara.yml:6: logo: note: partners/logos/acara.svg: left out of the published copy: ONLOAD=, onclick=, OnMouseOver=, onfocusin=",
    ]
    assert b"on" not in catalog.logos["logos/acara.svg"].lower().replace(b"xmlns", b"")
