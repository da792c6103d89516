"""`python -m core.settings --markdown`: print docs/configuration.md from the registry."""

from __future__ import annotations

import sys

from core.settings.docs import COMMAND, markdown

if sys.argv[1:] != ["--markdown"]:
    sys.exit(f"usage: {COMMAND}")
sys.stdout.write(markdown())
