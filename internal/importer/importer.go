// Package importer turns spreadsheet rows into validated records written in
// one transaction (SPEC §4). It streams: each row is read, validated and
// written inside the open transaction, so memory stays flat however long the
// file is, and a failed or interrupted import is rolled back whole. Lookups
// (courses, offerings, people) are kept in compact in-memory maps; the store
// side is store.Loader.
package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nomtrack/nomtrack/internal/files"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/sheet"
	"github.com/nomtrack/nomtrack/internal/store"
)

// KindWorkbook is the kind of an xlsx whose sheets are named by kind.
const KindWorkbook = "workbook"

// On-error policies.
const (
	OnErrorAbort = "abort"
	OnErrorSkip  = "skip"
)

// DefaultCacheSizeKiB is the page cache of an import's connection: enough
// for the hot pages of a million nominations' unique index, small enough
// that a whole import stays within 100 MB.
const DefaultCacheSizeKiB = 10 << 10

// DefaultMaxErrors is how many row errors a summary lists unless told.
const DefaultMaxErrors = 50

// Options say how to import one file. The zero value imports nominations
// (or a workbook), aborting on the first invalid row.
type Options struct {
	// Kind is one of nominations, courses, offerings, people, requests,
	// workbook; "" detects it from the file: a workbook by its sheet names,
	// else the kind by the headers (SPEC §4).
	Kind string
	// Sheet names the xlsx sheet to read; "" means the sheet named by the
	// kind, else the first.
	Sheet string
	// Encoding overrides text encoding detection (sheet.Options.Encoding).
	Encoding string
	// DateOrder reads numeric dates such as 05/03/2012; "" is day first.
	DateOrder sheet.DateOrder
	// Map adds header texts for fields (--map and config import.map).
	Map map[string]string
	// OnError is OnErrorAbort (default: any invalid row writes nothing) or
	// OnErrorSkip (valid rows are committed).
	OnError string
	// Rejects is the file invalid rows are written to, with an error column.
	// With OnErrorSkip and no Rejects, it is FILE.rejects.csv (or .xlsx)
	// beside the input. Nothing is written on a dry run.
	Rejects string
	// DryRun runs the whole import and rolls it back.
	DryRun bool
	// CreateOfferings creates offerings that nomination rows name but that do
	// not exist yet, instead of rejecting those rows.
	CreateOfferings bool
	// AcceptChanges lets a row change a known person's ministry or gender
	// (recorded in the person's history); without it such a row is a row
	// error (SPEC §4 Matching).
	AcceptChanges bool
	// OverAllocate lets rows commit more principals to an offering than
	// its seats; without it such a row is a row error (SPEC §2 Seats).
	OverAllocate bool
	// Strict makes a row below its course's prerequisites a row error
	// instead of a warning.
	Strict bool
	// MaxErrors bounds the errors a summary lists (default 50); the rest are
	// counted.
	MaxErrors int
	// Ministries and Areas resolve those values; empty vocabularies accept
	// any value as written.
	Ministries, Areas *nomtrack.Vocabulary
	// Ranks turns rank titles into NATO rank codes for rows that give no
	// rank_code; nil uses the built-in titles.
	Ranks *nomtrack.RankTitles
	// CacheSizeKiB is the page cache of the import's connection (default
	// DefaultCacheSizeKiB).
	CacheSizeKiB int
	// Progress, when set, is called with the rows read so far every few
	// thousand rows and at the end of each sheet.
	Progress func(rows int)
	// OnStage, when set, is called as the import enters each of its stages
	// (StageReading, StageParsing, StageWriting, then the store's
	// store.StageIndexes and store.StageForeignKeys), from the goroutine
	// doing that stage's work. Tests use it to interrupt an import at a
	// known stage.
	OnStage func(stage string)
}

// The stages of an import that OnStage reports, besides the store's.
const (
	// StageReading: the first data row has been read from the file.
	StageReading = "reading"
	// StageParsing: the first batch of rows has been parsed.
	StageParsing = "parsing"
	// StageWriting: the first batch of rows has been looked up and written.
	StageWriting = "writing"
)

