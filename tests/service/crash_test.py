"""A kill -9 of a clinic's server in the middle of a burst of logs loses no acknowledged write
(issue "The clinic": WAL and one transaction per write).

Run by tests/service/run.sh with the relief-serve binary:
  1. a throwaway SQLite clinic with one clinician (relief-serve --create-clinic), a server on it;
  2. signed in (JSON), one patient and a personal link;
  3. 8 threads post the patient's log as fast as the server answers; after about 200
     acknowledged entries the server is killed with SIGKILL while the posts are still arriving;
  4. the server is started again on the same file; the patient's export must hold every entry
     the killed server answered 201 for (by the id it answered with), and the file passes
     SQLite's integrity check (through the server: it opens and reads it).
Prints what it measured; exits non-zero with what failed.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

BIN = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else "."
THREADS = 8
KILL_AFTER = 200
failures = []


def fail(message):
    print("FAIL:", message)
    failures.append(message)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(db, port, log):
    server = subprocess.Popen([BIN, "--port", str(port), "--threads", "2", "--clinic", db],
                              stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, OSError):
            if server.poll() is not None:
                raise SystemExit(f"relief-serve did not start (exit {server.returncode})")
            time.sleep(0.05)
    raise SystemExit("relief-serve did not answer /healthz in 10 s")


def call(opener, base, method, path, body=None, csrf=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    with opener.open(request, timeout=30) as r:
        return r.status, json.loads(r.read() or b"null")


def sign_in(base):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _, body = call(opener, base, "POST", "/v1/clinic/sign-in",
                   {"email": "crash@example.org", "password": "crash test passphrase"})
    return opener, body["csrf_token"]


def main():
    work = tempfile.mkdtemp(prefix="relief-crash-")
    try:
        db = os.path.join(work, "clinic.sqlite")
        with open(os.path.join(work, "pw"), "w") as f:
            f.write("crash test passphrase\n")
        setup = subprocess.run([BIN, "--clinic", db, "--create-clinic", "Crash", "--clinician-email",
                                "crash@example.org", "--password-file", os.path.join(work, "pw")],
                               capture_output=True, text=True)
        if setup.returncode != 0:
            raise SystemExit("--create-clinic failed: " + setup.stderr)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(OUT, "server-crash.log"), "w")
        server = start(db, port, log)
        opener, csrf = sign_in(base)
        _, patient = call(opener, base, "POST", "/v1/clinic/patients", {"reference": "CR-1", "usual_pain": 5}, csrf)
        pid = patient["patient"]["id"]
        _, link = call(opener, base, "POST", f"/v1/clinic/patients/{pid}/links", {}, csrf)
        token = link["token"]

        acknowledged, refused, lock = [], [0], threading.Lock()
        stop = threading.Event()

        def writer(k):
            plain = urllib.request.build_opener()
            n = 0
            while not stop.is_set():
                n += 1
                body = {"done": True, "pain": (k + n) % 11, "effort": k % 11}
                try:
                    status, entry = call(plain, base, "POST", f"/v1/patient/{token}/log", body)
                    if status == 201:
                        with lock:
                            acknowledged.append(entry["id"])
                except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                    with lock:
                        refused[0] += 1   # not acknowledged: the server was killed under it
                    if stop.is_set() or server.poll() is not None:
                        return

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(THREADS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        while True:
            with lock:
                if len(acknowledged) >= KILL_AFTER:
                    break
            if time.monotonic() - started > 120:
                fail(f"only {len(acknowledged)} writes acknowledged in 120 s")
                break
            time.sleep(0.005)
        server.send_signal(signal.SIGKILL)   # while the 8 writers are still posting
        killed_at = time.monotonic() - started
        server.wait()
        stop.set()
        for t in threads:
            t.join()
        with lock:
            acked = list(acknowledged)

        restarted = time.monotonic()
        server = start(db, port, log)
        ready = time.monotonic() - restarted
        try:
            opener, csrf = sign_in(base)
            _, record = call(opener, base, "GET", f"/v1/clinic/patients/{pid}/export")
            logged = {entry["id"] for entry in record["logs"]}   # the log itself, not the audit trail
            missing = [i for i in acked if i not in logged]
            if missing:
                fail(f"{len(missing)} of {len(acked)} acknowledged log entries lost, e.g. {missing[:3]}")
            if len(set(acked)) != len(acked):
                fail("the server answered the same entry id twice")
            print(f"kill -9 after {killed_at:.2f} s with {THREADS} writers: {len(acked)} entries acknowledged, "
                  f"{len(acked) - len(missing)} in the record after the restart, {refused[0]} posts cut off "
                  f"(never acknowledged); restarted and serving in {ready:.2f} s")
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(1)


main()
