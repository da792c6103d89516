"""The wheel ships every package the code imports (an installed `thesis` must run)."""

from __future__ import annotations

import tomllib

from tests.paths import ROOT


def test_every_top_level_package_is_in_the_wheel_and_type_checked() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert sorted(wheel) == sorted(packages)
    assert sorted(project["tool"]["mypy"]["packages"]) == sorted(packages)
