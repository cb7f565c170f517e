"""`relais setup` and `relais serve` as an administrator runs them (real CLI, fake Mattermost in a thread)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.mmserver import MMServerThread
from tests.mmserver.fixtures import World, seed_world
from tests.transport_support import SECRET, TOML, free_port


@pytest.fixture
def mm() -> Iterator[tuple[MMServerThread, World]]:
    with MMServerThread() as thread:
        world = seed_world(thread.server)
        for name in ("entraide", "ateliers", "annonces"):
            ch = thread.server.add_channel(world.team["id"], name)
            thread.server.add_channel_member(ch["id"], world.bot["id"])
        thread.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user team_admin")
        yield thread, world


@pytest.fixture
def admin_env(mm: tuple[MMServerThread, World], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    thread, world = mm
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "relais.toml").write_text(TOML, encoding="utf-8")
    port = free_port()
    env = {
        "MATTERMOST_URL": thread.server.url,
        "MATTERMOST_TOKEN": thread.server.token_for(world.bot["id"]),
        "MATTERMOST_TEAM": "reseau",
        "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RELAIS_LISTEN": f"127.0.0.1:{port}",
        "RELAIS_SECRET": SECRET,
        "RELAIS_DATABASE_URL": f"sqlite:///{tmp_path / 'relais.db'}",
    }
    monkeypatch.chdir(tmp_path)
    for key in ("RELAIS_CONFIG",):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def test_setup_cli_is_idempotent(admin_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "Commandes créées : /aide" in out and "Tout est prêt" in out
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "Commandes créées" not in out and "Commandes inchangées : /aide" in out


def test_setup_cli_explains_a_missing_permission(
    mm: tuple[MMServerThread, World], admin_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    thread, world = mm
    thread.server.add_team_member(world.team["id"], world.bot["id"], roles="team_user")
    assert main(["db", "upgrade"]) == 0
    assert main(["setup"]) == 1
    err = capsys.readouterr().err
    assert "manage_slash_commands" in err and "Traceback" not in err


def test_serve_refuses_an_outdated_schema(admin_env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == 1
    assert "relais db upgrade" in capsys.readouterr().err


def test_serve_runs_and_stops_cleanly_on_sigterm(
    mm: tuple[MMServerThread, World], admin_env: dict[str, str], tmp_path: Path
) -> None:
    thread, world = mm
    assert main(["db", "upgrade"]) == 0
    assert main(["setup"]) == 0
    port = int(admin_env["RELAIS_LISTEN"].rsplit(":", 1)[1])
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=tmp_path, env={**os.environ, **admin_env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    status = resp.status
                    if thread.server.ws_connection_count(world.bot["id"]) == 1:
                        break
            except OSError:
                pass
            time.sleep(0.1)
        assert status == 200
        result = thread.call(thread.server.run_command(world.alice["id"], world.town["id"], "/aide"))
        assert result.ok and "Commandes" in result.ephemerals[0]["message"]
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "Arrêt de Relais" in out and "Traceback" not in out
    assert thread.server.ws_connection_count(world.bot["id"]) == 0


def test_serve_says_when_its_port_is_taken(
    admin_env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    assert main(["db", "upgrade"]) == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("RELAIS_LISTEN", f"127.0.0.1:{taken.getsockname()[1]}")
        assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "RELAIS_LISTEN" in err and "Traceback" not in err
