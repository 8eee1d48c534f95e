"""Optimizer Race through the API (gradio_client) and in a real browser, in English and Korean."""
import pathlib

import pytest
from PIL import Image

from demos.optim_race import _headers, _table_rows
from core.optim_race import DEFAULT_RACERS
from tests.conftest import open_tab, screenshot


def payload(surface="rosenbrock", rows=None):
    return {"headers": _headers("en"), "data": rows or _table_rows(surface, set(DEFAULT_RACERS))}


def race_args(surface="rosenbrock", rows=None, start=(-1.2, 1.0), steps=500, noise=0, seed=0, tol=0.05, lang="en"):
    return (surface, payload(surface, rows), *start, steps, noise, seed, tol, "adam", lang)


def table_of(update):
    value = update.get("value", update)
    return value["headers"], value["data"]


def test_default_race_through_the_api(client):
    out = client.predict(*race_args(), api_name="/optimizer_race")
    contour, loss, results = out[0], out[1], out[2]
    assert Image.open(contour).size == (760, 560)
    assert Image.open(loss).size == (700, 400)
    headers, rows = table_of(results)
    assert headers[0] == "optimizer" and len(rows) == 8
    by_name = {r[0]: r for r in rows}
    adam = by_name["Adam"]
    assert float(adam[3]) < 0.05 and adam[5] == "converged"  # Adam's Rosenbrock preset ends near (1, 1)
    assert by_name["SGD"][5] == "not there yet"
    # the state stays in this client's session: replay and inspector work on the race just run
    replay = client.predict(100, "en", api_name="/optim_replay")
    assert Image.open(replay).size == (760, 560)
    img, md = client.predict("adam", 12, "en", api_name="/optim_inspect")
    assert "step t = 12" in md and "torch.optim.Adam" in md and r"\hat m_t" in md
    manual, torch_x = md.split("gives x_t = ")[1].split("; `torch.optim.Adam` gave ")
    assert manual.strip() == torch_x.strip().rstrip(".")  # the hand-written step prints the same digits


def test_huge_learning_rate_is_marked_diverged_in_korean(client):
    rows = [[True, "SGD", 1e9, None, None, None], [True, "Adam", 0.5, 0.9, 0.999, None]]
    out = client.predict(*race_args(rows=rows, steps=100, lang="ko"), api_name="/optimizer_race")
    headers, data = table_of(out[2])
    assert headers[-1] == "상태"
    assert data[0][0] == "SGD" and "발산" in data[0][5]
    assert data[1][0] == "Adam" and "발산" not in data[1][5]


@pytest.mark.parametrize("rows,lang,expected", [
    ([[True, "Adam", "nan", 0.9, 0.999, None]], "ko", "허용 범위"),
    ([[True, "Adam", 0.1, "x", 0.999, None]], "en", "is not a number"),
    ([[True, "Adam", 0.1, 1.5, 0.999, None]], "en", "outside the allowed range"),
    ([[False, "Adam", 0.1, 0.9, 0.999, None]], "en", "Tick at least one optimizer"),
    ([[True, "LBFGS", 0.1, 0.9, 0.999, None]], "en", "could not be read"),
])
def test_bad_settings_give_a_clear_message(client, rows, lang, expected):
    with pytest.raises(Exception) as err:
        client.predict(*race_args(rows=rows, steps=50, lang=lang), api_name="/optimizer_race")
    assert expected in str(err.value)


def test_steps_beyond_the_cap_and_start_far_away_are_refused(client):
    with pytest.raises(Exception) as err:
        client.predict(*race_args(steps=5000), api_name="/optimizer_race")
    assert "2000" in str(err.value)
    with pytest.raises(Exception) as err:
        client.predict(*race_args(start=(1e6, 0.0)), api_name="/optimizer_race")
    assert "x" in str(err.value)


def test_surface_presets_reset_and_many_starts(client):
    table, x0, y0, contour = client.predict("bowl", payload(), "en", api_name="/optim_surface")  # (state is hidden)
    _, rows = table_of(table)
    assert rows[0][1] == "SGD" and rows[0][2] == pytest.approx(0.07)
    assert x0["value"] == pytest.approx(-2.7) and y0["value"] == pytest.approx(1.5)
    edited = [list(r) for r in rows]
    edited[6][2] = 123.0  # Adam's lr
    _, reset = table_of(client.predict("bowl", {"headers": _headers("en"), "data": edited}, "adam", "en",
                                       api_name="/optim_reset"))
    assert reset[6][2] == pytest.approx(0.05) and reset[6][0] is True
    img, text = client.predict("himmelblau", payload("himmelblau"), "adam", 4, 300, 0, 0, 0.05, "en",
                               api_name="/optim_many_starts")
    assert text.startswith("16 start points: 16 ended within 0.05 of a minimum, 0 diverged.")
    assert sum(int(line.rsplit(": ", 1)[1]) for line in text.splitlines()[1:]) == 16  # every point in one basin


