package nomtrack

import (
	"reflect"
	"testing"
)

func TestNewestWins(t *testing.T) {
	stored := Person{Name: "Zainab Yasir Al-Jubouri", Ministry: "MoD", Rank: "Colonel", Email: "new@example.org"}
	var dates PersonDates
	dates[0], dates[2], dates[3], dates[8] = "2016-03-01", "2016-03-01", "2016-03-01", "2016-03-01"

	// An older row changes nothing and dates nothing.
	cur, d := stored, dates
	ch, redated := NewestWins(&cur, &d, Person{Name: "Zainab Yasir Al-Jubouri", Rank: "Captain", Email: "old@example.org"}, "2014-05-01")
	if len(ch) != 0 || redated || cur != stored || d != dates {
		t.Errorf("older row: changes %v, redated %v, person %+v", ch, redated, cur)
	}

	// A newer row in capitals keeps the stored spelling but dates the name;
	// its new rank replaces the old one; an empty cell erases nothing.
	cur, d = stored, dates
	ch, redated = NewestWins(&cur, &d, Person{Name: "ZAINAB YASIR AL-JUBOURI", Rank: "Brigadier", Position: "J3"}, "2018-01-01")
	want := []FieldChange{{"rank", "Colonel", "Brigadier"}, {"position", "", "J3"}}
	if !reflect.DeepEqual(ch, want) || !redated {
		t.Errorf("newer row: changes %v (want %v), redated %v", ch, want, redated)
	}
	if cur.Name != stored.Name || cur.Email != stored.Email || d[0] != "2018-01-01" || d[3] != "2018-01-01" || d[8] != "2016-03-01" {
		t.Errorf("newer row: person %+v dates %v", cur, d)
	}

	// A row as new as the stored values replaces them; a ref only fills in.
	cur, d = stored, dates
	ch, _ = NewestWins(&cur, &d, Person{Ref: "S-1", Rank: "Major"}, "2016-03-01")
	if want := []FieldChange{{"ref", "", "S-1"}, {"rank", "Colonel", "Major"}}; !reflect.DeepEqual(ch, want) {
		t.Errorf("same date: changes %v, want %v", ch, want)
	}
}

func TestNamesAgree(t *testing.T) {
	p := Person{Name: "Mohammed Al-Saadi", NameAr: "محمد الساعدي"}
	for _, c := range []struct {
		name, nameAr string
		aliases      []Alias
		want         bool
	}{
		{"Muhammad Alsaadi", "", nil, true},
		{"Fatima Hassan", "", nil, false},
		{"Fatima Hassan", "فاطمة حسن", nil, false},
		{"M. Saadi", "مُحمد الساعدى", nil, true}, // the Arabic name folds to his
		{"", "", nil, true},
		{"Abu Ali", "", []Alias{{Kind: AliasName, Value: "Abu Ali"}}, true},
	} {
		if got := NamesAgree(p, c.aliases, c.name, c.nameAr); got != c.want {
			t.Errorf("NamesAgree(%q, %q) = %v, want %v", c.name, c.nameAr, got, c.want)
		}
	}
}
