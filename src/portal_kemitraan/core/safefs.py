"""The data folder's boundary: every file the project reads from it is a regular file inside it, read once."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from .problems import Text


class Refused(Exception):
    """A file that must not be read: outside the data folder, not a regular file, too large, unreadable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def cache_folder(name: str) -> str:
    """The user's cache folder for `name` (outside every project and data folder): under $XDG_CACHE_HOME when
    that is an absolute path (the XDG rule: a relative one is ignored), else under ~/.cache."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "portal-kemitraan", name)


def inside(root: str, path: str) -> bool:
    """True when `path`, with every link resolved, lies inside `root` (itself resolved)."""
    return _resolved_inside(os.path.realpath(root), os.path.realpath(path))


def _resolved_inside(real_root: str, real: str) -> bool:
    try:
        return os.path.commonpath([real_root, real]) == real_root
    except ValueError:  # different drives (Windows)
        return False


def read_inside(root: str, path: str, limit: int, real_root: str | None = None) -> bytes:
    """The bytes of one regular file inside `root`, at most `limit` of them; raises Refused otherwise.

    Links are allowed only when they resolve inside `root` (a checkout may link one logo to another);
    devices, FIFOs, sockets, folders and /proc files are refused before a byte is read, and the file
    is opened without following a final link and checked again through its open descriptor. A caller
    reading many files passes `real_root`, `root` with every link resolved, to resolve it only once."""
    real_root = real_root or os.path.realpath(root)
    folder, name = os.path.split(path)
    if folder == root and name not in ("", ".", "..") and not os.path.islink(path):
        real = os.path.join(real_root, name)  # a file right inside the folder, itself no link
    else:
        real = os.path.realpath(path)  # resolved once: the same path is checked and then opened
    if not _resolved_inside(real_root, real):
        raise Refused(Text("is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"))
    return _read_resolved(real, limit)


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of one regular file (an input a staff member names, such as a CSV export), at most `limit`."""
    return _read_resolved(os.path.realpath(path), limit)


def _read_resolved(real: str, limit: int) -> bytes:
    """The bytes of a regular file at a path with every link resolved (a final link that appears since is refused)."""
    try:
        before = os.stat(real)
    except FileNotFoundError:
        raise Refused(Text("does not exist"))
    except OSError as exc:
        raise Refused(Text('cannot be read: {value}', value=exc.strerror or exc))
    if not stat.S_ISREG(before.st_mode):
        raise Refused(Text("is not a regular file (a folder, device, pipe or socket); only plain files are read"))
    if before.st_size > limit:
        raise Refused(Text('file is {st_size:,} bytes; the limit is {limit:,}', st_size=before.st_size, limit=limit))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(Text("changed into a link while it was read; try again"))
        raise Refused(Text('cannot be read: {value}', value=exc.strerror or exc))
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise Refused(Text("changed while it was read; try again"))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(Text('cannot be read: {value}', value=exc.strerror or exc))
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Refused(Text('file is over {limit:,} bytes', limit=limit))
    return data


