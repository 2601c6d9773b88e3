package sheet

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Kind is what one sheet holds, which decides the fields its headers map to.
type Kind string

// The import kinds of SPEC §4.
const (
	KindNominations Kind = "nominations"
	KindCourses     Kind = "courses"
	KindOfferings   Kind = "offerings"
	KindPeople      Kind = "people"
	KindRequests    Kind = "requests"
)

// Kinds lists the kinds in the order a workbook's sheets are imported.
var Kinds = []Kind{KindCourses, KindOfferings, KindPeople, KindRequests, KindNominations}

// arabicKindNames are the Arabic names of the kinds, for workbooks whose
// sheets are named in Arabic (SPEC §4), keyed by HeaderKey; built on first
// use, not at every command's start.
var arabicKindNames = sync.OnceValue(func() map[string]Kind {
	m := map[string]Kind{}
	for k, names := range map[Kind][]string{
		KindCourses:     {"الدورات", "الدورات التدريبية"},
		KindOfferings:   {"مواعيد الدورات", "الدورات المجدولة", "المواعيد"},
		KindPeople:      {"الأشخاص", "الأفراد", "المنتسبون"},
		KindRequests:    {"الطلبات", "طلبات المقاعد"},
		KindNominations: {"الترشيحات", "المرشحون", "المرشحين"},
	} {
		for _, n := range names {
			m[HeaderKey(n)] = k
		}
	}
	return m
})

// ParseKind reads a kind name case-insensitively, in English or Arabic
// (الدورات, مواعيد الدورات, الأشخاص, الطلبات, الترشيحات).
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := kindFields(k); ok {
		return k, nil
	}
	if k, ok := arabicKindNames()[HeaderKey(s)]; ok {
		return k, nil
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return "", nomtrack.Errorf(nomtrack.EUSAGE, "unknown kind %q; use one of %s", s, strings.Join(names, ", "))
}

// SheetKind reports the kind a workbook sheet holds when it is named after
// one (Courses, Offerings, People, Requests, Nominations; any case or
// spacing), which makes an .xlsx a multi-sheet workbook import (SPEC §4).
func SheetKind(name string) (Kind, bool) {
	k := Kind(HeaderKey(name))
	if _, ok := kindFields(k); ok {
		return k, true
	}
	k, ok := arabicKindNames()[HeaderKey(name)]
	return k, ok
}

var personFields = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone"}

var nominationFields = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone",
	"course", "start", "offering", "role", "status", "note",
	"visa", "clearance", "adl", "funding", "certificate"}

// kindFields are the fields of each kind, in their column order; false for
// a kind that is not one. Static lists, not a map: nothing to build at
// start-up (TestNominationFieldsStartWithPersonFields keeps the
// nominations' first fields the people's).
func kindFields(k Kind) ([]string, bool) {
	switch k {
	case KindNominations:
		return nominationFields, true
	case KindPeople:
		return personFields, true
	case KindCourses:
		return courseFields, true
	case KindOfferings:
		return offeringFields, true
	case KindRequests:
		return requestFields, true
	}
	return nil, false
}

var (
	courseFields   = []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank", "requires"}
	offeringFields = []string{"course", "start", "end", "location", "seats", "deadline"}
	requestFields  = []string{"ministry", "area", "year", "seats", "note"}
)

