"""Safe, bounded YAML loading that remembers the line of every value."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml's parser is several times faster; PyYAML falls back to pure Python without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - the wheels on PyPI ship libyaml
    from yaml import SafeLoader as _Loader

from .problems import Problem
from .safefs import Refused, read_inside
from .problems import Text

MAX_BYTES = 1024 * 1024  # a partner file is a few kilobytes; anything over a mebibyte is refused
MAX_DEPTH = 32  # no real partner file nests more than four or five levels
MAX_NODES = 20_000  # values after expanding aliases: stops "billion laughs" files early
# Characters after expanding aliases: one long text repeated through aliases costs every later check (and
# every page and export) its full length each time, though it is stored once. Counted as the file is read.
MAX_EXPANDED_CHARS = 2 * MAX_BYTES

STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {
    STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_resolver = yaml.resolver.Resolver()  # stateless: only its class-level tables of implicit types are used


@dataclass
class Source:
    """A loaded file: its data, the 1-based line of each value by path, and its problems."""

    path: str
    data: object = None
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # False only when the parser saw every text value and none holds "[[", so none can hold a placeholder
    # that `portal new` or `import` writes ([[...]]): checking the model's public texts for one is then needless.
    bracketed: bool = True

    def line_of(self, loc: tuple) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def error(self, loc: tuple, message: str, line: int | None = None, severity: str = "error") -> None:
        name = dotted(loc) or "file"
        self.problems.append(Problem(self.path, self.line_of(loc) if line is None else line, name, message, severity))


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def dotted(loc) -> str:
    """('contact', 'person', 'name') -> 'contact.person.name'; list indexes as [0]; odd keys quoted: ["a b"]."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(str(part)):
            out += ("." if out else "") + str(part)
        else:
            out += "[" + json.dumps(str(part), ensure_ascii=False).replace(":", "\\u003a") + "]"
    return out


class _Stop(Exception):
    def __init__(self, line: int, field: str, message: str):
        self.line, self.field, self.message = line, field, message


def load_file(abs_path: str, shown_path: str, root: str, real_root: str | None = None) -> Source:
    """Read and parse one file inside the data folder `root` (`real_root`: see read_inside); never raises
    for bad content, records problems instead."""
    src = Source(shown_path)
    try:
        raw = read_inside(root, abs_path, MAX_BYTES, real_root)
    except Refused as exc:
        message = Text("{problem} (1 MiB)", problem=exc.message) if str(exc.message).startswith("file is") else exc.message
        src.problems.append(Problem(shown_path, 1, "file", message))
        return src
    return load_bytes(raw, shown_path, src)


def load_bytes(raw: bytes, shown_path: str, src: Source | None = None) -> Source:
    """Parse bytes that claim to be a UTF-8 YAML mapping."""
    src = src or Source(shown_path)
    if len(raw) > MAX_BYTES:
        src.problems.append(Problem(shown_path, 1, "file", Text('file is over {MAX_BYTES:,} bytes (1 MiB)', MAX_BYTES=MAX_BYTES)))
        return src
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        src.problems.append(
            Problem(shown_path, line, "file", Text('is not valid UTF-8 (byte 0x{value:02x} at offset {start}); save the file as UTF-8', value=raw[exc.start], start=exc.start))
        )
        return src
    return load_text(text, shown_path, src)


# The commonest mistakes in a hand-edited file, as the YAML parser words them (the first that matches wins),
# each said in the staff's words
# with what to do (the parser's own English is kept only for a mistake not listed here).
YAML_MISTAKES = (
    ("mapping values are not allowed", Text('a colon (:) inside a value, or a line indented too far; put a text holding a colon in quotes, e.g. summary: "Kopi: dari Gayo"')),
    ("found character '\\t'", Text("a tab character; indent with spaces, never with tabs")),
    ("found a tab character", Text("a tab character; indent with spaces, never with tabs")),
    ("found unexpected end of stream", Text("a quote that is never closed; end the text with the same quote it starts with")),
    ("could not find expected ':'", Text("a line without a colon after its name; write it as name: value")),
    ("did not find expected key", Text("a line indented differently from the lines beside it; give lines of one list or mapping the same number of spaces")),
    ("expected <block end>", Text("a line indented differently from the lines beside it; give lines of one list or mapping the same number of spaces")),
    ("did not find expected '-' indicator", Text("a list item without its dash (-), or indented differently from the other items")),
    ("expected ',' or ']'", Text("a list in square brackets [ ] that is never closed")),
    ("expected ',' or '}'", Text("a mapping in braces { } that is never closed")),
    ("invalid Unicode character escape", Text("an escape such as \\uD800 inside double quotes that names no character; remove it, or use single quotes")),
    ("found unknown escape character", Text("a backslash (\\) inside double quotes; write it twice (\\\\), or use single quotes")),
    ("cannot start any token", Text("a value that starts with a character YAML keeps for itself (@, `, % or a tab); put the value in quotes")),
)


