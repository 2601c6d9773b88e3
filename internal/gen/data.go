package gen

// The vocabularies below are the raw material of every generated record. They
// are slices, never maps, so that drawing from them is deterministic. No Latin
// value may contain a comma, quote or line break unless it is written through
// appendField, which quotes it; TestVocabulariesAreSafeToWriteRaw holds that.

// name is one given or family name in its Latin spelling, its Arabic form and
// the ASCII slug used in generated e-mail addresses.
type name struct {
	latin, arabic, slug string
}

var maleNames = []name{
	{"Mohammed", "محمد", "mohammed"}, {"Ali", "علي", "ali"}, {"Hussein", "حسين", "hussein"},
	{"Ahmed", "أحمد", "ahmed"}, {"Hassan", "حسن", "hassan"}, {"Abbas", "عباس", "abbas"},
	{"Omar", "عمر", "omar"}, {"Khalid", "خالد", "khalid"}, {"Mustafa", "مصطفى", "mustafa"},
	{"Haider", "حيدر", "haider"}, {"Karim", "كريم", "karim"}, {"Saad", "سعد", "saad"},
	{"Ibrahim", "إبراهيم", "ibrahim"}, {"Yousif", "يوسف", "yousif"}, {"Jassim", "جاسم", "jassim"},
	{"Kadhim", "كاظم", "kadhim"}, {"Salah", "صلاح", "salah"}, {"Raed", "رائد", "raed"},
	{"Qasim", "قاسم", "qasim"}, {"Hameed", "حميد", "hameed"}, {"Abdullah", "عبد الله", "abdullah"},
	{"Abdul Karim", "عبد الكريم", "abdulkarim"}, {"Jabbar", "جبار", "jabbar"}, {"Falah", "فلاح", "falah"},
	{"Mahmoud", "محمود", "mahmoud"}, {"Adnan", "عدنان", "adnan"}, {"Sami", "سامي", "sami"},
	{"Nabil", "نبيل", "nabil"}, {"Walid", "وليد", "walid"}, {"Tariq", "طارق", "tariq"},
	{"Majid", "ماجد", "majid"}, {"Sattar", "ستار", "sattar"}, {"Ammar", "عمار", "ammar"},
	{"Mahdi", "مهدي", "mahdi"}, {"Zaid", "زيد", "zaid"}, {"Basim", "باسم", "basim"},
	{"Wissam", "وسام", "wissam"}, {"Laith", "ليث", "laith"}, {"Firas", "فراس", "firas"},
	{"Sabah", "صباح", "sabah"}, {"Muhannad", "مهند", "muhannad"}, {"Ayad", "أياد", "ayad"},
}

var femaleNames = []name{
	{"Fatima", "فاطمة", "fatima"}, {"Zainab", "زينب", "zainab"}, {"Maryam", "مريم", "maryam"},
	{"Noor", "نور", "noor"}, {"Huda", "هدى", "huda"}, {"Sara", "سارة", "sara"},
	{"Rana", "رنا", "rana"}, {"Shaymaa", "شيماء", "shaymaa"}, {"Zahraa", "زهراء", "zahraa"},
	{"Aseel", "أسيل", "aseel"}, {"Hiba", "هبة", "hiba"}, {"Dalia", "داليا", "dalia"},
	{"Suha", "سهى", "suha"}, {"Lina", "لينا", "lina"}, {"Rasha", "رشا", "rasha"},
	{"Amal", "أمل", "amal"}, {"Iman", "إيمان", "iman"}, {"Israa", "إسراء", "israa"},
	{"Rusul", "رسل", "rusul"}, {"Wafaa", "وفاء", "wafaa"},
}

var familyNames = []name{
	{"Al-Saadi", "الساعدي", "alsaadi"}, {"Al-Jubouri", "الجبوري", "aljubouri"},
	{"Al-Tamimi", "التميمي", "altamimi"}, {"Al-Obaidi", "العبيدي", "alobaidi"},
	{"Al-Dulaimi", "الدليمي", "aldulaimi"}, {"Al-Shammari", "الشمري", "alshammari"},
	{"Al-Rubaie", "الربيعي", "alrubaie"}, {"Al-Khafaji", "الخفاجي", "alkhafaji"},
	{"Al-Zubaidi", "الزبيدي", "alzubaidi"}, {"Al-Janabi", "الجنابي", "aljanabi"},
	{"Al-Maliki", "المالكي", "almaliki"}, {"Al-Hashimi", "الهاشمي", "alhashimi"},
	{"Al-Kubaisi", "الكبيسي", "alkubaisi"}, {"Al-Mousawi", "الموسوي", "almousawi"},
	{"Al-Bayati", "البياتي", "albayati"}, {"Al-Azzawi", "العزاوي", "alazzawi"},
	{"Al-Lami", "اللامي", "allami"}, {"Al-Asadi", "الأسدي", "alasadi"},
	{"Al-Fartousi", "الفرطوسي", "alfartousi"}, {"Al-Ani", "العاني", "alani"},
	{"Al-Rawi", "الراوي", "alrawi"}, {"Al-Hilli", "الحلي", "alhilli"},
	{"Al-Basri", "البصري", "albasri"}, {"Al-Mashhadani", "المشهداني", "almashhadani"},
	{"Al-Issawi", "العيساوي", "alissawi"}, {"Al-Qaisi", "القيسي", "alqaisi"},
	{"Al-Hamdani", "الحمداني", "alhamdani"}, {"Al-Waeli", "الوائلي", "alwaeli"},
	{"Al-Mayahi", "المياحي", "almayahi"}, {"Al-Darraji", "الدراجي", "aldarraji"},
	{"Al-Khalidi", "الخالدي", "alkhalidi"}, {"Al-Ameri", "العامري", "alameri"},
	{"Al-Karaawi", "الكرعاوي", "alkaraawi"}, {"Al-Musawi", "الموسوي", "almusawi"},
}

