"""UI strings: every key exists in Swedish and English with the same placeholders, every key
the code asks for exists, and the dashboard pages hold no literal UI text."""
from __future__ import annotations

import ast
import re
import string
import tomllib

import pytest

from indicators.text import i18n
from indicators.text import numbers
from tests.conftest import ROOT

PAGE_SCRIPTS = sorted((ROOT / "app_pages").rglob("*.py"))
CODE_WITH_KEYS = sorted([*ROOT.glob("*.py"), *(ROOT / "ui").rglob("*.py"), *PAGE_SCRIPTS,
                         *(ROOT / "indicators").rglob("*.py")])
LOCALE_FILES = sorted((ROOT / "indicators" / "text" / "locale").glob("*.toml"))
WORDS = re.compile(r"[A-Za-zÅÄÖåäöÉé]{2,},? +[A-Za-zÅÄÖåäöÉé]{2,}")   # two words: UI text


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scanned_file_lists_are_not_empty():
    assert len(LOCALE_FILES) >= 4 and len(PAGE_SCRIPTS) >= 10 and len(CODE_WITH_KEYS) > 40


@pytest.mark.parametrize("path", LOCALE_FILES, ids=lambda p: p.name)
def test_every_locale_file_has_the_same_keys_in_sv_and_en(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sv, en = i18n._flatten(data["sv"]), i18n._flatten(data["en"])
    assert set(sv) == set(en), set(sv) ^ set(en)
    for key in sv:
        assert sv[key].strip() and en[key].strip(), key
        assert _fields(sv[key]) == _fields(en[key]), key


def test_all_strings_load_without_duplicates():
    strings = i18n.load_strings()
    assert set(strings["sv"]) == set(strings["en"])


def _literal_keys(path) -> set[str]:
    """Keys passed as a literal first argument to tr()/t()."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("tr", "t") and isinstance(node.args[0].value, str):
                keys.add(node.args[0].value)
    return keys


@pytest.mark.parametrize("path", CODE_WITH_KEYS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_the_code_asks_for_exists(path):
    known = set(i18n.load_strings()["sv"])
    missing = _literal_keys(path) - known
    assert not missing, missing


@pytest.mark.parametrize("page", PAGE_SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_hold_no_literal_ui_text(page):
    """Any string constant with words in it must be a locale key, a path or an icon."""
    known = set(i18n.load_strings()["sv"])
    tree = ast.parse(page.read_text(encoding="utf-8"))
    docstrings = {ast.get_docstring(n, clean=False) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))}
    offenders = [node.value for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in docstrings
                 and node.value not in known and WORDS.search(node.value)]
    assert not offenders, offenders


def test_swedish_numbers_use_a_space_and_a_decimal_comma():
    assert numbers.format_number(1234.5, "sv", 1) == "1 234,5"
    assert numbers.format_number(1234.5, "en", 1) == "1,234.5"


def test_national_target_labels_are_translated_and_the_swedish_ones_match_the_catalogue():
    from indicators.catalog import default_catalog
    from indicators.text import labels
    for ind in default_catalog():
        nt = ind.national_target
        if nt is None:
            continue
        assert nt.label_en.strip() and nt.label_en != nt.label
        assert labels.target_label(nt.label, ind, "sv") == nt.label
        english = labels.target_label(nt.label, ind, "en")
        assert english and english != nt.label
    gn10 = default_catalog()["GN.10"]
    assert labels.target_label("Borås eget mål", gn10, "en") == "Borås eget mål"    # a municipality's own label
    assert labels.target_label(gn10.national_target.label, gn10, "en") == "National guiding target"
