"""CLI subcommands for the database itself: init, export, trends. No UI imports."""
from __future__ import annotations

import sys
from pathlib import Path

from indicators.catalog import default_catalog
from indicators.cli.common import add_db_argument
from indicators.publish.dataset import values_frame
from indicators.store import observations, open_store
from indicators.text.tables import to_excel_csv, to_json, to_parquet


def register(sub) -> None:
    p = sub.add_parser("init", help="create the schema, load reference data (and demo data with --demo)")
    add_db_argument(p)
    p.add_argument("--demo", action="store_true", help="also load the demo data (labelled as demo)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("export", help="write the current values in long format")
    add_db_argument(p)
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("trends", help="print verdicts, directions, targets and ranks")
    add_db_argument(p)
    p.add_argument("--kommun", help="only this municipality code")
    p.add_argument("--indicator", help="only this indicator id")
    p.add_argument("--json", action="store_true", help="JSON output (the default and only format)")
    p.set_defaults(func=cmd_trends)


def cmd_init(args) -> int:
    from indicators.ingest.demo import load_demo
    from indicators.ingest.reference_files import load_reference
    store = open_store(args.db)
    counts = load_reference(store)
    msg = f"Database {store.path}: {counts['municipalities']} municipalities, {counts['indicators']} indicators"
    if counts["members_seeded"]:
        msg += f", {counts['members_seeded']} members seeded"
    if args.demo:
        if observations.count_current_by_kind(store).get("demo", 0):
            msg += "; demo data already present"
        else:
            msg += f"; {load_demo(store)} demo values loaded"
    print(msg, file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    store = open_store(args.db, read_only=True)      # reads never take the write lock
    frame = values_frame(store, default_catalog())      # the same table as /api/v1/values.csv
    data = to_parquet(frame) if args.format == "parquet" else to_excel_csv(frame)
    Path(args.out).write_bytes(data)
    print(f"Wrote {len(frame)} current values to {args.out}", file=sys.stderr)
    return 0


def cmd_trends(args) -> int:
    from indicators.views.snapshot import trend_records
    store = open_store(args.db, read_only=True)      # reads never take the write lock
    table = trend_records(store, kommun=args.kommun, indicator=args.indicator)
    print(to_json(table))
    return 0
