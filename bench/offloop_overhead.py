"""What running a handler off the event loop costs: `/annuaire` through the registry, in one process, with the
handler on a worker thread (as Relais runs it) and on the loop itself (as before issue 12), one after the other.

    .venv/bin/python bench/offloop_overhead.py [--requests 600]

Same queries as bench/mixed_load.py (drawn from the real files), one at a time every 20 ms, the first 100 left
out (warm-up). The figures are milliseconds per request; the two rows are measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from mixed_load import DATA, REAL_FILES, annuaire_queries  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.context import App, Context  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.directory import import_files  # noqa: E402
from tests.fakes import fake_platform  # noqa: E402


async def measure(app: App, texts: list[str], requests: int) -> list[float]:
    latencies = []
    for i in range(requests):
        ctx = Context(app=app, user_id="u" * 26, user_name="alice", channel_id="c" * 26, command="annuaire",
                      text=texts[i % len(texts)])
        started = time.perf_counter()
        await app.registry.run_command(ctx)
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)
    return sorted(latencies[100:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/relais.db")
        upgrade(db)
        import_files(db, [DATA / f for f in REAL_FILES])
        app = build_app(Settings(database_url=db.url), db, fake_platform())
        texts = annuaire_queries()
        off = asyncio.run(measure(app, texts, args.requests))

        async def on_the_loop(self: App, call: object) -> object:
            return await call(self)  # type: ignore[operator]

        App.run_handler = on_the_loop  # type: ignore[assignment,method-assign]
        on = asyncio.run(measure(app, texts, args.requests))
        db.dispose()
    print(f"/annuaire through the registry, {len(off)} requests each (ms)")
    print(f"{'handler runs':28} {'p50':>6} {'p99':>6} {'max':>6}")
    for name, lat in (("on a worker thread (now)", off), ("on the event loop (before)", on)):
        print(f"{name:28} {lat[len(lat) // 2] * 1000:6.1f} {lat[int(len(lat) * 0.99)] * 1000:6.1f} "
              f"{lat[-1] * 1000:6.1f}")


if __name__ == "__main__":
    main()
