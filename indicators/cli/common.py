"""What every CLI subcommand shares: the exit codes and the --db argument.
Imports nothing from the product but paths; no UI imports."""
from __future__ import annotations

import argparse
import os

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED = 0, 1, 2


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $GN_DB, else data/gronanyckeltal.duckdb)")


# The commands whose job is to create the database file: `init`, `restore` (puts a backup in its
# place) and `kolada` (documented to fill a new database from Kolada). Every other command needs
# an existing file, so a typo in --db never silently starts an empty database.
CREATES_DATABASE = ("init", "restore", "kolada")


def missing_database(args) -> str | None:
    """The message to print when a command that needs an existing database names a missing file."""
    if args.command in CREATES_DATABASE or not hasattr(args, "db"):
        return None
    from indicators.paths import db_path
    path = db_path(args.db)
    if path.is_file():
        return None
    source = "--db" if args.db else "$GN_DB" if os.environ.get("GN_DB") else "the default"
    return (f"error: the database {path} ({source}) does not exist. Check the path, or create it with "
            f"`python -m indicators init --db {path}`.")
