package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// measureReports times `report year` and `report trend` on the nomtrack
// database of the largest data set against the same aggregates run by sqlite3
// on its flat table, and checks that both give the same headline figures.
func (b *bench) measureReports(d *dataset) error {
	yearName := fmt.Sprintf("report year %d", b.o.year)
	ntDB, sqDB := b.keepDB["nomtrack"], b.keepDB["sqlite3"]
	type job struct {
		res  *reportResult
		cmd  command
		have bool
		why  string
	}
	ntArgs := func(args ...string) command {
		return command{args: append([]string{b.nomtrack, "--db", ntDB}, args...), env: b.env}
	}
	why := func(cmd string) string {
		switch {
		case ntDB == "" && !b.has.importer:
			return "not available: this nomtrack has no import command yet, so there is no database to report on"
		case ntDB == "":
			return "not available: the nomtrack import of the largest data set failed"
		}
		return "not available: this nomtrack has no " + cmd + " command yet"
	}
	sqWhy := ""
	if sqDB == "" {
		sqWhy = "not available: the sqlite3 import of the largest data set failed"
	} else if err := b.loadCourses(d, sqDB); err != nil {
		sqWhy = "failed: " + err.Error()
	}
	yearScript, trendScript := filepath.Join(b.tmpDir, "year.sql"), filepath.Join(b.tmpDir, "trend.sql")
	if err := writeFile(yearScript, yearSQL(b.o.year)); err != nil {
		return err
	}
	if err := writeFile(trendScript, trendSQL()); err != nil {
		return err
	}
	out := func(name string) string { return filepath.Join(b.tmpDir, name) }
	ntYear := ntArgs("report", "year", strconv.Itoa(b.o.year), "-o", "json")
	ntYear.stdout = out("nomtrack-year.json")
	ntTrend := ntArgs("report", "trend", "-o", "json")
	ntTrend.stdout = out("nomtrack-trend.json")
	sqYear := command{args: []string{b.o.sqlite3, "-batch", "-readonly", sqDB}, env: b.env, stdin: yearScript, stdout: out("sqlite3-year.json")}
	sqTrend := command{args: []string{b.o.sqlite3, "-batch", "-readonly", sqDB}, env: b.env, stdin: trendScript, stdout: out("sqlite3-trend.json")}
	jobs := []job{
		{&reportResult{name: yearName, tool: "nomtrack"}, ntYear, ntDB != "" && b.has.year, why("report year")},
		{&reportResult{name: yearName, tool: "sqlite3 (same aggregates)"}, sqYear, sqWhy == "", sqWhy},
		{&reportResult{name: "report trend", tool: "nomtrack"}, ntTrend, ntDB != "" && b.has.trend, why("report trend")},
		{&reportResult{name: "report trend", tool: "sqlite3 (same aggregates)"}, sqTrend, sqWhy == "", sqWhy},
	}
	for _, j := range jobs {
		b.reports = append(b.reports, j.res)
		if !j.have {
			j.res.status = j.why
			continue
		}
		b.progress("%s: %s, %d runs", j.res.name, j.res.tool, b.o.reportRuns)
		for range b.o.reportRuns {
			s, err := b.r.measure(j.cmd)
			if err != nil {
				if b.ctx.Err() != nil {
					return b.ctx.Err()
				}
				j.res.status = "failed: " + err.Error()
				break
			}
			j.res.s = append(j.res.s, s)
		}
	}
	if jobs[0].res.status == "" && jobs[1].res.status == "" {
		b.notes = append(b.notes, crossCheck(yearName, out("nomtrack-year.json"), out("sqlite3-year.json"), false))
	}
	if jobs[2].res.status == "" && jobs[3].res.status == "" {
		b.notes = append(b.notes, crossCheck("report trend", out("nomtrack-trend.json"), out("sqlite3-trend.json"), true))
	}
	return nil
}

// loadCourses adds the courses sheet to the flat database (untimed): the
// report's breakdown by area needs it.
func (b *bench) loadCourses(d *dataset, db string) error {
	script := filepath.Join(b.tmpDir, "courses.sql")
	if err := writeFile(script, sqlite3LoadCourses(d.courses)); err != nil {
		return err
	}
	_, err := b.r.output(command{args: []string{b.o.sqlite3, "-batch", db}, env: b.env, stdin: script})
	return err
}

// headlineFields are the counts both reports must agree on.
var headlineFields = []string{"nominations", "committed", "participated", "participants"}

