package sheet

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

func TestHeaderKeyFoldsCaseSpacePunctuation(t *testing.T) {
	for in, want := range map[string]string{
		"E-mail":              "email",
		" Service_No. ":       "serviceno",
		"Name (English)":      "nameenglish",
		"PRINCIPAL/Alternate": "principalalternate",
		"الاسم":               "الاسم",
		"  الوزارة :":         "الوزاره",
		"الـرتبة":             "الرتبه",
		"الرقم الإحصائي":      "الرقمالاحصايي",
		"STANAG ٢١١٦":         "stanag2116",
		"Cafe\u0301":          "café",
		"":                    "",
	} {
		if got := HeaderKey(in); got != want {
			t.Errorf("HeaderKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// specSynonyms is the SPEC §4 synonym table, kept here verbatim so a change
// to either side shows up.
var specSynonyms = map[string][]string{
	"ref":       {"id", "person id", "service number", "service no", "personnel number"},
	"name":      {"full name", "name (english)", "nominee", "officer", "participant", "الاسم"},
	"name_ar":   {"arabic name", "name (arabic)"},
	"ministry":  {"organisation", "organization", "agency", "الوزارة"},
	"rank":      {"grade", "الرتبة"},
	"rank_code": {"nato rank", "stanag 2116"},
	"position":  {"post", "appointment", "unit"},
	"gender":    {"sex"},
	"english":   {"english level", "slp", "stanag 6001"},
	"email":     {"e-mail"},
	"phone":     {"mobile", "telephone"},
	"course":    {"course code", "course id", "etoc code"},
	"start":     {"start date", "course start", "from"},
	"offering":  {"offering ref"},
	"role":      {"principal/alternate", "type"},
	"status":    {"nomination status"},
	"note":      {"notes", "remarks", "comment"},
}

func TestMatchHeadersEverySynonym(t *testing.T) {
	for _, k := range Kinds {
		for _, field := range Fields(k) {
			names := append([]string{field, strings.ToUpper(strings.ReplaceAll(field, "_", " "))}, specSynonyms[field]...)
			for _, name := range names {
				h, unknown, err := MatchHeaders([]string{"Whatever", name}, k, nil)
				if err != nil {
					t.Fatalf("%s: MatchHeaders(%q): %v", k, name, err)
				}
				if got, ok := h.Columns[field]; !ok || got != 1 {
					t.Errorf("%s: header %q -> %v, want %s in column 1", k, name, h.Columns, field)
				}
				if diff := cmp.Diff([]string{"Whatever"}, unknown); diff != "" {
					t.Errorf("%s: unknown for %q (-want +got):\n%s", k, name, diff)
				}
			}
		}
	}
}

func TestMatchHeadersKindDecidesField(t *testing.T) {
	// "ETOC Code" is the course of a nomination but a course's own etoc_code.
	h, _, err := MatchHeaders([]string{"ETOC Code"}, KindNominations, nil)
	if err != nil || !h.Has("course") {
		t.Errorf("nominations: %v, %v", h.Columns, err)
	}
	h, _, err = MatchHeaders([]string{"ETOC Code", "Code"}, KindCourses, nil)
	if err != nil || h.Columns["etoc_code"] != 0 || h.Columns["code"] != 1 {
		t.Errorf("courses: %v, %v", h.Columns, err)
	}
}

func TestMatchHeadersRealSheet(t *testing.T) {
	headers := []string{"S/N", "Service No.", "Full Name", "الاسم", "الوزارة", "الرتبة", "Course Code", "From", "Type", "Unit", "Remarks", "", "Shoe size"}
	h, unknown, err := MatchHeaders(headers, KindNominations, map[string]string{"Shoe Size": "note", "Remarks": "status"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"ref": 1, "name": 2, "name_ar": 3, "ministry": 4, "rank": 5, "course": 6, "start": 7, "role": 8, "position": 9, "status": 10, "note": 12}
	if diff := cmp.Diff(want, h.Columns); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"S/N"}, unknown); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
	row := Row{Num: 2, Cells: []Cell{{Text: "1"}, {Text: " 12 34 "}, {Text: "Ali\u00a0 Hasan"}}}
	if got := h.Value(row, "name"); got != "Ali Hasan" {
		t.Errorf("Value(name) = %q", got)
	}
	if got := h.Get(row, "course"); got != (Cell{}) {
		t.Errorf("Get(course) on a short row = %v, want the zero cell", got)
	}
	if h.Has("email") || h.Column("ref") != 2 || h.Column("email") != 0 {
		t.Errorf("Has(email) = %v, Column(ref) = %d, Column(email) = %d", h.Has("email"), h.Column("ref"), h.Column("email"))
	}
}

func TestMatchHeadersErrors(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		kind    Kind
		extra   map[string]string
		want    string
		code    string
	}{
		{"ErrTwoColumnsOneField", []string{"Name", "Rank", "Full Name"}, KindPeople, nil,
			`columns 1 ("Name") and 3 ("Full Name") both give the field name; rename or remove one of them`, nomtrack.EINVALID},
		{"ErrMapTargetNotAField", []string{"x"}, KindOfferings, map[string]string{"Venue": "place"},
			`the header mapping "Venue=place" (--map or import.map) names "place", which is not a field of offerings; use one of course, start, end, location, seats, deadline`, nomtrack.EUSAGE},
		{"ErrMapMakesDuplicate", []string{"Name", "Nickname"}, KindPeople, map[string]string{"nickname": "name"},
			`columns 1 ("Name") and 2 ("Nickname") both give the field name`, nomtrack.EINVALID},
		{"ErrUnknownKind", nil, Kind("trainees"), nil, `unknown kind "trainees"`, nomtrack.EUSAGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := MatchHeaders(tt.headers, tt.kind, tt.extra)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want prefix %q", err, tt.want)
			}
			if nomtrack.ErrorCode(err) != tt.code {
				t.Errorf("code = %q, want %q", nomtrack.ErrorCode(err), tt.code)
			}
		})
	}
}

