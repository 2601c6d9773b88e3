package importer

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/nomtrack/nomtrack/internal/store"
)

// course looks a course up by code or ETOC code; an unknown one is a row
// error with a suggestion.
func (im *importer) course(r *rowState, field, code string) *nomtrack.Course {
	if c, ok := im.courses[code]; ok {
		return c
	}
	if c, ok := im.courses[strings.ToLower(code)]; ok {
		return c
	}
	msg, _ := r.parse("course?", code, func(code string) (string, error) {
		codes := make([]string, 0, 2*len(im.courseList))
		for _, c := range im.courseList {
			codes = append(codes, c.Code)
			if c.EtocCode != "" {
				codes = append(codes, c.EtocCode)
			}
		}
		if len(codes) == 0 {
			return fmt.Sprintf("course %s not found: there are no courses yet; import the courses first (--kind courses) or add them with nomtrack course add", code), nil
		}
		return fmt.Sprintf("course %s not found%s", code, nomtrack.DidYouMean(code, codes)), nil
	})
	r.failf(field, "%s", msg)
	return nil
}

// offeringIn is the offering a row names: a course code and a start date,
// from course + start or from an offering reference.
type offeringIn struct {
	code, start string
	field       string // the column to blame when the offering is missing
}

// readOfferingRef reads the offering a row names, without looking it up.
func (im *importer) readOfferingRef(r *rowState) offeringIn {
	if ref := r.ident(fOffering); ref != "" {
		c, s, err := nomtrack.ParseOfferingRef(ref)
		if err != nil {
			r.fail("offering", err)
			return offeringIn{}
		}
		return offeringIn{code: c, start: s, field: "offering"}
	}
	in := offeringIn{code: r.ident(fCourse), field: "start"}
	if in.code == "" {
		r.failf(field(r, "course", "offering"), "is empty; give the course code and start date, or an offering reference CODE@YYYY-MM-DD")
	}
	if r.value(fStart) == "" && !r.cell(fStart).IsDate {
		r.failf("start", "is empty; give the offering's start date")
	} else {
		in.start = im.date(r, fStart)
	}
	return in
}

// findOffering looks the offering of in up: its course must exist, and the
// offering too unless --create-offerings (then it returns a nil offering).
func (im *importer) findOffering(r *rowState, in offeringIn) (*nomtrack.Course, *nomtrack.Offering) {
	if in.code == "" || in.start == "" {
		return nil, nil
	}
	c := im.course(r, field(r, "course", "offering"), in.code)
	if c == nil {
		return nil, nil
	}
	o := im.offerings[offKey{c.ID, in.start}]
	if o == nil && !im.opt.CreateOfferings {
		ref := nomtrack.OfferingRef(c.Code, in.start)
		msg, _ := r.parse("offering?", ref, func(ref string) (string, error) {
			var refs []string
			for _, o := range im.offList {
				if o.CourseID == c.ID {
					refs = append(refs, o.Ref)
				}
			}
			if s := nomtrack.SuggestDate(ref, refs); s != "" {
				return fmt.Sprintf("offering %s not found; did you mean %s? (--create-offerings adds missing offerings)", ref, s), nil
			}
			return fmt.Sprintf("offering %s not found; import it first (--kind offerings) or use --create-offerings", ref), nil
		})
		r.failf(in.field, "%s", msg)
	}
	return c, o
}

// createOffering adds the offering of course c starting on start.
func (im *importer) createOffering(c *nomtrack.Course, start string) (*nomtrack.Offering, error) {
	o := &nomtrack.Offering{CourseID: c.ID, Course: c.Code, Start: start, Status: nomtrack.OfferingOpen, Ref: nomtrack.OfferingRef(c.Code, start)}
	id, err := im.l.InsertOffering(*o)
	if err != nil {
		return nil, err
	}
	o.ID = id
	im.addOffering(o)
	return o, nil
}

