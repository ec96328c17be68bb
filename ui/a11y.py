"""Accessibility and small-screen finish that Streamlit does not give by itself, through public
means only: a style sheet and one small script, both inserted with st.html (the script with
`unsafe_allow_javascript=True`; st.html is not iframed, so it runs in the page's own document).

What the script does, and nothing else:
- sets `<html lang>` to the UI language (Streamlit serves index.html with lang="en"), again
  after every language toggle;
- gives every chart a text alternative: the first Plotly SVG of a chart (and the sparkline SVG
  of a metric) gets role="img" and an aria-label holding the summary sentence the page shows
  with the chart; Plotly's second, hover-only SVG and the sparkline's own mark groups (Vega gives
  them roles, some without a name) are hidden from assistive technology;
- marks our own page navigation in the sidebar as a navigation landmark with a name;
- hides the material icons of our badges from assistive technology (Streamlit names them by
  their English icon name, "check_circle icon"; the words beside them say it);
- puts Streamlit's and Plotly's own English (Streamlit 1.67 has no translations: "Upload",
  "200MB per file", "140.0B", "Choose options", "Remove …", the chart toolbar) into the UI
  language: the pairs are the `builtin.*` strings of indicators/text/locale/ui.toml, applied to
  aria-label/title/placeholder attributes anywhere and to the text inside a few widgets.
A MutationObserver reapplies this when Plotly redraws a chart. Charts are found by the CSS class
Streamlit gives an element with a key (`st-key-<key>`), so a page names a chart's sentence with
`label_chart(key, text)` (ui.widgets.plotly_chart does it for every chart it draws).

The style sheet (STYLE) keeps headings whole on a phone (no word broken mid-word), lets an
overview tile's key figure wrap (ui.widgets.tile_value), hides the Plotly toolbar on small screens
so it never covers a chart title, lays out the Kommun scorecard
(indicators/views/scorecard_html.py: rows on a wide screen, one card per indicator below 640 px)
and styles the plain HTML login and logout forms (ui/session.py). Colours for contrast come from the theme in
.streamlit/config.toml, not from here.
Imports ui.state only; the lowest rooms of ui/ besides state.
"""
from __future__ import annotations

import json
import re

import streamlit as st

from indicators.text import i18n
from ui.state import lang, tr

_LABELS_KEY = "a11y.labels"
HOST_KEY = "gn-a11y"            # the hidden container that holds the script
NAV_KEY = "gn-nav"              # our page navigation in the sidebar
TILE_VALUE_CLASS = "gn-tile-value"   # an overview tile's key figure (ui/widgets.tile_value)

