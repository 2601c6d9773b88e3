package nomtrack

import (
	"strings"
	"testing"
)

func TestFoldLatinNameVariantsFoldEqual(t *testing.T) {
	groups := [][]string{
		{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "MOHAMMED", "Muḥammad"},
		{"Hussein", "Husain", "Hussain", "Husein", "Hussayn"},
		{"Abdul Karim", "Abd al-Karim", "Abdulkarim", "Abd Al Karim", "Abdel Karim", "Abd el-Karim", "Abdel-Kareem"},
		{"Hameed", "Hamid"},
		{"Noor", "Nur", "Nour"},
		{"Al-Saadi", "Alsaadi", "Al Saadi", "El-Saadi", "al-Sa'adi", "Al-Sa’adi", "As-Saadi"},
		{"Abdul Rahman", "Abd ar-Rahman", "Abdurrahman", "Abdur Rahman", "Abdelrahman"},
		{"Abdullah", "Abd Allah", "Abdulla"},
		{"Nasr ad-Din", "Nasr al-Din", "Nasr el Din"},
		{"Zayd", "Zaid", "Zeid"},
		{"Fatimah", "Fatima"},
		{"Mohammed Al-Saadi", "Muhammad Alsaadi", "mohamed al saadi"},
	}
	for _, g := range groups {
		want := FoldLatinName(g[0])
		if want == "" {
			t.Fatalf("FoldLatinName(%q) is empty", g[0])
		}
		for _, n := range g[1:] {
			if got := FoldLatinName(n); got != want {
				t.Errorf("FoldLatinName(%q) = %q, want %q as for %q", n, got, want, g[0])
			}
		}
	}
}

func TestFoldLatinNameKeepsDifferentNamesApart(t *testing.T) {
	pairs := [][2]string{
		{"Omar", "Amir"},
		{"Ali", "Alaa"},
		{"Ali", "Alia"},
		{"Hassan", "Hussein"},
		{"Ahmed", "Hamid"},
		{"Mohammed", "Mahmoud"},
		{"Saad", "Said"},
		{"Hamid", "Hamad"},
		{"Karim", "Karima"},
		{"Nur", "Nora"},
		{"Mohammed Al-Saadi", "Mohammed Al-Saedi Hassan"},
		{"Hassan Ali", "Ali Hassan"},
		{"Alwan", "Wan"},
	}
	for _, p := range pairs {
		if a, b := FoldLatinName(p[0]), FoldLatinName(p[1]); a == b {
			t.Errorf("%q and %q both fold to %q", p[0], p[1], a)
		}
	}
}

func TestFoldLatinNameWithoutLettersIsEmpty(t *testing.T) {
	for _, s := range []string{"", "  ", "-", "123"} {
		if got := FoldLatinName(s); got != "" {
			t.Errorf("FoldLatinName(%q) = %q, want empty", s, got)
		}
	}
}

func TestFoldArabicName(t *testing.T) {
	equal := [][2]string{
		{"أحمد", "احمد"},
		{"إبراهيم", "ابراهيم"},
		{"آمنة", "امنه"},
		{"علي", "على"},
		{"فاطمة", "فاطمه"},
		{"مُحَمَّد", "محمد"},
		{"محـــمد", "محمد"},
		{"علی", "علي"},
		{"کریم", "كريم"},
		{"  أحمد   علي ", "احمد على"},
		{"\u200fأحمد\u200e", "احمد"},
		{"ٱلسعدي", "السعدي"},
	}
	for _, p := range equal {
		if a, b := FoldArabicName(p[0]), FoldArabicName(p[1]); a != b {
			t.Errorf("FoldArabicName(%q) = %q, FoldArabicName(%q) = %q; want equal", p[0], a, p[1], b)
		}
	}
	different := [][2]string{{"علي", "علاء"}, {"عمر", "عامر"}, {"حسن", "حسين"}}
	for _, p := range different {
		if FoldArabicName(p[0]) == FoldArabicName(p[1]) {
			t.Errorf("%q and %q fold equal", p[0], p[1])
		}
	}
	if got := FoldArabicName("أحمد علي"); got != "احمد علي" {
		t.Errorf("FoldArabicName = %q", got)
	}
}

func TestNameKeyIgnoresCaseSpaceAndPunctuationOnly(t *testing.T) {
	if NameKey("Al-Saadi, Mohammed") != NameKey("al saadi mohammed") {
		t.Error("case, space and punctuation should not matter")
	}
	if NameKey("Mohammed") == NameKey("Muhammad") {
		t.Error("NameKey must not fold transliteration")
	}
	if got := NameKey(" O'Brien-Smith 2 "); got != "obriensmith2" {
		t.Errorf("NameKey = %q", got)
	}
}

