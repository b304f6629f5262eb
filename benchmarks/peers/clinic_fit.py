#!/usr/bin/env python3
"""The peer of `relief tune --clinic` (relief-bench tune-clinic): NumPy fitting the same model
the same way, from the same files.

    python3 clinic_fit.py DATA_DIR CLINIC_DIR FOLDS BOOTSTRAP SEED

Model (README, "A clinic's outcomes"): improvement / range = a + b*week + sum_m s_m * D_m, D_m the
cumulative dose of modality m in hundreds of catalogue points; the current weights' model has one
common slope. Both by Huber's M-estimator: least squares, threshold 1.345 * median|r| / 0.6745,
Newton steps on the set of rows inside the threshold (kept when the objective does not rise) and,
if they stall, reweighting (at most 50 steps) and Newton again. Folds
and bootstrap draws come from the same SplitMix64 streams as Relief's, so the numbers agree.
Prints the slopes, the common slope, the CV errors and fit_seconds (the fit, CV and bootstrap).
"""
import csv, sys, time
import numpy as np

MASK = (1 << 64) - 1
MODALITIES = ["release", "mobilise", "stretch", "strengthen", "aerobic"]
RANGE = {"rmdq": 24.0, "odi": 100.0, "nprs": 10.0}


class SplitMix64:
    def __init__(self, seed): self.state = seed & MASK
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def huber(X, y, start=None):
    if start is None:
        beta = np.linalg.solve(X.T @ X, X.T @ y)
        r = np.abs(y - X @ beta)
        c = 1.345 * np.median(r) / 0.6745
    else:
        beta, c = start
        r = np.abs(y - X @ beta)
    if c <= 0:
        return beta, c
    def objective(a):
        return np.where(a <= c, a * a / 2, c * a - c * c / 2).sum()
    def newton(beta, r):
        best = objective(r)
        for _ in range(20):
            out = r > c
            s = y - X @ beta
            extra = (np.where(s[out] < 0, -c, c)[:, None] * X[out]).sum(axis=0)
            Xi = X[~out]
            try:
                nxt = np.linalg.solve(Xi.T @ Xi, Xi.T @ y[~out] + extra)
            except np.linalg.LinAlgError:
                return beta, r, False
            nr = np.abs(y - X @ nxt)
            v = objective(nr)
            if v > best: return beta, r, False
            settled = np.array_equal(nr <= c, r <= c)
            beta, r, best = nxt, nr, v
            if settled: return beta, r, True
        return beta, r, False
    beta, r, done = newton(beta, r)
    if done:
        return beta, c
    for _ in range(50):
        w = np.where(r <= c, 1.0, c / np.maximum(r, 1e-300))
        nxt = np.linalg.solve((X * w[:, None]).T @ X, (X * w[:, None]).T @ y)
        change = np.abs(nxt - beta).max(); size = np.abs(nxt).max()
        beta = nxt
        r = np.abs(y - X @ beta)
        if change <= 1e-9 * (1 + size): break
    beta, r, _ = newton(beta, r)
    return beta, c


def main():
    data, clinic, folds, bootstrap, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    causes = [r["id"] for r in rows(data + "/causes.csv")]
    ex = {r["id"]: (r["modality"], sum(float(r[c]) for c in causes) / 100) for r in rows(data + "/exercises.csv")}
    patients = [(r["patient_id"], r["measure"], float(r["baseline"])) for r in rows(clinic + "/patients.csv")]
    done, scores = {}, {}
    for r in rows(clinic + "/done.csv"):
        done.setdefault(r["patient_id"], []).append((int(r["week"]), r["exercise_id"], float(r["units"])))
    for r in rows(clinic + "/scores.csv"):
        scores.setdefault(r["patient_id"], {})[int(r["week"])] = float(r["score"])
    used = {ex[e][0] for p, _, _ in patients if p in scores for _, e, u in done.get(p, []) if u > 0 and ex[e][1] > 0}
    mods = [m for m in MODALITIES if m in used]
    col = {m: k for k, m in enumerate(mods)}
    Y, W, D, spans = [], [], [], []
    for pid, measure, baseline in patients:
        if pid not in scores: continue
        start = len(Y)
        for week in sorted(scores[pid]):
            d = [0.0] * len(mods)
            for w, e, u in done.get(pid, []):
                if w <= week and ex[e][0] in col: d[col[ex[e][0]]] += u * ex[e][1]
            Y.append((baseline - scores[pid][week]) / RANGE[measure]); W.append(float(week)); D.append(d)
        spans.append(np.arange(start, len(Y)))
    t0 = time.perf_counter()
    y = np.array(Y); D = np.array(D)
    full = np.column_stack([np.ones(len(y)), W, D])
    common = np.column_stack([np.ones(len(y)), W, D.sum(axis=1)])
    P = len(spans)
    fb, fc = huber(full, y), huber(common, y)
    rng = SplitMix64(seed)
    order = list(range(P))
    for k in range(P - 1, 0, -1):
        j = rng.next() % (k + 1); order[k], order[j] = order[j], order[k]
    fold = np.zeros(P, dtype=int)
    for pos, p in enumerate(order): fold[p] = pos % folds
    cur = fit = 0.0
    for f in range(folds):
        train = np.concatenate([spans[p] for p in range(P) if fold[p] != f])
        test = np.concatenate([spans[p] for p in range(P) if fold[p] == f])
        b, _ = huber(full[train], y[train]); g, _ = huber(common[train], y[train])
        cur += np.abs(y[test] - common[test] @ g).sum(); fit += np.abs(y[test] - full[test] @ b).sum()
    brng = SplitMix64(seed ^ 0xB0075742)
    draws = []
    for _ in range(bootstrap):
        idx = np.concatenate([spans[brng.next() % P] for _ in range(P)])
        b, _ = huber(full[idx], y[idx], fb); g, _ = huber(common[idx], y[idx], fc)
        draws.append(b[2:])
    elapsed = time.perf_counter() - t0
    print("slopes " + ", ".join(f"{m} {fb[0][2 + k]:.6f}" for k, m in enumerate(mods)))
    print(f"common {fc[0][2]:.6f}")
    print(f"cv current {cur / len(y):.6f} fitted {fit / len(y):.6f}")
    if draws:
        lo, hi = np.percentile(np.array(draws), [2.5, 97.5], axis=0)
        print("intervals " + ", ".join(f"{m} {lo[k]:.6f}..{hi[k]:.6f}" for k, m in enumerate(mods)))
    print(f"fit_seconds {elapsed:.6f}")


main()
