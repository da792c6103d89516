"""What a source is: the registry entry every module exports as `SOURCE`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.rows import Parsed

if TYPE_CHECKING:  # requests costs ~0.35 s to import: only a fetch needs it
    import requests

    from extractors.http import FetchResult


@dataclass(frozen=True)
class Source:
    """A price source.

    `split(payload)` validates the envelope and returns the payload's entries by the
    source's own key (one model, or one page section); `parse_entry(key, entry)` turns
    one entry into rows. Both are pure. `parse` is their composition. The split lets an
    import of many snapshots re-parse only the entries that changed.
    """

    id: str
    url: str
    official: bool
    description: str
    split: Callable[[bytes], Mapping[str, object]]
    parse_entry: Callable[[str, object], Parsed]
    accept: str = "*/*"
    # Pages that carry a price's provider/page for alerts to link to.
    page_url: str = ""
    # How many models a split payload holds (the broken-layout check compares it with
    # the last good snapshot): an entry is one model, except on sectioned pages.
    count_models: Callable[[Mapping[str, object]], int] = len
    # An official page's pricing text, normalised for page diffs (None: not a page).
    page_text: Callable[[bytes], str] | None = None

    def parse(self, payload: bytes, fetched_at: datetime | None = None) -> Parsed:
        return parse_entries(self, self.split(payload))

    def fetch(
        self,
        session: requests.Session | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        url: str | None = None,
        **kwargs: object,
    ) -> FetchResult:
        from extractors.http import fetch_url

        return fetch_url(
            self.id,
            url or self.url,
            session=session,
            etag=etag,
            last_modified=last_modified,
            accept=self.accept,
            **kwargs,  # type: ignore[arg-type]
        )


def parse_entries(source: Source, entries: Mapping[str, object]) -> Parsed:
    out = Parsed()
    for key, entry in entries.items():
        out.extend(source.parse_entry(key, entry))
    return out
