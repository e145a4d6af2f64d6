"""The shape of the code: no import cycles, apps layered one way, modules small, imports at the top.

Plain Python over the source with `ast`: no database and no Django import of the app code, so
a cycle shows up here even when the import order of a test run happens to hide it.
Run `python tests/test_architecture.py` for the full report.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("residents", "issues", "activities", "fuhai")
# Each app may import only from the apps before it in this order; fuhai composes them all.
LAYERS = {"residents": set(), "issues": {"residents"}, "activities": {"residents", "issues"}}
MAX_LINES = 600
WARN_LINES = 400
PURE_MODULES = ("issues.wechat.parser", "issues.wechat.when")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported name, resolved to an absolute dotted name
    path: Path
    line: int
    function: str | None  # the enclosing function, None at module level
    in_ready: bool  # inside an AppConfig.ready() method

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every Python module of the four project packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def is_application(name: str) -> bool:
    parts = name.split(".")
    return "migrations" not in parts and "tests" not in parts


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def is_app_config(node: ast.ClassDef) -> bool:
    return any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in node.bases
    )


def resolve_relative(source: str, is_package: bool, level: int, module: str | None) -> str:
    base = source.split(".") if is_package else source.split(".")[:-1]
    if level > 1:
        base = base[: -(level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(source: str, path: Path) -> Iterator[Import]:
    """Each imported name of one module, outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"

    def visit(node: ast.AST, function: str | None, in_ready: bool, in_app_config: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child.test):
                for other in child.orelse:
                    yield from visit_one(other, function, in_ready, in_app_config)
                continue
            yield from visit_one(child, function, in_ready, in_app_config)

    def visit_one(node: ast.AST, function: str | None, in_ready: bool, in_app_config: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(source, alias.name, path, node.lineno, function, in_ready)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(source, is_package, node.level, node.module) if node.level else node.module or ""
            for alias in node.names:
                # `from pkg import name` imports the module pkg.name when there is one, else pkg.
                candidate = f"{base}.{alias.name}"
                target = candidate if alias.name != "*" and candidate in modules() else base
                yield Import(source, target, path, node.lineno, function, in_ready)
        elif isinstance(node, ast.ClassDef):
            yield from visit(node, function, in_ready, is_app_config(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            ready = in_ready or (function is None and in_app_config and node.name == "ready")
            yield from visit(node, node.name if function is None else f"{function}.{node.name}", ready, False)
        else:
            yield from visit(node, function, in_ready, in_app_config)

    yield from visit(tree, None, False, False)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(imp for name, path in modules().items() for imp in imports_of(name, path))


def project_module(target: str) -> str | None:
    """The project module an import runs: the longest dotted prefix that is one of ours."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules():
            return candidate
    return None


def graph() -> dict[str, dict[str, Import]]:
    """Module -> the project modules it imports. An edge goes to the imported module only, not
    to its parent packages: Python runs `pkg/__init__.py` first, but a package that re-exports
    its own submodules is not a cycle anyone can trip over."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in modules()}
    for imp in all_imports():
        target = project_module(imp.target)
        if target is not None:
            edges[imp.source].setdefault(target, imp)
    return edges


def cycles(edges: dict[str, dict[str, Import]] | None = None) -> list[list[Import]]:
    """One cycle per strongly connected component (Tarjan), each as the chain of imports."""
    edges = graph() if edges is None else edges
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strongconnect(root: str) -> None:
        # Iterative, so a deep import chain cannot hit the recursion limit.
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        components.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            strongconnect(name)
    return [shortest_cycle(component, edges) for component in components]


def shortest_cycle(component: list[str], edges: dict[str, dict[str, Import]]) -> list[Import]:
    start = component[0]
    members = set(component)
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges[node]):
            if child not in members:
                continue
            if child == start:
                chain = [node]
                while chain[-1] != start:
                    chain.append(previous[chain[-1]])
                chain.reverse()
                return [edges[a][b] for a, b in zip(chain, [*chain[1:], start], strict=True)]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def describe(cycle: list[Import]) -> str:
    chain = " -> ".join([imp.source for imp in cycle] + [cycle[0].source])
    steps = "\n".join(f"    {imp.source} -> {imp.target}  ({imp.where})" for imp in cycle)
    return f"{chain}\n{steps}"


def layering_violations(imports: tuple[Import, ...] | None = None) -> list[str]:
    found = []
    for imp in all_imports() if imports is None else imports:
        app = imp.source.split(".")[0]
        target = project_module(imp.target)
        if app in LAYERS and target is not None:
            other = target.split(".")[0]
            if other != app and other not in LAYERS[app]:
                found.append(f"{imp.source} imports {target}  ({imp.where})")
    return found


def line_counts() -> dict[str, int]:
    return {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in modules().items()
        if is_application(name)
    }


def imports_in_functions() -> list[Import]:
    """Import statements inside a function body, one per statement (not per imported name)."""
    statements = {(imp.path, imp.line): imp for imp in all_imports() if imp.function is not None}
    return list(statements.values())


def misplaced_imports() -> list[Import]:
    """Imports inside functions other than AppConfig.ready(): each one dodges a cycle or hides a
    dependency, so it belongs at the top of its module."""
    return [imp for imp in imports_in_functions() if not imp.in_ready and is_application(imp.source)]


def report() -> str:
    inside = imports_in_functions()
    outside_ready = misplaced_imports()
    long_modules = sorted(((n, c) for n, c in line_counts().items() if c > WARN_LINES), key=lambda x: -x[1])
    lines = [
        f"{len(modules())} modules, {len(all_imports())} imported names",
        f"cycles: {len(cycles())}",
        *(describe(cycle) for cycle in cycles()),
        f"layering violations: {len(layering_violations())}",
        *(f"    {v}" for v in layering_violations()),
        f"modules over {WARN_LINES} lines: {len(long_modules)}",
        *(f"    {name}: {count}" for name, count in long_modules),
        f"import statements inside functions: {len(inside)}"
        f" ({len(inside) - len(outside_ready)} in AppConfig.ready(), {len(outside_ready)} elsewhere)",
        *(f"    {imp.where} in {imp.function}(): {imp.target}" for imp in outside_ready),
    ]
    return "\n".join(lines)


# --- the checks ------------------------------------------------------------------------------


def test_it_finds_the_project_modules_and_their_imports():
    """Guards the checks below against passing on an empty walk."""
    assert {"issues.wechat.parser", "issues.models.issue", "residents.models", "fuhai.settings"} <= set(modules())
    assert any(project_module(imp.target) == "issues.models.issue" for imp in all_imports())
    print("\n" + report())


def test_it_resolves_relative_imports_and_submodules():
    assert resolve_relative("issues.views.item", False, 1, "forms") == "issues.views.forms"
    assert resolve_relative("issues.views", True, 1, "item") == "issues.views.item"
    assert resolve_relative("issues.views.item", False, 2, "models") == "issues.models"
    assert project_module("issues.models.issue.Issue") == "issues.models.issue"


def test_it_reads_imports_in_functions_and_ready_but_not_type_checking_blocks(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from django.apps import AppConfig\n"
        "if TYPE_CHECKING:\n"
        "    from issues.models.issue import Issue\n"
        "else:\n"
        "    import residents.models\n"
        "class SampleConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from issues import signals\n"
        "def helper():\n"
        "    import activities.models\n",
        encoding="utf-8",
    )
    found = {imp.target: (imp.function, imp.in_ready) for imp in imports_of("issues.sample", path)}
    assert "issues.models.issue" not in found
    assert found["residents.models"] == (None, False)
    assert found["issues.signals"] == ("ready", True)
    assert found["activities.models"] == ("helper", False)


def test_it_finds_a_cycle_and_names_each_import_of_it():
    def edge(source, target):
        return Import(source, target, ROOT / "x.py", 1, None, False)

    edges = {
        "a": {"b": edge("a", "b")},
        "b": {"c": edge("b", "c")},
        "c": {"a": edge("c", "a")},
        "d": {"a": edge("d", "a")},
    }
    (cycle,) = cycles(edges)
    assert [imp.source for imp in cycle] == ["a", "b", "c"]
    assert cycles({"a": {"b": edge("a", "b")}, "b": {}}) == []


def test_it_flags_an_import_against_the_layering():
    upward = Import("residents.views", "issues.models.issue", ROOT / "x.py", 1, None, False)
    downward = Import("issues.views.item", "residents.models", ROOT / "x.py", 1, None, False)
    assert layering_violations((upward, downward)) == ["residents.views imports issues.models.issue  (x.py:1)"]


def test_it_has_no_import_cycle_among_project_modules():
    found = cycles()
    assert not found, "import cycles:\n" + "\n".join(describe(cycle) for cycle in found)


def test_it_keeps_the_apps_layered():
    """residents <- issues <- activities <- fuhai: no app imports one after it."""
    found = layering_violations()
    assert not found, "imports against the app layering:\n" + "\n".join(found)


def test_it_keeps_every_application_module_under_600_lines():
    counts = line_counts()
    print("\n".join(f"{name}: {count} lines" for name, count in sorted(counts.items()) if count > WARN_LINES))
    too_long = {name: count for name, count in counts.items() if count > MAX_LINES}
    assert not too_long, f"modules over {MAX_LINES} lines (make them packages): {too_long}"


def test_it_keeps_the_wechat_parser_free_of_django_and_the_project():
    for name in PURE_MODULES:
        imported = {imp.target for imp in all_imports() if imp.source == name}
        assert imported, f"{name} has no imports at all: is the walk reading it?"
        # Plain Python: the standard library, and the other plain modules.
        pure = tuple(f"{module}." for module in PURE_MODULES)
        bad = sorted(t for t in imported if t.split(".")[0] in {"django", *PACKAGES} and not f"{t}.".startswith(pure))
        assert not bad, f"{name} imports {bad}"


def test_it_imports_inside_functions_only_in_app_config_ready():
    print(f"\nimport statements inside functions: {len(imports_in_functions())}")
    others = misplaced_imports()
    assert not others, "imports inside functions outside AppConfig.ready():\n" + "\n".join(
        f"{imp.where} in {imp.function}(): {imp.target}" for imp in others
    )


if __name__ == "__main__":
    print(report())
