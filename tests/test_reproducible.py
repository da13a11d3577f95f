"""Two builds of the same sources, in different folders, produce byte-identical sites."""

import os

from conftest import build_site
from sitebuild import EPOCH, build, digest, project


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


def test_a_build_on_every_core_is_byte_identical_to_a_one_core_build(tmp_path):
    """With the forked path forced on (PORTAL_PARALLEL_MIN=1: validation, projection and profiles split
    across workers), a build on every core matches one confined to a single core, which runs alone."""
    from portal_kemitraan.core.parallel import cores

    env = {"SOURCE_DATE_EPOCH": EPOCH, "PORTAL_PARALLEL_MIN": "1"}
    many = project(str(tmp_path / "many"))
    one = project(str(tmp_path / "one"))
    result = build_site(many, env=env)
    assert result.returncode == 0, result.stderr
    result = build_site(one, env=env, one_core=True)
    assert result.returncode == 0, result.stderr
    a, b = digest(os.path.join(many, "site")), digest(os.path.join(one, "site"))
    assert sorted(a) == sorted(b) and len(a) > 50
    assert sorted(name for name in a if a[name] != b[name]) == []
    assert cores() > 1, "this machine has one core: the two builds above took the same path"
