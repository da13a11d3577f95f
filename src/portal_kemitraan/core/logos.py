"""Logos as published: SVG rebuilt from an allowlist of static drawing, raster images decoded and re-encoded."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .problems import Text

MAX_LOGO_BYTES = 2 * 1024 * 1024  # a logo file larger than this is refused before it is parsed
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 64
MAX_DRAWN_ELEMENTS = 50_000  # elements drawn once every <use> is followed
MAX_USE_DEPTH = 8  # <use> of a <use> of …
MAX_ASPECT = 20  # a drawing at most this many times as wide as tall, or as tall as wide
MAX_SIDE = 100_000  # user units of the drawing's width or height
MAX_DASHES = 200_000  # dashes of all dashed outlines together, as their lengths and spacing allow
MIN_TILE = 1 / 1000  # a pattern's tile at least this share of the drawing (finer tiles repeat without end)
MAX_PIXELS = 4096 * 4096  # a raster logo with more pixels is refused before it is decoded
PUBLISHED_SIZE = 512  # raster logos are scaled down to fit this box (in pixels) when published

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Static drawing only: no script, style, foreignObject, image, a, animation, filters or fonts.
SVG_ELEMENTS = frozenset(
    "svg g defs title desc path rect circle ellipse line polyline polygon text tspan "
    "linearGradient radialGradient stop clipPath mask symbol use pattern".split()
)
# Elements left out while their children are kept: a link around a drawing keeps the drawing.
UNWRAPPED = frozenset({"a", "switch"})
# Elements whose text content is kept (everything else keeps only its children).
TEXT_ELEMENTS = frozenset({"title", "desc", "text", "tspan"})
# Elements that may point at another element of the same document (#id) with href.
HREF_ELEMENTS = frozenset({"use", "linearGradient", "radialGradient", "pattern"})
SVG_ATTRIBUTES = frozenset(
    """id viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr d points dx dy rotate
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset stroke-opacity opacity transform visibility display color
    gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity
    clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits patternUnits patternContentUnits
    patternTransform preserveAspectRatio version font-family font-size font-weight font-style
    font-variant text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing
    word-spacing text-decoration textLength lengthAdjust writing-mode paint-order vector-effect
    shape-rendering text-rendering color-interpolation role aria-label aria-hidden focusable""".split()
)
# Style properties that may be moved from a style="" attribute onto the element as attributes.
STYLE_PROPERTIES = SVG_ATTRIBUTES & frozenset(
    """fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-dasharray stroke-dashoffset stroke-opacity opacity visibility display color stop-color
    stop-opacity clip-path clip-rule mask font-family font-size font-weight font-style font-variant
    text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing
    text-decoration writing-mode paint-order vector-effect shape-rendering text-rendering""".split()
)
# An attribute value may hold words, numbers, colours, lists and paths (these characters only),
# and parentheses only as a call of one of these functions, without nesting.
_VALUE_CHARS = re.compile(r"[\w\s#%.,:;'\"+*/()-]*")
FUNCTIONS = frozenset({"url", "rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewX", "skewY"})
_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.:-]*$")
_URL_FRAGMENT = re.compile(r"^\s*#[A-Za-z_][\w.:-]*\s*$")
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
_MAGIC_NAMES = {b"GIF8": "a GIF image", b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive", b"\x7fELF": "a program"}


class LogoError(ValueError):
    """A logo that cannot be published; the message says why and what to do."""


@dataclass
class Cleaned:
    """A logo ready to publish, and what was left out of it on the way."""

    data: bytes
    removed: list[str] = field(default_factory=list)


def _split(name: str) -> tuple[str | None, str]:
    if name.startswith("{"):
        ns, local = name[1:].split("}", 1)
        return ns, local
    return None, name


def _safe_value(name: str, value: str) -> bool:
    if len(value) > 100_000 or not _VALUE_CHARS.fullmatch(value):
        return False
    return all(function in FUNCTIONS and (function != "url" or _URL_FRAGMENT.match(argument.strip("'\" ")))
               for function, argument in _calls(value))


def _calls(value: str):
    """(name, argument) of each `name(argument)` in a value, in one pass; ('', '') where the
    parentheses are nested or unbalanced, which no allowed value has."""
    start = 0
    while True:
        opening = value.find("(", start)
        if opening < 0:
            if ")" in value[start:]:
                yield "", ""
            return
        closing = value.find(")", opening)
        if closing < 0 or "(" in value[opening + 1 : closing] or ")" in value[start:opening]:
            yield "", ""
            return
        name_start = opening
        while name_start > start and (value[name_start - 1].isalpha() or value[name_start - 1] == "-"):
            name_start -= 1
        yield value[name_start:opening], value[opening + 1 : closing]
        start = closing + 1


def _style_declarations(style: str) -> list[tuple[str, str]]:
    """`fill: red; stroke: none` -> [('fill', 'red'), ('stroke', 'none')]; only simple declarations."""
    out = []
    for part in style.split(";"):
        if ":" not in part:
            continue
        prop, value = part.split(":", 1)
        out.append((prop.strip().lower(), value.strip()))
    return out


def _rewrite(root, writer, removed: dict) -> None:
    """Write the allowlisted part of an SVG tree (elements, attributes, text) through `writer`; what was
    left out is named in `removed`."""
    count = 0
    # Work items: ("open", element, depth, in_text), ("close", name, tail) or ("text", text); no recursion.
    stack: list[tuple] = [("open", root, 0, False)]
    while stack:
        item = stack.pop()
        if item[0] == "text":
            writer.characters(item[1])
            continue
        if item[0] == "close":
            writer.endElement(item[1])
            if item[2]:
                writer.characters(item[2])
            continue
        _, element, depth, in_text = item
        tail = element.tail if in_text and element.tail else ""
        ns, local = _split(element.tag) if isinstance(element.tag, str) else (None, "comment")
        if ns == SVG_NS and local in UNWRAPPED and depth <= MAX_SVG_DEPTH:
            removed[f"<{local}>"] = None
            if tail:
                stack.append(("text", tail))
            for child in reversed(list(element)):
                stack.append(("open", child, depth + 1, in_text))
            continue
        if ns != SVG_NS or local not in SVG_ELEMENTS or depth > MAX_SVG_DEPTH:
            removed[Text('<{local}>', local=local) if ns in (SVG_NS, None) else Text('<{local}> from another namespace', local=local)] = None
            if tail:
                writer.characters(tail)
            continue
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise LogoError(Text('the SVG has more than {MAX_SVG_ELEMENTS:,} elements; simplify it', MAX_SVG_ELEMENTS=MAX_SVG_ELEMENTS))
        attrs = _attributes(element, local, removed)
        if depth == 0:
            attrs["xmlns"] = SVG_NS
        writer.startElement(local, attrs)
        keeps_text = local in TEXT_ELEMENTS
        if keeps_text and element.text:
            writer.characters(element.text)
        stack.append(("close", local, tail))
        for child in reversed(list(element)):
            stack.append(("open", child, depth + 1, keeps_text))


def clean_svg(data: bytes) -> Cleaned:
    """Parse an SVG without DTDs or entities and write it again with only allowlisted static drawing.

    Raises LogoError when the file is not a well-formed SVG document."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(Text('the SVG is {count:,} bytes; the limit is {MAX_LOGO_BYTES:,}', count=len(data), MAX_LOGO_BYTES=MAX_LOGO_BYTES))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise LogoError(Text("the SVG declares a DTD or entities, which are not allowed; export a plain SVG"))
    except (ParseError, ValueError, UnicodeError) as exc:
        raise LogoError(Text('the SVG cannot be read as XML ({value}); export it again as plain SVG', value=str(exc).split(':')[0]))
    if _split(root.tag) != (SVG_NS, "svg"):
        raise LogoError(Text("the file is not an SVG document (its root element is not <svg> in the SVG namespace)"))
    from xml.sax.saxutils import XMLGenerator  # here: it imports urllib.request (about 60 ms of every command's start)

    removed: dict[str, None] = {}
    out = io.StringIO()
    writer = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    _rewrite(root, writer, removed)
    writer.endDocument()
    cleaned = out.getvalue().encode("utf-8")
    check_cost(cleaned)
    return Cleaned(cleaned, list(removed))


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_GEOMETRY = ("d", "points", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height")


def _length(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|pc|mm|cm|in)?\s*", value or "")
    return float(match.group(1)) * _UNITS[match.group(2) or ""] if match else None


def drawn_size(root) -> tuple[float, float] | None:
    """The drawing's size in user units: its viewBox, else its width and height; None when it sets neither."""
    box = [float(n) for n in _NUMBER.findall(root.get("viewBox") or "")]
    if len(box) == 4:
        return box[2], box[3]
    width, height = _length(root.get("width")), _length(root.get("height"))
    return (width, height) if width is not None and height is not None else None


def check_cost(svg: bytes) -> None:
    """What drawing a cleaned SVG costs, bounded before anything draws it (a share card, a browser): its
    size and proportions, the elements drawn once every <use> is followed (and how deep those go), the
    dashes of its dashed outlines, and its patterns' tiles. LogoError says which bound and what to do."""
    from xml.etree.ElementTree import fromstring

    root = fromstring(svg)
    size = drawn_size(root)
    if size is not None:
        width, height = size
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            raise LogoError(Text("the drawing is {width:g}×{height:g}; give it a viewBox with a width and height between 0 and {MAX_SIDE:,}",
                                 width=width, height=height, MAX_SIDE=MAX_SIDE))
        if max(width / height, height / width) > MAX_ASPECT:
            raise LogoError(Text("the drawing is {width:g}×{height:g}, more than {MAX_ASPECT} times as long as it is wide; crop it to the logo",
                                 width=width, height=height, MAX_ASPECT=MAX_ASPECT))
    _check_uses(root)
    _check_patterns_and_dashes(root, max(size) if size else 100.0)


def _check_uses(root) -> None:
    """The elements drawn once every <use> is followed, and how deep those go, bounded."""
    elements = {}
    for element in root.iter():
        if element.get("id"):
            elements.setdefault(element.get("id"), element)
    drawn: dict[int, int] = {}

    def cost(element, depth: int, seen: tuple) -> int:
        """Elements drawn for `element`, its children and what its <use> points at (memoised per element)."""
        key = id(element)
        if key in drawn:
            return drawn[key]
        if depth > MAX_USE_DEPTH:
            raise LogoError(Text("the SVG's <use> elements point at <use> elements more than {MAX_USE_DEPTH} deep; simplify it", MAX_USE_DEPTH=MAX_USE_DEPTH))
        total = 1
        stack = list(element)
        while stack:
            child = stack.pop()
            total += 1
            stack.extend(child)
            if _split(child.tag)[1] == "use" and (child.get("href") or "").startswith("#"):
                target = elements.get(child.get("href")[1:])
                if target is not None:
                    if id(target) in seen:
                        raise LogoError(Text("the SVG's <use> elements point at each other in a loop; simplify it"))
                    total += cost(target, depth + 1, seen + (id(target),))
            if total > MAX_DRAWN_ELEMENTS:
                raise LogoError(Text("the SVG draws more than {MAX_DRAWN_ELEMENTS:,} elements once its <use> copies are counted; simplify it",
                                     MAX_DRAWN_ELEMENTS=MAX_DRAWN_ELEMENTS))
        drawn[key] = total
        return total

    cost(root, 0, (id(root),))


def _check_patterns_and_dashes(root, scale: float) -> None:
    """The tiles of the SVG's patterns and the dashes of its dashed outlines, bounded (`scale`: the drawing's larger side)."""
    dashes = 0.0
    stack = [(root, None)]
    while stack:
        element, inherited = stack.pop()
        dash = element.get("stroke-dasharray", inherited)
        local = _split(element.tag)[1]
        if local == "pattern":
            units = element.get("patternUnits", "objectBoundingBox")
            tile = [abs(_length(element.get(k)) or 0.0) for k in ("width", "height")]
            least = MIN_TILE * (scale if units == "userSpaceOnUse" else 1.0)
            if min(tile) < least:
                raise LogoError(Text("a <pattern> of the SVG has a tile under {share} of the drawing, which repeats too often; simplify it", share="1/1000"))
        if dash and dash.strip() != "none":
            period = sum(abs(float(n)) for n in _NUMBER.findall(dash)) * (2 if len(_NUMBER.findall(dash)) % 2 else 1)
            numbers = [abs(float(n)) for k in _GEOMETRY for n in _NUMBER.findall(element.get(k) or "")]
            # The outline's length, from above: no longer than its coordinates added up (relative steps), nor
            # than each of its points jumping across the whole extent (absolute ones); a circle's 2πr is in it.
            length = min(sum(numbers) * 7, max(len(numbers) // 2, 1) * 2 * max(numbers + [scale])) if numbers else 0.0
            dashes += length / max(period, 1e-12)
            if dashes > MAX_DASHES:
                raise LogoError(Text("the SVG's dashed outlines would be drawn as more than {MAX_DASHES:,} dashes; make the dashes longer or drop them",
                                     MAX_DASHES=MAX_DASHES))
        stack.extend((child, dash) for child in element)


def _attributes(element, local: str, removed: dict) -> dict[str, str]:
    """The allowlisted attributes of one element; safe style declarations become attributes."""
    attrs: dict[str, str] = {}
    for name, value in element.attrib.items():
        ans, alocal = _split(name)
        if alocal == "href" and ans in (None, XLINK_NS):
            if local in HREF_ELEMENTS and _FRAGMENT.match(value.strip()):
                attrs["href"] = value.strip()
            else:
                removed[f"href={value[:40]!r}"] = None
        elif ans is None and alocal == "style":
            for prop, prop_value in _style_declarations(value):
                if prop in STYLE_PROPERTIES and _safe_value(prop, prop_value):
                    attrs.setdefault(prop, prop_value)
                else:
                    removed[f"style {prop}"] = None
        elif ans is None and alocal in SVG_ATTRIBUTES and _safe_value(alocal, value):
            attrs[alocal] = value
        elif ans == XML_NS and alocal == "lang" and _safe_value(alocal, value):
            attrs["xml:lang"] = value
        else:
            removed[Text('{alocal}=', alocal=alocal) if ans is None else Text('{alocal}= from another namespace', alocal=alocal)] = None
    return attrs


def clean_raster(data: bytes, ext: str) -> Cleaned:
    """Decode a PNG, JPEG or WebP by its content and encode it again: no metadata, at most PUBLISHED_SIZE px."""
    from PIL import Image, UnidentifiedImageError

    wanted = RASTER_FORMATS[ext]
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(Text('the image is {count:,} bytes; the limit is {MAX_LOGO_BYTES:,}', count=len(data), MAX_LOGO_BYTES=MAX_LOGO_BYTES))
    try:
        with Image.open(io.BytesIO(data), formats=[wanted]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise LogoError(Text('the image is {width}×{height} pixels; the limit is {MAX_PIXELS:,} pixels: scale it down', width=width, height=height, MAX_PIXELS=MAX_PIXELS))
            image.seek(0)
            image.load()
            frame = image.copy()
    except LogoError:
        raise
    except Image.DecompressionBombError:
        raise LogoError(Text('the image has far more than {MAX_PIXELS:,} pixels; scale it down', MAX_PIXELS=MAX_PIXELS))
    except UnidentifiedImageError:
        raise LogoError(Text('the file is not a {wanted} image ({what}); save it as {wanted} or change the extension', wanted=wanted, what=_what(data)))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise LogoError(Text('the {wanted} image cannot be decoded ({value}); save it again', wanted=wanted, value=str(exc) or type(exc).__name__))
    removed = []
    if frame.info:
        removed.append("metadata")
    if max(frame.size) > PUBLISHED_SIZE:
        frame.thumbnail((PUBLISHED_SIZE, PUBLISHED_SIZE))
    if wanted == "JPEG" and frame.mode not in ("RGB", "L"):
        frame = frame.convert("RGB")
    elif frame.mode not in ("RGB", "RGBA", "L", "LA"):
        frame = frame.convert("RGBA")  # palette images too: their transparency becomes the alpha channel
    # Pixels only: a new image from the decoded pixels carries nothing else (Pillow writes a copy's ICC
    # profile, JPEG comment, EXIF and XMP back out when it saves).
    frame = Image.frombytes(frame.mode, frame.size, frame.tobytes())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90, "method": 4}, "PNG": {"optimize": False}}[wanted]
    frame.save(out, format=wanted, **options)
    return Cleaned(out.getvalue(), removed)


def _what(data: bytes) -> str:
    for magic, name in _MAGIC_NAMES.items():
        if data.startswith(magic):
            return Text('it is {name}', name=name)
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg "):
        return Text("it is an SVG or XML text")
    return Text("its content is not recognised")


def clean_logo(data: bytes, ext: str) -> Cleaned:
    """The publishable form of a logo file with the given (lowercase) extension."""
    if ext == ".svg":
        return clean_svg(data)
    return clean_raster(data, ext)
