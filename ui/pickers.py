"""The pickers the pages share, each bound to the URL so a copied link opens the same view:
municipality (?kommun=) and municipalities (?kommuner=), with members marked "★ SEKOM" and a
"Bara SEKOM-medlemmar" toggle (?medlemmar=1); theme pills (?tema=), a view switch (?vy=) and the
year (?år=). No silent default municipality: a picker opens on the URL's code, else the logged-in
reporter's own municipality, else empty with a prompt; an unknown code is said in words. The
data behind them is indicators/views/pickers.py. Imports ui.state, ui.loaders and indicators/.
"""
from __future__ import annotations

import streamlit as st

from indicators.catalog import THEME_SLUGS, theme_from_slug
from indicators.views.pickers import (municipality_choices, opening_municipalities, opening_municipality,
                                      unknown_code_text)
from ui import loaders
from ui.state import int_param, lang, own_municipalities, set_url_state, tr, translator, url_state


def members_toggle(key: str) -> bool:
    """'Bara SEKOM-medlemmar': limits the municipality pickers to the members; kept in ?medlemmar=1."""
    on = st.toggle(tr("picker.members_only"), value=url_state("medlemmar") == "1", key=key,
                   help=tr("picker.members_only_help"))
    set_url_state(medlemmar="1" if on else None)
    return on


def municipality_picker(key: str = "kommun.select", label_key: str = "common.municipality",
                        members_only: bool = False) -> str | None:
    """One municipality, members first and marked; the choice lives in ?kommun=. Opens on the URL's
    code, else the logged-in reporter's own municipality, else empty (None: the page asks). An
    unknown code in the URL is said in words above the empty picker."""
    opening = loaders.cached(opening_municipality, url_state("kommun"), own_municipalities())
    keep = tuple(k for k in (opening["kommun"], st.session_state.get(key)) if k)
    choices = loaders.cached(municipality_choices, lang(), members_only, keep)
    options = list(choices)
    if opening["unknown"] and not st.session_state.get(key):
        st.warning(unknown_code_text(opening["unknown"], lang()), icon=":material/error:")
    index = options.index(opening["kommun"]) if opening["kommun"] in options else None
    chosen = st.selectbox(tr(label_key), options, index=index, format_func=lambda k: choices.get(k, k), key=key,
                          placeholder=tr("picker.placeholder"))
    if chosen:
        set_url_state(kommun=chosen)
        if opening["source"] == "own" and chosen == opening["kommun"]:
            st.caption(tr("picker.own_municipality", name=loaders.snapshot_now().names().get(chosen, chosen)))
    return chosen


def municipality_chooser(key: str = "kommun.select", label_key: str = "common.municipality",
                         toggle_key: str = "kommun.members") -> str | None:
    """The municipality picker with the members-only toggle beside it (stacked on a phone)."""
    pick, only = st.columns([3, 2], vertical_alignment="bottom")
    with only:
        members_only = members_toggle(toggle_key)
    with pick:
        return municipality_picker(key, label_key, members_only)


def kommuner_picker(label_key: str, default: list[str], key: str, members_only: bool = False,
                    from_kommun: bool = True) -> list[str]:
    """Several municipalities, members first and marked; the choice lives in ?kommuner=1490,0180
    (else ?kommun= when from_kommun, else `default`). Exactly what the user chose comes back:
    nothing is added to it. Unknown codes in the URL are said in words."""
    opening = loaders.cached(opening_municipalities, url_state("kommuner"))
    if opening["unknown"]:
        st.warning(unknown_code_text(opening["unknown"], lang()), icon=":material/error:")
    wanted = opening["kommuner"]
    if not wanted and not opening["unknown"]:
        single = loaders.cached(opening_municipality, url_state("kommun"), ()) if from_kommun else {"kommun": None}
        wanted = [single["kommun"]] if single["kommun"] else list(default)
    keep = tuple(dict.fromkeys([*wanted, *(st.session_state.get(key) or [])]))
    choices = loaders.cached(municipality_choices, lang(), members_only, keep)
    chosen = st.multiselect(tr(label_key), list(choices), default=[k for k in wanted if k in choices],
                            format_func=lambda k: choices.get(k, k), key=key, placeholder=tr("picker.placeholder_many"))
    if chosen or not opening["unknown"]:
        set_url_state(kommuner=",".join(chosen) if chosen else None)
    return chosen


def kommuner_from_url(default: list[str]) -> list[str]:
    """The municipalities a view names: ?kommuner=1490,0180, else ?kommun=, else default (known codes only)."""
    labels = loaders.municipality_labels()
    wanted = [k for k in (url_state("kommuner") or "").split(",") if k in labels]
    if not wanted:
        wanted = [url_state("kommun")] if url_state("kommun") in labels else [k for k in default if k in labels]
    return wanted


def theme_picker(key: str = "tema.select", allow_all: bool = True) -> str | None:
    """Theme pills; the choice lives in ?tema=<slug>. Returns the catalogue's theme name or None (all)."""
    slugs = list(THEME_SLUGS.values())
    wanted = url_state("tema")
    default = wanted if wanted in slugs else (None if allow_all else slugs[0])
    choice = st.pills(tr("common.theme"), slugs, default=default, format_func=lambda s, tr=translator(): tr(f"theme.{s}"),
                      key=key, required=not allow_all)
    set_url_state(tema=choice)
    return theme_from_slug(choice)


def url_segmented(param: str, options: dict[str, str], default: str, label_key: str, key: str) -> str:
    """One of several views as a segmented control bound to ?<param>= (the default is left out of
    the URL). Unlike st.tabs it switches on the first click and the URL follows in the same run."""
    wanted = url_state(param)
    choice = st.segmented_control(tr(label_key), list(options), default=wanted if wanted in options else default,
                                  format_func=lambda slug, tr=translator(): tr(options[slug]), key=key, required=True,
                                  label_visibility="collapsed")
    set_url_state(**{param: None if choice == default else choice})
    return choice


def year_select(years: list[int], key: str, default: int | None = None) -> int:
    """The year, as a select box that always shows the chosen year in words (a slider over 30 years
    showed only its end labels); the choice lives in ?år= (default: `default`, e.g. the latest
    complete year, else the latest). Newest first: the year one usually wants is at the top."""
    wanted = int_param("år")
    fallback = default if default in years else years[-1]
    value = wanted if wanted in years else fallback
    options = sorted(years, reverse=True)
    year = st.selectbox(tr("indicator.year"), options, index=options.index(value), key=key)
    set_url_state(år=year)
    return int(year)
