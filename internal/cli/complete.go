package cli

import (
	"slices"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
	"github.com/spf13/cobra"
)

// completionLimit is how many values a completion offers at most.
const completionLimit = 50

// completeFrom completes a value of kind from the database. It opens the
// database read-only-style (ReadDB: never created); without one it offers
// nothing, and it never offers file names.
func completeFrom(app *App, kind string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		db, err := app.ReadDB(cmd.Context())
		if err != nil {
			cobra.CompDebugln("nomtrack: "+err.Error(), false)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		values, err := db.Complete(cmd.Context(), kind, toComplete, completionLimit)
		if err != nil {
			cobra.CompDebugln("nomtrack: "+err.Error(), false)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return withVocabulary(app, kind, toComplete, values), cobra.ShellCompDirectiveNoFileComp
	}
}

// withVocabulary puts first, before the values stored, the configured codes
// a ministry or area flag takes (config ministries; config areas, which
// default to the five of SPEC §6): a value nothing uses yet is still one a
// command accepts.
func withVocabulary(app *App, kind, prefix string, values []string) []string {
	var v *nomtrack.Vocabulary
	var err error
	switch kind {
	case store.CompleteMinistry:
		v, err = app.Ministries()
	case store.CompleteArea:
		v, err = app.Areas()
	default:
		return values
	}
	if err != nil || v.Empty() {
		return values
	}
	var out []string
	for _, c := range append(v.Codes(), values...) {
		if strings.HasPrefix(strings.ToUpper(c), strings.ToUpper(prefix)) && !slices.Contains(out, c) && len(out) < completionLimit {
			out = append(out, c)
		}
	}
	return out
}

// flagKinds are flags' names with what each takes, wherever it appears (a
// list, not a map: nothing to build at start-up).
var flagKinds = []struct{ name, kind string }{
	{"course", store.CompleteCourse},
	{"offering", store.CompleteOffering},
	{"person", store.CompletePerson},
	{"ministry", store.CompleteMinistry},
	{"area", store.CompleteArea},
}

// argKind says what a positional argument named in a command's Use line
// takes (PERSON, OFFERING, ID|REF…), given the noun the command sits under;
// "" when it is not completed from the data.
func argKind(noun, name string) string {
	name = strings.Trim(name, "[].")
	switch name {
	case "PERSON", "KEEP", "DROP":
		return store.CompletePerson
	case "OFFERING":
		return store.CompleteOffering
	case "CODE":
		return store.CompleteCourse
	case "REF":
		if noun == "offering" {
			return store.CompleteOffering
		}
	case "ID|REF":
		return store.CompletePerson
	case "ID":
		if noun == "nomination" {
			return store.CompleteNomination
		}
	}
	return ""
}

// addCompletions gives every command of the tree completions from the data,
// by the names of its flags and of the arguments in its Use line, so a
// command added later completes the same way without code of its own.
// Completions a command registered itself are kept.
func addCompletions(app *App, cmd *cobra.Command) {
	for _, f := range flagKinds {
		name, kind := f.name, f.kind
		if cmd.Flags().Lookup(name) == nil {
			continue
		}
		if _, ok := cmd.GetFlagCompletionFunc(name); !ok {
			cmd.RegisterFlagCompletionFunc(name, completeFrom(app, kind))
		}
	}
	if cmd.Flags().Lookup("status") != nil {
		if _, ok := cmd.GetFlagCompletionFunc("status"); !ok {
			cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions(nomtrack.Statuses, cobra.ShellCompDirectiveNoFileComp))
		}
	}
	if cmd.ValidArgsFunction == nil && cmd.Runnable() && cmd.Parent() != nil {
		noun := cmd.Parent().Name()
		if cmd.Name() == "add" && noun == "course" {
			return // a new code
		}
		var kinds []string
		repeat := false
		for _, f := range strings.Fields(cmd.Use)[1:] {
			if strings.HasPrefix(f, "-") {
				break
			}
			if strings.ToUpper(f) != f {
				continue // a fixed word such as a subcommand list
			}
			repeat = strings.HasSuffix(f, "...")
			kinds = append(kinds, argKind(noun, f))
		}
		if len(kinds) == 0 {
			return
		}
		cmd.ValidArgsFunction = func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			i := len(args)
			if i >= len(kinds) {
				if !repeat {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				i = len(kinds) - 1
			}
			if kinds[i] == "" {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeFrom(app, kinds[i])(c, args, toComplete)
		}
	}
}
