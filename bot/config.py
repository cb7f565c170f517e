"""Settings: secrets from the environment / `.env`, structure from `config/relais.toml`.

A bad setting raises `ConfigError`, which the CLI prints as one French line (no traceback):
counsellors' admins are not Python developers.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv

DEFAULT_DATABASE_FILE = "relais.db"
DEFAULT_LISTEN = "127.0.0.1:8080"
DEFAULT_TIMEZONE = "Europe/Paris"
DEFAULT_CONFIG_PATHS = ("config/relais.toml",)


class ConfigError(Exception):
    """A setting is missing or malformed; `str()` is the French line shown to the admin."""

    def __init__(self, name: str, found: object, expected: str) -> None:
        shown = "absent" if found in (None, "") else f"« {found} »"
        super().__init__(f"Configuration : {name} est {shown} ; attendu : {expected}.")
        self.name = name


@dataclass(frozen=True)
class DigestSchedule:
    channel: str
    cron: str
    title: str = "Le point du réseau"


# The peer-help digest every network gets unless its relais.toml says otherwise (any [[digests]]
# replaces it; `[network] default_digest = false` switches it off): Monday 9:00, network time.
DEFAULT_DIGEST_CRON = "0 9 * * 1"
DEFAULT_DIGEST_TITLE = "Le point de la semaine"


@dataclass(frozen=True)
class DirectorySource:
    """One `[[directory.sources]]`: a file or URL imported on its cron schedule by `relais serve`."""

    name: str  # the directory's source name ("france-services", "lieux-national")
    location: str  # https://… or a file path
    cron: str
    format: str = ""  # "v1", "france-services", "v0"; empty: any (the file's content decides)
    partial: bool = False  # True: the file is an extract, nothing is closed

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


DIRECTORY_FORMATS = ("v1", "france-services", "v0")


@dataclass(frozen=True)
class Settings:
    database_url: str
    mattermost_url: str = ""
    mattermost_token: str = ""
    team: str = ""
    public_url: str = ""
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    secret: str = ""
    timezone: str = DEFAULT_TIMEZONE
    channel_entraide: str = "entraide"
    channel_ateliers: str = "ateliers"
    channel_annonces: str = "annonces"
    channel_coordinateurs: str = ""  # where directory reports go; empty: a channel named coordinateurs/coordination
    network_channels: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()
    digests: tuple[DigestSchedule, ...] = ()
    digests_are_default: bool = False  # True: Relais's weekly entraide digest, no [[digests]] in relais.toml
    digest_grace_minutes: int = 360
    retention_days: int = 365
    config_path: str | None = None
    directory_sources: tuple[DirectorySource, ...] = ()
    directory_zone: tuple[str, ...] = ()  # départements the coordinators' change report calls "près de chez vous"
    directory_retries: int = 3
    directory_retry_seconds: int = 60

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel this configuration names (features, network, digests), once each, in that order."""
        names = (self.channel_entraide, self.channel_ateliers, self.channel_annonces, self.channel_coordinateurs,
                 *self.network_channels, *(d.channel for d in self.digests))
        return tuple(dict.fromkeys(n for n in names if n))

    @property
    def mattermost_configured(self) -> bool:
        return bool(self.mattermost_url and self.mattermost_token)


