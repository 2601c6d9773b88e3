// Package gen generates a deterministic, seeded NATO-training programme —
// courses, offerings, people and nominations — in the import formats of SPEC
// §4, for benchmarks, demos and tests of the importer at realistic scale.
//
// The same Config always yields byte-identical CSV files: every record is
// derived from the seed and its own index through a PCG source, never from map
// order or the clock. Memory stays flat in N: only the catalogue (a few
// thousand offerings) is held; people and nominations are streamed.
package gen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// dateLayout is how dates are written, as in the rest of nomtrack.
const dateLayout = nomtrack.DateLayout

// Default year range, used when Config leaves both years zero.
const (
	DefaultFromYear = 2010
	DefaultToYear   = 2025
)

// MaxProgrammeN is the largest N for which Write also produces programme.xlsx:
// an ordinary workbook of four sheets is only sensible for a sheet a person
// might open.
const MaxProgrammeN = 200000

// maxSheetRows is Excel's row limit, header included.
const maxSheetRows = 1048576

// Formats Write understands.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Config says what to generate. The zero value of FromYear/ToYear means
// DefaultFromYear..DefaultToYear and an empty Formats means CSV only, so that
// Config{N: 1000} is a complete request.
type Config struct {
	N                int      // nominations to generate; people are about N/4
	Seed             uint64   // the same N and Seed give the same files
	FromYear, ToYear int      // calendar years of the offerings, inclusive
	Formats          []string // FormatCSV and/or FormatXLSX
}

// Stats reports what Write produced, so callers can print a summary without
// reading the files back.
type Stats struct {
	Courses     int
	Offerings   int
	People      int
	Nominations int
	Files       []string // paths written, in the order they were written
}

// Validate reports whether c can be generated, with a message a user of
// nomgen can act on, so a command can reject bad flags before doing any work.
func (c Config) Validate() error {
	_, err := c.normalize()
	return err
}

// normalize applies the defaults and checks the configuration, returning an
// error a user of nomgen can act on.
func (c Config) normalize() (Config, error) {
	if c.FromYear == 0 && c.ToYear == 0 {
		c.FromYear, c.ToYear = DefaultFromYear, DefaultToYear
	}
	if len(c.Formats) == 0 {
		c.Formats = []string{FormatCSV}
	}
	if c.N < 0 {
		return c, fmt.Errorf("the number of nominations must be 0 or more, not %d", c.N)
	}
	if c.FromYear < 1950 || c.ToYear > 2100 || c.FromYear > c.ToYear {
		return c, fmt.Errorf("the year range %d-%d is not usable; give two years between 1950 and 2100, the first not after the second (e.g. 2010-2025)", c.FromYear, c.ToYear)
	}
	for _, f := range c.Formats {
		if f != FormatCSV && f != FormatXLSX {
			return c, fmt.Errorf("unknown format %q; use csv, xlsx or csv,xlsx", f)
		}
	}
	if slices.Contains(c.Formats, FormatXLSX) && c.N > maxSheetRows-1 {
		return c, fmt.Errorf("%d nominations do not fit in one XLSX sheet (at most %d rows); use -format csv for this size", c.N, maxSheetRows-1)
	}
	return c, nil
}

// generator holds the catalogue and the reusable scratch state of one stream
// of records; it is not safe for concurrent use, but several generators may
// share one catalogue.
type generator struct {
	cfg    Config
	cat    *catalogue
	plan   plan
	pcg    rand.PCG
	rnd    *rand.Rand
	chosen []int32
	noms   []nomination
	buf    []byte
}

func newGenerator(c Config, cat *catalogue) *generator {
	g := &generator{cfg: c, cat: cat, plan: newPlan(c)}
	g.rnd = rand.New(&g.pcg)
	g.chosen = make([]int32, 0, maxPerPerson)
	g.noms = make([]nomination, 0, maxPerPerson)
	g.buf = make([]byte, 0, 4096)
	return g
}

// prepare validates c and builds its generator.
func prepare(c Config) (*generator, error) {
	c, err := c.normalize()
	if err != nil {
		return nil, err
	}
	g := newGenerator(c, newCatalogue(c))
	g.seatCommitted()
	return g, nil
}

