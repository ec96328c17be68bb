"""What the Öppna data page says about the open API, built for the address the page was opened with:
the table of routes (with links), the examples (curl, Python, JavaScript, caching) and an error
answer, and the table of sources and licences. The examples are meant to be run as written (a test
runs them against a live server). Pure: strings in, strings out; imports publish.* and text;
never streamlit.
"""
from __future__ import annotations

from indicators.publish.api import ROUTE_NAMES, error_body
from indicators.publish.links import API_ROOT  # noqa: F401 (the page names it)
from indicators.publish.terms import VALUE_TERMS
from indicators.text.i18n import t
from indicators.text.tables import to_json

EXAMPLE_KOMMUN, EXAMPLE_INDICATOR = "1490", "GN.7"
FORMATS = {"indicators": "JSON", "indicators.csv": "CSV", "trends": "JSON", "values.csv": "CSV",
           "values.parquet": "Parquet", "datapackage.json": "JSON (Frictionless)", "openapi.json": "JSON (OpenAPI 3.1)"}
FILTERED = ("trends", "values.csv", "values.parquet")


def routes_markdown(base: str, lang: str) -> str:
    """A markdown table: address (a link), what, parameters, format."""
    head = [t(f"opendata.col_{c}", lang) for c in ("route", "what", "params", "format")]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
    for name in ROUTE_NAMES:
        url = f"{base}{API_ROOT}/{name}"
        params = "`kommun`, `indikator`" if name in FILTERED else "–"
        lines.append(f"| [`{API_ROOT}/{name}`]({url}) | {t(f'opendata.route.{name}', lang)} | {params} | "
                     f"{FORMATS[name]} |")
    return "\n".join(lines)


def examples(base: str) -> list[tuple[str, str, str]]:
    """(string key of the title, code language, code) for each example, using base as the address."""
    api = f"{base}{API_ROOT}"
    k, i = EXAMPLE_KOMMUN, EXAMPLE_INDICATOR
    return [
        ("opendata.example.curl_trends", "bash", f'curl "{api}/trends?kommun={k}&indikator={i}"'),
        ("opendata.example.curl_csv", "bash", f'curl -o varden_{k}.csv "{api}/values.csv?kommun={k}"'),
        ("opendata.example.python", "python", "\n".join([
            "import json, urllib.request",
            "import pandas as pd",
            "",
            f'API = "{api}"',
            f'varden = pd.read_csv(f"{{API}}/values.csv?kommun={k}", sep=";", decimal=",",',
            '                      encoding="utf-8-sig", dtype={"kommunkod": str})',
            f'alla = pd.read_parquet(f"{{API}}/values.parquet?indikator={i}")',
            f'with urllib.request.urlopen(f"{{API}}/trends?kommun={k}&indikator={i}") as svar:',
            "    trend = json.load(svar)",
            'print(trend["data"][0]["summary_sv"], "|", trend["källa"], trend["licens"])',
            'print(varden.tail(3), len(alla))'])),
        ("opendata.example.javascript", "javascript", "\n".join([
            f'const svar = await fetch("{api}/trends?kommun={k}&indikator={i}");',
            "const { data, källa, licens } = await svar.json();",
            "console.log(data[0].summary_sv, källa, licens);"])),
        ("opendata.example.etag", "bash", "\n".join([
            f'etag=$(curl -sI "{api}/indicators" | grep -i "^etag:" | cut -d" " -f2- | tr -d "\\r")',
            f'curl -s -o /dev/null -w "%{{http_code}}\\n" -H "If-None-Match: $etag" "{api}/indicators"   # 304'])),
    ]


def error_example() -> str:
    """The 400 answer to ?kommun=149, as the API sends it."""
    return to_json(error_body(400, "bad-kommun", parameter="kommun", value="149", hint="0149"))


def terms_rows(lang: str) -> list[dict]:
    """Source kind, source and licence per row of the bulk files (the table in publish.terms)."""
    placeholder = "nyckeltalets källa" if lang == "sv" else "the indicator's source"
    return [{t("opendata.col_kind", lang): kind, t("opendata.col_source", lang): kalla.replace("{source}", placeholder),
             t("opendata.col_licence", lang): licens} for kind, (kalla, licens) in VALUE_TERMS.items()]
