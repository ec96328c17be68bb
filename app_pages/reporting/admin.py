"""Administration (the secretariat only): accounts, SEKOM membership per year, municipal
targets, series breaks, the Kolada import and the statistics settings (the preliminary-year
threshold). Every change is checked and recorded in indicators/, not here."""
import streamlit as st

from ui import loaders, session, state, widgets
from indicators.auth import users
from indicators.ingest import admin, kolada
from indicators.ingest.kolada_client import resolve_base_url
from indicators.ingest.kolada_mapping import KoladaMappingError
from indicators.views import kolada as kolada_view
from indicators.ingest.checks import current_year
from indicators.errors import GNError
from indicators.views import admin as admin_view

st.title(state.tr("nav.admin"))
user = session.require_admin()
store = loaders.get_store()
message = st.session_state.pop("admin.message", None)
if message:
    st.success(message, icon=":material/check_circle:")


def run(action, *args, **kwargs) -> None:
    """Do one admin action; show its error in words, or reload the page with 'Saved'."""
    try:
        action(store, user, *args, **kwargs)
    except GNError as exc:
        widgets.show_domain_error(exc)
    else:
        loaders.clear_caches()
        st.session_state["admin.message"] = state.tr("admin.saved")
        st.rerun()


codes = loaders.municipalities()["kommunkod"].tolist()
ids = loaders.catalog().ids
names, lang = loaders.municipality_labels(), state.lang()


def indicator_label(ind_id: str, language: str = lang) -> str:
    return f"{ind_id} {loaders.catalog()[ind_id].name(language)}"


tabs = st.tabs([state.tr(f"admin.tab_{t}") for t in ("accounts", "membership", "targets", "breaks")]
               + [state.tr("kolada.tab"), state.tr("admin.tab_statistics")])

with tabs[0]:
    accounts = users.list_accounts(store, user)
    widgets.table(admin_view.account_table(accounts, lang, names), key="admin.accounts")
    with st.form("admin.account_form", clear_on_submit=True):
        st.markdown(f"**{state.tr('admin.add_account')}**")
        c1, c2 = st.columns(2)
        name = c1.text_input(state.tr("admin.username"), key="admin.new_name")
        role = c2.selectbox(state.tr("admin.role"), users.ROLES, key="admin.new_role",
                            format_func=lambda r, tr=state.translator(): tr(f"login.role_{r}"))
        kommuner = st.multiselect(state.tr("admin.municipalities"), codes, format_func=loaders.municipality_label,
                                  key="admin.new_kommuner", placeholder=state.tr("admin.choose_municipalities"))
        email = c1.text_input(state.tr("admin.email"), key="admin.new_email")
        password = c2.text_input(state.tr("admin.password"), type="password", key="admin.new_password")
        if st.form_submit_button(state.tr("admin.create"), key="admin.create"):
            run(lambda s, u: users.add_account(s, u, name, password, role, kommuner, email))
    if len(accounts):
        who = st.selectbox(state.tr("admin.account"), accounts["username"].tolist(), key="admin.account")
        c1, c2, c3 = st.columns(3, vertical_alignment="bottom")
        if c1.button(state.tr("admin.disable"), key="admin.disable"):
            run(users.set_disabled, who, True)
        if c2.button(state.tr("admin.enable"), key="admin.enable"):
            run(users.set_disabled, who, False)
        with c3.form("admin.reset_form", clear_on_submit=True, border=False):
            new_pw = st.text_input(state.tr("admin.new_password"), type="password", key="admin.reset_password")
            reset = st.form_submit_button(state.tr("admin.reset"), key="admin.reset")
        if reset:
            st.session_state.pop("admin.reset_password", None)     # no password kept across reruns
            run(users.reset_password, who, new_pw)

with tabs[1]:
    widgets.table(admin_view.membership_table(admin.membership(store), lang), key="admin.membership")
    with st.form("admin.membership_form"):
        c1, c2, c3 = st.columns(3)
        kod = c1.selectbox(state.tr("common.municipality"), codes, format_func=loaders.municipality_label, key="admin.m_kod")
        start = c2.number_input(state.tr("admin.from_year"), 1970, 2100, current_year(), key="admin.m_from")
        end = c3.number_input(state.tr("admin.to_year"), 0, 2100, 0, key="admin.m_to")
        note = st.text_input(state.tr("admin.note"), key="admin.m_note")
        save, remove = st.columns(2)
        if save.form_submit_button(state.tr("admin.save_period"), key="admin.m_save"):
            run(admin.save_membership, kod, int(start), int(end) or None, note)
        if remove.form_submit_button(state.tr("admin.remove_period"), key="admin.m_remove"):
            run(admin.remove_membership, kod, int(start))

