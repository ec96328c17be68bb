"""Reading the numbers of one report file, with the file's decimal mark settled once per file.

Swedish offices write `45,5` and `1 234,5`; English tools write `45.5` and `1,234.5`. Most values
say by themselves which mark is the decimal one: a single mark followed by one, two, or four or
more digits (`45,5`, `0,25`, `3.14159`), a value with both marks (the last is the decimal one),
a mark repeated as thousands groups (`1.234.567`), or a leading zero (`0,300`). Only a value like
`1,300` or `1.300` (one mark, one to three digits before it, exactly three after) depends on the
convention. The file settles it when its unambiguous values use one decimal mark only; then such a
value is read by that mark. When the file does not settle it (no evidence, or both marks used as
decimals), the value is not guessed: the caller reports it as `ambiguous-decimal`.

Pure pandas; no database, no streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COMMA, POINT, BOTH, UNSETTLED = ",", ".", "both", ""
SANE_BOUND = 1e12          # beyond this no indicator value is meaningful: an error, not a flag

_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"
_AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"
_COMMA_GROUPS = r"[+-]?\d{1,3}(,\d{3}){2,}(\.\d*)?"      # 1,234,567 or 1,234,567.5: comma is thousands
_POINT_GROUPS = r"[+-]?\d{1,3}(\.\d{3}){2,}(,\d*)?"      # 1.234.567 or 1.234.567,5: point is thousands


@dataclass
class Numbers:
    """The numbers of one file's value column and how they were read."""
    values: pd.Series            # float64; NaN where not a number or ambiguous
    ambiguous: pd.Series         # bool: depends on the decimal mark, which the file does not settle
    mark: str                    # COMMA, POINT, BOTH or UNSETTLED
    example: str = ""            # a value of the file that settled the mark


def clean_number_text(text: pd.Series) -> pd.Series:
    """Drop thousands spaces (space, NBSP, thin space, narrow NBSP) and a trailing %, and turn
    a Unicode minus into '-'."""
    s = text.fillna("").astype("string").str.replace(r"[\s\u00a0\u2009\u202f%]", "", regex=True)
    return s.str.replace("\u2212", "-", regex=False)


def _evidence(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(says comma is the decimal mark, says point is the decimal mark) per value."""
    commas, dots = s.str.count(","), s.str.count(r"\.")
    first_comma, first_dot = s.str.find(","), s.str.find(".")
    last_comma, last_dot = s.str.rfind(","), s.str.rfind(".")
    ambiguous = s.str.fullmatch(_AMBIGUOUS).fillna(False)
    numeric_single = s.str.fullmatch(r"[+-]?\d*[.,]\d+").fillna(False)
    comma = ((commas == 1) & (dots == 0) & numeric_single & ~ambiguous) \
        | ((commas == 1) & (dots >= 1) & (last_dot < first_comma)) \
        | s.str.fullmatch(_POINT_GROUPS).fillna(False)
    point = ((dots == 1) & (commas == 0) & numeric_single & ~ambiguous) \
        | ((dots == 1) & (commas >= 1) & (last_comma < first_dot)) \
        | s.str.fullmatch(_COMMA_GROUPS).fillna(False)
    return comma.fillna(False).astype(bool), point.fillna(False).astype(bool)


def settle_mark(s: pd.Series) -> tuple[str, str]:
    """The file's decimal mark from its unambiguous values, and one value that shows it."""
    comma, point = _evidence(s)
    if comma.any() and point.any():
        return BOTH, f"{s[comma].iloc[0]} / {s[point].iloc[0]}"
    if comma.any():
        return COMMA, str(s[comma].iloc[0])
    if point.any():
        return POINT, str(s[point].iloc[0])
    return UNSETTLED, ""


def _as_point_decimal(s: pd.Series, mark: str) -> pd.Series:
    """Rewrite each value with '.' as its only decimal mark and no thousands marks: by the
    value's own evidence, and by the file's mark for an ambiguous one. A value with neither
    (`1,234,5`) is left as it is and fails the number pattern."""
    comma_ev, point_ev = _evidence(s)
    ambiguous = s.str.fullmatch(_AMBIGUOUS).fillna(False).astype(bool)
    comma_decimal = comma_ev | (ambiguous & (mark == COMMA))
    point_decimal = (point_ev | (ambiguous & (mark == POINT))) & ~comma_decimal
    out = s.mask(comma_decimal, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return out.mask(point_decimal, s.str.replace(",", "", regex=False))


def read_numbers(text: pd.Series, exact: pd.Series | None = None) -> Numbers:
    """Read a column of number texts. `exact` marks cells that already hold a number written with
    a point by the program (XLSX number cells): they are read as they are and never vote."""
    s = clean_number_text(text)
    exact = pd.Series(False, index=s.index) if exact is None else exact.fillna(False).astype(bool)
    mark, example = settle_mark(s[~exact])
    ambiguous = s.str.fullmatch(_AMBIGUOUS).fillna(False).astype(bool) & ~exact
    unresolved = ambiguous & (mark not in (COMMA, POINT))
    plain = _as_point_decimal(s, mark).where(~exact, s)
    ok = plain.str.fullmatch(_NUMBER).fillna(False).astype(bool) & ~unresolved
    values = pd.to_numeric(plain.where(ok), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values))
    return Numbers(values, unresolved, mark, example)


def readings(text: str) -> tuple[str, float]:
    """The two readings of an ambiguous value: ('1300', 1.3) for '1,300' or '1.300'."""
    s = clean_number_text(pd.Series([text])).iloc[0]
    return s.replace(",", "").replace(".", ""), float(s.replace(",", "."))


def parse_numbers(text: pd.Series) -> pd.Series:
    """Numbers of a column read with the column's own settled mark; NaN where not a number,
    ambiguous or not finite."""
    return read_numbers(text).values
