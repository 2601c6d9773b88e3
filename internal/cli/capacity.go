package cli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/output"
	"github.com/spf13/cobra"
)

func newCapacityCmd(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "capacity",
		Short: "Set and list the seats the programme can fund each year",
		Long: `The capacity of a year is the seats the programme can fund: config 'capacity'
(default 500) unless a year has its own, set with 'capacity set'.`,
	}
	cmd.AddCommand(newCapacitySetCmd(app), newCapacityListCmd(app))
	return cmd
}

// capacityRow is one year of `capacity list`.
type capacityRow struct {
	nomtrack.Capacity
	Committed int `json:"committed"`
}

func newCapacitySetCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:     "set YEAR SEATS",
		Short:   "Set the capacity of one year (0 to 100000 seats)",
		Example: `  nomtrack capacity set 2026 480`,
		Args:    exactArgs("YEAR", "SEATS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			year, err := parseYear(args[0])
			if err != nil {
				return err
			}
			seats, err := strconv.Atoi(strings.TrimSpace(args[1]))
			if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(strings.TrimSpace(args[1]), "-") {
				seats, err = nomtrack.MaxSeats+1, nil // too large for an int: refused below
			}
			if err != nil {
				return nomtrack.Errorf(nomtrack.EUSAGE, "seats %q is not a whole number", args[1])
			}
			if seats < 0 {
				return nomtrack.Errorf(nomtrack.EINVALID, "seats %q is not a number of 0 or more", args[1])
			}
			if seats > nomtrack.MaxSeats {
				return nomtrack.Errorf(nomtrack.EINVALID, "seats: more than %d, the most a year's capacity may be", nomtrack.MaxSeats)
			}
			db, err := app.DB(cmd.Context())
			if err != nil {
				return err
			}
			c, err := db.SetCapacity(cmd.Context(), year, seats)
			if err != nil {
				return err
			}
			return app.Print(opts, output.TextFormats, blockDoc(c, []kv{{"year", c.Year}, {"seats", c.Seats}, {"source", c.Source}}))
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	declareFields(&opts, nomtrack.Capacity{})
	return cmd
}

func newCapacityListCmd(app *App) *cobra.Command {
	var opts output.Options
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the years with a capacity set or with offerings (newest first), with their effective capacity",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, args []string) error {
			def, err := configuredCapacity(app)
			if err != nil {
				return err
			}
			db, err := app.ReadDB(cmd.Context())
			if err != nil {
				return err
			}
			list, err := db.ListCapacity(cmd.Context(), def)
			if err != nil {
				return err
			}
			rows := make([]capacityRow, len(list))
			t := &output.Tab{Columns: []string{"year", "seats", "source", "committed"}}
			for i, c := range list {
				load, err := db.YearCommitted(cmd.Context(), c.Year, def)
				if err != nil {
					return err
				}
				rows[i] = capacityRow{c, load.Committed}
				t.Rows = append(t.Rows, []any{c.Year, c.Seats, c.Source, load.Committed})
			}
			return app.Print(opts, output.TextFormats, output.Doc{JSON: rows, Tab: t})
		},
	}
	addOutputFlags(cmd, &opts, output.TextFormats)
	addListFlags(cmd, &opts)
	return cmd
}
