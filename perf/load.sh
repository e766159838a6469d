#!/usr/bin/env bash
# HTTP load test of the authentication hot path: GET /me on the JwtDevices server against the same
# endpoint behind plain, stateless JwtBearer (perf/JwtDevices.LoadBaseline), with wrk, on loopback only.
# Runs alternate between the two apps, after one unmeasured warm-up run each.
#
# DEVICES=N spreads the requests over N clients: the JwtDevices server gets N log-ins (N devices, so N
# device keys) and the baseline issues N distinct tokens (one key, as stateless JwtBearer has); wrk then
# picks a token at random per request (perf/wrk/random-token.lua) for both apps. With N=1 both apps get
# one token in a fixed header.
#
# PIN=1 runs both apps on CPU 1 and wrk on CPU 0 (taskset), so that the load generator and the app under
# test stop taking turns on the same core, the largest source of swing between rounds on a 2-core machine.
#
# DPOP=1 adds bound requests: DEVICES more devices log in with a DPoP proof (RFC 9449), each by its own P-256 key,
# and each of their GET /me carries "Authorization: DPoP <token>" and a fresh proof (its own jti; htm, htu, ath
# and iat right), all signed ahead of the run by perf/JwtDevices.DpopProofs and sent by perf/wrk/dpop-proofs.lua,
# so that wrk does no signing. Each round then measures three runs, bound, unbound (the server's Bearer tokens, as
# without DPOP) and the JwtBearer baseline, in a rotating order. There are PROOF_RATE proofs a second of each run
# (warm-up and rounds), 10% more for margin; a run that goes faster runs out, gets refusals and stops the script
# with a note to raise PROOF_RATE. Since the proofs are signed before the run, the server runs with
# JwtDevices:Dpop:ProofLifetime=01:00:00 (the most it takes; the run must end within the hour) and a replay
# cache large enough for every proof of the run (JwtDevices:Dpop:ReplayCacheSize).
#
# Usage: perf/load.sh
# Settings (environment): DEVICES=1 ROUNDS=5 DURATION=15s WARMUP=5s THREADS=2 CONNECTIONS=32 DEVICES_PORT=5301 BASELINE_PORT=5302 PIN=0
#   DPOP=0 PROOF_RATE=25000
set -euo pipefail

devices=${DEVICES:-1}
rounds=${ROUNDS:-5}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
devices_port=${DEVICES_PORT:-5301}
baseline_port=${BASELINE_PORT:-5302}
dpop=${DPOP:-0}
proof_rate=${PROOF_RATE:-25000}
app_cpus=() wrk_cpus=()
if [[ ${PIN:-0} == 1 ]]; then
  command -v taskset >/dev/null || { echo "load.sh: PIN=1 needs taskset (util-linux)" >&2; exit 1; }
  app_cpus=(taskset -c 1) wrk_cpus=(taskset -c 0)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "load.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
[[ $devices =~ ^[1-9][0-9]*$ ]] || { echo "load.sh: DEVICES must be a positive number" >&2; exit 1; }
if [[ $dpop == 1 ]]; then
  [[ $proof_rate =~ ^[1-9][0-9]*$ ]] || { echo "load.sh: PROOF_RATE must be a positive number" >&2; exit 1; }
  seconds() { # a wrk duration (15, 15s, 2m, 1h) -> seconds
    [[ $1 =~ ^([0-9]+)([smh]?)$ ]] || { echo "load.sh: cannot read the duration $1 (use 15s, 2m or 1h)" >&2; exit 1; }
    case ${BASH_REMATCH[2]} in m) echo $((BASH_REMATCH[1] * 60)) ;; h) echo $((BASH_REMATCH[1] * 3600)) ;; *) echo "${BASH_REMATCH[1]}" ;; esac
  }
  run_seconds=$(( $(seconds "$duration") > $(seconds "$warmup") ? $(seconds "$duration") : $(seconds "$warmup") ))
  # Proofs are signed before the first run and must still be fresh at the last: three runs of each round, plus slack.
  if (( 3 * (run_seconds * (rounds + 1)) + 300 > 3600 )); then
    echo "load.sh: DPOP=1 runs must end within the one-hour proof lifetime: lower ROUNDS or DURATION" >&2
    exit 1
  fi
  proofs_per_file=$(( (proof_rate * run_seconds * 11 / 10 + threads - 1) / threads ))
fi
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
[[ $dpop == 1 ]] && build perf/JwtDevices.DpopProofs/JwtDevices.DpopProofs.csproj "$work/proofs"

# Configuration of both apps, through the environment (it overrides appsettings.json).
export Logging__LogLevel__Default=Warning
export ConnectionStrings__Default="Data Source=$work/jwtdevices.db"
export JwtDevices__SigningKey=$(head -c 32 /dev/urandom | base64)
export JwtDevices__AccessTokenLifetime=01:00:00 # outlives the whole run
export RateLimits__Enabled=false # the set-up logs in up to thousands of devices from one address; GET /me is never limited
export Baseline__SigningKey=$(head -c 32 /dev/urandom | base64)
if [[ $dpop == 1 ]]; then
  # Proofs signed ahead of the run: each must stay fresh until used, and every one is remembered for the whole run.
  export JwtDevices__Dpop__ProofLifetime=01:00:00
  export JwtDevices__Dpop__ReplayCacheSize=$(( proofs_per_file * threads * (rounds + 1) + 1000 ))
