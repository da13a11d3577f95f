"""extra.portal as a typed model, one default per setting, !ENV in the staff commands' reading of
mkdocs.yml, and workers that never fork inside `mkdocs serve`."""

import math
import os
import time

import pytest

from conftest import TODAY, copy_reference_data
from portal_kemitraan.adapters.mkdocs import MkDocsAdapter
from portal_kemitraan.core import settings as settings_module
from portal_kemitraan.core.catalog import load_catalog
from portal_kemitraan.core.parallel import Beside, cores, fork_map
from portal_kemitraan.core.public import build_public_site
from portal_kemitraan.core.settings import Settings, read_mkdocs_config, settings_from_mkdocs
from portal_kemitraan.render.pages import SitePlan
from portal_kemitraan.staff.report import build_report


@pytest.mark.parametrize(
    "portal, message",
    [
        ({"page_size": "banyak"}, "extra.portal.page_size: input should be a valid integer"),
        ({"page_size": 2}, "extra.portal.page_size: input should be greater than or equal to 6"),
        ({"reply_day": 5}, "extra.portal.reply_day: unknown setting; known: organisation"),
        ({"contact_email": "bukan surel"}, "extra.portal.contact_email: 'bukan surel' is not an e-mail address"),
        ({"intake_form_url": "http://forms.example.org"}, "extra.portal.intake_form_url: 'http://forms.example.org' must be an https:// address"),
        ({"correction_form": {"url": "https://x.example.org/f", "fields": {"partner": "entry.1"}}}, "extra.portal.correction_form.fields.partner.[key]: input should be 'slug', 'name' or 'address'"),
        ({"correction_form": {"url": "https://x.example.org/f", "fields": {"slug": "entry 1&x=2"}}}, "extra.portal.correction_form.fields.slug: string should match pattern"),
        ({"data_licence": {"id": "CC0-1.0", "title": "CC0"}}, "extra.portal.data_licence.url: field required"),
        ({"today": "kemarin"}, "extra.portal.today: must be a date written as YYYY-MM-DD"),
    ],
)
def test_a_wrong_setting_is_one_clear_line(portal, message):
    with pytest.raises(ValueError) as caught:
        Settings.from_extra({"portal": portal})
    assert str(caught.value).startswith(message)


def test_one_default_per_setting_is_used_everywhere():
    assert Settings().ending_soon_days == settings_module.ENDING_SOON_DAYS == 60
    import inspect

    assert inspect.signature(build_report).parameters["ending_days"].default == settings_module.ENDING_SOON_DAYS
    assert inspect.signature(build_public_site).parameters["soon_days"].default == settings_module.ENDING_SOON_DAYS


def test_page_size_changes_the_directory_pages(tmp_path):
    root = copy_reference_data(str(tmp_path), with_partners=True)
    site = build_public_site(load_catalog(root, today=TODAY), TODAY)
    for size in (6, 48):
        plan = SitePlan(site, Settings(page_size=size))
        directory = sorted(uri for uri, page in plan.pages.items() if page.kind == "directory")
        assert len(directory) == math.ceil(len(site.listed) / size)
        first = plan.render("partners/index.md", "partners/")
        assert first.count('<li class="portal-card"') == min(size, len(site.listed))
        assert f'data-page-size="{size}"' in first


def test_env_tags_are_read_from_the_environment(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nextra:\n  portal:\n    contact_email: !ENV [PORTAL_TEST_EMAIL, 'cadangan@contoh.id']\n"
        "    reply_days: !ENV PORTAL_TEST_DAYS\nmarkdown_extensions:\n  - x: !!python/name:os.system\n"
    )
    monkeypatch.setenv("PORTAL_TEST_EMAIL", "kemitraan@nusa.or.id")
    monkeypatch.setenv("PORTAL_TEST_DAYS", "3")
    found = settings_from_mkdocs(str(config))
    assert found.contact_email == "kemitraan@nusa.or.id" and found.reply_days == 3
    monkeypatch.delenv("PORTAL_TEST_EMAIL")
    monkeypatch.delenv("PORTAL_TEST_DAYS")
    assert settings_from_mkdocs(str(config)).contact_email == "cadangan@contoh.id"
    assert read_mkdocs_config(str(config))["markdown_extensions"] == [{"x": None}]  # Python tags never run


def test_workers_fork_only_when_allowed():
    parent = os.getpid()
    items = list(range(1000))
    forked = set(fork_map(lambda _: os.getpid(), items, parallel=True))
    alone = set(fork_map(lambda _: os.getpid(), items, parallel=False))
    assert alone == {parent}
    if (os.cpu_count() or 1) > 1:
        assert len(forked) > 1 and parent in forked  # the parent takes one chunk, workers the rest
    assert fork_map(lambda x: x * 2, items) == [x * 2 for x in items]  # closures, in order
    # Dealt in turn (items whose cost comes in runs): the results still in order, and each worker's items
    # spread over the whole list rather than one stretch of it.
    for count in (1000, 1001, 1003):
        assert fork_map(lambda x: x * 2, list(range(count)), dealt=True) == [x * 2 for x in range(count)]
    pids = fork_map(lambda _: os.getpid(), items, dealt=True)
    if (os.cpu_count() or 1) > 1:
        assert pids[0] == parent and pids[1] != parent and pids[-2:] != [parent, parent]


def test_work_beside_that_cannot_start_a_worker_is_made_here_and_keeps_no_file(monkeypatch):
    """A worker the system refuses to start (no processes left): the work is made in this process when asked,
    and the temporary file meant for the worker's answer is given back at once."""
    import multiprocessing.process

    from portal_kemitraan.core import parallel

    opened = []
    real_spool = parallel._Spool

    def spool():
        made = real_spool()
        opened.append(made)
        return made

    def refuse(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "_Spool", spool)
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    beside = Beside(lambda: os.getpid())
    assert beside.worker is None and len(opened) == 1 and opened[0].file.closed
    assert beside.result() == os.getpid()


def test_work_beside_this_process_comes_back_or_is_made_here(tmp_path):
    parent = os.getpid()
    beside = Beside(lambda: (os.getpid(), [b"x" * 100_000] * 50))  # more than a pipe holds: sent while read
    pid, data = beside.result()
    assert data == [b"x" * 100_000] * 50
    assert (pid != parent) == (cores() > 1)  # a worker where there are two cores, here otherwise
    assert Beside(lambda: os.getpid(), parallel=False).result() == parent  # a threaded server never forks

    def fails():
        if os.getpid() != parent:
            os._exit(3)  # the worker dies without a word: the work is made here instead
        return "made here"

    assert Beside(fails).result() == "made here"

    def raises():
        raise ValueError("the same failure as the call itself")

    with pytest.raises(ValueError, match="the same failure"):
        Beside(raises).result()  # a worker's failure is met again here, as the plain call would meet it

    marker = tmp_path / "finished"
    slow = Beside(lambda: (time.sleep(30), marker.write_text("x")))
    worker = slow.worker[0] if slow.worker else None
    slow.cancel()  # a failed build: the worker is stopped and reaped, never left behind
    assert worker is None or (not worker.is_alive() and worker.exitcode is not None)
    assert not marker.exists()


def test_mkdocs_serve_never_forks():
    adapter = MkDocsAdapter()
    adapter.on_startup(command="serve", dirty=False)
    assert adapter.parallel() is False and adapter.is_preview() is True
    adapter.on_startup(command="build", dirty=False)
    assert adapter.parallel() is True
