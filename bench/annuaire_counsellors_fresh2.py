"""A third /annuaire test set typed the way counsellors do on a phone ("fresh2"): held out as a whole.

Written by hand, by someone who read neither the search code nor Relais's answers on these queries (nor on any
other), after `annuaire_counsellors.py` (used for tuning) and `annuaire_counsellors_fresh.py` (whose dev part is now
read), so that it measures the search rather than what it was tuned on. No query text is one of those two sets', and
their places and communes are avoided. There is no dev/held-out split: every query here is held out, never read its
misses to tune on (`annuaire_counsellor_quality.py --set fresh2` ignores `--split`).

Kinds and truth as in `annuaire_counsellors_fresh.py`: "need" (a need and a commune, in counsellors' words), "typo"
(one typo in the commune), "partial" (a short commune name: the most populous commune whose name holds those words,
in the département when typed), "overseas" (971-976), "homonym" (several communes bear the name; a département
number or postal code in the text settles it), "code" (a postal code: its most populous commune; or an
arrondissement such as "lyon 9": truth at that arrondissement), "territory" (no commune in the text:
`commune`/`dep` are the counsellor's own commune, given to the search as its territory), and "name" (a place typed
by its name: France services list, Hinaura and PACA hub alike).

- need queries: truth at the registry point of `commune` (exact registry name) in `dep`; a place fits when its
  `services` hold `NEED_SERVICE[need]` and it lies within max(20 km, nearest such place + 10 km). Needs map honestly
  to the four services: CAF, impôts, ANTS, retraite, CPAM/Ameli, MDPH, ANEF, France Travail… -> D; printing,
  scanning, a computer in free access -> I; learning the smartphone, the tablet, the computer, e-mail -> O; CV,
  cover letter, job search online -> E. Every need query is answerable: a place offering the service lies within
  60 km (checked by `check()`).
- name queries: the place with exactly this name and postal code (or the same structure listed by another source).
  The text drops words ("france services", "la poste"…) and accents, sometimes adds the commune, and has at most one
  typo in one word. The fresh set's rule against ambiguous typos holds, checked by `check()`: the text's words
  (after fs -> france services, st/ste -> saint/sainte, without small words like de/la/et/sur) are scored against
  each place's name, commune and postal-code words, a word costing 0 when equal to a place word or a prefix of at
  least 4 letters of one, else its smallest optimal-string-alignment distance (swap = 1 edit); the intended place
  costs at most 1, and every other place (bar the same structure listed twice) costs strictly more.

    .venv/bin/python bench/annuaire_counsellors_fresh2.py    # runs check(): data and rules only, no search
"""

from __future__ import annotations

import sys

from annuaire_counsellors import NameQuery, NeedQuery
from counsellor_set_rules import check_set, queries_before

