package plan

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// How values read in the plan: one line where they fit, secrets masked, values known only after apply said
// so, and documents (IAM policies, dashboards, user data) as indented text a reviewer can diff line by line.

// short renders a value on one line, cut at a width a reviewer reads at a glance.
func short(v resource.PropertyValue) string {
	s := oneLine(v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func oneLine(v resource.PropertyValue) string {
	switch {
	case v.V == nil || v.IsNull():
		return "(none)"
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
		return "(known after apply)"
	case v.IsOutput():
		if v.OutputValue().Secret {
			return "[secret]"
		}
		return oneLine(v.OutputValue().Element)
	case v.IsString():
		return strconv.Quote(v.StringValue())
	case v.IsBool():
		return strconv.FormatBool(v.BoolValue())
	case v.IsNumber():
		return strconv.FormatFloat(v.NumberValue(), 'f', -1, 64)
	case v.IsArray():
		parts := make([]string, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			parts = append(parts, oneLine(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case v.IsObject():
		obj := v.ObjectValue()
		parts := make([]string, 0, len(obj))
		for _, k := range obj.StableKeys() {
			parts = append(parts, string(k)+": "+oneLine(obj[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	default:
		return v.TypeString()
	}
}

// document returns the lines of a value that reads better as a document: a JSON string pretty-printed,
// base64 user data decoded, any multi-line string split. ok is false for everything else.
func document(key string, v resource.PropertyValue) (lines []string, ok bool) {
	if v.IsSecret() || !v.IsString() {
		return nil, false
	}
	s := v.StringValue()
	if key == "userData" {
		if b, err := base64.StdEncoding.DecodeString(s); err == nil && utf8.Valid(b) {
			return strings.Split(strings.TrimRight(string(b), "\n"), "\n"), true
		}
	}
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		var b bytes.Buffer
		if json.Valid([]byte(t)) && json.Indent(&b, []byte(t), "", "  ") == nil {
			return strings.Split(b.String(), "\n"), true
		}
	}
	if strings.Contains(s, "\n") {
		return strings.Split(strings.TrimRight(s, "\n"), "\n"), true
	}
	return nil, false
}

// lineDiff compares two documents line by line (a longest-common-subsequence diff) and keeps context lines
// around each change, as a unified diff does: "  " same, "- " old, "+ " new, "  ..." for lines skipped.
func lineDiff(old, new []string, context int) []string {
	n, m := len(old), len(new)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i] == new[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		mark string
		text string
	}
	var all []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && old[i] == new[j]:
			all = append(all, line{"  ", old[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			all = append(all, line{"- ", old[i]}) // what goes, then what comes, as in a unified diff
			i++
		default:
			all = append(all, line{"+ ", new[j]})
			j++
		}
	}
	keep := make([]bool, len(all))
	for k, l := range all {
		if l.mark != "  " {
			for c := max(0, k-context); c <= min(len(all)-1, k+context); c++ {
				keep[c] = true
			}
		}
	}
	var out []string
	skipped := false
	for k, l := range all {
		if !keep[k] {
			skipped = true
			continue
		}
		if skipped {
			out = append(out, "  ...")
			skipped = false
		}
		out = append(out, l.mark+l.text)
	}
	if skipped {
		out = append(out, "  ...")
	}
	return out
}

// valueAt reads a property path ("tags.Name", "ingress[0].fromPort") from inputs; absent is the zero value.
func valueAt(m resource.PropertyMap, path string) resource.PropertyValue {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		return resource.PropertyValue{}
	}
	v, ok := p.Get(resource.NewObjectProperty(m))
	if !ok {
		return resource.PropertyValue{}
	}
	return v
}

// commonTags finds the tags every tagged resource carries with the same value: shown once at the top of a
// plan rather than on every resource.
func commonTags(maps []resource.PropertyMap) map[string]string {
	var common map[string]string
	for _, m := range maps {
		tags := m["tags"]
		if tags.IsSecret() || !tags.IsObject() {
			continue
		}
		these := map[string]string{}
		for k, v := range tags.ObjectValue() {
			if v.IsString() {
				these[string(k)] = v.StringValue()
			}
		}
		if common == nil {
			common = these
			continue
		}
		for k, v := range common {
			if these[k] != v {
				delete(common, k)
			}
		}
	}
	return common
}

// withoutTags returns the inputs with the common tags taken out of tags (and tags gone when nothing is left).
func withoutTags(m resource.PropertyMap, common map[string]string) resource.PropertyMap {
	tags := m["tags"]
	if len(common) == 0 || !tags.IsObject() {
		return m
	}
	rest := resource.PropertyMap{}
	for k, v := range tags.ObjectValue() {
		if c, ok := common[string(k)]; !ok || !v.IsString() || v.StringValue() != c {
			rest[k] = v
		}
	}
	out := m.Copy()
	if len(rest) == 0 {
		delete(out, "tags")
	} else {
		out["tags"] = resource.NewObjectProperty(rest)
	}
	return out
}

// formatTags renders tags as "Key=value, ..." sorted by key.
func formatTags(tags map[string]string) string {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%s", k, tags[k]))
	}
	return strings.Join(parts, ", ")
}
