"""Edits to a partner file made in place: one value set or one list item added, every other byte kept.

The file is composed by PyYAML to find where a key's value starts and ends; the change is spliced into
the text there, so comments, order, quoting and blank lines stay exactly as staff wrote them."""

from __future__ import annotations

import datetime as dt
import json

import yaml
from ..core.problems import Text

# Where a key that is not there yet goes: after the first of these keys present, else before the second list.
AFTER = {"last_verified": ("since",), "activities": ("description_en", "description", "summary_en", "summary")}
BEFORE = ("evaluations", "since", "last_verified", "visibility", "internal")


class EditError(ValueError):
    """The file's layout does not allow this edit without rewriting it."""


def scalar(value) -> str:
    """A YAML scalar for a value: ISO dates bare, text double-quoted (JSON's escapes are YAML's)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _top(text: str):
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(Text('cannot be read as YAML ({value})', value=str(exc).splitlines()[0]))
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError(Text("is not a block mapping of fields"))
    return node


def _line_end(text: str, index: int) -> int:
    """The index just after the newline that ends the line holding `index` (or the end of the text). A
    value's end at the very start of a line (where a block scalar's `|` text ends) is already there."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _last_index(node) -> int:
    """Where the last value inside a node ends (a block collection's own end mark lies on the next line)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _insert_point(text: str, top, key: str) -> int:
    keys = {k.value: (k, v) for k, v in top.value}
    for after in AFTER.get(key, ()):
        if after in keys:
            return _line_end(text, _last_index(keys[after][1]))
    for before in BEFORE:
        if before in keys and before != key:
            return _line_start(text, keys[before][0].start_mark.index)
    return len(text)


def _ensure_newline(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _own(k, v, path: str) -> None:
    """A value written under its own key: not an alias (*name) of a value anchored elsewhere, which an
    edit would change there too (under internal:, say)."""
    if v.start_mark.index < k.end_mark.index:
        raise EditError(Text('{path}: is written as an alias (*name) of a value elsewhere in the file; edit it by hand', path=path))


def _replace_scalar(text: str, v, value_text: str) -> str:
    """The scalar `v` replaced by `value_text`: a block scalar (`|`, `>`) whole, with the line break that
    ended it kept; `key:` with nothing after it given its value after a space."""
    if v.tag == "tag:yaml.org,2002:null" and v.start_mark.index == v.end_mark.index:  # `key:` with nothing after
        return text[: v.start_mark.index] + " " + value_text + text[v.end_mark.index :]
    if getattr(v, "style", None) in ("|", ">"):
        region = text[v.start_mark.index : v.end_mark.index]
        trailing = region[len(region.rstrip("\n")) :]  # the block's line breaks, and blank lines after it
        return text[: v.start_mark.index] + value_text + ("\n" if trailing else "") + trailing[1:] + text[v.end_mark.index :]
    return text[: v.start_mark.index] + value_text + text[v.end_mark.index :]


def set_value(text: str, key: str, value) -> str:
    """Set a top-level scalar field (such as last_verified) to `value`, adding the line if it is missing."""
    text = _ensure_newline(text)
    top = _top(text)
    for k, v in top.value:
        if k.value == key:
            if not isinstance(v, yaml.ScalarNode):
                raise EditError(Text('{key}: is not a single value; edit it by hand', key=key))
            _own(k, v, key)
            return _replace_scalar(text, v, scalar(value))
    at = _insert_point(text, top, key)
    return text[:at] + f"{key}: {scalar(value)}\n" + text[at:]


def append_item(text: str, key: str, item: dict) -> str:
    """Add one mapping to the end of a top-level list (such as activities), creating the list if needed."""
    text = _ensure_newline(text)
    top = _top(text)
    for k, v in top.value:
        if k.value != key:
            continue
        if isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:null":
            return text[: v.start_mark.index].rstrip(" ") + "\n" + _block(item, 2) + text[_line_end(text, v.end_mark.index) :]
        if not isinstance(v, yaml.SequenceNode):
            raise EditError(Text('{key}: is not a list; edit it by hand', key=key))
        if v.flow_style:
            if v.value:
                raise EditError(Text('{key}: is written as [a, b] on one line; write it as a block list to add to it', key=key))
            return text[: v.start_mark.index].rstrip(" ") + "\n" + _block(item, k.start_mark.column + 2) + text[_line_end(text, v.end_mark.index) :]
        if not v.value:
            raise EditError(Text('{key}: has no items to follow', key=key))
        first = v.value[0]
        dash = text.rfind("-", 0, first.start_mark.index)
        indent = dash - _line_start(text, dash)
        at = _line_end(text, _last_index(v))
        return text[:at] + _block(item, indent) + text[at:]
    at = _insert_point(text, top, key)
    return text[:at] + f"{key}:\n" + _block(item, 2) + text[at:]


def _block(item: dict, indent: int) -> str:
    pad = " " * indent
    lines = []
    for i, (name, value) in enumerate(item.items()):
        lines.append(f"{pad}{'- ' if i == 0 else '  '}{name}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def render(value) -> str:
    """A value as YAML on one line: a list in flow style, anything else as scalar() writes it."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return scalar(value)


