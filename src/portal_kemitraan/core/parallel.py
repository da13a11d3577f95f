"""Work on every core through forked workers (a map over many items, or one call beside this process), with
no globals: the function and its data reach the workers through fork itself, and only results travel back."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
PARALLEL_MIN = 800  # below this, starting workers costs more than it saves
MIN_ENV = "PORTAL_PARALLEL_MIN"  # another threshold, for tests that need the forked path on small data


def cores() -> int:
    """The cores this process may run on (its CPU affinity, which `taskset` or a container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _threshold(default: int) -> int:
    value = os.environ.get(MIN_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


def _run(work, conn) -> None:
    """In a forked worker: call `work` and send its result (or the failure) back."""
    try:
        payload = ("ok", work())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work itself
        payload = ("error", repr(exc))
    try:
        conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def _start(context, work):
    """A forked worker calling `work`, and the end of the pipe its answer comes through."""
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(work, sender), daemon=True)
    process.start()
    sender.close()
    return process, receiver


def _answer(process, receiver) -> tuple[str, object]:
    """A worker's answer: ("ok", value), or ("error", ...) when it failed or died; the worker is reaped."""
    try:
        status, value = pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        status, value = "error", None
    receiver.close()
    process.join()
    return status, value


def _can_fork() -> bool:
    return cores() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def fork_map(func: Callable[[T], R], items: Sequence[T], parallel: bool = True, min_items: int = PARALLEL_MIN, dealt: bool = False) -> list[R]:
    """[func(x) for x in items], in order. With `parallel` and enough items, contiguous chunks run in forked
    workers: `func` may be any callable (a closure, a bound method), since forking copies it rather than
    pickling it. Runs in this process where fork is not available, when told not to (inside a threaded
    server such as `mkdocs serve`, where forking can deadlock), or when a worker fails. `dealt`: the items
    are dealt to the workers in turn instead, for items whose cost comes in runs (a site's files, folder by
    folder: in contiguous halves, one worker had twice the other's work)."""
    workers = min(cores(), 8)
    if not parallel or len(items) < _threshold(min_items) or not _can_fork():
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    if dealt:
        chunks = [items[w::workers] for w in range(min(workers, len(items)))]
    else:
        size = -(-len(items) // workers)
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
    started = []
    try:
        for chunk in chunks[1:]:
            started.append((*_start(context, lambda chunk=chunk: [func(item) for item in chunk]), chunk))
    except OSError:
        pass
    answers = [[func(item) for item in chunks[0]]]
    for process, receiver, chunk in started:
        status, value = _answer(process, receiver)
        answers.append(value if status == "ok" else [func(item) for item in chunk])
    for chunk in chunks[len(answers):]:  # workers that could not be started
        answers.append([func(item) for item in chunk])
    if not dealt:
        return [result for answer in answers for result in answer]
    results: list = [None] * len(items)
    for w, answer in enumerate(answers):
        results[w :: len(answers)] = answer
    return results


class _Spool:
    """Where a worker beside this process leaves its answer: an unnamed temporary file, so that the worker
    exits (and its memory is given back) as soon as it is done, however long this process takes to ask.
    (fork_map's workers answer through a pipe: their answers are read as soon as this process's own chunk
    is done, so there is nothing to wait out.)"""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()

    def send_bytes(self, data: bytes) -> None:  # in the worker (its copy of the file shares the offset)
        self.file.write(data)
        self.file.flush()

    def close(self) -> None:
        self.file.close()

    def answer(self, process) -> tuple[str, object]:
        """The worker's answer once it has ended: ("ok", value), or ("error", ...) when it failed or died."""
        process.join()
        try:
            if process.exitcode != 0:
                return "error", None
            self.file.seek(0)
            return pickle.loads(self.file.read())
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            return "error", None
        finally:
            self.file.close()


class Beside:
    """`func()` made in a forked worker while this process goes on with other work (a build's search index
    while its pages are written: the second core, and never both in this process's memory at once);
    `result()` waits for it. Made here instead when told not to fork (a threaded server), where fork is not
    available, on one core, or when the worker fails (so a failure is raised here, as the call would)."""

    def __init__(self, func: Callable[[], R], parallel: bool = True, daemon: bool = True):
        """`daemon=False` for work that forks workers of its own (an edition's build), which a daemon may not."""
        self.func = func
        self.worker = None
        if parallel and _can_fork():
            try:
                spool = _Spool()
            except OSError:
                spool = None
            if spool is not None:
                try:
                    process = multiprocessing.get_context("fork").Process(target=_run, args=(func, spool), daemon=daemon)
                    process.start()
                    self.worker = (process, spool)
                except OSError:  # no worker: made in this process when asked, and the file given back now
                    spool.close()

    def result(self) -> R:
        if self.worker is not None:
            (process, spool), self.worker = self.worker, None
            status, value = spool.answer(process)
            if status == "ok":
                return value
        return self.func()

    def cancel(self) -> None:
        """Not wanted any more (the build failed): the worker is stopped and reaped."""
        if self.worker is not None:
            (process, spool), self.worker = self.worker, None
            process.terminate()
            process.join()
            spool.close()
