"""The municipality pickers' data, shared by Kommun, Nyckeltal, Jämför and Tema: the choices
(members first and marked "★ SEKOM", optionally members only, a choice already made always kept),
which municipality a page opens on (the URL's code, else the logged-in reporter's own, else none:
the page asks) with an unknown code said in words, and the chosen places that have no data, named
under a chart ("Ingen data för Ale, Alingsås och Bjuv 2023"). Pure functions over a Snapshot;
never streamlit.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from indicators.text.i18n import t
from indicators.views.snapshot import Snapshot


def current_members(snap: Snapshot) -> set[str]:
    """The members today: membership open in the latest year with values (all members when the
    database holds no values yet)."""
    if not len(snap.current):
        m = snap.membership
        return set(m.loc[m["to_year"].isna(), "kommunkod"]) or snap.members()
    return snap.members(int(snap.current["year"].max()))


def municipality_choices(snap: Snapshot, lang: str, members_only: bool = False,
                         keep: Iterable[str] = ()) -> dict[str, str]:
    """{kommunkod: label} in picker order: the members first, each marked ('Borås ★ SEKOM (1490)'),
    then every other municipality ('Ale (1440)'), each part by name. members_only leaves the others
    out, except the codes in `keep` (a choice already made is never dropped behind the user's back)."""
    names, members = snap.names(), current_members(snap)
    mark = t("picker.member_mark", lang)
    keep = {k for k in keep if k in names}
    inside = sorted((k for k in names if k in members), key=lambda k: (names[k], k))
    outside = sorted((k for k in names if k not in members and (not members_only or k in keep)),
                     key=lambda k: (names[k], k))
    return {**{k: f"{names[k]} {mark} ({k})" for k in inside}, **{k: f"{names[k]} ({k})" for k in outside}}


def opening_municipality(snap: Snapshot, wanted: str | None, own: Sequence[str] = ()) -> dict:
    """Which municipality a page opens on, never a silent default: the code in the URL when it is
    known, else the logged-in reporter's own first municipality, else none (the page asks).
    {"kommun": code | None, "source": "url" | "own" | None, "unknown": the URL's unknown code | None}."""
    names = snap.names()
    wanted = (wanted or "").strip() or None
    unknown = wanted if wanted is not None and wanted not in names else None
    if wanted in names:
        return {"kommun": wanted, "source": "url", "unknown": None}
    mine = next((k for k in own if k in names), None)
    return {"kommun": mine, "source": "own" if mine else None, "unknown": unknown}


def opening_municipalities(snap: Snapshot, wanted: str | None) -> dict:
    """The municipalities a list in the URL names (?kommuner=1490,0180): the known ones in order,
    once each, and the unknown codes apart (said in words, never silently replaced)."""
    names = snap.names()
    codes = [c.strip() for c in (wanted or "").split(",") if c.strip()]
    return {"kommuner": list(dict.fromkeys(c for c in codes if c in names)),
            "unknown": list(dict.fromkeys(c for c in codes if c not in names))}


def unknown_code_text(codes: str | Sequence[str], lang: str) -> str:
    """'Kommunkoden 9999 finns inte. Välj en kommun i listan.' (several codes: 'Kommunkoderna …')."""
    codes = [codes] if isinstance(codes, str) else list(codes)
    key = "picker.unknown_code" if len(codes) == 1 else "picker.unknown_codes"
    return t(key, lang, codes=join_names(codes, lang))


def join_names(names: Sequence[str], lang: str) -> str:
    """'Ale', 'Ale och Bjuv', 'Ale, Alingsås och Bjuv' ('… and …' in English)."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('picker.and', lang)} {names[-1]}"


def without_data(snap: Snapshot, indicator_id: str, kommuner: Sequence[str], year: int | None = None) -> list[str]:
    """The chosen municipalities (in the order chosen) with no value of the indicator: in `year`,
    or in any year when year is None."""
    cur = snap.current[snap.current["indicator_id"] == indicator_id]
    if year is not None:
        cur = cur[cur["year"] == year]
    have = set(cur["kommunkod"])
    return [k for k in dict.fromkeys(kommuner) if k not in have]


def no_data_text(snap: Snapshot, indicator_id: str, kommuner: Sequence[str], lang: str,
                 year: int | None = None) -> str:
    """The chosen places a chart cannot show, named: 'Ingen data för Ale, Alingsås och Bjuv 2023'
    (year None: '… något år'); '' when every chosen place has data."""
    missing = without_data(snap, indicator_id, kommuner, year)
    if not missing:
        return ""
    names = join_names([snap.names().get(k, k) for k in missing], lang)
    return t("picker.no_data_year", lang, names=names, year=year) if year is not None else \
        t("picker.no_data_any", lang, names=names)


def theme_no_data_text(snap: Snapshot, indicator_ids: Sequence[str], kommuner: Sequence[str], lang: str) -> str:
    """Small multiples over several indicators: per indicator the chosen places without any value
    ('Ekologiska livsmedel: ingen data för Ale och Bjuv.'), joined; '' when none is missing."""
    parts = []
    for ind_id in indicator_ids:
        missing = without_data(snap, ind_id, kommuner)
        if missing:
            parts.append(t("picker.no_data_panel", lang, indicator=snap.catalog[ind_id].name(lang),
                           names=join_names([snap.names().get(k, k) for k in missing], lang)))
    return " ".join(parts)
