"""`thesis report`: a static HTML page of charts (index.html plus PNGs) from the warehouse."""

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
        help="Directory to write index.html and the chart PNGs into (created if missing).",
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
    """Write a static HTML report with charts: price history, spreads against the thesis
    band, long-context tiers, context ceilings, the roofline with the prices' operating
    points, and memory margins against hyperscaler capex.

    Reads the warehouse read-only. A chart with no data yet is replaced by a note saying
    why. Open OUT/index.html in a browser; the folder can be copied anywhere.
    """
    # Imported here so that `thesis --help` does not pay for matplotlib.
    from alerts.theses.load import DEFAULT_THESES_PATH
    from pipeline.report import build_report

    result = build_report(db, out, theses_path=theses or DEFAULT_THESES_PATH)
    doc = {
        "index": str(result.index),
        "db": str(result.db),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "image": str(out / s.image) if s.image else None,
                "notes": list(s.notes),
                **s.facts,
            }
            for s in result.sections
        ],
    }
    if as_json:
        emit_json(doc)
        return
    drawn = sum(1 for s in result.sections if s.image)
    typer.echo(f"report: {result.index} ({drawn} of {len(result.sections)} charts drawn)")
    for s in result.sections:
        state = s.image or "skipped"
        typer.echo(f"  {s.id:<17} {state}")
        for note in s.notes:
            typer.echo(f"    {note}")
