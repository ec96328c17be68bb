"""A realistic municipality report built by hand, in Swedish or English, for the renderer tests
(and for looking at the files): 16 indicators in six themes, numbers written the Swedish way
with U+202F and U+00A0, hostile comments, and a small Plotly trend chart per indicator that
looks like the dashboard's (the municipality, the SEKOM average, a dashed target line)."""
from __future__ import annotations

import math

import plotly.graph_objects as go

from indicators.publish.content import (Chart, Comment, Highlight, IndicatorRow, ReportContent, ReportLabels,
                                        Source, Table)

NNBSP, NBSP = "\u202f", "\u00a0"
HOSTILE = ('<script>alert("x")</script> & <b>fet</b> =HYPERLINK("http://evil.example","klicka") '
           "+SUM(A1) @cmd\x00\x07 rad två\r\nrad tre")

# id, sv name, en name, theme sv, theme en, unit, decimals, base value, yearly change, better
INDICATORS = [
    ("GN.1a", "Växthusgasutsläpp utanför utsläppshandeln", "Greenhouse-gas emissions outside emissions trading",
     "Klimat", "Climate", "ton CO₂e/inv", 2, 4.1, -0.09, "lower"),
    ("GN.1b", "Växthusgasutsläpp från utsläppshandeln", "Greenhouse-gas emissions inside EU emissions trading",
     "Klimat", "Climate", "ton CO₂e/inv", 2, 1.3, 0.02, "lower"),
    ("GN.2a", "Resor med kollektivtrafik", "Public-transport trips", "Transporter", "Transport",
     "resor/inv", 0, 61, 1.4, "higher"),
    ("GN.2b", "Förnybara bränslen i kollektivtrafiken", "Renewable fuel in public transport", "Transporter",
     "Transport", "%", 0, 35, 4.1, "higher"),
    ("GN.3", "Ekologisk jordbruksmark", "Organic farmland", "Natur och jordbruk", "Nature and farming",
     "%", 1, 14.2, 0.6, "higher"),
    ("GN.4", "Miljöcertifierat skogsbruk", "FSC-certified forest", "Natur och jordbruk", "Nature and farming",
     "%", 0, 41, 0.3, "higher"),
    ("GN.5", "Skyddad natur", "Protected nature", "Natur och jordbruk", "Nature and farming",
     "%", 1, 5.1, 0.12, "higher"),
    ("GN.6a", "Mängd hushållsavfall", "Household waste", "Avfall och resurser", "Waste and resources",
     "kg/person", 0, 1234.5, -6.0, "lower"),
    ("GN.6b", "Återvinning och återbruk", "Recycling and re-use of municipal waste", "Avfall och resurser",
     "Waste and resources", "%", 1, 38.5, 0.8, "higher"),
    ("GN.7", "Förnybar och återvunnen energi i lokaler", "Renewable and recovered energy in municipal premises",
     "Energi", "Energy", "%", 0, 72, 1.7, "higher"),
    ("GN.8a", "Kommunorganisationens solceller", "Solar power on the municipality's own buildings", "Energi",
     "Energy", "W/inv", 2, 3.4, 1.9, "higher"),
    ("GN.8b", "Solceller i kommunen", "Solar power in the municipality", "Energi", "Energy",
     "W/inv", 0, 40, 21.0, "higher"),
    ("GN.9a", "Energi för tjänsteresor", "Energy for business travel by car", "Kommunorganisationen",
     "Municipal organisation", "kWh/årsarbetare", 0, 640, -9.5, "lower"),
    ("GN.9b", "Växthusgasutsläpp från tjänsteresor", "Greenhouse-gas emissions from business travel by car",
     "Kommunorganisationen", "Municipal organisation", "ton CO₂e/årsarbetare", 2, 0.19, -0.004, "lower"),
    ("GN.10", "Ekologiska livsmedel", "Organic food in the municipal organisation", "Kommunorganisationen",
     "Municipal organisation", "%", 0, 22, 2.2, "higher"),
    ("GN.11", "Certifierade skolor och förskolor", "Environment-certified schools and preschools",
     "Kommunorganisationen", "Municipal organisation", "%", 0, 31, -0.4, "higher"),
]
YEARS = list(range(2010, 2024))

SV_LABELS = ReportLabels(
    product="Gröna nyckeltal", report_kind="Kommunrapport", municipality_code="Kommunkod", date="Datum",
    demo="Demodata – inte officiella siffror", page="Sida {page} av {pages}", best="Bäst tre",
    weakest="Svagast tre", indicators="Alla nyckeltal", col_indicator="Nyckeltal", col_value="Värde (år)",
    col_verdict="Sedan basåret", col_direction="Senaste åren", col_target="Mål", col_rank="Plats",
    charts="Diagram: utvecklingen per nyckeltal",
    charts_unavailable="Diagrammen visas som tabeller: ingen webbläsare (Chromium) för bildexport finns på servern.",
    chart_failed="Diagrammet kunde inte ritas; tabellen visar samma siffror.",
    comments="Kommunens kommentarer",
    comments_note="Kommentarerna är kommunens egna och återges som de skrevs.",
    no_comments="Kommunen har inte lämnat några kommentarer.", sources="Källor",
    own_calculation="beräknat av Gröna nyckeltal", licence="Licens", citation="Så citerar du")

