"""Core of the Optimizer Race tab: surfaces, the race on torch.optim, hand-written Adam, the homework."""
import math

import numpy as np
import pytest
import torch

from core.adam import adam_step, sgd_momentum_step
from core.errors import StudioError
from core.optim_inspect import carried_arrows, step_details
from core.optim_plots import AX_RECT, DPI, FIG_SIZE, pixel_to_xy, race_figure
from core.optim_race import DEFAULT_RACERS, MAX_STEPS, OPTIMIZERS, check_hparams, preset, race, summary
from core.optim_regression import RegressionConfig, fit, make_mlp
from core.surfaces import SURFACES, get_surface

T64 = torch.float64


def grad_at(surface, x, y):
    p = torch.tensor([x, y], dtype=T64, requires_grad=True)
    surface(p).backward()
    return p.grad


# ---------- surfaces ----------
@pytest.mark.parametrize("key,point,value", [
    ("rosenbrock", (-1.2, 1.0), 24.2),  # Rosenbrock's own start: (2.2)^2 + 100 (1 - 1.44)^2
    ("beale", (0.0, 0.0), 14.203125),  # 1.5^2 + 2.25^2 + 2.625^2
    ("himmelblau", (0.0, 0.0), 170.0),  # 121 + 49
    ("saddle", (1.0, 2.0), -3.0),
    ("bowl", (2.0, 1.0), 0.5 * (4 + 25)),
    ("rastrigin", (1.0, 1.0), 2.0),  # 20 + 1 - 10 + 1 - 10
])
def test_surface_values(key, point, value):
    assert SURFACES[key](torch.tensor(point, dtype=T64)).item() == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("key", list(SURFACES))
def test_minima_are_minima_and_stationary_points_stationary(key):
    s = SURFACES[key]
    for mx, my in s.minima:
        assert s(torch.tensor([mx, my], dtype=T64)).item() == pytest.approx(s.f_min, abs=1e-9)
        assert torch.linalg.vector_norm(grad_at(s, mx, my)).item() < 1e-4  # minima given to 6 decimals
    for sx, sy in s.stationary:
        assert torch.equal(grad_at(s, sx, sy), torch.zeros(2, dtype=T64))
    x0, x1, y0, y1 = s.box
    for mx, my in s.minima + s.stationary:
        assert x0 < mx < x1 and y0 < my < y1
    assert x0 < s.start[0] < x1 and y0 < s.start[1] < y1


def test_saddle_has_no_minimum_and_unknown_surface_is_a_studio_error():
    assert SURFACES["saddle"].f_min is None
    with pytest.raises(ValueError):
        SURFACES["saddle"].nearest_minimum(torch.zeros(2, dtype=T64))
    with pytest.raises(StudioError) as e:
        get_surface("everest")
    assert e.value.key == "optim_race.unknown_surface"


# ---------- Adam and momentum written out == torch.optim ----------
@pytest.mark.parametrize("lr,b1,b2", [(1e-3, 0.9, 0.999), (0.1, 0.8, 0.99), (0.5, 0.0, 0.9)])
def test_hand_written_adam_equals_torch_adam_step_for_step(lr, b1, b2):
    s = SURFACES["rosenbrock"]
    p = torch.tensor([-1.2, 1.0], dtype=T64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=lr, betas=(b1, b2), eps=1e-8)
    x, m, v = p.detach().clone(), torch.zeros(2, dtype=T64), torch.zeros(2, dtype=T64)
    for t in range(1, 201):
        opt.zero_grad()
        s(p).backward()
        g = p.grad.detach().clone()
        opt.step()
        mine = adam_step(x, g, m, v, t, lr, b1, b2, 1e-8)
        x, m, v = mine.x, mine.m, mine.v
        torch.testing.assert_close(m, opt.state[p]["exp_avg"], rtol=1e-13, atol=0)
        torch.testing.assert_close(v, opt.state[p]["exp_avg_sq"], rtol=1e-13, atol=0)
        torch.testing.assert_close(x, p.detach(), rtol=1e-12, atol=1e-14)


