package awssim

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// APIError is a refusal in the shape the AWS API gives it: an error code and a message.
type APIError struct {
	Code    string // e.g. InvalidSubnet.Range
	Message string
}

func (e *APIError) Error() string { return "api error " + e.Code + ": " + e.Message }

func refuse(code, format string, args ...any) error {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func stringInput(m resource.PropertyMap, key string) string { return asString(lookup(m, key)) }

func numberInput(m resource.PropertyMap, key string) (float64, bool) {
	v := lookup(m, key)
	if v.IsNumber() {
		return v.NumberValue(), true
	}
	return 0, false
}

// boolInput reads a bool input, def when it is absent. Every caller passes false today, but def stays: the
// call site then says what an absent input means, which differs between AWS properties.
func boolInput(m resource.PropertyMap, key string, def bool) bool {
	v := lookup(m, key)
	if v.IsBool() {
		return v.BoolValue()
	}
	return def
}

func stringsInput(m resource.PropertyMap, key string) []string {
	v := lookup(m, key)
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if s := asString(unwrap(e)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func objectsInput(m resource.PropertyMap, key string) []resource.PropertyMap {
	v := lookup(m, key)
	if !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out
}

// known reports whether an input is present and fully known: during a preview, values computed from other
// resources' outputs are unknown, and AWS-side checks on them are left to the real deployment.
func known(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return ok && !v.IsNull() && !v.ContainsUnknowns()
}

// echo starts a resource's outputs from its inputs, as the AWS provider does for every argument it sends.
func echo(r *Resource, extra map[string]any) resource.PropertyMap {
	out := r.Inputs.Copy()
	if tags, ok := out["tags"]; ok {
		out["tagsAll"] = tags
	}
	for k, v := range extra {
		out[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	return out
}

// setDefault sets an output the API fills in when the program left it out.
func setDefault(out resource.PropertyMap, key string, v any) {
	if cur, ok := out[resource.PropertyKey(key)]; !ok || cur.IsNull() {
		out[resource.PropertyKey(key)] = resource.NewPropertyValue(v)
	}
}

// physicalID is an id in AWS's format: a prefix and 17 hex digits (vpc-0a1b2c3d4e5f67890).
func (s *Sim) physicalID(prefix string, r *Resource) string {
	return prefix + "-0" + s.hash(r.URN, 16)
}

// arn builds an ARN in this simulation's account.
func arn(service, region, resourcePart string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, AccountID, resourcePart)
}

// autoName is the physical name the provider gives a resource whose name the program left out: the logical
// name, a dash and seven random characters (here derived from the URN). maxLen is the service's limit.
func (s *Sim) autoName(r *Resource, key string, maxLen int) string {
	if n := stringInput(r.Inputs, key); n != "" {
		return n
	}
	if p := stringInput(r.Inputs, key+"Prefix"); p != "" {
		return p + s.hash(r.URN, 26)
	}
	base := r.Name
	if maxLen > 0 && len(base)+8 > maxLen {
		base = base[:maxLen-8]
	}
	return base + "-" + s.hash(r.URN, 7)
}

// parseCIDR parses an IPv4 CIDR as the EC2 API reads it: the address must be the network address.
func parseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 CIDR block", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set; the network address is %s", s, p.Masked())
	}
	return p, nil
}
