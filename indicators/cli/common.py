"""What every CLI subcommand shares: the exit codes and the --db argument.
Imports nothing from the product but paths; no UI imports."""
from __future__ import annotations

import argparse
import os

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED = 0, 1, 2


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $GN_DB, else data/gronanyckeltal.duckdb)")


def missing_database(args) -> str | None:
    """Every command but `init` works on an existing database: a typo in --db must not silently
    create an empty one. Returns the message to print, or None."""
    if args.command == "init" or not hasattr(args, "db"):
        return None
    from indicators.paths import db_path
    path = db_path(args.db)
    if path.is_file():
        return None
    source = "--db" if args.db else "$GN_DB" if os.environ.get("GN_DB") else "the default"
    return (f"error: the database {path} ({source}) does not exist. Check the path, or create it with "
            f"`python -m indicators init --db {path}`.")
