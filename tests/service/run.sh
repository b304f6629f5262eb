#!/usr/bin/env bash
# The service's outside-in tests, run by `make test` after the Swift tests:
#   1. starts relief-serve (the debug build) on a free loopback port,
#   2. schemathesis: every check against openapi.yaml (the contract), which must find nothing,
#   3. the browser test: Debian's Chromium driven by Playwright fills the page's form,
#   (then resilience, the clinic's contract, the crash test and the clinic's story in Chromium),
# and stops the server whatever happens. Output (screenshots, the printed handout, the
# schemathesis report) goes to .build/service-test/.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(swift build --show-bin-path)/relief-serve"
OUT=.build/service-test
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-40}"
mkdir -p "$OUT"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" --port "$PORT" --max-seconds 4 --queue 16 >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    kill -0 $SERVER 2>/dev/null || { echo "relief-serve did not start:"; cat "$OUT/server.log"; exit 1; }
    sleep 0.1
done
echo "relief-serve is up on port $PORT"

status=0
# Every operation with every check. The programme (seconds per valid request on this debug
# build) gets every negative case but only a few valid ones, and the frontier fewer examples,
# so the suite stays within CI's budget; the Swift tests check their contents.
contract() {
    local name="$1"; shift
    echo "== contract: schemathesis, all checks: $name"
    if ( cd tests/service && schemathesis --config-file schemathesis.toml run ../../openapi.yaml \
            -u "http://127.0.0.1:$PORT" --checks all --exclude-checks unsupported_method \
            --continue-on-failure --request-timeout 30 -w 2 --seed 20261125 "$@" ) >"$OUT/schemathesis-$name.log" 2>&1; then
        grep -E "generated|No issues" "$OUT/schemathesis-$name.log" | tail -2
    else
        tail -40 "$OUT/schemathesis-$name.log"
        echo "schemathesis found problems: $OUT/schemathesis-$name.log"
        status=1
    fi
}
contract all -n "$EXAMPLES" --exclude-path /v1/programme --exclude-path /v1/frontier
contract frontier -n 5 --include-path /v1/frontier
contract programme-negative -n 5 --include-path /v1/programme --mode negative
contract programme-positive -n 3 --include-path /v1/programme --mode positive --phases examples,fuzzing

echo "== the page in Chromium (Playwright)"
python3 tests/service/browser_test.py "http://127.0.0.1:$PORT" "$OUT" || status=1

# Slow clients, oversized shapes, the deadline and the security headers, against a server of
# its own with a short idle timeout.
echo "== resilience: slow clients, oversized bodies, the deadline, security headers"
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" --port "$PORT2" --max-seconds 4 --idle-timeout 2 --threads 1 >"$OUT/server-resilience.log" 2>&1 &
SERVER2=$!
trap 'kill $SERVER $SERVER2 2>/dev/null; wait $SERVER $SERVER2 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT2/healthz" >/dev/null && break; sleep 0.1; done
python3 tests/service/resilience_test.py "http://127.0.0.1:$PORT2" || status=1
kill -0 $SERVER2 2>/dev/null || { echo "relief-serve (resilience) died:"; tail -20 "$OUT/server-resilience.log"; status=1; }

# The clinic's contract (openapi-clinic.yaml) against a server of its own with a throwaway SQLite
# clinic, signed in with a bearer token. Sign-out is left out: it would revoke the run's token.
echo "== contract: schemathesis, the clinic's routes, signed in"
CLINIC=$(mktemp -d /tmp/relief-clinic-contract.XXXXXX)
printf '%s\n' 'contract test passphrase' >"$CLINIC/pw"
"$BIN" --clinic "$CLINIC/clinic.sqlite" --create-clinic "Contract" --clinician-email contract@example.org \
    --password-file "$CLINIC/pw" >"$OUT/clinic-setup.log" 2>&1
PORT3=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --max-seconds 4, as for the service: a prescription's preview plans a whole programme, and a
# long one on this debug build is answered 503 (documented) rather than holding the run.
"$BIN" --port "$PORT3" --threads 1 --max-seconds 4 --clinic "$CLINIC/clinic.sqlite" >"$OUT/server-clinic.log" 2>&1 &
SERVER3=$!
trap 'kill $SERVER $SERVER2 $SERVER3 2>/dev/null; wait $SERVER $SERVER2 $SERVER3 2>/dev/null || true; rm -rf "$CLINIC"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT3/healthz" >/dev/null && break; sleep 0.1; done
CSRF=$(curl -sf -c "$CLINIC/jar" -H 'Content-Type: application/json' \
    -d '{"email": "contract@example.org", "password": "contract test passphrase"}' \
    "http://127.0.0.1:$PORT3/v1/clinic/sign-in" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')
TOKEN=$(curl -sf -b "$CLINIC/jar" -H "X-CSRF-Token: $CSRF" -X POST "http://127.0.0.1:$PORT3/v1/clinic/tokens" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
curl -sf "http://127.0.0.1:$PORT3/openapi-clinic.yaml" >"$OUT/openapi-clinic.yaml"
# ignored_auth is left out: the bearer header is sent with every case, so a case whose generated
# cookie is bad still carries good credentials (the Swift tests walk the authorisation matrix).
SPEC=$(realpath "$OUT/openapi-clinic.yaml")
if ( cd tests/service && schemathesis --config-file schemathesis-clinic.toml run "$SPEC" \
        -u "http://127.0.0.1:$PORT3" -H "Authorization: Bearer $TOKEN" --checks all \
        --exclude-checks unsupported_method,ignored_auth --exclude-path /v1/clinic/sign-out \
        -n "$EXAMPLES" --continue-on-failure --request-timeout 30 -w 1 --seed 20261201 ) >"$OUT/schemathesis-clinic.log" 2>&1; then
    grep -E "generated|No issues" "$OUT/schemathesis-clinic.log" | tail -2
else
    tail -40 "$OUT/schemathesis-clinic.log"
    echo "schemathesis found problems: $OUT/schemathesis-clinic.log"
    status=1
fi
kill -0 $SERVER3 2>/dev/null || { echo "relief-serve (clinic) died:"; tail -20 "$OUT/server-clinic.log"; status=1; }

# An acknowledged write survives a crash: kill -9 a clinic server (SQLite) in the middle of a
# burst of patients' logs, start it again, and find every 201-acknowledged entry in the export.
echo "== crash: kill -9 in a burst of logs"
python3 tests/service/crash_test.py "$BIN" "$OUT" || status=1

# The clinic's whole story in Chromium: a clinician signs in, adds patients, prescribes with an
# exercise locked in, previews, publishes and makes a link; the patient on a phone walks the
# guided session, logs pain and a red flag; the list shows the alert first; CSRF refused.
echo "== the clinic's story in Chromium (Playwright)"
python3 tests/service/clinic_story.py "$BIN" "$OUT" || status=1

kill -0 $SERVER 2>/dev/null || { echo "relief-serve died during the tests:"; tail -20 "$OUT/server.log"; status=1; }
exit $status
