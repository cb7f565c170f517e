"""One-line `/accompagnement` entries: how many save in one line with the meant CRA fields, why the others do not,
and whether anything is ever saved with a value the counsellor did not mean.

The lines and their truth are `bench/data/accompagnement_lignes.txt` (written as counsellors write them, labelled
by hand by the rules in its header, never from Relais's output; the "held" part was never looked at while tuning).
Each line goes through the real handler (registry, validation, database) on a fresh SQLite database with the
bundled directory, as a new counsellor (no remembered communes), on Wednesday 2 December 2026 in La Réunion.

A line is a success when:
- it has every essential field (type, date, duration, place, commune when the place needs one, themes, head count
  for a workshop) and is saved at once with exactly those values; or
- it lacks one (truth `ask=`) and Relais asks for that field with buttons, saving nothing.
A *wrong value* is any saved field (essential or device) that differs from the truth: the target is zero.

    .venv/bin/python bench/accompagnement_one_line.py [--verbose] [--split tune|held]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bot.accompagnements.models import Accompaniment  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.context import App, Context  # noqa: E402
from bot.core.replies import Reply  # noqa: E402
from bot.core.text import fold  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.directory.bundled import load_bundled_directory  # noqa: E402
from tests.fakes import Clock, fake_app  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "accompagnement_lignes.txt"
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # Wednesday, 12:00 in La Réunion
TODAY = date(2026, 12, 2)
FORM_BUTTON = "Compléter dans le formulaire"


@dataclass
class Line:
    split: str
    text: str
    truth: dict[str, str]


@dataclass
class Outcome:
    line: Line
    success: bool
    reason: str  # "enregistré", or why not
    wrong: list[str] = field(default_factory=list)  # saved fields that differ from the truth


def load(path: Path = DATA) -> list[Line]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        split, text, truth = raw.split("|")
        pairs = dict(item.split("=", 1) for item in truth.split(";") if item)
        lines.append(Line(split, text, pairs))
    return lines


def compare(row: Accompaniment, truth: dict[str, str]) -> list[str]:
    """Every saved field that is not what the line meant."""
    wrong = []
    if row.type != truth.get("type"):
        wrong.append(f"type {row.type}")
    if str(row.duration_min) != truth.get("duree"):
        wrong.append(f"durée {row.duration_min}")
    if row.lieu_type != truth.get("lieu"):
        wrong.append(f"lieu {row.lieu_type}")
    if "commune" in truth and fold(row.lieu_commune or "") != fold(truth["commune"]):
        wrong.append(f"commune {row.lieu_commune}")
    if set(row.thematiques) != set(truth.get("themes", "").split(",")) - {""}:
        wrong.append(f"thématiques {','.join(row.thematiques)}")
    if row.date != date.fromisoformat(truth.get("date", TODAY.isoformat())):
        wrong.append(f"date {row.date}")
    if row.type == "collectif" and str(row.participants_total) != truth.get("n"):
        wrong.append(f"participants {row.participants_total}")
    if set(row.materiel) != set(truth.get("mat", "").split(",")) - {""}:
        wrong.append(f"matériel {','.join(row.materiel)}")
    return wrong


async def judge(app: App, db: Database, line: Line, user: str) -> Outcome:
    ctx = Context(app=app, user_id=user, user_name=user, channel_id="c1", text=line.text, command="accompagnement")
    reply: Reply = await app.registry.run_command(ctx)
    title = reply.cards[0].title if reply.cards else ""
    if title.startswith("Accompagnement enregistré"):
        with db.session() as s:
            row = s.scalars(select(Accompaniment).where(Accompaniment.user_id == user)).one()
            wrong = compare(row, line.truth)
        if "ask" in line.truth:
            return Outcome(line, False, "enregistré alors qu’il manquait " + line.truth["ask"], wrong or ["incomplet"])
        return Outcome(line, not wrong, "enregistré" if not wrong else "enregistré faux", wrong)
    if reply.cards and reply.cards[0].title.startswith("Une précision avant"):
        choices = [b for b in reply.cards[0].buttons if b.label != FORM_BUTTON]
        field_name = next((b.data.get("field") for b in reply.cards[0].buttons if b.data.get("field")), "?")
        if not choices:
            return Outcome(line, False, f"question sans choix ({field_name})")
        if line.truth.get("ask") == field_name:
            return Outcome(line, True, f"question attendue ({field_name})")
        return Outcome(line, False, f"question : {str(field_name).split(':')[0]}")
    if re.search("Je n.ai pas compris", reply.text):
        return Outcome(line, False, "mots non compris")
    if re.match("Rien n.a été enregistré", reply.text):
        return Outcome(line, False, "refus de validation")
    return Outcome(line, False, "autre réponse : " + (reply.text or title)[:60])


async def run(lines: list[Line]) -> list[Outcome]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        upgrade(db)
        load_bundled_directory(db)
        app = fake_app(Settings(database_url=db.url, timezone="Indian/Reunion"), db, clock=Clock(NOW))
        try:
            return [await judge(app, db, line, f"u{i}") for i, line in enumerate(lines)]
        finally:
            db.dispose()


def report(outcomes: list[Outcome], verbose: bool) -> None:
    for split in ("tune", "held", "all"):
        part = [o for o in outcomes if split in ("all", o.line.split)]
        if not part:
            continue
        complete = [o for o in part if "ask" not in o.line.truth]
        incomplete = [o for o in part if "ask" in o.line.truth]
        ok = sum(o.success for o in complete)
        asked = sum(o.success for o in incomplete)
        wrong = sum(1 for o in part if o.wrong)
        print(f"[{split}] {len(part)} lignes : enregistrées en une ligne avec les bons champs "
              f"{ok}/{len(complete)} ({100 * ok / max(1, len(complete)):.1f} %) ; lignes incomplètes bien "
              f"questionnées {asked}/{len(incomplete)} ; valeurs fausses enregistrées : {wrong}")
    reasons = Counter(o.reason for o in outcomes if o.reason != "enregistré")
    print("Lignes non enregistrées d’un coup, par raison (« question attendue » : la ligne n’avait pas ce champ) :")
    for reason, n in reasons.most_common():
        print(f"  {n:3d}  {reason}")
    if verbose:
        for o in outcomes:
            if not o.success:
                print(f"  [{o.line.split}] {o.reason} {o.wrong or ''} ← {o.line.text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every line that failed and why")
    parser.add_argument("--split", choices=["tune", "held"], help="only this part of the set")
    args = parser.parse_args()
    lines = [line for line in load() if args.split in (None, line.split)]
    outcomes = asyncio.run(run(lines))
    report(outcomes, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
