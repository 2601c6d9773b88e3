package importer

import (
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/sheet"
)

func TestDetectKind(t *testing.T) {
	cases := []struct {
		name, body, readAs string
	}{
		{"courses", "code,title,area\n", "courses: code, title"},
		{"offerings", "course,start,seats\n", "offerings: course, start, seats"},
		{"offerings-ar", "الدورة,تاريخ البدء,المقاعد\n", "offerings: course, start, seats"},
		{"people", "Service No.,Full Name,Organisation\n", "people: ref"},
		{"people-ar", "الاسم,الوزارة,الرتبة\n", "people: name"},
		{"requests", "ministry,area,year,seats\n", "requests: ministry, area, seats"},
		{"nominations", "name,ministry,course,start\n", "nominations: name, course"},
		{"nominations-ar", "الرقم,الاسم,الوزارة,الرتبة,الجنس,الدورة,تاريخ البدء,الحالة\n", "nominations: ref, course"},
		{"offering-ref", "ref,offering\n", "nominations: ref, offering"},
		{"titled", "Programme 2013\n\ncode,title\n", "courses: code, title"},
		// A person column makes course, start and seats a nominations sheet.
		{"nominations-with-seats", "name,course,start,seats\n", "nominations: name, course"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := sheet.Open(MustFile(t, c.name+".csv", c.body), sheet.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			g, err := detectKind(f, c.name+".csv", "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if g.readAs() != c.readAs {
				t.Errorf("read as %q, want %q", g.readAs(), c.readAs)
			}
		})
	}
}

func TestDetectKindFitsNone(t *testing.T) {
	for body, want := range map[string]string{
		"course,start,end\n": "the headers fit no kind; closest: offerings (has course, start, end; needs seats)",
		"ministry,area\n":    "closest: requests (has ministry, area; needs seats)",
		"item,price\n":       "its header row names no field nomtrack imports",
	} {
		f, err := sheet.Open(MustFile(t, "x.csv", body), sheet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = detectKind(f, "x.csv", "", nil)
		f.Close()
		if err == nil || nomtrack.ErrorCode(err) != nomtrack.EINVALID || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "--kind") {
			t.Errorf("%q: %v; want EINVALID with %q and --kind", body, err, want)
		}
	}
	// --map teaches detection a header too.
	f, err := sheet.Open(MustFile(t, "m.csv", "Kurs,Beginn,Plätze\n"), sheet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := detectKind(f, "m.csv", "", map[string]string{"Kurs": "course", "Beginn": "start", "Plätze": "seats"})
	if err != nil || g.kind != sheet.KindOfferings {
		t.Errorf("with --map: %v, %v", g, err)
	}
}

// A sheet whose kind is plain but for a repeated column is refused naming
// the two columns, not read as another kind that ignores them: a
// nominations sheet with two note columns was read as people, and its
// nominations were dropped with a warning.
func TestDetectKindRepeatedColumn(t *testing.T) {
	for body, want := range map[string]string{
		"ref,name,ministry,course,start,note,note\n": `x.csv: columns 6 ("note") and 7 ("note") both give the field note`,
		"ref,name,ministry,course,start,start\n":     `x.csv: columns 5 ("start") and 6 ("start") both give the field start`,
		"ref,name,ministry,name,course,start\n":      `x.csv: columns 2 ("name") and 4 ("name") both give the field name`,
		"Service No,Name,Full Name,Organisation\n":   `x.csv: columns 2 ("Name") and 3 ("Full Name") both give the field name`,
		"code,title,area,title\n":                    `x.csv: columns 2 ("title") and 4 ("title") both give the field title`,
	} {
		f, err := sheet.Open(MustFile(t, "x.csv", body), sheet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		g, err := detectKind(f, "x.csv", "", nil)
		f.Close()
		if err == nil || nomtrack.ErrorCode(err) != nomtrack.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: read as %v, %v; want EINVALID with %q", body, g, err, want)
		}
	}
	// A repeated column that no kind reads is only ignored.
	f, err := sheet.Open(MustFile(t, "x.csv", "ref,name,ministry,course,start,x,x\n"), sheet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if g, err := detectKind(f, "x.csv", "", nil); err != nil || g.kind != sheet.KindNominations {
		t.Errorf("unknown columns repeated: %v, %v; want nominations", g, err)
	}
}
