"""The accessibility script's data (chart summaries, labels) is JSON inside an inline <script>:
no "<" may reach the HTML as is, or "</script" would end the element and "<!--<script" would change
how the browser reads the rest of it. ui.a11y.script_json writes every "<" as \\u003c."""
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from ui import a11y

HOSTILE = ["</script><script>alert(1)</script>", "<!--<script>", "a < b <= c", "\\<", "rad\u2028skift\u2029",
           "Borås <Västra Götaland>", "ett & två"]


def test_script_json_writes_no_less_than_sign_and_reads_back_the_same_data():
    data = {"labels": {f"st-key-{i}": text for i, text in enumerate(HOSTILE)}, "lang": "sv", "n": [1, 2.5, None]}
    out = a11y.script_json(data)
    assert "<" not in out and "\u2028" not in out and "\u2029" not in out
    assert out.count("\\u003c") == sum(text.count("<") for text in HOSTILE)
    assert json.loads(out) == data


def _page():
    import streamlit as st
    from ui import a11y as page_a11y
    slot = page_a11y.begin()
    page_a11y.label_chart("chart", st.session_state.get("summary", ""))
    page_a11y.finish(slot)


def test_a_chart_summary_with_markup_cannot_leave_the_script_element():
    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state["summary"] = "Ökar <!--<script> och </script><b>fet</b>"
    at.run()
    assert not at.exception
    (script,) = [str(el.proto.body) for el in at.get("html") if "const data =" in str(el.proto.body)]
    body = script.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert "<" not in body.split("const data =", 1)[1].split(";\n", 1)[0]
    assert "</script" not in body and "<!--" not in body
    data = json.loads(body.split("const data =", 1)[1].split(";\n", 1)[0])
    assert data["labels"][a11y.key_class("chart")] == "Ökar <!--<script> och </script><b>fet</b>"
