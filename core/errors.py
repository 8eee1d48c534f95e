"""One exception type for mistakes a visitor can make, translatable by key.

Core code raises ``StudioError("tensor_ops.too_many_elements", n=..., max=...)``. The key names
an entry of the translation table (demos/strings/*.py, English and Korean); ``params`` fill
its ``{placeholders}``. Core stays free of Gradio and of any language: the UI translates.
"""
from __future__ import annotations


class StudioError(ValueError):
    """A user-facing error: ``key`` is a translation key, ``params`` its placeholders."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        detail = ", ".join(f"{k}={v!r}" for k, v in params.items())
        super().__init__(f"{key}({detail})" if detail else key)
