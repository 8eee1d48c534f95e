"""One exception type for mistakes a visitor can make, translatable by key.

Core code raises ``StudioError("tensor_ops.too_many_elements", n=..., max=...)``. The key names
an entry of the translation table (demos/strings/*.py, English and Korean); ``params`` fill
its ``{placeholders}``. Core stays free of Gradio and of any language: the UI translates.
"""
from __future__ import annotations

import math


class StudioError(ValueError):
    """A user-facing error: ``key`` is a translation key, ``params`` its placeholders."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{key}({detail})" if detail else key)


def _fmt(v: float) -> str:
    """2 -> '2', 2147483647.0 -> '2147483647', 2.5 -> '2.5' (for messages)."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def check_number(field: str, value, low: float, high: float, integer: bool = False) -> float | int:
    """``value`` (a number or a string from the UI or the API) as a float, or an int when
    ``integer``, inside [low, high]; the one check every tab uses on numeric input.

    Raises StudioError 'common.not_a_number' (not a number, NaN, infinity),
    'common.not_an_integer' (a fraction where a whole number is needed) or
    'common.out_of_range'; ``field`` names the input in the message, the value is cut to 40 characters.
    """
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise StudioError("common.not_a_number", field=field, value=str(value)[:40]) from None
    if not math.isfinite(number):
        raise StudioError("common.not_a_number", field=field, value=str(value)[:40])
    if integer and number != int(number):
        raise StudioError("common.not_an_integer", field=field, value=_fmt(number))
    if not low <= number <= high:
        raise StudioError("common.out_of_range", field=field, low=_fmt(low), high=_fmt(high), value=_fmt(number))
    return int(number) if integer else number