def test_gif_and_homework(client):
    client.predict(*race_args(steps=100), api_name="/optimizer_race")
    gif = client.predict("en", api_name="/optim_gif")
    im = Image.open(gif)
    assert im.format == "GIF" and im.n_frames > 10 and im.size == (760, 560)
    fit, loss, table = client.predict("quadratic", 60, 0.1, 16, 120, 0.01, 0.01, 0.9, 0.01, 0, "ko",
                                      api_name="/optim_regression")
    headers, rows = table_of(table)
    assert headers[0] == "옵티마이저" and [r[0] for r in rows] == ["SGD", "Momentum", "Adam"]
    final = {r[0]: float(r[1]) for r in rows}
    assert final["Adam"] < final["Momentum"] < final["SGD"]
    assert pathlib.Path(fit).exists() and pathlib.Path(loss).exists()


# ---------- the browser ----------
RACE = {"en": "▶ Race", "ko": "▶ 경주 시작"}
CONVERGED = {"en": "converged", "ko": "수렴"}


def test_race_in_the_browser(page):
    open_tab(page, "optim_race")
    tab_label = page.locator("#tab-optim_race-button").inner_text()
    assert tab_label.strip() == {"en": "Optimizer Race", "ko": "옵티마이저 경주"}[page.lang]
    page.get_by_role("button", name=RACE[page.lang]).click()
    results = page.locator("#optim-results")
    results.get_by_text("Adam", exact=True).wait_for(timeout=90_000)
    page.wait_for_function(
        "(w) => document.querySelector('#optim-results').innerText.includes(w)", arg=CONVERGED[page.lang],
        timeout=30_000)
    page.locator("#optim-insp-md").get_by_text("torch.optim.Adam").first.wait_for(timeout=60_000)
    assert page.locator(".toast-body").count() == 0
    assert page.locator("#optim-contour img").is_visible()
    screenshot(page, "optim_race-race")
    # a click on the picture moves the start and races again from there
    img = page.locator("#optim-contour img")
    img.scroll_into_view_if_needed()
    box = img.bounding_box()
    img.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.3})
    page.wait_for_function("() => parseFloat(document.querySelector('#optim-x0 input[type=number]').value) > -1.0",
                           timeout=30_000)
    x0 = float(page.locator("#optim-x0 input[type=number]").input_value())
    assert -2.0 < x0 < 2.0 and x0 != -1.2  # somewhere inside Rosenbrock's view box, not the old start
    page.wait_for_timeout(1000)
    page.locator("#optim-results").get_by_text("Adam", exact=True).wait_for(timeout=90_000)
    assert page.locator(".toast-body").count() == 0
    page.locator("#optim-insp-md").scroll_into_view_if_needed()
    screenshot(page, "optim_race-clicked")


def test_many_starts_and_homework_in_the_browser(page):
    open_tab(page, "optim_race")
    page.locator("#optim-many-acc .label-wrap").first.click()
    page.locator("#optim-many-run").click()
    summary = {"en": "start points:", "ko": "출발점 36개 중"}[page.lang]
    page.locator("#optim-many-md").get_by_text(summary).first.wait_for(timeout=90_000)
    page.locator("#optim-hw-acc .label-wrap").first.click()
    page.locator("#optim-hw-run").click()
    page.wait_for_function(
        "() => { const t = document.querySelector('#optim-hw-table'); return t && t.innerText.includes('Adam'); }",
        timeout=120_000)
    page.wait_for_timeout(1500)  # the last streamed figures
    assert page.locator(".toast-body").count() == 0
    page.locator("#optim-hw-table").scroll_into_view_if_needed()
    screenshot(page, "optim_race-many-homework")


def test_saddle_results_say_who_escaped(client):
    out = client.predict(*race_args("saddle", start=(-1.8, 0.001), tol=0.05), api_name="/optimizer_race")
    headers, rows = table_of(out[2])
    by_name = {r[0]: r for r in rows}
    assert by_name["SGD"][5] == "still near the saddle" and by_name["SGD"][3] == "—"
    assert by_name["Adam"][5].startswith("escaped the saddle at step ")
    assert by_name["Momentum"][5].startswith("escaped the saddle at step ")  # momentum leaves, plain SGD lingers
