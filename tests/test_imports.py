"""Areas talk one way: no package of app/ imports another that imports it back.

Every import of every module under app/, realtime/ and network/ is read with ast (those inside
functions too: a deferred import is still a dependency), and folded into a graph between areas:
``app.<area>`` for a package of app/, ``realtime`` and ``network``. The modules directly under app/
(extensions, validation, views, transactions, signals, utils, dates, ...) are shared ground below every
area and are left out, as is a package importing itself and what is imported under ``if TYPE_CHECKING``
(for annotations only). The test fails on any cycle and prints it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _area(module: str) -> str | None:
    """The area a module belongs to, or None for shared ground and outside packages."""
    parts = module.split(".")
    if parts[0] in ("realtime", "network"):
        return parts[0]
    if parts[0] == "app" and len(parts) > 1 and (ROOT / "app" / parts[1]).is_dir():
        return f"app.{parts[1]}"
    return None


def _runtime_nodes(tree: ast.AST):
    """Every node, except what sits under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            # "from app import permissions" imports the module app.permissions
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def area_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for folder in ("app", "realtime", "network"):
        for path in (ROOT / folder).rglob("*.py"):
            module = _module_name(path)
            source = _area(module)
            if source is None:
                continue
            graph.add_node(source)
            for imported in _imports(path, module):
                target = _area(imported)
                if target is not None and target != source:
                    graph.add_edge(source, target, example=f"{module} → {imported}")
    return graph


def test_areas_import_one_way():
    graph = area_graph()
    assert {"app.live", "app.encounters", "realtime", "network"} <= set(graph)
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            sub = graph.subgraph(component)
            cycles.append([sub.edges[e]["example"] for e in nx.find_cycle(sub)])
    assert cycles == [], "areas that import each other back:\n" + "\n".join(
        "  " + "; ".join(cycle) for cycle in cycles
    )


def test_network_is_a_pure_library():
    graph = area_graph()
    assert list(graph.successors("network")) == []


def test_long_modules_say_why():
    """A module over ~400 lines is split at its seams, or says in its docstring why it is not."""
    too_long = []
    for folder in ("app", "realtime", "network"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") > 420 and "on purpose" not in (ast.get_docstring(ast.parse(text)) or ""):
                too_long.append(str(path.relative_to(ROOT)))
    assert too_long == []
