package importer

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/sheet"
	"github.com/nomtrack/nomtrack/internal/store"
)

// progressEvery is how many rows pass between progress reports and checks
// for cancellation.
const progressEvery = 4096

// importer holds the lookups of one import. People are kept as 40-byte
// entries (personEntry) found through maps keyed by 96-bit hashes of their
// ref and of their name key and ministry (key96): at 250,000 people the
// lookups are about 35 MB, the largest part of an import's memory.
type importer struct {
	l    *store.Loader
	opt  Options
	file string // base name, for sources and messages
	// fileDate is the date a people row's values are from (SPEC §4 Newest
	// wins: "the day it was made"): the file's modification day, never
	// later than today.
	fileDate string
	// fileTime is when the file was last saved (its modification time,
	// never later than now; RFC 3339 UTC): a value set by hand after it is
	// one the sheet cannot know (keepHandSet).
	fileTime string
	// where names the sheet being read in messages (FILE or FILE:SHEET).
	where string
	// committed counts the committed principals of offerings whose seats
	// a row checked (loaded on first use, then kept up to date).
	committed map[int64]int
	// shortfalls counts the rows below their course's prerequisites; the
	// first maxShortfalls are warnings of their own.
	shortfalls int

	courses    map[string]*nomtrack.Course // code and ETOC code, as written and lower-case
	courseList []*nomtrack.Course
	offerings  map[offKey]*nomtrack.Offering
	offList    []*nomtrack.Offering

	people personTable
	byRef  map[key96]int32
	// aliasRef holds the refs merged away into another person (person
	// merge): they find the person kept, but only a newer row of theirs
	// changes that person's values (planPerson).
	aliasRef map[key96]struct{}
	// moreNoms holds the offerings of people with more nominations than
	// personEntry keeps inline, as person index<<32 | offering id.
	moreNoms map[uint64]struct{}
	byName   map[key96]int32 // ambiguous when two people share name and ministry

	seed1, seed2 maphash.Seed

	dateNotes dateOrderNotes // signs that a sheet's numeric dates are in the other order

	memo  memos // per field: parsed values of a few thousand distinct inputs (applying goroutine)
	pmemo memos // the same for the parsing goroutine
}

type offKey struct {
	course int64
	start  string
}

// key96 is a 96-bit hash of a person's ref, or of name key and ministry.
// Two people's keys agree by chance with odds of about n²/2⁹⁷ (10⁻¹⁷ at a
// million people); a key of three uint32 makes a map entry with its int32
// index 16 bytes, where a 128-bit key of two uint64 took 24, a third of
// the import's peak memory (issue 6's 100 MB). TestLookupEntrySizes keeps
// them so.
type key96 [3]uint32

// ambiguous marks a name key shared by several people of one ministry.
const ambiguous = -1

// personEntry is what the import remembers of a person: 40 bytes.
type personEntry struct {
	id int64
	// offs are the first offerings the person is nominated for (0: free
	// slot); most people have a handful, and the rest go to moreNoms. They
	// tell a row that is certainly new from one that must be compared.
	offs [4]uint32
	// seen is the hash of the last row values known to agree with the stored
	// person, so the same person on many rows is compared with the database
	// once, not once a row.
	seen   uint64
	hasRef bool
	// redate is set when rows of this import agreed with the stored values
	// of the fields in mask and are from a later date than those values:
	// asof (dayOrd) is then the date the import writes for them at the
	// end (finishPeople), rather than a write per row. Without redate,
	// asof is a date that every field of mask is known to be at least as
	// new as (0: nothing known).
	redate bool
	mask   uint16
	asof   uint32
}

// personTable holds the import's people in blocks of a fixed size, so that
// it grows without copying. A single slice grew by allocating a larger array
// beside the old one: at 250,000 people, 10 MB new and 8 MB old at once, at
// the memory peak of a 1M-row import.
type personTable struct {
	blocks [][]personEntry
	n      int32
}

const personBlock = 4096

func (t *personTable) at(i int32) *personEntry {
	return &t.blocks[i/personBlock][i%personBlock]
}

