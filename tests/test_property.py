"""Property: whatever YAML text or mapping the loader is fed, it returns a model or error lines, never raises."""

import re

import yaml
from hypothesis import HealthCheck, given, settings
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
