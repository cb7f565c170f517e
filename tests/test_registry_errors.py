"""A `UserFacingError` raised anywhere in a handler becomes what the counsellor reads, in one place (the registry):
beside its field in a dialog, as the dialog's general error without a field, privately after a command or a click."""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.core.context import Context
from bot.core.errors import InvalidFields, UserFacingError
from bot.core.registry import Command, Registry
from bot.core.replies import Reply
from tests.fakes import Clock, fake_app, fake_platform
from tests.harness import Harness

demo = Command("demo", "Essai")


@demo.default()
async def run(ctx: Context) -> Reply:
    raise UserFacingError("Indiquez un numéro, par exemple `/demo 12`.")


@demo.action("go")
async def go(ctx: Context, data: dict[str, Any]) -> Reply:
    raise UserFacingError("Ce bouton a expiré.")


@demo.dialog("form")
async def submitted(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    raise UserFacingError("Titre trop long (80 caractères au plus).", field=submission.get("which") or None)


@demo.dialog("several")
async def several_wrong(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    raise InvalidFields({"title": "Titre trop court.", "duration": "Durée non comprise."},
                        general=submission.get("general"))


def _demo(tmp_path: Any) -> Harness:
    """The one test harness, on an app whose registry holds only `/demo`."""
    registry = Registry()
    registry.add(demo)
    app = fake_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db"), None, fake_platform(), Clock())  # type: ignore[arg-type]
    app.registry = registry
    return Harness(app)


async def test_each_entry_point_says_the_message_once_in_its_place(tmp_path: Any) -> None:
    alice = _demo(tmp_path)
    said = await alice.command("/demo")
    assert said.text == "Indiquez un numéro, par exemple `/demo 12`." and not said.in_channel
    assert (await alice.click("demo", "go")).text == "Ce bouton a expiré."
    beside = await alice.submit("demo", "form", {"which": "title"})
    assert beside.errors == {"title": "Titre trop long (80 caractères au plus)."} and not beside.text
    general = await alice.submit("demo", "form", {})
    assert general.error == "Titre trop long (80 caractères au plus)." and not general.errors


async def test_several_wrong_fields_are_each_said_beside_their_field(tmp_path: Any) -> None:
    alice = _demo(tmp_path)
    both = await alice.submit("demo", "several", {})
    assert both.errors == {"title": "Titre trop court.", "duration": "Durée non comprise."} and both.error is None
    above = await alice.submit("demo", "several", {"general": "La séance est passée."})
    assert len(above.errors) == 2 and above.error == "La séance est passée."


async def test_a_real_command_raising_it_saves_nothing(db: Any) -> None:
    """/annuaire signaler with a number that names no place: the sentence, privately, and no report written."""
    from sqlalchemy import func, select

    from bot.directory.models import DirectoryReport

    app = fake_app(Settings(database_url=db.url), db, fake_platform(), Clock())
    reply = await Harness(app).command("/annuaire signaler 999999 le numéro a changé")
    assert reply.text.startswith("Aucun lieu n° 999999 dans l’annuaire.") and not reply.in_channel
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DirectoryReport)) == 0
