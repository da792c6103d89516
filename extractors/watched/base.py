"""What a watched-model source is: one GET per watched model, each its own payload.

The registry (extractors/registry.py) lists these beside the price sources. Each model's
answer is fetched, spooled, archived and loaded on its own, so one model that is gated,
renamed or rate-limited is one recorded failure and the other models still load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from core.errors import ConfigError
from core.rows import Observed

if TYPE_CHECKING:  # requests costs ~0.35 s to import: only a fetch needs it
    import requests

    from extractors.http import FetchResult

MODEL_MARK = "{model}"


@dataclass(frozen=True)
class WatchedSource:
    """A source with one URL per model.

    `url_template` holds `{model}` where the model id goes; `parse(payload, model)` is
    pure. `token_variable` names the optional credential (sent as a bearer token, never
    logged or stored). `host_keys`, when set, names the hosts a payload offers, for the
    shrink check: a model whose host list falls under half of its last good snapshot's
    is a failure, and its last good rows stand, until an answer confirms those hosts gone.
    `models_in`, when set, names the models a saved payload answers for, so
    `thesis import-snapshots` can load saved files.
    """

    id: str
    description: str
    url_template: str
    parse: Callable[[bytes, str], Observed]
    default_models: tuple[str, ...]
    token_variable: str
    host_keys: Callable[[Observed], frozenset[str]] | None = None
    # The models a saved payload answers for (`thesis import-snapshots`); None: its
    # payloads do not name their model, so saved files cannot be imported.
    models_in: Callable[[bytes], tuple[str, ...]] | None = None
    accept: str = "application/json"

    def url(self, model: str, template: str | None = None) -> str:
        template = template or self.url_template
        if MODEL_MARK not in template:
            raise ConfigError(
                f"{self.id}: URL {template!r} has no {MODEL_MARK} to put the model id in"
            )
        return template.replace(MODEL_MARK, quote(model, safe="/:"))

    def stream(self, model: str) -> str:
        """The name of one model's series in run records and alerts: `source:model`."""
        return f"{self.id}:{model}"

    def fetch(
        self,
        model: str,
        *,
        token: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        url_template: str | None = None,
        session: requests.Session | None = None,
        **kwargs: Any,
    ) -> FetchResult:
        from extractors.http import fetch_url

        headers = {"Authorization": f"Bearer {token}"} if token else None
        return fetch_url(
            self.stream(model),
            self.url(model, url_template),
            session=session,
            etag=etag,
            last_modified=last_modified,
            accept=self.accept,
            headers=headers,
            **kwargs,
        )
