"""Text helpers pinned at their edges: mentions and channel links defused (each way of writing them, and what
must stay as typed), character references, truncation, numbers people type, plurals, time-zone names."""

from __future__ import annotations

import pytest

from bot.core.text import count_of, fold, neutralize_mentions, number, parse_number, truncate, zone_label

Z = "\u200b"

# (what a user typed, what Relais quotes): every `@` or `~` that would notify or link gets a zero-width space.
DEFUSED = [
    ("@channel", f"@{Z}channel"),
    ("@all merci", f"@{Z}all merci"),
    ("voir @here", f"voir @{Z}here"),
    ("@jean.dupont", f"@{Z}jean.dupont"),
    ("~canal", f"~{Z}canal"),
    ("rejoins ~ville-a", f"rejoins ~{Z}ville-a"),
    ("~.cache", f"~{Z}.cache"),
    ("~-x", f"~{Z}-x"),
    ("_@here_", f"_@{Z}here_"),
    ("a.@all", f"a.@{Z}all"),
    ("(@channel)", f"(@{Z}channel)"),
    ("[@all](http://x)", f"[@{Z}all](http://x)"),
    ("@@here", f"@{Z}@{Z}here"),
    ("&#64;channel", f"@{Z}channel"),
    ("&#064;here", f"@{Z}here"),
    ("&#0000064;here", f"@{Z}here"),  # 7 digits: still a character reference
    ("&#x40;all", f"@{Z}all"),
    ("&#X40;all", f"@{Z}all"),
    ("&#x0000040;all", f"@{Z}all"),
    ("&commat;all", f"@{Z}all"),
    ("&#126;canal", f"~{Z}canal"),
    ("&#x7E;canal", f"~{Z}canal"),
    ("&#x7e;canal", f"~{Z}canal"),
    ("@&#99;hannel", f"@{Z}&#99;hannel"),
    ("é.@all", f"é.@{Z}all"),
]
KEPT = [
    "contact@mairie.fr",  # a letter right before: an address, never a mention
    "x2@here",
    "é@here",
    "Ⅻ@here",  # a number (Nl) before
    "x~y",
    "a @ b",  # an @ alone
    "fin @",
    "~ canal",
    "fin ~",
    "rien à signaler",
    "&amp; &lt;b&gt; &#99;",  # references that are not @ or ~ stay as typed
    "&#00000064;here",  # 8 digits: not a character reference for Markdown, shown as typed
    "&#x00000040;here",
    "&#88;Y &#x58;Y",  # references to other characters are left as typed
    "&#;here &#x;here &#xZZ;here &;here",
    "&#1114111; &#1114112; &#9999999;",  # the last code point, one past it, far past it: no crash, as typed
    "&#0;",
    "&toolongname1234567890123456789012;",
]


@pytest.mark.parametrize(("typed", "quoted"), DEFUSED, ids=[t for t, _ in DEFUSED])
def test_every_way_of_writing_a_mention_is_defused(typed: str, quoted: str) -> None:
    assert neutralize_mentions(typed) == quoted
    assert neutralize_mentions(quoted) == quoted  # quoting a quote adds nothing


@pytest.mark.parametrize("typed", KEPT)
def test_what_cannot_notify_is_kept_as_typed(typed: str) -> None:
    assert neutralize_mentions(typed) == typed


def test_truncate_keeps_short_text_and_marks_the_cut() -> None:
    assert truncate("abcdef", 6) == "abcdef"
    assert truncate("abcdef", 7) == "abcdef"
    assert truncate("abcdef", 5) == "abcd…"
    assert truncate("abc defg", 5) == "abc…"  # no space left before the ellipsis
    assert truncate("abcdef", 1) == "…"
    assert truncate("abcdef", 0) == "…"
    assert truncate("", 0) == ""


