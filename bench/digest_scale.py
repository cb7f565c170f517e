"""Building a weekly digest over 10,000 tracked questions and 100,000 replies on PostgreSQL (target: < 2 s).

The network's year of accompaniments (`accompagnement_scale.generate`, ~800 in the week) is there too, so the
activity totals are counted over realistic data.

Creates a throw-away database next to the given one, fills it, times `build_digest` for the last week
(and the full `run_digest`, which also queues the post), prints a trivial baseline query time from the
same run for context, then drops the database.

    .venv/bin/python bench/digest_scale.py [postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bot.accompagnements.models import Accompaniment
from bot.app import build_registry
from bot.config import DigestSchedule, Settings
from bot.core.context import App
from bot.db import Database
from bot.db.migrate import upgrade
from bot.digest import DigestPeriod, build_digest
from bot.entraide.models import RESOLVED, Question, Reply
from bot.entraide.runs import run_digest
from bot.features import digest_sections

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accompagnement_scale import generate as generate_accompaniments  # noqa: E402

QUESTIONS = 10_000
REPLIES = 100_000
ACCOMPANIMENTS = 40_000  # a network year
RUNS = 7
NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
WORDS = ("mot de passe", "France Connect", "CAF", "impôts", "ANTS", "carte grise", "Ameli", "scanner", "smartphone",
         "imprimante", "retraite", "France Travail", "courriel", "atelier", "seniors", "tablette")


def fill(db: Database, rng: random.Random) -> None:
    questions, replies = [], []
    for i in range(1, QUESTIONS + 1):
        created = NOW - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        resolved = rng.random() < 0.8
        resolved_at = min(NOW - timedelta(minutes=1), created + timedelta(hours=rng.randint(1, 400))) \
            if resolved else None
        questions.append(dict(
            id=i, channel_id="ch-entraide", root_post_id=f"root{i}", card_post_id=f"root{i}", asker_id=f"u{i % 500}",
            asker_name=f"conseiller{i % 500}", text=f"Question {i} sur {rng.choice(WORDS)} et {rng.choice(WORDS)} ?",
            created_at=created, status=RESOLVED if resolved else "open", resolved_at=resolved_at,
            resolved_by_id=f"u{i % 500}" if resolved else None, reply_count=0))
    per_question = [0] * (QUESTIONS + 1)
    for j in range(REPLIES):
        qid = rng.randint(1, QUESTIONS)
        qid -= qid % 20 == 0  # one question in twenty never gets an answer
        q = questions[qid - 1]
        user = rng.randint(0, 499)
        per_question[qid] += user != qid % 500
        replies.append(dict(question_id=qid, post_id=f"reply{j}", user_id=f"u{user}", user_name=f"conseiller{user}",
                            created_at=q["created_at"] + timedelta(minutes=rng.randint(1, 600))))
    for q in questions:
        q["reply_count"] = per_question[q["id"]]
        if q["reply_count"] == 0 and q["status"] == RESOLVED:
            q["status"], q["resolved_at"], q["resolved_by_id"] = "open", None, None
    with db.engine.begin() as conn:
        conn.execute(insert(Question), questions)
        for k in range(0, REPLIES, 10_000):
            conn.execute(insert(Reply), replies[k:k + 10_000])
        accompaniments = generate_accompaniments(ACCOMPANIMENTS)
        for k in range(0, ACCOMPANIMENTS, 10_000):
            conn.execute(insert(Accompaniment), accompaniments[k:k + 10_000])
        conn.execute(text("ANALYZE"))


def timed(fn, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(base: str) -> int:
    name = f"relais_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    try:
        upgrade(db)
        t = time.perf_counter()
        fill(db, random.Random(42))
        print(f"filled {QUESTIONS} questions, {REPLIES} replies and {ACCOMPANIMENTS} accompaniments "
              f"in {time.perf_counter() - t:.1f} s")
        tz = Settings(database_url=url).tz
        period = DigestPeriod(NOW - timedelta(days=7), NOW, tz, lambda pid: f"https://mm/pl/{pid}")

        def build() -> None:
            with db.session() as s:
                build_digest(s, period, title="Le point du réseau", providers=digest_sections()).render()

        def baseline() -> None:
            with db.session() as s:
                s.execute(text("SELECT count(*) FROM entraide_questions WHERE status = 'open'")).scalar()

        build()  # warm caches the same way for both
        base_times, build_times = timed(baseline), timed(build)
        with db.session() as s:
            digest = build_digest(s, period, title="Le point du réseau", providers=digest_sections())
        lines = sum(len(sec.lines) for sec in digest.sections)
        schedule = DigestSchedule("region-sud", "0 9 * * mon")
        app = App(settings=Settings(database_url=url, digests=(schedule,)), db=db,
                  platform=type("P", (), {"permalink": staticmethod(lambda pid: pid)})(), registry=build_registry(),
                  clock=lambda: NOW)
        t = time.perf_counter()
        outcome = run_digest(app, schedule, NOW, "bench")
        run_time = time.perf_counter() - t
        b, d = statistics.median(base_times), statistics.median(build_times)
        print(f"digest sections: {[s.title for s in digest.sections]} ({lines} lines)")
        print(f"baseline query (count open questions): median {b * 1000:.2f} ms")
        print(f"build weekly digest: median {d * 1000:.1f} ms, max {max(build_times) * 1000:.1f} ms "
              f"over {RUNS} runs ({d / b:.0f}x the baseline)")
        print(f"run_digest (build + queue in one transaction, {outcome.status}): {run_time * 1000:.1f} ms")
        ok = max(build_times) < 2.0 and run_time < 2.0
        print("target < 2 s:", "OK" if ok else "MISSED")
        return 0 if ok else 1
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
