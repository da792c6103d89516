"""`thesis pages diff|skipped`: what the labs' official price pages changed between
captures, and the sections their parsers skipped (stored by warehouse/page_records.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.errors import ConfigError
from core.rows import SectionFailure
from extractors.registry import SOURCES, get_source
from warehouse.db import connection
from warehouse.page_records import latest_skipped, stored_diffs
from warehouse.tables import PageDiffRow


def official_page(source_id: str) -> str:
    """The id of an official page source, or a ConfigError naming the choices."""
    pages = [s for s, src in SOURCES.items() if src.page_text is not None]
    get_source(source_id)  # unknown: names every source
    if source_id not in pages:
        raise ConfigError(f"{source_id} is not an official page; choose one of: {', '.join(pages)}")
    return source_id


def page_diffs(db: Path | str | None, source_id: str, since: date | None) -> list[PageDiffRow]:
    """The stored diffs of a page observed on or after `since`; the newest one without."""
    source = official_page(source_id)
    with connection(db, read_only=True) as con:
        return stored_diffs(con, source, since)


def skipped_sections(db: Path | str | None, source_id: str) -> list[SectionFailure]:
    """The sections the newest loaded capture of a page skipped, and why."""
    source = official_page(source_id)
    with connection(db, read_only=True) as con:
        return latest_skipped(con, source)
