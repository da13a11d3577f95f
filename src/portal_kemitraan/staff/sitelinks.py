"""The built site's links read from its pages (`portal check`): every link and anchor resolves, every sitemap address is a page."""

from __future__ import annotations

import os
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from ..core.parallel import fork_map
from ..core.problems import Text


def site_files(root: str):
    """Every file under a built site, in a stable order."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(folder, name)


_LOADING = ("a", "link", "img", "script", "iframe", "source", "area")


def _links_and_ids(path: str) -> tuple[list[str], set[str]]:
    """Every address a reader can follow or a page loads (href, src), and every id (and <a name>) it holds,
    read by lxml's HTML parser."""
    from lxml import etree

    with open(path, "rb") as fh:
        root = etree.fromstring(fh.read() or b"<html/>", etree.HTMLParser(recover=True, huge_tree=True))
    if root is None:
        return [], set()
    ids = {str(v) for v in root.xpath("//@id")} | {str(v) for v in root.xpath("//a/@name")}
    urls = [value for element in root.iter(*_LOADING) for value in (element.get("href"), element.get("src")) if value]
    return urls, ids


def _target(site_root: str, base_path: str, path: str) -> str | None:
    """The file an address under the site's base path is served from (None outside it)."""
    if not path.startswith(base_path):
        return None
    rest = unquote(path[len(base_path) :])
    if any(part == ".." for part in rest.split("/")):
        return None
    target = os.path.join(site_root, *[p for p in rest.split("/") if p])
    if path.endswith("/") or not rest:
        target = os.path.join(target, "index.html")
    return target


def climbed(home: str, rel: str, url: str) -> tuple[str, str] | None:
    """`urljoin(home + rel, url)` as the same join from the folder the url climbs to: (that folder's address,
    the rest of the url). A page's links mostly climb to the same place from every page at its depth
    (`../../assets/...` from every profile), so the join and what it leads to are worked out once there.
    None where that does not hold: a url that does not start by climbing, climbs above `home`, or goes on
    from the root (`..//x`), or a page's path that is not plain folders (tests/test_design.py: joined alike)."""
    k = 0
    while url.startswith("../", 3 * k):
        k += 1
    folders = rel.split("/")[:-1]
    rest = url[3 * k :]
    if k == 0 or k > len(folders) or rest.startswith("/") or any(f in ("", ".", "..") for f in folders):
        return None
    kept = folders[: len(folders) - k]
    return home + "".join(f + "/" for f in kept), rest


def broken_links(site_root: str, home: str, repository: str = "", parallel: bool = True) -> tuple[list[Text], int]:
    """Every link or loaded address inside the site (relative, or absolute under `home`, the main edition's
    address) that is not a file of the build, every #fragment that names no id on its page, every address
    on the site's host outside its base path, and every link into the data repository. Links out (partners'
    websites, mailto:, tel:) are the partners' and are not followed. The pages are read on every core.
    Returns the problems and how many addresses were checked."""
    home = home if home.endswith("/") else home + "/"
    origin = urlsplit(home)
    ids: dict[str, set[str]] = {}  # the ids of the pages read so far (each worker fills its own copy)

    def ids_of(path: str) -> set[str]:
        if path not in ids:
            ids[path] = _links_and_ids(path)[1]
        return ids[path]

    resolved: dict[tuple[str, str], tuple] = {}  # (folder, rest of a url) -> where it leads (each worker's own)

    def leads(address: str, rel: str, url: str) -> tuple:
        """(the url's parts, the file it is served from or None, whether that file exists): once per place
        for a url that climbs (kept), every time for any other (a page's own, kept by no one)."""
        key = climbed(home, rel, url)
        if key is None:
            return _leads(address, url)
        if key not in resolved:
            resolved[key] = _leads(*key)
        return resolved[key]

    def _leads(base: str, url: str) -> tuple:
        full = urlsplit(urljoin(base, url))
        target = _target(site_root, origin.path, full.path) if (full.scheme, full.netloc) == (origin.scheme, origin.netloc) else None
        return full, target, target is not None and os.path.isfile(target)

    def check(path: str) -> tuple[list[Text], int]:
        rel = os.path.relpath(path, site_root).replace(os.sep, "/")
        address = home + ("" if rel == "404.html" else rel)  # the 404 page's links are absolute
        urls, ids[path] = _links_and_ids(path)
        problems, checked = [], 0
        for url in urls:
            if repository and url.startswith(repository):
                problems.append(Text("{path}: {url}: a link into the data repository", path=rel, url=url))
                continue
            full, target, exists = leads(address, "" if rel == "404.html" else rel, url)
            if full.scheme in ("mailto", "tel", "data", "sms", "javascript") or (full.scheme, full.netloc) != (origin.scheme, origin.netloc):
                continue
            checked += 1
            if target is None:
                problems.append(Text("{path}: {url}: outside the site (it is served under {home})", path=rel, url=url, home=home))
            elif not exists:
                problems.append(Text("{path}: {url}: no such page or file ({target})", path=rel, url=url, target=os.path.relpath(target, site_root).replace(os.sep, "/")))
            elif full.fragment and target.endswith(".html") and unquote(full.fragment) not in ids_of(target):
                problems.append(Text("{path}: {url}: no anchor {fragment!r} on that page", path=rel, url=url, fragment=full.fragment))
        return problems, checked

    pages = [path for path in site_files(site_root) if path.endswith(".html")]
    found = fork_map(check, pages, parallel)
    return [problem for problems, _ in found for problem in problems], sum(checked for _, checked in found)


_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_problems(site_root: str, site_dir: str, home: str) -> list[Text]:
    """An edition's sitemap (in `site_dir`) parses, and every address in it (each page and each language alternate) is a
    page of the build."""
    rel_dir = os.path.relpath(site_dir, site_root).replace(os.sep, "/")
    rel_dir = "" if rel_dir == "." else rel_dir + "/"
    path = os.path.join(site_dir, "sitemap.xml")
    if not os.path.isfile(path):
        return [Text("{path}: missing: every edition publishes its sitemap", path=rel_dir + "sitemap.xml")]
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        return [Text("{path}: not valid XML: {error}", path=rel_dir + "sitemap.xml", error=str(exc))]
    origin = urlsplit(home)
    problems = []
    for url in root.iter(f"{_SITEMAP}url"):
        loc = url.findtext(f"{_SITEMAP}loc") or ""
        addresses = [(loc, None)] + [(link.get("href") or "", link.get("hreflang")) for link in url.iter(f"{_XHTML}link")]
        for address, lang in addresses:
            full = urlsplit(address)
            target = _target(site_root, origin.path, full.path) if (full.scheme, full.netloc) == (origin.scheme, origin.netloc) else None
            if target is None or not os.path.isfile(target):
                what = Text("the {lang} alternate of {page}", lang=lang, page=loc) if lang else Text("the page")
                problems.append(Text("{path}: {address}: {what} is not a page of the site", path=rel_dir + "sitemap.xml", address=address, what=what))
    return problems
