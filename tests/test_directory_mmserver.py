"""The directory over Mattermost (the fake server): a coordinator's edit in plain French through the real dialog,
and the scheduled refresh of a source posting its change report in the coordinators' channel."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest_asyncio

from bot.app import build_registry
from bot.config import DirectorySource
from bot.db import Database
from bot.directory import load_bundled_directory
from bot.handlers import annuaire, entraide
from tests.mmserver.fixtures import World, seeded_world
from tests.transport_support import free_port, make_settings, prepare_world, running_bot, setup_commands

FORM = {"nom": "Espace numérique de Vif", "adresse": "3 rue du Lieutenant Valentin", "code_postal": "38450",
        "commune": "Vif", "telephone": "04 76 11 22 33", "services": "acces internet, démarches",
        "publics": "seniors"}


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with seeded_world() as w:
        yield w


async def test_coordinator_adds_a_place_in_plain_french(world: World, db: Database, db_url: str,
                                                        tmp_path: Path) -> None:
    server, admin = world.server, world.admin
    prepare_world(world)
    world.bot["roles"] = "system_user system_admin"  # ephemeral posts (README)
    load_bundled_directory(db)
    port = free_port()
    settings = make_settings(world, db_url, tmp_path, port)
    registry = build_registry()
    await setup_commands(settings, db, registry)
    async with running_bot(settings, db, registry):
        opened = await server.run_command(admin["id"], world.town["id"], "/annuaire ajouter")
        assert opened.ok, opened.error
        dialog = await server.wait_for_dialog(admin["id"])
        bad = await server.submit_dialog(admin["id"], dialog, {**FORM, "horaires": "lundi vers 9h"})
        assert not bad.closed and set(bad.errors) == {"horaires"} and "« vers »" in bad.errors["horaires"]
        done = await server.submit_dialog(admin["id"], dialog, {
            **FORM, "horaires": "lun-ven 9h-12h 14h-17h, fermé le mercredi"})
        assert done.ok and done.closed, done.response
        confirm = await server.wait_for_ephemeral(admin["id"], contains="Horaires compris")
        assert "**lun.-ven. 9h-12h, 14h-17h ; mer. fermé**" in confirm["message"]
        assert "`Mo-Fr 09:00-12:00,14:00-17:00; We off`" in confirm["message"]
        card = confirm["props"]["attachments"][0]
        assert "38450 Vif" in card["text"] and card["actions"][0]["name"] == "Corriger"


def _fs_rows(shared_data: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO((shared_data / "france-services_liste-fs-20240801.csv")
                                        .read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


async def test_scheduled_refresh_reports_to_the_coordinators(world: World, db: Database, db_url: str,
                                                             tmp_path: Path, shared_data: Path) -> None:
    server = world.server
    prepare_world(world)
    coordination = server.add_channel(world.team["id"], "coordinateurs", "Coordinateurs")
    server.add_channel_member(coordination["id"], world.bot["id"])
    header, rows = _fs_rows(shared_data)
    isere = [r for r in rows if r["insee_dep"] == "38"]
    path = tmp_path / "liste-fs-20241201.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(isere)
    port = free_port()
    settings = replace(make_settings(world, db_url, tmp_path, port), directory_zone=("38",),
                       directory_sources=(DirectorySource("france-services", str(path), "* * * * *"),))
    registry = build_registry()
    await setup_commands(settings, db, registry)
    # `relais serve` with its schedules: the refresh catches up at start, the outbox posts its report.
    async with running_bot(settings, db, registry, jobs=(annuaire.schedule, entraide.schedule)):
        post = await server.wait_for_post(channel_id=coordination["id"], contains="Annuaire mis à jour",
                                          timeout=20)
    assert f"{len(isere)} nouveaux lieux près de chez vous (Isère)." in post["message"]
    assert post["user_id"] == world.bot["id"]
