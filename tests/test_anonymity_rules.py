"""Each rule of the personal-data guard on its own: what it matches, exactly (the fragment a refusal quotes), and
what it must leave alone. The guard checks most data twice (a regex, then phonenumbers or the first-name lists),
so a rule that breaks can hide behind the other check; these tables judge every rule by itself."""

from __future__ import annotations

from datetime import date

import pytest

from bot.accompagnements import anonymity as a
from bot.core.text import fold

TODAY = date(2026, 11, 22)

# (rule, text as typed, what the rule must find in it: the whole fragment, or None). Rules that read folded text
# get the text folded, as find_personal_data gives it.
FOLDED = {"BIRTH_WORDS", "ADDRESS", "NAMED", "WORD_DATE", "NIR_ANNOUNCED"}
TABLE = [
    ("EMAIL", "écrire à jean.dupont@free.fr", "jean.dupont@free.fr"),
    ("EMAIL", "jean+caf@free.fr", "jean+caf@free.fr"),
    ("EMAIL", "jean-paul@free.fr", "jean-paul@free.fr"),
    ("EMAIL", "a@b.c-d.fr", "a@b.c-d.fr"),
    ("EMAIL", "a@b.co.uk", "a@b.co.uk"),
    ("EMAIL", "(@free.fr)", None),
    ("EMAIL", "a@.fr", None),
    ("EMAIL", "a@b. suite", None),
    ("PHONE", "++33 6 12 34 56 78", None),
    ("PHONE", "0033 6 12 34 56 78", "0033 6 12 34 56 78"),
    ("PHONE", "06.12.34.56.78", "06.12.34.56.78"),
    ("PHONE", "06-12-34-56-78", "06-12-34-56-78"),
    ("PHONE", "+33.6.12.34.56.78", "+33.6.12.34.56.78"),
    ("PHONE", "+33-6-12-34-56-78", "+33-6-12-34-56-78"),
    ("PHONE", "+33 (0)6 12 34 56 78", "+33 (0)6 12 34 56 78"),
    ("PHONE", "+33 6 12 34 56 78", "+33 6 12 34 56 78"),
    ("PHONE", "0 6 12 34 56 78", "0 6 12 34 56 78"),
    ("PHONE", "+33612345678", "+33612345678"),
    ("PHONE", "+26269212345678", "+26269212345678"),  # a three-digit code and the longest number after it
    ("PHONE", "+262692123456789", None),
    ("NIR_ANNOUNCED", "sécu 9601397412345", "secu 9601397412345"),
    ("NIR_ANNOUNCED", "sécurité  sociale 9601397412345", "securite  sociale 9601397412345"),
    ("NIR_ANNOUNCED", "numéro  ss 9601397412345", "numero  ss 9601397412345"),
    ("NIR_ANNOUNCED", "nsécu 9601397412345", None),
    ("NIR_ANNOUNCED", "sécurité 9601397412345", None),
    ("NIR_ANNOUNCED", "sécuriser 9601397412345", None),
    ("NIR_ANNOUNCED", "sécuritésociale 9601397412345", None),
    ("NIR_ANNOUNCED", "numéross 9601397412345", None),
    ("NIR_ANNOUNCED", "sécu9601397412345", None),
    ("NIR_ANNOUNCED", "sécu 96013974123456789", "secu 96013974123456789"),
    ("NIR_ANNOUNCED", "sécu 960139741234567890", "secu 96013974123456789"),
    ("NIR_ANNOUNCED", "insee 9601397412345678", "insee 9601397412345678"),
    ("IBAN", "FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890"),
    ("IBAN", "FR76 3000 6000 0112 3456 7890 1890 1234", "FR76 3000 6000 0112 3456 7890 1890"),
    ("IBAN", "FR14 2004 1010 0505 00AB CD12 345", "FR14 2004 1010 0505 00AB CD12"),
    ("NUMERIC_DATE", "le 12/03/1985", "12/03/1985"),
    ("NUMERIC_DATE", "le 123/03/1985", None),
    ("NUMERIC_DATE", "le 12/123/1985", None),
    ("NUMERIC_DATE", "le /03/1985", None),
    ("NUMERIC_DATE", "le 12//1985", None),
    ("NUMERIC_DATE", "le 12/03/19856", None),
    ("WORD_DATE", "le 12 mars 1985", "12 mars 1985"),
    ("WORD_DATE", "le 123 mars 1985", None),
    ("WORD_DATE", "le mars 1985", None),
    ("WORD_DATE", "x12 mars 1985", None),
    ("WORD_DATE", "12mars 1985", None),
    ("WORD_DATE", "12 mars1985", None),
    ("WORD_DATE", "12 mars 19856", None),
    ("BIRTH_WORDS", "née le 3/4", "nee le 3/4"),
    ("BIRTH_WORDS", "née  le 3/4", "nee  le 3/4"),
    ("BIRTH_WORDS", "née en 1962", "nee en 1962"),
    ("BIRTH_WORDS", "date  de  naissance 1985", "date  de  naissance 1985"),
    ("BIRTH_WORDS", "année  de  naissance 1985", "annee  de  naissance 1985"),
    ("BIRTH_WORDS", "nele 3/4", None),
    ("BIRTH_WORDS", "aînée le 3/4", None),
    ("BIRTH_WORDS", "daten 1985", None),
    ("BIRTH_WORDS", "née lendemain 1985", None),
    ("BIRTH_WORDS", "née en 19850", "nee en 1985"),
    ("BIRTH_WORDS", "née le 3/4; puis 1985", "nee le 3/4"),
    ("BIRTH_WORDS", "née en ville; 1985", None),
    ("BIRTH_WORDS", "née en ville\n1985", None),
    ("BIRTH_WORDS", "née en ville. 1985", None),
    ("BIRTH_WORDS", "née en 1985 puis 1990", "nee en 1985"),
    ("BIRTH_WORDS", "née en 198", None),
    ("BIRTH_WORDS", "née le 12/03", "nee le 12/03"),
    ("BIRTH_WORDS", "née le 12.03", "nee le 12.03"),
    ("BIRTH_WORDS", "née le 123/03", None),
    ("BIRTH_WORDS", "née le 12/", None),
    ("BIRTH_WORDS", "née le 1/123", "nee le 1/12"),
    ("BIRTH_WORDS", "ddn 1985", "ddn 1985"),
    ("BIRTH_WORDS", "naissance:1985", "naissance:1985"),
    ("BIRTH_WORDS", "datede naissance 1985", None),
    ("BIRTH_WORDS", "date denaissance 1985", None),
    ("BIRTH_WORDS", "annéede naissance 1985", None),
    ("BIRTH_WORDS", "année denaissance 1985", None),
    ("ADDRESS", "au 12  rue Hugo", "12  rue Hugo".lower()),
    ("ADDRESS", "au 12 rue  Hugo", "12 rue  hugo"),
    ("ADDRESS", "au 12rue Hugo", None),
    ("ADDRESS", "au 12   rue Hugo", "12   rue hugo"),
    ("ADDRESS", "au 12 rue !", None),
    ("ADDRESS", "au 12 rueHugo", None),
    ("CIVILITY_SHORT", "Mme Durand", "Mme Durand"),
    ("CIVILITY_SHORT", "Mlle Martin", "Mlle Martin"),
    ("CIVILITY_SHORT", "Mr Smith", "Mr Smith"),
    ("CIVILITY_SHORT", "Mrs Smith", "Mrs Smith"),
    ("CIVILITY_SHORT", "Dr Petit", "Dr Petit"),
    ("CIVILITY_SHORT", "M. Bernard", "M. Bernard"),
    ("CIVILITY_SHORT", "M.Bernard", "M.Bernard"),
    ("CIVILITY_SHORT", "Mme élodie", "Mme élodie"),
    ("CIVILITY_SHORT", "Mme Jean-Paul", "Mme Jean-Paul"),
    ("CIVILITY_SHORT", "Mme d'Orsay", "Mme d'Orsay"),
    ("CIVILITY_SHORT", "Mme Li", "Mme Li"),
    ("CIVILITY_SHORT", "Mme L", None),
    ("CIVILITY_SHORT", "Xmme Durand", None),
    ("CIVILITY_SHORT", "Mmex Durand", None),
    ("CIVILITY_SHORT", "Drôme", None),
    ("CIVILITY_SHORT", "HLM. Durand", None),
    ("CIVILITY_LONG", "Monsieur Durand", "Monsieur Durand"),
    ("CIVILITY_LONG", "monsieur Durand", "monsieur Durand"),
    ("CIVILITY_LONG", "Madame Petit", "Madame Petit"),
    ("CIVILITY_LONG", "madame Petit", "madame Petit"),
    ("CIVILITY_LONG", "Mademoiselle Roux", "Mademoiselle Roux"),
    ("CIVILITY_LONG", "mademoiselle Roux", "mademoiselle Roux"),
    ("CIVILITY_LONG", "Docteur Martin", "Docteur Martin"),
    ("CIVILITY_LONG", "docteur Martin", "docteur Martin"),
    ("CIVILITY_LONG", "Monsieur Éric", "Monsieur Éric"),
    ("CIVILITY_LONG", "Monsieur  Durand", "Monsieur  Durand"),
    ("CIVILITY_LONG", "Madame Jean-Paul", "Madame Jean-Paul"),
    ("CIVILITY_LONG", "Madame D'Orsay", "Madame D'Orsay"),
    ("CIVILITY_LONG", "Madame Li", "Madame Li"),
    ("CIVILITY_LONG", "Madame L", None),
    ("CIVILITY_LONG", "Madamex Durand", None),
    ("CIVILITY_LONG", "xMadame Durand", None),
    ("CIVILITY_LONG", "MonsieurDurand", None),
    ("CIVILITY_LONG", "Madame durand", None),
    ("CIVILITY_LONG", "Madame 12", None),
    ("NAMED", "elle s'appelle Marie", "s'appelle marie"),
    ("NAMED", "appelé Paul", "appele paul"),
    ("NAMED", "appelée Julie", "appelee julie"),
    ("NAMED", "nommé Paul", "nomme paul"),
    ("NAMED", "nommée Julie", "nommee julie"),
    ("NAMED", "prénommé Paul", "prenomme paul"),
    ("NAMED", "prénommée Julie", "prenommee julie"),
    ("NAMED", "prénom Paul", "prenom paul"),
    ("NAMED", "nom de famille Martin", "nom de famille martin"),
    ("NAMED", "nom  Martin", "nom  martin"),
    ("NAMED", "nom : Martin", "nom : martin"),
    ("NAMED", "nom :  Martin", "nom :  martin"),
    ("NAMED", "nom Jean-Paul", "nom jean-paul"),
    ("NAMED", "nom d'Orsay", "nom d'orsay"),
    ("NAMED", "nom Li", "nom li"),
    ("NAMED", "nom L", None),
    ("NAMED", "renom Martin", None),
    ("NAMED", "nomMartin", None),
    ("FULL_NAME", "Jean DUPONT", "Jean DUPONT"),
    ("FULL_NAME", "Éric LEGRAND", "Éric LEGRAND"),
    ("FULL_NAME", "Léa ÉLOI", "Léa ÉLOI"),
    ("FULL_NAME", "Jean-Pierre MARTIN", "Jean-Pierre MARTIN"),
    ("FULL_NAME", "Jean-Élie MARTIN", "Jean-Élie MARTIN"),
    ("FULL_NAME", "Jean-Hélène MARTIN", "Jean-Hélène MARTIN"),
    ("FULL_NAME", "Jean-P MARTIN", None),
    ("FULL_NAME", "JeanDUPONT", None),
    ("FULL_NAME", "Jean  DUPONT", "Jean  DUPONT"),
    ("FULL_NAME", "Jean\tDUPONT", "Jean\tDUPONT"),
    ("FULL_NAME", "Jean\u00a0DUPONT", "Jean\u00a0DUPONT"),
    ("FULL_NAME", "Jean DUP", "Jean DUP"),
    ("FULL_NAME", "Jean DU", None),
    ("FULL_NAME", "Jean\nDUPONT", None),
    ("FULL_NAME", "xJean DUPONT", None),
    ("FULL_NAME", "Jean DUPONTx", None),
    ("FULL_NAME", "J DUPONT", None),
    ("FULL_NAME", "jean DUPONT", None),
    ("FULL_NAME", "JEAN DUPONT", None),
    ("FULL_NAME", "DUPONT Jean", "DUPONT Jean"),
    ("FULL_NAME", "ÉLOI Léa", "ÉLOI Léa"),
    ("FULL_NAME", "DUPONT  Jean", "DUPONT  Jean"),
    ("FULL_NAME", "DUPONT\tJean", "DUPONT\tJean"),
    ("FULL_NAME", "DUPONT\u00a0Jean", "DUPONT\u00a0Jean"),
    ("FULL_NAME", "DUP Jean", "DUP Jean"),
    ("FULL_NAME", "DU Jean", None),
    ("FULL_NAME", "DUPONT\nJean", None),
    ("FULL_NAME", "xDUPONT Jean", None),
    ("FULL_NAME", "DUPONT Jeanne-Marie", "DUPONT Jeanne"),
    ("FULL_NAME", "DUPONT J", None),
    ("FULL_NAME", "DUPONT jean", None),
    ("FULL_NAME", "DUPONT Éric", "DUPONT Éric"),
    ("FULL_NAME", "DUPONT Jeanx1", None),
    ("PHONE_HINT", "tel 06 12 34 56 78", "06 12 34 56 78"),
    ("PHONE_HINT", "tel +33 6 12", "+33 6 12"),
    ("PHONE_HINT", "tel 0033 612", "0033 612"),
    ("PHONE_HINT", "tel (0262) 21", "(0262) 21"),
    ("PHONE_HINT", "tel 06.12/34-56(78)", "06.12/34-56(78"),
    ("PHONE_HINT", "x06 12 34 56 78", None),
    ("PHONE_HINT", "x0033 612", None),
    ("PHONE_HINT", "tel 01234", None),
    ("PHONE_HINT", "tel 012345", None),
    ("PHONE_HINT", "tel 0123456", "0123456"),
    ("PHONE_HINT", "tel 0" + "1" * 26 + "2", "0" + "1" * 26),
    ("PHONE_HINT", "tel 0" + "1" * 25 + "2", "0" + "1" * 25 + "2"),
    ("DATE_IN_NUMBER", "le 1/2/1985", "1/2/1985"),
    ("DATE_IN_NUMBER", "le 12/12/2026", "12/12/2026"),
    ("DATE_IN_NUMBER", "le 123/12/2026", "23/12/2026"),
    ("DATE_IN_NUMBER", "le 12/123/2026", None),
    ("DATE_IN_NUMBER", "le /12/2026", None),
    ("DATE_IN_NUMBER", "le 12//2026", None),
    ("DATE_IN_NUMBER", "le 12/12/1985", "12/12/1985"),
    ("DATE_IN_NUMBER", "le 12/12/2185", None),
    ("DATE_IN_NUMBER", "le 12/12/202", None),
]


