"""Share cards (link previews): one per partner with a logo, in each edition's language, its logo and its text drawn."""

from __future__ import annotations

import io
import os

from conftest import DEMO, TODAY
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.core.settings import Settings


def _cards(edition_locale: str, root: str = None, settings=None) -> dict:
    from portal_kemitraan.render.site import Edition, render_site

    site = build_public_site(load_catalog(root or os.path.join(DEMO, "partners"), today=TODAY), TODAY, parallel=False)
    outputs = render_site(site, settings or Settings(organisation="Portal Kemitraan"), Edition(locale=edition_locale), parallel=False)
    pages = {o.path: o.meta for o in outputs if o.kind == "page"}
    return site, pages, {o.path: o.content() for o in outputs if o.kind == "card" and o.meta["slug"]}


def test_each_partner_with_a_logo_has_its_own_share_image_in_each_language():
    """1200×630, the logo drawn on its tile (SVG logos too), the pattern named in the edition's language;
    profiles without a logo keep the site's card; hidden partners have none."""
    from PIL import Image

    site, pages, cards = _cards("id")
    _, pages_en, cards_en = _cards("en")
    with_logo = {p.slug for p in site.pages if p.logo}
    assert len(with_logo) >= 10 and {f"assets/share/{slug}.jpg" for slug in with_logo} == set(cards) == set(cards_en)
    for p in site.pages:
        meta = pages[f"partners/{p.slug}.md"]
        assert meta.get("image") == (f"assets/share/{p.slug}.jpg" if p.slug in with_logo else None)
    hidden = [n[:-4] for n in os.listdir(os.path.join(DEMO, "partners")) if n.endswith(".yml") and "visibility: hidden" in open(os.path.join(DEMO, "partners", n), encoding="utf-8").read()]
    assert hidden and not any(f"assets/share/{slug}.jpg" in cards for slug in hidden)
    card = Image.open(io.BytesIO(cards["assets/share/cv-kopi-gayo-mandiri.jpg"]))
    assert card.format == "JPEG" and card.size == (1200, 630)
    # the coffee logo (an SVG) is drawn: its dark brown fills the middle of the white tile
    r, g, b = card.convert("RGB").getpixel((110, 315))
    assert r < 110 and g < 80 and b < 70, (r, g, b)
    assert cards["assets/share/cv-kopi-gayo-mandiri.jpg"] != cards_en["assets/share/cv-kopi-gayo-mandiri.jpg"]  # "Keagenan" / "Agency"


def _png(colour: tuple[int, int, int], size: int = 200) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


def _count(image, box, near, within: int = 60) -> int:
    """Pixels in `box` whose colour is within `within` of `near` on every channel."""
    crop = image.crop(box).convert("RGB")
    data = crop.tobytes()
    return sum(1 for i in range(0, len(data), 3) if all(abs(data[i + k] - near[k]) <= within for k in range(3)))


TILE = (90, 145, 430, 485)  # inside the logo's white tile
NAME = (510, 186, 1130, 470)  # where the partner's name is written


def test_a_share_image_draws_the_logo_and_the_text():
    """Not a blank card: the logo's own pixels fill its tile, the name is written in ink, the pattern line in the
    accent colour, and another name changes the text and nothing else."""
    from PIL import Image

    from portal_kemitraan.render.cards import ACCENT, INK, share_card

    red = (200, 30, 30)
    card = Image.open(io.BytesIO(share_card("Koperasi Tani Makmur", "Keagenan · Agen", "Takengon, Aceh", "Portal Kemitraan", _png(red), "logos/x.png")))
    assert card.size == (1200, 630)
    tile = (TILE[2] - TILE[0]) * (TILE[3] - TILE[1])
    assert _count(card, TILE, red) > tile // 4  # the logo is drawn, scaled into the tile
    assert _count(card, NAME, INK) > 2000  # the name's letters
    assert _count(card, (510, 125, 1130, 180), ACCENT) > 300  # the pattern and side
    other = Image.open(io.BytesIO(share_card("Yayasan Bumi Lestari", "Keagenan · Agen", "Takengon, Aceh", "Portal Kemitraan", _png(red), "logos/x.png")))
    assert other.crop(TILE).tobytes() == card.crop(TILE).tobytes() and other.crop(NAME).tobytes() != card.crop(NAME).tobytes()


