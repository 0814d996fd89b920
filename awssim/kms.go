package awssim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// KMS: customer-managed keys and their aliases. Keys are regional; every service that encrypts with one
// (RDS, Secrets Manager, backups, SNS) checks that the key is in its own region (see rds.go), and KMS
// checks the key policy when the key is created.

func init() {
	models["aws:kms/key:Key"] = kmsKeyModel
	models["aws:kms/alias:Alias"] = kmsAliasModel
}

// uuidFrom formats the key's hash as a version-4 UUID, the shape of KMS key ids and many others.
func (s *Sim) uuidFrom(key string) string {
	h := s.hash(key, 32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// policyStatement is one statement of an IAM-style policy, with the fields that take a string or a list
// normalised to lists.
type policyStatement struct {
	Sid       string
	Effect    string
	Principal map[string][]string // "AWS" / "Service" to values; "*" alone becomes {"AWS": ["*"]}
	Action    []string
	Resource  []string
	Condition map[string]map[string]any
}

// parsePolicy reads a policy document into statements; a malformed one gives an error.
func parsePolicy(doc string) ([]policyStatement, error) {
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		list = []json.RawMessage{raw.Statement}
	}
	var out []policyStatement
	for _, r := range list {
		var st struct {
			Sid       string
			Effect    string
			Principal json.RawMessage
			Action    json.RawMessage
			Resource  json.RawMessage
			Condition map[string]map[string]any
		}
		if err := json.Unmarshal(r, &st); err != nil {
			return nil, err
		}
		p := policyStatement{Sid: st.Sid, Effect: st.Effect, Condition: st.Condition,
			Action: stringOrList(st.Action), Resource: stringOrList(st.Resource), Principal: map[string][]string{}}
		var star string
		if json.Unmarshal(st.Principal, &star) == nil {
			p.Principal["AWS"] = []string{star}
		} else {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(st.Principal, &m)
			for k, v := range m {
				p.Principal[k] = stringOrList(v)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func stringOrList(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// actionAllowed reports whether a statement's actions cover action, wildcards included (kms:*, kms:GenerateDataKey*).
func (p policyStatement) actionAllowed(action string) bool {
	for _, a := range p.Action {
		if a == "*" || strings.EqualFold(a, action) {
			return true
		}
		if strings.HasSuffix(a, "*") && strings.HasPrefix(strings.ToLower(action), strings.ToLower(strings.TrimSuffix(a, "*"))) {
			return true
		}
	}
	return false
}

// allows reports whether some Allow statement gives principal (kind "AWS" or "Service") every action.
func allows(statements []policyStatement, kind, principal string, actions ...string) bool {
	for _, act := range actions {
		ok := false
		for _, st := range statements {
			if st.Effect != "Allow" || !st.actionAllowed(act) {
				continue
			}
			for _, v := range st.Principal[kind] {
				if v == principal || v == "*" {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// defaultKeyPolicy is the policy KMS gives a key created without one: the account, through IAM, only.
func defaultKeyPolicy() string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User `+
		`Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"kms:*","Resource":"*"}]}`, AccountID)
}

var keySpecs = map[string]bool{"SYMMETRIC_DEFAULT": true, "RSA_2048": true, "RSA_3072": true, "RSA_4096": true,
	"HMAC_224": true, "HMAC_256": true, "HMAC_384": true, "HMAC_512": true, "ECC_NIST_P256": true,
	"ECC_NIST_P384": true, "ECC_NIST_P521": true, "ECC_SECG_P256K1": true, "SM2": true}

func kmsKeyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	spec := firstNonEmpty(stringInput(r.Inputs, "customerMasterKeySpec"), "SYMMETRIC_DEFAULT")
	if !keySpecs[spec] {
		return "", nil, refuse("ValidationException", "1 validation error detected: Value '%s' at 'keySpec' "+
			"failed to satisfy constraint: Member must satisfy enum value set", spec)
	}
	usage := firstNonEmpty(stringInput(r.Inputs, "keyUsage"), "ENCRYPT_DECRYPT")
	if usage != "ENCRYPT_DECRYPT" && usage != "SIGN_VERIFY" && usage != "GENERATE_VERIFY_MAC" && usage != "KEY_AGREEMENT" {
		return "", nil, refuse("ValidationException", "Value '%s' at 'keyUsage' failed to satisfy constraint", usage)
	}
	rotation := boolInput(r.Inputs, "enableKeyRotation", false)
	if rotation && (spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT") {
		return "", nil, refuse("UnsupportedOperationException", "Automatic key rotation is supported only on "+
			"symmetric encryption KMS keys, not %s/%s", spec, usage)
	}
	if d, ok := numberInput(r.Inputs, "deletionWindowInDays"); ok && (d < 7 || d > 30) {
		return "", nil, refuse("ValidationException", "PendingWindowInDays %v must be between 7 and 30", d)
	}
	if d, ok := numberInput(r.Inputs, "rotationPeriodInDays"); ok {
		if d < 90 || d > 2560 {
			return "", nil, refuse("ValidationException", "RotationPeriodInDays %v must be between 90 and 2560", d)
		}
		if !rotation {
			return "", nil, refuse("ValidationException", "RotationPeriodInDays is set but enableKeyRotation is "+
				"not: turn rotation on to give it a period")
		}
	}
	policy := stringInput(r.Inputs, "policy")
	if known(r.Inputs, "policy") {
		if err := policyDocument("policy", policy); err != nil {
			return "", nil, refuse("MalformedPolicyDocumentException", "%v", err)
		}
		st, err := parsePolicy(policy)
		if err != nil {
			return "", nil, refuse("MalformedPolicyDocumentException", "policy: %v", err)
		}
		// KMS refuses a policy that would lock the caller out of the key for ever.
		caller := fmt.Sprintf("arn:aws:iam::%s:user/kit-deployer", AccountID)
		root := fmt.Sprintf("arn:aws:iam::%s:root", AccountID)
		if !boolInput(r.Inputs, "bypassPolicyLockoutSafetyCheck", false) &&
			!allows(st, "AWS", root, "kms:PutKeyPolicy") && !allows(st, "AWS", caller, "kms:PutKeyPolicy") &&
			!allows(st, "AWS", AccountID, "kms:PutKeyPolicy") {
			return "", nil, refuse("MalformedPolicyDocumentException", "The new key policy will not allow you to "+
				"update the key policy in the future.")
		}
	} else if !r.Inputs.ContainsUnknowns() {
		policy = defaultKeyPolicy()
	}
	id := s.uuidFrom(r.URN)
	if boolInput(r.Inputs, "multiRegion", false) {
		id = "mrk-" + s.hash(r.URN, 32)
	}
	out := echo(r, map[string]any{
		"keyId": id, "arn": arn("kms", r.Region, "key/"+id),
	})
	if policy != "" {
		out["policy"] = resource.NewProperty(policy)
	}
	setDefault(out, "keyUsage", usage)
	setDefault(out, "customerMasterKeySpec", spec)
	setDefault(out, "isEnabled", true)
	setDefault(out, "enableKeyRotation", false)
	setDefault(out, "multiRegion", false)
	setDefault(out, "deletionWindowInDays", 30)
	setDefault(out, "bypassPolicyLockoutSafetyCheck", false)
	if rotation {
		setDefault(out, "rotationPeriodInDays", 365)
	}
	return id, out, nil
}

// kmsKeyByRef finds a key of the graph by id, ARN or alias ARN; nil for keys the program does not make.
func (g *Graph) kmsKeyByRef(ref string) *Resource {
	for _, r := range g.byURN {
		if r.Type == "aws:kms/key:Key" && (r.ID == ref || stringInput(r.Outputs, "arn") == ref) {
			return r
		}
	}
	return nil
}

var kmsAliasName = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]+$`)

func kmsAliasModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "name")
	if name == "" {
		prefix := firstNonEmpty(stringInput(r.Inputs, "namePrefix"), "alias/")
		name = prefix + s.hash(r.URN, 26)
	}
	switch {
	case !kmsAliasName.MatchString(name) || len(name) > 256:
		return "", nil, refuse("ValidationException", "Alias name %q must begin with alias/ and contain only "+
			"alphanumeric characters, forward slashes, underscores and dashes (up to 256)", name)
	case strings.HasPrefix(name, "alias/aws/"):
		return "", nil, refuse("NotAuthorizedException", "Alias %s: the prefix alias/aws/ is reserved for AWS "+
			"managed keys", name)
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.Region == r.Region && other.ID == name {
			return "", nil, refuse("AlreadyExistsException", "An alias with the name %s already exists in %s",
				name, r.Region)
		}
	}
	target := stringInput(r.Inputs, "targetKeyId")
	if known(r.Inputs, "targetKeyId") {
		region, found := s.kmsKeyRegion(target, r.Region)
		if region != r.Region {
			return "", nil, refuse("NotFoundException", "Key %s is in %s: an alias and its key must be in the "+
				"same region (%s)", target, region, r.Region)
		}
		if !found {
			return "", nil, refuse("NotFoundException", "Key '%s' does not exist in %s", target, r.Region)
		}
	}
	keyID := target
	if i := strings.LastIndex(target, "key/"); i >= 0 {
		keyID = target[i+4:]
	}
	return name, echo(r, map[string]any{"name": name, "arn": arn("kms", r.Region, name),
		"targetKeyArn": arn("kms", r.Region, "key/"+keyID)}), nil
}
