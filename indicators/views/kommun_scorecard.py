"""Kommun's five-second scorecard: one row per indicator (catalogue order) with the latest value,
a sparkline against the SEKOM average, the municipality's position among the members reporting
the same year (a dot on a good→bad strip, the rank and a quartile word), the verdict since the
base year and the target status; above it one sentence saying what goes best and what goes
worst, and the lead that puts position and direction side by side (never the verdict tally
alone: "rätt håll" beside "Plats 92 av 94" reads "Läge: bland de svagaste · Riktning: åt rätt håll").

Position and level come from the stats layer's rank fields only: a value is compared when it has
a rank, its year is not preliminary for the network (network_preliminary) and it is not stale;
preliminary and stale values are shown, marked, and left out of the sentence and the lead.
Pure functions over a Snapshot (the HTML is drawn by scorecard_html); never streamlit.
"""
from __future__ import annotations

import pandas as pd

from indicators.stats.targets import primary_target
from indicators.text.i18n import t
from indicators.text.labels import value_text
from indicators.text.summaries import ordinal
from indicators.views import scorecard_html
from indicators.views.kommun import scorecard
from indicators.views.snapshot import Snapshot, breaks_for, has_demo, kommun_name, missing, network_series, \
    source_text, trend_rows

LEVELS = ("top", "upper", "lower", "bottom")     # quartiles of the position, best first
MIN_COMPARED = 2                                 # fewer compared indicators: no best/worst sentence


def position_of(rank: int, n: int) -> float:
    """Where a rank stands among n: 1.0 = nobody does better, 0.0 = all others do better (a tie
    shares the best rank of its group, as the competition rank does)."""
    return (n - rank) / (n - 1) if n > 1 else 1.0


def level_of(position: float) -> str:
    """The quartile word's code: top (≥ 75 %), upper (≥ 50 %), lower (≥ 25 %), bottom."""
    return "top" if position >= 0.75 else "upper" if position >= 0.5 else "lower" if position >= 0.25 else "bottom"


