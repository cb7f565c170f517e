"""The console session end to end in process: a small command with buttons, a form, a file and channel posts.

The command below is a test double of a feature handler; what is under test is the console around it
(numbered buttons reach the right action, forms are re-asked on errors, files land on disk, posts and
thread replies reach the listeners with the Mattermost event shape).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.console.platform import console_platform
from bot.console.session import ConsoleSession
from bot.core.context import App, Context
from bot.core.registry import Command, Registry
from bot.core.replies import Button, Card, Dialog, DialogElement, FileUpload, Reply
from bot.db import Database
from tests.console_support import scripted_session

demo = Command("demo", "Commande de test")
seen: dict[str, Any] = {}


@demo.default(help="montre deux boutons")
async def show(ctx: Context) -> Reply:
    seen["coordinator"] = await ctx.is_coordinator()
    return Reply.private("Choisissez :", cards=[Card(title="Lieu", buttons=[
        Button("Fiche", "details", {"id": 7}), Button("Partager", "share", {"id": 7})])])


@demo.action("details")
async def details(ctx: Context, data: dict[str, Any]) -> Reply:
    return Reply(text=f"Fiche du lieu {data['id']}", update=True)


@demo.action("share")
async def share(ctx: Context, data: dict[str, Any]) -> Reply:
    return Reply.public(f"Lieu {data['id']} partagé par @{ctx.user_name}",
                        cards=[Card(title="Lieu", buttons=[Button("Fiche", "details", {"id": data["id"]})])])


@demo.sub("form", "ouvre un formulaire")
async def form(ctx: Context) -> Reply:
    return Reply(dialog=Dialog("save", "Nouveau lieu", [DialogElement("nom", "Nom"), DialogElement("ville", "Ville")],
                               state={"step": 1}))


@demo.dialog("save")
async def save(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    seen.setdefault("submissions", []).append((dict(submission), dict(state)))
    if submission["ville"].lower() == "nulle part":
        return Reply(errors={"ville": "commune inconnue"})
    if submission["nom"] == "?":  # the cause lies in a field that is not the one flagged
        return Reply(errors={"ville": "Ville : précisez d'abord le nom"})
    return Reply.private(f"Enregistré : {submission['nom']} à {submission['ville']}")


@demo.sub("export", "envoie un fichier")
async def export(ctx: Context) -> Reply:
    return Reply.private("Voici le fichier.", files=[FileUpload("bilan.csv", b"a;b\n1;2\n", "text/csv")])


@demo.on("posted")
async def on_posted(app: App, event: dict[str, Any]) -> None:
    seen.setdefault("posted", []).append(event)


@demo.on("reaction_added")
async def on_reaction(app: App, event: dict[str, Any]) -> None:
    seen.setdefault("reactions", []).append(event)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[tuple[ConsoleSession, io.StringIO]]:
    seen.clear()
    registry = Registry()
    registry.add(demo)
    settings = load_settings(env={"RELAIS_DATABASE_URL": "sqlite://"}, dotenv=False)
    db = Database(settings.database_url)
    platform = console_platform(settings, "camille")
    s, answers, out = scripted_session(App(settings, db, platform, registry), platform, tmp_path / "fichiers",
                                       "entraide")
    s.answers = answers  # type: ignore[attr-defined]
    yield s, out
    db.dispose()


async def test_buttons_are_clicked_by_number(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    await s.handle_line("/demo")
    assert seen["coordinator"] is True  # the console user can try coordinator commands
    assert "[1] Fiche   [2] Partager" in out.getvalue()
    await s.handle_line("9")
    assert "Pas de bouton n° 9. Boutons disponibles : 1, 2." in out.getvalue()
    await s.handle_line("1")
    assert "Message mis à jour" in out.getvalue()
    assert "Fiche du lieu 7" in out.getvalue()
    await s.handle_line("2")  # the replaced message has no buttons any more
    assert "Aucun bouton à cliquer" in out.getvalue()


async def test_in_channel_reply_is_posted_and_numbered(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    await s.handle_line("/demo")
    await s.handle_line("2")
    post = s.platform.by_number[1]
    assert post.message == "Lieu 7 partagé par @camille"
    assert post.channel_id == s.platform.channels["entraide"].id
    assert "Message n° 1 publié par @relais dans ~entraide" in out.getvalue()
    assert s.platform.permalink(post.id) == "console://entraide/1"
    # The shared card's button is numbered after the ones still shown, which stay clickable.
    assert "[3] Fiche" in out.getvalue()
    assert [c.number for c in s.choices] == [1, 2, 3]
    await s.handle_line("3")
    assert post.message == "Fiche du lieu 7"
    assert "Message n° 1 modifié" in out.getvalue()
    # A new command starts again at 1.
    await s.handle_line("/demo")
    assert [c.number for c in s.choices] == [1, 2]


async def test_form_errors_reask_the_field(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    s.answers += ["Médiathèque", "nulle part", "Manosque"]  # type: ignore[attr-defined]
    await s.handle_line("/demo form")
    assert seen["submissions"] == [
        ({"nom": "Médiathèque", "ville": "nulle part"}, {"step": 1}),
        ({"nom": "Médiathèque", "ville": "Manosque"}, {"step": 1}),
    ]
    assert "Ville : commune inconnue" in out.getvalue()
    assert "Enregistré : Médiathèque à Manosque" in out.getvalue()


async def test_same_errors_twice_reask_the_whole_form(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    s.answers += ["?", "Digne", "", "Médiathèque", ""]  # type: ignore[attr-defined]
    await s.handle_line("/demo form")
    assert [sub for sub, _ in seen["submissions"]] == [
        {"nom": "?", "ville": "Digne"}, {"nom": "?", "ville": "Digne"}, {"nom": "Médiathèque", "ville": "Digne"}]
    assert "Revoyons tout le formulaire" in out.getvalue()
    assert "Ville : Ville :" not in out.getvalue()
    assert "Enregistré : Médiathèque à Digne" in out.getvalue()


async def test_form_cancelled_sends_nothing(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    s.answers += ["Médiathèque", "/annuler"]  # type: ignore[attr-defined]
    await s.handle_line("/demo form")
    assert "submissions" not in seen
    assert "Formulaire annulé" in out.getvalue()


async def test_files_are_written_to_the_folder(session: tuple[ConsoleSession, io.StringIO], tmp_path: Path) -> None:
    s, out = session
    await s.handle_line("/demo export")
    await s.handle_line("/demo export")
    assert (tmp_path / "fichiers" / "bilan.csv").read_bytes() == b"a;b\n1;2\n"
    assert (tmp_path / "fichiers" / "bilan-2.csv").is_file()  # never overwrites an earlier file
    assert str((tmp_path / "fichiers" / "bilan.csv").resolve()) in out.getvalue()
    # The name told is the name saved.
    assert "Fichier « bilan-2.csv » enregistré" in out.getvalue()
    assert str((tmp_path / "fichiers" / "bilan-2.csv").resolve()) in out.getvalue()


async def test_messages_threads_and_reactions_reach_listeners(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, out = session
    await s.handle_line("Qui connaît la CAF de Manosque ?")
    await s.handle_line("/canal annonces")
    await s.handle_line("/repondre 1 Oui, place de la mairie")
    await s.handle_line("/reagir 1 white_check_mark")
    first, reply = seen["posted"]  # typed events, the same the Mattermost transport decodes
    assert first.kind == "posted" and first.channel_name == "entraide" and first.created is not None
    assert first.root_id == "" and first.user_id == s.platform.me.id
    assert first.sender_name == s.platform.me.username and first.message == "Qui connaît la CAF de Manosque ?"
    assert reply.root_id == first.id and reply.message == "Oui, place de la mairie"
    assert reply.channel_id == first.channel_id  # the thread's channel, not the current one
    assert reply.channel_name == "entraide"
    [reaction] = seen["reactions"]
    assert (reaction.kind, reaction.post_id, reaction.emoji, reaction.user_id) == (
        "reaction_added", first.id, "white_check_mark", s.platform.me.id)
    # Inside a thread, a slash command carries the thread root, as in Mattermost.
    await s.handle_line("/fil 2")
    assert s.context("demo").root_id == first.id
    await s.handle_line("/fil")
    assert s.context("demo").root_id == ""


async def test_channels_from_settings_exist(session: tuple[ConsoleSession, io.StringIO]) -> None:
    s, _ = session
    for name in ("entraide", "ateliers", "annonces", "town-square"):
        assert await s.platform.channel_by_name(name) is not None
    await s.handle_line("/canal annonces")
    assert s.context("demo").channel_name == "annonces"
