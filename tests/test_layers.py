"""The house shows the pipeline: no import circles, and no module imports a stage above its own.

Every module of the package is read with ``ast`` (nothing is imported or run), and every import
of a ``tracker`` module is an edge: at the top of a file, inside a function, or under
``if TYPE_CHECKING:``. Two rules hold over those edges:

* no circle: no chain of imports leads from a module back to itself. Imports under
  ``TYPE_CHECKING`` are left out of this rule only: they never run, and a type checker reads a
  circle of annotations without harm;
* nothing reaches up: a module imports only modules of its own package or of a lower layer.
  ``LAYERS`` is the pipeline of the README, bottom first: the ground floor (records, errors, the
  helpers every stage uses), the gazetteer the stages read, then read -> recognise -> resolve ->
  link, the pipelines that run those stages and frame their results, the writers (store, then
  maps and report), the public API of ``tracker/__init__.py``, and the command line on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

#: The package's sources, read as text: the test imports none of them.
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "tracker"

#: Bottom first; a module may import from its own layer's packages and from the layers below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("tracker.errors", "tracker.models", "tracker.common"),  # records, errors, data files, distance, atomic writes
    ("tracker.gazetteer",),      # places and their names: the index, the builders
    ("tracker.sources",),        # read: files, corpora, pages, feeds -> Article
    ("tracker.recognize",),      # recognise: text -> Mention, EquipmentMatch
    ("tracker.resolve",),        # resolve: Mention -> Toponym (and the geopy geocoders)
    ("tracker.link",),           # link: EquipmentMention + Toponym -> Deployment
    ("tracker.pipelines",),      # geoparse, extract, engines; frame: results -> GeoDataFrame and files
    ("tracker.store",),          # GeoPackage / PostGIS, tracks across articles, watch
    ("tracker.maps",),           # maps and the report
    ("tracker",),                # the public API (tracker/__init__.py)
    ("tracker.cli",),            # the command line
)


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of the statements under ``if TYPE_CHECKING:``."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
                (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
                or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(imported tracker module, line, under TYPE_CHECKING) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    typing_only = _type_checking_lines(tree)
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import: resolved against this module's package
                package = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            # "from tracker.x import y" imports the module tracker.x.y when there is one
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in targets:
            # "import tracker.a.b" names the deepest module the package has
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, node.lineno, node.lineno in typing_only))
    return found


def import_graph(root: Path = PACKAGE_DIR) -> dict[str, list[tuple[str, int, bool]]]:
    modules = package_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def layer_of(module: str) -> tuple[int, str]:
    """(layer index, the package that places it) of the longest matching entry of ``LAYERS``."""
    matches = [(len(package), index, package) for index, packages in enumerate(LAYERS) for package in packages
               if module == package or (package != "tracker" and module.startswith(package + "."))]
    if not matches:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS in tests/test_layers.py")
    _, index, package = max(matches)
    return index, package


def upward_imports(graph: dict[str, list[tuple[str, int, bool]]]) -> list[str]:
    problems = []
    for module, edges in graph.items():
        layer, package = layer_of(module)
        for target, line, _ in edges:
            target_layer, target_package = layer_of(target)
            if target_layer > layer:
                problems.append(f"{module} (line {line}) imports {target}, a layer above: "
                                f"{package} is below {target_package}")
    return problems


def circles(graph: dict[str, list[tuple[str, int, bool]]]) -> list[list[str]]:
    """Every strongly connected group of more than one module over the edges that run
    (Tarjan's algorithm), as the cycle's modules in name order."""
    edges = {module: sorted({target for target, _, typing_only in targets if not typing_only})
             for module, targets in graph.items()}
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges.get(module, ()):
            if target not in index:
                visit(target)
                lowest[module] = min(lowest[module], lowest[target])
            elif target in on_stack:
                lowest[module] = min(lowest[module], index[target])
        if lowest[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return groups


def test_every_module_is_in_a_layer():
    for module in package_modules():
        layer_of(module)


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports(import_graph()) == []


def test_no_import_circles():
    assert circles(import_graph()) == []


# The rules must be able to fail: a copy of the package with one import added breaks each.


def _package_with(tmp_path: Path, module: str, code: str) -> Path:
    """A copy of the package's sources with ``code`` added at the end of ``module``."""
    import shutil

    root = tmp_path / "tracker"
    shutil.copytree(PACKAGE_DIR, root, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    path = root.joinpath(*module.split(".")[1:]).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + "\n" + code + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("module, code, expected", [
    # the gazetteer asking the resolver (what issue 25 removed), inside a function
    ("tracker.gazetteer.index", "def added():\n    from tracker.resolve.resolver import Resolver", "tracker.resolve.resolver"),
    # a reader reaching into the pipelines, for an annotation only
    ("tracker.sources.web", "if TYPE_CHECKING:\n    import tracker.pipelines.extract", "tracker.pipelines.extract"),
])
def test_an_upward_import_is_caught(tmp_path, module, code, expected):
    problems = upward_imports(import_graph(_package_with(tmp_path, module, code)))
    assert len(problems) == 1 and problems[0].startswith(module) and expected in problems[0]


def test_a_circle_is_caught_and_an_annotation_only_import_is_not(tmp_path):
    # tracker.link.linker imports tracker.link.place_chooser: the chooser importing it back is a circle
    root = _package_with(tmp_path, "tracker.link.place_chooser", "def added():\n    import tracker.link.linker")
    assert ["tracker.link.linker", "tracker.link.place_chooser"] in circles(import_graph(root))
    # tracker.sources.web imports tracker.sources.fetch: an annotation of fetch's naming web is none
    typing_only = _package_with(tmp_path / "typing", "tracker.sources.fetch",
                                "if TYPE_CHECKING:\n    from tracker.sources.web import WebReader")
    assert circles(import_graph(typing_only)) == []


def test_every_package_ships_in_the_wheel():
    """pyproject.toml lists the packages by name: a new stage package left out of it would be
    missing from an installed tracker while every test of a source checkout passes."""
    tomllib = pytest.importorskip("tomllib")
    listed = set(tomllib.loads((PACKAGE_DIR.parent / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    packages = {module_name(path) for path in PACKAGE_DIR.rglob("__init__.py")}
    assert packages <= listed, f"add {sorted(packages - listed)} to [tool.setuptools] packages in pyproject.toml"
