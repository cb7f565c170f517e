"""Fill a `Dialog` in a terminal, one field at a time, checking what Mattermost's form would check.

Values come back typed as Mattermost submits them: text as strings ("" when left empty), select
and radio as the option value (None when none), bool as a real boolean.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.console.render import Renderer
from bot.core.replies import Dialog, DialogElement
from bot.core.text import fold

ReadLine = Callable[[str], str]
CANCEL_WORDS = ("/annuler", "/quitter")
YES = {"o", "oui", "y", "yes", "vrai", "true", "1"}
NO = {"n", "non", "no", "faux", "false", "0"}
CLEAR = "-"  # empties an optional field shown with a value (Entrée would keep it)


class DialogCancelled(Exception):
    """The user typed /annuler (or input ended) in the middle of a form."""


def _default_value(el: DialogElement) -> Any:
    if el.plain_type == "bool":
        return (el.default or "").lower() == "true"
    if el.plain_type in ("select", "radio"):
        return el.default or None
    return el.default or ""


def _shown(el: DialogElement, value: Any) -> str:
    if el.plain_type == "bool":
        return "oui" if value else "non"
    if el.plain_type in ("select", "radio"):
        return next((o.label for o in el.options if o.value == value), str(value or ""))
    return str(value or "")


def check_value(el: DialogElement, raw: str, current: Any) -> tuple[Any, str | None]:
    """Turn what was typed into a submission value, or say in French what is wrong."""
    raw = raw.strip()
    if raw == CLEAR and el.optional and el.plain_type != "bool":
        return (None if el.plain_type in ("select", "radio") else ""), None
    if not raw:
        value = current
        empty = value in (None, "") and el.plain_type != "bool"
        if empty and not el.optional:
            return None, "ce champ est obligatoire."
        return value, None
    if el.plain_type == "bool":
        word = fold(raw)
        if word in YES:
            return True, None
        if word in NO:
            return False, None
        return None, "répondez oui ou non."
    if el.plain_type in ("select", "radio"):
        if raw.isdigit() and 1 <= int(raw) <= len(el.options):
            return el.options[int(raw) - 1].value, None
        wanted = fold(raw)
        for opt in el.options:
            if wanted in (fold(opt.value), fold(opt.label)):
                return opt.value, None
        # "securite" for "Prévention en sécurité numérique": a word of one option only is enough.
        close = [opt for opt in el.options if wanted in fold(opt.label) or wanted in fold(opt.value)]
        if len(close) == 1:
            return close[0].value, None
        if close:
            names = ", ".join(f"{el.options.index(o) + 1}. {o.label}" for o in close[:5])
            return None, f"plusieurs choix correspondent ({names}) : tapez le numéro."
        return None, f"tapez un numéro entre 1 et {len(el.options)}."
    if el.min_length is not None and len(raw) < el.min_length:
        return None, f"au moins {el.min_length} caractères."
    if el.max_length is not None and len(raw) > el.max_length:
        return None, f"au plus {el.max_length} caractères (vous en avez tapé {len(raw)})."
    if el.subtype == "number":
        try:
            float(raw.replace(",", "."))
        except ValueError:
            return None, "tapez un nombre."
    if el.subtype == "email" and ("@" not in raw or raw.startswith("@") or raw.endswith("@")):
        return None, "tapez une adresse e-mail, par exemple nom@exemple.fr."
    if el.plain_type == "textarea":
        raw = raw.replace("\\n", "\n")
    return raw, None


class DialogFiller:
    """Asks each field; `read_line(prompt)` raises EOFError when input ends (that cancels the form)."""

    def __init__(self, renderer: Renderer, read_line: ReadLine) -> None:
        self.renderer = renderer
        self.read_line = read_line

    def intro(self, dialog: Dialog) -> None:
        self.renderer.message(f"**{dialog.title}**" + (f"\n{dialog.introduction}" if dialog.introduction else ""), [])
        self.renderer.notice("Entrée garde la valeur proposée entre crochets ; - vide un champ facultatif ; "
                             "/annuler abandonne le formulaire.")

    def ask(self, el: DialogElement, current: Any, error: str | None = None) -> Any:
        r = self.renderer
        label = el.label + ("" if not el.optional else " (facultatif)")
        if not r.plain:
            r.blank()  # one block per field: its help and choices read with it, not with the previous one
        if error:
            # Handlers often name the field themselves ("Durée : …"); do not say it twice.
            r.error(error if fold(error).startswith(fold(el.label)) else f"{el.label} : {error}")
        if el.help:
            r.notice(el.help)
        if el.plain_type in ("select", "radio"):
            for i, opt in enumerate(el.options, 1):
                r.notice(f"  {i}. {opt.label}", style="")
        hint = ""
        if el.plain_type == "bool":
            hint = " (oui/non)"
        elif el.placeholder and current in (None, ""):
            example = el.placeholder.lower().startswith(("ex.", "ex :", "par exemple", "exemple"))
            hint = f" ({el.placeholder})" if example else f" (ex. : {el.placeholder})"  # never « ex. : ex. »
        if el.plain_type == "textarea":
            hint += " (\\n pour aller à la ligne)"
        shown = _shown(el, current)
        prompt = f"{label}{hint}" + (f" [{shown}]" if shown else "") + " : "
        while True:
            raw = self.read_line(prompt)
            if raw.strip().lower() in CANCEL_WORDS:
                raise DialogCancelled
            if r.plain:
                r.notice(f"{prompt}{raw}")
            value, problem = check_value(el, raw, current)
            if problem is None:
                return value
            r.error(f"{el.label} : {problem}")

    def fill(
        self, dialog: Dialog, previous: dict[str, Any] | None = None, only: set[str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Ask the fields (`only` those named, when re-asking after errors); returns the whole submission."""
        values = {el.name: _default_value(el) for el in dialog.elements}
        values.update(previous or {})
        if previous is None:
            self.intro(dialog)
        for el in dialog.elements:
            if only is None or el.name in only:
                values[el.name] = self.ask(el, values[el.name], (errors or {}).get(el.name))
        return values
