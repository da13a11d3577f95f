"""A site built in parts on several machines (`portal part`) and joined into one site (`portal join`)."""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import shutil
import stat

from ..core.problems import Text
from ..core.safefs import inside
from ..render.site import Part
from .reporter import CommandError, UsageError, shown_path
from .site_commands import Project, build_edition, check_built, checked_project

MANIFEST = ".portal-part.json"  # in a part's folder: which part of which project it is (never published)
MANIFEST_LIMIT = 4096


def cmd_part(args, reporter) -> int:
    """Build one part of every edition into a folder of its own, to be joined with the others by `portal join`."""
    try:
        part = Part.parse(args.part)
    except ValueError:
        raise UsageError(Text("{part}: name the part as NUMBER/COUNT, e.g. 2/3 (the second of three)", part=args.part))
    project = checked_project(args.config, reporter)  # read once, and handed to every edition's build
    out = _output_folder(project, args.out, Text("the part"))
    main_site = project.editions[0][4]
    if inside(main_site, out) or inside(out, main_site):  # `portal join` replaces the site folder
        raise UsageError(Text("--out {out}: is the site folder, inside it or around it; build a part beside it", out=shown_path(out)))
    if os.path.lexists(out) and not (os.path.isdir(out) and not os.path.islink(out)):
        raise UsageError(Text("--out {out}: is not a folder", out=shown_path(out)))
    if os.path.isdir(out) and os.listdir(out) and not os.path.isfile(os.path.join(out, MANIFEST)):
        # MkDocs empties the folder it builds into: only a new or empty one, or a part written before.
        raise UsageError(Text("--out {out}: holds files that are not a part of the site; give a new or empty folder", out=shown_path(out)))
    for name, *_, site_dir in project.editions:
        if not inside(main_site, site_dir):  # a part is one folder: every edition's site lies in the main one's
            raise UsageError(Text("{config}: site_dir {site_dir} lies outside the main edition's {main}; to be built in parts, every edition is published inside it",
                                  config=name, site_dir=shown_path(site_dir), main=shown_path(main_site)))
    _clear(os.path.join(out, MANIFEST))  # written again only when every edition is built: a failed part is no part
    for name, _, lang, _, site_dir in project.editions:  # the main edition first: its build empties the folder
        build_edition(reporter, project, name, lang, os.path.join(out, os.path.relpath(site_dir, main_site)), part)
    with open(os.path.join(out, MANIFEST), "w", encoding="utf-8") as fh:
        json.dump({"part": part.number, "parts": part.count, "project": fingerprint(project)}, fh)
    reporter.say(Text("part {number} of {count} is built into {out}; join every part with: portal join FOLDER …",
                      number=part.number, count=part.count, out=shown_path(out)))
    return 0


def cmd_join(args, reporter) -> int:
    """Join the parts built by `portal part` into the site folder, then check the site as `portal check` does."""
    project = checked_project(args.config, reporter)
    parts = [_read_manifest(folder) for folder in args.parts]
    count = parts[0][1]["parts"]
    numbers = sorted(manifest["part"] for _, manifest in parts)
    if count != len(parts) or any(manifest["parts"] != count for _, manifest in parts) or numbers != list(range(1, count + 1)):
        raise CommandError(Text("the parts given are {numbers} of {count}: join every part once, each built for the same count",
                                numbers=", ".join(map(str, numbers)), count=count))
    here = fingerprint(project)
    for folder, manifest in parts:
        if manifest["project"] != here:
            raise CommandError(Text("{folder}: built from other data, pages or settings than this project's; build every part from the same commit",
                                    folder=shown_path(folder)))
    site = _output_folder(project, project.editions[0][4], Text("the built site"))
    for folder, _ in parts:
        if inside(site, folder) or inside(folder, site):  # the site folder is replaced
            raise UsageError(Text("{folder}: is the site folder, inside it or around it; keep the parts beside it", folder=shown_path(folder)))
    joining = site + ".joining"
    _clear(joining)
    try:
        files = 0
        for folder, _ in parts:
            files += _copy_part(folder, joining)
        _replace(site, joining)
    finally:
        _clear(joining)
    reporter.say(Text("joined {count} parts into {site} ({files} files); checking it …", count=count, site=shown_path(site), files=files))
    return check_built(reporter, project)


