// Package config resolves nomtrack's settings into one Config value. It is the
// only package that imports viper: precedence is flag > environment
// (NOMTRACK_<KEY>) > configuration file > default, and every key remembers
// where its value came from for `nomtrack config show`.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/nomtrack/nomtrack/internal/nomtrack"
)

// Keys in the order `config show` prints them.
var Keys = []string{"db", "actor", "capacity", "date_order", "busy_timeout", "areas", "ministries", "ranks", "import.map"}

// DefaultAreas are the areas of cooperation used when none are configured.
var DefaultAreas = []string{"counter-terrorism", "crisis-management", "energy-security", "defence-education", "civil-emergency-planning"}

// Sources of a value.
const (
	SourceFlag    = "flag"
	SourceEnv     = "env"
	SourceFile    = "file"
	SourceDefault = "default"
)

// Config is the effective configuration.
type Config struct {
	DB          string
	Actor       string
	Capacity    int
	DateOrder   string
	BusyTimeout time.Duration
	Areas       []string
	Ministries  map[string][]string // code -> aliases; empty: any ministry accepted as written
	ImportMap   map[string]string   // header text -> field
	Ranks       map[string]string   // rank title -> NATO rank code, adding to the built-in titles

	File    string            // the configuration file read, "" if none
	Sources map[string]string // key -> SourceFlag, SourceEnv, SourceFile or SourceDefault
}

// DefaultDBPath is $XDG_DATA_HOME/nomtrack/nomtrack.db, else
// ~/.local/share/nomtrack/nomtrack.db.
func DefaultDBPath() string {
	return filepath.Join(xdgDir("XDG_DATA_HOME", ".local", "share"), "nomtrack", "nomtrack.db")
}

// DefaultConfigPath is $XDG_CONFIG_HOME/nomtrack/config.yaml, else
// ~/.config/nomtrack/config.yaml.
func DefaultConfigPath() string {
	return filepath.Join(xdgDir("XDG_CONFIG_HOME", ".config"), "nomtrack", "config.yaml")
}

