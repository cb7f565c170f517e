"""The import graph of `bot/`, read from the source (no import is run): features never import the transport, the
transport never imports the handlers, and no two modules import each other, directly or in a ring.

Features: every package that serves counsellors and what they stand on (`bot.handlers`, `bot.directory`, …).
Transport: `bot.mattermost`. Any import counts for the first two rules, even inside a function or for types only.
Loops: none at module level anywhere; and none at all, counting imports inside functions, outside the assembly
(`bot.features`, `bot.app`, the command line and the console, which sit on top and may import everything; nothing
below imports them).
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"
TRANSPORT = "bot.mattermost"
HANDLERS = "bot.handlers"
FEATURES = ("bot.accompagnements", "bot.annonces", "bot.ateliers", "bot.directory", "bot.entraide", "bot.handlers",
            "bot.search", "bot.digest", "bot.outbox", "bot.core", "bot.db")


def _module(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ASSEMBLY = ("bot.features", "bot.app", "bot.models", "bot.cli", "bot.cli_core", "bot.console", "bot.mattermost.serve",
            "bot.__main__")


def _assembly(module: str) -> bool:
    return any(_within(module, a) for a in ASSEMBLY) or module.endswith(".cli")


def _imports(path: Path) -> tuple[set[str], set[str], set[str]]:
    """(every module imported anywhere, at run time anywhere, at module level at run time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    anywhere: set[str] = set()
    runtime: set[str] = set()
    top: set[str] = set()
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]

    def names(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = node.module or ""
        if node.level:
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
        return [base] + [f"{base}.{a.name}" for a in node.names]

    def visit(body: list[ast.stmt], at_top: bool, typing_only: bool) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found = [n for n in names(node) if n.startswith("bot")]
                anywhere.update(found)
                if not typing_only:
                    runtime.update(found)
                    if at_top:
                        top.update(found)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.body, False, True)
                visit(node.orelse, at_top, typing_only)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(node.body, False, typing_only)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, at_top, typing_only)
            else:
                for field in ("body", "orelse", "finalbody"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        visit([n for n in inner if isinstance(n, ast.stmt)], at_top, typing_only)
                for handler in getattr(node, "handlers", None) or []:
                    visit(handler.body, at_top, typing_only)

    visit(tree.body, True, False)
    return anywhere, runtime, top


Graph = dict[str, set[str]]


def _graph() -> tuple[Graph, Graph, Graph]:
    """(imports anywhere, run-time imports anywhere, module-level run-time imports), between modules of bot/."""
    modules = {_module(p): p for p in BOT.rglob("*.py") if "migrations" not in p.parts}
    graphs: tuple[Graph, Graph, Graph] = ({}, {}, {})
    for name, path in modules.items():
        for graph, targets in zip(graphs, _imports(path), strict=True):
            graph[name] = {t for t in targets if t in modules and t != name}
    return graphs


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_no_feature_imports_the_transport() -> None:
    anywhere, _, _ = _graph()
    bad = sorted(f"{m} imports {t}" for m, targets in anywhere.items() for t in targets
                 if any(_within(m, f) for f in FEATURES) and _within(t, TRANSPORT))
    assert not bad, "\n".join(bad)


def test_the_transport_never_imports_handlers() -> None:
    anywhere, _, _ = _graph()
    bad = sorted(f"{m} imports {t}" for m, targets in anywhere.items() for t in targets
                 if _within(m, TRANSPORT) and _within(t, HANDLERS))
    assert not bad, "\n".join(bad)


def _loops(graph: Graph) -> list[list[str]]:
    # A package's __init__ importing its own submodules is how Python packages work, not a loop between features.
    edges = {m: {t for t in ts if not _within(t, m)} for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)
    return loops


def test_no_import_loop_at_module_level() -> None:
    _, _, top = _graph()
    loops = _loops(top)
    assert not loops, "import loops:\n" + "\n".join(" <-> ".join(c) for c in loops)


def test_no_import_loop_even_through_imports_inside_functions_below_the_assembly() -> None:
    _, runtime, _ = _graph()
    upward = sorted(f"{m} imports {t}" for m, ts in runtime.items() for t in ts if _assembly(t) and not _assembly(m))
    assert not upward, "only the assembly may import the assembly:\n" + "\n".join(upward)
    below = {m: {t for t in ts if not _assembly(t)} for m, ts in runtime.items() if not _assembly(m)}
    loops = _loops(below)
    assert not loops, "import loops:\n" + "\n".join(" <-> ".join(c) for c in loops)


def test_the_graph_is_read() -> None:
    """The rules above would pass on an empty graph: make sure known edges are seen."""
    anywhere, _, top = _graph()
    assert "bot.core.registry" in top["bot.handlers.annuaire"]
    assert "bot.app" in anywhere["bot.mattermost.cli"]