def fingerprint(project: Project) -> str:
    """What a part's pages are made from, as one digest: the portal's version, the day of the build, every
    edition's configuration, its hand-written pages and overriding templates, and the data folder. Parts
    joined must share it: a part built from another commit or on another day would not fit the others."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    try:
        digest.update(version("portal-kemitraan").encode())
    except PackageNotFoundError:  # pragma: no cover - the package is installed to run at all
        pass
    digest.update(str(project.today).encode())
    folders = {project.data}
    for name, config, *_ in project.editions:
        _digest_file(digest, project.config_dir, os.path.join(project.config_dir, name))
        folders.add(os.path.join(project.config_dir, str(config.get("docs_dir") or "docs")))
        theme = config.get("theme") if isinstance(config.get("theme"), dict) else {}
        if theme.get("custom_dir"):
            folders.add(os.path.join(project.config_dir, str(theme["custom_dir"])))
        for hook in config["hooks"] if isinstance(config.get("hooks"), list) else []:
            _digest_file(digest, project.config_dir, os.path.join(project.config_dir, str(hook)))
    for folder in sorted(folders):
        for root, dirs, names in os.walk(folder):  # links are not followed: a link's own text is what counts
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                _digest_file(digest, project.config_dir, os.path.join(root, name))
    return digest.hexdigest()


def _digest_file(digest, base: str, path: str) -> None:
    digest.update(os.path.relpath(path, base).encode("utf-8", "surrogateescape") + b"\0")
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            digest.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
        elif stat.S_ISREG(info.st_mode):
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    except OSError:
        digest.update(b"unreadable")
    digest.update(b"\0")


def _output_folder(project: Project, folder: str, what: Text) -> str:
    """`folder` as an absolute path, refused when it is the data folder, inside or around it, or around the
    project (MkDocs empties the folder it builds into; the join replaces it)."""
    path = os.path.abspath(folder)
    if inside(project.data, path) or inside(path, project.data) or inside(path, project.config_dir):
        raise UsageError(Text('{shown} is the data folder, inside it or around it; {what} go to a folder outside the data',
                              shown=shown_path(folder), what=what))
    return path


def _read_manifest(folder: str) -> tuple[str, dict]:
    """A part's folder and what its manifest says, refused unless `portal part` wrote it."""
    path = os.path.join(os.path.abspath(folder), MANIFEST)
    try:
        if not os.path.isdir(folder) or os.path.islink(path) or not os.path.isfile(path):
            raise ValueError
        with open(path, "rb") as fh:
            text = fh.read(MANIFEST_LIMIT + 1)
        if len(text) > MANIFEST_LIMIT:
            raise ValueError
        manifest = json.loads(text)
        if not (isinstance(manifest, dict) and isinstance(manifest.get("part"), int) and isinstance(manifest.get("parts"), int)
                and isinstance(manifest.get("project"), str) and 1 <= manifest["part"] <= manifest["parts"]):
            raise ValueError
    except (OSError, ValueError, UnicodeDecodeError):
        raise UsageError(Text("{folder}: not a part of the site (no {manifest} written by portal part)", folder=shown_path(folder), manifest=MANIFEST))
    return os.path.abspath(folder), manifest


def _copy_part(folder: str, target: str) -> int:
    """Copy a part's files into `target`; a file another part wrote already must be the same bytes (every
    part writes the theme's files and the pages every part lists alike). Links are refused, not followed."""
    copied = 0
    for root, dirs, names in os.walk(folder):
        rel_root = os.path.relpath(root, folder)
        for name in sorted(dirs + names):
            source = os.path.join(root, name)
            if os.path.islink(source):
                raise CommandError(Text("{path}: a link in a part of the site; parts hold only files", path=shown_path(source)))
        for name in names:
            if rel_root == "." and name == MANIFEST:
                continue
            source, dest = os.path.join(root, name), os.path.normpath(os.path.join(target, rel_root, name))
            if os.path.exists(dest):
                if not filecmp.cmp(source, dest, shallow=False):
                    raise CommandError(Text("{path}: two parts wrote it differently; build every part from the same commit",
                                            path=os.path.normpath(os.path.join(rel_root, name))))
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(source, dest)
            copied += 1
    return copied


def _replace(site: str, joined: str) -> None:
    """Put the joined site where the site folder is, the old one removed only once the new one is in place."""
    old = site + ".replaced"
    _clear(old)
    if os.path.lexists(site):
        os.rename(site, old)
    os.rename(joined, site)
    _clear(old)


def _clear(path: str) -> None:
    """Remove a file, a link (never what it points at) or a folder the commands left before."""
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
