// Command nomtrack tracks a partner nation's nominations to NATO education and
// training. All the work is in internal/cli.
package main

import (
	"os"

	"github.com/nomtrack/nomtrack/internal/cli"
	// interrupt catches SIGINT and SIGTERM from package initialisation on,
	// before main and before the command tree exists (SPEC §8: exit 130).
	"github.com/nomtrack/nomtrack/internal/interrupt"
)

func main() {
	interrupt.AtStartForTest(os.Stderr)
	os.Exit(cli.MainCaught(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, interrupt.Caught()))
}
