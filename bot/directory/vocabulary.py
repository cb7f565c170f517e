"""Services and publics typed in everyday words, stored in the national vocabulary.

A coordinator types "accès internet", "acces internet", "démarches", "seniors, personnes sourdes"; the place
stores "Accès internet et matériel informatique", "Aide aux démarches administratives", "Seniors", "Surdité".
Accepted: the official values, the search filters' names and words (`filters.toml`, the words counsellors
search with), and close typos of those (rapidfuzz, one or two letters off). An item that matches nothing, or
two different things equally, is an error naming the closest values, so the person can fix that item only.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from bot.core.text import fold
from bot.directory.query import FILTERS_FILE
from bot.directory.schema import VOCABULARIES

MIN_SCORE = 88  # a typo or two in a short phrase ("acces internt"), not another word


@dataclass(frozen=True)
class Term:
    field: str
    values: tuple[str, ...]
    label: str  # what the error message proposes


@cache
def _tables(fields: tuple[str, ...]) -> tuple[dict[str, Term], dict[str, Term]]:
    """(official values, everyday words), each keyed by the folded phrase, for the given schema fields."""
    official = {_key(value): Term(name, (value,), value) for name in fields for value in VOCABULARIES[name]}
    everyday: dict[str, Term] = {}
    data = tomllib.loads(FILTERS_FILE.read_text(encoding="utf-8"))
    for item in data.get("filtre", []):
        if str(item["champ"]) in fields:
            term = Term(str(item["champ"]), tuple(item.get("valeurs", ())), str(item["nom"]))
            for word in [item["nom"], *item.get("mots", [])]:
                everyday.setdefault(_key(str(word)), term)
    return official, everyday


_LEADING = {"personnes", "personne", "public", "publics", "les", "des", "pour", "accueil"}


def _key(text: str) -> str:
    """Folded words; "personnes sourdes", "public seniors" are read as "sourdes", "seniors"."""
    words = re.sub(r"[^a-z0-9/]+", " ", fold(text)).split()
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


def _close(key: str, table: dict[str, Term], min_score: float) -> Term | None:
    """The one meaning within a typo or two of `key`; None when none is, or two different ones are as close."""
    best = process.extract(key, table.keys(), scorer=fuzz.ratio, limit=3)
    if not best or best[0][1] < min_score:
        return None
    rivals = {table[k].values for k, score, _ in best if score >= best[0][1] - 1}
    return table[best[0][0]] if len(rivals) == 1 else None


def _lookup(key: str, official: dict[str, Term], everyday: dict[str, Term]) -> Term | None:
    """Official spelling first (exact, then a typo away), then the everyday words (exact, then a typo away)."""
    return official.get(key) or _close(key, official, 92) or everyday.get(key) or _close(key, everyday, MIN_SCORE)


def parse_terms(text: str, fields: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """({field: [official values]}, [French problems]) for a comma-separated list typed by a person.
    "x et y" is read whole first ("Loisirs et créations numériques"), else as two items."""
    fields = tuple(fields)
    official, everyday = _tables(fields)
    found: dict[str, list[str]] = {f: [] for f in fields}
    problems: list[str] = []
    items: list[str] = []
    for chunk in (c.strip() for c in re.split(r"[,\n|;]", text or "")):
        if chunk and _lookup(_key(chunk), official, everyday) is None and re.search(r"\bet\s", chunk):
            items += [p.strip() for p in re.split(r"\bet\s", chunk)]
        else:
            items.append(chunk)
    for item in filter(None, items):
        key = _key(item)
        term = _lookup(key, official, everyday) if key else None
        if term is None:
            near = process.extract(key, {**everyday, **official}.keys(), scorer=fuzz.WRatio, limit=8)
            labels = list(dict.fromkeys(({**everyday, **official})[k].label for k, _, _ in near))[:3]
            problems.append(f"« {item} » n’est pas dans la liste nationale"
                            + (f" ; vouliez-vous dire : {', '.join(labels)} ?" if labels else "."))
            continue
        found[term.field] += [v for v in term.values if v not in found[term.field]]
    return found, problems