// synonyms are the header texts SPEC §4 accepts for each field besides its
// own name, in English and in Arabic. They apply in every kind that has the
// field. Arabic headers match across letter variants (HeaderKey folds them),
// so الرقم الإحصائي and الرقم الاحصائي are one header. Built on first use,
// not at start-up.
var synonyms = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"ref": {"id", "person id", "service number", "service no", "personnel number",
			"الرقم", "رقم", "رقم الخدمة", "الرقم الإحصائي", "الرقم العسكري", "الرقم الوظيفي", "رقم الهوية"},
		"name": {"full name", "name (english)", "nominee", "officer", "participant",
			"الاسم", "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي", "اسم المرشح", "المرشح"},
		"name_ar": {"arabic name", "name (arabic)", "الاسم بالعربية", "الاسم باللغة العربية", "الاسم العربي"},
		"ministry": {"organisation", "organization", "agency",
			"الوزارة", "الجهة", "الجهة المرشحة", "الدائرة"},
		"rank":      {"grade", "الرتبة", "الدرجة"},
		"rank_code": {"nato rank", "stanag 2116", "رمز الرتبة"},
		"position": {"post", "appointment", "unit",
			"المنصب", "الوظيفة", "العنوان الوظيفي", "الوحدة"},
		"gender": {"sex", "الجنس"},
		"english": {"english level", "slp", "stanag 6001",
			"مستوى اللغة الإنجليزية", "مستوى اللغة الانكليزية", "اللغة الإنجليزية", "اللغة الانكليزية"},
		"email":  {"e-mail", "البريد الإلكتروني", "البريد"},
		"phone":  {"mobile", "telephone", "الهاتف", "الموبايل", "رقم الهاتف", "الجوال", "النقال"},
		"course": {"course code", "course id", "etoc code", "الدورة", "رمز الدورة", "اسم الدورة"},
		"start": {"start date", "course start", "from",
			"تاريخ البدء", "تاريخ الالتحاق", "تاريخ بدء الدورة", "تاريخ البداية", "من"},
		"offering": {"offering ref", "مرجع الدورة"},
		"role":     {"principal/alternate", "type", "الصفة", "أصيل/احتياط"},
		"status":   {"nomination status", "الحالة", "حالة الترشيح"},
		"note":     {"notes", "remarks", "comment", "الملاحظات", "ملاحظات", "ملاحظة"},

		"code":        {"رمز", "الرمز", "رمز الدورة"},
		"etoc_code":   {"etoc", "رمز etoc"},
		"title":       {"course title", "عنوان الدورة", "العنوان", "اسم الدورة"},
		"area":        {"area of cooperation", "مجال التعاون", "المجال"},
		"provider":    {"school", "الجهة المنفذة", "المدرسة", "المزود"},
		"days":        {"duration", "duration (days)", "المدة", "عدد الأيام", "المدة بالأيام"},
		"fee":         {"cost", "الكلفة", "التكلفة", "الرسوم"},
		"min_english": {"minimum english", "الحد الأدنى للغة الإنجليزية", "الحد الأدنى للغة"},
		"min_rank":    {"minimum rank", "الحد الأدنى للرتبة", "أدنى رتبة"},
		"requires":    {"requirements", "pre-departure requirements", "المتطلبات", "متطلبات السفر"},
		"end":         {"end date", "تاريخ الانتهاء", "تاريخ النهاية", "إلى"},
		"location":    {"venue", "place", "المكان", "الموقع"},
		"seats":       {"places", "المقاعد", "عدد المقاعد"},
		"deadline":    {"nomination deadline", "آخر موعد", "الموعد النهائي", "آخر موعد للترشيح"},
		"year":        {"السنة", "العام"},

		// Pre-departure and completion fields of a nomination (issue 14).
		"visa":        {"visa status", "تأشيرة", "التأشيرة", "الفيزا", "فيزا"},
		"clearance":   {"security clearance", "التصريح الأمني", "الموافقة الأمنية"},
		"adl":         {"adl date", "adl completed", "adl pre-study", "التعلم الإلكتروني", "الدراسة المسبقة"},
		"funding":     {"funded by", "funding source", "التمويل", "جهة التمويل"},
		"certificate": {"certificate number", "certificate no", "رقم الشهادة", "الشهادة"},
	}
})

// Fields lists the canonical fields kind k accepts, in a stable order; nil
// for an unknown kind.
func Fields(k Kind) []string {
	fields, _ := kindFields(k)
	return append([]string(nil), fields...)
}

// Synonyms lists the header texts SPEC §4 accepts for field besides its name.
func Synonyms(field string) []string {
	return append([]string(nil), synonyms()[field]...)
}