// crossCheck compares nomtrack's JSON report with sqlite3's aggregates and
// returns one line saying whether they agree: a fast report that counts
// wrongly is no win.
func crossCheck(name, ntPath, sqPath string, perYear bool) string {
	ntText, err1 := os.ReadFile(ntPath)
	sqText, err2 := os.ReadFile(sqPath)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("cross-check of %s: cannot read the outputs", name)
	}
	sqRows, err := firstJSONArray(sqText)
	if err != nil || len(sqRows) == 0 {
		return fmt.Sprintf("cross-check of %s: sqlite3's output is not the expected JSON", name)
	}
	var ntRows []map[string]any
	if perYear {
		ntRows = yearRows(ntText)
	} else {
		var obj map[string]any
		if json.Unmarshal(ntText, &obj) == nil {
			ntRows = []map[string]any{obj}
		}
	}
	if len(ntRows) == 0 {
		return fmt.Sprintf("cross-check of %s: nomtrack's -o json output has no rows to compare", name)
	}
	byYear := map[string]map[string]any{}
	for _, r := range ntRows {
		byYear[numText(r["year"])] = r
	}
	var diffs []string
	for _, want := range sqRows {
		y := numText(want["year"])
		got, ok := byYear[y]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("year %s missing from nomtrack", y))
			continue
		}
		for _, f := range headlineFields {
			if numText(got[f]) != numText(want[f]) {
				diffs = append(diffs, fmt.Sprintf("year %s %s: nomtrack %s, sqlite3 %s", y, f, numText(got[f]), numText(want[f])))
			}
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 5 {
			diffs = append(diffs[:5], fmt.Sprintf("and %d more", len(diffs)-5))
		}
		return fmt.Sprintf("cross-check of %s: MISMATCH — %s", name, strings.Join(diffs, "; "))
	}
	years := ""
	if perYear {
		years = fmt.Sprintf(" for all %d years", len(sqRows))
	}
	return fmt.Sprintf("cross-check of %s: nomtrack and sqlite3 agree on %s%s", name, strings.Join(headlineFields, ", "), years)
}

// firstJSONArray decodes the first JSON array of objects in text (sqlite3's
// json mode prints one array per statement).
func firstJSONArray(text []byte) ([]map[string]any, error) {
	var rows []map[string]any
	err := json.NewDecoder(bytes.NewReader(text)).Decode(&rows)
	return rows, err
}

// yearRows finds the per-year rows in nomtrack's trend JSON: an array of
// objects with a year, or an object holding such an array.
func yearRows(text []byte) []map[string]any {
	var rows []map[string]any
	if json.Unmarshal(text, &rows) == nil {
		return rows
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(text, &obj) != nil {
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if json.Unmarshal(obj[k], &rows) == nil && len(rows) > 0 && rows[0]["year"] != nil {
			return rows
		}
	}
	return nil
}

// numText renders a JSON number (or numeric string) canonically for
// comparison.
func numText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return x
	case nil:
		return "(none)"
	}
	return fmt.Sprint(v)
}

// startupWarmups runs of each command are discarded before measuring, so the
// binaries are in the page cache for both.
const startupWarmups = 3

// measureStartup times `nomtrack version` against `sqlite3 --version`,
// alternating them, directly (without GNU time, whose own fork and exec would
// be a large part of a few milliseconds): wall time, and user+sys CPU time
// from the process's rusage; peak RSS comes from one extra run of each under
// GNU time.
func (b *bench) measureStartup() error {
	cmds := []command{
		{args: []string{b.nomtrack, "version"}, env: b.env},
		{args: []string{b.o.sqlite3, "--version"}, env: b.env},
	}
	res := []*startupResult{{tool: "nomtrack version"}, {tool: "sqlite3 --version"}}
	b.startup = res
	b.progress("start-up, %d runs each", b.o.startupRuns)
	for i := range startupWarmups + b.o.startupRuns {
		for k, c := range cmds {
			if res[k].status != "" {
				continue
			}
			wall, cpu, _, err := b.r.rusage(c, 0, "")
			if err != nil {
				if b.ctx.Err() != nil {
					return b.ctx.Err()
				}
				res[k].status = "failed: " + err.Error()
				continue
			}
			if i >= startupWarmups {
				res[k].walls = append(res[k].walls, wall)
				res[k].cpus = append(res[k].cpus, cpu)
			}
		}
	}
	for k, c := range cmds {
		if res[k].status != "" {
			continue
		}
		s, err := b.r.measure(c)
		if err != nil {
			res[k].status = "failed: " + err.Error()
			continue
		}
		res[k].rssKiB = s.rssKiB
	}
	return nil
}

// medianDur is the median of ds.
func medianDur(ds []time.Duration) time.Duration {
	s := make(samples, len(ds))
	for i, d := range ds {
		s[i].wall = d
	}
	return s.median()
}
