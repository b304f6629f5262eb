#!/usr/bin/env python3
"""relief serve under load (issue 11), side by side with relief batch on the same requests.

    python3 benchmarks/serve.py RELIEF_BIN RELIEF_SERVE_BIN RELIEF_BENCH_BIN DATA [--soak SECONDS]

1. The seeded realistic request mix (relief-bench requests: budgets 5-40 min, some conditions,
   limited equipment, own minimums, caps), with "explain": false as a batch line has it.
2. relief batch --threads 2 on those requests: plans per second (the peer).
3. relief-serve --threads 2 on loopback; wrk with a Lua script cycling through the same bodies on
   POST /v1/plan at 2, 8 and 32 connections: throughput, p50, p99; meanwhile a probe asks
   /healthz every 50 ms and records its latency.
4. The in-budget requests alone (their plan is "optimal": the budget covers every cause) at
   8 connections: the issue's p99 target.
5. A soak at 8 connections (default 300 s) sampling the server's resident memory every 10 s.
Prints Markdown tables.
"""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import socket

relief, serve, bench, data = sys.argv[1:5]
soak = int(sys.argv[sys.argv.index("--soak") + 1]) if "--soak" in sys.argv else 300
duration = int(os.environ.get("SERVE_BENCH_SECONDS", "20"))
tmp = tempfile.mkdtemp(prefix="relief-serve-bench-")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


lines = subprocess.run([bench, "requests", "--data", data, "--count", "2000"], check=True,
                       capture_output=True, text=True).stdout.splitlines()
bodies = []
for line in lines:
    r = json.loads(line)
    r["explain"] = False
    # No time limit by default (issue 23): every request of the mix is answered within about a
    # second unlimited since issue 12's dominance rows, and a request without one is a function
    # of its body, so both sides may reuse answers. SERVE_TIME_LIMIT=5 gives the old setting.
    if os.environ.get("SERVE_TIME_LIMIT"):
        r["time_limit"] = float(os.environ["SERVE_TIME_LIMIT"])
    bodies.append(json.dumps(r, sort_keys=True))
requests_file = os.path.join(tmp, "requests.jsonl")
with open(requests_file, "w") as f:
    f.write("\n".join(bodies) + "\n")

# The peer: relief batch on the same requests.
t0 = time.perf_counter()
out = subprocess.run([relief, "batch", "--data", data, "--input", requests_file, "--threads", "2"],
                     check=True, capture_output=True, text=True).stdout
batch_seconds = time.perf_counter() - t0
batch_rate = len(bodies) / batch_seconds
statuses = [json.loads(l).get("status") for l in out.splitlines()]
in_budget = [b for b, s in zip(bodies, statuses) if s == "optimal"]
log(f"batch: {len(bodies)} plans in {batch_seconds:.2f} s; {len(in_budget)} in budget")


def lua(bodies, name):
    path = os.path.join(tmp, name + ".lua")
    items = ",\n".join("[==[" + b + "]==]" for b in bodies)
    with open(path, "w") as f:
        f.write(f"""
local bodies = {{
{items}
}}
local i = 0
local headers = {{ ["Content-Type"] = "application/json" }}
function setup(thread) thread:set("offset", math.random(1, #bodies)) end
request = function()
  i = i + 1
  local k = ((i + (offset or 0)) % #bodies) + 1
  return wrk.format("POST", "/v1/plan", headers, bodies[k])
end
""")
    return path


port = None
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([serve, "--port", str(port), "--threads", "2", "--queue", "256", "--data", data],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", "/healthz")
        if c.getresponse().status == 200:
            break
    except OSError:
        time.sleep(0.05)


def rss_mb():
    with open(f"/proc/{server.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class HealthProbe(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.times = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while not self.stop.is_set():
            t = time.perf_counter()
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            self.times.append((time.perf_counter() - t) * 1000)
            time.sleep(0.05)


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v = float(m.group(1))
    return {"us": v / 1000, "ms": v, "s": v * 1000}[m.group(2)]


def wrk(script, connections, seconds):
    threads = min(2, connections)
    probe = HealthProbe()
    probe.start()
    res = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                          f"http://127.0.0.1:{port}/v1/plan"], capture_output=True, text=True, check=True).stdout
    probe.stop.set()
    probe.join()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", res).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", res).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", res).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", res)
    errors = re.search(r"Socket errors: (.*)", res)
    h = sorted(probe.times)
    health = (statistics.median(h), h[int(0.99 * (len(h) - 1))], h[-1]) if h else (0, 0, 0)
    return rate, p50, p99, int(bad.group(1)) if bad else 0, errors.group(1) if errors else "none", health


