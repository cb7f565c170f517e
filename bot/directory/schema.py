"""The *schéma des lieux de médiation numérique* v1.0.2: fields, vocabularies, and the `Place` it describes.

Every field of the standard is kept; multi-valued fields (`|`-separated in the CSV) are lists.
Two names clash with ours: the standard's `id` is `local_id` (unique within one import source) and
its `source` (who collected the data) is `data_source`; our `source` names the import source, so a
place is identified by (`source`, `local_id`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

SCHEMA_VERSION = "1.0.2"
PLACEHOLDER_PIVOT = "00000000000000"

# Field order of the national CSV export.
V1_FIELDS = (
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude",
    "longitude", "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
    "presentation_detail", "source", "itinerance", "structure_parente", "date_maj", "services",
    "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
    "modalites_accompagnement", "fiche_acces_libre", "prise_rdv",
)
REQUIRED_FIELDS = ("id", "nom", "commune", "code_postal", "adresse", "date_maj")
LIST_FIELDS = (
    "typologie", "courriels", "site_web", "itinerance", "services", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
    "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
)

SERVICES = (
    "Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique", "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique", "Loisirs et créations numériques",
    "Compréhension du monde numérique", "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
)
PUBLICS = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
PRISES_EN_CHARGE = (
    "Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme", "Langues étrangères (anglais)",
    "Langues étrangères (autres)", "Déficience visuelle",
)
FRAIS = ("Gratuit", "Gratuit sous condition", "Payant")
DISPOSITIFS = (
    "Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX", "Conseillers numériques",
    "Emmaüs Connect", "France Services", "Grande école du numérique", "La Croix Rouge",
    "Point d'accès numérique CAF", "Promeneurs du net", "Relais numérique (Emmaüs Connect)",
)
FORMATIONS_LABELS = (
    "Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)", "Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
    "Collectif ressources et acteurs réemploi (Normandie)", "Étapes numériques(La Poste)", "Fabriques de Territoire",
    "Les Éclaireurs du numérique (Drôme)", "Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)",
)
MODALITES_ACCES = (
    "Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public", "Envoyer un mail avec une fiche de prescription",
)
# The schema's validation pattern spells this label without a space (its description has one): we store and
# export the pattern's spelling, so exports validate; the spaced spelling is read as the same label.
LABEL_SPELLINGS = {"Étapes numériques (La Poste)": "Étapes numériques(La Poste)"}
# data·inclusion structure codes the standard's `typologie` refers to (anct-cartographie-nationale/
# lieux-de-mediation-numerique, src/models/typologie/typologie.ts); "Autre" is spelt so.
TYPOLOGIES = (
    "ACI", "ACIPHC", "AFPA", "AI", "ASE", "ASSO", "ASSO_CHOMEUR", "Autre", "AVIP", "BIB", "CAARUD", "CADA", "CAF",
    "CAP_EMPLOI", "CAVA", "CC", "CCAS", "CCONS", "CD", "CDAS", "CFP", "CHRS", "CHU", "CIAS", "CIDFF", "CITMET", "CMP",
    "CMS", "CPAM", "CPH", "CS", "CSAPA", "CSC", "DEETS", "DEPT", "DIPLP", "E2C", "EA", "EATT", "EI", "EITI", "ENM",
    "EPCI", "EPI", "EPIDE", "EPN", "ES", "ESAT", "ESS", "ETTI", "EVS", "FABLAB", "FABRIQUE", "FAIS", "FT", "GEIQ",
    "HUDA", "LA_POSTE", "MDE", "MDH", "MDEF", "MDPH", "MDS", "MJC", "ML", "MQ", "MSA", "MSAP", "MUNI", "OACAS", "ODC",
    "OF", "OIL", "OPCS", "PAD", "PENSION", "PI", "PIJ_BIJ", "PIMMS", "PJJ", "PLIE", "PREF", "PREVENTION", "REG",
    "RELAIS_LECTURE", "RESSOURCERIE", "RFS", "RS_FJT", "SCP", "SPIP", "TIERS_LIEUX", "UDAF",
)
# Codes people use that the list spells otherwise (domain.md 2.3: no MAIRIE nor FS code).
TYPOLOGIE_SPELLINGS = {"MAIRIE": "MUNI", "FS": "RFS", "FRANCE_SERVICES": "RFS", "TIERS_LIEU": "TIERS_LIEUX"}
MODALITES_ACCOMPAGNEMENT = ("En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance")
ITINERANCE = ("Itinérant", "Fixe")

# Closed vocabularies, checked on import (values compared accent- and case-blind, stored in the official spelling).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "services": SERVICES,
    "publics_specifiquement_adresses": PUBLICS,
    "prise_en_charge_specifique": PRISES_EN_CHARGE,
    "frais_a_charge": FRAIS,
    "dispositif_programmes_nationaux": DISPOSITIFS,
    "formations_labels": FORMATIONS_LABELS,
    "modalites_acces": MODALITES_ACCES,
    "modalites_accompagnement": MODALITES_ACCOMPAGNEMENT,
    "itinerance": ITINERANCE,
    "typologie": TYPOLOGIES,
}

# Time zone of each overseas département / collectivité (by its 3-digit code); everything else is on Paris time.
OVERSEAS_TIMEZONES = {
    "971": "America/Guadeloupe", "972": "America/Martinique", "973": "America/Cayenne", "974": "Indian/Reunion",
    "975": "America/Miquelon", "976": "Indian/Mayotte", "977": "America/St_Barthelemy", "978": "America/Marigot",
    "986": "Pacific/Wallis", "987": "Pacific/Tahiti", "988": "Pacific/Noumea",
}
METROPOLE_TIMEZONE = "Europe/Paris"
# International prefix used when a phone number is written the national way (0…).
PHONE_PREFIX = {
    "971": "+590", "977": "+590", "978": "+590", "972": "+596", "973": "+594", "974": "+262", "976": "+262",
    "975": "+508", "986": "+681", "987": "+689", "988": "+687",
}
PHONE_PATTERN = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
POSTAL_PATTERN = re.compile(r"^\d{5}$")
INSEE_PATTERN = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
PIVOT_PATTERN = re.compile(r"^[a-zA-Z0-9]{9,14}$")


def departement_of(code_postal: str, code_insee: str | None = None) -> str:
    """Département code ("38", "2A", "974") from the INSEE code when known, else from the postal code."""
    if code_insee and INSEE_PATTERN.match(code_insee):
        return code_insee[:3] if code_insee[:2] in ("97", "98") else code_insee[:2]
    cp = code_postal or ""
    if cp[:2] in ("97", "98"):
        return cp[:3]
    if cp[:2] == "20":
        return "2A" if cp < "20200" else "2B"
    return cp[:2]


def timezone_of(departement: str) -> ZoneInfo:
    return ZoneInfo(OVERSEAS_TIMEZONES.get(departement, METROPOLE_TIMEZONE))


BOOKKEEPING = ("ref", "closed_at")  # Place attributes that are not the place's content


@dataclass(slots=True)
class Place:
    """One place of the directory, in the v1.0.2 vocabulary, plus our bookkeeping (ref, source, extra)."""

    local_id: str
    nom: str
    commune: str
    code_postal: str
    adresse: str
    date_maj: date | None = None
    source: str = ""  # import source (part of the identity)
    pivot: str = PLACEHOLDER_PIVOT
    code_insee: str | None = None
    complement_adresse: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    typologie: list[str] = field(default_factory=list)
    telephone: str | None = None
    courriels: list[str] = field(default_factory=list)
    site_web: list[str] = field(default_factory=list)
    horaires: str | None = None
    presentation_resume: str | None = None
    presentation_detail: str | None = None
    data_source: str | None = None  # the standard's `source`
    itinerance: list[str] = field(default_factory=list)
    structure_parente: str | None = None
    services: list[str] = field(default_factory=list)
    publics_specifiquement_adresses: list[str] = field(default_factory=list)
    prise_en_charge_specifique: list[str] = field(default_factory=list)
    frais_a_charge: list[str] = field(default_factory=list)
    dispositif_programmes_nationaux: list[str] = field(default_factory=list)
    formations_labels: list[str] = field(default_factory=list)
    autres_formations_labels: list[str] = field(default_factory=list)
    modalites_acces: list[str] = field(default_factory=list)
    modalites_accompagnement: list[str] = field(default_factory=list)
    fiche_acces_libre: str | None = None
    prise_rdv: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # source fields outside the standard, kept verbatim
    ref: int | None = None  # database key, the short number counsellors type ("/annuaire modifier 42")
    closed_at: datetime | None = None  # gone from its source's latest full file (bookkeeping, not content)

    @property
    def departement(self) -> str:
        return departement_of(self.code_postal, self.code_insee)

    @property
    def timezone(self) -> ZoneInfo:
        return timezone_of(self.departement)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def takes_appointments(self) -> bool:
        """On peut prendre rendez-vous: a booking link, the access mode, or the France Services "prise_rdv: Oui"."""
        return bool(self.prise_rdv) or "Prendre un RDV en ligne" in self.modalites_acces \
            or str(self.extra.get("prise_rdv", "")).lower() == "oui"

    @property
    def is_free(self) -> bool:
        return "Gratuit" in self.frais_a_charge or "Gratuit sous condition" in self.frais_a_charge

    def content(self) -> dict[str, Any]:
        """Every stored attribute except the database key: what an import compares to decide "unchanged"."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in BOOKKEEPING}
        out["date_maj"] = self.date_maj.isoformat() if self.date_maj else None
        return out

    def to_v1_row(self) -> dict[str, str]:
        """The place as a row of the national CSV (multi-values joined with `|`)."""
        row: dict[str, str] = {}
        for name in V1_FIELDS:
            attr = {"id": "local_id", "source": "data_source"}.get(name, name)
            value = getattr(self, attr)
            if isinstance(value, list):
                row[name] = "|".join(value)
            elif isinstance(value, date):
                row[name] = value.isoformat()
            else:
                row[name] = "" if value is None else str(value)
        return row


PLACE_ATTRIBUTES = tuple(f.name for f in fields(Place) if f.name not in BOOKKEEPING)
