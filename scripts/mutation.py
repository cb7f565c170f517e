"""Mutation testing of the modules that carry Relais's promises; see `scripts/mutation` for how to run it.

Two kinds of changes, reported apart:
- functions: mutmut (operators, comparisons, constants, removed calls… inside every function and method);
- module-level rules: what mutmut never touches, the regexes and constants the functions read. This file makes
  those changes itself: each regex alternative removed, each quantifier changed, each character-class item and
  assertion removed, each regex flag dropped, each number moved by one, each collection entry removed.

Each run works in a copy of the last commit (`.mutation/<module>/`), with only that module's own tests, `-x`.
A change counts as caught when a test fails (or hangs). Survivors listed in `scripts/mutation-survivors.toml` are
equivalent (no behaviour can tell them apart) or only change a log line; they are left out of the denominator,
and the file says why for each.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".mutation"
SURVIVORS = REPO / "scripts" / "mutation-survivors.toml"
PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--no-header", "-o", "addopts="]
RULE_TIMEOUT = 120  # seconds for one module-level mutant's tests (a hang counts as caught, like mutmut's timeouts)

# The module, and the tests that judge it (its own tests only: what the module promises must be pinned there).
MODULES: dict[str, tuple[str, list[str]]] = {
    "delivery": ("bot/outbox/delivery.py", ["tests/test_outbox_delivery.py", "tests/test_outbox_edges.py"]),
    "signing": ("bot/core/signing.py", ["tests/test_signing_pins.py"]),
    "anonymity": ("bot/accompagnements/anonymity.py",
                  ["tests/test_accompagnements_anonymity.py", "tests/test_anonymity_table.py",
                   "tests/test_anonymity_rules.py"]),
    "text": ("bot/core/text.py", ["tests/test_core_text.py", "tests/test_text_pins.py"]),
    "phrases": ("bot/search/phrases.py", ["tests/test_phrases_pins.py"]),
}
LARGE_COLLECTION = 30  # from this size on, remove an evenly spread sample of 10 entries, not each one


@dataclass
class RuleMutant:
    line: int
    what: str  # e.g. "PHONE: alternative 2 of group at 14 removed"
    source: str  # the whole mutated module
    status: str = "not run"


# -- regex mutations ----------------------------------------------------------------------------------------

_QUANT = re.compile(r"\*|\+|\?|\{(\d*)(,?)(\d*)\}")
_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|.)", re.DOTALL)


def _escape_end(pattern: str, i: int) -> int:
    return _ESCAPE.match(pattern, i).end()


def _regex_mutations(pattern: str) -> Iterator[tuple[str, str]]:
    """(description, mutated pattern) for every alternative, quantifier, class item and assertion of `pattern`."""
    groups: list[tuple[int, list[int]]] = [(-1, [])]  # (start of group, positions of its "|")
    closed: list[tuple[int, int, list[int]]] = []  # (start, end, bars) of every group, top level as (-1, len)
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if pattern[i + 1: i + 2] in ("b", "B"):
                yield f"assertion \\{pattern[i + 1]} at {i} removed", pattern[:i] + pattern[i + 2:]
            i = _escape_end(pattern, i)
            continue
        if c == "[":
            j = i + 1
            negated = pattern[j: j + 1] == "^"
            if negated:
                j += 1
            items: list[tuple[int, int]] = []
            first = True
            while j < n and (pattern[j] != "]" or first):
                start = j
                j = _escape_end(pattern, j) if pattern[j] == "\\" else j + 1
                if pattern[j: j + 1] == "-" and pattern[j + 1: j + 2] not in ("]", ""):
                    j += 1
                    j = _escape_end(pattern, j) if pattern[j] == "\\" else j + 1
                items.append((start, j))
                first = False
            if len(items) > 1:
                for a, b in items:
                    yield f"class item {pattern[a:b]!r} at {a} removed", pattern[:a] + pattern[b:]
            inner = i + 2 if negated else i + 1
            yield (f"class at {i} {'un' if negated else ''}negated",
                   pattern[:i + 1] + pattern[inner:] if negated else pattern[:i + 1] + "^" + pattern[i + 1:])
            i = j + 1
            continue
        if c == "(":
            groups.append((i, []))
            look = re.match(r"\(\?(<?[=!])", pattern[i:])
            if look:
                groups[-1] = (i, groups[-1][1])
            i += 1
            continue
        if c == ")":
            start, bars = groups.pop()
            closed.append((start, i, bars))
            head = re.match(r"\(\?(<?)([=!])", pattern[start:])
            if head:
                yield f"lookaround at {start} removed", pattern[:start] + pattern[i + 1:]
                flipped = "!" if head.group(2) == "=" else "="
                pos = start + 2 + len(head.group(1))
                yield f"lookaround at {start} inverted", pattern[:pos] + flipped + pattern[pos + 1:]
            i += 1
            continue
        if c == "|":
            groups[-1][1].append(i)
            i += 1
            continue
        if c in "^$":
            yield f"anchor {c} at {i} removed", pattern[:i] + pattern[i + 1:]
            i += 1
            continue
        q = _QUANT.match(pattern, i)
        if q and i > 0 and not (c == "?" and pattern[i - 1] == "("):
            end = q.end()
            lazy = pattern[end: end + 1] == "?"
            if c == "?":
                yield f"quantifier ? at {i} removed (now required)", pattern[:i] + pattern[end:]
            elif c == "*":
                yield f"quantifier * at {i} made +", pattern[:i] + "+" + pattern[end:]
            elif c == "+":
                yield f"quantifier + at {i} removed (exactly one)", pattern[:i] + pattern[end:]
                yield f"quantifier + at {i} made *", pattern[:i] + "*" + pattern[end:]
            else:
                lo, comma, hi = q.groups()
                variants = []
                if lo:
                    variants.append((f"{{{int(lo) + 1}{comma}{hi}}}", "lower bound +1"))
                    if int(lo) > 0:
                        variants.append((f"{{{int(lo) - 1}{comma}{hi}}}", "lower bound -1"))
                if comma and hi:
                    variants.append((f"{{{lo}{comma}{int(hi) - 1}}}", "upper bound -1"))
                    variants.append((f"{{{lo}{comma}{int(hi) + 1}}}", "upper bound +1"))
                for text, label in variants:
                    yield f"quantifier {q.group(0)} at {i}: {label}", pattern[:i] + text + pattern[end:]
            if lazy:
                yield f"lazy quantifier at {i} made greedy", pattern[:end] + pattern[end + 1:]
                end += 1
            i = end
            continue
        i += 1
    start, bars = groups.pop()
    closed.append((-1, n, bars))
    for start, end, bars in closed:
        if not bars:
            continue
        body_start = start + 1
        if start >= 0:
            prefix = re.match(r"\((\?(?::|P<\w+>|<?[=!]|[aiLmsux]+:?))?", pattern[start:])
            body_start = start + (prefix.end() if prefix else 1)
        else:
            body_start = 0
        edges = [body_start, *bars, end]
        for k in range(len(edges) - 1):
            a, b = edges[k] + (1 if k else 0), edges[k + 1]
            mutated = pattern[:a] + pattern[b + 1:] if k == 0 else pattern[:a - 1] + pattern[b:]
            yield f"alternative {k + 1} {pattern[a:b]!r} of group at {start} removed", mutated


# -- module-level mutants -----------------------------------------------------------------------------------


class _Source:
    """The module's text addressed by AST positions (ast columns are UTF-8 byte offsets)."""

    def __init__(self, text: str) -> None:
        self.lines = text.encode().splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.data = text.encode()

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.starts[node.lineno - 1] + node.col_offset, self.starts[node.end_lineno - 1] + node.end_col_offset)

    def replace(self, node: ast.AST, text: str) -> str:
        a, b = self.span(node)
        return (self.data[:a] + text.encode() + self.data[b:]).decode()

    def remove_element(self, elts: list[ast.AST], k: int) -> str:
        a, b = self.span(elts[k])
        if k + 1 < len(elts):
            b = self.span(elts[k + 1])[0]
        elif k > 0:
            a = self.span(elts[k - 1])[1]
        return (self.data[:a] + self.data[b:]).decode()


