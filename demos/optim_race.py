"""Optimizer Race tab (week 3): torch.optim optimizers racing on loss surfaces.

Layout, then wiring. The math lives in core/surfaces.py (the surfaces), core/optim_race.py
(racers, presets, the race), core/optim_inspect.py + core/adam.py (what an optimizer
carries; Adam written out), core/optim_regression.py (the homework) and the figures in
core/optim_plots.py / core/optim_plots2.py.
"""

import tempfile
import time

import gradio as gr
import numpy as np

from core.errors import StudioError, check_number
from core.optim_inspect import FORMULAS, step_details
from core.optim_plots import pixel_to_xy, race_gif, race_image, loss_image
from core.optim_plots2 import inspect_image, many_image, regression_images
from core.optim_race import DEFAULT_RACERS, MAX_STEPS, OPTIMIZERS, check_start, preset, race, summary
from core.optim_regression import CURVES, RegressionConfig, fit
from core.surfaces import SURFACES, get_surface
from demos.common.i18n import L, guarded, t

MAX_GRID = 20
HW_TIME_LIMIT_S = 60
COLUMNS = ("use", "optimizer", "lr", "p1", "p2", "wd")
LATEX = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]
_BY_LABEL = {spec.label: key for key, spec in OPTIMIZERS.items()}
STATE_TEX = {"momentum_buffer": "b", "exp_avg": "m", "exp_avg_sq": "v", "sum": "G", "square_avg": "v",
             "acc_delta": "u", "exp_inf": "u"}


# ---------- parsing and formatting ----------
def _headers(lang: str) -> list[str]:
    return [t(f"optim_race.col_{c}", lang) for c in COLUMNS]


def _table_rows(surface_key: str, use: set[str]) -> list[list]:
    """One row per optimizer: [use, name, lr, p1, p2, wd]; cells an optimizer ignores are None."""
    rows = []
    for key, spec in OPTIMIZERS.items():
        hp = preset(surface_key, key)
        rows.append([key in use, spec.label, hp["lr"]] + [hp[c] if c in spec.uses else None for c in ("p1", "p2", "wd")])
    return rows


def _rows_of(table) -> list[list]:
    if table is None:
        return []
    if isinstance(table, dict):
        return [list(r) for r in (table.get("data") or [])]
    if hasattr(table, "to_numpy"):  # a pandas DataFrame
        return table.to_numpy().tolist()
    return [list(r) for r in table]


