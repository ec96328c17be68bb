"""Visual constants both report renderers share: the embedded font, colours, state marks.

A state (verdict, direction, target) is always printed as a mark plus its text, never by colour
alone: the mark's shape differs (✓ ✗ – ?) and the text says it in words. The font is DejaVu
Sans Condensed, shipped in static/fonts/ with its licence: it has the Swedish letters, U+00A0 and
U+202F (Swedish number formatting) and U+2212 (the minus babel writes). No other imports.
"""
from __future__ import annotations

from ..paths import STATIC_DIR

FONT_DIR = STATIC_DIR / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"
FONT_FAMILY_WORD = "DejaVu Sans Condensed"   # what Word is asked for; it falls back if absent
REQUIRED_CHARS = "åäöÅÄÖéÉ\u00a0\u202f\u2212–·✓✗"

BRAND = "#1F5F3F"        # deep green: headings and rules
INK = "#1A1A1A"
MUTED = "#5F6368"
RULE = "#C9D3CC"
TINT = "#EEF4EF"         # summary box, theme rows
HEADER_FILL = "#E3ECE5"
DEMO_FILL = "#FFF0D1"
DEMO_INK = "#6B3F00"

GOOD = "#00704F"
BAD = "#B34700"
NEUTRAL = "#5F6368"

_MARKS = {
    "verdict": {"right": ("✓", GOOD), "wrong": ("✗", BAD), "unchanged": ("–", NEUTRAL),
                "insufficient": ("?", NEUTRAL)},
    "direction": {"improving": ("✓", GOOD), "worsening": ("✗", BAD), "no_clear_change": ("–", NEUTRAL),
                  "insufficient": ("?", NEUTRAL)},
    "target": {"achieved": ("✓", GOOD), "on_track": ("✓", GOOD), "off_track": ("✗", BAD),
               "uncertain": ("?", NEUTRAL), "not_applicable": ("–", NEUTRAL),
               "insufficient": ("?", NEUTRAL), "no_target": ("", NEUTRAL)},
}


def state_mark(kind: str, code: str) -> tuple[str, str]:
    """(symbol, hex colour) for a verdict, direction or target code."""
    return _MARKS[kind][code]
