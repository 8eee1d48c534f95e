"""Tensor Ops tab (week 1): run PyTorch lines safely, see values, shapes and pictures.

Layout, then wiring. The math lives in core/tensor_interp.py (the safe interpreter),
core/tensor_viz.py (facts and pictures), core/tensor_graph.py (make_fx) and
core/tensor_facts.py (dtype table, batch arithmetic, the curriculum's examples).
"""
from __future__ import annotations

import threading

import gradio as gr

from core import tensor_allow
from core.device import available_devices, resolve_device
from core.errors import StudioError
from core.tensor_facts import EXAMPLES, dtype_table, iterations
from core.tensor_graph import fx_graphs
from core.tensor_interp import Interpreter
from core.tensor_safety import MAX_NUMEL, MAX_SOURCE_CHARS, MAX_STATEMENTS, TIME_LIMIT_S, warm_up
from core.tensor_viz import explain, facts, picture
from demos.common.i18n import L, guarded, t

MAX_REPR_CHARS = 3000


def _device(choice: str):
    try:
        return resolve_device(choice)
    except ValueError:
        raise StudioError("common.device_unavailable", device=choice, available=", ".join(available_devices()))


def _values(value):
    """The tensors a line shows facts for: the value, or each field of a (values, indices) result."""
    if hasattr(value, "_fields") or type(value).__module__ == "torch.return_types":
        return [(f".{name}", getattr(value, name)) for name in ("values", "indices") if hasattr(value, name)]
    return [("", value)]


def _explain_text(info: dict | None, lang: str) -> str | None:
    if info is None:
        return None
    if info["kind"] == "reduction":
        key = "tensor_ops.explain_reduction" if info["dim"] is not None else "tensor_ops.explain_reduction_all"
        return t(key, lang, **info)
    return t(f"tensor_ops.explain_{info['kind']}", lang, **info)


def _report(lines, device, lang: str):
    """(text, table rows) for the results of a run."""
    text = [t("tensor_ops.device_line", lang, device=device)]
    rows = []
    for k, line in enumerate(lines, start=1):
        text.append(f">>> {line.source}")
        if line.value is not None and not line.targets:
            printed = repr(line.value)
            text.append(printed if len(printed) <= MAX_REPR_CHARS else printed[:MAX_REPR_CHARS] + " ...")
        for suffix, value in _values(line.value):
            f = facts(value)
            if f:
                text.append("    # " + t("tensor_ops.facts", lang, **f))
                name = (", ".join(line.targets) or "") + suffix
                rows.append([k, name, str(f["shape"]), f["dtype"].replace("torch.", ""), f["device"], f["numel"],
                             f["bytes"]])
        note = _explain_text(explain(line.op, line.value), lang)
        if note:
            text.append("    # " + note)
    return "\n".join(text), rows


def _line_choices(lines):
    return [(f"{k}: {line.source[:60]}", k) for k, line in enumerate(lines, start=1)]


def _pick_line(lines, number: int | None):
    """The line to draw: the given one, else the last line that produced a tensor."""
    drawable = [k for k, line in enumerate(lines, start=1) if facts(_values(line.value)[0][1])]
    if number and 1 <= int(number) <= len(lines):
        return int(number)
    return drawable[-1] if drawable else None


@guarded
def tensor_eval(snippet: str, device_choice: str, lang: str):
    """Run the snippet: (printed results, facts table, line choices, picture of the last tensor line)."""
    device = _device(device_choice)
    lines = Interpreter(device).run(snippet or "")
    text, rows = _report(lines, device, lang)
    number = _pick_line(lines, None)
    image = picture(lines[number - 1]) if number else None
    return text, rows, gr.update(choices=_line_choices(lines), value=number), image


@guarded
def tensor_picture(snippet: str, line_number, device_choice: str, lang: str):
    """The picture of one line (1-based) of the snippet."""
    lines = Interpreter(_device(device_choice)).run(snippet or "")
    number = _pick_line(lines, line_number)
    return picture(lines[number - 1]) if number else None


@guarded
def tensor_graph(snippet: str, device_choice: str, lang: str):
    """The snippet's FX graph, as written and functionalized, as Python code."""
    g = fx_graphs(snippet or "", _device(device_choice))
    return (f"# make_fx(f)({g['inputs']}).code\n{g['graph']}\n\n"
            f"# make_fx(functionalize(f))({g['inputs']}).code\n{g['functional']}\n")


@guarded
def tensor_example(index, device_choice: str, lang: str):
    """Load curriculum example `index` (0-based) and run it."""
    snippet = EXAMPLES[int(index)]
    return (snippet, *tensor_eval(snippet, device_choice, lang))


@guarded
def batch_math(n_samples, batch_size, epochs, drop_last: bool, lang: str):
    """Iterations per epoch and in all, as a sentence."""
    r = iterations(n_samples, batch_size, epochs, bool(drop_last))
    drop = t("tensor_ops.batch_drop", lang, dropped=r["dropped"]) if drop_last else ""
    return t("tensor_ops.batch_result", lang, n=int(n_samples), b=int(batch_size), e=int(epochs), drop=drop,
             last=r["last_batch"], per_epoch=r["per_epoch"], total=r["total"])