// Areas of cooperation, in the order of the default list in the product config.
const (
	areaCT = iota
	areaCM
	areaES
	areaDE
	areaCEP
	numAreas
)

var areaSlugs = [numAreas]string{
	"counter-terrorism", "crisis-management", "energy-security",
	"defence-education", "civil-emergency-planning",
}

// areaETOC is the discipline part of the catalogue codes of each area.
var areaETOC = [numAreas]string{"CT", "CM", "ES", "DE", "CE"}

// areaWeights decides how many of the catalogue's courses fall in each area.
var areaWeights = [numAreas]int{25, 25, 15, 20, 15}

var areaTitles = [numAreas][]string{
	areaCT: {
		"Counter-Terrorism", "Defence Against Terrorism Executive Level", "Terrorist Use of Cyberspace",
		"Critical Infrastructure Protection Against Terrorist Attacks", "Border Security and Counter-Terrorism",
		"Countering Improvised Explosive Devices Staff", "Terrorism and the Media", "Foreign Terrorist Fighters",
		"Countering the Financing of Terrorism", "WMD Terrorism Awareness", "Defence Against Suicide Attack",
		"Legal Aspects of Combating Terrorism",
	},
	areaCM: {
		"NATO Crisis Management", "Comprehensive Operations Planning", "Crisis Response Operations Staff",
		"Strategic Communications in Crisis", "Civil-Military Cooperation Staff", "Gender in Operations",
		"Protection of Civilians", "Crisis Management Exercise Planning",
		"Humanitarian Assistance in Complex Emergencies", "Cultural Property Protection",
	},
	areaES: {
		"Energy Security Strategic Awareness", "Critical Energy Infrastructure Protection",
		"Energy Efficiency in Military Operations", "Maritime Energy Security",
		"Cyber Security of Energy Systems", "Energy Security in Operations Planning",
		"Hybrid Threats to Energy Supply",
	},
	areaDE: {
		"NATO Senior", "Regional Faculty", "Partnership Orientation", "NATO Staff Officer Orientation",
		"Defence Institution Building", "Instructor Development", "Faculty Development",
		"Curriculum Development", "Advanced Distributed Learning Practitioner", "Building Integrity",
		"Cyber Defence Fundamentals", "Information Security Officer",
	},
	areaCEP: {
		"Civil Emergency Planning Orientation", "Disaster Response Coordination",
		"Civil Preparedness and Resilience", "CBRN Incident Management", "Mass Casualty Management",
		"Emergency Management Leadership", "Flood Response Planning", "Earthquake Response Operations",
	},
}

var titleKinds = []string{"Course", "Course", "Course", "Seminar", "Workshop", "Course (Advanced)", "Key Leader Seminar", "Practitioner Course"}

// provider is a school or centre of excellence: the letters its course codes
// start with, where it teaches and which areas it offers courses in.
type provider struct {
	name     string
	letters  string
	location string
	areas    []int
	fees     bool // whether its courses usually carry a tuition fee
}

var providers = []provider{
	{"NATO School Oberammergau", "MNPS", "Oberammergau", []int{areaCT, areaCM, areaES, areaDE, areaCEP}, true},
	{"NATO Defense College", "D", "Rome", []int{areaCM, areaDE}, false},
	{"NCI Academy", "C", "Oeiras", []int{areaDE, areaES}, true},
	{"CoE Defence Against Terrorism", "T", "Ankara", []int{areaCT}, false},
	{"ENSEC CoE", "E", "Vilnius", []int{areaES}, false},
	{"CMDR CoE", "R", "Sofia", []int{areaCM, areaCEP}, false},
	{"NMIOTC", "G", "Souda Bay", []int{areaCT, areaES}, true},
}

// mobileLocations are where mobile training teams run an offering in the region.
var mobileLocations = []string{"Baghdad (MTT)", "Erbil (MTT)", "Amman (MTT)", "Online (ADL)"}

var courseDays = []int{3, 4, 5, 5, 5, 5, 5, 10, 10, 12, 19}

