"""Platform events as features receive them: decoded once by the transport (or made by the console), typed, with
no chat platform's JSON left in them. A listener declared with `Command.on(kind)` gets one of these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

POSTED, POST_EDITED, POST_DELETED = "posted", "post_edited", "post_deleted"
OWN_PROPS = "relais_"  # the props Relais gives its posts (`Platform.create_post(props=...)`) start with this
REACTION_ADDED, REACTION_REMOVED = "reaction_added", "reaction_removed"


@dataclass(frozen=True)
class PostEvent:
    """A post created, edited or deleted (`kind`); a deleted post may carry its id only."""

    kind: str
    id: str
    channel_id: str = ""
    user_id: str = ""
    message: str = ""
    root_id: str = ""  # the thread's first post, "" for a post that starts a thread
    type: str = ""  # "" for what people write; system posts (joins, header changes) have a type
    channel_name: str = ""  # when the platform says it ("" otherwise)
    sender_name: str = ""  # the author's username without "@", when the platform says it
    created: datetime | None = None
    edited: datetime | None = None
    from_bot: bool = False  # written by a bot or an integration
    by_relais: bool = False  # one of Relais's own posts (cards, suggestions, digests)


@dataclass(frozen=True)
class ReactionEvent:
    """An emoji added to or removed from a post (`kind`)."""

    kind: str
    post_id: str
    user_id: str
    emoji: str
    channel_id: str = ""
    created: datetime | None = None

    @property
    def added(self) -> bool:
        return self.kind == REACTION_ADDED


Event = PostEvent | ReactionEvent


@dataclass(frozen=True)
class Post:
    """A post as the platform lists it (`Platform.posts_since`), decoded once by the transport."""

    id: str
    channel_id: str = ""
    user_id: str = ""
    message: str = ""
    root_id: str = ""
    created: datetime | None = None
    edited: datetime | None = None
    deleted: datetime | None = None  # set once the post was deleted (Mattermost still lists it)
    props: Mapping[str, Any] = field(default_factory=dict)  # the `relais_…` props Relais gave it (`create_post`)
