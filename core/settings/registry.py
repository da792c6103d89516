"""Every section together: the one list of THESIS_* settings, checked all at once."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import ConfigError
from core.settings.base import PREFIX, Section
from core.settings.channels import ChannelSettings
from core.settings.fetch import FetchSettings
from core.settings.prefect import PrefectSettings
from core.settings.schedule import ScheduleSettings
from core.settings.sources import URL_PREFIX, SourceIds, SourceUrls
from core.settings.warehouse import WarehouseSettings
from core.settings.watched import WatchedSettings

SECTIONS: tuple[type[Section], ...] = (
    WarehouseSettings,
    FetchSettings,
    PrefectSettings,
    ScheduleSettings,
    ChannelSettings,
    WatchedSettings,
)


@dataclass(frozen=True, slots=True)
class Settings:
    warehouse: WarehouseSettings
    fetch: FetchSettings
    prefect: PrefectSettings
    schedule: ScheduleSettings
    channels: ChannelSettings
    watched: WatchedSettings
    source_urls: SourceUrls


def load_settings(env: Mapping[str, str] | None = None, *, source_ids: SourceIds) -> Settings:
    """Every setting, validated: what each command does before anything else.

    `source_ids` are the source registry's ids (or a function giving them), which
    THESIS_URL_<SOURCE> must name.
    Raises ConfigError (one line) for the first bad or unknown variable.
    """
    env = os.environ if env is None else env
    check_names(env)
    return Settings(
        WarehouseSettings.load(env),
        FetchSettings.load(env),
        PrefectSettings.load(env),
        ScheduleSettings.load(env),
        ChannelSettings.load(env),
        WatchedSettings.load(env),
        SourceUrls.load(source_ids, env),
    )


def known_variables() -> list[str]:
    return [name for section in SECTIONS for name in section.variables()]


def check_names(env: Mapping[str, str]) -> None:
    """A THESIS_* variable that is no setting is a typo, not something to ignore."""
    known = known_variables()
    for name in sorted(env):
        if name.startswith(PREFIX) and not name.startswith(URL_PREFIX) and name not in known:
            # Compared without the prefix, which every name shares.
            close = difflib.get_close_matches(
                name[len(PREFIX) :], [k[len(PREFIX) :] for k in known]
            )
            hint = f"did you mean {PREFIX}{close[0]}?" if close else "see docs/configuration.md"
            raise ConfigError(f"{name} is not a thesis setting: {hint}")