def _is_regex_call(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re")


def _target_name(stmt: ast.stmt) -> str:
    target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
    return ast.unparse(target)


def _regex_flags(call: ast.Call) -> int:
    flags = 0
    for arg in [*call.args[1:], *(k.value for k in call.keywords if k.arg == "flags")]:
        for name in re.findall(r"re\.(\w+)", ast.unparse(arg)):
            flags |= getattr(re, name)
    return flags


def rule_mutants(path: Path) -> list[RuleMutant]:
    """Every module-level change this tool makes to `path` (assignments outside functions and classes)."""
    text = path.read_text()
    src = _Source(text)
    tree = ast.parse(text)
    out: list[RuleMutant] = []
    names = {}  # module-level string constants, so a pattern assembled from them can be checked to compile

    def add(node: ast.AST, what: str, mutated: str) -> None:
        try:
            compile(mutated, str(path), "exec")
        except SyntaxError:
            return
        out.append(RuleMutant(node.lineno, what, mutated))

    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
            continue
        name = _target_name(stmt)
        if name in ("log", "logger", "__all__"):
            continue
        regex_args: dict[int, int] = {}  # id of a pattern constant -> flags it compiles with
        in_fstring: set[int] = set()
        for node in ast.walk(stmt.value):
            if _is_regex_call(node) and node.args:
                for part in ast.walk(node.args[0]):
                    if isinstance(part, ast.Constant | ast.JoinedStr):
                        regex_args[id(part)] = _regex_flags(node)
                    if isinstance(part, ast.JoinedStr):
                        in_fstring.update(id(v) for v in ast.walk(part) if v is not part)
                if node.func.attr == "compile":
                    for k, arg in enumerate(node.args[1:], start=1):
                        add(arg, f"{name}: regex flags {ast.unparse(arg)} dropped",
                            src.remove_element(node.args, k))
        for node in ast.walk(stmt.value):
            if isinstance(node, ast.Constant) and isinstance(node.value, bool):
                add(node, f"{name}: {node.value} flipped", src.replace(node, repr(not node.value)))
            elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
                for delta in (1, -1):
                    value = node.value + delta
                    add(node, f"{name}: {node.value!r} -> {value!r}", src.replace(node, repr(value)))
            elif isinstance(node, ast.JoinedStr) and id(node) in regex_args:
                for what, mutated in _fstring_mutations(node, regex_args[id(node)], names):
                    add(node, f"{name}: {what}", src.replace(node, mutated))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in regex_args:
                    if id(node) in in_fstring:
                        continue
                    for what, mutated in _regex_mutations(node.value):
                        try:
                            re.compile(mutated, regex_args[id(node)])
                        except re.error:
                            continue
                        add(node, f"{name}: {what}", src.replace(node, _literal(mutated)))
                elif _is_word_list(node.value):
                    words = node.value.split()
                    for k in _sample(len(words)):
                        kept = " ".join(w for j, w in enumerate(words) if j != k)
                        add(node, f"{name}: word {words[k]!r} removed", src.replace(node, repr("\n" + kept + "\n")))
                elif "|" in node.value and isinstance(stmt.value, ast.Constant | ast.BinOp | ast.JoinedStr):
                    parts = node.value.split("|")
                    for k in range(len(parts)):
                        if parts[k]:
                            kept = "|".join(p for j, p in enumerate(parts) if j != k)
                            add(node, f"{name}: alternative {parts[k]!r} removed", src.replace(node, repr(kept)))
                elif stmt.value is node:
                    add(node, f"{name}: string changed", src.replace(node, repr("XX" + node.value + "XX")))
                names[name] = node.value
            elif isinstance(node, ast.Constant) and isinstance(node.value, bytes) and len(set(node.value)) > 1:
                add(node, f"{name}: bytes reversed", src.replace(node, repr(node.value[::-1])))
            elif isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
                for k in _sample(len(node.elts)):
                    add(node, f"{name}: entry {ast.unparse(node.elts[k])[:40]} removed",
                        src.remove_element(node.elts, k))
            elif isinstance(node, ast.Dict) and len(node.keys) > 1 and all(k is not None for k in node.keys):
                for k in _sample(len(node.keys)):
                    a, _ = src.span(node.keys[k])
                    _, b = src.span(node.values[k])
                    if k + 1 < len(node.keys):
                        b = src.span(node.keys[k + 1])[0]
                    else:
                        a = src.span(node.values[k - 1])[1]
                    add(node, f"{name}: entry {ast.unparse(node.keys[k])[:40]} removed",
                        (src.data[:a] + src.data[b:]).decode())
            elif isinstance(node, ast.Compare) and len(node.ops) == 1:
                swapped = {ast.Lt: "<=", ast.LtE: "<", ast.Gt: ">=", ast.GtE: ">", ast.Eq: "!=", ast.NotEq: "=="}
                op = swapped.get(type(node.ops[0]))
                if op:
                    new = f"{ast.unparse(node.left)} {op} {ast.unparse(node.comparators[0])}"
                    add(node, f"{name}: comparison made {op}", src.replace(node, new))
    return out


_HOLE = "\x00"


def _fstring_mutations(node: ast.JoinedStr, flags: int, names: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Regex mutations of an f-string pattern's literal parts; its {holes} are kept as they are."""
    holes = [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
    pattern = "".join(v.value if isinstance(v, ast.Constant) else _HOLE for v in node.values)
    for what, mutated in _regex_mutations(pattern):
        if mutated.count(_HOLE) != len(holes):
            continue
        pieces = mutated.split(_HOLE)
        try:
            re.compile("".join(p + (names.get(h, "x") if k < len(holes) else "")
                               for k, (p, h) in enumerate(zip(pieces, [*holes, ""], strict=True))), flags)
        except re.error:
            continue
        body = "".join(p.replace("{", "{{").replace("}", "}}") + ("{" + h + "}" if h else "")
                       for p, h in zip(pieces, [*holes, ""], strict=True))
        if '"' not in body and not body.endswith("\\"):
            yield what, 'rf"' + body + '"'


def _literal(pattern: str) -> str:
    """A Python literal for a pattern, raw when possible so the mutated source stays readable."""
    if '"' not in pattern and not pattern.endswith("\\") and "\n" not in pattern:
        return 'r"' + pattern + '"'
    return repr(pattern)


def _is_word_list(value: str) -> bool:
    return "\n" in value and len(value.split()) > 5 and all(w.isalnum() for w in value.split())


def _sample(n: int) -> list[int]:
    if n < LARGE_COLLECTION:
        return list(range(n))
    return sorted({round(k * (n - 1) / 9) for k in range(10)})


# -- running -------------------------------------------------------------------------------------------------


def prepare(name: str) -> Path:
    """A copy of the last commit (not the work tree: other people's unfinished edits stay out) in
    `.mutation/<name>/tree`; commit the tests you want judged first."""
    tree = WORK / name / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    shared = REPO.parent / "shared"
    if shared.exists() and not (WORK / name / "shared").exists():
        (WORK / name / "shared").symlink_to(shared)
    return tree


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}


def run_rules(name: str, tree: Path, module: str, tests: list[str], again: bool = False) -> list[RuleMutant]:
    """Each module-level mutant in a fork of one warm process: the mutated source is executed over the module's
    namespace (functions read their globals from it), then the module's tests run in the fork. `again`: the
    changes caught last time keep their verdict, only the others run (against the newest tests)."""
    mutants = rule_mutants(tree / module)
    caught_before: set[str] = set()
    previous = WORK / name / "rules-verdicts.json"
    if again and previous.exists():
        caught_before = {what for what, status in json.loads(previous.read_text()).items() if status in CAUGHT}
    done = [m for m in mutants if m.what in caught_before]
    for m in done:
        m.status = "killed"
    mutants = [m for m in mutants if m.what not in caught_before]
    code = f"""
import json, os, signal, sys
sys.path.insert(0, {str(tree)!r})
os.chdir({str(tree)!r})
import importlib, pytest
mod = importlib.import_module({module[:-3].replace('/', '.')!r})
import tests.conftest  # warm: the forks only import the test modules themselves
assert mod.__file__.startswith({str(tree)!r}), mod.__file__
mutants = json.load(open(sys.argv[1]))
original = open(mod.__file__).read()
results = []
for source in [None] + [m["source"] for m in mutants]:
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1); os.dup2(devnull, 2)
        signal.alarm({RULE_TIMEOUT})
        try:
            # The unchanged source goes through the same path first: a failure there is the tool's, not a catch.
            exec(compile(source or original, mod.__file__, "exec"), mod.__dict__)
            code = pytest.main({tests + PYTEST_ARGS!r})
        except BaseException:
            code = 99
        os._exit(int(code))
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    results.append(code)
    print("." if code == 0 else "x", end="", flush=True, file=sys.stderr)
print(file=sys.stderr)
json.dump(results, open(sys.argv[2], "w"))
"""
    folder = WORK / name
    (folder / "rules-in.json").write_text(json.dumps([asdict(m) for m in mutants]))
    print(f"[{name}] module-level rules: {len(mutants)} changes", file=sys.stderr)
    subprocess.run([sys.executable, "-c", code, str(folder / "rules-in.json"), str(folder / "rules-out.json")],
                   cwd=tree, env=_env(tree), check=True)
    codes = json.loads((folder / "rules-out.json").read_text())
    if codes[0] != 0:
        sys.exit(f"[{name}] the tests fail without any change (exit {codes[0]}): fix them first")
    for m, code in zip(mutants, codes[1:], strict=True):
        m.status = "survived" if code == 0 else ("timeout" if code == -signal.SIGALRM else "killed")
    everything = done + mutants
    previous.write_text(json.dumps({m.what: m.status for m in everything}, ensure_ascii=False, indent=0))
    return everything


def refresh_tests(name: str) -> Path:
    """For `--again`: the last commit's files in the existing copy, and in mutmut's own copy every file but the
    mutated module (its mutants stay as they were: refused if that module changed since)."""
    tree = WORK / name / "tree"
    module = MODULES[name][0]
    if not (tree / "mutants").exists():
        sys.exit(f"[{name}] no earlier run in {tree}: run without --again first")
    head = subprocess.run(["git", "show", f"HEAD:{module}"], cwd=REPO, check=True, capture_output=True).stdout
    if head != (tree / module).read_bytes():
        sys.exit(f"[{name}] {module} changed since the last run: run without --again")
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    for source in (tree / "bot").rglob("*"):
        target = tree / "mutants" / source.relative_to(tree)
        if source.is_file() and source.relative_to(tree).as_posix() != module:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (tree / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)  # which tests reach which function: anew
    return tree


def run_mutmut(name: str, tree: Path, module: str, tests: list[str], again: bool = False) -> list[dict[str, str]]:
    """mutmut on the module's functions, from the copy, with only the module's tests (`again`: only the mutants
    that were not caught last time, against the newest tests)."""
    pyproject = tree / "pyproject.toml"
    config = (f'\n[tool.mutmut]\nsource_paths = ["bot"]\nonly_mutate = ["{module}"]\n'
              f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
              f"pytest_add_cli_args = {json.dumps(PYTEST_ARGS[2:])}\n")
    base = pyproject.read_text().split("\n[tool.mutmut]\n")[0]
    pyproject.write_text(base + config)  # anew each time: `--again` must use the newest list of tests
    names: list[str] = []
    if again:
        names = [m["mutant"] for m in collect_mutmut(tree, details=False) if m["status"] not in CAUGHT]
    subprocess.run([*MUTMUT, "run", "--max-children", "1", *names], cwd=tree, env=_env(tree), check=False,
                   stdout=subprocess.DEVNULL)
    return collect_mutmut(tree)


MUTMUT = [str(Path(sys.executable).with_name("mutmut"))]
CAUGHT = ("killed", "timeout")


def collect_mutmut(tree: Path, details: bool = True) -> list[dict[str, str]]:
    """Every mutmut mutant of the copy with its status, and for the ones not caught the changed line(s)."""
    listing = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=tree, env=_env(tree), check=True,
                             capture_output=True, text=True).stdout
    results = []
    for line in listing.splitlines():
        if ":" not in line:
            continue
        key, status = (part.strip() for part in line.rsplit(":", 1))
        entry = {"mutant": key, "status": status, "what": ""}
        if details and status not in CAUGHT:
            diff = subprocess.run([*MUTMUT, "show", key], cwd=tree, env=_env(tree), capture_output=True,
                                  text=True).stdout
            function = re.sub(r"__mutmut_\d+$", "", key.rsplit(".", 1)[-1]).removeprefix("x_").removeprefix("x")
            added = [d[1:].strip() for d in diff.splitlines() if d.startswith("+") and not d.startswith("+++")]
            entry["what"] = f"{function}: " + " / ".join(added)
        results.append(entry)
    return results


def explained(name: str) -> list[tuple[str, str, str, str]]:
    """(kind, "change" or "match", text, why) for each survivor explained in `scripts/mutation-survivors.toml`."""
    if not SURVIVORS.exists():
        return []
    data = tomllib.loads(SURVIVORS.read_text())
    return [(e["kind"], "change" if "change" in e else "match", e.get("change") or e["match"], e["why"])
            for e in data.get(name, [])]


def _is_explained(kind: str, what: str, why: list[tuple[str, str, str, str]]) -> bool:
    return any(k == kind and (what == text if how == "change" else re.search(text, what)) for k, how, text, _ in why)


def report(name: str, functions: list[dict[str, str]], rules: list[RuleMutant]) -> dict[str, object]:
    why = explained(name)
    summary: dict[str, object] = {"module": MODULES[name][0]}
    for kind, rows in (("functions", [(r["status"], r["what"]) for r in functions]),
                       ("rules", [(m.status, m.what) for m in rules])):
        caught = sum(1 for status, _ in rows if status in CAUGHT)
        left = [what for status, what in rows if status not in CAUGHT]
        equivalent = [w for w in left if _is_explained(kind, w, why)]
        unexplained = [w for w in left if not _is_explained(kind, w, why)]
        total = len(rows) - len(equivalent)
        summary[kind] = {"caught": caught, "non_equivalent": total, "equivalent": len(equivalent),
                         "score": round(100 * caught / total, 1) if total else 100.0, "unexplained": unexplained,
                         "explained": equivalent}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="one or more of: " + ", ".join(MODULES) + ", or all")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--rules-only", action="store_true", help="only the module-level rules (fast)")
    parser.add_argument("--report-only", action="store_true",
                        help="no new mutmut run: report the last one's results (module-level rules are run again)")
    parser.add_argument("--again", action="store_true",
                        help="keep the last run's copy and results; retry what survived with the newest tests")
    args = parser.parse_args()
    if args.list or not args.modules:
        for name, (module, tests) in MODULES.items():
            print(f"{name:10} {module:36} {' '.join(tests)}")
        return
    names = list(MODULES) if args.modules == ["all"] else args.modules
    for name in names:
        if name not in MODULES:
            sys.exit(f"unknown module {name!r}; known: {', '.join(MODULES)}")
    for name in names:
        module, tests = MODULES[name]
        tree = refresh_tests(name) if args.again or args.report_only else prepare(name)
        rules = run_rules(name, tree, module, tests, args.again)
        if args.rules_only:
            functions = []
        elif args.report_only:
            functions = collect_mutmut(tree)
        else:
            functions = run_mutmut(name, tree, module, tests, args.again)
        summary = report(name, functions, rules)
        (WORK / name / "report.json").write_text(json.dumps(
            {**summary, "function_mutants": functions, "rule_mutants": [
                {k: v for k, v in asdict(m).items() if k != "source"} for m in rules]}, indent=1, ensure_ascii=False))
        for kind in ("functions", "rules"):
            s = summary[kind]
            print(f"{name:10} {kind:9} caught {s['caught']}/{s['non_equivalent']} non-equivalent "
                  f"({s['score']} %), {s['equivalent']} explained as equivalent")
            for what in s["unexplained"]:
                print(f"    survived: {what}")


if __name__ == "__main__":
    main()
