"""Staff-edited templates run here: plain data in, a small allowlist of methods, every step counted, and the
whole render in a worker process whose memory and processor time the system bounds while it runs."""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import re
import string
import time

import jinja2
from jinja2.sandbox import SandboxedEnvironment

try:
    import resource
except ImportError:  # Windows: no fork, so no worker to bound
    resource = None

from ..core.problems import Text

MAX_OUTPUT = 1024 * 1024  # characters of a drafted agreement: a real one is a few thousand
MAX_STEPS = 200_000  # items looped over and calls made, all loops together
MAX_SECONDS = 5.0
MAX_TEXT = 100_000  # characters a single * or % may make
MAX_WIDTH = 1000  # widths, paddings and counts given to filters and formatting
MAX_MEMORY = 256 * 1024 * 1024  # bytes the worker may add to what it had when it started

# The only methods a template may call, by the type of value it holds: the data is plain (dicts, lists,
# texts, numbers, dates), and of those types only what reads or formats.
SAFE_METHODS = {
    str: frozenset("capitalize casefold center count endswith find format isalnum isalpha isdigit islower isspace istitle isupper "
                   "join ljust lower lstrip partition removeprefix removesuffix replace rfind rjust rpartition rsplit rstrip split "
                   "splitlines startswith strip swapcase title upper zfill".split()),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    dt.date: frozenset({"year", "month", "day", "isoformat", "weekday", "isoweekday"}),
    int: frozenset({"real", "imag"}),
    float: frozenset({"real", "imag", "is_integer"}),
}


class TemplateTooCostly(jinja2.TemplateError):
    """A template that would loop, grow or run past the bounds (the message says which)."""


def plain(value):
    """A value as plain data a template may hold: pydantic models and dataclasses become dicts, sequences
    lists; texts, numbers, booleans, dates and None stay as they are. Anything else is refused."""
    if value is None or isinstance(value, (str, bool, int, float, dt.date)):
        return value
    if hasattr(value, "model_dump"):
        return plain(value.model_dump(mode="python"))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    raise TypeError(f"not plain data: {type(value).__name__}")


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox over plain data, with every loop, call, text multiplication and formatting counted
    against a budget, the output limited as it is produced, and a time limit checked at each step."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = 0
        self.deadline = None
        # No lipsum, cycler, joiner, namespace or dict: a template gets the data and a bounded range only.
        self.globals.clear()
        self.globals["range"] = self._range
        self.filters = {name: self._bounded(f) for name, f in self.filters.items()}

    def is_safe_attribute(self, obj, attr, value):
        if attr.startswith("_"):
            return False
        for kind, names in SAFE_METHODS.items():
            if isinstance(obj, kind) and not isinstance(obj, bool):
                return attr in names
        return False

    def is_safe_callable(self, obj):
        return super().is_safe_callable(obj)

    def _bounded(self, func):
        """A filter that counts as a step, takes no size argument past MAX_WIDTH (center(10**9)) and makes
        no text past MAX_OUTPUT."""

        @functools.wraps(func)
        def bounded(*args, **kwargs):
            self._step()
            if any(isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_WIDTH for a in list(args[1:]) + list(kwargs.values())):
                raise TemplateTooCostly(Text('a filter of the template is given a size over {MAX_WIDTH:,}', MAX_WIDTH=MAX_WIDTH))
            result = func(*args, **kwargs)
            if isinstance(result, str) and len(result) > MAX_OUTPUT:
                raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
            return result

        return bounded

    def wrap_str_format(self, value):
        """str.format and format_map, refused when a field asks for a width or precision past MAX_WIDTH, or
        takes its width from an argument ("{:{w}}")."""
        formatter = super().wrap_str_format(value)
        if formatter is None:
            return None
        template = getattr(value, "__self__", "")

        def checked(*args, **kwargs):
            for _, _, spec, _ in string.Formatter().parse(template) if isinstance(template, str) else ():
                if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
                    raise TemplateTooCostly(Text('the template formats a value wider than {MAX_WIDTH:,} characters', MAX_WIDTH=MAX_WIDTH))
            return formatter(*args, **kwargs)

        return checked

    def _step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise TemplateTooCostly(Text('the template does more than {MAX_STEPS:,} steps (loops and calls); simplify it', MAX_STEPS=MAX_STEPS))
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TemplateTooCostly(Text('the template ran longer than {MAX_SECONDS:g} s; simplify it', MAX_SECONDS=MAX_SECONDS))

    def _range(self, *args):
        for value in range(*args):
            self._step()
            yield value

    def call(self, __context, __obj, *args, **kwargs):
        self._step()
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
                raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_OUTPUT:
            raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
        return result

    def call_binop(self, context, operator, left, right):
        self._step()
        if operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, list, tuple)) and isinstance(b, int) and len(a) * max(b, 0) > MAX_TEXT:
                    raise TemplateTooCostly(Text('the template multiplies a text or list past {MAX_TEXT:,} items', MAX_TEXT=MAX_TEXT))
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateTooCostly(Text("the template raises a number to too high a power"))
        if operator == "%" and isinstance(left, str) and ("*" in left or any(int(n) > MAX_WIDTH for n in re.findall(r"%[-+ #0]*(\d+)", left))):
            raise TemplateTooCostly(Text("the template pads a value too widely"))
        if operator == "+" and isinstance(left, (str, list)) and isinstance(right, type(left)) and len(left) + len(right) > MAX_OUTPUT:
            raise TemplateTooCostly(Text('a value of the template is over {MAX_OUTPUT:,} characters', MAX_OUTPUT=MAX_OUTPUT))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj, attribute):
        self._step()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self._step()
        return super().getitem(obj, argument)

    def render_bounded(self, template, **context) -> str:
        """Render within the bounds: the output is gathered piece by piece and stopped past MAX_OUTPUT."""
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        out, size = [], 0
        try:
            for piece in template.generate(**context):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise TemplateTooCostly(Text('the agreement would be over {MAX_OUTPUT:,} characters; the template repeats too much', MAX_OUTPUT=MAX_OUTPUT))
                out.append(piece)
                self._step()
        except RecursionError:
            raise TemplateTooCostly(Text("the template calls itself without end (a macro calling itself)")) from None
        finally:
            self.deadline = None
        return "".join(out)


