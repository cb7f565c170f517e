"""The .xlsx export: La Coop's metadata rows above the table, typed cells, role and codes filled."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from bot.accompagnements import profile, service
from bot.accompagnements.export import header
from bot.accompagnements.places import PlaceLookup
from bot.accompagnements.validation import validate
from bot.accompagnements.workbook import ExportInfo, xlsx_bytes
from bot.db import Database

TZ = ZoneInfo("Indian/Reunion")
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _cells(content: bytes) -> dict[str, tuple[str | None, str]]:
    """Cell reference → (type attribute, text): "n"/None numbers and dates, "inlineStr"/"s" text."""
    with zipfile.ZipFile(BytesIO(content)) as z:
        root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    out = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        text = "".join(t.text or "" for t in c.iter() if t.tag in (f"{{{NS['m']}}}v", f"{{{NS['m']}}}t"))
        out[c.get("r")] = (c.get("t"), text)
    return out


def _add(db: Database, user: str, **raw: object) -> None:
    with db.session() as s:
        service.create(s, user, user, validate(raw, today=date(2026, 12, 2)), NOW)


def test_xlsx_layout_and_typed_cells(db: Database) -> None:
    _add(db, "u1", type="individuel", date="2026-12-01", duree=45, lieu_type="domicile", lieu_commune="Valserhône",
         lieu_code_postal="01200", thematiques=["email"])
    _add(db, "u2", type="collectif", date="2026-12-02", duree="1h30", lieu_type="lieu_activite",
         thematiques=["sante"], participants_total=2, titre_atelier="=HYPERLINK(\"x\")")
    with db.session() as s:
        profile.save(s, "u1", profile.Profile("conseiller", "4242"))
        profile.save(s, "u2", profile.Profile("mediateur"))
    with db.session() as s:
        info = ExportInfo("coralie", "Coordinateur", "décembre 2026", NOW)
        content, n = xlsx_bytes(service.in_period(s, date(2026, 12, 1), date(2026, 12, 31)), TZ, info, total=3,
                                self_export=False, places=PlaceLookup(s).find, profiles=profile.all_profiles(s))
    assert n == 3
    cells = _cells(content)
    by_text = {text: ref for ref, (_, text) in cells.items()}
    assert cells["A1"][1] == "Informations export" and cells["B5"] == (None, "3")  # Total is a number
    assert "Filtres" in by_text and cells[by_text["Période"].replace("A", "B")][1] == "décembre 2026"
    head_row = int(re.sub(r"\D", "", by_text["Date"]))
    columns = header(self_export=False)
    col = {name: chr(ord("A") + i) if i < 26 else "A" + chr(ord("A") + i - 26) for i, name in enumerate(columns)}

    def at(name: str, row: int) -> tuple[str | None, str]:
        return cells.get(f"{col[name]}{row}", (None, ""))

    first = head_row + 1
    assert at("Date", first)[0] in (None, "n") and float(at("Date", first)[1]) > 40000  # a real date serial
    assert at("Durée (min)", first) == (None, "45")  # a number
    assert at("Code postal", first) == ("inlineStr", "01200")  # text: the leading zero is kept
    assert at("Code Insee", first) == ("inlineStr", "01033")  # Valserhône, from the national commune file
    assert at("Rôle", first)[1] == "Conseiller Numérique" and at("ID - Conum", first)[1] == "4242"
    assert at("Rôle", first + 1)[1] == "Médiateur"
    assert at("Participants", first + 1) == ("inlineStr", "1/2")  # never read as a date
    assert at("Nom de l’atelier", first + 1) == ("inlineStr", "=HYPERLINK(\"x\")")  # text, not a formula
    with zipfile.ZipFile(BytesIO(content)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