def yaml_mistake(problem: str, context: str = "", at: str = "") -> Text:
    """A YAML syntax error in the staff's words, with what to do about it (`at`: the character it points at)."""
    if at == "\t":  # libyaml does not say which character cannot start a token: a tab is the common one
        return Text("a tab character; indent with spaces, never with tabs")
    if "nesting depth" in problem:  # libyaml (PyYAML >= 6.0.4) has its own depth limit, far above ours
        return Text('nested deeper than {MAX_DEPTH} levels', MAX_DEPTH=MAX_DEPTH)
    for words, message in YAML_MISTAKES:
        if words in problem:
            return message
    said = f"{problem} ({context})" if context else (problem or "invalid YAML")
    return Text("the file cannot be read as YAML here ({problem}); check the quotes, colons and indentation of this line", problem=said)


def load_text(text: str, shown_path: str, src: Source | None = None) -> Source:
    """Parse YAML text into plain Python values with a line map, within the size limits."""
    src = src or Source(shown_path)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        src.problems.append(Problem(shown_path, line, "file", Text("contains a NUL byte; this is not a text file")))
        return src
    try:
        _build(text, src)
    except _Stop as stop:
        src.problems.append(Problem(shown_path, stop.line, stop.field, stop.message))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        rows = text.split("\n")
        at = rows[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(rows) else ""
        src.problems.append(Problem(shown_path, line, "yaml", yaml_mistake(exc.problem or "", exc.context or "", at)))
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        src.problems.append(Problem(shown_path, 1, "yaml", str(exc).splitlines()[0]))
    except RecursionError:  # pragma: no cover - depth is limited before this can happen
        src.problems.append(Problem(shown_path, 1, "yaml", Text('nested deeper than {MAX_DEPTH} levels', MAX_DEPTH=MAX_DEPTH)))
    return src


class _Frame:
    __slots__ = ("is_map", "value", "path", "key", "key_line", "merges", "weight", "chars", "anchor", "line", "seen")

    def __init__(self, is_map, path, anchor, line):
        self.is_map = is_map
        self.value = {} if is_map else []
        self.path = path
        self.key = None
        self.key_line = 0
        self.merges = []
        self.weight = 1
        self.chars = 0
        self.anchor = anchor
        self.line = line
        self.seen = {}


# First characters with which a plain scalar may be something other than text (see yaml.resolver).
_MAYBE_TYPED = frozenset(_resolver.yaml_implicit_resolvers)


def _scalar(event, constructor: yaml.constructor.SafeConstructor) -> object:
    tag = event.tag
    if tag in (None, "!"):
        value = event.value
        if event.implicit[0] and value and value[0] not in _MAYBE_TYPED:
            return value
        if event.implicit[0]:
            tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
        else:
            tag = STR
    if tag == STR:
        return event.value
    if tag not in _ALLOWED_TAGS:
        raise _Stop(event.start_mark.line + 1, "yaml", Text('the tag {tag!r} is not allowed in partner data', tag=tag))
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError, OverflowError):
        # Looks like a date or number but is not one (2025-13-40): keep the text, so the
        # model reports it against its field along with every other problem in the file.
        return event.value


def _build(text: str, src: Source) -> None:
    """Turn the parser's events into dicts, lists and scalars, without recursion (src.data, src.lines)."""
    builder = _Builder(src.lines)
    src.data = builder.build(_Loader(text).get_event)
    src.bracketed = builder.bracketed


