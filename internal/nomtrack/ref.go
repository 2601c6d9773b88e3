package nomtrack

import (
	"strings"
	"time"
)

// ParseOfferingRef splits an offering reference CODE@YYYY-MM-DD (SPEC §1)
// into its course code and start date. Surrounding spaces are ignored; the
// code is returned as written. Anything else is an EINVALID error saying how
// a reference is written.
func ParseOfferingRef(s string) (code, start string, err error) {
	in := strings.TrimSpace(s)
	if err := CheckIdentifier("offering reference", in); err != nil {
		return "", "", err
	}
	at := strings.LastIndexByte(in, '@')
	if at < 0 {
		return "", "", Errorf(EINVALID, "offering reference %q has no @; write it as CODE@YYYY-MM-DD, e.g. M5-106@2012-03-05", in)
	}
	code = strings.TrimSpace(in[:at])
	start = strings.TrimSpace(in[at+1:])
	if code == "" {
		return "", "", Errorf(EINVALID, "offering reference %q has no course code before the @; write it as CODE@YYYY-MM-DD", in)
	}
	if strings.ContainsRune(code, '@') {
		return "", "", Errorf(EINVALID, "offering reference %q has more than one @; write it as CODE@YYYY-MM-DD", in)
	}
	t, err := time.Parse(DateLayout, start)
	if err != nil {
		return "", "", Errorf(EINVALID, "offering reference %q has start date %q, which is not a date written YYYY-MM-DD", in, start)
	}
	if ValidateDateTime(t) != nil {
		return "", "", Errorf(EINVALID, "offering reference %q has start date %s, outside the years 1900-2999; check the year", in, start)
	}
	return code, start, nil
}
