#!/usr/bin/env bash
# The floor of an import into nomtrack's PostgreSQL schema (issue 17,
# docs/postgres.md "Import speed"): psql's \copy of rows already resolved to
# ids straight into nomtrack's own tables, beside the floor scripts/bench.sh
# compares nomtrack's import with (psql's \copy of the CSV into a flat table
# with the same unique key). Each load is one psql command, one transaction,
# on the same cluster; the server's CPU time is read from /proc for the
# backend that did the work, since wall-clock time on a shared machine
# follows the load.
#
#   scripts/pgfloor.sh -host SOCKETDIR_OR_HOST -source DBNAME -csv nominations.csv [-runs 3] [-user postgres]
#
# -source is a nomtrack database on that server holding the same programme
# as the CSV (for example made by `nomtrack db copy --to postgres://…` from
# an SQLite import of it); its rows are exported once as the resolved rows.
# The role must be a superuser (it reads /proc/PID/stat through
# pg_read_file and creates databases). Each run creates and drops its own
# databases: pgfloor_flat, pgfloor_nom, pgfloor_nofk, pgfloor_noidx,
# pgfloor_all. Loads printed:
#
#   flat       the CSV into the flat table: UNIQUE (ref, course, start), an index on start
#   nom        the nominations into nomination (its 4 indexes, primary and unique keys,
#              2 foreign keys, checks), courses, offerings and people already there
#   nom-nofk   the same without the two foreign keys
#   nom-noidx  the same without the foreign keys and every index but the primary key
#   all        people, their search tokens and the nominations, one transaction (psql -1)
set -euo pipefail

host="" source="" csv="" runs=3 user=postgres
while [ $# -gt 0 ]; do
	case "$1" in
	-host) host=$2; shift 2 ;;
	-source) source=$2; shift 2 ;;
	-csv) csv=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-user) user=$2; shift 2 ;;
	*) echo "pgfloor: unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
	esac
done
if [ -z "$host" ] || [ -z "$source" ] || [ ! -r "$csv" ]; then
	echo "pgfloor: give -host, -source and a readable -csv (see the head of $0)" >&2
	exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
psql_bin=${bin:+$bin/}psql
command -v "$psql_bin" >/dev/null || { echo "pgfloor: no psql found" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
go build -o "$work/nomtrack" "$repo/cmd/nomtrack"
tck=$(getconf CLK_TCK)

psql() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$host" -U "$user" "$@"; }
url() { echo "postgres://$user@/$1?host=$host"; }

# The resolved rows, once.
for t in course offering person person_search_token nomination; do
	psql -d "$source" -c "\\copy (SELECT * FROM $t ORDER BY 1, 2) TO '$work/$t.csv' WITH (FORMAT csv, HEADER true)"
done

fresh() { psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
nomdb() { # a nomtrack database holding the courses and offerings, and the people unless $2 is nopeople
	fresh "$1"
	"$work/nomtrack" --db "$(url "$1")" init >/dev/null 2>&1
	psql -d "$1" -c "\\copy course FROM '$work/course.csv' WITH (FORMAT csv, HEADER true)" \
		-c "\\copy offering FROM '$work/offering.csv' WITH (FORMAT csv, HEADER true)"
	if [ "${2:-}" != nopeople ]; then
		psql -d "$1" -c "\\copy person FROM '$work/person.csv' WITH (FORMAT csv, HEADER true)"
	fi
	psql -d "$1" -c "CHECKPOINT"
}
timed() { # timed NAME psql-arguments…: wall and CPU of psql, and the CPU of its server backend
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$work/time" "$psql_bin" -X -q -At -v ON_ERROR_STOP=1 -h "$host" -U "$user" "$@" \
		-c "SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ' ', 14)::bigint + split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ' ', 15)::bigint" >"$work/ticks"
	read -r wall u s <"$work/time"
	printf "%-10s wall %7.2f s  psql cpu %5.2f s  server cpu %6.2f s  load %s\n" "$name" "$wall" \
		"$(echo "$u + $s" | bc)" "$(echo "$(tail -1 "$work/ticks") / $tck" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
}

header=$(head -1 "$csv")
for _ in $(seq "$runs"); do
	fresh pgfloor_flat
	psql -d pgfloor_flat -c "CREATE TABLE nominations (${header//,/ TEXT, } TEXT, UNIQUE (ref, course, start)); CREATE INDEX nominations_start ON nominations(start); CHECKPOINT"
	timed flat -d pgfloor_flat -c "\\copy nominations FROM '$csv' WITH (FORMAT csv, HEADER true)"

	nomdb pgfloor_nom
	timed nom -d pgfloor_nom -c "\\copy nomination FROM '$work/nomination.csv' WITH (FORMAT csv, HEADER true)"

	nomdb pgfloor_nofk
	psql -d pgfloor_nofk -c "ALTER TABLE nomination DROP CONSTRAINT nomination_offering_id_fkey, DROP CONSTRAINT nomination_person_id_fkey; CHECKPOINT"
	timed nom-nofk -d pgfloor_nofk -c "\\copy nomination FROM '$work/nomination.csv' WITH (FORMAT csv, HEADER true)"

	nomdb pgfloor_noidx
	psql -d pgfloor_noidx -c "ALTER TABLE nomination DROP CONSTRAINT nomination_offering_id_fkey, DROP CONSTRAINT nomination_person_id_fkey, DROP CONSTRAINT nomination_person_id_offering_id_key; DROP INDEX nomination_offering_cover, nomination_participation, nomination_status; CHECKPOINT"
	timed nom-noidx -d pgfloor_noidx -c "\\copy nomination FROM '$work/nomination.csv' WITH (FORMAT csv, HEADER true)"

	nomdb pgfloor_all nopeople
	timed all -1 -d pgfloor_all -c "\\copy person FROM '$work/person.csv' WITH (FORMAT csv, HEADER true)" \
		-c "\\copy person_search_token FROM '$work/person_search_token.csv' WITH (FORMAT csv, HEADER true)" \
		-c "\\copy nomination FROM '$work/nomination.csv' WITH (FORMAT csv, HEADER true)"
done
for d in flat nom nofk noidx all; do
	psql -d postgres -c "DROP DATABASE IF EXISTS pgfloor_$d"
done
