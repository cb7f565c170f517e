"""The generic search engine (`bot.search`): typos, accents, synonyms from the data file, filters, distance."""

from __future__ import annotations

from bot.search import Document, PhraseMatcher, SearchIndex, Synonyms, Vocabulary, default_synonyms, haversine_km

GRENOBLE = (45.1885, 5.7245)
LYON = (45.7640, 4.8357)

DOCS = [
    Document("fs-valserhone", {"nom": "France services de Valserhône", "commune": "Valserhône"}, 46.106, 5.826,
             frozenset({"service:demarches"})),
    Document("media-trivier", {"nom": "Médiathèque de Saint-Trivier", "commune": "Saint-Trivier-de-Courtes"},
             46.459, 5.083, frozenset({"service:internet"})),
    Document("mds-grenoble", {"nom": "Maison des solidarités", "commune": "Grenoble"}, *GRENOBLE,
             frozenset({"service:demarches", "gratuit"})),
    Document("pe-lyon", {"nom": "Agence Pôle emploi Lyon Part-Dieu", "commune": "Lyon"}, *LYON,
             frozenset({"service:emploi"})),
    Document("epn-echirolles", {"nom": "Espace public numérique", "commune": "Échirolles"}, 45.1433, 5.7187,
             frozenset({"service:internet", "gratuit"})),
    Document("no-coords", {"nom": "Bibliothèque municipale", "commune": "Nulle-Part"}),
]


def _keys(index: SearchIndex, text: str, **kw: object) -> list[str]:
    return [h.key for h in index.search(text, **kw)]  # type: ignore[arg-type]


def test_accents_case_and_one_typo_are_ignored() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    assert _keys(index, "VALSERHONE")[0] == "fs-valserhone"
    assert _keys(index, "mediatheque saint trivier")[0] == "media-trivier"
    assert _keys(index, "mediateque")[0] == "media-trivier"  # one letter missing
    assert _keys(index, "echirolels")[0] == "epn-echirolles"  # two letters swapped
    assert _keys(index, "mediath")[0] == "media-trivier"  # typed halfway


def test_abbreviations_and_synonyms_come_from_the_data_file() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    assert _keys(index, "fs valserhone")[0] == "fs-valserhone"
    assert _keys(index, "msap valserhone")[0] == "fs-valserhone"
    assert _keys(index, "st trivier")[0] == "media-trivier"
    assert _keys(index, "mds")[0] == "mds-grenoble"
    assert _keys(index, "france travail")[0] == "pe-lyon"
    assert _keys(index, "epn")[0] == "epn-echirolles"
    # The word as typed wins over its synonym: "bibliotheque" first finds the library, then the médiathèque.
    assert _keys(index, "bibliotheque")[:2] == ["no-coords", "media-trivier"]
    # The groups really are data: a custom file changes the behaviour.
    custom = SearchIndex(DOCS, {"nom": 3}, synonyms=Synonyms.from_lines(["solidarites | entraide"]))
    assert _keys(custom, "entraide") == ["mds-grenoble"]
    assert _keys(custom, "mds") == []
    assert ("st",) in default_synonyms().phrases


def test_hits_say_which_query_words_they_hold_in_the_fields_asked() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    by_key = {h.key: h for h in index.search("mediateque msap grenoble", match_fields=("nom", "commune"))}
    assert by_key["media-trivier"].matched == ("mediateque",)  # a typo counts
    assert by_key["fs-valserhone"].matched == ("msap",)  # a synonym counts; the word is given as typed
    assert by_key["mds-grenoble"].matched == ("grenoble",)
    # Only the fields asked: Grenoble is a commune, not a name.
    [hit] = [h for h in index.search("solidarites grenoble", match_fields=("nom",)) if h.key == "mds-grenoble"]
    assert hit.matched == ("solidarites",)
    assert hit.index == 2 and index.matched_words(index.plan("grenoble grenoble"), 2, ("commune",)) == (
        "grenoble", "grenoble")  # one per slot, as callers count them
    # Not asked: nothing worked out.
    assert all(h.matched == () for h in index.search("solidarites grenoble"))


def test_filters_by_tags() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    assert set(_keys(index, "", tags_all=["gratuit"])) == {"mds-grenoble", "epn-echirolles"}
    assert _keys(index, "espace", tags_all=["gratuit"]) == ["epn-echirolles"]
    assert set(_keys(index, "", tags_any=[["service:emploi", "service:demarches"]])) == {
        "fs-valserhone", "mds-grenoble", "pe-lyon"}
    assert _keys(index, "", tags_all=["unknown-tag"]) == []


def test_near_ranks_by_distance_and_reports_it() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    hits = index.search("", near=GRENOBLE, limit=10)
    assert [h.key for h in hits][:2] == ["mds-grenoble", "epn-echirolles"]
    assert hits[0].distance_km is not None and hits[0].distance_km < 0.1
    assert 4 < hits[1].distance_km < 6  # Échirolles is about 5 km away
    assert "no-coords" not in [h.key for h in hits]
    # Words still count: nearby places qualify, the matching one comes first.
    assert _keys(index, "espace numerique", near=GRENOBLE)[0] == "epn-echirolles"
    assert 93 < haversine_km(*GRENOBLE, *LYON) < 96  # about 94 km as the crow flies


