"""How a THESIS_* variable is read from the environment, without pydantic.

The settings registry (core/settings/) validates these; this module only names them and
reads their raw text, so the hot path of `thesis sql` can find THESIS_DB, and know that no
other setting is set, without importing the registry (pydantic costs ~0.3 s of CPU).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

PREFIX = "THESIS_"


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def raw_setting(
    field: str, environ: Mapping[str, str] | None = None, *, secret: bool = False
) -> str | None:
    """The text of THESIS_<FIELD> in `environ` (default: the process environment); blank
    means unset, and only a secret keeps its spaces."""
    raw = (os.environ if environ is None else environ).get(env_name(field))
    if raw is None or not raw.strip():
        return None
    return raw if secret else raw.strip()


def settings_named(environ: Mapping[str, str] | None = None) -> set[str]:
    """Every THESIS_* name in `environ` (default: the process environment), set or blank
    (an unknown one is a typo to report)."""
    return {
        name for name in (os.environ if environ is None else environ) if name.startswith(PREFIX)
    }