// Summary is what an import did (SPEC §4), per file and, for a workbook,
// per sheet.
type Summary struct {
	File  string `json:"file"`
	Sheet string `json:"sheet,omitempty"`
	Kind  string `json:"kind"`
	// ReadAs says how the headers told the kind of a file imported without
	// --kind: "offerings: course, start, seats".
	ReadAs        string `json:"read_as,omitempty"`
	Encoding      string `json:"encoding"`
	Rows          int    `json:"rows"`
	Created       int    `json:"created"`
	Updated       int    `json:"updated"`
	Unchanged     int    `json:"unchanged"`
	Rejected      int    `json:"rejected"`
	PeopleCreated int    `json:"people_created"`
	// PeopleUpdated counts people a nominations or people sheet changed.
	PeopleUpdated int      `json:"people_updated"`
	Warnings      []string `json:"warnings"`
	// Errors lists the first MaxErrors row errors; MoreErrors counts the rest.
	Errors     []RowError `json:"errors"`
	MoreErrors int        `json:"more_errors"`
	DryRun     bool       `json:"dry_run"`
	// Committed says whether the import's changes were written.
	Committed bool `json:"committed"`
	// Rejects is the rejects file written, if any.
	Rejects string `json:"rejects,omitempty"`
	// Sheets holds one summary per sheet of a workbook.
	Sheets []*Summary  `json:"sheets,omitempty"`
	counts *errCounter // shared error budget of a workbook
}

// RowError is one invalid value of one row: `FILE:ROW: column: message`.
type RowError struct {
	// Where is the file name, with the sheet for workbooks
	// ("programme.xlsx:Nominations").
	Where string `json:"-"`
	// Sheet names the workbook sheet of the row ("" for other files).
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// String writes the error as the CLI prints it.
func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.Where, e.Row, e.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.Where, e.Row, e.Column, e.Message)
}

// errCounter keeps the error budget across the sheets of a workbook.
type errCounter struct {
	max, listed int
}

// errAborted rolls back an import whose rows were rejected with
// --on-error abort.
var errAborted = errors.New("import aborted: rows were rejected")

