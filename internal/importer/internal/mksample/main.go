// Command mksample writes the sample spreadsheets of testdata/sample: the
// files ministries really send, in every encoding and shape nomtrack reads,
// made from one small programme so that they agree with each other. The
// binary ones (Windows-1256, UTF-16, xlsx) are why this is a program: run
//
//	go run ./internal/importer/internal/mksample -out testdata/sample
//
// to rebuild them; the output is the same byte for byte every time.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func main() {
	out := flag.String("out", "testdata/sample", "directory to write the sample files into")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "mksample:", err)
		os.Exit(1)
	}
}

// The programme: five courses, their 2012 offerings, people of four
// ministries, requests and nominations.
var (
	courseCols = []string{"code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank"}
	courses    = [][]string{
		{"M5-106", "ETE-SP-31399", "NATO Crisis Management Course", "crisis-management", "NATO School Oberammergau", "5", "1200", "2222", "OF-2"},
		{"CT-210", "ETE-CT-22107", "Counter-Terrorism Staff Officer Course", "counter-terrorism", "COE Defence Against Terrorism", "5", "900", "2222", "OF-2"},
		{"ES-301", "", "Energy Security Strategic Awareness Course", "energy-security", "ENSEC COE", "4", "0", "2+222", ""},
		{"DE-115", "", "Faculty Development Course", "defence-education", "NATO Defense College", "10", "1500", "3232", "OF-3"},
		{"CE-120", "ETE-CE-41200", "Civil Emergency Planning Course", "civil-emergency-planning", "NATO School Oberammergau", "5", "1100", "", ""},
	}
	offeringCols = []string{"course", "start", "end", "location", "seats", "deadline"}
	offerings    = [][]string{
		{"M5-106", "2012-03-05", "2012-03-09", "Oberammergau", "4", "2012-01-20"},
		{"M5-106", "2012-10-08", "2012-10-12", "Oberammergau", "3", "2012-08-24"},
		{"CT-210", "2012-04-16", "2012-04-20", "Ankara", "3", "2012-02-27"},
		{"ES-301", "2012-06-11", "2012-06-14", "Vilnius", "2", "2012-04-30"},
		{"DE-115", "2012-09-17", "2012-09-28", "Rome", "2", "2012-07-16"},
		{"CE-120", "2012-11-05", "2012-11-09", "Oberammergau", "3", "2012-09-21"},
	}
	personCols = []string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone"}
	people     = [][]string{
		{"MOD-1001", "Mohammed Abdul-Karim Al-Saadi", "محمد عبد الكريم الساعدي", "MoD", "Colonel", "OF-5", "Director of Plans", "M", "3232", "m.alsaadi@mod.example.org", "+964 770 000 1001"},
		{"MOD-1002", "Zainab Hameed Noor", "زينب حميد نور", "MoD", "Major", "OF-3", "Staff Officer J5", "F", "2222", "z.noor@mod.example.org", "+964 770 000 1002"},
		{"MOD-1003", "Ali Hussein Jabbar", "علي حسين جبار", "MoD", "Lieutenant Colonel", "OF-4", "Training Branch", "M", "2+222", "", ""},
		{"MOI-2001", "Hassan Kadhim Al-Musawi", "حسن كاظم الموسوي", "MoI", "Brigadier", "OF-6", "Civil Defence Directorate", "M", "2121", "h.almusawi@moi.example.org", ""},
		{"MOI-2002", "Noor Abbas Salman", "نور عباس سلمان", "MoI", "Captain", "OF-2", "Crisis Cell", "F", "3333", "", "+964 780 000 2002"},
		{"NSA-3001", "Ahmed Saleh Al-Obaidi", "أحمد صالح العبيدي", "NSA", "Mr", "", "Senior Adviser", "M", "3333", "a.alobaidi@nsa.example.org", ""},
		{"CTS-4001", "Kareem Jawad Hamid", "كريم جواد حميد", "CTS", "Major", "OF-3", "Operations Officer", "M", "2222", "", ""},
		{"MOO-5001", "Layla Fadhil Al-Rubaie", "ليلى فاضل الربيعي", "MoO", "Ms", "", "Pipeline Security Engineer", "F", "3232", "l.alrubaie@oil.example.org", ""},
	}
	requestCols = []string{"ministry", "area", "year", "seats", "note"}
	requests    = [][]string{
		{"MoD", "crisis-management", "2012", "4", "priority: J5 planners"},
		{"MoD", "defence-education", "2012", "2", ""},
		{"MoI", "civil-emergency-planning", "2012", "3", ""},
		{"NSA", "counter-terrorism", "2012", "2", ""},
		{"MoO", "energy-security", "2012", "2", "pipeline security"},
	}
	nominationCols = []string{"ref", "name", "ministry", "course", "start", "role", "status", "note"}
	nominations    = [][]string{
		{"MOD-1001", "Mohammed Abdul-Karim Al-Saadi", "MoD", "M5-106", "2012-03-05", "principal", "completed", ""},
		{"MOD-1002", "Zainab Hameed Noor", "MoD", "M5-106", "2012-03-05", "principal", "attended", ""},
		{"MOD-1003", "Ali Hussein Jabbar", "MoD", "M5-106", "2012-03-05", "alternate", "nominated", "reserve for Al-Saadi"},
		{"MOD-1001", "Mohammed Abdul-Karim Al-Saadi", "MoD", "DE-115", "2012-09-17", "principal", "approved", ""},
		{"MOI-2001", "Hassan Kadhim Al-Musawi", "MoI", "CE-120", "2012-11-05", "principal", "confirmed", ""},
		{"MOI-2002", "Noor Abbas Salman", "MoI", "CE-120", "2012-11-05", "principal", "nominated", ""},
		{"NSA-3001", "Ahmed Saleh Al-Obaidi", "NSA", "CT-210", "2012-04-16", "principal", "no-show", "flight cancelled"},
		{"CTS-4001", "Kareem Jawad Hamid", "CTS", "CT-210", "2012-04-16", "principal", "completed", ""},
		{"MOO-5001", "Layla Fadhil Al-Rubaie", "MoO", "ES-301", "2012-06-11", "principal", "withdrawn", ""},
	}
)

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		"courses.csv":     csvBytes(',', courseCols, courses),
		"offerings.csv":   csvBytes(',', offeringCols, offerings),
		"requests.csv":    csvBytes(',', requestCols, requests),
		"nominations.csv": csvBytes(',', nominationCols, nominations),
		// Excel's "CSV UTF-8": a BOM, and headers in a coordinator's words.
		"people-excel.csv": append([]byte("\uFEFF"), csvBytes(',',
			[]string{"Service No.", "Full Name", "Arabic Name", "Organisation", "Grade", "NATO Rank", "Post", "Sex", "SLP", "E-mail", "Mobile"}, people)...),
		"bad-rows.csv": csvBytes(',', nominationCols, badRows),
		// An Arabic-first ministry sheet: Arabic headers, names, ranks and
		// statuses, and dates with Iraqi month names; imported with no flags.
		"arabic-ministry.csv": csvBytes(',', arabicCols, arabicRows),
	}
	var err error
	if files["interior-1256.csv"], err = interior(); err != nil {
		return err
	}
	if files["unicode-text.txt"], err = unicodeText(); err != nil {
		return err
	}
	if files["programme.xlsx"], err = workbook(); err != nil {
		return err
	}
	files["config.yaml"] = []byte(config)
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// arabicRows are nominations as an Iraqi ministry writes them (issue 13):
// new people known only by their Arabic names, rank titles instead of codes
// (مدير is a civilian grade, so it has none), Arabic statuses and dates
// with Iraqi month names, weekdays and Arabic-Indic digits, for offerings of
// the sample programme.
var (
	arabicCols = []string{"الرقم", "الاسم", "الوزارة", "الرتبة", "الجنس", "الدورة", "تاريخ البدء", "الحالة"}
	arabicRows = [][]string{
		{"MOD-1004", "عمر فاروق الجبوري", "وزارة الدفاع", "عقيد ركن", "ذكر", "M5-106", "٨ تشرين الأول ٢٠١٢", "مرشح"},
		{"MOD-1005", "سارة كريم العاني", "وزارة الدفاع", "مقدم", "أنثى", "M5-106", "8 تشرين الاول 2012", "موافق عليه"},
		{"MOI-2005", "حيدر عباس الزيدي", "وزارة الداخلية", "لواء شرطة", "ذكر", "CE-120", "الاثنين ٥ تشرين الثاني ٢٠١٢", "مؤكد"},
		{"MOI-2004", "نادية حسن الطائي", "وزارة الداخلية", "ملازم أول", "انثى", "CE-120", "5 تشرين الثاني 2012", "مقبولة"},
		{"MOD-1006", "يوسف جاسم الدليمي", "وزارة الدفاع", "مدير", "ذكر", "DE-115", "17 أيلول 2012", "اعتذر"},
	}
)

