"""`make bench`: build a Kolada-scale database in a temporary folder, measure, and write
bench/results.json and bench/README.md. Every phase runs in its own process so its peak
RSS is its own. Not part of `make test`."""
from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import streamlit

from bench.timing import ROOT, run_phase
from bench.report import BUDGETS, check_budgets, write_readme

OUT_DIR = ROOT / "bench"


def machine() -> dict:
    mem_kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")).split()[1])
    return {"cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "streamlit": streamlit.__version__, "platform": platform.platform()}


def main() -> int:
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="gn-bench-"))
    try:
        big, demo = str(tmp / "big.duckdb"), str(tmp / "demo.duckdb")
        steps = [("build", ("phase_build", big)), ("demo", ("phase_demo", demo)),
                 ("queries", ("phase_queries", big)), ("peer", ("phase_peer", big, str(tmp))),
                 ("import", ("phase_import", demo, str(tmp))),
                 ("pages_demo", ("phase_pages", demo)), ("pages_10m", ("phase_pages", big)),
                 ("cold_start", ("phase_cold_start", demo)), ("browser", ("phase_browser", demo)),
                 ("report", ("phase_report", demo))]
        steps += [("api_demo", ("phase_api", str(tmp / "api_demo.duckdb"))),   # it writes: on copies, last
                  ("api_10m", ("phase_api", str(tmp / "api_big.duckdb")))]
        raw = {}
        for name, (module, *args) in steps:
            if module == "phase_api":
                shutil.copy(demo if name == "api_demo" else big, args[0])
            t0 = time.perf_counter()
            print(f"[bench] {name} ...", flush=True)
            raw[name] = run_phase(module, *args)
            print(f"[bench] {name} done in {time.perf_counter() - t0:.1f} s: {raw[name]}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pages = raw["pages_demo"]["page_rerun_ms"]
    results = {
        "scale_rows": raw["build"]["scale_rows"],
        **{k: raw["queries"][k] for k in ("trend_table_all_s", "duckdb_floor_s", "trend_vs_floor_ratio",
                                          "naive_pandas_s", "trend_vs_naive_pandas_ratio", "scorecard_query_ms",
                                          "ranking_query_ms", "trend_table_all_with_sentences_s")},
        "peer_polars_s": raw["peer"]["peer_polars_s"],
        "trend_vs_polars_ratio": round(raw["queries"]["trend_table_all_s"] / raw["peer"]["peer_polars_s"], 2),
        "trend_table_demo_s": raw["demo"]["trend_table_demo_s"],
        "import_100k_validate_s": raw["import"]["import_100k_validate_s"],
        "import_100k_commit_s": raw["import"]["import_100k_commit_s"],
        "page_rerun_ms": pages,
        "page_rerun_ms_max": max(pages.values()),
        "page_rerun_ms_10m": raw["pages_10m"]["page_rerun_ms"],
        "page_rerun_ms_10m_max": max(raw["pages_10m"]["page_rerun_ms"].values()),
        "browser_first_chart_ms": raw["browser"]["browser_first_chart_ms"],
        "browser_first_chart_ms_pages": raw["browser"]["browser_first_chart_ms_pages"],
        "cold_start_s": raw["cold_start"]["cold_start_s"],
        "report_pdf_s": raw["report"]["report_pdf_warm_s"],
        "report_pdf_cold_s": raw["report"]["report_pdf_cold_s"],
        "report_docx_s": raw["report"]["report_docx_warm_s"],
        "report_pdf_tables_s": raw["report"]["report_pdf_tables_s"],
        "api_latency_ms": raw["api_demo"]["api_latency_ms"],
        "api_latency_ms_10m": raw["api_10m"]["api_latency_ms"],
        "memory": {"build_peak_rss_mb": raw["build"]["build_peak_rss_mb"],
                   "query_peak_rss_mb": raw["queries"]["query_peak_rss_mb"],
                   "naive_baseline_peak_rss_mb": raw["queries"]["naive_peak_rss_mb"],
                   "polars_peer_peak_rss_mb": raw["peer"]["peer_peak_rss_mb"],
                   "pages_10m_peak_rss_mb": raw["pages_10m"]["pages_peak_rss_mb"],
                   "report_peak_rss_mb": raw["report"].get("report_peak_rss_mb")},
        "build_s": raw["build"]["build_s"],
        "machine": machine(),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "bench_total_s": round(time.perf_counter() - started, 1),
    }
    checks = check_budgets(results)
    results["budgets"] = {k: {"budget": BUDGETS[k][1], "met": ok} for k, ok in checks.items()}
    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_readme(results, checks, OUT_DIR / "README.md")
    print("\nBudgets:")
    for key, ok in checks.items():
        print(f"  {'MET   ' if ok else 'MISSED'} {key} = {results[key]} (budget {BUDGETS[key][0]} {BUDGETS[key][1]})")
    print(f"\nWrote {OUT_DIR / 'results.json'} and {OUT_DIR / 'README.md'} in {results['bench_total_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