// add appends e and returns its index.
func (t *personTable) add(e personEntry) int32 {
	if t.n%personBlock == 0 {
		t.blocks = append(t.blocks, make([]personEntry, 0, personBlock))
	}
	b := &t.blocks[len(t.blocks)-1]
	*b = append(*b, e)
	t.n++
	return t.n - 1
}

// find returns the index of the person with database id, which the table
// holds in increasing order when it was filled from the database by id.
func (t *personTable) find(id int64) (int32, bool) {
	i := sort.Search(int(t.n), func(i int) bool { return t.at(int32(i)).id >= id })
	return int32(i), i < int(t.n) && t.at(int32(i)).id == id
}

// emptyImporter returns an importer whose lookups hold nothing yet.
func emptyImporter(l *store.Loader, opt Options, file string) *importer {
	return &importer{l: l, opt: opt, file: file,
		courses: map[string]*nomtrack.Course{}, offerings: map[offKey]*nomtrack.Offering{},
		byRef: map[key96]int32{}, aliasRef: map[key96]struct{}{}, byName: map[key96]int32{}, moreNoms: map[uint64]struct{}{}, committed: map[int64]int{},
		seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), memo: memos{}, pmemo: memos{}}
}

func newImporter(l *store.Loader, opt Options, file string) (*importer, error) {
	im := emptyImporter(l, opt, file)
	cs, err := l.Courses()
	if err != nil {
		return nil, err
	}
	for i := range cs {
		im.addCourse(&cs[i])
	}
	os, err := l.Offerings()
	if err != nil {
		return nil, err
	}
	for i := range os {
		im.addOffering(&os[i])
	}
	err = l.EachPersonKey(func(k store.PersonKey) {
		im.addPerson(k.ID, k.Ref, k.NameKey, k.Ministry)
	})
	if err != nil {
		return nil, err
	}
	// Refs and spellings merged into a person find that person (SPEC §4
	// Matching: "by ref (or a merged-away alias)").
	err = l.EachAlias(func(id int64, a nomtrack.Alias) {
		i, ok := im.people.find(id)
		if !ok {
			return
		}
		switch a.Kind {
		case nomtrack.AliasRef:
			im.byRef[im.hash(a.Value)] = i
			im.aliasRef[im.hash(a.Value)] = struct{}{}
		case nomtrack.AliasName:
			im.indexName(i, nomtrack.Person{Name: a.Value}.MatchKey(), a.Ministry)
		case nomtrack.AliasNameAr:
			im.indexName(i, nomtrack.Person{NameAr: a.Value}.MatchKey(), a.Ministry)
		}
	})
	if err != nil {
		return nil, err
	}
	err = l.EachNominationKey(func(p, o int64) {
		// People were loaded in id order, so a binary search finds them.
		i, ok := im.people.find(p)
		if ok {
			im.addNomination(int32(i), o)
		}
	})
	if err != nil {
		return nil, err
	}
	return im, l.SetSource(file)
}

// mayHaveNomination reports whether person idx may already be nominated for
// offering: false means certainly not, without asking the database.
func (im *importer) mayHaveNomination(idx int32, offering int64) bool {
	e := im.people.at(idx)
	if offering <= 0 || offering > math.MaxUint32 {
		return true
	}
	for _, o := range e.offs {
		if o == uint32(offering) {
			return true
		}
	}
	if e.offs[len(e.offs)-1] == 0 {
		return false // the inline slots are not full: nothing overflowed
	}
	_, ok := im.moreNoms[uint64(idx)<<32|uint64(offering)]
	return ok
}

// addNomination remembers that person idx is nominated for offering.
func (im *importer) addNomination(idx int32, offering int64) {
	if offering <= 0 || offering > math.MaxUint32 {
		return // mayHaveNomination always asks for such ids
	}
	e := im.people.at(idx)
	for i, o := range e.offs {
		if o == 0 {
			e.offs[i] = uint32(offering)
			return
		}
	}
	im.moreNoms[uint64(idx)<<32|uint64(offering)] = struct{}{}
}

