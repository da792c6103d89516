"""The `thesis` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar

import typer

from core.errors import ConfigError, WarehouseError
from thesis_cli.common import DbOption, JsonOption, emit_json, new_app
from thesis_cli.lazy import LazyCommand, LazyGroup


class RootGroup(LazyGroup):
    """The commands that live beside their area's code, in the order `--help` lists them;
    each module is imported only when its command runs."""

    lazy: ClassVar[dict[str, LazyCommand]] = {
        "infer": LazyCommand(
            "thesis_cli.infer_cmd",
            "infer",
            "Invert today's prices through the roofline model and explain each model's numbers.",
        ),
        "backtest": LazyCommand(
            "thesis_cli.alerts_cmd",
            "backtest",
            "Replay dated snapshots through import, trigger evaluation and the roofline "
            "inversion; print every alert that would have fired, with what the inversion of "
            "that day's prices says about it.",
        ),
        "fundamentals": LazyCommand(
            "thesis_cli.fundamentals_cmd",
            "fundamentals",
            "Fetch daily quotes and quarterly/annual statements of the tickers into the warehouse.",
        ),
        "models": LazyCommand(
            "thesis_cli.models_cmd",
            "models",
            "List canonical models with their aliases per source, and when each was seen.",
        ),
        "report": LazyCommand(
            "thesis_cli.report_cmd",
            "report",
            "Write an interactive HTML report: price history, spreads against the thesis band "
            "with the alerts, long-context tiers, context ceilings and the context frontier, "
            "the roofline with the prices' operating points, the implied margin band, "
            "throughput per dollar across hosts, and memory margins against hyperscaler capex.",
        ),
        "serve": LazyCommand(
            "thesis_cli.serve_cmd",
            "serve",
            "Serve the daily flow on a schedule: a deployment `thesis-daily/daily` on the "
            "Prefect server in PREFECT_API_URL, running each scheduled run until stopped "
            "(Ctrl-C pauses the schedule).",
        ),
        "roofline": LazyCommand(
            "thesis_cli.roofline_cmd",
            "app",
            "The roofline model of LLM inference: KV, balance points, decode and prefill.",
        ),
        "alerts": LazyCommand(
            "thesis_cli.alerts_cmd", "app", "Alert channels and the theses checklist."
        ),
        "pages": LazyCommand(
            "thesis_cli.pages_cmd",
            "app",
            "The labs' official price pages: page diffs between captures and the sections the "
            "parsers skipped.",
        ),
    }


app = new_app(
    "Monitor the AI-inference-economics thesis: price sheets and fundamentals into "
    "DuckDB, a roofline reading of the prices, and alerts when the checklist fires.",
    cls=RootGroup,
)

SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="Only this source (repeatable). Default: all."),
]


@app.command()
def run(
    db: DbOption = None,
    source: SourceOption = None,
    as_json: JsonOption = False,
    theses: Annotated[
        Path | None,
        typer.Option(
            "--theses",
            help="Theses TOML (default: the shipped alerts/theses.toml).",
            dir_okay=False,
        ),
    ] = None,
    no_fundamentals: Annotated[
        bool, typer.Option("--no-fundamentals", help="Skip the yfinance fundamentals step.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show Prefect's own INFO logs.")
    ] = False,
) -> None:
    """Run the daily job once: prices and fundamentals, inference, triggers, alerts.

    Runs the Prefect flow in a temporary local Prefect server when no PREFECT_API_URL is
    set. Exit code 0 when every step succeeded, 1 when anything failed (the rest still
    ran; the failures are recorded and alerted).
    """
    import os

    from core.settings import PrefectSettings

    cfg = PrefectSettings.load()  # all settings were checked as the command started
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    from flows.configured import configured_daily_flow
    from flows.daily import summary_of
    from flows.prefect_api import ensure_api

    # The configured flow: the task runner of THESIS_TASK_RUNNER, and a failure alert.
    daily_flow = configured_daily_flow()
    ensure_api(cfg.prefect_startup_timeout_s)
    from thesis_cli.output import print_run_summary

    state = daily_flow(
        db_path=str(db) if db else None,
        sources=source or None,
        theses_path=str(theses) if theses else None,
        fundamentals=not no_fundamentals,
        return_state=True,
    )
    summary = summary_of(state)
    if as_json:
        emit_json(summary)
    else:
        print_run_summary(summary)
    stopped = summary.get("stopped") or {}
    if stopped.get("kind") == "interrupted":
        raise KeyboardInterrupt  # after the summary: the CLI's one line and exit 130
    if stopped:
        raise WarehouseError(stopped["reason"])  # the one line on stderr, exit 1
    if summary["status"] != "ok":
        raise typer.Exit(1)


@app.command("import-snapshots")
def import_snapshots(
    directory: Annotated[
        Path, typer.Argument(help="Folder of payload files named by ISO date or timestamp.")
    ],
    source: Annotated[str, typer.Option("--source", "-s", help="Source id of the files.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a directory of dated payloads (gzipped or not) as history, oldest first.

    Files already loaded add nothing, so the command can be re-run safely.
    """
    from pipeline.history import import_history
    from thesis_cli.output import print_import
    from thesis_cli.progress import progress_bar

    with progress_bar(f"import {source}", "files", quiet=as_json) as progress:
        doc = import_history(db, source, directory, progress=progress)
    if as_json:
        emit_json(doc)
    else:
        print_import(doc)