@pytest.mark.parametrize(("rule", "text", "found"), TABLE, ids=[f"{r}:{t!r}" for r, t, _ in TABLE])
def test_each_rule_alone(rule: str, text: str, found: str | None) -> None:
    rx = getattr(a, rule)
    m = rx.search(fold(text) if rule in FOLDED else text)
    assert (m.group(0) if m else None) == found


# Words after a title or "nom" that are no name (as counsellors write them); through the "nom …" rule, which has no
# other list to hide behind, and with the first-name lists left out.
HARMLESS_NOTES = [
    "le nom le plus court", "le nom la veille", "le nom les concerne", "le nom un jour", "le nom une fois",
    "nom et prénom", "nom ou prénom", "nom a changer", "nom au dossier", "nom aux impôts", "nom des enfants",
    "le nom est faux", "un nom qui change", "le nom que voici", "nom son fils", "nom sa fille", "nom ses enfants",
    "nom souhaite changer", "nom voulait dire", "nom veut dire", "nom avait changé", "nom ne change pas",
    "nom n'a pas changé", "nom n’a pas changé", "nom m'a échappé", "nom na pas changé", "nom de la structure",
    "nom du dossier",
]


@pytest.mark.parametrize("text", HARMLESS_NOTES)
def test_words_that_are_no_name_after_nom(text: str) -> None:
    assert a.find_personal_data(text, today=TODAY, names=False) == []