N = NeedQuery
NEEDS: list[NeedQuery] = [
    # need + commune, in counsellors' words
    N("need", "une dame a besoin d aide pour la caf a saint brieuc", "D", "Saint-Brieuc", "22"),
    N("need", "permanence impots vannes", "D", "Vannes", "56"),
    N("need", "monsieur doit faire sa demande de retraite agen", "D", "Agen", "47"),
    N("need", "aide numerique pour declarer ses revenus angouleme", "D", "Angoulême", "16"),
    N("need", "dossier mdph troyes", "D", "Troyes", "10"),
    N("need", "anef renouvellement titre de sejour creil", "D", "Creil", "60"),
    N("need", "aide demande apl montelimar", "D", "Montélimar", "26"),
    N("need", "ou imprimer a laval", "I", "Laval", "53"),
    N("need", "ou scanner des documents a cholet", "I", "Cholet", "49"),
    N("need", "acces ordinateur gratuit alencon", "I", "Alençon", "61"),
    N("need", "apprendre a se servir d une tablette macon", "O", "Mâcon", "71"),
    N("need", "atelier informatique seniors oyonnax", "O", "Oyonnax", "01"),
    N("need", "aide numerique pour apprendre internet thiers", "O", "Thiers", "63"),
    N("need", "creer une adresse mail antibes", "O", "Antibes", "06"),
    N("need", "refaire son cv salon de provence", "E", "Salon-de-Provence", "13"),
    N("need", "chercher du travail sur internet frejus", "E", "Fréjus", "83"),
    N("need", "aide lettre de motivation pertuis", "E", "Pertuis", "84"),
    # one typo in the commune
    N("typo", "caf la rochele", "D", "La Rochelle", "17"),
    N("typo", "declaration impots congac", "D", "Cognac", "16"),
    N("typo", "ants carte grise dunkerke", "D", "Dunkerque", "59"),
    N("typo", "imprimer saint nazair", "I", "Saint-Nazaire", "44"),
    N("typo", "atelier smartphone cuset", "O", "Cusset", "03"),
    N("typo", "aide cv manton", "E", "Menton", "06"),
    N("typo", "rsa douia", "D", "Douai", "59"),
    N("typo", "cpam abbevile", "D", "Abbeville", "80"),
    N("typo", "retraite carcasonne", "D", "Carcassonne", "11"),
    # partial commune names (the most populous commune whose name holds the words typed, in the département typed)
    N("partial", "caf sarlat", "D", "Sarlat-la-Canéda", "24"),
    N("partial", "impots chateau gontier", "D", "Château-Gontier-sur-Mayenne", "53"),
    N("partial", "demarches la roche 85", "D", "La Roche-sur-Yon", "85"),
    N("partial", "caf sable 72", "D", "Sablé-sur-Sarthe", "72"),
    N("partial", "impots st amand 18", "D", "Saint-Amand-Montrond", "18"),
    N("partial", "cpam les sables", "D", "Les Sables-d'Olonne", "85"),
    N("partial", "cours informatique tain", "O", "Tain-l'Hermitage", "26"),
    # overseas (971-976)
    N("overseas", "caf le gosier", "D", "Le Gosier", "971"),
    N("overseas", "impots petit bourg", "D", "Petit-Bourg", "971"),
    N("overseas", "aide papiers le francois", "D", "Le François", "972"),
    N("overseas", "france services riviere pilote", "D", "Rivière-Pilote", "972"),
    N("overseas", "caf macouria", "D", "Macouria", "973"),
    N("overseas", "aide papiers saint benoit reunion", "D", "Saint-Benoît", "974"),
    N("overseas", "demarches pamandzi", "D", "Pamandzi", "976"),
    # homonyms settled by a département or a postal code
    N("homonym", "caf marly 57", "D", "Marly", "57"),
    N("homonym", "imprimer chatillon 92", "I", "Châtillon", "92"),
    N("homonym", "aide papiers sainte anne 972", "D", "Sainte-Anne", "972"),
    N("homonym", "caf sainte rose 97115", "D", "Sainte-Rose", "971"),
    N("homonym", "cv saint gilles 30", "E", "Saint-Gilles", "30"),
    N("homonym", "atelier smartphone saint vallier 26", "O", "Saint-Vallier", "26"),
    N("homonym", "caf la trinite 06", "D", "La Trinité", "06"),
    # postal codes and arrondissements
    N("code", "caf 86100", "D", "Châtellerault", "86"),
    N("code", "france services 81100", "D", "Castres", "81"),
    N("code", "aide cv 13500", "E", "Martigues", "13"),
    N("code", "caf lyon 9", "D", "Lyon 9e Arrondissement", "69"),
    N("code", "aide papiers marseille 15e", "D", "Marseille 15e Arrondissement", "13"),
    N("code", "imprimer paris 13", "I", "Paris 13e Arrondissement", "75"),
    # territory: no commune in the text; commune/dep are the counsellor's own commune, passed as territory
    N("territory", "aide caf en ligne", "D", "Guingamp", "22"),
    N("territory", "imprimer un billet de train", "I", "Pontarlier", "25"),
    N("territory", "atelier tablette debutant", "O", "Privas", "07"),
    N("territory", "cv et lettre de motivation", "E", "Orange", "84"),
    N("territory", "ou imprimer", "I", "Autun", "71"),
    N("territory", "apprendre le smartphone", "O", "Albertville", "73"),
    N("territory", "carte vitale perdue", "D", "Oloron-Sainte-Marie", "64"),
    N("territory", "permanence impots", "D", "Épernay", "51"),
    N("territory", "chercher du travail sur internet", "E", "Apt", "84"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    # France services list
    M("name", "fs attignat poliat", "France services d'Attignat-Polliat", "01340"),
    M("name", "france services chaunny", "France services de Chauny", "02300"),
    M("name", "fs st felicien", "France services de Saint-Félicien", "07410"),
    M("name", "france services saverdum", "France services de Saverdun", "09700"),
    M("name", "fs estisac", "France services d'Estissac", "10190"),
    M("name", "france services montagne noire les ilhes", "France services de la Montagne Noire", "11380"),
    M("name", "france services belmont sur rance", "France services multisites de Monts, Rance et Rougier - "
      "Site de Belmont-sur-Rance", "12370"),
    M("name", "france services terre d auge pont l eveque", "France services Terre d'Auge", "14130"),
    M("name", "fs maurs", "France services Maurs", "15600"),
    M("name", "bus france services vierzon", "Bus France services Vierzon Sologne Berry", "18100"),
    M("name", "fs nuits st georges", "France services Nuits Saint-Georges", "21700"),
    M("name", "france services pleslin trigavoux", "France services de Pleslin-Trigavou", "22490"),
    M("name", "la poste benevent l abaye", "France services La Poste de Bénévent-l'Abbaye", "23210"),
    M("name", "france services mouleidier", "France services Mouleydier", "24520"),
    M("name", "fs brione", "France services de Brionne", "27800"),
    M("name", "france services itinerante crozon",
      "France services itinérante Presqu'île de Crozon-Aulne Maritime", "29160"),
    M("name", "la poste vico", "France services La Poste de Vico", "20160"),
    M("name", "fs la poste luri", "France services La Poste de Luri", "20228"),
    M("name", "france services ccas aimargue", "France services CCAS Aimargues", "30470"),
    M("name", "france services l isle en dodon", "France services Isle en Dodon", "31230"),
    M("name", "fs st aubin du cormier", "France services de Saint-Aubin-du-Cormier PSP", "35140"),
    M("name", "france services issoudin", "France services d'Issoudun", "36100"),
    M("name", "france services tours sanitas", "France services Tours Sanitas", "37000"),
    M("name", "france services cote landes nature castets", "France services Côte Landes Nature", "40260"),
    M("name", "la poste grandrieu", "France services La Poste de Grandrieu", "48600"),
    M("name", "fs le pellerin", "France services Le Pellerin", "44640"),
    M("name", "france services beaugenci", "France services Beaugency", "45190"),
    M("name", "france services puy l eveque", "France services de Puy-l'Évêque", "46700"),
    M("name", "france services confluent aiguillon", "France services du Confluent", "47190"),
    M("name", "fs doue en anjou", "France services Doué en Anjou", "49700"),
    M("name", "france services vitry le francois", "France services de Vitry-le-François", "51300"),
    M("name", "france services coevron evron", "France services des Coevrons", "53600"),
    M("name", "france services cirey sur vezouse", "France services Cirey-sur-Vezouze", "54480"),
    M("name", "ty info services baden", "France services Ty info services", "56870"),
    M("name", "france services fourmie", "France services Fourmies", "59610"),
    M("name", "fs le coudray st germer", "France services Le Coudray Saint-Germer", "60850"),
    M("name", "france services alencon courteille", "France services Alençon-Perseigne - Antenne de Courteille",
      "61000"),
    M("name", "france services ardres", "France services Pays d'Opale d'Ardres", "62340"),
    M("name", "france services cunlat", "France services de Cunlhat", "63590"),
    M("name", "la poste vernet les bains", "France services La Poste de Vernet-les-Bains", "66820"),
    M("name", "france services truchtershiem", "France services Truchtersheim", "67370"),
    M("name", "bus lavoisier brustlein mulhouse", "Bus France services Lavoisier Brustlein", "68200"),
    M("name", "france services breil sur merize", "France services Le Breil sur Merize", "72370"),
    M("name", "arobase maison du numerique meaux", "France services Arobase la Maison du Numérique", "77100"),
    M("name", "fs doullens", "France services de Doullens", "80600"),
    M("name", "france services castelsarasin", "France services de Castelsarrasin", "82100"),
    M("name", "france services blaizerie poitiers", "France services de Poitiers - La Blaiserie", "86000"),
    M("name", "maison simone veil st leonard de noblat",
      "France services Saint-Léonard-de-Noblat - Maison Simone Veil", "87400"),
    M("name", "france services vezelai", "France services de Vézelay", "89450"),
    M("name", "france services colombes louis aragon", "France services Colombes - Louis Aragon", "92700"),
    M("name", "pole numerique pierrefitte", "France services Pôle numérique de Pierrefitte", "93380"),
    M("name", "fs sucy en brie", "France services de Sucy-en-Brie", "94370"),
    M("name", "france services sarcelles sablons", "France services de Sarcelles - Sablons", "95200"),
    M("name", "la poste la desirade", "France services La Poste de La Désirade", "97127"),
    M("name", "france services les avirons", "France services Les Avirons", "97425"),
    M("name", "france services sandy ground saint martin", "France services de Sandy Ground", "97150"),
    # Hinaura (Auvergne-Rhône-Alpes)
    M("name", "mairie pont de vau", "Mairie de Pont de Vaux", "01190"),
    M("name", "mediatheque jean jacques rouseau chambery", "Médiathèque Jean-Jacques Rousseau", "73000"),
    M("name", "mon assistant numerique annecy", "Mon Assistant Numérique Annecy", "74370"),
    M("name", "lien26 dieulefit", "Le Lien26", "26220"),
    M("name", "centre social soleure saint etienne", "Centre Social de Solaure-La Jomayère", "42100"),
    M("name", "ccas evian", "CCAS d'Évian-Les-Bains", "74500"),
    M("name", "bibliotheque ponatierre echirolles", "Bibliothèque La Ponatière", "38130"),
    M("name", "le babet st etienne", "Le Babet", "42000"),
    M("name", "oasis informatique oulins", "Oasis Informatique", "69600"),
    M("name", "pole emploi sain bel", "Pôle emploi Sain Bel", "69210"),
    M("name", "espace france services courpiere", "Espace France services de Courpière", "63120"),
    M("name", "espace public numerique burzet", "Espace Public Numérique de Burzet - Maison de Vallée", "07450"),
    M("name", "asoft vitrine nions", "Asoft « La Vitrine »", "26110"),
    M("name", "mixage cafe st verrand", "Mixage Café Espace de vie sociale", "38160"),
    M("name", "epi centre crest", "Epi Centre", "26400"),
    M("name", "le forum saillant", "Le Forum Saillans", "26340"),
    M("name", "mediatheque vialate ambert", "Médiathèque intercommunale \"Alexandre Vialatte\" - Ambert", "63600"),
    M("name", "carrefour des habitants nyons", "Carrefour des Habitants du Nyonsais", "26110"),
    M("name", "la machinerie grenoble", "La Machinerie", "38100"),
    M("name", "l etincele vichy", "L'Etincelle", "03200"),
    M("name", "bibliotheque les allues", "Bibliothèque des Allues", "73550"),
    M("name", "haut rhone tourisme seysel", "Haut Rhône Tourisme", "74910"),
    # PACA hub
    M("name", "avenir84 avignon", "Avenir84", "84000"),
    M("name", "bibliotheque vilelaure", "bibliothèque municipale de VILLELAURE", "84530"),
    M("name", "pole folke bernadote la seyne", "POLE FOLKE BERNADOTTE", "83500"),
    M("name", "mediatheque caumont sur durance", "Médiathèque Pierre Vouland de CAUMONT-SUR-DURANCE", "84510"),
    M("name", "club senior granoux marseile", "Club Senior Granoux", "13004"),
    M("name", "initiative terres de vaucluse cavaillon", "Initiative Terres de Vaucluse", "84300"),
    M("name", "le grain de la vallee marseille", "Le GRAIN de la Vallée", "13011"),
    M("name", "share wood marseille", "Share-wood Marseille", "13014"),
    M("name", "fanny verdollin riez", "FANNY VERDOLLIN", "04500"),
    M("name", "centre social arpeges grasse", "Centre Social HARPEGES", "06130"),
    M("name", "ecole orpiere", "École d'Orpierre", "05700"),
    M("name", "tiers lieu sorgues", "Le tiers lieu de Sorgues", "84700"),
    M("name", "centre social christian chese arles", "Centre Social Christian Chèze", "13200"),
    M("name", "donut infolab marseille", "Donut Infolab", "13001"),
    M("name", "barriol e nov arles", "Barriol E-Nov", "13200"),
    M("name", "jardin des orchidees la farlede", "Jardin des Orchidées (résidence senior)", "83210"),
    M("name", "les ptits bureaux", "Les P'tits bureaux", "04170"),
    M("name", "actipole aubagnes", "Actipole", "13400"),
    M("name", "centre pasteur cagnes", "Centre Pasteur", "06800"),
    M("name", "mediance marignanne", "Médiance 13 - Marignane", "13700"),
    M("name", "centre paul farraud plan d orgon", "Centre Paul FARAUD", "13750"),
    M("name", "maison du departement st sauveur sur tinee", "Maison du Département de Saint Sauveur sur Tinée",
      "06420"),
]

def check() -> list[str]:
    return check_set(NEEDS, NAMES, queries_before("annuaire_counsellors_fresh2"))


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or f"ok: {len(NEEDS)} need queries, {len(NAMES)} name queries")
    sys.exit(1 if found else 0)
