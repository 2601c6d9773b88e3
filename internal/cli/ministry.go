package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

// Without a `ministries` config every ministry is accepted as written (SPEC
// §6), so the ministries already stored are the vocabulary: what a command
// gives is matched against them, exactly or else ignoring case, punctuation
// and Arabic letter variants (--ministry MOD finds MoD). With a config,
// ministryValue alone decides, as before.

// storedMinistry returns the stored ministry that s names ("" when none),
// with the stored ministries for suggestions. People and requests are read
// first; the nominations' ministries only when those lack it.
func storedMinistry(ctx context.Context, db *store.DB, s string) (match string, stored []string, err error) {
	for _, withNominations := range []bool{false, true} {
		if stored, err = db.StoredMinistries(ctx, withNominations); err != nil || len(stored) == 0 {
			continue
		}
		if slices.Contains(stored, s) {
			return s, stored, nil
		}
		codes := make(map[string][]string, len(stored))
		for _, m := range stored {
			codes[m] = nil
		}
		if m, err := nomtrack.NewVocabulary(codes).Resolve("ministry", s); err == nil {
			return m, stored, nil
		}
	}
	return "", stored, err
}

// ministryFilter resolves the --ministry of a list, export or report. With
// ministries configured it is ministryValue; without, it must name a stored
// ministry: one that matches none is not found (exit 4) with a suggestion,
// never an empty result with exit 0.
func ministryFilter(app *App, cmd *cobra.Command, s string) (string, error) {
	v, err := app.Ministries()
	if err != nil {
		return "", err
	}
	in := strings.Join(strings.Fields(s), " ")
	if !v.Empty() || in == "" {
		return v.Resolve("ministry", s)
	}
	db, err := app.ReadDB(cmd.Context())
	if err != nil {
		return "", err
	}
	match, stored, err := storedMinistry(cmd.Context(), db, in)
	if err != nil || match != "" {
		return match, err
	}
	msg := fmt.Sprintf("no person, nomination or request has ministry %q", in)
	switch sug := nomtrack.Suggest(in, stored); {
	case sug != "":
		return "", nomtrack.Errorf(nomtrack.ENOTFOUND, "%s; did you mean %s?", msg, sug)
	case len(stored) > 0:
		return "", nomtrack.Errorf(nomtrack.ENOTFOUND, "%s; the nearest stored: %s", msg, strings.Join(nomtrack.Nearest(in, stored, 3), ", "))
	}
	return "", nomtrack.Errorf(nomtrack.ENOTFOUND, "%s; no ministry is stored yet", msg)
}

// recordMinistry settles the ministry m (already through ministryValue) of
// a record about to be written. Without a config, a stored ministry that m
// names only by case, punctuation or letter variants is used instead; a new
// one is kept. say tells which, on stderr, with the nearest stored ones for
// a new one, so that "mod" does not silently start a second MoD; the caller
// calls it once the record is written, so a failed write stays one sentence.
func recordMinistry(app *App, ctx context.Context, db *store.DB, m string) (ministry string, say func(), err error) {
	say = func() {}
	v, err := app.Ministries()
	if err != nil || !v.Empty() || m == "" {
		return m, say, err
	}
	match, stored, err := storedMinistry(ctx, db, m)
	switch {
	case err != nil:
		return "", say, err
	case match == m:
	case match != "":
		return match, func() { app.IO.Notice("nomtrack: ministry %s is stored as %s; used %s", m, match, match) }, nil
	case len(stored) > 0:
		return m, func() {
			app.IO.Warn("ministry %s is new: no person, nomination or request had it (nearest stored: %s); check the spelling, or configure ministries",
				m, strings.Join(nomtrack.Nearest(m, stored, 3), ", "))
		}, nil
	}
	return m, say, nil
}
