"""Property: whatever YAML text or mapping the loader is fed, it returns a model or error lines, never raises."""

import re

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portal_kemitraan.core.catalog import Source, _validate
from portal_kemitraan.core.models import Partner
from portal_kemitraan.core.yamlsource import load_bytes, load_text

LINE = re.compile(r"^partners/x\.yml:\d+: [^:]+: .+$", re.S)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40), st.dates()
)
keys = st.one_of(st.sampled_from(list(Partner.model_fields) + ["province", "city", "consent", "person"]), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=25,
)
mappings = st.dictionaries(keys, values, max_size=12)


def check(src):
    model = _validate(Partner, src)
    for problem in src.problems:
        assert LINE.match(str(problem)), str(problem)
    assert (model is None) == bool(src.problems)
    return model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mappings)
def test_any_mapping_gives_a_model_or_error_lines(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    check(load_text(text, "partners/x.yml"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_model_or_error_lines(text):
    check(load_text(text, "partners/x.yml"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_model_or_error_lines(raw):
    check(load_bytes(raw, "partners/x.yml"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["name: a\n", "  - x\n", "{", "}", "[", "]", ": ", "&a ", "*a ", "<<: ", "---\n", "? ", "'", '"', "\t", "#", "!!str ", "\n"]), max_size=30))
def test_yaml_fragments_give_a_model_or_error_lines(parts):
    check(load_text("".join(parts), "partners/x.yml"))


def test_a_valid_mapping_gives_a_model():
    src = Source("partners/x.yml", None)
    src = load_text("name: A\npattern: agency\nside: agent\nsummary: S\nregion: {province: Bali}\n", "partners/x.yml")
    assert check(src) is not None


def _refused(ch: str, multiline: bool) -> bool:
    """The characters text may not hold, said from Unicode's own definitions: controls (a tab always and a
    newline in a multi-line text aside), the direction controls, surrogates and noncharacters."""
    code = ord(ch)
    if ch == "\t" or (ch == "\n" and multiline):
        return False
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
            or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


# Text near every edge the check has: ASCII, the C1 controls, the direction controls, surrogates, the
# noncharacters of the Basic Multilingual Plane and of every plane past it, and the characters beside them.
_EDGES = [0, 0x8, 0x9, 0xA, 0xB, 0x1F, 0x20, 0x7E, 0x7F, 0x9F, 0xA0, 0xE9, 0x2029, 0x202A, 0x202E, 0x202F, 0x2065, 0x2066, 0x2069,
          0x206A, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFDCF, 0xFDD0, 0xFDEF, 0xFDF0, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600]
_EDGES += [plane * 0x10000 + low for plane in range(1, 17) for low in (0xFFFD, 0xFFFE, 0xFFFF)]
edge_text = st.lists(st.one_of(st.sampled_from(_EDGES).map(chr), st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                               st.characters()), max_size=30).map("".join)


@settings(max_examples=2000, deadline=None)
@given(edge_text, st.booleans())
def test_text_is_refused_exactly_when_it_holds_a_character_no_output_can_carry(text, multiline):
    from portal_kemitraan.core.fieldtypes import _check_chars

    expected = any(_refused(ch, multiline) for ch in text)
    try:
        _check_chars(text, multiline)
        refused = False
    except ValueError:
        refused = True
    assert refused == expected, [hex(ord(c)) for c in text]


_SCAN_PIECES = st.sampled_from(["Budi", "SANTOSO", "straße", "ΣΟΦΙΑ", "ς", "İstanbul", "ﬁle", "ǅ", "0812", "3456", "7890", "+62", "(0)",
                                "899-7788-6655", "62 812 3456 7890", "-", ".", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u2028", "<p>", "&amp;"])
scan_text = st.lists(st.one_of(_SCAN_PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(scan_text, min_size=1, max_size=6), st.integers(min_value=0, max_value=4))
@example(["<p>Budi\nSANTOSO</p> Straße 0812-3456-7890", "budi santoso", "straße"], 1)
def test_reading_a_site_line_by_line_and_remembering_lines_finds_what_reading_each_text_whole_finds(texts, cap):
    """The leak scan reads each line once per worker (staff/sitecheck.Reading): for any texts, read one
    after the other through one reading whatever its bound, its words and private numbers are exactly
    those of each whole text read afresh."""
    from portal_kemitraan.staff.sitecheck import Needles, Reading, Secret, words_of

    secret = Secret("partners/x.yml", "internal.phone", "internal")
    needles = Needles(phones={"8997788665": [secret], "81234567890": [secret], "8123456": [secret]})
    reading = Reading(needles, cap=cap)
    needles.add(("budi", "santoso"), secret)
    needles.add(("strasse",), secret)  # as words_of folds it
    for text in texts + texts:  # the second time, from what was remembered
        words, filed, phones = reading.read(text)
        assert (words, phones) == (words_of(text), list(needles.phone_hits(text, needles.phone_lengths()))), text
        assert list(needles.find(words, filed)) == list(needles.find(words_of(text))), text


_FEW_WORDS = st.sampled_from(["ayu", "budi", "catatan", "staf", "kopi", "tani", "gayo"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(_FEW_WORDS, min_size=1, max_size=3), st.sampled_from(["internal", "hidden", "unlisted"])), max_size=12),
       st.lists(_FEW_WORDS, max_size=40), st.dictionaries(_FEW_WORDS, st.integers(0, 5)))
def test_dropping_the_values_the_published_words_hold_keeps_exactly_the_others(values, published, rarity):
    """Needles.drop (the values a published text also holds are no leak) against its plain definition: a
    value of a dropped rule goes exactly when its words stand together, in order, in the published words;
    the same value in several secrets, or filed under a word that occurs often, changes nothing."""
    from portal_kemitraan.staff.sitecheck import Needles, Secret

    needles = Needles(rarity=rarity)
    secrets = []
    for i, (words, rule) in enumerate(values):
        secret = Secret(f"partners/p{i}.yml", "internal.notes", rule)
        needles.add(tuple(words), secret)
        secrets.append((tuple(words), secret))
    needles.drop(published, frozenset({"internal", "hidden"}))
    kept = {id(secret) for entries in needles.by_key.values() for _, _, secret in entries}

    def held(words):
        return any(tuple(published[i : i + len(words)]) == words for i in range(len(published) - len(words) + 1))

    assert kept == {id(s) for words, s in secrets if s.rule == "unlisted" or not held(words)}
    assert all(entries for entries in needles.by_key.values())  # no word left with nothing filed under it
