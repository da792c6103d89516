"""Published architecture configs of open-weight models: Hugging Face `config.json`,
`GET https://huggingface.co/{org}/{name}/resolve/main/config.json`.

A config says nothing of the repo it came from, so the model key travels with the
payload: the repo id the fetch asked for (or, for a saved file, what `key_for_file`
reads from its name). The normalising rules are in extractors/watched/architecture.py.
Gated repos answer 401/403 without a token, renamed ones 404: both are fetch failures
of that one model, recorded and alerted once; the others load.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.errors import BadPayload
from core.rows import Observed
from extractors.feeds.common import load_json
from extractors.watched.architecture import normalise
from extractors.watched.base import WatchedSource
from extractors.watched.watchlist import MODEL_CONFIG_DEFAULTS

SOURCE_ID = "model-configs"
URL_TEMPLATE = "https://huggingface.co/{model}/resolve/main/config.json"
REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def parse(payload: bytes, model: str) -> Observed:
    """The architecture one config states (pure)."""
    if not model:
        raise BadPayload(SOURCE_ID, "a config needs the model it belongs to")
    row = normalise(SOURCE_ID, model, load_json(SOURCE_ID, payload))
    return Observed(architectures=[row], unmapped_fields=set(row.unmapped_fields))


def key_for_file(path: Path) -> str:
    """The repo id a saved config's name carries, `[prefix_]<org>__<name>.json` ->
    `org/name` (how configs are commonly vendored); any other name: the file's stem."""
    stem = path.name.removesuffix(".gz").removesuffix(".json")
    parts = stem.split("__")
    if len(parts) != 2:
        return stem
    candidate = f"{parts[0].rsplit('_', 1)[-1]}/{parts[1]}"
    return candidate if REPO_ID.match(candidate) else stem


SOURCE = WatchedSource(
    id=SOURCE_ID,
    description="Hugging Face config.json of each watched open-weight model: its architecture",
    url_template=URL_TEMPLATE,
    parse=parse,
    default_models=MODEL_CONFIG_DEFAULTS,
    token_variable="HF_TOKEN",
)