class _Builder:
    """The values of one file made from its parser's events: the open mappings and lists on a stack, the
    anchors met so far, and the counts that bound what aliases may expand to."""

    def __init__(self, lines: dict):
        self.lines = lines
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[object, int, int]] = {}
        # One constructor per file: it remembers every object it made, so a shared one would keep them all alive.
        self.constructor = yaml.constructor.SafeConstructor()
        self.total = 0
        self.chars = 0  # characters of every text and key, aliases expanded
        self.documents = 0
        self.result = None
        self.bracketed = False  # some text value holds "[["

    def build(self, next_event) -> object:
        handlers = {
            yaml.MappingStartEvent: self.start, yaml.SequenceStartEvent: self.start,
            yaml.MappingEndEvent: self.end, yaml.SequenceEndEvent: self.end, yaml.AliasEvent: self.alias,
            yaml.DocumentStartEvent: self.document,
        }
        scalar_event, stream_end, scalar = yaml.ScalarEvent, yaml.StreamEndEvent, self.scalar
        while True:
            event = next_event()
            cls = type(event)
            if cls is scalar_event:  # most events: called without the lookup
                scalar(event, event.start_mark.line + 1)
            elif cls is stream_end:
                return self.result
            else:
                handler = handlers.get(cls)
                if handler is not None:
                    handler(event, event.start_mark.line + 1)

    def attach(self, value, weight, size, line):
        stack = self.stack
        if not stack:
            self.result = value
            self.lines[()] = line
            return
        top = stack[-1]
        top.weight += weight
        top.chars += size
        if not top.is_map:
            self.lines.setdefault(top.path + (len(top.value),), line)
            top.value.append(value)
            return
        if top.key is None:
            raise _Stop(line, "yaml", Text("a mapping key must be plain text, not a list or mapping"))
        key, top.key = top.key, None
        if key == "<<":
            top.merges.append((value, top.key_line))
            return
        if key in top.seen:
            name = dotted(top.path + (key,))
            raise _Stop(top.key_line, name, Text('duplicate key {key!r} (first given on line {value}); keep only one', key=key, value=top.seen[key]))
        top.seen[key] = top.key_line
        top.value[key] = value
        self.lines.setdefault(top.path + (key,), top.key_line)

    def _count(self, line: int, weight: int, size: int, aliased: bool) -> None:
        self.total += weight
        self.chars += size
        if self.total > MAX_NODES and aliased:
            raise _Stop(line, "yaml", Text('aliases expand to more than {MAX_NODES:,} values; refusing to load', MAX_NODES=MAX_NODES))
        if self.total > MAX_NODES:
            raise _Stop(line, "yaml", Text('more than {MAX_NODES:,} values; the file is too large or expands too far', MAX_NODES=MAX_NODES))
        if aliased and self.chars > MAX_EXPANDED_CHARS:
            raise _Stop(line, "yaml", Text('aliases expand to more than {MAX_EXPANDED_CHARS:,} characters of text; refusing to load', MAX_EXPANDED_CHARS=MAX_EXPANDED_CHARS))

    def _awaits_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].is_map and self.stack[-1].key is None

    def scalar(self, event, line: int) -> None:
        text = event.value
        size = len(text)
        stack = self.stack
        if stack:
            top = stack[-1]
            if top.is_map and top.key is None:  # a mapping's key: kept until its value comes
                top.key, top.key_line = text, line
                top.chars += size
                self.chars += size
                return
        value = _scalar(event, self.constructor)
        if "[[" in text:
            self.bracketed = True
        self._count(line, 1, size, aliased=False)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1, size)
        self.attach(value, 1, size, line)

    def start(self, event, line: int) -> None:
        if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _Stop(line, "yaml", Text('the tag {tag!r} is not allowed in partner data', tag=event.tag))
        if self._awaits_key():
            raise _Stop(line, "yaml", Text("a mapping key must be plain text, not a list or mapping"))
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(line, "yaml", Text('nested deeper than {MAX_DEPTH} levels', MAX_DEPTH=MAX_DEPTH))
        path = ()
        if self.stack:
            parent = self.stack[-1]
            path = parent.path + ((parent.key,) if parent.is_map else (len(parent.value),))
        self.stack.append(_Frame(type(event) is yaml.MappingStartEvent, path, event.anchor, line))
        self.total += 1

    def end(self, event, line: int) -> None:
        frame = self.stack.pop()
        if frame.is_map and frame.merges:
            _merge(frame)
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.weight, frame.chars)
        self.attach(frame.value, frame.weight, frame.chars, frame.line)

    def alias(self, event, line: int) -> None:
        if event.anchor not in self.anchors:
            raise _Stop(line, "yaml", Text('unknown alias *{anchor}', anchor=event.anchor))
        if self._awaits_key():
            raise _Stop(line, "yaml", Text("an alias cannot be used as a mapping key"))
        value, weight, size = self.anchors[event.anchor]
        self._count(line, weight, size, aliased=True)
        self.attach(value, weight, size, line)

    def document(self, event, line: int) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _Stop(line, "yaml", Text("more than one YAML document (---) in the file; keep one partner per file"))


def _merge(frame: _Frame) -> None:
    """Apply YAML merge keys (<<): explicit keys win over merged ones."""
    for value, line in frame.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise _Stop(line, dotted(frame.path + ("<<",)), Text("a merge key (<<) must name a mapping"))
            for key, item in source.items():
                frame.value.setdefault(key, item)
