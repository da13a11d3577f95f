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


def test_two_builds_are_byte_identical(built_site, tmp_path):
    """The session's build of the example (both editions) against a second one in another folder."""
    first = built_site[0]
    second_result, second = build(project(str(tmp_path / "b" / "two-other-path")))
    assert second_result.returncode == 0
    a, b = digest(first), digest(second)
    assert sorted(a) == sorted(b)
    differing = sorted(name for name in a if a[name] != b[name])
    assert differing == []
    assert len(a) > 50
