#!/usr/bin/env bash
# HTTP load test of the authentication hot path: GET /me on the JwtDevices server against the same
# endpoint behind plain, stateless JwtBearer (perf/JwtDevices.LoadBaseline), with wrk, on loopback only.
# Runs alternate between the two apps, after one unmeasured warm-up run each.
#
# Usage: perf/load.sh
# Settings (environment): ROUNDS=3 DURATION=15s WARMUP=5s THREADS=2 CONNECTIONS=32 DEVICES_PORT=5301 BASELINE_PORT=5302
set -euo pipefail

rounds=${ROUNDS:-3}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
devices_port=${DEVICES_PORT:-5301}
baseline_port=${BASELINE_PORT:-5302}

root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "load.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
for port in "$devices_port" "$baseline_port"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "load.sh: port $port is already in use" >&2
    exit 1
  fi
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Building both apps (Release)..."
build() { # project output
  dotnet build "$root/$1" -c Release -o "$2" --nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
}
build src/JwtDevices.Server/JwtDevices.Server.csproj "$work/server"
build perf/JwtDevices.LoadBaseline/JwtDevices.LoadBaseline.csproj "$work/baseline"

# Configuration of both apps, through the environment (it overrides appsettings.json).
export Logging__LogLevel__Default=Warning
export ConnectionStrings__Default="Data Source=$work/jwtdevices.db"
export JwtDevices__SigningKey=$(head -c 32 /dev/urandom | base64)
export JwtDevices__AccessTokenLifetime=01:00:00 # outlives the whole run
export Baseline__SigningKey=$(head -c 32 /dev/urandom | base64)

wait_until_up() { # url
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "load.sh: $1 did not start" >&2
  exit 1
}

expect_ok() { # name url token
  local status
  status=$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $3" "$2")
  if [[ $status != 200 ]]; then
    echo "load.sh: $1 answered $status to GET /me" >&2
    exit 1
  fi
  echo "  $1 GET /me: $(cat "$work/body")"
}

echo "Starting the JwtDevices server on 127.0.0.1:$devices_port (SQLite in a temporary directory)..."
dotnet "$work/server/JwtDevices.Server.dll" users add bench --password bench-password --email bench@example.com >/dev/null
dotnet "$work/server/JwtDevices.Server.dll" --contentRoot "$work/server" --urls "http://127.0.0.1:$devices_port" \
  >"$work/server.log" 2>&1 &
pids+=($!)
wait_until_up "http://127.0.0.1:$devices_port/me"
login=$(curl -sf -X POST "http://127.0.0.1:$devices_port/auth-token/" -H 'Content-Type: application/json' \
  -H 'X-Device-Model: wrk' -d '{"username":"bench","password":"bench-password"}')
devices_token=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$login")

echo "Starting the JwtBearer baseline on 127.0.0.1:$baseline_port..."
dotnet "$work/baseline/JwtDevices.LoadBaseline.dll" --contentRoot "$work/baseline" --urls "http://127.0.0.1:$baseline_port" \
  >"$work/baseline.log" 2>&1 &
pids+=($!)
wait_until_up "http://127.0.0.1:$baseline_port/me"
baseline_token=$(dotnet "$work/baseline/JwtDevices.LoadBaseline.dll" --print-token)

expect_ok JwtDevices "http://127.0.0.1:$devices_port/me" "$devices_token"
expect_ok JwtBearer "http://127.0.0.1:$baseline_port/me" "$baseline_token"

run() { # name port token duration -> prints requests/sec
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$4" -H "Authorization: Bearer $3" "http://127.0.0.1:$2/me")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "load.sh: $1 had failed requests:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

echo "Warm-up: $warmup each (not counted)."
run JwtDevices "$devices_port" "$devices_token" "$warmup" >/dev/null
run JwtBearer "$baseline_port" "$baseline_token" "$warmup" >/dev/null

echo "Measuring: wrk -t$threads -c$connections -d$duration, $rounds rounds, alternating which app goes first."
devices_results=()
baseline_results=()
ratios=()
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then
    devices_results+=("$(run JwtDevices "$devices_port" "$devices_token" "$duration")")
    baseline_results+=("$(run JwtBearer "$baseline_port" "$baseline_token" "$duration")")
  else
    baseline_results+=("$(run JwtBearer "$baseline_port" "$baseline_token" "$duration")")
    devices_results+=("$(run JwtDevices "$devices_port" "$devices_token" "$duration")")
  fi
  ratios+=("$(awk -v a="${devices_results[-1]}" -v b="${baseline_results[-1]}" 'BEGIN { print a / b }')")
  printf '  round %d: JwtDevices %10.0f req/s   JwtBearer %10.0f req/s   ratio %.3f\n' "$round" \
    "${devices_results[-1]}" "${baseline_results[-1]}" "${ratios[-1]}"
done

mean() { printf '%s\n' "$@" | awk '{ sum += $1 } END { print sum / NR }'; }
devices_mean=$(mean "${devices_results[@]}")
baseline_mean=$(mean "${baseline_results[@]}")
printf 'Mean:      JwtDevices %10.0f req/s   JwtBearer %10.0f req/s   ratio %.3f (target: 0.9 or more)\n' \
  "$devices_mean" "$baseline_mean" "$(awk -v a="$devices_mean" -v b="$baseline_mean" 'BEGIN { print a / b }')"
# The median of the rounds' ratios resists a round disturbed by other work on the machine.
printf 'Median of the round ratios: %.3f\n' \
  "$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ r[NR] = $1 } END { print NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }')"
