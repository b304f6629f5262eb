"""The PuLP peer for `relief batch`: the same requests, the same catalogue, the same first-stage
model (minimum time: units and used-or-not per exercise, blend caps as bounds, coverage rows, a
budget row, an optional cap on exercises), solved one by one with PuLP's GLPK back end (which
writes a file and runs glpsol per solve). It does less work than Relief per request: no
tie-break, no over-budget fallback.

usage: python3 pulp_loop.py DATA_DIR REQUESTS.jsonl COUNT
prints: requests solved, seconds, plans per second
"""
import csv, json, math, sys, time
import pulp

data, requests_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])

def rows(path):
    with open(path) as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))

causes = rows(f"{data}/causes.csv")
exercises = rows(f"{data}/exercises.csv")
requests = [json.loads(line) for line in open(requests_path)][:count]

start = time.perf_counter()
statuses = {}
for r in requests:
    minimums = {c["id"]: float(r.get("minimums", {}).get(c["id"], c["default_minimum"])) for c in causes}
    share = r.get("max_share", 0.5)
    have = None if "equipment" not in r else set(r["equipment"])
    m = pulp.LpProblem("routine", pulp.LpMinimize)
    time_terms, cover = [], {c["id"]: [] for c in causes}
    ys = []
    for ex in exercises:
        if set(filter(None, ex["avoid_if"].split(";"))) & set(r.get("conditions", [])):
            continue
        if have is not None and any(e not in have for e in filter(None, ex["equipment"].split(";"))):
            continue
        if ex["id"] in r.get("exclude", []):
            continue
        u = float(ex["max_units"])
        for c in causes:
            b = float(ex[c["id"]])
            if b > 0 and minimums[c["id"]] > 0:
                u = min(u, share * minimums[c["id"]] / b)
        whole = ex["whole"] == "yes"
        if whole:
            u = math.floor(u + 1e-9)
        if u <= 0:
            continue
        x = pulp.LpVariable("x_" + ex["id"].replace("-", "_"), 0, u, cat="Integer" if whole else "Continuous")
        y = pulp.LpVariable("y_" + ex["id"].replace("-", "_"), cat="Binary")
        m += x <= u * y
        ys.append(y)
        time_terms += [float(ex["seconds_per_unit"]) * x, float(ex["setup_seconds"]) * y]
        for c in causes:
            if float(ex[c["id"]]) > 0:
                cover[c["id"]].append(float(ex[c["id"]]) * x)
    m += pulp.lpSum(time_terms)
    for c in causes:
        m += pulp.lpSum(cover[c["id"]]) >= minimums[c["id"]]
    if "minutes" in r:
        m += pulp.lpSum(time_terms) <= r["minutes"] * 60
    if "max_exercises" in r:
        m += pulp.lpSum(ys) <= r["max_exercises"]
    m.solve(pulp.GLPK_CMD(msg=0))
    statuses[pulp.LpStatus[m.status]] = statuses.get(pulp.LpStatus[m.status], 0) + 1
elapsed = time.perf_counter() - start
print(json.dumps({"requests": len(requests), "seconds": elapsed, "plans_per_second": len(requests) / elapsed, "statuses": statuses}))
