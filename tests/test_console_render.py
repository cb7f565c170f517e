"""The console's renderer and form filler, driven with an in-memory terminal and a fake keyboard."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from bot.console.dialogs import DialogCancelled, DialogFiller, check_value
from bot.console.render import Renderer, hard_breaks
from bot.core.replies import Button, Card, Dialog, DialogElement, Field, Option


def plain_renderer() -> tuple[Renderer, io.StringIO]:
    out = io.StringIO()
    return Renderer(Console(file=out, color_system=None, force_terminal=False), plain=True), out


def rich_renderer() -> tuple[Renderer, Console]:
    console = Console(record=True, width=70, force_terminal=True, color_system="truecolor")
    return Renderer(console, plain=False), console


def keyboard(*lines: str) -> tuple[Callable[[str], str], list[str]]:
    """A fake `read_line`: answers in order, records the prompts, ends like a closed stdin."""
    answers = list(lines)
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        if not answers:
            raise EOFError
        return answers.pop(0)

    return read, prompts


CARDS = [
    Card(title="France services Manosque", text="Place de l'Hôtel de ville", fields=[Field("Tél.", "04 92 00 00 00")],
         buttons=[Button("Fiche", "details", {"id": 1}), Button("Partager", "share", {"id": 1}, style="primary")]),
    Card(title="CAF Digne", buttons=[Button("Fiche", "details", {"id": 2}, command="autre")]),
]


def test_buttons_are_numbered_across_cards_in_plain_mode() -> None:
    renderer, out = plain_renderer()
    choices = renderer.message("Trois lieux trouvés :", CARDS, post_id="p1", command="annuaire")
    assert [(c.number, c.button.label, c.button.data) for c in choices] == [
        (1, "Fiche", {"id": 1}), (2, "Partager", {"id": 1}), (3, "Fiche", {"id": 2})]
    assert [c.command for c in choices] == ["annuaire", "annuaire", "autre"]
    assert all(c.post_id == "p1" for c in choices)
    text = out.getvalue()
    assert "== France services Manosque ==" in text
    assert "Tél. : 04 92 00 00 00" in text
    assert "[1] Fiche   [2] Partager" in text
    assert "[3] Fiche" in text
    assert "\x1b[" not in text


def test_rich_mode_draws_cards_as_panels_with_numbered_buttons() -> None:
    renderer, console = rich_renderer()
    choices = renderer.message("**Trois** lieux", CARDS, first_number=4)
    assert [c.number for c in choices] == [4, 5, 6]
    text = console.export_text()
    assert "France services Manosque" in text
    assert "╭" in text  # a panel border
    assert "[4] Fiche" in text and "[5] Partager" in text and "[6] Fiche" in text
    assert "**" not in text  # Markdown rendered, not shown raw


def test_newlines_stay_line_breaks_like_in_mattermost() -> None:
    renderer, console = rich_renderer()
    renderer.message("première ligne\ndeuxième ligne", [])
    lines = [line.strip() for line in console.export_text().splitlines()]
    assert "première ligne" in lines and "deuxième ligne" in lines
    assert hard_breaks("```\ncode\n```") == "```\ncode\n```"


FORM = Dialog(
    callback="add", title="Ajouter un lieu",
    elements=[
        DialogElement("nom", "Nom du lieu", min_length=3),
        DialogElement("type", "Type", type="select",
                      options=[Option("caf", "CAF"), Option("fs", "France services")], default="fs"),
        DialogElement("age", "Âge", subtype="number", optional=True),
        DialogElement("gratuit", "Gratuit", type="bool", default="true"),
        DialogElement("note", "Remarque", type="textarea", optional=True, default="rien"),
    ],
)


def test_dialog_is_asked_field_by_field_with_defaults_and_checks() -> None:
    renderer, out = plain_renderer()
    read, prompts = keyboard("ab", "Maison France services", "7", "2", "douze", "", "peut-être", "non", "")
    values = DialogFiller(renderer, read).fill(FORM)
    assert values == {"nom": "Maison France services", "type": "fs", "age": "", "gratuit": False, "note": "rien"}
    # Too short and out-of-range answers were asked again, with the reason.
    text = out.getvalue()
    assert "Nom du lieu : au moins 3 caractères." in text
    assert "Type : tapez un numéro entre 1 et 2." in text
    assert "Âge : tapez un nombre." in text
    assert "Gratuit : répondez oui ou non." in text
    # Options are listed, and defaults are shown in brackets.
    assert "1. CAF" in text and "2. France services" in text
    assert any(p.startswith("Type [France services]") for p in prompts)
    assert any(p.startswith("Âge (facultatif)") for p in prompts)
    assert any("Remarque (facultatif)" in p and "[rien]" in p for p in prompts)


def test_dialog_reasks_only_the_fields_in_error_keeping_the_others() -> None:
    renderer, out = plain_renderer()
    previous = {"nom": "CAF de Digne", "type": "caf", "age": "", "gratuit": True, "note": ""}
    read, prompts = keyboard("CAF des Alpes")
    values = DialogFiller(renderer, read).fill(FORM, previous, {"nom"}, {"nom": "ce lieu existe déjà"})
    assert values == {**previous, "nom": "CAF des Alpes"}
    assert len(prompts) == 1 and "[CAF de Digne]" in prompts[0]
    assert "Nom du lieu : ce lieu existe déjà" in out.getvalue()


def test_dialog_select_accepts_a_label_without_accents_or_case() -> None:
    el = FORM.elements[1]
    assert check_value(el, "france SERVICES", None) == ("fs", None)
    assert check_value(el, "caf", None) == ("caf", None)
    assert check_value(el, "servi", None) == ("fs", None)  # a piece of one label is enough
    two = DialogElement("t", "Thème", type="radio", options=[Option("a", "Sécurité"), Option("b", "Sécurité sociale")])
    assert check_value(two, "securite sociale", None) == ("b", None)
    value, problem = check_value(two, "secu", None)
    assert value is None
    assert problem == "plusieurs choix correspondent (1. Sécurité, 2. Sécurité sociale) : tapez le numéro."
    assert check_value(DialogElement("x", "X"), "", None) == (None, "ce champ est obligatoire.")


def test_dialog_can_be_cancelled() -> None:
    renderer, _ = plain_renderer()
    read, _ = keyboard("Un nom", "/annuler")
    with pytest.raises(DialogCancelled):
        DialogFiller(renderer, read).fill(FORM)


def test_a_card_of_buttons_only_is_drawn_without_a_frame() -> None:
    renderer, console = rich_renderer()
    renderer.message("", [Card(buttons=[Button("Voir plus", "more")])])
    text = console.export_text()
    assert "[1] Voir plus" in text and "╭" not in text
