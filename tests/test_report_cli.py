"""The municipality report from the command line and from the Kommun page: the same builder
(indicators.publish.report) over the dashboard's views; real PDF and Word files, read back."""
from __future__ import annotations

import io

import docx as python_docx
from pypdf import PdfReader

from indicators.ingest.comments import add_comment
from indicators.auth.users import system_admin
from indicators.publish.report import build_report
from indicators.store import admin_edits
from indicators.views.kommun import scorecard
from indicators.views.snapshot import load_snapshot
from tests.apptest_helpers import open_page
from tests.test_cli_data import run_cli


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_report_content_comes_from_the_kommun_pages_views(demo_store):
    from indicators.views.kommun_scorecard import best_worst
    snap = load_snapshot(demo_store)
    content = build_report(snap, "1490", "sv")
    cards = [c for c in scorecard(snap, "1490", "sv") if c["has_value"]]
    assert [r.indicator_id for r in content.rows] == [c["id"] for c in cards]
    assert [r.value for r in content.rows] == [c["value"] for c in cards]
    assert [r.verdict for r in content.rows] == [c["sentence"] for c in cards]
    assert content.demo and content.summary.startswith(best_worst(snap, "1490", "sv")["sentence"])
    assert "Läge bland medlemmarna: " in content.summary and "Riktning sedan basåret: " in content.summary
    assert len(content.best) == len(content.weakest) == 3
    assert not {h.name for h in content.best} & {h.name for h in content.weakest}
    first = best_worst(snap, "1490", "sv")          # the page's sentence and the report's lists agree
    names = {c["id"]: c["name"] for c in cards}
    assert content.best[0].name == names[first["best"]] and content.weakest[0].name == names[first["worst"]]
    assert any(s.own_calculation for s in content.sources)


def test_cli_writes_a_pdf_with_text_and_a_docx_with_headings(demo_db, demo_store, tmp_path):
    add_comment(demo_store, system_admin(), "1490", "GN.10", "=HYPERLINK(\"x\") <b>Ny upphandling</b>")
    demo_store.close()
    pdf_path, docx_path = tmp_path / "boras.pdf", tmp_path / "boras.docx"
    out = run_cli("report", "--kommun", "1490", "--format", "pdf", "--lang", "sv", "--out", pdf_path,
                  "--no-charts", "--db", demo_db)
    assert out.returncode == 0, out.stderr
    pages = _pdf_text(pdf_path.read_bytes())
    assert 1 <= len(pages) <= 4
    assert all("Demodata – inte officiella siffror" in p for p in pages)
    text = "\n".join(pages)
    assert "Borås" in text and "Ekologiska livsmedel" in text and "<b>Ny upphandling</b>" in text
    out = run_cli("report", "--kommun", "1490", "--format", "docx", "--lang", "en", "--out", docx_path,
                  "--no-charts", "--db", demo_db)
    assert out.returncode == 0, out.stderr
    document = python_docx.Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Borås" in h for h in headings)
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert "Organic food in the municipal organisation" in " ".join(cells)


def test_cli_all_members_writes_one_file_per_member_and_refuses_unknown_codes(demo_db, demo_store, tmp_path):
    with demo_store.transaction() as cur:       # two members left, so the test stays quick
        for row in cur.execute("SELECT kommunkod, from_year FROM membership").fetchall():
            if row[0] not in ("1490", "0180"):
                admin_edits.delete_membership_period(cur, row[0], row[1])
    demo_store.close()
    out = run_cli("report", "--all-members", "--format", "pdf", "--out", tmp_path / "alla", "--no-charts",
                  "--db", demo_db)
    assert out.returncode == 0, out.stderr
    files = sorted(p.name for p in (tmp_path / "alla").iterdir())
    assert len(files) == 2 and all(f.endswith(".pdf") for f in files) and "_1490_Boras_" in files[1]
    bad = run_cli("report", "--kommun", "9999", "--out", tmp_path / "x.pdf", "--db", demo_db)
    assert bad.returncode == 2 and "not a municipality code" in bad.stderr


def test_the_kommun_page_offers_the_report_in_both_formats(demo_db):
    at = open_page("kommun", kommun="1490")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner rapport (PDF)" in labels and "Ladda ner rapport (Word)" in labels
