// Command mangen writes a man page for every nomtrack command, generated from
// the command tree itself:
//
//	go run ./cmd/mangen DIR
//
// It is a separate program so that the nomtrack binary does not carry (and
// initialise at every start) the Markdown and roff renderers it needs.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/nomtrack/nomtrack/internal/cli"
	"github.com/spf13/cobra/doc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: mangen DIR  (writes nomtrack*.1 into DIR)")
		return 2
	}
	dir := args[0]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(stderr, "mangen: cannot create %s: %v\n", dir, err)
		return 1
	}
	root := cli.NewRootCmd(cli.NewApp(os.Stdin, stdout, stderr))
	header := &doc.GenManHeader{Title: "NOMTRACK", Section: "1", Source: "nomtrack"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		fmt.Fprintf(stderr, "mangen: cannot write man pages to %s: %v\n", dir, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote man pages to %s\n", dir)
	return 0
}