func (im *importer) hash(parts ...string) key96 {
	var h1, h2 maphash.Hash
	h1.SetSeed(im.seed1)
	h2.SetSeed(im.seed2)
	for _, p := range parts {
		h1.WriteString(p)
		h1.WriteByte(0)
		h2.WriteString(p)
		h2.WriteByte(0)
	}
	a := h1.Sum64()
	return key96{uint32(a), uint32(a >> 32), uint32(h2.Sum64())}
}

func (im *importer) addCourse(c *nomtrack.Course) {
	im.courses[c.Code] = c
	im.courses[strings.ToLower(c.Code)] = c
	if c.EtocCode != "" {
		if _, taken := im.courses[strings.ToLower(c.EtocCode)]; !taken {
			im.courses[strings.ToLower(c.EtocCode)] = c
		}
	}
	im.courseList = append(im.courseList, c)
}

func (im *importer) addOffering(o *nomtrack.Offering) {
	im.offerings[offKey{o.CourseID, o.Start}] = o
	im.offList = append(im.offList, o)
}

// addPerson remembers a person; a second person with the same name and
// ministry makes that name ambiguous (rows must then give the ref).
func (im *importer) addPerson(id int64, ref, nameKey, ministry string) int32 {
	idx := im.people.add(personEntry{id: id, hasRef: ref != ""})
	if ref != "" {
		im.byRef[im.hash(ref)] = idx
	}
	im.indexName(idx, nameKey, ministry)
	return idx
}

func (im *importer) indexName(idx int32, nameKey, ministry string) {
	if nameKey == "" {
		return
	}
	k := im.hash(nameKey, strings.ToLower(ministry))
	if old, ok := im.byName[k]; ok && old != idx {
		im.byName[k] = ambiguous
		return
	}
	im.byName[k] = idx
}

// memos are the memo of each field; each goroutine of an import has its own.
type memos map[string]*memo

// memo caches the parse of a field's values: statuses, roles, ranks,
// ministries and dates repeat on every row of a large sheet.
type memo struct {
	m map[string]memoVal
}

type memoVal struct {
	v   string
	err error
}

const memoSize = 4096

func (r *rowState) parse(field, s string, fn func(string) (string, error)) (string, error) {
	m := r.memo[field]
	if m == nil {
		m = &memo{m: map[string]memoVal{}}
		r.memo[field] = m
	}
	if v, ok := m.m[s]; ok {
		return v.v, v.err
	}
	v, err := fn(s)
	if len(m.m) < memoSize {
		m.m[s] = memoVal{v, err}
	}
	return v, err
}

// rowState collects the errors of one row.
type rowState struct {
	row  sheet.Row
	h    sheet.Header
	col  *[nFields]int // column of each field, -1 when absent
	memo memos         // the memos of the goroutine working on the row
	// parsed is what the kind's parse step made of the row, for its apply
	// step.
	parsed any
	errs   []RowError
	cols   []string // header texts, for error columns
}

// columns turns a header's field map into an array.
func columns(h sheet.Header) *[nFields]int {
	var c [nFields]int
	for f := range c {
		c[f] = -1
		if i, ok := h.Columns[fieldNames[f]]; ok {
			c[f] = i
		}
	}
	return &c
}

// cell returns the cell of field f in the row (zero when absent).
func (r *rowState) cell(f int) sheet.Cell {
	if i := r.col[f]; i >= 0 {
		return r.row.Cell(i)
	}
	return sheet.Cell{}
}

// fail records an invalid value of field; msg comes from a domain error or
// is written here, never echoing contact details.
func (r *rowState) fail(field string, err error) {
	col := field
	if i, ok := r.h.Columns[field]; ok && i < len(r.cols) && r.cols[i] != "" {
		col = r.cols[i]
	}
	r.errs = append(r.errs, RowError{Row: r.row.Num, Column: r.redact(col), Message: r.redact(nomtrack.ErrorMessage(err))})
}

// redact is nomtrack.Redact through the goroutine's memo: a sheet of a
// million invalid rows repeats a handful of messages, and each redaction
// runs regular expressions (about 100 µs: 100 s for a million rows).
func (r *rowState) redact(msg string) string {
	if r.memo == nil { // a row checked before a goroutine took it
		return nomtrack.Redact(msg)
	}
	v, _ := r.parse("\x00redact", msg, func(s string) (string, error) { return nomtrack.Redact(s), nil })
	return v
}

