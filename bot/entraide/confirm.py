"""Whether `/entraide <text>` is really a question for the whole network, or a slip to confirm first.

A mistyped sub-command (`/entraide statistiques`) or a thank-you (`/entraide ok merci`) would otherwise
be published at once to every counsellor. Short texts and texts that start like a command word are
confirmed with a button; a real question (four words or more ending in "?") never is.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from bot.core.text import fold

MIN_WORDS = 4
# Words people type after a command, whatever the command; plus thanks and acknowledgements.
COMMAND_LIKE = frozenset({
    "aide", "help", "stats", "statistique", "statistiques", "liste", "lister", "annuler", "supprimer", "modifier",
    "export", "exporter", "recap", "digest", "resolu", "resolue", "suivi", "partager", "chercher", "merci", "ok",
    "okay", "super", "top", "parfait", "bravo", "test", "essai", "coucou", "bonjour",
})


def needs_confirmation(text: str, command_words: Iterable[str] = ()) -> bool:
    """True for "statistiques", "ok merci", "resolu ?"; False for "Où trouver un scanner gratuit à Nîmes ?"."""
    words = fold(text).replace("’", "'").split()
    if not words:
        return False
    if len(words) >= MIN_WORDS and text.rstrip().endswith("?"):
        return False
    if len(words) < MIN_WORDS:
        return True
    first = words[0].strip(".,;:!?")
    known = COMMAND_LIKE | {fold(w) for w in command_words}
    return first in known or (len(first) >= 5 and any(Levenshtein.distance(first, w) <= 1 for w in known))
