"""The municipality report renderers (indicators/publish): PDF and Word from a hand-built content
object of 16 indicators, read back with pypdf and python-docx and checked on content: names,
numbers with U+202F, the demo line on every page, page counts, headings, tables, pictures, and
the table fallback when no Chromium can be used (really run: no path, a missing path, and a
program that is not a browser). Chart pictures come from Debian's chromium through kaleido."""
from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import plotly.graph_objects as go
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import docx as python_docx
from indicators.publish import charts_png, style
from indicators.publish.charts_png import (NO_CHROMIUM, RENDER_FAILED, ChartRenderer, find_chromium,
                                           render_charts, shared_renderer)
from indicators.publish.content import Chart, IndicatorRow, Table, plain_text
from indicators.publish.docx import render_docx
from indicators.publish.pdf import render_pdf
from tests.conftest import ROOT
from tests.publish_helpers import EN_LABELS, HOSTILE, INDICATORS, NNBSP, SV_LABELS, sample_content

ARTIFACTS = ROOT / "test-artifacts"


def _norm(text: str) -> str:
    """Line breaks and runs of ordinary spaces to one space; U+202F and U+00A0 are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text)


def _pdf_pages(data: bytes) -> list[str]:
    return [_norm(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def _nbsp_as_space(text: str) -> str:
    """reportlab draws U+00A0 with the space glyph's code (by design), so the text layer reads a
    plain space there; it still never breaks a line. U+202F is kept as itself."""
    return text.replace("\u00a0", " ")


def _pdf_images(data: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def _save(name: str, data: bytes) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)


def _require_chromium() -> None:
    if find_chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: CI must render the report charts (apt-get install chromium)")
        pytest.skip("apt-get install chromium to render chart pictures")


@pytest.fixture(scope="module")
def renderer():
    _require_chromium()
    with ChartRenderer() as r:
        yield r.start()


@pytest.fixture(scope="module")
def sv_pdf(renderer) -> bytes:
    data = render_pdf(sample_content("sv"), renderer=renderer)
    _save("publish-sv.pdf", data)
    return data


@pytest.fixture(scope="module")
def sv_docx(renderer):
    data = render_docx(sample_content("sv"), renderer=renderer)
    _save("publish-sv.docx", data)
    return python_docx.Document(io.BytesIO(data))


# ------------------------------------------------------------------ font, content model, Chromium lookup

@pytest.mark.parametrize("path", [style.FONT_REGULAR, style.FONT_BOLD])
def test_shipped_font_has_swedish_letters_and_the_no_break_spaces(path):
    cmap = TTFont(path).getBestCmap()
    missing = [f"U+{ord(c):04X}" for c in style.REQUIRED_CHARS + "₂" if ord(c) not in cmap]
    assert missing == []
    assert 0x202F in cmap and 0x00A0 in cmap
    assert (path.parent / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").count("Bitstream") >= 2


def test_content_rejects_an_unknown_state_code_and_a_ragged_table():
    row = sample_content("sv", charts=False).rows[0]
    with pytest.raises(ValueError, match="verdict_code 'better'"):
        IndicatorRow(**{**row.__dict__, "verdict_code": "better"})
    with pytest.raises(ValueError, match="2 cells, the header 3"):
        Table(headers=("År", "A", "B"), rows=(("2020", "1"),))


def test_plain_text_drops_control_characters_and_keeps_markup_as_characters():
    assert plain_text("<b>a</b>\x00\x07 & =SUM(A1)\r\nb\rc") == "<b>a</b> & =SUM(A1)\nb\nc"
    assert plain_text(None) == ""


def test_find_chromium_honours_argument_environment_and_none(monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("GN_CHROMIUM", "none")
    assert find_chromium() is None
    monkeypatch.setenv("GN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None
    not_executable = tmp_path / "chromium"
    not_executable.write_text("")
    assert find_chromium(not_executable) is None
    assert find_chromium(sys.executable) == Path(sys.executable)
    assert find_chromium("") is None


# ------------------------------------------------------------------ PDF

def test_pdf_lists_every_indicator_with_its_value_year_and_rank(sv_pdf):
    text = " ".join(_pdf_pages(sv_pdf))
    content = sample_content("sv", charts=False)
    for row in content.rows:
        assert row.name in text, row.name
        assert _nbsp_as_space(row.value) in text, row.value
        assert row.rank in text, row.rank
    assert "1\u202f075 kg/person" in text          # the narrow no-break space survives, on one line
    assert f"1{NNBSP}234,5 kg per person" in text   # in the summary
    assert "Nationellt mål: 96 resor/inv år 2030. I fas mot målet." in text
    assert "Nationellt mål: 138 % år 2030. Målet är nått." in text
    assert "[preliminärt]" in text and "[inaktuellt: senaste år 2021]" in text
    for heading in (SV_LABELS.best, SV_LABELS.weakest, SV_LABELS.indicators, SV_LABELS.comments,
                    SV_LABELS.sources, SV_LABELS.licence, SV_LABELS.citation, SV_LABELS.charts):
        assert heading in text, heading
    assert "SEKOM-medel, bedömningar, riktningar och rangordningar (beräknat av Gröna nyckeltal)" in text


def test_pdf_prints_hostile_comments_literally(sv_pdf):
    text = " ".join(_pdf_pages(sv_pdf))
    assert '<script>alert("x")</script> & <b>fet</b>' in text
    assert '=HYPERLINK("http://evil.example","klicka") +SUM(A1) @cmd rad två rad tre' in text
    assert "\x00" not in text and "\x07" not in text


def test_pdf_has_the_demo_line_on_every_page_and_fits_its_page_budget(sv_pdf):
    pages = _pdf_pages(sv_pdf)
    assert 2 <= len(pages) <= 4
    assert all("Demodata – inte officiella siffror" in p for p in pages)
    first_chart_page = next(i for i, p in enumerate(pages) if SV_LABELS.charts in p)
    assert first_chart_page in (1, 2)            # the politician's part is one or two pages
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]


def test_pdf_embeds_the_font_and_sixteen_chart_pictures(sv_pdf):
    reader = PdfReader(io.BytesIO(sv_pdf))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object() if "/FontDescriptor" in font else None
            if descriptor is not None and "/FontFile2" in descriptor:
                fonts.add(str(font["/BaseFont"]))
    assert any("DejaVuSansCondensed" in f for f in fonts) and any("Bold" in f for f in fonts)
    for page in reader.pages:      # every font a page writes text with is an embedded one
        resources = page["/Resources"]["/Font"]
        for name in set(re.findall(rb"/(\S+) [\d.]+ Tf", page.get_contents().get_data())):
            font = resources["/" + name.decode()].get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert _pdf_images(sv_pdf) == 16
    assert reader.metadata.title == "Gröna nyckeltal 2026 – Ekokommun Å-by"
    assert str(reader.trailer["/Root"]["/Lang"]) == "sv"


def test_pdf_in_english_and_without_demo_values(renderer):
    data = render_pdf(sample_content("en", demo=False), renderer=renderer)
    _save("publish-en-nodemo.pdf", data)
    pages = _pdf_pages(data)
    text = " ".join(pages)
    assert all("Demo" not in p for p in pages)
    for _id, _sv, en, *_ in INDICATORS:
        assert en in text
    assert "1,075 kg/person" in text and EN_LABELS.best in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_pdf_without_comments_says_so(renderer):
    text = " ".join(_pdf_pages(render_pdf(sample_content("sv", comments=False, charts=False), renderer=renderer)))
    assert SV_LABELS.no_comments in text
    assert SV_LABELS.charts not in text          # no charts, no chart section


# ------------------------------------------------------------------ fallback: tables in place of charts

def _assert_table_fallback(pages: list[str], content) -> None:
    text = " ".join(pages)
    assert text.count(content.labels.charts_unavailable) == 1
    table = content.rows[4].chart.table          # a share: short cells that do not wrap
    assert all(h in text for h in table.headers)
    assert _nbsp_as_space(" ".join(table.rows[0])) in text and _nbsp_as_space(" ".join(table.rows[-1])) in text


def test_pdf_without_chromium_shows_each_chart_as_its_table(monkeypatch):
    monkeypatch.setenv("GN_CHROMIUM", "none")
    assert shared_renderer().chromium is None
    data = render_pdf(sample_content("sv"))
    _save("publish-sv-nochromium.pdf", data)
    pages = _pdf_pages(data)
    _assert_table_fallback(pages, sample_content("sv"))
    assert _pdf_images(data) == 0
    assert all("Demodata – inte officiella siffror" in p for p in pages)
    assert len(pages) <= 5


def test_a_program_that_is_not_a_browser_gives_tables_too(tmp_path):
    charts = render_charts(sample_content("sv").rows, ChartRenderer("/bin/false"))
    assert charts.unavailable == NO_CHROMIUM and "did not start" in charts.detail
    assert all(image.png is None and image.error == NO_CHROMIUM for image in charts.images)


def test_one_failing_chart_leaves_the_others_as_pictures(renderer):
    content = sample_content("sv")
    broken = go.Figure(go.Scattergeo(lon=[15.0], lat=[60.0]))
    broken.update_layout(geo={"scope": "europe"})          # needs a topojson file we do not ship
    rows = list(content.rows)
    rows[1] = IndicatorRow(**{**rows[1].__dict__, "chart": Chart(broken, rows[1].chart.table)})
    content = type(content)(**{**content.__dict__, "rows": tuple(rows)})
    charts = render_charts(content.rows, renderer)
    assert charts.unavailable is None
    assert [i for i, im in enumerate(charts.images) if im.png is None] == [1]
    assert charts.images[1].error == RENDER_FAILED and "topojson" in charts.images[1].detail
    data = render_pdf(content, charts=charts)
    text = " ".join(_pdf_pages(data))
    assert _pdf_images(data) == 15
    assert SV_LABELS.chart_failed in text and SV_LABELS.charts_unavailable not in text


def test_chart_pictures_are_png_at_print_size(renderer):
    png = renderer.to_png(charts_png.print_figure(sample_content("sv").rows[0].chart.figure))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (charts_png.CHART_WIDTH_PX * charts_png.CHART_SCALE,
                               charts_png.CHART_HEIGHT_PX * charts_png.CHART_SCALE)


def test_rows_without_charts_never_start_a_browser():
    never = ChartRenderer("/bin/false")
    charts = render_charts(sample_content("sv", charts=False).rows, never)
    assert charts.images == (None,) * 16 and not never.running


# ------------------------------------------------------------------ Word

def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _all_cell_text(document) -> str:
    return " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_docx_has_real_headings_and_the_demo_line_in_every_header(sv_docx):
    assert _headings(sv_docx, 1) == ["Gröna nyckeltal 2026 – Ekokommun Å-by"]
    h2 = _headings(sv_docx, 2)
    for heading in (SV_LABELS.best, SV_LABELS.weakest, SV_LABELS.indicators, SV_LABELS.comments,
                    SV_LABELS.sources, SV_LABELS.licence, SV_LABELS.citation, SV_LABELS.charts):
        assert heading in h2
    assert _headings(sv_docx, 3) == ["Klimat", "Transporter", "Natur och jordbruk", "Avfall och resurser",
                                     "Energi", "Kommunorganisationen"]
    assert all(s.header.paragraphs[0].text == "Demodata – inte officiella siffror" for s in sv_docx.sections)
    assert sv_docx.core_properties.title == "Gröna nyckeltal 2026 – Ekokommun Å-by"
    assert sv_docx.core_properties.language == "sv-SE"


def test_docx_tables_hold_every_indicator_and_sixteen_pictures(sv_docx):
    cells = _all_cell_text(sv_docx)
    for row in sample_content("sv", charts=False).rows:
        assert row.name in cells and row.value in cells and row.rank in cells and row.verdict in cells
    assert "1\u202f075 kg/person" in cells
    first = sv_docx.tables[0]
    assert [c.text for c in first.rows[0].cells] == [SV_LABELS.col_indicator, SV_LABELS.col_value,
                                                     SV_LABELS.col_verdict, SV_LABELS.col_direction,
                                                     SV_LABELS.col_target, SV_LABELS.col_rank]
    assert first.rows[0]._tr.xpath("./w:trPr/w:tblHeader")          # header row repeats on a new page
    assert first.rows[1].cells[0].text == "Växthusgasutsläpp utanför utsläppshandeln\nGN.1a"
    assert len(sv_docx.inline_shapes) == 16


def test_docx_keeps_hostile_comments_as_plain_text(sv_docx):
    body = "\n".join(p.text for p in sv_docx.paragraphs)
    assert '<script>alert("x")</script> & <b>fet</b> =HYPERLINK("http://evil.example","klicka")' in body
    assert "\x00" not in body
    assert not sv_docx.element.body.xpath(".//w:fldSimple | .//w:instrText | .//w:hyperlink")
    assert HOSTILE.split("\x00")[0] in body


def test_docx_without_chromium_has_tables_and_says_why():
    data = render_docx(sample_content("en"), chromium="none")
    _save("publish-en-nochromium.docx", data)
    document = python_docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 0
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.count(EN_LABELS.charts_unavailable) == 1
    first = sample_content("en").rows[0].chart.table
    chart_tables = [t for t in document.tables if [c.text for c in t.rows[0].cells] == list(first.headers)]
    assert len(chart_tables) == 16
    assert [c.text for c in chart_tables[0].rows[1].cells] == list(first.rows[0])
    assert all(s.header.paragraphs[0].text == "Demo data – not official figures" for s in document.sections)


def test_locale_file_has_a_string_for_every_label_in_both_languages():
    import tomllib
    from dataclasses import fields

    from indicators.publish.content import ReportLabels, labels_from
    data = tomllib.loads((ROOT / "indicators/text/locale/publish.toml").read_text(encoding="utf-8"))
    wanted = {"publish." + f.name for f in fields(ReportLabels)}
    assert wanted <= set(data["sv"]) and wanted <= set(data["en"]) and set(data["sv"]) == set(data["en"])
    sv = labels_from(data["sv"].__getitem__)
    assert sv.demo == "Demodata – inte officiella siffror" and sv.page.format(page=1, pages=2) == "Sida 1 av 2"
    assert labels_from(data["en"].__getitem__).demo == "Demo data – not official figures"


def test_figures_seen_before_come_from_the_cache_without_a_browser():
    _require_chromium()
    rows = sample_content("sv").rows[:3]
    with ChartRenderer() as r:
        first = render_charts(rows, r)
        r.close()
        r.chromium = None                     # from now on the browser cannot start
        again = render_charts(rows, r)
        assert again.unavailable is None and not r.running
        assert [im.png for im in again.images] == [im.png for im in first.images]
        changed = render_charts(sample_content("sv").rows[3:4], r)     # a new figure needs the browser
        assert changed.unavailable == NO_CHROMIUM


def test_a_world_map_renders_offline_from_the_local_topojson_stub(renderer):
    import plotly.io as pio
    fig = go.Figure(go.Scattergeo(lon=[18.07], lat=[59.33], mode="markers"))   # scope "world"
    png = renderer.to_png(fig, width=300, height=200, scale=1)
    assert png[:4] == b"\x89PNG"
    assert pio.defaults.topojson == charts_png.TOPOJSON_URL and pio.defaults.mathjax is False
    assert (ROOT / "static" / "world_110m.json").is_file() and charts_png.TOPOJSON_URL.startswith("file:///")


def test_docx_pictures_carry_the_charts_alt_text(sv_docx):
    descriptions = [shape._inline.docPr.get("descr") for shape in sv_docx.inline_shapes]
    assert descriptions == [row.chart.alt for row in sample_content("sv").rows]


def test_a_report_with_no_values_still_renders_in_both_formats():
    empty = sample_content("sv", charts=False, comments=False)
    empty = type(empty)(**{**empty.__dict__, "rows": (), "best": (), "weakest": (), "sources": ()})
    pages = _pdf_pages(render_pdf(empty, chromium="none"))
    assert len(pages) == 1 and SV_LABELS.no_comments in pages[0] and SV_LABELS.col_indicator in pages[0]
    document = python_docx.Document(io.BytesIO(render_docx(empty, chromium="none")))
    assert _headings(document, 1) == [empty.title] and len(document.tables) == 0


def test_print_layout_leaves_the_dashboard_figure_alone():
    fig = sample_content("sv").rows[0].chart.figure
    before = fig.to_json()
    printed = charts_png.print_figure(fig)
    assert fig.to_json() == before
    assert printed.layout.title.text == "" and printed.layout.width == charts_png.CHART_WIDTH_PX
    assert [t.name for t in printed.data] == [t.name for t in fig.data]
