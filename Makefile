# Relief: the two commands in the README are `make plan` and `make test`.
# Both install GLPK (Debian's libglpk-dev) first when it is missing.

SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MINUTES ?= 20

.PHONY: all deps clinic-deps test-deps service-test-deps spark-test-deps bench-deps plan build release serve test test-service fuzz fuzz-build bench clean

FUZZ_SECONDS ?= 60

all: build

# libglpk-dev for the library; glpk-utils gives glpsol, which the tests use to cross-check
# exported models and the benchmarks race against.
deps:
	@if [ ! -f /usr/include/glpk.h ] || ! command -v glpsol >/dev/null; then \
		echo "installing libglpk-dev and glpk-utils (GLPK 5.0) with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libglpk-dev glpk-utils; \
	fi

# The clinic's store (ReliefClinic) links the system SQLite through GRDB: its headers come from
# Debian's libsqlite3-dev. PostgreSQL for its tests is installed by tests/clinic/postgres.sh.
clinic-deps:
	@if [ ! -f /usr/include/sqlite3.h ]; then \
		echo "installing libsqlite3-dev with apt-get (the clinic's store)"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev; \
	fi

# The benchmarks' peers: CBC from Debian, HiGHS and PuLP from PyPI.
bench-deps: deps
	@command -v cbc >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq coinor-cbc; }
	@python3 -c "import highspy, pulp, numpy" 2>/dev/null || python3 -m pip install -q highspy pulp numpy
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

build: deps clinic-deps
	$(SWIFT) build

# Linked statically against the Swift runtime and Foundation: starting the command drops
# from about 9 ms to about 4 ms (benchmarks/README.md).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product relief

# The main job: a routine for $(MINUTES) minutes (the full one, or a partial one when the time is
# shorter), for a person with no equipment who has read the red-flag questions
# (`relief screen --list`) and has none. A partial routine exits 0; exit 3 (nothing usable fits
# in the time) is a failure and stops make, after printing how long the full routine needs.
plan: release
	"$$($(SWIFT) build -c release --show-bin-path)/relief" plan --minutes $(MINUTES) --screen clear

# Python's icalendar reads the programme's .ics in a test (as a calendar app would), and
# fhir.resources (8.x, its R4B models) validates the FHIR export (tests/fhir/validate.py).
test-deps: deps clinic-deps
	@python3 -c "import icalendar" 2>/dev/null || { \
		python3 -m pip --version >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; }; \
		python3 -m pip install -q icalendar 2>/dev/null || python3 -m pip install -q --break-system-packages icalendar; }
	@python3 -c "import fhir.resources.R4B" 2>/dev/null || { \
		python3 -m pip --version >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; }; \
		python3 -m pip install -q "fhir.resources>=8,<9" 2>/dev/null || python3 -m pip install -q --break-system-packages "fhir.resources>=8,<9"; }

# The service's outside-in tests need a real browser and the contract tester: Debian's
# Chromium (no browser download) with Playwright for Python, and schemathesis.
service-test-deps:
	@command -v chromium >/dev/null && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || { \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core curl; }
	@python3 -c "import playwright, schemathesis" 2>/dev/null || \
		python3 -m pip install -q playwright schemathesis 2>/dev/null || python3 -m pip install -q --break-system-packages playwright schemathesis

# The population-scale batch on Apache Spark (spark/relief_batch.py): Java from Debian and
# pyspark from PyPI, for a local-mode test against a direct run.
PYSPARK_VERSION ?= 4.3.0
spark-test-deps:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; }
	@python3 -c "import pyspark" 2>/dev/null || \
		python3 -m pip install -q pyspark==$(PYSPARK_VERSION) 2>/dev/null || python3 -m pip install -q --break-system-packages pyspark==$(PYSPARK_VERSION)

# The server's in-process tests run on their own: their test client times out after 20 s
# (HummingbirdTesting's), and a handler waits for a cooperative thread that the library's
# long synchronous tests would otherwise hold (a loaded CI run timed one out).
# The main run has a throwaway PostgreSQL beside it (tests/clinic/postgres.sh), so the clinic
# store's tests run against SQLite and PostgreSQL in the same Swift test run.
test: test-deps service-test-deps spark-test-deps
	$(SWIFT) build --build-tests
	tests/clinic/postgres.sh $(SWIFT) test --skip-build --skip ReliefServerTests
	$(SWIFT) test --skip-build --filter ReliefServerTests
	tests/service/run.sh
	tests/spark/run.sh
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

# Only the service's outside-in tests (contract and browser), against the debug build.
test-service: service-test-deps
	$(SWIFT) build --product relief-serve
	tests/service/run.sh

# The service and its page on http://127.0.0.1:$(PORT)/ (release build; Ctrl-C stops it).
PORT ?= 8080
serve: deps
	$(SWIFT) build -c release --static-swift-stdlib --product relief-serve
	"$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/relief-serve" --port $(PORT)

# libFuzzer over every loader (CSV catalogue and causes, JSON profile, batch line, weights,
# outcome logs), from a copy of the committed seed corpus: $(FUZZ_SECONDS) s in `make test`,
# `make fuzz FUZZ_SECONDS=600` for longer. A finding stops with the crashing input saved.
fuzz-build: deps
	$(SWIFT) build --product relief-fuzz --scratch-path .build-fuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DRELIEF_FUZZ

fuzz: fuzz-build
	@rm -rf .build-fuzz/corpus && mkdir -p .build-fuzz/corpus .build-fuzz/findings && cp fuzz/corpus/* .build-fuzz/corpus/
	.build-fuzz/debug/relief-fuzz .build-fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=4096 \
		-artifact_prefix=.build-fuzz/findings/ -print_final_stats=1 2>&1 | grep -E "^(Done|INFO: seed|stat::number_of_executed_units|==[0-9]+==|SUMMARY|artifact_prefix)|ERROR|crash" ; \
		status=$${PIPESTATUS[0]}; echo "fuzz: libFuzzer exited $$status"; exit $$status
bench: release bench-deps
	$(SWIFT) build -c release --static-swift-stdlib --product relief-bench
	$(SWIFT) build -c release --static-swift-stdlib --product relief-serve
	$(SWIFT) build -c release --static-swift-stdlib --product relief-clinic-bench
	benchmarks/run.sh

clean:
	rm -rf .build .build-fuzz benchmarks/.build
