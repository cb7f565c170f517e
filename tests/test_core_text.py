"""`fold`: its fast paths (ASCII, one table for Latin letters) give exactly the reference decomposition."""

from __future__ import annotations

from bot.core.text import _decompose_fold, fold


def test_fold_is_the_reference_decomposition_on_any_text() -> None:
    texts = ["Égalité", "ŒUVRE Cœur", "Straße ẞ", "l’Isle-d’Abeau", "Ørsted Æ", "ﬁlière", "e\u0301cole",
             "Saint\u00a0Étienne", "Ⅻ arrondissement", "İstanbul", "ǅemal", "plain ASCII", "µ ½ ²", "", "日本 é"]
    texts += [chr(c) for c in range(0x80, 0x2100)]
    assert [fold(t) for t in texts] == [_decompose_fold(t) for t in texts]
    assert fold("Médiathèque d’Œuvre") == "mediatheque d'oeuvre"


def test_parse_number_reads_what_people_type() -> None:
    from bot.core.text import parse_number

    assert [parse_number(t) for t in ("42", " #42", "n°42", "n° 42", "N°7")] == [42, 42, 42, 42, 7]
    assert [parse_number(t) for t in ("", None, "abc", "0", "-3", "4.2", str(2**31))] == [None] * 7


def test_parse_number_refuses_what_is_not_a_plain_place_number() -> None:
    from bot.core.text import parse_number

    # "²" and "٣" are digits to str.isdigit; a 25-digit number would overflow the database's integer.
    assert [parse_number(t) for t in ("²", "n°²", "٣", "4²", "1" * 25, "99999999999", "１２")] == [None] * 7
    assert parse_number("2147483647") == 2**31 - 1