@pytest.mark.parametrize(("typed", "number"), [
    ("42", 42), ("1", 1), ("X42", None), ("#42", 42),
    ("n°42", 42), ("N°42", 42), ("n° 42", 42), ("  42  ", 42), ("#n° 7", 7),
    (42, 42), ("2147483647", 2**31 - 1), ("0000000042", 42),
    ("0", None), ("2147483648", None), ("00000000042", None), ("", None), (None, None), ("-5", None),
    ("4 2", None), ("²", None), ("٣", None), ("n°", None), ("42a", None),
])
def test_parse_number(typed: object, number: int | None) -> None:
    assert parse_number(typed) == number


def test_count_of_real_plurals_and_thin_spaces() -> None:
    assert count_of(0, "atelier prévu") == "0 atelier prévu"
    assert count_of(1, "atelier prévu") == "1 atelier prévu"
    assert count_of(2, "atelier prévu") == "2 ateliers prévus"
    assert count_of(2, "lieu fermé", "lieux fermés") == "2 lieux fermés"
    assert count_of(1, "lieu fermé", "lieux fermés") == "1 lieu fermé"
    assert count_of(1234567, "lieu", "lieux") == "1\u202f234\u202f567 lieux"


@pytest.mark.parametrize(("key", "label"), [
    ("Europe/Paris", "heure de Paris"), ("Indian/Reunion", "heure de La Réunion"),
    ("America/Guadeloupe", "heure de la Guadeloupe"), ("America/Martinique", "heure de la Martinique"),
    ("America/Cayenne", "heure de la Guyane"), ("Indian/Mayotte", "heure de Mayotte"),
    ("America/Miquelon", "heure de Saint-Pierre-et-Miquelon"),
    ("Pacific/Noumea", "heure de la Nouvelle-Calédonie"), ("Pacific/Tahiti", "heure de Tahiti"),
    ("Pacific/Wallis", "heure de Wallis-et-Futuna"), ("America/St_Barthelemy", "heure de Saint-Barthélemy"),
    ("America/Marigot", "heure de Saint-Martin"), ("Europe/Brussels", "heure de Bruxelles"),
    ("Europe/Luxembourg", "heure de Luxembourg"), ("Europe/Zurich", "heure de Zurich"),
    ("Europe/Monaco", "heure de Monaco"),
    ("America/Montreal", "heure de Montreal"), ("America/Los_Angeles", "heure de Los Angeles"),
    ("Europe/Andorra", "heure d’Andorra"), ("Asia/Oral", "heure d’Oral"), ("Etc/UTC", "heure d’UTC"),
    ("Europe/Istanbul", "heure d’Istanbul"), ("UTC", "heure d’UTC"),
    ("America/Argentina/Buenos_Aires", "heure de Buenos Aires"),
    ("America/Indiana/Indianapolis", "heure d’Indianapolis"),
])
def test_zone_labels(key: str, label: str) -> None:
    assert zone_label(key) == label


@pytest.mark.parametrize(("text", "folded"), [
    ("Égalité", "egalite"), ("plain", "plain"), ("ŒUVRE cœur", "oeuvre coeur"), ("Æ", "ae"),
    ("l’Isle", "l'isle"), ("Straße ẞ", "strasse ss"), ("ﬁlière", "filiere"), ("e\u0301cole", "ecole"),
    ("Ørsted", "ørsted"), ("ǅemal", "dzemal"),
])
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(("n", "decimals", "written"), [
    (6.2, 1, "6,2"), (12345, 0, "12\u202f345"), (1234.56, 2, "1\u202f234,56"),
    (1234567.891, 1, "1\u202f234\u202f567,9"),
    (-1234, 0, "-1\u202f234"), (3.6, 0, "4"), (999, 0, "999"), (0.04, 1, "0,0"), (7, 2, "7,00"),
])
def test_number_french_figures(n: float, decimals: int, written: str) -> None:
    assert number(n, decimals) == written
    if decimals == 0:
        assert number(n) == written
