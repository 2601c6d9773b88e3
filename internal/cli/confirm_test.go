package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

// confirmFixture is an App over in-memory streams (stdin a terminal or
// not, holding answer) and a database with one request to remove.
func confirmFixture(t *testing.T, tty bool, answer string) (*App, *store.DB, *bytes.Buffer) {
	t.Helper()
	var errOut bytes.Buffer
	app := NewApp(strings.NewReader(answer), &bytes.Buffer{}, &errOut)
	app.IO.InTTY = tty
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.CreateRequest(context.Background(), &nomtrack.Request{Ministry: "MoD", Area: "a", Year: 2026, Seats: 3}); err != nil {
		t.Fatal(err)
	}
	return app, db, &errOut
}

// removeRequest is the op of the tests: remove request 1, counting calls.
func removeRequest(calls *[]bool) func(*store.DB) error {
	return func(db *store.DB) error {
		*calls = append(*calls, db.IsDryRun())
		_, err := db.RemoveRequest(context.Background(), 1, "test")
		return err
	}
}

func requestsLeft(t *testing.T, db *store.DB) int {
	list, err := db.ListRequests(context.Background(), store.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestConfirm(t *testing.T) {
	cmd := &cobra.Command{Use: "remove"}
	question := func() string { return "Remove request 1?" }
	t.Run("ErrUsage_NoTerminalNoYes", func(t *testing.T) {
		app, db, _ := confirmFixture(t, false, "y\n")
		var calls []bool
		_, err := confirmOptions{}.run(app, cmd, db, removeRequest(&calls), question)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(ue.msg, "pass --yes to go ahead or --dry-run") || len(calls) != 0 {
			t.Errorf("run = %v, calls %v", err, calls)
		}
	})
	t.Run("OK_DryRunWritesNothing", func(t *testing.T) {
		app, db, _ := confirmFixture(t, false, "")
		var calls []bool
		dry, err := confirmOptions{dryRun: true}.run(app, cmd, db, removeRequest(&calls), question)
		if err != nil || !dry || len(calls) != 1 || !calls[0] || requestsLeft(t, db) != 1 {
			t.Errorf("run = %v, %v, calls %v, left %d", dry, err, calls, requestsLeft(t, db))
		}
	})
	t.Run("OK_YesDoesNotAsk", func(t *testing.T) {
		app, db, errOut := confirmFixture(t, true, "n\n")
		var calls []bool
		dry, err := confirmOptions{yes: true}.run(app, cmd, db, removeRequest(&calls), question)
		if err != nil || dry || len(calls) != 1 || calls[0] || errOut.Len() != 0 || requestsLeft(t, db) != 0 {
			t.Errorf("run = %v, %v, calls %v, stderr %q", dry, err, calls, errOut)
		}
	})
	for _, answer := range []string{"y\n", "YES\n", " yes "} {
		t.Run("OK_TerminalAnswered_"+strings.TrimSpace(answer), func(t *testing.T) {
			app, db, errOut := confirmFixture(t, true, answer)
			var calls []bool
			dry, err := confirmOptions{}.run(app, cmd, db, removeRequest(&calls), question)
			if err != nil || dry || len(calls) != 2 || !calls[0] || calls[1] || requestsLeft(t, db) != 0 {
				t.Errorf("run = %v, %v, calls %v", dry, err, calls)
			}
			if errOut.String() != "Remove request 1? [y/N] " {
				t.Errorf("stderr = %q", errOut)
			}
		})
	}
	for _, answer := range []string{"n\n", "\n", "", "yep\n"} {
		t.Run("ErrNotConfirmed_"+strings.TrimSpace(answer), func(t *testing.T) {
			app, db, _ := confirmFixture(t, true, answer)
			var calls []bool
			_, err := confirmOptions{}.run(app, cmd, db, removeRequest(&calls), question)
			if !errors.Is(err, errNotConfirmed) || len(calls) != 1 || requestsLeft(t, db) != 1 {
				t.Errorf("run = %v, calls %v, left %d", err, calls, requestsLeft(t, db))
			}
			if code := reportError(&bytes.Buffer{}, err); code != ExitFailure {
				t.Errorf("exit code = %d, want %d", code, ExitFailure)
			}
		})
	}
	t.Run("ErrRefusedBeforeAsking", func(t *testing.T) {
		app, db, errOut := confirmFixture(t, true, "y\n")
		op := func(db *store.DB) error {
			_, err := db.RemoveRequest(context.Background(), 9, "")
			return err
		}
		_, err := confirmOptions{}.run(app, cmd, db, op, question)
		if nomtrack.ErrorCode(err) != nomtrack.ENOTFOUND || errOut.Len() != 0 {
			t.Errorf("run = %v, stderr %q; the refusal should come before the question", err, errOut)
		}
	})
}

// TestEveryDestructiveCommandConfirms walks the command tree: each remove,
// merge and cancel takes --dry-run and --yes (SPEC §3).
func TestEveryDestructiveCommandConfirms(t *testing.T) {
	root := NewRootCmd(NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}))
	var walk func(*cobra.Command)
	found := 0
	walk = func(c *cobra.Command) {
		switch c.Name() {
		case "remove", "merge", "cancel":
			found++
			for _, f := range []string{"dry-run", "yes"} {
				if c.Flags().Lookup(f) == nil {
					t.Errorf("'%s' has no --%s", c.CommandPath(), f)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if found < 7 {
		t.Errorf("found %d destructive commands, want at least 7 (person merge, offering cancel, five removes)", found)
	}
}