STYLE = """
<style>
/* the container holding the accessibility script takes no space */
.st-key-gn-a11y { display: none; }
/* headings: never break a word in the middle (Streamlit breaks anywhere); smaller on a phone */
h1, h2, h3, h4 { overflow-wrap: normal; word-break: normal; hyphens: manual; }
@media (max-width: 640px) {
  h1 { font-size: 1.75rem !important; }
  h2 { font-size: 1.4rem !important; }
  h3 { font-size: 1.2rem !important; }
  /* the chart toolbar would cover the chart's title on a small screen */
  .modebar-container { display: none !important; }
}
/* an overview tile's key figure: large, and wrapping between words rather than cut with "…" */
p.gn-tile-value { line-height: 1.25; margin: 0 0 0.25rem; overflow-wrap: break-word; }
p.gn-tile-value .gn-num { font-size: 2rem; font-weight: 400; white-space: nowrap; }
p.gn-tile-value .gn-unit { font-size: 1.1rem; }
@media (max-width: 640px) { p.gn-tile-value .gn-num { font-size: 1.75rem; } }
/* the Kommun scorecard (indicators/views/scorecard_html.py): a row of six cells on a wide screen,
   one short card per indicator on a phone (value and verdict first, position and target below) */
.gn-sc-sentence { font-size: 1.15rem; font-weight: 600; margin: 0 0 0.3rem; }
.gn-sc-lead { margin: 0.3rem 0 0.6rem; }
.gn-sc-head, .gn-sc-row { display: grid; gap: 0.25rem 0.9rem; align-items: center;
  grid-template-columns: minmax(9rem, 1.4fr) minmax(8.5rem, 1fr) 150px minmax(13rem, 1.5fr) minmax(8rem, 0.9fr) minmax(8rem, 1fr);
  grid-template-areas: "name value spark pos verdict target"; }
.gn-sc-head { font-size: 0.8rem; color: #4a4a4a; border-bottom: 2px solid #d0d0d0; padding: 0.2rem 0; }
.gn-sc-h-name { grid-area: name; } .gn-sc-h-value { grid-area: value; } .gn-sc-h-trend { grid-area: spark; }
.gn-sc-h-position { grid-area: pos; } .gn-sc-h-direction { grid-area: verdict; } .gn-sc-h-target { grid-area: target; }
.gn-sc-row { border-bottom: 1px solid #e3e3e3; padding: 0.25rem 0; font-size: 0.9rem; line-height: 1.25; }
.gn-sc-name { grid-area: name; font-weight: 600; overflow-wrap: normal; word-break: normal; hyphens: manual; }
.gn-sc-value { grid-area: value; } .gn-sc-value strong { font-size: 1.05rem; }
.gn-sc-spark { grid-area: spark; display: flex; flex-direction: column; }
.gn-sc-pos { grid-area: pos; display: flex; flex-wrap: wrap; align-items: center; column-gap: 0.4rem; }
.gn-sc-verdict { grid-area: verdict; } .gn-sc-target { grid-area: target; }
.gn-sc-small, .gn-sc-note, .gn-sc-rank { font-size: 0.8rem; color: #4a4a4a; }
.gn-sc-note { display: block; color: #8a4b00; }
.gn-sc-level { font-weight: 600; }
.gn-sc-mark { font-weight: 700; }
.gn-v-right { color: #1d6b3a; } .gn-v-wrong { color: #b3261e; } .gn-v-unchanged, .gn-v-insufficient { color: #4a4a4a; }
.gn-t-achieved, .gn-t-on_track { color: #1d6b3a; } .gn-t-off_track { color: #8a4b00; }
.gn-t-uncertain, .gn-t-insufficient, .gn-t-not_applicable, .gn-t-no_target { color: #4a4a4a; }
/* a cell's label: read aloud everywhere, shown only in the phone cards (the heads name the columns) */
.gn-sc-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 640px) {
  .gn-sc-sentence { font-size: 1.05rem; }
  .gn-sc-head { display: none; }
  /* a card: the name, then value and verdict on one line (the verdict drops below a long value), then
     position and target; the order of the markup, so a screen reader hears it the same way */
  .gn-sc-row { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 0.8rem;
    border: 1px solid #d0d0d0; border-radius: 0.5rem; padding: 0.5rem 0.7rem; margin-bottom: 0.5rem; }
  .gn-sc-name, .gn-sc-pos, .gn-sc-target { flex: 1 0 100%; }
  .gn-sc-verdict { margin-left: auto; text-align: right; }
  .gn-sc-spark { display: none; }
  .gn-sc-label { position: static; width: auto; height: auto; overflow: visible; clip: auto; white-space: normal;
    font-size: 0.8rem; color: #4a4a4a; }
  .gn-sc-value .gn-sc-label, .gn-sc-verdict .gn-sc-label { position: absolute; width: 1px; height: 1px;
    overflow: hidden; clip: rect(0 0 0 0); }
}
/* the plain HTML login and logout forms (they post to the server, see ui/session.py) */
form.gn-login { display: flex; flex-direction: column; gap: 0.35rem; max-width: 24rem; margin: 0.5rem 0 1rem; }
form.gn-login label { font-size: 0.875rem; margin-top: 0.4rem; }
form.gn-login input { font: inherit; padding: 0.5rem 0.75rem; border: 1px solid #8a8a8a; border-radius: 0.5rem;
                      background: #ffffff; color: inherit; }
form.gn-login input:focus { outline: 2px solid #1d6b3a; outline-offset: 1px; }
form.gn-login button, form.gn-logout button {
  font: inherit; cursor: pointer; border-radius: 0.5rem; padding: 0.4rem 0.9rem; }
form.gn-login button { margin-top: 0.9rem; align-self: flex-start; border: 1px solid #1d6b3a; background: #1d6b3a;
                       color: #ffffff; }
form.gn-logout button { border: 1px solid #8a8a8a; background: #ffffff; color: inherit; }
form.gn-login button:focus-visible, form.gn-logout button:focus-visible { outline: 2px solid #1d6b3a;
                                                                            outline-offset: 2px; }
</style>
"""

