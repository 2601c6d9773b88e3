package output

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/nomtrack/nomtrack/internal/nomtrack"
	"go.yaml.in/yaml/v3"
)

// This file is the data side of output: a command's JSON value as generic,
// ordered values, so that field selection (--json), sorting (--sort), jq
// (--jq), JSON Lines and YAML all work on what -o json prints, for every
// command, without the commands knowing.

// Object is a JSON object that keeps its keys in the order they were
// written, so selected fields, JSON Lines and YAML read like -o json.
type Object []Field

// Field is one key and value of an Object.
type Field struct {
	Key   string
	Value any
}

// Get returns the value of key.
func (o Object) Get(key string) (any, bool) {
	for _, f := range o {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the object with its keys in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encodeCompact(&b, f.Key); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := encodeCompact(&b, f.Value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// encodeCompact writes v as compact JSON without escaping HTML characters
// (names such as "Al-Saadi & Sons" stay readable) and without a newline.
func encodeCompact(b *bytes.Buffer, v any) error {
	n := b.Len()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if b.Len() > n && b.Bytes()[b.Len()-1] == '\n' {
		b.Truncate(b.Len() - 1)
	}
	return nil
}

// emptyIfNil makes a nil value or nil slice an empty list: lists print [],
// never null.
func emptyIfNil(v any) any {
	if v == nil {
		return []any{}
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		return []any{}
	}
	return v
}

// toData turns v into generic values by way of its JSON encoding: Object,
// []any, string, json.Number, bool and nil.
func toData(v any) (any, error) {
	var b bytes.Buffer
	if err := encodeCompact(&b, emptyIfNil(v)); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	return decodeValue(dec)
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		obj := Object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, Field{k.(string), v})
		}
		_, err = dec.Token()
		return obj, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token()
		return arr, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// FieldsOf lists the JSON field names of v's records: of each element when v
// is a list, of v itself when it is one record. It reads the Go type, so an
// empty list still knows its fields; embedded structs contribute theirs.
func FieldsOf(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if tag == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	walk(t)
	return out
}

// fieldsOfData lists the keys of the first object in data (for values whose
// Go type does not tell, such as maps).
func fieldsOfData(data any) []string {
	switch x := data.(type) {
	case Object:
		keys := make([]string, len(x))
		for i, f := range x {
			keys[i] = f.Key
		}
		return keys
	case []any:
		if len(x) > 0 {
			return fieldsOfData(x[0])
		}
	}
	return nil
}

// checkFields refuses a field the records do not have, naming the valid ones.
func checkFields(flag string, want, valid []string) error {
	for _, f := range want {
		if !contains(valid, f) {
			msg := fmt.Sprintf("unknown field %q for %s", f, flag)
			if s := nomtrack.Suggest(f, valid); s != "" {
				msg += "; did you mean " + s + "?"
			}
			if len(valid) == 0 {
				return nomtrack.Errorf(nomtrack.EUSAGE, "%s: this command's output has no fields to choose from", msg)
			}
			return nomtrack.Errorf(nomtrack.EUSAGE, "%s; valid fields: %s", msg, strings.Join(valid, ", "))
		}
	}
	return nil
}

// selectFields keeps the given fields, in the order given, of each record.
func selectFields(data any, fields []string) any {
	switch x := data.(type) {
	case Object:
		out := make(Object, 0, len(fields))
		for _, f := range fields {
			v, _ := x.Get(f)
			out = append(out, Field{f, v})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = selectFields(e, fields)
		}
		return out
	}
	return data
}

// sortData sorts a list of records by field (numbers as numbers, text
// ignoring case, empty values last), stably, so ties keep the command's order.
func sortData(items []any, field string) []int {
	perm := make([]int, len(items))
	for i := range perm {
		perm[i] = i
	}
	keys := make([]any, len(items))
	for i, it := range items {
		if o, ok := it.(Object); ok {
			keys[i], _ = o.Get(field)
		}
	}
	sort.SliceStable(perm, func(a, b int) bool { return lessValue(keys[perm[a]], keys[perm[b]]) })
	return perm
}

// sortedNonEmpty is how many records of perm (as sortData ordered them,
// empty values last) have a value in field.
func sortedNonEmpty(items []any, perm []int, field string) int {
	n := len(perm)
	for n > 0 {
		o, ok := items[perm[n-1]].(Object)
		if !ok {
			break
		}
		if v, _ := o.Get(field); !isEmpty(v) {
			break
		}
		n--
	}
	return n
}

// lessValue orders two generic values: empty (nil, "") after everything,
// numbers by value, the rest by text ignoring case.
func lessValue(a, b any) bool {
	ea, eb := isEmpty(a), isEmpty(b)
	if ea || eb {
		return !ea && eb
	}
	na, aNum := a.(json.Number)
	nb, bNum := b.(json.Number)
	if aNum && bNum {
		fa, _ := na.Float64()
		fb, _ := nb.Float64()
		return fa < fb
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok {
			return !ba && bb
		}
	}
	sa, sb := strings.ToLower(dataText(a)), strings.ToLower(dataText(b))
	if sa != sb {
		return sa < sb
	}
	return dataText(a) < dataText(b)
}

func isEmpty(v any) bool {
	return v == nil || v == ""
}

// dataText is a generic value as one cell of text: nested values as
// compact JSON.
func dataText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	var b bytes.Buffer
	encodeCompact(&b, v)
	return b.String()
}

// dataCell is a generic value as a typed cell (numbers stay numbers in
// spreadsheets).
func dataCell(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case nil, string, bool:
		return x
	}
	return dataText(v)
}

