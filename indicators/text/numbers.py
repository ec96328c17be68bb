"""Numbers in the UI language: formatting ('1 234,5' in Swedish, '1,234.5' in English, one
shared formatter for pages, sentences, exports and charts) and reading numbers written either
way. Imports only the language constants of text.i18n; no UI imports.
"""
from __future__ import annotations

import decimal
import math

from babel.numbers import format_decimal

from indicators.text.i18n import DEFAULT_LANG, norm_lang

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def format_number(value, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """'1 234,5' in Swedish, '1,234.5' in English; '–' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    number = float(value)
    if not math.isfinite(number):
        return "∞" if number > 0 else "−∞"
    # Exact decimal of the float, rounded half up, in a context wide enough for any float
    # (babel's default 28 digits raised InvalidOperation from about 1e27 on).
    with decimal.localcontext(decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP)):
        exact = decimal.Decimal(repr(number)).quantize(decimal.Decimal(1).scaleb(-max(decimals, 0)))
        text = format_decimal(exact, format=pattern, locale=_LOCALES[norm_lang(lang)], decimal_quantization=False)
    return text.replace("\u00a0", " ").replace("\u202f", " ") if lang == "sv" else text


def format_percent(value, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """A number already in percent: '12,5 %' (sv) or '12.5%' (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    num = format_number(value, lang, decimals)
    return f"{num} %" if norm_lang(lang) == "sv" else f"{num}%"


def format_value(value, unit: str, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """A value with its unit: '412 kg/person', '29 %'."""
    if unit.strip() == "%":
        return format_percent(value, lang, decimals)
    return f"{format_number(value, lang, decimals)} {unit}"


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
