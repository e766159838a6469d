# Shared by perf/refresh-latency.sh, perf/refresh-throughput.sh and perf/cleanup-sweep.sh (sourced, not run): a throw-away PostgreSQL,
# the JwtDevices server (Release) on databases in it, devices filled in SQL, and wrk against refresh.
# The caller sets $root and $work, and calls pg_cleanup from its EXIT trap.

server_pids=()
own_postgres=
server_cpus=() # e.g. (taskset -c 1): what start_server runs the server under

# POSTGRES: an Npgsql connection string to a superuser; without it, a throw-away instance is started
# with scripts/test-services.sh (JWTDEVICES_PG_PORT and JWTDEVICES_REDIS_PORT choose its ports).
pg_start() {
  if [[ -z ${POSTGRES:-} ]]; then
    echo "Starting a throw-away PostgreSQL (scripts/test-services.sh)..."
    eval "$(bash "$root/scripts/test-services.sh" start)"
    own_postgres=$JWTDEVICES_SERVICES_DIR
    POSTGRES=$JWTDEVICES_TEST_POSTGRES
  fi
  local pair key value
  IFS=';' read -ra pairs <<<"$POSTGRES"
  for pair in "${pairs[@]}"; do
    key=${pair%%=*} value=${pair#*=}
    case ${key,,} in
      host|server) export PGHOST=$value ;;
      port) export PGPORT=$value ;;
      username|user\ id|userid|user) export PGUSER=$value ;;
      password) export PGPASSWORD=$value ;;
    esac
  done
  export PGDATABASE=postgres PGOPTIONS='-c client_min_messages=warning'
  psql -qAtc 'select 1' >/dev/null
  psql -qAtc 'show server_version'
}

pg_cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $own_postgres ]]; then
    JWTDEVICES_SERVICES_DIR=$own_postgres bash "$root/scripts/test-services.sh" stop || true
  fi
}

build_server() { # [source checkout] [output]: this checkout into $work/server by default
  local source=${1:-$root} output=${2:-$work/server}
  echo "Building the server (Release) from $source..."
  dotnet build "$source/src/JwtDevices.Server/JwtDevices.Server.csproj" -c Release -o "$output" --nologo >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
}

# The server's settings, through the environment; each database gets its own connection string.
server_environment() {
  export Logging__LogLevel__Default=Warning
  export Database__Provider=Postgres
  export JwtDevices__SigningKey=${JwtDevices__SigningKey:-$(head -c 32 /dev/urandom | base64)}
  export JwtDevices__CleanupInterval=1.00:00:00 # no cleanup of its own during a run
}

connection_string() { # database
  echo "Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$1"
}

server() { # database args... : runs the server's command line (of $server_build, if set) against the database
  ConnectionStrings__Default=$(connection_string "$1") dotnet "${server_build:-$work/server}/JwtDevices.Server.dll" "${@:2}"
}

# Creates the database afresh, lets the server create its tables, and adds the user "bench"; prints its id.
new_database() { # database
  psql -qc "drop database if exists $1" -c "create database $1" >/dev/null
  # EF Core logs a failed read of its history table while it creates the tables: expected, so kept aside.
  server "$1" users add bench --password bench-password --email bench@example.com 2>"$work/users-add.log" \
    | sed -nE 's/.*with id ([0-9]+).*/\1/p' | grep . || { cat "$work/users-add.log" >&2; exit 1; }
}

# Adds devices whose permanent tokens are "<prefix><n>" for n in 1..count (stored as their SHA-256, as the
# server stores them), of user_id, last seen at the given Unix time in microseconds, with random key salts.
fill_devices() { # database prefix count user_id last_request_us
  local owner_column= owner_value=
  has_column() { [[ $(psql -d "$1" -qAtc "select count(*) from information_schema.columns where table_name = 'jwt_devices' and column_name = '$2'") == 1 ]]; }
  # On the server, devices also name their owner by the user's key, when the schema has that column.
  if has_column "$1" OwnerId; then
    owner_column=', "OwnerId"' owner_value=", $4"
  fi
  # Rotation's generation (not null, no default), when the schema has it: 0, a token never rotated.
  if has_column "$1" PermanentTokenGeneration; then
    owner_column+=', "PermanentTokenGeneration"' owner_value+=", 0"
  fi
  psql -d "$1" -q -v ON_ERROR_STOP=1 <<SQL
create extension if not exists pgcrypto;
insert into jwt_devices ("UserId", "Name", "Details", "PermanentTokenHash", "KeySalt", "Created", "LastRequest"$owner_column)
select '$4', 'bench', '', sha256(convert_to('$2' || n, 'UTF8')), gen_random_bytes(32), $5, $5$owner_value
from generate_series(1, $3) as n;
analyze jwt_devices;
SQL
}

now_us() { echo $(( $(date +%s%N) / 1000 )); }

start_server() { # database port [server build]
  # exec (taskset execs in turn), so that the pid is the server's own and the clean-up stops it.
  (ConnectionStrings__Default=$(connection_string "$1") exec ${server_cpus[@]+"${server_cpus[@]}"} \
    dotnet "${3:-$work/server}/JwtDevices.Server.dll" --urls "http://127.0.0.1:$2") \
    >"$work/server-$2.log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "http://127.0.0.1:$2/me" && return 0
    sleep 0.2
  done
  echo "the server on port $2 did not start:" >&2
  cat "$work/server-$2.log" >&2
  exit 1
}

expect_refresh() { # port token
  local status
  status=$(curl -s -o "$work/body" -w '%{http_code}' -X POST -H "Permanent-Token: $2" "http://127.0.0.1:$1/device-refresh-token/")
  if [[ $status != 200 ]]; then
    echo "refresh on port $1 answered $status: $(cat "$work/body")" >&2
    exit 1
  fi
}

# wrk's summary of a refresh run -> "requests/sec p50 p99 max" (milliseconds); stops on any failed request.
wrk_summary() { # name output
  if grep -qE 'Non-2xx|Socket errors' <<<"$2"; then
    echo "$1 had failed requests:" >&2
    echo "$2" >&2
    exit 1
  fi
  awk 'function ms(v,  f) { f = v ~ /us$/ ? 0.001 : v ~ /ms$/ ? 1 : v ~ /[0-9]s$/ ? 1000 : 60000; sub(/[a-z]+$/, "", v); return v * f }
       /^Requests\/sec:/ { rps = $2 }
       $1 == "Latency" && NF >= 4 && !max { max = ms($4) }
       $1 == "50%" { p50 = ms($2) }
       $1 == "99%" { p99 = ms($2) }
       END { print rps, p50, p99, max }' <<<"$2"
}

wrk_refresh() { # name port prefix count duration
  wrk_summary "$1" "$(wrk -t"${THREADS:-2}" -c"${CONNECTIONS:-8}" -d"$5" --timeout 30s --latency \
    -s "$root/perf/wrk/random-permanent-token.lua" "http://127.0.0.1:$2/device-refresh-token/" -- "$3" "$4")"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ r[NR] = $1 } END { print NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'; }
