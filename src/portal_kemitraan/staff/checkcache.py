"""A cache of `validate`'s outcome, keyed by every data file's identity and content: when nothing changed,
the answer is given again without parsing 10,000 files.

The key is a digest of the project's version, the checking code and its reference data (the schema
among them), the day checked against, and, for
every entry under the data folder, its path, kind and content (a link by its target, a file too large
to read by its size and times). Any change gives another key and a full check. The cache lives outside
the data folder and the repository (the user's cache folder), and deleting it is always safe."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat

from .. import __version__
from ..core.safefs import cache_folder
from ..core.yamlsource import MAX_BYTES

FORMAT = 1


def folder() -> str:
    return cache_folder("validate")


def _rules_digest(language: str) -> str:
    """The checking code and its reference data (core/: models, catalog, provinces…), and the catalog of the
    messages' language: a change to any of them, installed or edited in place, makes every stored outcome stale."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    core = os.path.join(package, "core")
    files = [os.path.join(core, name) for name in sorted(os.listdir(core)) if name.endswith((".py", ".yml"))]
    files.append(os.path.join(package, "locales", language, "LC_MESSAGES", "messages.po"))
    digest = hashlib.sha256()
    for path in files:
        try:
            with open(path, "rb") as fh:
                digest.update(os.path.basename(path).encode() + b"\0" + hashlib.sha256(fh.read()).digest())
        except OSError:
            digest.update(b"\0missing\0")
    return digest.hexdigest()


def fingerprint(root: str, today: dt.date, language: str = "id") -> str:
    """The digest of everything `validate` reads, and the language its messages are said in, as the key of its outcome."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{__version__}\0{_rules_digest(language)}\0{today.isoformat()}\0{language}\0".encode())
    for base, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(base, d))]):
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            try:
                info = os.lstat(path)
            except OSError:
                digest.update(b"gone\0")
                continue
            if stat.S_ISLNK(info.st_mode):
                digest.update(b"link\0" + os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
            elif not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES * 4:
                digest.update(f"other\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\0".encode())
            else:
                try:
                    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
                    with os.fdopen(fd, "rb") as fh:
                        digest.update(b"file\0" + hashlib.sha256(fh.read()).digest())
                except OSError as exc:
                    digest.update(f"unreadable\0{exc.errno}\0".encode())
    return digest.hexdigest()


def _path(root: str) -> str:
    key = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return os.path.join(folder(), f"{key}.json")


def load(root: str, key: str) -> dict | None:
    """The stored outcome for this key, or None (no cache, another key, or a file that does not read)."""
    try:
        with open(_path(root), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("outcome"), dict):
        return None
    outcome = data["outcome"]
    lines = outcome.get("lines")
    if not (isinstance(lines, dict) and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in lines.values())):
        return None
    return outcome


def store(root: str, key: str, outcome: dict) -> None:
    """Keep the outcome for next time; a cache that cannot be written is simply not kept."""
    path = _path(root)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = f"{path}.{os.getpid()}.tmp"
        with open(temp, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "outcome": outcome}, fh, ensure_ascii=False)
        os.replace(temp, path)
    except OSError:
        pass