// weighted is a value drawn with a relative weight.
type weighted struct {
	value  string
	weight int
}

var minEnglish = []weighted{{"", 35}, {"2222", 26}, {"3232", 20}, {"2221", 10}, {"3333", 4}, {"2+2+22", 5}}
var minRank = []weighted{{"", 40}, {"OF-2", 20}, {"OF-3", 20}, {"OF-4", 10}, {"OF-5", 5}, {"OR-6", 5}}

// englishProfiles are STANAG 6001 profiles (listening, speaking, reading, writing).
var englishProfiles = []weighted{
	{"", 5}, {"1111", 3}, {"2111", 4}, {"2211", 7}, {"2221", 14}, {"2222", 20},
	{"2+2+22", 8}, {"3222", 10}, {"3232", 14}, {"3332", 7}, {"3333", 6}, {"3+3+3+3", 2},
}

// rank is a rank as ministries write it and its STANAG 2116 code; civil grades
// have no code.
type rank struct {
	title, code string
	weight      int
}

var militaryRanks = []rank{
	{"Sergeant", "OR-5", 2}, {"Staff Sergeant", "OR-6", 3}, {"Warrant Officer", "OR-8", 3},
	{"Second Lieutenant", "OF-1", 3}, {"First Lieutenant", "OF-1", 6}, {"Captain", "OF-2", 14},
	{"Major", "OF-3", 18}, {"Lieutenant Colonel", "OF-4", 18}, {"Colonel", "OF-5", 16},
	{"Brigadier General", "OF-6", 12}, {"Major General", "OF-7", 5},
}

var civilGrades = []rank{
	{"Director General", "", 3}, {"Assistant Director General", "", 5}, {"Director", "", 12},
	{"Head of Department", "", 12}, {"Chief Engineer", "", 10}, {"Senior Engineer", "", 14},
	{"Engineer", "", 14}, {"Senior Adviser", "", 8}, {"Adviser", "", 8}, {"Senior Analyst", "", 7},
	{"Analyst", "", 7},
}

// ministry describes one nominating ministry: its code, how its people are
// drawn and which areas its nominations favour.
type ministry struct {
	code, refPrefix, mail string
	weight                int
	militaryPct           int // share of uniformed people, in percent
	femalePct             int
	areaWeights           [numAreas]int
	positions             []string
}

var ministries = []ministry{
	{"MoD", "MOD", "mod", 35, 92, 6, [numAreas]int{20, 30, 5, 35, 10}, []string{
		"Staff Officer, J3 Operations", "Staff Officer, J5 Plans", "Head of Training Branch",
		"Battalion Commander", "Brigade Chief of Staff", "Instructor, National Defence College",
		"Liaison Officer", "Intelligence Officer", "Director of Planning", "CIMIC Officer",
		"Legal Adviser", "Logistics Officer", "Military Academy Instructor",
	}},
	{"MoI", "MOI", "moi", 25, 85, 10, [numAreas]int{40, 25, 0, 10, 25}, []string{
		"Border Police Officer", "Civil Defence Directorate Officer", "Federal Police Staff Officer",
		"Crisis Cell Officer", "Head of Training, Police Academy", "Forensic Investigator",
		"Director of Civil Defence Operations",
	}},
	{"NSA", "NSA", "nsa", 8, 40, 25, [numAreas]int{30, 40, 10, 15, 5}, []string{
		"Policy Adviser", "Crisis Cell Coordinator", "Analyst, Strategic Assessments",
		"Director of Security Policy", "Deputy Director, Regional Affairs",
	}},
	{"CTS", "CTS", "cts", 12, 95, 4, [numAreas]int{75, 15, 0, 10, 0}, []string{
		"Counter-Terrorism Analyst", "Special Operations Planner", "Training Officer",
		"Intelligence Officer", "Company Commander", "Operations Officer",
	}},
	{"MoO", "MOO", "moo", 10, 0, 25, [numAreas]int{0, 10, 75, 0, 15}, []string{
		"Engineer, Basra Oil Company", "Pipeline Security Coordinator", "Director, Energy Security Department",
		"Refinery Safety Engineer", "HSE Manager, North Oil Company",
	}},
	{"MoE", "MOE", "moe", 10, 0, 25, [numAreas]int{0, 10, 60, 0, 30}, []string{
		"Engineer, Grid Control Centre", "Power Station Manager", "Director, Emergency Planning",
		"Transmission Network Engineer", "Head of Crisis Cell",
	}},
}

// notes are the remarks coordinators leave on a few nominations; some carry
// commas and quotes on purpose so importers meet quoted CSV fields.
var notes = []string{
	"late nomination", "replaces earlier nominee", "visa issued, travel booked",
	"ministry letter pending", "requires visa support", "security clearance pending",
	"nominated by \"Director of Training\"", "dietary requirements sent to school",
	"يرجى التأكيد", "transferred from previous offering",
}