EN_LABELS = ReportLabels(
    product="Green Key Figures", report_kind="Municipality report", municipality_code="Municipality code",
    date="Date", demo="Demo data – not official figures", page="Page {page} of {pages}", best="Best three",
    weakest="Weakest three", indicators="All indicators", col_indicator="Indicator", col_value="Value (year)",
    col_verdict="Since the base year", col_direction="Recent years", col_target="Target",
    col_rank="Rank", charts="Charts: the trend of each indicator",
    charts_unavailable="The charts are shown as tables: the server has no browser (Chromium) for image export.",
    chart_failed="This chart could not be drawn; the table shows the same figures.",
    comments="The municipality's comments", comments_note="The comments are the municipality's own, as written.",
    no_comments="The municipality has left no comments.", sources="Sources",
    own_calculation="calculated by Green Key Figures", licence="Licence", citation="How to cite")


def fmt(value: float, decimals: int, lang: str) -> str:
    """Swedish: U+202F thousands and a decimal comma; English: comma thousands, point."""
    text = f"{value:,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", NNBSP).replace(".", ",").replace("-", "\u2212")
    return text


def with_unit(value: float, unit: str, decimals: int, lang: str) -> str:
    if unit == "%":
        return fmt(value, decimals, lang) + (NBSP + "%" if lang == "sv" else "%")
    return f"{fmt(value, decimals, lang)} {unit}"


def _series(i: int, base: float, step: float) -> list[float]:
    return [round(max(base + step * k + 0.07 * base * math.sin(k * 1.3 + i), 0.0), 4) for k in range(len(YEARS))]


def trend_chart(i: int, name: str, unit: str, decimals: int, base: float, step: float, lang: str) -> Chart:
    own = _series(i, base, step)
    avg = _series(i + 7, base * 1.05, step * 0.8)
    target = base + step * 25
    mun, net, tgt = (("Kommunen", "SEKOM-medel (beräknat)", "Mål") if lang == "sv"
                     else ("Municipality", "SEKOM average (calculated)", "Target"))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=YEARS, y=own, name=mun, mode="lines+markers", line={"color": "#0072B2", "width": 2.5},
                             marker={"size": 5}))
    fig.add_trace(go.Scatter(x=YEARS, y=avg, name=net, mode="lines", line={"color": "#6b6b6b", "dash": "dot"}))
    fig.add_trace(go.Scatter(x=[YEARS[0], 2030], y=[target, target], name=tgt, mode="lines",
                             line={"color": "#7a1f5c", "dash": "dash", "width": 1.5}))
    fig.update_layout(title=f"{name}", separators=", " if lang == "sv" else ".,", template="plotly_white",
                      yaxis={"title": unit, "tickformat": f",.{decimals}f"}, xaxis={"dtick": 4})
    rows = tuple((str(y), with_unit(a, unit, decimals, lang), with_unit(b, unit, decimals, lang))
                 for y, a, b in zip(YEARS, own, avg))
    headers = ("År", mun, net) if lang == "sv" else ("Year", mun, net)
    return Chart(figure=fig, table=Table(headers=headers, rows=rows), alt=name)


VERDICTS = {"sv": {"right": "Utvecklingen går åt rätt håll sedan 2014", "wrong": "Utvecklingen går åt fel håll sedan 2014",
                   "unchanged": "Ingen uppmätt förändring sedan 2014", "insufficient": "För få år för en bedömning"},
            "en": {"right": "Moving in the right direction since 2014", "wrong": "Moving in the wrong direction since 2014",
                   "unchanged": "No measured change since 2014", "insufficient": "Too few years for a verdict"}}
DIRECTIONS = {"sv": {"improving": "Förbättras de senaste åren", "worsening": "Försämras de senaste åren",
                     "no_clear_change": "Ingen tydlig förändring", "insufficient": "För få år"},
              "en": {"improving": "Improving in recent years", "worsening": "Worsening in recent years",
                     "no_clear_change": "No clear change", "insufficient": "Too few years"}}
TARGETS = {"sv": {"achieved": "Målet är nått", "on_track": "I fas mot målet", "off_track": "Inte i fas mot målet"},
           "en": {"achieved": "Target met", "on_track": "On track for the target", "off_track": "Not on track"}}
VERDICT_CYCLE = ["right", "right", "wrong", "unchanged", "right", "insufficient", "right", "wrong"]
DIRECTION_CYCLE = ["improving", "no_clear_change", "worsening", "improving", "insufficient"]
TARGET_CYCLE = ["off_track", "no_target", "on_track", "achieved", "no_target", "off_track"]


