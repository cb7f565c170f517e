"""The Coop's CRA codes and French labels, kept verbatim so our exports line up with theirs.

Source: inclusion-numerique/coop-mediation-numerique, `cra/fields/*.ts`, `beneficiaire/domain/*.ts`.
Synonyms are what counsellors actually type in the quick inline form (folded: no accents, lower case).
"""

from __future__ import annotations

TYPES: dict[str, str] = {
    "individuel": "Accompagnement individuel",
    "collectif": "Atelier collectif",
}

LIEUX: dict[str, str] = {
    "lieu_activite": "Lieu d’activité",
    "domicile": "À domicile",
    "a_distance": "À distance",
    "autre": "Autre lieu",
}
LIEUX_WITH_COMMUNE = frozenset({"domicile", "autre"})

THEMATIQUES_MEDIATION: dict[str, str] = {
    "diagnostic_numerique": "Diagnostic numérique",
    "prendre_en_main_du_materiel": "Prendre en main du matériel",
    "maintenance_de_materiel": "Maintenance de matériel",
    "gere_ses_contenus_numeriques": "Gérer ses contenus numériques",
    "navigation_sur_internet": "Navigation sur internet",
    "email": "E-mail",
    "bureautique": "Bureautique",
    "reseaux_sociaux": "Réseaux sociaux communication",
    "sante": "Santé",
    "banque_et_achats_en_ligne": "Banque et achats en ligne",
    "entrepreneuriat": "Accompagner un professionnel",
    "insertion_professionnelle": "Insertion professionnelle",
    "securite_numerique": "Prévention en sécurité numérique",
    "parentalite": "Parentalité",
    "scolarite_et_numerique": "Scolarité et numérique",
    "creer_avec_le_numerique": "Créer avec le numérique",
    "culture_numerique": "Culture numérique",
    "intelligence_artificielle": "Intelligence artificielle (IA)",
    "aide_aux_demarches_administratives": "Aide aux démarches administratives",
}
DEMARCHES = "aide_aux_demarches_administratives"

THEMATIQUES_ADMINISTRATIVES: dict[str, str] = {
    "papiers_elections_citoyennete": "Papiers - Élections - Citoyenneté",
    "famille_scolarite": "Famille - Scolarité",
    "social_sante": "Social - Santé",
    "travail_formation": "Travail - Formation - Entreprise",
    "logement": "Logement",
    "transports_mobilite": "Transports - Mobilité",
    "argent_impots": "Argent - Impôts",
    "justice": "Justice",
    "etrangers_europe": "Étrangers - Europe",
    "loisirs_sports_culture": "Loisirs - Sports - Culture",
    "associations": "Associations",
}
THEMATIQUES: dict[str, str] = {**THEMATIQUES_MEDIATION, **THEMATIQUES_ADMINISTRATIVES}

MATERIEL: dict[str, str] = {
    "ordinateur": "Ordinateur",
    "telephone": "Téléphone",
    "tablette": "Tablette",
    "autre": "Autre",
    "aucun": "Pas de matériel",
}

AUTONOMIE: dict[str, str] = {
    "entierement_accompagne": "Avec guidage",
    "partiellement_autonome": "Autonome avec guidage en cas de besoin",
    "autonome": "Autonome",
}
AUTONOMIE_STARS = {"entierement_accompagne": 1, "partiellement_autonome": 2, "autonome": 3}

NIVEAUX: dict[str, str] = {"debutant": "Débutant", "intermediaire": "Intermédiaire", "avance": "Avancé"}
NIVEAU_STARS = {"debutant": 1, "intermediaire": 2, "avance": 3}

STRUCTURES_REDIRECTION: dict[str, str] = {
    "administration": "Administration (mairie, préfecture…)",
    "mediation_numerique": "Autre structure de médiation numérique",
    "operateur_ou_organisme_en_charge": "Opérateur ou organisme en charge de la démarche administrative",
    "aide_sociale": "Structure d’aide sociale (maison des solidarités, centre social…)",
    "insertion_professionnelle":
        "Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
    "aide_aux_demarches_administratives": "Structure d’aide aux démarches administratives (France Services…)",
    "autre": "Autre",
}

