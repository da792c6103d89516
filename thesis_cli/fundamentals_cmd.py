"""`thesis fundamentals`: load the tickers' quotes and statements from yfinance.

Register in thesis_cli/main.py with:
    from thesis_cli import fundamentals_cmd
    app.command("fundamentals")(fundamentals_cmd.fundamentals)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from core.errors import ThesisError
from extractors.fundamentals.yahoo import FetchPolicy
from thesis_cli.common import DbOption, JsonOption, emit_json

if TYPE_CHECKING:
    from pipeline.fundamentals import FundamentalsResult

app = typer.Typer(add_completion=False)

TickersOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tickers",
        help="Tickers to load (repeat the option or separate with commas). "
        "Default: the tickers of the theses file, as `thesis run` fetches.",
    ),
]
ThesesOption = Annotated[
    Path | None,
    typer.Option(
        "--theses",
        help="Theses TOML whose [[ticker]] list is the default (default: the shipped "
        "alerts/theses.toml).",
        dir_okay=False,
        show_default=False,
    ),
]


@app.command("fundamentals")
def fundamentals(
    ctx: typer.Context,
    tickers: TickersOption = None,
    theses: ThesesOption = None,
    db: DbOption = None,
    timeout_s: Annotated[
        float, typer.Option("--timeout", min=1.0, help="Seconds one attempt at a ticker may take.")
    ] = FetchPolicy.deadline_s,
    attempts: Annotated[
        int, typer.Option("--attempts", min=1, max=10, help="Attempts per ticker, with backoff.")
    ] = FetchPolicy.attempts,
    as_json: JsonOption = False,
) -> None:
    """Fetch daily quotes and quarterly/annual statements of the tickers into the warehouse.

    Each ticker is fetched on its own with a hard timeout and bounded retries, all within
    THESIS_FUNDAMENTALS_BUDGET_S as in the daily run; a failed ticker is reported with its
    reason (and recorded in the run's source_runs) while the others still load. Exit code
    0 when any ticker loaded, 1 when all failed.
    """
    # Tests hand a session answering from a local server through the context object.
    from pipeline.fundamentals import fetch_and_store

    session = ctx.obj.get("yfinance_session") if isinstance(ctx.obj, dict) else None
    policy = FetchPolicy(deadline_s=timeout_s, attempts=attempts)
    try:
        result = fetch_and_store(db, tickers, theses_path=theses, session=session, policy=policy)
    except ThesisError as err:
        typer.echo(f"thesis: {err}", err=True)
        raise typer.Exit(err.exit_code) from None
    if as_json:
        emit_json(result.to_json())
    else:
        typer.echo(render(result))
    if not result.ok:
        raise typer.Exit(1)


def render(result: FundamentalsResult) -> str:
    """One line per ticker, then a count."""
    width = max((len(o.ticker) for o in result.outcomes), default=6)
    lines = []
    for o in result.outcomes:
        if o.ok:
            detail = f"{o.quotes_added} quote(s), {o.fundamentals_added} statement value(s) added"
            if o.notes:
                detail += f" ({'; '.join(o.notes)})"
            lines.append(f"{o.ticker:<{width}}  ok      {detail}")
        else:
            lines.append(f"{o.ticker:<{width}}  failed  {o.reason}")
    lines.append(f"{len(result.ok)} ok, {len(result.failed)} failed")
    return "\n".join(lines)
