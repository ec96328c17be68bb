"""Jämför: 2–N municipalities or a preset peer group (same county, all members, similar size)
on one theme: small multiples over the theme's indicators plus a rank table that flags
large differences from the group median."""
import streamlit as st

import ui

lang = ui.lang()
st.title(ui.tr("compare.title"))
GROUPS = {"custom": "compare.group_custom", "county": "compare.group_county", "members": "compare.group_members",
          "size": "compare.group_size"}
wanted = ui.url_state("grupp")
fallback = "custom" if ui.url_state("kommuner") else "county"
group = st.segmented_control(ui.tr("compare.group"), list(GROUPS), default=wanted if wanted in GROUPS else fallback,
                             format_func=lambda g: ui.tr(GROUPS[g]), key="compare.group", required=True)
ui.set_url_state(grupp=group)
theme = ui.theme_picker(key="compare.theme", allow_all=False)
left, right = st.columns(2)
with left:
    kod = ui.municipality_picker(key="compare.base", label_key="compare.base")
name = ui.data("kommun_name", kod)
chosen = ()
if group == "custom":
    with right:
        chosen = tuple(k for k in ui.kommuner_picker("compare.kommuner", [], key="compare.kommuner") if k != kod)

kommuner = tuple(ui.data("peer_group", group, kod, chosen))
if group == "size" and not kommuner:
    st.warning(ui.tr("compare.size_unknown", name=name))
    st.stop()
if len(kommuner) < 2:
    st.info(ui.tr("compare.need_two"))
    st.stop()
label = ui.data("group_label", group, kod, lang) if group != "custom" else ", ".join(
    ui.municipality_label(k) for k in kommuner)
ui.demo_banner(ui.data("demo_marker", None, kommuner))
st.caption(ui.tr("compare.group_caption", n=len(kommuner), group=label))

theme_text = ui.tr(f"theme.{ui.theme_slug(theme)}")
st.header(ui.tr("compare.chart_heading"))
highlight = kommuner if group == "custom" else (kod,)
title = ui.tr("compare.chart_title", theme=theme_text, group=label)
ui.plotly_chart(ui.data("compare_figure", kommuner, theme, highlight, title, lang), key="compare.chart",
                filename=f"gronanyckeltal_{ui.theme_slug(theme)}_{'_'.join(kommuner[:4])}")
st.caption(" ".join([ui.data("compare_summary", kommuner, theme, lang), ui.tr("compare.chart_summary")]))
ui.table_twin(ui.data("compare_series_table", kommuner, theme, lang),
              f"gronanyckeltal_{ui.theme_slug(theme)}_serier", key="compare.twin")

st.header(ui.tr("compare.rank_title"))
st.markdown(ui.tr("compare.rank_intro", pct=ui.large_difference_text()))
for section in ui.data("compare_sections", kommuner, theme, lang):
    st.subheader(section["name"])
    st.caption(ui.tr("compare.median_line", median=section["median"]))
    ui.flagged_table(section["table"], key=f"compare.ranks.{section['id']}", flag_column=ui.tr("common.flag"))
ui.download_buttons(ui.data("compare_table", kommuner, theme, lang),
                    f"gronanyckeltal_jamforelse_{ui.theme_slug(theme)}", key="compare.download")
