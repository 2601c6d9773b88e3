package importer

// Fields as small numbers, so a row's values are found by index, not by
// a map lookup per field per row.
const (
	fRef = iota
	fName
	fNameAr
	fMinistry
	fRank
	fRankCode
	fPosition
	fGender
	fEnglish
	fEmail
	fPhone
	fCourse
	fStart
	fOffering
	fRole
	fStatus
	fNote
	fCode
	fEtocCode
	fTitle
	fArea
	fProvider
	fDays
	fFee
	fMinEnglish
	fMinRank
	fEnd
	fLocation
	fSeats
	fDeadline
	fYear
	fVisa
	fClearance
	fADL
	fFunding
	fCertificate
	fRequires
	nFields
)

// fieldNames are the SPEC §4 names of the fields, by number.
var fieldNames = [nFields]string{"ref", "name", "name_ar", "ministry", "rank", "rank_code", "position", "gender", "english", "email", "phone", "course", "start", "offering", "role", "status", "note", "code", "etoc_code", "title", "area", "provider", "days", "fee", "min_english", "min_rank", "end", "location", "seats", "deadline", "year", "visa", "clearance", "adl", "funding", "certificate", "requires"}
