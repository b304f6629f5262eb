#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/results/latest.md with machine, date and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
bench="$(swift build -c release --static-swift-stdlib --show-bin-path)/relief-bench"
relief="$(swift build -c release --static-swift-stdlib --show-bin-path)/relief"
serve="$(swift build -c release --static-swift-stdlib --show-bin-path)/relief-serve"
clinicbench="$(swift build -c release --static-swift-stdlib --show-bin-path)/relief-clinic-bench"
out=benchmarks/results/latest.md
mkdir -p benchmarks/results
{
  echo "# Relief benchmark results"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(uname -sr)"
  echo "- GLPK $(glpsol --version | head -1 | awk '{print $NF}'); $(swift --version 2>&1 | head -1)"
  echo
  echo "## Solver core: the wrapper against direct C calls and glpsol (covering MILP, gap 1e-4)"
  echo
  "$bench" core
  echo
  echo "## relief plan --minutes 15 on the shipped catalogue, against glpsol on its exported LP"
  echo
  "$bench" plan --relief "$relief" --data data
  echo
  echo "## relief tune on 10,000 synthetic sessions"
  echo
  "$bench" tune --relief "$relief" --data data
  echo
  echo "## Compare plans: Relief's optimum against greedy, single techniques and a template"
  echo
  "$bench" compare --data data --out benchmarks/results
  echo
  echo "## Many people, one catalogue: relief batch"
  echo
  "$bench" batch --relief "$relief" --data data
  echo
  echo "## A 6-week programme (relief programme), in-process per week against HiGHS and glpsol"
  echo
  python3 benchmarks/programme.py "$relief" data
  echo
  echo "## relief serve under load (wrk), against relief batch on the same requests"
  echo
  python3 benchmarks/serve.py "$relief" "$serve" "$bench" data --soak "${SOAK_SECONDS:-300}"
  echo
  echo "## The clinic (issue 24): the store in process, then the list and log routes through relief-serve under wrk"
  echo
  tests/clinic/postgres.sh python3 benchmarks/clinic_http.py "$clinicbench" "$serve"
  echo
  echo "## Race the solvers on the same model"
  echo
  "$bench" race
} | tee "$out.tmp"
mv "$out.tmp" "$out"
echo "written to $out" >&2
