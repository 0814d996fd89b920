package tests

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/stacks"
)

// randomConfig is a stack file drawn from the ranges the README's configuration table documents: section ->
// key -> value (nested groups as maps).
type randomConfig struct {
	region   string
	sections map[string]map[string]any
}

func (c randomConfig) yaml() string {
	var b strings.Builder
	b.WriteString("config:\n  aws:region: " + c.region + "\n")
	names := make([]string, 0, len(c.sections))
	for s := range c.sections {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		fmt.Fprintf(&b, "  kit:%s:\n", s)
		writeYAML(&b, c.sections[s], "    ")
	}
	return b.String()
}

func writeYAML(b *strings.Builder, m map[string]any, indent string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := m[k].(type) {
		case map[string]any:
			fmt.Fprintf(b, "%s%s:\n", indent, k)
			writeYAML(b, v, indent+"  ")
		case string:
			fmt.Fprintf(b, "%s%s: %q\n", indent, k, v)
		default:
			fmt.Fprintf(b, "%s%s: %v\n", indent, k, v)
		}
	}
}

func pick[T any](r *rand.Rand, options ...T) T { return options[r.IntN(len(options))] }

// drawConfig draws one stack file. Each key is set or left out at random; set keys take values inside the
// documented ranges, so any refusal comes from keys that depend on each other.
func drawConfig(r *rand.Rand) randomConfig {
	c := randomConfig{region: pick(r, "us-east-1", "us-west-2", "eu-west-1", "eu-west-3", "ap-southeast-2", "sa-east-1", "me-central-1"),
		sections: map[string]map[string]any{}}
	maybe := func(section, key string, v any) {
		if r.IntN(2) == 0 {
			if c.sections[section] == nil {
				c.sections[section] = map[string]any{}
			}
			c.sections[section][key] = v
		}
	}
	bits := 16 + r.IntN(10) // /16 to /25
	maybe("network", "cidr", fmt.Sprintf("10.%d.0.0/%d", r.IntN(100)*2, bits))
	maybe("network", "azCount", 2+r.IntN(2))
	maybe("network", "natStrategy", pick(r, "none", "single", "per-az"))
	maybe("network", "flowLogRetentionDays", pick(r, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365))
	maybe("web", "instanceType", pick(r, "t3.micro", "t3.small", "t4g.micro", "m6i.large", "m7g.large", "c7g.large"))
	min := r.IntN(4)
	maybe("web", "minSize", min)
	maybe("web", "maxSize", 1+r.IntN(12))
	maybe("web", "appPort", 1024+r.IntN(60000))
	maybe("web", "cpuTargetPercent", 20+r.IntN(80))
	maybe("web", "requestsPerTarget", 100+r.IntN(2000))
	maybe("web", "healthCheck", map[string]any{"path": pick(r, "/health", "/", "/status/ok"),
		"interval": 5 + r.IntN(296), "timeout": 2 + r.IntN(119)})
	engine := pick(r, "postgres", "mysql")
	maybe("database", "engine", engine)
	if engine == "postgres" {
		maybe("database", "engineVersion", pick(r, "14", "15", "16", "17"))
	} else {
		maybe("database", "engineVersion", pick(r, "8.0", "8.4"))
	}
	maybe("database", "instanceClass", pick(r, "db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.m7g.large", "db.r6g.large"))
	maybe("database", "allocatedStorageGb", 20+r.IntN(500))
	maybe("database", "backupRetentionDays", 1+r.IntN(35))
	maybe("database", "multiAz", r.IntN(2) == 0)
	if r.IntN(3) == 0 {
		c.sections["dr"] = map[string]any{"enabled": true,
			"region":     pick(r, "us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1", "ca-central-1"),
			"cidr":       fmt.Sprintf("10.%d.0.0/16", 1+r.IntN(100)*2),
			"rpoSeconds": 300 + r.IntN(3000),
			"strategy":   pick(r, "pilot-light", "warm-standby")}
		maybe("dr", "azCount", 2+r.IntN(2))
		maybe("dr", "natStrategy", pick(r, "none", "single", "per-az"))
	}
	maybe("monitoring", "thresholds", map[string]any{"instanceCpuPercent": 50 + r.IntN(49), "dbConnections": 10 + r.IntN(500)})
	return c
}