def test_adam_first_step_is_lr_times_sign_of_gradient():
    # m^_1 = g, v^_1 = g^2: the first step is -lr * g / (|g| + eps), the textbook check
    g = torch.tensor([3.0, -0.5], dtype=T64)
    step = adam_step(torch.zeros(2, dtype=T64), g, torch.zeros(2, dtype=T64), torch.zeros(2, dtype=T64), 1, lr=0.1)
    torch.testing.assert_close(step.m_hat, g)
    torch.testing.assert_close(step.v_hat, g**2)
    torch.testing.assert_close(step.delta, -0.1 * g / (g.abs() + 1e-8))
    with pytest.raises(ValueError):
        adam_step(torch.zeros(2), g, torch.zeros(2), torch.zeros(2), 0)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_written_out_equals_torch_sgd(nesterov):
    s = SURFACES["bowl"]
    p = torch.tensor([-2.7, 1.5], dtype=T64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.02, momentum=0.9, nesterov=nesterov)
    x, b = p.detach().clone(), None
    for _ in range(100):
        opt.zero_grad()
        s(p).backward()
        g = p.grad.detach().clone()
        opt.step()
        x, b = sgd_momentum_step(x, g, b, 0.02, 0.9, nesterov)
        torch.testing.assert_close(x, p.detach(), rtol=1e-13, atol=1e-15)


# ---------- the race ----------
def test_race_is_torch_optim_itself():
    """The race's Adam trail is exactly a plain torch.optim.Adam loop."""
    s = SURFACES["rosenbrock"]
    hp = preset("rosenbrock", "adam")
    tr = race(s, {"adam": hp, "sgd": preset("rosenbrock", "sgd")}, s.start, 300)["adam"]
    p = torch.tensor(s.start, dtype=T64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=hp["lr"], betas=(hp["p1"], hp["p2"]))
    for t in range(300):
        assert tuple(tr.path[t, 0]) == tuple(p.detach().numpy())
        opt.zero_grad()
        s(p).backward()
        opt.step()
    assert tuple(tr.path[300, 0]) == tuple(p.detach().numpy())
    np.testing.assert_array_equal(tr.state["exp_avg"][300], opt.state[p]["exp_avg"].numpy())


def test_a_batch_of_start_points_equals_separate_runs():
    s = SURFACES["himmelblau"]
    starts = [(-0.3, -0.9), (1.0, 1.0), (-4.0, 4.0)]
    racers = {k: preset("himmelblau", k) for k in OPTIMIZERS}
    batch = race(s, racers, starts, 120, record_state=False)
    for b, st in enumerate(starts):
        single = race(s, racers, st, 120, record_state=False)
        for k in OPTIMIZERS:
            np.testing.assert_allclose(batch[k].path[:, b], single[k].path[:, 0], rtol=1e-12, atol=1e-12)


def test_presets_bowl_every_optimizer_converges():
    s = SURFACES["bowl"]
    traces = race(s, {k: preset("bowl", k) for k in OPTIMIZERS}, s.start, 500)
    for k, tr in traces.items():
        row = summary(s, tr, 0.01)[0]
        assert row["diverged_at"] is None, k
        assert row["distance"] <= 0.01, (k, row)
        assert row["steps_to_tol"] is not None and row["steps_to_tol"] <= 500


def test_presets_rosenbrock_adam_ends_within_005_of_the_minimum():
    s = SURFACES["rosenbrock"]
    tr = race(s, {k: preset("rosenbrock", k) for k in DEFAULT_RACERS}, s.start, 500)["adam"]
    assert np.linalg.norm(tr.path[-1, 0] - np.array([1.0, 1.0])) < 0.05


@pytest.mark.parametrize("key", list(SURFACES))
def test_presets_never_diverge_on_bounded_surfaces(key):
    s = SURFACES[key]
    traces = race(s, {k: preset(key, k) for k in DEFAULT_RACERS}, s.start, 500, record_state=False)
    if s.f_min is not None:
        assert all(int(tr.diverged_at[0]) < 0 for tr in traces.values())
    else:  # the saddle: SGD stays near it, Adam leaves it (the lesson)
        assert abs(traces["sgd"].path[-1, 0, 1]) < 1.0 < abs(traces["adam"].path[-1, 0, 1])


