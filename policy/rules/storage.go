package rules

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Buckets, keys, tags and IAM: AWS Config's s3-bucket-level-public-access-prohibited,
// s3-bucket-server-side-encryption-enabled, cmk-backing-key-rotation-enabled, required-tags and
// iam-policy-no-statements-with-admin-access.

func storageRules() []Rule {
	return []Rule{
		{
			Name:        "s3-public-access-blocked",
			Controls:    []string{"S3.2", "S3.3", "S3.8"},
			Description: "Every S3 bucket has an aws:s3/bucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
			Level:       Mandatory,
			CheckStack:  s3PublicAccessBlocked,
		},
		{
			Name:        "s3-encrypted",
			Controls:    []string{"S3.4"},
			Description: "Every S3 bucket has a server-side encryption configuration (aws:s3/bucketServerSideEncryptionConfigurationV2, or the V1 resource, or the bucket's own inline configuration).",
			Level:       Mandatory,
			CheckStack:  s3Encrypted,
		},
		{
			Name:          "kms-key-rotation",
			Controls:      []string{"CIS 3.8"},
			Description:   "Symmetric KMS keys rotate their key material yearly (enableKeyRotation).",
			Level:         Mandatory,
			Types:         []string{typeKMSKey},
			CheckResource: kmsKeyRotation,
		},
		{
			Name:          "required-tags",
			Description:   "Taggable resources carry the tags " + strings.Join(RequiredTags, ", ") + " (their own or the provider's defaultTags), so cost, ownership and environment are never guessed.",
			Level:         Mandatory,
			Types:         TaggableTypes,
			CheckResource: requiredTags,
		},
		{
			Name:          "iam-no-admin-statements",
			Controls:      []string{"IAM.1"},
			Description:   "No IAM policy allows every action on every resource (Effect Allow, Action *, Resource *), and no role gets an AWS managed administrator policy attached.",
			Level:         Mandatory,
			Types:         []string{typeIAMPolicy, typeIAMRolePolicy, typeIAMRolePolicyAttachment},
			CheckResource: iamNoAdmin,
		},
	}
}

// buckets returns the S3 buckets of a stack.
func buckets(rs []policyx.AnalyzerResource) []policyx.AnalyzerResource {
	return ofType(rs, typeBucket, typeBucketV2)
}

// forBucket reports whether a bucket-scoped resource (public access block, encryption configuration) applies
// to bucket: its bucket input depends on the bucket, or names it when both names are known.
func forBucket(r, bucket policyx.AnalyzerResource) bool {
	if dependsOn(r, "bucket", bucket.URN) {
		return true
	}
	name, known := str(prop(bucket, "bucket"))
	ref, refKnown := str(prop(r, "bucket"))
	return known && refKnown && name != "" && name == ref
}

var publicAccessFlags = []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"}

func s3PublicAccessBlocked(_ Env, rs []policyx.AnalyzerResource) []Finding {
	var out []Finding
	blocks := ofType(rs, typeBucketPAB)
	for _, b := range buckets(rs) {
		i := slices.IndexFunc(blocks, func(p policyx.AnalyzerResource) bool { return forBucket(p, b) })
		if i < 0 {
			out = append(out, Finding{URN: b.URN, Message: "no aws:s3/bucketPublicAccessBlock refers to this bucket: add one " +
				"with all four flags true"})
			continue
		}
		var off []string
		for _, f := range publicAccessFlags {
			if knownFalse(prop(blocks[i], f)) {
				off = append(off, f)
			}
		}
		if len(off) > 0 {
			out = append(out, Finding{URN: blocks[i].URN, Message: fmt.Sprintf("%s not true: set all four flags to true",
				strings.Join(off, ", "))})
		}
	}
	return out
}

func s3Encrypted(_ Env, rs []policyx.AnalyzerResource) []Finding {
	var out []Finding
	configs := ofType(rs, typeBucketSSEV2, typeBucketSSE)
	for _, b := range buckets(rs) {
		if set(prop(b, "serverSideEncryptionConfiguration")) || set(prop(b, "serverSideEncryptionConfigurations")) {
			continue
		}
		if !slices.ContainsFunc(configs, func(c policyx.AnalyzerResource) bool { return forBucket(c, b) }) {
			out = append(out, Finding{URN: b.URN, Message: "no server-side encryption configuration refers to this bucket: " +
				"add an aws:s3/bucketServerSideEncryptionConfigurationV2 (aws:kms with a customer-managed key, or AES256)"})
		}
	}
	return out
}

func kmsKeyRotation(_ Env, r policyx.AnalyzerResource) []string {
	for _, k := range []string{"keySpec", "customerMasterKeySpec"} {
		// AWS rotates only symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
		if spec, _ := str(prop(r, k)); spec != "" && spec != "SYMMETRIC_DEFAULT" {
			return nil
		}
	}
	if knownFalse(prop(r, "enableKeyRotation")) {
		return []string{"enableKeyRotation is not true: set it to true"}
	}
	return nil
}

func requiredTags(_ Env, r policyx.AnalyzerResource) []string {
	if tagsUnknown(r) {
		return nil
	}
	tags := tagsOf(r)
	var missing []string
	for _, k := range RequiredTags {
		if _, ok := tags[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("missing tag(s) %s: pass them in the component's Tags or the provider's defaultTags",
		strings.Join(missing, ", "))}
}

// oneOrMany reads an IAM policy field that may be a string or a list of strings.
type oneOrMany []string

func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*o = []string{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*o = many
	return err
}

type statement struct {
	Effect   string    `json:"Effect"`
	Action   oneOrMany `json:"Action"`
	Resource oneOrMany `json:"Resource"`
}

// adminPolicies are AWS managed policies that grant (nearly) everything.
var adminPolicies = []string{"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess",
	"arn:aws:iam::aws:policy/IAMFullAccess"}

func iamNoAdmin(_ Env, r policyx.AnalyzerResource) []string {
	if r.Type == typeIAMRolePolicyAttachment {
		if arn, known := str(prop(r, "policyArn")); known && slices.Contains(adminPolicies, arn) {
			return []string{fmt.Sprintf("policyArn %s grants administrator rights: attach a policy with the actions "+
				"and resources the workload needs", arn)}
		}
		return nil
	}
	doc, known := str(prop(r, "policy"))
	if !known || doc == "" {
		return nil
	}
	var parsed struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if json.Unmarshal([]byte(doc), &parsed) != nil {
		return nil // AWS refuses malformed documents itself
	}
	var stmts []statement
	if json.Unmarshal(parsed.Statement, &stmts) != nil {
		var one statement
		if json.Unmarshal(parsed.Statement, &one) != nil {
			return nil
		}
		stmts = []statement{one}
	}
	var out []string
	for i, s := range stmts {
		if s.Effect == "Allow" && (slices.Contains(s.Action, "*") || slices.Contains(s.Action, "*:*")) && slices.Contains(s.Resource, "*") {
			out = append(out, fmt.Sprintf("Statement[%d] allows every action on every resource: grant the actions "+
				"and resources the workload needs", i))
		}
	}
	return out
}
