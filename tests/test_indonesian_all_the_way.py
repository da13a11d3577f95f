"""Every command, on bad data, under an Indonesian locale: not one English word in what staff read."""

from __future__ import annotations

import os
import re

from conftest import FIXTURES, copy_reference_data, run_portal

BROKEN = {
    "rusak-satu.yml": "name: Rusak Satu\npattern: agency\nside: agent\nsummary: Kopi: enak\nregion: {province: Aceh}\n",
    "rusak-dua.yml": ("name: Rusak Dua\npattern: agensi\nside: x\nsummary: Ringkasan.\nregion: {province: Atlantis}\nkind: lainnya\n"
                      "website: kopi.id\nvisibility: rahasia\nsince: 2026-13-01\n"),
    "rusak-tiga.yml": "name: Rusak Tiga\n\tpattern: agency\n",
}
# Words of English that no Indonesian message holds (ids, paths, quoted values and field names are taken out first).
ENGLISH = re.compile(r"\b(the|is|not|must|and|of|to|with|from|an|this|that|be|file|line|field|missing|required|invalid|unknown|should|"
                     r"cannot|only|empty|found|expected|while|mapping|values|allowed|here|character|token|wrote|would|nothing|error|errors|"
                     r"fix|them|first|see|no|such|does|exist|like)\b", re.I)
NOT_WORDS = re.compile(r"\S*/\S*|'[^']*'|\"[^\"]*\"|“[^”]*”|\b[a-z0-9]+(?:[-_.][a-z0-9]+)+\b|--[a-z-]+")


def _english(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        hits = ENGLISH.findall(NOT_WORDS.sub(" ", line))
        if hits:
            found.append(f"{line[:160]}  <- {hits[:3]}")
    return found


def test_no_command_says_an_english_word_to_indonesian_staff(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    for name, text in BROKEN.items():
        with open(os.path.join(root, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    intake = os.path.join(FIXTURES, "intake")
    commands = [
        ["validate"], ["report"], ["verify", "--dry-run"], ["verified", "kwt-melati"], ["new-activity", "kwt-melati", "Rapat"],
        ["schema", "--check"], ["import", os.path.join(intake, "google-forms.csv"), "--dry-run"],
        ["corrections", os.path.join(intake, "corrections.csv")], ["mou", "rusak-satu"],
        ["new", "Toko Baru", "--pattern", "agensi", "--side", "x", "--province", "Atlantis"],
        ["verified", "kwt-melati", "--date", "31/02/2026"], ["list", "--data", str(tmp_path / "tidak-ada")],
        ["form", "-o", str(tmp_path / "formulir.xlsx")],
    ]
    said = []
    for command in commands:
        args = command if "--data" in command else [*command, "--data", root]
        done = run_portal(*args, env={"LANG": "id_ID.UTF-8", "LANGUAGE": "", "LC_ALL": ""})
        assert b"Traceback" not in done.stderr, done.stderr.decode()
        said += [f"portal {command[0]}: {line}" for line in _english(done.stdout.decode("utf-8") + done.stderr.decode("utf-8"))]
    assert not said, "\n".join(said)
