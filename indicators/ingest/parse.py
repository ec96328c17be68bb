"""Parse an uploaded report file (CSV or XLSX) into raw text cells, as Swedish offices produce them.

Owns the problem type (stable kebab-case codes), file-type sniffing, encodings (UTF-8 with or
without BOM, Windows-1252, UTF-16 "Unicode text"), delimiters (; , tab), Swedish or English
headers, long or wide (one column per year) layout, blank lines and stray spaces. It does not
judge the cells: checks.py validates them. Shared by the upload page and the CLI import.
Every bound on the work a file can cause is in limits.py and checked before the expensive
steps; XLSX reading is in xlsx.py. Never imports streamlit or touches the database.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from indicators.ingest import limits
from indicators.ingest.xlsx import Formula, read_first_sheet
from indicators.text import i18n

MAX_UPLOAD_BYTES = limits.MAX_UPLOAD_BYTES
MAX_ROWS = limits.MAX_ROWS

# Every code, with its severity. Codes never change once shipped (README lists each one).
ERROR_CODES = ("missing-column", "unknown-indicator", "unknown-municipality", "not-your-municipality",
               "bad-year", "future-year", "not-a-number", "out-of-range", "conflicting-duplicate",
               "empty-file", "too-large-file", "wrong-file-type", "comment-required",
               "ambiguous-decimal", "formula-without-value", "duplicate-column", "mixed-encoding",
               "comment-too-long", "control-character", "too-many-columns", "too-many-fields",
               "xlsx-too-large",
               "unknown-municipality-name", "unit-mismatch")     # the last two: the incumbent's table view
WARNING_CODES = ("implausible-change", "outlier", "implausible-value")
ALL_CODES = ERROR_CODES + WARNING_CODES

# A cell holding one of these means "not reported", like a blank cell.
BLANK_MARKERS = ("", "..", "-", "–", "—")

# Accepted header names (lower case; spaces, '_' and '-' collapse to one space) -> field.
HEADER_ALIASES = {
    "kommunkod": "kommunkod", "kommun kod": "kommunkod", "kommun": "kommunkod", "kod": "kommunkod",
    "municipality code": "kommunkod", "municipality": "kommunkod", "code": "kommunkod",
    "indikator": "indicator", "nyckeltal": "indicator", "indikator id": "indicator",
    "indicator": "indicator", "indicator id": "indicator", "kpi": "indicator",
    "år": "year", "ar": "year", "year": "year", "period": "year",
    "värde": "value", "varde": "value", "value": "value",
    "kommentar": "comment", "kommentarer": "comment", "comment": "comment", "comments": "comment",
}
FIELD_NAMES = {"kommunkod": "kommunkod", "indicator": "indikator", "year": "år", "value": "värde",
               "comment": "kommentar"}   # the canonical (Swedish) header names
_YEAR_HEADER = re.compile(r"^\d{4}$")
_MAGIC = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"%PDF", "PDF"),
          (b"\xd0\xcf\x11\xe0", "XLS/DOC"), (b"\x1f\x8b", "GZIP"), (b"BM", "BMP"), (b"RIFF", "RIFF"),
          (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"7z\xbc\xaf", "7Z"), (b"Rar!", "RAR"))


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: `row` as the user sees it in the file (1 = header), `column` as headed there."""
    code: str
    row: int | None = None
    column: str | None = None
    value: str = ""
    detail: str = ""
    extra: tuple = ()          # more (name, value) placeholders; a float shows with the language's mark

    def message(self, lang: str = "sv") -> str:
        extra = {k: (repr(v).replace(".", ",") if lang == "sv" else repr(v)) if isinstance(v, float) else v
                 for k, v in self.extra}
        return i18n.t(f"problem.{self.code}", lang, row=self.row if self.row is not None else "–",
                      column=self.column or "–", value=_short(self.value), detail=self.detail, **extra)