def _in_sentence(name: str) -> str:
    """An indicator name inside a sentence: a lower-case first letter unless it is an abbreviation."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _target_short(row: dict | None, lang: str) -> tuple[str, str]:
    target = primary_target(row["targets"] or [], row["latest_year"]) if row else None
    status = (target or {}).get("on_track") or "no_target"
    year = (target or {}).get("target_year")
    if status == "no_target" or missing(year):
        return t("scorecard.target.no_target", lang), "no_target"
    if status == "off_track" and target.get("target_passed"):
        return t("scorecard.target.missed", lang, year=int(year)), status
    return t(f"scorecard.target.{status}", lang, year=int(year)), status


def _spark(snap: Snapshot, kommun: str, ind, lang: str, own: pd.DataFrame) -> dict:
    """The sparkline's points (the municipality's values `own`; the network's complete years) and its
    text alternative."""
    own = own[own["indicator_id"] == ind.id].sort_values("year")
    net = network_series(snap, ind.id)
    net = net[~net["preliminary"].astype(bool)]
    years, values = [int(y) for y in own["year"]], [float(v) for v in own["value"]]
    network = t("scorecard.spark_no_network", lang)
    if len(net):
        last = net.iloc[-1]
        network = t("scorecard.spark_network", lang, value=value_text(last["headline"], ind, lang), year=int(last["year"]))
    alt = t("scorecard.spark_alt", lang, name=ind.name(lang), kommun=kommun_name(snap, kommun),
            first=value_text(values[0], ind, lang), first_year=years[0], last=value_text(values[-1], ind, lang),
            last_year=years[-1], network=network) if years else ""
    return {"years": years, "values": values, "net_years": [int(y) for y in net["year"]],
            "net_values": [float(v) for v in net["headline"]], "breaks": [b["year"] for b in breaks_for(snap, ind, kommun)],
            "alt": alt}


def rank_words(place: tuple[int, int, int], lang: str, in_sentence: bool = False) -> str:
    """'Plats 92 av 94', 'Delad plats 1 av 90 (7 kommuner)'; in a sentence 'plats 92 av 94',
    'delad plats 1 av 90' ('92nd of 94', 'joint 1st of 90')."""
    rank, n, shared = place
    if in_sentence:
        return t("scorecard.rank_tied" if shared > 1 else "scorecard.rank", lang, rank=ordinal(rank, lang), n=n)
    if shared > 1:
        return t("common.rank_of_tied", lang, rank=ordinal(rank, lang), n=n, shared=shared)
    return t("common.rank_of", lang, rank=rank, n=n)


def _position(card: dict, lang: str) -> dict:
    """compared, position (0..1 or None), level code, and the texts of the position cell."""
    place = card["rank_place"]
    compared = place is not None and not card["preliminary"] and not card["stale"]
    if not compared:
        rank = t("scorecard.preliminary_rank", lang, rank=rank_words(place, lang)) \
            if place and card["preliminary"] and not card["stale"] else card["rank"]
        return {"compared": False, "position": None, "level": None, "level_text": t("scorecard.level.none", lang),
                "rank_text": rank}
    position = position_of(place[0], place[1])
    level = level_of(position)
    return {"compared": True, "position": position, "level": level,
            "level_text": t(f"scorecard.level.{level}", lang), "rank_text": rank_words(place, lang)}


def scorecard_rows(snap: Snapshot, kommun: str, lang: str) -> list[dict]:
    """One row per indicator with a value, in catalogue order (the order of the detail cards)."""
    rows, trend = [], trend_rows(snap, kommun)
    own = snap.current[snap.current["kommunkod"] == kommun]
    for card in scorecard(snap, kommun, lang):
        if not card["has_value"]:
            continue
        ind = snap.catalog[card["id"]]
        row = trend.get(card["id"])
        target, target_status = _target_short(row, lang)
        pos = _position(card, lang)
        verdict = card["verdict"]
        direction = t(f"scorecard.verdict.{verdict}", lang)
        since = t("scorecard.since", lang, year=card["base_year"]) if card["base_year"] and verdict != "insufficient" \
            else ""
        rows.append({
            "id": card["id"], "name": card["name"], "value": card["value"], "year": card["year"],
            "note": "; ".join(card["notes"]), "preliminary": card["preliminary"], "stale": card["stale"],
            "rank_place": card["rank_place"], **pos, "verdict": verdict, "direction_text": direction,
            "since": since, "target": target, "target_status": target_status,
            "network": value_text(row["network_mean"], ind, lang) if row and not missing(row.get("network_mean"))
            else "",
            "spark": _spark(snap, kommun, ind, lang, own)})
    return rows


def _left_out(rows: list[dict], lang: str) -> str:
    parts = []
    prelim = sum(1 for r in rows if r["preliminary"] and not r["stale"])
    stale = sum(1 for r in rows if r["stale"])
    other = sum(1 for r in rows if not r["compared"] and not r["preliminary"] and not r["stale"])
    for n, key in ((prelim, "preliminary"), (stale, "stale"), (other, "unranked")):
        if n:
            parts.append(t(f"scorecard.left_out_{key}", lang, n=n))
    return t("scorecard.left_out", lang, what=", ".join(parts)) if parts else ""


def best_worst(snap: Snapshot, kommun: str, lang: str, rows: list[dict] | None = None) -> dict:
    """The sentence above the scorecard: what goes best and worst by the position among the members
    reporting the same year (compared values only; preliminary and stale values never count), with
    ids of best and worst (None when too few are compared) and what was left out."""
    rows = scorecard_rows(snap, kommun, lang) if rows is None else rows
    compared = [r for r in rows if r["compared"]]
    name = kommun_name(snap, kommun)
    out = {"best": None, "worst": None, "left_out": _left_out(rows, lang), "compared": len(compared)}
    if len(compared) < MIN_COMPARED:
        out["sentence"] = t("scorecard.too_few", lang, name=name, n=len(compared), total=len(rows))
        return out
    # ties between indicators: the fewer municipalities sharing the rank, then catalogue order
    best = max(compared, key=lambda r: (r["position"], -r["rank_place"][2]))
    worst = min(compared, key=lambda r: (r["position"], r["rank_place"][2]))
    if best["position"] == worst["position"]:
        out["sentence"] = t("scorecard.all_same", lang, name=name, n=len(compared), rank=best["level_text"])
        return out
    out.update(best=best["id"], worst=worst["id"], sentence=t(
        "scorecard.best_worst", lang, name=name, best=_in_sentence(best["name"]),
        best_rank=rank_words(best["rank_place"], lang, True), worst=_in_sentence(worst["name"]),
        worst_rank=rank_words(worst["rank_place"], lang, True)))
    return out


def lead(snap: Snapshot, kommun: str, lang: str, rows: list[dict] | None = None) -> dict[str, str]:
    """Position and direction side by side: how many compared indicators in each quartile, and how
    many go each way since the base year (the direction alone would hide a low position)."""
    rows = scorecard_rows(snap, kommun, lang) if rows is None else rows
    levels = [t("scorecard.count", lang, n=n, what=t(f"scorecard.level.{lv}", lang))
              for lv in LEVELS if (n := sum(1 for r in rows if r["level"] == lv))]
    verdicts = [t("scorecard.count", lang, n=n, what=t(f"scorecard.verdict.{v}", lang))
                for v in ("right", "wrong", "unchanged", "insufficient") if (n := sum(1 for r in rows if r["verdict"] == v))]
    none = t("scorecard.lead_none", lang)
    return {"position_label": t("scorecard.lead_position", lang), "position": " · ".join(levels) or none,
            "direction_label": t("scorecard.lead_direction", lang), "direction": " · ".join(verdicts) or none}


def focus_indicator(snap: Snapshot, kommun: str, rows: list[dict] | None = None) -> tuple[str | None, str]:
    """The chart shown without a click: the weakest-placed compared indicator ('worst'), else the
    first indicator with a value ('first'); (None, '') when there is none."""
    rows = scorecard_rows(snap, kommun, "sv") if rows is None else rows
    worst = best_worst(snap, kommun, "sv", rows)["worst"]
    if worst:
        return worst, "worst"
    compared = [r for r in rows if r["compared"]]
    if compared:
        return min(compared, key=lambda r: r["position"])["id"], "worst"
    return (rows[0]["id"], "first") if rows else (None, "")


def scorecard_source(snap: Snapshot, kommun: str, lang: str, rows: list[dict] | None = None) -> str:
    """'Källa: …' under the visual: the indicators' sources (demo data said first when shown)."""
    ids = [r["id"] for r in (scorecard_rows(snap, kommun, lang) if rows is None else rows)]
    sources = ", ".join(dict.fromkeys(source_text(snap, i, lang) for i in ids))
    if has_demo(snap, ids, (kommun,)):
        sources = t("scorecard.source_demo", lang, sources=sources)
    return t("scorecard.source", lang, sources=sources)


