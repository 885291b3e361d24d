#!/usr/bin/env bash
# Makes sure PostgreSQL is running on 127.0.0.1:5432 and PostGIS is installed
# for it. Safe to run repeatedly; installs only what is missing.
set -euo pipefail

PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

pg_major() {
  if ls /etc/postgresql >/dev/null 2>&1; then ls /etc/postgresql | sort -n | tail -1; else echo 15; fi
}

pg_ready() {
  pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" 2>/dev/null
}

if ! command -v psql >/dev/null 2>&1; then
  echo "ensure-postgis: installing PostgreSQL" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

major=$(pg_major)
if [ ! -f "/usr/share/postgresql/${major}/extension/postgis.control" ]; then
  echo "ensure-postgis: installing postgresql-${major}-postgis-3" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-${major}-postgis-3" >/dev/null
fi

if ! pg_ready; then
  echo "ensure-postgis: starting PostgreSQL ${major}" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "${major}" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
pg_ready || { echo "ensure-postgis: PostgreSQL is not answering on ${PGHOST_ADDR}:${PGPORT_NUM}" >&2; exit 1; }

# The services create the extension themselves; creating it once here
# checks that it really loads.
PGOPTIONS='-c client_min_messages=warning' psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "ensure-postgis: PostgreSQL $(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'show server_version') with PostGIS $(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'select postgis_lib_version()') ready" >&2
