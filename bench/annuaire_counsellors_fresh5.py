"""A sixth /annuaire test set typed the way counsellors do on a phone ("fresh5"), about misspellings: held out whole.

Written by hand, by someone who read neither the search code nor Relais's answers on these queries (nor on any
other), and who never ran the search while writing it, after `annuaire_counsellors.py` (used for tuning) and the
four `annuaire_counsellors_fresh*.py` sets before it, so that it measures the search rather than what it was tuned
on. It leans on what is hardest: communes and place names misspelt the way counsellors slip between appointments
(a missing or doubled letter, two letters swapped, a neighbouring key on an AZERTY keyboard, a spelling by ear such
as "chato" for "château" or "nerak" for "Nérac", a silent final letter dropped, "st"/"ste" with a slip elsewhere).
Places were drawn from the data by département and source (France services list, Hinaura, PACA hub) among those no
earlier set names, then typed by hand; no query text is one of the earlier sets', and their places and communes are
avoided. Wholly held out when written: nobody has run the search on it or read an answer to it.
`annuaire_counsellor_quality.py --set fresh5` would split it like the other sets (`--split`, md5 % 3 == 0 held
out); never read the held-out part's misses to tune on.

Kinds and truth as in `annuaire_counsellors_fresh4.py`: "typo" (one slip in the commune), "partial" (a short
commune name: the most populous commune whose name holds those words, in the département typed), "overseas"
(971-976, some misspelt), "homonym" (several communes bear the name; a département number or postal code in the
text settles it), "territory" (no commune in the text: `commune`/`dep` are the counsellor's own commune, given to
the search as its territory), and "name" (a place typed by its name: France services list, Hinaura and PACA hub
alike; most with one slip in one word, accents dropped, sometimes only the distinctive part of a long name,
sometimes followed by the commune, itself sometimes misspelt).

- need queries: truth at the registry point of `commune` (exact registry name) in `dep`; a place fits when its
  `services` hold `NEED_SERVICE[need]` and it lies within max(20 km, nearest such place + 10 km). Needs map honestly
  to the four services: CAF, impôts, ANTS, retraite, CPAM/Ameli, MSA, France Travail, prime d’activité… -> D;
  printing, scanning, photocopies, wifi in free access -> I; learning the smartphone, the tablet, the computer -> O;
  CV, cover letter, applying online -> E. Every need query is answerable: a place offering the service lies within
  60 km (checked by `check()`).
- name queries: the place with exactly this name and postal code (or the same structure listed by another source),
  under the shared rule against ambiguous typos of `counsellor_set_rules.check_set`.

    .venv/bin/python bench/annuaire_counsellors_fresh5.py    # runs check(): data and rules only, no search
"""

from __future__ import annotations

import sys

from annuaire_counsellors import NameQuery, NeedQuery
from counsellor_set_rules import check_set, queries_before

