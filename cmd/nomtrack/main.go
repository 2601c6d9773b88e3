// Command nomtrack tracks a partner nation's nominations to NATO education and
// training. All the work is in internal/cli.
package main

import (
	"os"

	"github.com/nomtrack/nomtrack/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
