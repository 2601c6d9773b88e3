package importer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/sheet"
)

// kindGuess is what the headers of a sheet say about its kind: the kind and
// the columns that decided it, for the summary ("read as offerings: course,
// start, seats").
type kindGuess struct {
	kind sheet.Kind
	by   []string
}

// readAs words the guess for the summary.
func (g kindGuess) readAs() string {
	return string(g.kind) + ": " + strings.Join(g.by, ", ")
}

// kindRule is how SPEC §4 recognises one kind by its headers: every group
// of all must be present (one field of each group), and none of without.
type kindRule struct {
	kind    sheet.Kind
	all     [][]string
	without []string
}

// personColumns are the columns that say a sheet is about people.
var personColumns = []string{"ref", "name", "name_ar"}

// kindRules are tried in order; the first that fits wins. Nominations come
// first since their sheets also carry every people column, and people last
// since any sheet with a name would otherwise be one.
var kindRules = []kindRule{
	{sheet.KindNominations, [][]string{personColumns, {"course", "offering"}}, nil},
	{sheet.KindCourses, [][]string{{"code"}, {"title"}}, nil},
	{sheet.KindOfferings, [][]string{{"course"}, {"start"}, {"seats"}}, personColumns},
	{sheet.KindRequests, [][]string{{"ministry"}, {"area"}, {"seats"}}, personColumns},
	{sheet.KindPeople, [][]string{personColumns}, []string{"course", "offering"}},
}

// detectKind reads the kind of a sheet from its header row (SPEC §4), for
// an import without --kind. The header is the first non-blank row, or, when
// that names no column (a title), the first of the next few that names two.
// A sheet that fits no kind is an EINVALID error naming the kinds that came
// closest and suggesting --kind.
func detectKind(f *sheet.File, name, sheetName string, m map[string]string) (kindGuess, error) {
	rows, err := f.Rows(sheetName)
	if err != nil {
		return kindGuess{}, err
	}
	defer rows.Close()
	var header []string
	seen := 0
	for seen <= titleRows && rows.Next() {
		row := rows.Row()
		if row.Blank() {
			continue
		}
		texts := headerTexts(row)
		if header == nil {
			header = texts // the header, unless a better row follows a title
		}
		if n := mostColumns(texts, m); n >= 2 || (seen == 0 && n >= 1) {
			header = texts
			break
		}
		seen++
	}
	if err := rows.Err(); err != nil {
		return kindGuess{}, err
	}
	if header == nil {
		return kindGuess{}, nomtrack.Errorf(nomtrack.EINVALID, "%s is empty: it has no header row; the first row must name the columns", name)
	}
	type fit struct {
		rule    kindRule
		has     []string
		lacking []string
	}
	var fits []fit
	for _, rule := range kindRules {
		h, _, err := sheet.MatchHeaders(header, rule.kind, mapFor(rule.kind, m))
		has := h.Has
		if err != nil {
			if nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				continue // a bad --map: said when the sheet is read with its kind
			}
			// Two columns give one field. When the sheet fits this kind all
			// the same, that is said now: read as another kind, one that
			// has no use for the repeated field, it would import the rows
			// with whole columns ignored (a nominations sheet with two
			// note columns read as people, its nominations dropped).
			if lacking, _ := rule.check(columnFields(header, rule.kind, m)); len(lacking) == 0 {
				return kindGuess{}, nomtrack.Errorf(nomtrack.EINVALID, "%s: %s", name, nomtrack.ErrorMessage(err))
			}
			continue
		}
		ft := fit{rule: rule}
		var by []string
		ft.lacking, by = rule.check(has)
		if len(ft.lacking) == 0 {
			return kindGuess{kind: rule.kind, by: by}, nil
		}
		for _, f := range sheet.Fields(rule.kind) {
			if h.Has(f) {
				ft.has = append(ft.has, f)
			}
		}
		fits = append(fits, ft)
	}
	slices.SortStableFunc(fits, func(a, b fit) int { return len(b.has) - len(a.has) })
	var closest []string
	for _, ft := range fits {
		if len(ft.has) == 0 || len(closest) == 2 {
			break
		}
		closest = append(closest, fmt.Sprintf("%s (has %s; needs %s)", ft.rule.kind, strings.Join(ft.has, ", "), strings.Join(ft.lacking, ", ")))
	}
	if len(closest) == 0 {
		return kindGuess{}, nomtrack.Errorf(nomtrack.EINVALID, "%s: its header row names no field nomtrack imports (is the header missing?), so its kind cannot be told; give the header row, or --kind (nominations, courses, offerings, people or requests) and --map 'Header=field'", name)
	}
	return kindGuess{}, nomtrack.Errorf(nomtrack.EINVALID, "%s: the headers fit no kind; closest: %s; give --kind (and --map 'Header=field' for a column named otherwise)", name, strings.Join(closest, "; "))
}

// check says what a sheet whose columns give the fields has lacks to be
// of the rule's kind (nothing when it fits), and the fields that decided it.
func (rule kindRule) check(has func(string) bool) (lacking, by []string) {
	for _, g := range rule.all {
		i := slices.IndexFunc(g, has)
		if i < 0 {
			lacking = append(lacking, strings.Join(g, " or "))
			continue
		}
		by = append(by, g[i])
	}
	for _, f := range rule.without {
		if has(f) {
			lacking = append(lacking, "no "+f)
		}
	}
	return lacking, by
}

// columnFields tells whether some column of header, taken alone, gives a
// field of kind k: the fields of a header in which two columns give the same
// one, which MatchHeaders refuses as a whole.
func columnFields(header []string, k sheet.Kind, m map[string]string) func(string) bool {
	fields := map[string]bool{}
	for _, text := range header {
		if h, _, err := sheet.MatchHeaders([]string{text}, k, mapFor(k, m)); err == nil {
			for f := range h.Columns {
				fields[f] = true
			}
		}
	}
	return func(f string) bool { return fields[f] }
}

// mostColumns is how many header cells name a field, in the kind they fit
// best.
func mostColumns(texts []string, m map[string]string) int {
	most := 0
	for _, k := range sheet.Kinds {
		if h, _, err := sheet.MatchHeaders(texts, k, mapFor(k, m)); err == nil {
			most = max(most, len(h.Columns))
		}
	}
	return most
}
