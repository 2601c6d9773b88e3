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
