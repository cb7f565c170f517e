"""First start of the console: bring the schema up to date and load the sample data a newcomer needs.

Samples only go into a database the console itself created (remembered in `kv_state`): pointing the
console at a network's real database must never add example ideas to it. Each set is loaded once, so
a set that ships in a later version still reaches an existing console database on its next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.ateliers import load_example_ideas
from bot.core.text import count_of
from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.state import get_state, set_state
from bot.directory import load_bundled_directory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SampleSet:
    key: str
    load: Callable[[Database], object]
    label: str


CREATED_KEY = "console.created"

SAMPLES = (
    SampleSet("console.sample.directory", load_bundled_directory,
              "lieux de l’annuaire (extrait des données ouvertes de l’ANCT)"),
    SampleSet("console.sample.ideas", load_example_ideas, "idées d’ateliers d’exemple"),
)


def prepare_database(db: Database, say: Callable[[str], None]) -> None:
    """Migrate, then load each sample set not loaded yet; a failing set is reported, not fatal."""
    applied = upgrade(db)
    if applied:
        say(f"Base de données préparée ({count_of(len(applied), 'migration appliquée')}).")
    with db.session() as s:
        if "0001_foundation" in applied:
            set_state(s, CREATED_KEY, True)
        ours = bool(get_state(s, CREATED_KEY))
    if not ours:
        return
    for sample in SAMPLES:
        with db.session() as s:
            if get_state(s, sample.key):
                continue
        say(f"Premier démarrage : chargement des {sample.label}…")
        try:
            result = sample.load(db)
        except Exception:
            log.exception("loading %s failed", sample.key)
            say(f"Impossible de charger les {sample.label} ; la console marche quand même.")
            continue
        with db.session() as s:
            set_state(s, sample.key, True)
        count = _count(result)
        say(f"Chargé : {count} {sample.label}." if count is not None else f"Chargé : {sample.label}.")


def _count(result: object) -> int | None:
    """Loaders return a count, or import reports (one per file) with added/updated/unchanged counts."""
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    if isinstance(result, list) and result and all(hasattr(r, "added") for r in result):
        return sum(r.added + getattr(r, "updated", 0) + getattr(r, "unchanged", 0) for r in result)
    return None
