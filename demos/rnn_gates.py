"""RNN / LSTM / GRU Gates tab (weeks 7-8): the hand-computed RNN step, the cells written
out against PyTorch, gates of a trained LSTM/GRU over time, vanishing gradients.

Layout, then wiring. The math: core/rnn.py (cells, walk-through), core/rnn_task.py (the
recall task, model, training), core/rnn_gradients.py, core/rnn_plots.py, core/rnn_inputs.py.
"""
from __future__ import annotations

import dataclasses
import functools
import time

import gradio as gr
import torch

from core import rnn
from core.checkpoint import load_cached
from core.errors import StudioError, check_number
from core.rnn_gradients import MAX_HIDDEN, MAX_STEPS, MODELS, gradient_norms
from core.rnn_inputs import format_matrix, parse_matrix
from core.rnn_plots import gate_heatmaps, gradient_plot, training_curve
from core.rnn_task import CELLS, RecallConfig, RecallNet, evaluate, parse_sequence, train_steps, trace
from demos.common.i18n import L, guarded, t

MAX_WALK_STEPS = 50         # rows of x shown step by step
MAX_H, MAX_D, MAX_K = 16, 32, 32
TRAIN_MAX_STEPS = 2000
TRAIN_MAX_HIDDEN = 32
TRAIN_MAX_SECONDS = 20.0
SHIPPED = {"lstm": "recall_lstm", "gru": "recall_gru"}
DEFAULT_SEQUENCE = "3 1 *4 1 5 9 2 *6 5 3 5 8 9 7 9 3 2 *3 8 4"
EXAMPLE = {"W": format_matrix(rnn.CURRICULUM_W), "U": format_matrix(rnn.CURRICULUM_U),
           "V": format_matrix(rnn.CURRICULUM_V), "h0": format_matrix(rnn.CURRICULUM_H0),
           "xs": format_matrix(rnn.CURRICULUM_X)}


# ------------------------------------------------------------------- 1. walk-through
def _vec(v: torch.Tensor, decimals: int) -> str:
    return "[" + ", ".join(f"{x:.{decimals}f}" for x in v.tolist()) + "]"


def _count_rows(text: str) -> int:
    return sum(1 for line in (text or "").replace(";", "\n").splitlines() if line.strip(" ,[]\t"))


@guarded
def rnn_step(W_text: str, U_text: str, V_text: str, h0_text: str, xs_text: str, decimals, lang: str):
    """Parse the matrices, run core.rnn.rnn_walkthrough: (Markdown per step, JSON of every number)."""
    decimals = check_number("decimals", decimals, 1, 8, integer=True)
    W = parse_matrix(W_text, "W", max_rows=MAX_H, max_cols=MAX_H, shape_hint="H x H")
    if W.shape[0] != W.shape[1]:
        raise StudioError("rnn_gates.W_not_square", got=f"{W.shape[0]} x {W.shape[1]}")
    H = W.shape[0]
    U = parse_matrix(U_text, "U", rows=H, max_rows=MAX_H, max_cols=MAX_D, shape_hint=f"H x D = {H} x D")
    D = U.shape[1]
    V = parse_matrix(V_text, "V", cols=H, max_rows=MAX_K, max_cols=MAX_H, shape_hint=f"K x H = K x {H}")
    h0 = parse_matrix(h0_text, "h0", rows=1, cols=H, shape_hint=f"1 x H = 1 x {H}")[0]
    steps = _count_rows(xs_text)
    if steps > MAX_WALK_STEPS:
        raise StudioError("rnn_gates.too_many_steps", steps=steps, max=MAX_WALK_STEPS, D=D)
    xs = parse_matrix(xs_text, "x", cols=D, max_rows=MAX_WALK_STEPS, max_cols=MAX_D,
                      shape_hint=f"T x D = T x {D}")
    result = rnn.rnn_walkthrough(W, U, V, xs, h0)
    K = V.shape[0]
    md = [t("rnn_gates.summary", lang, T=len(result), H=H, D=D, K=K)]
    head = (f"| {t('rnn_gates.col_quantity', lang)} | {t('rnn_gates.col_formula', lang)} | "
            f"{t('rnn_gates.col_value', lang)} |\n|---|---|---|")
    rows = [("Wh", "W h_{t-1}"), ("Ux", "U x_t"), ("a", "W h_{t-1} + U x_t"), ("h", "h_t = tanh(·)"),
            ("o", "o_t = V h_t"), ("y", "y_t = softmax(o_t)")]
    for k, (x, step) in enumerate(zip(xs, result), start=1):
        md.append(t("rnn_gates.step_header", lang, t=k, x=_vec(x, 0 if x.eq(x.round()).all() else decimals)))
        md.append(head)
        for key, formula in rows:
            md.append(f"| {t(f'rnn_gates.row_{key}', lang)} | `{formula}` | `{_vec(step[key], decimals)}` |")
        y = step["y"]
        md.append("\n" + t("rnn_gates.argmax", lang, k=int(y.argmax()), p=f"{float(y.max()):.{decimals}f}"))
        if k == 1 and _is_curriculum(W, U, V, h0, xs):      # right under step 1, where the slide slipped
            md.append("\n> " + t("rnn_gates.slide_slip", lang, o1=_vec(step["o"], 4), y1=_vec(step["y"], 4),
                                 h1a=f"{float(step['h'][0]):.4f}", h1b=f"{float(step['h'][1]):.4f}",
                                 o13=f"{float(step['o'][2]):.4f}") + "\n")
    numbers = {"shapes": {"H": H, "D": D, "K": K, "T": len(result)},
               "steps": [{"t": k, **{key: v.tolist() for key, v in step.items()}}
                         for k, step in enumerate(result, start=1)]}
    return "\n".join(md), numbers