// badRows holds a sheet with the mistakes coordinators make: a mistyped
// course, a date that does not exist, an unknown status, an offering that
// is not in the catalogue, and a row without anyone's name.
var badRows = [][]string{
	{"MOD-1002", "Zainab Hameed Noor", "MoD", "M5-106", "2012-10-08", "principal", "nominated", ""},
	{"MOD-1003", "Ali Hussein Jabbar", "MoD", "M5-160", "2012-10-08", "principal", "nominated", ""},
	{"MOI-2002", "Noor Abbas Salman", "MoI", "CT-210", "31/02/2012", "principal", "nominated", ""},
	{"CTS-4001", "Kareem Jawad Hamid", "CTS", "ES-301", "2012-06-11", "principal", "pending", ""},
	{"MOO-5001", "Layla Fadhil Al-Rubaie", "MoO", "DE-115", "2012-09-18", "alternate", "nominated", ""},
	{"", "", "MoD", "CE-120", "2012-11-05", "principal", "nominated", ""},
	{"NSA-3001", "Ahmed Saleh Al-Obaidi", "NSA", "M5-106", "08/10/2012", "alternate", "nominated", ""},
}

// config is the sample configuration: the ministries with their English
// and Arabic names, and the Arabic headers of the Interior ministry's sheet.
const config = `# nomtrack configuration for the sample files (testdata/sample).
actor: coordinator
date_order: dmy
ministries:
  MoD: [Ministry of Defence, MOD, وزارة الدفاع]
  MoI: [Ministry of Interior, MOI, وزارة الداخلية]
  NSA: [National Security Adviser, Office of the National Security Adviser, مستشارية الأمن القومي]
  CTS: [Counter-Terrorism Service, جهاز مكافحة الإرهاب]
  MoO: [Ministry of Oil, وزارة النفط]
  MoE: [Ministry of Electricity, وزارة الكهرباء]
import:
  map:
    رقم الخدمة: ref
    الاسم بالإنجليزية: name
    رمز الدورة: course
    تاريخ البدء: start
    الصفة: role
    الحالة: status
    ملاحظات: note
`