// nominationIn is what the parse step reads from a nominations row.
type nominationIn struct {
	person             personIn
	offering           offeringIn
	role, status, note string
	// The pre-departure and completion fields the row gives ("" when it
	// gives none: an import sets them, never clears them).
	visa, clearance, adl, funding, certificate string

	// The course and offering the row names, when the parse step could
	// look them up (looked): without --create-offerings the catalogue does
	// not change while a nominations sheet is read, so the lookups run on
	// the parsing goroutine and the writing one, the import's bottleneck,
	// is spared them.
	course *nomtrack.Course
	off    *nomtrack.Offering
	looked bool
}

// parseNomination validates the values of a nominations row and, unless
// offerings may be created, finds its offering; it reads nothing the
// writing goroutine changes, so it runs beside the writing of earlier rows.
func (im *importer) parseNomination(r *rowState) {
	in := &nominationIn{person: im.readPerson(r), offering: im.readOfferingRef(r), note: r.value(fNote)}
	if s := r.value(fRole); s != "" {
		v, err := r.parse("role", s, nomtrack.ParseRole)
		if err != nil {
			r.fail("role", err)
		}
		in.role = v
	}
	if s := r.value(fStatus); s != "" {
		v, err := r.parse("status", s, nomtrack.ParseStatus)
		if err != nil {
			r.fail("status", err)
		}
		in.status = v
	}
	for _, c := range []struct {
		f     int
		field string
		to    *string
	}{{fVisa, "visa", &in.visa}, {fClearance, "clearance", &in.clearance}, {fFunding, "funding", &in.funding}} {
		if s := r.value(c.f); s != "" {
			field := c.field
			v, err := r.parse(field, s, func(s string) (string, error) { return nomtrack.ParseChoice(field, s) })
			if err != nil {
				r.fail(field, err)
			}
			*c.to = v
		}
	}
	in.adl = im.date(r, fADL)
	in.certificate = r.value(fCertificate)
	if !im.opt.CreateOfferings {
		in.course, in.off = im.findOffering(r, in.offering)
		in.looked = true
	}
	r.parsed = in
}

