"""`relais console` as a user scripts it: a real subprocess, commands piped on standard input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.app import build_registry
from bot.db import Database
from bot.db.migrate import pending

STRIPPED = ("MATTERMOST_URL", "MATTERMOST_TOKEN", "MATTERMOST_TEAM", "RELAIS_CONFIG", "RELAIS_PUBLIC_URL",
            "RELAIS_LISTEN", "RELAIS_SECRET")


def run_console(workdir: Path, script: str, *args: str, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    env["RELAIS_DATABASE_URL"] = db_url or f"sqlite:///{workdir / 'console.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args], input=script, capture_output=True, text=True,
        cwd=workdir, env=env, timeout=120,
    )


def test_scripted_aide_lists_every_command_in_plain_text(tmp_path: Path) -> None:
    result = run_console(tmp_path, "/aide\n/commande-inconnue\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out  # no ANSI codes when piped
    assert "> /aide" in out
    for trigger in build_registry().commands:
        assert f"`/{trigger}`" in out
    assert "Commande inconnue : `/commande-inconnue`" in out
    assert "Traceback" not in result.stderr


def test_first_start_migrates_then_later_starts_do_not(tmp_path: Path) -> None:
    first = run_console(tmp_path, "/aide\n")
    assert first.returncode == 0, first.stderr
    assert "migrations appliquées" in first.stderr
    db = Database(f"sqlite:///{tmp_path / 'console.db'}")
    try:
        assert pending(db) == []
    finally:
        db.dispose()
    second = run_console(tmp_path, "/aide\n")
    assert second.returncode == 0, second.stderr
    assert "migration" not in second.stderr


def test_default_database_is_a_file_in_the_working_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (*STRIPPED, "RELAIS_DATABASE_URL")}
    result = subprocess.run([sys.executable, "-m", "bot", "console"], input="/aide\n", capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "relais.db").is_file()


def test_user_name_and_messages_in_channels(tmp_path: Path) -> None:
    script = "/canal entraide\nBonjour à tous\n/canal annonces\n/repondre 1 Merci\n/fil 99\n"
    result = run_console(tmp_path, script, "--user", "Camille")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Message n° 1 publié dans ~entraide." in out
    # Features listening to the channel may answer in between, so the reply's number is not fixed.
    # A thread reply lands in the thread's channel, wherever the user is.
    assert re.search(r"Message n° \d+ publié dans ~entraide \(dans le fil du message n° 1\)\.", out)
    assert "Message n° 99 introuvable" in out


def test_console_runs_on_postgresql_too(tmp_path: Path, db_url: str) -> None:
    result = run_console(tmp_path, "/aide\n", db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert "`/aide`" in result.stdout


def test_first_start_loads_example_ideas_once(tmp_path: Path) -> None:
    first = run_console(tmp_path, "/atelier escape game\n")
    assert first.returncode == 0, first.stderr
    assert "idées d’ateliers d’exemple" in first.stderr
    assert "Escape game" in first.stdout
    second = run_console(tmp_path, "/atelier escape game\n")
    assert "Chargé" not in second.stderr  # loaded once per database, never duplicated
    assert second.stdout.count("Escape game de la sécurité") == first.stdout.count("Escape game de la sécurité")


def test_announcement_form_is_answered_line_by_line_and_delivered(tmp_path: Path) -> None:
    """A form in scripted mode: one answer per line (empty keeps the default); the outbox posts at once."""
    result = run_console(tmp_path, "/annonce\nRéunion du réseau jeudi\n\n\n\n", "--user", "camille")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Message (ex. :" in out and "Réunion du réseau jeudi" in out
    for channel in ("region-sud", "region-aura"):  # the example network channels, without a relais.toml
        assert re.search(rf"Message n° \d+ publié par @relais dans ~{channel} ---\n.*\n\nRéunion du réseau jeudi", out)
    assert "publiée dans 2 canaux sur 2" in out


def test_annuaire_answers_at_once_from_the_bundled_extract(tmp_path: Path) -> None:
    """The newcomer's first try: the shipped directory extract is loaded on first start, buttons work."""
    result = run_console(tmp_path, "/annuaire caf grenoble\n1\n")
    assert result.returncode == 0, result.stderr
    assert re.search(r"Chargé : \d+ lieux de l’annuaire", result.stderr)
    out = result.stdout
    assert "Grenoble (38)" in out
    assert "[1] Fiche" in out
    assert "Vous cliquez sur « Fiche »." in out
    assert "Version SMS" in out  # the details card came back from the button click
    again = run_console(tmp_path, "/annuaire caf grenoble\n")
    assert "Chargé" not in again.stderr


def test_no_examples_added_to_a_database_the_console_did_not_create(tmp_path: Path) -> None:
    """Pointed at a network's real database, the console must not invent content in it."""
    env = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    env["RELAIS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'console.db'}"
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], check=True, cwd=tmp_path, env=env,
                   capture_output=True, timeout=120)
    result = run_console(tmp_path, "/atelier escape game\n")
    assert result.returncode == 0, result.stderr
    assert "Chargé" not in result.stderr
    assert "Escape game" not in result.stdout


def test_read_follow_up_never_counts_the_bot(tmp_path: Path) -> None:
    """The bot posts the announcement: it is neither among those who have not read nor reminded."""
    result = run_console(tmp_path, "/annonce\nBonjour à tous\ntous\nmaintenant\noui\n/annonce suivi 1\n")
    assert result.returncode == 0, result.stderr
    follow = result.stdout.split("> /annonce suivi 1", 1)[1]
    assert "@relais" not in follow and "Relancer" not in follow
    assert "personne d’autre dans ce canal" in follow


def test_message_numbers_and_posts_survive_a_restart(tmp_path: Path) -> None:
    """`/fil 1` after restarting the console, and an idea posted yesterday deleted today without a warning."""
    first = run_console(tmp_path, "Bonjour le réseau\n/atelier partager\nFresque du numérique\n"
                                  "Un atelier pour comprendre le numérique\nseniors\n1\n\n\n\n\n\n\n")
    assert first.returncode == 0, first.stderr
    number = re.search(r"Votre idée n° (\d+) est publiée", first.stdout)
    assert number, first.stdout
    second = run_console(tmp_path, f"/fil 1\nune réponse\n/fil\n/atelier supprimer {number[1]}\n1\nEncore moi\n")
    assert second.returncode == 0, second.stderr
    assert "Vous écrivez dans le fil du message n° 1." in second.stdout
    assert "Message n° 3 publié dans ~town-square (dans le fil du message n° 1)" in second.stdout
    assert "Message n° 2 modifié par @relais dans ~ateliers" in second.stdout
    assert f"L’idée n° {number[1]} est supprimée." in second.stdout
    assert "Message n° 4 publié" in second.stdout  # numbering goes on, no id is given twice
    assert "WARNING" not in second.stderr and "Traceback" not in second.stderr
