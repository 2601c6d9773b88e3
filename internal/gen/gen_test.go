package gen

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// MustWrite generates c into a fresh temporary directory and returns it.
func MustWrite(tb testing.TB, c Config) (string, Stats) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "out")
	st, err := Write(dir, c)
	if err != nil {
		tb.Fatalf("Write(%+v): %v", c, err)
	}
	return dir, st
}

// MustReadCSV reads a generated CSV file, checks its header and returns the
// rows after it.
func MustReadCSV(tb testing.TB, path, header string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if got := strings.Join(recs[0], ",") + "\n"; got != header {
		tb.Fatalf("%s: header %q, want %q", path, got, header)
	}
	return recs[1:]
}

var csvFiles = []string{"courses.csv", "offerings.csv", "people.csv", "nominations.csv"}

func TestSameSeedGivesIdenticalFiles(t *testing.T) {
	c := Config{N: 5000, Seed: 7}
	a, _ := MustWrite(t, c)
	b, _ := MustWrite(t, c)
	for _, f := range csvFiles {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
	}
}

func TestOtherSeedGivesOtherNominations(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteNominationsCSV(&a, Config{N: 500, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := WriteNominationsCSV(&b, Config{N: 500, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("seeds 1 and 2 gave the same nominations")
	}
}

func TestStreamWritersMatchWrittenFiles(t *testing.T) {
	c := Config{N: 2000, Seed: 3, FromYear: 2018, ToYear: 2021}
	dir, _ := MustWrite(t, c)
	writers := map[string]func(io.Writer, Config) error{
		"courses.csv": WriteCoursesCSV, "offerings.csv": WriteOfferingsCSV,
		"people.csv": WritePeopleCSV, "nominations.csv": WriteNominationsCSV,
	}
	for _, f := range csvFiles {
		var buf bytes.Buffer
		if err := writers[f](&buf, c); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: the stream writer and Write disagree", f)
		}
	}
}

// TestFilesAreConsistent checks what the importer relies on, at sizes that
// exercise the uneven ends of the people plan and a one-year range.
func TestFilesAreConsistent(t *testing.T) {
	for _, c := range []Config{
		{N: 0}, {N: 1}, {N: 3}, {N: 7}, {N: 11}, {N: 17}, {N: 1001, Seed: 9},
		{N: 20000, Seed: 42},
		{N: 3000, Seed: 5, FromYear: 2024, ToYear: 2024},
	} {
		t.Run("N"+strconv.Itoa(c.N)+"_"+strconv.Itoa(c.FromYear), func(t *testing.T) {
			checkConsistent(t, c)
		})
	}
}

func checkConsistent(t *testing.T, c Config) {
	dir, st := MustWrite(t, c)
	c, _ = c.normalize()
	courses := MustReadCSV(t, filepath.Join(dir, "courses.csv"), coursesHeader)
	offerings := MustReadCSV(t, filepath.Join(dir, "offerings.csv"), offeringsHeader)
	people := MustReadCSV(t, filepath.Join(dir, "people.csv"), peopleHeader)
	noms := MustReadCSV(t, filepath.Join(dir, "nominations.csv"), nominationsHeader)

	if len(courses) != st.Courses || len(offerings) != st.Offerings || len(people) != st.People || len(noms) != c.N {
		t.Fatalf("rows: %d courses, %d offerings, %d people, %d nominations; stats %+v, N %d",
			len(courses), len(offerings), len(people), len(noms), st, c.N)
	}
	if c.N > 0 && (st.People < c.N/4 || st.People > c.N/4+1) {
		t.Errorf("%d people for %d nominations, want about N/4", st.People, c.N)
	}

	days := map[string]int{}
	for _, r := range courses {
		if _, dup := days[r[0]]; dup {
			t.Errorf("course %s appears twice", r[0])
		}
		d, err := strconv.Atoi(r[5])
		if err != nil || d < 1 {
			t.Errorf("course %s: days %q", r[0], r[5])
		}
		days[r[0]] = d
		if !slices.Contains(areaSlugs[:], r[3]) {
			t.Errorf("course %s: area %q is not a default area", r[0], r[3])
		}
	}
	offeringSet := map[string]bool{}
	seats := map[string]int{}
	for _, r := range offerings {
		d, ok := days[r[0]]
		if !ok {
			t.Fatalf("offering of unknown course %s", r[0])
		}
		key := r[0] + "@" + r[1]
		if offeringSet[key] {
			t.Errorf("offering %s appears twice", key)
		}
		offeringSet[key] = true
		start := mustDate(t, r[1])
		if y := start.Year(); y < c.FromYear || y > c.ToYear {
			t.Errorf("offering %s outside %d-%d", key, c.FromYear, c.ToYear)
		}
		if end := mustDate(t, r[2]); !end.Equal(start.AddDate(0, 0, d)) {
			t.Errorf("offering %s ends %s, want start + %d days", key, r[2], d)
		}
		if dl := mustDate(t, r[5]); !dl.Before(start) || start.Sub(dl) > 50*24*time.Hour {
			t.Errorf("offering %s: deadline %s is not about six weeks before", key, r[5])
		}
		// 1 to 6 seats, or as many as the principals committed to it
		// (checked against the nominations below).
		if s, err := strconv.Atoi(r[4]); err != nil || s < 1 {
			t.Errorf("offering %s: seats %q", key, r[4])
		} else {
			seats[key] = s
		}
	}

	personRow := map[string][]string{}
	for _, r := range people {
		if personRow[r[0]] != nil {
			t.Errorf("ref %s appears twice in people.csv", r[0])
		}
		personRow[r[0]] = r
		if !strings.HasSuffix(r[9], ".example.org") {
			t.Errorf("person %s: e-mail %q is not under example.org", r[0], r[9])
		}
		if r[10] != "" && !strings.HasPrefix(r[10], "+964 770 000 ") {
			t.Errorf("person %s: phone %q is outside the fictitious range", r[0], r[10])
		}
	}

	asOf := time.Date(c.ToYear, time.July, 1, 0, 0, 0, 0, time.UTC)
	pairs := map[string]bool{}
	committed := map[string]int{}
	defer func() {
		// An import refuses principals beyond an offering's seats.
		for key, n := range committed {
			if n > seats[key] {
				t.Errorf("offering %s: %d principals committed, %d seats", key, n, seats[key])
			}
		}
	}()
	for i, r := range noms {
		p := personRow[r[0]]
		if p == nil {
			t.Fatalf("nomination %d: ref %s not in people.csv", i+2, r[0])
		}
		// ref,name,name_ar,ministry,rank,rank_code agree; then gender, english.
		if !slices.Equal(r[:6], p[:6]) || r[6] != p[7] || r[7] != p[8] {
			t.Errorf("nomination %d: person fields %q disagree with people.csv %q", i+2, r[:8], p)
		}
		if _, ok := days[r[8]]; !ok {
			t.Errorf("nomination %d: course %s not in courses.csv", i+2, r[8])
		}
		if !offeringSet[r[8]+"@"+r[9]] {
			t.Errorf("nomination %d: offering %s@%s not in offerings.csv", i+2, r[8], r[9])
		}
		pair := r[0] + "|" + r[8] + "@" + r[9]
		if pairs[pair] {
			t.Errorf("nomination %d: %s nominated twice to %s@%s", i+2, r[0], r[8], r[9])
		}
		pairs[pair] = true
		if r[10] != nomtrack.RolePrincipal && r[10] != nomtrack.RoleAlternate {
			t.Errorf("nomination %d: role %q", i+2, r[10])
		}
		if !nomtrack.IsValidStatus(r[11]) {
			t.Errorf("nomination %d: status %q", i+2, r[11])
		}
		if r[10] == nomtrack.RolePrincipal && nomtrack.Committed(r[11]) {
			committed[r[8]+"@"+r[9]]++
		}
		start := mustDate(t, r[9])
		switch r[11] {
		case nomtrack.StatusAttended, nomtrack.StatusCompleted, nomtrack.StatusNoShow:
			if start.After(asOf) {
				t.Errorf("nomination %d: %s for an offering starting %s, after the as-of date", i+2, r[11], r[9])
			}
		case nomtrack.StatusNominated, nomtrack.StatusApproved, nomtrack.StatusConfirmed:
			if !start.After(asOf) {
				t.Errorf("nomination %d: still %s for an offering that started %s", i+2, r[11], r[9])
			}
		}
	}
}

func TestStatusesSpreadOverTheLifecycle(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteNominationsCSV(&buf, Config{N: 40000, Seed: 11, FromYear: 2020, ToYear: 2025}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	perYear := map[string]int{}
	personYears := map[string]map[string]bool{}
	for _, r := range recs[1:] {
		perYear[r[9][:4]]++
		if personYears[r[0]] == nil {
			personYears[r[0]] = map[string]bool{}
		}
		personYears[r[0]][r[9][:4]] = true
		counts[r[11]]++
		counts[r[10]]++
		if r[12] != "" {
			counts["note"]++
		}
	}
	mean := (len(recs) - 1) / 6
	for y := 2020; y <= 2025; y++ {
		if n := perYear[strconv.Itoa(y)]; n < mean*8/10 || n > mean*12/10 {
			t.Errorf("%d nominations in %d, want about %d in each year; per year %v", n, y, mean, perYear)
		}
	}
	recurring := 0
	for _, ys := range personYears {
		if len(ys) > 1 {
			recurring++
		}
	}
	if recurring < len(personYears)/2 {
		t.Errorf("only %d of %d people are nominated in more than one year", recurring, len(personYears))
	}
	for _, s := range nomtrack.Statuses {
		// released is the coordinator's own closing of an alternate
		// (nomination release, offering close); the ministries' sheets
		// the generator imitates do not carry it.
		if s == nomtrack.StatusReleased {
			continue
		}
		if counts[s] == 0 {
			t.Errorf("no nomination is %s; counts %v", s, counts)
		}
	}
	if counts[nomtrack.StatusCompleted] < len(recs)/3 {
		t.Errorf("only %d of %d nominations completed; past years should be mostly completed", counts[nomtrack.StatusCompleted], len(recs)-1)
	}
	if a := counts[nomtrack.RoleAlternate]; a == 0 || a > counts[nomtrack.RolePrincipal]/3 {
		t.Errorf("%d alternates to %d principals; want mostly principals, some alternates", a, counts[nomtrack.RolePrincipal])
	}
	if counts["note"] == 0 || counts["note"] > len(recs)/10 {
		t.Errorf("%d notes in %d rows; want a few", counts["note"], len(recs)-1)
	}
}

func TestRefNumbersNeverRepeat(t *testing.T) {
	p := newPlan(Config{N: 4000000, Seed: 5})
	seen := make([]bool, p.refModulus)
	for i := range p.refModulus {
		n := p.refNumber(i)
		if n < 0 || n >= p.refModulus || seen[n] {
			t.Fatalf("refNumber(%d) = %d repeats or is out of range", i, n)
		}
		seen[n] = true
	}
}

func TestRefNumbersWidenBeyondAMillionPeople(t *testing.T) {
	p := newPlan(Config{N: 8000000, Seed: 5})
	if p.people != 2000000 || p.refModulus != 10000000 {
		t.Fatalf("%d people, ref modulus %d; want 2000000 and 10000000", p.people, p.refModulus)
	}
	seen := map[int]bool{}
	for i := range 100000 {
		n := p.refNumber(i)
		if n < 0 || n >= p.refModulus || seen[n] {
			t.Fatalf("refNumber(%d) = %d repeats or is out of range", i, n)
		}
		seen[n] = true
	}
	g := newGenerator(Config{N: 8000000, Seed: 5}, nil)
	if w := g.refWidth(); w != 7 {
		t.Errorf("refs are %d digits wide, want 7", w)
	}
}

func TestVocabulariesAreSafeToWriteRaw(t *testing.T) {
	var raw []string
	for _, l := range [][]name{maleNames, femaleNames, familyNames} {
		for _, n := range l {
			raw = append(raw, n.latin, n.arabic, n.slug)
			for _, c := range n.slug {
				if c < 'a' || c > 'z' {
					t.Errorf("slug %q is not plain ASCII letters", n.slug)
				}
			}
		}
	}
	for _, m := range ministries {
		raw = append(raw, m.code, m.refPrefix, m.mail)
	}
	for _, rk := range append(append([]rank{}, militaryRanks...), civilGrades...) {
		raw = append(raw, rk.code)
	}
	for _, w := range append(append(append([]weighted{}, englishProfiles...), minEnglish...), minRank...) {
		raw = append(raw, w.value)
	}
	raw = append(raw, areaSlugs[:]...)
	for _, s := range raw {
		if strings.ContainsAny(s, ",\"\r\n") {
			t.Errorf("%q is written unquoted but needs quoting", s)
		}
	}
}

func TestAppendFieldQuotesOnlyWhenNeeded(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a,b": `"a,b"`, `say "hi"`: `"say ""hi"""`, "": "",
	} {
		if got := string(appendField(nil, in)); got != want {
			t.Errorf("appendField(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestXLSXHoldsTheSameNominationsWithDateCells(t *testing.T) {
	c := Config{N: 400, Seed: 4, Formats: []string{"csv", "xlsx"}}
	dir, st := MustWrite(t, c)
	if len(st.Files) != 6 {
		t.Fatalf("files %v, want four CSV files, nominations.xlsx and programme.xlsx", st.Files)
	}
	want := MustReadCSV(t, filepath.Join(dir, "nominations.csv"), nominationsHeader)

	f, err := excelize.OpenFile(filepath.Join(dir, "nominations.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Nominations")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got+"\n" != nominationsHeader {
		t.Fatalf("header %q", got)
	}
	if len(rows)-1 != len(want) {
		t.Fatalf("%d rows in the sheet, %d in the CSV", len(rows)-1, len(want))
	}
	for i, r := range rows[1:] {
		for len(r) < len(nominationsColumns) {
			r = append(r, "")
		}
		if !slices.Equal(r, want[i]) {
			t.Fatalf("row %d: sheet %q, CSV %q", i+2, r, want[i])
		}
	}
	raw, err := f.GetCellValue("Nominations", "J2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strconv.ParseFloat(raw, 64); err != nil {
		t.Errorf("start J2 holds %q, want a date serial", raw)
	}

	p, err := excelize.OpenFile(filepath.Join(dir, "programme.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := strings.Join(p.GetSheetList(), ","); got != "Courses,Offerings,People,Nominations" {
		t.Errorf("programme.xlsx sheets %s", got)
	}
	for sheet, n := range map[string]int{"Courses": st.Courses, "Offerings": st.Offerings, "People": st.People, "Nominations": st.Nominations} {
		rows, err := p.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != n {
			t.Errorf("programme.xlsx %s: %d rows, want %d", sheet, len(rows)-1, n)
		}
	}
}

func TestProgrammeWorkbookSkippedAboveLimit(t *testing.T) {
	if err := WriteProgrammeXLSX(io.Discard, Config{N: MaxProgrammeN + 1}); err == nil {
		t.Fatal("WriteProgrammeXLSX accepted more than MaxProgrammeN nominations")
	}
}

func TestConfigErrors(t *testing.T) {
	for name, c := range map[string]Config{
		"ErrNegativeN":     {N: -1},
		"ErrYearsReversed": {N: 1, FromYear: 2025, ToYear: 2010},
		"ErrYearsAbsurd":   {N: 1, FromYear: 10, ToYear: 20},
		"ErrUnknownFormat": {N: 1, Formats: []string{"ods"}},
		"ErrXLSXTooLarge":  {N: maxSheetRows, Formats: []string{"xlsx"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if _, err := Write(dir, c); err == nil {
				t.Fatalf("Write(%+v) succeeded", c)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("an invalid config created %s", dir)
			}
		})
	}
}

func TestParseFormats(t *testing.T) {
	if got := strings.Join(ParseFormats(" CSV, xlsx,,csv "), "|"); got != "csv|xlsx" {
		t.Errorf("ParseFormats = %q", got)
	}
}

func mustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		tb.Fatalf("date %q: %v", s, err)
	}
	return d
}

// BenchmarkGenerateCSV measures people.csv and nominations.csv for 100k
// nominations, streamed to io.Discard; bytes/s is the CSV throughput.
func BenchmarkGenerateCSV(b *testing.B) {
	c := Config{N: 100000, Seed: 1}
	var cw countingWriter
	b.ReportAllocs()
	for b.Loop() {
		cw = 0
		if err := WritePeopleCSV(&cw, c); err != nil {
			b.Fatal(err)
		}
		if err := WriteNominationsCSV(&cw, c); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(cw))
}

// BenchmarkGenerateXLSX measures nominations.xlsx for 100k nominations.
func BenchmarkGenerateXLSX(b *testing.B) {
	c := Config{N: 100000, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteNominationsXLSX(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
