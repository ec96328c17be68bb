"""Phase: the printed report of one municipality (the Kommun page's button and `report`), demo database.

- `report_pdf_cold_s`: a fresh renderer (Chromium through kaleido starts) and the first report;
- `report_pdf_warm_s`: median over further municipalities with the renderer kept warm, as the
  dashboard's server keeps it (each a different municipality, so no chart comes from the PNG cache);
- `report_docx_warm_s`: the same for Word;
- `report_pdf_tables_s`: the PDF without charts (no Chromium), the floor of the layout itself.
Prints one JSON line. Without a Chromium on the machine the chart figures are null."""
import json
import statistics
import sys
import time

from bench.timing import peak_rss_mb
from indicators.publish.charts_png import ChartRenderer, find_chromium
from indicators.publish.report import report_file
from indicators.store import open_store, reference
from indicators.views.snapshot import load_snapshot


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(db: str) -> dict:
    store = open_store(db)
    snap = load_snapshot(store)
    members = sorted(reference.fetch_members(store, None))[:11]
    out: dict = {"report_pdf_tables_s": round(statistics.median(
        _timed(lambda k=k: report_file(snap, k, "pdf", "sv", chromium="none")) for k in members[:3]), 3)}
    if find_chromium() is None:
        return {**out, "report_pdf_cold_s": None, "report_pdf_warm_s": None, "report_docx_warm_s": None}
    with ChartRenderer() as renderer:
        out["report_pdf_cold_s"] = round(_timed(lambda: report_file(snap, members[0], "pdf", "sv", renderer=renderer)), 3)
        warm = [_timed(lambda k=k: report_file(snap, k, "pdf", "sv", renderer=renderer)) for k in members[1:6]]
        word = [_timed(lambda k=k: report_file(snap, k, "docx", "sv", renderer=renderer)) for k in members[6:11]]
    out["report_pdf_warm_s"] = round(statistics.median(warm), 3)
    out["report_docx_warm_s"] = round(statistics.median(word), 3)
    out["report_peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
