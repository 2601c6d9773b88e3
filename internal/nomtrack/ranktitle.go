package nomtrack

import (
	"slices"
	"strings"
	"sync"
	"unicode"
)

// RankTitles turns a rank title as sheets and coordinators write it
// ("Colonel", "Col.", "عقيد", "عميد ركن", "لواء شرطة") into its NATO rank
// code (STANAG 2116), so that rank prerequisites can be checked for people
// whose sheet gives only the title. The built-in titles are the Iraqi army,
// police and air force ranks in Arabic and English with their usual
// abbreviations; config `ranks` adds or overrides titles. The zero value and
// nil use the built-in titles only.
type RankTitles struct {
	extra map[string]string // rankTitleKey → code, from the configuration
}

// NewRankTitles builds the titles from the built-in ones and extra (title →
// code, config `ranks`), which win. A code that is not a NATO rank code is
// an EINVALID error naming the title.
func NewRankTitles(extra map[string]string) (*RankTitles, error) {
	t := &RankTitles{extra: map[string]string{}}
	titles := make([]string, 0, len(extra))
	for title := range extra {
		titles = append(titles, title)
	}
	slices.Sort(titles)
	for _, title := range titles {
		code, err := ParseRankCode(extra[title])
		if err != nil {
			return nil, Errorf(EINVALID, "ranks: the title %q maps to %q, which is not a NATO rank code; %s", title, extra[title], rankCodesHelp)
		}
		key := rankTitleKey(title, false)
		if key == "" {
			return nil, Errorf(EINVALID, "ranks: the title %q has no letters", title)
		}
		t.extra[key] = code
	}
	return t, nil
}

// Code returns the NATO rank code of a rank title, and false when the title
// is not a known rank (a civilian grade such as مدير عام, or a typo). The
// staff suffix ركن, a service or branch suffix (شرطة, طيار, بحري, Police,
// Pilot …), the Arabic article and punctuation do not change the code:
// "العميد الركن", "Brig. Gen." and "Brigadier General (Staff)" are all
// OF-6.
func (t *RankTitles) Code(title string) (string, bool) {
	// The title as written first, so that a suffix word that is part of a
	// title ("Staff Sergeant", "Pilot Officer") is not taken for a suffix.
	for _, strip := range []bool{false, true} {
		key := rankTitleKey(title, strip)
		if key == "" {
			return "", false
		}
		if t != nil {
			if c, ok := t.extra[key]; ok {
				return c, true
			}
		}
		if c, ok := builtinRanks()[key]; ok {
			return c, true
		}
	}
	return "", false
}

// rankTitleKey reduces a title to the words that name the rank: Arabic
// letter variants folded, the article ال dropped, Latin lowercased,
// punctuation dropped, and with strip the staff, service and status words
// (rankSuffix) removed; the remaining words are joined without spaces, so
// "Lt Col", "Lt. Col." and "LtCol" meet.
func rankTitleKey(s string, strip bool) string {
	words := strings.FieldsFunc(FoldArabicName(strings.ToLower(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var b strings.Builder
	for _, w := range words {
		w = ArabicWordKey(w)
		if strings.HasPrefix(w, "ال") && len([]rune(w)) > 4 {
			w = strings.TrimPrefix(w, "ال")
		}
		if strip && rankSuffix(w) {
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// rankSuffix reports the words that follow (or precede) a rank without
// changing it: the staff qualification ركن, the service (police, air force,
// navy), the corps (engineer, doctor, legal) and the status (retired).
func rankSuffix(w string) bool {
	switch w {
	case "ركن", "شرطه", "طيار", "بحري", "مهندس", "طبيب",
		"حقوقي", "قانوني", "متقاعد", "مغوار",
		"staff", "police", "pol", "pilot", "retd", "ret",
		"retired", "eng", "engineer", "dr", "doctor", "ps":
		return true
	}
	return false
}

// rankTitleCodes are the built-in titles by code. Iraqi officers' ranks
// follow the Arab pattern (ملازم … مشير); the police and the air force use
// the army's titles with a service suffix. The other ranks follow the Iraqi
// army (جندي … نائب ضابط), with رقيب and مساعد from neighbouring armies.
// Made when builtinRanks is, not at start-up.
func rankTitleCodes() map[string][]string {
	return map[string][]string{
		"OF-10": {"مشير", "Field Marshal", "FM", "Marshal of the Air Force"},
		"OF-9":  {"فريق أول", "General", "Gen", "GEN", "Air Chief Marshal", "Admiral", "Adm", "فريق أول بحري"},
		"OF-8":  {"فريق", "Lieutenant General", "Lt Gen", "Lt.Gen.", "Lieut Gen", "LTG", "LtGen", "Lt General", "Lieut General", "Air Marshal", "Vice Admiral", "VAdm"},
		"OF-7":  {"لواء", "Major General", "Maj Gen", "MG", "MajGen", "Maj General", "Air Vice Marshal", "AVM", "Rear Admiral", "RAdm"},
		"OF-6":  {"عميد", "Brigadier General", "Brigadier", "Brig Gen", "Brig", "BG", "BrigGen", "Brig General", "Air Commodore", "Commodore", "Cdre"},
		"OF-5":  {"عقيد", "Colonel", "Col", "COL", "Group Captain", "Gp Capt"},
		"OF-4":  {"مقدم", "Lieutenant Colonel", "Lt Col", "LTC", "LtCol", "Lieut Col", "Lt Colonel", "Lieut Colonel", "Wing Commander", "Wg Cdr"},
		"OF-3":  {"رائد", "Major", "Maj", "MAJ", "Squadron Leader", "Sqn Ldr", "Lieutenant Commander", "Lt Cdr"},
		"OF-2":  {"نقيب", "Captain", "Capt", "Cpt", "CPT", "Flight Lieutenant", "Flt Lt"},
		"OF-1": {"ملازم أول", "ملازم ثاني", "ملازم", "First Lieutenant", "1st Lt", "1st Lieutenant", "First Lt", "1LT", "Lieutenant", "Lt", "Lieut",
			"Second Lieutenant", "2nd Lt", "2nd Lieutenant", "2LT",
			"Flying Officer", "Fg Off", "Pilot Officer", "Plt Off"},
		"OF(D)": {"طالب ضابط", "تلميذ ضابط", "طالب كلية عسكرية", "Cadet", "Officer Cadet", "Cadet Officer"},
		"OR-9":  {"نائب ضابط", "Warrant Officer", "WO", "Sergeant Major", "Sgt Maj", "SGM"},
		"OR-8":  {"مساعد", "Master Sergeant", "MSG", "First Sergeant"},
		"OR-7":  {"رئيس عرفاء", "Sergeant First Class", "SFC"},
		"OR-6":  {"رقيب أول", "Staff Sergeant", "SSG", "Staff Sgt"},
		"OR-5":  {"رقيب", "Sergeant", "Sgt", "SGT"},
		"OR-4":  {"عريف", "Corporal", "Cpl", "CPL"},
		"OR-3":  {"نائب عريف", "Lance Corporal", "LCpl", "L Cpl"},
		"OR-2":  {"جندي أول", "Private First Class", "PFC"},
		"OR-1":  {"جندي", "شرطي", "Private", "Pte", "Pvt", "PV1", "Soldier", "Policeman"},
	}
}

// builtinRanks is rankTitleCodes keyed by rankTitleKey, built on first
// use: folding every title at start-up cost every command (`nomtrack
// version` included) a tenth of a millisecond.
var builtinRanks = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for code, titles := range rankTitleCodes() {
		for _, t := range titles {
			m[rankTitleKey(t, false)] = code
		}
	}
	return m
})
