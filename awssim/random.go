package awssim

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The random provider's RandomPassword (pulumi-random, sdk/go/random/randomPassword.go): not AWS, but a
// provider programs pair with AWS resources, and a value that lives in the stack's state. The provider makes
// the value when the resource is created and "holds it steady until the inputs are changed" (Pulumi registry,
// Random Provider overview); every input forces a new value (RequiresReplace in the provider's schema).

func init() {
	models[randomPasswordType] = randomPasswordModel
}

const randomPasswordType = "random:index/randomPassword:RandomPassword"

// randomSpecial is the provider's default special character set ("!@#$%&*()-_=+[]{}<>:?").
const randomSpecial = "!@#$%&*()-_=+[]{}<>:?"

func randomPasswordModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	length, ok := numberInput(in, "length")
	if !ok {
		return "", nil, refuse("ValidationError", "the argument \"length\" is required")
	}
	class := func(flag, min, chars string) (string, float64) {
		n, _ := numberInput(in, min)
		if !boolInput(in, flag, true) {
			return "", n
		}
		return chars, n
	}
	special := randomSpecial
	if o := stringInput(in, "overrideSpecial"); o != "" {
		special = o
	}
	lower, minLower := class("lower", "minLower", "abcdefghijklmnopqrstuvwxyz")
	upper, minUpper := class("upper", "minUpper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	digits, minNumeric := class("numeric", "minNumeric", "0123456789")
	specials, minSpecial := class("special", "minSpecial", special)
	if length < 1 || length < minLower+minUpper+minNumeric+minSpecial {
		return "", nil, refuse("ValidationError", "length (%v) must be at least 1 and at least minUpper + "+
			"minLower + minNumeric + minSpecial (%v)", length, minLower+minUpper+minNumeric+minSpecial)
	}
	alphabet := lower + upper + digits + specials
	if alphabet == "" {
		return "", nil, refuse("ValidationError", "lower, upper, numeric and special are all false: there is "+
			"nothing to build the password from")
	}
	// Kept steady: the value derives from the resource's address and its inputs, so the same inputs give the
	// same password on every run (as the state would), and a changed input gives a new one (as a replacement
	// would).
	seed := r.URN + "/" + canonicalInputs(in)
	var b strings.Builder
	pick := func(chars string, n float64, round int) {
		raw, _ := hex.DecodeString(s.hash(fmt.Sprintf("%s/%d", seed, round), 64)) // hex by construction
		for i := 0; i < int(n); i++ {
			b.WriteByte(chars[int(raw[i%len(raw)])%len(chars)])
		}
	}
	pick(lower, minLower, 1)
	pick(upper, minUpper, 2)
	pick(digits, minNumeric, 3)
	pick(specials, minSpecial, 4)
	for round := 5; b.Len() < int(length); round++ {
		pick(alphabet, minFloat(32, length-float64(b.Len())), round)
	}
	result := b.String()
	out := echo(r, nil)
	out["result"] = resource.MakeSecret(resource.NewProperty(result))
	out["bcryptHash"] = resource.MakeSecret(resource.NewProperty("$2a$10$" + s.hash(seed+"/bcrypt", 53)))
	for _, k := range []string{"lower", "upper", "numeric", "special"} {
		setDefault(out, k, true)
	}
	for _, k := range []string{"minLower", "minUpper", "minNumeric", "minSpecial"} {
		setDefault(out, k, 0)
	}
	return s.hash(seed, 16), out, nil
}

func minFloat(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// canonicalInputs renders inputs in key order, so a seed does not depend on map order.
func canonicalInputs(m resource.PropertyMap) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, m[resource.PropertyKey(k)])
	}
	return b.String()
}