def set_path(text: str, path: str, value) -> str:
    """Set a field given by its dotted path (`region.city`, `contact.whatsapp`, `sectors`) to `value`, in
    place: the value's own text is replaced, or one line (or one `key: value` in a flow mapping) added where
    the field is missing. Every other byte of the file stays as it was."""
    text = _ensure_newline(text)
    keys = path.split(".")
    if len(keys) == 1 and not isinstance(value, (list, tuple)):
        return set_value(text, path, value)
    node = _top(text)
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        found = next(((k, v) for k, v in node.value if k.value == key), None)
        if found is None:
            rest = keys[depth:]
            if depth == 0:
                at = _insert_point(text, node, key)
                return text[:at] + _nested(rest, value, 0) + text[at:]
            if node.flow_style:
                inner = text[node.start_mark.index + 1 : node.end_mark.index - 1].strip()
                addition = ("" if not inner else ", ") + f"{rest[0]}: " + (render(value) if len(rest) == 1 else _flow_nested(rest[1:], value))
                close = text.rfind("}", node.start_mark.index, node.end_mark.index)
                return text[:close].rstrip(" ") + addition + text[close:]
            indent = node.value[0][0].start_mark.column
            at = _line_end(text, _last_index(node))
            return text[:at] + _nested(rest, value, indent) + text[at:]
        k, v = found
        _own(k, v, ".".join(keys[: depth + 1]))
        if last:
            if isinstance(v, yaml.MappingNode):
                raise EditError(Text('{path}: is a group of fields, not one value', path=path))
            if isinstance(v, yaml.SequenceNode) and not v.flow_style:
                end = _line_end(text, _last_index(v))
                if "#" in text[k.end_mark.index : end]:  # its comments would go with it
                    raise EditError(Text('{path}: is a list with comments in it; edit it by hand', path=path))
                colon = text.index(":", k.end_mark.index)  # a block list becomes one flow list on the key's line
                return text[:colon] + ": " + render(value) + "\n" + text[end:]
            return _replace_scalar(text, v, render(value))
        if not isinstance(v, yaml.MappingNode):
            raise EditError(Text('{value}: is not a group of fields; edit it by hand', value='.'.join(keys[: depth + 1])))
        node = v
    raise EditError(Text('{path}: cannot be set', path=path))


def _nested(keys: list[str], value, indent: int) -> str:
    pad = " " * indent
    if len(keys) == 1:
        return f"{pad}{keys[0]}: {render(value)}\n"
    return f"{pad}{keys[0]}:\n" + _nested(keys[1:], value, indent + 2)


def _flow_nested(keys: list[str], value) -> str:
    if len(keys) == 1:
        return "{" + f"{keys[0]}: {render(value)}" + "}"
    return "{" + f"{keys[0]}: {_flow_nested(keys[1:], value)}" + "}"