def test_predicate_pagination_and_empty_index() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    everything = _keys(index, "", near=GRENOBLE, radius_km=1000, limit=10)
    assert _keys(index, "", near=GRENOBLE, radius_km=1000, limit=2, offset=2) == everything[2:4]
    only_lyon = _keys(index, "", near=GRENOBLE, radius_km=1000, predicate=lambda i: DOCS[i].key == "pe-lyon")
    assert only_lyon == ["pe-lyon"]
    assert SearchIndex([], {"nom": 1}).search("x") == []
    plan = index.plan("mediatheque zzzqqq")
    assert plan.unknown_words == ["zzzqqq"]


def test_vocabulary_lookup_without_scanning() -> None:
    vocab = Vocabulary(["grenoble", "greneble", "annecy", "mediatheque"])
    found = {vocab.terms[t]: s for t, s in vocab.expand("grenble").items()}
    assert set(found) == {"grenoble", "greneble"} and all(s < 1 for s in found.values())
    assert {vocab.terms[t] for t in vocab.expand("caf")} == set()  # too short to guess
    assert vocab.terms[next(iter(vocab.expand("annecy")))] == "annecy"


def test_phrase_matcher_finds_communes_anywhere_with_typos_and_homonyms() -> None:
    matcher = PhraseMatcher([("Saint-Trivier-de-Courtes", "01"), ("Grenoble", "38"), ("Saint-Denis", "93"),
                             ("Saint-Denis", "974"), ("Vif", "38b")])
    [m] = matcher.find("aide caf a st trivier de courtes svp")
    assert m.values == ("01",) and m.score == 1.0
    [m] = matcher.find("impots grenble")
    assert m.values == ("38",) and m.score < 1.0
    [m] = matcher.find("st-denis")
    assert m.values == ("93", "974")
    assert matcher.find("vil") == []  # short names need the exact spelling
    assert [m.values for m in matcher.find("vif")] == [("38b",)]


def test_a_group_is_one_result_and_pages_count_groups() -> None:
    """Eight records of one library (eight sources) and four other libraries: a page of five shows five libraries,
    the group at its best-ranked record, and the next page goes on without repeating any."""
    same = [Document(f"copy-{k}", {"nom": "Médiathèque Stendhal"}, group="stendhal") for k in range(8)]
    others = [Document(f"other-{k}", {"nom": f"Médiathèque de quartier {k}"}) for k in range(4)]
    index = SearchIndex(same + others, {"nom": 1.0})
    first = _keys(index, "mediatheque stendhal", limit=5)
    assert first == ["copy-0", "other-0", "other-1", "other-2", "other-3"]
    assert _keys(index, "mediatheque stendhal", limit=5, offset=1) == first[1:]
    assert _keys(index, "mediatheque stendhal", limit=5, offset=5) == []
    assert _keys(index, "mediatheque", limit=5, predicate=lambda i: i != 0)[0] == "copy-1"  # best one kept


def test_fast_fold_is_fold() -> None:
    """The engine's table-driven folding must give `bot.core.text.fold`'s result on any text, or the index and the
    other features (gazetteer, filters) would disagree on a word."""
    from bot.core.text import fold
    from bot.search.text import fast_fold

    texts = ["Égalité", "ŒUVRE Cœur", "Straße ẞ", "l’Isle-d’Abeau", "Ørsted Æ", "ﬁlière", "e\u0301cole",
             "Saint\u00a0Étienne", "Ⅻ arrondissement", "İstanbul", "ǅemal", "plain ascii", "µ ½ ²", ""]
    texts += [chr(c) for c in range(0x80, 0x2100)]
    assert [fast_fold(t) for t in texts] == [fold(t) for t in texts]


def test_nearest_lists_what_fits_nearest_first() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    # No words: every located document passing the tags, by distance (the one without coordinates never).
    hits = index.nearest("", near=GRENOBLE, limit=10)
    assert [h.key for h in hits][:2] == ["mds-grenoble", "epn-echirolles"]
    assert "no-coords" not in [h.key for h in hits]
    distances = [h.distance_km for h in hits]
    assert distances == sorted(distances)  # type: ignore[type-var]
    # Words are a constraint: only documents matching them, nearest first, however far.
    assert [h.key for h in index.nearest("pole emploi", near=GRENOBLE, limit=5)] == ["pe-lyon"]
    # Tags to exclude ("sans rdv"), and the engine's relevance search honours them too.
    assert "mds-grenoble" not in [h.key for h in index.nearest("", near=GRENOBLE, tags_none=["gratuit"])]
    assert "epn-echirolles" not in _keys(index, "espace public numerique", tags_none=["gratuit"])


def test_nearest_prefers_the_places_named_after_the_commune_nearby() -> None:
    index = SearchIndex(DOCS, {"nom": 3, "commune": 1.5})
    near_trivier = (46.45, 5.08)
    plain = [h.key for h in index.nearest("", near=near_trivier, limit=3)]
    preferred = [h.key for h in index.nearest("", near=near_trivier, limit=3, prefer="valserhone", prefer_km=200)]
    assert plain[0] == "media-trivier" and preferred[0] == "fs-valserhone"
