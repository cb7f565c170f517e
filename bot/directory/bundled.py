"""The directory extract shipped in the package (`bot/data/annuaire/`, see `bot/data/ATTRIBUTION.md`), imported on
first start so /annuaire answers before any administrator has imported the national files."""

from __future__ import annotations

from pathlib import Path

from bot.db import Database
from bot.directory.importers import ImportReport, import_files
from bot.directory.store import count_places

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "data" / "annuaire"
BUNDLED_FILES = (
    "france-services_liste-fs-20240801.csv",
    "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
    "lieux-mediation-numerique_paca-hub-du-sud_20230517.json",
)


def load_bundled_directory(db: Database, *, force: bool = False) -> list[ImportReport]:
    """Import the shipped extract when the directory is empty (or always with `force`; the upsert is idempotent).

    Sources are the ones a full import of the original files would use, so importing the national files
    later updates these places instead of duplicating them. Returns one report per file ([] when skipped).
    """
    if not force:
        with db.session() as s:
            if count_places(s) > 0:
                return []
    # Partial: the extract is a sample of each source, it must never close places a full import brought in.
    return import_files(db, [BUNDLED_DIR / name for name in BUNDLED_FILES], by="relais (extrait livré)",
                        partial=True)
