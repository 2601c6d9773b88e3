package nomtrack

import "testing"

func TestParseRole(t *testing.T) {
	ok := map[string]string{
		"principal": RolePrincipal, "Principal": RolePrincipal, "PRIMARY": RolePrincipal, "p": RolePrincipal, "P.": RolePrincipal,
		"alternate": RoleAlternate, "Reserve": RoleAlternate, "a": RoleAlternate, " A ": RoleAlternate,
	}
	for in, want := range ok {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "observer", "x"} {
		if _, err := ParseRole(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRole(%q) err = %v, want EINVALID", bad, err)
		}
	}
}

func TestParseGender(t *testing.T) {
	ok := map[string]string{
		"F": "F", "f": "F", "female": "F", "Female": "F", "أنثى": "F", "انثى": "F", " أنثى ": "F",
		"M": "M", "m": "M", "male": "M", "MALE": "M", "ذكر": "M",
		"": "", "  ": "",
	}
	for in, want := range ok {
		if got, err := ParseGender(in); err != nil || got != want {
			t.Errorf("ParseGender(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "man", "unknown"} {
		if _, err := ParseGender(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseGender(%q) err = %v, want EINVALID", bad, err)
		}
	}
}