// nomination imports one row of a nominations sheet: the person (found,
// created or brought up to date) and the nomination keyed by person and
// offering. Status moves only forward; each change is an event with the
// row as its source.
func (im *importer) nomination(r *rowState, sum *Summary) error {
	nin := r.parsed.(*nominationIn)
	in, role, status, note := &nin.person, nin.role, nin.status, nin.note
	c, off := nin.course, nin.off
	if !nin.looked {
		c, off = im.findOffering(r, nin.offering)
	}
	start := nin.offering.start
	if len(r.errs) > 0 {
		im.nameless(r, in)
		return nil
	}
	idx, found := im.findPerson(r, in)
	if len(r.errs) > 0 {
		return nil
	}

	// Everything that can fail a valid-looking row is checked before the
	// first write: the person's identity and changes (planPerson, the row's
	// values being from the offering's start), and an existing person's
	// existing nomination (a backward status).
	var pl *personPlan
	if found {
		var err error
		if pl, err = im.planPerson(r, idx, in, start); err != nil || pl == nil {
			return err
		}
	}
	var cur nomtrack.Nomination
	exists := false
	if found && off != nil {
		var err error
		if im.mayHaveNomination(idx, off.ID) {
			if cur, exists, err = im.l.Nomination(im.people.at(idx).id, off.ID); err != nil {
				return err
			}
		}
		if exists && in.viaAlias && status != "" && status != cur.Status {
			// The row is about a person merged away; when their nomination
			// in that status was folded into this one by the merge, the row
			// is already recorded (under the merge's events), and moving
			// the kept nomination to it would undo the merge's choice.
			folded, err := im.l.FoldedInto(cur.ID, status)
			if err != nil {
				return err
			}
			if folded {
				role, status = "", ""
			}
		}
		if exists && status != "" && status != cur.Status && !nomtrack.IsForward(cur.Status, status) {
			r.failf("status", "cannot move nomination %d from %s back to %s; an import moves a nomination only forward (use nomination set --force to correct it)", cur.ID, cur.Status, status)
			return nil
		}
		if exists {
			var err error
			if role, note, err = im.keepHandSet(r, sum, cur, role, note, nin); err != nil {
				return err
			}
		}
	}
	if off != nil && !exists && off.Status == nomtrack.OfferingCancelled && !nomtrack.Closed(cmp.Or(status, nomtrack.StatusNominated)) {
		// As nominate refuses it: a cancelled run takes no new nomination
		// (an approved one would count a seat of a run that never was),
		// though a historic sheet may list one closed.
		r.failf(field(r, "offering", "start"), "offering %s is cancelled; a nomination cannot be added to it (a row may list one as cancelled, withdrawn or declined; nomtrack offering reopen %s reopens the run)", off.Ref, off.Ref)
		return nil
	}
	takes := false // the row commits a principal that was not committed
	if off != nil {
		var err error
		if takes, err = im.checkSeat(r, off, exists, cur, role, status); err != nil || len(r.errs) > 0 {
			return err
		}
	}
	if !exists {
		if err := im.checkPrerequisites(r, sum, c, found, idx, in, pl); err != nil || len(r.errs) > 0 {
			return err
		}
	}
	if off == nil {
		var err error
		if off, err = im.createOffering(c, start); err != nil {
			return err
		}
	}
	if takes {
		if n, ok := im.committed[off.ID]; ok {
			im.committed[off.ID] = n + 1
		}
	}
	personChanged := false
	if !found {
		var err error
		if idx, err = im.createPerson(in, start); err != nil {
			return err
		}
		sum.PeopleCreated++
	} else {
		var err error
		if personChanged, err = im.applyPerson(pl, r.row.Num); err != nil {
			return err
		}
		if personChanged {
			sum.PeopleUpdated++
		}
	}
	if !exists {
		n := nomtrack.Nomination{PersonID: im.people.at(idx).id, OfferingID: off.ID, Role: role, Status: status, Note: note,
			Visa: nin.visa, Clearance: nin.clearance, ADL: nin.adl, Funding: nin.funding, Certificate: nin.certificate}
		if n.Role == "" {
			n.Role = nomtrack.RolePrincipal
		}
		if n.Status == "" {
			n.Status = nomtrack.StatusNominated
		}
		if pl != nil && !pl.agrees {
			n.Ministry, n.Rank, n.RankCode, n.English = rowAsOf(in.p, pl.next)
		}
		if _, err := im.l.AddNomination(n, r.row.Num); err != nil {
			return err
		}
		im.addNomination(idx, off.ID)
		sum.Created++
		return nil
	}
	next := cur
	if role != "" {
		next.Role = role
	}
	if status != "" {
		next.Status = status
	}
	if note != "" {
		next.Note = note
	}
	for _, f := range []struct {
		to *string
		v  string
	}{{&next.Visa, nin.visa}, {&next.Clearance, nin.clearance}, {&next.ADL, nin.adl},
		{&next.Funding, nin.funding}, {&next.Certificate, nin.certificate}} {
		if f.v != "" {
			*f.to = f.v
		}
	}
	if next != cur {
		if err := im.l.UpdateNomination(next, cur, r.row.Num); err != nil {
			return err
		}
		sum.Updated++
	} else if personChanged {
		sum.Updated++
	} else {
		sum.Unchanged++
	}
	return nil
}

