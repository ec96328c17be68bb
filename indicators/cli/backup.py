"""CLI subcommands `backup --out FILE` (a consistent copy while the dashboard runs) and
`restore FILE [--force]` (put one back; never over an existing database without --force).
Exit codes: 0 done, 2 refused (nothing written), 1 other failures. No UI imports.
"""
from __future__ import annotations

import os
import sys

from indicators.cli.common import EXIT_OK, EXIT_REJECTED, add_db_argument
from indicators.paths import db_path
from indicators.store.backup import BackupError, backup_database, restore_database
from indicators.text.i18n import t


def register(sub) -> None:
    p = sub.add_parser("backup", help="write a consistent copy of the database (works while the dashboard runs)")
    add_db_argument(p)
    p.add_argument("--out", required=True, help="the backup file to write (must not exist)")
    _lang(p)
    p.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="put a backup back as the database (stop the dashboard first)")
    add_db_argument(r)
    r.add_argument("file", help="a backup written by `backup`")
    r.add_argument("--force", action="store_true", help="overwrite an existing database")
    _lang(r)
    r.set_defaults(func=cmd_restore)


def _lang(p) -> None:
    p.add_argument("--lang", choices=("sv", "en"), default=os.environ.get("GN_LANG", "en"),
                   help="language of the messages (default: $GN_LANG, else en)")


def cmd_backup(args) -> int:
    try:
        counts = backup_database(db_path(args.db), args.out)
    except BackupError as exc:
        print(t(exc.key, args.lang, **exc.params), file=sys.stderr)
        return EXIT_REJECTED
    print(t("backup.done", args.lang, path=args.out, tables=len(counts), rows=sum(counts.values())), file=sys.stderr)
    return EXIT_OK


def cmd_restore(args) -> int:
    target = db_path(args.db)
    try:
        counts = restore_database(args.file, target, force=args.force)
    except BackupError as exc:
        print(t(exc.key, args.lang, **{"detail": "", **exc.params}), file=sys.stderr)
        return EXIT_REJECTED
    print(t("restore.done", args.lang, path=target, source=args.file, tables=len(counts),
            rows=sum(counts.values())), file=sys.stderr)
    return EXIT_OK