def test_huge_learning_rate_diverges_without_touching_the_others():
    s = SURFACES["rosenbrock"]
    both = race(s, {"sgd": dict(preset("rosenbrock", "sgd"), lr=1e9), "adam": preset("rosenbrock", "adam")}, s.start, 200)
    alone = race(s, {"adam": preset("rosenbrock", "adam")}, s.start, 200)
    d = int(both["sgd"].diverged_at[0])
    assert 0 < d < 5
    assert np.isfinite(both["sgd"].path).all()  # frozen, never NaN
    np.testing.assert_array_equal(both["adam"].path, alone["adam"].path)
    assert summary(s, both["sgd"], 0.01)[0]["diverged_at"] == d


@pytest.mark.parametrize("field,value,key", [
    ("lr", float("nan"), "optim_race.hparam_range"), ("lr", "abc", "optim_race.bad_hparam"),
    ("lr", 0.0, "optim_race.hparam_range"), ("lr", -1.0, "optim_race.hparam_range"),
    ("lr", 1e13, "optim_race.hparam_range"), ("p1", 1.0, "optim_race.hparam_range"),
    ("p2", float("inf"), "optim_race.hparam_range"), ("p1", None, "optim_race.bad_hparam"),
])
def test_bad_hyperparameters_are_studio_errors(field, value, key):
    hp = dict(preset("rosenbrock", "adam"), **{field: value})
    with pytest.raises(StudioError) as e:
        check_hparams("adam", hp)
    assert e.value.key == key


def test_caps_and_bad_settings():
    s = SURFACES["bowl"]
    with pytest.raises(StudioError) as e:
        race(s, {"sgd": preset("bowl", "sgd")}, s.start, MAX_STEPS + 1)
    assert e.value.key == "optim_race.steps_range"
    with pytest.raises(StudioError) as e:
        race(s, {"sgd": preset("bowl", "sgd")}, s.start, 10, noise=float("nan"))
    assert e.value.key == "optim_race.noise_range"
    with pytest.raises(StudioError) as e:
        race(s, {}, s.start, 10)
    assert e.value.key == "optim_race.no_racer"
    with pytest.raises(StudioError) as e:
        race(s, {"sgd": preset("bowl", "sgd")}, np.zeros((401, 2)), 10)
    assert e.value.key == "optim_race.too_many_points"
    with pytest.raises(StudioError):
        check_hparams("lbfgs", {"lr": 1})


def test_gradient_noise_is_seeded():
    s = SURFACES["bowl"]
    r = {"adam": preset("bowl", "adam")}
    a = race(s, r, s.start, 50, noise=1.0, seed=3)["adam"].path
    b = race(s, r, s.start, 50, noise=1.0, seed=3)["adam"].path
    c = race(s, r, s.start, 50, noise=1.0, seed=4)["adam"].path
    clean = race(s, r, s.start, 50)["adam"]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, clean.path)
    # the recorded gradient is the noiseless gradient plus N(0, 1) noise from that seed
    noise = torch.randn(2, generator=torch.Generator().manual_seed(3), dtype=T64).numpy()
    exact = grad_at(s, *s.start).numpy()
    np.testing.assert_allclose(race(s, r, s.start, 1, noise=1.0, seed=3)["adam"].grad[0, 0], exact + noise)


def test_recorded_state_and_inspector_numbers():
    s = SURFACES["rosenbrock"]
    traces = race(s, {"adam": preset("rosenbrock", "adam"), "momentum": preset("rosenbrock", "momentum"),
                      "sgd": preset("rosenbrock", "sgd")}, s.start, 40)
    adam, mom = traces["adam"], traces["momentum"]
    b1, b2 = adam.hparams["p1"], adam.hparams["p2"]
    m = np.zeros(2)
    for t in range(1, 41):
        m = b1 * m + (1 - b1) * adam.grad[t - 1, 0]
        np.testing.assert_allclose(adam.state["exp_avg"][t], m, rtol=1e-12)
    d = step_details(adam, 7)
    np.testing.assert_allclose(d["manual"].x.numpy(), d["x"], rtol=1e-12)
    np.testing.assert_allclose(d["manual"].m.numpy(), d["state"]["exp_avg"], rtol=1e-12)
    with pytest.raises(ValueError):
        step_details(adam, 0)
    # momentum arrows are -lr * b_t; SGD carries nothing
    np.testing.assert_allclose(carried_arrows(mom), -mom.hparams["lr"] * mom.state["momentum_buffer"][1:])
    np.testing.assert_allclose(mom.path[1:, 0] - mom.path[:-1, 0], carried_arrows(mom), rtol=1e-9, atol=1e-15)
    assert carried_arrows(traces["sgd"]) is None
    # Adam's arrows, the bias-corrected step -lr m^ / (sqrt(v^) + eps), are its actual steps
    np.testing.assert_allclose(carried_arrows(adam), adam.path[1:, 0] - adam.path[:-1, 0], rtol=1e-9, atol=1e-15)