// keepHandSet leaves as they are the values of nomination cur that a
// coordinator set by hand (nomination edit, promote, nominate) after the
// sheet was saved: the sheet cannot know them, and re-importing it (the
// ministry's sheet again, with a row added) undid the coordinator's work.
// Each value kept is a warning naming the row's other value. It returns
// the row's role and note with those kept cleared, and clears the kept
// pre-departure fields of nin ("" leaves a value as it is).
func (im *importer) keepHandSet(r *rowState, sum *Summary, cur nomtrack.Nomination, role, note string, nin *nominationIn) (string, string, error) {
	fields := []struct {
		name   string
		row    *string
		stored string
		quote  bool
	}{{"role", &role, cur.Role, false}, {"note", &note, cur.Note, true}, {"visa", &nin.visa, cur.Visa, false},
		{"clearance", &nin.clearance, cur.Clearance, false}, {"adl", &nin.adl, cur.ADL, false},
		{"funding", &nin.funding, cur.Funding, false}, {"certificate", &nin.certificate, cur.Certificate, true}}
	changes := false
	for _, f := range fields {
		changes = changes || (*f.row != "" && *f.row != f.stored)
	}
	if !changes {
		return role, note, nil
	}
	set, err := im.l.SetByHandSince(cur.ID, im.fileTime)
	if err != nil {
		return "", "", err
	}
	for _, f := range fields {
		hand, ok := set[f.name]
		if !ok || *f.row == "" || *f.row == f.stored || (f.stored == "" && !hand.Edited) {
			// An empty value a nomination was made with has no date: any
			// row may fill it (as a person's, SPEC §4); one cleared by an
			// edit stays cleared.
			continue
		}
		at := hand.At
		kept, says := f.stored, *f.row
		if f.quote || kept == "" {
			kept, says = strconv.Quote(kept), strconv.Quote(says)
		}
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s:%d: %s: kept %s, set by hand on %s after the sheet was saved (%s); the sheet says %s",
			im.where, r.row.Num, f.name, kept, at[:10], im.fileTime[:10], says))
		*f.row = ""
	}
	return role, note, nil
}

// rowAsOf is what a new nomination is made under when its row's own
// ministry, rank, rank code or English are not its person's as the row
// leaves them (SPEC §3: a nomination keeps them as of the nomination): an
// older sheet read after a newer one changes nothing of the person, but its
// nominations were made under its values. The person's values fill what
// the row leaves out. All "" when the row agrees with the person: the
// nomination takes the person's values.
func rowAsOf(row, person nomtrack.Person) (ministry, rank, rankCode, english string) {
	differs := false
	pick := func(field, given, stored string) string {
		if given == "" {
			return stored
		}
		if !nomtrack.SameSpelling(field, stored, given) {
			differs = true
			return given
		}
		return stored
	}
	ministry = pick("ministry", row.Ministry, person.Ministry)
	rank = pick("rank", row.Rank, person.Rank)
	rankCode = pick("rank_code", row.RankCode, person.RankCode)
	if row.Rank != "" && row.RankCode == "" && !nomtrack.SameSpelling("rank", person.Rank, row.Rank) {
		rankCode = "" // a rank with no code (a civilian grade): not the person's code of another rank
	}
	english = pick("english", row.English, person.English)
	if !differs {
		return "", "", "", ""
	}
	return ministry, rank, rankCode, english
}

// sameCourse reports whether an import row leaves a course as it was: its
// fields equal, an unknown fee or length equalling an unknown one.
func sameCourse(a, b nomtrack.Course) bool {
	if !nomtrack.SameFee(a.Fee, b.Fee) || !nomtrack.SameDays(a.Days, b.Days) {
		return false
	}
	a.Fee, b.Fee = nil, nil
	a.Days, b.Days = nil, nil
	return a == b
}

// courseDays reads a courses sheet's days cell: an empty cell, "unknown"
// (as `course list` writes it) or 0 (as exports before schema 28 wrote a
// length nobody gave) is a length not known, nil: a new course gets none,
// a known one keeps its own.
func courseDays(r *rowState) *int {
	if strings.EqualFold(r.value(fDays), "unknown") {
		return nil
	}
	days, ok := r.number(fDays, 0, nomtrack.MaxCourseDays)
	if !ok || days == 0 {
		return nil
	}
	return nomtrack.Days(days)
}

