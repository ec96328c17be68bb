"""The pure figure builders: titles, separators, targets, bands, markers, map legend and colours."""
from __future__ import annotations

import pandas as pd

from indicators.views import charts
from indicators.views.geo import kommun_geojson

BANDS = [{"low": None, "high": 10, "label": "Låg"}, {"low": 10, "high": 30, "label": "Medel"},
         {"low": 30, "high": None, "label": "Hög"}]


def _series():
    rows = [("1490", "Borås", y, 20 + y - 2015, "reported") for y in range(2015, 2022)]
    rows += [("1490", "Borås", 2022, 28.0, "imputed"), ("1490", "Borås", 2023, 29.0, "demo")]
    return pd.DataFrame(rows, columns=["kommunkod", "name", "year", "value", "source_kind"])


def _network():
    return pd.DataFrame({"year": list(range(2015, 2024)), "mean": [30.0 + i for i in range(9)],
                         "n": [80 + i for i in range(9)]})


def _trend(lang="sv", **kw):
    args = dict(title="Ekologiska livsmedel", unit="%", decimals=1, better="higher", lang=lang,
                network=_network(), targets=[{"value": 60.0, "year": 2030, "label": "Nationellt mål"}],
                target_path={"from_year": 2023, "from_value": 29.0, "to_year": 2030, "to_value": 60.0,
                             "label": "Målbana"}, bands=BANDS, breaks=[{"year": 2021, "note": "ny"}])
    args.update(kw)
    return charts.trend_figure(_series(), **args)


def test_trend_figure_has_title_and_swedish_separators():
    fig = _trend()
    assert fig.layout.title.text == "Ekologiska livsmedel"
    assert fig.layout.separators == ", "
    assert _trend(lang="en").layout.separators == ".,"


def test_trend_figure_names_the_network_average_with_n_as_our_computation():
    fig = _trend(note="Källa: X. SEKOM-medel och målbana är beräknade av Gröna nyckeltal.")
    net = next(tr for tr in fig.data if tr.name and tr.name.startswith("SEKOM-medel"))
    assert net.name == "SEKOM-medel (n = 88 år 2023)"
    assert "n = %{customdata[1]}" in net.hovertemplate and "Beräknat av Gröna nyckeltal" in net.hovertemplate
    assert any(a.text.startswith("Källa: X.") for a in fig.layout.annotations)


def test_source_kinds_differ_by_marker_symbol_and_legend_entry():
    fig = _trend()
    markers = {tr.name: tr.marker.symbol for tr in fig.data if tr.mode == "markers" and tr.showlegend is not False}
    assert markers["Rapporterat av kommunen"] == "circle"
    assert markers["Imputerat (länets värde)"] == "diamond-open"
    assert markers["Demovärde (påhittat)"] == "square-open"


def test_target_line_is_dashed_and_labelled_and_target_path_dotted():
    fig = _trend()
    lines = [s for s in fig.layout.shapes if s.type == "line" and s.y0 == 60.0]
    assert lines and lines[0].line.dash == "dash"
    assert any("Nationellt mål: 60,0 % år 2030" == a.text for a in fig.layout.annotations)
    path = next(tr for tr in fig.data if tr.name == "Målbana")
    assert path.line.dash == "dot" and list(path.x) == [2023, 2030]


def test_bands_are_faint_and_carry_their_labels_as_text():
    fig = _trend()
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 3 and all(s.opacity < 0.2 for s in rects)
    texts = {a.text for a in fig.layout.annotations}
    assert {"Låg", "Medel", "Hög"} <= texts


def test_series_break_is_marked():
    assert any(a.text == "Ny definition från 2021" for a in _trend().layout.annotations)


def _map_frame():
    codes = [f["id"] for f in kommun_geojson()["features"]]
    status = ["value" if i % 3 == 0 else "no_data" if i % 3 == 1 else "non_member" for i in range(len(codes))]
    return pd.DataFrame({"kommunkod": codes, "name": codes, "status": status,
                         "value": [float(i) if s == "value" else None for i, s in enumerate(status)]})


def test_map_draws_every_municipality_once_with_two_neutral_legend_entries():
    fig = charts.choropleth_figure(_map_frame(), kommun_geojson(), title="Karta", unit="%", decimals=0,
                                   better="higher", lang="sv")
    locations = [loc for tr in fig.data for loc in tr.locations]
    assert len(locations) == 290 and len(set(locations)) == 290
    legend = [tr.name for tr in fig.data if tr.showlegend]
    assert legend == ["Inte medlem i SEKOM", "Medlem, inga data detta år"]
    fills = {tr.colorscale[0][1] for tr in fig.data if tr.showlegend}
    assert len(fills) == 2 and charts.NON_MEMBER_FILL in fills and charts.NO_DATA_FILL in fills
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.projection.type == "mercator"


def test_map_colour_scale_follows_the_better_direction():
    kw = dict(title="K", unit="kg", decimals=0, lang="sv")
    higher = charts.choropleth_figure(_map_frame(), kommun_geojson(), better="higher", **kw).data[-1]
    lower = charts.choropleth_figure(_map_frame(), kommun_geojson(), better="lower", **kw).data[-1]
    assert not higher.reversescale and lower.reversescale
    assert "lägre är bättre" in lower.colorbar.title.text


def test_verdict_bars_carry_patterns_and_text():
    frame = pd.DataFrame({"label": ["A", "A", "B"], "verdict": ["right", "wrong", "right"], "count": [3, 1, 2]})
    fig = charts.verdict_bars(frame, title="Läge", lang="sv")
    right = next(tr for tr in fig.data if tr.name == "Rätt håll")
    assert list(right.x) == [75.0, 100.0] and right.text[0] == "75 %"
    wrong = next(tr for tr in fig.data if tr.name == "Fel håll")
    assert wrong.marker.pattern.shape == "/"


def test_small_multiples_has_one_titled_panel_per_indicator():
    frame = pd.DataFrame({"indicator_id": ["A", "A", "B"], "kommunkod": ["1", "2", "1"], "name": ["X", "Y", "X"],
                          "year": [2020, 2020, 2020], "value": [1.0, 2.0, 3.0]})
    panels = [{"id": "A", "title": "Panel A", "unit": "%", "decimals": 0},
              {"id": "B", "title": "Panel B", "unit": "kg", "decimals": 1}]
    fig = charts.small_multiples(frame, panels, title="Jämförelse", lang="sv")
    assert [a.text for a in fig.layout.annotations][:2] == ["Panel A", "Panel B"]
    assert sum(1 for tr in fig.data if tr.showlegend) == 2     # each municipality once in the legend


def test_sparkline_has_no_axes():
    fig = charts.sparkline_figure([2020, 2021], [1.0, 2.0], "x", "sv")
    assert fig.layout.xaxis.visible is False and fig.layout.height == charts.SPARK_HEIGHT
