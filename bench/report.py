"""Budgets and the human-readable bench/README.md table."""
from __future__ import annotations

import operator
from pathlib import Path

# key -> (comparison, budget, what it measures)
BUDGETS = {
    "trend_table_all_s": ("≤", 3, "full trend table, every municipality × indicator, 10 M rows"),
    "trend_vs_floor_ratio": ("≤", 3, "trend table / DuckDB's floor (one GROUP BY over indicator and municipality)"),
    "trend_vs_polars_ratio": ("≤", 1, "trend table / the polars peer (its core, written well in polars)"),
    "scorecard_query_ms": ("≤", 30, "everything the scorecard needs for one municipality, 10 M rows"),
    "ranking_query_ms": ("≤", 50, "one indicator, all municipalities, one year, ranked, 10 M rows"),
    "import_100k_validate_s": ("≤", 3, "parse + validate + preview of a 100 000-row CSV"),
    "import_100k_commit_s": ("≤", 2, "committing that file"),
    "page_rerun_ms_max": ("≤", 300, "slowest page, server-side AppTest rerun, demo database"),
    "page_rerun_ms_10m_max": ("≤", 100, "slowest page, server-side AppTest rerun, 10 M database"),
    "browser_first_chart_ms": ("≤", 2500, "navigation to the first visible chart, fresh Chromium context, demo db"),
    "report_pdf_s": ("≤", 5, "one municipality's PDF report with its charts, renderer warm (as in the server), demo db"),
    "cold_start_s": ("≤", 3, "`streamlit run` until /_stcore/health answers"),
    "trend_vs_naive_pandas_ratio": ("≤", 0.5, "trend table time / naive pandas time, same data"),
}


def check_budgets(results: dict) -> dict[str, bool]:
    return {key: results[key] is not None and operator.le(results[key], budget)
            for key, (_, budget, _) in BUDGETS.items()}


def write_readme(results: dict, checks: dict[str, bool], path: Path) -> None:
    m = results["machine"]
    lines = [
        "# Benchmarks", "",
        "Written by `make bench` (do not edit by hand; it is rewritten on every run). Medians of several runs",
        "after a warm-up, measured on the machine below. The big database is synthetic: 290 municipalities ×",
        f"1 150 indicators × 30 years plus revisions on 3 % of the values = {results['scale_rows']:,} observations,",
        "built through the project's own store code (`bench/synth.py`).", "",
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, duckdb {m['duckdb']}, "
        f"streamlit {m['streamlit']}. Measured {results['measured_at']}; the whole run took "
        f"{results['bench_total_s']} s.", "",
        "| key | measured | budget | met | what |", "|---|---|---|---|---|"]
    for key, (op, budget, what) in BUDGETS.items():
        lines.append(f"| `{key}` | {results[key]} | {op} {budget} | {'yes' if checks[key] else '**no**'} | {what} |")
    lines += ["", "## Other figures", "", "| key | value |", "|---|---|",
              f"| `scale_rows` | {results['scale_rows']:,} |",
              f"| `duckdb_floor_s` (the bare scan the ratio divides by) | {results['duckdb_floor_s']} |",
              f"| `peer_polars_s` (bench/peer_polars.py) | {results['peer_polars_s']} |",
              f"| `naive_pandas_s` (the naive baseline) | {results['naive_pandas_s']} |",
              f"| `trend_table_all_with_sentences_s` (10 M, plus the sv/en sentence per row) | "
              f"{results['trend_table_all_with_sentences_s']} |",
              f"| `trend_table_demo_s` (demo database, with sentences) | {results['trend_table_demo_s']} |",
              f"| `build_s` (10 M database) | {results['build_s']} |",
              f"| `report_pdf_cold_s` (the first PDF: Chromium starts) | {results.get('report_pdf_cold_s')} |",
              f"| `report_docx_s` (Word, renderer warm) | {results.get('report_docx_s')} |",
              f"| `report_pdf_tables_s` (PDF without charts: no Chromium) | {results.get('report_pdf_tables_s')} |"]
    for key, value in results["memory"].items():
        lines.append(f"| peak RSS `{key}` | {value} MiB |")
    lines += ["", "## Page reruns (ms, server-side AppTest)", "", "| page | demo database | 10 M database |",
              "|---|---|---|"]
    for page, ms in results["page_rerun_ms"].items():
        lines.append(f"| {page} | {ms} | {results['page_rerun_ms_10m'].get(page, '–')} |")
    lines += ["", "## First chart in the browser (ms, median per page)", "", "| page | ms |", "|---|---|"]
    for page, ms in results["browser_first_chart_ms_pages"].items():
        lines.append(f"| {page} | {ms} |")
    if "api_latency_ms" in results:
        demo, big = results["api_latency_ms"], results.get("api_latency_ms_10m", {})
        lines += ["", "## Open API over HTTP (ms, real server, `bench/phase_api.py`)", "",
                  "| request | demo database | 10 M database |", "|---|---|---|"]
        for key in ("first_ms", "after_write_ms", "miss_ms", "revalidate_304_ms"):
            lines.append(f"| {key} | {demo.get(key, '–')} | {big.get(key, '–')} |")
        for route, ms in demo["warm_ms"].items():
            lines.append(f"| warm {route} | {ms} | {big.get('warm_ms', {}).get(route, '–')} |")
    lines += ["", "The naive baseline loads every observation into pandas, keeps the newest revision per key and",
              "computes base, latest and verdict per series with a Python `groupby().apply`.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