fi

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
${app_cpus[@]+"${app_cpus[@]}"} dotnet "$work/server/JwtDevices.Server.dll" --contentRoot "$work/server" --urls "http://127.0.0.1:$devices_port" \
  >"$work/server.log" 2>&1 &
pids+=($!)
wait_until_up "http://127.0.0.1:$devices_port/me"
login() { # device model -> prints the new device's access token
  curl -sf -w '\n' -X POST "http://127.0.0.1:$devices_port/auth-token/" -H 'Content-Type: application/json' \
    -H "X-Device-Model: $1" -d '{"username":"bench","password":"bench-password"}' \
    | sed -E 's/.*"token":"([^"]+)".*/\1/'
}
export -f login
export devices_port
if (( devices == 1 )); then
  login wrk >"$work/devices-tokens"
else
  echo "Logging in $devices devices (the password hash is slow on purpose; four at a time)..."
  seq 1 "$devices" | xargs -P4 -I{} bash -c 'set -o pipefail; login wrk-{}' >"$work/devices-tokens"
fi

echo "Starting the JwtBearer baseline on 127.0.0.1:$baseline_port..."
${app_cpus[@]+"${app_cpus[@]}"} dotnet "$work/baseline/JwtDevices.LoadBaseline.dll" --contentRoot "$work/baseline" --urls "http://127.0.0.1:$baseline_port" \
  >"$work/baseline.log" 2>&1 &
pids+=($!)
wait_until_up "http://127.0.0.1:$baseline_port/me"
dotnet "$work/baseline/JwtDevices.LoadBaseline.dll" --print-tokens "$devices" >"$work/baseline-tokens"

for app in devices baseline; do
  distinct=$(sort -u "$work/$app-tokens" | grep -c .)
  if (( distinct != devices )); then
    echo "load.sh: expected $devices distinct $app tokens, got $distinct" >&2
    exit 1
  fi
done
expect_ok JwtDevices "http://127.0.0.1:$devices_port/me" "$(head -1 "$work/devices-tokens")"
expect_ok JwtBearer "http://127.0.0.1:$baseline_port/me" "$(head -1 "$work/baseline-tokens")"
if [[ $dpop == 1 ]]; then
  echo "Logging in $devices bound device(s) with a DPoP proof and signing $proofs_per_file proofs for each of $threads wrk threads of $((rounds + 1)) runs..."
  dotnet "$work/proofs/JwtDevices.DpopProofs.dll" --server "http://127.0.0.1:$devices_port" --devices "$devices" \
    --runs "$rounds" --threads "$threads" --proofs-per-file "$proofs_per_file" --out "$work"
fi

run() { # name port tokens-file duration [proofs-file-prefix] -> prints "requests/sec p99-in-ms"
  local out tokens=()
  if [[ -n ${5:-} ]]; then
    tokens=(-s "$root/perf/wrk/dpop-proofs.lua")
  elif (( devices == 1 )); then
    tokens=(-H "Authorization: Bearer $(cat "$3")")
  else
    tokens=(-s "$root/perf/wrk/random-token.lua")
  fi
  out=$(${wrk_cpus[@]+"${wrk_cpus[@]}"} wrk -t"$threads" -c"$connections" -d"$4" --latency "${tokens[@]}" "http://127.0.0.1:$2/me" -- "$3" ${5:+"$5"})
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "load.sh: $1 had failed requests:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ { rps = $2 }
       $1 == "99%" { v = $2; f = v ~ /us$/ ? 0.001 : v ~ /ms$/ ? 1 : v ~ /[0-9]s$/ ? 1000 : 60000; sub(/[a-z]+$/, "", v); p99 = v * f }
       END { print rps, p99 }' <<<"$out"
}

echo "Warm-up: $warmup each (not counted)."
run JwtDevices "$devices_port" "$work/devices-tokens" "$warmup" >/dev/null
run JwtBearer "$baseline_port" "$work/baseline-tokens" "$warmup" >/dev/null
[[ $dpop == 1 ]] && run "JwtDevices (bound)" "$devices_port" "$work/bound-tokens" "$warmup" "$work/proofs.0" >/dev/null

# Medians resist a round disturbed by other work on the machine.
median() { printf '%s\n' "$@" | sort -g | awk '{ r[NR] = $1 } END { print NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'; }

