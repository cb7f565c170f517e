"""Every dialog Relais opens fits Mattermost's limits as the server counts them (bytes of UTF-8), with wording
written to fit: the safety net in `render` (cut at a word, "…") must never be what a counsellor reads."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.config import load_settings
from bot.core.context import App, Context
from bot.core.replies import Dialog, Reply
from bot.mattermost import limits, render
from bot.mattermost.render import Signer


def _ctx() -> Context:
    settings = load_settings(env={"RELAIS_CONFIG": "config/relais.example.toml"}, dotenv=False)
    return Context(app=App(settings, None, None, None), user_id="u", user_name="claire",  # type: ignore[arg-type]
                   channel_id="c")


def every_dialog() -> list[tuple[str, Dialog]]:
    from bot.accompagnements import form
    from bot.handlers.annonce import announcement_dialog
    from bot.handlers.annuaire import place_dialog
    from bot.handlers.atelier import idea_dialog

    today = date(2026, 12, 2)
    out = [(f"accompagnement {kind}", form.build(kind, {}, today)) for kind in ("individuel", "collectif")]
    out += [(f"accompagnement {kind} modifié", form.build(kind, {}, today, title=title))
            for kind in ("individuel", "collectif") for title in _edit_titles()]
    out += [("annuaire ajouter", place_dialog(None))]
    out += [("atelier partager", idea_dialog("partager", "Partager une idée")),
            ("atelier modifier", idea_dialog("modifier", _atelier_edit_title(99999)))]
    ctx = _ctx()
    out += [("annonce", announcement_dialog(ctx, "nouvelle", "Nouvelle annonce")),
            ("annonce modifier", announcement_dialog(ctx, "modifier", _annonce_edit_title(99999)))]
    return out


def _edit_titles() -> list[str]:
    """The titles the handlers pass to `form.build` (read from the source, so a new one is checked too)."""
    import ast
    import inspect

    from bot.handlers import accompagnement

    tree = ast.parse(inspect.getsource(accompagnement))
    return [kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "title" and isinstance(kw.value, ast.Constant)
            and getattr(node.func, "attr", "") == "build"]


def _atelier_edit_title(number: int) -> str:
    from bot.handlers import atelier

    return getattr(atelier, "edit_title", lambda n: f"Modifier l’idée n°{n}")(number)


def _annonce_edit_title(number: int) -> str:
    from bot.handlers import annonce

    return getattr(annonce, "edit_title", lambda n: f"Modifier l’annonce n°{n}")(number)


def _render(d: Dialog) -> dict[str, Any]:
    return render.dialog(d, signer=Signer("http://relais", "s" * 32), command="x", viewer="u", channel_id="c")


@pytest.mark.parametrize(("name", "d"), every_dialog(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_dialog_fits_without_being_cut(name: str, d: Dialog) -> None:
    assert limits.size(d.title) <= limits.DIALOG_TITLE, f"{name}: title {d.title!r} is {limits.size(d.title)} bytes"
    for el in d.elements:
        assert limits.size(el.label) <= limits.ELEMENT_DISPLAY_NAME, f"{name}: label {el.label!r}"
        assert limits.size(el.help or "") <= limits.ELEMENT_HELP_TEXT, f"{name}: help of {el.name}"
    assert limits.dialog_problems(_render(d)) == []


def test_fit_counts_bytes_and_cuts_at_a_word() -> None:
    assert limits.fit("Accompagnement individuel", 24) == "Accompagnement…"
    assert limits.size(limits.fit("Déjà accompagnée par vous", 24)) <= 24
    assert limits.fit("Déjà accompagnée par vous", 24) == "Déjà accompagnée…"
    assert limits.fit("Court", 24) == "Court"


def test_problems_counted_in_bytes_like_the_server() -> None:
    """24 characters but 27 bytes: the real server logs 'DisplayName cannot be longer than 24 characters, got 27'."""
    label = "Déjà accompagnée par vou"
    assert len(label) == 24 and limits.size(label) == 27
    problems = limits.dialog_problems({"title": "Ok", "elements": [
        {"display_name": label, "name": "d", "type": "bool"}]})
    assert problems == ["champ « Déjà accompagnée par vou » : display_name de 27 octets, 24 au plus"]


def test_a_long_field_error_keeps_its_advice_and_moves_the_rest_to_the_general_error() -> None:
    from bot.accompagnements.anonymity import personal_data_message

    message = personal_data_message("Notes", "née le 12/03/1950, à rappeler", today=date(2026, 12, 2))
    assert message is not None and len(message) > limits.FIELD_ERROR
    body = render.dialog_response(Reply(errors={"notes": message}))
    shown = body["errors"]["notes"]
    assert len(shown) <= limits.FIELD_ERROR and "Écrivez plutôt la tranche d’âge" in shown
    assert shown.startswith("Ce texte semble contenir une date de naissance")
    assert "RGPD" in body["error"] and "Rien n’a été enregistré" in body["error"]


def test_a_short_field_error_is_kept_whole_without_its_label() -> None:
    body = render.dialog_response(Reply(errors={"date": "Date : pas de date future."}))
    assert body == {"errors": {"date": "Pas de date future."}}


def _accompaniment_elements(version: tuple[int, int]) -> dict[str, dict[str, Any]]:
    from bot.accompagnements import form

    d = form.build("individuel", {"thematiques": ["email", "bureautique", "navigation_sur_internet"]},
                   date(2026, 12, 2))
    body = render.dialog(d, signer=Signer("http://relais", "s" * 32), command="accompagnement", viewer="u",
                         channel_id="c", can=render.features(version))
    return {el["name"]: el for el in body["elements"]}


def test_pickers_and_multi_select_only_where_the_server_has_them() -> None:
    old = _accompaniment_elements((10, 7))
    assert old["date"]["type"] == "text" and old["date"]["default"] == "02/12/2026"
    assert old["thematiques_plus"]["type"] == "text" and "options" not in old["thematiques_plus"]
    assert old["thematiques_plus"]["default"] == "Bureautique, Navigation sur internet"  # typed, as before
    multi = _accompaniment_elements((11, 0))
    assert multi["date"]["type"] == "text"
    assert multi["thematiques_plus"]["type"] == "select" and multi["thematiques_plus"]["multiselect"] is True
    assert multi["thematiques_plus"]["default"] == "bureautique,navigation_sur_internet"
    new = _accompaniment_elements((11, 1))
    assert new["date"] == {**new["date"], "type": "date", "default": "2026-12-02"}
    for version in ((10, 7), (11, 0), (11, 1)):
        body = {"title": "Nouvel accompagnement", "elements": list(_accompaniment_elements(version).values())}
        assert limits.dialog_problems(body) == [], version


def test_what_the_pickers_submit_is_read_like_what_is_typed() -> None:
    from bot.accompagnements import form

    values, errors = form.submission_values("individuel", {
        "date": "2026-11-30", "duree": "45", "lieu_type": "lieu_activite", "thematique": "email",
        "thematiques_plus": "bureautique, navigation_sur_internet"})  # a multi-select's list, joined by the transport
    assert not errors
    assert values["thematiques"] == ["email", "bureautique", "navigation_sur_internet"]
    assert str(values["date"]) in ("2026-11-30", "30/11/2026")


def test_features_follow_the_server_version() -> None:
    assert render.features((10, 7)) == frozenset()
    assert render.features((11, 0)) == {"multiselect"}
    assert render.features((11, 1)) == {"multiselect", "date"} == render.features((12, 0))


def test_announcement_time_is_a_picker_on_11_1_and_iso_is_understood() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.annonces.when import parse_when
    from bot.handlers.annonce import announcement_dialog

    d = announcement_dialog(_ctx(), "nouvelle", "Nouvelle annonce")
    signer = Signer("http://relais", "s" * 32)
    for version, kind in (((10, 7), "text"), ((11, 1), "datetime")):
        body = render.dialog(d, signer=signer, command="annonce", viewer="u", channel_id="c",
                             can=render.features(version))
        quand = next(el for el in body["elements"] if el["name"] == "quand")
        assert quand["type"] == kind and quand["optional"] is True and "default" not in quand  # empty: now
    paris, now = ZoneInfo("Europe/Paris"), datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    assert parse_when("2026-12-25T08:00:00Z", now, paris).at == datetime(2026, 12, 25, 8, 0, tzinfo=UTC)
    assert parse_when("", now, paris).immediate


def test_workshop_themes_several_on_11_0_one_from_the_list_before() -> None:
    from bot.ateliers.service import validate_idea
    from bot.handlers.atelier import idea_dialog

    d = idea_dialog("modifier", "Idée n° 3", {"thematique": "email", "thematique_2": "bureautique, reseaux_sociaux"})
    signer = Signer("http://relais", "s" * 32)

    def extra(version: tuple[int, int]) -> dict[str, Any]:
        body = render.dialog(d, signer=signer, command="atelier", viewer="u", channel_id="c",
                             can=render.features(version))
        assert limits.dialog_problems(body) == [], version
        return next(el for el in body["elements"] if el["name"] == "thematique_2")

    assert extra((10, 7))["type"] == "select" and "multiselect" not in extra((10, 7))
    assert extra((10, 7))["default"] == "bureautique"  # one choice, from the list, as before
    assert extra((11, 0))["multiselect"] is True and extra((11, 0))["default"] == "bureautique,reseaux_sociaux"
    fields = validate_idea({"title": "Escape game", "summary": "On joue pour apprendre les arnaques.",
                            "publics": "seniors", "thematique": "email",
                            "thematique_2": "bureautique, reseaux_sociaux"})  # raises InvalidFields otherwise
    assert fields["thematiques"] == ["email", "bureautique", "reseaux_sociaux"]
