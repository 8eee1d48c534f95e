"""Korean and English for every string a visitor reads.

The table is the union of demos/strings/*.py: each module defines ``EN`` and ``KO``, two
dicts with the same keys, prefixed by the tab (``"tensor_ops.run"``); ``common.py`` holds
the shared ones. Labels use ``L(key)`` (a gr.I18n key, translated in the browser); text a
callback builds at run time uses ``t(key, lang, **params)``. Every callback takes the
page's language radio as its last input, so messages follow the visitor's choice.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import logging
import pkgutil

import gradio as gr

from core.errors import StudioError

LANGS = ("ko", "en")
log = logging.getLogger("deep_studio")


@functools.cache
def table() -> dict[str, dict[str, str]]:
    """{'en': {key: text}, 'ko': {key: text}} merged from demos/strings/*.py.

    Raises KeyError naming the module and key when a key is in one language only or is
    defined twice, so a missing translation fails the tests instead of reaching a visitor.
    """
    from demos import strings

    merged: dict[str, dict[str, str]] = {"en": {}, "ko": {}}
    for info in pkgutil.iter_modules(strings.__path__):
        mod = importlib.import_module(f"demos.strings.{info.name}")
        en, ko = mod.EN, mod.KO
        if set(en) != set(ko):
            raise KeyError(f"demos/strings/{info.name}.py: keys only in one language: {sorted(set(en) ^ set(ko))}")
        for key in en:
            if key in merged["en"]:
                raise KeyError(f"demos/strings/{info.name}.py: key {key!r} is defined twice")
            merged["en"][key] = en[key]
            merged["ko"][key] = ko[key]
    return merged


def i18n() -> gr.I18n:
    """The gr.I18n object passed to launch(): the whole table."""
    return gr.I18n(**table())


def L(key: str) -> gr.I18nData:
    """A label/info/button text translated in the browser. Raises KeyError for unknown keys."""
    if key not in table()["en"]:
        raise KeyError(f"unknown translation key {key!r}")
    return gr.I18n(**table())(key)


def norm_lang(lang: str | None) -> str:
    """'ko', 'ko-KR', '한국어' -> 'ko'; anything else -> 'en'."""
    return "ko" if lang and (str(lang).lower().startswith("ko") or lang == "한국어") else "en"


def t(key: str, lang: str | None = "en", **params) -> str:
    """The text of ``key`` in ``lang`` with ``{placeholders}`` filled from params."""
    text = table()[norm_lang(lang)][key]
    return text.format(**params) if params else text


def message(err: Exception, lang: str | None, fields: str | None = None) -> str:
    """What a visitor reads for an exception: the translated StudioError, else a generic line.

    fields: a tab prefix; a ``field`` parameter naming an input (``field="steps"``) is shown as
    the label ``<fields>.field_<name>`` when the table has it.
    """
    if isinstance(err, StudioError) and err.key in table()["en"]:
        params = dict(err.params)
        label = f"{fields}.field_{params.get('field')}"
        if fields and "field" in params and label in table()["en"]:
            params["field"] = t(label, lang)
        return t(err.key, lang, **params)
    return t("common.internal_error", lang, detail=type(err).__name__)


def guarded(fn=None, *, fields: str | None = None):
    """Wrap a callback that takes the page language as a parameter named ``lang`` (else as
    its last positional argument).

    StudioError becomes gr.Error in that language; any other exception is logged and shown
    as a short generic message, so the app keeps running. Works for generator callbacks too.
    Gradio may place gr.Progress/gr.SelectData arguments anywhere; ``lang`` is found by name.
    ``@guarded(fields="vae")`` also names the inputs in errors by the tab's ``vae.field_*`` labels.
    """
    if fn is None:
        return functools.partial(guarded, fields=fields)
    signature = inspect.signature(fn)

    def lang_of(args, kwargs):
        try:
            bound = signature.bind_partial(*args, **kwargs).arguments
        except TypeError:
            bound = {}
        return bound.get("lang", args[-1] if args else "en")

    def fail(err: Exception, lang):
        if not isinstance(err, StudioError):
            log.exception("callback %s failed", fn.__name__)
        raise gr.Error(message(err, lang, fields), print_exception=False) from None

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            lang = lang_of(args, kwargs)
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:  # noqa: BLE001 - everything a visitor triggers ends in a message
                fail(err, lang)

        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        lang = lang_of(args, kwargs)
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as err:  # noqa: BLE001
            fail(err, lang)

    return wrapper
