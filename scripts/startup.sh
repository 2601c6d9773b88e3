#!/usr/bin/env bash
# Start-up of `nomtrack version` against `sqlite3 --version` (issue 16: at
# most 2 ×), by `perf stat -r RUNS` of each, in ROUNDS alternating rounds,
# beside two floors built for the comparison:
#
#   go hello        an empty Go program (fmt.Println): the Go runtime alone
#   nomtrack floor  this nomtrack, every package linked and initialised, that
#                   prints the version line at the top of main and exits: what
#                   the runtime and the libraries' package initialisation
#                   cost before nomtrack does anything
#   libraries floor only the libraries the design card and the issues fix
#                   (cobra, viper, modernc.org/sqlite, tablewriter; pgx for
#                   PostgreSQL, gojq for --jq), linked and initialised, and
#                   nothing run: no line of nomtrack (tablewriter is not in
#                   nomtrack's go.mod, so it is fetched into a copy of it)
#
# For each it prints perf's task-clock (CPU time of all the process's
# threads), page faults and elapsed time, then the ratios to sqlite3; then
# the min, 10th percentile and median task-clock of 3 × RUNS single runs of
# each, alternating. On a loaded machine elapsed time is mostly waiting for a
# CPU and the means are pulled up by the slow runs: compare the 10th
# percentiles, and run it again when the load is low. docs/benchmarks.md
# keeps the latest.
#
#   scripts/startup.sh                 3 rounds of perf stat -r 100
#   scripts/startup.sh ROUNDS RUNS
#   NOMTRACK=path scripts/startup.sh   measure that binary instead of a build
#
# Needs perf (Debian: linux-perf) and sqlite3; not run by CI (wall-clock).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
runs=${2:-100}
for tool in perf sqlite3 go; do
  command -v "$tool" >/dev/null || { echo "startup.sh: $tool is missing (Debian: linux-perf, sqlite3, golang)" >&2; exit 1; }
done

work=$(mktemp -d)
floor=cmd/.startup-floor-$$
trap 'rm -rf "$work" "$floor"' EXIT

# Built as released (.goreleaser.yaml): static, -trimpath, -s -w.
build=(env CGO_ENABLED=0 go build -trimpath -ldflags='-s -w')
nomtrack=${NOMTRACK:-$work/nomtrack}
[ -n "${NOMTRACK:-}" ] || "${build[@]}" -o "$nomtrack" ./cmd/nomtrack

mkdir -p "$floor"
cat >"$floor/main.go" <<'EOF'
// The start-up floor: nomtrack's packages, linked and initialised, and
// nothing run (cli.Main is referenced, so the linker keeps what it reaches).
package main

import (
	"os"

	"github.com/nomtrack/nomtrack/internal/cli"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "version" {
		os.Stdout.WriteString("nomtrack dev (floor)\n")
		os.Exit(0)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
EOF
"${build[@]}" -o "$work/floor" "./$floor"

mkdir -p "$work/libs"
sed 's|^module .*|module libsfloor|' go.mod >"$work/libs/go.mod"
cp go.sum "$work/libs/"
cat >"$work/libs/main.go" <<'EOF'
// The libraries' floor: the libraries nomtrack's design card and issues
// fix, linked (pgx through database/sql, as nomtrack links it) and
// initialised, and nothing run.
package main

import (
	"os"

	_ "github.com/itchyny/gojq"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
	_ "modernc.org/sqlite"
)

func main() { os.Stdout.WriteString("libraries floor\n") }
EOF
(cd "$work/libs" && GOFLAGS=-mod=mod go get github.com/olekukonko/tablewriter@v1.1.5 >/dev/null 2>&1 &&
  GOFLAGS=-mod=mod "${build[@]}" -o "$work/libs-floor" .) ||
  { echo "startup.sh: could not build the libraries' floor (fetching tablewriter)" >&2; exit 1; }

mkdir -p "$work/hello"
printf 'module hello\n\ngo 1.21\n' >"$work/hello/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$work/hello/main.go"
(cd "$work/hello" && "${build[@]}" -o "$work/go-hello" .)

names=("nomtrack version" "sqlite3 --version" "nomtrack floor" "libraries floor" "go hello")
cmds=("$nomtrack version" "sqlite3 --version" "$work/floor version" "$work/libs-floor" "$work/go-hello")
echo "perf stat -r $runs, $rounds alternating rounds; nomtrack $(du -h "$nomtrack" | cut -f1) (CGO_ENABLED=0 -trimpath -ldflags='-s -w'), $(go version | cut -d' ' -f3)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
printf '%-6s %-18s %10s %8s %10s %16s %12s\n' round command task-clock faults elapsed "÷ sqlite3 (cpu)" "(elapsed)"
for r in $(seq "$rounds"); do
  cpu=() faults=() ela=()
  for i in "${!cmds[@]}"; do
    # task-clock in msec, page faults, elapsed in seconds (perf's means).
    read -r cpu[i] faults[i] ela[i] < <(LC_ALL=C perf stat -r "$runs" ${cmds[$i]} 2>&1 >/dev/null |
      awk '/task-clock/{t=$1} /page-faults/{f=$1} /seconds time elapsed/{e=$1*1000} END{print t, f, e}')
  done
  for i in "${!cmds[@]}"; do
    printf '%-6s %-18s %7.2f ms %8s %7.2f ms %16s %12s\n' "$r" "${names[$i]}" "${cpu[$i]}" "${faults[$i]}" "${ela[$i]}" \
      "$(awk -v a="${cpu[$i]}" -v b="${cpu[1]}" 'BEGIN{printf "%.2f ×", a/b}')" \
      "$(awk -v a="${ela[$i]}" -v b="${ela[1]}" 'BEGIN{printf "%.2f ×", a/b}')"
  done
done
# perf stat -r reports means, which a busy machine pulls up; the low
# percentiles of single runs, alternating, are steadier.
spread=$((runs * 3))
echo "per run: task-clock of $spread single runs of each, alternating (perf stat -x); min, p10, p50"
declare -a samples
for n in $(seq "$spread"); do
  for i in "${!cmds[@]}"; do
    samples[i]+="$(LC_ALL=C perf stat -x';' -e task-clock ${cmds[$i]} 2>&1 >/dev/null | awk -F';' '$3=="task-clock"{print $1}') "
  done
done
for i in "${!cmds[@]}"; do
  tr ' ' '\n' <<<"${samples[$i]}" | grep . | sort -g | awk -v name="${names[$i]}" -v base="$(tr ' ' '\n' <<<"${samples[1]}" | grep . | sort -g | awk '{v[NR]=$1} END{print v[int(NR*0.1)+1]}')" \
    '{v[NR]=$1} END{p10=v[int(NR*0.1)+1]; printf "%-18s min %5.2f ms  p10 %5.2f ms  p50 %5.2f ms  p10 ÷ sqlite3 %.2f ×\n", name, v[1], p10, v[int(NR*0.5)+1], p10/base}'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