def scorecard_markup(snap: Snapshot, kommun: str, lang: str, rows: list[dict] | None = None) -> str:
    """The scorecard as HTML (rows on a wide screen, one card per indicator on a phone)."""
    labels = {k: t(f"scorecard.label_{k}", lang) for k in ("value", "trend", "position", "direction", "target")}
    labels.update({f"head_{k}": t(f"scorecard.head_{k}", lang)
                   for k in ("name", "value", "trend", "position", "direction", "target")})
    return scorecard_html.render(scorecard_rows(snap, kommun, lang) if rows is None else rows, labels,
                                 t("scorecard.aria", lang, name=kommun_name(snap, kommun)))


def scorecard_frame(snap: Snapshot, kommun: str, lang: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """The scorecard's table twin: the same rows and content, in the UI language."""
    rows = scorecard_rows(snap, kommun, lang) if rows is None else rows
    cols = {"common.indicator": "name", "common.latest_value": "value", "common.latest_year": "year",
            "common.flag": "note", "scorecard.col_network": "network", "scorecard.col_level": "level_text",
            "common.rank": "rank_text", "scorecard.col_direction": "direction", "common.target_status": "target"}
    frame = pd.DataFrame([{**r, "direction": f"{r['direction_text']} {r['since']}".strip()} for r in rows],
                         columns=list(dict.fromkeys([*cols.values(), "direction_text", "since"])))
    return frame[list(cols.values())].rename(columns={v: t(k, lang) for k, v in cols.items()})


def first_screen(snap: Snapshot, kommun: str, lang: str) -> dict:
    """Everything the Kommun page shows first, from one pass over the rows (the page caches this
    one call): the best/worst sentence, the lead, the markup, its table, the source line and the
    indicator whose chart is shown without a click (id, 'worst' | 'first')."""
    rows = scorecard_rows(snap, kommun, lang)
    return {"overview": best_worst(snap, kommun, lang, rows), "lead": lead(snap, kommun, lang, rows),
            "markup": scorecard_markup(snap, kommun, lang, rows), "table": scorecard_frame(snap, kommun, lang, rows),
            "source": scorecard_source(snap, kommun, lang, rows), "focus": focus_indicator(snap, kommun, rows)}
