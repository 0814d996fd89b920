package awssim

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// KMS: customer-managed keys and their aliases. Keys are regional; every service that encrypts with one
// (RDS, Secrets Manager, backups) checks that the key is in its own region (see rds.go).

func init() {
	models["aws:kms/key:Key"] = kmsKeyModel
	models["aws:kms/alias:Alias"] = kmsAliasModel
}

var kmsKeySpecs = map[string]bool{"SYMMETRIC_DEFAULT": true, "RSA_2048": true, "RSA_3072": true,
	"RSA_4096": true, "HMAC_224": true, "HMAC_256": true, "HMAC_384": true, "HMAC_512": true,
	"ECC_NIST_P256": true, "ECC_NIST_P384": true, "ECC_NIST_P521": true, "ECC_SECG_P256K1": true, "SM2": true}

func kmsKeyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	spec := firstNonEmpty(stringInput(in, "customerMasterKeySpec"), "SYMMETRIC_DEFAULT")
	usage := firstNonEmpty(stringInput(in, "keyUsage"), "ENCRYPT_DECRYPT")
	if !kmsKeySpecs[spec] {
		return "", nil, refuse("ValidationException", "KeySpec %q is not a valid key spec", spec)
	}
	switch usage {
	case "ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT":
	default:
		return "", nil, refuse("ValidationException", "KeyUsage %q must be ENCRYPT_DECRYPT, SIGN_VERIFY, "+
			"GENERATE_VERIFY_MAC or KEY_AGREEMENT", usage)
	}
	rotation := boolInput(in, "enableKeyRotation", false)
	if rotation && (spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT") {
		return "", nil, refuse("UnsupportedOperationException", "Automatic key rotation is supported only on "+
			"symmetric encryption KMS keys, not %s/%s", spec, usage)
	}
	if p, ok := numberInput(in, "rotationPeriodInDays"); ok {
		if p < 90 || p > 2560 {
			return "", nil, refuse("ValidationException", "RotationPeriodInDays %v must be between 90 and 2560", p)
		}
		if !rotation {
			return "", nil, refuse("ValidationException", "RotationPeriodInDays is set but enableKeyRotation is "+
				"not: turn rotation on to give it a period")
		}
	}
	if d, ok := numberInput(in, "deletionWindowInDays"); ok && (d < 7 || d > 30) {
		return "", nil, refuse("ValidationException", "PendingWindowInDays %v must be between 7 and 30", d)
	}
	if len(stringInput(in, "description")) > 8192 {
		return "", nil, refuse("ValidationException", "Description is longer than 8192 characters")
	}
	if known(in, "policy") && stringInput(in, "policy") != "" {
		if err := policyDocument("policy", stringInput(in, "policy")); err != nil {
			return "", nil, err
		}
	}
	id := rdsUUID(s, r.URN)
	if boolInput(in, "multiRegion", false) {
		id = "mrk-" + s.hash(r.URN, 32)
	}
	out := echo(r, map[string]any{"keyId": id, "arn": arn("kms", r.Region, "key/"+id)})
	setDefault(out, "keyUsage", usage)
	setDefault(out, "customerMasterKeySpec", spec)
	setDefault(out, "enableKeyRotation", false)
	setDefault(out, "isEnabled", true)
	setDefault(out, "multiRegion", false)
	setDefault(out, "deletionWindowInDays", 30)
	if rotation {
		setDefault(out, "rotationPeriodInDays", 365)
	}
	return id, out, nil
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
