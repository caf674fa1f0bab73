"""The package's import structure: no cycles, and no ``crawler`` import hidden inside a function.

An import inside a function can hide a cycle that a module-level import would make obvious, so each
one left must be in ``FUNCTION_LEVEL_ALLOWED`` with the reason it stays there.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "crawler"

# (module, imported module) -> why the import stays inside a function.
FUNCTION_LEVEL_ALLOWED: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> list[str]:
    """The ``crawler`` modules an import statement loads (``from crawler import x`` is module x)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name == "crawler" or a.name.startswith("crawler.")]
    base = node.module or ""
    if node.level:  # relative import: resolve against the importing package
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    if base != "crawler" and not base.startswith("crawler."):
        return []
    found = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        found.append(sub if sub in MODULES else base)
    return found


def _imports(module: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported at module level, [(line, module) imported inside a function or class])."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top: set[str] = set()
    nested: list[tuple[int, str]] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in dict.fromkeys(_targets(child, module)):
                    if inside:
                        nested.append((child.lineno, target))
                    else:
                        top.add(target)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                continue  # typing-only imports load nothing at run time
            else:
                visit(child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return top - {module}, nested


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _graph(with_allowed: bool = False) -> dict[str, set[str]]:
    """module -> the crawler modules loading it loads (the allowed function-level ones too when
    ``with_allowed``: an import moved into a function must not be hiding a cycle either)."""
    graph = {}
    for module in MODULES:
        top, nested = _imports(module)
        targets = set(top)
        if with_allowed:
            targets |= {t for _, t in nested if (module, t) in FUNCTION_LEVEL_ALLOWED}
        # Importing crawler.a.b runs crawler/a/__init__.py first: count the parent packages too.
        expanded = set()
        for target in targets:
            expanded.add(target)
            parent = target.rpartition(".")[0]
            while parent and not module.startswith(parent + ".") and parent != module:
                expanded.add(parent)
                parent = parent.rpartition(".")[0]
        graph[module] = {t for t in expanded if t in MODULES and t != module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None when it is acyclic."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_module_level_imports_have_no_cycle() -> None:
    cycle = find_cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_allowed_function_level_imports_hide_no_cycle() -> None:
    cycle = find_cycle(_graph(with_allowed=True))
    assert cycle is None, "import cycle through a function-level import: " + " -> ".join(cycle or [])


def test_errors_module_imports_nothing_from_the_package() -> None:
    assert _imports("crawler.errors") == (set(), [])


def test_no_function_level_crawler_import_outside_the_allow_list() -> None:
    found = {(module, target): line for module in MODULES for line, target in _imports(module)[1]}
    hidden = sorted(f"{MODULES[m].relative_to(PACKAGE.parent)}:{line} imports {t}"
                    for (m, t), line in found.items() if (m, t) not in FUNCTION_LEVEL_ALLOWED)  # fmt: skip
    assert not hidden, "imports of crawler modules inside functions (move them up):\n" + "\n".join(hidden)
    stale = sorted(f"{m} -> {t}" for m, t in FUNCTION_LEVEL_ALLOWED if (m, t) not in found)
    assert not stale, "allow-list entries with no such import any more:\n" + "\n".join(stale)
