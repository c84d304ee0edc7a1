#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, then deletes the cluster.
#
#   scripts/with-throwaway-pg.sh ctest --test-dir build --output-on-failure
#
# Starts PostgreSQL (15 unless PGBIN says otherwise) on 127.0.0.1 at the first free port from
# 55432 up, with fsync off, in a temporary data dir. Creates the role and database `onestop`
# (password `onestop`; the role owns the database, so it may create schemas; not a superuser)
# and exports ONESTOP_TEST_PG_URL=postgresql://onestop:onestop@127.0.0.1:PORT/onestop.
# Exits with the command's exit code; the cluster is stopped and deleted on every exit path.
# As root the server runs as the `postgres` OS user (PostgreSQL refuses root); otherwise as the
# current user.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$PGBIN/pg_ctl" ]]; then
  echo "with-throwaway-pg: no pg_ctl in $PGBIN (install postgresql-15 or set PGBIN)" >&2
  exit 2
fi

if [[ $(id -u) -eq 0 ]]; then
  as_server_user() { runuser -u postgres -- "$@"; }
else
  as_server_user() { "$@"; }
fi

# Everything lives under one work dir (data, socket, logs) that the EXIT trap deletes.
WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/onestop-pg.XXXXXX")
PGDATA=$WORKDIR/data
# Also stops a server whose start timed out but which is still running.
stop_server() {
  if [[ -f "$PGDATA/postmaster.pid" ]]; then
    as_server_user "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}
cleanup() {
  stop_server
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
# A signal ends the script through the EXIT trap with the usual 128+N status.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$WORKDIR"
fi

# Local (socket) logins are trusted for the setup below; TCP logins need the password, so the
# tests exercise real authentication.
as_server_user "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$WORKDIR/initdb.log" 2>&1 || {
  cat "$WORKDIR/initdb.log" >&2
  exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Another cluster may grab a port between the check and the start, so a failed start moves on
# to the next port.
PORT=""
for candidate in $(seq 55432 55531); do
  port_in_use "$candidate" && continue
  if as_server_user "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORKDIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $candidate -k $WORKDIR -c max_connections=200 \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    PORT=$candidate
    break
  fi
  stop_server
done
if [[ -z "$PORT" ]]; then
  echo "with-throwaway-pg: PostgreSQL did not start on any port in 55432-55531" >&2
  tail -n 20 "$WORKDIR/server.log" >&2 || true
  exit 1
fi

admin_psql() {
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$WORKDIR" -p "$PORT" -U postgres -d postgres "$@"
}
# CREATE DATABASE cannot run inside the implicit transaction of a multi-statement -c.
admin_psql -c "CREATE ROLE onestop LOGIN PASSWORD 'onestop'" \
  -c "CREATE DATABASE onestop OWNER onestop"

export ONESTOP_TEST_PG_URL="postgresql://onestop:onestop@127.0.0.1:$PORT/onestop"
echo "with-throwaway-pg: PostgreSQL $("$PGBIN/pg_ctl" --version | awk '{print $3}') at" \
  "$ONESTOP_TEST_PG_URL (files in $WORKDIR, removed on exit)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
