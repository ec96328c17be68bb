"""SQL for accounts: create, read (with or without the password hash) and update the
password, the disabled flag (login throttling: logins.py). No UI imports; nothing above the store layer.
"""
from __future__ import annotations

import pandas as pd

from indicators.store.connection import Store


ACCOUNT_COLUMNS = ("username, role, municipalities, email, disabled, failed_logins, locked_until, created_at, "
                   "must_change_password")


def insert_account(cur, username: str, password_hash: str, role: str, municipalities: list[str],
                   email: str | None) -> None:
    cur.execute("INSERT INTO account (username, password_hash, role, municipalities, email) VALUES (?, ?, ?, ?, ?)",
                [username, password_hash, role, list(municipalities), email])


def fetch_account(cur, username: str) -> dict | None:
    """One account including its password hash (for login); takes a cursor or transaction."""
    rows = cur.execute(f"SELECT {ACCOUNT_COLUMNS}, password_hash FROM account WHERE username = ?",
                       [username]).df()
    return rows.iloc[0].to_dict() if len(rows) else None


def fetch_accounts_by_email(store: Store, email: str) -> list[str]:
    with store.cursor() as cur:
        return [r[0] for r in cur.execute("SELECT username FROM account WHERE lower(email) = lower(?) ORDER BY 1",
                                          [email]).fetchall()]


def fetch_accounts(store: Store) -> pd.DataFrame:
    """Every account without its password hash."""
    with store.cursor() as cur:
        return cur.execute(f"SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY username").df()


def update_account_password(cur, username: str, password_hash: str) -> None:
    cur.execute("UPDATE account SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                [password_hash, username])


def update_account_disabled(cur, username: str, disabled: bool) -> None:
    cur.execute("UPDATE account SET disabled = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                [bool(disabled), username])