func TestFieldsPerKind(t *testing.T) {
	want := map[Kind][]string{
		KindNominations: {"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone", "course", "start", "offering", "role", "status", "note",
			"visa", "clearance", "adl", "funding", "certificate"},
		KindPeople:    {"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone"},
		KindCourses:   {"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank", "requires"},
		KindOfferings: {"course", "start", "end", "location", "seats", "deadline"},
		KindRequests:  {"ministry", "area", "year", "seats", "note"},
	}
	for k, fields := range want {
		if diff := cmp.Diff(fields, Fields(k)); diff != "" {
			t.Errorf("Fields(%s) (-want +got):\n%s", k, diff)
		}
	}
	Fields(KindPeople)[0] = "changed"
	if Fields(KindPeople)[0] != "ref" {
		t.Error("Fields returns the package's own slice")
	}
	if k, err := ParseKind(" People "); err != nil || k != KindPeople {
		t.Errorf("ParseKind = %q, %v", k, err)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Ali Hasan":                  "Ali Hasan",
		"  Ali \t\u00a0 Hasan \r\n":  "Ali Hasan",
		"\uFEFFName":                 "Name",
		"Ali\u200b\u200fHasan":       "AliHasan",
		"Ali\u2064 Hasan\u0600":      "Ali Hasan", // every format character, as identifiers refuse (nomtrack.IsFormat)
		"٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹":      "0123456789 0123456789",
		"Cafe\u0301":                 "Café",
		"\u0627\u0654حمد":            "أحمد",
		"\u202bوزارة الدفاع\u202c  ": "وزارة الدفاع",
		"":                           "",
		"   ":                        "",
		"a\x00b":                     "a b",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanOfCleanValueDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"Ministry of Defence", "وزارة الدفاع", "Café Müller"} {
		if n := testing.AllocsPerRun(100, func() { _ = Clean(s) }); n != 0 {
			t.Errorf("Clean(%q) allocates %v times", s, n)
		}
	}
}

func TestRowBlank(t *testing.T) {
	if !(Row{}).Blank() || !(Row{Cells: []Cell{{Text: " \u00a0\u200b"}, {}}}).Blank() {
		t.Error("empty or whitespace rows should be blank")
	}
	if (Row{Cells: []Cell{{}, {Text: "x"}}}).Blank() || (Row{Cells: []Cell{{IsDate: true}}}).Blank() {
		t.Error("rows with a value or a date should not be blank")
	}
}

