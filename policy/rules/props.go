package rules

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Reading inputs the way a preview delivers them: absent (the default applies), unknown (computed from a
// resource that does not exist yet), or known. Secrets are flags on a value and read like any other.

// get follows a dotted path ("metadataOptions.httpTokens"); a numeric segment indexes an array. It returns
// null when any step is absent, and the computed value itself when a step is unknown.
func get(m property.Map, path string) property.Value {
	v := property.New(m)
	for _, part := range strings.Split(path, ".") {
		switch {
		case v.IsComputed():
			return v
		case v.IsMap():
			v = v.AsMap().Get(part)
		case v.IsArray():
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= v.AsArray().Len() {
				return property.Value{}
			}
			v = v.AsArray().Get(i)
		default:
			return property.Value{}
		}
	}
	return v
}

// prop reads one input of a resource by dotted path.
func prop(r policyx.AnalyzerResource, path string) property.Value { return get(r.Properties, path) }

// truth reads a boolean that may also arrive as "true"/"false" (launch templates type some as strings). known
// is false when the value is unknown; an absent value is a known false.
func truth(v property.Value) (value, known bool) {
	switch {
	case v.IsComputed():
		return false, false
	case v.IsBool():
		return v.AsBool(), true
	case v.IsString():
		b, _ := strconv.ParseBool(v.AsString())
		return b, true
	}
	return false, true
}

// isTrue reports a known true.
func isTrue(v property.Value) bool { b, known := truth(v); return known && b }

// knownFalse reports a value that is known and not true (absent included): the violation case of a
// "must be true" rule.
func knownFalse(v property.Value) bool { b, known := truth(v); return known && !b }

// str reads a string; known is false when it is unknown.
func str(v property.Value) (s string, known bool) {
	switch {
	case v.IsComputed():
		return "", false
	case v.IsString():
		return v.AsString(), true
	}
	return "", true
}

// num reads a number; present is false when the value is absent, known false when it is unknown.
func num(v property.Value) (n float64, present, known bool) {
	switch {
	case v.IsComputed():
		return 0, true, false
	case v.IsNumber():
		return v.AsNumber(), true, true
	case v.IsString():
		f, err := strconv.ParseFloat(v.AsString(), 64)
		return f, err == nil, true
	}
	return 0, false, true
}

// set reports whether a value is present: known and non-empty, or unknown (a computed id or ARN will be set).
func set(v property.Value) bool {
	switch {
	case v.IsComputed():
		return true
	case v.IsString():
		return v.AsString() != ""
	case v.IsArray():
		return v.AsArray().Len() > 0
	case v.IsMap():
		return v.AsMap().Len() > 0
	}
	return !v.IsNull()
}

// items returns an array's elements; nil for anything else (an unknown array included: check with
// IsComputed first where that matters).
func items(v property.Value) []property.Value {
	if v.IsArray() {
		return v.AsArray().AsSlice()
	}
	return nil
}

// stringsOf returns the known strings of an array; unknown elements are left out and reported by partial.
func stringsOf(v property.Value) (out []string, partial bool) {
	if v.IsComputed() {
		return nil, true
	}
	for _, e := range items(v) {
		if s, known := str(e); known {
			out = append(out, s)
		} else {
			partial = true
		}
	}
	return out, partial
}

// region is where a resource lives: its provider's region input. Empty when unknown.
func region(r policyx.AnalyzerResource) string {
	s, _ := str(r.Provider.Properties.Get("region"))
	return s
}

// tagsOf returns a resource's effective tags: the provider's defaultTags under the resource's own. Tag
// values that are unknown read as "". Auto Scaling groups carry tags as a list of {key, value}.
func tagsOf(r policyx.AnalyzerResource) map[string]string {
	out := map[string]string{}
	for k, v := range defaultTags(r.Provider.Properties) {
		out[k] = v
	}
	tags := r.Properties.Get("tags")
	switch {
	case tags.IsMap():
		for k, v := range tags.AsMap().All {
			s, _ := str(v)
			out[k] = s
		}
	case tags.IsArray():
		for _, t := range items(tags) {
			if !t.IsMap() {
				continue
			}
			if k, known := str(t.AsMap().Get("key")); known && k != "" {
				out[k], _ = str(t.AsMap().Get("value"))
			}
		}
	}
	return out
}

// tagsUnknown reports whether the tags input is unknown as a whole: a preview cannot tell which tags it
// will hold, so tag rules stay silent.
func tagsUnknown(r policyx.AnalyzerResource) bool { return r.Properties.Get("tags").IsComputed() }

// defaultTags reads the AWS provider's defaultTags.tags, which the engine may send as an object or as the
// JSON text the provider's configuration takes.
func defaultTags(provider property.Map) map[string]string {
	out := map[string]string{}
	dt := provider.Get("defaultTags")
	if dt.IsString() {
		var decoded struct {
			Tags map[string]string `json:"tags"`
		}
		if json.Unmarshal([]byte(dt.AsString()), &decoded) == nil {
			return decoded.Tags
		}
		return out
	}
	tags := get(provider, "defaultTags.tags")
	if tags.IsMap() {
		for k, v := range tags.AsMap().All {
			out[k], _ = str(v)
		}
	}
	return out
}

// deps returns the URNs an input was computed from: the engine's PropertyDependencies for that top-level
// input, plus any dependencies carried on the value itself.
func deps(r policyx.AnalyzerResource, input string) []string {
	out := append([]string(nil), r.PropertyDependencies[input]...)
	var walk func(v property.Value)
	walk = func(v property.Value) {
		for _, u := range v.Dependencies() {
			out = append(out, string(u))
		}
		switch {
		case v.IsArray():
			for _, e := range items(v) {
				walk(e)
			}
		case v.IsMap():
			for _, e := range v.AsMap().All {
				walk(e)
			}
		}
	}
	walk(r.Properties.Get(input))
	slices.Sort(out)
	return slices.Compact(out)
}

// dependsOn reports whether an input of r was computed from the resource urn.
func dependsOn(r policyx.AnalyzerResource, input, urn string) bool {
	return slices.Contains(deps(r, input), urn)
}

// ofType returns the resources of any of the type tokens, in their given order.
func ofType(rs []policyx.AnalyzerResource, types ...string) []policyx.AnalyzerResource {
	var out []policyx.AnalyzerResource
	for _, r := range rs {
		if slices.Contains(types, r.Type) {
			out = append(out, r)
		}
	}
	return out
}

// byURN indexes resources by URN.
func byURN(rs []policyx.AnalyzerResource) map[string]policyx.AnalyzerResource {
	out := make(map[string]policyx.AnalyzerResource, len(rs))
	for _, r := range rs {
		out[r.URN] = r
	}
	return out
}
