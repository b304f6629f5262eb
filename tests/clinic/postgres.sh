#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster beside it, for the clinic store's tests:
#
#   tests/clinic/postgres.sh swift test --filter ReliefClinicTests
#
# Installs Debian's postgresql-15 when initdb is missing, makes a cluster in a temporary folder
# (trust authentication, superuser "relief"), starts it on a free port of 127.0.0.1 only, exports
# RELIEF_TEST_POSTGRES_URL=postgres://relief@127.0.0.1:PORT/postgres, runs the command, and
# stops the cluster and removes its folder on the way out, whatever the command did.
# initdb refuses to run as root, so as root the cluster runs as the postgres user.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

if [ $# -eq 0 ]; then
    echo "usage: tests/clinic/postgres.sh COMMAND [ARGUMENTS...]" >&2
    exit 2
fi

if [ ! -x "$PGBIN/initdb" ]; then
    echo "installing postgresql-15 with apt-get (for the clinic store's tests)" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

DIR=$(mktemp -d /tmp/relief-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$DIR"

stop() {
    as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop EXIT
trap 'exit 130' INT TERM

as_owner "$PGBIN/initdb" -D "$DIR/data" -A trust -U relief -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2; exit 1; }

# A free port: bind port 0 on loopback and read what the kernel chose. Another process could take
# it before PostgreSQL binds it; then the start fails and we try the next free one.
started=
for attempt in 1 2 3 4 5; do
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start >/dev/null; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "tests/clinic/postgres.sh: PostgreSQL did not start; its log:" >&2
    cat "$DIR/server.log" >&2 || true
    exit 1
fi

export RELIEF_TEST_POSTGRES_URL="postgres://relief@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT for: $*" >&2
status=0
"$@" || status=$?
exit $status
