"""`thesis fundamentals`: load the tickers' quotes and statements from yfinance.

Register in thesis_cli/main.py with:
    app.command("fundamentals")(fundamentals_cmd.fundamentals)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from core.errors import ThesisError
from extractors.fundamentals import (
    DEFAULT_TICKERS,
    FundamentalsResult,
    load_fundamentals,
    normalize_tickers,
)
from extractors.yfinance_fetch import FetchPolicy
from warehouse.db import connect

app = typer.Typer(add_completion=False)


@app.command("fundamentals")
def fundamentals(
    ctx: typer.Context,
    tickers: Annotated[
        list[str] | None,
        typer.Option(
            "--tickers",
            help="Tickers to load (repeat the option or separate with commas). "
            f"Default: {','.join(DEFAULT_TICKERS)}.",
        ),
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Warehouse file (default: $THESIS_DB).")
    ] = None,
    timeout_s: Annotated[
        float, typer.Option("--timeout", min=1.0, help="Seconds one attempt at a ticker may take.")
    ] = FetchPolicy.deadline_s,
    attempts: Annotated[
        int, typer.Option("--attempts", min=1, max=10, help="Attempts per ticker, with backoff.")
    ] = FetchPolicy.attempts,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Fetch daily quotes and quarterly/annual statements of the tickers into the warehouse.

    Each ticker is fetched on its own with a hard timeout and bounded retries; a failed
    ticker is reported with its reason and the others still load. Exits 1 only when
    every ticker failed.
    """
    try:
        wanted = normalize_tickers(tickers or DEFAULT_TICKERS)
        con = connect(db)
    except ThesisError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    # Tests hand a session answering from a local server through the context object.
    session = (ctx.obj or {}).get("yfinance_session") if isinstance(ctx.obj, dict) else None
    try:
        result = load_fundamentals(
            con,
            wanted,
            session=session,
            policy=FetchPolicy(deadline_s=timeout_s, attempts=attempts),
        )
    finally:
        con.close()
    typer.echo(json.dumps(result.to_json(), indent=2) if as_json else render(result))
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