// seatCommitted gives every offering at least as many seats as the
// principals the programme commits to it: an import refuses rows that
// commit more principals than an offering's seats, as `nomination approve`
// does, and a ministry's real sheet does not either. The nominations are
// derived from the seed person by person, so one pass over the people
// counts them before any file is written (about a tenth of writing them).
func (g *generator) seatCommitted() {
	committed := make([]int32, len(g.cat.offerings))
	var p person
	for i := range g.plan.people {
		g.makePerson(i, &p)
		for _, n := range g.makeNominations(&p) {
			if n.role == nomtrack.RolePrincipal && nomtrack.Committed(n.status) {
				committed[n.offering]++
			}
		}
	}
	for i := range g.cat.offerings {
		g.cat.offerings[i].seats = max(g.cat.offerings[i].seats, int(committed[i]))
	}
}

// Write generates the programme of c into dir, creating dir with mode 0700 if
// it is missing (the files look like personal data, so they are 0600 too).
// It writes courses.csv, offerings.csv, people.csv and nominations.csv for the
// csv format, nominations.xlsx for xlsx, and programme.xlsx as well when N is
// at most MaxProgrammeN. A file that fails half-way is removed.
func Write(dir string, c Config) (Stats, error) {
	g, err := prepare(c)
	if err != nil {
		return Stats{}, err
	}
	c = g.cfg
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Stats{}, fmt.Errorf("cannot create the output directory %s: %w", dir, err)
	}
	st := Stats{
		Courses: len(g.cat.courses), Offerings: len(g.cat.offerings),
		People: g.plan.people, Nominations: c.N,
	}
	type job struct {
		file  string
		write func(io.Writer) error
	}
	var jobs []job
	if slices.Contains(c.Formats, FormatCSV) {
		jobs = append(jobs,
			job{"courses.csv", g.writeCoursesCSV},
			job{"offerings.csv", g.writeOfferingsCSV},
			job{"people.csv", g.writePeopleCSV},
			job{"nominations.csv", g.writeNominationsCSV},
		)
	}
	if slices.Contains(c.Formats, FormatXLSX) {
		jobs = append(jobs, job{"nominations.xlsx", g.writeNominationsXLSX})
		if c.N <= MaxProgrammeN {
			jobs = append(jobs, job{"programme.xlsx", g.writeProgrammeXLSX})
		}
	}
	for _, j := range jobs {
		path := filepath.Join(dir, j.file)
		if err := writeFile(path, j.write); err != nil {
			return st, err
		}
		st.Files = append(st.Files, path)
	}
	return st, nil
}

// writeFile writes one output file through a buffer, removing it on failure
// so that a half-written file is never mistaken for a whole one.
func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("cannot finish writing %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// streamTo runs write on a buffered w for the exported single-file writers.
func streamTo(w io.Writer, c Config, write func(*generator, io.Writer) error) error {
	g, err := prepare(c)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := write(g, bw); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCoursesCSV streams the courses.csv of c to w.
func WriteCoursesCSV(w io.Writer, c Config) error {
	return streamTo(w, c, (*generator).writeCoursesCSV)
}

// WriteOfferingsCSV streams the offerings.csv of c to w.
func WriteOfferingsCSV(w io.Writer, c Config) error {
	return streamTo(w, c, (*generator).writeOfferingsCSV)
}

// WritePeopleCSV streams the people.csv of c to w.
func WritePeopleCSV(w io.Writer, c Config) error {
	return streamTo(w, c, (*generator).writePeopleCSV)
}

// WriteNominationsCSV streams the nominations.csv of c to w: exactly c.N rows
// after the header, so benchmarks of the importer can generate in memory.
func WriteNominationsCSV(w io.Writer, c Config) error {
	return streamTo(w, c, (*generator).writeNominationsCSV)
}

// WriteNominationsXLSX streams nominations.xlsx of c (one sheet, Nominations,
// start as date cells) to w.
func WriteNominationsXLSX(w io.Writer, c Config) error {
	return streamTo(w, c, (*generator).writeNominationsXLSX)
}

// WriteProgrammeXLSX streams programme.xlsx of c (sheets Courses, Offerings,
// People, Nominations) to w. It refuses N above MaxProgrammeN.
func WriteProgrammeXLSX(w io.Writer, c Config) error {
	if c.N > MaxProgrammeN {
		return errors.New("programme.xlsx is written only for at most " + fmt.Sprint(MaxProgrammeN) + " nominations; use nominations.xlsx or CSV for larger runs")
	}
	return streamTo(w, c, (*generator).writeProgrammeXLSX)
}

// ParseFormats splits a comma-separated list such as "csv,xlsx" into formats,
// lower-cased and without blanks or repeats.
func ParseFormats(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
