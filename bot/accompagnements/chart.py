"""Stats as one PNG (Matplotlib, Agg canvas: no display, no pyplot global state, safe in a server)."""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING

from bot.accompagnements import enums
from bot.accompagnements.stats import Stats

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BAR_COLOR = "#000091"  # the French State's blue, familiar to counsellors


def _barh(ax: Axes, title: str, counter: Counter[str], labels: dict[str, str], limit: int = 8,
          ordered: bool = False) -> None:
    pairs = [(c, counter[c]) for c in labels] if ordered else counter.most_common(limit)
    items = [(labels.get(code, code), n) for code, n in pairs if n][::-1]
    ax.set_title(title, fontsize=10, loc="left")
    if not items:
        ax.text(0.5, 0.5, "Aucune donnée", ha="center", va="center")
        ax.set_axis_off()
        return
    names = [name if len(name) <= 32 else name[:31] + "…" for name, _ in items]
    values = [n for _, n in items]
    bars = ax.barh(names, values, color=BAR_COLOR)
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15)


def render_png(st: Stats, title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 8), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    fig.suptitle(title, fontsize=12)
    axes = fig.subplots(3, 2)
    _barh(axes[0][0], "Type (saisies)", st.by_type, enums.TYPES)
    _barh(axes[0][1], "Thématiques", st.thematiques, enums.THEMATIQUES)
    _barh(axes[1][0], "Lieux", st.lieux, enums.LIEUX)
    _barh(axes[1][1], "Durées", st.durations, enums.DURATION_BANDS, ordered=True)
    _barh(axes[2][0], "Tranches d’âge (personnes)", st.publics["tranche_age"], enums.TRANCHES_AGE)
    autonomy_labels = {**enums.AUTONOMIE, enums.NON_COMMUNIQUE: "Non renseignée"}
    _barh(axes[2][1], "Autonomie (individuels)", st.autonomie, autonomy_labels)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