// fixes apply the fix a refusal states, read from the message itself: each pattern is a fix the message
// offers in the stack file's words.
var fixes = []struct {
	re    *regexp.Regexp
	apply func(c *randomConfig, m []string)
}{
	{regexp.MustCompile(`kit:(network|dr)\.azCount (\d+) does not fit .* room for (\d+) AZs .*fewer AZs`), func(c *randomConfig, m []string) {
		n, _ := strconv.Atoi(m[3])
		c.sections[m[1]]["azCount"] = n
	}},
	{regexp.MustCompile(`kit:web\.minSize (\d+) is greater than kit:web\.maxSize \d+: raise kit:web\.maxSize`), func(c *randomConfig, m []string) {
		n, _ := strconv.Atoi(m[1])
		c.sections["web"]["maxSize"] = n
	}},
	{regexp.MustCompile(`kit:web\.healthCheck\.timeout \d+ is not less than kit:web\.healthCheck\.interval (\d+): lower the timeout`), func(c *randomConfig, m []string) {
		n, _ := strconv.Atoi(m[1])
		c.sections["web"]["healthCheck"].(map[string]any)["timeout"] = max(2, min(n-1, 120))
	}},
	{regexp.MustCompile(`kit:(?:database|dr\.replica)\.?[a-zA-Z]*\.?instanceClass "[^"]+" has no Performance Insights for mysql: use (db\.[a-z0-9]+\.[a-z0-9]+) or larger`), func(c *randomConfig, m []string) {
		c.sections["database"]["instanceClass"] = m[1]
	}},
	{regexp.MustCompile(`kit:database\.engineVersion "[^"]+" is not offered for \w+: use one of ([0-9.]+)`), func(c *randomConfig, m []string) {
		c.sections["database"]["engineVersion"] = m[1]
	}},
	{regexp.MustCompile(`kit:dr\.cidr \S+ overlaps .*use e\.g\. (\S+)`), func(c *randomConfig, m []string) { c.sections["dr"]["cidr"] = m[1] }},
	{regexp.MustCompile(`kit:dr\.region "\S+" is the primary region \(aws:region\).* e\.g\. (\S+)`), func(c *randomConfig, m []string) {
		c.sections["dr"]["region"] = m[1]
	}},
}

var mandatory = regexp.MustCompile(`\[mandatory\] ([a-z0-9-]+): .*\((urn:[^)]*)\)`)

// policyFixes apply the fix stacks.PolicyFix states, by the key it names.
var policyFixes = map[string]func(c *randomConfig){
	"kit:database.backupRetentionDays": func(c *randomConfig) { c.sections["database"]["backupRetentionDays"] = 7 },
	"kit:network.flowLogs":             func(c *randomConfig) { c.sections["network"]["flowLogs"] = true },
	"kit:database.multiAz":             func(c *randomConfig) { c.sections["database"]["multiAz"] = true },
}

// TestFortyRandomStackFilesPlanOrAreRefusedWithAFixThatWorks draws 40 stack files from the documented
// ranges with a fixed seed. Each plans, or is refused with problems that each name a key and state a fix;
// applying those fixes must give a stack file that plans.
func TestFortyRandomStackFilesPlanOrAreRefusedWithAFixThatWorks(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	r := rand.New(rand.NewPCG(2026, 12))
	planned, fixed := 0, 0
	for i := 0; i < 40; i++ {
		c := drawConfig(r)
		drawn := c.yaml()
		// A refusal of the configuration comes first, the policy pack's after: at most one round of each.
		for round := 0; ; round++ {
			status, stdout, stderr := planMain(t, copyProject(t, map[string]string{"s": c.yaml()}), "s")
			if status == 0 {
				if round == 0 {
					planned++
				} else {
					fixed++
				}
				break
			}
			require.Less(t, round, 2, "config %d: applying the stated fixes must make it plan:\n%s\nfixed:\n%s\n%s%s",
				i, drawn, c.yaml(), stdout, stderr)
			switch status {
			case 1:
				// Refused by the policy pack: each mandatory violation names the key that fixes it.
				for _, m := range mandatory.FindAllStringSubmatch(stdout, -1) {
					fix := stacks.PolicyFix(m[1], m[2])
					applied := false
					for key, apply := range policyFixes {
						if strings.Contains(fix, key) {
							apply(&c)
							applied = true
						}
					}
					require.True(t, applied, "config %d: violation %s has no fix in the stack file's words (%q)", i, m[0], fix)
				}
			case 2:
				require.Contains(t, stderr, "stack configuration is invalid", "config %d:\n%s\n%s", i, c.yaml(), stderr)
				for _, line := range strings.Split(stderr, "\n") {
					line, ok := strings.CutPrefix(strings.TrimSpace(line), "- ")
					if !ok {
						continue
					}
					applied := false
					for _, f := range fixes {
						if m := f.re.FindStringSubmatch(line); m != nil {
							f.apply(&c, m)
							applied = true
						}
					}
					require.True(t, applied, "config %d: no fix stated in the stack file's words: %q\n%s", i, line, c.yaml())
				}
			default:
				t.Fatalf("config %d: exit status %d:\n%s\n%s", i, status, c.yaml(), stderr)
			}
		}
	}
	t.Logf("%d of 40 planned as drawn, %d after applying the fixes their refusals stated", planned, fixed)
	assert.Equal(t, 40, planned+fixed)
}
