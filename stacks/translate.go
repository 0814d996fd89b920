package stacks

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Components speak Go: their messages name Args fields (MinSize, HealthCheck.Interval) and fixes a Go caller
// can apply. A stack user meets the same checks through the stack file, so the stack translates each message
// into the file's words: the Go field paths become the keys that set them, and fixes only Go could apply are
// rewritten into ones the file can express. tests/stack_translate_test.go drives every component check a
// stack file can reach and fails on a message that still names a Go field.

// keys maps a component's Go field paths to the stack keys that set them; "[]" stands for any list index.
type keys map[string]string

// goPath matches a Go field path as component messages write it: HealthCheck.Interval,
// ScheduledActions[0].TimeZone, Thresholds.ALB5XXPerMinute, MinSize.
var goPath = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*(?:\[\d+\])?(?:\.[A-Z][A-Za-z0-9]*(?:\[\d+\])?)*`)

var index = regexp.MustCompile(`\[(\d+)\]`)

// camel tells a field name (MaxSize, HostedZoneID) from a capitalised word or initialism (Route, CIDR, AWS).
var camel = regexp.MustCompile(`[a-z0-9][A-Z]`)

// rewrites turn fixes that only a Go caller could apply into the stack file's terms, before field paths are
// translated.
var rewrites = []struct {
	re   *regexp.Regexp
	with string
}{
	// The stack has no switch for Performance Insights: a class that has it is the fix.
	{regexp.MustCompile(`, or set DisablePerformanceInsights`), ""},
	{regexp.MustCompile(`or leave it empty for Amazon Linux 2023`), "or remove the key for Amazon Linux 2023"},
	{regexp.MustCompile(`^WarmPool and Spot are both set`), "WarmPool and kit:web.spot are both set"},
	{regexp.MustCompile(`use 0 for the default or a positive (\w+)`), "use a positive $1, or remove the key for the default"},
	{regexp.MustCompile(`^OpenSearch\.PrivateSubnets cover (\d+) AZ\(s\) \(([^)]*)\) but AZCount is (\d+).*$`),
		"OpenSearch.AZCount $3 is more than the $1 AZ(s) the network spans ($2): lower it, or raise kit:network.azCount"},
	{regexp.MustCompile(`, or none and AWS picks them`), ", or remove the key and AWS picks them"},
	{regexp.MustCompile(`leave it empty and name the database as the schema of the table rules`),
		"remove the key and name the database as the schema of kit:migration.tables"},
	{regexp.MustCompile(`the VPN's OnPremCIDRs`), "OnPremCIDRs"},
	{regexp.MustCompile(`^(PublicSubnets|PrivateSubnets|DataSubnets) cover (\d+) (?:AZ|availability zone)\(s\).*$`),
		"the network spans $2 AZ(s), and the load balancer and the database need two: raise kit:network.azCount to 2 or more"},
}

// problemsOf splits a component's error into its problems: one per line, without the component's header
// ("database \"primary\": invalid arguments:") and bullets.
func problemsOf(err error) []string {
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasSuffix(line, ":") && (strings.Contains(line, "invalid arguments") ||
			strings.Contains(line, "with the arguments")):
		default:
			line = strings.TrimPrefix(line, "- ")
			out = append(out, strings.TrimPrefix(line, "webtier: "))
		}
	}
	return out
}

// productNames are field names that are also the names of AWS features, and mean the feature when they are
// not a problem's subject: "not an OpenSearch instance type".
var productNames = map[string]bool{"OpenSearch": true, "Spot": true, "Prometheus": true, "Grafana": true}

// translate turns a component's error into problems in the stack file's words. A problem whose subject is a
// key the file leaves out says so: the value it names is the default, not one the user wrote.
func translate(err error, k keys, set func(key string) bool) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, p := range problemsOf(err) {
		for _, r := range rewrites {
			p = r.re.ReplaceAllString(p, r.with)
		}
		var b strings.Builder
		var context []string // the problem's subject and its parent: "its MaxSize" is the subject's sibling
		subject := ""
		last := 0
		for _, m := range goPath.FindAllStringIndex(p, -1) {
			path := p[m[0]:m[1]]
			b.WriteString(p[last:m[0]])
			last = m[1]
			key := ""
			if m[0] == 0 {
				key = k.lookup(path, nil, true)
				subject = key
				context = []string{path}
				if i := strings.LastIndexByte(path, '.'); i > 0 {
					context = append(context, path[:i])
				}
			} else {
				// A lone word (CIDR, Region, OpenSearch) elsewhere in the sentence is a field only as a
				// sibling of the subject, or when it is field-shaped (MaxSize) and not a feature's name.
				lone := !strings.ContainsAny(path, ".[")
				top := !lone || camel.MatchString(path) && !productNames[path]
				key = k.lookup(path, context, top)
			}
			if key == "" {
				key = path
			}
			b.WriteString(key)
		}
		b.WriteString(p[last:])
		if subject != "" && !set(subject) {
			fmt.Fprintf(&b, " (%s is not set in the stack file: the value is its default)", subject)
		}
		out = append(out, b.String())
	}
	return out
}

// lookup finds the key of a Go path: relative to each context path first, then (if top) as it stands.
func (k keys) lookup(path string, context []string, top bool) string {
	var candidates []string
	if !strings.Contains(path, ".") {
		for _, c := range context {
			candidates = append(candidates, c+"."+path)
		}
	}
	if top {
		candidates = append(candidates, path)
	}
	for _, c := range candidates {
		key, ok := k[index.ReplaceAllString(c, "[]")]
		if !ok {
			continue
		}
		for _, m := range index.FindAllStringSubmatch(c, -1) {
			key = strings.Replace(key, "[]", "["+m[1]+"]", 1)
		}
		return key
	}
	return ""
}

// keysOfSection maps the Go field paths of a section's config type to their keys under section. The stack's
// config types name their fields as the component's Args do (WebConfig.MinSize for webtier.Args.MinSize,
// HealthCheckConfig.Path for webtier.HealthCheck.Path), so this one table translates that component's
// messages. A field that maps elsewhere is added by the caller.
func keysOfSection(section string, t reflect.Type) keys {
	k := keys{}
	var walk func(goPrefix, keyPrefix string, t reflect.Type)
	walk = func(goPrefix, keyPrefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			key := keyOf(f)
			if key == "" {
				continue
			}
			goPath, keyPath := goPrefix+f.Name, keyPrefix+key
			k[goPath] = keyPath
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice {
				goPath, keyPath = goPath+"[]", keyPath+"[]"
				k[goPath] = keyPath
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(goPath+".", keyPath+".", ft)
			}
		}
	}
	walk("", section+".", t)
	return k
}

// sets reports whether the stack file sets the key at path ("kit:web.healthCheck.interval",
// "kit:web.scheduledActions[0].name"): a problem about a key the file leaves out is about its default.
func (cfg *Config) sets(path string) bool {
	rest, ok := strings.CutPrefix(path, Namespace+":")
	if !ok {
		return true // aws:region and the like: set, or refused as unset earlier
	}
	v := reflect.ValueOf(cfg).Elem()
	for _, part := range strings.Split(rest, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return false
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return true
		}
		i := fieldIndex(v.Type(), name)
		if i < 0 {
			return true
		}
		v = v.Field(i)
		if indexed {
			n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err != nil || v.Kind() != reflect.Slice || n >= v.Len() {
				return false
			}
			v = v.Index(n)
		}
	}
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice {
		return !v.IsNil()
	}
	return true
}