def _is_curriculum(W, U, V, h0, xs) -> bool:
    same = [torch.equal(W, torch.tensor(rnn.CURRICULUM_W, dtype=W.dtype)),
            torch.equal(U, torch.tensor(rnn.CURRICULUM_U, dtype=U.dtype)),
            torch.equal(V, torch.tensor(rnn.CURRICULUM_V, dtype=V.dtype)),
            torch.equal(h0, torch.tensor(rnn.CURRICULUM_H0, dtype=h0.dtype))]
    return all(same) and torch.equal(xs[0], torch.tensor(rnn.CURRICULUM_X[0], dtype=xs.dtype))


@guarded
def rnn_example(lang: str):
    """The curriculum's worked example, as text for the five inputs."""
    return EXAMPLE["W"], EXAMPLE["U"], EXAMPLE["V"], EXAMPLE["h0"], EXAMPLE["xs"]


# ------------------------------------------------------------------------- 2. cells
@guarded
def cell_check(cell: str, input_size, hidden_size, seed, lang: str):
    """One step of the written-out LSTM/GRU vs nn.LSTM/nn.GRU: (Markdown table, JSON)."""
    cell = cell if cell in CELLS else "lstm"
    D = check_number("D", input_size, 1, 16, integer=True)
    H = check_number("H", hidden_size, 1, 16, integer=True)
    seed = check_number("seed", seed, 0, 2**31 - 1, integer=True)
    r = rnn.cell_check(cell, D, H, seed)
    md = [t("rnn_gates.check_title", lang, cell=cell.upper(), lib=f"nn.{cell.upper()}", seed=seed),
          f"| {t('rnn_gates.col_gate', lang)} | {t('rnn_gates.col_value', lang)} |\n|---|---|",
          f"| x_t | `{_vec(r['x'], 4)}` |", f"| h_(t-1) | `{_vec(r['h0'], 4)}` |"]
    if cell == "lstm":
        md.append(f"| c_(t-1) | `{_vec(r['c0'], 4)}` |")
    md += [f"| {name} | `{_vec(v, 4)}` |" for name, v in r["gates"].items()]
    md += [f"| h_t (ours) | `{_vec(r['h_ours'], 6)}` |", f"| h_t (nn.{cell.upper()}) | `{_vec(r['h_torch'], 6)}` |",
           "", t("rnn_gates.check_result", lang, diff=r["max_abs_diff"])]
    if cell == "gru":
        gap = float((r["h_reset_before"] - r["h_ours"]).abs().max())
        md.append("\n" + t("rnn_gates.check_gru_note", lang, ztorch=_vec(r["z_torch"], 4),
                           hbefore=_vec(r["h_reset_before"], 4), gap=gap))
    numbers = {k: (v.tolist() if isinstance(v, torch.Tensor) else v) for k, v in r.items() if k != "gates"}
    numbers["gates"] = {k: v.tolist() for k, v in r["gates"].items()}
    return "\n".join(md), numbers


