"""Bounds on the work any uploaded file can cause, checked before the expensive steps.

A small file can still ask for a lot: 50 000 year columns in 400 kB, one row of three million
fields in 3 MB, or an XLSX whose 2.6 MB unzip to gigabytes. Each bound here is checked on
cheap facts (line lengths and delimiter counts of the decoded text, the uncompressed sizes the
ZIP directory declares, a running row count) before csv, pandas or openpyxl build anything big,
and each has its own problem code. Python's zipfile never reads past the size its directory
declares, so checking the declared sizes bounds what openpyxl can unpack.

Also the bounds on cell text: comment length (the same 2 000 characters as the comment form)
and control characters. Pure functions; no pandas, no database, no streamlit.
"""
from __future__ import annotations

import io
import re
import zipfile

MAX_UPLOAD_BYTES = 20 * 1024 * 1024    # a full network report (100 000 rows) is about 3 MB
MAX_ROWS = 500_000                     # CSV rows
MAX_XLSX_ROWS = 200_000                # sheet rows: openpyxl reads about 50 000 rows a second here
MAX_XLSX_CELLS = 50 * MAX_XLSX_ROWS    # cells the reader may visit, empty ones included
MAX_COLUMNS = 250                      # header fields; wide files need one per year since 1970
MAX_FIELDS = MAX_COLUMNS               # fields on any one row
MAX_XLSX_UNZIPPED = 100 * 1024 * 1024  # declared uncompressed size of all parts of a workbook
MAX_XLSX_PART_RATIO = 200              # a part that unzips more than this many times over is a bomb
MAX_COMMENT_LENGTH = 2000              # the comment form's cap (the comment form)
CSV_FIELD_LIMIT = MAX_UPLOAD_BYTES     # csv module's field size limit: the whole file, never more

# Control characters a cell may not hold: C0 except tab/LF/CR, DEL, C1, and the bidirectional
# overrides that can make a comment display as something else than it is.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def csv_shape_problem(text: str, delimiter: str) -> tuple[str, int | None, str] | None:
    """(code, row, detail) for the first line with too many fields, or too many lines; None if
    the text is within bounds. Counts delimiters outside double quotes without splitting."""
    n_lines = text.count("\n") + 1
    if n_lines > MAX_ROWS + 1000:      # blank lines and a title are allowed on top of MAX_ROWS
        return "too-large-file", None, f"{MAX_ROWS} rader/rows"
    first_nonblank = None
    for number, line in enumerate(text.splitlines(), start=1):
        if first_nonblank is None and line.strip():
            first_nonblank = number
        n = line.count(delimiter)
        if n < MAX_FIELDS:
            continue
        if '"' in line:
            n = re.sub(r'"[^"]*"', "", line).count(delimiter)
        if n >= MAX_FIELDS:
            code = "too-many-columns" if number == first_nonblank else "too-many-fields"
            return code, number, str(MAX_COLUMNS)
    return None


def xlsx_size_problem(data: bytes) -> tuple[str, str] | None:
    """(code, detail) when the workbook would unzip beyond the bounds; None when it is within."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None                     # the reader reports a damaged workbook itself
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNZIPPED:
        return "xlsx-too-large", f"{mib(total)} > {mib(MAX_XLSX_UNZIPPED)}"
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_XLSX_PART_RATIO * max(i.compress_size, 1):
            return "xlsx-too-large", f"{i.filename}: {mib(i.file_size)}"
    return None


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def describe_control(text: str) -> str:
    """'U+0000 at character 12' for the first control character in text."""
    m = CONTROL.search(text)
    return f"U+{ord(m.group()):04X} @ {m.start() + 1}" if m else ""
