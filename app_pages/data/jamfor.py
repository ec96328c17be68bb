"""Jämför: 2–N municipalities or a preset peer group (same county, all members, similar size)
on one theme: small multiples over the theme's indicators plus a rank table that flags
large differences from the group median."""
import streamlit as st

from indicators.catalog import theme_slug
from indicators.views.jamfor import (compare_figure, compare_no_data, compare_sections, compare_series_table,
                                     compare_summary, compare_table, custom_group_label, group_label, peer_group)
from indicators.views.pickers import opening_municipality
from indicators.views.snapshot import has_demo, kommun_name
from ui import loaders, pickers, state, widgets

lang = state.lang()
st.title(state.tr("compare.title"))
GROUPS = {"custom": "compare.group_custom", "county": "compare.group_county", "members": "compare.group_members",
          "size": "compare.group_size"}
wanted = state.url_state("grupp")
base_known = loaders.cached(opening_municipality, state.url_state("kommun"), state.own_municipalities())["kommun"]
fallback = "county" if base_known and not state.url_state("kommuner") else "custom"
group = st.segmented_control(state.tr("compare.group"), list(GROUPS), default=wanted if wanted in GROUPS else fallback,
                             format_func=lambda g, tr=state.translator(): tr(GROUPS[g]), key="compare.group", required=True)
state.set_url_state(grupp=group)
theme = pickers.theme_picker(key="compare.theme", allow_all=False)
members_only = pickers.members_toggle("compare.members")
if group == "custom":       # own choice: exactly the municipalities chosen, nothing added
    kod, chosen = "", tuple(pickers.kommuner_picker("compare.kommuner", [], key="compare.kommuner",
                                                    members_only=members_only, from_kommun=False))
else:
    kod, chosen = pickers.municipality_picker(key="compare.base", label_key="compare.base", members_only=members_only), ()
    if kod is None:
        st.info(state.tr("picker.choose_prompt_compare"), icon=":material/location_city:")
        st.stop()

kommuner = tuple(loaders.cached(peer_group, group, kod, chosen))
if group == "size" and not kommuner:
    st.warning(state.tr("compare.size_unknown", name=loaders.cached(kommun_name, kod)))
    st.stop()
if len(kommuner) < 2:
    st.info(state.tr("compare.need_two"))
    st.stop()
kod = kommuner[0]
label = loaders.cached(group_label, group, kod, lang) if group != "custom" else \
    loaders.cached(custom_group_label, kommuner, lang)
widgets.demo_banner(loaders.cached(has_demo, None, kommuner))
st.caption(state.tr("compare.group_caption", n=len(kommuner), group=label))

theme_text = state.tr(f"theme.{theme_slug(theme)}")
st.header(state.tr("compare.chart_heading"))
highlight = kommuner if group == "custom" else (kod,)
title = state.tr("compare.chart_title", theme=theme_text, group=label)
summary = " ".join([loaders.cached(compare_summary, kommuner, theme, lang), state.tr("compare.chart_summary")])
no_data = loaders.cached(compare_no_data, kommuner, theme, lang)
widgets.plotly_chart(loaders.cached(compare_figure, kommuner, theme, highlight, title, lang), key="compare.chart",
                     filename=f"gronanyckeltal_{theme_slug(theme)}_{'_'.join(kommuner[:4])}",
                     summary=summary)
st.caption(summary)
if no_data:
    st.markdown(f"**{state.tr('compare.no_data_heading')}:** {no_data}")
widgets.table_twin(loaders.cached(compare_series_table, kommuner, theme, lang),
              f"gronanyckeltal_{theme_slug(theme)}_serier", key="compare.twin")

st.header(state.tr("compare.rank_title"))
st.markdown(state.tr("compare.rank_intro", pct=widgets.large_difference_text()))
st.caption(state.tr("compare.diff_note"))
for section in loaders.cached(compare_sections, kommuner, theme, lang):
    st.subheader(section["name"])
    st.caption(state.tr("compare.median_line", median=section["median"]))
    widgets.flagged_table(section["table"], key=f"compare.ranks.{section['id']}", flags=section["flags"],
                          scores=section["scores"], decimals=section["decimals"],
                          shade_column=section["diff_column"])
widgets.download_buttons(loaders.cached(compare_table, kommuner, theme, lang),
                    f"gronanyckeltal_jamforelse_{theme_slug(theme)}", key="compare.download")