@app.command()
def reprocess(
    source: SourceOption = None, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Rebuild observations from the archived raw payloads with the current parsers."""
    from pipeline.reprocess import reprocess as rebuild
    from thesis_cli.progress import progress_bar

    with progress_bar("reprocess", "snapshots", quiet=as_json) as progress:
        doc = rebuild(db, source, progress=progress)
    if as_json:
        emit_json(doc)
        return
    for sid, counts in doc.items():
        typer.echo(
            f"{sid}: {counts['snapshots']} snapshots, {counts['loaded']} loaded, "
            f"{counts['failed']} failed, {counts['rows']} observation rows"
        )


@app.command()
def sql(
    query: Annotated[
        str | None,
        typer.Argument(help="SQL to run (read-only). Default: --file, else standard input."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the SQL from this file.", dir_okay=False)
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: table, csv or json.")
    ] = "table",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a read-only SQL query against the warehouse and print the answer.

    The query is the argument, else the --file, else standard input (`... | thesis sql`).
    `--json` is `--format json`: {"columns": [...], "rows": [{column: value}, ...]}.
    """
    from thesis_cli.sql_cmd import sql_answer

    typer.echo(sql_answer(query, file, "json" if as_json else fmt, db))


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="Source id, e.g. litellm or gemini-docs.")],
    file: Annotated[
        Path, typer.Option("--file", "-f", help="A saved payload (page, JSON; .gz ok).")
    ],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="model-configs only: the repo the config belongs to (ORG/NAME); default: "
            "read from a file named <org>__<name>.json.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Parse a saved payload with the current parser and print the canonical rows.

    Touches no warehouse: use it to check a parser against a page saved from a browser.
    """
    from extractors.registry import WATCHED, get_source
    from thesis_cli.output import parsed_doc, print_parsed
    from warehouse.archive import gunzip_if_needed

    if not file.is_file():
        raise ConfigError(f"no such file: {file}")
    payload = gunzip_if_needed(file.read_bytes())
    if source in WATCHED:
        _extract_watched(source, payload, file, model, as_json)
        return
    src = get_source(source)
    parsed = src.parse(payload)
    if as_json:
        emit_json(parsed_doc(src.id, parsed))
    else:
        print_parsed(src.id, parsed)


def _extract_watched(
    source: str, payload: bytes, file: Path, model: str | None, as_json: bool
) -> None:
    from extractors.watched import model_configs
    from extractors.watched.openrouter_endpoints import parse as parse_endpoints
    from thesis_cli.watched_output import observed_doc, print_observed

    if source == model_configs.SOURCE_ID:
        observed = model_configs.parse(payload, model or model_configs.key_for_file(file))
    else:
        observed = parse_endpoints(payload, model)
    if as_json:
        emit_json(observed_doc(source, observed))
    else:
        print_observed(source, observed)


@app.command()
def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the price sources and, when a warehouse exists, each one's last outcome, its
    last success and how long ago that was, and its last failure."""
    from pipeline.daily import source_status
    from thesis_cli.output import print_sources

    doc = source_status(db)
    if as_json:
        emit_json(doc)
    else:
        print_sources(doc)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
