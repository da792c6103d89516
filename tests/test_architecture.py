"""No package imports upwards: the layering, read from the code itself.

The allowed import graph, lowest layer first (docs/development.md explains each package):

    core                          errors, settings, the canonical row types
    extractors  model  reconcile  fetch and parse / roofline arithmetic / model identity
    warehouse                     store and read (DuckDB)
    alerts                        trigger evaluation, rendering, delivery
    reporting                     the report's charts and page
    pipeline                      one module per use case, composing everything below
    flows                         the Prefect flow: composes pipeline's steps into tasks
    thesis_cli                    the command line (`thesis run` and `thesis serve` start
                                  the flow, so it sits above flows)

A module may import its own package and any package of a lower layer, never one of its
own layer (extractors and model know nothing of each other) or above. Imports inside
functions count as much as those at the top of a module. benchmarks/ and scripts/ are
entry points outside the layering: they may import anything, nothing imports them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from tests.paths import ROOT

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),
    frozenset({"extractors", "model", "reconcile"}),
    frozenset({"warehouse"}),
    frozenset({"alerts"}),
    frozenset({"reporting"}),
    frozenset({"pipeline"}),
    frozenset({"flows"}),
    frozenset({"thesis_cli"}),
)
ENTRY_POINTS = frozenset({"benchmarks", "scripts"})
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the tree, nested ones included,
    and of `importlib.import_module("...")` with a literal name. Relative imports stay
    inside their package, so they never cross a layer."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and (name := _import_module_target(node)):
            yield node.lineno, name


def _import_module_target(call: ast.Call) -> str | None:
    func = call.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if called not in ("import_module", "__import__") or not call.args:
        return None
    arg = call.args[0]
    return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None


def packages(root: Path) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/__init__.py") if p.parent.name != "tests")


def violations(root: Path) -> list[str]:
    """Every import that goes up or sideways, as `file:line: a -> b (why)`."""
    found = []
    known = set(RANK) | ENTRY_POINTS
    for path in sorted(p for top in sorted(known) for p in (root / top).rglob("*.py")):
        importer = path.relative_to(root).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported_modules(tree):
            imported = module.split(".")[0]
            if imported == importer or imported not in known:
                continue  # its own package, the standard library or a dependency
            where = f"{path.relative_to(root)}:{line}: {importer} -> {imported}"
            if imported in ENTRY_POINTS:
                found.append(f"{where} (entry points are not libraries)")
            elif importer in ENTRY_POINTS:
                continue
            elif RANK[imported] == RANK[importer]:
                found.append(f"{where} (same layer)")
            elif RANK[imported] > RANK[importer]:
                found.append(f"{where} (upwards)")
    return found


def test_every_package_has_a_layer() -> None:
    unplaced = [p for p in packages(ROOT) if p not in RANK]
    assert unplaced == [], f"add {unplaced} to LAYERS in {Path(__file__).name}"


def test_no_package_imports_upwards_or_sideways() -> None:
    assert violations(ROOT) == []


def test_the_check_sees_upward_sideways_and_lazy_imports(tmp_path: Path) -> None:
    """A planted project whose every import breaks the layering is caught line by line."""
    files = {
        "warehouse/load.py": "def f():\n    from alerts.records import Alert\n",
        "extractors/base.py": "import model.roofline.kv\n",
        "core/rows.py": "import importlib\nimportlib.import_module('pipeline.daily')\n",
        "alerts/ok.py": "from warehouse import db\nimport duckdb\nfrom . import sibling\n",
        "flows/bench.py": "from benchmarks import daily_run\n",
        "scripts/demo.py": "from thesis_cli.main import app\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert violations(tmp_path) == [
        "core/rows.py:2: core -> pipeline (upwards)",
        "extractors/base.py:1: extractors -> model (same layer)",
        "flows/bench.py:1: flows -> benchmarks (entry points are not libraries)",
        "warehouse/load.py:2: warehouse -> alerts (upwards)",
    ]


DOC = ROOT / "docs" / "development.md"


def test_the_development_guide_lists_every_layer_in_order() -> None:
    rows = re.findall(r"^\| `(\w+)` \|", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert sorted(rows) == sorted(RANK)
    assert [RANK[p] for p in rows] == sorted(RANK[p] for p in rows)


def test_the_development_guides_code_is_the_real_code() -> None:
    """Each block marked `<!-- from PATH -->` is quoted verbatim from that file."""
    quoted = re.findall(
        r"^<!-- from (\S+) -->\n```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S
    )
    assert len(quoted) == 5
    for path, code in quoted:
        assert code in (ROOT / path).read_text(encoding="utf-8"), f"{path} no longer holds it"
