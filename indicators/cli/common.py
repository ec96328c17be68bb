"""What every CLI subcommand shares: the exit codes and the --db argument.
Imports nothing from the product but paths; no UI imports."""
from __future__ import annotations

import argparse

EXIT_OK, EXIT_FAILURE, EXIT_REJECTED = 0, 1, 2


def add_db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database file (default: $GN_DB, else data/gronanyckeltal.duckdb)")
