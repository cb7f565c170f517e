"""Announcement lifecycle: validate, queue one outbox message per channel, edit or cancel before it leaves,
record read receipts, and say who has not read yet.

Validation is async only because target channels are looked up on the platform; everything else runs
inside the caller's transaction (`with app.db.session() as s:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.annonces.models import CANCELLED, DONE, SCHEDULED, Acknowledgement, Announcement
from bot.annonces.when import WhenError, parse_when
from bot.core.context import App, PlatformError
from bot.core.errors import InvalidFields, UserFacingError
from bot.core.replies import Button, Card
from bot.db.insert import insert_ignore
from bot.outbox import PENDING, SENDING, Delivery, cancel, delivery, enqueue, reschedule

MESSAGE_MIN = 5
MESSAGE_MAX = 3000
ALL_WORDS = {"", "tous", "toutes", "tout", "reseau", "réseau", "tous les canaux", "*"}
DELIVERY_LIFETIME = timedelta(hours=24)  # past this a channel is reported as failed rather than served late
KEY_PREFIX = "annonce:"
ACK_ACTION = "lu"
ACK_LABEL = "Lu ✅"
COMMAND = "annonce"


@dataclass(frozen=True)
class Target:
    """A resolved channel plus the team NAME the coordinator typed (a `ChannelRef` only knows the team id):
    delivery looks the channel up in that team again and the report shows it."""

    channel_id: str
    name: str
    team: str = ""
    display: str = ""

    def stored(self, key: str) -> dict[str, Any]:
        """The form kept in `Announcement.targets` (JSON), with its outbox key."""
        return {"channel_id": self.channel_id, "name": self.name, "team": self.team, "display": self.display,
                "key": key}


@dataclass
class Draft:
    """A checked dialog submission: what `create_announcement` / `edit_announcement` store."""

    message: str = ""
    targets: list[Target] = field(default_factory=list)
    send_at: datetime | None = None
    immediate: bool = True
    ack_requested: bool = False


class TooLate(Exception):
    """At least one channel already received (or is receiving) the announcement."""


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "oui", "yes", "on")


def split_channel_names(text: str) -> list[tuple[str, str]]:
    """'~a, equipe2/b c' → [("", "a"), ("equipe2", "b"), ("", "c")]: commas, spaces or new lines."""
    out: list[tuple[str, str]] = []
    for raw in re.split(r"[,;\s]+", text.strip()):
        raw = raw.strip().lstrip("~")
        if not raw:
            continue
        team, sep, name = raw.rpartition("/") if "/" in raw else raw.rpartition(":")
        out.append((team.strip() if sep else "", name.strip().lstrip("~").lower()))
    return out


async def resolve_targets(app: App, text: str) -> list[Target]:
    """Channels for "tous" (the network's, from config) or for the names given; a `UserFacingError` on the
    `canaux` field names the missing ones."""
    wanted = (text or "").strip()
    if wanted.lower() in ALL_WORDS:
        # The network's channels; a network that lists none broadcasts in its announcements channel.
        configured = app.settings.network_channels or tuple(c for c in (app.settings.channel_annonces,) if c)
        if not configured:
            raise UserFacingError("Aucun canal réseau n’est configuré ([channels] network dans relais.toml) : "
                                  "écrivez les noms des canaux, par exemple « ville-a, ville-b ».", field="canaux")
        names = [pair for entry in configured for pair in split_channel_names(entry)]
    else:
        names = split_channel_names(wanted)
    targets: list[Target] = []
    missing: list[str] = []
    for team, name in names:
        try:
            ref = await app.platform.channel_by_name(name, team or None)
        except PlatformError:
            raise UserFacingError("Mattermost ne répond pas pour l’instant : réessayez dans un moment.",
                                  field="canaux") from None
        if ref is None:
            missing.append(f"~{name}" + (f" (équipe {team})" if team else ""))
        elif all(t.channel_id != ref.id for t in targets):
            targets.append(Target(ref.id, ref.name, team, ref.display_name))
    if missing:
        raise UserFacingError(f"Canal introuvable, ou Relais n’en est pas membre : {', '.join(missing)}. "
                              "Vérifiez le nom (celui de l’adresse du canal) ou ajoutez Relais au canal.",
                              field="canaux")
    if not targets:
        raise UserFacingError("Indiquez au moins un canal, ou « tous » pour les canaux du réseau.", field="canaux")
    return targets


async def validate(app: App, submission: dict[str, Any], now: datetime) -> Draft:
    """Dialog submission → Draft; `InvalidFields` with one French message per faulty field (nothing is queued)."""
    errors: dict[str, str] = {}
    draft = Draft()
    message = str(submission.get("message") or "").strip()
    if len(message) < MESSAGE_MIN:
        errors["message"] = "Écrivez le message à diffuser (au moins quelques mots)."
    elif len(message) > MESSAGE_MAX:
        errors["message"] = f"Message trop long ({len(message)} caractères) : {MESSAGE_MAX} au maximum."
    draft.message = message
    try:
        draft.targets = await resolve_targets(app, str(submission.get("canaux") or ""))
    except UserFacingError as exc:
        errors.update(exc.errors)
    try:
        when = parse_when(str(submission.get("quand") or ""), now, app.settings.tz)
        draft.send_at, draft.immediate = when.at, when.immediate
    except WhenError as exc:
        errors["quand"] = str(exc)
    draft.ack_requested = _truthy(submission.get("accuse"))
    if errors:
        raise InvalidFields(errors)
    return draft


# -- what is posted ----------------------------------------------------------------------------
def post_text(ann: Announcement) -> str:
    return f"📣 **Annonce de @{ann.author_name}**\n\n{ann.message}"


def post_cards(ann: Announcement) -> list[Card] | None:
    if not ann.ack_requested:
        return None
    return [Card(text="Merci de confirmer que vous l’avez lue.",
                 buttons=[Button(ACK_LABEL, ACK_ACTION, {"a": ann.id}, style="primary", anyone=True)])]


def _key(ann_id: int, channel_id: str, revision: int = 1) -> str:
    return f"{KEY_PREFIX}{ann_id}:{channel_id}" + (f":r{revision}" if revision > 1 else "")


def announcement_id_of(key: str) -> int | None:
    parts = key.split(":")
    return int(parts[1]) if len(parts) >= 3 and parts[0] + ":" == KEY_PREFIX and parts[1].isdigit() else None


def _enqueue(session: Session, ann: Announcement, target: dict[str, Any], now: datetime) -> None:
    send_at = ann.send_at
    enqueue(session, target["key"], target["name"], post_text(ann), post_cards(ann), {"relais_annonce": ann.id},
            not_before=send_at, team=target.get("team", ""), channel_id=target["channel_id"], command=COMMAND,
            expires_at=max(send_at, now) + DELIVERY_LIFETIME, now=now)


def create_announcement(
    session: Session, draft: Draft, *, author_id: str, author_name: str, origin_channel_id: str, now: datetime,
) -> Announcement:
    """Store the announcement and queue one message per channel (at `send_at`, or at once)."""
    ann = Announcement(
        author_id=author_id, author_name=author_name.lstrip("@"), origin_channel_id=origin_channel_id,
        message=draft.message, targets=[], send_at=draft.send_at or now, ack_requested=draft.ack_requested,
        status=SCHEDULED, revision=1, created_at=now, updated_at=now,
    )
    session.add(ann)
    session.flush()
    ann.targets = [t.stored(_key(ann.id, t.channel_id)) for t in draft.targets]
    for target in ann.targets:
        _enqueue(session, ann, target, now)
    return ann


def _check_editable(session: Session, ann: Announcement) -> None:
    if ann.status != SCHEDULED:
        raise TooLate()
    for target in ann.targets:
        d = delivery(session, target["key"])
        if d is None or d.status != PENDING or d.attempts > 0:
            raise TooLate()


def edit_announcement(session: Session, ann: Announcement, draft: Draft, now: datetime) -> Announcement:
    """Change a scheduled announcement; raises `TooLate` (the caller rolls back) once any channel got it."""
    _check_editable(session, ann)
    ann.message, ann.ack_requested = draft.message, draft.ack_requested
    ann.send_at = draft.send_at or now
    ann.revision = (ann.revision or 1) + 1
    ann.updated_at = now
    kept: list[dict[str, Any]] = []
    wanted = {t.channel_id: t for t in draft.targets}
    for target in ann.targets:
        if target["channel_id"] in wanted:
            if not reschedule(session, target["key"], message=post_text(ann), cards=post_cards(ann) or [],
                              not_before=ann.send_at):
                raise TooLate()
            kept.append(target)
        elif not cancel(session, target["key"]):
            raise TooLate()
    have = {t["channel_id"] for t in kept}
    for t in draft.targets:
        if t.channel_id not in have:
            target = t.stored(_key(ann.id, t.channel_id, ann.revision))
            _enqueue(session, ann, target, now)
            kept.append(target)
    ann.targets = kept
    return ann


def cancel_announcement(session: Session, ann: Announcement, now: datetime) -> None:
    """Nothing goes out; raises `TooLate` if a channel already got it (the caller rolls back)."""
    _check_editable(session, ann)
    for target in ann.targets:
        if not cancel(session, target["key"]):
            raise TooLate()
    ann.status, ann.finished_at, ann.updated_at = CANCELLED, now, now


def get_announcement(session: Session, ann_id: int) -> Announcement | None:
    return session.get(Announcement, ann_id)


def scheduled(session: Session) -> list[Announcement]:
    """Announcements still editable or on their way, soonest first."""
    return list(session.scalars(select(Announcement).where(Announcement.status == SCHEDULED)
                                .order_by(Announcement.send_at, Announcement.id)))


def is_editable(session: Session, ann: Announcement) -> bool:
    try:
        _check_editable(session, ann)
    except TooLate:
        return False
    return True


def deliveries_of(session: Session, ann: Announcement) -> list[tuple[dict[str, Any], Delivery | None]]:
    return [(t, delivery(session, t["key"])) for t in ann.targets]


def finished(states: list[tuple[dict[str, Any], Delivery | None]]) -> bool:
    return all(d is not None and d.status not in (PENDING, SENDING) for _, d in states)


def mark_done(session: Session, ann: Announcement, now: datetime) -> bool:
    """True the first time every channel is settled (sent, failed or cancelled): time for the report."""
    if ann.status != SCHEDULED or not finished(deliveries_of(session, ann)):
        return False
    ann.status, ann.finished_at = DONE, now
    return True


# -- read receipts -----------------------------------------------------------------------------
def record_ack(
    session: Session, ann_id: int, *, user_id: str, user_name: str, channel_id: str, now: datetime,
) -> tuple[Announcement | None, bool]:
    """(announcement, True if this click is the person's first)."""
    ann = session.get(Announcement, ann_id)
    if ann is None or not ann.ack_requested:
        return ann, False
    first = insert_ignore(session, Acknowledgement, dict(
        announcement_id=ann_id, user_id=user_id, user_name=user_name.lstrip("@"), channel_id=channel_id,
        acked_at=now)) is not None  # a double click racing with itself counts once
    return ann, first


def acknowledgements(session: Session, ann_id: int) -> list[Acknowledgement]:
    return list(session.scalars(select(Acknowledgement).where(Acknowledgement.announcement_id == ann_id)
                                .order_by(Acknowledgement.acked_at, Acknowledgement.user_name)))


@dataclass(frozen=True)
class ChannelFollowUp:
    target: dict[str, Any]
    post_id: str | None
    read: list[str]  # usernames
    unread: list[str]  # usernames
    unread_ids: list[str]


@dataclass(frozen=True)
class FollowUp:
    announcement_id: int
    acknowledged: list[str]  # everyone who clicked, in order
    channels: list[ChannelFollowUp]

    @property
    def unread_count(self) -> int:
        return len({u for c in self.channels for u in c.unread_ids})


def _bot_ids(app: App) -> set[str]:
    """Relais itself is a member of every channel it posts in: it never has to read its own announcement."""
    bot_id = app.platform.bot_user_id  # known to the Mattermost client once connected
    return {bot_id} if bot_id else set()


async def follow_up(app: App, ann_id: int) -> FollowUp | None:
    """Who read, and per delivered channel who has not (its members, less bots and the author)."""
    with app.db.session() as s:
        ann = s.get(Announcement, ann_id)
        if ann is None:
            return None
        acks = acknowledgements(s, ann_id)
        states = deliveries_of(s, ann)
        author_id = ann.author_id
    acked_ids = {a.user_id for a in acks}
    skip = _bot_ids(app) | {author_id}
    channels = []
    for target, d in states:
        if d is None or not d.post_id:
            channels.append(ChannelFollowUp(target, None, [], [], []))
            continue
        members = [m for m in await app.platform.channel_members(target["channel_id"]) if m.id not in skip]
        read = sorted(m.username for m in members if m.id in acked_ids)
        unread = sorted((m for m in members if m.id not in acked_ids), key=lambda m: m.username)
        channels.append(ChannelFollowUp(target, d.post_id, read, [m.username for m in unread],
                                        [m.id for m in unread]))
    return FollowUp(ann_id, [a.user_name for a in acks], channels)


def enqueue_reminders(session: Session, ann: Announcement, report: FollowUp, now: datetime) -> tuple[int, int]:
    """One reminder per channel, in the announcement's thread, naming who has not read; (people, channels)."""
    people: set[str] = set()
    channels = 0
    stamp = now.strftime("%Y%m%d%H%M")
    for ch in report.channels:
        if not ch.post_id or not ch.unread:
            continue
        names = " ".join(f"@{u}" for u in ch.unread)
        text = f"🔔 Rappel : {names}, merci de lire l’annonce ci-dessus et de cliquer sur « {ACK_LABEL} »."
        key = f"annonce-rappel:{ann.id}:{ch.target['channel_id']}:{stamp}"
        if enqueue(session, key, ch.target["name"], text, post_cards(ann), team=ch.target.get("team", ""),
                   channel_id=ch.target["channel_id"], root_id=ch.post_id, command=COMMAND, now=now):
            channels += 1
            people.update(ch.unread_ids)
    return len(people), channels

