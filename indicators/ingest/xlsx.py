"""Reading the first sheet of an uploaded XLSX workbook as Excel means it, within bounds.

A number cell is read as the full number it stores, never its rounded display text; only a real
percent format (an unquoted, unescaped `%` in the format section that applies, as in `0%` or
`0.0%`) multiplies by 100, because only that makes Excel show 0.455 as 45,5 %. A format that just
prints a percent sign (`0.0" %"`, `0.00\\%`) shows the stored number as it is. A formula cell
whose result was never saved (a file written by a program, not by Excel) has no value to read:
it comes back as a Formula so the caller can say "open and save the file in Excel first".

Bounds (limits.py) are checked before openpyxl unpacks anything: declared unzipped
sizes, then rows and columns while streaming in read-only mode. Never imports streamlit.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from indicators.ingest import limits

_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
_EMPTY: tuple = ()


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell without a saved result."""
    text: str


@dataclass
class Sheet:
    records: list              # one list per sheet row: str | int | float | Formula | "" cells
    error: tuple | None = None     # (code, row, detail) when the workbook cannot be read


def is_percent_format(fmt: str, value: float) -> bool:
    """True when the number format section that applies to value has a real percent sign."""
    sections = str(fmt or "").split(";")
    section = sections[0]
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    return "%" in _LITERALS.sub("", section)


def cell_value(value, number_format: str):
    """The cell as the report means it: numbers (percent applied exactly), text, ISO dates."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if is_percent_format(number_format, value):
            value = float(Decimal(repr(value)).scaleb(2))      # 0.455 -> 45.5 exactly, no 45.50000000000001
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        return value
    if hasattr(value, "year") and hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


def _has_formulas(data: bytes) -> bool:
    """Cheap pre-check (C speed, bounded by the declared sizes): does any sheet hold a formula?"""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            with z.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk or b":f>" in tail + chunk \
                            or b":f " in tail + chunk:
                        return True
                    tail = chunk[-8:]
    return False


def _formula_cells(data: bytes, n_rows: int) -> set[tuple[int, int]]:
    """(row index, column index) of every formula cell of the first sheet, 0-based."""
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = set()
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            if r >= n_rows:
                break
            for c, v in enumerate(row[:limits.MAX_COLUMNS]):
                if isinstance(v, str) and v.startswith("="):
                    found.add((r, c))
        return found
    finally:
        wb.close()


class _Bound(Exception):
    """A bound of limits.py was crossed while streaming: args[0] is (code, row, detail)."""


def read_first_sheet(data: bytes) -> Sheet:
    """Every row of the first sheet (sheet row n is records[n-1]), or the reason it cannot be read."""
    too_big = limits.xlsx_size_problem(data)
    if too_big:
        return Sheet([], (too_big[0], None, too_big[1]))
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        return Sheet([], ("wrong-file-type", None, f"XLSX: {type(exc).__name__}"))
    try:
        if not wb.worksheets:
            return Sheet([], ("empty-file", None, ""))
        records, n_rows = _read_rows(wb.worksheets[0])
    except _Bound as exc:
        return Sheet([], exc.args[0])
    except Exception as exc:  # a damaged sheet part: openpyxl raises many types
        return Sheet([], ("wrong-file-type", None, f"XLSX: {type(exc).__name__}"))
    finally:
        wb.close()
    if _has_formulas(data):
        _mark_formulas(records, _formula_cells(data, n_rows))
    return Sheet(records)


def _mark_formulas(records: list, formulas: set[tuple[int, int]]) -> None:
    """Put a Formula where a formula cell has no saved result (data_only read it as empty)."""
    for r, c in sorted(formulas):
        while len(records) <= r:
            records.append([])
        row = records[r]
        while len(row) <= c:
            row.append("")
        if row[c] == "":
            row[c] = Formula("formula")


def _read_rows(ws) -> tuple[list, int]:
    """(records up to the last non-empty row, rows iterated); raises _Bound past a limit.
    The sheet's declared dimension is ignored (reset_dimensions): a file may lie about it, and
    rows are never padded to it."""
    ws.reset_dimensions()
    records: list = []
    last_filled = n_filled = n_cells = 0
    r = -1
    for r, row in enumerate(ws.iter_rows()):
        n_cells += len(row)
        if n_cells > limits.MAX_XLSX_CELLS or r >= 1_048_576:
            raise _Bound(("too-large-file", None, f"{limits.MAX_XLSX_ROWS} rader/rows"))
        if len(row) > limits.MAX_COLUMNS:
            if any(c.value not in (None, "") for c in row[limits.MAX_COLUMNS:]):
                code = "too-many-columns" if n_filled == 0 else "too-many-fields"
                raise _Bound((code, r + 1, str(limits.MAX_COLUMNS)))
            row = row[:limits.MAX_COLUMNS]
        cells = [cell_value(c.value, getattr(c, "number_format", "")) for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            records.append(_EMPTY)
            continue
        n_filled += 1
        if n_filled > limits.MAX_XLSX_ROWS:
            raise _Bound(("too-large-file", None, f"{limits.MAX_XLSX_ROWS} rader/rows"))
        records.append(cells)
        last_filled = r + 1
    return [[] if rec is _EMPTY else rec for rec in records[:last_filled]], r + 1