if [[ $dpop == 1 ]]; then
  echo "Measuring${app_cpus[*]:+ (apps on CPU 1, wrk on CPU 0)}: wrk -t$threads -c$connections -d$duration --latency, $devices device(s) each bound and unbound, $devices baseline tokens, $rounds rounds, rotating which goes first."
  declare -a bound_rps bound_p99 unbound_rps unbound_p99 baseline_rps baseline_p99 unbound_ratios baseline_ratios
  for round in $(seq 1 "$rounds"); do
    order=(bound unbound baseline)
    shift_by=$(( (round - 1) % 3 ))
    order=("${order[@]:shift_by}" "${order[@]:0:shift_by}")
    for app in "${order[@]}"; do
      case $app in
        bound) out=$(run "JwtDevices (bound)" "$devices_port" "$work/bound-tokens" "$duration" "$work/proofs.$round")
          read -r r p <<<"$out"; bound_rps+=("$r") bound_p99+=("$p") ;;
        unbound) out=$(run JwtDevices "$devices_port" "$work/devices-tokens" "$duration")
          read -r r p <<<"$out"; unbound_rps+=("$r") unbound_p99+=("$p") ;;
        baseline) out=$(run JwtBearer "$baseline_port" "$work/baseline-tokens" "$duration")
          read -r r p <<<"$out"; baseline_rps+=("$r") baseline_p99+=("$p") ;;
      esac
    done
    unbound_ratios+=("$(awk -v a="${bound_rps[-1]}" -v b="${unbound_rps[-1]}" 'BEGIN { print a / b }')")
    baseline_ratios+=("$(awk -v a="${bound_rps[-1]}" -v b="${baseline_rps[-1]}" 'BEGIN { print a / b }')")
    printf '  round %d: bound %8.0f req/s p99 %7.2f ms   unbound %8.0f req/s p99 %7.2f ms   JwtBearer %8.0f req/s p99 %7.2f ms   bound/unbound %.3f   bound/JwtBearer %.3f\n' \
      "$round" "${bound_rps[-1]}" "${bound_p99[-1]}" "${unbound_rps[-1]}" "${unbound_p99[-1]}" "${baseline_rps[-1]}" "${baseline_p99[-1]}" \
      "${unbound_ratios[-1]}" "${baseline_ratios[-1]}"
  done
  printf 'Median:    bound %8.0f req/s p99 %7.2f ms   unbound %8.0f req/s p99 %7.2f ms   JwtBearer %8.0f req/s p99 %7.2f ms\n' \
    "$(median "${bound_rps[@]}")" "$(median "${bound_p99[@]}")" "$(median "${unbound_rps[@]}")" "$(median "${unbound_p99[@]}")" \
    "$(median "${baseline_rps[@]}")" "$(median "${baseline_p99[@]}")"
  printf 'Median of the round ratios of bound requests/s (DEVICES=%d): to unbound %.3f, to JwtBearer %.3f\n' \
    "$devices" "$(median "${unbound_ratios[@]}")" "$(median "${baseline_ratios[@]}")"
  exit 0
fi

echo "Measuring${app_cpus[*]:+ (apps on CPU 1, wrk on CPU 0)}: wrk -t$threads -c$connections -d$duration --latency, $devices distinct tokens per app, $rounds rounds, alternating which app goes first."
declare -a devices_rps devices_p99 baseline_rps baseline_p99 rps_ratios p99_ratios
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then
    d=$(run JwtDevices "$devices_port" "$work/devices-tokens" "$duration")
    b=$(run JwtBearer "$baseline_port" "$work/baseline-tokens" "$duration")
  else
    b=$(run JwtBearer "$baseline_port" "$work/baseline-tokens" "$duration")
    d=$(run JwtDevices "$devices_port" "$work/devices-tokens" "$duration")
  fi
  read -r d_rps d_p99 <<<"$d"
  read -r b_rps b_p99 <<<"$b"
  devices_rps+=("$d_rps") devices_p99+=("$d_p99") baseline_rps+=("$b_rps") baseline_p99+=("$b_p99")
  rps_ratios+=("$(awk -v a="$d_rps" -v b="$b_rps" 'BEGIN { print a / b }')")
  p99_ratios+=("$(awk -v a="$d_p99" -v b="$b_p99" 'BEGIN { print a / b }')")
  printf '  round %d: JwtDevices %8.0f req/s p99 %7.2f ms   JwtBearer %8.0f req/s p99 %7.2f ms   ratio %.3f   p99 ratio %.3f\n' \
    "$round" "$d_rps" "$d_p99" "$b_rps" "$b_p99" "${rps_ratios[-1]}" "${p99_ratios[-1]}"
done

printf 'Median:    JwtDevices %8.0f req/s p99 %7.2f ms   JwtBearer %8.0f req/s p99 %7.2f ms\n' \
  "$(median "${devices_rps[@]}")" "$(median "${devices_p99[@]}")" "$(median "${baseline_rps[@]}")" "$(median "${baseline_p99[@]}")"
printf 'Median of the round ratios (DEVICES=%d): requests/s %.3f (target: 1.2 or more), p99 %.3f (target: 1.2 or less)\n' \
  "$devices" "$(median "${rps_ratios[@]}")" "$(median "${p99_ratios[@]}")"
