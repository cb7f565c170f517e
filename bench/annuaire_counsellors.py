"""An independent /annuaire test set: queries written the way counsellors type them, truth computed by a rule.

Written by hand (not generated, not taken from Relais's answers): needs in counsellors' words with a commune
(full, partial, misspelt, without accents, abbreviated, overseas, homonyms with a département), and places typed
by their name with one typo and no accents. Truth is computed from the data alone:
- need + commune: the commune's point comes from the national registry (`bot.geo`, looked up by its exact name
  and département as written here); a place fits when its `services` hold the service the need stands for
  (`NEED_SERVICE`, the schéma's vocabulary) and it lies within max(20 km, nearest such place + 10 km).
- name: the place with this exact name and postal code (or the same structure listed by another source).

Held out: queries whose md5 is 0 mod 3 (decided up front); tune on the rest only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

D = "Aide aux démarches administratives"
I = "Accès internet et matériel informatique"  # noqa: E741
O = "Maîtrise des outils numériques du quotidien"  # noqa: E741
E = "Insertion professionnelle via le numérique"
NEED_SERVICE = {"D": D, "I": I, "O": O, "E": E}


@dataclass(frozen=True)
class NeedQuery:
    kind: str
    text: str
    need: str  # key of NEED_SERVICE
    commune: str  # exact registry name
    dep: str


@dataclass(frozen=True)
class NameQuery:
    kind: str
    text: str
    nom: str
    code_postal: str


def held_out(text: str) -> bool:
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % 3 == 0


N = NeedQuery
NEEDS: list[NeedQuery] = [
    # need + commune, as typed
    N("need", "demarche en ligne caf cannes", "D", "Cannes", "06"),
    N("need", "demarches en ligne brest", "D", "Brest", "29"),
    N("need", "aide papiers administratifs montlucon", "D", "Montluçon", "03"),
    N("need", "caf lyon", "D", "Lyon", "69"),
    N("need", "impots grenoble", "D", "Grenoble", "38"),
    N("need", "declaration impots chambery", "D", "Chambéry", "73"),
    N("need", "aide dossier retraite annecy", "D", "Annecy", "74"),
    N("need", "carte grise valence", "D", "Valence", "26"),
    N("need", "ants permis de conduire clermont ferrand", "D", "Clermont-Ferrand", "63"),
    N("need", "renouveler passeport saint etienne", "D", "Saint-Étienne", "42"),
    N("need", "apl caf marseille", "D", "Marseille", "13"),
    N("need", "rsa toulon", "D", "Toulon", "83"),
    N("need", "prime d activite avignon", "D", "Avignon", "84"),
    N("need", "compte ameli nice", "D", "Nice", "06"),
    N("need", "carte vitale gap", "D", "Gap", "05"),
    N("need", "mon espace sante manosque", "D", "Manosque", "04"),
    N("need", "msa aurillac", "D", "Aurillac", "15"),
    N("need", "pole emploi inscription bourg en bresse", "D", "Bourg-en-Bresse", "01"),
    N("need", "france travail actualisation vienne", "D", "Vienne", "38"),
    N("need", "aide cv voiron", "E", "Voiron", "38"),
    N("need", "faire un cv lyon", "E", "Lyon", "69"),
    N("need", "lettre de motivation grenoble", "E", "Grenoble", "38"),
    N("need", "recherche emploi marseille", "E", "Marseille", "13"),
    N("need", "imprimer un document grenoble", "I", "Grenoble", "38"),
    N("need", "imprimer gap", "I", "Gap", "05"),
    N("need", "scanner des papiers annecy", "I", "Annecy", "74"),
    N("need", "photocopie chambery", "I", "Chambéry", "73"),
    N("need", "wifi gratuit marseille", "I", "Marseille", "13"),
    N("need", "acces internet nice", "I", "Nice", "06"),
    N("need", "ordi en libre service villeurbanne", "I", "Villeurbanne", "69"),
    N("need", "apprendre ordinateur senior grenoble", "O", "Grenoble", "38"),
    N("need", "atelier smartphone senior nice", "O", "Nice", "06"),
    N("need", "initiation informatique chambery", "O", "Chambéry", "73"),
    N("need", "cours tablette personnes agees valence", "O", "Valence", "26"),
    N("need", "utiliser son portable annecy", "O", "Annecy", "74"),
    N("need", "mail debutant saint etienne", "O", "Saint-Étienne", "42"),
    N("need", "caf echirolles", "D", "Échirolles", "38"),
    N("need", "impots aix en provence", "D", "Aix-en-Provence", "13"),
    N("need", "demarches administratives briancon", "D", "Briançon", "05"),
    N("need", "aide administrative romans sur isere", "D", "Romans-sur-Isère", "26"),
    N("need", "caf rennes", "D", "Rennes", "35"),
    N("need", "impots dijon", "D", "Dijon", "21"),
    N("need", "carte d identite quimper", "D", "Quimper", "29"),
    N("need", "aide caf limoges", "D", "Limoges", "87"),
    N("need", "rsa amiens", "D", "Amiens", "80"),
    N("need", "retraite carsat pau", "D", "Pau", "64"),
    N("need", "demarches en ligne poitiers", "D", "Poitiers", "86"),
    N("need", "france services tulle", "D", "Tulle", "19"),
    N("need", "aide papiers rodez", "D", "Rodez", "12"),
    N("need", "ants carte grise perpignan", "D", "Perpignan", "66"),
    N("need", "impot metz", "D", "Metz", "57"),
    N("need", "caf besancon", "D", "Besançon", "25"),
    N("need", "titre de sejour evreux", "D", "Évreux", "27"),
    N("need", "msa gueret", "D", "Guéret", "23"),
    N("need", "cpam cahors", "D", "Cahors", "46"),
    N("need", "mdph auxerre", "D", "Auxerre", "89"),
    N("need", "caf chateauroux", "D", "Châteauroux", "36"),
    N("need", "demarche retraite mende", "D", "Mende", "48"),
    N("need", "pole emploi foix", "D", "Foix", "09"),
    N("need", "impots bar le duc", "D", "Bar-le-Duc", "55"),
    # misspelt commune, no accents, abbreviations
    N("typo", "caf grenble", "D", "Grenoble", "38"),
    N("typo", "impots chambry", "D", "Chambéry", "73"),
    N("typo", "aide papier annecyy", "D", "Annecy", "74"),
    N("typo", "demarches valance", "D", "Valence", "26"),
    N("typo", "caf clermont ferand", "D", "Clermont-Ferrand", "63"),
    N("typo", "imprimer greonble", "I", "Grenoble", "38"),
    N("typo", "cv marseile", "E", "Marseille", "13"),
    N("typo", "impots toulousse", "D", "Toulouse", "31"),
    N("typo", "caf bordaux", "D", "Bordeaux", "33"),
    N("typo", "ants montpelier", "D", "Montpellier", "34"),
    N("typo", "fs st etienne", "D", "Saint-Étienne", "42"),
    N("typo", "msap st flour", "D", "Saint-Flour", "15"),
    N("typo", "caf st priest", "D", "Saint-Priest", "69"),
    N("typo", "cpam ste foy les lyon", "D", "Sainte-Foy-lès-Lyon", "69"),
    N("typo", "dgfip st martin d heres", "D", "Saint-Martin-d'Hères", "38"),
    # partial commune names
    N("partial", "impots digne", "D", "Digne-les-Bains", "04"),
    N("partial", "caf bourg", "D", "Bourg-en-Bresse", "01"),
    N("partial", "aide administrative aix", "D", "Aix-en-Provence", "13"),
    N("partial", "france services st trivier", "D", "Saint-Trivier-de-Courtes", "01"),
    N("partial", "caf romans", "D", "Romans-sur-Isère", "26"),
    N("partial", "carte grise chalon", "D", "Chalon-sur-Saône", "71"),
    N("partial", "impots villefranche 69", "D", "Villefranche-sur-Saône", "69"),
    N("partial", "caf boulogne 62", "D", "Boulogne-sur-Mer", "62"),
    N("partial", "demarches charleville", "D", "Charleville-Mézières", "08"),
    N("partial", "papiers le puy", "D", "Le Puy-en-Velay", "43"),
    # overseas
    N("overseas", "france services st pierre 974", "D", "Saint-Pierre", "974"),
    N("overseas", "caf le port", "D", "Le Port", "974"),
    N("overseas", "impots saint denis 974", "D", "Saint-Denis", "974"),
    N("overseas", "demarches saint paul reunion", "D", "Saint-Paul", "974"),
    N("overseas", "caf pointe a pitre", "D", "Pointe-à-Pitre", "971"),
    N("overseas", "ants basse terre", "D", "Basse-Terre", "971"),
    N("overseas", "caf fort de france", "D", "Fort-de-France", "972"),
    N("overseas", "impots le lamentin", "D", "Le Lamentin", "972"),
    N("overseas", "aide papiers cayenne", "D", "Cayenne", "973"),
    N("overseas", "france services kourou", "D", "Kourou", "973"),
    N("overseas", "caf mamoudzou", "D", "Mamoudzou", "976"),
    N("overseas", "rsa saint laurent du maroni", "D", "Saint-Laurent-du-Maroni", "973"),
    N("overseas", "demarche le tampon", "D", "Le Tampon", "974"),
    # homonyms settled by a département or postal code
    N("homonym", "caf saint denis 93", "D", "Saint-Denis", "93"),
    N("homonym", "impots valence 82", "D", "Valence", "82"),
    N("homonym", "caf valence 26000", "D", "Valence", "26"),
    N("homonym", "aide papiers saint pierre 97410", "D", "Saint-Pierre", "974"),
    N("homonym", "impots saint paul 974", "D", "Saint-Paul", "974"),
    N("homonym", "caf vienne 38", "D", "Vienne", "38"),
    N("homonym", "france services bagnols 30", "D", "Bagnols-sur-Cèze", "30"),
    N("homonym", "demarches saint germain 69", "D", "Saint-Germain-au-Mont-d'Or", "69"),
    # postal codes and arrondissements
    N("code", "caf 38000", "D", "Grenoble", "38"),
    N("code", "impots 05000", "D", "Gap", "05"),
    N("code", "aide papiers 20000", "D", "Ajaccio", "2A"),
    N("code", "imprimer 13001", "I", "Marseille", "13"),
    N("code", "caf marseille 13e", "D", "Marseille", "13"),
    N("code", "france services lyon 3", "D", "Lyon", "69"),
    N("code", "demarches paris 15", "D", "Paris", "75"),
    N("code", "caf paris 19e", "D", "Paris", "75"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    M("name", "france services la hage", "France services de La Hague", "50442"),
    M("name", "fs solenzara la poste", "France services La Poste de Solenzara", "20145"),
    M("name", "mairie de thiez", "Mairie de Thyez", "74300"),
    M("name", "grenier numerik manosque", "Grenier Numérique", "04100"),
    M("name", "maison du projet saint etiene", "Ville de Saint-Etienne, Maison du projet", "42000"),
    M("name", "france services chaurce", "France services Chaource", "10210"),
    M("name", "maison des solidarites gap cezane", "Maison des Solidarité Gap Cézanne", "05000"),
    M("name", "france services froncle", "France services de Froncles", "52320"),
    M("name", "fs sauxillange", "France services Agglo Pays d'Issoire Sauxillanges", "63490"),
    M("name", "fab alpe gap", "Fab'Alpes", "05000"),
    M("name", "terra verdee salernes", "Terra Verde", "83690"),
    M("name", "viva sioule centre socil", "Association VIVA Sioule Centre Social", "03450"),
    M("name", "bus france services pays morcenai", "Bus France services du Pays Morcenais", "40110"),
    M("name", "france services mazeres lezon", "France services Mazeres-Lezons", "64110"),
    M("name", "maison des habitants essarts surieu", "Maison des Habitant-es Essarts Surieux", "38130"),
    M("name", "planete champsaurvalgo centre socail", "Centre Social Associatif Planete Champsaurvalgo", "05260"),
    M("name", "fablab openfatory", "FabLab OpenFactory", "42000"),
    M("name", "france services baraqueville segali", "France services Pays Ségali - Antenne de Baraqueville",
      "12160"),
    M("name", "france services pontailler sur saone", "France services Pontailler-sur-Saône", "21270"),
    M("name", "france services cancalle", "France services de Cancale", "35260"),
    M("name", "la poste serriere france services", "France services La Poste de Serrières", "07340"),
    M("name", "pimms mediation nice arianne", "France services Pimms Médiation de Nice - Ariane", "06300"),
    M("name", "dclic lab manosque", "D'Clic Lab", "04100"),
    M("name", "france services muntser", "France services Munster", "68140"),
    M("name", "france services valencay", "France services de Valençay", "36600"),
    M("name", "france services campagne de cau", "France services Campagne de Caux", "76110"),
    M("name", "croix rouge digne delegation", "Délégation Des Alpes-De-Haute-Provence - Croix Rouge française",
      "04000"),
    M("name", "fs la poste espelete", "France services La Poste d'Espelette", "64250"),
    M("name", "france services sochau", "France services Sochaux", "25600"),
    M("name", "la poste de geaune fs", "France services La Poste de Geaune", "40320"),
    M("name", "france services duccos", "France services Ducos", "97224"),
    M("name", "bellencombre centre social caravelle", "France services de Bellencombre - Centre social Caravelles",
      "76680"),
    M("name", "france services sauze vaussai", "France services de Sauzé-Vaussais", "79190"),
    M("name", "france services de tret", "France services de Trets", "13530"),
    M("name", "france services bonifacoi", "France services Bonifacio", "20169"),
    M("name", "france services toulon sainte muse", "France services Toulon Sainte Musse", "83100"),
    M("name", "france services le lorain", "France services Le Lorrain", "97214"),
    M("name", "fs lisle sur tarn la poste", "France services La Poste de Lisle-sur-Tarn", "81310"),
    M("name", "france services champagnol", "France services de Champagnole", "39300"),
    M("name", "france services la roche sur yon garenne", "France services de La Roche-sur-Yon - La Garenne",
      "85000"),
    M("name", "france services berre l etan", "France services de Berre l'Etang", "13130"),
    M("name", "france services allone", "France services d'Allonnes", "49650"),
    M("name", "la poste paris 11 belleville france service", "France services La Poste de Paris 11ème - Belleville",
      "75011"),
    M("name", "france services bazancour", "France services La Poste de Bazancourt", "51110"),
    M("name", "france services pays rhenan drusenhiem", "France services du Pays Rhénan", "67410"),
    M("name", "france services coutra", "France services Coutras", "33230"),
    M("name", "mediatheque saint etienne atelier numerique", "Médiathèque municipale de Saint-Etienne l'@telier "
      "numérique", "42000"),
    M("name", "france services bourboug", "France services Bourbourg", "59630"),
    M("name", "mediatheque rene char issoir", "Médiathèque \"René-Char\" - Issoire", "63500"),
    M("name", "france services givett", "France services Givet", "08600"),
    M("name", "france services chatillon en vendelai", "France services de Châtillon en Vendelais", "35210"),
    M("name", "mon assistant numerique pays de bievre", "Mon Assistant Numerique Pays de Bièvre", "38260"),
    M("name", "associatino pari mix cite", "Association PARI Mix'cité", "06510"),
    M("name", "france services valserhone", "France services de Valserhône", "01200"),
    M("name", "emmaus conect grenoble", "Emmaüs Connect Grenoble", "38000"),
]
