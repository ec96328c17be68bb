"""History from the incumbent: its table view of ONE indicator per file, with the columns Mätområde (a
municipality's name, or "Sveriges Ekokommuner" / "Riket"), Datum (a year or a date) and Värde (the unit
in the header, e.g. "Värde (kg/person)"), read into the same raw cells as a report file so the same
checks, preview and commit apply (`python -m indicators import FILE --indicator GN.6a`, and the upload
page's format choice).

Owns: finding the three columns, the unit check against the catalogue (`unit-mismatch`), names matched
to codes through the municipality list (case-insensitive and exact; an unknown name is
`unknown-municipality-name` listing the closest names), a year from a date, and skipping the
network's and the nation's rows with a note (our network figures are computed, not imported).
Reuses parse.read_records for encodings, delimiters and XLSX. No database, no streamlit.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from indicators.catalog import Indicator
from indicators.ingest.parse import BLANK_MARKERS, ParsedFile, Problem, cell_text, norm_header, read_records
from indicators.ingest.xlsx import Formula

AGGREGATES = ("sveriges ekokommuner", "riket")       # skipped with a note, never imported
AREA_HEADERS = ("mätområde", "matomrade", "matområde", "område", "area")
DATE_HEADERS = ("datum", "date", "år", "year", "period")
_VALUE_HEADER = re.compile(r"^(?:värde|varde|value)\s*(?:[(\[]\s*(?P<unit>[^)\]]*?)\s*[)\]]|,\s*(?P<unit2>.+?))?\s*$",
                           re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})(?:-\d{2}-\d{2}(?:[T ][\d:.]+)?)?$")
_UNIT_ALIASES = {"procent": "%", "percent": "%", "andel(%)": "%"}


@dataclass
class IncumbentFile:
    """The parsed table view: cells for checks.validate, the name problems found on the way, and how
    many rows of each aggregate (network, nation) were skipped."""
    parsed: ParsedFile
    name_problems: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


def _unit_key(unit: str) -> str:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFC", unit).casefold())
    return _UNIT_ALIASES.get(key, key)


def _find_columns(records: list[list[str]]) -> tuple[int, dict[str, int], str | None] | None:
    """(header index, {area, date, value: position}, unit in the value header) or None."""
    for i, rec in enumerate(records[:20]):
        cols, unit = {}, None
        for pos, cell in enumerate(rec):
            h = norm_header(cell)
            m = _VALUE_HEADER.match(str(cell).replace("\ufeff", "").strip().strip('"'))
            if h in AREA_HEADERS and "area" not in cols:
                cols["area"] = pos
            elif h in DATE_HEADERS and "date" not in cols:
                cols["date"] = pos
            elif m and "value" not in cols:
                cols["value"] = pos
                unit = m.group("unit") or m.group("unit2")
        if len(cols) >= 2:
            return i, cols, unit
    return None


def closest_names(name: str, known: dict[str, str], n: int = 3) -> list[str]:
    """Up to n municipality names closest to `name` (compared case-insensitively, also on its first
    word: "Boras stad" -> Borås); `known` maps casefolded names to their spelling."""
    words = _key(name).split()
    hits = difflib.get_close_matches(_key(name), list(known), n=n, cutoff=0.6)
    if words:
        hits += difflib.get_close_matches(words[0], list(known), n=n, cutoff=0.6)
    return [known[h] for h in dict.fromkeys(hits)][:n]


def parse_incumbent(data: bytes, filename: str, indicator: Indicator, names: dict[str, str]) -> IncumbentFile:
    """Read one table-view file for `indicator`. `names` maps municipality names to codes."""
    parsed, records = read_records(data, filename)
    out = IncumbentFile(parsed)
    if records is None:
        return out
    parsed.layout = "incumbent"
    found = _find_columns(records)
    if found is None or len(found[1]) < 3:
        header_row = found[0] + 1 if found else 1
        for name, label in (("area", "Mätområde"), ("date", "Datum"), ("value", "Värde")):
            if found is None or name not in found[1]:
                parsed.problems.append(Problem("missing-column", header_row, label, detail="Mätområde / Datum / Värde"))
        return out
    h, cols, unit = found
    header = [str(c).strip() for c in records[h]]
    parsed.header_row = h + 1
    parsed.columns = {"kommunkod": header[cols["area"]], "indicator": indicator.id, "year": header[cols["date"]],
                      "value": header[cols["value"]]}
    if unit and _unit_key(unit) != _unit_key(indicator.unit):
        parsed.problems.append(Problem("unit-mismatch", h + 1, header[cols["value"]], unit, indicator.unit))
        return out
    rows = []
    by_key = {_key(n): c for n, c in names.items()}
    shown = {_key(n): n for n in sorted(names)}
    for n, rec in enumerate(records[h + 1:], start=h + 2):
        raw = [rec[p] if p < len(rec) else "" for p in (cols["area"], cols["date"], cols["value"])]
        formulas = [p for p, v in zip((cols["area"], cols["date"], cols["value"]), raw) if isinstance(v, Formula)]
        if formulas:            # an XLSX formula without a saved result: nothing to read
            parsed.cell_problems.extend(Problem("formula-without-value", n, header[p], "=…") for p in formulas)
            continue
        cell = [cell_text(v).strip() for v in raw]
        if not any(cell):
            continue
        area, when, value = cell
        if _key(area) in AGGREGATES:
            out.skipped[area] = out.skipped.get(area, 0) + 1
            continue
        if value in BLANK_MARKERS:
            parsed.n_blank += 1
            continue
        code = by_key.get(_key(area))
        if code is None:
            out.name_problems.append(Problem("unknown-municipality-name", n, header[cols["area"]], area,
                                             ", ".join(closest_names(area, shown)) or "Borås, Göteborg …"))
            continue
        year = _YEAR.match(when)
        rows.append((n, code, indicator.id, year.group(1) if year else when, value, isinstance(raw[2], (int, float))))
    frame = pd.DataFrame(rows, columns=["row", "kommunkod", "indicator", "year", "value", "exact"])
    frame["comment"] = ""
    frame["year_col"], frame["value_col"] = header[cols["date"]], header[cols["value"]]
    parsed.cells = frame.astype({c: "string" for c in ("kommunkod", "indicator", "year", "value", "comment")})
    if parsed.cells.empty and not out.name_problems and not parsed.cell_problems:
        parsed.problems.append(Problem("empty-file"))
    return out
