"""`thesis report`: one interactive, self-contained HTML page of charts from the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thesis_cli.common import DbOption, JsonOption, emit_json

OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        "-o",
        help="Directory to write index.html into (created if missing).",
        file_okay=False,
    ),
]
ThesesBandOption = Annotated[
    Path | None,
    typer.Option(
        "--theses",
        help="Theses TOML whose spread_change trigger sets the spread band "
        "(default: the shipped alerts/theses.toml).",
        dir_okay=False,
        show_default=False,
    ),
]


def report(
    out: OutOption = Path("report"),
    db: DbOption = None,
    theses: ThesesBandOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write an interactive HTML report: price history, spreads against the thesis band
    with the alerts, long-context tiers, context ceilings and the context frontier, the
    roofline with the prices' operating points, the implied margin band, throughput per
    dollar across hosts, and memory margins against hyperscaler capex.

    Reads the warehouse read-only. Every chart has hover values, zoom, a shared date
    range and a CSV download; one with no data yet says why. OUT/index.html is one file
    that works offline: open it in a browser, copy it anywhere.
    """
    # Imported here so that `thesis --help` does not pay for the charting library.
    from alerts.theses.load import DEFAULT_THESES_PATH
    from pipeline.report import build_report
    from thesis_cli.progress import progress_bar

    with progress_bar("report", "steps", quiet=as_json) as progress:
        result = build_report(db, out, theses_path=theses or DEFAULT_THESES_PATH, progress=progress)
    sections = [
        {"id": s.id, "title": s.title, "drawn": s.drawn, "notes": list(s.notes), **s.facts}
        for s in result.sections
    ]
    if as_json:
        emit_json(
            {
                "index": str(result.index),
                "db": result.db,
                "bytes": result.size_bytes,
                "sections": sections,
            }
        )
        return
    drawn = sum(1 for s in result.sections if s.drawn)
    size = result.size_bytes / 1e6
    typer.echo(
        f"report: {result.index} ({drawn} of {len(result.sections)} charts drawn, {size:.1f} MB)"
    )
    for s in result.sections:
        typer.echo(f"  {s.id:<17} {'drawn' if s.drawn else 'no chart'}")
        for note in s.notes:
            typer.echo(f"    {note}")
