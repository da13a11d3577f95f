"""The commonest mistakes in a hand-edited partner file, said in the staff's words with the line and what to do."""

from __future__ import annotations

import os

import pytest

from conftest import TODAY, copy_reference_data, run_portal

BASE = "name: Koperasi Kopi\npattern: agency\nside: agent\nregion: {province: Aceh}\n"


@pytest.mark.parametrize("text, line, words", [
    (BASE + "summary: Kopi: dari Gayo, dipetik sendiri.\n", 5, "beri tanda kutip pada teks yang memuat titik dua"),
    (BASE + "summary: Kopi.\nsectors:\n\t- kopi\n", 7, "buat indentasi dengan spasi, jangan dengan tab"),
    (BASE + 'summary: "Kopi dari Gayo\n', 6, "tanda kutip yang tidak ditutup"),
    (BASE + "summary: Kopi.\nsectors: [kopi, teh\n", 7, "kurung siku [ ] yang tidak ditutup"),
    (BASE + "summary: Kopi.\nwebsite\n", 7, "tanpa titik dua setelah namanya"),
])
def test_a_yaml_mistake_is_explained_in_indonesian_with_its_line(tmp_path, text, line, words):
    root = copy_reference_data(str(tmp_path))
    with open(os.path.join(root, "koperasi-kopi.yml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    done = run_portal("--lang", "id", "validate", "--data", root, "--today", TODAY.isoformat())
    out = done.stdout.decode("utf-8")
    found = [row for row in out.splitlines() if row.startswith("partners/koperasi-kopi.yml:")]
    assert done.returncode == 1 and len(found) == 1, out
    assert found[0].startswith(f"partners/koperasi-kopi.yml:{line}: yaml: ") and words in found[0], found[0]
    for english in ("mapping values", "token", "scanning", "parsing", "expected", "stream"):
        assert english not in found[0], found[0]