func TestSheetKind(t *testing.T) {
	for name, want := range map[string]Kind{"Courses": KindCourses, " OFFERINGS ": KindOfferings, "people": KindPeople, "Requests": KindRequests, "NominationS": KindNominations} {
		if got, ok := SheetKind(name); !ok || got != want {
			t.Errorf("SheetKind(%q) = %q, %v", name, got, ok)
		}
	}
	for _, name := range []string{"Sheet1", "Nomination", ""} {
		if got, ok := SheetKind(name); ok {
			t.Errorf("SheetKind(%q) = %q, want no kind", name, got)
		}
	}
}

func TestMatchHeadersArabic(t *testing.T) {
	// The issue 13 header, and the Arabic headers of every person and
	// nomination field, with and without hamza and ta marbuta.
	headers := []string{"الرقم", "الاسم", "الوزارة", "الرتبة", "الجنس", "الدورة", "تاريخ البدء", "الحالة",
		"الصفة", "الملاحظات", "المنصب", "مستوى اللغة الانجليزية", "البريد الالكتروني", "الموبايل"}
	h, unknown, err := MatchHeaders(headers, KindNominations, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"ref": 0, "name": 1, "ministry": 2, "rank": 3, "gender": 4, "course": 5, "start": 6, "status": 7,
		"role": 8, "note": 9, "position": 10, "english": 11, "email": 12, "phone": 13}
	if diff := cmp.Diff(want, h.Columns); diff != "" || len(unknown) > 0 {
		t.Errorf("columns (-want +got):\n%s\nunknown: %v", diff, unknown)
	}
	for field, variants := range map[string][]string{
		"ref":      {"رقم الخدمة", "الرقم الإحصائي", "الرقم الاحصائي"},
		"name":     {"الاسم الكامل", "الإسم"},
		"ministry": {"الجهة", "الجهه"},
		"position": {"الوظيفة"},
		"phone":    {"الهاتف"},
		"course":   {"رمز الدورة"},
		"start":    {"تاريخ الالتحاق", "تاريخ الإلتحاق"},
	} {
		for _, v := range variants {
			h, _, err := MatchHeaders([]string{v}, KindNominations, nil)
			if err != nil || !h.Has(field) {
				t.Errorf("header %q -> %v, %v; want %s", v, h.Columns, err, field)
			}
		}
	}
	for kind, headers := range map[Kind][]string{
		KindCourses:   {"رمز الدورة", "عنوان الدورة", "مجال التعاون", "المدة", "الحد الأدنى للرتبة"},
		KindOfferings: {"الدورة", "تاريخ البدء", "تاريخ الانتهاء", "المكان", "المقاعد"},
		KindRequests:  {"الوزارة", "المجال", "السنة", "عدد المقاعد"},
	} {
		h, unknown, err := MatchHeaders(headers, kind, nil)
		if err != nil || len(h.Columns) != len(headers) || len(unknown) > 0 {
			t.Errorf("%s: %v, unknown %v, %v", kind, h.Columns, unknown, err)
		}
	}
}

func TestMatchHeadersArabicNameBesideLatinName(t *testing.T) {
	for _, headers := range [][]string{{"Full Name", "الاسم"}, {"الاسم الكامل", "Name"}} {
		h, _, err := MatchHeaders(headers, KindPeople, nil)
		if err != nil {
			t.Fatal(err)
		}
		latin := 0
		if nomtrackArabic(headers[0]) {
			latin = 1
		}
		if h.Columns["name"] != latin || h.Columns["name_ar"] != 1-latin {
			t.Errorf("%q: %v; want the Arabic-headed column as name_ar", headers, h.Columns)
		}
	}
	if _, _, err := MatchHeaders([]string{"Name", "Full Name"}, KindPeople, nil); err == nil {
		t.Error("two Latin name columns: no error")
	}
}

func nomtrackArabic(s string) bool { return s != "" && s[0] >= 0x80 }

func TestKindsInArabic(t *testing.T) {
	for name, want := range map[string]Kind{"الدورات": KindCourses, "مواعيد الدورات": KindOfferings, "الاشخاص": KindPeople,
		"الطلبات": KindRequests, "الترشيحات": KindNominations, "Nominations": KindNominations} {
		if k, err := ParseKind(name); err != nil || k != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %s", name, k, err, want)
		}
		if k, ok := SheetKind(name); !ok || k != want {
			t.Errorf("SheetKind(%q) = %q, %v; want %s", name, k, ok, want)
		}
	}
	if _, err := ParseKind("الرواتب"); err == nil {
		t.Error("ParseKind accepted an Arabic word that names no kind")
	}
}
