package cli

import (
	"context"
	"os"
	"time"

	"github.com/nomtrack/nomtrack/internal/config"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/nomtrack/nomtrack/internal/sqlite"
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
	db          *sqlite.DB
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

// DB opens the database once, creating it when missing (said on stderr).
func (a *App) DB(ctx context.Context) (*sqlite.DB, error) {
	if a.db != nil {
		return a.db, nil
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(ctx, cfg.DB, sqlite.Options{
		BusyTimeout: cfg.BusyTimeout,
		Now:         a.Now,
		Actor:       cfg.Actor,
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

// Close closes the database if it was opened.
func (a *App) Close() {
	if a.db != nil {
		a.db.Close()
		a.db = nil
	}
}

// Print renders d with the command's output flags.
func (a *App) Print(opts output.Options, allowed []string, d output.Doc) error {
	return output.Write(a.IO, opts, allowed, d)
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

// Areas is the configured vocabulary of areas of cooperation.
func (a *App) Areas() (*nomtrack.Vocabulary, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	return nomtrack.NewAreaVocabulary(cfg.Areas), nil
}
