"""The studio's DDPM/DDIM loop against diffusers' scheduler loop, same UNet, same draws, one run.

    python bench/ddpm_vs_diffusers.py                      # 16 samples, DDIM 50 steps, 5 repeats
    python bench/ddpm_vs_diffusers.py --method ancestral --repeats 1

Prints the median seconds of each loop, their ratio (studio / diffusers) and the largest
pixel difference between the two results (they draw the same x_T and z from one seed); then
the studio loop as the app runs it: one torch thread, the batch split over the cores
(core.ddpm_sample.predict_noise, workers = cpu_workers()).
"""
from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> None:
    import torch

    from core import ddpm_sample as ds

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--method", choices=ds.METHODS, default="ddim")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    model, schedule, _ = ds.load_model("ddpm")
    loops = {"studio": lambda: ds.run(model, schedule, args.n, 0, args.method, args.steps),
             "diffusers": lambda: ds.diffusers_sample(model, schedule, args.n, 0, args.method, args.steps)}
    times: dict[str, list[float]] = {k: [] for k in loops}
    results = {}
    for _ in range(args.repeats + 1):          # the first round warms up
        for name, fn in loops.items():
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v[1:]) for k, v in times.items()}
    diff = (results["studio"] - results["diffusers"]).abs().max().item()
    print(f"{args.n} samples, {args.method} {args.steps if args.method == 'ddim' else schedule.T} steps, "
          f"{torch.get_num_threads()} threads, {args.repeats} repeats")
    print(f"studio loop    {med['studio']:.3f} s (median)")
    print(f"diffusers loop {med['diffusers']:.3f} s (median)")
    print(f"ratio studio / diffusers = {med['studio'] / med['diffusers']:.3f}; max |difference| = {diff:.2e}")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    workers = ds.cpu_workers()
    app = []
    for _ in range(args.repeats + 1):
        t0 = time.perf_counter()
        ds.run(model, schedule, args.n, 0, args.method, args.steps, workers=workers)
        app.append(time.perf_counter() - t0)
    torch.set_num_threads(threads)
    print(f"studio loop as the app runs it (1 torch thread, batch in {workers} slices) "
          f"{statistics.median(app[1:]):.3f} s (median)")


if __name__ == "__main__":
    main()