def list_folder(folder: str) -> list[os.DirEntry]:
    """The entries of a folder, sorted by name; empty when it does not exist, Refused when it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise Refused(Text("is a file, not a folder"))
    except OSError as exc:
        raise Refused(Text('cannot be listed: {value}', value=exc.strerror or exc))


def write_inside(root: str, path: str, data: bytes, replace: bool = False, expected: bytes | None = None) -> None:
    """Write one file inside `root`, never through a link and never outside it.

    The bytes go to a temporary file beside the target first, which then becomes the target in one step, so
    a command killed half-way leaves the old file or the new one, never half of one. A new file is created
    exclusively (an existing one is an error, FileExistsError); with `replace` it replaces the file, and
    with `expected` only while the file still holds those bytes (a file changed since it was read, by
    another command or an editor, is refused rather than overwritten with a stale copy)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not inside(root, folder) or os.path.islink(path):
        raise Refused(Text("is outside the data folder (or a link out of it); commands write only inside partners/"))
    if not os.path.isdir(folder):
        raise Refused(Text('cannot be written: the folder {folder} does not exist', folder=folder))
    if not replace and os.path.lexists(path):
        raise FileExistsError(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, flags, 0o644)
    except FileExistsError:
        raise Refused(Text("cannot be written: a temporary file of an earlier run is in the way; remove it"))
    except OSError as exc:
        raise Refused(Text('cannot be written: {value}', value=exc.strerror or exc))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            if os.path.exists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                raise Refused(Text("is not a regular file; it was left as it is"))
            if expected is not None and _current(path) != expected:
                raise Refused(Text("changed since this command read it (another command or an editor wrote it); nothing was written: run the command again"))
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails when the name exists: never two writers of one new file
            except FileExistsError:
                raise
            except OSError:  # a file system without links: the name is claimed, then filled in one step
                os.close(os.open(path, flags, 0o644))
                os.replace(temporary, path)
    except OSError as exc:
        if isinstance(exc, FileExistsError):
            raise
        raise Refused(Text('cannot be written: {value}', value=exc.strerror or exc))
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _current(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def data_lock(root: str, wait: float = 10.0):
    """One writer at a time: an exclusive lock on the data folder itself (flock on the folder, so nothing is
    written into it), held while a command that changes partner files runs. Refused after `wait` seconds."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders; the digest check of write_inside still holds
        yield
        return
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Refused(Text("another portal command is changing the data folder now; run this one again when it has finished"))
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the folder releases the lock


OUTPUT_STAMP = ".portal-output"  # marks a folder a command made for its output, so that it may write there again


def output_folder(data_dir: str, folder: str, shown: str, what: str) -> str:
    """Make (or reuse) a folder for a command's output outside the data folder: never the data folder, a folder
    inside it or one holding it, never through a link, and never an existing folder the command did not make.
    A folder made here keeps itself out of git (its own .gitignore, which hides nothing else)."""
    folder = os.path.abspath(folder)
    if inside(data_dir, folder) or inside(folder, data_dir):
        raise Refused(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data', shown=shown, what=what))
    if os.path.islink(folder):
        raise Refused(Text('{shown} is a link; commands never write through links', shown=shown))
    if os.path.lexists(folder):
        if not os.path.isdir(folder):
            raise Refused(Text('{shown} is in the way: it is not a folder', shown=shown))
        if os.listdir(folder) and not os.path.isfile(os.path.join(folder, OUTPUT_STAMP)):
            raise Refused(Text('{shown} is not empty and was not made by this command; choose a new folder', shown=shown))
    else:
        os.makedirs(folder, 0o755)
    for name, text in ((OUTPUT_STAMP, "Written by a portal command; it may write here again.\n"),
                       (".gitignore", "# Written by a portal command: its output (contact details) is never committed.\n*\n")):
        if not os.path.exists(os.path.join(folder, name)):
            write_inside(folder, os.path.join(folder, name), text.encode("utf-8"))
    return folder


DRAFT_SUFFIXES = (".md", ".html", ".htm", ".txt", ".xlsx")  # what commands write outside the data: drafts, the intake form


def write_output(data_dir: str, path: str, data: bytes, shown: str) -> None:
    """Write a draft outside the data folder, never through a link, and never over a file that is not a draft
    (a partner file, a configuration): an existing file is replaced only when it is one of DRAFT_SUFFIXES."""
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    if inside(data_dir, folder) or inside(path, data_dir):
        raise Refused(Text('{shown} is inside the data folder; drafts are saved outside it', shown=shown))
    if os.path.islink(path):
        raise Refused(Text('{shown} is a link; commands never write through links', shown=shown))
    if os.path.lexists(path) and not path.lower().endswith(DRAFT_SUFFIXES):
        raise Refused(Text('{shown} exists and is not a draft ({DRAFT_SUFFIXES}); it was left as it is', shown=shown, DRAFT_SUFFIXES=', '.join(DRAFT_SUFFIXES)))
    write_inside(folder, path, data, replace=True)
