"""docs/configuration.md is what the registry generates, and the code names no setting
the registry does not know."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from core.settings import SECTIONS, env_name
from core.settings.docs import COMMAND, markdown
from core.settings.registry import known_variables
from core.settings.sources import URL_PREFIX
from tests.paths import ROOT

DOC = ROOT / "docs" / "configuration.md"
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")


def test_the_configuration_reference_is_generated_from_the_registry() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), f"regenerate it: {COMMAND}"


def test_the_module_command_prints_the_reference() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "core.settings", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == markdown()


def test_every_setting_is_documented_with_its_type_default_and_example() -> None:
    text = markdown()
    for section in SECTIONS:
        assert f"## {section.title}\n" in text
        for name, info in section.model_fields.items():
            row = next(r for r in text.splitlines() if r.startswith(f"| `{env_name(name)}` |"))
            assert info.description and info.description in row
            assert "Example: `" in row


def test_every_thesis_variable_the_code_names_is_a_registered_setting() -> None:
    """In strings (messages, help, docstrings): a stale or misspelt name fails here."""
    known = set(known_variables())
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for text in _strings(path):
                for name in re.findall(r"\bTHESIS_[A-Z0-9_]*[A-Z0-9]\b", text):
                    if not name.startswith(URL_PREFIX):
                        assert name in known, f"{path.relative_to(ROOT)} names {name}"


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


# The environment is still touched here, but for Prefect's own variables, not settings.
ENVIRONMENT_USERS = {
    "core/environ.py": "the registry's raw reading of THESIS_* text, which `thesis sql` uses "
    "without the registry (pydantic)",
    "flows/prefect_api.py": "hands the environment to Prefect's server process",
    "thesis_cli/common.py": "turns off Prefect's analytics",
    "thesis_cli/main.py": "sets Prefect's log level",
    "thesis_cli/progress.py": "reads the terminal's $COLUMNS, as every terminal program does",
}


def test_no_module_outside_the_registry_reads_the_environment() -> None:
    users = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.is_relative_to(ROOT / "core" / "settings"):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(_reads_environment(node) for node in ast.walk(tree)):
                users.add(str(path.relative_to(ROOT)))
    assert users == set(ENVIRONMENT_USERS)


def _reads_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "os" and node.attr in ("environ", "getenv", "environb")
    if isinstance(node, ast.ImportFrom) and node.module == "os":
        return any(a.name in ("environ", "getenv") for a in node.names)
    return False
