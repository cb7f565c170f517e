"""Mattermost's size limits, counted as the server counts them: in BYTES of UTF-8 (Go's `len`), so "é" is 2.

From `server/public/model/integration_action.go` (dialogs) and `command.go` (slash commands). The wording
of every title and label is written to fit; `fit` is only the safety net (a word boundary, never
mid-word), and `dialog_problems` is what `relais check` and the tests hold dialogs to.
"""

from __future__ import annotations

from typing import Any

DIALOG_TITLE = 24
ELEMENT_DISPLAY_NAME = 24
ELEMENT_NAME = 300
ELEMENT_HELP_TEXT = 150
TEXT_VALUE = 150  # default and placeholder of a text element (and a bool's placeholder)
TEXTAREA_VALUE = 3000
SELECT_VALUE = 3000
COMMAND_DISPLAY_NAME = 64
COMMAND_DESCRIPTION = 128
COMMAND_AUTOCOMPLETE = 1024  # auto_complete_desc / auto_complete_hint: database columns (characters)
FIELD_ERROR = 150  # the webapp shows a field error up to this many characters
TEXT_SUBTYPES = frozenset({"", "text", "email", "number", "tel", "url", "password"})


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit(text: str, limit: int) -> str:
    """`text` within `limit` bytes: whole when it fits, else cut after the last whole word, with "…"."""
    if size(text) <= limit:
        return text
    budget = limit - size("…")
    cut = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    if " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip(" ,;:(-") + "…"


def dialog_problems(dialog: dict[str, Any]) -> list[str]:
    """What `model.Dialog.IsValid` would say of a rendered dialog, in French (empty when valid)."""
    problems: list[str] = []
    title = str(dialog.get("title") or "")
    if not title or size(title) > DIALOG_TITLE:
        problems.append(f"titre « {title} » : {size(title)} octets, {DIALOG_TITLE} au plus")
    seen: set[str] = set()
    for el in dialog.get("elements") or []:
        problems += [f"champ « {el.get('display_name') or el.get('name')} » : {p}" for p in _element_problems(el)]
        if el.get("name") in seen:
            problems.append(f"champ « {el.get('name')} » en double")
        seen.add(str(el.get("name")))
    return problems


def _element_problems(el: dict[str, Any]) -> list[str]:
    out: list[str] = []
    kind = el.get("type")
    checks: list[tuple[str, int]] = [("display_name", ELEMENT_DISPLAY_NAME), ("name", ELEMENT_NAME),
                                     ("help_text", ELEMENT_HELP_TEXT)]
    values = {"text": TEXT_VALUE, "textarea": TEXTAREA_VALUE, "select": SELECT_VALUE}
    if kind in values:
        checks += [("default", values[str(kind)]), ("placeholder", values[str(kind)])]
    elif kind in ("bool", "date", "datetime"):
        checks.append(("placeholder", TEXT_VALUE))
    elif kind != "radio":
        out.append(f"type inconnu {kind!r}")
    for key, limit in checks:
        value = str(el.get(key) or "")
        if key in ("display_name", "name") and not value:
            out.append(f"{key} vide")
        if size(value) > limit:
            out.append(f"{key} de {size(value)} octets, {limit} au plus")
    if kind in ("text", "textarea") and str(el.get("subtype") or "") not in TEXT_SUBTYPES:
        out.append(f"sous-type inconnu {el.get('subtype')!r}")
    min_length, max_length = int(el.get("min_length") or 0), int(el.get("max_length") or 0)
    if min_length < 0 or min_length > max_length:
        out.append(f"longueur minimale {min_length} au-delà de la maximale {max_length}")
    options = [o.get("value") for o in el.get("options") or []]
    if kind in ("select", "radio") and el.get("default") and not el.get("data_source") \
            and any(d not in options for d in (el["default"].split(",") if el.get("multiselect") else [el["default"]])):
        out.append(f"valeur par défaut {el['default']!r} absente des options")
    if kind == "bool" and el.get("default") not in (None, "", "true", "false"):
        out.append("valeur par défaut d’une case à cocher autre que true/false")
    return out
