"""The import graph of `app/`, read from the source (function-level imports included): no
module may reach itself through imports, and the functional core reads no database and
serves no web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

APP = PROJECT_ROOT / "app"
CORE = ("app.ingest", "app.extract", "app.analysis", "app.export", "app.corrections")
# Pure modules beside the core packages: rules and vocabularies with no database, the reader
# of JSON from outside, and what a job's worker process runs (it has no database).
PURE = ("app.anchoring", "app.annotation_rules", "app.verdicts", "app.vocab", "app.words",
        "app.json_input", "app.jobs.work", "app.jobs.worker")  # fmt: skip
NOT_IN_CORE = ("sqlalchemy", "sqlmodel", "fastapi", "starlette", "app.services", "app.routes",
               "app.db", "app.models")  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


FILES = {module_name(p): p for p in APP.rglob("*.py")}


def parse(path: Path) -> ast.Module:
    """The file's syntax tree. CPython 3.11 counts the depth of AST construction per
    interpreter, not per thread (python/cpython#106905): a thread of another test compiling at
    the same moment (a template, a live server) can make one parse fail with a SystemError
    that says nothing about the file. Parsed again, it reads."""
    source = path.read_text(encoding="utf-8")
    try:
        return ast.parse(source)
    except SystemError:
        return ast.parse(source)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every module this file imports, at any depth of the file (inside functions too).
    `from app.services import lookups` imports the module app.services.lookups when that is
    one of `modules`, and the package itself only for names that are not modules of it.
    (The app uses no relative imports.)"""
    found: set[str] = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: a relative import"
            base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return found


def graph() -> dict[str, set[str]]:
    modules = set(FILES)
    return {name: (imports_of(path, modules) & modules) - {name} for name, path in FILES.items()}


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_module_of_app_imports_itself_back() -> None:
    found = cycle_in(graph())
    assert found is None, " → ".join(found or [])


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    # The check is only worth having if it sees what the layout is meant to prevent.
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None
    hidden = tmp_path / "x.py"
    hidden.write_text("def f():\n    from app.services import lookups\n")
    assert "app.services.lookups" in imports_of(hidden, {"app.services.lookups"})


@pytest.mark.parametrize("name", sorted(n for n in FILES if n.startswith(CORE) or n in PURE))
def test_the_core_reads_no_database_and_serves_no_web(name: str) -> None:
    wrong = {m for m in imports_of(FILES[name], set()) if m.startswith(NOT_IN_CORE)}
    assert not wrong, f"{name} imports {sorted(wrong)}"
