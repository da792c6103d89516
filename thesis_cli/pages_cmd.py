"""`thesis pages ...`: what the official price pages changed and what their parsers skipped.

Register in thesis_cli/main.py with:
    from thesis_cli import pages_cmd
    app.add_typer(pages_cmd.app, name="pages")
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from core.errors import ConfigError
from thesis_cli.common import DbOption, JsonOption, emit_json, new_app

if TYPE_CHECKING:
    from warehouse.tables import PageDiffRow

app = new_app(
    "The labs' official price pages: page diffs between captures and the sections the "
    "parsers skipped. See docs/sources.md."
)

SourceArgument = Annotated[
    str, typer.Argument(help="An official page source, e.g. gemini-docs.", show_default=False)
]


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--since {text!r} is not a date (YYYY-MM-DD)") from None


@app.command("diff")
def diff(
    source: SourceArgument,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Every stored diff observed on or after this day (YYYY-MM-DD). "
            "Default: the newest diff only.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What changed in a page's pricing sections between captures (a unified diff of the
    normalised text, stored when the page changed)."""
    from pipeline.pages import page_diffs

    day = parse_day(since) if since is not None else None
    diffs = page_diffs(db, source, day)
    if as_json:
        emit_json({"source": source, "since": since, "diffs": [_diff_json(d) for d in diffs]})
        return
    if not diffs:
        typer.echo(f"no page diff stored for {source}" + (f" since {since}" if since else ""))
        return
    for d in diffs:
        typer.echo(_title(d))
        typer.echo(d.diff, nl=False)


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")


def _title(d: PageDiffRow) -> str:
    return (
        f"== {d.source}: {_stamp(d.previous_observed_at)} -> {_stamp(d.observed_at)}"
        f" (+{d.lines_added} -{d.lines_removed}) =="
    )


def _diff_json(d: PageDiffRow) -> dict[str, Any]:
    return {
        "snapshot_id": d.snapshot_id,
        "observed_at": d.observed_at.astimezone(UTC).isoformat(),
        "previous_observed_at": d.previous_observed_at.astimezone(UTC).isoformat(),
        "content_sha256": d.content_sha256,
        "previous_sha256": d.previous_sha256,
        "lines_added": d.lines_added,
        "lines_removed": d.lines_removed,
        "diff": d.diff,
    }


@app.command("skipped")
def skipped(source: SourceArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """The sections the newest loaded capture of a page skipped, and why."""
    from pipeline.pages import skipped_sections

    found = skipped_sections(db, source)
    if as_json:
        emit_json(
            {
                "source": source,
                "skipped": [
                    {
                        "section": f.section,
                        "heading": f.heading,
                        "kind": f.kind,
                        "reason": f.reason,
                        "models": list(f.models),
                    }
                    for f in found
                ],
            }
        )
        return
    if not found:
        typer.echo(f"{source}: every section of the newest capture was read")
    for f in found:
        typer.echo(f"{f.section}  ({f.kind})  {f.reason}")
