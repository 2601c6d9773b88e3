package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"github.com/spf13/pflag"
)

// isolate points HOME and the XDG directories at a temporary directory and
// clears NOMTRACK_* variables for the test.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("USER", "tester")
	for _, k := range append(Keys, "config") {
		t.Setenv(envName(k), "")
	}
	return dir
}

func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("nomtrack", pflag.ContinueOnError)
	fs.String("db", "", "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func writeFile(t *testing.T, path, body string) string {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadDefaults(t *testing.T) {
	dir := isolate(t)
	cfg, err := Load(flags(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "data", "nomtrack", "nomtrack.db"); cfg.DB != want {
		t.Errorf("DB = %q, want %q", cfg.DB, want)
	}
	if cfg.Capacity != 500 || cfg.DateOrder != "dmy" || cfg.Actor != "tester" || cfg.BusyTimeout != time.Minute {
		t.Errorf("defaults = %+v", cfg)
	}
	if diff := cmp.Diff(DefaultAreas, cfg.Areas); diff != "" {
		t.Errorf("areas (-want +got):\n%s", diff)
	}
	for _, k := range Keys {
		if cfg.Sources[k] != SourceDefault {
			t.Errorf("source of %s = %q, want default", k, cfg.Sources[k])
		}
	}
}

func TestLoadPrecedence(t *testing.T) {
	dir := isolate(t)
	writeFile(t, filepath.Join(dir, "config", "nomtrack", "config.yaml"), `
db: file.db
capacity: 450
date_order: mdy
actor: from-file
ministries:
  MoD: [Ministry of Defence, وزارة الدفاع]
import:
  map:
    "Rank (NATO)": rank_code
`)
	t.Setenv("NOMTRACK_CAPACITY", "480")
	t.Setenv("NOMTRACK_DB", "env.db")
	cfg, err := Load(flags(t, "--db", "flag.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{"db": cfg.DB, "capacity": cfg.Capacity, "date_order": cfg.DateOrder, "actor": cfg.Actor}
	want := map[string]any{"db": "flag.db", "capacity": 480, "date_order": "mdy", "actor": "from-file"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	sources := map[string]string{"db": SourceFlag, "capacity": SourceEnv, "date_order": SourceFile, "ministries": SourceFile, "areas": SourceDefault}
	for k, want := range sources {
		if cfg.Sources[k] != want {
			t.Errorf("source of %s = %q, want %q", k, cfg.Sources[k], want)
		}
	}
	if diff := cmp.Diff(map[string][]string{"MoD": {"Ministry of Defence", "وزارة الدفاع"}}, cfg.Ministries); diff != "" {
		t.Errorf("ministries keep the code's case (-want +got):\n%s", diff)
	}
	if cfg.ImportMap["rank (nato)"] != "rank_code" {
		t.Errorf("import.map = %v", cfg.ImportMap)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, env, value string
	}{
		{"ErrMissingExplicitFile", "", "", ""},
		{"ErrBadDateOrder", "date_order: ddmm\n", "", ""},
		{"ErrBadCapacity", "capacity: lots\n", "", ""},
		{"ErrBadBusyTimeout", "", "NOMTRACK_BUSY_TIMEOUT", "soon"},
		{"ErrBadMinistriesEnv", "", "NOMTRACK_MINISTRIES", "MoD"},
		{"ErrBrokenYAML", "capacity: [\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := isolate(t)
			path := filepath.Join(dir, "missing.yaml")
			if tc.file != "" {
				path = writeFile(t, filepath.Join(dir, "c.yaml"), tc.file)
			} else if tc.env != "" {
				path = ""
				t.Setenv(tc.env, tc.value)
			}
			_, err := Load(flags(t), path)
			if nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
}

func TestLoadJSONAndTOML(t *testing.T) {
	dir := isolate(t)
	for name, body := range map[string]string{
		"c.json": `{"capacity": 300, "ministries": {"MoI": ["Interior"]}}`,
		"c.toml": "capacity = 300\n[ministries]\nMoI = [\"Interior\"]\n",
	} {
		cfg, err := Load(flags(t), writeFile(t, filepath.Join(dir, name), body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Capacity != 300 || len(cfg.Ministries["MoI"]) != 1 {
			t.Errorf("%s: %+v", name, cfg)
		}
	}
}

func TestDefaultActorWithoutUSER(t *testing.T) {
	isolate(t)
	t.Setenv("USER", "")
	t.Setenv("LOGNAME", "")
	cfg, err := Load(flags(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Actor == "" || cfg.Actor == "unknown" {
		t.Errorf("actor = %q, want the account's name", cfg.Actor)
	}
}

func TestLoadUnknownKey(t *testing.T) {
	dir := isolate(t)
	for name, tc := range map[string]struct{ file, body, want string }{
		"yaml":   {"c.yaml", "capasity: 480\n", `unknown key "capasity"; did you mean capacity?`},
		"toml":   {"c.toml", "date-order = \"mdy\"\n", `unknown key "date-order"; did you mean date_order?`},
		"json":   {"c.json", `{"ministires": {}}`, `unknown key "ministires"; did you mean ministries?`},
		"import": {"i.yaml", "import:\n  mapp:\n    Nom: name\n", `unknown key "import.mapp"; did you mean import.map?`},
		"far":    {"f.yaml", "colour: blue\n", `unknown key "colour"; the keys are db, actor`},
	} {
		path := writeFile(t, filepath.Join(dir, name, tc.file), tc.body)
		_, err := Load(flags(t), path)
		if err == nil || nomtrack.ErrorCode(err) != nomtrack.EUSAGE {
			t.Fatalf("%s: err = %v, want EUSAGE", name, err)
		}
		if msg := nomtrack.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want the file and %q", name, msg, tc.want)
		}
	}
	path := writeFile(t, filepath.Join(dir, "ok.yaml"), "Capacity: 480\nimport:\n  map:\n    Nom: name\n")
	if cfg, err := Load(flags(t), path); err != nil || cfg.Capacity != 480 {
		t.Errorf("known keys in another case: %v, %v", cfg, err)
	}
}

func TestLoadRanks(t *testing.T) {
	dir := isolate(t)
	path := writeFile(t, filepath.Join(dir, "c.yaml"), "ranks:\n  Brig. Gen.: OF-6\n  مدير عام: OF-6\n")
	cfg, err := Load(flags(t), path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"Brig. Gen.": "OF-6", "مدير عام": "OF-6"}, cfg.Ranks); diff != "" {
		t.Errorf("ranks (-want +got):\n%s", diff)
	}
	if cfg.Sources["ranks"] != SourceFile {
		t.Errorf("source = %q", cfg.Sources["ranks"])
	}
	t.Setenv("NOMTRACK_RANKS", `{"Kaymakam":"OF-4"}`)
	cfg, err = Load(flags(t), path)
	if err != nil || cfg.Ranks["Kaymakam"] != "OF-4" {
		t.Errorf("env ranks: %v, %v", cfg, err)
	}
}
