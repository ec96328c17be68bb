"""The Kolada import at a real deployment's scale, against the local Kolada stand-in (tests/kolada_server.py):
all 290 municipalities and 21 regions with every year 1998-2024 for every mapped KPI (invented numbers in
Kolada's v3 shapes, written to a temporary folder), the import run three times through the real HTTP client
with its real throttle (5 requests/s): a first full run, a second full run with unchanged data, and a
`--since` run with nothing changed. Prints values per indicator, requests and seconds per run.

`.venv/bin/python -m bench.kolada_scale` (not part of `make bench` or `make test`; about a minute).
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from indicators.ingest import kolada
from indicators.ingest.reference_files import load_reference, read_municipalities
from indicators.store import observations, open_store
from tests.kolada_server import KoladaServer

YEARS = range(1998, 2025)
KOMMUN = ["N00403", "N85054", "U07801", "U07514", "N45970", "N01951"]
REGION = ["N60404", "U60496"]
KPIS = ["N00403", "N85054", "U07801", "U07514", "N60404", "U60496", "N45970", "N01951"]
ROOT = Path(__file__).resolve().parent.parent


def _item(kpi, area, year, value):
    values = [{"gender": "T", "count": 1, "status": "", "value": value, "isdeleted": False}]
    if kpi == "N01951":
        values = [{**values[0], "gender": "K", "value": float(round(value * 0.497))},
                  {**values[0], "gender": "M", "value": value - round(value * 0.497)}, values[0]]
    return {"kpi": kpi, "municipality": area, "period": year, "values": values}


def _write(folder: Path, name: str, path: str, query: dict, values: list) -> None:
    rec = {"request": {"path": path, "query": query}, "response": {"status": 200, "headers": {}, "body": {
        "values": values, "count": len(values), "next_url": None, "previous_url": None}}}
    (folder / name).write_text(json.dumps(rec, separators=(",", ":")), encoding="utf-8")


def write_recordings(folder: Path) -> None:
    rng = random.Random(7)
    munis = read_municipalities()
    codes = sorted(munis["kommunkod"])
    kpi_body = json.loads((ROOT / "tests/fixtures/kolada/kpi_mapped.json").read_text(encoding="utf-8"))
    _write(folder, "kpi.json", "/kpi/" + ",".join(KPIS), {"per_page": "5000"}, kpi_body["response"]["body"]["values"])
    since = {"per_page": "5000", "from_date": "2025-01-15"}
    for n in range(0, len(codes), 25):
        batch = codes[n:n + 25]
        items = []
        for code in batch:
            people = rng.uniform(3e3, 9e5)
            base = {k: rng.uniform(5, 60) for k in KOMMUN}
            for year in YEARS:
                pop = float(round(people * (1 + 0.005 * (year - 2024))))
                vals = {"N00403": round(base["N00403"], 1), "N85054": round(base["N85054"] / 2, 1),
                        "U07801": float(round(400 + base["U07801"])), "U07514": float(round(base["U07514"])),
                        "N45970": round(pop * 1e-4 * 1.2 ** (year - 2024), 2), "N01951": pop}
                items += [_item(k, code, year, vals[k]) for k in KOMMUN]
        path = f"/data/kpi/{','.join(KOMMUN)}/municipality/{','.join(batch)}"
        _write(folder, f"k{n // 25:02d}.json", path, {"per_page": "5000"}, items)
        _write(folder, f"s{n // 25:02d}.json", path, since, [])
    regions = sorted({"00" + c for c in munis["lan_code"]})
    items = [_item(k, r, y, float(round(rng.uniform(40, 99)))) for r in regions for k in REGION for y in YEARS]
    path = f"/data/kpi/{','.join(REGION)}/municipality/{','.join(regions)}"
    _write(folder, "r.json", path, {"per_page": "5000"}, items)
    _write(folder, "rs.json", path, since, [])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rec"
        folder.mkdir()
        write_recordings(folder)
        server = KoladaServer(folder).start()
        server.serve_all()
        store = open_store(Path(tmp) / "scale.duckdb")
        load_reference(store)
        try:
            for label, since in (("first run", None), ("second run", None), ("--since, nothing changed", "2025-01-15")):
                started = time.monotonic()
                result = kolada.run_import(store, base_url=server.base_url, since=since)
                took = time.monotonic() - started
                print(f"{label}: {result.total('new')} new, {result.total('changed')} changed, "
                      f"{result.total('unchanged')} unchanged, {result.requests} requests, {took:.1f} s")
                if label == "first run":
                    for ind, counts in result.counts.items():
                        print(f"  {ind}: {counts['new']} values, {counts['flagged']} flagged")
                    print(f"  population: {result.population['new']} municipality-years")
            print(f"observations stored: {observations.count_observations(store)}")
        finally:
            store.close()
            server.stop()


if __name__ == "__main__":
    main()
