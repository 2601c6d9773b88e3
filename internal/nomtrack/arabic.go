package nomtrack

import (
	"strings"
	"sync"
	"unicode"
)

// ArabicWordKey reduces an Arabic word or phrase as ministries' sheets write
// it to a key on which its spellings agree: the letter variants
// FoldArabicName folds (أ إ آ → ا, ى → ي, ة → ه, diacritics, tatweel), the
// hamza seats ؤ → و and ئ → ي and a bare ء dropped, since keyboards and
// habits differ on them; spaces and punctuation dropped, Latin letters
// lowercased. So مؤكدة, موكده and "مؤكد ة" meet, and لم يحضر equals لم
// يحضر written with a doubled space.
func ArabicWordKey(s string) string {
	var b strings.Builder
	for _, r := range FoldArabicName(s) {
		switch {
		case r == 'ؤ':
			b.WriteRune('و')
		case r == 'ئ':
			b.WriteRune('ي')
		case r == 'ء':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// arabicTable builds a lookup keyed by ArabicWordKey from words written as
// people write them; each word's feminine form (a final ة, so "مرشحة" for
// "مرشح") is added too, since a sheet describes a woman's nomination so.
// The lookup, and the word lists it comes from, are built on first use:
// every command starts without building or folding words it may never read.
func arabicTable(words func() map[string][]string) func() map[string]string {
	return sync.OnceValue(func() map[string]string { return buildArabicTable(words()) })
}

func buildArabicTable(words map[string][]string) map[string]string {
	t := map[string]string{}
	for canon, ws := range words {
		for _, w := range ws {
			t[ArabicWordKey(w)] = canon
			if !strings.Contains(w, " ") && !strings.HasSuffix(w, "ة") && !strings.HasSuffix(w, "ى") {
				if _, taken := t[ArabicWordKey(w+"ة")]; !taken {
					t[ArabicWordKey(w+"ة")] = canon
				}
			}
		}
	}
	return t
}

// arabicStatuses are the statuses of SPEC §4 as Arabic sheets write them.
var arabicStatuses = arabicTable(func() map[string][]string {
	return map[string][]string{
		StatusNominated: {"مرشح", "ترشيح", "تم الترشيح", "رشح"},
		StatusApproved:  {"موافق عليه", "موافق عليها", "موافق", "موافقة", "تمت الموافقة", "مقبول", "قبول", "تم القبول"},
		StatusConfirmed: {"مؤكد", "تم التأكيد", "مثبت", "تم التثبيت"},
		StatusAttended:  {"حضر", "حضرت", "حاضر", "حضور"},
		StatusCompleted: {"أكمل", "أكملت", "مكتمل", "أكمل الدورة", "متخرج", "تخرج", "تخرجت", "اجتاز", "اجتازت", "ناجح", "منجز"},
		StatusWithdrawn: {"منسحب", "انسحب", "انسحبت", "انسحاب", "مستبدل", "تم استبداله"},
		StatusDeclined:  {"مرفوض", "رفض", "تم الرفض", "اعتذر", "اعتذرت", "معتذر", "اعتذار"},
		StatusCancelled: {"ملغى", "ملغي", "ملغاة", "ملغا", "ألغي", "ألغيت", "إلغاء", "تم الإلغاء"},
		StatusNoShow:    {"لم يحضر", "لم تحضر", "غائب", "غياب", "لم يلتحق", "لم تلتحق"},
	}
})

// arabicRoles are the nomination roles as Arabic sheets write them.
var arabicRoles = arabicTable(func() map[string][]string {
	return map[string][]string{
		RolePrincipal: {"أصيل", "أساسي", "اساسي", "رئيسي", "أصلي"},
		RoleAlternate: {"احتياط", "احتياطي", "بديل", "إحتياط"},
	}
})

// arabicGenders are the genders as Arabic sheets write them.
var arabicGenders = arabicTable(func() map[string][]string {
	return map[string][]string{
		GenderMale:   {"ذكر", "رجل"},
		GenderFemale: {"أنثى", "انثي", "امرأة", "مرأة"},
	}
})
