"""`MMServerThread`: the fake server on its own event loop in a background thread.

For bots that run in another process or on another loop (e.g. a sync test driving a bot
subprocess): the server keeps serving while the caller blocks.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from .server import MMServer

T = TypeVar("T")


class MMServerThread:
    """Context manager: `with MMServerThread() as t: t.server.add_user(...); t.call(t.server.run_command(...))`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, site_url: str | None = None) -> None:
        self.server = MMServer(host, port, site_url)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="mmserver", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.server.start())
        except BaseException as exc:  # surfaced to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def start(self) -> MMServerThread:
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self.call(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def __enter__(self) -> MMServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self.server.url

    def call(self, coro: Coroutine[Any, Any, T], timeout: float | None = 60.0) -> T:
        """Run a server coroutine (e.g. `server.run_command(...)`) on the server loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def acall(self, coro: Coroutine[Any, Any, T]) -> T:
        """Same as `call`, awaitable from another running event loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def call_sync(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a plain function on the server loop (thread-safe seeding/inspection while serving)."""

        async def wrapper() -> T:
            return fn(*args, **kwargs)

        return self.call(wrapper())
