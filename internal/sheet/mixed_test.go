package sheet

import (
	"strings"
	"testing"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// TestMixedEncodingsRefused: a file whose lines mix UTF-8 and Windows-1256
// was read as Windows-1256, turning the UTF-8 Arabic names into mojibake
// ("علي" became "ط¹ظ„ظٹ") without a word. It is refused now, naming a line
// of each kind.
func TestMixedEncodingsRefused(t *testing.T) {
	for name, c := range map[string]struct {
		data string
		want string
	}{
		"utf8_then_1256": {"name,name_ar\nAli,\xd8\xb9\xd9\x84\xd9\x8a\nOmar,\xda\xe3\xd1\n", "line 2 is UTF-8 but line 3 is not"},
		"1256_then_utf8": {"name,name_ar\r\nOmar,\xda\xe3\xd1\r\nAli,\xd8\xb9\xd9\x84\xd9\x8a\r\n", "line 3 is UTF-8 but line 2 is not"},
	} {
		t.Run(name, func(t *testing.T) {
			path := MustWriteFile(t, name+".csv", []byte(c.data))
			_, err := Open(path, Options{})
			if err == nil || !strings.Contains(err.Error(), "mixes text encodings: "+c.want) || nomtrack.ErrorCode(err) != nomtrack.EINVALID {
				t.Fatalf("err = %v", err)
			}
			// Naming the encoding reads the file as told.
			f, err := Open(path, Options{Encoding: "windows-1256"})
			if err != nil {
				t.Fatalf("with --encoding: %v", err)
			}
			f.Close()
		})
	}
	// A whole Windows-1256 file, Arabic commas and all, is still detected.
	path := MustWriteFile(t, "win.csv", []byte("name,name_ar\nOmar,\xda\xe3\xd1\xa1 \xda\xe1\xed\nAli,\xda\xe1\xed\n"))
	f, err := Open(path, Options{})
	if err != nil || f.Encoding() != "windows-1256" {
		t.Fatalf("encoding %v, err %v", f, err)
	}
	f.Close()
}

// TestOverlongCellRefused: a 5 MB cell was read whole and imported into a
// person's name. No spreadsheet cell holds more than 32,767 characters, so a
// longer one is refused as damage, in text files and workbooks alike.
func TestOverlongCellRefused(t *testing.T) {
	big := strings.Repeat("ع", maxCellChars+1)
	path := MustWriteFile(t, "big.csv", []byte("name,note\nAli,"+big+"\n"))
	f := MustOpen(t, path, Options{})
	_, err := readAll(t, f, "")
	if err == nil || err.Error() != "big.csv:2: column 2 holds 32768 characters, more than a spreadsheet cell can (32767); is the file damaged?" {
		t.Errorf("csv: err = %v", err)
	}
	// Exactly the limit is fine.
	path = MustWriteFile(t, "max.csv", []byte("name,note\nAli,"+big[len("ع"):]+"\n"))
	if _, err := readAll(t, MustOpen(t, path, Options{}), ""); err != nil {
		t.Errorf("csv at the limit: %v", err)
	}

	xpath := fuzzWorkbook(t, t.TempDir(), `<worksheet><sheetData><row r="4"><c r="C4" t="inlineStr"><is><t>`+big+`</t></is></c></row></sheetData></worksheet>`, "", "")
	x := MustOpen(t, xpath, Options{})
	_, err = readAll(t, x, "")
	want := `fuzz.xlsx:4: sheet "Nominations" is damaged: cell C4 holds 32768 characters, more than Excel allows (32767); save the workbook again in Excel`
	if err == nil || err.Error() != want {
		t.Errorf("xlsx: err = %v\nwant       %s", err, want)
	}
}
