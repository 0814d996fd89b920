package awssim

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// KMS keys: the policy checks KMS makes when a key is created.

func init() {
	models["aws:kms/key:Key"] = kmsKeyModel
}

// uuidFrom formats 32 hex digits of the URN's hash as a UUID, the shape of KMS key ids and many others.
func (s *Sim) uuidFrom(key string) string {
	h := s.hash(key, 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
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
	if boolInput(r.Inputs, "enableKeyRotation", false) && spec != "SYMMETRIC_DEFAULT" {
		return "", nil, refuse("UnsupportedOperationException", "%s keys do not support automatic key rotation", spec)
	}
	if d, ok := numberInput(r.Inputs, "deletionWindowInDays"); ok && (d < 7 || d > 30) {
		return "", nil, refuse("ValidationException", "PendingWindowInDays %v must be between 7 and 30", d)
	}
	if d, ok := numberInput(r.Inputs, "rotationPeriodInDays"); ok && (d < 90 || d > 2560) {
		return "", nil, refuse("ValidationException", "RotationPeriodInDays %v must be between 90 and 2560", d)
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
