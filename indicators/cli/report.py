"""CLI: `report --kommun CODE --format pdf|docx --lang sv|en --out FILE` (or `--all-members --out DIR`),
the politician's municipality report, made by the same code as the Kommun page's download buttons
(indicators.publish.report). Reads the store; never writes it. No UI imports.
"""
from __future__ import annotations

import sys
from pathlib import Path

from indicators.cli.common import add_db_argument
from indicators.errors import InputError
from indicators.publish.charts_png import ChartRenderer
from indicators.publish.report import FORMATS, file_name, report_file, write_reports
from indicators.store import open_store, reference
from indicators.views.snapshot import load_comments, load_snapshot


def register(sub) -> None:
    p = sub.add_parser("report", help="the municipality report for politicians, as PDF or Word")
    add_db_argument(p)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--kommun", metavar="CODE", help="the municipality (four-digit code)")
    who.add_argument("--all-members", action="store_true", help="one file per current SEKOM member (--out is a folder)")
    p.add_argument("--format", choices=FORMATS, default="pdf")
    p.add_argument("--lang", choices=("sv", "en"), default="sv")
    p.add_argument("--out", required=True, help="the file (or, with --all-members, the folder) to write")
    p.add_argument("--no-charts", action="store_true", help="tables instead of charts (no Chromium needed)")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    store = open_store(args.db)
    snap = load_snapshot(store)
    chromium = "none" if args.no_charts else None
    if args.all_members:
        members = reference.fetch_members(store, None)
        with ChartRenderer(chromium) as renderer:
            paths = write_reports(snap, members, args.format, args.lang, Path(args.out),
                                  lambda kod: load_comments(store, kod), renderer)
        print(f"Wrote {len(paths)} reports to {args.out}", file=sys.stderr)
        return 0
    kod = args.kommun.strip().zfill(4)
    if kod not in set(snap.municipalities["kommunkod"]):
        raise InputError("report.unknown_kommun", f"{args.kommun!r} is not a municipality code (four digits, e.g. 1490).")
    out = Path(args.out)
    if out.is_dir():
        out = out / file_name(snap, kod, args.format, args.lang)
    out.write_bytes(report_file(snap, kod, args.format, args.lang, load_comments(store, kod), chromium=chromium))
    print(f"Wrote {out}", file=sys.stderr)
    return 0

