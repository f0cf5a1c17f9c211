#!/usr/bin/env python3
"""Caseload benchmark (issue 4): the caseload page and a case page in a practice of
10,000 clients, on SQLite and PostgreSQL in the same run.

    python3 bench/caseload.py [--clients 10000] [--clinicians 10] [--iterations 300]
                              [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Builds the Rust program in bench/caseload/ (its own cargo package, not a member of the
workspace) into /work/target-bench, or $CARGO_TARGET_DIR when set, and runs it. Its
module comment (bench/caseload/src/main.rs) gives the method. PostgreSQL is used when
--postgres names a server (each run makes and drops its own database). Prints a summary
with the machine and load average, and writes it to bench/results/caseload-<UTC>.txt.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bench" / "caseload"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--clinicians", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server URL, or '' to skip PostgreSQL")
    args = parser.parse_args()

    target = Path(os.environ.get("CARGO_TARGET_DIR", "/work/target-bench"))
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    subprocess.run(["cargo", "build", "--release", "--manifest-path", str(PACKAGE / "Cargo.toml")],
                   cwd=ROOT, check=True, env=env)
    if args.postgres:
        env["SENSATE_BENCH_DATABASE_URL"] = args.postgres
        env["SENSATE_TEST_DATABASE_URL"] = args.postgres
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "unknown CPU")
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    run = subprocess.run(
        [str(target / "release" / "sensate-bench-caseload"), str(args.clients), str(args.clinicians),
         str(args.iterations)],
        capture_output=True, text=True, env=env,
    )
    load_after = os.getloadavg()
    if run.returncode != 0:
        sys.exit(f"the benchmark failed:\n{run.stdout}{run.stderr}")
    report = "\n".join([
        f"sensate caseload benchmark, {started_at}",
        f"machine: {os.cpu_count()} cores ({cpu}); load average {load_before[0]:.2f} at start, "
        f"{load_after[0]:.2f} at end",
        "release build, in-process requests through the real router (tower oneshot)",
        "",
        run.stdout.rstrip(),
    ])
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"caseload-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
