"""Counts for a period, per counsellor or network-wide: the blocks of the Coop's "Mes statistiques".

One indexed range query fetches only the columns the counts need; aggregation is done in one pass in
Python because thématiques/matériel are lists and workshop publics are counts (portable on both engines).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.sessions import enums
from bot.sessions.models import Accompaniment

COLUMNS = (
    Accompaniment.type, Accompaniment.duration_min, Accompaniment.lieu_type, Accompaniment.thematiques,
    Accompaniment.materiel, Accompaniment.autonomie, Accompaniment.niveau, Accompaniment.oriente,
    Accompaniment.genre, Accompaniment.tranche_age, Accompaniment.statut, Accompaniment.participants_total,
    Accompaniment.participants_deja, Accompaniment.participants_counts, Accompaniment.user_name,
)


@dataclass
class Stats:
    start: date
    end: date
    activities: int = 0  # logged entries (CRA)
    accompaniments: int = 0  # the Coop's unit: one per individual entry, one per workshop participant
    minutes: int = 0
    by_type: Counter[str] = field(default_factory=Counter)  # activities
    accompaniments_by_type: Counter[str] = field(default_factory=Counter)
    thematiques: Counter[str] = field(default_factory=Counter)
    lieux: Counter[str] = field(default_factory=Counter)
    durations: Counter[str] = field(default_factory=Counter)
    materiel: Counter[str] = field(default_factory=Counter)
    autonomie: Counter[str] = field(default_factory=Counter)
    niveaux: Counter[str] = field(default_factory=Counter)
    oriented: int = 0
    new_people: int = 0  # accompaniments of people not already accompanied
    publics: dict[str, Counter[str]] = field(default_factory=lambda: {g: Counter() for g in enums.PUBLIC_ENUMS})
    by_counsellor: Counter[str] = field(default_factory=Counter)  # team stats only: who logged, how many entries

    @property
    def empty(self) -> bool:
        return self.activities == 0


def compute(session: Session, start: date, end: date, *, user_id: str | None = None) -> Stats:
    stmt = select(*COLUMNS).where(Accompaniment.date >= start, Accompaniment.date <= end)
    if user_id is not None:
        stmt = stmt.where(Accompaniment.user_id == user_id)
    st = Stats(start, end)
    for (kind, minutes, lieu, thematiques, materiel, autonomie, niveau, oriente, genre, tranche, statut,
         total, deja, counts, user_name) in session.execute(stmt):
        st.activities += 1
        st.accompaniments += total
        st.minutes += minutes
        st.by_type[kind] += 1
        st.accompaniments_by_type[kind] += total
        st.thematiques.update(thematiques or ())
        st.materiel.update(materiel or ())
        st.lieux[lieu] += 1
        st.durations[enums.duration_band(minutes)] += 1
        st.new_people += total - deja
        st.by_counsellor[user_name] += 1
        if kind == "individuel":
            st.autonomie[autonomie or enums.NON_COMMUNIQUE] += 1
            st.oriented += 1 if oriente else 0
            for group, value in (("genre", genre), ("tranche_age", tranche), ("statut", statut)):
                st.publics[group][value or enums.NON_COMMUNIQUE] += 1
        else:
            if niveau:
                st.niveaux[niveau] += 1
            for group in enums.PUBLIC_ENUMS:
                known = (counts or {}).get(group, {})
                st.publics[group].update(known)
                st.publics[group][enums.NON_COMMUNIQUE] += total - sum(known.values())
    for group in st.publics.values():  # drop zero "non communiqué" entries so text and chart stay short
        for code in [c for c, n in group.items() if n == 0]:
            del group[code]
    return st


def _pct(n: int, total: int) -> str:
    return f"{round(100 * n / total)} %" if total else "0 %"


def _block(title: str, counter: Counter[str], labels: dict[str, str], total: int, limit: int | None = None,
           *, ordered: bool = False) -> str:
    pairs = [(c, counter[c]) for c in labels] if ordered else counter.most_common(limit)
    items = [(code, n) for code, n in pairs if n]
    if not items:
        return ""
    lines = [f"**{title}**"] + [f"- {labels.get(code, code)} : {n} ({_pct(n, total)})" for code, n in items]
    return "\n".join(lines)


def format_text(st: Stats, title: str, *, team: bool = False) -> str:
    """Markdown summary, short enough for a phone screen."""
    if st.empty:
        return f"**{title}**\nAucun accompagnement saisi sur cette période."
    hours = st.minutes / 60
    n = st.activities
    autonomy_labels = {**enums.AUTONOMIE, enums.NON_COMMUNIQUE: "Non renseignée"}
    parts = [
        f"**{title}**",
        f"{st.accompaniments} accompagnement(s) en {n} saisie(s) : "
        f"{st.by_type['individuel']} individuel(s), {st.by_type['collectif']} atelier(s) "
        f"({st.accompaniments_by_type['collectif']} participant(s)). "
        f"Temps total : {hours:.1f} h. Nouvelles personnes : {st.new_people}. Orientations : {st.oriented}.",
        _block("Thématiques", st.thematiques, enums.THEMATIQUES, n, 10),
        _block("Lieux", st.lieux, enums.LIEUX, n),
        _block("Durées", st.durations, enums.DURATION_BANDS, n, ordered=True),
        _block("Matériel", st.materiel, enums.MATERIEL, n),
        _block("Autonomie (individuels)", st.autonomie, autonomy_labels, st.by_type["individuel"]),
        _block("Niveau des ateliers", st.niveaux, enums.NIVEAUX, st.by_type["collectif"]),
    ]
    for group, table in enums.PUBLIC_ENUMS.items():
        parts.append(_block(f"Public : {enums.PUBLIC_TITLES[group].lower()}", st.publics[group], table,
                            st.accompaniments))
    if team:
        names = ", ".join(f"@{name} ({count})" for name, count in sorted(st.by_counsellor.items()))
        parts.append(f"**Conseillers ayant saisi** ({len(st.by_counsellor)}) : {names}")
    return "\n\n".join(p for p in parts if p)
