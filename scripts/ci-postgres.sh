#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster for CI and prints the URL for HEARTH_TEST_POSTGRES_URL.
#
# Installs nothing. Run as root on Debian with the postgresql package present. Idempotent:
# a running cluster, an existing role or database are left as they are (the role's password
# and rights are re-asserted). Progress goes to stderr; stdout is only the URL, so:
#   export HEARTH_TEST_POSTGRES_URL="$(scripts/ci-postgres.sh)"
set -euo pipefail

ROLE=hearth
PASSWORD=hearth
DATABASE=hearth_test
CLUSTER="${HEARTH_PG_CLUSTER:-main}"  # overridable to try the script on a scratch cluster

log() { echo "ci-postgres: $*" >&2; }

version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$version" ]]; then
  log "no PostgreSQL under /usr/lib/postgresql (install the postgresql package)"
  exit 1
fi

# Columns of `pg_lsclusters -h`: version cluster port status owner datadir logfile.
cluster_field() { pg_lsclusters -h | awk -v v="$version" -v c="$CLUSTER" -v f="$1" '$1 == v && $2 == c { print $f }'; }

if [[ -z "$(cluster_field 2)" ]]; then
  log "creating cluster $version/$CLUSTER"
  pg_createcluster "$version" "$CLUSTER" >&2
fi

if [[ "$(cluster_field 4)" != online* ]]; then
  log "starting cluster $version/$CLUSTER"
  pg_ctlcluster "$version" "$CLUSTER" start >&2
fi

port="$(cluster_field 3)"
for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  log "cluster $version/$CLUSTER is not accepting connections on port $port"
  exit 1
fi

# psql as the postgres superuser over the local socket (peer auth); cd / so it can read its cwd.
as_postgres() { (cd / && runuser -u postgres -- psql -X -q -p "$port" -v ON_ERROR_STOP=1 "$@"); }

if [[ "$(as_postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]]; then
  log "creating role $ROLE"
  as_postgres -c "CREATE ROLE $ROLE"
fi
as_postgres -c "ALTER ROLE $ROLE WITH LOGIN CREATEDB PASSWORD '$PASSWORD'"

if [[ "$(as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]]; then
  log "creating database $DATABASE"
  as_postgres -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi
as_postgres -c "ALTER DATABASE $DATABASE OWNER TO $ROLE"

log "ready: PostgreSQL $version on port $port"
echo "postgres://$ROLE:$PASSWORD@127.0.0.1:$port/$DATABASE"
