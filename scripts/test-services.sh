#!/usr/bin/env bash
# Throw-away PostgreSQL and Redis servers for the tests, on loopback, in one temporary folder.
#
#   eval "$(bash scripts/test-services.sh start)"   # starts both; prints the exports the tests read
#   bash scripts/test-services.sh stop-postgres | start-postgres | stop-redis | start-redis
#   bash scripts/test-services.sh stop              # stops both and removes the folder
#
# The folder is $JWTDEVICES_SERVICES_DIR (start creates one and exports it). PostgreSQL runs as the
# "postgres" system user when started by root, since it refuses to run as root.
set -euo pipefail

pg_port=${JWTDEVICES_PG_PORT:-55432}
redis_port=${JWTDEVICES_REDIS_PORT:-56379}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

as_postgres() {
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

need_dir() {
  : "${JWTDEVICES_SERVICES_DIR:?run 'eval \"\$(bash scripts/test-services.sh start)\"' first}"
}

start_postgres() {
  need_dir
  as_postgres "$pg_bin/pg_ctl" -D "$JWTDEVICES_SERVICES_DIR/pg" -l "$JWTDEVICES_SERVICES_DIR/pg.log" -w -t 30 \
    -o "-p $pg_port -k $JWTDEVICES_SERVICES_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
}

stop_postgres() {
  need_dir
  as_postgres "$pg_bin/pg_ctl" -D "$JWTDEVICES_SERVICES_DIR/pg" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

start_redis() {
  need_dir
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$JWTDEVICES_SERVICES_DIR" --pidfile "$JWTDEVICES_SERVICES_DIR/redis.pid" \
    --logfile "$JWTDEVICES_SERVICES_DIR/redis.log" >/dev/null
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "test-services: redis did not start" >&2
  exit 1
}

stop_redis() {
  need_dir
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 || return 0
    sleep 0.1
  done
}

case ${1:-} in
  start)
    [[ -n $pg_bin ]] || { echo "test-services: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
    command -v redis-server >/dev/null || { echo "test-services: Redis is not installed (apt-get install redis-server)" >&2; exit 1; }
    JWTDEVICES_SERVICES_DIR=$(mktemp -d /tmp/jwtdevices-services.XXXXXX)
    export JWTDEVICES_SERVICES_DIR
    chmod 755 "$JWTDEVICES_SERVICES_DIR"
    mkdir -p "$JWTDEVICES_SERVICES_DIR/pg" "$JWTDEVICES_SERVICES_DIR/sock"
    touch "$JWTDEVICES_SERVICES_DIR/pg.log"
    [[ $(id -u) == 0 ]] && chown postgres "$JWTDEVICES_SERVICES_DIR/pg" "$JWTDEVICES_SERVICES_DIR/sock" "$JWTDEVICES_SERVICES_DIR/pg.log"
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
    echo "$password" >"$JWTDEVICES_SERVICES_DIR/pgpass"
    chmod 644 "$JWTDEVICES_SERVICES_DIR/pgpass"
    as_postgres "$pg_bin/initdb" -D "$JWTDEVICES_SERVICES_DIR/pg" -U postgres --auth=scram-sha-256 \
      --pwfile="$JWTDEVICES_SERVICES_DIR/pgpass" >/dev/null
    start_postgres
    start_redis
    echo "export JWTDEVICES_SERVICES_DIR='$JWTDEVICES_SERVICES_DIR'"
    echo "export JWTDEVICES_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$password'"
    echo "export JWTDEVICES_TEST_REDIS='127.0.0.1:$redis_port'"
    ;;
  stop)
    need_dir
    stop_redis
    stop_postgres
    rm -rf "$JWTDEVICES_SERVICES_DIR"
    ;;
  start-postgres) start_postgres ;;
  stop-postgres) stop_postgres ;;
  start-redis) start_redis ;;
  stop-redis) stop_redis ;;
  *)
    echo "usage: test-services.sh start | stop | start-postgres | stop-postgres | start-redis | stop-redis" >&2
    exit 2
    ;;
esac
