package cli

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/nomtrack/nomtrack/internal/config"
	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/pflag"
)

// App is what every command reaches for: the streams, and the configuration
// and database, both opened lazily so that --help, version and completion
// never touch the database.
type App struct {
	IO *output.Streams
	// Now is the clock; NOMTRACK_NOW (a date or RFC 3339 time) pins it, so
	// tests and rehearsals can run "as of" a day.
	Now func() time.Time

	globalFlags *pflag.FlagSet
	configPath  string
	cfg         *config.Config
	db          *store.DB
	// inputs are the files the command reads (an import's sheet): no
	// output may replace them.
	inputs []string
	// done is closed when the command is interrupted (SIGINT, SIGTERM):
	// files being written are then given up.
	done <-chan struct{}
	// caught is where SIGINT and SIGTERM were caught since start-up (see
	// MainCaught); nil when Run is to catch them itself.
	caught chan os.Signal
}

// Config loads the configuration once.
func (a *App) Config() (*config.Config, error) {
	if a.cfg == nil {
		cfg, err := config.Load(a.globalFlags, a.configPath)
		if err != nil {
			return nil, err
		}
		a.cfg = cfg
	}
	return a.cfg, nil
}

// DB opens the database once, creating it when missing (said on stderr):
// for init, import and the commands that write a record.
func (a *App) DB(ctx context.Context) (*store.DB, error) { return a.open(ctx, false) }

// ReadDB opens the database once for a command that only reads: a missing
// database is "not found" (exit 4), never created.
func (a *App) ReadDB(ctx context.Context) (*store.DB, error) { return a.open(ctx, true) }

func (a *App) open(ctx context.Context, mustExist bool) (*store.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	if !mustExist && !store.IsPostgresURL(cfg.DB) {
		// A new database never takes the name of another's -wal, -shm or
		// -journal: SQLite would delete it when that one is next opened.
		if _, err := os.Stat(cfg.DB); errors.Is(err, os.ErrNotExist) {
			if err := files.CheckDatabaseTarget(cfg.DB, ""); err != nil {
				return nil, err
			}
		}
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{
		BusyTimeout: cfg.BusyTimeout,
		Now:         a.Now,
		Actor:       cfg.Actor,
		MustExist:   mustExist,
		OnWait: func() {
			a.IO.Notice("nomtrack: waiting for another nomtrack command to finish writing (up to %s)…", cfg.BusyTimeout)
		},
	})
	if err != nil {
		return nil, err
	}
	if db.Created {
		a.IO.Notice("nomtrack: created a new database at %s", db.Path())
	}
	a.db = db
	return db, nil
}

// keep lists the files no output of this command may replace: the database
// (and its companion files) and the command's inputs.
func (a *App) keep() []files.Keep {
	var keep []files.Keep
	if cfg, err := a.Config(); err == nil && cfg.DB != "" {
		keep = append(keep, files.Database(cfg.DB))
	}
	for _, in := range a.inputs {
		keep = append(keep, files.Input(in))
	}
	return keep
}

// checkOutput refuses, before any work, an --out that would replace the
// database, an input or any nomtrack database.
func (a *App) checkOutput(path string) error {
	if path == "" {
		return nil // stdout: nothing to keep, and no configuration to load
	}
	return files.CheckOutput(path, a.keep()...)
}

// Close closes the database if it was opened.
func (a *App) Close() {
	if a.db != nil {
		a.db.Close()
		a.db = nil
	}
}

// Print renders d with the command's output flags; --out is checked against
// the files it must not replace.
func (a *App) Print(opts output.Options, allowed []string, d output.Doc) error {
	if opts.OutFile != "" {
		opts.Keep = a.keep()
	}
	opts.Done = a.done
	return output.Write(a.IO, opts, allowed, d)
}

// PrintStream prints the records produce emits as they come
// (output.WriteStream), with the same checks as Print.
func (a *App) PrintStream(opts output.Options, allowed []string, st output.Stream, produce func(output.Emit) error) error {
	if opts.OutFile != "" {
		opts.Keep = a.keep()
	}
	opts.Done = a.done
	return output.WriteStream(a.IO, opts, allowed, st, produce)
}

// clock returns time.Now, or the instant NOMTRACK_NOW pins.
func clock() (func() time.Time, error) {
	v := os.Getenv("NOMTRACK_NOW")
	if v == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if t, err = time.Parse(nomtrack.DateLayout, v); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "NOMTRACK_NOW %q is neither a date (YYYY-MM-DD) nor an RFC 3339 time", v)
		}
	}
	return func() time.Time { return t }, nil
}

// Ministries is the configured ministry vocabulary (empty: any ministry is
// accepted as written).
func (a *App) Ministries() (*nomtrack.Vocabulary, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	return nomtrack.NewVocabulary(cfg.Ministries), nil
}

// Ranks are the rank titles that give NATO rank codes: the built-in ones
// and config ranks. A configured code that is not a rank code is a
// configuration error (exit 2).
func (a *App) Ranks() (*nomtrack.RankTitles, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	t, err := nomtrack.NewRankTitles(cfg.Ranks)
	if err != nil {
		where := "NOMTRACK_RANKS"
		if cfg.Sources["ranks"] == config.SourceFile {
			where = cfg.File
		}
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "%s: %s", where, nomtrack.ErrorMessage(err))
	}
	return t, nil
}

// Areas is the configured vocabulary of areas of cooperation.
func (a *App) Areas() (*nomtrack.Vocabulary, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	return nomtrack.NewAreaVocabulary(cfg.Areas), nil
}