func csvBytes(sep rune, header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = sep
	w.Write(header)
	w.WriteAll(rows)
	return b.Bytes()
}

// interior is the Interior ministry's sheet as Arabic Excel saves "CSV":
// Windows-1256, semicolons, CRLF, Arabic headers and values, day-first dates.
func interior() ([]byte, error) {
	rows := [][]string{
		{"رقم الخدمة", "الاسم", "الاسم بالإنجليزية", "الوزارة", "الرتبة", "رمز الدورة", "تاريخ البدء", "الصفة", "الحالة", "ملاحظات"},
		{"MOI-2001", "حسن كاظم الموسوي", "Hassan Kadhim Al-Musawi", "وزارة الداخلية", "عميد", "M5-106", "08/10/2012", "principal", "nominated", ""},
		{"MOI-2002", "نور عباس سلمان", "Noor Abbas Salman", "وزارة الداخلية", "نقيب", "M5-106", "08/10/2012", "alternate", "nominated", ""},
		{"MOI-2003", "سعد مهدي العامري", "Saad Mahdi Al-Amiri", "وزارة الداخلية", "مقدم", "CE-120", "5/11/12", "principal", "nominated", "ضابط ارتباط"},
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	w.UseCRLF = true
	w.WriteAll(rows)
	return charmap.Windows1256.NewEncoder().Bytes(b.Bytes())
}

// unicodeText is Excel's "Unicode text": UTF-16LE with a BOM, tabs, CRLF.
// Its dates are written with Arabic-Indic and Persian digits and month
// names, as sheets typed on Arabic keyboards have them.
func unicodeText() ([]byte, error) {
	rows := [][]string{
		{"Service Number", "Name (English)", "Name (Arabic)", "Agency", "Course Code", "Course Start", "Principal/Alternate", "Nomination Status"},
		{"NSA-3001", "Ahmed Saleh Al-Obaidi", "أحمد صالح العبيدي", "Office of the National Security Adviser", "ES-301", "١١/٠٦/٢٠١٢", "P", "Accepted"},
		{"CTS-4001", "Kareem Jawad Hamid", "كريم جواد حميد", "Counter-Terrorism Service", "DE-115", "۱۷/۰۹/۲۰۱۲", "A", "nominated"},
		{"MOO-5001", "Layla Fadhil Al-Rubaie", "ليلى فاضل الربيعي", "Ministry of Oil", "CE-120", "5 Nov 2012", "primary", "Regretted"},
	}
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteString("\r\n")
	}
	return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(b.Bytes())
}

// workbook is programme.xlsx: one sheet per kind, in the order a
// coordinator keeps them (not the order they are imported in), with real
// date cells in the Offerings and Nominations sheets.
func workbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	sheets := []struct {
		name   string
		header []string
		rows   [][]string
		dates  map[int]bool // columns holding dates
		nums   map[int]bool // columns holding numbers
	}{
		{"Nominations", nominationCols, nominations, map[int]bool{4: true}, nil},
		{"People", personCols, people, nil, nil},
		{"Courses", courseCols, courses, nil, map[int]bool{5: true, 6: true}},
		{"Offerings", offeringCols, offerings, map[int]bool{1: true, 2: true, 5: true}, map[int]bool{4: true}},
		{"Requests", requestCols, requests, nil, map[int]bool{2: true, 3: true}},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
		for c, h := range s.header {
			cell, _ := excelize.CoordinatesToCellName(c+1, 1)
			f.SetCellValue(s.name, cell, h)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+2)
				switch {
				case s.dates[c]:
					t, err := time.Parse("2006-01-02", v)
					if err != nil {
						return nil, err
					}
					f.SetCellValue(s.name, cell, t)
					f.SetCellStyle(s.name, cell, cell, date)
				case s.nums[c]:
					var n float64
					fmt.Sscan(v, &n)
					f.SetCellValue(s.name, cell, n)
				default:
					f.SetCellValue(s.name, cell, v)
				}
			}
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
