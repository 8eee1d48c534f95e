"""The studio's tabs, in the curriculum's order. app.py builds one gr.Tab per entry.

Each name is a module demos/<name>.py exposing ``build(lang)`` (layout, then wiring) and
``bench_cases()`` (API calls the benchmark script times). Add a tab here only when it works.
"""

TABS = [
    "tensor_ops",
    "optim_race",
    "cnn_filters",
    "rnn_gates",
    "attention",
    "vit",
    "vae",
    "ddpm",
]