def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class ParsedFile:
    """Raw cells of a report: one row per value, all text, with where each came from."""
    filename: str
    sha256: str
    size: int
    kind: str = ""                     # csv | xlsx
    encoding: str = ""
    delimiter: str = ""
    layout: str = "long"               # long | wide
    header_row: int = 1
    columns: dict = field(default_factory=dict)      # field -> header as written in the file
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list = field(default_factory=list)      # the file cannot be read: nothing else is checked
    cell_problems: list = field(default_factory=list)  # cells found bad while reading (checked with the rest)
    n_blank: int = 0                   # values left blank: not reported, skipped

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_upload(data: bytes, filename: str = "upload.csv") -> ParsedFile:
    """Read the bytes of an uploaded file; problems found on the way are in .problems."""
    parsed, records = read_records(data, filename)
    if records is not None:
        _records_to_cells(records, parsed)
    return parsed


def read_records(data: bytes, filename: str = "upload.csv") -> tuple[ParsedFile, list[list[str]] | None]:
    """The file's rows as text fields (size, type, encoding and delimiter handled), with a ParsedFile
    describing it; records is None when a problem (in .problems) stops the reading. Other layouts
    (the incumbent's table view) build their cells from these records."""
    parsed = ParsedFile(filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    if len(data) > MAX_UPLOAD_BYTES:
        return _fail(parsed, "too-large-file", detail=f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"), None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return _fail(parsed, "empty-file"), None
    kind = sniff_kind(data)
    if kind.startswith("wrong:"):
        return _fail(parsed, "wrong-file-type", detail=kind[6:]), None
    parsed.kind = kind
    records = _xlsx_records(data, parsed) if kind == "xlsx" else _csv_records(data, parsed)
    if records is None or parsed.problems:
        return parsed, None
    if len(records) > MAX_ROWS:
        return _fail(parsed, "too-large-file", detail=f"{MAX_ROWS} rader/rows"), None
    return parsed, records


def _fail(parsed: ParsedFile, code: str, **kw) -> ParsedFile:
    parsed.problems.append(Problem(code, **kw))
    return parsed


def sniff_kind(data: bytes) -> str:
    """'csv', 'xlsx', or 'wrong:<what it is>' judged by the content, never by the file name."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "wrong:ZIP"
        return "xlsx" if "xl/workbook.xml" in names else "wrong:ZIP"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"wrong:{what}"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"                                   # Excel's "Unicode text": UTF-16 with BOM
    if b"\x00" in data[:65536]:
        return "wrong:binary"
    return "csv"


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name), or None when the bytes are not text in one encoding we accept
    (mixed_encoding() then says which row breaks it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        return None                 # UTF-8 characters and non-UTF-8 bytes: not one encoding
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return None


def mixed_encoding(data: bytes) -> Problem | None:
    """A file whose lines are partly UTF-8 and partly Windows-1252 (pasted together): the first
    line of the smaller kind, with what is wrong on it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    utf8_lines, other_lines = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            other_lines.append((number, f"0x{line[exc.start]:02X}"))
            continue
        m = _UTF8_MULTIBYTE.search(line)
        if m:
            utf8_lines.append((number, m.group().decode("utf-8")))
    if not other_lines or not (utf8_lines or data.startswith(b"\xef\xbb\xbf")):
        return None
    if data.startswith(b"\xef\xbb\xbf") or len(utf8_lines) >= len(other_lines):
        row, byte = other_lines[0]
        return Problem("mixed-encoding", row, None, byte, f"UTF-8 / Windows-1252 {byte}")
    row, char = utf8_lines[0]
    return Problem("mixed-encoding", row, None, char, f"Windows-1252 / UTF-8 '{char}'")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or 0x7f <= ord(ch) < 0xa0)
    return control > max(2, len(sample) // 100)


def sniff_delimiter(text: str) -> str:
    """';', tab or ',': the one found on most of the first non-blank lines (a title line above
    the header has none), then the most frequent. A decimal comma sits only on some data
    lines, never in the header, so it loses against the real delimiter."""
    sample = [line for line in text.splitlines()[:50] if line.strip()][:20]
    def score(d):
        return (sum(d in line for line in sample), sum(line.count(d) for line in sample), d == ";")
    best = max((";", "\t", ","), key=score)
    return best if score(best)[0] else ";"


def _csv_records(data: bytes, parsed: ParsedFile) -> list[list[str]] | None:
    decoded = decode_text(data)
    if decoded is None:
        mixed = mixed_encoding(data)
        _fail(parsed, mixed.code, row=mixed.row, value=mixed.value, detail=mixed.detail) if mixed else \
            _fail(parsed, "wrong-file-type", detail="binary")
        return None
    if _looks_binary(decoded[0]):
        _fail(parsed, "wrong-file-type", detail="binary")
        return None
    text, parsed.encoding = decoded
    parsed.delimiter = sniff_delimiter(text)
    too_big = limits.csv_shape_problem(text, parsed.delimiter)
    if too_big:
        code, row, detail = too_big
        _fail(parsed, code, row=row, detail=detail)
        return None
    csv.field_size_limit(limits.CSV_FIELD_LIMIT)      # a long comment is a comment-too-long, not "not a CSV"
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=parsed.delimiter))
    except csv.Error as exc:
        _fail(parsed, "wrong-file-type", detail=f"CSV: {exc}")
        return None


