"""Keeping the event loop free: one process serves every counsellor, so nothing slow may run on its loop.

The rule, everywhere in Relais:
- database and CPU work leaves the loop: `await app.run(fn, ...)` (a thread) or `await app.run_cpu(fn, ...)`
  (a process, for pure-Python work long enough that the GIL would still stall the loop, such as charts);
- never `await` while a database session or a lock is held (commit first, then talk to the platform);
- a changed index is built beside the one in service and swapped in when ready.

Handlers, buttons, dialogs and event listeners are run by the registry through `run_handler`: each runs on a
worker thread with an event loop of its own, so a handler's database work never stalls the main loop. Its
platform calls (`app.platform`) are sent back to the main loop, where the transport's connections live.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import gc
import inspect
import multiprocessing
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

WORKER_NICENESS = 10
HANDLER_THREADS = 64  # handlers waiting on a slow Mattermost each hold one; threads are cheap while they wait
_local = threading.local()


GIL_SWITCH_SECONDS = 0.0005


def share_the_gil() -> None:
    """A worker thread doing pure-Python work (an index rebuilt beside the one in service) hands the GIL back to the
    loop every half millisecond instead of every 5 ms: a request waiting for the loop waits for 0.5 ms slices."""
    if sys.getswitchinterval() > GIL_SWITCH_SECONDS:
        sys.setswitchinterval(GIL_SWITCH_SECONDS)


def keep_out_of_gc() -> None:
    """Move every object alive now (a fresh search index, the commune registry) out of the cyclic GC's reach.

    A full collection walks every tracked object while holding the GIL: with a directory index in memory that
    was 100–250 ms during which no request was answered. Long-lived structures are frozen once built. When one is
    replaced, reference counting frees the old one; only objects of it caught in reference cycles stay (the cost of
    one index per directory change, against a stall at every full collection).
    """
    gc.freeze()


BUILD_SWITCH_INTERVAL = 0.001  # seconds: how long a building thread may hold the GIL before handing it over


_building = 0  # builds under way in `no_gc_pauses`: the first in changes the settings, the last out restores them
_building_lock = threading.Lock()
_saved: tuple[bool, float] = (True, 0.005)


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """While building a large structure on a worker thread: no cyclic collection meanwhile (a full one would walk
    the half-built index holding the GIL, 50–100 ms during which the loop answers nobody), then freeze it all.

    The builder holds the GIL for `switchinterval` at a time and the loop's thread waits that long at each of the
    hand-overs an answer needs (5 ms by default): 1 ms while building keeps answers flowing. Both settings are the
    process's: two builds at once (a refresh and a background rebuild) share them, the last one out restores them."""
    global _building, _saved
    with _building_lock:
        if _building == 0:
            _saved = (gc.isenabled(), sys.getswitchinterval())
            gc.disable()
            sys.setswitchinterval(min(_saved[1], BUILD_SWITCH_INTERVAL))
        _building += 1
    try:
        yield
    finally:
        with _building_lock:
            _building -= 1
            if _building == 0:
                sys.setswitchinterval(_saved[1])
                if _saved[0]:
                    gc.enable()
        keep_out_of_gc()


def off_loop() -> bool:
    """True on a worker thread of `run_handler` (its work is already off the main loop)."""
    return bool(getattr(_local, "off_loop", False))


class Workers:
    """The thread pool and the process pool of one process, created on first use."""

    def __init__(self, threads: int = HANDLER_THREADS, processes: int | None = None) -> None:
        self._threads_max = threads
        self._processes_max = processes or max(1, min(2, (os.cpu_count() or 1)))
        self._threads: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    @property
    def threads(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self._threads_max, thread_name_prefix="relais")
            return self._threads

    @property
    def processes(self) -> Executor:
        with self._lock:
            if self._processes is None:
                # forkserver: a clean child, never a fork of a process that runs threads and an event loop.
                context = multiprocessing.get_context("forkserver")
                self._processes = ProcessPoolExecutor(self._processes_max, mp_context=context,
                                                      initializer=_background_priority)
            return self._processes

    def shutdown(self) -> None:
        with self._lock:
            threads, processes, self._threads, self._processes = self._threads, self._processes, None, None
        if threads is not None:
            threads.shutdown(wait=False, cancel_futures=True)
        if processes is not None:
            processes.shutdown(wait=False, cancel_futures=True)


def _background_priority() -> None:
    """Worker processes (charts, exports) yield the CPU to the server: on a busy machine, answers come first."""
    os.nice(WORKER_NICENESS)


WORKERS = Workers()  # one set per process: the pools hold no state of any App
atexit.register(WORKERS.shutdown)


async def run(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` on a worker thread (directly when already off the main loop)."""
    if off_loop():
        return fn(*args, **kwargs)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(WORKERS.threads, functools.partial(fn, *args, **kwargs))


async def run_cpu(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker process; `fn` and its arguments must pickle (module-level function)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(WORKERS.processes, functools.partial(fn, *args, **kwargs))


class LoopBridge:
    """Stands for the platform on a worker thread: its coroutines are run on the main loop and awaited from here."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    @property
    def target(self) -> Any:
        return self._target

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not inspect.iscoroutinefunction(value):
            return value

        @functools.wraps(value)
        async def bridged(*args: Any, **kwargs: Any) -> Any:
            future = asyncio.run_coroutine_threadsafe(value(*args, **kwargs), self._loop)
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                future.cancel()
                raise

        return bridged


def _thread_main(make: Callable[[], Awaitable[T]]) -> T:
    """Each worker thread keeps one event loop for the handlers it runs (a new loop per request cost more)."""
    loop: asyncio.AbstractEventLoop | None = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = _local.loop = asyncio.new_event_loop()
    _local.off_loop = True
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_await(make))
    finally:
        _local.off_loop = False
        asyncio.set_event_loop(None)


async def _await(make: Callable[[], Awaitable[T]]) -> T:
    return await make()


async def on_thread_loop(make: Callable[[], Awaitable[T]]) -> T:
    """Run the coroutine `make()` builds on a worker thread with an event loop of its own; await its result here.

    Already on such a thread (one handler calling another), it simply runs here."""
    if off_loop():
        return await make()
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(WORKERS.threads, _thread_main, make)
