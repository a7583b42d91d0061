"""The app map holds: demo data stays in apps.demo, core depends on no other app, and no two
apps depend on each other (directly or round a longer loop).

Read from the source with `ast`, so every import counts: module-level ones and those inside
functions alike, and dotted paths given as text (`import_string("apps.demo.…")`).
"""

import ast
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APPS = PROJECT_ROOT / "apps"


def app_of(path: Path) -> str:
    return path.relative_to(APPS).parts[0]


def imported_apps(path: Path, *, strings: bool = False) -> dict[str, list[int]]:
    """{app: [line, …]} of the `apps.<app>` modules this file imports (relative imports stay
    inside their own app). With `strings`, text constants naming `apps.<app>.…` count too."""
    found: dict[str, list[int]] = defaultdict(list)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "apps":  # from apps import demo
                modules = [f"apps.{alias.name}" for alias in node.names]
        elif strings and isinstance(node, ast.Constant) and is_dotted_path(node.value):
            modules = [node.value]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "apps" and len(parts) > 1:
                found[parts[1]].append(node.lineno)
    return found


def is_dotted_path(value) -> bool:
    return isinstance(value, str) and value.startswith("apps.") and " " not in value


def python_files():
    return sorted(p for p in APPS.rglob("*.py") if len(p.relative_to(APPS).parts) > 1)


def app_graph() -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: ["apps/x/file.py:12", …]}} for imports between different apps."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in python_files():
        app = app_of(path)
        for other, lines in imported_apps(path).items():
            if other != app:
                where = path.relative_to(PROJECT_ROOT)
                graph[app][other] += [f"{where}:{line}" for line in lines]
    return graph


def find_cycle(graph) -> list[str] | None:
    """One cycle of apps as a path [a, b, …, a], or None (depth-first search)."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(app):
        state[app] = "open"
        stack.append(app)
        for other in sorted(graph.get(app, {})):
            if state.get(other) == "open":
                return [*stack[stack.index(other) :], other]
            if other not in state:
                cycle = visit(other)
                if cycle:
                    return cycle
        stack.pop()
        state[app] = "done"
        return None

    for app in sorted(graph):
        if app not in state:
            cycle = visit(app)
            if cycle:
                return cycle
    return None


def test_the_walk_sees_every_app_and_their_imports():
    """Guards the tests below against passing because they read nothing."""
    graph = app_graph()
    assert {"core", "organisation", "trainees", "imports", "demo"} <= {
        app_of(p) for p in python_files()
    }
    assert "core" in graph["organisation"]
    assert {"trainees", "organisation", "strategy", "kpis"} <= set(graph["demo"])


def test_no_production_app_imports_the_demo_app():
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}"
        for path in python_files()
        if app_of(path) != "demo"
        for line in imported_apps(path, strings=True).get("demo", [])
    ]
    assert offenders == [], "Only apps/demo may use apps.demo: " + ", ".join(offenders)


def test_core_imports_no_other_app():
    imports = app_graph().get("core", {})
    assert dict(imports) == {}, f"apps/core imports other apps: {dict(imports)}"


def test_no_import_cycle_between_apps():
    graph = app_graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = [
            f"{a} → {b} ({', '.join(graph[a][b][:3])})"
            for a, b in zip(cycle, cycle[1:], strict=False)
        ]
        raise AssertionError("Import cycle between apps: " + "; ".join(steps))


def test_the_cycle_finder_finds_a_loop():
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": []}, "b": {"c": []}, "c": {}}) is None


def documented_order() -> list[str]:
    """The apps in the order of AGENTS.md's app map (first column of its table)."""
    text = (PROJECT_ROOT / "AGENTS.md").read_text(encoding="utf-8")
    section = text.split("## App map", 1)[1].split("\n## ", 1)[0]
    return [
        line.split("|")[1].strip().strip("`")
        for line in section.splitlines()
        if line.startswith("| `")
    ]


def test_every_app_is_in_the_documented_map_and_imports_only_apps_above_it():
    order = documented_order()
    assert sorted(order) == sorted({app_of(p) for p in python_files()})
    upward = [
        f"{app} → {other} ({places[0]})"
        for app, imports in app_graph().items()
        for other, places in imports.items()
        if order.index(other) > order.index(app)
    ]
    assert upward == [], "Imports of apps below in AGENTS.md's app map: " + "; ".join(upward)


TEST_ONLY_MODULES = {"tests", "factory", "pytest", "pytest_django", "hypothesis", "playwright"}


def test_benchmarks_need_only_the_apps_dependencies():
    """`benchmarks/` runs after the quick start, which installs no test extras."""
    scripts = sorted((PROJECT_ROOT / "benchmarks").glob("*.py"))
    assert scripts
    offenders = []
    for path in scripts:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            offenders += [
                f"{path.name}:{node.lineno} {module}"
                for module in modules
                if module.split(".")[0] in TEST_ONLY_MODULES
            ]
    assert offenders == [], "Benchmarks import test-only code: " + ", ".join(offenders)
