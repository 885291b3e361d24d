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

# The tests run many suites at once, each with a pool per process (up to 10
# connections, libs/pg): a server left at Debian's 100 connections refuses
# some of them under load. Raise it once (a restart) when it is lower.
want_conns=${PG_MIN_CONNECTIONS:-300}
have_conns=$(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'show max_connections')
if [ "$have_conns" -lt "$want_conns" ]; then
  echo "ensure-postgis: raising max_connections from ${have_conns} to ${want_conns} (restarts PostgreSQL ${major})" >&2
  psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "ALTER SYSTEM SET max_connections = ${want_conns}" >/dev/null
  as_root pg_ctlcluster --skip-systemctl-redirect "${major}" main restart
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { echo "ensure-postgis: PostgreSQL did not come back after the restart" >&2; exit 1; }
fi

# make bench profiles the statements of its pipeline section with
# pg_stat_statements, which has to be loaded when the server starts: with
# PG_STAT_STATEMENTS=1 it is added to shared_preload_libraries once (a
# restart). The tests do not need it.
if [ "${PG_STAT_STATEMENTS:-0}" = 1 ]; then
  have_libs=$(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'show shared_preload_libraries')
  case ",${have_libs// /}," in
    *,pg_stat_statements,*) ;;
    *)
      want_libs=pg_stat_statements
      [ -n "$have_libs" ] && want_libs="${have_libs},pg_stat_statements"
      echo "ensure-postgis: loading pg_stat_statements (restarts PostgreSQL ${major})" >&2
      psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "ALTER SYSTEM SET shared_preload_libraries = '${want_libs}'" >/dev/null
      as_root pg_ctlcluster --skip-systemctl-redirect "${major}" main restart
      for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
      pg_ready || { echo "ensure-postgis: PostgreSQL did not come back after the restart" >&2; exit 1; }
      ;;
  esac
fi

# The services create the extension themselves; creating it once here
# checks that it really loads.
PGOPTIONS='-c client_min_messages=warning' psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
echo "ensure-postgis: PostgreSQL $(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'show server_version') with PostGIS $(psql -tA -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c 'select postgis_lib_version()') ready" >&2
