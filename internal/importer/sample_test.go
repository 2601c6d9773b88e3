package importer

import (
	"path/filepath"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestSampleFilesImport imports testdata/sample as the docs' quick start
// does (the ministries and Arabic headers of its config.yaml), including the
// little-endian UTF-16 file that a txtar archive cannot carry.
func TestSampleFilesImport(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "sample")
	db := MustDB(t)
	opt := Options{
		Ministries: nomtrack.NewVocabulary(map[string][]string{
			"MoD": {"Ministry of Defence", "وزارة الدفاع"}, "MoI": {"Ministry of Interior", "وزارة الداخلية"},
			"NSA": {"Office of the National Security Adviser"}, "CTS": {"Counter-Terrorism Service"}, "MoO": {"Ministry of Oil"},
		}),
		Map: map[string]string{"رقم الخدمة": "ref", "الاسم بالإنجليزية": "name", "رمز الدورة": "course", "تاريخ البدء": "start",
			"الصفة": "role", "الحالة": "status", "ملاحظات": "note"},
	}
	steps := []struct {
		file, kind, encoding string
		created              int
	}{
		{"programme.xlsx", "", "xlsx", 33},
		{"people-excel.csv", "people", "utf-8-bom", 0},
		{"interior-1256.csv", "", "windows-1256", 3},
		{"unicode-text.txt", "", "utf-16le", 3},
	}
	for _, s := range steps {
		o := opt
		o.Kind = s.kind
		sum := MustRun(t, db, filepath.Join(dir, s.file), o)
		if sum.Encoding != s.encoding || sum.Created != s.created {
			t.Errorf("%s: encoding %s, created %d; want %s, %d", s.file, sum.Encoding, sum.Created, s.encoding, s.created)
		}
	}
	got := MustQuery[string](t, db, `SELECT o.start || ' ' || n.role || ' ' || n.status FROM nomination n
		JOIN person p ON p.id = n.person_id JOIN offering o ON o.id = n.offering_id WHERE p.ref = 'NSA-3001' AND o.start = '2012-06-11'`)
	if got != "2012-06-11 principal approved" {
		t.Errorf("the UTF-16 row with Arabic-Indic digits read as %q", got)
	}
}
