"""Time every API endpoint of the studio end to end, through a launched server.

    python bench/benchmark.py                 # all tabs, 20 calls per case
    python bench/benchmark.py --tabs vae ddpm --calls 10

Starts `python app.py` in a subprocess on a free port and measures its cold start (process
start until the page answers) and resident memory (after start and at the end). Then, for
every tab in demos.TABS, each of its bench_cases() is called through gradio_client once to
warm up and N times timed: median and p95 of the whole call, and of the first streamed
output for generator endpoints. gradio_client downloads every output file of every
message one after another, so a call that returns many images costs more here than in a
browser, which fetches them in parallel. ``--browser`` therefore also times what a visitor
sees in headless Chromium for DDPM sampling: click "Sample" until the labelled samples are
on screen. Prints a Markdown table. Speed targets live here, not in the tests.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    for p in pids:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def start_server(port: int) -> tuple[subprocess.Popen, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while time.perf_counter() - t0 < 300:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the app exited during start-up")
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the app did not answer within 300 s")


def time_case(client, api_name: str, args: tuple, calls: int) -> dict:
    """Warm up once, then time `calls` calls: total and first-output latencies in ms."""
    totals, firsts = [], []
    for k in range(calls + 1):
        t0 = time.perf_counter()
        job = client.submit(*args, api_name=f"/{api_name}")
        first = None
        for _ in job:
            first = first or time.perf_counter() - t0
        job.result()
        total = time.perf_counter() - t0
        if k:
            totals.append(total * 1000)
            firsts.append((first or total) * 1000)
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]  # noqa: E731
    return {"median": statistics.median(totals), "p95": q(totals, 0.95), "first_median": statistics.median(firsts)}


def browser_ddpm(url: str, calls: int, chromium: str = "/usr/bin/chromium") -> dict:
    """Milliseconds from the click on DDPM's Sample button (16 samples, DDIM 50) until the
    labelled samples picture is loaded in the page, in headless Chromium: one warm-up, then
    ``calls`` timed runs, each with a new seed. Returns {'median', 'p95', 'first_frame_median'}."""
    from playwright.sync_api import sync_playwright

    totals, firsts = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.locator("#tab-ddpm-button").click()
        page.locator("#ddpm-reverse-tab-button").click()
        for k in range(calls + 1):
            page.locator("#ddpm-seed input").fill(str(100 + k))  # a new seed: new pictures, new URLs
            page.locator("#ddpm-seed input").press("Enter")
            page.evaluate("""() => { window.__first = null; window.__done = null;
                const seen = new Set([...document.querySelectorAll('#ddpm-frame img, #ddpm-gallery img')].map(i => i.src));
                const tick = () => {
                  const f = document.querySelector('#ddpm-frame img');
                  if (!window.__first && f && f.complete && f.naturalWidth && !seen.has(f.src)) window.__first = performance.now();
                  const g = document.querySelector('#ddpm-gallery img');
                  if (g && g.complete && g.naturalWidth && !seen.has(g.src)) { window.__done = performance.now(); return; }
                  setTimeout(tick, 5);
                };
                window.__start = performance.now(); tick(); }""")
            page.locator("#ddpm-sample-run").click()
            page.wait_for_function("window.__done !== null", timeout=120_000)
            start, first, done = page.evaluate("[window.__start, window.__first, window.__done]")
            if k:
                totals.append(done - start)
                firsts.append((first or done) - start)
        browser.close()
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]  # noqa: E731
    return {"median": statistics.median(totals), "p95": q(totals, 0.95), "first_median": statistics.median(firsts)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--tabs", nargs="*", default=None, help="only these tabs (default: all)")
    parser.add_argument("--browser", action="store_true",
                        help="also time DDPM sampling as seen in headless Chromium (needs /usr/bin/chromium)")
    args = parser.parse_args(argv)

    from gradio_client import Client

    from demos import TABS

    port = free_port()
    proc, cold = start_server(port)
    try:
        rss_start = rss_mb(proc.pid)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        rows = []
        for tab in args.tabs or TABS:
            for api_name, case_args in importlib.import_module(f"demos.{tab}").bench_cases():
                try:
                    r = time_case(client, api_name, case_args, args.calls)
                    rows.append((tab, api_name, f"{r['median']:.0f}", f"{r['p95']:.0f}", f"{r['first_median']:.0f}"))
                except Exception as err:  # noqa: BLE001 - a failing case is reported in the table
                    rows.append((tab, api_name, "error", type(err).__name__, str(err)[:60]))
                print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
        if args.browser:
            r = browser_ddpm(f"http://127.0.0.1:{port}/", args.calls)
            rows.append(("ddpm", "ddpm_sample (16 × DDIM-50) in Chromium, click to samples shown",
                         f"{r['median']:.0f}", f"{r['p95']:.0f}", f"{r['first_median']:.0f}"))
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
        rss_end = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"\nDeep Studio benchmark: {os.cpu_count()} CPUs, {args.calls} calls per case after one warm-up\n")
    print(f"cold start (process start to first page): {cold:.1f} s; resident memory: {rss_start:.0f} MB after "
          f"start, {rss_end:.0f} MB at the end\n")
    print("| tab | api_name | median ms | p95 ms | first output median ms |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
