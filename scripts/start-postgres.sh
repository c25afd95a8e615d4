#!/bin/sh
# Start the local PostgreSQL 15 cluster and create the test role and database, idempotently.
# Prints the SQLAlchemy URL to use as LEAKTRACE_TEST_PG_URL. Run as root (CI and dev containers).
set -eu
# Only the URL goes to stdout; everything the server tools say goes to stderr.
exec 3>&1 1>&2

VERSION="${PG_VERSION:-15}"
CLUSTER="${PG_CLUSTER:-main}"
ROLE="leaktrace"
PASSWORD="leaktrace"
DB="leaktrace_test"

if ! pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" \
        '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
    # fd 3 is closed for the server so it does not hold our stdout open.
    pg_ctlcluster "$VERSION" "$CLUSTER" start 3>&-
fi

# Wait until the server accepts connections (start returns before it is always ready).
tries=0
until su postgres -c "pg_isready -q"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
        echo "start-postgres: server did not become ready" >&2
        exit 1
    fi
    sleep 1
done

psql_postgres() {
    su postgres -c "psql -v ON_ERROR_STOP=1 -tAc \"$1\""
}

if [ "$(psql_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    psql_postgres "CREATE USER $ROLE PASSWORD '$PASSWORD' SUPERUSER" >/dev/null
fi
if [ "$(psql_postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    su postgres -c "createdb -O $ROLE $DB"
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1/$DB" >&3
