"""Configuration errors: one French line naming the setting, what was found and what is expected; exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ALL_ENV = ("MATTERMOST_URL", "MATTERMOST_TOKEN", "MATTERMOST_TEAM", "RELAIS_DATABASE_URL", "RELAIS_PUBLIC_URL",
           "RELAIS_LISTEN", "RELAIS_SECRET", "RELAIS_CONFIG")
GOOD_MATTERMOST = {
    "MATTERMOST_URL": "https://chat.exemple.fr", "MATTERMOST_TOKEN": "jeton", "MATTERMOST_TEAM": "reseau",
    "RELAIS_PUBLIC_URL": "http://relais:8080", "RELAIS_SECRET": "s" * 40,
}


def run_relais(workdir: Path, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ALL_ENV}
    env.setdefault("RELAIS_DATABASE_URL", f"sqlite:///{workdir / 'relais.db'}")
    env.update(env_vars)
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=workdir,
                          env=env, input="", timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration : ")
    for part in expected:
        assert part in lines[0], (part, lines[0])


@pytest.mark.parametrize("command", [("db", "upgrade"), ("console",)])
def test_bad_listen_address(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_relais(tmp_path, *command, RELAIS_LISTEN="localhost")
    assert_one_line_error(result, "RELAIS_LISTEN", "« localhost »", "attendu : hôte:port")


@pytest.mark.parametrize("url", ["relais.db", "mysql://hote/base", "sqlite:relais.db"])
def test_bad_database_url(tmp_path: Path, url: str) -> None:
    result = run_relais(tmp_path, "db", "upgrade", RELAIS_DATABASE_URL=url)
    assert_one_line_error(result, "RELAIS_DATABASE_URL", f"« {url} »", "attendu : une URL")


def test_bad_timezone_in_toml(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "relais.toml").write_text('[network]\ntimezone = "Europe/Pariss"\n', encoding="utf-8")
    result = run_relais(tmp_path, "console")
    assert_one_line_error(result, "network.timezone", "« Europe/Pariss »", "Indian/Reunion")


def test_unreadable_toml_and_missing_config_file(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "relais.toml").write_text("[network\nteam = 'x'\n", encoding="utf-8")
    assert_one_line_error(run_relais(tmp_path, "db", "upgrade"), "relais.toml", "un fichier TOML valide")
    missing = str(tmp_path / "absent.toml")
    assert_one_line_error(run_relais(tmp_path, "db", "upgrade", RELAIS_CONFIG=missing), "RELAIS_CONFIG", missing)


def test_bad_digest_cron_in_toml(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "relais.toml").write_text(
        '[[digests]]\nchannel = "entraide"\ncron = "tous les lundis"\n', encoding="utf-8")
    assert_one_line_error(run_relais(tmp_path, "console"), "digests n° 1.cron", "« tous les lundis »", "cron")


@pytest.mark.parametrize("command", ["serve", "setup"])
def test_serve_and_setup_need_mattermost_url(tmp_path: Path, command: str) -> None:
    env = {k: v for k, v in GOOD_MATTERMOST.items() if k != "MATTERMOST_URL"}
    result = run_relais(tmp_path, command, **env)
    assert_one_line_error(result, "MATTERMOST_URL", "absent", "attendu : l’URL de votre Mattermost")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("MATTERMOST_URL", "chat.exemple.fr", "http(s)://"),
    ("RELAIS_PUBLIC_URL", "relais:8080", "http(s)://"),
    ("RELAIS_SECRET", "court", "au moins 32 caractères"),
    ("MATTERMOST_TEAM", "", "nom court de l’équipe"),
    ("MATTERMOST_TOKEN", "", "jeton d’accès"),
])
def test_mattermost_settings_are_checked(name: str, value: str, expected: str) -> None:
    env = {**GOOD_MATTERMOST, "RELAIS_DATABASE_URL": "sqlite://", name: value}
    with pytest.raises(ConfigError) as err:
        load_settings(require_mattermost=True, env=env, dotenv=False)
    assert err.value.name == name
    assert expected in str(err.value)


def test_console_needs_no_mattermost_settings_and_defaults_are_sane(tmp_path: Path) -> None:
    settings = load_settings(env={}, dotenv=False)
    assert settings.timezone == "Europe/Paris"
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("relais.db")
    assert (settings.listen_host, settings.listen_port) == ("127.0.0.1", 8080)
    assert not settings.mattermost_configured


@pytest.mark.parametrize("zone", ["Indian/Reunion", "America/Guadeloupe", "America/Martinique", "America/Cayenne",
                                  "Indian/Mayotte"])
def test_overseas_timezones_are_accepted(tmp_path: Path, zone: str) -> None:
    path = tmp_path / "relais.toml"
    path.write_text(f'[network]\ntimezone = "{zone}"\n', encoding="utf-8")
    settings = load_settings(env={"RELAIS_CONFIG": str(path)}, dotenv=False)
    assert settings.tz.key == zone


def test_example_files_are_valid(tmp_path: Path) -> None:
    """The shipped examples must load as they are (an admin copies them first)."""
    repo = Path(__file__).resolve().parents[1]
    settings = load_settings(env={"RELAIS_CONFIG": str(repo / "config" / "relais.example.toml")}, dotenv=False)
    assert settings.team and settings.digests
    env_names = {line.split("=", 1)[0].lstrip("# ").strip()
                 for line in (repo / ".env.example").read_text(encoding="utf-8").splitlines() if "=" in line}
    assert set(ALL_ENV) - {"RELAIS_CONFIG"} <= env_names


def test_every_named_channel_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "relais.toml"
    path.write_text('[channels]\nentraide = "~entraide"\nannonces = ""\nnetwork = ["region-sud", "entraide"]\n'
                    '[[digests]]\nchannel = "~region-sud"\ncron = "0 9 * * mon"\n'
                    '[[digests]]\nchannel = "point-hebdo"\ncron = "0 9 * * fri"\n', encoding="utf-8")
    settings = load_settings(env={"RELAIS_CONFIG": str(path)}, dotenv=False)
    assert settings.channels == ("entraide", "ateliers", "region-sud", "point-hebdo")


def test_coordinators_channel_is_a_setting_and_a_configured_channel(tmp_path: Path) -> None:
    config = tmp_path / "relais.toml"
    config.write_text('[channels]\ncoordinateurs = "~coordination-38"\nnetwork = ["isere"]\n', encoding="utf-8")
    settings = load_settings(env={"RELAIS_CONFIG": str(config)}, dotenv=False)
    assert settings.channel_coordinateurs == "coordination-38"
    assert settings.channels == ("entraide", "ateliers", "annonces", "coordination-38", "isere")
    assert load_settings(env={}, dotenv=False).channel_coordinateurs == ""
