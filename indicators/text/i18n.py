"""UI strings in Swedish and English, and number formatting per language.

Strings live in indicators/locale/*.toml, one file per area, each with a [sv] and an
[en] table holding the same keys (a test checks that). Swedish is the first language;
English is a full second language. Numbers are formatted in text.numbers. Imports nothing
from the rest of the product; no UI imports.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path


LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=1)
def load_strings() -> dict[str, dict[str, str]]:
    """{lang: {key: text}} merged from every locale file; a key may be defined once only."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for path in sorted(LOCALE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for lang in LANGS:
            for key, text in _flatten(data.get(lang, {})).items():
                if key in merged[lang]:
                    raise ValueError(f"UI string {key!r} ({lang}) is defined twice (again in {path.name})")
                merged[lang][key] = text
    return merged


def _flatten(d: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = str(v)
    return out


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The UI string `key` in `lang`, with {placeholders} filled. A missing key is a bug: KeyError."""
    text = load_strings()[norm_lang(lang)][key]
    return text.format(**params) if params else text


def labelled(frame, lang: str, headers: dict[str, str]):
    """A canonical frame for display: only the columns in `headers` ({column: string key}), in that
    order, renamed to their text in `lang`. Views compute on canonical columns and call this last."""
    return frame[list(headers)].rename(columns={c: t(k, lang) for c, k in headers.items()})
