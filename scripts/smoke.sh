#!/usr/bin/env bash
# Walks through the README's curl session against the real server on a fresh SQLite file,
# checking every status code. Loopback only; stops the server on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${SMOKE_PORT:-5187}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
export ConnectionStrings__Default="Data Source=$work/smoke.db"
export Logging__LogLevel__Default=Warning
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

checks=0
check() { # expected actual what
  checks=$((checks + 1))
  if [[ "$1" != "$2" ]]; then
    echo "smoke: $3: expected $1, got $2" >&2
    [[ -f "$work/server.log" ]] && cat "$work/server.log" >&2
    exit 1
  fi
}
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

dotnet run --no-build --project src/JwtDevices.Server -- users add alice --password 'correct horse battery' --email alice@example.com >/dev/null
check 0 $? "users add"
set +e
dotnet run --no-build --project src/JwtDevices.Server -- users add alice --password 'correct horse battery' >/dev/null 2>&1
check 1 $? "users add of an existing name"
set -e

dotnet run --no-build --project src/JwtDevices.Server --urls "$base" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "$base/me" && break
  sleep 0.5
done

code() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }

check 200 "$(code -X POST "$base/auth-token/" -H 'Content-Type: application/json' -H 'X-Device-Model: Nokia' \
  -d '{"username": "alice", "password": "correct horse battery"}')" "log in"
token=$(json '["token"]' <"$work/body")
permanent=$(json '["permanent_token"]' <"$work/body")
device=$(json '["device_id"]' <"$work/body")

check 200 "$(code "$base/devices/" -H "Authorization: JWT $token")" "list devices"
check Nokia "$(json '[0]["name"]' <"$work/body")" "device name"
check 200 "$(code "$base/me" -H "Authorization: Bearer $token")" "GET /me"
check alice "$(json '["username"]' <"$work/body")" "/me username"
check 400 "$(code "$base/devices/" -H "Authorization: JWT $token" -H "Permanent-Token: $permanent")" "permanent token off the refresh endpoint"
check 200 "$(code -X POST "$base/device-refresh-token/" -H "Permanent-Token: $permanent")" "refresh"
token=$(json '["token"]' <"$work/body")
check 204 "$(code -X DELETE "$base/device-logout/" -H "Authorization: JWT $token" -H "Device-Id: $device")" "log out"
check 401 "$(code "$base/me" -H "Authorization: JWT $token")" "token after log-out"
check 400 "$(code -X POST "$base/device-refresh-token/" -H "Permanent-Token: $permanent")" "refresh after log-out"

if grep -qF "$permanent" "$work/server.log" || grep -qF "$token" "$work/server.log"; then
  echo "smoke: a token reached the server log" >&2
  exit 1
fi
checks=$((checks + 1))
echo "smoke: $checks checks passed against the running server"
