"""French as French publishing writes it, wherever a test can hold it: `relais --help` and its errors, and
every user-facing string literal of `bot/` (real plurals, one apostrophe, "n° 6", no doubled word, time
zones named for people). Parsers' vocabularies (what people type) are not user text and are left out."""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import build_parser

BOT = Path(__file__).resolve().parents[1] / "bot"
# Modules whose strings match what people type (folded input keeps a straight apostrophe) or follow an
# external format (CSV headers of La Coop and of the national schema): not messages to people.
NOT_USER_TEXT = {"search/synonyms.py", "search/text.py", "search/fuzzy.py", "search/phrases.py",
                 "ateliers/vocabulary.py", "accompagnements/vocabulary.py", "accompagnements/inline.py",
                 "accompagnements/periods.py", "accompagnements/export.py", "accompagnements/everyday.py",
                 "annonces/when.py",
                 "directory/query.py", "directory/gazetteer.py", "directory/schema.py", "directory/importers.py",
                 "accompagnements/workbook.py", "core/text.py", "cli_french.py"}
ELISION = re.compile(r"(?i)(?<![\w\\])(l|d|n|qu|c|s|j|m|t|jusqu|lorsqu|puisqu|quelqu|aujourd)'(?=[a-zà-ÿ])")
PLURAL_S = re.compile(r"\w(?<!http)\((e?s|x)\)")
NUMERO = re.compile(r"n°(?=[\d{])")
INCLUSIVE = re.compile(r"\w·\w")  # we write épicène ("la personne qui a partagé"), never "Seul·e"
DOUBLED = re.compile(r"(?i)(?<![\w-])([a-zà-ÿ]{2,}\.?)\s*:?\s+\1(?![\w-])")
ENGLISH_ARGPARSE = ("usage:", "positional arguments", "optional arguments", "show this help", "show program",
                    "error:", "required:", "invalid choice", "expected one argument", "unrecognized")


def _user_strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String literals that can reach a person: not docstrings, comparisons, log lines or regular expressions."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, (ast.Compare, ast.Set)):  # comparisons and word sets match what people type
            skip.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, (ast.Tuple, ast.List)) and node.elts and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value == e.value.lower()
                for e in node.elts):  # lists of folded synonyms ("carte d'identite")
            skip.update(id(e) for e in node.elts)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
            if owner in ("log", "logger", "logging", "re") or name in ("compile", "sub", "fullmatch", "frozenset"):
                skip.update(id(sub) for sub in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def _offenders(rule: re.Pattern[str]) -> list[str]:
    found = []
    for path in sorted(BOT.rglob("*.py")):
        rel = path.relative_to(BOT).as_posix()
        if rel in NOT_USER_TEXT or "migrations" in path.parts:
            continue
        for line, text in _user_strings(ast.parse(path.read_text(encoding="utf-8"))):
            if rule.search(text):
                found.append(f"bot/{rel}:{line}: {text[:90]!r}")
    return found


@pytest.mark.parametrize("name, rule", [("real plurals, never (s)", PLURAL_S), ("one apostrophe (’)", ELISION),
                                        ("n° 6 with a space", NUMERO), ("no doubled word", DOUBLED),
                                        ("épicène, no middle dot", INCLUSIVE)])
def test_user_text_typography(name: str, rule: re.Pattern[str]) -> None:
    assert _offenders(rule) == [], name


def test_time_zones_are_named_for_people() -> None:
    """No reply interpolates the IANA key (`Europe/Paris`): `zone_label` says "heure de Paris"."""
    found = []
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for value in node.values:
                    if isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Attribute) \
                            and value.value.attr in ("timezone", "key") and "config" not in path.name:
                        found.append(f"{path.relative_to(BOT)}:{node.lineno}")
    assert found == []


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def test_every_help_is_french_with_french_placeholders() -> None:
    for parser in _parsers(build_parser()):
        text = parser.format_help()
        assert text.startswith("utilisation : "), text
        for english in ENGLISH_ARGPARSE:
            assert english not in text, (parser.prog, english)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, (parser.prog, action.dest)
            assert action.option_strings == [] or action.metavar is not None or action.nargs == 0 \
                or action.choices, \
                (parser.prog, action.dest, "metavar in English (from the option name)")


@pytest.mark.parametrize("args, expected", [
    (["inconnue"], "relais : erreur : argument COMMANDE : choix inconnu : « inconnue »"),
    (["digest", "preview", "--channel"], "erreur : argument --channel : une valeur est attendue"),
    (["sessions", "export"], "erreur : arguments obligatoires manquants : --from, --to"),
    (["db", "upgrade", "--oups"], "erreur : arguments inconnus : --oups"),
])
def test_argparse_errors_are_french(args: list[str], expected: str) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "usage:" not in result.stderr and "utilisation : relais" in result.stderr


def test_a_command_without_its_action_shows_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    assert main(["digest"]) == 2
    assert capsys.readouterr().out.startswith("utilisation : relais digest [-h] ACTION")