// courseRow imports one row of a courses sheet, keyed by code.
func (im *importer) courseRow(r *rowState, sum *Summary) error {
	var in nomtrack.Course
	in.Code = r.ident(fCode)
	if in.Code == "" {
		r.failf("code", "is empty; every course needs its code")
	}
	in.EtocCode = r.ident(fEtocCode)
	in.Title = r.value(fTitle)
	if s := r.value(fArea); s != "" {
		v, err := r.parse("area", s, func(s string) (string, error) { return im.opt.Areas.Resolve("area", s) })
		if err != nil {
			r.fail("area", err)
		}
		in.Area = v
	}
	in.Provider = r.value(fProvider)
	days := courseDays(r)
	// An empty fee cell (or "unknown", as `course list` writes it) is a fee
	// not known: a new course gets none, a known one keeps its own. 0 is a
	// free course.
	var fee *float64
	if s := r.value(fFee); s != "" && !strings.EqualFold(s, "unknown") {
		v, err := strconv.ParseFloat(strings.TrimPrefix(strings.ReplaceAll(s, ",", ""), "€"), 64)
		if err != nil || v < 0 {
			r.failf("fee", "%q is not an amount in euros (e.g. 1200 or 1200.50)", s)
		} else {
			// +0 turns -0 into 0, which both engines store alike.
			fee = nomtrack.Fee(v + 0)
		}
	}
	if s := r.value(fMinEnglish); s != "" {
		v, err := r.parse("english", s, func(s string) (string, error) {
			e, err := nomtrack.ParseEnglish(s)
			return e.String(), err
		})
		if err != nil {
			r.fail("min_english", err)
		}
		in.MinEnglish = v
	}
	if s := r.value(fMinRank); s != "" {
		v, err := r.parse("rank_code", s, nomtrack.ParseRankCode)
		if err != nil {
			r.fail("min_rank", err)
		}
		in.MinRank = v
	}
	// requires: what `course add --requires` takes (clearance, adl, both
	// or none); an empty cell keeps a known course's own, "none" clears it.
	requires, hasRequires := r.value(fRequires), false
	if requires != "" {
		v, err := nomtrack.ParseRequires(requires)
		if err != nil {
			r.fail("requires", err)
		}
		requires, hasRequires = v, true
		in.Requires = v
	}
	in.Days, in.Fee = days, fee // validated with the rest (NaN, Inf, a fee past nomtrack.MaxFee)
	r.validate(in.Validate)
	if len(r.errs) > 0 {
		return nil
	}
	cur, exists := im.courses[strings.ToLower(in.Code)]
	if exists && !strings.EqualFold(cur.Code, in.Code) {
		exists = false // the code is another course's ETOC code
	}
	if in.EtocCode != "" {
		if other, ok := im.courses[strings.ToLower(in.EtocCode)]; ok && other != cur {
			r.failf("etoc_code", "%s is already the ETOC code of course %s", in.EtocCode, other.Code)
			return nil
		}
	}
	if !exists {
		if other, ok := im.courses[strings.ToLower(in.Code)]; ok {
			r.failf("code", "%s is already the ETOC code of course %s", in.Code, other.Code)
			return nil
		}
		if in.Title == "" {
			r.failf(field(r, "title", "code"), "is empty; a new course needs a title")
		}
		if in.Area == "" {
			r.failf(field(r, "area", "code"), "is empty; a new course needs an area of cooperation")
		}
		if len(r.errs) > 0 {
			return nil
		}
		in.Days, in.Fee = days, fee
		id, err := im.l.InsertCourse(in)
		if err != nil {
			return err
		}
		in.ID = id
		im.addCourse(&in)
		sum.Created++
		return nil
	}
	next := *cur
	for _, p := range [][2]*string{{&next.EtocCode, &in.EtocCode}, {&next.Title, &in.Title}, {&next.Area, &in.Area},
		{&next.Provider, &in.Provider}, {&next.MinEnglish, &in.MinEnglish}, {&next.MinRank, &in.MinRank}} {
		if *p[1] != "" {
			*p[0] = *p[1]
		}
	}
	if days != nil {
		next.Days = days
	}
	if hasRequires {
		next.Requires = requires
	}
	if fee != nil {
		next.Fee = fee
	}
	if sameCourse(next, *cur) {
		sum.Unchanged++
		return nil
	}
	if err := im.l.UpdateCourse(*cur, next, r.row.Num); err != nil {
		return err
	}
	if next.EtocCode != cur.EtocCode && next.EtocCode != "" {
		im.courses[strings.ToLower(next.EtocCode)] = cur
	}
	*cur = next
	sum.Updated++
	return nil
}

