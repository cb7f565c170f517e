"""/entraide and the directory: matching places under a question, directory changes in the digest."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database, utcnow
from bot.digest import DigestPeriod
from bot.directory.bundled import load_bundled_directory
from bot.directory.digest import directory_section
from bot.directory.models import DirectoryReport
from tests.entraide_support import make_app
from tests.fakes import Clock
from tests.harness import Harness


async def test_places_suggested_only_when_a_place_and_a_need_are_named(db: Database) -> None:
    load_bundled_directory(db)
    app = make_app(db, clock=Clock(utcnow()))
    await Harness(app).command("/entraide Comment aider quelqu'un avec la CAF à Grenoble ?")
    root = app.platform.in_channel("entraide", roots_only=True)[-1]
    [tip] = [p for p in app.platform.thread(root.id) if "Ceci pourrait" in p.message]
    assert "**Dans l’annuaire**" in tip.message and "Grenoble" in tip.message
    await Harness(app).command("/entraide Comment imprimer depuis un smartphone sans ordinateur ?")
    root = app.platform.in_channel("entraide", roots_only=True)[-1]
    assert not [p for p in app.platform.thread(root.id) if "Dans l’annuaire" in p.message]


def test_directory_changes_and_reports_in_the_digest(db: Database) -> None:
    load_bundled_directory(db)
    now = utcnow()
    with db.session() as s:
        s.add(DirectoryReport(place_ref=None, reporter_id="u1", reporter_name="bob", message="fermé le lundi",
                              created_at=now))
    period = DigestPeriod(now - timedelta(days=1), now + timedelta(minutes=1), make_app(db).settings.tz,
                          lambda pid: pid)
    with db.session() as s:
        section = directory_section(s, period)
    assert section is not None and section.title == "Annuaire"
    assert "lieux ajoutés" in section.lines[0]
    assert "1 signalement" in section.lines[-1] and "bob" not in "".join(section.lines)
    later = DigestPeriod(now + timedelta(days=6), now + timedelta(days=7), period.tz, lambda pid: pid)
    with db.session() as s:
        assert directory_section(s, later) is None