@pytest.mark.parametrize(("text", "region_free"), [
    ("(+33) 6 12 34 56 78", True), ("(0262) 21 22 23", False), ("(0590) 12 34 56", False),
    ("(0594) 12 34 56", False), ("(0269) 61 23 45", False), ("(0596) 12 34 56", False),
    ("+687 12 34 56", True), ("+508 41 23 45", True), ("+689 40 12 34 56".replace(" ", ""), True),
    ("+681 72 12 34", True), ("+590 590 12 34 56".replace(" ", ""), True),
])
def test_second_pass_phone_shapes(text: str, region_free: bool) -> None:
    assert [f.kind for f in a.find_personal_data(text, today=TODAY)] == ["phone"]


def test_the_password_refusal_says_why_in_its_own_words() -> None:
    message = a.personal_data_message("Note", "mot de passe : Azerty123", today=TODAY)
    assert "(« mot… »). Un mot de passe ne s’écrit jamais dans une note (RGPD et sécurité) : il ouvrirait les " \
           "comptes de la personne. Écrivez plutôt" in message


def test_refusal_texts_mask_and_date() -> None:
    message = a.personal_data_message("Note", "Dr Li", today=TODAY, names=False)
    assert "(« Dr … »)" in message  # five characters: the first three shown
    assert "»). Relais n’enregistre aucune donnée qui permette de reconnaître la personne accompagnée (RGPD). " \
           "Écrivez plutôt" in message
    # the date given is the one judged (born 2012: under ten in 2020, not a birth date to refuse then)
    assert a.personal_data_message("Note", "01/01/2012", today=date(2020, 1, 1)) is None
    assert a.personal_data_message("Note", "01/01/2012", today=date(2026, 1, 1)) is not None
