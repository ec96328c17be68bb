"""Numbers in the UI language: formatting ('1 234,5' in Swedish, '1,234.5' in English, one
shared formatter for pages, sentences, exports and charts) and reading numbers written either
way. Imports only the language constants of text.i18n; no UI imports.

Rounding is half up (away from zero at a tie), as Swedish practice and every reader expect,
for every number of decimals, and it rounds the decimal the reader sees: 3.15 is stored as
3.1499999999999999…, but its shortest decimal form (repr) is '3.15', which rounds to 3.2.
Python's round(), numpy, pandas and babel all round half to even on the binary value.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from indicators.text.i18n import DEFAULT_LANG, norm_lang

# (thousands separator, decimal separator) per UI language; Swedish groups with a plain space.
_SEPARATORS = {"sv": (" ", ","), "en": (",", ".")}


def _finite(value) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


SIGNIFICANT = 15     # digits kept before rounding: beyond them is binary arithmetic noise, not data


def _infinite(value) -> str:
    """'∞' / '−∞' for an infinite number (a value, not a missing one); '' otherwise."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return ""
    return ("∞" if x > 0 else "\u2212∞") if math.isinf(x) else ""


def rounded_decimal(value: float, decimals: int = 0) -> Decimal:
    """value rounded half up to `decimals` places, as an exact Decimal.

    Starts from repr(value), the shortest decimal that reads back as the same float: what a
    reader sees. A computed figure first drops its binary noise beyond SIGNIFICANT digits, so a
    required pace of 6.3 / 2 (= 3.1499999999999986 in floats) is 3.15 and shows as 3,2. The
    context's precision grows with the number, so 1e27 or 1e308 never raise."""
    d = Decimal(repr(float(value)))
    decimals = max(int(decimals), 0)
    ctx = Context(prec=max(28, d.adjusted() + decimals + SIGNIFICANT + 3), rounding=ROUND_HALF_UP)
    if not d.is_zero():
        d = d.quantize(Decimal(1).scaleb(d.adjusted() - SIGNIFICANT + 1), context=ctx)
    q = d.quantize(Decimal(1).scaleb(-decimals), context=ctx)
    return q.copy_abs() if q.is_zero() else q         # never "-0"


def round_half_up(value, decimals: int = 0) -> float:
    """A number rounded half up to `decimals` places (NaN for a missing or non-finite value):
    for table and export columns that must hold the same figure the page shows."""
    x = _finite(value)
    return math.nan if x is None else float(rounded_decimal(x, decimals))


def round_column(values, decimals: int):
    """round_half_up over a pandas Series (or any iterable): a float Series/list back."""
    if hasattr(values, "map"):
        return values.astype(float).map(lambda v: round_half_up(v, decimals))
    return [round_half_up(v, decimals) for v in values]


def format_number(value, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """'1 234,5' in Swedish, '1,234.5' in English; '–' for a missing (or non-finite) value.
    Rounded half up; any finite float is formatted (1e27 too)."""
    x = _finite(value)
    if x is None:
        return _infinite(value) or "–"
    q = rounded_decimal(x, decimals)
    thousands, point = _SEPARATORS[norm_lang(lang)]
    whole, _, frac = f"{q.copy_abs():f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = thousands.join([whole, *groups])
    if decimals > 0:
        text += point + frac.ljust(int(decimals), "0")[:int(decimals)]
    return ("-" if q < 0 else "") + text


def format_percent(value, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """A number already in percent: '12,5 %' (sv) or '12.5%' (en)."""
    if _finite(value) is None and not _infinite(value):
        return "–"
    num = format_number(value, lang, decimals)
    return f"{num} %" if norm_lang(lang) == "sv" else f"{num}%"


def format_value(value, unit: str, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """A value with its unit: '412 kg/person', '29 %' ('29%' in English)."""
    if unit.strip() == "%":
        return format_percent(value, lang, decimals)
    return f"{format_number(value, lang, decimals)} {unit}"


def is_one(value, decimals: int = 0) -> bool:
    """Whether a number is shown as exactly '1' (a singular noun follows: '1 procentenhet');
    '1,0' and '1.0' take the plural, as in both languages' usage."""
    x = _finite(value)
    return x is not None and int(decimals) == 0 and rounded_decimal(abs(x), 0) == 1


def parse_number(text: str) -> float:
    """Read a number written the Swedish or the English way: '1 234,5', '1234.5', '−3'.

    Raises ValueError when the text is not a number."""
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "").replace(" ", "")
    s = s.replace("\u2212", "-")
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    elif s.count(",") >= 1 and s.count(".") == 1 and s.index(",") < s.index("."):
        s = s.replace(",", "")            # 1,234.5 (English thousands separator)
    elif s.count(".") >= 1 and s.count(",") == 1 and s.index(".") < s.index(","):
        s = s.replace(".", "").replace(",", ".")   # 1.234,5 (continental thousands separator)
    value = float(s)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value