def _xlsx_records(data: bytes, parsed: ParsedFile) -> list[list] | None:
    sheet = read_first_sheet(data)
    parsed.encoding, parsed.delimiter = "XLSX", ""
    if sheet.error:
        code, row, detail = sheet.error
        _fail(parsed, code, row=row, detail=detail)
        return None
    return sheet.records


def norm_header(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).replace("\ufeff", "").strip().strip('"').lower()).strip()


def _find_header(records: list[list[str]]) -> int | None:
    """Index of the header record: the first non-blank record naming at least two known
    columns (a title line above it is skipped), else the first non-blank record."""
    nonblank = [i for i, rec in enumerate(records[:200]) if any(str(f).strip() for f in rec)]
    for i in nonblank[:10]:
        names = {HEADER_ALIASES.get(norm_header(f)) for f in records[i]} - {None}
        years = [f for f in records[i] if _YEAR_HEADER.match(norm_header(f))]
        if len(names) >= 2 or (names and years):
            return i
    return nonblank[0] if nonblank else None


def _map_header(header: list[str], parsed: ParsedFile) -> tuple[dict[str, int], list[int]]:
    """{field: position} and the year columns; a field or year named twice (in any spelling)
    is a duplicate-column problem, never silently the first."""
    positions: dict[str, int] = {}
    years: dict[str, int] = {}
    for pos, name in enumerate(header):
        key, norm = HEADER_ALIASES.get(norm_header(name)), norm_header(name)
        first = positions.get(key) if key else years.get(norm) if _YEAR_HEADER.match(norm) else None
        if first is not None:
            parsed.problems.append(Problem("duplicate-column", parsed.header_row, name, name, header[first]))
        elif key:
            positions[key] = pos
        elif _YEAR_HEADER.match(norm):
            years[norm] = pos
    return positions, list(years.values())