with tabs[2]:
    targets = admin.municipal_targets(store)
    widgets.table(admin_view.target_table(targets, lang, names), key="admin.targets")
    with st.form("admin.target_form", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        kod = c1.selectbox(state.tr("common.municipality"), codes, format_func=loaders.municipality_label, key="admin.t_kod")
        ind = c2.selectbox(state.tr("common.indicator"), ids, key="admin.t_ind", format_func=indicator_label)
        kind = c3.selectbox(state.tr("admin.kind"), ("absolute", "relative"), key="admin.t_kind",
                            format_func=lambda k, tr=state.translator(): tr(f"admin.kind_{k}"))
        value = c1.number_input(state.tr("admin.target_value"), value=0.0, key="admin.t_value")
        year = c2.number_input(state.tr("admin.target_year"), 1970, 2100, 2030, key="admin.t_year")
        base = c3.number_input(state.tr("admin.base_year"), 0, 2100, 0, key="admin.t_base")
        label = st.text_input(state.tr("admin.label"), key="admin.t_label")
        if st.form_submit_button(state.tr("admin.add_target"), key="admin.t_add"):
            run(lambda s, u: admin.add_municipal_target(s, u, ind, kod, value, int(year), label, kind,
                                                            int(base) or None))
    if len(targets):
        target_labels = {int(r["id"]): admin_view.target_label(r, lang, names) for _, r in targets.iterrows()}
        tid = st.selectbox(state.tr("admin.target"), list(target_labels), key="admin.t_pick", format_func=target_labels.get)
        if st.button(state.tr("admin.deactivate"), key="admin.t_deactivate"):
            run(admin.deactivate_municipal_target, int(tid))

with tabs[3]:
    breaks = admin.series_breaks(store)
    widgets.table(admin_view.break_table(breaks, lang, names), key="admin.breaks")
    with st.form("admin.break_form", clear_on_submit=True):
        c1, c2, c3 = st.columns(3)
        ind = c1.selectbox(state.tr("common.indicator"), ids, key="admin.b_ind", format_func=indicator_label)
        year = c2.number_input(state.tr("common.year"), 1970, 2100, current_year(), key="admin.b_year")
        kod = c3.selectbox(state.tr("common.municipality"), [None, *codes], key="admin.b_kod",
                           format_func=lambda k, tr=state.translator(): tr("admin.break_all") if k is None else loaders.municipality_label(k))
        note = st.text_input(state.tr("admin.break_note"), key="admin.b_note")
        if st.form_submit_button(state.tr("admin.add_break"), key="admin.b_add"):
            run(admin.add_series_break, ind, int(year), note, kod)
    own = breaks.loc[breaks["created_by"] != "catalog", "id"].tolist()
    if own:
        break_labels = {int(r["id"]): f"#{int(r['id'])} {r['indicator_id']} {int(r['year'])}"
                        for _, r in breaks.iterrows() if r["created_by"] != "catalog"}
        bid = st.selectbox(state.tr("admin.break"), own, key="admin.b_pick", format_func=break_labels.get)
        if st.button(state.tr("admin.remove_break"), key="admin.b_remove"):
            run(admin.remove_series_break, int(bid))

with tabs[4]:
    st.caption(state.tr("kolada.intro"))
    cat = loaders.catalog()
    with st.form("kolada.form"):
        base_url = st.text_input(state.tr("kolada.base_url"), value=resolve_base_url(), key="kolada.base_url")
        chosen = st.multiselect(state.tr("kolada.kpis"), [i.id for i in cat.kolada_mapped()], key="kolada.kpis",
                                format_func=lambda i, lg=lang: f"{i} {cat[i].name(lg)} ({cat[i].kolada_kpi})",
                                placeholder=state.tr("common.choose"))
        c1, c2, c3 = st.columns(3, vertical_alignment="bottom")
        use_since = c1.checkbox(state.tr("kolada.use_since"), key="kolada.use_since")
        since = c2.date_input(state.tr("kolada.since"), key="kolada.since")
        dry_run = c3.checkbox(state.tr("kolada.dry_run"), key="kolada.dry_run")
        start = st.form_submit_button(state.tr("kolada.run"), type="primary", key="kolada.run", icon=":material/download:")
    if start:
        bar = st.progress(0.0, text=state.tr("kolada.running"))
        try:
            result = kolada.run_import(store, base_url=base_url, kpis=chosen or None, since=since if use_since else None,
                                       dry_run=dry_run, user=user, progress=lambda f, key: bar.progress(f, text=state.tr(key)))
        except KoladaMappingError as exc:
            st.error("\n\n".join(kolada_view.mapping_problem_lines(exc, state.lang())), icon=":material/error:")
        except GNError as exc:
            widgets.show_domain_error(exc)
        else:
            if result.upload_id:
                loaders.clear_caches()
            st.session_state["kolada.result"] = result
    result = st.session_state.get("kolada.result")
    if result is not None:
        st.success(kolada_view.headline(result, state.lang()), icon=":material/check_circle:")
        st.caption(kolada_view.run_facts(result, state.lang()))
        widgets.table(kolada_view.summary_table(result, state.lang()), key="kolada.summary")
        if len(result.skipped):
            st.caption(state.tr("kolada.skipped_header", n=len(result.skipped)))
            widgets.table(kolada_view.skipped_table(result, state.lang(), loaders.municipality_labels()),
                          key="kolada.skipped")
        if result.total("flagged"):
            st.caption(state.tr("kolada.flags_caption", n=result.total("flagged")))

with tabs[5]:
    share = admin.preliminary_share(store)
    st.subheader(state.tr("admin.preliminary_heading"))
    st.markdown(state.tr("admin.preliminary_body", share=widgets.percent_text(100 * share)))
    with st.form("admin.preliminary_form"):
        percent = st.number_input(state.tr("admin.preliminary_share"), 1.0, 100.0, 100.0 * share, step=5.0,
                                  key="admin.preliminary_share")
        if st.form_submit_button(state.tr("admin.preliminary_save"), key="admin.preliminary_save"):
            run(admin.set_preliminary_share, percent)
