"""Profiles written around one drawing of the theme per page shape are, byte for byte, what the theme draws page by page."""

import json
import os
import re
import subprocess
import sys

import pytest

import portal_kemitraan.adapters.chrome as chrome
from conftest import hostile_project
from sitebuild import EPOCH, digest, project, read

# MkDocs, as the build command runs it, with the profiles drawn by the theme one page at a time: the hook's
# single drawing is turned off in this process only (nothing in the product can turn it off but the hook file).
PAGE_BY_PAGE = ("import portal_kemitraan.adapters.chrome as chrome; chrome.Chrome.write = lambda self, pages: [];"
                " from mkdocs.__main__ import cli; cli()")
WRITTEN = re.compile(r"portal: (\d+) of (\d+) profiles written from (\d+) drawing")


def mkdocs(folder: str, *args: str, page_by_page: bool = False) -> subprocess.CompletedProcess:
    code = PAGE_BY_PAGE if page_by_page else "from mkdocs.__main__ import cli; cli()"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-c", code, "build", "--strict", *args], capture_output=True, text=True, cwd=folder, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def both_editions(folder: str, page_by_page: bool) -> str:
    mkdocs(folder, "-f", "mkdocs.yml", page_by_page=page_by_page)
    mkdocs(folder, "-f", "mkdocs.en.yml", page_by_page=page_by_page)
    return os.path.join(folder, "site")


def same(a: str, b: str) -> None:
    x, y = digest(a), digest(b)
    assert sorted(x) == sorted(y) and len(x) > 40
    assert sorted(name for name in x if x[name] != y[name]) == []


def written(result) -> tuple[int, int, int]:
    """(profiles written from a drawing, profiles, drawings) as the build says with -v."""
    found = WRITTEN.findall(result.stderr + result.stdout)
    assert len(found) == 1, result.stderr[-2000:]
    return tuple(int(n) for n in found[0])


def test_the_example_in_both_editions_is_the_theme_s_page_by_page_drawing(built_site, tmp_path):
    """The session's build of the example (both editions: listed, unlisted, with and without a share card)
    against the same sources drawn page by page."""
    same(built_site[0], both_editions(project(str(tmp_path / "p")), page_by_page=True))


MARKERS_AS_VALUES = (
    "name: {title}\npattern: agency\nside: agent\nsummary: {description}\nregion: {{province: Bali}}\n"
    "description: {body}\n"
).format(**{k: json.dumps(v[:150] + " " + chrome._SLUG) for k, v in {**chrome._FIELDS, "body": list(chrome._BODIES.values())[-1]}.items()})
# (Whole markers are longer than a name or summary may be: the markers' start, and the address's marker, whole.)


def test_hostile_values_come_out_as_the_theme_draws_them_page_by_page(tmp_path):
    """The hostile corpus (markup, entities, quotes, scripts, odd spaces and characters in names and
    summaries; logos; a partner whose name, summary and description are the drawing's own markers): every
    profile is written from a drawing, and every file equals the page-by-page build."""
    fast, slow = hostile_project(str(tmp_path / "fast")), hostile_project(str(tmp_path / "slow"))
    for folder in (fast, slow):  # a partner whose own values are the markers themselves, and hold one another's
        with open(os.path.join(folder, "partners", "penanda.yml"), "w", encoding="utf-8") as fh:
            fh.write(MARKERS_AS_VALUES)
    n, total, drawings = written(mkdocs(fast, "-v", "-f", "mkdocs.yml"))
    assert n == total > 10 and 1 <= drawings <= 4
    mkdocs(slow, "-f", "mkdocs.yml", page_by_page=True)
    same(os.path.join(fast, "site"), os.path.join(slow, "site"))


HOOK = "def on_page_context(context, page, config, nav):\n    context['portal_test'] = page.url\n    return context\n"
CHANGED = {
    # A template that does more with a value than print it: the marker comes out changed.
    "a filter": ("overrides/partner.html", "{% block extrahead %}{{ super() }}<meta name=\"x-short\" content=\"{{ page.meta.description | truncate(24) }}\">{% endblock %}\n",
                 lambda page, partner: '<meta name="x-short" content="' in page),
    # A hook that gives every page's context something of its own.
    "a page context": ("overrides/partner.html", "{% block extrahead %}{{ super() }}<meta name=\"x-url\" content=\"{{ portal_test }}\">{% endblock %}\n",
                       lambda page, partner: f'<meta name="x-url" content="partners/{partner}/">' in page),
}


@pytest.mark.parametrize("change", sorted(CHANGED))
def test_a_theme_that_does_more_than_print_the_values_draws_every_profile_itself(tmp_path, change):
    """Nothing is assumed of the templates: where they change a value or a hook changes each page's context,
    no profile is written from a drawing, and each shows what the theme draws for it."""
    folder = project(str(tmp_path / "p"))
    path, block, shows = CHANGED[change]
    with open(os.path.join(folder, path), "a", encoding="utf-8") as fh:
        fh.write(block)
    if change == "a page context":
        with open(os.path.join(folder, "hooks", "each_page.py"), "w", encoding="utf-8") as fh:
            fh.write(HOOK)
        config = os.path.join(folder, "mkdocs.yml")
        text = open(config, encoding="utf-8").read()
        with open(config, "w", encoding="utf-8") as fh:
            fh.write(text.replace("  - hooks/portal_hook.py\n", "  - hooks/portal_hook.py\n  - hooks/each_page.py\n", 1))
    n, total, _ = written(mkdocs(folder, "-v", "-f", "mkdocs.yml"))
    assert n == 0 and total > 5
    site = os.path.join(folder, "site")
    profiles = [name for name in os.listdir(os.path.join(site, "partners")) if os.path.exists(os.path.join(site, "partners", name, "index.html"))]
    drawn = [p for p in profiles if shows(read(site, f"partners/{p}/index.html"), p)]
    assert len(drawn) >= total
