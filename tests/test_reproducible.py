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


def _entries(folder: str) -> dict:
    return {name: (st.st_ino, st.st_mtime_ns, open(os.path.join(folder, name), "rb").read())
            for name in os.listdir(folder) for st in [os.stat(os.path.join(folder, name))]}


def test_a_build_on_every_core_is_byte_identical_to_a_one_core_build(tmp_path):
    """With the forked path forced on (PORTAL_PARALLEL_MIN=1: validation, projection and profiles split
    across workers), a build on every core matches one confined to a single core, which runs alone.
    The first compiles every template into an empty cache folder; the second reads the theme's and the
    portal's from it (none written again) and compiles only its own project's overrides."""
    from portal_kemitraan.core.parallel import cores

    cache = tmp_path / "cache"
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PORTAL_PARALLEL_MIN": "1", "XDG_CACHE_HOME": str(cache)}
    many = project(str(tmp_path / "many"))
    one = project(str(tmp_path / "one"))
    result = build_site(many, env=env)
    assert result.returncode == 0, result.stderr
    compiled = _entries(cache / "portal-kemitraan" / "templates")
    assert len(compiled) > 40  # the theme's and the portal's templates
    result = build_site(one, env=env, one_core=True)
    assert result.returncode == 0, result.stderr
    now = _entries(cache / "portal-kemitraan" / "templates")
    assert {name: now[name] for name in compiled} == compiled
    overrides = sum(len(names) for _, _, names in os.walk(os.path.join(one, "overrides")))
    assert 0 < len(now) - len(compiled) <= overrides
    a, b = digest(os.path.join(many, "site")), digest(os.path.join(one, "site"))
    assert sorted(a) == sorted(b) and len(a) > 50
    assert sorted(name for name in a if a[name] != b[name]) == []
    assert cores() > 1, "this machine has one core: the two builds above took the same path"