# ------------------------------------------------------------------ 3. gates over time
def _gate_labels(lang: str) -> dict[str, str]:
    labels = {g: t(f"rnn_gates.gate_{g}", lang) for g in "ifgochzrn"}
    return labels | {"pred": t("rnn_gates.gate_pred", lang), "time": t("rnn_gates.axis_time", lang),
                     "gates": t("rnn_gates.axis_gates", lang), "values": t("rnn_gates.axis_values", lang)}


def _model(cell: str, source: str, mine: dict | None) -> RecallNet:
    if source == "mine":
        entry = (mine or {}).get(cell)
        if entry is None:
            raise StudioError("rnn_gates.no_trained_model", cell=cell.upper())
        model = RecallNet(RecallConfig(**entry["config"]))
        model.load_state_dict(entry["state"])
        return model.eval()
    return load_cached(SHIPPED[cell])[0]


def _gates_view(text: str, cell: str, source: str, mine: dict | None, lang: str):
    cell = cell if cell in CELLS else "lstm"
    digits, marks = parse_sequence(text)
    model = _model(cell, source, mine)
    tr = trace(model, digits, marks)
    image = gate_heatmaps(tr, _gate_labels(lang), title=f"{cell.upper()} · H = {model.config.hidden_size}")
    show = lambda ids: " ".join("-" if k == 10 else str(k) for k in ids.tolist())  # noqa: E731
    summary = t("rnn_gates.gates_summary", lang, cell=cell.upper(), H=model.config.hidden_size, T=len(digits),
                pred=show(tr["pred"]), target=show(tr["target"]), correct=int((tr["pred"] == tr["target"]).sum()))
    return image, summary


@guarded
def lstm_gates(text: str, cell: str, source: str, mine: dict | None, lang: str):
    """Heatmaps of every gate/state of the chosen model on the typed sequence: (image, summary)."""
    return _gates_view(text, cell, source, mine, lang)


@guarded
def train_gates(cell: str, steps, hidden_size, lr, seed, text: str, mine: dict | None,
                progress=gr.Progress(), lang: str = "en"):
    """Train a RecallNet live (capped), streaming the curve; store it in the visitor's gr.State.

    Yields (curve image, status, state, source radio, gates image, gates summary).
    """
    cell = cell if cell in CELLS else "lstm"
    try:
        lr_value = float(lr)
    except (TypeError, ValueError):
        raise StudioError("common.not_a_number", field="lr", value=lr) from None
    config = RecallConfig(cell=cell, steps=check_number("steps", steps, 20, TRAIN_MAX_STEPS, integer=True),
                          hidden_size=check_number("H", hidden_size, 2, TRAIN_MAX_HIDDEN, integer=True), lr=lr_value,
                          seed=check_number("seed", seed, 0, 2**31 - 1, integer=True), max_seconds=TRAIN_MAX_SECONDS)
    labels = {"step": t("rnn_gates.curve_step", lang), "loss": t("rnn_gates.curve_loss", lang),
              "acc": t("rnn_gates.curve_acc", lang), "title": t("rnn_gates.curve_title", lang)}
    history, last_draw, update = [], 0.0, None
    for update in train_steps(config, check_every=10):
        history.append({k: update[k] for k in ("step", "loss", "accuracy")})
        status = t("rnn_gates.train_progress", lang, step=update["step"], steps=config.steps,
                   loss=update["loss"], acc=update["accuracy"], elapsed=update["elapsed"])
        progress(update["step"] / config.steps, desc=status)
        if time.monotonic() - last_draw > 0.8 and not update["done"]:
            last_draw = time.monotonic()
            yield training_curve(history, labels), status, gr.skip(), gr.skip(), gr.skip(), gr.skip()
    model = update["model"].eval()
    acc = evaluate(model)["accuracy"]
    mine = dict(mine or {})
    mine[cell] = {"config": dataclasses.asdict(config),
                  "state": {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}}
    status = t("rnn_gates.train_done", lang, cell=cell.upper(), H=config.hidden_size, step=update["step"],
               elapsed=update["elapsed"], loss=update["loss"], acc=acc)
    if update["step"] < config.steps:
        status += t("rnn_gates.train_stopped", lang, seconds=int(TRAIN_MAX_SECONDS))
    try:
        image, summary = _gates_view(text, cell, "mine", mine, lang)
    except StudioError:
        image, summary = gr.skip(), gr.skip()
    yield training_curve(history, labels), status, mine, "mine", image, summary


