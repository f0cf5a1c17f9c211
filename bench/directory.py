#!/usr/bin/env python3
"""Directory search benchmark (issue 6): 100,000 synthetic therapists, searched in
process and over HTTP, on SQLite (and PostgreSQL when given a server).

    python3 bench/directory.py [--profiles 100000] [--queries 2000] [--seed 1]
                               [--seconds 10] [--connections 64]
                               [--postgres postgres://postgres@127.0.0.1:5432/postgres]

For each backend:
  1. `sensate bench directory --profiles N --queries M --seed S --keep DIR` builds a fresh
     database (SQLite in DIR; on PostgreSQL a new database this script creates on the
     server and drops at the end), imports N fictional therapists through the product's
     own profile and verification code, times M searches from a fixed mix in process
     (words, filters, a place with a radius, all three) after 100 untimed ones, and
     prints one JSON line: p50_ms, p99_ms (nearest rank), qps (one search at a time).
     It writes the searches as /directory?... paths to DIR/queries.txt.
  2. `sensate serve` serves DIR on a loopback port; once it has built its in-memory
     search index (the log says so; the database answers until then), the first
     searches are fetched once to check they answer 200, then `wrk -t2 -cC -dT
     --latency` cycles through queries.txt (bench/directory.lua), with a 30 s timeout
     so slow searches are timed.
     wrk and the server share the machine's cores.

Builds the release binary into /work/target-bench (or $CARGO_TARGET_DIR). Needs `wrk`
(Debian package `wrk`; installed with apt-get when missing). PostgreSQL needs `psql`
and a server URL whose user may create databases; --postgres '' (the default unless
SENSATE_BENCH_DATABASE_URL is set) skips it. Prints a summary with the machine, the
load average and the commit, and writes it to bench/results/directory-<UTC>.txt.
Targets (issue 6): in process p50 <= 2 ms and p99 <= 5 ms; over HTTP >= 2,000 searches/s
on 2 cores.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "directory.lua"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=900):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing; installing Debian's wrk with apt-get", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "install", "-y", "wrk"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def run_bench(binary, args, keep, database_url=None):
    """Runs `sensate bench directory`; returns (figures, stderr lines, seconds)."""
    command = [str(binary), "bench", "directory", "--profiles", str(args.profiles),
               "--queries", str(args.queries), "--warm-up", str(args.warm_up), "--seed", str(args.seed),
               "--keep", str(keep)]
    if database_url:
        command += ["--database-url", database_url]
    print("$ " + " ".join(command), file=sys.stderr)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stderr:
        sys.stderr.write(line)
        lines.append(line.rstrip("\n"))
    out = process.stdout.read()
    if process.wait() != 0:
        sys.exit(f"sensate bench directory failed ({process.returncode})")
    return json.loads(out.strip()), lines, time.monotonic() - started


def serve(binary, keep, database_url=None):
    """Starts `sensate serve` on DIR; returns once it answers and its search index is
    built (the database answers searches until then), with the build's milliseconds."""
    port = free_port()
    command = [str(binary), "serve", "--data-dir", str(keep), "--listen", f"127.0.0.1:{port}"]
    if database_url:
        command += ["--database-url", database_url]
    log_path = keep.parent / "serve.log"
    log = open(log_path, "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               env=dict(os.environ, RUST_LOG="warn,sensate_app=info"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", timeout=1)[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"sensate serve exited with {process.returncode} before it was ready")
        time.sleep(0.05)
    else:
        process.kill()
        sys.exit("sensate serve did not become ready within 60 s")
    # The steady state is what is measured: wait for the index (minutes at most).
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        built = re.search(r"directory search index built millis=(\d+)", log_path.read_text())
        if built:
            return process, port, int(built.group(1))
        if process.poll() is not None:
            sys.exit(f"sensate serve exited with {process.returncode} before its index was built")
        time.sleep(0.1)
    process.kill()
    sys.exit(f"the search index was not built within 10 minutes; see {log_path}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def wrk(port, queries, seconds, connections, threads=2):
    # A 30 s timeout, not wrk's 2 s: a slow search is then timed rather than only
    # counted as a timeout, so the latency figures include it.
    out = subprocess.run(
        ["wrk", "--latency", "--timeout", "30s", f"-t{threads}", f"-c{connections}",
         f"-d{seconds}s", "-s", str(LUA),
         f"http://127.0.0.1:{port}", "--", str(queries)],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    percentiles = {}
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if not m or requests == 0:  # wrk prints no distribution when nothing completed
            percentiles[p] = float("nan")
            continue
        value, unit = float(m.group(1)), m.group(2)
        scale = {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
        percentiles[p] = value * scale
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": requests,
        "latency": percentiles,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def measure(name, binary, args, database_url=None):
    keep = Path(tempfile.mkdtemp(prefix=f"sensate-directory-{name}-")) / "data"
    load_before = os.getloadavg()[0]
    figures, lines, seconds = run_bench(binary, args, keep, database_url)
    load_after_import = os.getloadavg()[0]
    queries = keep / "queries.txt"
    process, port, index_millis = serve(binary, keep, database_url)
    try:
        checked = []
        # The first four searches (one of each kind) are fetched once, one at a time, to
        # check they answer 200 before the load; a slow one is waited for.
        for path in queries.read_text().splitlines()[:4]:
            status, body = get(port, path)
            if status != 200:
                sys.exit(f"{path} answered {status}; the HTTP figures would be void")
            checked.append(len(body))
        http = wrk(port, queries, args.seconds, args.connections)
    finally:
        stop(process)
    if http["non_2xx"]:
        sys.exit(f"{name}: {http['non_2xx']} searches answered a non-2xx status; the figures are void")
    if args.keep_data:
        print(f"kept {keep}", file=sys.stderr)
    else:
        shutil.rmtree(keep.parent, ignore_errors=True)
    return {
        "name": name,
        "figures": figures,
        "stderr": lines,
        "seconds": seconds,
        "http": http,
        "page_bytes": checked,
        "index_millis": index_millis,
        "load": (load_before, load_after_import, os.getloadavg()[0]),
    }


def with_database(server_url, name):
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def psql(server_url, sql):
    subprocess.run(["psql", server_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True)


def source_state():
    """The commit the binary was built from, and whether tracked files differed from it."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    # Only what goes into the binary counts (this script may be edited between runs).
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                            "crates", "content", "Cargo.toml", "Cargo.lock"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return commit, bool(dirty)


def report(runs, args, built_from):
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "unknown CPU")
    memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    commit, dirty = built_from
    lines = [
        f"sensate directory benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"machine: {os.cpu_count()} cores ({cpu}), {memory} GiB; commit {commit}"
        + (" (built with uncommitted changes in the working tree)" if dirty else ""),
        f"command: python3 bench/directory.py --profiles {args.profiles} --queries {args.queries} "
        f"--warm-up {args.warm_up} --seed {args.seed} --seconds {args.seconds} --connections {args.connections}"
        + (f" --postgres {args.postgres}" if args.postgres else ""),
        "",
    ]
    for run in runs:
        f, h = run["figures"], run["http"]
        imported = next((l for l in run["stderr"] if l.startswith("Imported")), "")
        lines += [
            f"== {run['name']} ==",
            f"load average: {run['load'][0]:.2f} at start, {run['load'][1]:.2f} after the in-process "
            f"run, {run['load'][2]:.2f} after wrk",
            imported,
            *[l for l in run["stderr"] if re.match(r"^\s*(words|filters|place|combined):", l)],
            f"in process: {json.dumps(f)}",
            f"  p50 {f['p50_ms']:.3f} ms [target <= 2 ms: {'met' if f['p50_ms'] <= 2 else 'MISSED'}], "
            f"p99 {f['p99_ms']:.3f} ms [target <= 5 ms: {'met' if f['p99_ms'] <= 5 else 'MISSED'}], "
            f"{f['qps']:.0f} searches/s one at a time",
            f"over HTTP (wrk -t2 -c{args.connections} -d{args.seconds}s --timeout 30s, cycling "
            f"{args.queries} searches): "
            f"{h['rps']:,.0f} searches/s [target >= 2,000: {'met' if h['rps'] >= 2000 else 'MISSED'}]; "
            f"latency p50 {h['latency']['50']:.2f} ms, p90 {h['latency']['90']:.2f} ms, "
            f"p99 {h['latency']['99']:.2f} ms; {h['requests']} requests, non-2xx {h['non_2xx']}, "
            f"socket errors {h['socket_errors']}",
            f"  the server built its search index in {run['index_millis']:,} ms before wrk began "
            f"(searches are answered by the database until then); first pages checked: "
            f"{len(run['page_bytes'])} answered 200 ({min(run['page_bytes'])}-"
            f"{max(run['page_bytes'])} bytes)",
            f"whole in-process run (import and searches): {run['seconds']:.0f} s",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--warm-up", type=int, default=100,
                        help="searches run once untimed before the timed ones")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--postgres", default=os.environ.get("SENSATE_BENCH_DATABASE_URL", ""),
                        help="a PostgreSQL server URL (a database is created and dropped on it), "
                             "or '' to skip PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument("--keep-data", action="store_true",
                        help="leave each populated data directory (its path is printed; a PostgreSQL "
                             "database is dropped all the same)")
    args = parser.parse_args()
    ensure_wrk()

    target = Path(os.environ.get("CARGO_TARGET_DIR", "/work/target-bench"))
    env = dict(os.environ, CARGO_TARGET_DIR=str(target))
    built_from = source_state()
    subprocess.run(["cargo", "build", "--release", "-p", "sensate"], cwd=ROOT, check=True, env=env)
    binary = target / "release" / "sensate"

    runs = []
    if not args.no_sqlite:
        runs.append(measure("SQLite", binary, args))
    if args.postgres:
        name = f"sensate_bench_directory_{os.getpid()}"
        psql(args.postgres, f"CREATE DATABASE {name}")
        try:
            runs.append(measure("PostgreSQL", binary, args, with_database(args.postgres, name)))
        finally:
            psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    text = report(runs, args, built_from)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"directory-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