def test_summary_steps_to_tolerance():
    s = SURFACES["bowl"]
    tr = race(s, {"sgd": preset("bowl", "sgd")}, s.start, 200)["sgd"]
    row = summary(s, tr, 0.01)[0]
    dist = np.linalg.norm(tr.path[:, 0], axis=-1)
    first = int(np.argmax(dist <= 0.01))
    assert row["steps_to_tol"] == first and dist[first - 1] > 0.01 and np.all(dist[first:] <= 0.01)
    # "steps to tolerance" counts from when it stays: momentum on Rosenbrock passes near (1, 1) early
    r = SURFACES["rosenbrock"]
    mom = race(r, {"momentum": preset("rosenbrock", "momentum")}, r.start, 500)["momentum"]
    d = np.linalg.norm(mom.path[:, 0] - 1.0, axis=-1)
    steps = summary(r, mom, 0.05)[0]["steps_to_tol"]
    assert np.all(d[steps:] <= 0.05) and d[steps - 1] > 0.05 and np.argmax(d <= 0.05) < steps
    assert row["loss"] == pytest.approx(tr.loss[-1, 0]) and row["distance"] == pytest.approx(dist[-1])


def test_click_pixel_maps_back_to_data_coordinates():
    s = SURFACES["beale"]
    fig = race_figure(s, {}, {"labels": {}})
    ax = fig.axes[0]
    fig.canvas.draw()
    H = FIG_SIZE[1] * DPI
    assert tuple(fig.canvas.get_width_height()) == (FIG_SIZE[0] * DPI, H)
    for x, y in [(3.0, 0.5), (-4.0, 4.0), (0.1, -2.2)]:
        px, py_up = ax.transData.transform((x, y))
        back = pixel_to_xy(s, px, H - py_up)
        assert back == pytest.approx((x, y), abs=1e-9)
    assert pixel_to_xy(s, 2, 2) is None  # the margin outside the axes
    assert AX_RECT[0] > 0


# ---------- the homework ----------
def test_homework_mlp_is_kaiming_initialised_with_zero_biases():
    net = make_mlp(128, seed=0)
    w = net[2].weight.detach()
    assert torch.all(net[0].bias == 0) and torch.all(net[2].bias == 0) and torch.all(net[4].bias == 0)
    assert w.std().item() == pytest.approx((5 / 3) / math.sqrt(128), rel=0.05)  # tanh gain / sqrt(fan_in)
    torch.testing.assert_close(make_mlp(128, seed=0)[2].weight, w)


@pytest.mark.parametrize("curve,seed", [("quadratic", 0), ("sine", 1), ("cubic", 2)])
def test_homework_adam_gets_there_fastest(curve, seed):
    last = list(fit(RegressionConfig(curve=curve, seed=seed, epochs=300)))[-1]
    loss = last["loss"]
    assert len(loss["adam"]) == 300
    assert loss["adam"][-1] < loss["momentum"][-1] < loss["sgd"][-1]
    target = 2 * 0.1**2
    first = {k: next((i for i, v in enumerate(v) if v <= target), 10**9) for k, v in loss.items()}
    assert first["adam"] < first["momentum"] < first["sgd"]


def test_homework_bad_settings():
    with pytest.raises(StudioError) as e:
        next(fit(RegressionConfig(epochs=10**6)))
    assert e.value.key == "optim_race.reg_range"
    with pytest.raises(StudioError):
        next(fit(RegressionConfig(lr_adam=float("nan"))))
    with pytest.raises(StudioError):
        next(fit(RegressionConfig(curve="zigzag")))