# ---------------------------------------------------------------- 4. vanishing gradients
@guarded
def vanishing_gradients(steps, hidden_size, gain, gate_bias, seed, lang: str):
    """||d h_T / d h_t|| for tanh RNN, ReLU RNN, LSTM, GRU: (log-scale plot, table with one reason each)."""
    T = check_number("T", steps, 2, MAX_STEPS, integer=True)
    H = check_number("H", hidden_size, 2, MAX_HIDDEN, integer=True)
    norms = _gradient_norms(T, H, gain=check_number("gain", gain, 0.0, 10.0),
                            gate_bias=check_number("gate bias", gate_bias, -10.0, 10.0),
                            seed=check_number("seed", seed, 0, 2**31 - 1, integer=True))
    labels = {m: t(f"rnn_gates.model_{m}", lang) for m in MODELS} | {
        "x": t("rnn_gates.vanish_x", lang), "y": t("rnn_gates.vanish_y", lang),
        "title": t("rnn_gates.vanish_title", lang, T=T, H=H)}
    table = t("rnn_gates.vanish_table", lang, **{m: f"{float(norms[m][0]):.2e}" for m in MODELS})
    return gradient_plot(norms, labels), table


# Deterministic in its arguments: a seminar room clicking the same settings computes them once.
_gradient_norms = functools.lru_cache(maxsize=32)(gradient_norms)


