#!/usr/bin/env bash
# Benchmarks nomtrack side by side with sqlite3 and sqlite-utils on the same
# generated files (issue 6), and nomtrack's import into PostgreSQL beside
# psql's \copy (issue 17) when the machine has PostgreSQL's server binaries
# (Debian's postgresql; nombench starts a throwaway cluster, -skip postgres
# leaves it out); docs/benchmarks.md shows its latest output.
# It installs the Debian packages it needs when they are missing, then runs
# cmd/nombench with the flags given (see `scripts/bench.sh -h`):
#
#   scripts/bench.sh                full run: 100k and 1M rows, 3 runs each;
#                                   about 15 minutes on 2 cores (sqlite-utils
#                                   alone takes about two minutes a run at 1M)
#   scripts/bench.sh -quick         a quick look at 10k and 50k rows
#   scripts/bench.sh -data DIR      keep the generated files in DIR for next time
#   scripts/bench.sh -latency -data DIR
#                                   the daily commands on the kept 1M database
#                                   (issue 16; docs/benchmarks.md)
#
# Start-up (`nomtrack version` ÷ `sqlite3 --version`) is timed here by wall
# time, in the full run and in -latency; scripts/startup.sh measures it by
# perf stat (CPU time and page faults) beside the Go runtime's and the linked
# libraries' floors.
#
# Not run by CI: it measures wall-clock time, which needs a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# The latency mode (-latency) and -skip sqlite-utils do without sqlite-utils.
want_utils=1
for a in "$@"; do
  case "$a" in -latency|--latency|*sqlite-utils*) want_utils=0 ;; esac
done
need=()
[ -x /usr/bin/time ] || need+=(time)
[ -x /usr/bin/sqlite3 ] || need+=(sqlite3)
if [ "$want_utils" = 1 ]; then
  command -v sqlite-utils >/dev/null 2>&1 || need+=(sqlite-utils)
fi
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench.sh: missing ${need[*]} and no apt-get to install them; install them and run again" >&2
  else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "bench.sh: installing ${need[*]} from Debian's packages" >&2
    $sudo apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  fi
fi

exec go run ./cmd/nombench "$@"