// validate records a record's Validate error as a row error on the column
// of the invalid value. Rows that already have errors are not checked again,
// so one fault is not reported twice.
func (r *rowState) validate(check func() error) {
	if len(r.errs) > 0 {
		return
	}
	err := check()
	var inv *nomtrack.Invalid
	switch {
	case errors.As(err, &inv):
		r.fail(inv.Field, inv.Err)
	case err != nil:
		r.fail("", err)
	}
}

func (r *rowState) failf(field, format string, args ...any) {
	r.fail(field, nomtrack.Errorf(nomtrack.EINVALID, format, args...))
}

func (r *rowState) value(f int) string { return unneutralise(sheet.Clean(r.cell(f).Text)) }

// ident reads an identifier (a ref, a course code or ETOC code, an offering
// reference). Cleaning drops the invisible characters a sheet's names
// carry, but in an identifier they are refused as written, before
// cleaning: a bidi override dropped would store another ref than the one
// the sheet shows (nomtrack.CheckIdentifier).
func (r *rowState) ident(f int) string {
	raw := r.cell(f).Text
	if _, ok := nomtrack.FirstInvisible(raw); ok {
		r.fail(fieldNames[f], nomtrack.CheckIdentifier(identWhat(f), strings.TrimSpace(raw)))
	}
	return unneutralise(sheet.Clean(raw))
}

// identWhat names each identifier field in messages.
func identWhat(f int) string {
	switch f {
	case fRef:
		return "ref"
	case fCourse, fCode:
		return "course code"
	case fOffering:
		return "offering reference"
	case fEtocCode:
		return "ETOC code"
	}
	return ""
}

// unneutralise undoes what exports do against formula injection (a leading
// apostrophe before =, +, -, @), so an export imports back to the same
// values: '+964 770 is the phone number +964 770.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@", s[1]) >= 0 {
		return s[1:]
	}
	return s
}

func (r *rowState) has(field string) bool { return r.h.Has(field) }

// date reads an optional date field.
func (im *importer) date(r *rowState, f int) string {
	field := fieldNames[f]
	c := r.cell(f)
	if c.IsDate {
		// A date cell is checked like a written date: 0212-03-05 is a typo.
		if err := nomtrack.ValidateDateTime(c.Time); err != nil {
			r.fail(field, err)
			return ""
		}
		return c.Time.Format(nomtrack.DateLayout)
	}
	text := sheet.Clean(c.Text)
	if text == "" {
		return ""
	}
	v, err := r.parse("date", text, func(s string) (string, error) {
		im.dateNotes.note(s, im.opt.DateOrder)
		d, err := sheet.ParseDate(s, im.opt.DateOrder)
		if err == nil {
			err = nomtrack.ValidateDate(d)
		}
		return d, err
	})
	if err != nil {
		r.fail(field, err)
	}
	return v
}

// number reads an optional whole number field; ok is false when empty or
// invalid (invalid is recorded).
func (r *rowState) number(f, min, max int) (n int, ok bool) {
	field := fieldNames[f]
	s := r.value(f)
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int(f)) {
			r.failf(field, "%q is not a whole number", s)
			return 0, false
		}
		n = int(f)
	}
	if n < min || n > max {
		r.failf(field, "%d is out of range (%d to %d)", n, min, max)
		return 0, false
	}
	return n, true
}

