#!/usr/bin/env bash
# Refresh throughput: POST /device-refresh-token/ on the JwtDevices server (Release) over PostgreSQL, over many
# devices' permanent tokens, with rotation off and with rotation on, each on a database and a server process of
# its own; rounds alternate between them after one unmeasured warm-up each. It reports refreshes per second,
# p50 and p99, the CPU the server and PostgreSQL used (from /proc), and refreshes per second per core of each.
#
# The devices are filled in SQL (perf/lib/postgres-server.sh): permanent tokens "bench-token-<n>", all of one user,
# last seen at the start, so that with rotation off no refresh writes the last-seen time (it moves once per
# PermanentTokenExpirationAccuracy); with rotation on every refresh replaces the token in one conditional update.
# wrk follows the tokens (perf/wrk/following-permanent-token.lua): each thread owns a disjoint share of the devices,
# keeps each one's current token from its last answer and never sends a device twice at once; the tokens carry on
# from one run to the next. The rotating server's RotationReuseInterval is a day, so that a refresh cut off when a
# run stops is retried in the next one as a retry, never taken for reuse. The refresh rate limit stays on, set to
# its maximum (wrk is one client address).
#
# PIN=1 (default) runs the servers on CPU 1 and wrk on CPU 0, and so PostgreSQL when the script started it: the
# server has one core to itself. COMPARE=<another checkout> also builds and measures that checkout's server, in
# the same rounds, for a before/after comparison (it must use the same database schema).
#
# Usage: perf/refresh-throughput.sh
# Settings (environment): DEVICES=10000 ROUNDS=5 DURATION=15s WARMUP=5s THREADS=2 CONNECTIONS=8 PORT=5321 (and the
# next ports) PIN=1 COMPARE= POSTGRES (as in perf/refresh-latency.sh)
set -euo pipefail

devices=${DEVICES:-10000}
rounds=${ROUNDS:-5}
duration=${DURATION:-15s}
warmup=${WARMUP:-5s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-8}
first_port=${PORT:-5321}
compare=${COMPARE:-}

root=$(cd "$(dirname "$0")/.." && pwd)
lua=$root/perf/wrk/following-permanent-token.lua
fail() { echo "refresh-throughput.sh: $*" >&2; exit 1; }
command -v wrk >/dev/null || fail "wrk is required (apt-get install wrk)"
command -v psql >/dev/null || fail "psql is required (apt-get install postgresql-client)"
[[ $devices =~ ^[1-9][0-9]*$ ]] || fail "DEVICES must be a positive number"
(( devices >= 2 * connections )) || fail "DEVICES must be at least twice CONNECTIONS, so that no thread runs out of devices"
[[ -z $compare || -f $compare/src/JwtDevices.Server/JwtDevices.Server.csproj ]] || fail "COMPARE must name a checkout of JwtDevices"
[[ ${PIN:-1} != 1 ]] || command -v taskset >/dev/null || fail "PIN=1 needs taskset (util-linux)"
work=$(mktemp -d)
source "$root/perf/lib/postgres-server.sh"
# After the library, which starts with no pinning.
wrk_cpus=()
if [[ ${PIN:-1} == 1 ]]; then
  server_cpus=(taskset -c 1) wrk_cpus=(taskset -c 0)
