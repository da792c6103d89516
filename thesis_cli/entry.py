"""The `thesis` console script: `thesis sql` runs without typer when it can (see
thesis_cli/sql_cmd.py); every other command, and every unusual `sql`, goes to the one
typer app in thesis_cli/main.py."""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["sql"]:
        from thesis_cli.sql_cmd import fast_sql

        code = fast_sql(args[1:])
        if code is not None:
            sys.exit(code)
    from thesis_cli.main import main as typer_main

    typer_main()


if __name__ == "__main__":
    main()
