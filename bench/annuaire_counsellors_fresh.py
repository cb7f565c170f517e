"""A second, fresh /annuaire test set typed the way counsellors do on a phone: held out as a whole.

Written by hand, by someone who did not read the search code nor look at Relais's answers, so that it measures
the search rather than what it was tuned on (`annuaire_counsellors.py` has served for tuning). No query is
identical to one of that set, and its communes and places are avoided. There is no dev/held-out split: every
query here is held out; never tune on them (`annuaire_counsellor_quality.py --set fresh` ignores `--split`).

Kinds: "need" (a need and a commune), "typo" (one typo in the commune), "partial" (a short commune name: the one
everybody means, i.e. the most populous commune whose name holds those words, in the département when typed), "overseas"
(971-976), "homonym" (several communes bear the name; a département number or postal code in the text settles
it), "code" (a postal code, or an arrondissement such as "lyon 7": truth at that arrondissement, or at the postal
code's main commune), "territory" (no commune in the text: `commune`/`dep` are the counsellor's own commune,
given to the search as its territory), and "name" (a place typed by its name).

Truth, from the data alone, as for `annuaire_counsellors.py`:
- need queries: the registry point of `commune` (exact registry name) in `dep`; a place fits when its `services`
  hold `NEED_SERVICE[need]` and it lies within max(20 km, nearest such place + 10 km). Needs map honestly to the
  four services: CAF, impôts, ANTS, retraite, CPAM/Ameli, RSA, France Travail… -> D; printing, scanning, wifi, a
  computer in free access -> I; learning the smartphone, the computer, e-mail -> O; CV, job search, applications
  -> E. Every need query is answerable: a place offering the service lies within 60 km (checked by `check()`).
- name queries: the place with exactly this name and postal code (or the same structure listed by another
  source). The typed text drops words and accents and has at most one typo in one word. Rule against ambiguous
  typos, checked by `check()`: the text's words (after fs -> france services, st/ste -> saint/sainte, without
  small words like de/la/et/sur) are scored against each place's name, commune and postal-code words, a word
  costing 0 when equal to a place word or a prefix of at least 4 letters of one, else its smallest
  optimal-string-alignment distance (swap = 1 edit); the intended place costs at most 1, and every other place
  (bar the same structure listed twice) costs strictly more.

    .venv/bin/python bench/annuaire_counsellors_fresh.py    # runs check(): data and rules only, no search
"""

from __future__ import annotations

import sys

from annuaire_counsellors import NameQuery, NeedQuery
from counsellor_set_rules import check_set, queries_before

