#!/usr/bin/env python3
"""The clinic's targets through relief serve (issue 24): with 1,000 patients and a year of logs,
the clinician's patient list with alerts under 50 ms p99, and a log write under 10 ms p99 at 8
connections, on SQLite and on PostgreSQL, measured from outside the server with wrk.

    tests/clinic/postgres.sh python3 benchmarks/clinic_http.py CLINIC_BENCH_BIN RELIEF_SERVE_BIN

1. relief-clinic-bench --keep seeds both stores as its own run does (and prints its table: the
   store alone, side by side with what follows) and leaves them with an API token and a link per
   patient.
2. For each store: relief-serve --clinic on loopback (--alert-sweep-minutes 0: the sweep runs
   after each log, as always, and not on a timer in the middle of a run), then wrk at 8
   connections: GET /v1/clinic/patients with the bearer token (the list, alerts first), and
   POST /v1/patient/{token}/log cycling through the 1,000 patients' links (each post is the
   route's whole work: the link, the body's checks, the insert, its audit line and the patient's
   alert sweep); the list at 1 connection too.
Prints Markdown tables. WRK_SECONDS sets each run's length (default 15).
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

bench, serve = sys.argv[1:3]
seconds = int(os.environ.get("WRK_SECONDS", "15"))
tmp = tempfile.mkdtemp(prefix="relief-clinic-http-")
kept_file = os.path.join(tmp, "kept.json")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def wrk(script, url, connections=8):
    res = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", res).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", res).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", res).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", res)
    total = int(re.search(r"(\d+) requests in", res).group(1))
    return rate, p50, p99, int(bad.group(1)) if bad else 0, total


log("seeding both stores (relief-clinic-bench --keep) ...")
seeded = subprocess.run([bench, "--sqlite", os.path.join(tmp, "clinic.sqlite"), "--keep", kept_file],
                        capture_output=True, text=True, check=True).stdout
print("The store alone (relief-clinic-bench, in process):\n")
print(seeded)
stores = json.load(open(kept_file))

rows = []
for s in stores:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([serve, "--port", str(port), "--threads", "2", "--clinic", s["address"], "--alert-sweep-minutes", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        list_lua = os.path.join(tmp, "list.lua")
        with open(list_lua, "w") as f:
            f.write('wrk.method = "GET"\nwrk.headers["Authorization"] = "Bearer %s"\n' % s["token"])
        log_lua = os.path.join(tmp, "log.lua")
        with open(log_lua, "w") as f:
            f.write("local links = {%s}\n" % ",".join('"%s"' % t for t in s["links"]))
            f.write('local k = 0\nlocal body = \'{"done": true, "pain": 3, "effort": 4}\'\n')
            f.write('local headers = {["Content-Type"] = "application/json"}\n')
            f.write("request = function()\n  k = k %% %d + 1\n" % len(s["links"]))
            f.write('  return wrk.format("POST", "/v1/patient/" .. links[k] .. "/log", headers, body)\nend\n')
        # One warm-up request of each (the server's first list and first log).
        req = urllib.request.Request(base + "/v1/clinic/patients", headers={"Authorization": "Bearer " + s["token"]})
        urllib.request.urlopen(req, timeout=30).read()
        log(f"{s['store']}: the list under wrk ...")
        one = wrk(list_lua, base + "/v1/clinic/patients", connections=1)
        lst = wrk(list_lua, base + "/v1/clinic/patients")
        log(f"{s['store']}: log writes under wrk ...")
        lw = wrk(log_lua, base + "/")
        rows.append((s["store"], one, lst, lw))
    finally:
        server.terminate()
        server.wait(timeout=30)

print(f"Through relief-serve --threads 2 on loopback, wrk -t2 -c8, {seconds} s a row, 1,000 patients with a year of logs.\n")
print("| store | list, 1 connection: p50 ms | p99 ms | list, 8: req/s | p50 ms | p99 ms | log write, 8: req/s | p50 ms | p99 ms | non-2xx |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, (_, o50, o99, obad, _), (lr, l50, l99, lbad, _), (wr, w50, w99, wbad, _) in rows:
    print(f"| {name} | {o50:.2f} | {o99:.2f} | {lr:.0f} | {l50:.2f} | {l99:.2f} | {wr:.0f} | {w50:.2f} | {w99:.2f} | {obad + lbad + wbad} |")