// sheet imports the rows of one sheet into sum.
func (im *importer) sheet(ctx context.Context, f *sheet.File, sp sheetPlan, sum *Summary, rej *rejects, book bool, total *int) error {
	rows, err := f.RowsContext(ctx, sp.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	where := im.file
	if book {
		where = im.file + ":" + sp.name
	}
	// The header is the first row that is not blank, unless that row names
	// no column at all and one of the next few does: ministries' sheets
	// often carry a title ("Nominations from the Ministry of Defence,
	// 2012") and a blank row above the header. The rows passed over are
	// said in a warning; rows read ahead that turn out not to be a header
	// stay in the data.
	var header sheet.Row
	found := false
	for rows.Next() {
		if header = rows.Row(); !header.Blank() {
			found = true
			break
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !found {
		return nomtrack.Errorf(nomtrack.EINVALID, "%s is empty: it has no header row; the first row must name the columns (e.g. %s)", where, strings.Join(sheet.Fields(sp.kind), ", "))
	}
	var ahead []sheet.Row // rows read while looking for the header below a title
	if im.headerColumns(header, sp.kind) == 0 {
		for len(ahead) < titleRows && rows.Next() {
			if row := rows.Row(); !row.Blank() {
				ahead = append(ahead, row)
				if im.headerColumns(row, sp.kind) >= 2 {
					skipped := fmt.Sprintf("row %d above the header (row %d) was skipped: it names", header.Num, row.Num)
					if row.Num-1 > header.Num {
						skipped = fmt.Sprintf("rows %d-%d above the header (row %d) were skipped: they name", header.Num, row.Num-1, row.Num)
					}
					sum.Warnings = append(sum.Warnings, where+": "+skipped+" no column (a title?)")
					header, ahead = row, nil
					break
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	texts := headerTexts(header)
	h, unknown, err := sheet.MatchHeaders(texts, sp.kind, mapFor(sp.kind, im.opt.Map))
	if err != nil {
		return nomtrack.Errorf(nomtrack.ErrorCode(err), "%s: %s", where, nomtrack.ErrorMessage(err))
	}
	if len(unknown) > 0 {
		sum.Warnings = append(sum.Warnings, where+": columns ignored (not fields of "+string(sp.kind)+"): "+someColumns(unknown))
	}
	col := columns(h)
	im.where = where
	shortBefore := im.shortfalls
	k, err := im.handler(sp.kind, h, where)
	if err != nil {
		return err
	}
	shape := newRowShape(texts, f)
	// Rows go through three goroutines: one reads them (decoding, for
	// xlsx unzipping and scanning XML), one parses them (cleaning,
	// statuses, dates, name keys, the offering), and this one looks them
	// up and writes them. The stages overlap on two cores; the batches in
	// flight bound the memory. An xlsx sheet's reading is as much work as
	// the writing, so it gets a goroutine of its own; a text file's is
	// light, and the split costs it nothing.
	read := make(chan []*rowState, 4)
	batches := make(chan []*rowState, 4)
	stop := make(chan struct{})
	var readErr error
	stage := func(name string) {
		if im.opt.OnStage != nil {
			im.opt.OnStage(name)
		}
	}
	go func() {
		defer close(read)
		// A batch ends at parseBatch rows or batchBytes of cells, whichever
		// comes first: the batches in flight then bound the memory whatever
		// the rows hold.
		batch, cost := make([]*rowState, 0, parseBatch), 0
		first := true
		for len(ahead) > 0 || rows.Next() {
			var row sheet.Row
			if len(ahead) > 0 {
				row, ahead = ahead[0], ahead[1:]
			} else {
				row = rows.Row()
			}
			if row.Blank() {
				continue
			}
			if first {
				first = false
				stage(StageReading)
			}
			batch, cost = append(batch, &rowState{row: row, h: h, col: col, cols: texts}), cost+rowCost(row)
			if len(batch) == parseBatch || cost >= batchBytes {
				select {
				case read <- batch:
				case <-stop:
					return
				}
				batch, cost = make([]*rowState, 0, parseBatch), 0
			}
		}
		readErr = rows.Err()
		if len(batch) > 0 {
			select {
			case read <- batch:
			case <-stop:
			}
		}
	}()
	go func() {
		// Closed only once the reader is done (read closed), so that the
		// drain below also waits for the reader before rows are closed.
		defer close(batches)
		stopped, first := false, true
		for batch := range read {
			if stopped {
				continue
			}
			for _, r := range batch {
				r.memo = im.pmemo
				shape.check(r)
				if k.parse != nil {
					k.parse(r)
				}
				r.memo = im.memo
			}
			if first {
				first = false
				stage(StageParsing)
			}
			select {
			case batches <- batch:
			case <-stop:
				stopped = true
			}
		}
	}()
	defer func() {
		close(stop)
		for range batches { // let the reader finish before rows are closed
		}
	}()
	first := true
	for batch := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, r := range batch {
			sum.Rows++
			*total++
			if *total%progressEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if im.opt.Progress != nil {
					im.opt.Progress(*total)
				}
			}
			if err := k.apply(r, sum); err != nil {
				return err
			}
			if len(r.errs) > 0 {
				if err := im.reject(r, sp, sum, rej, where); err != nil {
					return err
				}
			}
		}
		if first {
			first = false
			stage(StageWriting)
		}
	}
	if readErr != nil {
		return readErr
	}
	if w := im.dateNotes.warning(where, im.opt.DateOrder); w != "" {
		sum.Warnings = append(sum.Warnings, w)
	}
	if more := im.shortfalls - max(shortBefore, maxShortfalls); more > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s: %d more rows fall short of their course's prerequisites (nomtrack report eligibility YEAR lists them all)", where, more))
	}
	if im.opt.Progress != nil {
		im.opt.Progress(*total)
	}
	return nil
}

// rowShape checks that a row is one row of the sheet as its header lays it
// out: rows are never merged or cut silently.
type rowShape struct {
	width int    // columns up to the header's last named one
	hint  string // the likely cause of a row wider than the header
	text  bool   // a text file (where a bare CR can merge two rows)
}

func newRowShape(header []string, f *sheet.File) rowShape {
	s := rowShape{text: f.Encoding() != "xlsx", hint: "a value in a column with no header?"}
	for i, t := range header {
		if t != "" {
			s.width = i + 1
		}
	}
	if s.text {
		switch f.Delimiter() {
		case ',':
			s.hint = "an unquoted comma?"
		case ';':
			s.hint = "an unquoted semicolon?"
		case '\t':
			s.hint = "a stray tab?"
		}
	}
	return s
}

// check makes a row error of a row with more non-empty cells than the
// header (the extra cells would be dropped) and of a text row holding a bare
// carriage return: in a file whose lines end in CR LF, a lone CR inside an
// unquoted cell runs two lines into one row, and the second would be lost.
func (s rowShape) check(r *rowState) {
	width := r.row.Filled()
	if s.text {
		for i := 0; i < len(r.row.Cells); i++ {
			if strings.IndexByte(r.row.Cells[i].Text, '\r') >= 0 {
				r.failf("", "column %d holds a bare carriage return (CR), which runs two lines into one row; save the file again with one kind of line end, or quote the cell", i+1)
				return
			}
		}
	}
	if width > s.width {
		r.failf("", "%d cells, header has %d: %s", width, s.width, s.hint)
	}
}

// titleRows is how many non-blank rows below a first row that names no
// column are searched for the header.
const titleRows = 10

// headerTexts are a header row's cells, cleaned as headers are matched.
func headerTexts(row sheet.Row) []string {
	texts := make([]string, row.Width())
	for i := range texts {
		texts[i] = sheet.Clean(row.Cell(i).Text)
	}
	return texts
}

// headerColumns is how many of row's cells name a field of kind k.
func (im *importer) headerColumns(row sheet.Row, k sheet.Kind) int {
	h, _, err := sheet.MatchHeaders(headerTexts(row), k, mapFor(k, im.opt.Map))
	if err != nil {
		return 0
	}
	return len(h.Columns)
}

// parseBatch is how many rows pass between the goroutines at once.
const parseBatch = 256

// batchBytes bounds the cells and text of one batch, so that the dozen
// batches in flight hold at most a few tens of MiB even when every row
// carries thousands of cells or long texts (the reader bounds one row).
const batchBytes = 1 << 20

// cellBytes is about what one sheet.Cell (or FarCell) takes.
const cellBytes = 64

// rowCost is about what a row holds in memory: its cells and their text.
func rowCost(r sheet.Row) int {
	n := (len(r.Cells) + len(r.Far)) * cellBytes
	for _, c := range r.Cells {
		n += len(c.Text)
	}
	for _, c := range r.Far {
		n += len(c.Text)
	}
	return n
}

// reject counts a refused row, lists its errors within the budget and
// writes it to the rejects file.
func (im *importer) reject(r *rowState, sp sheetPlan, sum *Summary, rej *rejects, where string) error {
	sum.Rejected++
	for i := range r.errs {
		r.errs[i].Where = where
		if where != im.file {
			r.errs[i].Sheet = sp.name
		}
		if sum.counts.listed < sum.counts.max {
			sum.Errors = append(sum.Errors, r.errs[i])
			sum.counts.listed++
		} else {
			sum.MoreErrors++
		}
	}
	return rej.add(sp.name, r.cols, r.row, r.errs)
}

// kindHandler is how rows of one kind are imported: parse validates the
// values of a row without lookups (nil when a kind is too small to care),
// apply resolves references and writes.
type kindHandler struct {
	parse func(*rowState)
	apply func(*rowState, *Summary) error
}

// handler returns the row function of a kind after checking that the
// header has the columns that kind cannot do without.
func (im *importer) handler(k sheet.Kind, h sheet.Header, where string) (kindHandler, error) {
	need := func(groups ...[]string) error {
		for _, g := range groups {
			ok := false
			for _, f := range g {
				ok = ok || h.Has(f)
			}
			if !ok {
				return nomtrack.Errorf(nomtrack.EINVALID, "%s has no %s column; a %s sheet needs it (headers are matched case- and punctuation-insensitively; --map 'Header=%s' names another)",
					where, strings.Join(g, " or "), k, g[0])
			}
		}
		return nil
	}
	switch k {
	case sheet.KindNominations:
		if !h.Has("offering") {
			if err := need([]string{"course", "offering"}, []string{"start"}); err != nil {
				return kindHandler{}, err
			}
		}
		return kindHandler{im.parseNomination, im.nomination}, need([]string{"ref", "name"})
	case sheet.KindPeople:
		return kindHandler{im.parsePerson, im.personRow}, need([]string{"ref", "name"})
	case sheet.KindCourses:
		return kindHandler{nil, im.courseRow}, need([]string{"code"})
	case sheet.KindOfferings:
		return kindHandler{nil, im.offeringRow}, need([]string{"course"}, []string{"start"})
	case sheet.KindRequests:
		return kindHandler{nil, im.requestRow}, need([]string{"ministry"}, []string{"area"}, []string{"year"}, []string{"seats"})
	}
	return kindHandler{}, nomtrack.Errorf(nomtrack.EUSAGE, "unknown kind %q", k)
}

// mapFor keeps the header mappings whose field belongs to kind k: config
// import.map and --map name fields of every kind, and a workbook applies
// them to each sheet.
func mapFor(k sheet.Kind, m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for text, f := range m {
		for _, kf := range sheet.Fields(k) {
			if sheet.HeaderKey(kf) == sheet.HeaderKey(f) {
				out[text] = f
			}
		}
	}
	return out
}

// CheckMap reports a mapping whose field belongs to no kind, so a typo in
// --map is caught before any work.
func CheckMap(m map[string]string) error {
	for text, f := range m {
		known := false
		for _, k := range sheet.Kinds {
			for _, kf := range sheet.Fields(k) {
				known = known || sheet.HeaderKey(kf) == sheet.HeaderKey(f)
			}
		}
		if !known {
			return nomtrack.Errorf(nomtrack.EUSAGE, "--map %q: %q is not a field nomtrack imports (see nomtrack import --help)", text+"="+f, f)
		}
	}
	return nil
}

// someColumns lists column names for a warning, at most ten of them and
// each cut to 40 characters, so that a sheet of 10,000 stray columns gives
// one readable line, not a screenful.
func someColumns(names []string) string {
	const most, width = 10, 40
	shown := make([]string, 0, min(len(names), most))
	for _, n := range names[:min(len(names), most)] {
		if r := []rune(n); len(r) > width {
			n = string(r[:width]) + "…"
		}
		shown = append(shown, n)
	}
	list := strings.Join(shown, ", ")
	if len(names) > most {
		list += " and " + strconv.Itoa(len(names)-most) + " more"
	}
	return list
}
