"""/annonce on both engines with a recording platform: who may broadcast, scheduling through the outbox
(exactly once per channel, retries, report), edit and cancel before departure, read receipts and reminders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.annonces.models import DONE, Acknowledgement, Announcement
from bot.core.context import App
from bot.db import Database
from bot.outbox import OutboxItem, deliver_due
from tests.atelier_annonce_support import make_app
from tests.fakes import fake_platform
from tests.harness import Harness

COORD = {"user_id": "u-coord", "user_name": "coord"}
MSG = "Réunion du réseau jeudi à 14h, salle du conseil. Ordre du jour en pièce jointe."


def _form(**kw: Any) -> dict[str, Any]:
    return {"message": MSG, "canaux": "tous", "quand": "maintenant", "accuse": False, **kw}


async def _announce(app: App, **kw: Any) -> Announcement:
    reply = await Harness(app).submit("annonce", "nouvelle", _form(**kw), **COORD)
    assert not reply.errors and reply.error is None, (reply.errors, reply.error)
    with app.db.session() as s:
        return s.scalars(select(Announcement).order_by(Announcement.id.desc())).first()


def _outbox_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(OutboxItem)) or 0


async def _drain(app: App, rounds: int = 30, minutes: float = 11) -> None:
    """Run the outbox worker, moving the clock past every back-off, until nothing is left to try."""
    for _ in range(rounds):
        await deliver_due(app, "test-worker")
        with app.db.session() as s:
            pending = s.scalar(select(func.count()).select_from(OutboxItem)
                               .where(OutboxItem.status.in_(("pending", "sending")))) or 0
        if not pending:
            return
        app.clock.advance(minutes=minutes)


async def test_non_coordinators_are_refused_and_nothing_is_sent(db: Database) -> None:
    app = make_app(db)
    reply = await Harness(app).command("/annonce", user_id="u-bob", user_name="bob")
    assert reply.dialog is None and "Seuls les coordinateurs" in reply.text and "Rien n’a été envoyé" in reply.text
    for callback in ("nouvelle", "modifier"):
        forged = await Harness(app).submit("annonce", callback, _form(), {"id": 1}, user_id="u-bob", user_name="bob")
        assert forged.error and "Seuls les coordinateurs" in forged.error
    for sub in ("programmees", "suivi", "annuler 1", "modifier 1"):
        refused = await Harness(app).command(f"/annonce {sub}", user_id="u-bob", user_name="bob")
        assert "réservé aux coordinateurs" in refused.text
    for action in ("annuler", "modifier", "relancer"):
        assert "Seuls les coordinateurs" in (await Harness(app, "u-bob", "bob").click("annonce", action, {"a": 1})).text
    await deliver_due(app, "w")
    assert _outbox_count(db) == 0 and app.platform.posts == []
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Announcement)) == 0


async def test_coordinators_from_config_and_mattermost_admins_may_broadcast(db: Database) -> None:
    app = make_app(db)
    reply = await Harness(app).command("/annonce", **COORD)
    assert reply.dialog is not None
    assert [e.name for e in reply.dialog.elements] == ["message", "canaux", "quand", "accuse"]
    assert {e.name: e.default for e in reply.dialog.elements}["canaux"] == "tous"
    app.platform.admins.add("u-admin")
    assert (await Harness(app).command("/annonce", user_id="u-admin", user_name="admin")).dialog is not None


async def test_immediate_broadcast_reaches_every_network_channel_once_then_reports(db: Database) -> None:
    app = make_app(db)
    ann = await _announce(app)
    assert [t["name"] for t in ann.targets] == ["ville-a", "ville-b", "ville-c"]
    await _drain(app)
    await _drain(app)  # running the worker again changes nothing
    for name in ("ville-a", "ville-b", "ville-c"):
        [post] = app.platform.in_channel(name)
        assert MSG in post.message and "@coord" in post.message and post.cards == []
    assert app.platform.in_channel("general") == []
    [report] = app.platform.in_channel("dm-u-coord")
    assert f"annonce n° {ann.id}" in report.message and "3 canaux sur 3" in report.message
    assert report.message.count("✅") == 3
    with db.session() as s:
        assert s.get(Announcement, ann.id).status == DONE


async def test_chosen_channels_across_teams_and_validation_messages(db: Database) -> None:
    app = make_app(db)
    ann = await _announce(app, canaux="~ville-b, autre-equipe/ville-c")
    assert [(t["name"], t["team"]) for t in ann.targets] == [("ville-b", ""), ("ville-c", "autre-equipe")]
    bad = await Harness(app).submit("annonce", "nouvelle", _form(message="", canaux="ville-a, inconnu", quand="demain"),
                                    **COORD)
    assert set(bad.errors) == {"message", "canaux", "quand"}
    assert "~inconnu" in bad.errors["canaux"] and "l’heure" in bad.errors["quand"]
    past = await Harness(app).submit("annonce", "nouvelle", _form(quand="16/11/2026 08:00"), **COORD)
    assert "passée" in past.errors["quand"]
    only_annonces = make_app(db, network_channels=(), channel_annonces="annonces")
    reply = await Harness(only_annonces).submit("annonce", "nouvelle", _form(), **COORD)
    assert "~annonces" in reply.errors["canaux"]  # no network list: the announcements channel (missing here)
    no_network = make_app(db, network_channels=(), channel_annonces="")
    reply = await Harness(no_network).submit("annonce", "nouvelle", _form(), **COORD)
    assert "Aucun canal réseau" in reply.errors["canaux"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Announcement)) == 1


async def test_scheduled_broadcast_with_one_channel_failing_for_a_while(db: Database) -> None:
    platform = fake_platform()
    app = make_app(db, platform)
    reply = await Harness(app).submit("annonce", "nouvelle", _form(quand="demain 9h"), **COORD)
    assert "programmée pour mardi 17/11/2026 à 09:00" in reply.text
    await deliver_due(app, "w")
    assert platform.posts == []  # not before its time
    app.clock.advance(hours=24)  # Tuesday 09:00 Paris
    platform.fail_next(4, channel="ville-b")  # Mattermost refuses this channel four times
    await deliver_due(app, "w")
    assert len(platform.in_channel("ville-a")) == 1 and len(platform.in_channel("ville-c")) == 1
    assert platform.in_channel("ville-b") == [] and platform.in_channel("dm-u-coord") == []
    await _drain(app)
    assert platform.refused == ["ville-b"] * 4
    for name in ("ville-a", "ville-b", "ville-c"):
        assert len(platform.in_channel(name)) == 1  # exactly once each
    [report] = platform.in_channel("dm-u-coord")
    assert "3 canaux sur 3" in report.message
    line_b = next(line for line in report.message.splitlines() if "~ville-b" in line)
    assert "après 5 essais" in line_b


async def test_a_channel_that_never_comes_back_is_reported_failed(db: Database) -> None:
    app = make_app(db)
    app.platform.fail_next(10_000, channel="ville-c")
    await _announce(app)
    await _drain(app, rounds=200, minutes=30)
    [report] = app.platform.in_channel("dm-u-coord")
    assert "2 canaux sur 3" in report.message
    assert "❌ ~ville-c : échec" in report.message


async def test_scheduled_announcements_can_be_listed_edited_and_cancelled(db: Database) -> None:
    app = make_app(db)
    ann = await _announce(app, quand="jeudi 10h")
    listed = await Harness(app).command("/annonce programmees", **COORD)
    assert f"Annonce n° {ann.id}" in listed.cards[0].title and "jeudi 19/11/2026 à 10:00" in listed.cards[0].title
    assert [b.action for b in listed.cards[0].buttons] == ["modifier", "annuler"]
    opened = await Harness(app).click("annonce", "modifier", {"a": ann.id}, **COORD)
    defaults = {e.name: e.default for e in opened.dialog.elements}
    assert defaults["quand"] == "19/11/2026 10:00" and defaults["canaux"] == "ville-a, ville-b, ville-c"
    edited = await Harness(app).submit("annonce", "modifier", _form(message="Réunion reportée à vendredi.",
                                                                    canaux="ville-a, ville-c", quand=defaults["quand"],
                                                                    accuse=True),
                                       {"id": ann.id}, **COORD)
    assert not edited.errors and edited.error is None, (edited.errors, edited.error)
    app.clock.advance(days=4)
    await _drain(app)
    assert app.platform.in_channel("ville-b") == []
    for name in ("ville-a", "ville-c"):
        [post] = app.platform.in_channel(name)
        assert "reportée à vendredi" in post.message and post.cards[0].buttons[0].label == "Lu ✅"
    # Cancelled before departure: nothing goes anywhere.
    other = await _announce(app, quand="demain 9h")
    cancelled = await Harness(app).command(f"/annonce annuler {other.id}", **COORD)
    assert "annulée" in cancelled.text
    # Each state has one true sentence, whatever the command that asks.
    again = await Harness(app).command(f"/annonce annuler {other.id}", **COORD)
    assert "déjà annulée" in again.text and "Trop tard" not in again.text
    follow = await Harness(app).command(f"/annonce suivi {other.id}", **COORD)
    assert "annulée avant son envoi" in follow.text and "pas encore publiée" not in follow.text
    app.clock.advance(days=2)
    before = len(app.platform.posts)
    await _drain(app)
    assert len(app.platform.posts) == before
    assert "Aucune annonce programmée" in (await Harness(app).command("/annonce programmees", **COORD)).text


async def test_too_late_to_edit_or_cancel_once_sent(db: Database) -> None:
    app = make_app(db)
    ann = await _announce(app)
    await _drain(app)
    reply = await Harness(app).command(f"/annonce annuler {ann.id}", **COORD)
    assert "Trop tard" in reply.text
    edit = await Harness(app).submit("annonce", "modifier", _form(message="Autre texte"), {"id": ann.id}, **COORD)
    assert edit.error and "Trop tard" in edit.error
    with db.session() as s:
        assert s.get(Announcement, ann.id).message == MSG


async def test_read_receipts_follow_up_and_reminder(db: Database) -> None:
    app = make_app(db)
    p = app.platform
    p.add_user("u-coord", "coord", "ville-a", "ville-b")
    p.add_user("bot", "relais", "ville-a", "ville-b")
    p.add_user("u-ana", "ana", "ville-a")
    p.add_user("u-bea", "bea", "ville-a", "ville-b")
    p.add_user("u-cyr", "cyr", "ville-b")
    p.add_user("u-dom", "dom", "ville-b")
    ann = await _announce(app, canaux="ville-a, ville-b", accuse=True)
    await _drain(app)
    post_a = p.in_channel("ville-a")[0]
    button = post_a.cards[0].buttons[0]
    assert (button.label, button.action, button.data) == ("Lu ✅", "lu", {"a": ann.id})
    ana = Harness(app, "u-ana", "ana", "ville-a")
    first = await ana.click("annonce", "lu", button.data, post_id=post_a.id)
    again = await ana.click("annonce", "lu", button.data, post_id=post_a.id)
    assert "noté" in first.text and "déjà" in again.text
    await Harness(app).click("annonce", "lu", button.data, user_id="u-cyr", user_name="cyr", channel="ville-b")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Acknowledgement)) == 2
    report = await Harness(app).command(f"/annonce suivi {ann.id}", **COORD)
    assert "lue par 2 personnes : @ana, @cyr" in report.text
    line_a = next(line for line in report.text.splitlines() if "~ville-a" in line)
    line_b = next(line for line in report.text.splitlines() if "~ville-b" in line)
    assert "1/2" in line_a and "@bea" in line_a and "@relais" not in line_a and "@coord" not in line_a
    assert "1/3" in line_b and "@bea" in line_b and "@dom" in line_b
    [remind_button] = report.cards[0].buttons
    assert remind_button.label == "Relancer ces 2 personnes"
    sent = await Harness(app).click("annonce", "relancer", remind_button.data, **COORD)
    assert "2 personnes dans 2 canaux" in sent.text
    await _drain(app)
    [reminder_a] = [x for x in p.in_channel("ville-a") if x.root_id == post_a.id]
    assert "@bea" in reminder_a.message and "@ana" not in reminder_a.message
    [reminder_b] = [x for x in p.in_channel("ville-b") if x.root_id]
    assert "@bea" in reminder_b.message and "@dom" in reminder_b.message and "@cyr" not in reminder_b.message
    listing = await Harness(app).command("/annonce suivi", **COORD)
    assert f"n° {ann.id}" in listing.text and "lue par 2" in listing.text


async def test_receipt_on_an_announcement_without_acknowledgement_is_ignored(db: Database) -> None:
    app = make_app(db)
    ann = await _announce(app)
    reply = await Harness(app).click("annonce", "lu", {"a": ann.id}, user_id="u-ana", user_name="ana")
    assert reply.text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Acknowledgement)) == 0
    follow = await Harness(app).command(f"/annonce suivi {ann.id}", **COORD)
    assert "ne demandait pas" in follow.text
