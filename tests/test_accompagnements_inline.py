"""The quick inline form: any order, typos tolerated, ambiguous or missing items become questions."""

from __future__ import annotations

from datetime import date

from bot.accompagnements.inline import apply_answer, missing_questions, parse
from bot.accompagnements.validation import validate

TODAY = date(2026, 11, 22)


def test_issue_example() -> None:
    p = parse("45min individuel smartphone email domicile note: création de la boîte mail")
    assert p.complete
    assert p.values == {"duree": 45, "type": "individuel", "materiel": ["telephone"], "thematiques": ["email"],
                        "lieu_type": "domicile", "notes": "création de la boîte mail"}
    # "À domicile" needs a commune: asked, not guessed.
    qs = missing_questions(p.values, ["Le Port", "Saint-Paul"])
    assert [q.field for q in qs] == ["lieu_commune"]
    assert qs[0].options == [("Le Port", "Le Port"), ("Saint-Paul", "Saint-Paul")]


def test_any_order_and_commune_with_spaces() -> None:
    p = parse("domicile email commune:Le Port 1h30 individuel")
    assert p.complete
    assert p.values["lieu_commune"] == "Le Port" and p.values["duree"] == 90
    assert validate(p.values, today=TODAY).lieu_commune == "Le Port"


def test_typos_are_tolerated_and_reported() -> None:
    p = parse("individul 45 min emial domicil commune: Saint-Pierre")
    assert p.complete
    assert p.values["type"] == "individuel" and p.values["thematiques"] == ["email"]
    assert p.values["lieu_type"] == "domicile" and p.values["duree"] == 45
    assert p.corrected == {"individul": "Accompagnement individuel", "emial": "E-mail", "domicil": "À domicile"}


def test_labels_and_multiword_synonyms() -> None:
    p = parse("1h indiv carte grise a_distance mot de passe")
    assert p.complete
    assert p.values["thematiques"] == ["aide_aux_demarches_administratives", "transports_mobilite",
                                       "securite_numerique"]
    assert p.values["lieu_type"] == "a_distance"


def test_administrative_theme_brings_its_parent() -> None:
    p = parse("30min individuel impots lieu")
    assert p.values["thematiques"] == ["aide_aux_demarches_administratives", "argent_impots"]


def test_ambiguous_word_is_asked() -> None:
    p = parse("45min indiv portable mail lieu")
    assert [q.field for q in p.questions] == ["ambiguous:portable"]
    assert [label for label, _ in p.questions[0].options] == ["Ordinateur (matériel)", "Téléphone (matériel)"]
    values = apply_answer(p.values, "ambiguous:portable", "materiel:ordinateur")
    assert values["materiel"] == ["ordinateur"]


def test_word_meaning_two_kinds_is_asked() -> None:
    p = parse("1h indiv tablette sante autre")
    q = p.questions[0]
    assert q.field == "ambiguous:autre"
    assert {v for _, v in q.options} == {"lieu:autre", "materiel:autre"}
    values = apply_answer(p.values, q.field, "lieu:autre")
    assert values["lieu_type"] == "autre" and values["materiel"] == ["tablette"]


def test_bare_small_number_is_asked_not_guessed() -> None:
    p = parse("2 indiv mail lieu")
    assert p.questions[0].field == "duree"
    assert [v for _, v in p.questions[0].options] == ["2h", "2min"]
    assert "duree" not in p.values
    assert parse("50 indiv mail lieu").values["duree"] == 50


def test_two_types_or_durations_are_asked() -> None:
    assert parse("45min individuel atelier mail lieu").questions[0].field == "type"
    assert parse("45min 1h individuel mail lieu").questions[0].field == "duree"


def test_missing_required_items() -> None:
    p = parse("email")
    # no workshop word nor head count: one person, and the reply says how it was read
    assert p.values["type"] == "individuel" and "accompagnement individuel" in p.read_as[0]
    qs = missing_questions(p.values, [])
    assert [q.field for q in qs] == ["duree", "lieu_type"]
    assert [v for _, v in qs[0].options] == [15, 30, 45, 60, 90, 120]
    assert all(q.options for q in missing_questions({}, [], []))  # never a question without choices


def test_unknown_words_are_reported() -> None:
    p = parse("45min individuel xyzzy email lieu")
    assert p.unknown == ["xyzzy"] and not p.complete


def test_collective_with_participants_and_keys() -> None:
    p = parse('1h30 atelier 6p securite internet lieu titre:"Arnaques en ligne" femmes:4 hommes:2 niveau:debutant')
    assert p.complete
    data = validate(p.values, today=TODAY)
    assert data.type == "collectif" and data.participants_total == 6 and data.niveau == "debutant"
    assert data.titre_atelier == "Arnaques en ligne"
    assert data.participants_counts == {"genre": {"feminin": 4, "masculin": 2}}


def test_participants_alone_imply_a_workshop() -> None:
    assert parse("2h 8 participants mail lieu").values["type"] == "collectif"


def test_individual_keys() -> None:
    p = parse("45min indiv mail lieu age:70+ genre:f statut:retraite autonomie:autonome orientation:france-services "
              "date:hier")
    data = validate(p.values, today=TODAY)
    assert (data.tranche_age, data.genre, data.statut, data.autonomie) == (
        "soixante_dix_plus", "feminin", "retraite", "autonome")
    assert data.structure_redirection == "aide_aux_demarches_administratives" and data.oriente is True
    assert data.date == date(2026, 11, 21)


def test_note_keeps_everything_after_it() -> None:
    p = parse("45min indiv mail lieu note: impots et domicile 1h")
    assert p.values["notes"] == "impots et domicile 1h"
    assert p.values["lieu_type"] == "lieu_activite" and p.values["thematiques"] == ["email"]


def test_typo_as_close_to_two_words_is_asked() -> None:
    p = parse("45min indiv socal mail")
    q = p.questions[0]
    assert q.field == "ambiguous:socal"
    assert {v for _, v in q.options} == {"lieu:lieu_activite", "thematique:social_sante"}


def test_small_words_keep_their_meaning() -> None:
    p = parse("45min indiv mail tablette par telephone")
    assert p.complete and p.values["lieu_type"] == "a_distance" and p.values["materiel"] == ["tablette"]
    p = parse("45min indiv mail telephone lieu")
    assert p.complete and p.values["materiel"] == ["telephone"] and p.values["lieu_type"] == "lieu_activite"
    assert parse("45min indiv mail chez commune:Le Port").values["lieu_type"] == "domicile"
