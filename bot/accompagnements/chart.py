"""Stats as one PNG made for a phone screen (Matplotlib, Agg canvas: no display, no pyplot global state).

One column of panels, large type, at most six bars each, French figures on the bars: a counsellor reads it
on a phone without zooming (about 900 px wide, scrolled down). Rendered in a worker process by the handler.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from bot.accompagnements import enums
from bot.accompagnements.stats import Stats, compute, hours
from bot.core.text import count_of, number

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAR_COLOR = "#000091"  # the French State's blue, familiar to counsellors
WIDTH_IN, DPI = 6.0, 150  # 900 px wide
LABEL_CHARS = 30
SHORT = {  # labels too long for a phone bar
    "aide_aux_demarches_administratives": "Démarches administratives",
    "securite_numerique": "Sécurité numérique",
    "prendre_en_main_du_materiel": "Prise en main du matériel",
    "gere_ses_contenus_numeriques": "Contenus numériques",
    "reseaux_sociaux": "Réseaux sociaux",
    "banque_et_achats_en_ligne": "Banque et achats en ligne",
    "intelligence_artificielle": "Intelligence artificielle",
}


def _label(code: str, labels: dict[str, str]) -> str:
    name = SHORT.get(code) or labels.get(code, code)
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1] + "…"


def _barh(ax: Axes, title: str, counter: Counter[str], labels: dict[str, str], limit: int = 6,
          ordered: bool = False) -> None:
    pairs = [(c, counter[c]) for c in labels] if ordered else counter.most_common(limit)
    items = [(_label(code, labels), n) for code, n in pairs if n][::-1]
    ax.set_title(title, fontsize=13, loc="left", fontweight="bold")
    if not items:
        ax.text(0.5, 0.5, "Aucune donnée", ha="center", va="center", fontsize=11)
        ax.set_axis_off()
        return
    bars = ax.barh([name for name, _ in items], [n for _, n in items], color=BAR_COLOR, height=0.6)
    pad = (max(len(items), 2) - len(items)) / 2
    ax.set_ylim(-0.6 - pad, len(items) - 0.4 + pad)  # bars keep one thickness whatever their number
    ax.bar_label(bars, labels=[number(n) for _, n in items], fontsize=11, padding=3)
    ax.tick_params(axis="y", labelsize=11, length=0)
    ax.xaxis.set_visible(False)
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.margins(x=0.18)


def stats_and_chart(database_url: str, start: date, end: date, user_id: str | None, title: str
                    ) -> tuple[Stats, bytes | None]:
    """The stats of a period and their chart, in a worker process (`app.run_cpu`): a year of entries is counted and
    drawn there, so neither the SQL rows nor Matplotlib hold the server's GIL. No chart when there is nothing."""
    from bot.db.engine import database_for

    with database_for(database_url).session() as s:
        st = compute(s, start, end, user_id=user_id)
    return st, (None if st.empty else render_png(st, title))


def render_png(st: Stats, title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = [
        ("Activités", Counter({"individuel": st.by_type["individuel"], "collectif": st.by_type["collectif"],
                               "participants": st.accompaniments_by_type["collectif"]}),
         {"individuel": "Accompagnements individuels", "collectif": "Ateliers collectifs",
          "participants": "Participants aux ateliers"}, True),
        ("Thématiques", st.thematiques, enums.THEMATIQUES, False),
        ("Canaux d’accompagnement", st.lieux, enums.LIEUX, True),
        ("Durées", st.durations, enums.DURATION_BANDS, True),
        ("Tranches d’âge", st.publics["tranche_age"], enums.TRANCHES_AGE, False),
        ("Statut", st.publics["statut"], enums.STATUTS, False),
    ]
    heights = [0.45 * max(2, min(6, len([v for v in counter.values() if v]))) + 0.6 for _, counter, _, _ in panels]
    fig = Figure(figsize=(WIDTH_IN, sum(heights) + 1.1), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    heading = title.replace(" — ", "\n", 1)  # "Vos accompagnements" / the period: two short lines
    fig.suptitle(f"{heading}\n{count_of(st.accompaniments, 'accompagnement')} · {hours(st.minutes)}", fontsize=14,
                 x=0.02, ha="left")
    axes = fig.subplots(len(panels), 1, gridspec_kw={"height_ratios": heights})
    for ax, (name, counter, labels, ordered) in zip(axes, panels, strict=True):
        _barh(ax, name, counter, labels, ordered=ordered)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
