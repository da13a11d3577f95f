"""Templates compiled once and kept in the user's cache folder: never another environment's code, never in
the way when an entry is damaged or cannot be written, never read from a folder someone else may write."""

import os

import jinja2
import pytest

from portal_kemitraan.adapters import templatecache

SOURCE = "{% for w in words %}\n  {{ w }}\n{% endfor %}\n"


def environments(folder, cache):
    """Two environments over one template file that differ only in how whitespace around tags is read."""
    loader = jinja2.FileSystemLoader(str(folder))
    plain = jinja2.Environment(loader=loader, bytecode_cache=cache)
    trimmed = jinja2.Environment(loader=loader, bytecode_cache=cache, trim_blocks=True, lstrip_blocks=True)
    return plain, trimmed


def counting(monkeypatch) -> list:
    compiled = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return compiled


def test_each_environment_reads_only_code_compiled_its_own_way(tmp_path, monkeypatch):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "list.html").write_text(SOURCE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled = counting(monkeypatch)
    expected = {}
    for env in environments(tmp_path / "t", templatecache.user_cache()):
        expected[env.trim_blocks] = env.get_template("list.html").render(words=["a", "b"])
    assert expected[False] != expected[True] and expected[True] == "  a\n  b\n"
    assert compiled == ["list.html", "list.html"] and len(os.listdir(templatecache.folder())) == 2
    # Fresh environments (a second build): both from the folder, each with its own rules.
    for env in environments(tmp_path / "t", templatecache.user_cache()):
        assert env.get_template("list.html").render(words=["a", "b"]) == expected[env.trim_blocks]
    assert compiled == ["list.html", "list.html"]
    # An edited template is compiled afresh (Jinja checks every entry against the source).
    (tmp_path / "t" / "list.html").write_text(SOURCE.replace("{{ w }}", "[{{ w }}]"))
    plain, _ = environments(tmp_path / "t", templatecache.user_cache())
    assert plain.get_template("list.html").render(words=["a"]) == "\n  [a]\n"
    assert compiled == ["list.html"] * 3


def test_a_damaged_entry_is_compiled_again_and_a_cache_that_cannot_be_written_is_none(tmp_path, monkeypatch):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "list.html").write_text(SOURCE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _, trimmed = environments(tmp_path / "t", templatecache.user_cache())
    trimmed.get_template("list.html")
    [entry] = [os.path.join(templatecache.folder(), n) for n in os.listdir(templatecache.folder())]
    whole = open(entry, "rb").read()
    compiled = counting(monkeypatch)
    magic = len(jinja2.bccache.bc_magic)  # then the source's checksum (pickled), then the code (marshalled)
    damages = (b"", whole[:12], whole[:magic], whole[:magic] + b"\x80\x05garbage", whole[:magic + 30] + b"\xff" * 40, whole[:-7],
               b"\x00" * len(whole), whole[:6] + b"garbage" * 9)
    for damaged in damages:
        with open(entry, "wb") as fh:
            fh.write(damaged)
        _, trimmed = environments(tmp_path / "t", templatecache.user_cache())
        assert trimmed.get_template("list.html").render(words=["x"]) == "  x\n"
        assert open(entry, "rb").read() == whole  # written again whole
    assert len(compiled) == len(damages)
    # A folder that is gone (or full, or read-only) when the entry is written: compiled, rendered, no error.
    gone = templatecache.TemplateCache(str(tmp_path / "no" / "such" / "folder"))
    _, trimmed = environments(tmp_path / "t", gone)
    assert trimmed.get_template("list.html").render(words=["y"]) == "  y\n"


@pytest.mark.parametrize("unsafe", ["open to the group", "open to everyone", "a link", "a file"])
def test_no_cache_where_someone_else_could_write_it(tmp_path, monkeypatch, unsafe):
    """Compiled code is read only from a folder of this user that nobody else may write: anything else
    there means no cache at all (every template compiled), and nothing is written there."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    place = templatecache.folder()
    os.makedirs(os.path.dirname(place))
    if unsafe == "a link":
        os.mkdir(tmp_path / "elsewhere", 0o700)
        os.symlink(tmp_path / "elsewhere", place)
    elif unsafe == "a file":
        open(place, "w").close()
    else:
        os.mkdir(place)
        os.chmod(place, 0o770 if unsafe == "open to the group" else 0o777)
    assert templatecache.user_cache() is None
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "list.html").write_text(SOURCE)
    _, trimmed = environments(tmp_path / "t", templatecache.user_cache())
    assert trimmed.get_template("list.html").render(words=["z"]) == "  z\n"
    assert not os.path.isdir(place) or os.listdir(place) == []
    assert not os.path.exists(tmp_path / "elsewhere") or os.listdir(tmp_path / "elsewhere") == []


def test_the_cache_folder_is_made_for_this_user_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HOME", raising=False)
    assert templatecache.user_cache() is not None
    info = os.stat(templatecache.folder())
    assert templatecache.folder() == str(tmp_path / "cache" / "portal-kemitraan" / "templates")
    assert info.st_mode & 0o777 == 0o700 and info.st_uid == os.getuid()


def test_a_relative_cache_home_is_ignored_as_the_xdg_rule_says(tmp_path, monkeypatch):
    """XDG_CACHE_HOME must be absolute: a relative one (which would put the cache wherever a command runs,
    a data folder among them) is ignored for ~/.cache, for the compiled templates and validate's answers."""
    from portal_kemitraan.staff import checkcache

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    for relative in ("partners", "", "./cache"):
        monkeypatch.setenv("XDG_CACHE_HOME", relative)
        assert templatecache.folder() == str(tmp_path / "home" / ".cache" / "portal-kemitraan" / "templates")
        assert checkcache.folder() == str(tmp_path / "home" / ".cache" / "portal-kemitraan" / "validate")
    assert templatecache.user_cache() is not None and not os.path.exists(tmp_path / "partners")
