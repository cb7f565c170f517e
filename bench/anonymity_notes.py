"""How well the anonymity guard separates notes with personal data from anonymous ones.

Reads bench/data/notes_dev.txt (the guard was tuned on it) and bench/data/notes_heldout.txt (never tuned on),
hand-written notes labelled when written ("+" personal data, "-" anonymous), and prints for each: notes, missed
personal data (saved although it identifies someone), false refusals (anonymous notes refused), with the notes.
Both files have the same author as the guard; as a check written by someone else, the 200 one-line entries of
bench/data/accompagnement_lignes.txt (another helper's bench, all anonymous) go through the guard too.

    .venv/bin/python bench/anonymity_notes.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.accompagnements.anonymity import find_personal_data  # noqa: E402

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 1)


def read(name: str) -> list[tuple[bool, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line[:2] in ("+|", "-|"):
            rows.append((line[0] == "+", line[2:]))
    return rows


def main() -> int:
    for name in ("notes_dev.txt", "notes_heldout.txt"):
        rows = read(name)
        missed = [t for personal, t in rows if personal and not find_personal_data(t, today=TODAY)]
        refused = [(t, find_personal_data(t, today=TODAY)) for personal, t in rows if not personal]
        refused = [(t, f) for t, f in refused if f]
        with_data = sum(p for p, _ in rows)
        print(f"{name}: {len(rows)} notes ({with_data} with personal data, {len(rows) - with_data} without)")
        print(f"  missed personal data: {len(missed)}/{with_data}")
        for t in missed:
            print(f"    - {t}")
        print(f"  false refusals: {len(refused)}/{len(rows) - with_data}")
        for t, f in refused:
            print(f"    - {t}  [{', '.join(sorted({x.kind + ':' + x.fragment for x in f}))}]")
    lines = [line.split("|")[1] for line in (DATA / "accompagnement_lignes.txt").read_text(encoding="utf-8")
             .splitlines() if line.startswith(("tune|", "held|"))]
    refused_lines = [t for t in lines if find_personal_data(t, today=TODAY)]
    print(f"accompagnement_lignes.txt (another author, anonymous): {len(lines)} lines, "
          f"false refusals: {len(refused_lines)}")
    for t in refused_lines:
        print(f"    - {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
