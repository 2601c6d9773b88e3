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