func xdgDir(env string, fallback ...string) string {
	if dir := os.Getenv(env); dir != "" {
		return dir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(append([]string{home}, fallback...)...)
}

// defaultActor is $USER, else $LOGNAME, else the account's name, so history
// always says who made a change.
func defaultActor() string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// envName is the environment variable for key: NOMTRACK_DB, NOMTRACK_IMPORT_MAP.
func envName(key string) string {
	return "NOMTRACK_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// Load resolves the configuration. flags holds the global flags (only --db is a
// configuration key); configPath is --config's value ("" for env or default).
// A configuration file named explicitly must exist; the default one may not.
func Load(flags *pflag.FlagSet, configPath string) (*Config, error) {
	v := viper.New()
	v.SetEnvPrefix("NOMTRACK")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	v.SetDefault("db", DefaultDBPath())
	v.SetDefault("actor", defaultActor())
	v.SetDefault("capacity", nomtrack.DefaultCapacity)
	v.SetDefault("date_order", "dmy")
	v.SetDefault("busy_timeout", "60s")
	v.SetDefault("areas", DefaultAreas)
	v.SetDefault("ministries", map[string][]string{})
	v.SetDefault("import.map", map[string]string{})
	v.SetDefault("ranks", map[string]string{})

	explicit := configPath != ""
	if !explicit {
		configPath = os.Getenv("NOMTRACK_CONFIG")
		explicit = configPath != ""
	}
	if configPath == "" {
		configPath = DefaultConfigPath()
	}
	cfg := &Config{Sources: map[string]string{}}
	if _, err := os.Stat(configPath); err == nil {
		v.SetConfigFile(configPath)
		if err := v.ReadInConfig(); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "cannot read the configuration file %s: %v", configPath, cleanViperError(err))
		}
		cfg.File = configPath
		if err := checkKeys(configPath); err != nil {
			return nil, err
		}
	} else if explicit {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "configuration file %s not found", configPath)
	}
	if flags != nil {
		if f := flags.Lookup("db"); f != nil {
			if err := v.BindPFlag("db", f); err != nil {
				return nil, err
			}
		}
	}

	for _, key := range Keys {
		cfg.Sources[key] = source(v, flags, key)
	}
	cfg.DB = v.GetString("db")
	cfg.Actor = v.GetString("actor")
	cfg.Capacity = v.GetInt("capacity")
	if raw := v.GetString("capacity"); cfg.Capacity <= 0 && raw != "0" {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "capacity %q (from %s) is not a positive whole number", raw, cfg.Sources["capacity"])
	}
	if cfg.Capacity > nomtrack.MaxSeats {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "capacity %d (from %s) is more than %d, the most nomtrack accepts", cfg.Capacity, cfg.Sources["capacity"], nomtrack.MaxSeats)
	}
	cfg.DateOrder = strings.ToLower(v.GetString("date_order"))
	switch cfg.DateOrder {
	case "dmy", "mdy", "ymd":
	default:
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "date_order %q (from %s) must be dmy, mdy or ymd", cfg.DateOrder, cfg.Sources["date_order"])
	}
	bt, err := time.ParseDuration(v.GetString("busy_timeout"))
	if err != nil || bt < 0 {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "busy_timeout %q (from %s) is not a duration such as 60s or 2m", v.GetString("busy_timeout"), cfg.Sources["busy_timeout"])
	}
	cfg.BusyTimeout = bt
	cfg.Areas = v.GetStringSlice("areas")
	if len(cfg.Areas) == 1 && strings.Contains(cfg.Areas[0], ",") { // NOMTRACK_AREAS=a,b
		cfg.Areas = strings.Split(cfg.Areas[0], ",")
	}
	for i := range cfg.Areas {
		cfg.Areas[i] = strings.TrimSpace(cfg.Areas[i])
	}
	cfg.ImportMap = v.GetStringMapString("import.map")
	if cfg.Ministries, err = ministries(cfg); err != nil {
		return nil, err
	}
	if cfg.Ranks, err = ranks(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// source tells where key's effective value comes from.
func source(v *viper.Viper, flags *pflag.FlagSet, key string) string {
	if flags != nil {
		if f := flags.Lookup(key); f != nil && f.Changed {
			return SourceFlag
		}
	}
	if os.Getenv(envName(key)) != "" { // viper, too, ignores empty variables
		return SourceEnv
	}
	if v.InConfig(key) {
		return SourceFile
	}
	return SourceDefault
}

// ministries reads the ministries map. viper lowercases map keys, but a
// ministry code is shown to users as written (MoD), so the section is read
// again from the file with the file's own decoder to keep its case. From the
// environment it is JSON: NOMTRACK_MINISTRIES='{"MoD":["Ministry of Defence"]}'.
func ministries(cfg *Config) (map[string][]string, error) {
	out := map[string][]string{}
	switch cfg.Sources["ministries"] {
	case SourceEnv:
		if err := json.Unmarshal([]byte(os.Getenv(envName("ministries"))), &out); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "NOMTRACK_MINISTRIES must be a JSON object of code to aliases, e.g. {\"MoD\":[\"Ministry of Defence\"]}")
		}
	case SourceFile:
		var doc struct {
			Ministries map[string][]string `json:"ministries" yaml:"ministries" toml:"ministries"`
		}
		if err := decodeFile(cfg.File, &doc); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "ministries in %s must map each code to a list of aliases, e.g. MoD: [Ministry of Defence, MOD]", cfg.File)
		}
		out = doc.Ministries
	}
	if out == nil {
		out = map[string][]string{}
	}
	return out, nil
}

