"""A fourth /annuaire test set typed the way counsellors do on a phone ("fresh3"): held out as a whole.

Written by hand, by someone who read neither the search code nor Relais's answers on these queries (nor on any
other), after `annuaire_counsellors.py` (used for tuning), `annuaire_counsellors_fresh.py` and
`annuaire_counsellors_fresh2.py` (whose dev parts are now read), so that it measures the search rather than what
it was tuned on. Places were drawn from the data by département and source (France services list, Hinaura, PACA
hub) among those no earlier set names, then typed by hand; no query text is one of the earlier sets', and their
places and communes are avoided. Wholly held out when written: nobody has run the search on it or read an answer
to it. `annuaire_counsellor_quality.py --set fresh3` splits it like the other sets (`--split`, md5 % 3 == 0 held
out); never read the held-out part's misses to tune on.

Kinds and truth as in `annuaire_counsellors_fresh2.py`: "need" (a need and a commune, in counsellors' words),
"typo" (one typo in the commune), "partial" (a short commune name: the most populous commune whose name holds those
words, in the département when typed), "overseas" (971-976), "homonym" (several communes bear the name; a
département number or postal code in the text settles it), "code" (a postal code: its most populous commune; or
an arrondissement such as "lyon 3": truth at that arrondissement), "territory" (no commune in the text:
`commune`/`dep` are the counsellor's own commune, given to the search as its territory), and "name" (a place typed
by its name: France services list, Hinaura and PACA hub alike; about a third with one typo in one word).

- need queries: truth at the registry point of `commune` (exact registry name) in `dep`; a place fits when its
  `services` hold `NEED_SERVICE[need]` and it lies within max(20 km, nearest such place + 10 km). Needs map honestly
  to the four services: CAF, impôts, ANTS, retraite, CPAM/Ameli, ANEF, France Travail, logement social… -> D;
  printing, scanning, a computer in free access -> I; learning the smartphone, the tablet, the computer, e-mail
  -> O; CV, cover letter, applying online -> E. Every need query is answerable: a place offering the service lies
  within 60 km (checked by `check()`).
- name queries: the place with exactly this name and postal code (or the same structure listed by another source),
  under the shared rule against ambiguous typos of `counsellor_set_rules.check_set`.

    .venv/bin/python bench/annuaire_counsellors_fresh3.py    # runs check(): data and rules only, no search
"""

from __future__ import annotations

import sys

from annuaire_counsellors import NameQuery, NeedQuery
from counsellor_set_rules import check_set, queries_before