fi
cleanup() {
  pg_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The servers: this checkout, and COMPARE's when given; each runs with rotation off and on.
declare -A source_of=([this]=$root) build_of=([this]=$work/server)
builds=(this)
if [[ -n $compare ]]; then
  source_of[compare]=$(cd "$compare" && pwd) build_of[compare]=$work/server-compare
  builds+=(compare)
fi
keys=()
declare -A port_of pid_of
next_port=$first_port
for build in "${builds[@]}"; do
  for mode in off on; do
    key=$build-$mode
    keys+=("$key")
    port_of[$key]=$next_port
    if curl -s -o /dev/null "http://127.0.0.1:$next_port/"; then
      fail "port $next_port is already in use"
    fi
    next_port=$((next_port + 1))
  done
done

echo "$(date -u '+%F %T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
pg_start
postmaster=
if [[ -n $own_postgres ]]; then
  postmaster=$(head -1 "$(psql -qAtc 'show data_directory')/postmaster.pid" 2>/dev/null || true)
fi
pg_processes() { [[ -n $postmaster ]] && { echo "$postmaster"; ps -o pid= --ppid "$postmaster"; }; }
if [[ ${PIN:-1} == 1 && -n $postmaster ]]; then
  # Its backends, forked later, inherit the affinity of the postmaster.
  for pid in $(pg_processes); do taskset -pc 0 "$pid" >/dev/null; done
fi
for build in "${builds[@]}"; do
  build_server "${source_of[$build]}" "${build_of[$build]}"
  echo "  $build: $(git -C "${source_of[$build]}" log -1 --format='%h %s' 2>/dev/null || echo "${source_of[$build]}")"
done
server_environment
export RateLimits__RefreshesPerClientPerMinute=1000000

for key in "${keys[@]}"; do
  build=${key%-*} mode=${key##*-}
  database=jwtdevices_refresh_${build}_$mode
  echo "Filling $database with $devices devices (and one more for the checks)..."
  user_id=$(server_build=${build_of[$build]} new_database "$database")
  fill_devices "$database" bench-token- $((devices + 1)) "$user_id" "$(now_us)"
  # What wrk starts from: each device's id (a rotated token names it) and its token.
  psql -d "$database" -qAt -v ON_ERROR_STOP=1 >"$work/state-$key" <<SQL
select d."Id" || ' bench-token-' || n
from generate_series(1, $devices) as n
join jwt_devices d on d."PermanentTokenHash" = sha256(convert_to('bench-token-' || n, 'UTF8'))
order by n;
SQL
  (( $(wc -l <"$work/state-$key") == devices )) || fail "expected $devices devices in $database"
  export JwtDevices__RotatePermanentTokens=$([[ $mode == on ]] && echo true || echo false)
  export JwtDevices__RotationReuseInterval=1.00:00:00
  start_server "$database" "${port_of[$key]}" "${build_of[$build]}"
  pid_of[$key]=${server_pids[-1]}
  expect_refresh "${port_of[$key]}" "bench-token-$((devices + 1))"
done
unset JwtDevices__RotatePermanentTokens JwtDevices__RotationReuseInterval

hz=$(getconf CLK_TCK)
cpu_ticks() { # pids... -> "pid ticks" a line: user and system time, in clock ticks, of those still running
  local pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] && echo "$pid $(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
  done
  true
}
# CPU time spent between two cpu_ticks snapshots, by the processes in the second (a new one counts from zero).
cpu_spent() { awk 'NR == FNR { before[$1] = $2; next } NF == 2 { t += $2 - before[$1] } END { print t + 0 }' <(echo "$1") <(echo "$2"); }

# One wrk run -> "requests/sec p50 p99 max server-cores postgres-cores" (milliseconds; cores used on average, or -1
# for PostgreSQL when it is not the script's own).
measure() { # key duration
  local key=$1 mode=fixed server0 pg0 start out summary server1 pg1 end
  [[ $key == *-on ]] && mode=follow
  server0=$(cpu_ticks "${pid_of[$key]}")
  pg0=$(cpu_ticks $(pg_processes))
  start=$(date +%s.%N)
  out=$(${wrk_cpus[@]+"${wrk_cpus[@]}"} wrk -t"$threads" -c"$connections" -d"$2" --timeout 30s --latency -s "$lua" \
    "http://127.0.0.1:${port_of[$key]}/device-refresh-token/" -- "$work/state-$key" "$mode" "$threads")
  end=$(date +%s.%N)
  server1=$(cpu_ticks "${pid_of[$key]}")
  pg1=$(cpu_ticks $(pg_processes))
  summary=$(wrk_summary "$key" "$out")
  awk -v s="$summary" -v server="$(cpu_spent "$server0" "$server1")" -v pg="$(cpu_spent "$pg0" "$pg1")" \
    -v t="$(echo "$end - $start" | bc)" -v hz="$hz" -v own="$postmaster" \
    'BEGIN { print s, server / hz / t, own == "" ? -1 : pg / hz / t }'
}

cores() { awk -v c="$1" 'BEGIN { if (c < 0) print "n/a"; else printf "%.2f", c }'; } # -1: not measured

echo "Warm-up: $warmup each (not counted)."
for key in "${keys[@]}"; do
  measure "$key" "$warmup" >/dev/null
done

echo "Measuring${wrk_cpus[*]:+ (servers on CPU 1, wrk${postmaster:+ and PostgreSQL} on CPU 0)}: wrk -t$threads -c$connections -d$duration --latency, $devices devices each, $rounds rounds, alternating the order."
declare -A rps p50 p99 server_cores pg_cores per_core per_core_all
for round in $(seq 1 "$rounds"); do
  order=("${keys[@]}")
  if (( round % 2 == 0 )); then
    order=()
    for (( i = ${#keys[@]} - 1; i >= 0; i-- )); do order+=("${keys[$i]}"); done
  fi
  for key in "${order[@]}"; do
    result=$(measure "$key" "$duration")
    read -r r a b _ s g <<<"$result"
    rps[$key]+=" $r" p50[$key]+=" $a" p99[$key]+=" $b" server_cores[$key]+=" $s" pg_cores[$key]+=" $g"
    per_core[$key]+=" $(awk -v r="$r" -v s="$s" 'BEGIN { print r / s }')"
    per_core_all[$key]+=" $(awk -v r="$r" -v s="$s" -v g="$g" 'BEGIN { print g < 0 ? -1 : r / (s + g) }')"
    printf '  round %d %-12s %6.0f refreshes/s  p50 %6.2f ms  p99 %6.2f ms  server %.2f cores (%4.0f/s per core)  PostgreSQL %s cores\n' \
      "$round" "$key" "$r" "$a" "$b" "$s" "${per_core[$key]##* }" "$(cores "$g")"
  done
done

echo "Medians over $rounds rounds ($(date -u '+%T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-12s %12s %9s %9s %13s %16s %17s %22s\n' server refreshes/s p50 p99 server-cores "per server core" PostgreSQL-cores "per core, server + PG"
for key in "${keys[@]}"; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  printf '  %-12s %12.0f %6.2f ms %6.2f ms %13.2f %16.0f %17s %22s\n' "$key" \
    "$(median ${rps[$key]})" "$(median ${p50[$key]})" "$(median ${p99[$key]})" "$(median ${server_cores[$key]})" \
    "$(median ${per_core[$key]})" "$(cores "$(median ${pg_cores[$key]})")" \
    "$(awk -v c="$(median ${per_core_all[$key]})" 'BEGIN { if (c < 0) print "n/a"; else printf "%.0f", c }')"
done
if [[ -n $compare ]]; then
  for mode in off on; do
    # shellcheck disable=SC2086
    printf '  rotation %-3s this / compare: refreshes/s %.3f, per server core %.3f, p99 %.3f (ratios of the medians)\n' "$mode" \
      "$(awk -v a="$(median ${rps[this-$mode]})" -v b="$(median ${rps[compare-$mode]})" 'BEGIN { print a / b }')" \
      "$(awk -v a="$(median ${per_core[this-$mode]})" -v b="$(median ${per_core[compare-$mode]})" 'BEGIN { print a / b }')" \
      "$(awk -v a="$(median ${p99[this-$mode]})" -v b="$(median ${p99[compare-$mode]})" 'BEGIN { print a / b }')"
  done
fi
