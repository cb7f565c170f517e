"""The accompaniments as an .xlsx laid out like La Coop's own workbook, with typed cells.

Same sheet as La Coop (`buildAccompagnementsWorksheet.ts`, `addExportMetadata.ts`, `buildWorksheetHelpers.ts`):
"Informations export" (who, role, total, date and time), "Filtres" (period and the other filters), two empty
rows, then the table "Activités" with the same columns as the CSV (`export.header`). Unlike a CSV opened in a
spreadsheet, dates are dates, durations and ids numbers, postal and INSEE codes text (01200 stays 01200) and
"2/6" stays text. Cells typed by users are written as strings, never formulas (no CSV-injection risk here).
Written in XlsxWriter's constant-memory mode: a network's year (~180,000 rows) streams through a temp file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.accompagnements.export import PlaceFinder, export_lines, header, no_place
from bot.accompagnements.profile import Profile

SHEET = "Activités"
TEXT_COLUMNS = {"Code postal", "Code Insee", "Code postal du bénéficiaire", "Code Insee du bénéficiaire",
                "ID - Conum", "Participants"}
WIDE_COLUMNS = {"Date": 26, "Enregistré le": 18, "Dernière modification le": 18, "Type": 24,
                "Canaux d’accompagnement": 16, "Thématique(s) d’accompagnement": 34, "Structure de redirection": 34,
                "Nom du lieu": 24, "Adresse": 28, "Notes supplémentaires": 40, "Matériel numérique utilisé": 18,
                "Bénéficiaire": 20, "Tranche d’âge du bénéficiaire": 16, "Statut du bénéficiaire": 20,
                "Nom de la démarche administrative": 24, "Nom de l’atelier": 22}
LINE_HEIGHT = 15  # points: rows holding several themes are made tall enough to show them all


@dataclass
class ExportInfo:
    """The metadata block: who exported, when, and the filters (period, counsellor…)."""

    name: str
    role: str
    period: str
    now: datetime
    filters: dict[str, str] = field(default_factory=dict)  # other filter rows La Coop shows ("-" when unset)


FILTER_ROWS = ("Période", "Source", "Lieux d’accompagnement", "Communes", "Départements", "Type d’accompagnement",
               "Rôle", "Thématiques non administratives", "Thématiques administratives", "Tags")


def _plain(text: str | None) -> str:
    return text or ""


def xlsx_bytes(items: Iterable[Sequence[Any]], tz: ZoneInfo, info: ExportInfo, *, total: int, self_export: bool,
               places: PlaceFinder = no_place, profiles: Mapping[str, Profile] | None = None) -> tuple[bytes, int]:
    """The workbook's bytes and its number of table rows (one per accompagnement, as La Coop counts them)."""
    import xlsxwriter

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": tmp, "strings_to_formulas": False,
                                             "strings_to_numbers": False, "strings_to_urls": False})
        wb.set_properties({"title": "Accompagnements", "author": "Relais", "company": "",
                           "comments": "Export au format de La Coop de la médiation numérique"})
        ws = wb.add_worksheet(SHEET)
        bold = wb.add_format({"bold": True})
        top = wb.add_format({"valign": "top"})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        day = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
        text = wb.add_format({"num_format": "@", "valign": "top"})
        head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDE5F4", "border": 1})
        row = 0

        def pair(label: str, value: Any) -> None:
            nonlocal row
            ws.write_string(row, 0, label)
            if isinstance(value, int):
                ws.write_number(row, 1, value)
            else:
                ws.write_string(row, 1, str(value))
            row += 1

        local = info.now.astimezone(tz)
        ws.write_string(row, 0, "Informations export", bold)
        row += 1
        pair("Nom", info.name or "-")
        pair("Prénom", "-")
        pair("Rôle", info.role or "-")
        pair("Total", total)
        pair("Date d’export", f"{local:%d/%m/%Y}")
        pair("Heure d’export", f"{local:%H:%M}")
        row += 1
        ws.write_string(row, 0, "Filtres", bold)
        row += 1
        for label in FILTER_ROWS:
            pair(label, info.period if label == "Période" else info.filters.get(label, "-"))
        for label, value in info.filters.items():
            if label not in FILTER_ROWS:
                pair(label, value)
        row += 2  # La Coop: the filters' empty row, then the separator before the table

        columns = header(self_export=self_export)
        for col, name in enumerate(columns):
            ws.write_string(row, col, name, head)
            ws.set_column(col, col, WIDE_COLUMNS.get(name, max(11, min(22, len(name) + 2))),
                          text if name in TEXT_COLUMNS else None)
        ws.set_row(row, 45)
        first = row
        ws.freeze_panes(row + 1, 0)
        n = 0
        for lines in export_lines(items, tz, self_export=self_export, text=_plain, day=lambda d: d, places=places,
                            profiles=profiles):
            for values in lines:
                row += 1
                n += 1
                tall = max((v.count("\n") for v in values if isinstance(v, str)), default=0) + 1
                ws.set_row(row, LINE_HEIGHT * tall if tall > 1 else None)
                for col, value in enumerate(values):
                    if isinstance(value, date):
                        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
                    elif isinstance(value, int) and not isinstance(value, bool):
                        ws.write_number(row, col, value, top)
                    elif value in ("", None):
                        continue
                    else:
                        fmt = text if columns[col] in TEXT_COLUMNS else wrap if "\n" in value else top
                        ws.write_string(row, col, str(value), fmt)
        ws.autofilter(first, 0, max(row, first + 1), len(columns) - 1)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.repeat_rows(first)
        ws.fit_to_pages(3, 0)
        wb.close()
        return path.read_bytes(), n