// offeringRow imports one row of an offerings sheet, keyed by course and
// start.
func (im *importer) offeringRow(r *rowState, sum *Summary) error {
	code := r.ident(fCourse)
	if code == "" {
		r.failf("course", "is empty; give the offering's course code")
	}
	start := ""
	if r.value(fStart) == "" && !r.cell(fStart).IsDate {
		r.failf("start", "is empty; give the offering's start date")
	} else {
		start = im.date(r, fStart)
	}
	end := im.date(r, fEnd)
	deadline := im.date(r, fDeadline)
	location := r.value(fLocation)
	seats, hasSeats := r.number(fSeats, 0, nomtrack.MaxSeats)
	var c *nomtrack.Course
	if code != "" {
		c = im.course(r, "course", code)
	}
	r.validate(func() error {
		o := nomtrack.Offering{Course: code, Start: start, End: end, Deadline: deadline, Location: location}
		return o.Validate()
	})
	if len(r.errs) > 0 {
		return nil
	}
	cur := im.offerings[offKey{c.ID, start}]
	if cur == nil {
		o := &nomtrack.Offering{CourseID: c.ID, Course: c.Code, Start: start, End: end, Location: location, Deadline: deadline,
			Status: nomtrack.OfferingOpen, Ref: nomtrack.OfferingRef(c.Code, start)}
		if hasSeats {
			o.Seats = &seats
		}
		id, err := im.l.InsertOffering(*o)
		if err != nil {
			return err
		}
		o.ID = id
		im.addOffering(o)
		sum.Created++
		return nil
	}
	was, changed := *cur, false
	for _, p := range [][2]*string{{&cur.End, &end}, {&cur.Location, &location}, {&cur.Deadline, &deadline}} {
		if *p[1] != "" && *p[1] != *p[0] {
			*p[0], changed = *p[1], true
		}
	}
	if hasSeats && (cur.Seats == nil || *cur.Seats != seats) {
		cur.Seats, changed = &seats, true
	}
	if !changed {
		sum.Unchanged++
		return nil
	}
	if err := im.l.UpdateOffering(was, *cur, r.row.Num); err != nil {
		return err
	}
	sum.Updated++
	return nil
}

// requestRow imports one row of a requests sheet, keyed by ministry, area
// and year.
func (im *importer) requestRow(r *rowState, sum *Summary) error {
	var in nomtrack.Request
	var err error
	if s := r.value(fMinistry); s == "" {
		r.failf("ministry", "is empty; a request is made by a ministry")
	} else if in.Ministry, err = r.parse("ministry", s, func(s string) (string, error) { return im.opt.Ministries.Resolve("ministry", s) }); err != nil {
		r.fail("ministry", err)
	}
	if s := r.value(fArea); s == "" {
		r.failf("area", "is empty; a request is for an area of cooperation")
	} else if in.Area, err = r.parse("area", s, func(s string) (string, error) { return im.opt.Areas.Resolve("area", s) }); err != nil {
		r.fail("area", err)
	}
	year, okYear := r.number(fYear, 1900, 2999)
	if !okYear && r.value(fYear) == "" {
		r.failf("year", "is empty; give the year of the request")
	}
	seats, okSeats := r.number(fSeats, 0, nomtrack.MaxSeats)
	if !okSeats && r.value(fSeats) == "" {
		r.failf("seats", "is empty; give the seats requested")
	}
	in.Note = r.value(fNote)
	in.Year, in.Seats = year, seats
	r.validate(in.Validate)
	if len(r.errs) > 0 {
		return nil
	}
	cur, found, err := im.l.Request(store.RequestKey{Ministry: in.Ministry, Area: in.Area, Year: in.Year})
	if err != nil {
		return err
	}
	if !found {
		if _, err := im.l.InsertRequest(in); err != nil {
			return err
		}
		sum.Created++
		return nil
	}
	next := cur
	next.Seats = in.Seats
	if in.Note != "" {
		next.Note = in.Note
	}
	if next == cur {
		sum.Unchanged++
		return nil
	}
	if err := im.l.UpdateRequest(cur, next, r.row.Num); err != nil {
		return err
	}
	sum.Updated++
	return nil
}