N = NeedQuery
NEEDS: list[NeedQuery] = [
    # need + commune, in counsellors' words
    N("need", "rdv caf pour une dame a lorient", "D", "Lorient", "56"),
    N("need", "aide declaration impots sur internet saintes", "D", "Saintes", "17"),
    N("need", "demande carte d identite ants vierzon", "D", "Vierzon", "18"),
    N("need", "france travail actualisation maubeuge", "D", "Maubeuge", "59"),
    N("need", "dossier retraite de reversion sete", "D", "Sète", "34"),
    N("need", "ameli attestation de droits nimes", "D", "Nîmes", "30"),
    N("need", "anef titre de sejour mantes la jolie", "D", "Mantes-la-Jolie", "78"),
    N("need", "ou imprimer un cerfa a vesoul", "I", "Vesoul", "70"),
    N("need", "photocopies et scan bourges", "I", "Bourges", "18"),
    N("need", "ordinateur en acces libre auch", "I", "Auch", "32"),
    N("need", "atelier numerique debutants aix les bains", "O", "Aix-les-Bains", "73"),
    N("need", "apprendre a utiliser son telephone vaulx en velin", "O", "Vaulx-en-Velin", "69"),
    N("need", "initiation informatique seniors riom", "O", "Riom", "63"),
    N("need", "aide pour envoyer un mail rumilly", "O", "Rumilly", "74"),
    N("need", "aide cv et lettre de motivation venissieux", "E", "Vénissieux", "69"),
    N("need", "postuler en ligne saint raphael", "E", "Saint-Raphaël", "83"),
    # one typo in the commune
    N("typo", "caf bezier", "D", "Béziers", "34"),
    N("typo", "impots tourcoin", "D", "Tourcoing", "59"),
    N("typo", "carte grise alles", "D", "Alès", "30"),
    N("typo", "imprimer dinnan", "I", "Dinan", "22"),
    N("typo", "atelier tablette grase", "O", "Grasse", "06"),
    N("typo", "aide cv givor", "E", "Givors", "69"),
    N("typo", "ameli canbrai", "D", "Cambrai", "59"),
    N("typo", "retraite morlais", "D", "Morlaix", "29"),
    N("typo", "caf chateaudin", "D", "Châteaudun", "28"),
    # partial commune names (the most populous commune whose name holds the words typed, in the département typed)
    N("partial", "impots villeneuve 47", "D", "Villeneuve-sur-Lot", "47"),
    N("partial", "caf la roche 74", "D", "La Roche-sur-Foron", "74"),
    N("partial", "cpam st jean 64", "D", "Saint-Jean-de-Luz", "64"),
    N("partial", "cv st maximin 83", "E", "Saint-Maximin-la-Sainte-Baume", "83"),
    N("partial", "atelier informatique st genis 01", "O", "Saint-Genis-Pouilly", "01"),
    N("partial", "imprimer vitry 94", "I", "Vitry-sur-Seine", "94"),
    N("partial", "caf champigny 94", "D", "Champigny-sur-Marne", "94"),
    # overseas (971-976)
    N("overseas", "caf capesterre belle eau", "D", "Capesterre-Belle-Eau", "971"),
    N("overseas", "aide papiers bouillante", "D", "Bouillante", "971"),
    N("overseas", "impots sainte luce", "D", "Sainte-Luce", "972"),
    N("overseas", "caf le lorrain", "D", "Le Lorrain", "972"),
    N("overseas", "demarches mana guyane", "D", "Mana", "973"),
    N("overseas", "caf saint leu", "D", "Saint-Leu", "974"),
    N("overseas", "france services sada", "D", "Sada", "976"),
    # homonyms settled by a département or a postal code
    N("homonym", "impots saint pierre 972", "D", "Saint-Pierre", "972"),
    N("homonym", "caf bagneux 92", "D", "Bagneux", "92"),
    N("homonym", "aide papiers saint louis 97450", "D", "Saint-Louis", "974"),
    N("homonym", "imprimer vernon 27", "I", "Vernon", "27"),
    N("homonym", "cv vitrolles 13", "E", "Vitrolles", "13"),
    N("homonym", "atelier numerique moutiers 73", "O", "Moûtiers", "73"),
    N("homonym", "caf sainte marie 97438", "D", "Sainte-Marie", "974"),
    # postal codes and arrondissements
    N("code", "caf 62400", "D", "Béthune", "62"),
    N("code", "france services 46100", "D", "Figeac", "46"),
    N("code", "imprimer 37000", "I", "Tours", "37"),
    N("code", "caf lyon 3", "D", "Lyon 3e Arrondissement", "69"),
    N("code", "aide cv marseille 13e", "E", "Marseille 13e Arrondissement", "13"),
    N("code", "atelier informatique marseille 5", "O", "Marseille 5e Arrondissement", "13"),
    # territory: no commune in the text; commune/dep are the counsellor's own commune, passed as territory
    N("territory", "aide pour la prime d activite", "D", "Paimpol", "22"),
    N("territory", "photocopier des papiers", "I", "Saint-Lô", "50"),
    N("territory", "cours de tablette pour seniors", "O", "Nevers", "58"),
    N("territory", "refaire un cv pour postuler", "E", "Tarare", "69"),
    N("territory", "renouveler sa carte d identite", "D", "Pamiers", "09"),
    N("territory", "imprimer une attestation employeur", "I", "Sarreguemines", "57"),
    N("territory", "envoyer un mail avec une piece jointe", "O", "Saint-Marcellin", "38"),
    N("territory", "demande de logement social en ligne", "D", "Saumur", "49"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    # France services list
    M("name", "la poste izernore", "France services La Poste d'Izernore", "01580"),
    M("name", "france services portes de la thierache rozoy", "France services de la Communauté de communes des "
      "Portes de la Thiérache", "02360"),
    M("name", "bus france services bocage bourbonnais", "Bus France services Bocage bourbonnais", "03160"),
    M("name", "bus france services verdon st andre les alpes",
      "Bus France services Communauté de communes Alpes Provence Verdon", "04170"),
    M("name", "fs l epi guillaumes", "France services L'Épi", "06470"),
    M("name", "france services la voulte", "France services La Voulte sur Rhône", "07800"),
    M("name", "fs carrignan", "France services Carignan", "08110"),
    M("name", "france services varilhe", "France services de Varilhes", "09120"),
    M("name", "fs brienne le chateau", "France services Brienne-le-Château", "10500"),
    M("name", "france services gruisan", "France services de Gruissan", "11430"),
    M("name", "la poste rinac", "France services La Poste de Rignac", "12390"),
    M("name", "la poste aureille", "France services La Poste d'Aureille", "13930"),
    M("name", "france services morteaux couliboeuf", "France services Morteaux Couliboeuf", "14620"),
    M("name", "fs laroquebou", "France services de Laroquebrou", "15150"),
    M("name", "france services brie 16590", "France services de Brie", "16590"),
    M("name", "fs ile d oleron", "France services île d'Oléron", "17310"),
    M("name", "la poste bourges gibjons", "France services La Poste de Bourges - Gibjoncs", "18000"),
    M("name", "la poste correze", "France services La Poste de Corrèze", "19800"),
    M("name", "la poste murato", "France services La Poste de Murato", "20239"),
    M("name", "france services talan", "France services de Talant", "21240"),
    M("name", "france services st vaury", "France services de Saint-Vaury", "23320"),
    M("name", "france services sous prefecture sarlat", "France services de la sous-préfecture de Sarlat-la-Canéda",
      "24200"),
    M("name", "fs saone 25660", "France services Saône", "25660"),
    M("name", "bus pimms seine eure louviers", "Bus France services Pimms Médiation Seine-Eure", "27400"),
    M("name", "fs sous prefecture nogent le rotrou", "France services de la sous-préfecture de Nogent-le-Rotrou",
      "28400"),
    M("name", "pimms brest keredern", "France services Pimms Médiation Brest - Kérédern", "29200"),
    M("name", "france services arramon", "France services Relais emploi intercommunal du Pont du Gard - Antenne "
      "d'Aramon", "30390"),
    M("name", "france services cuganux", "France services de Cugnaux", "31270"),
    M("name", "france services mirende", "France services de Mirande", "32300"),
    M("name", "france services cessenon sur orb", "France services multisites Sud-Hérault - Site de Cessenon sur Orb",
      "34460"),
    M("name", "fs aigurrande", "France services d'Aigurande", "36140"),
    M("name", "france services tours fontaines", "France services Tours Sud - Fontaines", "37200"),
    M("name", "france services villemorieu", "France services de Villemoirieu", "38460"),
    M("name", "fs orgellet", "France services Orgelet", "39270"),
    M("name", "france services tyrose", "France services de Tyrosse", "40230"),
    M("name", "la poste chambon feugerolles", "France services La Poste de Le Chambon-Feugerolles", "42500"),
    M("name", "fs bouvon", "France services de Bouvron", "44130"),
    M("name", "la poste bagnac sur celle", "France services La Poste de Bagnac-sur-Célé", "46270"),
    M("name", "france services port ste marie", "France services multisites du Confluent", "47130"),
    M("name", "fs st alban sur limagnole", "France services de Saint-Alban sur Limagnole", "48120"),
    M("name", "france services oree d anjou", "France services Orée d'Anjou", "49530"),
    M("name", "bus france services coutances", "Bus France services de Coutances Mer et Bocage", "50200"),
    M("name", "france services argone ste menehould", "France services Argonne Champenoise", "51800"),
    M("name", "france services bologe", "France services Bologne", "52310"),
    M("name", "fs loiron", "France services Loiron", "53320"),
    M("name", "espace defis st nicolas de port", "France services de Saint-Nicolas de Port - Espace DEFIS", "54210"),
    M("name", "france services vaucoulers", "France services Vaucouleurs", "55140"),
    M("name", "la poste cleguerrec", "France services La Poste de Cléguérec", "56480"),
    M("name", "france services metz bellecroix", "France services de Metz - Bellecroix", "57070"),
    M("name", "france services magni cours", "France services multisites intercommunale de Magny-Cours", "58470"),
    M("name", "la poste maubeuje", "France services La Poste de Maubeuge", "59600"),
    M("name", "fs crepi en valois", "France services de Crépy-en-Valois", "60800"),
    M("name", "france services sees", "France services de Sées", "61500"),
    M("name", "france services ternois herlin le sec", "France services du Ternois 1", "62130"),
    M("name", "france services gavarnie", "France services multisites des Vallées de Haute-Pyrénées - Site de "
      "Gavarnie-Gèdre", "65120"),
    M("name", "france services hagenau", "France services de Haguenau", "67500"),
    M("name", "france services soultz haut rhin", "France services Soultz", "68360"),
    M("name", "maison du rhone anse", "France services Maison du Rhône de Anse", "69480"),
    M("name", "france services champlite", "France services de Champlitte", "70600"),
    M("name", "pimms val de joux", "France services Pimms Médiation Val de Joux", "71220"),
    M("name", "la poste marolles les braults", "France services La Poste de Marolles-les-Braults", "72260"),
    M("name", "france services beaufortain", "France services Association d'Animation du Beaufortain", "73270"),
    M("name", "france services la roche sur foron", "France services multisites du Pays Rochois / Arve & Salève - "
      "Site de La Roche-sur-Foron", "74800"),
    M("name", "pimms paris 18eme nord est", "France services Pimms Médiation Paris 18ème - Nord-Est", "75018"),
    M("name", "france services ville de rouen", "France services Ville de Rouen", "76000"),
    M("name", "la poste longeville", "France services La Poste de Longueville", "77650"),
    M("name", "france services thenezai", "France services de Thénezay", "79390"),
    M("name", "fs gailac", "France services de Gaillac", "81600"),
    M("name", "france services montauban coeur de ville", "France services Montauban - Coeur de ville", "82000"),
    M("name", "la poste montmayan", "France services La Poste de Montmeyan", "83670"),
    M("name", "bus france services pays d apt", "Bus France services Pays d'Apt Luberon", "84400"),
    M("name", "la poste monts sur guesnes", "France services La Poste de Monts-sur-Guesnes", "86420"),
    M("name", "maison jane limousin chateauneuf la foret", "France services Châteauneuf-la-Fôret - Maison Jane "
      "Limousin", "87130"),
    M("name", "france services grandvilars", "France services de Grandvillars", "90600"),
    M("name", "bus france services 2 vallees milly", "Bus France services de la Communauté de communes des "
      "2 Vallées", "91490"),
    M("name", "france services dugni", "France services de Dugny - Mairie annexe Pont-Yblon", "93440"),
    M("name", "la poste champigny republique", "France services La Poste de Champigny - République", "94500"),
    M("name", "pimms garges sarcelles", "France services Pimms Médiation Garges-Sarcelles", "95140"),
    M("name", "france services st francois", "France services de Saint-François", "97118"),
    M("name", "france services sainte marie 97230", "France services de Sainte-Marie", "97230"),
    M("name", "bus france services matouri", "Bus France services de Matoury", "97351"),
    M("name", "aora mediation st louis", "France services de Saint-Louis - AORA Médiation", "97450"),
    M("name", "france services mtsamboro", "France services M'Tzamboro", "97630"),
    # Hinaura (Auvergne-Rhône-Alpes)
    M("name", "centre social escale belley", "Centre social l'Escale", "01300"),
    M("name", "mairie izenrore", "Mairie d'Izernore", "01580"),
    M("name", "informatique pays de troncais cerilly", "L'informatique en Pays de Tronçais", "03350"),
    M("name", "france services montmarault", "France Services Montmarault", "03390"),
    M("name", "espace public numerique annonay", "Espace Public Numérique", "07100"),
    M("name", "kuadrado sofware vernoux", "Kuadrado Software", "07240"),
    M("name", "espace numerique alba la romaine", "Espace Numérique d' Alba-la-Romaine", "07400"),
    M("name", "france services neuveglise sur truyere", "France Services de Neuvéglise-Sur-Truyère", "15260"),
    M("name", "centre social arpajon sur cere", "Association Centre Social &amp; Culturel d'Arpajon-sur-Cère", "15130"),
    M("name", "france services chaudes aigues", "France Services de Chaudes Aigues", "15110"),
    M("name", "maison citoyenne noel guichard romans", "Maison Citoyenne Noël Guichard - Centre Social", "26100"),
    M("name", "campus montelimar aglo", "Campus Montélimar Agglo", "26200"),
    M("name", "familles rurales valence", "Fédération Familles Rurales", "26000"),
    M("name", "mon assistant numerique eybens", "MON ASSISTANT NUMERIQUE GRENOBLE", "38320"),
    M("name", "mon assistant numerique vals du dauphine romagnieu", "Mon Assistant Numérique Vals dy Dauphiné",
      "38480"),
    M("name", "bibliotheque pablo neurda echirolles", "Bibliothèque Pablo-Neruda", "38130"),
    M("name", "espace de pratiques numeriques centre st etienne", "Espace de pratiques numériques Centre", "42000"),
    M("name", "croix rouge soins infirmiers st etienne",
      "Croix Rouge Française, service de soins infirmiers à domicile", "42000"),
    M("name", "epn espace sisley", "EPN des quartiers Sud-Est (Espace Sisley)", "42100"),
    M("name", "france services landso", "Maison France Services de Landos", "43340"),
    M("name", "declic brioudde", "Declic Espace Socio-culturel", "43100"),
    M("name", "mairie st julien chapteuil", "Mairie de Saint Julien Chapteuil", "43260"),
    M("name", "mediatheque ceirat", "Médiathèque de Ceyrat", "63122"),
    M("name", "mediatheque beaumont 63110", "Médiathèque de Beaumont", "63110"),
    M("name", "mediatheque reve et savoir aunat", "Médiathèque \"rêve et savoir\" d'Aulnat", "63510"),
    M("name", "mediatheque alain rey pont du chateau", "Médiathèque Alain Rey", "63340"),
    M("name", "emaus connect lyon", "Emmaüs Connect Lyon", "69008"),
    M("name", "bureau information jeunesse villeurbanne", "Bureau Information Jeunesse de Villeurbanne", "69100"),
    M("name", "point info jeunesse arbresle", "Point Information Jeunesse du Pays de L'Arbresle", "69210"),
    M("name", "posse 33 chambry", "POSSE 33", "73000"),
    M("name", "declicc st etienne de cuines", "France Services du Centre Social DECLICC", "73130"),
    M("name", "leco cran gevier", "LECO (Lieu d'Ecoute, de Conseil et d'Orientation)", "74960"),
    M("name", "mairie nancy sur cluses", "Mairie de Nancy-sur-Cluses", "74300"),
    # PACA hub
    M("name", "maison france services saint auban", "Maison France Services", "04600"),
    M("name", "france services banon", "France services Banon", "04150"),
    M("name", "mairie mezel", "Mairie de Mézel", "04270"),
    M("name", "mairie oraisson", "MAIRIE D ORAISON", "04700"),
    M("name", "terre des houges pierrevert", "Tiers-lieu Terre des Hougues", "04860"),
    M("name", "commune peyruis", "Commune de Peyruis", "04310"),
    M("name", "france services valensole", "France services Valensole", "04210"),
    M("name", "mairie orpierre", "Mairie d'Orpierre", "05700"),
    M("name", "france services guillestre queyras",
      "Communauté de communes du Guillestrois et du Queyras/France Services", "05600"),
    M("name", "atelier connecte udaf gap", "@telier connecté udaf", "05000"),
    M("name", "luceo la roche de ramme", "Luceo", "05130"),
    M("name", "maison des seniors nice nord", "Maison des Seniors - Nice Nord", "06100"),
    M("name", "epilouge nice", "Association EPILOGUE", "06300"),
    M("name", "association 42 nice", "Association 42", "06200"),
    M("name", "france service itinerant tourettes sur loup", "France Service Itinerant", "06140"),
    M("name", "bureau information jeunesse cap d ail", "Bureau Information Jeunesse intercommunal", "06320"),
    M("name", "centre communal action sociale cap d ail", "CENTRE COMMUNAL D'ACTION SOCIALE", "06320"),
    M("name", "france services nice pasteur", "France Services Nice Pasteur", "06000"),
    M("name", "mairie rousset 13790", "Mairie de Rousset", "13790"),
    M("name", "ciq st jean la gache la ciotat", "CIQ Saint Jean - La Gache - Le Peyrollet", "13600"),
    M("name", "chu maison copernic arles", "CHU Maison Copernic", "13200"),
    M("name", "patio 220 salon", "Patio 220", "13300"),
    M("name", "scheba marseille", "Association Schebba", "13014"),
    M("name", "mairie hieres", "Mairie d'Hyères", "83400"),
    M("name", "france services draguigan", "France Services Draguignan", "83300"),
    M("name", "loft pedagogique frejus", "LE LOFT PEDAGOGIQUE", "83600"),
    M("name", "face var toulon", "FACE VAR", "83000"),
    M("name", "mediatheque le luc", "Médiathèque du Luc en Provence", "83340"),
    M("name", "horizon multimedia la garde", "Horizon Multimedia", "83130"),
    M("name", "mediatheque malaucenne", "Médiathèque de MALAUCENE", "84340"),
    M("name", "maison milon grilon", "Espace Maison Milon", "84600"),
    M("name", "ingimbertine carpentras", "Bibliothèque l'Inguimbertine", "84200"),
    M("name", "france services mormoiron", "France services Mormoiron", "84570"),
    M("name", "mediatheque saignon", "Médiathèque Julio Cortázar de SAIGNON", "84400"),
]


def check() -> list[str]:
    return check_set(NEEDS, NAMES, queries_before("annuaire_counsellors_fresh3"))


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or f"ok: {len(NEEDS)} need queries, {len(NAMES)} name queries")
    sys.exit(1 if found else 0)
