"""Deep Studio: assembles the tabs listed in demos.TABS into one gr.Blocks and serves it.

    python app.py                     # http://127.0.0.1:7860, language from the browser
    python app.py --host 0.0.0.0      # serve a seminar room over the LAN
    python app.py --share --lang ko   # a public link, opening in Korean
"""
from __future__ import annotations

import argparse
import importlib
import os

import gradio as gr

from demos import TABS
from demos.common.i18n import L, LANGS, i18n

MAX_FILE_SIZE = "10mb"
# Shared styles: .mono for printed tensors and code-like text.
CSS = """
.mono textarea, .mono .prose, .mono pre { font-family: ui-monospace, 'DejaVu Sans Mono', 'Noto Sans Mono CJK KR', monospace !important; }
.pixels img { image-rendering: pixelated; }  /* digits enlarged by the page stay sharp squares */
"""
# Light events (a plot, a small tensor) run many at once; heavy ones set their own limit.
DEFAULT_CONCURRENCY = 8

# The page language lives in the radio; changing it switches Gradio's own i18n store
# (the module that exports changeLocale is found among the loaded scripts, whatever its hash).
CHANGE_LOCALE_JS = """
async (lang) => {
  try {
    const url = performance.getEntriesByType('resource').map(e => e.name)
      .find(n => /\\/core-[\\w-]+\\.js$/.test(n));
    if (url) { const m = await import(url); if (m.changeLocale) m.changeLocale(lang); }
    document.documentElement.lang = lang;
  } catch (e) { console.warn('locale switch failed', e); }
  return lang;
}
"""


def initial_lang_js(forced: str | None) -> str:
    """JS run on page load: the --lang flag if given, else the browser's language."""
    if forced:
        return f"() => '{forced}'"
    return "() => ((navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en')"


def build_app(lang: str | None = None) -> gr.Blocks:
    """One gr.Blocks with a language switch and a tab per module in demos.TABS.

    lang: 'ko' or 'en' forces the first language shown; None follows the browser.
    """
    with gr.Blocks(title="Deep Studio") as demo:
        with gr.Row(equal_height=True):
            with gr.Column(scale=4):
                gr.Markdown(L("common.title"))
            with gr.Column(scale=1, min_width=200):
                # No value until the page loads: the load event then always sets it, which fires
                # .change, so the browser's i18n and every run-time text follow the same language.
                lang_radio = gr.Radio(
                    choices=[("한국어", "ko"), ("English", "en")],
                    value=None,
                    label=L("common.language"),
                    elem_id="lang-radio",
                )
        with gr.Tabs():
            for name in TABS:
                module = importlib.import_module(f"demos.{name}")
                with gr.Tab(L(f"{name}.tab"), id=name, elem_id=f"tab-{name}"):
                    module.build(lang_radio)
        demo.load(None, None, lang_radio, js=initial_lang_js(lang), api_name=False)
        lang_radio.change(None, lang_radio, lang_radio, js=CHANGE_LOCALE_JS, api_name=False)
    return demo


def launch(demo: gr.Blocks, **kwargs):
    """Queue and launch with the studio's limits; kwargs go to Blocks.launch."""
    demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY, max_size=256)
    return demo.launch(i18n=i18n(), max_file_size=MAX_FILE_SIZE, css=CSS, **kwargs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Deep Studio: a deep-learning study group's topics, live.")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
                        help="address to bind; 0.0.0.0 serves the LAN (default: $GRADIO_SERVER_NAME or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", 7860)))
    parser.add_argument("--share", action="store_true", help="also open a public Gradio share link")
    parser.add_argument("--lang", choices=LANGS, default=None, help="first language shown (default: the browser's)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DEEP_STUDIO_THREADS", 1)),
                        help="PyTorch threads per request (default 1: many visitors share the cores)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, args.threads))
    launch(build_app(args.lang), server_name=args.host, server_port=args.port, share=args.share)


if __name__ == "__main__":
    main()