def _records_to_cells(records: list[list], parsed: ParsedFile) -> None:
    h = _find_header(records)
    if h is None:
        _fail(parsed, "empty-file")
        return
    parsed.header_row = h + 1
    header = [cell_text(f).strip() for f in records[h]]
    positions, year_cols = _map_header(header, parsed)
    parsed.layout = "long" if ("value" in positions or not year_cols) else "wide"
    needed = ["kommunkod", "indicator"] + (["year", "value"] if parsed.layout == "long" else [])
    for name in needed:
        if name not in positions:
            parsed.problems.append(Problem("missing-column", parsed.header_row, FIELD_NAMES[name],
                                           detail=_aliases_of(name)))
    parsed.columns = {k: header[p] for k, p in positions.items()}
    if parsed.problems:
        return
    data = records[h + 1:]
    width = max(len(header), max(map(len, data), default=0))
    data = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in data]   # ragged rows
    raw = pd.DataFrame(data, dtype=object) if data else pd.DataFrame()
    if raw.empty:
        _fail(parsed, "empty-file")
        return
    rows = pd.Series(range(h + 2, h + 2 + len(raw)), index=raw.index)
    used = sorted({*positions.values(), *year_cols})
    _formula_problems(raw, rows, used, header, parsed)
    exact = {p: raw[p].map(lambda v: isinstance(v, (int, float))) for p in used}
    body = raw.map(cell_text).astype("string")
    body.insert(0, "row", rows)
    keep = body.drop(columns="row").fillna("").apply(lambda s: s.str.strip()).ne("").any(axis=1)
    body = body[keep]
    exact = {p: e[keep] for p, e in exact.items()}
    cells = _long_cells(body, positions, header, exact) if parsed.layout == "long" else \
        _wide_cells(body, positions, header, year_cols, exact)
    formula_rows = {(p.row, p.column) for p in parsed.cell_problems}
    blank = cells["value"].isin(BLANK_MARKERS) & ~pd.Series(
        [(r, c) in formula_rows for r, c in zip(cells["row"], cells["value_col"])], index=cells.index, dtype=bool)
    parsed.n_blank = int(blank.sum())
    parsed.cells = cells[~blank].reset_index(drop=True)
    if parsed.cells.empty and not parsed.cell_problems:
        _fail(parsed, "empty-file")


def cell_text(value) -> str:
    """A cell as text: XLSX numbers in full (repr), a formula without a result as empty."""
    if isinstance(value, Formula) or value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _formula_problems(raw: pd.DataFrame, rows: pd.Series, used: list[int], header: list[str],
                      parsed: ParsedFile) -> None:
    """A formula cell without a saved result in a column we read: the file must be saved in Excel."""
    for pos in used:
        hit = raw[pos].map(lambda v: isinstance(v, Formula))
        parsed.cell_problems.extend(Problem("formula-without-value", int(r), header[pos], "=…")
                                    for r in rows[hit])


def _aliases_of(name: str) -> str:
    return " / ".join(a for a, k in HEADER_ALIASES.items() if k == name and " " not in a)


def _col(body: pd.DataFrame, positions: dict, name: str) -> pd.Series:
    if name not in positions:
        return pd.Series("", index=body.index, dtype="string")
    return body[positions[name]].fillna("").str.strip()


def _long_cells(body, positions, header, exact) -> pd.DataFrame:
    return pd.DataFrame({
        "row": body["row"].to_numpy(), "kommunkod": _col(body, positions, "kommunkod").to_numpy(),
        "indicator": _col(body, positions, "indicator").to_numpy(), "year": _col(body, positions, "year").to_numpy(),
        "value": _col(body, positions, "value").to_numpy(), "comment": _col(body, positions, "comment").to_numpy(),
        "year_col": header[positions["year"]], "value_col": header[positions["value"]],
        "exact": exact[positions["value"]].to_numpy(dtype=bool),
    }).astype({c: "string" for c in ("kommunkod", "indicator", "year", "value", "comment")})


def _wide_cells(body, positions, header, year_cols, exact) -> pd.DataFrame:
    base = pd.DataFrame({"row": body["row"], "kommunkod": _col(body, positions, "kommunkod"),
                         "indicator": _col(body, positions, "indicator"),
                         "comment": _col(body, positions, "comment")})
    parts = []
    for pos in year_cols:
        part = base.copy()
        part["year"] = norm_header(header[pos])
        part["value"] = body[pos].fillna("").str.strip()
        part["year_col"] = part["value_col"] = header[pos]
        part["exact"] = exact[pos].to_numpy(dtype=bool)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).sort_values(["row", "year"], kind="stable")
    return out[["row", "kommunkod", "indicator", "year", "value", "comment", "year_col", "value_col", "exact"]]
