package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/migration-kit/kit/components/suggest"
)

// The stack file's decoder. The engine hands the program each kit: key as a string: a section (an object in
// the YAML file) as JSON, a plain value as its text. encoding/json would match keys case-insensitively
// (maxsize, CIDR), name Go types in its errors ("should be a int") and stop at the first problem, so the
// sections are decoded here against the Config types: keys match exactly, every problem is collected, and
// each names its full key path, the value as written and, in YAML's words, what the key takes.

// decoded is the outcome of decoding the kit: keys.
type decoded struct {
	problems []string
	// bad holds the sections (network, web, ...) with a problem: their semantic checks and components do not
	// run, so one mistake is reported once, not again as the cascade of a value left unset.
	bad map[string]bool
}

// decodeConfig decodes the raw kit: values (key without namespace -> value; absent keys are missing).
func decodeConfig(raw map[string]*string) (*Config, *decoded) {
	c := &Config{}
	d := &decoded{bad: map[string]bool{}}
	v := reflect.ValueOf(c).Elem()
	for i := 0; i < v.NumField(); i++ {
		key := keyOf(v.Type().Field(i))
		text, ok := raw[key]
		if key == "" || !ok {
			continue
		}
		before := len(d.problems)
		path := Namespace + ":" + key
		field := v.Field(i)
		if field.Kind() == reflect.String {
			// A plain top-level value arrives as its text.
			field.SetString(*text)
			continue
		}
		var parsed any
		dec := json.NewDecoder(bytes.NewReader([]byte(*text)))
		dec.UseNumber()
		if err := dec.Decode(&parsed); err != nil {
			// Not JSON: the file gave a plain value where a section belongs.
			parsed = *text
		}
		d.value(path, parsed, field)
		if len(d.problems) > before {
			d.bad[key] = true
		}
	}
	return c, d
}

// keyOf is a field's key in the stack file: its json tag, or "" for a field that is not a key.
func keyOf(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// keysOf lists the keys of a section type, in declaration order.
func keysOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if k := keyOf(t.Field(i)); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func (d *decoded) add(format string, args ...any) {
	d.problems = append(d.problems, fmt.Sprintf(format, args...))
}

// value decodes parsed (from JSON with UseNumber) into v, the field at path.
func (d *decoded) value(path string, parsed any, v reflect.Value) {
	if parsed == nil {
		d.add("%s has no value: give it one, or remove the key for the default", path)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		before := len(d.problems)
		d.value(path, parsed, elem.Elem())
		// A scalar that failed stays unset, so nothing else complains about it; a group with one bad
		// setting keeps its good ones.
		if len(d.problems) == before || elem.Elem().Kind() == reflect.Struct {
			v.Set(elem)
		}
	case reflect.Struct:
		obj, ok := parsed.(map[string]any)
		if !ok {
			d.add("%s %s should be %s, not a single value", path, written(parsed), yamlWords(v.Type()))
			return
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		known := keysOf(v.Type())
		for _, k := range keys {
			i := fieldIndex(v.Type(), k)
			if i < 0 {
				d.add("%s", unknownKey(path+"."+k, k, known, path))
				continue
			}
			d.value(path+"."+k, obj[k], v.Field(i))
		}
	case reflect.Slice:
		list, ok := parsed.([]any)
		if !ok {
			d.add("%s %s should be %s", path, written(parsed), yamlWords(v.Type()))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(list), len(list))
		for i, item := range list {
			d.value(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		switch x := parsed.(type) {
		case string:
			v.SetString(x)
		case json.Number:
			d.add("%s %s is a number, but it is text: quote it, %s: \"%s\" (unquoted, YAML also turns a "+
				"version such as 8.0 into the number 8)", path, x, lastKey(path), x)
		default:
			d.add("%s %s should be %s", path, written(parsed), yamlWords(v.Type()))
		}
	case reflect.Int, reflect.Int64:
		n, ok := parsed.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil || v.Kind() == reflect.Int && (i > math.MaxInt32 || i < math.MinInt32) {
			d.add("%s %s should be %s, e.g. %s: 3", path, written(parsed), yamlWords(v.Type()), lastKey(path))
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		n, ok := parsed.(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			d.add("%s %s should be %s, e.g. %s: 80", path, written(parsed), yamlWords(v.Type()), lastKey(path))
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		b, ok := parsed.(bool)
		if !ok {
			d.add("%s %s should be %s (YAML's true and false, unquoted)", path, written(parsed), yamlWords(v.Type()))
			return
		}
		v.SetBool(b)
	default:
		panic(fmt.Sprintf("stacks: the config type at %s has a kind (%s) the decoder does not handle", path, v.Kind()))
	}
}

// fieldIndex finds the field whose key is exactly k, or -1: keys are case-sensitive, as the SDK's lookups.
func fieldIndex(t reflect.Type, k string) int {
	for i := 0; i < t.NumField(); i++ {
		if keyOf(t.Field(i)) == k {
			return i
		}
	}
	return -1
}

// yamlWords says what a type takes, in the words of a YAML file rather than of Go.
func yamlWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return yamlWords(t.Elem())
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings (one \"- value\" line each)"
		}
		return "a list of settings groups (each item a \"- key: value\" block)"
	case reflect.Struct:
		return fmt.Sprintf("a group of settings indented under the key (%s)", strings.Join(keysOf(t), ", "))
	}
	return t.String()
}

// written renders a parsed value as the file wrote it, near enough to recognise.
func written(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func lastKey(path string) string {
	k := path[strings.LastIndexAny(path, ".:")+1:]
	if i := strings.IndexByte(k, '['); i >= 0 {
		k = k[:i]
	}
	return k
}

// unknownKey is the message for a key no section has, with the nearest known key.
func unknownKey(path, key string, known []string, parent string) string {
	msg := fmt.Sprintf("unknown config key %q", path)
	if s := suggest.Nearest(key, known); s != "" {
		if strings.EqualFold(s, key) {
			msg += fmt.Sprintf(": keys are case-sensitive; did you mean %q?", s)
		} else {
			msg += fmt.Sprintf(": did you mean %q?", s)
		}
	}
	return msg + fmt.Sprintf(" %s takes %s", parent, strings.Join(known, ", "))
}
