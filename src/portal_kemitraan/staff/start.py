"""`portal init`: the demo made into an organisation's own portal: its name, addresses and languages written
into every edition's configuration, the demo's partners with their logos and news removed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from ..core.fieldtypes import email_address
from ..core.problems import Text
from ..core.safefs import Refused, list_folder, read_inside, read_regular, write_inside
from .doctor import DEMO_MARK, placeholder_host
from .yamledit import EditError, _last_index, _line_end, _line_start, scalar

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
MAIN_LANGUAGE = "id"
CONFIG_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Answers:
    """What an organisation tells `portal init` about itself."""

    name: str
    site_url: str
    email: str
    form: str = ""
    languages: tuple[str, ...] = ("id", "en")
    repository: str = ""

    def edition_url(self, lang: str) -> str:
        return self.site_url if lang == MAIN_LANGUAGE else f"{self.site_url}{lang}/"


def check_answers(answers: Answers) -> list[Text]:
    """One line per answer that cannot be used, naming its option."""
    problems = []
    name = answers.name.strip()
    if not name or len(name) > 200 or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
        problems.append(Text("--name: the organisation's name: one line of text, at most 200 characters"))
    url = urlsplit(answers.site_url)
    if url.scheme != "https" or not url.hostname or url.query or url.fragment or not answers.site_url.endswith("/"):
        problems.append(Text("--url: {url!r} is not the site's public address: https://host/path/ (ending in /)", url=answers.site_url))
    elif placeholder_host(answers.site_url):
        problems.append(Text("--url: {url!r} is a placeholder address; give the address the site will have", url=answers.site_url))
    try:
        email = email_address(answers.email)
    except ValueError:
        email = ""
    if not email or placeholder_host("mailto://" + email.split("@")[-1]):
        problems.append(Text("--email: {email!r} is not an e-mail address applicants can write to", email=answers.email))
    if answers.form:
        form = urlsplit(answers.form)
        if form.scheme != "https" or not form.hostname or placeholder_host(answers.form):
            problems.append(Text("--form: {form!r} is not the https address of an intake form (or leave it empty)", form=answers.form))
    if MAIN_LANGUAGE not in answers.languages or any(lang not in LANGUAGE_NAMES for lang in answers.languages):
        problems.append(Text("--languages: {languages!r}: the site publishes id, and optionally en (id or id,en)", languages=",".join(answers.languages)))
    if answers.repository:
        repo = urlsplit(answers.repository)
        if repo.scheme != "https" or not repo.hostname or placeholder_host(answers.repository) or "/example/" in answers.repository:
            problems.append(Text("--repository: {repository!r} is not the https address of your data repository", repository=answers.repository))
    return problems


def parse_languages(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip().lower() for part in text.replace(" ", ",").split(",") if part.strip()))


# --- editing a configuration in place ---------------------------------------------------------------


def _compose(text: str, name: str) -> yaml.MappingNode:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(Text("{path}: cannot be read as YAML: {value}", path=name, value=str(exc).splitlines()[0]))
    if not isinstance(node, yaml.MappingNode):
        raise EditError(Text("{path}: must be a mapping of settings", path=name))
    return node


def _find(node: yaml.MappingNode, key: str):
    return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _edits(text: str, name: str, wanted: dict[tuple[str, ...], object]) -> str:
    """`text` with each dotted key set to its value (None: the key's lines removed), one edit at a time so
    that every other byte (comments, order, layout) stays. A key that is missing is added at the end of its
    group when its group exists, else at the end of the file."""
    for path, value in wanted.items():
        node = _compose(text, name)
        parent, found = node, None
        for depth, key in enumerate(path):
            found = _find(parent, key)
            if found is None or depth == len(path) - 1:
                break
            if not isinstance(found[1], yaml.MappingNode) or found[1].flow_style:
                raise EditError(Text("{name}: {key}: is not a block of settings; set it by hand", name=name, key=".".join(path[: depth + 1])))
            parent = found[1]
        if found is None or len(path) > 1 and found[0].value != path[-1]:
            if value is None:
                continue
            if parent is node and len(path) > 1:
                text = text.rstrip("\n") + "\n" + "".join(f"{'  ' * i}{k}:\n" for i, k in enumerate(path[:-1])) + f"{'  ' * (len(path) - 1)}{path[-1]}: {_scalar(value)}\n"
                continue
            indent = parent.value[0][0].start_mark.column if parent.value else 0
            at = _line_end(text, _last_index(parent) - 1) if parent is not node else len(text)
            text = text[:at] + ("" if text[:at].endswith("\n") else "\n") + " " * indent + f"{path[-1]}: {_scalar(value)}\n" + text[at:]
            continue
        k, v = found
        if value is None:
            text = text[: _line_start(text, k.start_mark.index)] + text[_line_end(text, max(_last_index(v) - 1, k.end_mark.index)) :]
        elif isinstance(v, yaml.ScalarNode):
            if v.start_mark.index == v.end_mark.index:  # `key:` with nothing after it
                text = text[: k.end_mark.index] + ": " + _scalar(value) + text[text.index(":", k.end_mark.index) + 1 :]
            else:
                text = text[: v.start_mark.index] + _scalar(value) + text[v.end_mark.index :]
        else:
            raise EditError(Text("{name}: {key}: is not one value; set it by hand", name=name, key=".".join(path)))
    return text


def _scalar(value) -> str:
    return str(value) if isinstance(value, int) else scalar(str(value))


def _alternate(text: str, name: str, answers: Answers, own: str) -> str:
    """extra.alternate: one entry per edition, with each edition's real address and where it lies from
    `own` (the language of the file's edition). Rewritten whole: it is a list the file owns."""
    node = _compose(text, name)
    extra = _find(node, "extra")
    block = None
    if extra and isinstance(extra[1], yaml.MappingNode) and not extra[1].flow_style:
        block = _find(extra[1], "alternate")
    if len(answers.languages) < 2:
        if block is None:
            return text
        k, v = block
        return text[: _line_start(text, k.start_mark.index)] + text[_line_end(text, _last_index(v) - 1) :]
    indent = (block[0].start_mark.column if block else 2)
    pad = " " * indent
    lines = [f"{pad}alternate:\n"]
    for lang in answers.languages:
        if lang == own:
            prefix = ""
        elif own == MAIN_LANGUAGE:
            prefix = f"{lang}/"
        else:
            prefix = "../" + ("" if lang == MAIN_LANGUAGE else f"{lang}/")
        lines.append(f"{pad}  - name: {LANGUAGE_NAMES[lang]}\n{pad}    lang: {lang}\n{pad}    link: {scalar(answers.edition_url(lang))}\n{pad}    prefix: {scalar(prefix)}\n")
    new = "".join(lines)
    if block is None:
        if extra is None:
            return text.rstrip("\n") + "\n\nextra:\n" + new
        at = _line_end(text, extra[0].end_mark.index)
        return text[:at] + new + text[at:]
    k, v = block
    return text[: _line_start(text, k.start_mark.index)] + new + text[_line_end(text, _last_index(v) - 1) :]


def configure_main(text: str, answers: Answers) -> str:
    """mkdocs.yml for the organisation: its name, address, repository (or none), contact, intake form and editions."""
    repo_path = urlsplit(answers.repository).path.strip("/") if answers.repository else None
    text = _edits(text, "mkdocs.yml", {
        ("site_name",): answers.name,
        ("site_url",): answers.site_url,
        ("repo_url",): answers.repository or None,
        ("repo_name",): repo_path,
        ("edit_uri",): "edit/main/docs/" if answers.repository else None,
        ("extra", "portal", "organisation"): answers.name,
        ("extra", "portal", "contact_email"): answers.email,
        ("extra", "portal", "intake_form_url"): answers.form,
    })
    return _alternate(text, "mkdocs.yml", answers, MAIN_LANGUAGE)


def configure_edition(text: str, name: str, answers: Answers, lang: str) -> str:
    """mkdocs.<lang>.yml: the edition's own address under the main one, and the same editions."""
    return _alternate(_edits(text, name, {("site_url",): answers.edition_url(lang)}), name, answers, lang)


def demo_files(data_dir: str) -> tuple[list[str], list[str]]:
    """The demo's partner files (each says so in its first lines) and the logos only they use."""
    partners, logos_in_use, demo_logos = [], set(), set()
    for entry in list_folder(data_dir):
        if not entry.name.endswith((".yml", ".yaml")) or entry.name in ("stages.yml", "forms.yml", "search.yml") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            raw = read_inside(data_dir, entry.path, 1024 * 1024).decode("utf-8", "replace")
        except Refused:
            continue
        logo = re.search(r"(?m)^logo:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(#.*)?$", raw)
        if DEMO_MARK in raw[:600]:
            partners.append(entry.path)
            if logo:
                demo_logos.add(logo.group(1).strip())
        elif logo:
            logos_in_use.add(logo.group(1).strip())
    logos = sorted(os.path.join(data_dir, *rel.split("/")) for rel in demo_logos - logos_in_use if "/" in rel and ".." not in rel.split("/"))
    return sorted(partners), [path for path in logos if os.path.isfile(path) and not os.path.islink(path)]


def read_config(path: str) -> str:
    try:
        return read_regular(path, CONFIG_LIMIT).decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(Text("{path}: is not UTF-8 text", path=os.path.basename(path)))
    except Refused as exc:
        raise EditError(Text("{path}: {message}", path=os.path.basename(path), message=exc.message))


def write_beside(path: str, text: str) -> None:
    """Replace a configuration file: written beside it, then renamed over it (a failed write leaves the old one)."""
    folder = os.path.dirname(os.path.abspath(path))
    write_inside(folder, path, text.encode("utf-8"), replace=True)
