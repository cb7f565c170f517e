"""`relais serve`: HTTP endpoints + WebSocket listener + scheduler in one process.

Mattermost being down (at start or later) is never fatal: the HTTP server keeps answering,
`/healthz` says what is down, the listener reconnects and catches up. Shutdown stops accepting
requests first, waits for the work in flight, then stops the scheduler and the WebSocket.

Scheduled jobs: each feature of `bot.features` lists its job installers, `fn(app, scheduler)`, called once at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import sys
from collections.abc import Iterable
from typing import Any

from aiohttp import web
from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import features
from bot.app import build_app
from bot.config import Settings
from bot.core.context import App, PlatformError
from bot.core.registry import Registry
from bot.db import Database
from bot.features import JobInstaller
from bot.mattermost.client import MattermostClient
from bot.mattermost.http import TRANSPORT_KEY, MattermostHTTP, create_web_app
from bot.mattermost.tokens import TokenStore
from bot.mattermost.websocket import WebSocketListener, purge_processed

log = logging.getLogger(__name__)

SHUTDOWN_TIMEOUT = 60.0


EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::", "[::]", "*"})


def exposure_warning(host: str, public_url: str) -> str | None:
    """What to tell when the bot's port is open on every interface with no TLS in front (`RELAIS_PUBLIC_URL` in
    plain http): anyone who reaches it can call it, and button contexts travel in clear."""
    if host not in EVERY_INTERFACE or public_url.lower().startswith("https://"):
        return None
    return (f"Attention : Relais écoute sur toutes les interfaces ({host or '*'}) sans TLS devant lui "
            f"(RELAIS_PUBLIC_URL = {public_url}). Seul le serveur Mattermost doit pouvoir joindre ce port : "
            "écoutez sur 127.0.0.1 (RELAIS_LISTEN) derrière un proxy HTTPS, ou fermez le port au pare-feu. "
            "Voir le README, partie « Déploiement ».")


class DrainableExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor cancels running jobs on shutdown; this one lets them finish first."""

    async def drain(self, timeout: float) -> None:
        pending = [f for f in getattr(self, "_pending_futures", set()) if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)


def install_schedules(app: App, scheduler: AsyncIOScheduler, jobs: Iterable[JobInstaller] | None = None) -> None:
    """Every feature's scheduled jobs (`bot.features`), or only `jobs`."""
    for install in features.jobs() if jobs is None else jobs:
        install(app, scheduler)


class Server:
    """One `relais serve` process; `start()`/`stop()` so tests drive the same lifecycle as the CLI."""

    def __init__(
        self, settings: Settings, db: Database, *, registry: Registry | None = None,
        client: MattermostClient | None = None, host: str | None = None, port: int | None = None,
        jobs: Iterable[JobInstaller] | None = None, backoff_base: float = 1.0, defer_after: float | None = None,
        shutdown_timeout: float = SHUTDOWN_TIMEOUT,
    ) -> None:
        self.settings = settings
        self.db = db
        self.client = client or MattermostClient(settings)
        self.app = build_app(settings, db, self.client, registry)
        self.host = host if host is not None else settings.listen_host
        self.port = port if port is not None else settings.listen_port
        self.shutdown_timeout = shutdown_timeout
        self.jobs = jobs
        self.tokens = TokenStore(db, key=settings.secret)
        self.listener = WebSocketListener(self.app, self.client, backoff_base=backoff_base)
        extra: dict[str, Any] = {} if defer_after is None else {"defer_after": defer_after}
        self.web_app = create_web_app(self.app, self.client, self.tokens,
                                      websocket_connected=lambda: self.listener.connected, **extra)
        self.executor = DrainableExecutor()
        self.scheduler = AsyncIOScheduler(timezone=settings.tz, executors={"default": self.executor})
        self.runner: web.AppRunner | None = None

    @property
    def transport(self) -> MattermostHTTP:
        return self.web_app[TRANSPORT_KEY]

    @property
    def bound_port(self) -> int:
        """The port actually bound (useful with port 0)."""
        assert self.runner is not None
        return int(self.runner.addresses[0][1])

    async def start(self) -> None:
        await asyncio.to_thread(self.tokens.load)
        try:
            me = await self.client.login()
            log.info("connected to Mattermost as @%s", me.username)
        except PlatformError as exc:
            log.warning("Mattermost unreachable at start (%s); serving anyway, will retry", exc)
        self.runner = web.AppRunner(self.web_app, handle_signals=False, shutdown_timeout=self.shutdown_timeout,
                                    access_log=None)
        await self.runner.setup()
        # SO_REUSEPORT: several `relais serve` processes on one host share the port (the kernel spreads requests).
        await web.TCPSite(self.runner, self.host, self.port, reuse_port=hasattr(socket, "SO_REUSEPORT")).start()
        install_schedules(self.app, self.scheduler, self.jobs)
        self.scheduler.add_job(asyncio.to_thread, "cron", args=[purge_processed, self.db], hour=4, minute=17,
                               id="relais-purge-processed-events", replace_existing=True)
        self.scheduler.start()
        self.listener.start()

    async def stop(self) -> None:
        """Stop accepting, finish handlers and background work, then the scheduler, then the WebSocket."""
        if self.runner is not None:
            await self.runner.cleanup()  # stops the site, waits for running requests, drains their follow-ups
            self.runner = None
        if self.scheduler.running:
            self.scheduler.pause()
            await self.executor.drain(self.shutdown_timeout)
            self.scheduler.shutdown(wait=False)
        await self.listener.stop(self.shutdown_timeout)
        await self.client.close()


async def serve_forever(server: Server, stop: asyncio.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or `stop` is set), then shut down cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
    except OSError as exc:
        await server.stop()
        from bot.core.errors import UserError

        raise UserError(f"Impossible d’écouter sur {server.host}:{server.port} ({exc.strerror or exc}). "
                        "Le port est peut-être déjà pris : changez RELAIS_LISTEN.") from None
    print(f"Relais écoute sur http://{server.host}:{server.bound_port} (Ctrl+C pour arrêter).", flush=True)
    if warning := exposure_warning(server.host, server.settings.public_url):
        log.warning("listening on every interface without TLS in front (%s)", server.settings.public_url)
        print(warning, file=sys.stderr, flush=True)
    try:
        await stop.wait()
    finally:
        print("Arrêt de Relais : fin des traitements en cours…", flush=True)
        await server.stop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)