# -------------------------------------------------------------------------------- layout
def build(lang: gr.Radio) -> None:
    gr.Markdown(L("rnn_gates.intro"))
    with gr.Tabs():
        with gr.Tab(L("rnn_gates.sec_step"), elem_id="rnn-sec-step"):
            gr.Markdown(L("rnn_gates.step_intro"))
            with gr.Row():
                W = gr.Textbox(EXAMPLE["W"], label=L("rnn_gates.W"), lines=3, elem_id="rnn-W")
                U = gr.Textbox(EXAMPLE["U"], label=L("rnn_gates.U"), lines=3, elem_id="rnn-U")
                V = gr.Textbox(EXAMPLE["V"], label=L("rnn_gates.V"), lines=3, elem_id="rnn-V")
                h0 = gr.Textbox(EXAMPLE["h0"], label=L("rnn_gates.h0"), lines=1, elem_id="rnn-h0")
                xs = gr.Textbox(EXAMPLE["xs"], label=L("rnn_gates.xs"), lines=3, elem_id="rnn-xs")
            with gr.Row():
                decimals = gr.Slider(1, 8, value=4, step=1, label=L("rnn_gates.decimals"))
                step_btn = gr.Button(L("rnn_gates.run_step"), variant="primary", elem_id="rnn-step-run")
                example_btn = gr.Button(L("rnn_gates.load_example"))
            walk = gr.Markdown(elem_id="rnn-walk")
            with gr.Accordion(L("rnn_gates.numbers"), open=False):
                walk_json = gr.JSON()
        with gr.Tab(L("rnn_gates.sec_cells"), elem_id="rnn-sec-cells"):
            gr.Markdown(L("rnn_gates.cells_md"))
            with gr.Row():
                check_cell = gr.Radio([("LSTM", "lstm"), ("GRU", "gru")], value="gru", label=L("rnn_gates.cell"))
                check_D = gr.Number(3, label=L("rnn_gates.input_size"))
                check_H = gr.Number(4, label=L("rnn_gates.hidden_size"))
                check_seed = gr.Number(0, label=L("rnn_gates.seed"))
                check_btn = gr.Button(L("rnn_gates.run_check"), variant="primary", elem_id="rnn-check-run")
            check_md = gr.Markdown(elem_id="rnn-check")
            check_json = gr.JSON(visible=False)
        with gr.Tab(L("rnn_gates.sec_gates"), elem_id="rnn-sec-gates"):
            gr.Markdown(L("rnn_gates.gates_intro"))
            mine = gr.State({})
            with gr.Row():
                sequence = gr.Textbox(DEFAULT_SEQUENCE, label=L("rnn_gates.sequence"), scale=4, elem_id="rnn-seq")
                cell = gr.Radio([("LSTM", "lstm"), ("GRU", "gru")], value="lstm", label=L("rnn_gates.cell"))
                source = gr.Radio([(L("rnn_gates.source_shipped"), "shipped"), (L("rnn_gates.source_mine"), "mine")],
                                  value="shipped", label=L("rnn_gates.source"))
                gates_btn = gr.Button(L("rnn_gates.show_gates"), variant="primary", elem_id="rnn-gates-run")
            gates_summary = gr.Markdown(elem_id="rnn-gates-summary")
            gates_img = gr.Image(type="numpy", format="png", interactive=False, show_label=False, elem_id="rnn-gates-img")
            with gr.Accordion(L("rnn_gates.train_title"), open=False, elem_id="rnn-train-box"):
                with gr.Row():
                    train_steps_in = gr.Slider(20, TRAIN_MAX_STEPS, value=300, step=10, label=L("rnn_gates.steps"),
                                               elem_id="rnn-train-steps")
                    train_H = gr.Slider(2, TRAIN_MAX_HIDDEN, value=12, step=1, label=L("rnn_gates.hidden_size"))
                    train_lr = gr.Number(0.01, label=L("rnn_gates.lr"))
                    train_seed = gr.Number(0, label=L("rnn_gates.seed"))
                    train_btn = gr.Button(L("rnn_gates.train"), variant="primary", elem_id="rnn-train-run")
                train_status = gr.Markdown(elem_id="rnn-train-status")
                train_curve = gr.Image(type="numpy", format="png", interactive=False, show_label=False, elem_id="rnn-train-curve")
        with gr.Tab(L("rnn_gates.sec_vanish"), elem_id="rnn-sec-vanish"):
            gr.Markdown(L("rnn_gates.vanish_intro"))
            with gr.Row():
                v_T = gr.Slider(2, MAX_STEPS, value=50, step=1, label=L("rnn_gates.T"))
                v_H = gr.Slider(2, MAX_HIDDEN, value=32, step=1, label=L("rnn_gates.hidden_size"))
                v_gain = gr.Slider(0.1, 4.0, value=1.0, step=0.1, label=L("rnn_gates.gain"))
                v_bias = gr.Slider(-2.0, 5.0, value=1.0, step=0.5, label=L("rnn_gates.gate_bias"))
                v_seed = gr.Number(0, label=L("rnn_gates.seed"))
            vanish_btn = gr.Button(L("rnn_gates.run_vanish"), variant="primary", elem_id="rnn-vanish-run")
            vanish_img = gr.Image(type="numpy", format="png", interactive=False, show_label=False, elem_id="rnn-vanish-img")
            vanish_md = gr.Markdown(elem_id="rnn-vanish-table")

    # wiring (sliders are range-checked by Gradio itself; numbers are checked in the callbacks,
    # so the message comes in the visitor's language)
    step_inputs = [W, U, V, h0, xs, decimals, lang]
    step_btn.click(rnn_step, step_inputs, [walk, walk_json], api_name="rnn_step")
    example_btn.click(rnn_example, [lang], [W, U, V, h0, xs], api_name="rnn_example").then(
        rnn_step, step_inputs, [walk, walk_json], api_name=False)
    check_btn.click(cell_check, [check_cell, check_D, check_H, check_seed, lang], [check_md, check_json],
                    api_name="cell_check")
    gr.on([gates_btn.click, sequence.submit], lstm_gates, [sequence, cell, source, mine, lang],
          [gates_img, gates_summary], api_name="lstm_gates")
    train_btn.click(train_gates, [cell, train_steps_in, train_H, train_lr, train_seed, sequence, mine, lang],
                    [train_curve, train_status, mine, source, gates_img, gates_summary], api_name="train_gates",
                    concurrency_limit=2, concurrency_id="rnn_train")
    vanish_btn.click(vanishing_gradients, [v_T, v_H, v_gain, v_bias, v_seed, lang], [vanish_img, vanish_md],
                     api_name="vanishing_gradients", concurrency_limit=2, concurrency_id="rnn_vanish")


def bench_cases() -> list[tuple[str, tuple]]:
    ex = EXAMPLE
    return [("rnn_step", (ex["W"], ex["U"], ex["V"], ex["h0"], ex["xs"], 4, "en")),
            ("lstm_gates", (DEFAULT_SEQUENCE, "lstm", "shipped", "ko")),
            ("lstm_gates", (DEFAULT_SEQUENCE, "gru", "shipped", "en")),
            ("cell_check", ("gru", 3, 4, 0, "en")),
            ("vanishing_gradients", (50, 32, 1.0, 1.0, 0, "en"))]
