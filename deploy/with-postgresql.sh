#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server started for it, then stops the server.
#   deploy/with-postgresql.sh ./mvnw -B test
# The command sees PANCAT_TEST_DB_URL/USER/PASSWORD and QUARKUS_DATASOURCE_DB_KIND=postgresql,
# which the test profile uses instead of the embedded H2. Installs PostgreSQL with apt if missing.
set -euo pipefail

# PANCAT_PG_PORT pins the port; by default the first free one from 55432 (a port in the ephemeral
# range can be taken by any process that asked for a free port, a test node for instance)
port="${PANCAT_PG_PORT:-}"
if [ -z "$port" ]; then
  port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "installing PostgreSQL (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

data=$(mktemp -d /tmp/pancat-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres: "$data"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap stop EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust >/dev/null
if ! "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1" start >/dev/null; then
  # say why (the log goes with the data directory when this script exits)
  echo "PostgreSQL did not start on port $port; its log:" >&2
  cat "$data/server.log" >&2 || true
  exit 1
fi
"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 \
  -c "CREATE USER pancat PASSWORD 'pancat' CREATEDB" -c "CREATE DATABASE pancat_test OWNER pancat"
"$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -tA -c "SELECT version()" >&2

export QUARKUS_DATASOURCE_DB_KIND=postgresql
export PANCAT_TEST_DB_URL="jdbc:postgresql://127.0.0.1:$port/pancat_test"
export PANCAT_TEST_DB_USER=pancat
export PANCAT_TEST_DB_PASSWORD=pancat
"$@"
