"""The data folder's boundary: every file the project reads from it is a regular file inside it, read once."""

from __future__ import annotations

import errno
import os
import stat
from .problems import Text


class Refused(Exception):
    """A file that must not be read: outside the data folder, not a regular file, too large, unreadable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def inside(root: str, path: str) -> bool:
    """True when `path`, with every link resolved, lies inside `root` (itself resolved)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    try:
        return os.path.commonpath([real_root, real]) == real_root
    except ValueError:  # different drives (Windows)
        return False


def read_inside(root: str, path: str, limit: int) -> bytes:
    """The bytes of one regular file inside `root`, at most `limit` of them; raises Refused otherwise.

    Links are allowed only when they resolve inside `root` (a checkout may link one logo to another);
    devices, FIFOs, sockets, folders and /proc files are refused before a byte is read, and the file
    is opened without following a final link and checked again through its open descriptor."""
    if not inside(root, path):
        raise Refused(Text("is a link (or lies under a linked folder) that leads outside partners/; only files inside partners/ are read"))
    return read_regular(os.path.realpath(path), limit)


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of one regular file (an input a staff member names, such as a CSV export), at most `limit`."""
    real = os.path.realpath(path)
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


def folder_inside(root: str, path: str) -> None:
    """Make a folder (and its parents) inside `root`, never through a link: Refused otherwise."""
    path = os.path.abspath(path)
    if not inside(root, path):
        raise Refused(Text("is outside the data folder; commands write only inside partners/"))
    rel = os.path.relpath(path, os.path.abspath(root))
    current = os.path.abspath(root)
    for part in [] if rel == "." else rel.split(os.sep):
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise Refused(Text('{current} is a link; commands never write through links', current=current))
        if not os.path.isdir(current):
            if os.path.lexists(current):
                raise Refused(Text('{current} is in the way: it is not a folder', current=current))
            os.mkdir(current, 0o755)


def write_inside(root: str, path: str, data: bytes, replace: bool = False) -> None:
    """Write one file inside `root`, never through a link and never outside it.

    New files are created exclusively (an existing file is an error, FileExistsError); with `replace`
    the text goes to a temporary file beside the target first and is then renamed over it, so a
    failed write leaves the old file whole."""
    folder = os.path.dirname(os.path.abspath(path))
    if not inside(root, folder) or os.path.islink(path):
        raise Refused(Text("is outside the data folder (or a link out of it); commands write only inside partners/"))
    if not os.path.isdir(folder):
        raise Refused(Text('cannot be written: the folder {folder} does not exist', folder=folder))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    target = path if not replace else os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        fd = os.open(target, flags, 0o644)
    except FileExistsError:
        if replace:
            raise Refused(Text("cannot be written: a temporary file of an earlier run is in the way; remove it"))
        raise
    except OSError as exc:
        raise Refused(Text('cannot be written: {value}', value=exc.strerror or exc))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if replace:
            if os.path.exists(path) and not stat.S_ISREG(os.lstat(path).st_mode):
                raise Refused(Text("is not a regular file; it was left as it is"))
            os.replace(target, path)
    except OSError as exc:
        if replace and os.path.exists(target):
            os.unlink(target)
        raise Refused(Text('cannot be written: {value}', value=exc.strerror or exc))
    except Refused:
        os.unlink(target)
        raise


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


DRAFT_SUFFIXES = (".md", ".html", ".htm", ".txt")


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