def _truthy(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1", "yes")) or value == 1


def _parse_table(table) -> dict[str, dict]:
    """{key: {lr, p1, p2, wd}} for the ticked rows, in the table's order (values unchecked here)."""
    racers = {}
    for row in _rows_of(table):
        if len(row) < len(COLUMNS) or str(row[1]) not in _BY_LABEL:
            raise StudioError("optim_race.bad_table")
        if _truthy(row[0]):
            racers[_BY_LABEL[str(row[1])]] = dict(zip(("lr", "p1", "p2", "wd"), row[2:6]))
    return racers


def _row_for(table, key: str) -> dict:
    for row in _rows_of(table):
        if len(row) >= len(COLUMNS) and _BY_LABEL.get(str(row[1])) == key:
            return dict(zip(("lr", "p1", "p2", "wd"), row[2:6]))
    raise StudioError("optim_race.bad_table")


def _settings(steps, noise, seed, tol, lang):
    steps_v = check_number(t("optim_race.steps", lang), steps, 1, MAX_STEPS, integer=True)
    noise_v = check_number(t("optim_race.noise", lang), noise, 0, 1000)
    seed_v = check_number(t("optim_race.seed", lang), seed, 0, 2**31 - 1, integer=True)
    tol_v = check_number(t("optim_race.tol", lang), tol, 1e-12, 10)
    return steps_v, noise_v, seed_v, tol_v


def _fig_text(lang: str, **extra) -> dict:
    keys = ("minimum", "saddle", "start", "diverged", "step", "converged", "not_converged")
    text = {k: t(f"optim_race.fig_{k}", lang) for k in keys}
    text["saddle_point"] = text.pop("saddle")
    text["labels"] = {k: s.label for k, s in OPTIMIZERS.items()}
    return dict(text, **extra)


def _surface_name(key: str, lang: str) -> str:
    return t(f"optim_race.surface_{key}", lang)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _vec(v) -> str:
    return f"({_fmt(float(v[0]))}, {_fmt(float(v[1]))})"


def _results(surface, traces: dict, tol: float, lang: str):
    rows = []
    for key, tr in traces.items():
        r = summary(surface, tr, tol)[0]
        if surface.f_min is None:  # the saddle: leaving the view box is the point
            x0, x1, y0, y1 = surface.box
            p = tr.path[:, 0]
            out = np.nonzero((p[:, 0] < x0) | (p[:, 0] > x1) | (p[:, 1] < y0) | (p[:, 1] > y1))[0]
            status = t("optim_race.status_escaped", lang, step=int(out[0])) if len(out) else t("optim_race.status_stuck", lang)
        elif r["diverged_at"] is not None:
            status = t("optim_race.status_diverged", lang, step=r["diverged_at"])
        elif r["distance"] is not None and r["distance"] <= tol:
            status = t("optim_race.status_converged", lang)
        else:
            status = t("optim_race.status_running", lang)
        steps = r["steps_to_tol"] if r["steps_to_tol"] is not None else ("—" if surface.f_min is None else t("optim_race.never", lang))
        rows.append([OPTIMIZERS[key].label, f"({r['x']:.4g}, {r['y']:.4g})", f"{r['loss']:.4g}",
                     "—" if r["distance"] is None else f"{r['distance']:.3g}", str(steps), status])
    headers = [t(f"optim_race.res_{c}", lang) for c in ("optimizer", "end", "loss", "distance", "steps", "status")]
    return gr.Dataframe(value=rows, headers=headers)


def _race_picture(surface, traces, lang, upto=None, steps=None):
    T = next(iter(traces.values())).path.shape[0] - 1 if traces else 0
    if upto is None or upto >= T:
        title = t("optim_race.fig_race_title", lang, surface=_surface_name(surface.key, lang), steps=T)
    else:
        title = t("optim_race.fig_replay_title", lang, surface=_surface_name(surface.key, lang), step=int(upto), steps=T)
    return race_image(surface, traces, _fig_text(lang, title=title), upto=upto, start=tuple(next(iter(traces.values())).path[0, 0]))


def _loss_picture(surface, traces, lang):
    key = "optim_race.fig_loss_title" if surface.f_min is not None else "optim_race.fig_loss_title_saddle"
    return loss_image(surface, traces, _fig_text(lang, loss_title=t(key, lang)))


def _preview(surface, x0, y0, lang):
    title = _surface_name(surface.key, lang)
    return race_image(surface, {}, _fig_text(lang, title=title), start=(x0, y0))


def _inspect(state, key, step, lang):
    """(image, markdown) of the inspector for racer ``key`` at step ``step``."""
    if not state or not state.get("traces"):
        return None, t("optim_race.insp_none", lang)
    traces = state["traces"]
    if key not in traces:
        return None, t("optim_race.insp_not_racing", lang, optimizer=OPTIMIZERS[key].label if key in OPTIMIZERS else key)
    surface, tr = get_surface(state["surface"]), traces[key]
    T = tr.path.shape[0] - 1
    step = int(min(max(check_number(t("optim_race.inspect_step", lang), step, 0, MAX_STEPS), 1), T))
    img = inspect_image(surface, tr, step, _fig_text(lang, title=OPTIMIZERS[key].label,
                                                     arrows=t("optim_race.fig_arrows", lang, buffer=(
                                                         "b_t" if "momentum_buffer" in tr.state else "m̂_t / (√v̂_t + ε)"))))
    d = step_details(tr, step)
    lines = [t("optim_race.insp_heading", lang, optimizer=OPTIMIZERS[key].label, t=step, lr=_fmt(tr.hparams["lr"])), "",
             t("optim_race.insp_formulas", lang), ""]
    lines += [f"$${f}$$" for f in FORMULAS[key]]
    lines += ["", t("optim_race.insp_numbers", lang), "", "| | x | y |", "|---|---|---|"]

    def row(name, v):
        lines.append(f"| {name} | {_fmt(float(v[0]))} | {_fmt(float(v[1]))} |")

    row("$x_{t-1}$", d["x_prev"])
    row("$g_t$", d["g"])
    for n, v in d["state"].items():
        sym = STATE_TEX.get(n, n)
        row(f"${sym}_{{t-1}}$ ({n})", d["state_prev"][n])
        row(f"${sym}_t$ ({n})", v)
    if "manual" in d:
        m = d["manual"]
        row(r"$\hat m_t = m_t / (1-\beta_1^t)$", m.m_hat)
        row(r"$\hat v_t = v_t / (1-\beta_2^t)$", m.v_hat)
        row(r"$-\eta\,\hat m_t / (\sqrt{\hat v_t}+\epsilon)$", m.delta)
    row(r"$\Delta x = x_t - x_{t-1}$", d["delta"])
    row("$x_t$", d["x"])
    if "manual" in d:
        lines += ["", t("optim_race.insp_check", lang, manual=_vec(d["manual"].x), torch=_vec(d["x"]))]
    if int(tr.diverged_at[0]) >= 0:
        lines += ["", t("optim_race.insp_diverged", lang, step=int(tr.diverged_at[0]))]
    return img, "\n".join(lines)


# ---------- callbacks ----------
@guarded
def optim_surface(surface_key: str, table, lang: str):
    """A new surface: its presets (keeping which racers are ticked), start sliders, preview."""
    surface = get_surface(surface_key)
    try:
        use = set(_parse_table(table)) or set(DEFAULT_RACERS)
    except StudioError:
        use = set(DEFAULT_RACERS)
    x0, x1, y0, y1 = surface.box
    sx, sy = surface.start
    return (gr.Dataframe(value=_table_rows(surface.key, use), headers=_headers(lang)),
            gr.update(minimum=x0, maximum=x1, value=sx), gr.update(minimum=y0, maximum=y1, value=sy),
            _preview(surface, sx, sy, lang), None)


@guarded
def optim_reset(surface_key: str, table, which: str, lang: str):
    """Reset one optimizer's row (``which`` = key, or 'all') to the surface's preset."""
    surface = get_surface(surface_key)
    rows = _rows_of(table)
    if which != "all" and which not in OPTIMIZERS:
        raise StudioError("optim_race.unknown_optimizer", name=which, choices=", ".join(OPTIMIZERS))
    fresh = {r[1]: r for r in _table_rows(surface.key, set())}
    out = []
    for row in rows:
        if len(row) < len(COLUMNS) or str(row[1]) not in fresh:
            raise StudioError("optim_race.bad_table")
        if which == "all" or _BY_LABEL[str(row[1])] == which:
            row = [_truthy(row[0])] + fresh[str(row[1])][1:]
        out.append(row)
    return gr.Dataframe(value=out, headers=_headers(lang))


@guarded
def optim_pick_start(surface_key: str, evt: gr.SelectData = None, lang: str = "en"):
    """A click on the contour picture -> the start sliders (x, y). (Gradio inserts ``evt`` at its
    place in the signature, so the language stays the last argument, as @guarded expects.)"""
    surface = get_surface(surface_key)
    if evt is None or not evt.index:
        return gr.update(), gr.update()
    xy = pixel_to_xy(surface, *evt.index[:2])
    if xy is None:
        return gr.update(), gr.update()
    return round(xy[0], 3), round(xy[1], 3)


@guarded
def optimizer_race(surface_key, table, x0, y0, steps, noise, seed, tol, inspect_key,
                   progress=gr.Progress(), lang: str = "en"):
    """The race: contour with trails, loss curves, results table, replay slider, state, and the
    racer the inspector shows (the inspector is drawn right after, by optim_inspect)."""
    surface = get_surface(surface_key)
    steps, noise, seed, tol = _settings(steps, noise, seed, tol, lang)
    start = check_start(surface, x0, y0)
    racers = _parse_table(table)
    if not racers:
        raise StudioError("optim_race.no_racer")
    progress(0.1, desc=t("optim_race.run", lang))
    traces = race(surface, racers, start, steps, noise=noise, seed=seed)
    progress(0.6, desc=t("optim_race.contour", lang))
    state = {"surface": surface.key, "traces": traces, "tol": tol}
    key = inspect_key if inspect_key in traces else ("adam" if "adam" in traces else next(iter(traces)))
    return (_race_picture(surface, traces, lang), _loss_picture(surface, traces, lang),
            _results(surface, traces, tol, lang), gr.update(maximum=steps, value=steps), state,
            gr.update(value=key), gr.update(maximum=steps, value=min(10, steps)))


@guarded
def optim_replay(state, step, lang: str):
    """The contour with the trails up to ``step``."""
    if not state or not state.get("traces"):
        raise StudioError("optim_race.insp_none")
    step = check_number(t("optim_race.replay", lang), step, 0, MAX_STEPS, integer=True)
    return _race_picture(get_surface(state["surface"]), state["traces"], lang, upto=step)


@guarded
def optim_gif(state, lang: str):
    """The last race as an animated GIF file (40 frames)."""
    if not state or not state.get("traces"):
        raise StudioError("optim_race.insp_none")
    surface, traces = get_surface(state["surface"]), state["traces"]
    T = next(iter(traces.values())).path.shape[0] - 1
    title = t("optim_race.fig_race_title", lang, surface=_surface_name(surface.key, lang), steps=T)
    data = race_gif(surface, traces, _fig_text(lang, title=title))
    with tempfile.NamedTemporaryFile(prefix=f"optim_race_{surface.key}_", suffix=".gif", delete=False) as f:
        f.write(data)
    return f.name


@guarded
def optim_inspect(state, key: str, step, lang: str):
    """Inside one optimizer at step t: figure and the formulas with this step's numbers."""
    return _inspect(state, key, step, lang)


@guarded
def optim_many_starts(surface_key, table, key, n, steps, noise, seed, tol, lang):
    """One optimizer from an n x n grid of start points, in one batched run."""
    surface = get_surface(surface_key)
    if key not in OPTIMIZERS:
        raise StudioError("optim_race.unknown_optimizer", name=key, choices=", ".join(OPTIMIZERS))
    n = check_number(t("optim_race.many_grid", lang), n, 1, MAX_GRID, integer=True)
    steps, noise, seed, tol = _settings(steps, noise, seed, tol, lang)
    x0, x1, y0, y1 = surface.box
    xs = np.linspace(x0, x1, n + 2)[1:-1]
    ys = np.linspace(y0, y1, n + 2)[1:-1]
    starts = np.stack(np.meshgrid(xs, ys), -1).reshape(-1, 2)
    tr = race(surface, {key: _row_for(table, key)}, starts, steps, noise=noise, seed=seed, record_state=False)[key]
    rows = summary(surface, tr, tol)
    title = t("optim_race.fig_many_title", lang, optimizer=OPTIMIZERS[key].label, n=len(starts), steps=steps)
    img = many_image(surface, tr, rows, _fig_text(lang, title=title), tol)
    ok = [r for r in rows if r["distance"] is not None and r["distance"] <= tol]
    text = [t("optim_race.many_summary", lang, n=len(rows), converged=len(ok), tol=tol,
              diverged=sum(r["diverged_at"] is not None for r in rows))]
    if len(surface.minima) > 1 and ok:
        import torch

        _, which = surface.nearest_minimum(torch.tensor([[r["x"], r["y"]] for r in ok]))
        for i, (mx, my) in enumerate(surface.minima):
            text.append("- " + t("optim_race.many_per_min", lang, x=mx, y=my, count=int((which == i).sum())))
    return img, "\n".join(text)


@guarded
def optim_regression(curve, n_points, noise, hidden, epochs, lr_sgd, lr_momentum, momentum, lr_adam, seed,
                     progress=gr.Progress(), lang: str = "en"):
    """The homework: SGD, momentum and Adam fit the same tanh MLP; streams figures and a table."""
    if curve not in CURVES:
        raise StudioError("optim_race.unknown_curve", name=curve, choices=", ".join(CURVES))
    num = lambda v, key, lo, hi, i=False: check_number(t(f"optim_race.hw_{key}", lang), v, lo, hi, integer=i)  # noqa: E731
    cfg = RegressionConfig(curve=curve, n_points=num(n_points, "points", 10, 1000, True), noise=num(noise, "noise", 0, 1),
                           hidden=num(hidden, "hidden", 2, 128, True), epochs=num(epochs, "epochs", 1, 3000, True),
                           lr_sgd=num(lr_sgd, "lr_sgd", 1e-9, 1000), lr_momentum=num(lr_momentum, "lr_momentum", 1e-9, 1000),
                           momentum=num(momentum, "momentum", 0, 0.999), lr_adam=num(lr_adam, "lr_adam", 1e-9, 1000),
                           seed=check_number(t("optim_race.seed", lang), seed, 0, 2**31 - 1, integer=True))
    text = _fig_text(lang, data=t("optim_race.fig_data", lang), truth=t("optim_race.fig_truth", lang),
                     epoch=t("optim_race.fig_epoch", lang), mse=t("optim_race.fig_mse", lang),
                     fit_title=t("optim_race.hw_fit", lang), loss_title=t("optim_race.hw_loss", lang))
    target = round(2 * max(cfg.noise, 0.05) ** 2, 4)
    headers = [t("optim_race.hw_res_optimizer", lang), t("optim_race.hw_res_loss", lang),
               t("optim_race.hw_res_epochs", lang, target=target)]
    began = time.monotonic()
    every = max(cfg.epochs // 6, 25)
    for snap in fit(cfg, every=every):
        progress(snap["epoch"] / cfg.epochs, desc=t("optim_race.hw_run", lang))
        fit_img, loss_img = regression_images(snap, text)
        rows = []
        for k, losses in snap["loss"].items():
            hit = next((i + 1 for i, v in enumerate(losses) if v <= target), None)
            rows.append([text["labels"][k], f"{losses[-1]:.4g}", str(hit) if hit else t("optim_race.never", lang)])
        yield fit_img, loss_img, gr.Dataframe(value=rows, headers=headers)
        if time.monotonic() - began > HW_TIME_LIMIT_S:
            gr.Warning(t("common.timeout", lang, seconds=HW_TIME_LIMIT_S))
            return


@guarded
def optim_localize(surface_key, table, state, replay_step, lang: str):
    """Text drawn at run time in the page's language: table headers, figures, results."""
    surface = get_surface(surface_key)
    table_out = gr.Dataframe(value=_rows_of(table) or _table_rows(surface.key, set(DEFAULT_RACERS)), headers=_headers(lang))
    if state and state.get("traces"):
        traces = state["traces"]
        T = next(iter(traces.values())).path.shape[0] - 1
        upto = replay_step if isinstance(replay_step, (int, float)) and 0 <= replay_step < T else None
        return (table_out, _race_picture(surface, traces, lang, upto=upto), _loss_picture(surface, traces, lang),
                _results(surface, traces, state["tol"], lang))
    return table_out, _preview(surface, *surface.start, lang), gr.Image(), gr.Dataframe()


# ---------- layout and wiring ----------
def build(lang: gr.Radio) -> None:
    surf0 = SURFACES["rosenbrock"]
    opt_choices = [(spec.label, key) for key, spec in OPTIMIZERS.items()]
    gr.Markdown(L("optim_race.intro"))
    with gr.Row():
        with gr.Column(scale=5, min_width=400):
            surface = gr.Dropdown([(L(f"optim_race.surface_{k}"), k) for k in SURFACES], value=surf0.key,
                                  label=L("optim_race.surface"), elem_id="optim-surface")
            table = gr.Dataframe(value=_table_rows(surf0.key, set(DEFAULT_RACERS)), headers=_headers("en"),
                                 datatype=["bool", "str", "number", "number", "number", "number"],
                                 static_columns=[1], interactive=True, type="array", label=L("optim_race.hparams"),
                                 column_widths=["9%", "27%", "16%", "16%", "16%", "16%"], max_height=480,
                                 elem_id="optim-table")
            gr.Markdown(L("optim_race.hparams_info"))
            with gr.Row():
                which = gr.Dropdown(opt_choices, value="adam", label=L("optim_race.reset_which"), min_width=140)
                reset_one = gr.Button(L("optim_race.reset_one"), size="sm")
                reset_all = gr.Button(L("optim_race.reset_all"), size="sm")
            with gr.Row():
                x0 = gr.Slider(surf0.box[0], surf0.box[1], surf0.start[0], step=0.001, label=L("optim_race.start_x"),
                               elem_id="optim-x0")
                y0 = gr.Slider(surf0.box[2], surf0.box[3], surf0.start[1], step=0.001, label=L("optim_race.start_y"),
                               elem_id="optim-y0")
            with gr.Row():
                steps = gr.Slider(10, MAX_STEPS, 500, step=10, label=L("optim_race.steps"))
                noise = gr.Slider(0, 50, 0, step=0.1, label=L("optim_race.noise"))
            with gr.Row():
                seed = gr.Number(0, precision=0, minimum=0, label=L("optim_race.seed"), min_width=80)
                tol = gr.Number(0.05, minimum=0, label=L("optim_race.tol"), min_width=80)
            run = gr.Button(L("optim_race.run"), variant="primary", elem_id="optim-run")
        with gr.Column(scale=6):
            contour = gr.Image(_preview(surf0, *surf0.start, "en"), type="numpy", format="png", interactive=False,
                               label=L("optim_race.contour"), elem_id="optim-contour")
            replay = gr.Slider(0, 500, 500, step=1, label=L("optim_race.replay"), elem_id="optim-replay")
            loss_plot = gr.Image(type="numpy", format="png", interactive=False, label=L("optim_race.loss_plot"),
                                 elem_id="optim-loss")
    results = gr.Dataframe(label=L("optim_race.results"), interactive=False, wrap=True, elem_id="optim-results")
    with gr.Row():
        gif_btn = gr.Button(L("optim_race.gif"), size="sm", scale=1)
        gif = gr.Image(type="filepath", label=L("optim_race.gif_out"), interactive=False, height=320, scale=3)
    with gr.Accordion(L("optim_race.inspect_section"), open=True):
        gr.Markdown(L("optim_race.inspect_title"))
        with gr.Row():
            insp_key = gr.Dropdown(opt_choices, value="adam", label=L("optim_race.inspect_opt"))
            insp_step = gr.Slider(1, 500, 10, step=1, label=L("optim_race.inspect_step"), elem_id="optim-insp-step")
        insp_img = gr.Image(type="numpy", format="png", interactive=False, label=L("optim_race.inspect_plot"))
        insp_md = gr.Markdown(latex_delimiters=LATEX, elem_id="optim-insp-md")
    with gr.Accordion(L("optim_race.many_section"), open=False, elem_id="optim-many-acc"):
        gr.Markdown(L("optim_race.many_title"))
        with gr.Row():
            many_key = gr.Dropdown(opt_choices, value="adam", label=L("optim_race.many_opt"))
            many_n = gr.Slider(1, MAX_GRID, 6, step=1, label=L("optim_race.many_grid"))
            many_btn = gr.Button(L("optim_race.many_run"), elem_id="optim-many-run")
        many_img = gr.Image(type="numpy", format="png", interactive=False, label=L("optim_race.many_plot"))
        many_md = gr.Markdown(elem_id="optim-many-md")
    with gr.Accordion(L("optim_race.hw_section"), open=False, elem_id="optim-hw-acc"):
        gr.Markdown(L("optim_race.hw_title"))
        with gr.Row():
            hw_curve = gr.Dropdown([(L(f"optim_race.hw_curve_{c}"), c) for c in CURVES], value="quadratic",
                                   label=L("optim_race.hw_curve"))
            hw_points = gr.Slider(10, 1000, 100, step=10, label=L("optim_race.hw_points"))
            hw_noise = gr.Slider(0, 1, 0.1, step=0.01, label=L("optim_race.hw_noise"))
            hw_hidden = gr.Slider(2, 128, 20, step=1, label=L("optim_race.hw_hidden"))
            hw_epochs = gr.Slider(10, 3000, 300, step=10, label=L("optim_race.hw_epochs"))
        with gr.Row():
            hw_lr_sgd = gr.Number(0.01, label=L("optim_race.hw_lr_sgd"))
            hw_lr_mom = gr.Number(0.01, label=L("optim_race.hw_lr_momentum"))
            hw_mu = gr.Number(0.9, label=L("optim_race.hw_momentum"))
            hw_lr_adam = gr.Number(0.01, label=L("optim_race.hw_lr_adam"))
            hw_seed = gr.Number(0, precision=0, minimum=0, label=L("optim_race.seed"))
            hw_btn = gr.Button(L("optim_race.hw_run"), variant="primary", elem_id="optim-hw-run")
        with gr.Row():
            hw_fit = gr.Image(type="numpy", format="png", interactive=False, label=L("optim_race.hw_fit"))
            hw_loss = gr.Image(type="numpy", format="png", interactive=False, label=L("optim_race.hw_loss"))
        hw_table = gr.Dataframe(label=L("optim_race.hw_table"), interactive=False, elem_id="optim-hw-table")
    state = gr.State(None)

    heavy = dict(concurrency_limit=2, concurrency_id="optim_race")
    race_in = [surface, table, x0, y0, steps, noise, seed, tol, insp_key, lang]
    race_out = [contour, loss_plot, results, replay, state, insp_key, insp_step]
    insp_in, insp_out = [state, insp_key, insp_step, lang], [insp_img, insp_md]
    lang.change(optim_localize, [surface, table, state, replay, lang], [table, contour, loss_plot, results],
                api_name="optim_localize")
    surface.input(optim_surface, [surface, table, lang], [table, x0, y0, contour, state], api_name="optim_surface")
    reset_one.click(optim_reset, [surface, table, which, lang], table, api_name="optim_reset")
    reset_all.click(lambda s, tb, lg: optim_reset(s, tb, "all", lg), [surface, table, lang], table,
                    api_name="optim_reset_all")
    # The race, then the inspector for its racer. A click on the picture or a released start
    # slider races from the new start (the same callbacks as "optimizer_race" and
    # "optim_inspect", so no second API name).
    run.click(optimizer_race, race_in, race_out, api_name="optimizer_race", **heavy).success(
        optim_inspect, insp_in, insp_out, api_name=False)
    contour.select(optim_pick_start, [surface, lang], [x0, y0], api_name="optim_pick_start").success(
        optimizer_race, race_in, race_out, api_name=False, **heavy).success(optim_inspect, insp_in, insp_out,
                                                                            api_name=False)
    gr.on([x0.release, y0.release], optimizer_race, race_in, race_out, api_name=False, **heavy).success(
        optim_inspect, insp_in, insp_out, api_name=False)
    replay.release(optim_replay, [state, replay, lang], contour, api_name="optim_replay")
    gif_btn.click(optim_gif, [state, lang], gif, api_name="optim_gif", **heavy)
    gr.on([insp_key.input, insp_step.release], optim_inspect, insp_in, insp_out, api_name="optim_inspect")
    many_btn.click(optim_many_starts, [surface, table, many_key, many_n, steps, noise, seed, tol, lang],
                   [many_img, many_md], api_name="optim_many_starts", **heavy)
    hw_btn.click(optim_regression, [hw_curve, hw_points, hw_noise, hw_hidden, hw_epochs, hw_lr_sgd, hw_lr_mom, hw_mu,
                                    hw_lr_adam, hw_seed, lang], [hw_fit, hw_loss, hw_table],
                 api_name="optim_regression", **heavy)


def bench_cases() -> list[tuple[str, tuple]]:
    """The default race (8 optimizers x 500 steps, Rosenbrock) end to end, and the other heavy calls."""
    table = _table_rows("rosenbrock", set(DEFAULT_RACERS))
    payload = {"headers": _headers("en"), "data": table}
    return [("optimizer_race", ("rosenbrock", payload, -1.2, 1.0, 500, 0, 0, 0.05, "adam", "en")),
            ("optimizer_race", ("himmelblau", payload, -0.3, -0.9, 500, 0, 0, 0.05, "adam", "ko")),
            ("optim_many_starts", ("himmelblau", payload, "adam", 10, 300, 0, 0, 0.01, "en")),
            ("optim_regression", ("quadratic", 100, 0.1, 20, 300, 0.01, 0.01, 0.9, 0.01, 0, "en"))]