func TestFindDuplicates(t *testing.T) {
	people := []Person{
		{ID: 7, Name: "Muhammad Alsaadi", Ministry: "MoD"},
		{ID: 3, Name: "Mohammed Al-Saadi", Ministry: "MoD"},
		{ID: 4, Name: "Mohamed Al Saadi", Ministry: "MoI"}, // other ministry: no Latin pair
		{ID: 5, Name: "Hussein Ali", NameAr: "حسين على", Ministry: "MoI", Ref: "A1"},
		{ID: 9, Name: "Husain Aly", NameAr: "حُسين علي", Ministry: "NSA", Ref: "B2"},
		{ID: 10, Name: "Omar Hamid", Ministry: "MoD"},
		{ID: 11, Name: "Amir Hamid", Ministry: "MoD"},
		{ID: 12, Name: "Noor Hameed", NameAr: "نور حميد", Ministry: "mod"},
		{ID: 13, Name: "Nur Hamid", NameAr: "نور حميد", Ministry: "MOD"},
		{ID: 14, Name: "", NameAr: "", Ministry: "MoD"},
		{ID: 15, Name: "", NameAr: "", Ministry: "MoD"},
	}
	got := FindDuplicates(people)
	type pair struct {
		a, b   int64
		reason string
	}
	// The Arabic blocks first, then the Latin ones, each in its key's order.
	want := []pair{
		{5, 9, `Arabic names equal after folding letter variants ("حسين على" ~ "حُسين علي"), in different ministries (MoI, NSA); their refs differ, so check they are one person before merging`},
		{12, 13, `Arabic names equal ("نور حميد"); same ministry, names equal after folding transliteration ("Noor Hameed" ~ "Nur Hamid")`},
		{3, 7, `same ministry, names equal after folding transliteration ("Mohammed Al-Saadi" ~ "Muhammad Alsaadi")`},
	}
	if len(got) != len(want) {
		for _, p := range got {
			t.Logf("got %d-%d: %s", p.A.ID, p.B.ID, p.Reason)
		}
		t.Fatalf("got %d pairs, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.A.ID != w.a || g.B.ID != w.b || g.Reason != w.reason {
			t.Errorf("pair %d = %d-%d %q\nwant %d-%d %q", i, g.A.ID, g.B.ID, g.Reason, w.a, w.b, w.reason)
		}
	}
}

func TestFindDuplicatesSameNameIgnoringCase(t *testing.T) {
	got := FindDuplicates([]Person{{ID: 1, Name: "ALI HASSAN", Ministry: "MoD"}, {ID: 2, Name: "Ali Hassan", Ministry: "MoD"}})
	if len(got) != 1 || !strings.Contains(got[0].Reason, "ignoring case and punctuation") {
		t.Fatalf("got %+v", got)
	}
}

func TestFindDuplicatesNoneIsEmpty(t *testing.T) {
	if got := FindDuplicates(nil); len(got) != 0 {
		t.Errorf("got %v", got)
	}
}

func BenchmarkFindDuplicates(b *testing.B) {
	first := []string{"Mohammed", "Ali", "Hussein", "Omar", "Hamid", "Noor", "Ahmed", "Abdul Karim", "Saad", "Zaid"}
	last := []string{"Al-Saadi", "Al-Jubouri", "Hassan", "Al-Tamimi", "Kareem", "Al-Obaidi", "Salman", "Al-Dulaimi"}
	people := make([]Person, 20000)
	for i := range people {
		people[i] = Person{ID: int64(i + 1), Name: first[i%len(first)] + " " + last[(i/7)%len(last)] + " " + string(rune('A'+i%26)) + string(rune('a'+(i/26)%26)) + string(rune('a'+(i/676)%26)),
			Ministry: []string{"MoD", "MoI", "NSA"}[i%3]}
	}
	b.ResetTimer()
	for b.Loop() {
		FindDuplicates(people)
	}
}

func TestSearchFold(t *testing.T) {
	same := [][]string{
		{"عبدالله", "عبد الله", "عبـد اللّه"},
		{"احمد", "أحمد", "إحمد"},
		{"فاطمة", "فاطمه"},
		{"Mohammed Al-Saadi", "Muhammad al Saadi", "Mohamed El-Saadi", "MUHAMMAD ALSAADI"},
		{"Abdul Rahman", "Abdurrahman", "Abd al-Rahman"},
	}
	for _, group := range same {
		want := SearchFold(group[0])
		for _, s := range group[1:] {
			if got := SearchFold(s); got != want {
				t.Errorf("SearchFold(%q) = %q, want %q (as %q)", s, got, want, group[0])
			}
		}
		if strings.ContainsRune(want, ' ') {
			t.Errorf("SearchFold(%q) = %q has a space", group[0], want)
		}
	}
	if SearchFold("Concurrent A6 Hassan") == SearchFold("Concurrent A0 Hassan") {
		t.Error("digits are dropped")
	}
	if SearchFold("Ahmed") == SearchFold("Mohammed") {
		t.Error("different names fold alike")
	}
	if got := (Person{Name: "Ali", NameAr: "علي"}).SearchKey(); got != " ali علي " {
		t.Errorf("SearchKey = %q", got)
	}
}

func TestFoldText(t *testing.T) {
	for in, want := range map[string]string{
		"Crisis Response Planning": "crisisresponseplanning",
		"CRISIS-response":          "crisisresponse",
		"M5-106":                   "m5106",
		"Énergie  Sécurité":        "energiesecurite",
		"":                         "",
	} {
		if got := FoldText(in); got != want {
			t.Errorf("FoldText(%q) = %q, want %q", in, got, want)
		}
	}
}