// ranks reads the rank titles map (title → NATO rank code). Like ministries
// it is read with the file's own decoder: viper would split a title such as
// "Brig. Gen." at its dots into nested keys. From the environment it is
// JSON: NOMTRACK_RANKS='{"Kaymakam":"OF-4"}'. The codes are checked where
// the titles are used (nomtrack.NewRankTitles).
func ranks(cfg *Config) (map[string]string, error) {
	out := map[string]string{}
	switch cfg.Sources["ranks"] {
	case SourceEnv:
		if err := json.Unmarshal([]byte(os.Getenv(envName("ranks"))), &out); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "NOMTRACK_RANKS must be a JSON object of rank title to NATO rank code, e.g. {\"Kaymakam\":\"OF-4\"}")
		}
	case SourceFile:
		var doc struct {
			Ranks map[string]string `json:"ranks" yaml:"ranks" toml:"ranks"`
		}
		if err := decodeFile(cfg.File, &doc); err != nil {
			return nil, nomtrack.Errorf(nomtrack.EUSAGE, "ranks in %s must map each rank title to a NATO rank code, e.g. عقيد: OF-5", cfg.File)
		}
		out = doc.Ranks
	}
	if out == nil {
		out = map[string]string{}
	}
	return out, nil
}

// decodeFile decodes the configuration file at path into doc with the
// decoder of its extension (YAML unless .json or .toml).
func decodeFile(path string, doc any) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return json.Unmarshal(body, doc)
	case ".toml":
		return toml.Unmarshal(body, doc)
	}
	return yaml.Unmarshal(body, doc)
}

// checkKeys refuses a configuration file with a key nomtrack does not know
// (SPEC §6), naming the file, the key and the nearest known key: a typo such
// as "capasity: 480" would otherwise be ignored and the default used. The
// section import may hold only map; "import.map" written as one key is
// accepted too.
func checkKeys(path string) error {
	var doc map[string]any
	if err := decodeFile(path, &doc); err != nil {
		return nomtrack.Errorf(nomtrack.EUSAGE, "cannot read the configuration file %s: %v", path, err)
	}
	top := []string{"db", "actor", "capacity", "date_order", "busy_timeout", "areas", "ministries", "ranks", "import", "import.map"}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if slices.Contains(top, strings.ToLower(k)) { // viper reads keys in any case
			if strings.ToLower(k) == "import" {
				if err := checkImportKeys(path, doc[k]); err != nil {
					return err
				}
			}
			continue
		}
		return unknownKey(path, k, top)
	}
	return nil
}

// checkImportKeys checks the section import, whose only key is map.
func checkImportKeys(path string, section any) error {
	m, ok := section.(map[string]any)
	if !ok {
		if section == nil {
			return nil
		}
		return nomtrack.Errorf(nomtrack.EUSAGE, "%s: import must be a section holding map (header text: field)", path)
	}
	for k := range m {
		if strings.ToLower(k) != "map" {
			return unknownKey(path, "import."+k, []string{"import.map"})
		}
	}
	return nil
}

// unknownKey is the error for key, with the nearest of known.
func unknownKey(path, key string, known []string) error {
	hint := "; the keys are " + strings.Join(Keys, ", ")
	if s := nomtrack.Suggest(key, known); s != "" {
		hint = "; did you mean " + s + "?"
	}
	return nomtrack.Errorf(nomtrack.EUSAGE, "%s: unknown key %q%s", path, key, hint)
}

// cleanViperError keeps the decoder's reason without viper's wrapping.
func cleanViperError(err error) error {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) {
		return errors.Unwrap(pe)
	}
	return err
}

// Setting is one line of `config show`.
type Setting struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// Settings lists every key with its effective value and source.
func (c *Config) Settings() []Setting {
	values := map[string]any{
		"db":           c.DB,
		"actor":        c.Actor,
		"capacity":     c.Capacity,
		"date_order":   c.DateOrder,
		"busy_timeout": c.BusyTimeout.String(),
		"areas":        c.Areas,
		"ministries":   c.Ministries,
		"ranks":        c.Ranks,
		"import.map":   c.ImportMap,
	}
	out := make([]Setting, 0, len(Keys))
	for _, k := range Keys {
		src := c.Sources[k]
		if src == SourceFile {
			src = "file " + c.File
		}
		out = append(out, Setting{Key: k, Value: values[k], Source: src})
	}
	return out
}

// FormatValue renders a setting's value on one line for tables.
func FormatValue(v any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ", ")
	case map[string][]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+": "+strings.Join(x[k], ", "))
		}
		return strings.Join(parts, "; ")
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+" = "+x[k])
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}