// dataTab is records as a table under the given columns.
func dataTab(data any, cols []string) *Tab {
	t := &Tab{Columns: cols}
	items, ok := data.([]any)
	if !ok {
		items = []any{data}
	}
	for _, it := range items {
		o, _ := it.(Object)
		row := make([]any, len(cols))
		for i, c := range cols {
			v, _ := o.Get(c)
			row[i] = dataCell(v)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// writeJSONLines writes one compact JSON value a line: each record of a
// list, or the one record.
func writeJSONLines(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if items, ok := v.([]any); ok {
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return err
			}
		}
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		for i := 0; i < rv.Len(); i++ {
			if err := enc.Encode(rv.Index(i).Interface()); err != nil {
				return err
			}
		}
		return nil
	}
	return enc.Encode(v)
}

// writeYAML writes data as a YAML document, keys in the order of -o json.
func writeYAML(w io.Writer, data any) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(data)); err != nil {
		return err
	}
	return enc.Close()
}

func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case Object:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, f := range x {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Key}, yamlNode(f.Value))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if len(x) == 0 {
			n.Style = yaml.FlowStyle
		}
		for _, e := range x {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(x.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: x.String()}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(x)}
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// CompileJQ parses a --jq expression, so a mistake is a usage error before
// any work.
func CompileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--jq %q is not a jq expression: %v", expr, err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, nomtrack.Errorf(nomtrack.EUSAGE, "--jq %q cannot run: %v", expr, err)
	}
	return code, nil
}

// writeJQ runs expr over data and prints each result: text as is (like
// jq -r), anything else as compact JSON. Closing done (Ctrl-C) stops it:
// an expression may loop for ever (def f: f; f), and SPEC §8 has every
// command stop within a second of SIGINT.
func writeJQ(w io.Writer, expr string, data any, done <-chan struct{}) error {
	code, err := CompileJQ(expr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if done != nil {
		go func() {
			select {
			case <-done:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	iter := code.RunWithContext(ctx, jqValue(data))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := v.(error); ok {
			var halt *gojq.HaltError
			if ok := asHalt(err, &halt); ok && halt.Value() == nil {
				return nil
			}
			return nomtrack.Errorf(nomtrack.EUSAGE, "--jq %q: %v", expr, err)
		}
		if s, ok := v.(string); ok {
			if _, err := io.WriteString(w, s+"\n"); err != nil {
				return err
			}
			continue
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
}

func asHalt(err error, h **gojq.HaltError) bool {
	x, ok := err.(*gojq.HaltError)
	if ok {
		*h = x
	}
	return ok
}

// jqValue turns generic data into the values gojq takes.
func jqValue(v any) any {
	switch x := v.(type) {
	case Object:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = jqValue(f.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jqValue(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil && i >= math.MinInt && i <= math.MaxInt {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
