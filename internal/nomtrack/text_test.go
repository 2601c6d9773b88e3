package nomtrack

import "testing"

func TestCheckText(t *testing.T) {
	for s, want := range map[string]string{
		"Ali Hussein":            "",
		"علي حسين":               "",
		"two\tcolumns\nok":       "",
		"\x1b[31mred":            "--name holds a control character (ESC, U+001B), which nomtrack does not store; type it without",
		"bell\a":                 "--name holds a control character (BEL, U+0007), which nomtrack does not store; type it without",
		"over\rwrite":            "--name holds a control character (carriage return, U+000D), which nomtrack does not store; type it without",
		"c1 \u009b31m":           "--name holds a control character (CSI, U+009B), which nomtrack does not store; type it without",
		"del\x7f":                "--name holds a control character (DEL, U+007F), which nomtrack does not store; type it without",
		"bad \xff utf8":          "--name is not valid UTF-8; type it again, or save the file it came from as UTF-8",
		"surrogate \xed\xa0\x80": "--name is not valid UTF-8; type it again, or save the file it came from as UTF-8",
	} {
		err := CheckText("--name", s)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", s, err)
		case want != "" && (err == nil || err.Error() != want || ErrorCode(err) != EINVALID):
			t.Errorf("%q: %v\nwant %s", s, err, want)
		}
	}
}

func TestPrintable(t *testing.T) {
	for s, want := range map[string]string{
		"Ali":                "Ali",
		"علي":                "علي",
		"tab\tand\nline":     "tab\tand\nline",
		"\x1b[31mred\x1b[0m": `\x1b[31mred\x1b[0m`,
		"csi \u009b2J":       `csi \x9b2J`,
		"bad \xff":           `bad \xff`,
		"cr\r":               `cr\x0d`,
	} {
		if got := Printable(s); got != want {
			t.Errorf("Printable(%q) = %q, want %q", s, got, want)
		}
	}
}
