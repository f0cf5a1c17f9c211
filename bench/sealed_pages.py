#!/usr/bin/env python3
"""Sealed-fields benchmark (issue 3): the owner's people page against its own sealing and
policy work, interleaved in one run, in one process.

    python3 bench/sealed_pages.py [--iterations 3000] [--people 50]

Builds the Rust program in bench/sealed-pages/ (its own cargo package, not a member of
the workspace) into /work/target-bench, or $CARGO_TARGET_DIR when set, and runs it. The
program's module comment (bench/sealed-pages/src/main.rs) gives the method in full; in
short:

  - it makes a fresh SQLite database and key file, a practice with --people people
    (the owner with TOTP, the rest clinicians and clients), builds the real router
    (`sensate_web::router`) and signs the owner in through it (password, then code);
  - each iteration times, in an order rotated by one each time: GET /admin/people
    through the router without a socket (it opens 2 x --people sealed fields); the same
    opens alone (key from the vault, `Sealed::from_bytes`, `DataKey::open_str`, same
    rows and bindings); the AEAD part of them alone; the same values handled as plain
    columns would be; one access-policy decision; and GET /admin and GET /clinic, two
    authenticated pages that open no sealed field;
  - the same page without sealed fields is estimated per iteration as
    page - opens + plain, and the sealing overhead as (opens - plain) / that.

Sensate cannot store these fields in the clear, so "the same page without sealed
fields" is a subtraction within one run, not a second build; the report says so.
Prints a summary with the machine and load average, and writes it to
bench/results/sealed-pages-<UTC time>.txt.
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bench" / "sealed-pages"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3000, help="measured iterations")
    parser.add_argument("--people", type=int, default=50, help="people in the practice")
    args = parser.parse_args()

    target = Path(os.environ.get("CARGO_TARGET_DIR", "/work/target-bench"))
    subprocess.run(
        ["cargo", "build", "--release", "--manifest-path", str(PACKAGE / "Cargo.toml")],
        cwd=ROOT, check=True, env=dict(os.environ, CARGO_TARGET_DIR=str(target)),
    )
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "unknown CPU")
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    run = subprocess.run(
        [str(target / "release" / "sensate-bench-sealed-pages"), str(args.iterations), str(args.people)],
        capture_output=True, text=True,
    )
    load_after = os.getloadavg()
    if run.returncode != 0:
        sys.exit(f"the benchmark failed:\n{run.stdout}{run.stderr}")

    lines = [
        f"sensate sealed-fields benchmark, {started_at}",
        f"machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB; "
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} at start, "
        f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} at end",
        "release build, SQLite, in-process requests (tower oneshot), tokio multi-threaded runtime",
        "",
        run.stdout.rstrip(),
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"sealed-pages-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
