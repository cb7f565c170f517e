"""The one list of Relais's features, each declaring what it brings. Everything that assembles Relais reads it:
`relais serve` (commands, scheduled jobs), the console (commands), the CLI (sub-commands), Alembic and the tests
(models), the outbox (outcome hooks) and the network digest (sections).

A new feature is one entry here; nothing is found by name, by `getattr` or by an import's side effect. The order of
`FEATURES` is the order of `/aide` and of the digest's sections.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.context import App
    from bot.core.registry import Command
    from bot.digest import RankedSection, SectionProvider
    from bot.outbox.hooks import OutcomeHook

JobInstaller = Callable[["App", Any], None]  # (app, scheduler): adds the feature's jobs to `relais serve`
CliRegistrar = Callable[[argparse._SubParsersAction], None]


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[Command, ...] = ()
    jobs: tuple[JobInstaller, ...] = ()
    outbox_hooks: Mapping[str, OutcomeHook] = field(default_factory=dict)  # key prefix -> hook
    digest_sections: tuple[RankedSection, ...] = ()  # (rank, provider): the digest shows them by rank
    models: tuple[ModuleType, ...] = ()  # imported so that `Base.metadata` knows their tables
    cli: tuple[CliRegistrar, ...] = ()


@functools.cache
def features() -> tuple[Feature, ...]:
    """Imported on first use (not with this module) so that `relais --help` and Alembic stay light."""
    from bot import cli_core
    from bot.accompagnements import cli as accompagnements_cli
    from bot.accompagnements import models as accompagnements_models
    from bot.annonces import models as annonces_models
    from bot.annonces import report as annonces_report
    from bot.ateliers import digest as ateliers_digest
    from bot.ateliers import models as ateliers_models
    from bot.console import cli as console_cli
    from bot.db import state as db_state
    from bot.directory import cli as directory_cli
    from bot.directory import digest as directory_digest
    from bot.directory import models as directory_models
    from bot.entraide import cli as entraide_cli
    from bot.entraide import digest as entraide_digest
    from bot.entraide import models as entraide_models
    from bot.handlers import accompagnement, aide, annonce, annuaire, atelier, entraide
    from bot.mattermost import cli as mattermost_cli
    from bot.mattermost import models as mattermost_models
    from bot.outbox import models as outbox_models

    return (
        Feature("socle", models=(db_state, outbox_models, mattermost_models),
                cli=(cli_core.register, console_cli.register, mattermost_cli.register)),
        Feature("aide", commands=(aide.command,)),
        Feature("annuaire", commands=(annuaire.command,), jobs=(annuaire.schedule,), models=(directory_models,),
                cli=(directory_cli.register,), digest_sections=directory_digest.SECTIONS),
        Feature("accompagnement", commands=(accompagnement.command,), models=(accompagnements_models,),
                cli=(accompagnements_cli.register,)),
        Feature("atelier", commands=(atelier.command,), models=(ateliers_models,),
                digest_sections=ateliers_digest.SECTIONS),
        Feature("annonce", commands=(annonce.command,), models=(annonces_models,),
                outbox_hooks={"annonce:": annonces_report.announcement_delivered}),
        Feature("entraide", commands=(entraide.command,), jobs=(entraide.schedule,), models=(entraide_models,),
                cli=(entraide_cli.register,), digest_sections=entraide_digest.SECTIONS),
    )


def commands() -> list[Command]:
    return [c for f in features() for c in f.commands]


def jobs() -> list[JobInstaller]:
    return [j for f in features() for j in f.jobs]


def outbox_hooks() -> dict[str, OutcomeHook]:
    return {prefix: hook for f in features() for prefix, hook in f.outbox_hooks.items()}


def digest_sections() -> list[SectionProvider]:
    """Every feature's digest sections, in rank order (questions first, the idea of the month last)."""
    ranked = sorted((rank, i, provider) for i, (rank, provider) in
                    enumerate(s for f in features() for s in f.digest_sections))
    return [provider for _, _, provider in ranked]


def cli_registrars() -> list[CliRegistrar]:
    return [r for f in features() for r in f.cli]


def load_models() -> None:
    """Every table in `Base.metadata` (Alembic's autogenerate, the tests' truncation)."""
    features()
