"""Command line: `python -m indicators SUBCOMMAND --db PATH ...`.

Exit codes: 0 success, 2 input rejected (nothing written), 1 any other failure.
Messages go to stderr in plain language; input mistakes never print a traceback.
Subcommands are registered by the cli_* modules. No UI imports.
"""
from __future__ import annotations

import argparse
import os
import sys

from .errors import AuthError, CatalogError, GNError, PermissionDenied, StoreError, StoreLocked, ValidationError

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED = 0, 1, 2
_REJECTED = (ValidationError, PermissionDenied, AuthError)
CLI_MODULES = ("cli_data", "cli_reporting")


def build_parser() -> argparse.ArgumentParser:
    import importlib
    parser = argparse.ArgumentParser(prog="python -m indicators",
                                     description="Gröna nyckeltal: database, import, export and trends.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in CLI_MODULES:
        try:
            module = importlib.import_module(f"indicators.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"indicators.{name}":
                raise
            continue
        module.register(sub)
    return parser


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $GN_DB, else data/gronanyckeltal.duckdb)")


def missing_database(args) -> str | None:
    """Every command but `init` works on an existing database: a typo in --db must not silently
    create an empty one. Returns the message to print, or None."""
    if args.command == "init" or not hasattr(args, "db"):
        return None
    from .paths import db_path
    path = db_path(args.db)
    if path.is_file():
        return None
    source = "--db" if args.db else "$GN_DB" if os.environ.get("GN_DB") else "the default"
    return (f"error: the database {path} ({source}) does not exist. Check the path, or create it with "
            f"`python -m indicators init --db {path}`.")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = missing_database(args)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_REJECTED
    try:
        return args.func(args) or EXIT_OK
    except _REJECTED as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    except (StoreLocked, StoreError, CatalogError, GNError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_REJECTED


if __name__ == "__main__":
    sys.exit(main())
