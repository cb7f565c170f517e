"""`relais check`: prove a live deployment works, step by step, before counsellors try it.

It acts as a counsellor (an ordinary user's token) on the real server, in a channel of its own
(`relais-verification-…`, private, archived at the end): every slash command must reach Relais and
answer, a dialog must open and be accepted, a button must be answered, a thread reply and a ✅
must be seen by the bot, the stats chart must arrive as a file, and the bot's WebSocket must
resume after a cut. What it creates is removed at the end: the channel, the chart message, and
in the database the test accompaniment and the test question (so nothing stays in the network's
statistics). Each step says ✅ or ❌ with the reason and what to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from sqlalchemy import func, select

from bot.config import Settings
from bot.core.context import CHECK_CHANNEL_PREFIX, App, PlatformError
from bot.core.events import PostEvent
from bot.core.registry import Command, Registry
from bot.db import Database
from bot.mattermost import limits
from bot.mattermost.client import MattermostClient
from bot.mattermost.render import COMMANDS_PATH
from bot.mattermost.websocket import WebSocketListener, decode_event

WAIT = 15.0  # seconds for an answer to show up (Relais answers in well under 3 s; the margin is for slow links)
QUESTION = "Vérification de Relais : comment aider une personne à retrouver son identifiant France Connect ?"
CHECK_MARK = "white_check_mark"
CHECK_NOTE = "vérification automatique (relais check), à effacer"  # marks the one accompaniment the check saves

NO_RELAIS = (
    "Vérifiez que relais serve tourne et que Mattermost peut joindre RELAIS_PUBLIC_URL ({url}) ; si Relais est "
    "sur une adresse privée, ajoutez-la dans Console système > Environnement > Développeur > « Autoriser les "
    "connexions internes non fiables »."
)


@dataclass
class Step:
    title: str
    ok: bool
    detail: str = ""
    fix: str = ""
    warning: bool = False  # works, but less well than it could (not a failure)


@dataclass
class CheckReport:
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    def add(self, title: str, ok: bool, detail: str = "", fix: str = "", *, warning: bool = False) -> bool:
        self.steps.append(Step(title, ok, detail, fix, warning))
        return ok


class CheckFailed(Exception):
    """A step failed and the next ones depend on it."""


def print_check(report: CheckReport, out: Callable[[str], None] = print) -> None:
    for step in report.steps:
        mark = "⚠️" if step.ok and step.warning else "✅" if step.ok else "❌"
        out(f"{mark} {step.title}" + (f" : {step.detail}" if step.detail else ""))
        if step.fix and (not step.ok or step.warning):
            out(f"   → À faire : {step.fix}")
    failed = sum(not s.ok for s in report.steps)
    out("Tout fonctionne : Relais est prêt pour les conseillers." if not failed else
        f"{failed} point{'s' if failed > 1 else ''} à corriger, puis relancez : relais check --user-token …")


# -- the counsellor's side ---------------------------------------------------------------------------
class Counsellor:
    """REST calls with the user's token, and their WebSocket, whose events are kept for `wait_for`."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http = httpx.AsyncClient(base_url=self.base_url + "/api/v4", timeout=30.0,
                                      headers={"Authorization": f"Bearer {token}"})
        self.events: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()
        self._session: aiohttp.ClientSession | None = None
        self._reader: asyncio.Task[None] | None = None
        self.me: dict[str, Any] = {}

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = await self.http.request(method, path, **kwargs)
        if resp.status_code >= 400:
            raise PlatformError(_app_error(resp), status=resp.status_code, retryable=False)
        return resp.json() if resp.content else None

    async def connect(self) -> None:
        url = self.base_url.replace("http", "ws", 1) + "/api/v4/websocket"
        self._session = aiohttp.ClientSession()
        ws = await self._session.ws_connect(url, headers={"Authorization": f"Bearer {self.token}"}, heartbeat=30)
        hello = await asyncio.wait_for(ws.receive_str(), WAIT)
        if json.loads(hello).get("event") != "hello":
            await ws.send_str(json.dumps({"seq": 1, "action": "authentication_challenge",
                                          "data": {"token": self.token}}))
        self._reader = asyncio.ensure_future(self._read(ws))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            event = decode_event(msg.data)
            if event is not None:
                async with self._arrived:
                    self.events.append(event)
                    self._arrived.notify_all()

    async def wait_for(self, match: Callable[[dict[str, Any]], bool], timeout: float = WAIT,
                       since: int = 0) -> dict[str, Any] | None:
        """The first event from index `since` on that `match`es, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        async with self._arrived:
            while True:
                for event in self.events[since:]:
                    if match(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), left)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._session is not None:
            await self._session.close()
        await self.http.aclose()


def _app_error(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return f"{resp.status_code} {resp.text[:200]}"
    if not isinstance(body, dict):
        return f"{resp.status_code}"
    parts = [str(body.get("message") or ""), str(body.get("detailed_error") or "")]
    return f"{resp.status_code} " + " — ".join(p for p in parts if p) + (f" ({body['id']})" if body.get("id") else "")


def _post(event: dict[str, Any]) -> dict[str, Any]:
    post = (event.get("data") or {}).get("post")
    return post if isinstance(post, dict) else {}


# -- the check ----------------------------------------------------------------------------------------
class DeploymentCheck:
    """One run of `relais check`; `run()` never raises for a failed step, it records it."""

    def __init__(self, settings: Settings, db: Database, registry: Registry, user_token: str, *,
                 bot: MattermostClient | None = None, wait: float = WAIT) -> None:
        self.settings = settings
        self.db = db
        self.registry = registry
        self.bot = bot or MattermostClient(settings, max_retries=1)
        self.user = Counsellor(settings.mattermost_url, user_token)
        self.wait = wait
        self.report = CheckReport()
        self.team_id = ""
        self.channel: dict[str, Any] = {}
        self.created_posts: list[str] = []  # bot posts outside the check channel (the chart in a direct message)
        self.question_post = ""
        self.last_accompaniment = 0

    # -- plumbing --------------------------------------------------------------------------------
    async def execute(self, text: str) -> tuple[dict[str, Any], int]:
        """Run a slash command as the counsellor in the check channel; returns its response and the index of
        the first event that may answer it."""
        mark = len(self.user.events)
        body = {"channel_id": self.channel["id"], "team_id": self.team_id, "command": text}
        try:
            response = await self.user.call("POST", "/commands/execute", json=body)
        except PlatformError as exc:
            raise CheckFailed(str(exc)) from None
        return response or {}, mark

    async def ephemeral(self, since: int, contains: str = "") -> dict[str, Any] | None:
        def match(e: dict[str, Any]) -> bool:
            post = _post(e)
            return e.get("event") == "ephemeral_message" and post.get("channel_id") == self.channel["id"] \
                and contains in str(post.get("message", "")) + json.dumps(post.get("props") or {})

        return await self.user.wait_for(match, self.wait, since)

    # -- steps -----------------------------------------------------------------------------------
    async def run(self) -> CheckReport:
        steps: list[Callable[[], Awaitable[None]]] = [
            self.check_bot, self.check_user, self.open_channel, self.check_commands, self.check_dialog,
            self.check_chart, self.check_question, self.check_button, self.check_thread, self.check_websocket,
        ]
        try:
            for step in steps:
                await step()
        except CheckFailed:
            pass
        finally:
            await self.clean_up()
            await self.user.close()
            await self.bot.close()
        return self.report

    async def check_bot(self) -> None:
        title = "Compte bot (MATTERMOST_TOKEN)"
        try:
            me = await self.bot.driver.client.get("/api/v4/users/me")
        except Exception as exc:  # the driver raises its own types, httpx's and OSError
            self.report.add(title, False, f"Mattermost refuse le jeton ou ne répond pas ({exc})",
                            "recréez un jeton d’accès pour le compte bot (Console système > Intégrations > "
                            "Comptes bot) et mettez-le dans .env (MATTERMOST_TOKEN) ; vérifiez MATTERMOST_URL.")
            raise CheckFailed from None
        self.bot.bot_user_id, self.bot.bot_username = me["id"], me["username"]
        if not me.get("is_bot"):
            self.report.add(title, True, f"@{me['username']} est un compte ordinaire, pas un compte bot",
                            "créez un compte bot (Console système > Intégrations > Comptes bot) : un compte "
                            "ordinaire compte comme un utilisateur et peut se faire déconnecter.", warning=True)
        team = await self._safe(self.bot.team(self.settings.team))
        if not team:
            self.report.add(title, False, f"@{me['username']} ne voit pas l’équipe « {self.settings.team} »",
                            "ajoutez le bot à l’équipe (menu de l’équipe > Ajouter des membres) et vérifiez "
                            "MATTERMOST_TEAM (le nom court, celui de l’URL).")
            raise CheckFailed
        self.team_id = team["id"]
        self.report.add(title, True, f"@{me['username']}, membre de l’équipe {self.settings.team}")
        await self.check_permissions()

    async def check_permissions(self) -> None:
        try:
            await self.bot.list_commands(self.team_id)
            self.report.add("Permission « gérer les commandes slash »", True)
        except PlatformError as exc:
            self.report.add("Permission « gérer les commandes slash »", False, str(exc),
                            "faites du bot un administrateur de l’équipe (Console système > Comptes "
                            "utilisateurs > relais > Gérer les rôles d’équipe), puis : relais setup")
        missing = []
        for name in self.settings.channels:
            ref = await self._safe(self.bot.channel_by_name(name))
            if ref is None or not await self._safe(self.bot.is_channel_member(ref.id, self.bot.bot_user_id)):
                missing.append(name)
        self.report.add("Canaux du réseau", not missing,
                        "le bot est membre de " + ", ".join(f"~{n}" for n in self.settings.channels)
                        if not missing else "le bot n’est pas membre de " + ", ".join(f"~{n}" for n in missing),
                        "dans chacun de ces canaux (créez-le s’il manque), tapez /invite @"
                        + (self.bot.bot_username or "relais"))
        roles = await self._safe(self.bot.driver.client.post(
            "/api/v4/roles/names", options=(await self._bot_roles())))
        permissions = {p for r in roles or [] for p in r.get("permissions", [])}
        self.report.add("Messages éphémères (create_post_ephemeral)", True,
                        "accordée" if "create_post_ephemeral" in permissions else
                        "non accordée : les réponses aux formulaires et boutons arriveront en message direct",
                        "Console système > Permissions > schéma système > Membres > Messages > « Créer des "
                        "messages éphémères » (ou faites du bot un administrateur système)",
                        warning="create_post_ephemeral" not in permissions)

    async def _bot_roles(self) -> list[str]:
        names = set()
        me = await self._safe(self.bot.driver.client.get("/api/v4/users/me")) or {}
        names.update(str(me.get("roles", "")).split())
        member = await self._safe(self.bot.driver.client.get(
            f"/api/v4/teams/{self.team_id}/members/{self.bot.bot_user_id}")) or {}
        names.update(str(member.get("roles", "")).split())
        return sorted(names)

    async def check_user(self) -> None:
        title = "Compte de test (--user-token)"
        try:
            self.user.me = await self.user.call("GET", "/users/me")
            teams = await self.user.call("GET", "/users/me/teams")
        except PlatformError as exc:
            self.report.add(title, False, f"Mattermost refuse ce jeton ({exc})",
                            "créez un jeton d’accès personnel pour un compte ordinaire (Profil > Sécurité > "
                            "Jetons d’accès personnels ; l’administrateur doit les activer dans Console système > "
                            "Intégrations > Intégrations personnalisées).")
            raise CheckFailed from None
        if self.user.me.get("is_bot") or self.user.me["id"] == self.bot.bot_user_id:
            self.report.add(title, False, "c’est un compte bot : la vérification doit agir comme un conseiller",
                            "donnez le jeton d’un compte ordinaire (un conseiller ou un compte de test).")
            raise CheckFailed
        if self.team_id not in {t.get("id") for t in teams or []}:
            self.report.add(title, False, f"@{self.user.me['username']} n’est pas membre de l’équipe "
                            f"{self.settings.team}", "ajoutez ce compte à l’équipe, puis relancez.")
            raise CheckFailed
        self.report.add(title, True, f"@{self.user.me['username']}, membre de l’équipe {self.settings.team}")

    async def open_channel(self) -> None:
        title = "Canal de vérification"
        name = f"{CHECK_CHANNEL_PREFIX}-{secrets.token_hex(3)}"
        try:
            self.channel = await self.user.call("POST", "/channels", json={
                "team_id": self.team_id, "name": name, "display_name": "Vérification de Relais", "type": "P",
                "purpose": "Canal temporaire de relais check (archivé à la fin)"})
            await self.user.call("POST", f"/channels/{self.channel['id']}/members",
                                 json={"user_id": self.bot.bot_user_id})
            await self.user.connect()
        except (PlatformError, aiohttp.ClientError, OSError, TimeoutError) as exc:
            self.report.add(title, False, str(exc),
                            "le compte de test doit pouvoir créer un canal privé et y inviter le bot.")
            raise CheckFailed from None
        self.report.add(title, True, f"~{name} (privé, archivé à la fin)")

    async def check_commands(self) -> None:
        registered = {c["trigger"]: c for c in await self._safe(self.bot.list_commands(self.team_id)) or []}
        failed = False
        for cmd in self.registry.commands.values():
            failed |= not await self._check_command(cmd, registered.get(cmd.trigger))
        if failed:
            raise CheckFailed

    async def _check_command(self, cmd: Command, registered: dict[str, Any] | None) -> bool:
        title = f"/{cmd.trigger}"
        want_url = self.settings.public_url.rstrip("/") + COMMANDS_PATH
        if registered is not None and registered.get("url") != want_url:
            return self.report.add(title, False, f"enregistrée vers {registered.get('url')}, pas {want_url}",
                                   "relancez : relais setup")
        text = f"/{cmd.trigger}" if cmd.trigger == "aide" else f"/{cmd.trigger} aide"
        try:
            response, mark = await self.execute(text)
        except CheckFailed as exc:
            reason = str(exc)
            fix = ("relancez : relais setup" if "not_found" in reason or registered is None
                   else NO_RELAIS.format(url=self.settings.public_url))
            return self.report.add(title, False, f"Mattermost n’a pas pu l’exécuter ({reason})", fix)
        if response.get("response_type") in ("ephemeral", None) and (response.get("text") or "").strip():
            seen = await self.ephemeral(mark)
            if seen is None:
                return self.report.add(title, False, "Relais a répondu mais la réponse n’est pas arrivée par la "
                                       "WebSocket du conseiller", "vérifiez le journal de Mattermost.")
            return self.report.add(title, True, "reçue, réponse privée affichée")
        return self.report.add(title, False, f"réponse inattendue : {json.dumps(response)[:200]}",
                               "relancez : relais setup, puis redémarrez relais serve.")

    async def check_dialog(self) -> None:
        title = "Formulaire /accompagnement (ouverture, envoi)"
        with self.db.session() as s:
            self.last_accompaniment = _last_accompaniment(s, self.user.me["id"])
        try:
            _, mark = await self.execute("/accompagnement")
        except CheckFailed as exc:
            self.report.add(title, False, str(exc), NO_RELAIS.format(url=self.settings.public_url))
            return
        opened = await self.user.wait_for(lambda e: e.get("event") == "open_dialog", self.wait, mark)
        if opened is None:
            self.report.add(title, False, "le formulaire ne s’est pas ouvert",
                            "vérifiez que RELAIS_PUBLIC_URL est l’adresse par laquelle Mattermost joint Relais.")
            return
        request = json.loads((opened.get("data") or {}).get("dialog") or "{}")
        dialog = request.get("dialog") or {}
        problems = limits.dialog_problems(dialog)
        if problems:
            self.report.add("Formulaire conforme aux limites de Mattermost", False, " ; ".join(problems[:5]),
                            "signalez-le aux développeurs de Relais (le serveur pourrait refuser ce formulaire).")
        mark = len(self.user.events)
        submit = {"url": request.get("url"), "callback_id": dialog.get("callback_id"), "state": dialog.get("state"),
                  "user_id": self.user.me["id"], "channel_id": self.channel["id"], "team_id": self.team_id,
                  "submission": fill_dialog(dialog), "cancelled": False}
        if any(el.get("name") == "notes" for el in dialog.get("elements") or []):
            submit["submission"]["notes"] = CHECK_NOTE
        try:
            answer = await self.user.call("POST", "/actions/dialogs/submit", json=submit)
        except PlatformError as exc:
            self.report.add(title, False, f"envoi refusé ({exc})", NO_RELAIS.format(url=self.settings.public_url))
            return
        if answer and (answer.get("errors") or answer.get("error")):
            self.report.add(title, False, f"Relais a refusé le formulaire : {json.dumps(answer, ensure_ascii=False)}",
                            "signalez-le aux développeurs de Relais.")
            return
        saved = await self.user.wait_for(
            lambda e: e.get("event") in ("ephemeral_message", "posted") and "enregistré" in
            json.dumps(_post(e), ensure_ascii=False), self.wait, mark)
        self.report.add(title, saved is not None, "ouvert, envoyé, confirmation reçue" if saved else
                        "envoyé, mais aucune confirmation reçue", "vérifiez le journal de relais serve.")

    async def check_chart(self) -> None:
        title = "Fichier : graphique de /accompagnement stats"
        try:
            _, mark = await self.execute("/accompagnement stats")
        except CheckFailed as exc:
            self.report.add(title, False, str(exc))
            return

        def with_file(e: dict[str, Any]) -> bool:
            post = _post(e)
            return e.get("event") == "posted" and post.get("user_id") == self.bot.bot_user_id \
                and bool(post.get("file_ids"))

        posted = await self.user.wait_for(with_file, self.wait, mark)
        if posted is None:
            self.report.add(title, False, "aucun fichier reçu",
                            "vérifiez que l’envoi de fichiers est activé (Console système > Environnement > "
                            "Stockage des fichiers) et le journal de relais serve.")
            return
        post = _post(posted)
        self.created_posts.append(post["id"])
        info = await self._safe(self.user.call("GET", f"/files/{post['file_ids'][0]}/info")) or {}
        ok = str(info.get("mime_type", "")).startswith("image/")
        self.report.add(title, ok, f"{info.get('name', '?')} ({info.get('mime_type', '?')}) reçu en message direct",
                        "vérifiez la taille maximale des fichiers (Console système > Stockage des fichiers).")

    async def check_question(self) -> None:
        title = "Message public : question /entraide dans le canal"
        try:
            _, mark = await self.execute(f"/entraide {QUESTION}")
        except CheckFailed as exc:
            self.report.add(title, False, str(exc))
            raise CheckFailed from None

        def question(e: dict[str, Any]) -> bool:
            post = _post(e)
            return e.get("event") == "posted" and post.get("channel_id") == self.channel["id"] \
                and post.get("user_id") == self.bot.bot_user_id and "relais_question" in (post.get("props") or {})

        posted = await self.user.wait_for(question, self.wait, mark)
        if posted is None:
            self.report.add(title, False, "la question n’a pas été publiée", "vérifiez le journal de relais serve.")
            raise CheckFailed
        self.question_post = _post(posted)["id"]
        self.report.add(title, True, "publiée par le bot, avec ses boutons")

    async def check_button(self) -> None:
        """"Je m'en occupe" on one's own question: Relais answers privately (and leaves the question open)."""
        title = "Bouton (clic sur « Je m’en occupe »)"
        post = await self.user.call("GET", f"/posts/{self.question_post}")
        actions = [a for att in (post.get("props") or {}).get("attachments") or [] for a in att.get("actions") or []]
        claim = [a for a in actions if "occupe" in str(a.get("name", ""))] or actions
        if not claim:
            self.report.add(title, False, "la question n’a pas de bouton", "signalez-le aux développeurs de Relais.")
            return
        mark = len(self.user.events)
        try:
            await self.user.call("POST", f"/posts/{self.question_post}/actions/{claim[0]['id']}", json={})
        except PlatformError as exc:
            self.report.add(title, False, f"clic refusé ({exc})", NO_RELAIS.format(url=self.settings.public_url))
            return

        def answered(e: dict[str, Any]) -> bool:  # a private answer, or the clicked post replaced
            post = _post(e)
            return (e.get("event") == "ephemeral_message" and post.get("channel_id") == self.channel["id"]) or \
                (e.get("event") == "post_edited" and post.get("id") == self.question_post)

        answer = await self.user.wait_for(answered, self.wait, mark)
        self.report.add(title, answer is not None, "Relais a répondu au clic" if answer else "aucune réponse au clic",
                        "vérifiez le journal de relais serve.")

    async def check_thread(self) -> None:
        title = "Réponse dans le fil et réaction ✅ vues par le bot"
        mark = len(self.user.events)
        try:
            reply = await self.user.call("POST", "/posts", json={
                "channel_id": self.channel["id"], "root_id": self.question_post,
                "message": "Réponse de vérification : sur franceconnect.gouv.fr, « Identifiant oublié »."})
            await self.user.call("POST", "/reactions", json={
                "user_id": self.user.me["id"], "post_id": reply["id"], "emoji_name": CHECK_MARK})
        except PlatformError as exc:
            self.report.add(title, False, str(exc))
            return

        def resolved(e: dict[str, Any]) -> bool:
            post = _post(e)
            return e.get("event") in ("post_edited", "posted") and post.get("user_id") == self.bot.bot_user_id \
                and "Résolue" in json.dumps(post, ensure_ascii=False)

        seen = await self.user.wait_for(resolved, self.wait, mark)
        self.report.add(title, seen is not None, "question marquée résolue par le bot" if seen else
                        "le bot n’a pas réagi", "vérifiez que relais serve est connecté (GET /healthz : "
                        "« websocket »: « connected ») et que le bot est membre des canaux.")

    async def check_websocket(self) -> None:
        title = "WebSocket du bot : reprise après coupure"
        seen: list[str] = []
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'check.db'}")
            from bot.db.base import Base

            Base.metadata.create_all(db.engine)
            registry = Registry()
            probe = Command("relais-check", "")

            @probe.on("posted")
            async def record(_: App, event: PostEvent) -> None:
                seen.append(event.message)

            registry.add(probe)
            app = App(self.settings, db, self.bot, registry)
            listener = WebSocketListener(app, self.bot, backoff_base=0.2, watched=(self.channel["name"],))
            listener.start()
            try:
                ok, detail = await self._cut_and_resume(listener, seen)
            finally:
                await listener.stop(5)
                db.dispose()
        self.report.add(title, ok, detail, "vérifiez qu’un proxy devant Mattermost laisse passer les WebSockets "
                        "(en-têtes Upgrade et Connection) et ne les coupe pas trop tôt.")

    async def _cut_and_resume(self, listener: WebSocketListener, seen: list[str]) -> tuple[bool, str]:
        if not await _until(lambda: listener.connections >= 1, self.wait):
            return False, "connexion impossible"
        assert listener._ws is not None
        await listener._ws.close()  # the cut
        missed = f"Pendant la coupure {secrets.token_hex(3)}"
        await self.user.call("POST", "/posts", json={"channel_id": self.channel["id"], "message": missed})
        if not await _until(lambda: listener.connections >= 2, self.wait):
            return False, "pas de reconnexion après la coupure"
        after = f"Après la reprise {secrets.token_hex(3)}"
        await self.user.call("POST", "/posts", json={"channel_id": self.channel["id"], "message": after})
        if not await _until(lambda: missed in seen and after in seen, self.wait):
            lost = [m for m in (missed, after) if m not in seen]
            return False, "message non reçu : " + ", ".join(lost)
        return True, "reconnectée, le message envoyé pendant la coupure a été rattrapé"

    # -- clean up --------------------------------------------------------------------------------
    async def clean_up(self) -> None:
        """Remove what the check created; each part is tried even when another fails."""
        if self.channel:
            with self.db.session() as s:
                _forget_questions(s, self.channel["id"])
            with contextlib.suppress(PlatformError, httpx.HTTPError):
                await self.user.call("DELETE", f"/channels/{self.channel['id']}")
        if self.user.me:
            with self.db.session() as s:
                _forget_accompaniments(s, self.user.me["id"], self.last_accompaniment)
        for post_id in self.created_posts:
            with contextlib.suppress(Exception):
                await self.bot.driver.client.delete(f"/api/v4/posts/{post_id}")

    async def _safe(self, call: Awaitable[Any]) -> Any:
        """A lookup whose failure the step reports by itself (None)."""
        try:
            return await call
        except Exception:  # any driver or network failure: the caller reports what is missing
            return None


