"""Command line: `python -m indicators SUBCOMMAND --db PATH ...`.

Exit codes: 0 success, 2 input rejected (nothing written), 1 any other failure.
Messages go to stderr in plain language; input mistakes never print a traceback.
The subcommands live in the modules beside this one, each with a register(); this module
lists them explicitly. The top layer of indicators/: it may import any layer below; no UI imports.
"""
from __future__ import annotations

import argparse
import sys

from indicators.cli import backup, data, kolada, report, reporting
from indicators.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_REJECTED, missing_database
from indicators.errors import (AuthError, CatalogError, GNError, InputError, PermissionDenied, StoreError,
                               StoreLocked, ValidationError)

_REJECTED = (ValidationError, PermissionDenied, AuthError, InputError)
SUBCOMMAND_MODULES = (data, reporting, report, kolada, backup)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators",
                                     description="Gröna nyckeltal: database, import, export and trends.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in SUBCOMMAND_MODULES:
        module.register(sub)
    return parser


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