// Run imports the file at path into db in one transaction and returns what
// it did. Errors in rows are in the summary (Rejected > 0); the returned
// error is for what stops the whole import: an unreadable or empty file,
// headers that cannot be used, a database failure or cancellation.
func Run(ctx context.Context, db *store.DB, path string, opt Options) (*Summary, error) {
	if opt.OnError == "" {
		opt.OnError = OnErrorAbort
	}
	if opt.OnError != OnErrorAbort && opt.OnError != OnErrorSkip {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--on-error %q: use abort or skip", opt.OnError)
	}
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = DefaultMaxErrors
	}
	if opt.DateOrder == "" {
		opt.DateOrder = sheet.DMY
	}
	if opt.CacheSizeKiB <= 0 {
		opt.CacheSizeKiB = DefaultCacheSizeKiB
	}
	var kind string
	if opt.Kind != "" {
		if strings.EqualFold(opt.Kind, KindWorkbook) {
			kind = KindWorkbook
		} else {
			k, err := sheet.ParseKind(opt.Kind)
			if err != nil {
				return nil, nomtrack.Errorf(nomtrack.EUSAGE, "unknown --kind %q; use nominations, courses, offerings, people, requests or workbook", opt.Kind)
			}
			kind = string(k)
		}
	}
	// The rejects file may be neither the database nor the sheet itself.
	if err := files.CheckOutput(RejectsPath(path, opt), files.Database(db.Path()), files.Input(path)); err != nil {
		return nil, err
	}
	f, err := sheet.Open(path, sheet.Options{Encoding: opt.Encoding})
	if err != nil {
		return nil, err
	}
	defer f.Close()

	name := filepath.Base(path)
	plan, err := planSheets(f, name, kind, opt.Sheet, opt.Map)
	if err != nil {
		return nil, err
	}
	top := &Summary{File: name, Kind: plan.kind, ReadAs: plan.readAs, Encoding: f.Encoding(), DryRun: opt.DryRun,
		Warnings: plan.warnings, counts: &errCounter{max: opt.MaxErrors}}
	rej := newRejects(path, opt, plan.kind == KindWorkbook)

	people, noms, err := db.TableRows(ctx)
	if err != nil {
		return nil, err
	}
	bulk := bulkLoad(fileSize(path), f.Encoding() == "xlsx", plan, people, noms)
	iopt := store.ImportOptions{CacheSizeKiB: opt.CacheSizeKiB, Rollback: opt.DryRun, AfterRows: debug.FreeOSMemory,
		DeferIndexes: bulk, CheckForeignKeysAtEnd: bulk, OnStage: opt.OnStage}
	err = db.Import(ctx, iopt, func(l *store.Loader) error {
		im, err := newImporter(l, opt, name)
		if err != nil {
			return err
		}
		im.fileDate = sheetDate(path, l.Tx().Now)
		im.fileTime = sheetTime(path, l.Tx().Now)
		total := 0
		for _, s := range plan.sheets {
			sum := top
			if plan.kind == KindWorkbook {
				sum = &Summary{File: name, Sheet: s.name, Kind: string(s.kind), Encoding: top.Encoding, DryRun: opt.DryRun,
					counts: top.counts}
				top.Sheets = append(top.Sheets, sum)
			}
			if err := im.sheet(ctx, f, s, sum, rej, plan.kind == KindWorkbook, &total); err != nil {
				return err
			}
			if plan.kind == KindWorkbook {
				top.add(sum)
			}
		}
		if top.Rejected > 0 && opt.OnError == OnErrorAbort {
			return errAborted
		}
		return im.finishPeople()
	})
	switch {
	case err == nil:
		top.Committed = true
	case errors.Is(err, errAborted), errors.Is(err, store.ErrRolledBack):
	default:
		rej.discard()
		return nil, err
	}
	top.finish()
	if top.Rejected > 0 && !opt.DryRun {
		if rpath, err := rej.commit(); err != nil {
			return top, err
		} else {
			top.Rejects = rpath
		}
	} else {
		rej.discard()
	}
	return top, nil
}

// add sums a sheet's counts into a workbook's summary.
func (s *Summary) add(o *Summary) {
	s.Rows += o.Rows
	s.Created += o.Created
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.Rejected += o.Rejected
	s.PeopleCreated += o.PeopleCreated
	s.PeopleUpdated += o.PeopleUpdated
	s.Warnings = append(s.Warnings, o.Warnings...)
	s.Errors = append(s.Errors, o.Errors...)
	s.MoreErrors += o.MoreErrors
}

// finish makes the lists print as [] and marks each sheet committed or not.
// Warnings quote sheets (unknown columns, skipped rows), so contact details
// in them are described, not echoed.
func (s *Summary) finish() {
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	for i, w := range s.Warnings {
		s.Warnings[i] = nomtrack.Redact(w)
	}
	if s.Errors == nil {
		s.Errors = []RowError{}
	}
	for _, sh := range s.Sheets {
		sh.Committed = s.Committed
		sh.finish()
	}
}

// sheetPlan is one sheet to import and its kind.
type sheetPlan struct {
	name string // "" for a text file
	kind sheet.Kind
}

type plan struct {
	kind     string
	readAs   string // how the headers told the kind, when they did
	sheets   []sheetPlan
	warnings []string
}

