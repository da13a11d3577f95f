"""`validate`'s cache: the same answer when nothing changed, a full check after any change of content,
date, version or rules; stored outside the data folder and safe to lose."""

from __future__ import annotations

import os

from conftest import copy_reference_data, run_portal
from portal_kemitraan.staff import checkcache


def validate(root, *extra):
    result = run_portal("validate", "--data", root, "--today", "2026-12-01", *extra)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def tree(tmp_path):
    return copy_reference_data(str(tmp_path), with_partners=True)


def test_a_second_run_gives_the_same_answer_from_the_cache(tmp_path, monkeypatch):
    root = tree(tmp_path)
    first = validate(root)
    calls = []
    monkeypatch.setattr("portal_kemitraan.staff.data_commands.check_catalog", lambda *a, **k: calls.append(1))
    assert validate(root) == first and calls == []  # answered without loading a single file
    assert "OK: 16 partners" in first[1] and "contact.person: note: has no consent" in first[1]
    # The cache is in the user's cache folder, never in the data folder.
    assert os.listdir(checkcache.folder()) and not any(n.endswith(".json") for n in os.listdir(root) if n != "partner.schema.json")


def test_any_change_of_content_is_seen_even_with_the_same_size_and_time(tmp_path):
    root = tree(tmp_path)
    validate(root)
    path = os.path.join(root, "kwt-melati.yml")
    info = os.stat(path)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace("pattern: general-trade", "pattern: general-trada"))  # one letter, same length
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    code, out, _ = validate(root)
    assert code == 1 and "kwt-melati.yml" in out and "general-trada" in out


def test_an_error_answer_is_kept_too_and_the_day_is_part_of_the_key(tmp_path):
    root = tree(tmp_path)
    path = os.path.join(root, "kwt-melati.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace("visibility: public", "visibility: publik"))
    first = validate(root)
    assert first[0] == 1 and validate(root) == first
    later = run_portal("validate", "--data", root, "--today", "1999-01-01")
    assert later.returncode == 1 and b"is in the future" in later.stdout  # checked again for another day


def test_a_new_version_or_a_damaged_cache_means_a_full_check(tmp_path, monkeypatch):
    root = tree(tmp_path)
    validate(root)
    calls = []
    real = __import__("portal_kemitraan.staff.data_commands", fromlist=["check_catalog"]).check_catalog
    monkeypatch.setattr("portal_kemitraan.staff.data_commands.check_catalog", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(checkcache, "__version__", "9.9.9")
    assert validate(root)[0] == 0 and calls == [1]
    for name in os.listdir(checkcache.folder()):
        with open(os.path.join(checkcache.folder(), name), "w", encoding="utf-8") as fh:
            fh.write("{not json")
    assert validate(root)[0] == 0 and calls == [1, 1]
    assert validate(root, "--no-cache")[0] == 0 and calls == [1, 1, 1]
