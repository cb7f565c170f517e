"""A fifth /annuaire test set typed the way counsellors do on a phone ("fresh4"): held out as a whole.

Written by hand, by someone who read neither the search code nor Relais's answers on these queries (nor on any
other), and who never ran the search while writing it, after `annuaire_counsellors.py` (used for tuning),
`annuaire_counsellors_fresh.py`, `annuaire_counsellors_fresh2.py` and `annuaire_counsellors_fresh3.py`, so that it
measures the search rather than what it was tuned on. Places were drawn from the data by département and source
(France services list, Hinaura, PACA hub) among those no earlier set names, then typed by hand; no query text is one
of the earlier sets', and their places and communes are avoided. Wholly held out when written: nobody has run the
search on it or read an answer to it. `annuaire_counsellor_quality.py --set fresh4` splits it like the other sets
(`--split`, md5 % 3 == 0 held out); never read the held-out part's misses to tune on.

Kinds and truth as in `annuaire_counsellors_fresh3.py`: "need" (a need and a commune, in counsellors' words),
"typo" (one typo in the commune), "partial" (a short commune name: the most populous commune whose name holds those
words, in the département when typed), "overseas" (971-976), "homonym" (several communes bear the name; a
département number or postal code in the text settles it), "code" (a postal code: its most populous commune; or
an arrondissement such as "lyon 5": truth at that arrondissement), "territory" (no commune in the text:
`commune`/`dep` are the counsellor's own commune, given to the search as its territory), and "name" (a place typed
by its name: France services list, Hinaura and PACA hub alike; about a third with one typo in one word).

- need queries: truth at the registry point of `commune` (exact registry name) in `dep`; a place fits when its
  `services` hold `NEED_SERVICE[need]` and it lies within max(20 km, nearest such place + 10 km). Needs map honestly
  to the four services: CAF, impôts, ANTS, retraite, CPAM/Ameli, MSA, MDPH, ANEF, France Travail, logement social,
  chèque énergie… -> D; printing, scanning, photocopies, a computer or wifi in free access -> I; learning the
  smartphone, the tablet, the computer, e-mail, WhatsApp -> O; CV, cover letter, applying or job search online -> E.
  Every need query is answerable: a place offering the service lies within 60 km (checked by `check()`).
- name queries: the place with exactly this name and postal code (or the same structure listed by another source),
  under the shared rule against ambiguous typos of `counsellor_set_rules.check_set`.

    .venv/bin/python bench/annuaire_counsellors_fresh4.py    # runs check(): data and rules only, no search
"""

from __future__ import annotations

import sys

from annuaire_counsellors import NAMES as ORIGINAL_NAMES
from annuaire_counsellors import NEEDS as ORIGINAL_NEEDS
from annuaire_counsellors import NameQuery, NeedQuery
from annuaire_counsellors_fresh import NAMES as FRESH_NAMES
from annuaire_counsellors_fresh import NEEDS as FRESH_NEEDS
from annuaire_counsellors_fresh2 import NAMES as FRESH2_NAMES
from annuaire_counsellors_fresh2 import NEEDS as FRESH2_NEEDS
from annuaire_counsellors_fresh3 import NAMES as FRESH3_NAMES
from annuaire_counsellors_fresh3 import NEEDS as FRESH3_NEEDS
from counsellor_set_rules import check_set

