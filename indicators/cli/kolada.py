"""CLI subcommand `kolada`: import the mapped indicators from Kolada v3 (ingest.kolada.run_import, the
same run as the admin page's button) and print what changed. Exit codes: 0 done (or a clean dry run),
2 bad arguments (nothing written), 1 Kolada unreachable or a mapped KPI changed (nothing written).
Messages in --lang (default $GN_LANG, else en). No UI imports.
"""
from __future__ import annotations

import json
import os
import re
import sys
from datetime import date

from indicators.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_REJECTED, add_db_argument
from indicators.ingest import kolada
from indicators.ingest.kolada_client import BASE_URL_ENV, DEFAULT_BASE_URL, KoladaError
from indicators.ingest.kolada_mapping import KoladaMappingError, UnknownKpiError
from indicators.ingest.reference_files import load_reference
from indicators.store import open_store, reference
from indicators.text.i18n import t
from indicators.views import kolada as kolada_view

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def register(sub) -> None:
    p = sub.add_parser("kolada", help="import the mapped indicators from Kolada (values, population)")
    add_db_argument(p)
    p.add_argument("--base-url", help=f"Kolada v3 address (default: ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})")
    p.add_argument("--kpi", action="append", default=[], metavar="ID",
                   help="only this Kolada KPI (N00403) or indicator (GN.3); repeat for several (default: all mapped)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only values Kolada changed since this date (from_date)")
    p.add_argument("--dry-run", action="store_true", help="read and compare, write nothing")
    p.add_argument("--lang", choices=("sv", "en"), default=os.environ.get("GN_LANG", "en"),
                   help="language of the messages (default: $GN_LANG, else en)")
    p.add_argument("--json", action="store_true", help="also print the summary as JSON on stdout")
    p.set_defaults(func=cmd_kolada)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def parse_since(text: str | None) -> date | None:
    if text is None:
        return None
    if not _DATE.match(text.strip()):
        raise ValueError(text)
    return date.fromisoformat(text.strip())


def cmd_kolada(args) -> int:
    try:
        since = parse_since(args.since)
    except ValueError:
        _err(t("kolada.bad_since", args.lang, value=args.since))
        return EXIT_REJECTED
    store = open_store(args.db)
    if reference.fetch_municipalities(store).empty:      # a new database: the municipality list first
        load_reference(store)
    try:
        result = kolada.run_import(store, base_url=args.base_url, kpis=args.kpi or None, since=since,
                                   dry_run=args.dry_run)
    except UnknownKpiError as exc:
        _err(t(exc.key, args.lang, **exc.params))
        return EXIT_REJECTED
    except KoladaMappingError as exc:
        for line in kolada_view.mapping_problem_lines(exc, args.lang):
            _err(line)
        return EXIT_FAILURE
    except KoladaError as exc:
        _err(t(exc.key, args.lang, **exc.params))
        return EXIT_FAILURE
    for line in kolada_view.summary_lines(result, args.lang):
        _err(line)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=1))
    return EXIT_OK


def result_json(result: kolada.KoladaResult) -> dict:
    return {"base_url": result.base_url, "since": result.since, "dry_run": result.dry_run, "kpis": result.kpis,
            "upload_id": result.upload_id, "counts": result.counts, "population": result.population,
            "requests": result.requests, "retries": result.retries, "seconds": round(result.seconds, 3),
            "skipped_reported": [{"indicator": r.indicator_id, "kommunkod": r.kommunkod, "year": int(r.year),
                                  "reported": float(r.cur_value), "kolada": float(r.value)}
                                 for r in result.skipped.itertuples()]}
