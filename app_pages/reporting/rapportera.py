"""Rapportera: download the template, upload a file, see every problem or the preview,
comment flagged values, confirm. Log in first. Shares its path with the CLI import."""
import streamlit as st

from ui import loaders, session, state, widgets
from indicators.ingest import comments as comments_mod
from indicators.ingest import reporting
from indicators.views import uploads
from indicators.ingest.checks import current_year
from indicators.errors import GNError, ValidationError
from indicators.ingest.parse import MAX_UPLOAD_BYTES


def problems(report, key: str) -> None:
    """Every problem, every column in full: the message wraps instead of being cut."""
    widgets.wrapped_table(uploads.problem_table(report, state.lang()), key=key,
                          wide={state.tr("report.col_message"): 520, state.tr("report.col_value"): 140})


st.title(state.tr("nav.rapportera"))
user = session.require_login()
store = loaders.get_store()
st.caption(state.tr("report.intro"))

choices = list(user.municipalities) if not user.is_admin else loaders.members()
wanted = state.int_param("year")
default_year = wanted if wanted is not None and 1970 <= wanted <= current_year() else current_year() - 1
c1, c2 = st.columns(2)
kod = c1.selectbox(state.tr("common.municipality"), choices, format_func=loaders.municipality_label, key="report.kommun")
year = int(c2.number_input(state.tr("common.year"), min_value=1970, max_value=current_year(), step=1,
                           value=default_year, key="report.year"))
tab_upload, tab_comments = st.tabs([state.tr("report.tab_upload"), state.tr("report.tab_comments")])

with tab_comments:
    st.subheader(state.tr("report.comment_header"))
    with st.form("comment.form", clear_on_submit=True):
        ind = st.selectbox(state.tr("common.indicator"), loaders.catalog().ids, key="comment.indicator",
                           format_func=lambda i, lg=state.lang(): f"{i} {loaders.catalog()[i].name(lg)}")
        text = st.text_area(state.tr("report.comment_text"), max_chars=comments_mod.MAX_COMMENT_LENGTH, key="comment.text")
        if st.form_submit_button(state.tr("report.comment_save"), key="comment.save"):
            try:
                comments_mod.add_comment(store, user, kod, ind, text)
                loaders.clear_caches()
                st.success(state.tr("report.comment_saved"))
            except GNError as exc:
                widgets.show_domain_error(exc)
    st.subheader(state.tr("report.comments_current"))
    current_comments = uploads.comment_table(comments_mod.comments_for(store, kod), state.lang())
    widgets.wrapped_table(current_comments, key="comment.list", wide={state.tr("report.col_comment"): 420})
    widgets.download_buttons(current_comments, f"kommentarer_{kod}", key="comment.download")

with tab_upload:
    st.subheader(state.tr("report.template_header"))
    st.caption(state.tr("report.template_help"))
    widgets.download_buttons(reporting.template_frame(store, user, kod, year, state.lang()), f"rapportmall_{kod}_{year}",
                        key="report.template")
    st.subheader(state.tr("report.upload_header"))
    layout = st.radio(state.tr("report.format_label"), ("template", "incumbent"), horizontal=True, key="upload.format",
                      format_func=lambda f, tr=state.translator(): tr(f"report.format_{f}"))
    indicator = None
    if layout == "incumbent":
        st.caption(state.tr("report.incumbent_help"))
        indicator = st.selectbox(state.tr("report.incumbent_indicator"), loaders.catalog().ids, key="upload.indicator",
                                 format_func=lambda i, lg=state.lang(): f"{i} {loaders.catalog()[i].name(lg)}")
    st.caption(state.tr("report.upload_help", mb=MAX_UPLOAD_BYTES // 2 ** 20))
    upload = st.file_uploader(state.tr("report.upload_label"), key="upload.file", max_upload_size=MAX_UPLOAD_BYTES // 2 ** 20)
    if upload is None:
        st.stop()
    done = st.session_state.get("upload.committed")
    if done and done[0] == upload.file_id:
        st.success(state.tr("report.committed", id=done[1].upload_id, new=done[1].n_new, changed=done[1].n_changed),
                   icon=":material/check_circle:")
        st.stop()

    cache_key = (upload.file_id, user.username, indicator)
    if st.session_state.get("upload.key") != cache_key:
        with st.status(state.tr("report.checking"), expanded=True) as box:
            bar = st.progress(0.0)
            report = reporting.prepare_upload(store, upload.getvalue(), upload.name, user, indicator=indicator,
                                              progress=lambda f, key: bar.progress(f, text=state.tr(key)))
            box.update(label=state.tr("report.progress_done" if report.ok else "report.progress_rejected"),
                       state="complete" if report.ok else "error", expanded=False)
        st.session_state["upload.key"], st.session_state["upload.report"] = cache_key, report
    report = st.session_state["upload.report"]
    st.caption(state.tr("report.read_summary", n=report.n_read, blank=report.n_blank,
                        encoding=report.encoding or report.kind, layout=state.tr(f"report.layout_{report.layout}"))
               + (" " + uploads.decimal_text(report, state.lang()) if report.n_read else ""))
    for note in uploads.note_lines(report, state.lang()):
        st.info(note, icon=":material/info:")
    if not report.ok:
        st.error(state.tr("report.rejected", n=len(report.problems)), icon=":material/error:")
        problems(report, key="report.problems")
        st.stop()

    st.subheader(state.tr("report.preview_header"))
    n = reporting.counts(report.rows)
    st.info(state.tr("report.preview_counts", **n))
    widgets.wrapped_table(uploads.preview_table(report, state.lang()), key="report.preview",
                          wide={state.tr("report.col_flags"): 300, state.tr("report.col_comment"): 260})
    comments = {}
    if report.n_flagged:
        st.warning(state.tr("report.flagged_help", n=report.n_flagged), icon=":material/flag:")
        flagged = uploads.flagged_table(report, state.lang())
        edited = st.data_editor(flagged, hide_index=True, key="report.flagged", placeholder="",
                                disabled=[c for c in flagged.columns if c != state.tr("report.col_comment")])
        comments = uploads.comments_from_table(report, edited, state.lang())
    if not (n["new"] or n["changed"]):
        st.info(state.tr("report.nothing_new"))
    if st.button(state.tr("report.confirm"), type="primary", key="report.confirm", icon=":material/check:"):
        try:
            # An admin's table-view upload is a historic import: its flags are recorded, not blocking.
            kind = "imported" if indicator and user.is_admin else "reported"
            result = reporting.commit_upload(store, report, user, comments, kind)
        except ValidationError as exc:
            st.error(state.tr("report.comments_missing", n=len(exc.report.problems)), icon=":material/error:")
            problems(exc.report, key="report.missing")
        except GNError as exc:
            widgets.show_domain_error(exc)
        else:
            loaders.clear_caches()
            st.session_state["upload.committed"] = (upload.file_id, result)
            st.session_state.pop("upload.key", None)
            st.rerun()
