"""Passwords and PINs typed into a note ("mot de passe Azerty123!", "mdp ameli : Soleil2024!", "code de la carte :
4582"): a secret never belongs in a note, while "mot de passe oublié" or "mdp réinitialisé" says what was done."""

from __future__ import annotations

import re

from bot.core.text import fold


def _folded(words: str) -> frozenset[str]:
    """A word list as written in the source (accents and all), folded the way notes are compared."""
    return frozenset(fold(w).replace("’", "'") for w in words.split())


SECRET_WORDS = re.compile(
    r"\b(?:mots?\s+de\s+passe|mdp|password|passwd|pwd|code\s+(?:secret|pin|confidentiel|d['’]acc[eè]s"
    r"|de\s+la\s+carte|de\s+connexion|bancaire|de\s+s[ée]curit[ée]))\b", re.IGNORECASE)
_NEXT = re.compile(r"\s*(?:[:=]|\best\b|\b[ée]tait\b)?\s*([^\s,;]+)", re.IGNORECASE)
_ANNOUNCED = (":", "=", "est", "était", "etait")
# Words after "mot de passe" that say what happened to it, not what it is.
HARMLESS = _folded("""
oublié oubliée perdu perdue changé changée réinitialisé réinitialisée modifié modifiée bloqué bloquée noté notée
refait refaite ok provisoire reçu reçue envoyé envoyée créé créée expiré incorrect faux erroné inconnu récupéré
renouvelé trouvé retrouvé enregistré sauvegardé demandé nouveau nouvel ancien trop pas
""")
# Connecting words and service names read past on the way to the secret ("mdp du compte ameli : …").
CONNECTORS = _folded("""
le la les l de du des d pour sur son sa ses mon ma un une compte appli application site
""")
LOOKAHEAD = 4


def secret_like(word: str) -> bool:
    """Looks like a password or a PIN: letters with digits, 4 digits or more, or capitals inside a word."""
    letters = sum(c.isalpha() for c in word)
    digits = sum(c.isdigit() for c in word)
    inner_capital = letters > 1 and any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
    return (letters and digits) > 0 or digits >= 4 or inner_capital


def find_passwords(text: str) -> list[str]:
    """Each "mot de passe …" with the secret that follows it (the keyword and the secret, as typed)."""
    found = []
    for m in SECRET_WORDS.finditer(text):
        pos = m.end()
        for _ in range(LOOKAHEAD):
            after = _NEXT.match(text, pos)
            if after is None:
                break
            pos = after.end()
            word = after.group(1).rstrip(".;,)!?") or after.group(1)
            folded = fold(word.strip("«»\"'"))
            if folded in HARMLESS:
                break
            announced = after.group(0).lstrip().lower().startswith(_ANNOUNCED)
            if secret_like(word) or (announced and folded not in CONNECTORS and len(word) >= 4):
                found.append(f"{m.group(0)} {word}")
                break
    return found
