package sheet

import (
	"strings"
	"sync"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// arabicMonths are the month names of Arabic sheets, keyed by
// nomtrack.ArabicWordKey: the Iraqi/Levantine (Syriac) names and the
// Egyptian/Gulf names taken from the Latin ones, in their usual spellings.
// The two-word Levantine names (كانون الثاني, تشرين الأول) are keyed by
// both words. Built on first use, as weekdays, not at every command's start.
var arabicMonths = sync.OnceValue(func() map[string]string {
	names := map[string][]string{
		"jan": {"كانون الثاني", "يناير"},
		"feb": {"شباط", "فبراير"},
		"mar": {"آذار", "مارس"},
		"apr": {"نيسان", "أبريل", "إبريل"},
		"may": {"أيار", "مايو"},
		"jun": {"حزيران", "يونيو", "يونيه"},
		"jul": {"تموز", "يوليو", "يوليه"},
		"aug": {"آب", "أغسطس", "اغسطس"},
		"sep": {"أيلول", "سبتمبر"},
		"oct": {"تشرين الأول", "أكتوبر"},
		"nov": {"تشرين الثاني", "نوفمبر"},
		"dec": {"كانون الأول", "ديسمبر"},
	}
	m := map[string]string{}
	for month, ns := range names {
		for _, n := range ns {
			m[nomtrack.ArabicWordKey(n)] = month
		}
	}
	return m
})

// weekdays are the day names a date may start with ("الأحد 5 آذار 2012",
// "Monday, 5 March 2012"), keyed by ArabicWordKey (which lowercases Latin).
var weekdays = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, d := range []string{"الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يوم",
		"monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thur", "thurs",
		"friday", "fri", "saturday", "sat", "sunday", "sun"} {
		m[nomtrack.ArabicWordKey(d)] = true
	}
	return m
})

// monthWords rewrites the words of a date that carries names: Arabic month
// names become the English abbreviation splitDate reads, weekday names are
// dropped, the Arabic comma is a separator (and in a date with Arabic words,
// slashes, dashes and dots too), and the suffix م (of the
// Gregorian calendar, "2012م") is dropped. A date of digits and separators
// only is returned as is.
func monthWords(s string) string {
	letters := false
	for _, r := range s {
		if r > '9' && r != '/' {
			letters = true
			break
		}
	}
	if !letters {
		return s
	}
	arabic := strings.ContainsFunc(s, func(r rune) bool { return r >= 0x0600 && r <= 0x06FF })
	words := strings.FieldsFunc(s, func(r rune) bool {
		// An Arabic month between slashes or dashes (5/آذار/2012) is split
		// out too; Latin dates keep their dashes (2012-03-05T10:00).
		return r == ' ' || r == ',' || r == '،' || arabic && (r == '/' || r == '-' || r == '.')
	})
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); i++ {
		w := words[i]
		key := nomtrack.ArabicWordKey(w)
		if weekdays()[key] {
			continue
		}
		if i+1 < len(words) {
			if m, ok := arabicMonths()[key+nomtrack.ArabicWordKey(words[i+1])]; ok {
				out = append(out, m)
				i++
				continue
			}
		}
		if m, ok := arabicMonths()[key]; ok {
			out = append(out, m)
			continue
		}
		if strings.HasSuffix(w, "م") && digits(strings.TrimSuffix(w, "م")) {
			w = strings.TrimSuffix(w, "م")
		} else if key == "م" {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
