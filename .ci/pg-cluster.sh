#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for the test suite, on 127.0.0.1.
#   source .ci/pg-cluster.sh start   -> exports TEST_PG_DSN (no password: trust on loopback)
#   source .ci/pg-cluster.sh stop
# As root, initdb refuses to run, so the cluster belongs to an unprivileged user "pgci"
# and lives in a temporary folder; the socket goes there too (-k), not /var/run/postgresql.
pg_cluster_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed"; return 1; }
  PG_CI_DIR=$(mktemp -d /tmp/cadredesk-pg.XXXXXX)
  # a free port (another cluster, e.g. a developer's, may hold the usual ones)
  PG_CI_PORT=${PG_CI_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id pgci >/dev/null 2>&1 || useradd -M -s /bin/false pgci
    chown pgci "$PG_CI_DIR"
    run=(runuser -u pgci --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_CI_DIR/data" -U cadre --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_CI_DIR/initdb.log" 2>&1 || { cat "$PG_CI_DIR/initdb.log"; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$PG_CI_DIR/data" \
    -o "-h 127.0.0.1 -p $PG_CI_PORT -k $PG_CI_DIR -c fsync=off -c max_connections=200" \
    -l "$PG_CI_DIR/pg.log" -w start >/dev/null || { cat "$PG_CI_DIR/pg.log"; return 1; }
  PG_CI_BIN=$bin
  PG_CI_RUN="${run[*]}"
  export PG_CI_DIR PG_CI_PORT PG_CI_BIN PG_CI_RUN
  export TEST_PG_DSN="postgresql://cadre@127.0.0.1:$PG_CI_PORT/postgres"
  export CADREDESK_REQUIRE_PG=1  # the pg half fails, not skips, if the server is unusable
  echo "== postgresql: private cluster on 127.0.0.1:$PG_CI_PORT ($PG_CI_DIR)"
}

pg_cluster_stop() {
  [ -n "${PG_CI_DIR:-}" ] || return 0
  # shellcheck disable=SC2086
  $PG_CI_RUN "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_CI_DIR"
  echo "== postgresql: cluster stopped"
  PG_CI_DIR=""
}

case "${1:-}" in
  start) pg_cluster_start ;;
  stop) pg_cluster_stop ;;
esac
