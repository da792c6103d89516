"""The one registry of settings: every THESIS_* environment variable, with its type,
default, unit, help and an example, in one section class per area. docs/configuration.md
is generated from it (`python -m core.settings --markdown`).

Code reads a setting through its section, never from os.environ:
`FetchSettings.load().fetch_attempts`. `load_settings` checks every section at once, as
each `thesis` command does before it starts. Loading settings imports pydantic, nothing
heavier (no pandas, Prefect or Apprise).
"""

from core.settings.base import Section, env_name
from core.settings.channels import DEFAULT_PORTS, ChannelSettings
from core.settings.fetch import FetchSettings
from core.settings.prefect import PrefectSettings
from core.settings.registry import SECTIONS, Settings, check_names, load_settings
from core.settings.schedule import ScheduleSettings
from core.settings.sources import SourceUrls, source_url, url_variable
from core.settings.warehouse import WarehouseSettings
from core.settings.watched import WatchedSettings, source_token

__all__ = [
    "DEFAULT_PORTS",
    "SECTIONS",
    "ChannelSettings",
    "FetchSettings",
    "PrefectSettings",
    "ScheduleSettings",
    "Section",
    "Settings",
    "SourceUrls",
    "WarehouseSettings",
    "WatchedSettings",
    "check_names",
    "env_name",
    "load_settings",
    "source_token",
    "source_url",
    "url_variable",
]
