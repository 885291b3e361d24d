#!/usr/bin/env bash
# Starts the real suite for the console's browser tests and runs a command
# against it: builds the console and the binaries, creates a fresh database,
# starts the test OpenID Connect issuer (libs/cmd/testissuer), then ticket,
# routing, SLA and the gateway on free ports with development mode on and
# that issuer configured (so both the development sign-in and the issuer's
# redirect flow work), loads the demo municipality (generated shapes), runs
# the command with CONSOLE_URL set, then stops everything and drops the
# database.
#
#   bash scripts/console-suite.sh npx playwright test
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[ $# -gt 0 ] || { echo "usage: $0 command..." >&2; exit 2; }

DB="trustengine_console_$$"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}?sslmode=disable"
export JWT_HS256_SECRET=${JWT_HS256_SECRET:-console-suite-secret-$$}
export TRUSTENGINE_DEV_MODE=1
OUT=${CONSOLE_SUITE_DIR:-$ROOT/tmp/console-suite}
BIN="$OUT/bin"
LOGS="$OUT/logs"
mkdir -p "$BIN" "$LOGS"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "== building the console and the binaries" >&2
make -s console
for s in ticket routing sla gateway; do
  (cd services/$s && go build -o "$BIN/$s" ./cmd/$s)
done
(cd services/gateway && go build -o "$BIN/demoseed" ./cmd/demoseed)
(cd libs && go build -o "$BIN/testissuer" ./cmd/testissuer)

psql -q -h 127.0.0.1 -U postgres -c "create database ${DB}" postgres
pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists ${DB} with (force)" postgres || true
}
trap stop INT TERM EXIT

T_GRPC=$(free_port); T_ADM=$(free_port); R_GRPC=$(free_port); R_ADM=$(free_port)
S_GRPC=$(free_port); S_ADM=$(free_port); G_HTTP=$(free_port); I_HTTP=$(free_port)
export TICKET_ADDR=127.0.0.1:$T_GRPC ROUTING_ADDR=127.0.0.1:$R_GRPC SLA_ADDR=127.0.0.1:$S_GRPC
URL="http://127.0.0.1:$G_HTTP"

# The identity provider first: every process fetches its keys at start.
ISSUER="http://127.0.0.1:$I_HTTP"
"$BIN/testissuer" -addr "127.0.0.1:$I_HTTP" -redirect-uri "$URL/console/oidc/callback" >"$LOGS/testissuer.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do curl -fsS "$ISSUER/.well-known/openid-configuration" >/dev/null 2>&1 && break; sleep 0.1; done
export OIDC_ISSUER=$ISSUER OIDC_AUDIENCE=trustengine-console

start() { # name, env...
  local name=$1; shift
  env "$@" "$BIN/$name" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
}
start ticket GRPC_ADDR=127.0.0.1:$T_GRPC ADMIN_ADDR=127.0.0.1:$T_ADM
start routing GRPC_ADDR=127.0.0.1:$R_GRPC ADMIN_ADDR=127.0.0.1:$R_ADM
# A fast sweep, so tickets given tiny SLA targets show up at risk and
# breached while the tests watch.
start sla GRPC_ADDR=127.0.0.1:$S_GRPC ADMIN_ADDR=127.0.0.1:$S_ADM SLA_SWEEP_INTERVAL=2s
# Budgets well above what one test browser sends.
start gateway GATEWAY_HTTP_ADDR=127.0.0.1:$G_HTTP GATEWAY_CLIENT_RATE=500 GATEWAY_CLIENT_BURST=1000 GATEWAY_TENANT_RATE=1000 GATEWAY_TENANT_BURST=2000 \
  CONSOLE_OIDC_ISSUER="$ISSUER" CONSOLE_OIDC_CLIENT_ID=trustengine-console
for _ in $(seq 1 60); do
  curl -fsS "$URL/readyz" >/dev/null 2>&1 && break
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "a service exited; logs in $LOGS:" >&2; tail -n 20 "$LOGS"/*.log >&2; exit 1; }
  done
  sleep 1
done
curl -fsS "$URL/readyz" >/dev/null || { echo "suite not ready; logs in $LOGS" >&2; exit 1; }
"$BIN/demoseed" -routing "$ROUTING_ADDR" >"$LOGS/demoseed.log"

echo "== suite up at $URL/console/ (logs in $LOGS)" >&2
CONSOLE_URL=$URL "$@"