// HeaderKey folds a header for matching: letters are lower-cased, digits made
// ASCII, and spaces, underscores, punctuation and symbols dropped, so that
// "E-mail", "e_mail" and " EMAIL " meet. Arabic letters are kept, with
// their variants folded (nomtrack.ArabicWordKey: أ إ آ → ا, ة → ه, ى → ي,
// hamza seats), so الإلكتروني and الالكتروني meet.
func HeaderKey(s string) string {
	if !utf8.ValidString(s) || !isASCII(s) {
		s = nomtrack.ArabicWordKey(norm.NFC.String(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			b.WriteByte(byte('0' + r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteByte(byte('0' + r - '۰'))
		case r == 'ـ': // tatweel only stretches a word
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Header says which column holds each field of a sheet.
type Header struct {
	// Columns maps a canonical field to its 0-based column index.
	Columns map[string]int
}

// Has reports whether the sheet has a column for field.
func (h Header) Has(field string) bool {
	_, ok := h.Columns[field]
	return ok
}

// Get returns the cell of field in r, or the zero Cell when the sheet has no
// such column or the row is shorter than the header.
func (h Header) Get(r Row, field string) Cell {
	i, ok := h.Columns[field]
	if !ok {
		return Cell{}
	}
	return r.Cell(i)
}

// Value returns the cleaned text of field in r ("" when absent).
func (h Header) Value(r Row, field string) string {
	return Clean(h.Get(r, field).Text)
}

// Column returns the 1-based column number of field, for messages; 0 when
// absent.
func (h Header) Column(field string) int {
	if i, ok := h.Columns[field]; ok {
		return i + 1
	}
	return 0
}

// MatchHeaders maps the header cells of a sheet of kind k to fields, using
// each field's own name, the SPEC §4 synonyms and extra (header text ->
// field, from --map or config import.map; extra wins). It returns the
// header, the header texts that match no field (for a warning), and an error
// when two columns map to the same field or an extra target is not a field
// of the kind.
func MatchHeaders(headers []string, k Kind, extra map[string]string) (Header, []string, error) {
	fields, ok := kindFields(k)
	if !ok {
		_, err := ParseKind(string(k))
		return Header{}, nil, err
	}
	byKey := make(map[string]string, 4*len(fields))
	for _, f := range fields {
		for _, syn := range synonyms()[f] {
			byKey[HeaderKey(syn)] = f
		}
	}
	for _, f := range fields { // a field's own name beats another's synonym
		byKey[HeaderKey(f)] = f
	}
	if len(extra) > 0 {
		fieldByKey := make(map[string]string, len(fields))
		for _, f := range fields {
			fieldByKey[HeaderKey(f)] = f
		}
		texts := make([]string, 0, len(extra))
		for text := range extra {
			texts = append(texts, text)
		}
		sort.Strings(texts)
		for _, text := range texts {
			target := extra[text]
			f, ok := fieldByKey[HeaderKey(target)]
			if !ok || HeaderKey(target) == "" {
				return Header{}, nil, nomtrack.Errorf(nomtrack.EUSAGE, "the header mapping %q (--map or import.map) names %q, which is not a field of %s; use one of %s", text+"="+target, target, k, strings.Join(fields, ", "))
			}
			key := HeaderKey(text)
			if key == "" {
				return Header{}, nil, nomtrack.Errorf(nomtrack.EUSAGE, "the header mapping %q (--map or import.map) has no header text; write it as 'Header Text=field'", text+"="+target)
			}
			byKey[key] = f
		}
	}
	h := Header{Columns: make(map[string]int, len(headers))}
	var unknown []string
	for i, text := range headers {
		key := HeaderKey(text)
		if key == "" {
			continue
		}
		f, ok := byKey[key]
		if !ok {
			unknown = append(unknown, Clean(text))
			continue
		}
		if j, dup := h.Columns[f]; dup && f == "name" && h.arabicNameColumn(headers, j, i, fields, extra) {
			continue
		} else if dup {
			return Header{}, nil, nomtrack.Errorf(nomtrack.EINVALID, "columns %d (%q) and %d (%q) both give the field %s; rename or remove one of them", j+1, Clean(headers[j]), i+1, Clean(text), f)
		}
		h.Columns[f] = i
	}
	return h, unknown, nil
}

// arabicNameColumn settles two columns that both give the name when one of
// them is headed by an Arabic word for name (الاسم, الاسم الكامل) and the
// other is not (Full Name, or a header mapped to name by --map): the Arabic
// one is then the Arabic name, when the kind has name_ar and no other column
// gives it. j is the column already holding name, i the new one; it reports
// whether it settled them.
func (h Header) arabicNameColumn(headers []string, j, i int, fields []string, extra map[string]string) bool {
	if _, taken := h.Columns["name_ar"]; taken || !slices.Contains(fields, "name_ar") {
		return false
	}
	arabicJ, arabicI := isArabicNameHeader(headers[j], extra), isArabicNameHeader(headers[i], extra)
	switch {
	case arabicI && !arabicJ:
		h.Columns["name_ar"] = i
	case arabicJ && !arabicI:
		h.Columns["name_ar"], h.Columns["name"] = j, i
	default:
		return false
	}
	return true
}

// isArabicNameHeader reports whether header is one of the Arabic synonyms
// of name, not named by a mapping.
func isArabicNameHeader(header string, extra map[string]string) bool {
	key := HeaderKey(header)
	for text := range extra {
		if HeaderKey(text) == key {
			return false
		}
	}
	for _, syn := range synonyms()["name"] {
		if HeaderKey(syn) == key {
			return nomtrack.IsArabicScript(syn)
		}
	}
	return false
}
