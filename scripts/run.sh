#!/usr/bin/env bash
# Brings the whole suite up on this machine: PostgreSQL with PostGIS, the
# ticket, routing, SLA and notify services and the gateway as separate
# processes, Mailpit (the demo's mail server, with a web UI), plus the demo:
# every municipality of South Africa and every Cape Town ward from the
# repository's own data/mdb2011 (MDB 2011 boundaries). Ctrl-C stops everything. It runs in development mode: every
# secret left unset takes its published development value.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME=${DB_NAME:-trustengine}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${DB_NAME}?sslmode=disable}
export TRUSTENGINE_DEV_MODE=1
export TICKET_ADDR=127.0.0.1:9101 ROUTING_ADDR=127.0.0.1:9102 SLA_ADDR=127.0.0.1:9103 NOTIFY_ADDR=127.0.0.1:9104
GATEWAY_PORT=${GATEWAY_PORT:-8080}
MAILPIT_SMTP_PORT=${MAILPIT_SMTP_PORT:-1025}
MAILPIT_UI_PORT=${MAILPIT_UI_PORT:-8025}
MAILPIT=${MAILPIT:-$PWD/.tools/bin/mailpit}
DATA_DIR=${TRUSTENGINE_DATA_DIR:-$PWD/data}
LOG_DIR=${LOG_DIR:-$PWD/tmp/run}

bash scripts/ensure-postgis.sh
if ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='${DB_NAME}'" postgres | grep -q 1; then
  psql -q -h 127.0.0.1 -U postgres -c "create database ${DB_NAME}" postgres
fi

echo "building..." >&2
mkdir -p bin "$LOG_DIR"
for s in ticket routing sla notify gateway; do
  (cd services/$s && go build -o ../../bin/$s ./cmd/$s)
done
(cd services/gateway && go build -o ../../bin/demoseed ./cmd/demoseed)
go build -o bin/devtoken github.com/salga/trustengine/libs/cmd/devtoken

pids=()
stop() {
  trap - INT TERM EXIT
  echo >&2; echo "stopping..." >&2
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped" >&2
}
trap stop INT TERM EXIT

start() { # name, env...
  local name=$1; shift
  env "$@" "bin/$name" >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
}
# Photos stay on this machine, in a directory under tmp/ (git ignores it).
start ticket GRPC_ADDR=127.0.0.1:9101 ADMIN_ADDR=127.0.0.1:9201 ATTACHMENT_DIR=${ATTACHMENT_DIR:-$PWD/tmp/attachments}
start routing GRPC_ADDR=127.0.0.1:9102 ADMIN_ADDR=127.0.0.1:9202
start sla GRPC_ADDR=127.0.0.1:9103 ADMIN_ADDR=127.0.0.1:9203
# Mailpit catches every email the demo sends (nothing leaves this machine);
# notify submits to it in the clear, which only development mode allows.
[ -x "$MAILPIT" ] || { echo "Mailpit is missing: make mailpit installs it into .tools/bin" >&2; exit 1; }
"$MAILPIT" --smtp 127.0.0.1:${MAILPIT_SMTP_PORT} --listen 127.0.0.1:${MAILPIT_UI_PORT} \
  --smtp-auth-accept-any --smtp-auth-allow-insecure >"$LOG_DIR/mailpit.log" 2>&1 &
pids+=($!)
start notify GRPC_ADDR=127.0.0.1:9104 ADMIN_ADDR=127.0.0.1:9204 NOTIFY_PUBLIC_URL=http://127.0.0.1:${GATEWAY_PORT} \
  SMTP_ADDR=127.0.0.1:${MAILPIT_SMTP_PORT} SMTP_SECURITY=none NOTIFY_RELEASE_INTERVAL=5s
# Development mode gives the console its "sign in as role X of tenant Y".
start gateway GATEWAY_HTTP_ADDR=127.0.0.1:${GATEWAY_PORT} TRUSTENGINE_DEV_MODE=${TRUSTENGINE_DEV_MODE:-1}

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${GATEWAY_PORT}/readyz" >/dev/null 2>&1 && break
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "a service exited; logs in $LOG_DIR:" >&2; tail -n 20 "$LOG_DIR"/*.log >&2; exit 1; }
  done
  sleep 1
done
curl -fsS "http://127.0.0.1:${GATEWAY_PORT}/readyz" >/dev/null || { echo "suite not ready; logs in $LOG_DIR" >&2; exit 1; }

bin/demoseed -data "$DATA_DIR"
# Reporters hear nothing between 20:00 and 07:00 unless their municipality
# allows it; the demo municipality does, so its emails show at any hour.
ADMIN_TOKEN=$(bin/devtoken -role municipal_admin -tenant CPT -sub demo-admin -ttl 1h)
curl -fsS -X PUT "http://127.0.0.1:${GATEWAY_PORT}/v1/notify/settings" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' -d '{"reporter_messages_at_night":true}' >/dev/null

TOKEN=$(bin/devtoken -role agent -tenant CPT -sub demo-agent -ttl 24h)
cat <<EOT

Trust Engine is running.
  console   http://127.0.0.1:${GATEWAY_PORT}/console/   (sign in as an agent of CPT)
  gateway   http://127.0.0.1:${GATEWAY_PORT}   (OpenAPI: /openapi.json, health: /readyz)
  mail      http://127.0.0.1:${MAILPIT_UI_PORT}/   (Mailpit: every email the demo sends lands here)
  gRPC      ticket 127.0.0.1:9101, routing 127.0.0.1:9102, sla 127.0.0.1:9103, notify 127.0.0.1:9104
  logs      $LOG_DIR

A development token (agent of CPT, 24 h):
  export TOKEN=$TOKEN

Report a burst pipe in Cape Town (the reporter's email is answered in Afrikaans;
see it arrive in Mailpit, then move the ticket and watch the updates come):
  curl -s -X POST http://127.0.0.1:${GATEWAY_PORT}/v1/tickets \\
    -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
    -d '{"category":"CATEGORY_WATER","description":"Burst pipe flooding the road","location":{"latitude":-33.9249,"longitude":18.4241},"address":"Adderley St","reporter":{"name":"Thandi","email":"thandi@example.org"},"reporter_preferences":{"language":"LANGUAGE_AF"}}'

Other roles: make token ROLE=saps_liaison TENANT=CPT   (or municipal_admin, team_manager, citizen, platform_admin)
Press Ctrl-C to stop.
EOT
wait