N = NeedQuery
NEEDS: list[NeedQuery] = [
    # need + commune, in counsellors' words
    N("need", "aide dossier caf a quimperle", "D", "Quimperlé", "29"),
    N("need", "ou faire sa declaration d impots a angers", "D", "Angers", "49"),
    N("need", "qqn pour aider demande de passeport caen", "D", "Caen", "14"),
    N("need", "inscription france travail le mans", "D", "Le Mans", "72"),
    N("need", "dossier retraite carsat arras", "D", "Arras", "62"),
    N("need", "carte vitale perdue ameli corte", "D", "Corte", "2B"),
    N("need", "titre de sejour anef creteil", "D", "Créteil", "94"),
    N("need", "permis de conduire ants tarbes", "D", "Tarbes", "65"),
    N("need", "msa dossier vendome", "D", "Vendôme", "41"),
    N("need", "renouvellement rsa saint omer", "D", "Saint-Omer", "62"),
    N("need", "demande logement social montargis", "D", "Montargis", "45"),
    N("need", "actualisation chomage dreux", "D", "Dreux", "28"),
    N("need", "declarer changement de situation caf thionville", "D", "Thionville", "57"),
    N("need", "aide pour remplir dossier mdph bar sur aube", "D", "Bar-sur-Aube", "10"),
    N("need", "cheque energie aide decazeville", "D", "Decazeville", "12"),
    N("need", "demande de bourse en ligne belfort", "D", "Belfort", "90"),
    N("need", "ou imprimer un billet de train saint dizier", "I", "Saint-Dizier", "52"),
    N("need", "scanner un document pour la caf lisieux", "I", "Lisieux", "14"),
    N("need", "poste informatique libre acces fougeres", "I", "Fougères", "35"),
    N("need", "photocopie pas chere carhaix", "I", "Carhaix-Plouguer", "29"),
    N("need", "faire des photocopies avranches", "I", "Avranches", "50"),
    N("need", "cours informatique debutant vence", "O", "Vence", "06"),
    N("need", "atelier smartphone pour retraites cuers", "O", "Cuers", "83"),
    N("need", "apprendre la tablette pour ma mere sorgues", "O", "Sorgues", "84"),
    N("need", "aide pour creer une adresse mail lunel", "O", "Lunel", "34"),
    N("need", "formation ordi seniors gardanne", "O", "Gardanne", "13"),
    N("need", "initiation internet personnes agees pierrelatte", "O", "Pierrelatte", "26"),
    N("need", "aide pour rediger un cv rognac", "E", "Rognac", "13"),
    N("need", "lettre de motivation qqn pour aider le cannet", "E", "Le Cannet", "06"),
    N("need", "recherche d emploi en ligne la valette du var", "E", "La Valette-du-Var", "83"),
    N("need", "mettre son cv en ligne port de bouc", "E", "Port-de-Bouc", "13"),
    # one typo in the commune
    N("typo", "caf chatealin", "D", "Châteaulin", "29"),
    N("typo", "impots lanestre", "D", "Lanester", "56"),
    N("typo", "aide cv bando", "E", "Bandol", "83"),
    N("typo", "imprimer douarnenz", "I", "Douarnenez", "29"),
    N("typo", "atelier tablette chateaurenar", "O", "Châteaurenard", "13"),
    N("typo", "ameli montbeliar", "D", "Montbéliard", "25"),
    N("typo", "carte grise hagueneau", "D", "Haguenau", "67"),
    N("typo", "caf argenatn", "D", "Argentan", "61"),
    N("typo", "dossier retraite lourde", "D", "Lourdes", "65"),
    N("typo", "impots chinnon", "D", "Chinon", "37"),
    N("typo", "ordi acces libre marmade", "I", "Marmande", "47"),
    N("typo", "cours smartphone beausoliel", "O", "Beausoleil", "06"),
    N("typo", "aide papiers st afrique", "D", "Saint-Affrique", "12"),
    # partial commune names (the most populous commune whose name holds the words typed, in the département typed)
    N("partial", "impots montigny 78", "D", "Montigny-le-Bretonneux", "78"),
    N("partial", "caf villeneuve 94", "D", "Villeneuve-Saint-Georges", "94"),
    N("partial", "aide papiers st germain 78", "D", "Saint-Germain-en-Laye", "78"),
    N("partial", "cv st laurent 06", "E", "Saint-Laurent-du-Var", "06"),
    N("partial", "imprimer bourg 73", "I", "Bourg-Saint-Maurice", "73"),
    N("partial", "impots noisy 93", "D", "Noisy-le-Grand", "93"),
    N("partial", "caf ste genevieve 91", "D", "Sainte-Geneviève-des-Bois", "91"),
    N("partial", "aide papiers st medard 33", "D", "Saint-Médard-en-Jalles", "33"),
    N("partial", "ordinateur st gilles 85", "I", "Saint-Gilles-Croix-de-Vie", "85"),
    N("partial", "caf st jean 17", "D", "Saint-Jean-d'Angély", "17"),
    # overseas (971-976)
    N("overseas", "caf morne a l eau", "D", "Morne-à-l'Eau", "971"),
    N("overseas", "demarches port louis guadeloupe", "D", "Port-Louis", "971"),
    N("overseas", "aide papiers lamentin guadeloupe", "D", "Lamentin", "971"),
    N("overseas", "caf le marin", "D", "Le Marin", "972"),
    N("overseas", "ants riviere salee", "D", "Rivière-Salée", "972"),
    N("overseas", "france services trinite martinique", "D", "La Trinité", "972"),
    N("overseas", "caf saint georges guyane", "D", "Saint-Georges", "973"),
    N("overseas", "caf les avirons", "D", "Les Avirons", "974"),
    N("overseas", "aide demarches saint philippe reunion", "D", "Saint-Philippe", "974"),
    N("overseas", "demarches dembeni", "D", "Dembéni", "976"),
    N("overseas", "caf chirongui", "D", "Chirongui", "976"),
    # homonyms settled by a département or a postal code
    N("homonym", "caf saint joseph 972", "D", "Saint-Joseph", "972"),
    N("homonym", "caf sainte anne 97180", "D", "Sainte-Anne", "971"),
    N("homonym", "impots saint louis 97134", "D", "Saint-Louis", "971"),
    N("homonym", "caf ussel 19", "D", "Ussel", "19"),
    N("homonym", "impots allonnes 72", "D", "Allonnes", "72"),
    N("homonym", "aide papiers villeneuve 04", "D", "Villeneuve", "04"),
    N("homonym", "imprimer chaumont 52", "I", "Chaumont", "52"),
    N("homonym", "atelier ordinateur beaucaire 30", "O", "Beaucaire", "30"),
    # postal codes and arrondissements
    N("code", "caf 35400", "D", "Saint-Malo", "35"),
    N("code", "impots 64200", "D", "Biarritz", "64"),
    N("code", "imprimer 62300", "I", "Lens", "62"),
    N("code", "cv 13700", "E", "Marignane", "13"),
    N("code", "ants 20200", "D", "Bastia", "2B"),
    N("code", "impots 51100", "D", "Reims", "51"),
    N("code", "caf lyon 5", "D", "Lyon 5e Arrondissement", "69"),
    N("code", "aide papiers paris 10", "D", "Paris 10e Arrondissement", "75"),
    N("code", "atelier numerique marseille 11e", "O", "Marseille 11e Arrondissement", "13"),
    # territory: no commune in the text; commune/dep are the counsellor's own commune, passed as territory
    N("territory", "aide pour faire sa demande de retraite", "D", "Redon", "35"),
    N("territory", "imprimer un billet de train sncf", "I", "Langres", "52"),
    N("territory", "atelier pour apprendre whatsapp", "O", "Vedène", "84"),
    N("territory", "aide pour ecrire une lettre de motivation", "E", "Ambérieu-en-Bugey", "01"),
    N("territory", "faire sa carte grise en ligne", "D", "Bressuire", "79"),
    N("territory", "scanner des justificatifs", "I", "Loudéac", "22"),
    N("territory", "apprendre a envoyer des photos par mail", "O", "Digoin", "71"),
    N("territory", "s inscrire sur france travail", "D", "Saint-Girons", "09"),
    N("territory", "creer un compte ameli", "D", "Montmorillon", "86"),
    N("territory", "trouver du boulot sur internet", "E", "Pélissanne", "13"),
]

