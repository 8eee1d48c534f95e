"""Every string a visitor reads exists in Korean and English."""
import pathlib
import re

import pytest

from demos import TABS
from demos.common.i18n import guarded, message, norm_lang, t, table
from core.errors import StudioError

ROOT = pathlib.Path(__file__).resolve().parents[1]
KEY_USE = re.compile(r"""\b(?:L|t|StudioError)\(\s*["']([a-z_0-9]+\.[a-z_0-9]+)["']""")


def test_both_languages_have_the_same_keys_and_no_empty_text():
    tab = table()
    assert set(tab["en"]) == set(tab["ko"])
    for lang in ("en", "ko"):
        assert all(text.strip() for text in tab[lang].values()), lang


def test_every_key_used_in_code_is_defined():
    defined = set(table()["en"])
    used = {}
    for path in [*ROOT.glob("core/*.py"), *ROOT.glob("demos/*.py"), ROOT / "app.py"]:
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path.name)
    missing = {k: f for k, f in used.items() if k not in defined}
    assert not missing, f"keys used but not translated: {missing}"


def test_every_tab_has_a_title_in_both_languages():
    for name in TABS:
        assert t(f"{name}.tab", "en") and t(f"{name}.tab", "ko") != t(f"{name}.tab", "en")


def test_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)")
    tab = table()
    for key in tab["en"]:
        assert set(field.findall(tab["en"][key])) == set(field.findall(tab["ko"][key])), key


def test_language_normalisation_and_messages():
    assert norm_lang("ko-KR") == "ko" and norm_lang("en-US") == "en" and norm_lang(None) == "en"
    err = StudioError("common.out_of_range", field="lr", low=0, high=1, value=5)
    assert "lr" in message(err, "ko") and "사이" in message(err, "ko")
    assert "between" in message(err, "en")
    assert "KeyError" in message(KeyError("x"), "en")


def test_guarded_turns_errors_into_translated_gradio_errors():
    import gradio as gr

    @guarded
    def fn(x, lang):
        raise StudioError("common.empty_sketch")

    with pytest.raises(gr.Error) as err:
        fn(1, "ko")
    assert "스케치" in str(err.value)


def test_guarded_finds_lang_by_name_even_before_progress():
    import gradio as gr

    @guarded
    def fn(x, lang, progress=None):
        raise StudioError("common.empty_sketch")

    with pytest.raises(gr.Error) as err:
        fn(1, "ko", object())
    assert "스케치" in str(err.value)
