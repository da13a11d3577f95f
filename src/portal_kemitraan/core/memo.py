"""What a long-running process (the staff preview) keeps between builds of the same data folder: each
partner file as it was read and checked, and each partner's public projection, reused while unchanged."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field


def signature(path: str) -> tuple | None:
    """A regular file's identity and state (inode, size, modification and change times); None for anything
    else. The change time moves on every write and cannot be set back, so an edit is never missed."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class CheckedFile:
    """One partner file as read and checked: its problems, its model, and its logo as published."""

    signature: tuple
    context: tuple  # what the checks depended on besides the file (reference data, the build date)
    problems: tuple
    partner: object | None
    logo: tuple | None = None  # (logo path under partners/, its signature, the cleaned bytes)


@dataclass
class Memo:
    """Kept by an adapter across rebuilds; each build replaces the entries, so deleted files leave no trace."""

    files: dict[str, CheckedFile] = field(default_factory=dict)  # absolute path -> the file as checked
    public: dict[str, tuple] = field(default_factory=dict)  # slug -> (partner model, context, public dict)

    def checked(self, path: str, context: tuple) -> CheckedFile | None:
        """The file as checked last time, if neither it, its logo nor the context has changed since."""
        entry = self.files.get(path)
        if entry is None or entry.context != context or entry.signature != signature(path):
            return None
        if entry.logo is not None and entry.logo[1] != signature(entry.logo[0]):
            return None
        return entry