M = NameQuery
NAMES: list[NameQuery] = [
    # France services list
    M("name", "fs dombes vilars", "France services de Dombes Villars", "01330"),
    M("name", "france services bohin", "France services de Bohain-en-Vermandois", "02110"),
    M("name", "fs ebreuil antenne itinerante", "France services Ebreuil - Antenne itinérante", "03450"),
    M("name", "bus france services nice mobile", "Bus France services Nice mobile", "06000"),
    M("name", "france services site de vals les bains",
      "France services multisites Vallées d'Antraigues Vals les Bains - Site de Vals les Bains", "07600"),
    M("name", "france services asfled", "France services Asfeld", "08190"),
    M("name", "france services tarsacon sur ariege", "France services de Tarascon-sur-Ariège", "09400"),
    M("name", "maison de quartier senardes troyes", "France services Maison de quartier des Sénardes", "10000"),
    M("name", "fs ginestas", "France services de Ginestas", "11120"),
    M("name", "france services laguiolle", "France services de Laguiole", "12210"),
    M("name", "france services courseulles", "France services de Courseulles-sur-Mer", "14470"),
    M("name", "france services sumene artense ydes", "France services Sumène Artense", "15210"),
    M("name", "cscs caj grand font angouleme", "France services CSCS CAJ Grand Font", "16000"),
    M("name", "france services surgere", "France services Surgeres", "17700"),
    M("name", "france services la septaine avord", "France services La Septaine", "18520"),
    M("name", "france services ste fereole", "France services Sainte-Féréole", "19270"),
    M("name", "france services auxone", "France services d'Auxonne", "21130"),
    M("name", "france services bonnat", "France services Bonnat", "23220"),
    M("name", "france services st aulaye", "France services du Pays de Saint Aulaye", "24410"),
    M("name", "fs val de morteau", "France services Val de Morteau", "25500"),
    M("name", "france services bourg de peage", "France services de Bourg-de-Péage", "26300"),
    M("name", "france services bourg achard", "France services Bourg-Achard", "27310"),
    M("name", "la poste dreux les bates", "France services La Poste de Dreux - Les Bâtes", "28100"),
    M("name", "france services rospordan", "France services de Rosporden", "29140"),
    M("name", "france services porto vecchio", "France services de Porto-Vecchio", "20137"),
    M("name", "la poste patrimonio", "France services La Poste de Patrimonio", "20253"),
    M("name", "france services petite camargue vauvert", "France services Petite Camargue", "30600"),
    M("name", "france services lectour", "France services Lectoure", "32700"),
    M("name", "france services sauveterre de guyene", "France services de Sauveterre-de-Guyenne", "33540"),
    M("name", "france services joseph ricome montpelier", "France services de Montpellier - Joseph Ricome",
      "34070"),
    M("name", "france services argenton sur cruese", "France services d'Argenton-sur-Creuse", "36200"),
    M("name", "la poste montresor", "France services La Poste de Montrésor", "37460"),
    M("name", "france services heyrieu", "France services Heyrieux", "38540"),
    M("name", "france services du finage tavaux", "France services du Finage", "39500"),
    M("name", "france services veuzain", "France services Veuzain-sur-Loire", "41150"),
    M("name", "pimms montreynaud st etienne", "France services Pimms Médiation Métropole Stéphanoise - Montreynaud",
      "42000"),
    M("name", "france services dunnieres", "France services Dunières", "43220"),
    M("name", "france services nort sur erde", "France services Nort sur Erdre", "44390"),
    M("name", "la poste bonny sur loire", "France services La Poste de Bonny-sur-Loire", "45420"),
    M("name", "france services cazals salviac", "France services Cazals-Salviac", "46340"),
    M("name", "france services penne d agenais", "France services de Penne d'Agenais Agora", "47140"),
    M("name", "france services hautes terres aubrac", "France services Hautes Terres de l'Aubrac", "48130"),
    M("name", "france services lion d angers", "France services Le Lion d'Angers", "49220"),
    M("name", "france services pontorsonn", "France services de Pontorson", "50170"),
    M("name", "france services fere champenoize", "France services de Fère-Champenoise", "51230"),
    M("name", "france services fayl bilot", "France services de Fayl-Billot", "52500"),
    M("name", "france services neuves maisosn", "France services de Neuves-Maisons", "54230"),
    M("name", "france services spincour", "France services Spincourt", "55230"),
    M("name", "la poste fammeck", "France services La Poste de Fameck", "57290"),
    M("name", "france services corbigy", "France services de Corbigny", "58800"),
    M("name", "france services arleu", "France services Arleux", "59151"),
    M("name", "fs therdonne", "France services Therdonne", "60510"),
    M("name", "france services vimoutiers 61120", "France services Vimoutiers", "61120"),
    M("name", "la poste sains en gohelle", "France services La Poste de Sains-en-Gohelle", "62114"),
    M("name", "france services vallee d ossau laruns", "France services de la Vallée d'Ossau", "64440"),
    M("name", "france services vic en bigore", "France services Vic-en-Bigorre", "65500"),
    M("name", "france services perpignan nord", "France services Perpignan - Nord", "66000"),
    M("name", "france services durenbach", "France services Durrenbach", "67360"),
    M("name", "fs altkrich", "France services Altkirch", "68130"),
    M("name", "france services vaugnerey", "France services Vaugneray", "69670"),
    M("name", "france services huisne sarthoise montmirail", "France services de l'Huisne Sarthoise", "72320"),
    M("name", "france services bourg st maurice", "France services Bourg-Saint-Maurice", "73700"),
    M("name", "france services vallees de thones", "France services des Vallées de Thônes", "74230"),
    M("name", "mairie mobile paris", "France services Mairie Mobile de Paris", "75004"),
    M("name", "france services le trait", "France services de Le Trait", "76580"),
    M("name", "fs sous prefecture fontainebleau", "France services de la sous-préfecture de Fontainebleau", "77305"),
    M("name", "la poste brioux sur boutonne", "France services La Poste de Brioux-sur-Boutonne", "79170"),
    M("name", "france services amiens rolin", "France services Amiens Rollin", "80090"),
    M("name", "france services graulet", "France services de Graulhet", "81300"),
    M("name", "france services negrepelise", "France services Négrepelisse - Quercy vert Aveyron", "82800"),
    M("name", "france services bolene", "France services Association du Numérique Bollène", "84500"),
    M("name", "france services pays des achrads", "France services du Pays des Achards", "85150"),
    M("name", "france services dange st romain", "France services Dangé-Saint-Romain", "86220"),
    M("name", "france services boiseuil", "France services Boisseuil", "87220"),
    M("name", "france services corcieux", "France services Fraize - Antenne de Corcieux", "88430"),
    M("name", "la poste cheroy", "France services La Poste de Chéroy", "89690"),
    M("name", "france services mariane valdoie", "France services Marianne", "90300"),
    M("name", "pimms antony", "France services Pimms Médiation Antony", "92160"),
    M("name", "bus solibus clichy sous bois", "Bus France services Solibus", "93390"),
    M("name", "la poste orly les saules", "France services La Poste d'Orly - les Saules", "94310"),
    M("name", "france services argenteuil val notre dame", "France services d'Argenteuil - Val Notre Dame", "95100"),
    M("name", "france services lapwant", "France services Lapwent", "97110"),
    M("name", "france services trois ilets", "France services des Trois-Ilets", "97229"),
    M("name", "france services iracoubou", "France services d'Iracoubo", "97350"),
    M("name", "france services dos d ane", "France services La Possession - Dos d'Âne", "97419"),
    M("name", "france services ouagani", "France services d'Ouangani", "97670"),
    M("name", "france services quartier d orleans", "France services de Quartier d'Orléans", "97150"),
    M("name", "france services propriano sartene", "France services multisites Propriano - Sartene", "20100"),
    M("name", "centre alexis peyret serres castet", "France services Serres-Castet - Centre Alexis Peyret", "64121"),
    M("name", "airelles roissy en brie", "France services Centre social et culturel Les Airelles de Roissy-en-Brie",
      "77680"),
    # Hinaura (Auvergne-Rhône-Alpes)
    M("name", "mairie chavannes sur reyssouse", "Mairie de Chavannes-sur-Reyssouze", "01110"),
    M("name", "centre social 7 lieux hautevile", "centre social les 7 lieux", "01110"),
    M("name", "conseiller numerique ccdsv trevoux", "Conseiller numérique - CCDSV", "01480"),
    M("name", "maison du lien nantau", "Maison du lien - Espace de Vie Sociale de Nantua", "01130"),
    M("name", "mairie durdat larequile", "Mairie de Durdat Larequille", "03310"),
    M("name", "pij desertines", "PIJ de la Mairie de Désertines", "03630"),
    M("name", "novatalck agency", "Novatalk Agency", "03630"),
    M("name", "mairie st sauveur de montagut", "Mairie de Saint Sauveur de Montagut", "07190"),
    M("name", "aime bourg st andeol", "AIME (Agir Innover Mobiliser Essaimer)", "07700"),
    M("name", "espace public numerique alboussiere", "Espace Public Numérique Alboussière", "07440"),
    M("name", "maison solidarite departementale mauriac", "Maison de la Solidarité Départementale de Mauriac",
      "15200"),
    M("name", "france services pierrefor", "France Services de Pierrefort", "15230"),
    M("name", "landestini aurilac", "Incubateur Tiers Lieu Landestini Cantal Auvergne", "15000"),
    M("name", "mediatheque etoile sur rhone", "Médiathèque d'Etoile-sur-Rhône le Patio", "26800"),
    M("name", "centre social ile du batoir beaurepaire", "Centre Social et Culturel de l'Ile du Battoir", "38270"),
    M("name", "bibliotheque verbe etre la tronche", "Bibliothèque le Verbe être - La Tronche", "38700"),
    M("name", "bibliotheque barnave st egerve", "Bibliothèque Barnave", "38120"),
    M("name", "centre social jean moulin pont de claix", "Centre Social Jean Moulin", "38800"),
    M("name", "mediatheque jean pelerin pontcharra", "Médiathèque Jean Pellerin", "38530"),
    M("name", "espace cyber charlieu", "Espace Cyber - Charlieu-Belmont Communauté", "42190"),
    M("name", "point rencontre emploi pannissieres", "Point Rencontre Emploi - Panissières", "42360"),
    M("name", "cyber 2000 vorey", "Cyber 2000", "43800"),
    M("name", "clic rosieres", "Clic@Rosières", "43800"),
    M("name", "maison france services cayre", "Maison France Services de Cayres", "43510"),
    M("name", "maison pour tous brives charansac", "Maison Pour Tous Centre Social", "43700"),
    M("name", "mediatheque besse sancy", "Médiathèque de Besse - Pôle de lecture publique du Sancy", "63610"),
    M("name", "maison des solidarites chamalieres", "Maison des Solidarités de Chamalières", "63400"),
    M("name", "mediatheque jacques prevert lempde", "Médiathèque \"jacques Prévert\" de Lempdes", "63370"),
    M("name", "plateforme emploi brigais", "Plateforme Emploi et Cohésion Sociale de Brignais", "69530"),
    M("name", "mon asistant numerique val de saone", "Mon Assistant Numérique Val de Saône", "69250"),
    M("name", "icare franchevile", "Groupe d'insertion ICARE-Francheville", "69340"),
    M("name", "relais grand lac entrelac", "Relais Grand Lac - France Services d'Entrelacs", "73410"),
    M("name", "msap la lechere", "Msap La Léchère", "73260"),
    M("name", "espace animation laudon st jorioz", "Espace d'animation du Laudon", "74410"),
    M("name", "bureau information jeunesse douvaine", "Bureau Information Jeunesse", "74140"),
    # PACA hub
    M("name", "maison de pays la mote du caire", "Maison de Pays", "04250"),
    M("name", "croix rouge chateau arnoux", "ANTENNE LOCALE CROIX ROUGE DE ST AUBAN", "04160"),
    M("name", "la poste les mees", "LA POSTE", "04190"),
    M("name", "centre socioculturel des ercins", "Centre Socioculturel des Ecrins", "05120"),
    M("name", "planete champsaur valgo st bonnet", "Planète Champsaur Valgo", "05500"),
    M("name", "maison des solidarite veynes", "Maison des Solidarité de Veynes", "05400"),
    M("name", "france services laragne", "france services Laragne Montéglin", "05300"),
    M("name", "mairie collongue", "Mairie de COLLONGUES", "06910"),
    M("name", "foyer rural cepage puget theneirs", "Foyer Rural CEPAGE - ERIC", "06260"),
    M("name", "harpeges seranon", "Espace de Vie Sociale itinérant HARPEGES", "06750"),
    M("name", "ccas peymeinade", "CCAS", "06530"),
    M("name", "aromatic fablab", "Aromatic Fablab", "06370"),
    M("name", "arbopostale marseille", "L'ARBOPOSTALE", "13015"),
    M("name", "incubateur belle de mai", "Incubateur Belle De Mai", "13003"),
    M("name", "laboutick toulon", "LABoutik", "83200"),
    M("name", "communaute pays de fayance", "COMMUNAUTE DE COM DU PAYS DE FAYENCE", "83440"),
    M("name", "amities citee udv toulon", "AMITIES CITE - UDV", "83200"),
    M("name", "bibliotheque vacqueyras", "Bibliothèque municipale de VACQUEYRAS", "84190"),
    M("name", "initiative terres de vaucluse le pontet", "Initiative Terres De Vaucluse", "84130"),
    M("name", "la fat chateauneuf de gadanne", "LA FAT - Fabrique Artistique de Territoire", "84470"),
    M("name", "commune de mazan", "COMMUNE DE MAZAN", "84380"),
    M("name", "afcas sarians", "ASSOCIATION AFCAS", "84260"),
    M("name", "maison francoise giroud la seyne", "Maison Françoise Giroud", "83500"),
    M("name", "avilab fablab monfavet", "AVILAB FABLAB", "84140"),
    M("name", "montrieux le hameau meounes", "Montrieux le Hameau", "83136"),
    M("name", "club senior st victor marseille", "Club Senior Saint Victor", "13007"),
    M("name", "mairie grans", "Mairie de Grans", "13450"),
    M("name", "cercle de l harmonie aubange", "Le Cercle de l'Harmonie", "13400"),
    M("name", "la musardiere vaison", "La Musardiere", "84110"),
    M("name", "pepiniere innovagrase", "Pépiniere d'Entreprises Innovante Innovagrasse", "06130"),
    M("name", "pas de cote 05200", "Pas de Côté", "05200"),
    M("name", "mediatheque cavaillion", "Médiathèque de Cavaillon", "84300"),
    M("name", "fablab carpentra", "Le FABLAB de Carpentras", "84200"),
    M("name", "mairie malemort", "Mairie de Mallemort", "13370"),
    M("name", "bibliotheque aubignant", "Bibliothèque d'AUBIGNAN", "84810"),
]


def check() -> list[str]:
    return check_set(NEEDS, NAMES, [*ORIGINAL_NEEDS, *ORIGINAL_NAMES, *FRESH_NEEDS, *FRESH_NAMES,
                                    *FRESH2_NEEDS, *FRESH2_NAMES, *FRESH3_NEEDS, *FRESH3_NAMES])


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or f"ok: {len(NEEDS)} need queries, {len(NAMES)} name queries")
    sys.exit(1 if found else 0)
