package nomtrack

import "strings"

// DatedFields are the person fields that remember the date their value is
// from (SPEC §4 Newest wins), in a fixed order: PersonDates and
// Person.DatedValues follow it.
var DatedFields = [NumDatedFields]string{"name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone"}

// NumDatedFields is len(DatedFields).
const NumDatedFields = 10

// PersonDates are the dates (YYYY-MM-DD) of a person's values, in
// DatedFields order; "" is older than every date.
type PersonDates [NumDatedFields]string

// DatedValues returns pointers to p's dated fields, in DatedFields order.
func (p *Person) DatedValues() [NumDatedFields]*string {
	return [NumDatedFields]*string{&p.Name, &p.NameAr, &p.Ministry, &p.Rank, &p.RankCode, &p.Position, &p.Gender, &p.English, &p.Email, &p.Phone}
}

// FieldChange is one value of a person that changes.
type FieldChange struct {
	Field, From, To string
}

// SameSpelling reports whether a and b are one value of field written two
// ways: Latin names equal after FoldLatinName, Arabic names after
// FoldArabicName (the folding `person dupes` uses), phone numbers by their
// digits, anything else ignoring case, spaces and punctuation. A spelling
// that folds to the stored one never replaces it, so that sheets written
// in capitals and in title case do not flip a name back and forth.
func SameSpelling(field, a, b string) bool {
	if a == b {
		return true
	}
	switch field {
	case "name":
		fa := FoldLatinName(a)
		return fa != "" && fa == FoldLatinName(b)
	case "name_ar":
		fa := FoldArabicName(a)
		return fa != "" && fa == FoldArabicName(b)
	case "phone":
		da, db := digits(a), digits(b)
		return da != "" && da == db
	}
	ka := NameKey(a)
	return ka != "" && ka == NameKey(b)
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// NewestWins brings cur up to date with the values in gives (its non-empty
// fields) that are from date (SPEC §4 Newest wins): a value replaces the
// stored one only when date is at least the stored value's date, and never
// when it is the stored value spelt another way. A value that agrees with
// the stored one makes its date newer when date is. cur and dates are
// changed in place; the returned changes are the values that changed, and
// redated says whether any date moved (so the caller writes the person).
// A ref is not dated: it is only ever filled in, never replaced.
func NewestWins(cur *Person, dates *PersonDates, in Person, date string) (changes []FieldChange, redated bool) {
	if cur.Ref == "" && in.Ref != "" {
		changes = append(changes, FieldChange{"ref", "", in.Ref})
		cur.Ref = in.Ref
	}
	have, give := cur.DatedValues(), in.DatedValues()
	for i, f := range DatedFields {
		v := *give[i]
		if v == "" {
			continue
		}
		if date < dates[i] {
			continue // older than what is stored: the stored value stands
		}
		if date > dates[i] {
			dates[i], redated = date, true
		}
		if SameSpelling(f, *have[i], v) {
			continue
		}
		changes = append(changes, FieldChange{f, *have[i], v})
		*have[i] = v
	}
	return changes, redated
}

// NamesAgree reports whether a row's names can be the stored person's
// (SPEC §4 Matching): its Latin name folds to the stored name or to one of
// the person's name aliases, or its Arabic name folds to the stored
// Arabic name or an Arabic alias. A row that gives no name to compare
// agrees; a Latin (Arabic) name cannot be compared with a person who has
// none yet.
func NamesAgree(stored Person, aliases []Alias, name, nameAr string) bool {
	latins, arabics := []string{}, []string{}
	if stored.Name != "" {
		latins = append(latins, stored.Name)
	}
	if stored.NameAr != "" {
		arabics = append(arabics, stored.NameAr)
	}
	for _, a := range aliases {
		switch a.Kind {
		case AliasName:
			latins = append(latins, a.Value)
		case AliasNameAr:
			arabics = append(arabics, a.Value)
		}
	}
	compared := false
	if name != "" && len(latins) > 0 {
		compared = true
		for _, l := range latins {
			if SameSpelling("name", l, name) {
				return true
			}
		}
	}
	if nameAr != "" && len(arabics) > 0 {
		compared = true
		for _, a := range arabics {
			if SameSpelling("name_ar", a, nameAr) {
				return true
			}
		}
	}
	return !compared
}
