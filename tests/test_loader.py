"""The YAML loader: line numbers, duplicate keys, aliases, limits, encodings; it never raises on bad input."""


from portal_kemitraan.core import yamlsource
from portal_kemitraan.core.yamlsource import load_bytes, load_file, load_text


def test_lines_are_remembered_for_nested_values():
    src = load_text("a: 1\nb:\n  c: x\n  d:\n    - one\n    - two\n", "p.yml")
    assert src.problems == []
    assert src.data == {"a": 1, "b": {"c": "x", "d": ["one", "two"]}}
    assert src.line_of(("b", "c")) == 3
    assert src.line_of(("b", "d", 1)) == 6
    assert src.line_of(("b", "missing")) == 2  # falls back to the parent key's line


def test_duplicate_key_is_an_error_with_both_lines():
    src = load_text("name: a\nsummary: b\nname: c\n", "p.yml")
    assert [str(p) for p in src.problems] == ["p.yml:3: name: duplicate key 'name' (first given on line 1); keep only one"]


def test_plain_scalars_are_typed_like_yaml_and_quoted_ones_stay_text():
    src = load_text('a: 2024-01-02\nb: "2024-01-02"\nc: true\nd: 12\ne: ~\nf: 1.5\n', "p.yml")
    import datetime as dt

    assert src.data == {"a": dt.date(2024, 1, 2), "b": "2024-01-02", "c": True, "d": 12, "e": None, "f": 1.5}


def test_merge_keys_and_small_aliases_work():
    src = load_text("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n", "p.yml")
    assert src.problems == []
    assert src.data["use"] == {"x": 1, "y": 3}


def test_billion_laughs_is_refused_before_it_expands():
    levels = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 10) + "]" for i in range(1, 12)]
    src = load_text("\n".join(levels) + "\n", "bomb.yml")  # 10^11 values if expanded: a hang would fail
    assert src.data is None
    assert "aliases expand" in src.problems[0].message


def test_deep_nesting_is_refused_without_crashing():
    src = load_text("x: " + "[" * 100_000 + "]" * 100_000 + "\n", "deep.yml")
    assert src.problems and "nested deeper" in src.problems[0].message


def test_files_over_one_mebibyte_are_refused_before_reading(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"name: " + b"x" * (yamlsource.MAX_BYTES + 10) + b"\n")
    src = load_file(str(path), "partners/big.yml", str(tmp_path))
    assert src.data is None
    assert str(src.problems[0]).startswith("partners/big.yml:1: file: file is 1,048,593 bytes; the limit is 1,048,576 (1 MiB)")


def test_bom_is_accepted_and_bad_utf8_reported_with_its_line():
    assert load_bytes("\ufeffname: Ñandú\n".encode("utf-8"), "p.yml").data == {"name": "Ñandú"}
    src = load_bytes(b"a: 1\nb: caf\xe9\n", "p.yml")
    assert str(src.problems[0]) == "p.yml:2: file: is not valid UTF-8 (byte 0xe9 at offset 11); save the file as UTF-8"


def test_nul_bytes_mean_a_binary_file():
    src = load_bytes(b"a: 1\n\x00\x01\x02", "p.yml")
    assert str(src.problems[0].message).startswith("contains a NUL byte")


def test_non_printable_characters_are_a_yaml_error():
    src = load_text("a: b\x07c\n", "p.yml")
    assert src.problems[0].field == "yaml"


def test_complex_keys_are_refused():
    src = load_text("? [a, b]\n: c\n", "p.yml")
    assert "mapping key must be plain text" in src.problems[0].message


def test_unknown_alias_is_reported():
    src = load_text("a: *nope\n", "p.yml")
    assert src.problems[0].line == 1 and src.problems[0].field == "yaml"
