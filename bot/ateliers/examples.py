"""Example ideas for the console only (`bot/data/example_ideas.toml`), clearly marked "Exemple".

The console calls `load_example_ideas(db)` so that `/atelier` finds something on a fresh machine;
`relais serve` never does: on a real network, every idea comes from a counsellor.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.ateliers.models import Idea
from bot.ateliers.service import create_idea
from bot.ateliers.vocabulary import NIVEAUX, PUBLICS, THEMATIQUES, DurationError, parse_duration
from bot.db import Database, utcnow

EXAMPLES_FILE = Path(__file__).resolve().parents[1] / "data" / "example_ideas.toml"
EXAMPLE_AUTHOR = "exemple"
EXAMPLE_PREFIX = "Exemple : "


def read_example_ideas(path: Path = EXAMPLES_FILE) -> list[dict[str, Any]]:
    """Idea fields from the data file; a wrong code fails loudly here rather than showing a broken card."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh).get("idea", [])
    out = []
    for i, item in enumerate(raw, 1):
        bad = [c for c in item.get("publics", []) if c not in PUBLICS]
        bad += [c for c in item.get("thematiques", []) if c not in THEMATIQUES]
        if item.get("level") and item["level"] not in NIVEAUX:
            bad.append(item["level"])
        duration, unreadable = None, False
        try:
            duration = parse_duration(item["duration"]) if item.get("duration") else None
        except DurationError:
            unreadable = True
        if bad or unreadable or not item.get("title") or not item.get("thematiques"):
            raise ValueError(f"{path.name}: idée n° {i} invalide ({', '.join(bad) or 'titre, thématique ou durée'})")
        out.append({
            "title": EXAMPLE_PREFIX + item["title"], "summary": item.get("summary", ""),
            "publics": list(item.get("publics", [])), "thematiques": list(item["thematiques"]),
            "duration_minutes": duration, "level": item.get("level") or None,
            "equipment": item.get("equipment", ""), "outline": item.get("outline", ""), "link": item.get("link", ""),
        })
    return out


def load_example_ideas(db: Database, now: datetime | None = None, path: Path = EXAMPLES_FILE) -> int:
    """Add the example ideas not yet present (by title); returns how many were added. Safe to call at every start."""
    now = now or utcnow()
    added = 0
    with db.session() as s:
        present = set(s.scalars(select(Idea.title).where(Idea.is_example.is_(True))))
        for fields in read_example_ideas(path):
            if fields["title"] in present:
                continue
            create_idea(s, fields, author_id=EXAMPLE_AUTHOR, author_name=EXAMPLE_AUTHOR, now=now, is_example=True)
            added += 1
    return added