async def _until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


def fill_dialog(dialog: dict[str, Any]) -> dict[str, Any]:
    """A submission a counsellor could make: defaults kept, every required field given a plausible value."""
    values: dict[str, Any] = {}
    for el in dialog.get("elements") or []:
        name, kind, default = el.get("name"), el.get("type"), el.get("default")
        options = el.get("options") or []
        if default not in (None, ""):
            values[name] = default == "true" if kind == "bool" else default
        elif kind in ("select", "radio") and options:
            values[name] = options[0]["value"]  # a counsellor picks one, even in an optional list (the duration)
        elif not el.get("optional"):
            if el.get("subtype") == "number":
                values[name] = "1"
            elif name == "date":
                values[name] = date.today().strftime("%d/%m/%Y")
            else:
                values[name] = "Vérification"
    return values


def _last_accompaniment(session: Any, user_id: str) -> int:
    from bot.accompagnements.models import Accompaniment

    return int(session.scalar(select(func.max(Accompaniment.id)).where(Accompaniment.user_id == user_id)) or 0)


def _forget_accompaniments(session: Any, user_id: str, after_id: int) -> None:
    """The check's own entry (newer than the user's last one before the check, with the check's note): never in
    the statistics. A real entry the counsellor saves meanwhile is kept."""
    from bot.accompagnements import service
    from bot.accompagnements.models import Accompaniment

    for row_id in session.scalars(select(Accompaniment.id).where(
            Accompaniment.user_id == user_id, Accompaniment.id > after_id, Accompaniment.notes == CHECK_NOTE)):
        service.delete_own(session, user_id, row_id)


def _forget_questions(session: Any, channel_id: str) -> None:
    from bot.entraide import questions
    from bot.entraide.models import Question

    for question_id in session.scalars(select(Question.id).where(Question.channel_id == channel_id)):
        questions.forget(session, question_id)


async def run_check(settings: Settings, db: Database, registry: Registry, user_token: str, *,
                    wait: float = WAIT) -> CheckReport:
    return await DeploymentCheck(settings, db, registry, user_token, wait=wait).run()
