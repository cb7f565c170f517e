"""The rules every hand-written /annuaire set (`annuaire_counsellors_fresh*.py`) is checked against, from the data
alone: run a set's file to check it (`.venv/bin/python bench/annuaire_counsellors_fresh2.py`)."""

from __future__ import annotations

import importlib
import re
import sys
from functools import cache
from pathlib import Path

from annuaire_counsellors import NEED_SERVICE, NameQuery, NeedQuery

# The hand-written sets, oldest first: a new one may repeat none of the earlier ones' texts, places or communes.
SETS = ("annuaire_counsellors", "annuaire_counsellors_fresh", "annuaire_counsellors_fresh2",
        "annuaire_counsellors_fresh3", "annuaire_counsellors_fresh4", "annuaire_counsellors_fresh5")


def queries_before(module: str) -> list[NeedQuery | NameQuery]:
    """Every query of the sets written before `module` (imported here, when checking, not by each set)."""
    out: list[NeedQuery | NameQuery] = []
    for name in SETS[:SETS.index(module)]:
        earlier = importlib.import_module(name)
        out += [*earlier.NEEDS, *earlier.NAMES]
    return out


_SMALL = {"de", "du", "des", "la", "le", "les", "d", "l", "et", "en", "sur", "a", "au", "aux"}
_EXPAND = {"fs": ["france", "services"], "st": ["saint"], "ste": ["sainte"], "stes": ["saintes"]}


@cache
def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def _word_cost(word: str, place_words: frozenset[str]) -> int:
    if word in place_words or (len(word) >= 4 and any(w.startswith(word) for w in place_words)):
        return 0
    return min([_osa(word, w) for w in place_words if abs(len(w) - len(word)) <= 2] + [len(word)])


def check_set(needs: list[NeedQuery], names: list[NameQuery], earlier: list[NeedQuery | NameQuery]) -> list[str]:
    """A hand-written set's rules, checked against the data (registry, real places); returns the problems found:
    no text twice or taken from `earlier` sets, nor their places or communes; each commune one registry commune
    with a place offering the need within 60 km; each name one place, typed with at most one typo, and every
    other place (but the same structure from another source) strictly farther by `_word_cost`."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from annuaire_queries import real_places, same_structure

    from bot.core.text import fold
    from bot.geo import registry
    from bot.geo.communes import name_key
    from bot.search import haversine_km

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", fold(text))

    places = real_places()
    reg = registry()
    problems: list[str] = []
    earlier_texts = {q.text for q in earlier}
    ours: list[NeedQuery | NameQuery] = [*needs, *names]
    texts = [q.text for q in ours]
    problems += [f"{t!r}: twice, or in an earlier set" for t in set(texts)
                 if texts.count(t) > 1 or t in earlier_texts]
    earlier_places = {(q.nom, q.code_postal) for q in earlier if isinstance(q, NameQuery)}
    problems += [f"{n.text!r}: place already in an earlier set" for n in names
                 if (n.nom, n.code_postal) in earlier_places]
    earlier_communes = {(q.commune, q.dep) for q in earlier if isinstance(q, NeedQuery)}
    problems += [f"{q.text!r}: commune already in an earlier set" for q in needs
                 if (q.commune, q.dep) in earlier_communes]
    for q in needs:
        communes = [c for c in reg.by_name.get(name_key(q.commune), []) if c.departement == q.dep]
        if len(communes) != 1:
            problems.append(f"{q.text!r}: {q.commune} ({q.dep}) is not one registry commune")
            continue
        c = communes[0]
        service = NEED_SERVICE[q.need]
        nearest = min(haversine_km(c.lat, c.lon, p.latitude, p.longitude) for p in places  # type: ignore[arg-type]
                      if service in p.services and p.has_coordinates)
        if nearest > 60:
            problems.append(f"{q.text!r}: nearest place offering the need {nearest:.0f} km away")
    place_words = [frozenset(words(p.nom)) | frozenset(words(p.commune)) | {p.code_postal} for p in places]
    for n in names:
        targets = [i for i, p in enumerate(places) if p.nom == n.nom and p.code_postal == n.code_postal]
        if len(targets) != 1:
            problems.append(f"{n.text!r}: {len(targets)} places named {n.nom!r} in {n.code_postal}")
            continue
        t = targets[0]
        typed = [w for x in words(n.text) for w in _EXPAND.get(x, [x]) if w not in _SMALL]
        cost = sum(_word_cost(w, place_words[t]) for w in typed)
        rivals = [p.nom for i, p in enumerate(places) if i != t and not same_structure(p, places[t])
                  and sum(_word_cost(w, place_words[i]) for w in typed) <= cost]
        if cost > 1 or rivals:
            problems.append(f"{n.text!r}: costs {cost}, as close or closer: {rivals[:3]}")
    return problems