N = NeedQuery
NEEDS: list[NeedQuery] = [
    # one slip in the commune
    N("typo", "impots chato thierry", "D", "Château-Thierry", "02"),
    N("typo", "imprimer gannatt", "I", "Gannat", "03"),
    N("typo", "aide cv forcalqier", "E", "Forcalquier", "04"),
    N("typo", "cours tablette vallauri", "O", "Vallauris", "06"),
    N("typo", "carte grise tournin sur rhone", "D", "Tournon-sur-Rhône", "07"),
    N("typo", "caf rethell", "D", "Rethel", "08"),
    N("typo", "impots romilly sur siene", "D", "Romilly-sur-Seine", "10"),
    N("typo", "aide dossier retraite castelnaudari", "D", "Castelnaudary", "11"),
    N("typo", "imprimer tarascom", "I", "Tarascon", "13"),
    N("typo", "caf bayeu", "D", "Bayeux", "14"),
    N("typo", "caf aubuson", "D", "Aubusson", "23"),
    N("typo", "atelier smartphone nions", "O", "Nyons", "26"),
    N("typo", "aide papiers landernau", "D", "Landerneau", "29"),
    N("typo", "caf porto vechio", "D", "Porto-Vecchio", "2A"),
    N("typo", "photocopies pont st espirt", "I", "Pont-Saint-Esprit", "30"),
    N("typo", "caf issoudin", "D", "Issoudun", "36"),
    N("typo", "caf mont de marsans", "D", "Mont-de-Marsan", "40"),
    N("typo", "cours smartphone firmini", "O", "Firminy", "42"),
    N("typo", "caf nerak", "D", "Nérac", "47"),
    N("typo", "imprimer granvile", "I", "Granville", "50"),
    N("typo", "caf ste menehoul", "D", "Sainte-Menehould", "51"),
    N("typo", "caf pontivi", "D", "Pontivy", "56"),
    N("typo", "impots st avol", "D", "Saint-Avold", "57"),
    N("typo", "caf hazebrouk", "D", "Hazebrouck", "59"),
    N("typo", "caf st paul sur ternoise", "D", "Saint-Pol-sur-Ternoise", "62"),
    N("typo", "caf orthes", "D", "Orthez", "64"),
    N("typo", "imprimer sekestat", "I", "Sélestat", "67"),
    N("typo", "impots le creuzot", "D", "Le Creusot", "71"),
    N("typo", "initiation tablette ugibe", "O", "Ugine", "73"),
    N("typo", "caf fecanp", "D", "Fécamp", "76"),
    N("typo", "caf meaus", "D", "Meaux", "77"),
    N("typo", "caf gaillak", "D", "Gaillac", "81"),
    N("typo", "cours informatique lorgue", "O", "Lorgues", "83"),
    N("typo", "aide cv valeras", "E", "Valréas", "84"),
    N("typo", "caf remiremond", "D", "Remiremont", "88"),
    N("typo", "caf etanpes", "D", "Étampes", "91"),
    # partial commune names (the most populous commune whose name holds the words typed, in the département typed)
    N("partial", "caf villefranche 31", "D", "Villefranche-de-Lauragais", "31"),
    N("partial", "impots st jean 85", "D", "Saint-Jean-de-Monts", "85"),
    N("partial", "caf cosne 58", "D", "Cosne-Cours-sur-Loire", "58"),
    N("partial", "ameli lamballe 22", "D", "Lamballe-Armor", "22"),
    N("partial", "caf ancenis 44", "D", "Ancenis-Saint-Géréon", "44"),
    N("partial", "aide papiers marennes 17", "D", "Marennes-Hiers-Brouage", "17"),
    N("partial", "imprimer barbezieux 16", "I", "Barbezieux-Saint-Hilaire", "16"),
    N("partial", "impots terrasson 24", "D", "Terrasson-Lavilledieu", "24"),
    N("partial", "caf argentat 19", "D", "Argentat-sur-Dordogne", "19"),
    N("partial", "ameli st pourcain 03", "D", "Saint-Pourçain-sur-Sioule", "03"),
    N("partial", "atelier numerique st julien 74", "O", "Saint-Julien-en-Genevois", "74"),
    N("partial", "caf clermont 34", "D", "Clermont-l'Hérault", "34"),
    # homonyms settled by a département or a postal code
    N("homonym", "caf langon 33", "D", "Langon", "33"),
    N("homonym", "impots clermont 60", "D", "Clermont", "60"),
    N("homonym", "caf gourdon 46", "D", "Gourdon", "46"),
    N("homonym", "imprimer revel 31", "I", "Revel", "31"),
    N("homonym", "caf ruffec 16", "D", "Ruffec", "16"),
    N("homonym", "ameli sainte suzanne 974", "D", "Sainte-Suzanne", "974"),
    N("homonym", "caf bonneville 74", "D", "Bonneville", "74"),
    N("homonym", "impots sainte rose 97439", "D", "Sainte-Rose", "974"),
    # overseas (971-976), some misspelt
    N("overseas", "caf goyav", "D", "Goyave", "971"),
    N("overseas", "aide papiers trois rivieres guadeloupe", "D", "Trois-Rivières", "971"),
    N("overseas", "caf ducoss", "D", "Ducos", "972"),
    N("overseas", "impots le vauclain", "D", "Le Vauclin", "972"),
    N("overseas", "caf sinnamari", "D", "Sinnamary", "973"),
    N("overseas", "caf bras pannon", "D", "Bras-Panon", "974"),
    N("overseas", "demarches etang salle", "D", "L'Étang-Salé", "974"),
    N("overseas", "caf bandraboa", "D", "Bandraboua", "976"),
    # territory: no commune in the text; commune/dep are the counsellor's own commune, passed as territory
    N("territory", "aide pour declarer ses revenus en ligne", "D", "Gien", "45"),
    N("territory", "imprimer une attestation pole emploi", "I", "Hirson", "02"),
    N("territory", "apprendre a utiliser son telephone", "O", "Le Teil", "07"),
    N("territory", "aide pour postuler en ligne", "E", "Trets", "13"),
    N("territory", "refaire sa carte d identite en ligne", "D", "Provins", "77"),
    N("territory", "acces wifi gratuit", "I", "Monistrol-sur-Loire", "43"),
    N("territory", "demande de prime d activite", "D", "Paray-le-Monial", "71"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    # France services list
    M("name", "fs pont de veile", "France services multisites de Veyle", "01290"),
    M("name", "france services st erme", "France services Saint-Erme", "02820"),
    M("name", "france services le donjonn", "France services Le Donjon", "03130"),
    M("name", "france services vallee de la blanche seine", "France services Vallée de la Blanche", "04140"),
    M("name", "fs valbone", "France services multisites de Valbonne", "06560"),
    M("name", "france services st romain d ai", "France services de Saint-Romain-d'Ay", "07290"),
    M("name", "la poste rocroy", "France services La Poste de Rocroi", "08230"),
    M("name", "france services lezat le fosat", "France services de Lezat-Le Fossat", "09210"),
    M("name", "la poste couisa", "France services La Poste de Couiza", "11190"),
    M("name", "point info 14 trouvile", "France services Point Info 14 de Trouville", "14360"),
    M("name", "maison pop montendre", "France services de Montendre - La Maison Pop'", "17130"),
    M("name", "france services meymak", "France services Meymac", "19250"),
    M("name", "la poste ventisseri", "France services La Poste de Ventiseri", "20240"),
    M("name", "france services plenef val andre", "France services de Pléneuf-Val-André", "22370"),
    M("name", "france services bousac", "France services Boussac", "23600"),
    M("name", "la poste bagneres de luchonn", "France services La Poste de Bagnères-de-Luchon", "31110"),
    M("name", "france services eause", "France services Eauze", "32800"),
    M("name", "france services creon cabane a projet", "France services de Créon - La Cabane à Projets", "33670"),
    M("name", "france services levrou", "France services de Levroux", "36110"),
    M("name", "france services la riche equinox", "France services La Riche - Equinoxe", "37520"),
    M("name", "france services pays d orthe peyreorade", "France services du Pays d'Orthe et Arrigans", "40300"),
    M("name", "france services lalbenqe", "France services de Lalbenque", "46230"),
    M("name", "france services langone", "France services Langogne", "48300"),
    M("name", "france services seiches sur le loire", "France services Durtal - Antenne de Seiches sur le Loir",
      "49140"),
    M("name", "la poste dun sur meusse", "France services La Poste de Dun-sur-Meuse", "55100"),
    M("name", "france services st saulges", "France services de Saint-Saulge", "58330"),
    M("name", "france services coeur de l avenois", "France services du Coeur de l'Avesnois", "59440"),
    M("name", "france services l esaimeur", "France services L'Essaimeur", "63340"),
    M("name", "france services morlass", "France services Morlàas", "64160"),
    M("name", "france services la cabanase", "France services Pyrénées-Catalanes - Antenne de La Cabanasse", "66210"),
    M("name", "france services chaufailles", "France services Pimms Médiation de Chauffailles", "71170"),
    M("name", "france services val disere", "France services Val d'Isère", "73150"),
    M("name", "la poste frangi", "France services La Poste de Frangy", "74270"),
    M("name", "bus fodeno le havre", "Bus France services Espace numérique Fodeno - Le Havre", "76600"),
    M("name", "france services deux morins", "France services Deux Morin", "77320"),
    M("name", "fs cc2so poix de picardie", "France services CC2SO de Poix-de-Picardie", "80290"),
    M("name", "france services l escale 4c les cabanes", "France services l'Escale de la 4C", "81170"),
    M("name", "france services civrai", "France services de Civray", "86400"),
    M("name", "france services provencheres et colroi", "France services de Provenchères-et-Colroy", "88490"),
    M("name", "france services giromany", "France services Giromagny", "90200"),
    M("name", "france services morne rouje", "France services de Morne-Rouge", "97260"),
    M("name", "france services remire montjoli", "France services Rémire-Montjoly", "97354"),
    M("name", "france services st joseph jean petit", "France services de Saint-Joseph - Jean-Petit", "97480"),
    M("name", "france services boueni", "France services de Bouéni", "97620"),
    M("name", "france services baie mahaut", "France services de Baie-Mahault", "97122"),
    # Hinaura (Auvergne-Rhône-Alpes)
    M("name", "mairie druilat", "Mairie de Druillat", "01160"),
    M("name", "mediatheque de beley", "Médiathèque de Belley", "01300"),
    M("name", "centre artemis st maurice de beynot", "Centre socio-culturel ARTEMIS", "01700"),
    M("name", "centre social gaston paillou", "Centre Social Rural Gaston Henri Paillhou", "03100"),
    M("name", "caplab privat", "CAPLAB, Le FabLab du Centre Ardèche", "07000"),
    M("name", "centre multimedia mjc la voute", "Centre Multimédia MJC Centre Social", "07800"),
    M("name", "centre social vallee de l autre naucelles", "Centre Social de la Vallee de l'Authre", "15250"),
    M("name", "mediatheque simone de bauvoir romans", "Médiathèque Simone de Beauvoir", "26100"),
    M("name", "mosaik st paul trois chateaux", "Association Mosaïc", "26130"),
    M("name", "efs livron sur drom", "EFS Livron sur Drôme", "26250"),
    M("name", "maison pour tout biviers", "Maison Pour Tous Biviers", "38330"),
    M("name", "acorderie pontcharra", "L' Accorderie Haut Grésivaudan Coeur de Savoie", "38530"),
    M("name", "point mediation numerique valfleuri", "Point de médiation numérique VALFLEURY", "42320"),
    M("name", "cybercentre copler st symphorien de lay", "Maison France Service - Cybercentre CoPLER", "42470"),
    M("name", "maison france services costarros", "Maison France Services de Costaros", "43490"),
    M("name", "espace charlett mjc arbresle", "Espace Charlet / MJC L'Arbresle", "69210"),
    M("name", "bibliotheque les mille feuilles barby", "Bibliothèque Les Mille Feuillets", "73230"),
    M("name", "micro folie faverge", "Micro-Folie Faverges", "74210"),
    # PACA hub
    M("name", "coworking malijai", "Coworkind", "04350"),
    M("name", "dinapolis digne", "Diniapolis, La Fabrique à Entreprendre", "04000"),
    M("name", "association point rencontre chateau arnoux", "Association Point Rencontre", "04160"),
    M("name", "initiatve alpes provence gap", "Initiative Alpes Provence", "05000"),
    M("name", "maison des solidarites gap fangeros", "Maison de Solidarités de Gap-Fangerots", "05000"),
    M("name", "espace france services valouise", "Espace France Services Vallouise", "05290"),
    M("name", "aux rendez vous du loups", "Aux Rendez-Vous du Loup", "06620"),
    M("name", "so fab biott", "So Fab", "06410"),
    M("name", "mairie gignac la nerte", "Mairie de Gignac-La-Nerthe", "13180"),
    M("name", "centre social albert schweizer miramas", "Centre Social Albert Schweitzer", "13140"),
    M("name", "csapa maison jaune arles", "Csapa maison jaune", "13200"),
    M("name", "athena factories reguse", "THE ATHENA FACTORIES", "83630"),
    M("name", "numerika le muy", "Numerica France Services du Muy", "83490"),
    M("name", "mediateque pernes les fontaines", "Médiathèque de PERNES-LES--FONTAINES", "84210"),
    M("name", "commune de caderouse", "COMMUNE DE CADEROUSSE", "84860"),
    M("name", "initiative ventoux carpentras", "INITIATIVE VENTOUX", "84200"),
    M("name", "grenier numerique l isle sur sorgue", "Grenier Numérique", "84800"),
]


def check() -> list[str]:
    return check_set(NEEDS, NAMES, queries_before("annuaire_counsellors_fresh5"))


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or f"ok: {len(NEEDS)} need queries, {len(NAMES)} name queries")
    sys.exit(1 if found else 0)
