"""Plain-language sentences from the trend engine's numbers, in Swedish and English.

summarise() writes one short paragraph per (municipality, indicator) from a trend-table row;
verdict_sentence() gives the network's exact public wording ("Utvecklingen går åt rätt håll
sedan 2014"). Numbers go through numbers.format_number with the catalogue's decimals; years are
never grouped ("2014", not "2 014"). The text layer: it reads the statistics layer's codes
(stats.targets for which target a sentence talks about) and never the UI.
"""
from __future__ import annotations

import math
from functools import lru_cache

from indicators.stats.targets import primary_target
from indicators.text import i18n, numbers


@lru_cache(maxsize=1 << 16)
def _format_rounded(value: float, unit: str | None, lang: str, decimals: int) -> str:
    if unit is None:
        return numbers.format_number(value, lang, decimals)
    return numbers.format_value(value, unit, lang, decimals)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value, lang: str = "sv", decimals: int = 0) -> str:
    """numbers.format_number, memoised on the value: a 300 000-row table repeats the same shown
    numbers again and again, and babel costs ~30 µs a call. (Not pre-rounded with round(): that
    rounds half to even on binary floats; numbers.format_number rounds half up.)"""
    if _missing(value):
        return numbers.format_number(None, lang, decimals)
    return _format_rounded(float(value), None, lang, decimals)


def format_value(value, unit: str, lang: str = "sv", decimals: int = 0) -> str:
    """numbers.format_value ('412 kg/person', '29 %'), memoised the same way."""
    if _missing(value):
        return numbers.format_value(None, unit, lang, decimals)
    return _format_rounded(float(value), unit, lang, decimals)


@lru_cache(maxsize=2)
def _texts(lang: str) -> dict[str, str]:
    """The summary.* strings of indicators/locale/summaries.toml, without the prefix."""
    return {k.removeprefix("summary."): v for k, v in i18n.load_strings()[lang].items() if k.startswith("summary.")}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def verdict_sentence(verdict: str, base_year: int | None, lang: str = "sv") -> str:
    """The network's sentence for a verdict, e.g. 'Utvecklingen går åt rätt håll sedan 2014'."""
    texts = _texts(_lang(lang))
    if f"verdict.{verdict}" not in texts or verdict == "insufficient" or base_year is None:
        return texts["verdict.insufficient"]
    return texts[f"verdict.{verdict}"].format(year=int(base_year))


def _amount(value: float, indicator, lang: str, min_decimals: int = 0) -> str:
    """A difference in the indicator's unit; shares are percentage points, not percent."""
    decimals = max(indicator.decimals, min_decimals)
    if indicator.is_share:
        return f"{format_number(value, lang, decimals)} {_texts(_lang(lang))['pp']}"
    return format_value(value, indicator.unit, lang, decimals)


def _change_phrase(row, indicator, lang: str) -> str:
    """'8 % lägre än 2014', '3 procentenheter högre än 2014', 'samma som 2014'."""
    tx = _texts(_lang(lang))
    base, latest, year = _num(row.get("base_value")), _num(row.get("latest_value")), int(row["base_year"])
    diff = latest - base
    if diff == 0:
        return tx["same"].format(year=year)
    cmp = tx["higher" if diff > 0 else "lower"].format(year=year)
    if indicator.is_share or base == 0 or not math.isfinite(diff / base):
        shown, decimals = abs(diff), indicator.decimals
        text = _amount(shown, indicator, lang)
    else:
        shown = abs(100.0 * diff / abs(base))
        decimals = 0 if shown >= 1 else 1
        text = f"{format_number(shown, lang, decimals)} %"
    if round(shown, decimals) == 0:
        return tx["marginally"].format(cmp=cmp)
    return f"{text} {cmp}"


def _target_text(t: dict, indicator, lang: str) -> str:
    if t.get("kind") == "relative":
        value = float(t.get("value"))
        sign = "\u2212" if value < 0 else "+" if value > 0 else ""       # a typographic minus, as in the labels
        return _texts(_lang(lang))["relative"].format(value=sign + format_number(abs(value), lang, 0),
                                                     base=t.get("base_year"))
    return format_value(t.get("target_value"), indicator.unit, lang, indicator.decimals)


def target_phrase(t: dict | None, indicator, lang: str = "sv") -> str:
    """One sentence about a target from trends.evaluate_targets (empty for none)."""
    if not t or t.get("on_track") == "no_target" or t.get("target_year") is None:
        return ""
    tx = _texts(_lang(lang))
    status = t["on_track"]
    what = {"t": _target_text(t, indicator, lang), "year": int(t["target_year"])}
    if status == "off_track" and t.get("target_passed"):
        return tx["missed"].format(**what)
    if status == "off_track":
        pace = _num(t.get("required_pace_per_year"))
        if pace is None:
            return tx["missed"].format(**what)
        change = tx["increase" if pace > 0 else "decrease"].format(x=_amount(abs(pace), indicator, lang, 1))
        return tx["off_track"].format(change=change, **what)
    return tx["target_unknown" if status == "insufficient" else status].format(**what)


def summarise(row, indicator, lang: str = "sv", kommun_name: str | None = None) -> str:
    """One short paragraph for a trend-table row (a dict or a pandas row), e.g.
    'Borås: 412 kg/person 2023, 8 % lägre än 2014 – rätt håll. Plats 12 av 87 ekokommuner.
    Målet 60 % till 2030 nås i nuvarande takt.'"""
    lang = _lang(lang)
    tx = _texts(lang)
    name = kommun_name or row.get("kommunkod") or ""
    latest, year = _num(row.get("latest_value")), row.get("latest_year")
    if latest is None or year is None:
        return f"{name}: {tx['too_few']}."
    head = f"{name}: {format_value(latest, indicator.unit, lang, indicator.decimals)} {int(year)}"
    note = f" ({tx['new_series'].format(year=int(row['series_start']))})" if row.get("series_start") is not None else ""
    verdict = row.get("verdict")
    if verdict in ("right", "wrong", "unchanged") and row.get("base_year") is not None:
        parts = [f"{head}, {_change_phrase(row, indicator, lang)} – {tx[verdict]}{note}."]
    else:
        parts = [f"{head}. {tx['too_few']}{note}."]
    rank, n = row.get("rank"), row.get("rank_n")
    if rank is not None and n is not None and not (isinstance(rank, float) and math.isnan(rank)):
        parts.append(tx["rank"].format(rank=int(rank), n=int(n)))
    phrase = target_phrase(primary_target(row.get("targets") or [], row.get("latest_year")), indicator, lang)
    if phrase:
        parts.append(phrase)
    return " ".join(parts)


def add_summaries(table, catalog, names: dict) -> None:
    """Add summary_sv and summary_en to a trend table (stats.trends canonical columns), in place:
    the engine returns codes and numbers; this is the last step that writes the sentences."""
    from indicators.stats.trendmath import no_gc, table_records
    inds = {i.id: i for i in catalog}
    key = "indicator" if "indicator" in table.columns else "indicator_id"
    recs = table_records(table, ["kommunkod", key, "base_year", "base_value", "latest_year", "latest_value",
                                 "verdict", "series_start", "rank", "rank_n", "targets"])
    with no_gc():
        for lang in ("sv", "en"):
            table[f"summary_{lang}"] = [summarise(r, inds[r[key]], lang, names.get(r["kommunkod"], r["kommunkod"]))
                                        for r in recs]
