#!/usr/bin/env python3
"""Programme benchmark (issue 10): a 6-week programme for the shipped catalogue, end to end, and
each week's model in-process (RELIEF_TRACE's per-week time, every solve of the week included)
against HiGHS (highspy) and glpsol on the same exported LP (the week's final model), in one run.

Usage: benchmarks/programme.py RELIEF_BINARY DATA_DIR
"""
import os, re, statistics, subprocess, sys, tempfile, time

relief, data = sys.argv[1], sys.argv[2]
runs = 3
cases = [
    ("15 min, no equipment (default)", ["--minutes", "15"], None),
    ("sciatica profile", ["--profile", os.path.join(data, "profiles/sciatica.json")], None),
    ("older-adult profile", ["--profile", os.path.join(data, "profiles/older-adult.json")], None),
    ("desk-worker profile", ["--profile", os.path.join(data, "profiles/desk-worker.json")], None),
    ("runner profile", ["--profile", os.path.join(data, "profiles/runner.json")], None),
    ("15 min, with a log that steps a ladder up", ["--minutes", "15"], "ladder"),
]
base = ["programme", "--data", data, "--weeks", "6", "--start", "2026-12-01", "--today", "2026-12-20", "--screen", "clear"]

def ladder_log(path):
    days = [0, 1, 3, 4, 5]
    lines = []
    for d in days:
        lines.append('{"date":"2026-12-%02d","kind":"session","done":"all","pain_before":5,"pain_after":6,"effort":5}' % (1 + d))
    for d in range(1, 8):
        lines.append('{"date":"2026-12-%02d","kind":"morning","pain":5}' % (1 + d))
    open(path, "w").write("\n".join(lines) + "\n")

try:
    import highspy
except ImportError:
    highspy = None

def highs_time(lp):
    if highspy is None:
        return None, "highspy missing"
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(lp)
    t = time.perf_counter(); h.run(); dt = time.perf_counter() - t
    return dt, h.modelStatusToString(h.getModelStatus())

def glpsol_time(lp):
    t = time.perf_counter()
    out = subprocess.run(["glpsol", "--lp", lp, "--cuts"], capture_output=True, text=True).stdout
    dt = time.perf_counter() - t
    return dt, "optimal" if "INTEGER OPTIMAL" in out else "not proven"

print("| programme | relief end to end (median of %d) | weeks proven | per week in-process (s) | HiGHS per week on the exported LP (s) | glpsol --cuts per week (whole process, s) |" % runs)
print("|---|---:|---|---|---|---|")
for name, args, log in cases:
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "p.json")
        cmd = [relief] + base + args
        if log:
            # A programme file and its log, re-planned.
            subprocess.run([relief] + base + args + ["--out", prog], capture_output=True, check=False)
            ladder_log(os.path.join(tmp, "p.log.jsonl"))
            cmd = [relief, "programme", "--replan", prog, "--data", data, "--today", "2026-12-20", "--out", os.path.join(tmp, "q.json")]
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if r.returncode not in (0,):
                print("relief exited", r.returncode, r.stderr[:300], file=sys.stderr)
        env = dict(os.environ, RELIEF_TRACE="1")
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        subprocess.run(cmd + ["--export-lp", os.path.join(tmp, "lp")], capture_output=True, text=True)
        weeks = re.findall(r"week (\d+): (\S+(?: \S+)*?) in ([0-9.e-]+) seconds", r.stderr)
        weeks = weeks[:6]
        proven = sum(1 for w in weeks if w[1] == "optimal")
        ours = ", ".join("%.3f" % float(w[2]) for w in weeks)
        hs, gl = [], []
        for n in range(1, 7):
            lp = os.path.join(tmp, "lp", "week-%02d.lp" % n)
            if not os.path.exists(lp):
                continue
            dt, st = highs_time(lp)
            hs.append("%.3f" % dt if dt is not None else st)
            dt, st = glpsol_time(lp)
            gl.append("%.3f%s" % (dt, "" if st == "optimal" else "*"))
        print("| %s | %.3f s | %d of %d | %s | %s | %s |" % (name, statistics.median(times), proven, len(weeks), ours, ", ".join(hs), ", ".join(gl)))
print()
print("In-process time per week includes every solve of the week (the full-minimum attempt, the LP bound and each coverage level tried); HiGHS and glpsol solve only the week's final model. * glpsol did not prove it.")
