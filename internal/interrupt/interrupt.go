// Package interrupt catches SIGINT and SIGTERM from the first moment Go lets
// a program catch them: its package initialisation, which runs before the
// rest of nomtrack's packages and before main. Until a signal is caught, the
// Go runtime ends the process at once, killed by the signal, without SPEC
// §8's exit 130 and its sentence; catching it only once the command tree
// was built left that window open for the first ~0.1 s of a loaded
// machine's start-up.
//
// Import it from the main package only: a test binary that imported it
// would catch its own Ctrl-C and go on running.
package interrupt

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// caught receives the first SIGINT or SIGTERM. One buffered slot keeps a
// signal that came before anyone reads it.
var caught = make(chan os.Signal, 1)

func init() {
	signal.Notify(caught, os.Interrupt, syscall.SIGTERM)
}

// Caught is the channel that has caught SIGINT and SIGTERM since start-up,
// for cli.MainCaught.
func Caught() chan os.Signal { return caught }

// testAtEnv is the variable by which nomtrack interrupts itself
// (internal/cli/import.go documents its stages); its stage "start" sends the
// signal at the start of main, before the command tree exists. The package
// imports nothing that would be initialised late (fmt, strings): Go
// initialises it as soon as os/signal is.
const testAtEnv = "NOMTRACK_TEST_INTERRUPT_AT"

// AtStartForTest sends this process SIGINT (SIGTERM with ":TERM") when
// NOMTRACK_TEST_INTERRUPT_AT is "start", as a Ctrl-C pressed as nomtrack
// starts would, and waits (up to 5 s) until it is caught, so the command
// that follows meets it. It is for the tests of internal/safety; it can do
// nothing the user could not.
func AtStartForTest(stderr *os.File) {
	sig := syscall.SIGINT
	switch os.Getenv(testAtEnv) {
	case "start", "start:INT":
	case "start:TERM":
		sig = syscall.SIGTERM
	default:
		return
	}
	stderr.WriteString("nomtrack: test: " + sig.String() + " at the start stage\n")
	syscall.Kill(os.Getpid(), sig)
	for deadline := time.Now().Add(5 * time.Second); len(caught) == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}
