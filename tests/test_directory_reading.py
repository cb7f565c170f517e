"""/annuaire reads a text several ways (issue 10): the queries counsellors really type, on the real files.

Each assertion is a rule about the answer (the place read, distances, services), not a recorded output.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.directory import DirectoryIndex, parse_file
from bot.directory.hours import is_open
from bot.directory.present import result_line
from bot.directory.schema import Place
from bot.geo import locate_commune
from tests.conftest import require_shared

FILES = ("france-services_liste-fs-20240801.csv", "lieux-mediation-numerique_hinaura-auvergne-rhone-alpes.json",
         "lieux-mediation-numerique_paca-hub-du-sud_20230517.json")
MONDAY = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
DEMARCHES = "Aide aux démarches administratives"


@pytest.fixture(scope="module")
def index() -> DirectoryIndex:
    places: list[Place] = []
    for name in FILES:
        places += parse_file(require_shared("data", name)).places
    for i, p in enumerate(places, 1):
        p.ref = i
    return DirectoryIndex(places, version=1)


def _where(index: DirectoryIndex, text: str) -> str | None:
    loc = index.search(text, now=MONDAY).understood.location
    return loc.label if loc is not None else None


def test_locate_commune_gives_real_coordinates_for_names_and_codes() -> None:
    vif = locate_commune("Vif", "38450")
    assert vif is not None and vif.insee == "38545" and abs(vif.lat - 45.06) < 0.05 and abs(vif.lon - 5.67) < 0.05
    reunion = locate_commune("Saint-Denis", "97400")
    assert reunion is not None and reunion.departement == "974" and reunion.lat < 0
    assert locate_commune("Saint-Denis", "93200").departement == "93"  # type: ignore[union-attr]
    assert locate_commune("38185").name == "Grenoble"  # type: ignore[union-attr]  # INSEE code
    assert locate_commune("20000").name == "Ajaccio"  # type: ignore[union-attr]  # postal code
    assert locate_commune("lyon 3e").insee == "69383"  # type: ignore[union-attr]
    assert locate_commune("Zorglub-sur-Mer") is None


def test_ordinary_words_are_not_communes(index: DirectoryIndex) -> None:
    answer = index.search("demarche en ligne caf cannes", now=MONDAY)
    assert answer.understood.location is not None and answer.understood.location.label == "Cannes (06)"
    assert answer.results and all(DEMARCHES in r.place.services for r in answer.results)
    assert answer.results[0].distance_km is not None and answer.results[0].distance_km < 20
    assert _where(index, "aide papiers administratifs montlucon") == "Montluçon (03)"  # not Pamiers
    named = index.search("mon assistant numerique pays de bievre", now=MONDAY)
    assert named.results[0].place.nom == "Mon Assistant Numerique Pays de Bièvre"  # not the Nièvre
    assert index.search("associatino pari mix cite", now=MONDAY).results[0].place.nom == "Association PARI Mix'cité"


def test_geography_is_a_constraint_with_a_visible_order(index: DirectoryIndex) -> None:
    for text in ("mairie bourg en bresse", "caf lyon", "atelier smartphone senior nice", "impots grenoble"):
        distances = [r.distance_km for r in index.search(text, now=MONDAY).results]
        assert distances and all(d is not None for d in distances), text
        assert distances[0] < 20, text  # a fitting place in or near the commune comes first
    ordered = [r.distance_km for r in index.search("caf grenoble", now=MONDAY, limit=10).results]
    assert ordered == sorted(ordered)  # type: ignore[type-var]
    reunion = index.search("france services st pierre 974 ouvert", now=MONDAY)
    assert reunion.understood.location.label == "Saint-Pierre (974)"  # type: ignore[union-attr]
    assert reunion.results and reunion.results[0].place.departement == "974"
    port = index.search("france services le port", now=MONDAY)
    assert port.results[0].place.departement == "974" and port.results[0].distance_km < 20  # type: ignore[operator]


def test_nothing_nearby_is_said(index: DirectoryIndex) -> None:
    answer = index.search("caf brest", now=MONDAY)  # Brest has places
    assert not answer.note
    remote = index.search("impots ile de sein", now=MONDAY)  # nothing on the island: the mainland, said so
    assert remote.note == "Rien à moins de 20 km d’Île-de-Sein : voici les plus proches."  # elided, as French writes it
    assert all(r.distance_km is not None and 20 < r.distance_km < 100 for r in remote.results)
    # No town hall listed on the island: the nearest are in the Var, 9,000 km away. The places of Saint-Denis
    # come first instead, and the answer says why.
    far = index.search("mairie saint denis 974", now=MONDAY)
    assert far.note == "Rien pour « mairie » à moins de 100 km de Saint-Denis : voici les lieux les plus proches."
    assert far.results and all(r.place.departement == "974" for r in far.results)
    assert far.results[0].distance_km is not None and far.results[0].distance_km < 20


def test_every_commune_partial_names_codes_and_arrondissements(index: DirectoryIndex) -> None:
    assert _where(index, "impots digne") == "Digne-les-Bains (04)"
    assert _where(index, "caf vif") == "Vif (38)"
    assert _where(index, "caf lyon") == "Lyon (69)"
    assert (_where(index, "st trivier") or "").startswith("Saint-Trivier-")
    assert _where(index, "20000") == "20000 (Ajaccio)"
    assert _where(index, "caf lyon 3") == "Lyon 3e Arrondissement (69)"
    assert _where(index, "impots marseille 13e") == "Marseille 13e Arrondissement (13)"
    assert _where(index, "demarches paris 15") == "Paris 15e Arrondissement (75)"
    assert _where(index, "caf 38185") == "Grenoble (38)"


def test_homonyms_follow_the_clues_and_are_offered(index: DirectoryIndex) -> None:
    assert _where(index, "caf saint denis 93") == "Saint-Denis (93)"
    assert _where(index, "impots valence 82") == "Valence (82)"
    loc = index.search("caf saint denis", now=MONDAY).understood.location
    assert loc is not None and loc.alternatives  # the other Saint-Denis, as buttons
    picked = index.search("caf saint denis", now=MONDAY, prefer_insee="93066").understood.location
    assert picked is not None and picked.label == "Saint-Denis (93)"


def test_territory_is_searched_around_and_settles_homonyms(index: DirectoryIndex) -> None:
    vif = index.territory("Vif")
    answer = index.search("caf", now=MONDAY, territory=vif)
    assert answer.understood.location is not None and answer.understood.location.kind == "territoire"
    assert "(votre commune)" in answer.understood.describe()
    assert answer.results and answer.results[0].distance_km < 20  # type: ignore[operator]
    typed = index.search("impots digne", now=MONDAY, territory=vif).understood.location
    assert typed is not None and typed.label == "Digne-les-Bains (04)"  # a place typed beats the territory
    reunion = index.territory("97410")
    assert index.search("caf saint denis", now=MONDAY, territory=reunion).understood.location.departement == "974"  # type: ignore[union-attr]


def test_negations_and_days(index: DirectoryIndex) -> None:
    walk_in = index.search("sans rdv grenoble", now=MONDAY, limit=10)
    assert [f.field for f in walk_in.understood.filters] == ["sans_rdv"]
    assert walk_in.results and not any(r.place.takes_appointments for r in walk_in.results)
    saturday = index.search("ouvert samedi grenoble", now=MONDAY, limit=5)
    assert [f.name for f in saturday.understood.filters] == ["ouvert le samedi"]
    saturday_noon = datetime(2026, 11, 28, 10, 30)
    for r in saturday.results:
        tz = r.place.timezone
        assert any(is_open(r.place.horaires, tz, saturday_noon.replace(hour=h, tzinfo=tz)) for h in (9, 10, 11, 14,
                                                                                                        15, 16))
    tomorrow = index.search("caf grenoble ouvert demain matin", now=MONDAY)
    assert {f.field for f in tomorrow.understood.filters} == {"services", "jour", "moment"}


def test_explain_lists_the_readings(index: DirectoryIndex) -> None:
    answer = index.search("demarche en ligne caf cannes", now=MONDAY)
    assert "Cannes (06)" in answer.understood.explain()
    assert any(u.location is None or u.location.label != "Cannes (06)" for u, _ in answer.rejected)


def test_everyday_words_of_a_question_are_not_communes(index: DirectoryIndex) -> None:
    for text in ("Comment imprimer depuis un smartphone sans ordinateur ?",  # not Sans-Vallois
                 "comment aider une personne qui ne sait pas lire a faire son dossier caf",  # not Son (08)
                 "un monsieur cherche ou imprimer son billet de train",  # not Billé
                 "Une dame veut envoyer un mail avec une pièce jointe depuis son téléphone",  # not Piacé
                 "Quelqu'un sait comment faire une demande de carte grise quand on n'a pas d'imprimante ?"):  # Quend
        assert index.search(text, now=MONDAY).understood.location is None, text
    assert _where(index, "caf gap") == "Gap (05)" and _where(index, "le port") == "Le Port (974)"


def test_the_day_asked_about_shows_its_hours(index: DirectoryIndex) -> None:
    answer = index.search("ouvert samedi grenoble", now=MONDAY)
    assert answer.asked_day is not None and answer.asked_day.weekday() == 5 and answer.asked_day > MONDAY.date()
    assert answer.results
    for result in answer.results:
        line = result_line(result, MONDAY, answer.asked_day)
        # Open on Saturday (the filter), so Saturday's hours are there, after today's.
        assert " · aujourd’hui " in line or "fermé aujourd’hui" in line
        assert re.search(r" · samedi \d{1,2}h", line), line
    tomorrow = index.search("ouvert demain matin gap", now=MONDAY)
    assert tomorrow.asked_day == MONDAY.date() + timedelta(days=1) and tomorrow.results
    assert re.search(r" · demain \d{1,2}h", result_line(tomorrow.results[0], MONDAY, tomorrow.asked_day))


def test_a_word_found_only_far_away_does_not_move_the_commune(index: DirectoryIndex) -> None:
    # No town hall listed near any Saint-Pierre: the largest Saint-Pierre is kept (not the homonym with a mairie
    # 185 km away), its nearest places come first, and the answer says why.
    answer = index.search("mairie saint pierre", now=MONDAY)
    assert _where(index, "mairie saint pierre") == "Saint-Pierre (974)"
    assert answer.note.startswith("Rien pour « mairie » à moins de 100 km de Saint-Pierre")
    assert answer.results and all(r.distance_km is not None and r.distance_km < 100 for r in answer.results)


def test_misspelt_towns_and_names_holding_need_words(index: DirectoryIndex) -> None:
    assert _where(index, "caf colmr") == "Colmar (68)"  # five letters, a town
    assert _where(index, "declaration impots blios") == "Blois (41)"
    assert _where(index, "ants chartre") == "Chartres (28)"  # not La Chartre-sur-le-Loir (72)
    assert _where(index, "caf montceau") == "Montceau-les-Mines (71)"  # not the village of Montceaux (01)
    assert _where(index, "comment faire quand on a pas d imprimante") is None  # "quand" is not Quend
    named = index.search("courchevel emploi msap", now=MONDAY)  # "emploi" is in the place's name
    assert named.results[0].place.nom == "Courchevel Emploi– Msap"
    free = index.search("ordi en acces libre arles", now=MONDAY)
    assert free.results and all("Accès internet et matériel informatique" in r.place.services
                                for r in free.results[:3])


def test_a_place_without_coordinates_is_found_at_its_commune_said_approximate(index: DirectoryIndex) -> None:
    answer = index.search("ccas roquebrune cap martin", now=MONDAY)
    first = answer.results[0]
    assert first.place.nom == "CCAS Roquebrune-Cap-Martin" and not first.place.has_coordinates  # record untouched
    assert first.approximate and first.distance_km is not None and first.distance_km < 1
    assert "(position approximative)" in result_line(first, MONDAY)
    assert not answer.results[1].approximate


def test_a_commune_read_another_way_is_offered_and_can_be_chosen(index: DirectoryIndex) -> None:
    # "chambry" is a village (Chambry, 77) and a typo of Chambéry: whichever is read, the other is a button.
    loc = index.search("impots chambry", now=MONDAY).understood.location
    assert loc is not None and loc.insee is not None
    codes = {loc.insee, *loc.alternatives}
    assert {"77077", "73065"} <= codes
    chosen = index.search("impots chambry", now=MONDAY, prefer_insee="73065")
    assert chosen.understood.location is not None and chosen.understood.location.label == "Chambéry (73)"
    assert chosen.results and chosen.results[0].distance_km is not None and chosen.results[0].distance_km < 10


def test_communes_written_as_heard(index: DirectoryIndex) -> None:
    assert _where(index, "ants carte grise dunkerke") == "Dunkerque (59)"  # two letters off, sounds the same
    assert _where(index, "atelier smartphone cuset") == "Cusset (03)"
    assert _where(index, "mairie pont de vau") == "Pont-de-Vaux (01)"
    # "thiez" sounds like Thiais (94) too: the nearest spelling, Thyez, is the one read, if any.
    assert _where(index, "mairie de thiez") != "Thiais (94)"
    assert "Thyez" in index.search("mairie de thiez", now=MONDAY).results[0].place.nom
    assert _where(index, "la poste de la ourtine") != "Hourtin (33)"  # one letter from La Courtine: no sound-alike
    # Everyday words are not heard as communes ("quand on": Auxonne, "faire": La Fère).
    assert _where(index, "Quelqu'un sait comment faire une demande de carte grise quand on n'a pas d'imprimante ?") \
        is None


def test_a_doubled_letter_and_the_size_of_a_town_against_a_village(index: DirectoryIndex) -> None:
    # "alles": Alès with a doubled letter (Arles is one letter away too, but does not sound alike).
    assert _where(index, "aide ants alles") == "Alès (30)"
    assert _where(index, "mairie alles sur dordogne") == "Alles-sur-Dordogne (24)"
    # A village spelt exactly (Chambry, 77) against a prefecture one letter away: the prefecture, unless a clue
    # says otherwise; a word of the directory is not a typo of a town ("loiron": France services Loiron).
    assert _where(index, "mairie chambry") == "Chambéry (73)"
    assert _where(index, "mairie chambry 77") == "Chambry (77)"
    assert _where(index, "france services loiron") != "Voiron (38)"
    assert index.search("france services loiron", now=MONDAY).results[0].place.nom == "France services Loiron"


def test_misspelt_communes_of_some_size_and_hamlets(index: DirectoryIndex) -> None:
    # Five letters for a commune where the directory has places, not only for towns of 20,000.
    assert _where(index, "imprimer bando") == "Bandol (83)"
    # A hamlet spelt exactly (Lourde, 31: about 100 people) against a town many times its size one letter away.
    assert _where(index, "caf lourde") == "Lourdes (65)"
    assert _where(index, "mairie lourde 31") == "Lourde (31)"
    # "st afrique": "afrique" is a word, but "saint afrique" is Saint-Affrique but for a doubled letter.
    assert _where(index, "impots st afrique") == "Saint-Affrique (12)"
    # Of two communes one letter away, the one that sounds like what was typed (a silent x), however small.
    assert _where(index, "mairie arleu") == "Arleux (59)"
    # A silent last letter left out of a town's name, and a name heard wrong after "saint" ("paul" for "pol").
    assert _where(index, "impots bayeu") == "Bayeux (14)"
    assert _where(index, "ants st paul sur ternoise") == "Saint-Pol-sur-Ternoise (62)"
    # The beginning of a longer name with a letter doubled or not is a slip too (Vallouise-Pelvoux, not Valouse);
    # other misspelt beginnings are too loose ("moissye" is not Moissy-Cramayel).
    assert _where(index, "france services valouise") == "Vallouise-Pelvoux (05)"
    assert _where(index, "caf moissye") != "Moissy-Cramayel (77)"


def test_a_place_named_after_every_word_is_shown_when_the_commune_is_a_guess(index: DirectoryIndex) -> None:
    # "st josep": Saint-Joseph with a typo, read at La Réunion (the largest); the France services named after
    # every word typed, in another Saint-Joseph, is shown last, with its distance.
    answer = index.search("france services st josep", now=MONDAY, limit=6)
    loc = answer.understood.location
    assert loc is not None and loc.fuzzy and answer.named is not None
    page = answer.page(5)
    last = page[-1]
    assert last.place.nom == "France services de Saint-Joseph" and last.place.departement != loc.departement
    assert [r.distance_km for r in page] == sorted(r.distance_km or 0 for r in page)
    assert page[:4] == answer.results[:4] and answer.consumed(5) == 4  # the next page starts at the fifth
    # Read exactly, the commune typed is trusted: nothing is added.
    exact = index.search("france services saint joseph 974", now=MONDAY)
    assert exact.named is None and all(r.place.departement == "974" for r in exact.page(5))
    # A commune typed alone that has homonyms: a place named after it in another of them is shown last (Thoiry,
    # Ain, is read; France services Thoiry is in the Yvelines), but not a name that only looks like it.
    alone = index.search("thoiry", now=MONDAY)
    assert alone.understood.location is not None and alone.understood.location.label == "Thoiry (01)"
    assert alone.named is not None and alone.named.place.nom == "France services Thoiry"
    assert alone.named.place.departement == "78"
    assert index.search("chambry", now=MONDAY).named is None  # not the Chambre d'agriculture


def test_looking_for_a_job_in_everyday_words(index: DirectoryIndex) -> None:
    vif = index.territory("Vif")
    answer = index.search("trouver du boulot", now=MONDAY, territory=vif)
    assert answer.understood.location is not None and answer.understood.location.kind == "territoire"  # not Boulot
    assert answer.results and all("Insertion professionnelle via le numérique" in r.place.services
                                  for r in answer.results)


def test_an_atelier_numerique_is_learning_digital_tools(index: DirectoryIndex) -> None:
    answer = index.search("atelier numerique aines grenoble", now=MONDAY)
    assert answer.understood.has("services")
    assert all("Maîtrise des outils numériques du quotidien" in r.place.services for r in answer.results)


def test_a_computer_alone_is_one_to_use_or_to_learn_on(index: DirectoryIndex) -> None:
    learn, use = "Maîtrise des outils numériques du quotidien", "Accès internet et matériel informatique"
    either = index.search("ordinateur vesoul", now=MONDAY)
    assert either.results and all(learn in r.place.services or use in r.place.services for r in either.results)
    assert any(use in r.place.services and learn not in r.place.services for r in either.results)
    course = index.search("cours d ordinateur voiron", now=MONDAY)
    assert course.results and all(learn in r.place.services for r in course.results)
    free = index.search("acces a un ordinateur voiron", now=MONDAY)
    assert free.results and all(use in r.place.services for r in free.results)


def test_sounds_like_keys() -> None:
    from bot.search.phonetic import sounds_like

    assert sounds_like("dunkerke") == sounds_like("Dunkerque")
    assert sounds_like("pont vau") == sounds_like("pont vaux")
    assert sounds_like("bordo") == sounds_like("Bordeaux")
    assert sounds_like("sens") != sounds_like("sans") and sounds_like("vienne") != sounds_like("vianne")


def test_slips_in_names() -> None:
    from bot.search.phonetic import slip_of

    assert slip_of("alles", "ales") and slip_of("bayeu", "bayeux") and not slip_of("arles", "ales")
    assert slip_of("valouise", "vallouisepelvoux", beginning=True)
    assert not slip_of("moissye", "moissycramayel", beginning=True) and not slip_of("valouise", "vallouisepelvoux")


def test_a_place_whose_name_holds_every_word_is_the_one_meant(index: DirectoryIndex) -> None:
    # "saillant" is a commune (Saillant, 63), but one place's name and commune hold every word typed.
    first = index.search("le forum saillant", now=MONDAY).results[0].place
    assert first.nom == "Le Forum Saillans"


def test_names_one_typo_away_are_not_homonyms(index: DirectoryIndex) -> None:
    # "morlais" is one letter from Morlaix and from Morlaàs, "chateaudin" from Châteaudun and Châteaulin: the
    # larger town is read (having places in the directory settles homonyms, not different names).
    assert _where(index, "retraite morlais") == "Morlaix (29)"
    assert _where(index, "caf chateaudin") == "Châteaudun (28)"
    assert _where(index, "impots sainte luce") == "Sainte-Luce (972)"  # the whole name, not Sainte-Luce-sur-Loire


def test_a_question_is_not_a_name_because_it_is_long(index: DirectoryIndex) -> None:
    vif = index.territory("Vif")
    answer = index.search("envoyer un mail avec une piece jointe", now=MONDAY, territory=vif)
    assert answer.understood.has("services") and answer.results
    assert all(r.distance_km is not None and r.distance_km < 30 for r in answer.results)


def test_a_common_first_word_with_a_departement(index: DirectoryIndex) -> None:
    assert _where(index, "impots villeneuve 47") == "Villeneuve-sur-Lot (47)"
    assert _where(index, "caf villeneuve d ascq") == "Villeneuve-d'Ascq (59)"


def test_words_that_say_nothing_or_name_a_need_can_be_part_of_a_name(index: DirectoryIndex) -> None:
    assert _where(index, "france services magni cours") == "Magny-Cours (58)"  # "cours" is not only lessons
    first = index.search("familles rurales valence", now=MONDAY).results[0].place
    assert first.nom == "Fédération Familles Rurales"  # "familles" is a public, and part of this name


def test_a_place_name_typed_from_ones_own_commune(index: DirectoryIndex) -> None:
    vif = index.territory("Vif")
    named = index.search("le forum saillant", now=MONDAY, territory=vif)  # a place 150 km from Vif, by its name
    assert named.results[0].place.nom == "Le Forum Saillans"
    around = index.search("imprimer", now=MONDAY, territory=vif)  # a need alone: around Vif
    assert around.understood.location is vif and around.results[0].distance_km is not None


def test_place_names_after_de_and_a() -> None:
    from bot.core.text import at_place, of_place

    assert [of_place(n) for n in ("Le Port", "Les Abymes", "Annecy", "Échirolles", "La Rochelle", "Gap")] == [
        "du Port", "des Abymes", "d’Annecy", "d’Échirolles", "de La Rochelle", "de Gap"]
    assert [at_place(n) for n in ("Le Port (974)", "Les Abymes (971)", "Vif (38)")] == [
        "au Port (974)", "aux Abymes (971)", "à Vif (38)"]
