"""What long but legal command text costs: milliseconds per kilobyte above a short command, per command.

Commands run in process through the same registry as `relais serve` (console platform, a fresh SQLite database
with the console's sample data). For each command, a short text (the baseline, measured in the same run) and
texts of 1, 4 and 16 KB (16,383 characters is Mattermost's post limit, longer text is refused before parsing;
commands refuse what is too long for them, /annuaire over 300 characters, /entraide over 4,000); best of 3.
"worst ms/KB": the largest (time − baseline) / size over the three sizes. Also the two text passes every echoed
or saved text goes through.

    .venv/bin/python bench/long_input.py
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.accompagnements.anonymity import find_personal_data  # noqa: E402
from bot.core.text import neutralize_mentions  # noqa: E402

WORDS = ("carte vitale et compte ameli de la personne, besoin d’ide, démarche CAF en ligne, "
         "atelier numérique à Saint-Pierre avec imprimante, France Services, @channel _@here_ &#64;all ")
SIZES = (1024, 4096, 16_383)
# (command, what precedes the long text, a short realistic text: the baseline)
COMMANDS = (("annuaire", "", "caf manosque"), ("atelier", "chercher ", "chercher tablette seniors"),
            ("accompagnement", "45min individuel caf note: ", "45min individuel caf note: dossier fait"),
            ("entraide", "", "Comment créer un compte ameli pour une personne sans adresse mail ?"))


def text_of(size: int) -> str:
    return (WORDS * (size // len(WORDS) + 1))[:size]


def best(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


async def abest(fn: Callable[[], Awaitable[object]], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - t0)
    return min(times)


async def main() -> int:
    logging.disable(logging.WARNING)
    from bot.config import load_settings
    from bot.console.bootstrap import prepare_database
    from bot.console.cli import build_console_app, console_settings
    from bot.console.platform import console_platform
    from bot.core.context import Context
    from bot.db import Database

    tmp = Path(tempfile.mkdtemp(prefix="relais-long-"))
    env = {"RELAIS_DATABASE_URL": f"sqlite:///{tmp / 'relais.db'}", "RELAIS_SECRET": "s" * 40}
    settings = console_settings(load_settings(env=env, dotenv=False))
    db = Database(settings.database_url)
    prepare_database(db, lambda _: None)
    platform = console_platform(settings, "conseiller")
    app = build_console_app(settings, db, platform)
    channel = await platform.channel_by_name("town-square") or await platform.channel_by_name("general")

    def ctx(command: str, text: str) -> Context:
        return Context(app=app, user_id=platform.me.id, user_name=platform.me.username,
                       channel_id=channel.id if channel else "", channel_name=channel.name if channel else "",
                       text=text, command=command)

    print(f"{'what':<28}{'baseline ms':>12}" + "".join(f"{f'{s / 1024:.0f} KB ms':>11}" for s in SIZES)
          + f"{'worst ms/KB':>13}")
    for command, prefix, short in COMMANDS:
        base = await abest(lambda c=command, t=short: app.registry.run_command(ctx(c, t)))
        row = [await abest(lambda c=command, p=prefix, s=s: app.registry.run_command(ctx(c, p + text_of(s))))
               for s in SIZES]
        per_kb = max((t - base) * 1000 / (s / 1024) for t, s in zip(row, SIZES, strict=True))
        print(f"/{command:<27}{base * 1000:>12.1f}" + "".join(f"{t * 1000:>11.1f}" for t in row) + f"{per_kb:>13.2f}")
    for name, fn in (("neutralize_mentions", neutralize_mentions), ("find_personal_data", find_personal_data)):
        base = best(lambda f=fn: f("caf manosque"))
        row = [best(lambda f=fn, s=s: f(text_of(s))) for s in SIZES]
        per_kb = max((t - base) * 1000 / (s / 1024) for t, s in zip(row, SIZES, strict=True))
        print(f"{name:<28}{base * 1000:>12.2f}" + "".join(f"{t * 1000:>11.1f}" for t in row) + f"{per_kb:>13.2f}")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
