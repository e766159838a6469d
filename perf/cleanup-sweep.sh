#!/usr/bin/env bash
# The expired-device cleanup at scale: fills PostgreSQL with 1,000,000 devices idle for longer than
# PermanentTokenLifetime (7 days) beside 1,000 live ones, times `devices purge-expired` end to end (the
# server's command line, a process of its own, as a cron job would run it), and measures the refresh
# latency of the live devices with wrk while the sweep runs against a run of the same length without it.
# The server (Release) serves the refreshes throughout; its own hourly cleanup is off.
#
# Usage: perf/cleanup-sweep.sh
# Settings (environment): POSTGRES (an Npgsql connection string to a superuser; default: start a
# throw-away server with scripts/test-services.sh), EXPIRED=1000000 LIVE=1000 SWEEPS=3 DURATION=15s
# WARMUP=5s THREADS=2 CONNECTIONS=8 PORT=5313
set -euo pipefail

expired=${EXPIRED:-1000000}
live=${LIVE:-1000}
sweeps=${SWEEPS:-3}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
port=${PORT:-5313}

root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "cleanup-sweep.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v psql >/dev/null || { echo "cleanup-sweep.sh: psql is required (apt-get install postgresql-client)" >&2; exit 1; }
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "cleanup-sweep.sh: port $port is already in use" >&2
  exit 1
fi

work=$(mktemp -d)
source "$root/perf/lib/postgres-server.sh"
wrk_pid=
cleanup() {
  [[ -n $wrk_pid ]] && kill "$wrk_pid" 2>/dev/null || true
  pg_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_start
build_server
server_environment

db=jwtdevices_bench_sweep
user_id=$(new_database "$db")
echo "Filling $db with $live live devices..."
fill_devices "$db" live-token- "$live" "$user_id" "$(now_us)"
start_server "$db" "$port"
expect_refresh "$port" live-token-1

# What the command costs with nothing to remove (start-up, migration check, the empty batches), for scale.
start=$(date +%s.%N)
server "$db" devices purge-expired >/dev/null
empty_seconds=$(echo "$(date +%s.%N) - $start" | bc)
printf 'devices purge-expired with nothing to remove: %.1f s end to end\n' "$empty_seconds"

echo "Warm-up: $warmup (not counted)."
wrk_refresh warm-up "$port" live-token- "$live" "$warmup" >/dev/null

declare -a sweep_seconds calm_p50 calm_p99 calm_max busy_p50 busy_p99 busy_max
for sweep in $(seq 1 "$sweeps"); do
  echo "Sweep $sweep: filling $expired devices last seen 8 days ago..."
  fill_devices "$db" "expired-$sweep-token-" "$expired" "$user_id" "$(( $(now_us) - 8 * 86400 * 1000000 ))"
  psql -d "$db" -qc 'checkpoint' >/dev/null

  read -r rps p50 p99 max <<<"$(wrk_refresh without "$port" live-token- "$live" "$duration")"
  calm_p50+=("$p50") calm_p99+=("$p99") calm_max+=("$max")
  printf '  without a sweep: %6.0f req/s p50 %6.2f ms p99 %6.2f ms max %7.2f ms\n' "$rps" "$p50" "$p99" "$max"

  # wrk runs until the sweep ends, then stops on SIGINT and prints what it saw.
  wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-8}" -d1h --timeout 30s --latency -s "$root/perf/wrk/random-permanent-token.lua" \
    "http://127.0.0.1:$port/device-refresh-token/" -- live-token- "$live" >"$work/wrk-during" 2>&1 &
  wrk_pid=$!
  sleep 1
  start=$(date +%s.%N)
  removed=$(server "$db" devices purge-expired)
  sweep_seconds+=("$(echo "$(date +%s.%N) - $start" | bc)")
  kill -INT "$wrk_pid"
  wait "$wrk_pid" || true
  wrk_pid=
  read -r rps p50 p99 max <<<"$(wrk_summary during "$(cat "$work/wrk-during")")"
  busy_p50+=("$p50") busy_p99+=("$p99") busy_max+=("$max")
  remaining=$(psql -d "$db" -qAtc 'select count(*) from jwt_devices')
  printf '  during the sweep: %6.0f req/s p50 %6.2f ms p99 %6.2f ms max %7.2f ms\n' "$rps" "$p50" "$p99" "$max"
  printf '  sweep: %s (%.1f s end to end); %s devices left\n' "$removed" "${sweep_seconds[-1]}" "$remaining"
  if [[ $remaining != "$live" ]]; then
    echo "cleanup-sweep.sh: expected $live devices left" >&2
    exit 1
  fi
done

printf 'Median over %d sweeps of %s expired devices: sweep %.1f s end to end (%.1f s with nothing to remove); refresh of live devices\n' \
  "$sweeps" "$expired" "$(median "${sweep_seconds[@]}")" "$empty_seconds"
printf '  without a sweep: p50 %6.2f ms p99 %6.2f ms max %7.2f ms\n' "$(median "${calm_p50[@]}")" "$(median "${calm_p99[@]}")" "$(median "${calm_max[@]}")"
printf '  during a sweep:  p50 %6.2f ms p99 %6.2f ms max %7.2f ms\n' "$(median "${busy_p50[@]}")" "$(median "${busy_p99[@]}")" "$(median "${busy_max[@]}")"
