#!/usr/bin/env bash
# The fault drill: two JwtDevices server nodes (Release) on one PostgreSQL, first with Redis, then without
# (PostgreSQL's LISTEN/NOTIFY carries revocations then), under a mixed load of log-ins, refreshes (rotation on,
# some answers dropped and retried with the old token), GET /me and log-outs spread over both nodes. Meanwhile
# it stops Redis (with Redis), kills PostgreSQL's postmaster with SIGKILL and starts it again, and kills a node
# with SIGKILL and starts it again. Then it checks, and prints, one PASS or FAIL line each: no 500; 503 only
# during the database outage; revocation within its bound on the other node; nothing lost; nothing
# resurrected; no honest retry taken for reuse. The load generator and judge is perf/JwtDevices.FaultDrill.
#
# It starts its own throw-away PostgreSQL and Redis (scripts/test-services.sh), since it kills them.
#
# Usage: perf/fault-drill.sh            # the full run: both set-ups, 120 s of load each
#        SHORT=1 perf/fault-drill.sh    # the CI run: 35 s of load each, shorter outages
# Settings (environment): SETUPS="redis no-redis", DURATION (seconds of load per set-up; 120, SHORT 35),
# RATE (requests a second from all clients; 80), CLIENTS (16), DROP_RATE (share of refresh answers dropped;
# 0.2), REDIS_DOWN (10 s, SHORT 6), POSTGRES_DOWN (8 s, SHORT 5), OUTAGE_GRACE (3 s after PostgreSQL is back
# in which a 503 still counts as the outage's), POLL_INTERVAL (the nodes' RevocationPollInterval in seconds;
# 10, the default), REUSE_INTERVAL (RotationReuseInterval; 30), FAST_BOUND_MS (100; the run's GET /me p99 is added to it, and without Redis a refresh's p99 for the log read) and FAST_MARGIN_MS (0),
# POLL_MARGIN_MS (1000), FAULT_DRILL_PG_PORT (55471), FAULT_DRILL_REDIS_PORT (56471), NODE_PORTS (5331,5332),
# SERVER_DIR (a folder with the server already built in Release, to skip building it).
# Exit code 0 when every check passed in every set-up, 1 otherwise.
set -euo pipefail

if [[ ${SHORT:-} == 1 ]]; then
  export DURATION=${DURATION:-35} REDIS_DOWN=${REDIS_DOWN:-6} POSTGRES_DOWN=${POSTGRES_DOWN:-5}
fi
setups=${SETUPS:-redis no-redis}
node_ports=${NODE_PORTS:-5331,5332}
# The drill kills these servers: never someone else's (POSTGRES is not taken), on ports of their own.
unset POSTGRES
export JWTDEVICES_PG_PORT=${FAULT_DRILL_PG_PORT:-55471} JWTDEVICES_REDIS_PORT=${FAULT_DRILL_REDIS_PORT:-56471}

root=$(cd "$(dirname "$0")/.." && pwd)
command -v psql >/dev/null || { echo "fault-drill.sh: psql is required (apt-get install postgresql-client)" >&2; exit 1; }
for port in ${node_ports//,/ }; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "fault-drill.sh: port $port is already in use (NODE_PORTS)" >&2
    exit 1
  fi
done

work=$(mktemp -d)
source "$root/perf/lib/postgres-server.sh"
status=1
cleanup() {
  # Nodes the drill left running (it was killed itself): by the pids it wrote, and only if they are still servers.
  local file pid
  for file in "$work"/node-*.pid; do
    [[ -f $file ]] || continue
    pid=$(cat "$file")
    grep -qa JwtDevices.Server "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
  pg_cleanup
  if ((status == 0)); then
    rm -rf "$work"
  else
    echo "fault drill: the nodes' logs are kept in $work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "fault drill: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
pg_start
if [[ -n ${SERVER_DIR:-} ]]; then
  echo "Using the server built in $SERVER_DIR"
  ln -s "$(cd "$SERVER_DIR" && pwd)" "$work/server"
else
  build_server
fi
echo "Building the drill (Release)..."
dotnet build "$root/perf/JwtDevices.FaultDrill/JwtDevices.FaultDrill.csproj" -c Release -o "$work/drill" --nologo >"$work/build-drill.log" 2>&1 \
  || { cat "$work/build-drill.log" >&2; exit 1; }
server_environment

passed=() failed=()
for setup in $setups; do
  database=fault_drill_${setup//-/_}
  new_database "$database" >/dev/null
  SECONDS=0
  if DRILL_SERVER_DLL=$work/server/JwtDevices.Server.dll DRILL_POSTGRES=$(connection_string "$database") \
    DRILL_REDIS=$JWTDEVICES_TEST_REDIS DRILL_SERVICES_SCRIPT=$root/scripts/test-services.sh DRILL_WORK=$work \
    DRILL_NODE_PORTS=$node_ports DRILL_USER=bench DRILL_PASSWORD=bench-password \
    dotnet "$work/drill/JwtDevices.FaultDrill.dll" "$setup"; then
    passed+=("$setup")
  else
    failed+=("$setup")
  fi
  echo "fault drill: $setup took ${SECONDS}s, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
done

echo "fault drill: ${#passed[@]} set-ups passed, ${#failed[@]} failed${passed[*]:+ (passed: ${passed[*]})}${failed[*]:+ (FAILED: ${failed[*]})}"
if ((${#failed[@]})); then
  exit 1
fi
status=0
