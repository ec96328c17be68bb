"""Plain-language sentences from the trend engine's numbers, in Swedish and English.

summarise() writes one short paragraph per (municipality, indicator) from a trend-table row;
verdict_sentence() gives the network's exact public wording ("Utvecklingen går åt rätt håll
sedan 2014"); rank_text() says a rank with its ties ("Delad plats 1 av 90 (54 kommuner)") or
why there is none; preliminary_label() marks a preliminary year ("preliminär (n = 3 av 94)").
Numbers go through text.numbers (rounded half up, '49 %' in Swedish and '49%' in English, as
on the charts) with the catalogue's decimals and the unit in the UI language; a unit
after exactly '1' is singular ('1 procentenhet'); years are never grouped ("2014", not
"2 014"). The text layer: it reads the statistics layer's codes (stats.targets for which
target a sentence talks about) and never the UI.
"""
from __future__ import annotations

import math
from functools import lru_cache

from indicators.stats.targets import primary_target
from indicators.text import i18n, numbers


@lru_cache(maxsize=1 << 16)
def _format(value: float, unit: str | None, lang: str, decimals: int) -> str:
    if unit is None:
        return numbers.format_number(value, lang, decimals)
    return numbers.format_value(value, unit, lang, decimals)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value, lang: str = "sv", decimals: int = 0) -> str:
    """numbers.format_number, memoised: a 300 000-row table repeats the same numbers again and again."""
    if _missing(value):
        return numbers.format_number(None, lang, decimals)
    return _format(float(value), None, lang, decimals)


def format_value(value, unit: str, lang: str = "sv", decimals: int = 0) -> str:
    """numbers.format_value ('412 kg/person', '29 %' / '29%'), memoised the same way."""
    if _missing(value):
        return numbers.format_value(None, unit, lang, decimals)
    return _format(float(value), unit, lang, decimals)


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


def _int(x) -> int | None:
    x = _num(x)
    return None if x is None else int(x)


def ordinal(n: int, lang: str = "sv") -> str:
    """'1st', '2nd', '3rd', '11th', '22nd' in English; the plain number in Swedish ('plats 1')."""
    if _lang(lang) == "sv":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def verdict_sentence(verdict: str, base_year: int | None, lang: str = "sv") -> str:
    """The network's sentence for a verdict, e.g. 'Utvecklingen går åt rätt håll sedan 2014'."""
    texts = _texts(_lang(lang))
    if f"verdict.{verdict}" not in texts or verdict == "insufficient" or base_year is None:
        return texts["verdict.insufficient"]
    return texts[f"verdict.{verdict}"].format(year=int(base_year))


def preliminary_label(n, members, lang: str = "sv") -> str:
    """'preliminär (n = 3 av 94)' / 'preliminary (n = 3 of 94)': a year the network's figures
    do not come from yet."""
    return _texts(_lang(lang))["preliminary"].format(n=int(n), members=int(members))


def rank_text(row, lang: str = "sv", sentence: bool = False) -> str:
    """A trend-table row's rank in words: 'Plats 12 av 87', 'Delad plats 1 av 90 (54 kommuner)'
    ('Joint 1st of 90 (54 municipalities)'), or why there is none (too few reported that year,
    a stale latest value); empty for a non-member. sentence=True: the summary's full sentence."""
    tx = _texts(_lang(lang))
    rank, n = _int(row.get("rank")), _int(row.get("rank_n"))
    reason, year = row.get("rank_reason"), _int(row.get("latest_year"))
    if rank is not None and n is not None:
        shared = _int(row.get("rank_shared")) or 1
        if shared > 1:
            text = tx["rank_tied"].format(rank=ordinal(rank, lang), n=n, shared=shared)
        else:
            text = tx["rank"].format(rank=rank, n=n)
        return text + (tx["rank_sentence_end"] if sentence else "")
    if reason == "stale" and year is not None:
        return tx["stale_sentence" if sentence else "stale_rank"].format(year=year)
    if reason == "too_few" and year is not None:
        n_rep = _int(row.get("latest_year_n")) or 0
        key = "rank_too_few_one" if n_rep == 1 else "rank_too_few"
        return tx[key].format(n=n_rep, members=_int(row.get("latest_year_members")) or 0, year=year) + \
            ("." if sentence else "")
    return ""


def pp_unit(value, decimals: int, lang: str = "sv") -> str:
    """'procentenhet' after exactly 1, else 'procentenheter' ('percentage point(s)')."""
    tx = _texts(_lang(lang))
    return tx["pp_one"] if numbers.is_one(value, decimals) else tx["pp"]


def _amount(value: float, indicator, lang: str, min_decimals: int = 0) -> str:
    """A difference in the indicator's unit; shares are percentage points, not percent."""
    decimals = max(indicator.decimals, min_decimals)
    if indicator.is_share:
        return f"{format_number(value, lang, decimals)} {pp_unit(value, decimals, lang)}"
    return format_value(value, indicator.unit_for(lang), lang, decimals)


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
        text = numbers.format_percent(shown, lang, decimals)
    if numbers.round_half_up(shown, decimals) == 0:
        return tx["marginally"].format(cmp=cmp)
    return f"{text} {cmp}"