NON_COMMUNIQUE = "non_communique"
GENRES: dict[str, str] = {"masculin": "Masculin", "feminin": "Féminin", NON_COMMUNIQUE: "Non communiqué"}
TRANCHES_AGE: dict[str, str] = {
    "moins_de_douze": "Moins de 12 ans",
    "douze_dix_huit": "12 - 17 ans",
    "dix_huit_vingt_quatre": "18 - 24 ans",
    "vingt_cinq_trente_neuf": "25 - 39 ans",
    "quarante_cinquante_neuf": "40 - 59 ans",
    "soixante_soixante_neuf": "60 - 69 ans",
    "soixante_dix_plus": "70 ans et plus",
    NON_COMMUNIQUE: "Non communiqué",
}
STATUTS: dict[str, str] = {
    "scolarise": "Scolarisé",
    "sans_emploi": "Sans emploi",
    "en_emploi": "En emploi",
    "retraite": "Retraité",
    NON_COMMUNIQUE: "Non communiqué ou hétérogène",
}
# Breakdowns of a workshop's participants: field → its enum (non communiqué is derived: total − known).
PUBLIC_ENUMS: dict[str, dict[str, str]] = {"genre": GENRES, "tranche_age": TRANCHES_AGE, "statut": STATUTS}
PUBLIC_TITLES = {"genre": "Genre", "tranche_age": "Tranche d’âge", "statut": "Statut"}

DURATION_PRESETS = (15, 30, 45, 60, 90, 120)
MAX_DURATION = 24 * 60

# Duration bands of the Coop's statistics.
DURATION_BANDS: dict[str, str] = {
    "moins_30": "Moins de 30 min",
    "30_60": "30 min à 1 h",
    "60_120": "1 h à 2 h",
    "plus_120": "2 h ou plus",
}


def duration_band(minutes: int) -> str:
    if minutes < 30:
        return "moins_30"
    if minutes < 60:
        return "30_60"
    if minutes < 120:
        return "60_120"
    return "plus_120"


