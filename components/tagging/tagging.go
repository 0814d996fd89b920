// Package tagging builds the tags every resource of the kit carries: the caller's tags (the stack passes
// Project, Environment and ManagedBy, which the policy pack requires), a Name tag a console user can read,
// and any extra pairs such as a subnet's Tier.
package tagging

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Merge returns base plus Name=name plus the extra key/value pairs, in that order of precedence.
func Merge(base map[string]string, name string, extra ...string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range base {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	for i := 0; i+1 < len(extra); i += 2 {
		out[extra[i]] = pulumi.String(extra[i+1])
	}
	return out
}
