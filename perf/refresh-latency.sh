#!/usr/bin/env bash
# Refresh latency against the size of the device table: POST /device-refresh-token/ on the JwtDevices
# server (Release) over PostgreSQL, with 1,000 devices in one database and 1,000,000 in another, each
# served by its own server process; wrk sends a random device's permanent token per request
# (perf/wrk/random-permanent-token.lua). Rounds alternate between the two, after one unmeasured warm-up each.
#
# The devices are filled in SQL (generate_series): permanent tokens "bench-token-<n>" stored as SHA-256,
# random key salts, all of one user and last seen at the start, so no refresh in the run writes the
# last-seen time (it moves once per PermanentTokenExpirationAccuracy): each refresh reads the device by
# its token hash and the user by id, and signs a token.
#
# Usage: perf/refresh-latency.sh
# Settings (environment): POSTGRES (an Npgsql connection string to a superuser; default: start a
# throw-away server with scripts/test-services.sh), SMALL=1000 LARGE=1000000 ROUNDS=5 DURATION=15s
# WARMUP=5s THREADS=2 CONNECTIONS=8 SMALL_PORT=5311 LARGE_PORT=5312
set -euo pipefail

small=${SMALL:-1000}
large=${LARGE:-1000000}
rounds=${ROUNDS:-5}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
small_port=${SMALL_PORT:-5311}
large_port=${LARGE_PORT:-5312}

root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "refresh-latency.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v psql >/dev/null || { echo "refresh-latency.sh: psql is required (apt-get install postgresql-client)" >&2; exit 1; }
for port in "$small_port" "$large_port"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "refresh-latency.sh: port $port is already in use" >&2
    exit 1
  fi
done

work=$(mktemp -d)
source "$root/perf/lib/postgres-server.sh"
cleanup() {
  pg_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_start
build_server
server_environment

declare -A database=([small]=jwtdevices_bench_small [large]=jwtdevices_bench_large)
declare -A count=([small]=$small [large]=$large)
declare -A port=([small]=$small_port [large]=$large_port)
for size in small large; do
  echo "Filling ${database[$size]} with ${count[$size]} devices..."
  user_id=$(new_database "${database[$size]}")
  start=$(date +%s.%N)
  fill_devices "${database[$size]}" bench-token- "${count[$size]}" "$user_id" "$(now_us)"
  printf '  filled in %.1f s; table and indexes: %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" \
    "$(psql -d "${database[$size]}" -qAtc "select pg_size_pretty(pg_total_relation_size('jwt_devices'))")"
  start_server "${database[$size]}" "${port[$size]}"
  expect_refresh "${port[$size]}" bench-token-1
  expect_refresh "${port[$size]}" "bench-token-${count[$size]}"
done

echo "Warm-up: $warmup each (not counted)."
for size in small large; do
  wrk_refresh "$size" "${port[$size]}" bench-token- "${count[$size]}" "$warmup" >/dev/null
done

echo "Measuring: wrk -t${THREADS:-2} -c${CONNECTIONS:-8} -d$duration --latency, $rounds rounds, alternating which table goes first."
declare -a small_rps small_p50 small_p99 large_rps large_p50 large_p99 p50_ratios p99_ratios
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then order=(small large); else order=(large small); fi
  for size in "${order[@]}"; do
    result=$(wrk_refresh "$size" "${port[$size]}" bench-token- "${count[$size]}" "$duration")
    read -r rps p50 p99 _ <<<"$result"
    eval "${size}_rps+=($rps) ${size}_p50+=($p50) ${size}_p99+=($p99)"
  done
  p50_ratios+=("$(awk -v a="${large_p50[-1]}" -v b="${small_p50[-1]}" 'BEGIN { print a / b }')")
  p99_ratios+=("$(awk -v a="${large_p99[-1]}" -v b="${small_p99[-1]}" 'BEGIN { print a / b }')")
  printf '  round %d: %s devices %6.0f req/s p50 %6.2f ms p99 %6.2f ms   %s devices %6.0f req/s p50 %6.2f ms p99 %6.2f ms   p50 ratio %.3f   p99 ratio %.3f\n' \
    "$round" "$small" "${small_rps[-1]}" "${small_p50[-1]}" "${small_p99[-1]}" \
    "$large" "${large_rps[-1]}" "${large_p50[-1]}" "${large_p99[-1]}" "${p50_ratios[-1]}" "${p99_ratios[-1]}"
done

printf 'Median: %s devices %6.0f req/s p50 %6.2f ms p99 %6.2f ms   %s devices %6.0f req/s p50 %6.2f ms p99 %6.2f ms\n' \
  "$small" "$(median "${small_rps[@]}")" "$(median "${small_p50[@]}")" "$(median "${small_p99[@]}")" \
  "$large" "$(median "${large_rps[@]}")" "$(median "${large_p50[@]}")" "$(median "${large_p99[@]}")"
printf 'Median of the round ratios (%s / %s devices): p50 %.3f (target: 1.5 or less), p99 %.3f\n' \
  "$large" "$small" "$(median "${p50_ratios[@]}")" "$(median "${p99_ratios[@]}")"
