"""CLI subcommands for reporting: `import FILE [--dry-run] [--as USER]` and
`users add|disable|enable|reset|list`.

`import` uses exactly the page's path (reporting.prepare_upload / commit_upload), prints
the same report to stderr and exits 2 with nothing written when the file is rejected.
It acts as admin unless --as names an account. Passwords never come from argv: they
are read from a prompt, from stdin (--password-stdin) or from $GN_PASSWORD. No UI imports.
"""
from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from indicators.auth import users
from indicators.catalog import default_catalog
from indicators.ingest import reporting
from indicators.views.uploads import problem_line, report_lines
from indicators.errors import AuthError, ValidationError
from indicators.text.i18n import t
from indicators.store import open_store
from indicators.cli.common import add_db_argument


def register(sub) -> None:
    p = sub.add_parser("import", help="check a report file (CSV or XLSX) and save its values as revisions")
    add_db_argument(p)
    p.add_argument("file", help="the report file (canonical header kommunkod;indikator;år;värde;kommentar)")
    p.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
    p.add_argument("--indicator", choices=default_catalog().ids, metavar="ID",
                   help="the file is the incumbent's table view of this one indicator (Mätområde, Datum, Värde)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="act as this account (default: admin)")
    p.add_argument("--source-kind", choices=reporting.SOURCE_KINDS, default="reported",
                   help="what kind of values these are (default: reported)")
    p.add_argument("--flag-comment", metavar="TEXT",
                   help="comment stored with every flagged value that has none in the file")
    p.add_argument("--lang", choices=("sv", "en"), default=os.environ.get("GN_LANG", "en"),
                   help="language of the report (default: $GN_LANG, else en)")
    p.add_argument("--json", action="store_true", help="also print the report as JSON on stdout")
    p.set_defaults(func=cmd_import)

    users_parser = sub.add_parser("users", help="manage accounts (personal; reporters are bound to municipalities)")
    usub = users_parser.add_subparsers(dest="users_command", required=True)
    a = usub.add_parser("add", help="create an account; the password is prompted for (or --password-stdin)")
    a.add_argument("name")
    a.add_argument("--role", choices=users.ROLES, default="reporter")
    a.add_argument("--kommun", action="append", default=[], metavar="CODE",
                   help="a municipality the reporter reports for (repeat for several)")
    a.add_argument("--email", help="e-mail address, used to match single sign-on identities")
    a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    a.set_defaults(func=cmd_users_add)
    for name, helptext in (("disable", "stop an account from logging in"), ("enable", "allow it again")):
        d = usub.add_parser(name, help=helptext)
        d.add_argument("name")
        d.set_defaults(func=cmd_users_disable, disabled=(name == "disable"))
    r = usub.add_parser("reset", help="set a new password (also lifts a login lock)")
    r.add_argument("name")
    r.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    r.set_defaults(func=cmd_users_reset)
    ls = usub.add_parser("list", help="list the accounts (never the password hashes)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_users_list)
    for sp in (a, r, ls, *[usub.choices[n] for n in ("disable", "enable")]):
        add_db_argument(sp)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _acting_user(store, name: str | None) -> users.User:
    if not name:
        return users.system_admin()
    user = users.get_user(store, name.strip().lower())
    if user is None:
        raise AuthError("auth.no_such_account", f"There is no enabled account {name!r} (see `users list`).")
    return user


def cmd_import(args) -> int:
    path = Path(args.file)
    data = path.read_bytes()
    store = open_store(args.db)
    user = _acting_user(store, args.as_user)
    report = reporting.prepare_upload(store, data, path.name, user, indicator=args.indicator)
    for line in report_lines(report, args.lang):
        _err(line)
    if not report.ok:
        _print_json(args, report, None)
        raise ValidationError(report, f"{path.name} rejected: {len(report.problems)} problem(s); nothing was written")
    if args.dry_run:
        _err(t("report.cli_dry_run", args.lang))
        _print_json(args, report, None)
        return 0
    comments = None
    if args.flag_comment:
        flagged = report.rows[(report.rows["flags"] != "") & (report.rows["comment"] == "")]
        comments = {k: args.flag_comment for k in zip(flagged["kommunkod"], flagged["indicator_id"], flagged["year"])}
    try:
        result = reporting.commit_upload(store, report, user, comments, args.source_kind)
    except ValidationError as exc:
        for p in exc.report.problems:
            _err(problem_line(p, args.lang))
        _print_json(args, report, None)
        raise ValidationError(report, f"{exc} (add comments in the file or use --flag-comment)") from None
    _err(t("report.cli_committed", args.lang, id=result.upload_id, new=result.n_new,
                     changed=result.n_changed, unchanged=result.n_unchanged))
    _print_json(args, report, result)
    return 0


def _print_json(args, report, result) -> None:
    if not args.json:
        return
    def items(problems):
        return [{"row": p.row, "column": p.column, "code": p.code, "value": p.value,
                 "message": p.message(args.lang)} for p in problems]
    out = {"file": report.filename, "sha256": report.sha256, "ok": report.ok, "problems": items(report.problems),
           "warnings": items(report.warnings),
           "counts": reporting.counts(report.rows) if report.ok and "status" in report.rows else None,
           "upload_id": result.upload_id if result else None}
    print(json.dumps(out, ensure_ascii=False, indent=1))


def _read_password(args) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get("GN_PASSWORD"):
        return os.environ["GN_PASSWORD"]
    if not sys.stdin.isatty():
        raise AuthError("auth.no_password", "No password given: use --password-stdin or set GN_PASSWORD.")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AuthError("auth.password_mismatch", "The two passwords differ; nothing was changed.")
    return first


def cmd_users_add(args) -> int:
    store = open_store(args.db)
    password = _read_password(args)
    user = users.add_account(store, users.system_admin(), args.name, password, args.role, args.kommun, args.email)
    where = f" for {', '.join(user.municipalities)}" if user.municipalities else ""
    _err(f"Account {user.username} ({user.role}{where}) created.")
    return 0


def cmd_users_disable(args) -> int:
    store = open_store(args.db)
    users.set_disabled(store, users.system_admin(), args.name, args.disabled)
    _err(f"Account {args.name} {'disabled' if args.disabled else 'enabled'}.")
    return 0


def cmd_users_reset(args) -> int:
    store = open_store(args.db)
    users.reset_password(store, users.system_admin(), args.name, _read_password(args))
    _err(f"New password set for {args.name}; any login lock is lifted.")
    return 0


def cmd_users_list(args) -> int:
    store = open_store(args.db)
    frame = users.list_accounts(store, users.system_admin())
    rows = [{"username": r.username, "role": r.role, "municipalities": list(r.municipalities),
             "email": r.email if isinstance(r.email, str) else None, "disabled": bool(r.disabled),
             "failed_logins": int(r.failed_logins)} for r in frame.itertuples()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        state = "disabled" if r["disabled"] else "active"
        print(f"{r['username']:<24} {r['role']:<9} {','.join(r['municipalities']) or '-':<20} {state:<9} "
              f"{r['email'] or ''}")
    return 0