_SCRIPT = """<script>
(() => {
  const data = %s;
  data.rules = data.rules.map(([source, target]) => [new RegExp("^" + source + "$"), target]);
  window.__gnA11y = data;
  const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  const TEXT_IN = '[data-testid="stFileUploader"], [data-testid="stMultiSelect"], [data-testid="stSelectbox"], ' +
                  '[data-testid="InputInstructions"], [data-testid="stStatusWidget"], [data-testid="stTooltipContent"]';
  const SIZE = /^([0-9]+(?:[.][0-9]+)?)(B|KB|MB|GB)$/;
  const translate = (text, d) => {
    const t = text.trim();
    for (const [re, target] of d.rules) { if (re.test(t)) return t.replace(re, target); }
    const m = SIZE.exec(t);
    if (m) {
      const n = Number(m[1]), unit = {B: "B", KB: "kB", MB: "MB", GB: "GB"}[m[2]];
      const shown = Number.isInteger(n) ? String(n) : n.toFixed(1).replace(".", d.decimal);
      return shown.replace(/[.]0$/, "") + "\\u00a0" + unit;
    }
    return null;
  };
  const apply = () => {
    const d = window.__gnA11y;
    document.documentElement.setAttribute("lang", d.lang);
    for (const [cls, text] of Object.entries(d.labels)) {
      for (const box of document.getElementsByClassName(cls)) {
        const plots = box.querySelectorAll("svg.main-svg");
        plots.forEach((svg, i) => {
          if (i === 0) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", text); }
          else { svg.setAttribute("aria-hidden", "true"); }
        });
        box.querySelectorAll('[data-testid="stMetric"] svg').forEach((svg) => {
          svg.setAttribute("role", "img"); svg.setAttribute("aria-label", text);
          // the sparkline's marks carry roles of their own (some empty): the label above covers them
          svg.querySelectorAll("[role]").forEach((el) => el.setAttribute("aria-hidden", "true"));
        });
      }
    }
    const nav = document.getElementsByClassName(d.navClass)[0];
    if (nav) { nav.setAttribute("role", "navigation"); nav.setAttribute("aria-label", d.navLabel); }
    // a material icon in markdown is announced by its English name ("check_circle icon"); ours always
    // stand beside the words they illustrate (badges: icon and text), so they are decoration
    document.querySelectorAll('span[role="img"][translate="no"][aria-label$=" icon"]').forEach(
      (el) => el.setAttribute("aria-hidden", "true"));
    // Streamlit's and Plotly's own English in the UI language (text in widgets, and labels)
    for (const el of document.querySelectorAll(ATTRS.map((a) => "[" + a + "]").join(","))) {
      if (el.closest(".gn-user-text")) continue;
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        const t = v && translate(v, d);
        if (t !== null && t !== undefined && t !== v) el.setAttribute(a, t);
      }
    }
    for (const box of document.querySelectorAll(TEXT_IN)) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      let node;
      while ((node = walker.nextNode())) {
        const t = translate(node.textContent, d);
        if (t !== null && t !== node.textContent.trim()) node.textContent = t;
      }
    }
  };
  apply();
  if (!window.__gnA11yObserver) {
    let queued = false;
    window.__gnA11yObserver = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; apply(); });
    });
    window.__gnA11yObserver.observe(document.body, {childList: true, subtree: true, characterData: true,
                                                    attributes: true, attributeFilter: ATTRS});
  }
})();
</script>"""


def key_class(key: str) -> str:
    """The CSS class Streamlit gives an element with this key (as its frontend builds it)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def begin():
    """At the top of every run: the style sheet, and the hidden slot for the script (filled at
    once with the language, so a page that stops early still declares it). Returns the slot."""
    st.html(STYLE)
    st.session_state[_LABELS_KEY] = {}
    slot = st.container(key=HOST_KEY).empty()
    _write(slot)
    return slot


def label_chart(key: str, text: str) -> None:
    """The text alternative of the chart (or keyed container of charts) drawn with this key."""
    if text:
        st.session_state.setdefault(_LABELS_KEY, {})[key_class(key)] = " ".join(str(text).split())


def finish(slot) -> None:
    """At the end of a run: the script again, now with every chart's text alternative."""
    _write(slot)


def builtin_rules(language: str) -> list[tuple[str, str]]:
    """[(JS regular expression, replacement)] turning Streamlit's and Plotly's own English into the
    UI language (strings `builtin.<English>` in indicators/text/locale/ui.toml; {} is kept as $1)."""
    rules = []
    for key, text in i18n.load_strings()[language].items():
        if key.startswith("builtin.") and text != key.removeprefix("builtin."):
            source = re.escape(key.removeprefix("builtin.")).replace(r"\{\}", "(.+)")
            rules.append((source, text.replace("{}", "$1")))
    return rules


def script_json(data) -> str:
    """JSON safe inside an inline <script>: every "<" is written as \\u003c (so neither "</script"
    nor "<!--" can end or change the script element), and U+2028/U+2029 are escaped too; JSON.parse
    and json.loads read the same data back."""
    return (json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _write(slot) -> None:
    data = {"lang": lang(), "labels": st.session_state.get(_LABELS_KEY, {}), "navClass": key_class(NAV_KEY),
            "navLabel": tr("nav.label"), "rules": builtin_rules(lang()), "decimal": "," if lang() == "sv" else "."}
    slot.html(_SCRIPT % script_json(data), unsafe_allow_javascript=True)
