"""Labels in the UI language for the catalogue's own Swedish words and for values: band labels,
target labels, theme names, a value with its unit, a signed percentage. The text layer's last
step; imports the catalogue and text.i18n/numbers only. No UI imports.
"""
from __future__ import annotations

from indicators.catalog import THEME_SLUGS, Indicator
from indicators.text.i18n import t
from indicators.text.numbers import format_percent, format_value

BAND_KEYS = {"Mycket låg": "very_low", "Låg": "low", "Medel": "medium", "Hög": "high", "Mycket hög": "very_high",
             "Full": "full", "Mycket god": "very_good", "God": "good", "Mindre god": "fair", "Dålig": "poor"}


def band_label(label: str | None, lang: str) -> str:
    """A band label from the catalogue (Swedish) in the UI language."""
    if not label:
        return ""
    key = BAND_KEYS.get(label)
    return t(f"band.{key}", lang) if key else label


def target_label(label: str | None, ind: Indicator, lang: str) -> str:
    """A target's label in the UI language: the catalogue's national ones are translated,
    a municipality's own label is shown as its author wrote it."""
    nt = ind.national_target
    if nt is not None and label == nt.label:
        return nt.label_en if lang == "en" else nt.label
    return label or ""


def theme_name(theme: str, lang: str) -> str:
    return t(f"theme.{THEME_SLUGS[theme]}", lang)


def value_text(value, ind: Indicator, lang: str) -> str:
    """A value with the indicator's decimals and its unit in the UI language ('29 %', '29%')."""
    return format_value(value, ind.unit_for(lang), lang, ind.decimals)


def signed_percent(value: float, lang: str) -> str:
    return ("−" if value < 0 else "+") + format_percent(abs(value), lang)