# What people type for each code in the quick form, besides the code and its label (all folded).
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "type": {
        "individuel": ("indiv", "individuelle", "perso", "seul", "rdv"),
        "collectif": ("atelier", "collective", "groupe", "coll"),
    },
    "lieu": {
        "lieu_activite": ("lieu", "structure", "permanence", "perm", "local", "au local", "bureau", "sur place",
                          "surplace", "dans nos locaux"),
        "domicile": ("maison", "chez", "visite", "a domicile", "dom", "a dom", "chez la personne", "chez elle",
                     "chez lui", "visite a domicile", "vad"),
        "a_distance": ("distance", "visio", "en visio", "distanciel", "par telephone", "au telephone", "par tel",
                       "au tel", "a distance"),
        "autre": ("autre lieu", "ailleurs", "exterieur"),
    },
    "thematique": {
        "diagnostic_numerique": ("diagnostic", "diag", "pix", "evaluation"),
        "prendre_en_main_du_materiel": ("prise en main", "materiel", "prendre en main", "prise-en-main",
                                        "installer application", "installer une application", "applications"),
        "maintenance_de_materiel": ("maintenance", "reparation", "mise a jour", "depannage"),
        "gere_ses_contenus_numeriques": ("contenus", "fichiers", "stockage", "photos", "cloud", "google photos",
                                         "sauvegarde", "sauvegarde photos", "transfert fichiers",
                                         "transfert photos", "cle usb", "drive", "icloud"),
        "navigation_sur_internet": ("internet", "navigation", "web", "recherche", "naviguer", "recherche internet",
                                    "navigateur", "google", "youtube", "chrome", "firefox"),
        "email": ("mail", "mails", "courriel", "courriels", "e-mail", "e-mails", "messagerie", "gmail", "boite mail",
                  "adresse mail", "outlook", "hotmail", "yahoo", "email"),
        "bureautique": ("word", "excel", "traitement de texte", "tableur", "impression", "imprimer", "pdf",
                        "scanner", "libreoffice"),
        "reseaux_sociaux": ("reseaux", "reseaux sociaux", "facebook", "whatsapp", "watsap", "communication",
                            "visioconference", "messenger", "instagram", "insta", "tiktok", "snapchat", "telegram"),
        "sante": ("ameli", "doctolib", "mon espace sante", "espace sante", "teleconsultation", "mutuelle",
                  "ordonnance", "medecin"),
        "banque_et_achats_en_ligne": ("banque", "achats", "achat", "paiement", "budget", "banque en ligne",
                                      "achats en ligne", "compte bancaire", "appli banque", "leboncoin",
                                      "le bon coin", "bon coin", "vinted", "amazon", "paiement en ligne"),
        "entrepreneuriat": ("professionnel", "entreprise", "pro", "auto-entrepreneur", "urssaf", "site pro",
                            "micro entreprise"),
        "insertion_professionnelle": ("emploi", "cv", "france travail", "pole emploi", "insertion",
                                      "recherche d'emploi", "lettre de motivation", "candidature"),
        "securite_numerique": ("securite", "arnaque", "arnaques", "phishing", "mots de passe", "mot de passe",
                               "fraude", "antivirus", "piratage", "securite numerique", "arnaque sms", "sms frauduleux",
                               "faux sms"),
        "parentalite": ("parents", "pronote", "controle parental"),
        "scolarite_et_numerique": ("scolarite", "ecole", "scolaire", "devoirs", "ent"),
        "creer_avec_le_numerique": ("creer", "video", "fablab", "3d", "montage video", "code", "scratch",
                                    "programmation"),
        "culture_numerique": ("culture", "fake news", "infox", "citoyennete numerique"),
        "intelligence_artificielle": ("ia", "ai", "chatgpt", "intelligence artificielle"),
        "aide_aux_demarches_administratives": ("demarche", "demarches", "administratif", "administration",
                                               "admin", "aide aux demarches", "france connect", "franceconnect",
                                               "demarche en ligne", "service public"),
        "papiers_elections_citoyennete": ("papiers", "passeport", "carte d'identite", "carte identite", "cni",
                                          "elections", "liste electorale", "inscription liste electorale",
                                          "procuration"),
        "famille_scolarite": ("famille", "caf", "allocations familiales", "naissance", "prime d'activite",
                              "prime activite"),
        "social_sante": ("social", "carte vitale", "rsa", "handicap", "mdph", "chomage", "aah",
                         "complementaire sante"),
        "travail_formation": ("travail", "formation", "retraite", "dossier retraite", "cpf", "mon compte formation",
                              "actualisation", "actualisation france travail", "actualisation pole emploi",
                              "assurance retraite", "carsat"),
        "logement": ("apl", "logement social", "hlm", "bail"),
        "transports_mobilite": ("transports", "mobilite", "permis", "permis de conduire", "carte grise", "antai",
                                "amende"),
        "argent_impots": ("impots", "impot", "argent", "declaration", "fiscal", "impots.gouv", "impots gouv",
                          "declaration de revenus", "declaration revenus", "taxe fonciere", "taxe d'habitation"),
        "justice": ("casier", "casier judiciaire", "plainte", "tribunal"),
        "etrangers_europe": ("etrangers", "titre de sejour", "anef", "sejour", "naturalisation"),
        "loisirs_sports_culture": ("loisirs", "sport", "sports", "tourisme", "pass sport", "pass culture"),
        "associations": ("association", "asso"),
    },
    "materiel": {
        "ordinateur": ("ordi", "ordis", "pc", "portable", "laptop", "mac", "ordinateurs"),
        "telephone": ("smartphone", "smartphones", "mobile", "tel", "portable", "iphone", "android", "telephones"),
        "tablette": ("ipad", "tablettes"),
        "autre": (),
        "aucun": ("sans materiel", "pas de materiel"),
    },
    "autonomie": {
        "entierement_accompagne": ("guidage", "accompagne", "avec guidage", "1/3", "1*"),
        "partiellement_autonome": ("partiellement", "semi-autonome", "semi autonome", "2/3", "2*"),
        "autonome": ("3/3", "3*", "seul autonome"),
    },
    "niveau": {"debutant": ("debut", "debutants"), "intermediaire": ("inter", "moyen"), "avance": ("avances",)},
}