def replay(connections):
    """Every request of the mix once, over `connections` kept-alive connections: the same work
    as the batch, so the two rates compare directly."""
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    bad = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    return
                _, body = queue.pop()
            conn.request("POST", "/v1/plan", body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                bad.append(r.status)

    t = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return len(bodies) / (time.perf_counter() - t), len(bad)


replays = []
for c in [2, 8]:
    log(f"replay: all {len(bodies)} requests over {c} connections")
    replays.append((c,) + replay(c))

mix = lua(bodies, "mix")
limit_text = f"`time_limit: {os.environ['SERVE_TIME_LIMIT']}`" if os.environ.get("SERVE_TIME_LIMIT") else "no time limit"
print(f"Requests: {len(bodies)} from the seeded realistic mix (`relief-bench requests`, seed 1), `explain: false`, {limit_text}; "
      f"{len(in_budget)} of them in budget. Server: `relief-serve --threads 2`; wrk on loopback, {duration} s per row.")
print()
print("| load | plans per second | vs `relief batch --threads 2` | p50 ms | p99 ms | non-2xx | /healthz p50 / p99 / max ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
print(f"| `relief batch --threads 2`, the {len(bodies)} requests (whole process) | {batch_rate:.1f} | 1.00× | | | | |")
for c, rate, bad in replays:
    print(f"| HTTP, the same {len(bodies)} requests once each over {c} kept-alive connections | {rate:.1f} | {rate / batch_rate:.2f}× | | | {bad} | |")
for c in [2, 8, 32]:
    log(f"wrk: {c} connections")
    rate, p50, p99, bad, errors, health = wrk(mix, c, duration)
    print(f"| wrk, {c} connections, random windows of the mix | {rate:.0f} | {rate / batch_rate:.2f}× | {p50:.1f} | {p99:.1f} | {bad} | "
          f"{health[0]:.1f} / {health[1]:.1f} / {health[2]:.1f} |")
log("wrk: in-budget requests, 8 connections")
rate, p50, p99, bad, errors, health = wrk(lua(in_budget, "in_budget"), 8, duration)
print(f"| wrk, 8 connections, in-budget requests only | {rate:.0f} | | {p50:.1f} | {p99:.1f} | {bad} | "
      f"{health[0]:.1f} / {health[1]:.1f} / {health[2]:.1f} |")

if soak <= 0:
    server.terminate()
    server.wait(timeout=30)
    sys.exit(0)

# Soak: memory over a long run.
log(f"soak: {soak} s at 8 connections")
samples = [(0, rss_mb())]
soak_proc = subprocess.Popen(["wrk", "-t2", "-c8", f"-d{soak}s", "-s", mix, f"http://127.0.0.1:{port}/v1/plan"],
                             stdout=subprocess.PIPE, text=True)
start = time.time()
while soak_proc.poll() is None:
    time.sleep(10)
    samples.append((round(time.time() - start), rss_mb()))
soak_out = soak_proc.stdout.read()
soak_rate = float(re.search(r"Requests/sec:\s+([\d.]+)", soak_out).group(1))
server.terminate()
server.wait(timeout=30)
print()
print(f"Memory over a {soak} s soak at 8 connections ({soak_rate:.0f} plans/s): resident set size in MB, sampled every 10 s")
print()
marks = [samples[0], samples[min(1, len(samples) - 1)], samples[len(samples) // 2], samples[-1]]
print("| after (s) | " + " | ".join(str(t) for t, _ in marks) + " | max |")
print("|---|" + "---:|" * (len(marks) + 1))
print("| RSS (MB) | " + " | ".join(f"{m:.1f}" for _, m in marks) + f" | {max(m for _, m in samples):.1f} |")
