#!/usr/bin/env python3
"""Foundation benchmark (issue 2): readiness, idle memory, and home-page throughput
against nginx serving the same bytes, in one run on this machine.

    python3 bench/foundation.py [--seconds 10] [--connections 64] [--starts 10]

Builds `sensate` in release mode, migrates a fresh SQLite database, then:
  1. starts `sensate serve` --starts times on the already-migrated database and times
     process start -> first 200 from /healthz (median and worst);
  2. reads the idle resident memory (VmRSS) of a freshly started server, and again after
     the load test has finished;
  3. runs wrk against the home page, then against nginx serving the same bytes as a static
     file on loopback, with the same threads, connections and duration; prints both and
     the ratio.

Everything listens on 127.0.0.1 only and every loop is bounded. Needs `wrk` and `nginx`
(Debian packages `wrk`, `nginx-light`). Prints a summary and writes it to
bench/results/foundation-<UTC time>.txt.
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "sensate"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_status(port, path, timeout=0.5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def start_server(data_dir, port):
    """Starts sensate and returns (process, seconds from spawn to first 200 on /healthz)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BINARY), "serve", "--data-dir", str(data_dir), "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = started + 30
    while time.perf_counter() < deadline:
        try:
            if get_status(port, "/healthz") == 200:
                return process, time.perf_counter() - started
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"sensate exited with {process.returncode} before it was ready")
        time.sleep(0.0005)
    process.kill()
    sys.exit("sensate did not become ready within 30 s")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wrk(url, seconds, connections, threads=2):
    out = subprocess.run(
        ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    percentiles = {}
    for p in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        percentiles[p] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return rps, percentiles, (int(errors.group(1)) if errors else 0), (socket_errors.group(1) if socket_errors else "none")


NGINX_CONF = """
daemon off;
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp;
    proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp;
    scgi_temp_path {prefix}/tmp;
    types {{ text/html html; }}
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
        location / {{ index index.html; }}
    }}
}}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per target")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--starts", type=int, default=10, help="server starts to time")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is not installed: apt-get install wrk nginx-light")

    subprocess.run(["cargo", "build", "--release", "-p", "sensate"], cwd=ROOT, check=True)
    work = Path(tempfile.mkdtemp(prefix="sensate-bench-"))
    data = work / "data"
    subprocess.run([str(BINARY), "migrate", "--data-dir", str(data)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # 1. Readiness on an already-migrated database.
    ready = []
    for _ in range(args.starts):
        port = free_port()
        process, seconds = start_server(data, port)
        ready.append(seconds * 1000)
        stop(process)

    # 2 and 3. Idle memory, then load.
    port = free_port()
    process, _ = start_server(data, port)
    time.sleep(2)
    idle_rss = rss_mb(process.pid)
    home = f"http://127.0.0.1:{port}/"
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/")
    body = conn.getresponse().read()
    conn.close()
    s_rps, s_lat, s_err, s_sock = wrk(home, args.seconds, args.connections)
    if s_err:
        sys.exit(f"sensate answered {s_err} requests with a non-2xx status; the figures are void")
    time.sleep(2)
    after_rss = rss_mb(process.pid)
    stop(process)

    # nginx's workers run as an unprivileged user: its web root must be world-readable
    # (the temporary directory is private by default). Sensate's data dir stays 0700.
    work.chmod(0o755)
    prefix = work / "nginx"
    (prefix / "www").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    (prefix / "www" / "index.html").write_bytes(body)
    nginx_port = free_port()
    (prefix / "nginx.conf").write_text(NGINX_CONF.format(prefix=prefix, port=nginx_port))
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    nginx = subprocess.Popen([nginx_bin, "-c", str(prefix / "nginx.conf"), "-p", str(prefix)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    served = None
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=1)
            conn.request("GET", "/")
            response = conn.getresponse()
            served = (response.status, response.read())
            conn.close()
            break
        except OSError:
            time.sleep(0.05)
    if served != (200, body):
        nginx.terminate()
        sys.exit(f"nginx did not serve the same bytes (got {served and served[0]}); see {prefix}/error.log")
    n_rps, n_lat, n_err, n_sock = wrk(f"http://127.0.0.1:{nginx_port}/", args.seconds, args.connections)
    if n_err:
        sys.exit(f"nginx answered {n_err} requests with a non-2xx status; the figures are void")
    nginx.terminate()
    nginx.wait(timeout=30)

    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "unknown CPU")
    lines = [
        f"sensate foundation benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB",
        f"wrk: 2 threads, {args.connections} connections, {args.seconds} s per target; home page {len(body)} bytes",
        "",
        f"ready (spawn -> first 200 /healthz, migrated SQLite, {args.starts} starts): "
        f"median {statistics.median(ready):.1f} ms, worst {max(ready):.1f} ms  [target <= 200 ms]",
        f"idle RSS: {idle_rss:.1f} MB after start, {after_rss:.1f} MB after the load test  [target <= 30 MB]",
        "",
        f"sensate home page: {s_rps:,.0f} req/s; latency p50 {s_lat['50']:.2f} ms, p90 {s_lat['90']:.2f} ms, "
        f"p99 {s_lat['99']:.2f} ms; non-2xx {s_err}; socket errors {s_sock}",
        f"nginx same bytes:  {n_rps:,.0f} req/s; latency p50 {n_lat['50']:.2f} ms, p90 {n_lat['90']:.2f} ms, "
        f"p99 {n_lat['99']:.2f} ms; non-2xx {n_err}; socket errors {n_sock}",
        f"ratio sensate/nginx: {s_rps / n_rps:.2f}  [target >= 0.50]",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"foundation-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt").write_text(report + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