// checkSeat applies the seat rule of SPEC §2 to a row, as `nomination
// approve` does: a row that would commit a principal beyond the offering's
// seats is a row error naming the offering, its seats and the committed
// count, unless --over-allocate; so is a row that would commit an
// alternate. It reports whether the row takes a seat.
func (im *importer) checkSeat(r *rowState, off *nomtrack.Offering, exists bool, cur nomtrack.Nomination, role, status string) (bool, error) {
	if role == "" {
		role = nomtrack.RolePrincipal
		if exists {
			role = cur.Role
		}
	}
	if status == "" {
		status = nomtrack.StatusNominated
		if exists {
			status = cur.Status
		}
	}
	// An alternate takes no seat, so a sheet must not commit one: SPEC §2
	// approves an alternate only through `nomination promote`, which makes
	// it principal. A nomination already stored that way is left as it is.
	if role == nomtrack.RoleAlternate && nomtrack.Committed(status) &&
		!(exists && cur.Role == nomtrack.RoleAlternate && nomtrack.Committed(cur.Status)) {
		r.failf("status", "is %s, but the row's role is alternate; an alternate takes a seat only through nomtrack nomination promote, which makes it principal (or give role principal in this row)", status)
		return false, nil
	}
	held := exists && cur.Role == nomtrack.RolePrincipal && nomtrack.Committed(cur.Status)
	takes := role == nomtrack.RolePrincipal && nomtrack.Committed(status) && !held
	if held && !(role == nomtrack.RolePrincipal && nomtrack.Committed(status)) {
		if n, ok := im.committed[off.ID]; ok {
			im.committed[off.ID] = n - 1 // a no-show gives its seat back
		}
	}
	if !takes || off.Seats == nil || im.opt.OverAllocate {
		return takes, nil
	}
	n, ok := im.committed[off.ID]
	if !ok {
		var err error
		if n, err = im.l.OfferingCommitted(off.ID); err != nil {
			return false, err
		}
		im.committed[off.ID] = n
	}
	if n >= *off.Seats {
		r.failf("status", "offering %s has %d seat%s and %d committed; this row would commit one more (--over-allocate allows it)",
			off.Ref, *off.Seats, plural(*off.Seats), n)
	}
	return takes, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// maxShortfalls is how many rows below their course's prerequisites are
// warnings of their own; the rest are counted in one.
const maxShortfalls = 20

// checkPrerequisites warns about a row whose person falls short of the
// course's prerequisites (SPEC §2 Eligibility), as `nominate` does; with
// --strict the row is an error. The profile is the one the new nomination
// will keep: the row's values, else the person's.
func (im *importer) checkPrerequisites(r *rowState, sum *Summary, c *nomtrack.Course, found bool, idx int32, in *personIn, pl *personPlan) error {
	if c == nil || (c.MinEnglish == "" && c.MinRank == "") {
		return nil
	}
	profile := nomtrack.Person{English: in.p.English, RankCode: in.p.RankCode}
	if found && pl != nil && !pl.agrees {
		profile.English, profile.RankCode = pl.next.English, pl.next.RankCode
	} else if found && ((c.MinEnglish != "" && profile.English == "") || (c.MinRank != "" && profile.RankCode == "")) {
		p, _, err := im.l.Person(im.people.at(idx).id)
		if err != nil {
			return err
		}
		profile.English, profile.RankCode = cmp.Or(profile.English, p.English), cmp.Or(profile.RankCode, p.RankCode)
	}
	gaps := nomtrack.Eligibility(profile, *c)
	if len(gaps) == 0 {
		return nil
	}
	if im.opt.Strict {
		for _, g := range gaps {
			col := "english"
			if g.Kind == nomtrack.GapRank {
				col = "rank_code"
			}
			r.failf(field(r, col, "rank", "name"), "falls short of %s: %s (--strict)", c.Code, g.Message)
		}
		return nil
	}
	im.shortfalls++
	if im.shortfalls <= maxShortfalls {
		msgs := make([]string, len(gaps))
		for i, g := range gaps {
			msgs[i] = g.Message
		}
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%s:%d: falls short of %s: %s", im.where, r.row.Num, c.Code, strings.Join(msgs, "; ")))
	}
	return nil
}