def signed_percent_text(value: float, lang: str, decimals: int = 0) -> str:
    """'−62 %' / '−62%' with a typographic minus, as in the labels."""
    sign = "\u2212" if value < 0 else "+" if value > 0 else ""
    return sign + numbers.format_percent(abs(value), lang, decimals)


def _target_text(t: dict, indicator, lang: str) -> str:
    if t.get("kind") == "relative":
        return _texts(_lang(lang))["relative"].format(value=signed_percent_text(float(t.get("value")), lang),
                                                     base=t.get("base_year"))
    return format_value(t.get("target_value"), indicator.unit_for(lang), lang, indicator.decimals)


def target_phrase(t: dict | None, indicator, lang: str = "sv") -> str:
    """One sentence about a target from stats.targets (empty for none)."""
    if not t or t.get("on_track") == "no_target" or t.get("target_year") is None:
        return ""
    tx = _texts(_lang(lang))
    status = t["on_track"]
    what = {"t": _target_text(t, indicator, lang), "year": int(t["target_year"])}
    if status == "not_applicable":
        key = "not_applicable_zero" if t.get("reason") == "zero_base" else "not_applicable_missing"
        return tx[key].format(base=t.get("base_year"), **what)
    if status == "off_track" and t.get("target_passed"):
        return tx["missed"].format(**what)
    if status in ("off_track", "uncertain"):
        pace = _num(t.get("required_pace_per_year"))
        if pace is None:
            return tx["missed"].format(**what) if status == "off_track" else tx["uncertain_short"].format(**what)
        change = tx["increase" if pace > 0 else "decrease"].format(x=_amount(abs(pace), indicator, lang, 1))
        return tx[status].format(change=change, **what)
    return tx["target_unknown" if status == "insufficient" else status].format(**what)


def summarise(row, indicator, lang: str = "sv", kommun_name: str | None = None) -> str:
    """One short paragraph for a trend-table row (a dict or a pandas row), e.g.
    'Borås: 412 kg/person 2023, 8 % lägre än 2014 – rätt håll. Plats 12 av 87 ekokommuner.
    Målet 60 % till 2030 nås i nuvarande takt.' A preliminary latest year and a stale value
    are said in words; the rank says its ties, or why there is none."""
    lang = _lang(lang)
    tx = _texts(lang)
    name = kommun_name or row.get("kommunkod") or ""
    latest, year = _num(row.get("latest_value")), row.get("latest_year")
    if latest is None or year is None:
        return f"{name}: {tx['too_few']}."
    head = f"{name}: {format_value(latest, indicator.unit_for(lang), lang, indicator.decimals)} {int(year)}"
    if row.get("network_preliminary") and _int(row.get("latest_year_members")):
        n_rep = _int(row.get("latest_year_n")) or 0
        head += " (" + tx["preliminary_year_one" if n_rep == 1 else "preliminary_year"].format(
            n=n_rep, members=_int(row.get("latest_year_members"))) + ")"
    note = f" ({tx['new_series'].format(year=int(row['series_start']))})" if _num(row.get("series_start")) is not None \
        else ""
    verdict = row.get("verdict")
    if verdict in ("right", "wrong", "unchanged") and row.get("base_year") is not None:
        parts = [f"{head}, {_change_phrase(row, indicator, lang)} – {tx[verdict]}{note}."]
    else:
        parts = [f"{head}. {tx['too_few']}{note}."]
    rank = rank_text(row, lang, sentence=True)
    if rank:
        parts.append(rank)
    phrase = target_phrase(primary_target(row.get("targets") or [], row.get("latest_year")), indicator, lang)
    if phrase:
        parts.append(phrase)
    return " ".join(parts)


SUMMARY_COLUMNS = ["kommunkod", "base_year", "base_value", "latest_year", "latest_value", "verdict", "series_start",
                   "rank", "rank_n", "rank_shared", "rank_reason", "latest_year_n", "latest_year_members",
                   "network_preliminary", "targets"]


def add_summaries(table, catalog, names: dict) -> None:
    """Add summary_sv and summary_en to a trend table (stats.trends canonical columns), in place:
    the engine returns codes and numbers; this is the last step that writes the sentences."""
    from indicators.stats.trendmath import no_gc, table_records
    inds = {i.id: i for i in catalog}
    key = "indicator" if "indicator" in table.columns else "indicator_id"
    recs = table_records(table, [key] + [c for c in SUMMARY_COLUMNS if c in table.columns])
    with no_gc():
        for lang in ("sv", "en"):
            table[f"summary_{lang}"] = [summarise(r, inds[r[key]], lang, names.get(r["kommunkod"], r["kommunkod"]))
                                        for r in recs]
