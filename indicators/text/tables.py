"""Tables out: CSV for Swedish Excel (UTF-8 with BOM, ';', decimal comma), XLSX, Parquet, JSON.

Every text cell that starts with = + - @ (or a tab/CR) is neutralised with a leading
apostrophe so a spreadsheet never runs it as a formula. Used by the CLI export and by
every download button. No UI imports.
"""
from __future__ import annotations

import io
import json
import math

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
CANONICAL_HEADER_SV = ["kommunkod", "indikator", "år", "värde", "kommentar"]
CANONICAL_HEADER_EN = ["municipality_code", "indicator", "year", "value", "comment"]


def neutralise_cell(value):
    """Prefix formula-like text with an apostrophe; numbers pass unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value.lstrip().startswith(FORMULA_PREFIXES)):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    return out


def _swedish_cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(round(value, 10)).rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",")
    return str(value)


def to_excel_csv(df: pd.DataFrame) -> bytes:
    """CSV that Swedish Excel opens correctly: UTF-8 with BOM, ';' and decimal comma."""
    safe = neutralise_frame(df)
    text = safe.map(_swedish_cell) if len(safe) else safe.astype(str)
    buf = io.StringIO()
    text.to_csv(buf, sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(df: pd.DataFrame, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_frame(df).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buf.getvalue()


def to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def json_default(value):
    """For json.dumps: numpy scalars as Python, NaN as null, dates as ISO text."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_json(obj, indent: int | None = 1) -> str:
    """JSON text with Swedish letters as they are: what `trends --json` prints and the API serves."""
    return json.dumps(obj, ensure_ascii=False, indent=indent, default=json_default)


def canonical_export_frame(current: pd.DataFrame) -> pd.DataFrame:
    """Current values in the canonical long report format, plus their source kind and source (the
    provenance badge in Swedish: "Källa: Kolada", "Källa: Kolada (länsvärde)", …)."""
    from indicators.text.provenance import source_labels
    out = pd.DataFrame({
        "kommunkod": current["kommunkod"], "indikator": current["indicator_id"],
        "år": current["year"].astype(int), "värde": current["value"].astype(float),
        "kommentar": current["comment"].fillna("") if "comment" in current else "",
        "källtyp": current["source_kind"],
        "källa": source_labels(current["source_kind"], current.get("provenance"), "sv")})
    return out.reset_index(drop=True)