// planSheets decides the kind and the sheets to read (SPEC §4): an xlsx with
// sheets named by kind is a workbook, read in dependency order; otherwise
// one sheet of the given kind, of the kind its name says, or of the kind its
// headers say (detectKind; m is --map and import.map).
func planSheets(f *sheet.File, name, kind, sheetName string, m map[string]string) (plan, error) {
	isBook := f.Encoding() == "xlsx"
	byKind := map[sheet.Kind]string{}
	var others, twice []string
	if isBook {
		for _, n := range f.Sheets() {
			if k, err := sheet.ParseKind(n); err == nil {
				if first, dup := byKind[k]; !dup {
					byKind[k] = n
					continue
				} else {
					twice = append(twice, fmt.Sprintf("%s and %s are both %s", first, n, k))
				}
			}
			others = append(others, n)
		}
	}
	if kind == KindWorkbook || (kind == "" && sheetName == "" && len(byKind) > 0) {
		if !isBook {
			return plan{}, nomtrack.Errorf(nomtrack.EUSAGE, "--kind workbook needs an .xlsx file whose sheets are named Courses, Offerings, People, Requests or Nominations")
		}
		if len(byKind) == 0 {
			return plan{}, nomtrack.Errorf(nomtrack.EINVALID, "%s has no sheet named Courses, Offerings, People, Requests or Nominations; name its sheets by kind, or give --kind and --sheet (its sheets: %s)", name, strings.Join(f.Sheets(), ", "))
		}
		if len(twice) > 0 {
			// The second was passed over as "not named by kind", its rows
			// dropped behind a warning that said otherwise.
			return plan{}, nomtrack.Errorf(nomtrack.EINVALID, "%s: sheets %s; put their rows in one sheet, or import each with --sheet NAME", name, strings.Join(twice, "; sheets "))
		}
		p := plan{kind: KindWorkbook}
		for _, k := range sheet.Kinds {
			if n, ok := byKind[k]; ok {
				p.sheets = append(p.sheets, sheetPlan{name: n, kind: k})
			}
		}
		if len(others) > 0 {
			p.warnings = append(p.warnings, fmt.Sprintf("sheets ignored (not named by kind): %s", strings.Join(others, ", ")))
		}
		return p, nil
	}
	var k sheet.Kind
	if kind != "" {
		k = sheet.Kind(kind)
	} else if sheetName != "" {
		if sk, err := sheet.ParseKind(sheetName); err == nil {
			k = sk
		}
	}
	read := sheetName
	if isBook && read == "" && k != "" {
		read = byKind[k] // the sheet named by the kind, else the first
	}
	p := plan{}
	if k == "" {
		guess, err := detectKind(f, name, read, m)
		if err != nil {
			return plan{}, err
		}
		k, p.readAs = guess.kind, guess.readAs()
	}
	p.kind, p.sheets = string(k), []sheetPlan{{name: read, kind: k}}
	return p, nil
}

// bulkLoad decides whether rebuilding the secondary indexes and checking
// foreign keys in one pass at the end pay: when the file probably holds more
// rows than the tables it feeds already do, one sort and one pass at the end
// are cheaper than maintaining and checking row by row.
func bulkLoad(size int64, xlsx bool, p plan, people, noms int64) bool {
	feeds := false
	for _, s := range p.sheets {
		if s.kind == sheet.KindNominations || s.kind == sheet.KindPeople {
			feeds = true
		}
	}
	if !feeds {
		return false
	}
	estimate := size / 100 // a nomination row is about 100 bytes of CSV
	if xlsx {
		estimate = size / 60 // and compresses to about 60 in xlsx
	}
	// Twice what is there: a file re-imported changes little, and rebuilding
	// the indexes of a full table would only cost time.
	return estimate >= 50_000 && estimate > 2*noms && estimate > 2*people
}

// fileSize is the size of the file at path, 0 when it cannot be told.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// sheetTime is when a file was last saved, RFC 3339 in UTC: its
// modification time, or now when that is later than now or unknown.
func sheetTime(path string, now time.Time) string {
	t := now
	if st, err := os.Stat(path); err == nil && st.ModTime().Before(now) {
		t = st.ModTime()
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// sheetDate is the day a file's people rows are from: its modification
// day (UTC), or today when that is later than today or unknown.
func sheetDate(path string, now time.Time) string {
	today := now.UTC().Format(nomtrack.DateLayout)
	st, err := os.Stat(path)
	if err != nil {
		return today
	}
	return min(today, st.ModTime().UTC().Format(nomtrack.DateLayout))
}
