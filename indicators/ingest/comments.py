"""Reporters' comments per municipality × indicator: storing one (with the writer's rights
checked) and reading the current ones. Comments are plain text: whoever shows them must
escape HTML and markdown (st.text, st.dataframe). No UI imports; SQL lives in the store layer.
"""
from __future__ import annotations

import pandas as pd

from indicators.store import uploads
from indicators.auth.users import User, require_can_write
from indicators.catalog import Catalog, default_catalog
from indicators.errors import GNError

MAX_COMMENT_LENGTH = 2000


class CommentError(GNError):
    """A comment that cannot be stored (empty, too long, unknown indicator)."""


def add_comment(store, user: User | None, kommunkod: str, indicator_id: str, text: str,
                year: int | None = None, catalog: Catalog | None = None) -> None:
    """Store a reporter's comment (an empty text withdraws the current one)."""
    require_can_write(user, [kommunkod])
    catalog = catalog or default_catalog()
    if indicator_id not in catalog:
        raise CommentError("comment.unknown_indicator", f"Unknown indicator {indicator_id!r}.")
    text = (text or "").strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise CommentError("comment.too_long", f"A comment may have at most {MAX_COMMENT_LENGTH} characters.",
                           n=MAX_COMMENT_LENGTH)
    row = pd.DataFrame({"kommunkod": [kommunkod], "indicator_id": [indicator_id],
                        "year": pd.array([year], dtype="Int64"), "text": [text], "created_by": [user.username],
                        "upload_id": pd.array([None], dtype="Int64")})
    with store.transaction() as cur:
        uploads.insert_comments(cur, row)


def comments_for(store, kommunkod: str, indicator_id: str | None = None) -> pd.DataFrame:
    """Current comments of a municipality (indicator_id, year, text, created_by, created_at),
    newest first. Public. Show `text` as plain text only (st.text / st.dataframe)."""
    return uploads.fetch_comments(store, kommunkod, indicator_id)
