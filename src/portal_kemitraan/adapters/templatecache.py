"""Compiled templates kept between builds in the user's cache folder, for the environments the adapters make or are given."""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys

import jinja2
from jinja2.bccache import Bucket

from ..core.safefs import cache_folder

# What the compiled code of a template depends on besides its source: how it is read (the delimiters and
# whitespace rules), the extensions and their modes, what escapes and what finalizes every value. Two
# environments that differ in any of these never share an entry.
_READING = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
            "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
            "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def folder() -> str:
    """Where the compiled templates are kept: the user's cache folder, outside every project and data folder."""
    return cache_folder("templates")


def _named(value) -> str:
    """A callable by its module and name, and what a closure holds (select_autoescape's settings, say)."""
    if not callable(value):
        return repr(value)
    cells = [repr(cell.cell_contents) for cell in getattr(value, "__closure__", None) or ()]
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}{cells}"


def signature(env: jinja2.Environment) -> str:
    """The digest of everything, but the source, that a template's compiled code depends on in `env`."""
    parts = [jinja2.__version__, sys.version, _named(type(env)), _named(env.code_generator_class), _named(env.autoescape),
             _named(env.finalize), repr(sorted(env.extensions)), repr(getattr(env, "newstyle_gettext", None))]
    parts += [repr(getattr(env, name)) for name in _READING]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files, keyed by the environment's signature as well as the
    template's name and file (Jinja checks each entry against the template's source), and never in the way:
    an entry that cannot be read or written is compiled afresh, as without a cache."""

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        bucket = Bucket(environment, self.get_cache_key(f"{signature(environment)}\0{name}", filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, LookupError, pickle.UnpicklingError):
            bucket.reset()  # a damaged entry: compiled afresh, and written again

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)  # beside its place, then renamed (Jinja's own)
        except OSError:
            pass  # a full or read-only disk: this build compiles as if there were no cache


def _private(path: str) -> bool:
    """Make `path` (mode 700) when missing; True only for a real folder of this user that nobody else may write."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return False
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def user_cache() -> TemplateCache | None:
    """The user's cache of compiled templates, or None (templates compiled every time) when its folder cannot be
    made, is not a folder (a link, a file), belongs to someone else or may be written by others: compiled code
    is only ever read from where this user alone writes."""
    path = folder()
    return TemplateCache(path) if _private(path) else None
