"""Slow clients and oversized shapes against a running relief-serve (issue "Reliability II").

Run by tests/service/run.sh against a server started with --idle-timeout 2 --max-seconds 4:
  1. 200 connections that send half a header and stop are closed by the server within the
     idle timeout (plus slack), and /healthz answers within 250 ms the whole time;
  2. ten 60 KB bodies of unknown exercise ids at once get a short 400 (at most 20 problems
     listed), and /healthz still answers within 250 ms;
  3. a request longer than --max-seconds is answered 503 by max-seconds plus a second;
  4. the security headers, the Host check and the Transfer-Encoding refusal.
Exits non-zero with what failed.
"""
import json
import multiprocessing
import socket
import sys
import threading
import time
import urllib.request

base = sys.argv[1]
host, port = base.split("//")[1].split(":")
port = int(port.rstrip("/"))
failures = []
# A stalled server answers in seconds; on these 2-core machines the 200-client driver shares the
# cores with the server, and a CI run saw one poll of 38 at 101 ms. 250 ms still catches a stall.
HEALTH_LIMIT = 0.25


def fail(message):
    print("FAIL:", message)
    failures.append(message)


def health_latencies(stop, out):
    """Polls /healthz every 50 ms until stopped, in a process of its own (so this script's own
    threads never delay a check); each latency goes to the queue `out`."""
    while not stop.is_set():
        t = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                r.read()
            out.put(time.monotonic() - t)
        except Exception as e:  # a refused or timed-out health check is a failure
            out.put(float("inf"))
            print("healthz error:", e)
        time.sleep(0.05)
    out.put(None)


def watch(body):
    """Runs body() while /healthz is polled; returns the worst /healthz latency and the count."""
    stop, queue = multiprocessing.Event(), multiprocessing.Queue()
    p = multiprocessing.Process(target=health_latencies, args=(stop, queue))
    p.start()
    try:
        body()
    finally:
        stop.set()
    latencies = []
    while (x := queue.get(timeout=30)) is not None:
        latencies.append(x)
    p.join()
    return max(latencies) if latencies else float("inf"), len(latencies)


def raw(data, timeout=10):
    s = socket.create_connection((host, port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while b"\r\n\r\n" not in out:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    return out


# 1. Slow clients: half a header each, then silence.
def slow_clients():
    sockets = []
    for _ in range(200):
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(s)
    began = time.monotonic()
    closed = 0
    for s in sockets:
        s.settimeout(max(0.1, 8 - (time.monotonic() - began)))
        try:
            if s.recv(1) == b"":
                closed += 1
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
    took = time.monotonic() - began
    print(f"slow clients: {closed} of {len(sockets)} closed by the server in {took:.1f} s")
    if closed != len(sockets):
        fail(f"only {closed} of {len(sockets)} half-sent requests were closed within 8 s (idle timeout 2 s)")


worst, polls = watch(slow_clients)
print(f"  /healthz worst {worst * 1000:.1f} ms over {polls} checks")
if worst > HEALTH_LIMIT:
    fail(f"/healthz took {worst * 1000:.0f} ms while slow clients were connected (limit {HEALTH_LIMIT * 1000:.0f} ms)")


# 2. Oversized shapes: thousands of unknown ids in one body, ten at once.
big = json.dumps({"exclude": ["unknown-%d" % i for i in range(4000)]}).encode()
sizes = []


def post_big():
    req = urllib.request.Request(base + "/v1/plan", data=big, headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=30)
        sizes.append(("ok", 0))
    except urllib.error.HTTPError as e:
        body = e.read()
        sizes.append((e.code, len(body), len(json.loads(body)["problems"])))


def oversized():
    threads = [threading.Thread(target=post_big) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


worst, polls = watch(oversized)
print(f"oversized bodies ({len(big)} bytes each): answers {sorted(set(sizes))}; /healthz worst {worst * 1000:.1f} ms")
if any(s[0] != 400 or s[1] > 10_000 or s[2] > 21 for s in sizes):
    fail(f"a body of 4,000 unknown ids should get a short 400 with at most 21 problems, got {sizes[:3]}")
if worst > HEALTH_LIMIT:
    fail(f"/healthz took {worst * 1000:.0f} ms during the oversized bodies (limit {HEALTH_LIMIT * 1000:.0f} ms)")

# 3. A request longer than --max-seconds (4): answered 503 by then, not seconds later.
long = json.dumps({"equipment": ["any"], "minutes": 40, "programme": {"weeks": 52, "start": "2026-12-07"}}).encode()
began = time.monotonic()
req = urllib.request.Request(base + "/v1/programme", data=long, headers={"Content-Type": "application/json"})
try:
    urllib.request.urlopen(req, timeout=60).read()
    status = 200
except urllib.error.HTTPError as e:
    status = e.code
took = time.monotonic() - began
print(f"a 52-week programme: {status} after {took:.2f} s (max-seconds 4)")
if took > 5.0:
    fail(f"the long request was answered after {took:.2f} s; max-seconds is 4")

# 4. Headers, Host and Transfer-Encoding.
with urllib.request.urlopen(base + "/", timeout=10) as r:
    h = r.headers
    csp = h.get("Content-Security-Policy", "")
    if "unsafe-inline" in csp or "frame-ancestors 'none'" not in csp or "script-src 'self'" not in csp:
        fail(f"page CSP is {csp!r}")
    if h.get("X-Content-Type-Options") != "nosniff" or h.get("X-Frame-Options") != "DENY":
        fail("nosniff / X-Frame-Options missing on the page")
    page = r.read().decode()
    if "<script>" in page or "<style>" in page or "onclick=" in page:
        fail("the page still has inline script, style or a handler")
with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
    if r.headers.get("X-Content-Type-Options") != "nosniff":
        fail("nosniff missing on /healthz")
rebound = raw(b"GET /healthz HTTP/1.1\r\nHost: attacker.example:%d\r\n\r\n" % port)
if not rebound.startswith(b"HTTP/1.1 421"):
    fail(f"a foreign Host got {rebound[:40]!r}, expected 421")
gzip = raw(b"POST /v1/plan HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
if not gzip.startswith(b"HTTP/1.1 501"):
    fail(f"Transfer-Encoding gzip, chunked got {gzip[:40]!r}, expected 501")

print("resilience:", "all passed" if not failures else f"{len(failures)} failed")
sys.exit(1 if failures else 0)
