#!/usr/bin/env python3
"""Sign-in benchmark (issue 3): server time of a password + TOTP sign-in, taken from the
server's own request log, on the demo practice.

    python3 bench/sign_in.py [--sign-ins 30]

Builds `sensate` in release mode and starts `sensate demo` on a free loopback port in a
fresh temporary data directory, with JSON logs and the web layer's request lines on
(RUST_LOG=warn,sensate_web=debug: the per-request line is a debug event of sensate_web;
other crates stay at warn so that logging does not add to what is measured). Then it
signs in --sign-ins times as a browser would, one sign-in at a time:

    GET /sign-in; POST /sign-in (email, password)        -> 303, a first cookie
    GET /sign-in/code (its hidden csrf field)
    POST /sign-in/code (csrf, RFC 6238 code)             -> 303 to /clinic, a new cookie
    GET /clinic with that cookie                         -> 200 (the sign-in took)

The accounts are the demo's staff with a TOTP secret, read from
crates/sensate/src/demo.rs. The replay guard accepts each 30-second step once per
account, so the script signs each account in once per step and then waits for the next
step: 30 sign-ins over three accounts take about five minutes. A sign-in that does not
answer exactly as above stops the run (the figures would be void); no attempt fails, so
the failed-sign-in throttle never engages.

Server time is each POST's `duration_ms` from the server's log line, matched to the
response by its X-Request-Id. It runs from the outermost middleware in, so it covers the
session guard, Argon2id verification (POST /sign-in) or the code check (POST
/sign-in/code), the database writes and the audit rows, but not reading the request off
the socket. The script also reports the client's round trip for each POST, for
comparison. The Argon2 parameters are read from the stored password hashes (PHC
strings) in the demo's database, not assumed.

Reports the median and 95th percentile (nearest rank) of POST /sign-in, POST
/sign-in/code and their sum per sign-in, with the machine and the load average before and
after. Everything listens on 127.0.0.1 only and every wait is bounded. Prints a summary
and writes it to bench/results/sign-in-<UTC time>.txt.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import math
import os
import re
import shutil
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "sensate"
DEMO_SOURCE = ROOT / "crates" / "sensate" / "src" / "demo.rs"
STEP = 30
TARGET_MS = 150


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def staff_with_totp():
    """(email, password, secret bytes) of every demo person with a TOTP secret."""
    source = DEMO_SOURCE.read_text()
    people = []
    for block in re.findall(r"DemoPerson \{(.*?)\n    \}", source, re.S):
        secret = re.search(r'totp_secret: Some\(b"([^"]*)"\)', block)
        if not secret:
            continue
        email = re.search(r'email: "([^"]*)"', block).group(1)
        password = re.search(r'password: "([^"]*)"', block).group(1)
        people.append((email, password, secret.group(1).encode()))
    if not people:
        sys.exit(f"found no demo person with a TOTP secret in {DEMO_SOURCE}")
    return people


def totp(secret, step):
    """RFC 6238 with the settings of docs/sign-in.md: HMAC-SHA-1, 6 digits, 30 s."""
    digest = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


class Browser:
    """One connection to the server; keeps the session cookie by hand (it is Secure,
    so nothing would send it back over http://127.0.0.1)."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = None

    def request(self, method, path, form=None):
        headers = {}
        body = None
        if self.cookie:
            headers["Cookie"] = f"__Host-sensate={self.cookie}"
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Sec-Fetch-Site"] = "same-origin"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        round_trip = (time.perf_counter() - started) * 1000
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("__Host-sensate="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1] or None
        return response.status, response.getheader("Location"), response.getheader("X-Request-Id"), text, round_trip

    def close(self):
        self.conn.close()


def expect(what, got, wanted):
    if got != wanted:
        sys.exit(f"{what}: expected {wanted}, got {got}; the figures are void")


def sign_in(port, email, password, secret, step):
    """One whole sign-in; returns the request ids and round trips of the two POSTs."""
    browser = Browser(port)
    try:
        status, *_ = browser.request("GET", "/sign-in")
        expect("GET /sign-in", status, 200)
        status, location, password_id, _, password_rtt = browser.request(
            "POST", "/sign-in", {"email": email, "password": password})
        expect(f"POST /sign-in as {email}", (status, location), (303, "/sign-in/code"))
        status, _, _, page, _ = browser.request("GET", "/sign-in/code")
        expect("GET /sign-in/code", status, 200)
        csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
        status, location, code_id, _, code_rtt = browser.request(
            "POST", "/sign-in/code", {"csrf": csrf, "code": totp(secret, step)})
        expect(f"POST /sign-in/code as {email}", (status, location), (303, "/clinic"))
        status, *_ = browser.request("GET", "/clinic")
        expect("GET /clinic after signing in", status, 200)
    finally:
        browser.close()
    return password_id, code_id, password_rtt, code_rtt


def wait_ready(process, port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"sensate demo exited with {process.returncode} before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit("sensate demo did not become ready within 60 s")


def server_times(log_path):
    """duration_ms of every request line in the JSON log, by request id."""
    times = {}
    for line in log_path.read_text().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if "duration_ms" not in event:
            continue
        span = event.get("span") or {}
        request_id = span.get("request_id") or event.get("request_id")
        times[request_id] = (event.get("method"), event.get("route"), event.get("status"), float(event["duration_ms"]))
    return times


def percentile(values, p):
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def summary(values):
    return f"median {statistics.median(values):6.1f} ms, p95 {percentile(values, 0.95):6.1f} ms, " \
           f"min {min(values):6.1f}, max {max(values):6.1f}"


def argon2_parameters(database):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        hashes = [row[0] for row in connection.execute("SELECT password_hash FROM account")]
    finally:
        connection.close()
    found = {re.match(r"\$(argon2\w+)\$v=(\d+)\$([^$]+)\$", h).group(0) for h in hashes}
    return ", ".join(sorted(found))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=30, help="sign-ins to time")
    args = parser.parse_args()
    if args.sign_ins < 1:
        sys.exit("--sign-ins must be at least 1")
    people = staff_with_totp()

    subprocess.run(["cargo", "build", "--release", "-p", "sensate"], cwd=ROOT, check=True)
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "unknown CPU")
    load_before = os.getloadavg()
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())

    work = Path(tempfile.mkdtemp(prefix="sensate-bench-"))
    data = work / "data"
    log_path = work / "server.log"
    port = free_port()
    env = dict(os.environ, RUST_LOG="warn,sensate_web=debug")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(BINARY), "demo", "--data-dir", str(data), "--listen", f"127.0.0.1:{port}",
             "--log-format", "json"],
            stdout=subprocess.DEVNULL, stderr=log, env=env,
        )
    try:
        wait_ready(process, port)
        parameters = argon2_parameters(data / "sensate.db")
        runs = []
        last_step = {}
        while len(runs) < args.sign_ins:
            step = int(time.time()) // STEP
            # Half a second of margin at the end of a step, so the code the script makes
            # and the step the server sees are the same or one apart (both accepted).
            if (time.time() % STEP) > STEP - 0.5:
                time.sleep(STEP - time.time() % STEP + 0.05)
                continue
            person = next((p for p in people if last_step.get(p[0], -1) < step), None)
            if person is None:
                time.sleep(STEP - time.time() % STEP + 0.05)
                continue
            email, password, secret = person
            runs.append((email,) + sign_in(port, email, password, secret, step))
            last_step[email] = step
            print(f"  sign-in {len(runs)}/{args.sign_ins} as {email}", file=sys.stderr)
        time.sleep(0.5)  # let the last log lines reach the file
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    load_after = os.getloadavg()

    times = server_times(log_path)
    password_ms, code_ms, total_ms, password_rtt, code_rtt = [], [], [], [], []
    for email, password_id, code_id, p_rtt, c_rtt in runs:
        for request_id, route in ((password_id, "/sign-in"), (code_id, "/sign-in/code")):
            if request_id not in times:
                sys.exit(f"no log line for POST {route} (request {request_id}); see {log_path}")
            method, logged_route, status, _ = times[request_id]
            expect(f"log line of request {request_id}", (method, logged_route, status), ("POST", route, 303))
        password_ms.append(times[password_id][3])
        code_ms.append(times[code_id][3])
        total_ms.append(times[password_id][3] + times[code_id][3])
        password_rtt.append(p_rtt)
        code_rtt.append(c_rtt)

    lines = [
        f"sensate sign-in benchmark, {started_at}",
        f"machine: {os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB; "
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} at start, "
        f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} at end",
        f"password hashes: {parameters}",
        f"{len(runs)} sign-ins (password + TOTP), one at a time, over {len(people)} demo staff accounts, "
        f"one per account per 30-s step; SQLite, release build",
        "",
        "server time (duration_ms of the server's own request log line):",
        f"  POST /sign-in        {summary(password_ms)}",
        f"  POST /sign-in/code   {summary(code_ms)}",
        f"  sum per sign-in      {summary(total_ms)}  [target <= {TARGET_MS} ms]",
        "client round trip over loopback, for comparison:",
        f"  POST /sign-in        {summary(password_rtt)}",
        f"  POST /sign-in/code   {summary(code_rtt)}",
        "",
        f"target met: {'yes' if percentile(total_ms, 0.95) <= TARGET_MS else 'NO'} "
        f"(p95 of the sum {percentile(total_ms, 0.95):.1f} ms against {TARGET_MS} ms)",
    ]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"sign-in-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.txt").write_text(report + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
