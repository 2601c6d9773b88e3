#!/usr/bin/env bash
# The project's test command (README): vet, the whole test suite (unit tests
# and testscript scenarios against the real command tree), and a short run of
# each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...
go test -count=1 ./...

# The PostgreSQL half (issue 17), against a throwaway cluster from the
# machine's server binaries (internal/pgtest): the store's conformance suite
# (its tests about SQLite files and SQLite's plans skip, saying why), every
# testscript scenario on PostgreSQL (those about SQLite files skip, saying
# why; postgres_login and postgres_ssl log in over TCP with passwords and
# sslmode), and many coordinators on one database (the seat race, eight
# writers, readers beside an import, killed imports). Without server
# binaries it skips with one line saying so; with CI=true (.ci/run, which
# installs Debian's postgresql) it fails instead.
# Every store test makes and migrates a database of its own on the server:
# the store package took 5 minutes alone on a loaded 2-core machine, and
# passed go test's default limit of 10 when the machine was busier still,
# hence the longer limit.
NOMTRACK_TEST_ENGINE=postgres go test -count=1 -timeout 30m ./internal/store ./cmd/nomtrack ./internal/safety/pgsafety

# The import pipeline reads, parses and writes rows in three goroutines, and
# a signal cancels their work from another: the race detector watches them
# (-short leaves out the multi-second generated files; about two minutes of
# CPU).
go test -race -short -count=1 ./internal/importer ./internal/output

# Fuzz targets run briefly (FUZZTIME, default 20,000 inputs each); crashers
# found become regression seeds under testdata/fuzz. The budget is a count,
# not a duration: go1.26's fuzzing coordinator can report "context deadline
# exceeded" as a failure when a duration runs out while a worker is busy
# (golang/go#75804, fixed in go1.27), which failed a clean CI run here with
# no crasher. New inputs are minimised for at most 5s each.
fuzztime="${FUZZTIME:-20000x}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //'); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=5s "$pkg"
  done
done
