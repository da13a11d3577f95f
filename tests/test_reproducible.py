"""Two builds of the same sources, in different folders, produce byte-identical sites."""

import hashlib
import os

from sitebuild import build, project, site_files


def digest(site):
    out = {}
    for path in site_files(site):
        with open(path, "rb") as fh:
            out[os.path.relpath(path, site)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def test_two_builds_are_byte_identical(tmp_path):
    first_result, first = build(project(str(tmp_path / "a" / "one")))
    second_result, second = build(project(str(tmp_path / "b" / "two-other-path")))
    assert first_result.returncode == 0 and second_result.returncode == 0
    a, b = digest(first), digest(second)
    assert sorted(a) == sorted(b)
    differing = sorted(name for name in a if a[name] != b[name])
    assert differing == []
    assert len(a) > 50
