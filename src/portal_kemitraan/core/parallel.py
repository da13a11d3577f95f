"""Maps a function over many items on every core (forked workers), with no globals: the function and its
data reach the workers through fork itself, and only results travel back."""

from __future__ import annotations

import multiprocessing
import os
import pickle
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


def _run_chunk(func, chunk, conn) -> None:
    """In a forked worker: map one contiguous chunk and send the results (or the failure) back."""
    try:
        payload = ("ok", [func(item) for item in chunk])
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work itself
        payload = ("error", repr(exc))
    try:
        conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        conn.close()


def fork_map(func: Callable[[T], R], items: Sequence[T], parallel: bool = True, min_items: int = PARALLEL_MIN) -> list[R]:
    """[func(x) for x in items], in order. With `parallel` and enough items, contiguous chunks run in forked
    workers: `func` may be any callable (a closure, a bound method), since forking copies it rather than
    pickling it. Runs in this process where fork is not available, when told not to (inside a threaded
    server such as `mkdocs serve`, where forking can deadlock), or when a worker fails."""
    workers = min(cores(), 8)
    if not parallel or len(items) < _threshold(min_items) or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    context = multiprocessing.get_context("fork")
    size = -(-len(items) // workers)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    started = []
    try:
        for chunk in chunks[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run_chunk, args=(func, chunk, sender), daemon=True)
            process.start()
            sender.close()
            started.append((process, receiver, chunk))
    except OSError:
        pass
    results = [func(item) for item in chunks[0]]
    done = 1
    for process, receiver, chunk in started:
        try:
            status, value = pickle.loads(receiver.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            status, value = "error", None
        receiver.close()
        process.join()
        results.extend(value if status == "ok" else [func(item) for item in chunk])
        done += 1
    for chunk in chunks[done:]:  # workers that could not be started
        results.extend(func(item) for item in chunk)
    return results
