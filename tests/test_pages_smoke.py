"""An AppTest smoke test for every page: it renders with demo data and no exception."""
from __future__ import annotations

import pytest

from tests.apptest_helpers import all_text, open_page, plotly_figures


@pytest.mark.parametrize("page", [None, "kommun"])
def test_page_renders_with_demo_data_and_banner(demo_db, page):
    at = open_page(page, kommun="1490")
    assert "Demodata – inte officiella siffror" in all_text(at)


def test_kommun_page_charts_the_municipality_from_the_url(demo_db):
    at = open_page("kommun", kommun="1490", indikator="GN.10")
    figs = plotly_figures(at)
    assert figs, "no chart drawn"
    assert at.selectbox(key="kommun.select").value == "1490"