N = NeedQuery
NEEDS: list[NeedQuery] = [
    # need + commune, as typed
    N("need", "caf nantes", "D", "Nantes", "44"),
    N("need", "aide dossier caf pour madame lille", "D", "Lille", "59"),
    N("need", "impots en ligne strasbourg", "D", "Strasbourg", "67"),
    N("need", "besoin aide retraite orleans", "D", "Orléans", "45"),
    N("need", "ameli mot de passe oublie rouen", "D", "Rouen", "76"),
    N("need", "france travail actualisation le havre", "D", "Le Havre", "76"),
    N("need", "anef titre de sejour mulhouse", "D", "Mulhouse", "68"),
    N("need", "madame cherche aide impots niort", "D", "Niort", "79"),
    N("need", "retraite carsat perigueux", "D", "Périgueux", "24"),
    N("need", "demarche en ligne albi", "D", "Albi", "81"),
    N("need", "caf millau", "D", "Millau", "12"),
    N("need", "pole emploi aubenas", "D", "Aubenas", "07"),
    N("need", "france services die", "D", "Die", "26"),
    N("need", "cpam ambert", "D", "Ambert", "63"),
    N("need", "passeport vichy", "D", "Vichy", "03"),
    N("need", "imprimer sallanches", "I", "Sallanches", "74"),
    N("need", "scanner un document brignoles", "I", "Brignoles", "83"),
    N("need", "ordi en acces libre arles", "I", "Arles", "13"),
    N("need", "imprimer attestation pour madame carpentras", "I", "Carpentras", "84"),
    N("need", "wifi calais", "I", "Calais", "62"),
    N("need", "apprendre a utiliser smartphone annemasse", "O", "Annemasse", "74"),
    N("need", "cours ordinateur debutant la ciotat", "O", "La Ciotat", "13"),
    N("need", "atelier numerique seniors sisteron", "O", "Sisteron", "04"),
    N("need", "se servir de son telephone montbrison", "O", "Montbrison", "42"),
    N("need", "initiation ordi issoire", "O", "Issoire", "63"),
    N("need", "aide cv istres", "E", "Istres", "13"),
    N("need", "lettre de motivation cagnes sur mer", "E", "Cagnes-sur-Mer", "06"),
    N("need", "candidature en ligne la seyne sur mer", "E", "La Seyne-sur-Mer", "83"),
    N("need", "cv embrun", "E", "Embrun", "05"),
    # one typo in the commune
    N("typo", "caf colmr", "D", "Colmar", "68"),
    N("typo", "impots nanci", "D", "Nancy", "54"),
    N("typo", "aide papiers valencienne", "D", "Valenciennes", "59"),
    N("typo", "cpam narbone", "D", "Narbonne", "11"),
    N("typo", "carte grise bayone", "D", "Bayonne", "64"),
    N("typo", "caf montaubain", "D", "Montauban", "82"),
    N("typo", "ants chartre", "D", "Chartres", "28"),
    N("typo", "imprimer hyere", "I", "Hyères", "83"),
    N("typo", "atelier smartphone anonay", "O", "Annonay", "07"),
    N("typo", "cv aubagen", "E", "Aubagne", "13"),
    N("typo", "declaration impots blios", "D", "Blois", "41"),
    N("typo", "caf beauvai", "D", "Beauvais", "60"),
    N("typo", "rsa saint quetin", "D", "Saint-Quentin", "02"),
    N("typo", "ameli epinale", "D", "Épinal", "88"),
    N("typo", "msa chateaubrian", "D", "Châteaubriant", "44"),
    # partial commune names (the most populous commune whose name holds the words typed, in the département typed)
    N("partial", "caf brive", "D", "Brive-la-Gaillarde", "19"),
    N("partial", "carte vitale thonon", "D", "Thonon-les-Bains", "74"),
    N("partial", "imprimer evian", "I", "Évian-les-Bains", "74"),
    N("partial", "impots lons 39", "D", "Lons-le-Saunier", "39"),
    N("partial", "caf chalons 51", "D", "Châlons-en-Champagne", "51"),
    N("partial", "france services villefranche 12", "D", "Villefranche-de-Rouergue", "12"),
    N("partial", "demarches bourgoin", "D", "Bourgoin-Jallieu", "38"),
    N("partial", "atelier informatique isle sur sorgue", "O", "L'Isle-sur-la-Sorgue", "84"),
    N("partial", "ants st jean maurienne", "D", "Saint-Jean-de-Maurienne", "73"),
    N("partial", "imprimer st paul 3 chateaux", "I", "Saint-Paul-Trois-Châteaux", "26"),
    N("partial", "caf montceau", "D", "Montceau-les-Mines", "71"),
    N("partial", "impots bagneres 65", "D", "Bagnères-de-Bigorre", "65"),
    # overseas (971-976)
    N("overseas", "caf les abymes", "D", "Les Abymes", "971"),
    N("overseas", "impots baie mahault", "D", "Baie-Mahault", "971"),
    N("overseas", "aide papiers le moule", "D", "Le Moule", "971"),
    N("overseas", "france services le robert", "D", "Le Robert", "972"),
    N("overseas", "caf schoelcher", "D", "Schœlcher", "972"),
    N("overseas", "demarches matoury", "D", "Matoury", "973"),
    N("overseas", "ants remire montjoly", "D", "Rémire-Montjoly", "973"),
    N("overseas", "rsa saint andre reunion", "D", "Saint-André", "974"),
    N("overseas", "imprimer la possession", "I", "La Possession", "974"),
    N("overseas", "aide caf koungou", "D", "Koungou", "976"),
    N("overseas", "france services dzaoudzi", "D", "Dzaoudzi", "976"),
    # homonyms settled by a département or a postal code
    N("homonym", "caf montreuil 93", "D", "Montreuil", "93"),
    N("homonym", "impots st louis 68", "D", "Saint-Louis", "68"),
    N("homonym", "aide papiers saint claude 39", "D", "Saint-Claude", "39"),
    N("homonym", "france services ste marie 972", "D", "Sainte-Marie", "972"),
    N("homonym", "cpam moulins 03", "D", "Moulins", "03"),
    N("homonym", "imprimer beaumont 63", "I", "Beaumont", "63"),
    N("homonym", "caf saint joseph 97480", "D", "Saint-Joseph", "974"),
    N("homonym", "demarches pont de beauvoisin 38", "D", "Le Pont-de-Beauvoisin", "38"),
    N("homonym", "atelier tablette fontaine 38", "O", "Fontaine", "38"),
    # postal codes and arrondissements (truth at the arrondissement, or at the postal code's main commune)
    N("code", "caf lyon 7", "D", "Lyon 7e Arrondissement", "69"),
    N("code", "caf lyon 8e", "D", "Lyon 8e Arrondissement", "69"),
    N("code", "aide papiers marseille 3e", "D", "Marseille 3e Arrondissement", "13"),
    N("code", "cours informatique marseille 14e", "O", "Marseille 14e Arrondissement", "13"),
    N("code", "aide cv marseille 1er", "E", "Marseille 1er Arrondissement", "13"),
    N("code", "france services paris 18", "D", "Paris 18e Arrondissement", "75"),
    N("code", "caf paris 20", "D", "Paris 20e Arrondissement", "75"),
    N("code", "cpam 42300", "D", "Roanne", "42"),
    N("code", "caf 83300", "D", "Draguignan", "83"),
    N("code", "imprimer 84300", "I", "Cavaillon", "84"),
    # territory: no commune in the text; commune/dep are the counsellor's own commune, passed as territory
    N("territory", "aide caf", "D", "Mauriac", "15"),
    N("territory", "imprimer une attestation", "I", "Crest", "26"),
    N("territory", "atelier smartphone", "O", "Saint-Chamond", "42"),
    N("territory", "faire un cv", "E", "Miramas", "13"),
    N("territory", "impots en ligne", "D", "Saint-Gaudens", "31"),
    N("territory", "carte grise", "D", "Lannion", "22"),
    N("territory", "scanner", "I", "Bergerac", "24"),
    N("territory", "madame cherche aide pour sa retraite", "D", "Dole", "39"),
    N("territory", "cours ordinateur debutant", "O", "Cluses", "74"),
    N("territory", "ameli", "D", "Dax", "40"),
    N("territory", "wifi gratuit", "I", "Cherbourg-en-Cotentin", "50"),
    N("territory", "apprendre a envoyer des mails", "O", "Yssingeaux", "43"),
    N("territory", "aide candidature en ligne", "E", "Sanary-sur-Mer", "83"),
    N("territory", "besoin aide ants permis", "D", "Saint-Dié-des-Vosges", "88"),
    N("territory", "ordi en libre acces", "I", "Ploërmel", "56"),
    N("territory", "rsa", "D", "Sedan", "08"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    M("name", "fs guemene sur scorf", "France services Guémené-sur-Scorff", "56160"),
    M("name", "bus france services valencienois", "Bus France services du Valenciennois", "59300"),
    M("name", "france services senecey le grand", "France services Sennecey-le-Grand", "71240"),
    M("name", "france services jegun", "France services Jegun", "32360"),
    M("name", "france services chevreuze", "France services de Chevreuse", "78460"),
    M("name", "fs beaune la rolande", "France services Beaune la Rolande", "45340"),
    M("name", "la poste torcy france service", "France services La Poste de Torcy", "77200"),
    M("name", "france services bourg lastik", "France services Bourg Lastic", "63760"),
    M("name", "bus les pictons marans", "Bus France services Les Pictons", "17230"),
    M("name", "france services mad et moselle", "France services Mad & Moselle", "54470"),
    M("name", "france services venarey les laume", "France services Vénarey-les-Laumes", "21150"),
    M("name", "france services mireuil la rochelle", "France services Mireuil de la Rochelle", "17000"),
    M("name", "france services foncine le haut", "France services de Foncine-le-Haut", "39460"),
    M("name", "france services anses d arlet", "France services Les Anses d'Arlet", "97217"),
    M("name", "france services conde en brie",
      "France services Agglomération de la région de Château-Thierry - Antenne Condé-en-Brie", "02330"),
    M("name", "france services villersexl", "France services de Villersexel", "70110"),
    M("name", "france services savenai", "France services de Savenay", "44260"),
    M("name", "france services montreuil belay", "France services Montreuil-Bellay", "49260"),
    M("name", "france services bilom", "France services de Billom", "63160"),
    M("name", "fs mortagne sur sevre", "France services de Mortagne-sur-Sèvre", "85290"),
    M("name", "france services conche en ouche", "France services de Conches-en-Ouche", "27190"),
    M("name", "brenne box mezieres en brenne", "France services Brenne Box", "36290"),
    M("name", "france services beziers grangete", "France services Béziers - La Grangette", "34500"),
    M("name", "france services pau saragose", "France services multisites de Pau - Site de Saragosse", "64000"),
    M("name", "france services saillagouze", "France services La Poste de Saillagouse", "66800"),
    M("name", "france services ferette", "France services de Ferrette", "68480"),
    M("name", "france services charny puisaye", "France services Charny Orée de Puisaye", "89120"),
    M("name", "point rencontre emploi veauch", "Point Rencontre Emploi - Veauche", "42340"),
    M("name", "centre social farandole le donjon", "Centre Social La Farandole", "03130"),
    M("name", "centre social nocase montelimar", "Centre Social Municipal de Nocaze", "26200"),
    M("name", "accoderie pays diois", "Accorderie du Pays Diois", "26150"),
    M("name", "cco la rayone villeurbanne", "CCO - La Rayonne", "69100"),
    M("name", "bibliotheque pierre goy annemase", "Bibliothèque municipale Pierre Goy", "74100"),
    M("name", "courchevel emploi msap", "Courchevel Emploi– Msap", "73120"),
    M("name", "mediatheque cognin", "Médiathèque de Cognin", "73160"),
    M("name", "mjc nini chaise aouste", "MJC Centre Social Nini Chaize", "26400"),
    M("name", "maison loire autonomie st etienne", "Maison Loire Autonomie", "42000"),
    M("name", "mairie de priai", "Mairie de Priay", "01160"),
    M("name", "france services cotiere montluel", "France Services Côtière", "01120"),
    M("name", "maison des solidarites riom", "Maison des Solidarités de Riom", "63200"),
    M("name", "tiers lieu vesseaux mere", "Tiers-lieu Le Vesseaux-Mère", "07200"),
    M("name", "espace numerique roanais agglo", "Espace Numérique de Roannais Agglomération", "42300"),
    M("name", "icare givors", "Groupe d'insertion ICARE - Givors", "69700"),
    M("name", "maison solidarite departementale murat", "Maison de la Solidarité Départementale de Murat", "15300"),
    M("name", "mediatheque loire forez montbrisson", "Médiathèque Loire Forez Agglo Montbrison", "42600"),
    M("name", "mairie de lapte", "Mairie de Lapte", "43200"),
    M("name", "le 15 tiers lab marseille", "Le 15, Tiers-Lab des Transitions", "13004"),
    M("name", "bibliotheque venasqe", "Bibliothèque de VENASQUE", "84210"),
    M("name", "cs capelette marseille", "CS Capelette", "13010"),
    M("name", "espace mimont cannes", "Espaces Mimont", "06400"),
    M("name", "bricotheque fablab pernes", "LA BRICOTHEQUE FABLAB DE PERNES LES FONTAINES", "84210"),
    M("name", "centre culturel mormoiron", "Centre culturel de MORMOIRON", "84570"),
    M("name", "c picaud cannes", "C'PICAUD", "06400"),
    M("name", "mediatheque cadenet", "Médiathèque de Cadenet", "84160"),
    M("name", "utoplab la ciotta", "Utoplab Factory", "13600"),
    M("name", "initiative var frejus", "Initiative Var", "83600"),
    M("name", "ccas rocquebrune cap martin", "CCAS Roquebrune-Cap-Martin", "06190"),
    M("name", "cap jeunesse cote d azur", "Cap Jeunesse Côte d'Azur", "06000"),
    M("name", "sophia loisirs et vie opio", "Sophia Loisir Et Vie", "06650"),
    M("name", "croix rouge manosque forcalquier", "CROIX ROUGE ANTENNE LOCALE DE MANOSQUE-FORCALQUIER", "04100"),
]

def check() -> list[str]:
    return check_set(NEEDS, NAMES, queries_before("annuaire_counsellors_fresh"))


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or f"ok: {len(NEEDS)} need queries, {len(NAMES)} name queries")
    sys.exit(1 if found else 0)