def indicator_rows(lang: str, charts: bool = True) -> tuple[IndicatorRow, ...]:
    rows = []
    for i, (iid, sv, en, th_sv, th_en, unit, dec, base, step, _better) in enumerate(INDICATORS):
        name = sv if lang == "sv" else en
        latest = _series(i, base, step)[-1]
        v, d, tc = VERDICT_CYCLE[i % 8], DIRECTION_CYCLE[i % 5], TARGET_CYCLE[i % 6]
        target = ""
        if tc != "no_target":
            goal = with_unit(base + step * 25, unit, dec, lang)
            target = (f"Nationellt mål: {goal} år 2030. {TARGETS['sv'][tc]}." if lang == "sv"
                      else f"National target: {goal} by 2030. {TARGETS['en'][tc]}.")
        n_members = 54
        rank = (f"delad plats {i % 5 + 1} av {n_members} ({n_members} kommuner)" if lang == "sv" and i % 4 == 0
                else f"plats {i * 3 + 1} av {n_members}" if lang == "sv"
                else f"shared rank {i % 5 + 1} of {n_members}" if i % 4 == 0 else f"rank {i * 3 + 1} of {n_members}")
        notes = ()
        if i == 3:
            notes = ("preliminärt",) if lang == "sv" else ("preliminary",)
        if i == 12:
            notes = ("inaktuellt: senaste år 2021",) if lang == "sv" else ("out of date: latest year 2021",)
        rows.append(IndicatorRow(
            theme=th_sv if lang == "sv" else th_en, indicator_id=iid, name=name,
            value=with_unit(latest, unit, dec, lang), year=str(YEARS[-1] if i != 12 else 2021),
            verdict=VERDICTS[lang][v], verdict_code=v, direction=DIRECTIONS[lang][d], direction_code=d,
            target=target, target_code=tc, rank=rank, notes=notes,
            chart=trend_chart(i, name, unit, dec, base, step, lang) if charts else None))
    return tuple(rows)


def sample_content(lang: str = "sv", *, demo: bool = True, charts: bool = True, comments: bool = True) -> ReportContent:
    rows = indicator_rows(lang, charts)
    sv = lang == "sv"
    best = tuple(Highlight(r.name, f"{r.rank} · {r.value} ({r.year})") for r in (rows[7], rows[14], rows[9]))
    weakest = tuple(Highlight(r.name, f"{r.rank} · {r.value} ({r.year})") for r in (rows[2], rows[10], rows[15]))
    comment_rows = (
        Comment(rows[7].name, f"Ny insamling av matavfall från 2022 sänkte mängden med 1{NNBSP}234,5 kg per 100 invånare."
                if sv else "A new food-waste collection from 2022 cut the amount by 1,234.5 kg per 100 residents."),
        Comment(rows[14].name, HOSTILE),
        Comment(rows[0].name, "Värdet för 2023 är preliminärt; " + "långtordutanmellanrum" * 6 if sv
                else "The 2023 value is preliminary; " + "averylongwordwithoutspaces" * 6),
    ) if comments else ()
    sources = (
        Source("Nationella emissionsdatabasen (Naturvårdsverket/SCB)", "GN.1a, GN.1b"),
        Source("Avfall Sverige", "GN.6a, GN.6b"),
        Source("Jordbruksverket", "GN.3"),
        Source("Kommunerna (egen rapportering)", "GN.2a, GN.7, GN.8a, GN.9a, GN.9b"),
        Source("SEKOM-medel, bedömningar, riktningar och rangordningar" if sv
               else "SEKOM averages, verdicts, directions and ranks", "", own_calculation=True),
    )
    return ReportContent(
        municipality="Ekokommun Å-by" if sv else "Ekokommun Å-by", municipality_code="1490",
        date="30 november 2026" if sv else "30 November 2026", language=lang,
        title=("Gröna nyckeltal 2026 – Ekokommun Å-by" if sv else "Green Key Figures 2026 – Ekokommun Å-by"),
        summary=("Ekokommun Å-by går åt rätt håll på 7 av 16 nyckeltal och ligger bland de tio bästa på "
                 f"hushållsavfall, med 1{NNBSP}234,5 kg per person." if sv else
                 "Ekokommun Å-by is moving the right way on 7 of 16 indicators and is among the ten best on "
                 "household waste, at 1,234.5 kg per person."),
        rows=rows, best=best, weakest=weakest, comments=comment_rows, sources=sources,
        licence=("Våra sammanställningar och beräkningar får användas fritt enligt CC BY 4.0. Underliggande "
                 "värden från andra källor omfattas av respektive källas villkor." if sv else
                 "Our compilations and calculations may be used freely under CC BY 4.0. Underlying values "
                 "from other sources keep their own terms."),
        citation=("Gröna nyckeltal, Sveriges Ekokommuner (SEKOM). Sammanställning och beräkningar: Gröna "
                  "nyckeltal, CC BY 4.0. Hämtat 30 november 2026." if sv else
                  "Green Key Figures, Swedish Eco-municipalities (SEKOM). Compilation and calculations: Green "
                  "key figures, CC BY 4.0. Retrieved 30 November 2026."),
        labels=SV_LABELS if sv else EN_LABELS, demo=demo)
