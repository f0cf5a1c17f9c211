#!/usr/bin/env python3
"""Batch scoring benchmark (issue 5): `sensate score fsfi --csv` on 1,000,000 rows in at
most 10 s on this machine.

    python3 bench/score_csv.py [--rows 1000000] [--runs 3]

Builds the release binary (into /work/target-bench, or $CARGO_TARGET_DIR), writes a CSV
of random valid FSFI responses (header of item ids, one response per row; every 50th row
leaves one item blank so the missing-data rule is exercised), then runs
`sensate score fsfi --csv IN --output OUT` RUNS times, timing each from start to exit
(wall clock, output written to disk, no terminal so no progress bar). Prints the median
and the rows per second, with the machine and load, and writes them to
bench/results/score-csv-<UTC>.txt.
"""
import argparse
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# FSFI items 1, 2, 15 and 16 are answered 1-5; the others 0-5 (0: no sexual activity).
RATING_ITEMS = {1, 2, 15, 16}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    target = Path(os.environ.get("CARGO_TARGET_DIR", "/work/target-bench"))
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    subprocess.run(["cargo", "build", "--release", "-p", "sensate"], cwd=ROOT, check=True, env=env)
    binary = target / "release" / "sensate"

    with tempfile.TemporaryDirectory(prefix="sensate-score-") as work:
        source = Path(work) / "fsfi.csv"
        rng = random.Random(20261201)
        with source.open("w") as out:
            out.write(",".join(f"fsfi_{i}" for i in range(1, 20)) + "\n")
            for row in range(args.rows):
                values = [str(rng.randint(1 if i in RATING_ITEMS else 0, 5)) for i in range(1, 20)]
                if row % 50 == 49:
                    values[rng.randrange(19)] = ""
                out.write(",".join(values) + "\n")
        size = source.stat().st_size
        times = []
        for _ in range(args.runs):
            result = Path(work) / "scores.csv"
            started = time.perf_counter()
            done = subprocess.run([str(binary), "score", "fsfi", "--csv", str(source), "--output", str(result)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"sensate score failed ({done.returncode}): {done.stderr.decode()[:500]}")
            lines = sum(1 for _ in result.open())
            if lines != args.rows + 1:
                raise SystemExit(f"expected {args.rows + 1} output lines, got {lines}")
            times.append(elapsed)

    median = statistics.median(times)
    load = os.getloadavg()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    summary = "\n".join([
        f"score_csv {stamp}",
        f"machine: {os.cpu_count()} cpus, {platform.platform()}, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"input: {args.rows} FSFI rows, {size / 1e6:.1f} MB",
        f"runs (s): {', '.join(f'{t:.2f}' for t in times)}",
        f"median: {median:.2f} s ({args.rows / median:,.0f} rows/s)   [target: <= 10 s for 1,000,000 rows]",
    ])
    print(summary)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"score-csv-{stamp.replace(':', '')}.txt").write_text(summary + "\n")


if __name__ == "__main__":
    main()
