package nomtrack

import "testing"

func TestParseStatusArabic(t *testing.T) {
	cases := map[string]string{
		"مرشح": StatusNominated, "مرشحة": StatusNominated, "مرشحه": StatusNominated,
		"موافق عليه": StatusApproved, "مقبول": StatusApproved, "مقبولة": StatusApproved, "موافق  عليه": StatusApproved,
		"مؤكد": StatusConfirmed, "موكد": StatusConfirmed, "مؤكَّد": StatusConfirmed,
		"حضر": StatusAttended, "حضرت": StatusAttended,
		"أكمل": StatusCompleted, "اكمل": StatusCompleted, "إكمل": StatusCompleted, "متخرج": StatusCompleted, "متخرجة": StatusCompleted, "اجتاز": StatusCompleted,
		"منسحب": StatusWithdrawn, "منسحبة": StatusWithdrawn,
		"مرفوض": StatusDeclined, "اعتذر": StatusDeclined, "إعتذر": StatusDeclined,
		"ملغى": StatusCancelled, "ملغي": StatusCancelled, "ملغاة": StatusCancelled, "ملغاه": StatusCancelled,
		"لم يحضر": StatusNoShow, "لم تحضر": StatusNoShow, "غائب": StatusNoShow, "غايب": StatusNoShow, "غائبة": StatusNoShow, "غـائب": StatusNoShow,
	}
	for in, want := range cases {
		got, err := ParseStatus(in)
		if err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseStatus("مدير"); err == nil {
		t.Error("ParseStatus(مدير) accepted a word that is no status")
	}
}

func TestParseRoleArabic(t *testing.T) {
	cases := map[string]string{
		"أصيل": RolePrincipal, "اصيل": RolePrincipal, "أصيلة": RolePrincipal, "أساسي": RolePrincipal, "اساسية": RolePrincipal,
		"احتياط": RoleAlternate, "إحتياط": RoleAlternate, "احتياطي": RoleAlternate, "بديل": RoleAlternate, "بديلة": RoleAlternate,
	}
	for in, want := range cases {
		got, err := ParseRole(in)
		if err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseGenderArabic(t *testing.T) {
	cases := map[string]string{"ذكر": GenderMale, "أنثى": GenderFemale, "انثى": GenderFemale, "انثي": GenderFemale, "إنثى": GenderFemale, "أنـثى": GenderFemale}
	for in, want := range cases {
		got, err := ParseGender(in)
		if err != nil || got != want {
			t.Errorf("ParseGender(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestIsArabicScript(t *testing.T) {
	cases := map[string]bool{"أحمد علي": true, "Ahmed Ali": false, "": false, "123": false, "أحمد Ali": true, "S-1001 Ali": false}
	for in, want := range cases {
		if got := IsArabicScript(in); got != want {
			t.Errorf("IsArabicScript(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestPersonDisplayNameAndMatchKey(t *testing.T) {
	ar := Person{NameAr: "أحمد علي"}
	if ar.DisplayName() != "أحمد علي" {
		t.Errorf("DisplayName of an Arabic-only person = %q", ar.DisplayName())
	}
	if got, want := ar.MatchKey(), (Person{NameAr: "احمد  علي"}).MatchKey(); got != want || got == "" {
		t.Errorf("MatchKey of letter variants differ: %q, %q", got, want)
	}
	both := Person{Name: "Ahmed Ali", NameAr: "أحمد علي"}
	if both.DisplayName() != "Ahmed Ali" || both.MatchKey() != NameKey("Ahmed Ali") {
		t.Errorf("a person with a Latin name is shown and matched by it: %q, %q", both.DisplayName(), both.MatchKey())
	}
}