def _require(env: dict[str, str], name: str, expected: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(name, value, expected)
    return value


def _check_http_url(name: str, value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(name, value, "une URL complète en http(s)://, par exemple https://chat.exemple.fr")
    return value.rstrip("/")


def _parse_listen(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError("RELAIS_LISTEN", value, "hôte:port, par exemple 127.0.0.1:8080")
    return host.strip("[]"), int(port)


def _check_timezone(value: str, name: str = "timezone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            name, value, "un fuseau IANA, par exemple Europe/Paris, Indian/Reunion, America/Guadeloupe"
        ) from None
    return value


def _check_database_url(value: str) -> None:
    """Only the two engines Relais is tested on; anything else would fail later with a traceback."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(value)
        backend, shown = url.get_backend_name(), url.render_as_string(hide_password=True)
    except Exception:
        backend, shown = "", value.split("@")[-1]  # never echo a password
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            "RELAIS_DATABASE_URL", shown,
            "une URL SQLite ou PostgreSQL, par exemple sqlite:///relais.db ou postgresql+psycopg://hote/base",
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"illisible ({exc})", "un fichier TOML valide") from None


def _str_list(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}.{key}", value, "une liste de noms entre guillemets")
    return tuple(v.strip().lstrip("@~") for v in value)


def _digests(raw: Any) -> tuple[DigestSchedule, ...]:
    from bot.core.cron import crontab_trigger

    if not isinstance(raw, list):
        raise ConfigError("[[digests]]", raw, "une liste de tables [[digests]] avec channel et cron")
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not item.get("channel") or not item.get("cron"):
            raise ConfigError(f"digests n° {i}", item, "channel = \"nom-du-canal\" et cron = \"0 9 * * 1\"")
        try:
            crontab_trigger(str(item["cron"]))
        except ValueError:
            raise ConfigError(
                f"digests n° {i}.cron", item["cron"],
                "une expression cron à 5 champs, par exemple 0 9 * * 1 (le lundi à 9 h ; dimanche = 0 ou 7)",
            ) from None
        out.append(DigestSchedule(str(item["channel"]).lstrip("~"), str(item["cron"]),
                                  str(item.get("title", DigestSchedule.title))))
    return tuple(out)


def _directory_sources(raw: Any) -> tuple[DirectorySource, ...]:
    from bot.core.cron import crontab_trigger

    if not isinstance(raw, list):
        raise ConfigError("[[directory.sources]]", raw, "une liste de tables [[directory.sources]]")
    out: list[DirectorySource] = []
    for i, item in enumerate(raw, 1):
        where = f"directory.sources n° {i}"
        location = item.get("url") or item.get("file") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not location or not item.get("cron"):
            raise ConfigError(where, item, 'url = "https://…" (ou file = "chemin") et cron = "0 5 * * 1"')
        if item.get("url") and not str(item["url"]).startswith(("http://", "https://")):
            raise ConfigError(f"{where}.url", item["url"], "une adresse http:// ou https://")
        try:
            crontab_trigger(str(item["cron"]))
        except ValueError:
            raise ConfigError(f"{where}.cron", item["cron"],
                              "une expression cron à 5 champs, par exemple 0 5 * * 1 (le lundi à 5 h)") from None
        fmt = str(item.get("format", "")).strip()
        if fmt and fmt not in DIRECTORY_FORMATS:
            raise ConfigError(f"{where}.format", fmt, "v1, france-services ou v0")
        name = str(item.get("name") or ("france-services" if fmt == "france-services" else "")).strip()
        if not name:
            raise ConfigError(f"{where}.name", "", 'le nom de la source dans l’annuaire, par exemple "lieux-national"')
        if name in {s.name for s in out}:
            raise ConfigError(f"{where}.name", name, "un nom différent pour chaque source")
        out.append(DirectorySource(name, str(location), str(item["cron"]), fmt, bool(item.get("partial", False))))
    return tuple(out)


def load_settings(
    *, require_mattermost: bool = False, env: dict[str, str] | None = None, dotenv: bool = True
) -> Settings:
    """Build settings; `require_mattermost` is for `serve`/`setup`, the console needs none of it."""
    if env is None:
        if dotenv:
            load_dotenv(Path.cwd() / ".env", override=False)
        env = dict(os.environ)

    database_url = env.get("RELAIS_DATABASE_URL", "").strip() or f"sqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"
    if "://" not in database_url:
        raise ConfigError(
            "RELAIS_DATABASE_URL", database_url,
            "une URL SQLAlchemy, par exemple sqlite:///relais.db ou postgresql+psycopg://hote/base",
        )
    if database_url.startswith(("postgresql://", "postgres://")):
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    _check_database_url(database_url)

    listen_host, listen_port = _parse_listen(env.get("RELAIS_LISTEN", "").strip() or DEFAULT_LISTEN)

    config_path = env.get("RELAIS_CONFIG", "").strip() or None
    data: dict[str, Any] = {}
    if config_path:
        if not Path(config_path).is_file():
            raise ConfigError("RELAIS_CONFIG", config_path, "le chemin d’un fichier relais.toml existant")
        data = _read_toml(Path(config_path))
    else:
        for candidate in DEFAULT_CONFIG_PATHS:
            if (Path.cwd() / candidate).is_file():
                config_path = str(Path.cwd() / candidate)
                data = _read_toml(Path(config_path))
                break

    network = data.get("network", {})
    channels = data.get("channels", {})
    directory = data.get("directory", {})
    if not isinstance(directory, dict):
        raise ConfigError("relais.toml", "mal structuré", "une table [directory]")
    if not isinstance(network, dict) or not isinstance(channels, dict):
        raise ConfigError("relais.toml", "mal structuré", "des tables [network] et [channels]")
    timezone = _check_timezone(str(network.get("timezone", DEFAULT_TIMEZONE)), "network.timezone")
    team = env.get("MATTERMOST_TEAM", "").strip() or str(network.get("team", "")).strip()

    def _int(section: dict[str, Any], key: str, default: int, where: str) -> int:
        value = section.get(key, default)
        if not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}.{key}", value, "un nombre entier positif")
        return value

    channel_entraide = str(channels.get("entraide", "entraide")).lstrip("~")
    digests = _digests(data.get("digests", []))
    default_digest = network.get("default_digest", True)
    if not isinstance(default_digest, bool):
        raise ConfigError("network.default_digest", default_digest, "true ou false")
    digests_are_default = "digests" not in data and default_digest
    if digests_are_default:
        digests = (DigestSchedule(channel_entraide, DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TITLE),)

    settings = Settings(
        database_url=database_url,
        mattermost_url=env.get("MATTERMOST_URL", "").strip(),
        mattermost_token=env.get("MATTERMOST_TOKEN", "").strip(),
        team=team,
        public_url=env.get("RELAIS_PUBLIC_URL", "").strip().rstrip("/"),
        listen_host=listen_host,
        listen_port=listen_port,
        secret=env.get("RELAIS_SECRET", "").strip(),
        timezone=timezone,
        channel_entraide=channel_entraide,
        channel_ateliers=str(channels.get("ateliers", "ateliers")).lstrip("~"),
        channel_annonces=str(channels.get("annonces", "annonces")).lstrip("~"),
        channel_coordinateurs=str(channels.get("coordinateurs", "")).lstrip("~"),
        network_channels=_str_list(channels, "network", "channels"),
        coordinators=_str_list(network, "coordinators", "network"),
        digests=digests,
        digests_are_default=digests_are_default,
        digest_grace_minutes=_int(network, "digest_grace_minutes", 360, "network"),
        retention_days=_int(network, "retention_days", 365, "network"),
        config_path=config_path,
        directory_sources=_directory_sources(directory.get("sources", [])),
        directory_zone=_str_list(directory, "zone", "directory"),
        directory_retries=max(1, _int(directory, "retries", 3, "directory")),
        directory_retry_seconds=_int(directory, "retry_seconds", 60, "directory"),
    )
    if require_mattermost:
        _check_http_url("MATTERMOST_URL", _require(env, "MATTERMOST_URL", "l’URL de votre Mattermost"))
        _require(env, "MATTERMOST_TOKEN", "le jeton d’accès du compte bot (Console système > Comptes bot)")
        if not settings.team:
            raise ConfigError("MATTERMOST_TEAM", "", "le nom court de l’équipe (celui de l’URL)")
        _check_http_url("RELAIS_PUBLIC_URL", _require(
            env, "RELAIS_PUBLIC_URL", "l’URL par laquelle Mattermost joint le bot, par exemple http://relais:8080"))
        secret = _require(env, "RELAIS_SECRET", "une chaîne aléatoire d’au moins 32 caractères")
        if len(secret) < 32:
            raise ConfigError("RELAIS_SECRET", f"{len(secret)} caractères", "au moins 32 caractères aléatoires")
        object.__setattr__(settings, "mattermost_url", settings.mattermost_url.rstrip("/"))
    return settings