def _limit_self() -> None:
    """In the worker: the system stops it past MAX_MEMORY more than it holds now, or past its time. (It
    imports nothing: a worker forked from a threaded program must not wait for a lock another thread held.)"""
    with open("/proc/self/statm") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (size + MAX_MEMORY, size + MAX_MEMORY))
    seconds = int(MAX_SECONDS) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def _work(job, connection) -> None:
    try:
        _limit_self()
        connection.send(("ok", job()))
    except MemoryError:
        connection.send(("error", TemplateTooCostly(Text("the template needs more than {mib} MiB of memory; simplify it", mib=MAX_MEMORY // (1024 * 1024)))))
    except jinja2.TemplateError as exc:
        connection.send(("error", exc if isinstance(exc, TemplateTooCostly) else TemplateTooCostly(Text("{exc}", exc=str(exc) or type(exc).__name__))))
    except Exception as exc:  # anything else a template can raise (a type error in a filter): one line
        connection.send(("error", TemplateTooCostly(Text("{kind}: {exc}", kind=type(exc).__name__, exc=str(exc)[:500]))))
    finally:
        connection.close()


def run_bounded(job):
    """`job()` (a render) in a forked worker that the system stops past its memory and processor time, and
    that is ended past twice MAX_SECONDS of wall time; its TemplateTooCostly is raised here. Where there is
    no fork (Windows), in this process with the step and time checks alone."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return job()
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(job, send), daemon=True)
    worker.start()
    send.close()
    try:
        if not receive.poll(MAX_SECONDS * 2 + 2):
            raise TemplateTooCostly(Text('the template ran longer than {MAX_SECONDS:g} s; simplify it', MAX_SECONDS=MAX_SECONDS))
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):  # the system stopped it: past its memory or processor time
            raise TemplateTooCostly(Text("the template needs more than {mib} MiB of memory or {seconds:g} s; simplify it",
                                         mib=MAX_MEMORY // (1024 * 1024), seconds=MAX_SECONDS)) from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receive.close()
    if kind == "error":
        raise value
    return value
