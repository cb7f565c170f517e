"""Scale check for /accompagnement: 100,000 accompaniments over a year for 500 counsellors.

Measures monthly stats for one counsellor and for the whole network, and the year's CSV export, on
SQLite and PostgreSQL. Absolute targets from issue 4: stats < 200 ms, export < 5 s. A trivial query
(`SELECT count(*)`) timed in the same run gives the machine's baseline. Every figure is a median (stats: 7 runs,
export: 3) and the load average is printed alongside: the machine is shared.

    .venv/bin/python bench/accompagnement_scale.py \
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test] [--rows 100000]

PostgreSQL runs in a throw-away database created and dropped here.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.accompagnements import enums, service  # noqa: E402
from bot.accompagnements.export import write_csv  # noqa: E402
from bot.accompagnements.models import Accompaniment  # noqa: E402
from bot.accompagnements.stats import compute  # noqa: E402
from bot.db import Database  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402

YEAR_START = date(2025, 12, 1)
COUNSELLORS = 500
TZ = ZoneInfo("Europe/Paris")
COMMUNES = ["Le Port", "Saint-Denis", "Saint-Pierre", "Pointe-à-Pitre", "Cayenne", "Périgueux", "Bordeaux",
            "Saint-Étienne", "Nîmes", "Troyes", "Orléans", "Amiens", "Tulle"]


def generate(n: int, seed: int = 4) -> list[dict[str, object]]:
    """Realistic mix: 85 % individual (about 1 h), 15 % workshops (2 h, 3–10 people), weekdays mostly."""
    rnd = random.Random(seed)
    themes = list(enums.THEMATIQUES_MEDIATION)
    weights = [3, 8, 2, 4, 8, 10, 4, 5, 6, 4, 1, 4, 6, 2, 2, 2, 2, 2, 12]
    admin = list(enums.THEMATIQUES_ADMINISTRATIVES)
    # Some counsellors log much more than others (Zipf-like activity).
    activity = [1 / (i + 1) ** 0.6 for i in range(COUNSELLORS)]
    users = rnd.choices(range(COUNSELLORS), weights=activity, k=n)
    rows: list[dict[str, object]] = []
    days = []
    for _ in range(n):
        day = YEAR_START + timedelta(days=rnd.randrange(365))
        if day.weekday() >= 5 and rnd.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)
        days.append(day)
    # Entries are logged as the year goes (right after the session, or that evening): insertion order follows
    # the date, as it will in production.
    days.sort()
    for i, day in enumerate(days):
        created = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8 + rnd.random() * 10)
        collective = rnd.random() < 0.15
        chosen = list(dict.fromkeys(rnd.choices(themes, weights=weights, k=rnd.choice((1, 1, 2, 2, 3)))))
        if enums.DEMARCHES in chosen:
            chosen += rnd.sample(admin, rnd.choice((1, 1, 2)))
        lieu = rnd.choices(list(enums.LIEUX), weights=[70, 12, 10, 8])[0]
        row: dict[str, object] = {
            "user_id": f"user{users[i]:03d}", "user_name": f"conseiller{users[i]:03d}",
            "type": "collectif" if collective else "individuel", "date": day,
            "duration_min": rnd.choice((120, 90, 120, 180)) if collective else rnd.choice(enums.DURATION_PRESETS),
            "lieu_type": lieu, "lieu_nom": None,
            "lieu_commune": rnd.choice(COMMUNES) if lieu in enums.LIEUX_WITH_COMMUNE else None,
            "lieu_code_postal": None, "thematiques": chosen,
            "precisions_demarche": "déclaration en ligne" if enums.DEMARCHES in chosen and rnd.random() < .3 else None,
            "materiel": rnd.sample(["ordinateur", "telephone", "tablette"], rnd.choice((0, 1, 1, 2))),
            "notes": None, "oriente": None, "structure_redirection": None, "orientation_source": None,
            "orientation_place_id": None, "orientation_place_name": None, "genre": None, "tranche_age": None,
            "statut": None, "deja_accompagne": None, "beneficiaire_commune": None, "beneficiaire_code_postal": None,
            "titre_atelier": None, "niveau": None, "autonomie": None, "participants_counts": None,
            "created_at": created, "updated_at": created,
        }
        if collective:
            total = rnd.randint(3, 10)
            f = rnd.randint(0, total)
            row.update(titre_atelier="Atelier numérique", niveau=rnd.choice(list(enums.NIVEAUX)),
                       participants_total=total, participants_deja=rnd.randint(0, total),
                       participants_counts={"genre": {"feminin": f, "masculin": total - f},
                                            "tranche_age": {"soixante_dix_plus": rnd.randint(0, total)}})
        else:
            redirect = rnd.random() < 0.15
            row.update(participants_total=1, participants_deja=int(rnd.random() < .4),
                       autonomie=rnd.choice([None, *enums.AUTONOMIE]),
                       genre=rnd.choice(["feminin", "masculin", None]),
                       tranche_age=rnd.choices(list(enums.TRANCHES_AGE), weights=[1, 2, 4, 8, 18, 25, 35, 7])[0],
                       statut=rnd.choice(list(enums.STATUTS)), oriente=redirect or None,
                       structure_redirection=rnd.choice(list(enums.STRUCTURES_REDIRECTION)) if redirect else None)
        rows.append(row)
    return rows


def timed(fn: Callable[[], object], repeat: int = 7, *, warm: bool = True) -> float:
    """Median wall time in ms (the first call warms caches and is dropped)."""
    if warm:
        fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def run(db: Database, rows: list[dict[str, object]], label: str) -> bool:
    upgrade(db)
    t = time.perf_counter()
    with db.session() as s:
        for i in range(0, len(rows), 5000):
            s.execute(insert(Accompaniment), rows[i:i + 5000])
    load_s = time.perf_counter() - t
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    month = (date(2026, 10, 1), date(2026, 10, 31))
    busiest = "user000"

    def baseline() -> None:
        with db.session() as s:
            s.execute(text("SELECT count(*) FROM accompaniments")).scalar()

    def one() -> None:
        with db.session() as s:
            compute(s, *month, user_id=busiest)

    def network() -> None:
        with db.session() as s:
            compute(s, *month)

    def year_export() -> int:
        # Write-only text file, as `relais sessions export --output` opens it.
        with tempfile.TemporaryFile("w", encoding="utf-8", newline="") as fh, db.session() as s:
            return write_csv(fh, service.in_period(s, date(2025, 12, 1), date(2026, 11, 30)), TZ, self_export=False)

    with db.session() as s:
        st_one = compute(s, *month, user_id=busiest)
        st_net = compute(s, *month)
    base = timed(baseline)
    ms_one = timed(one)
    ms_net = timed(network)
    n_lines = year_export()
    export_s = timed(year_export, 3, warm=False) / 1000
    ok = ms_one < 200 and ms_net < 200 and export_s < 5
    print(f"\n== {label} ({len(rows):,} accompaniments, {COUNSELLORS} counsellors; loaded in {load_s:.1f} s)")
    print("load average (1, 5, 15 min)        : " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"baseline SELECT count(*)            : {base:8.1f} ms")
    print(f"monthly stats, busiest counsellor   : {ms_one:8.1f} ms  ({st_one.activities} entries)  target < 200 ms"
          f"  ×{ms_one / base:.1f} baseline")
    print(f"monthly stats, whole network        : {ms_net:8.1f} ms  ({st_net.activities} entries)  target < 200 ms"
          f"  ×{ms_net / base:.1f} baseline")
    print(f"year export (CSV, Coop layout)      : {export_s * 1000:8.1f} ms  ({n_lines:,} rows)  target < 5000 ms")
    print("targets met" if ok else "TARGET MISSED")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="server URL; a throw-away database is created and dropped ('' to skip)")
    args = parser.parse_args()
    rows = generate(args.rows)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        try:
            ok &= run(db, rows, "SQLite")
        finally:
            db.dispose()
    if args.postgres:
        name = f"relais_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            db = Database(make_url(args.postgres).set(database=name).render_as_string(hide_password=False))
            try:
                ok &= run(db, rows, "PostgreSQL")
            finally:
                db.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