def test_a_share_image_is_made_for_any_name_and_any_logo():
    """A name of one endless word and a logo no library can draw still give a card: the name shortened and
    written, the tile left white."""
    from PIL import Image

    from portal_kemitraan.render.cards import INK, share_card

    broken_svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 100000"><rect width="1" height="100000"/></svg>'
    for name, logo, path in [("W" * 400, b"not an image", "assets/partners/logos/x.png"), ("Koperasi " * 60, broken_svg, "x.svg"),
                             ("Ñandú Kopi 咖啡 ☕", b"<svg", "y.svg")]:
        card = Image.open(io.BytesIO(share_card(name, "Keagenan · Agen", "Takengon, Aceh", "Portal Kemitraan", logo, path)))
        assert card.size == (1200, 630)
        assert _count(card, TILE, (255, 255, 255), 3) > 0.99 * (TILE[2] - TILE[0]) * (TILE[3] - TILE[1]), name[:20]  # an empty tile
        assert _count(card, NAME, INK) > 500, name[:20]  # yet the name is written


def _glyph(font, ch: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (120, 120))
    ImageDraw.Draw(image).text((20, 20), ch, font=font, fill=255)
    return image.tobytes()


def _missing(font, text: str) -> list[str]:
    """The characters of `text` the font has no glyph for (drawn as its "missing" box, as a private-use one is)."""
    box = _glyph(font, "\ue000")
    return sorted(ch for ch in set(text) if not ch.isspace() and _glyph(font, ch) == box)


def test_the_cards_font_has_every_character_the_cards_write():
    """Every name of a pattern, side, stage and province in both languages, and the punctuation Indonesian and
    English text uses, is drawn by the bundled font (Pillow's own font has no en dash: the test would fail)."""
    from PIL import ImageFont

    from portal_kemitraan.core.reference import provinces
    from portal_kemitraan.render.cards import _font

    catalog = load_catalog(os.path.join(DEMO, "partners"), today=TODAY)
    texts = [row["name"] for row in provinces()]
    for pattern in catalog.patterns.values():
        texts += [pattern.name.id, pattern.name.en] + [t for s in pattern.sides for t in (s.label.id, s.label.en)]
    texts += [t for s in catalog.stages for t in (s.label.id, s.label.en)]
    texts += ["Bapak angkat – anak angkat · Keagenan — “Kopi” ‘Gayo’ … Ñandú Café (Rp 1.500,-) #1 & 50% @ 2026/12/01 ±"]
    text = " ".join(texts)
    assert "–" in text
    for bold in (False, True):
        assert _missing(_font(40, bold), text) == [], bold
    assert "–" in _missing(ImageFont.load_default(size=40), text)  # what the cards were drawn with before


def test_each_edition_has_its_own_site_card_in_its_language():
    from PIL import Image

    from portal_kemitraan.render.cards import SITE_CARD
    from portal_kemitraan.render.site import Edition, render_site

    site = build_public_site(load_catalog(os.path.join(DEMO, "partners"), today=TODAY), TODAY, parallel=False)
    cards = {}
    for lang in ("id", "en"):
        made = {o.path: o for o in render_site(site, Settings(organisation="Portal Kemitraan"), Edition(locale=lang, title="Portal Kemitraan"), parallel=False)}
        cards[lang] = made[SITE_CARD].content()
        card = Image.open(io.BytesIO(cards[lang]))
        assert card.size == (1200, 630) and _count(card, (90, 160, 1110, 420), (27, 46, 34)) > 2000  # the title in ink
    assert cards["id"] != cards["en"]  # "Direktori mitra, pola kemitraan…" / "Partner directory, partnership patterns…"
