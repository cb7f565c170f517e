"""Emoji names the server accepts in a reaction: `model.Reaction.IsValid` (shape), then `SaveReactionForPost`
(a system emoji, else a custom one, else 404 `app.emoji.get_by_name.no_result`).

The real list (`model/emoji_data.go`) has about 1 900 names; here are the ones people react with most and every
one Relais or its tests use. A name outside it is refused as the real server refuses an unknown name.
"""

from __future__ import annotations

import re

from .errors import AppError

SHAPE = re.compile(r"^[a-zA-Z0-9\-+_]{1,64}$")  # model.Reaction.IsValid (64 = EmojiNameMaxLength, bytes)

SYSTEM_EMOJIS = frozenset({
    "+1", "-1", "thumbsup", "thumbsdown", "white_check_mark", "heavy_check_mark", "ballot_box_with_check",
    "x", "heart", "tada", "eyes", "smile", "slightly_smiling_face", "grinning", "joy", "wink", "pray", "clap",
    "raised_hands", "ok_hand", "muscle", "fire", "rocket", "star", "bulb", "thinking_face", "question",
    "exclamation", "warning", "memo", "pushpin", "calendar", "hourglass", "sunglasses", "100", "sparkles",
    "wave", "hugging_face", "sob", "cry", "confused", "no_entry", "point_up", "books", "computer", "phone",
})


def check_reaction_emoji(name: str, custom: set[str] | frozenset[str] = frozenset()) -> None:
    """Refuse what the real server refuses: an unknown name is 404 whatever its shape (Mattermost 10.7 answered
    404 for "✅" too: the emoji is looked up before `IsValid`), then a bad shape 400."""
    if name not in SYSTEM_EMOJIS and name not in custom:
        raise AppError("app.emoji.get_by_name.no_result", 404, "We couldn’t find the emoji.")
    if not SHAPE.match(name):
        raise AppError("model.reaction.is_valid.emoji_name.app_error", 400, "Invalid emoji name.")
