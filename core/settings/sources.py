"""THESIS_URL_<SOURCE>: fetch a source from a mirror instead of its own URL."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import ClassVar

from core.errors import ConfigError
from core.settings.base import PREFIX

URL_PREFIX = PREFIX + "URL_"
URL_EXAMPLE = "http://127.0.0.1:8000/litellm.json"
# The source registry's ids, or a function giving them (see SourceUrls.load).
SourceIds = Collection[str] | Callable[[], Collection[str]]


def url_variable(source_id: str) -> str:
    """THESIS_URL_<ID>: the source id in capitals, dashes as underscores."""
    return URL_PREFIX + source_id.upper().replace("-", "_")


@dataclass(frozen=True, slots=True)
class SourceUrls:
    """`THESIS_URL_<SOURCE>` fetches a source from a mirror instead of its own URL (tests
    and machines without internet use it). A name that matches no source id is an error
    that lists the ids."""

    title: ClassVar[str] = "Source mirrors"
    variable: ClassVar[str] = URL_PREFIX + "<SOURCE>"
    help: ClassVar[str] = (
        "An http(s) URL to fetch the source from; `<SOURCE>` is the source id in capitals, "
        "dashes as underscores (`thesis sources` lists the ids): `THESIS_URL_LITELLM`, "
        "`THESIS_URL_GEMINI_DOCS`."
    )

    urls: Mapping[str, str]  # source id -> URL

    @classmethod
    def load(cls, source_ids: SourceIds, env: Mapping[str, str] | None = None) -> SourceUrls:
        """Every THESIS_URL_* variable, each naming a known source and an http(s) URL.

        `source_ids` may be a function giving them, called only when such a variable is
        set: the source registry imports every parser (BeautifulSoup: ~0.3 s)."""
        env = os.environ if env is None else env
        names = sorted(n for n in env if n.startswith(URL_PREFIX) and env[n].strip())
        if not names:
            return cls({})
        if callable(source_ids):
            source_ids = source_ids()
        known = {url_variable(s): s for s in source_ids}
        urls: dict[str, str] = {}
        for name in names:
            if name not in known:
                raise ConfigError(
                    f"{name} names no source; the sources are {', '.join(source_ids)} "
                    f"(e.g. {url_variable(next(iter(source_ids), 'litellm'))}={URL_EXAMPLE})"
                )
            urls[known[name]] = checked_url(name, env[name])
        return cls(urls)


def source_url(source_id: str, default: str, env: Mapping[str, str] | None = None) -> str:
    """The URL to fetch a source from: its THESIS_URL_<ID>, else `default` (its own)."""
    env = os.environ if env is None else env
    name = url_variable(source_id)
    raw = env.get(name, "")
    return checked_url(name, raw) if raw.strip() else default


def checked_url(name: str, raw: str) -> str:
    url = raw.strip()
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{name}={url!r} is not an http:// or https:// URL; e.g. {name}={URL_EXAMPLE}"
        )
    return url
