package nomtrack

import "testing"

func TestRankTitlesBuiltin(t *testing.T) {
	cases := map[string]string{
		"Colonel": "OF-5", "Col.": "OF-5", "COL": "OF-5", "عقيد": "OF-5", "العقيد": "OF-5", "عقيد ركن": "OF-5", "Colonel (Staff)": "OF-5",
		"Lt Col": "OF-4", "Lt. Col.": "OF-4", "Lt-Col": "OF-4", "LtCol": "OF-4", "Lieutenant Colonel": "OF-4", "مقدم": "OF-4", "مقدم طيار": "OF-4",
		"Brig. Gen.": "OF-6", "Brigadier General": "OF-6", "عميد": "OF-6", "عميد ركن": "OF-6", "العميد الركن": "OF-6", "عميد شرطة": "OF-6",
		"لواء": "OF-7", "لواء شرطة": "OF-7", "اللواء": "OF-7", "لواء ركن": "OF-7", "Maj Gen": "OF-7",
		"فريق": "OF-8", "فريق أول": "OF-9", "فريق اول ركن": "OF-9", "General": "OF-9",
		"رائد": "OF-3", "الرائد": "OF-3", "Major": "OF-3", "نقيب": "OF-2", "Capt.": "OF-2",
		"ملازم أول": "OF-1", "ملازم اول": "OF-1", "ملازم": "OF-1", "1st Lt": "OF-1",
		"Staff Sergeant": "OR-6", "Sergeant": "OR-5", "Pilot Officer": "OF-1", "Group Captain": "OF-5",
		"Lt. General": "OF-8", "Lt Colonel": "OF-4", "Staff Colonel": "OF-5", "Police Major General": "OF-7", "Colonel Pilot": "OF-5",
		"Maj. General": "OF-7", "Brig General": "OF-6", "2nd Lieutenant": "OF-1", "ملازم ثاني": "OF-1", "العقيد الطيار": "OF-5", "نقيب شرطة": "OF-2",
		"نائب ضابط": "OR-9", "عريف": "OR-4", "جندي": "OR-1", "طالب ضابط": "OF(D)",
	}
	for in, want := range cases {
		got, ok := (*RankTitles)(nil).Code(in)
		if !ok || got != want {
			t.Errorf("Code(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, civilian := range []string{"مدير عام", "مدير", "معاون مدير عام", "Director General", "مهندس", "", "ركن"} {
		if got, ok := (*RankTitles)(nil).Code(civilian); ok {
			t.Errorf("Code(%q) = %q; a civilian grade has no rank code", civilian, got)
		}
	}
}

func TestRankTitlesBuiltinKeysAreUnambiguous(t *testing.T) {
	seen := map[string]string{}
	for code, titles := range rankTitleCodes() {
		for _, title := range titles {
			k := rankTitleKey(title, false)
			if other, ok := seen[k]; ok && other != code {
				t.Errorf("title %q (%s) has the key of a %s title", title, code, other)
			}
			seen[k] = code
		}
	}
}

func TestRankTitlesConfigured(t *testing.T) {
	rt, err := NewRankTitles(map[string]string{"مدير عام": "OF-6", "Colonel": "of 6", "Kaymakam": "OF-4"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"مدير عام": "OF-6", "colonel": "OF-6", "Kaymakam": "OF-4", "عقيد": "OF-5"} {
		if got, ok := rt.Code(in); !ok || got != want {
			t.Errorf("Code(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, err := NewRankTitles(map[string]string{"Colonel": "OF-11"}); err == nil || ErrorCode(err) != EINVALID {
		t.Errorf("a configured title with a bad code: err = %v, want EINVALID", err)
	}
}