def _allowed_text(lang: str) -> str:
    return t("tensor_ops.allowed", lang, max_numel=f"{MAX_NUMEL:,}", max_lines=MAX_STATEMENTS,
             max_chars=MAX_SOURCE_CHARS, seconds=TIME_LIMIT_S)


def localize(lang: str):
    """Text built at run time (table headers, the caps sentence) in the page's language."""
    return (gr.Dataframe(headers=t("tensor_ops.facts_headers", lang).split("|")),
            gr.Dataframe(headers=t("tensor_ops.dtype_headers", lang).split("|")),
            _allowed_text(lang))


def build(lang: gr.Radio) -> None:
    threading.Thread(target=warm_up, daemon=True).start()  # meta kernels load once, off the request path
    gr.Markdown(L("tensor_ops.intro"))
    with gr.Row():
        with gr.Column(scale=5):
            snippet = gr.Code(EXAMPLES[0], language="python", lines=7, label=L("tensor_ops.snippet"),
                              interactive=True, elem_id="tensor-snippet")
            with gr.Row():
                run = gr.Button(L("tensor_ops.run"), variant="primary", elem_id="tensor-run")
                graph_btn = gr.Button(L("tensor_ops.graph_button"))
                device = gr.Dropdown(["auto", *available_devices()], value="auto", label=L("common.device"),
                                     info=L("common.device_info"), min_width=120)
            examples = gr.Dataset(components=[gr.Code(language="python", visible=False)],
                                  samples=[[s] for s in EXAMPLES], label=L("tensor_ops.examples"),
                                  type="index", samples_per_page=len(EXAMPLES), elem_id="tensor-examples")
        with gr.Column(scale=6):
            result = gr.Textbox(label=L("tensor_ops.result"), lines=16, max_lines=40, elem_id="tensor-result",
                                buttons=["copy"], elem_classes=["mono"])
            line = gr.Dropdown(choices=[], label=L("tensor_ops.line"), interactive=True)
            image = gr.Image(label=L("tensor_ops.picture"), type="numpy", format="png", interactive=False,
                             elem_id="tensor-picture")
    table = gr.Dataframe(headers=t("tensor_ops.facts_headers", "en").split("|"), label=L("tensor_ops.table"),
                         interactive=False, wrap=True)
    with gr.Accordion(L("tensor_ops.graph"), open=False) as graph_box:
        gr.Markdown(L("tensor_ops.graph_help"))
        graph = gr.Code(language="python", label=L("tensor_ops.graph"), interactive=False, elem_id="tensor-graph")
    with gr.Accordion(L("tensor_ops.batch_title"), open=False):
        with gr.Row():
            n_samples = gr.Number(640, label=L("tensor_ops.n_samples"), precision=0, minimum=1, maximum=10**9)
            batch_size = gr.Number(32, label=L("tensor_ops.batch_size"), precision=0, minimum=1, maximum=10**9)
            epochs = gr.Number(10, label=L("tensor_ops.epochs"), precision=0, minimum=1, maximum=10**6)
            drop_last = gr.Checkbox(False, label=L("tensor_ops.drop_last"))
        batch_btn = gr.Button(L("tensor_ops.batch_button"))
        batch_out = gr.Markdown()
    with gr.Accordion(L("tensor_ops.dtype_title"), open=False):
        dtypes = gr.Dataframe(dtype_table(), headers=t("tensor_ops.dtype_headers", "en").split("|"),
                              interactive=False)
    with gr.Accordion(L("tensor_ops.allowed_title"), open=False):
        allowed = gr.Markdown(_allowed_text("en"))
        summary = tensor_allow.allowed_summary()
        gr.Markdown("`" + "`, `".join(summary["torch"] + summary["tensor"]) + "`")

    lang.change(localize, lang, [table, dtypes, allowed], api_name="tensor_localize")
    outputs = [result, table, line, image]
    run.click(tensor_eval, [snippet, device, lang], outputs, api_name="tensor_eval")
    examples.click(tensor_example, [examples, device, lang], [snippet, *outputs], api_name="tensor_example")
    line.input(tensor_picture, [snippet, line, device, lang], image, api_name="tensor_picture")
    graph_btn.click(tensor_graph, [snippet, device, lang], graph, api_name="tensor_graph").then(
        lambda: gr.Accordion(open=True), None, graph_box, api_name=False)
    batch_btn.click(batch_math, [n_samples, batch_size, epochs, drop_last, lang], batch_out, api_name="batch_math")


def bench_cases() -> list[tuple[str, tuple]]:
    return [("tensor_eval", (EXAMPLES[1], "auto", "en")),
            ("tensor_eval", (EXAMPLES[9], "auto", "ko")),
            ("tensor_graph", (EXAMPLES[14], "auto", "en")),
            ("batch_math", (640, 32, 10, False, "en"))]
