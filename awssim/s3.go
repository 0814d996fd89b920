package awssim

import (
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// S3 buckets and the separate configuration resources the provider (v6) recommends for them. A bucket's
// name is global; its policy is a JSON document S3 parses when it is put.

func init() {
	models["aws:s3/bucketV2:BucketV2"] = bucketModel
	models["aws:s3/bucket:Bucket"] = bucketModel
	models["aws:s3/bucketPolicy:BucketPolicy"] = bucketPolicyModel
	models["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"] = bucketPublicAccessBlockModel
	models["aws:s3/bucketOwnershipControls:BucketOwnershipControls"] = bucketOwnershipControlsModel
	models["aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"] = bucketEncryptionModel
	models["aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"] = bucketLifecycleModel
	models["aws:s3/bucketVersioningV2:BucketVersioningV2"] = bucketVersioningModel
}

// s3BucketName is S3's rule for general purpose bucket names: 3-63 characters of lowercase letters, digits,
// dots and hyphens, beginning and ending with a letter or digit.
var s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// CheckBucketName returns why S3 refuses name, or nil.
func CheckBucketName(name string) error {
	switch {
	case len(name) < 3 || len(name) > 63:
		return refuse("InvalidBucketName", "The bucket name %q must be between 3 and 63 characters long", name)
	case !s3BucketName.MatchString(name):
		return refuse("InvalidBucketName", "The bucket name %q can contain only lowercase letters, numbers, "+
			"dots and hyphens, and must begin and end with a letter or number", name)
	case strings.Contains(name, ".."):
		return refuse("InvalidBucketName", "The bucket name %q must not contain two adjacent periods", name)
	case strings.HasPrefix(name, "xn--") || strings.HasPrefix(name, "sthree-") ||
		strings.HasSuffix(name, "-s3alias") || strings.HasSuffix(name, "--ol-s3"):
		return refuse("InvalidBucketName", "The bucket name %q uses a prefix or suffix S3 reserves", name)
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return refuse("InvalidBucketName", "The bucket name %q must not be formatted as an IP address", name)
	}
	return nil
}

func bucketModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "bucket")
	if name == "" {
		if p := stringInput(r.Inputs, "bucketPrefix"); p != "" {
			name = p + s.hash(r.URN, 26)
		} else {
			// The provider lowercases the logical name, as bucket names must be.
			prefix := strings.ToLower(r.Name) + "-"
			if len(prefix)+7 > 63 {
				return "", nil, refuse("InvalidBucketName", "name '%s' plus 7 random chars is longer than "+
					"maximum length 63: give the bucket a shorter logical name", prefix)
			}
			name = prefix + s.hash(r.URN, 7)
		}
	}
	if err := CheckBucketName(name); err != nil {
		return "", nil, err
	}
	if other := s.bucketByName(name); other != nil {
		return "", nil, refuse("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "+
			"%s succeeded and you already own it", name)
	}
	if known(r.Inputs, "policy") {
		if err := bucketPolicyDocument(stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, err
		}
	}
	out := echo(r, map[string]any{
		"bucket":                   name,
		"arn":                      "arn:aws:s3:::" + name,
		"bucketDomainName":         name + ".s3.amazonaws.com",
		"bucketRegionalDomainName": name + ".s3." + r.Region + ".amazonaws.com",
		"region":                   r.Region,
	})
	setDefault(out, "forceDestroy", false)
	return name, out, nil
}

func (s *Sim) bucketByName(name string) *Resource {
	for _, r := range s.graph.byURN {
		if (r.Type == "aws:s3/bucketV2:BucketV2" || r.Type == "aws:s3/bucket:Bucket") && r.ID == name {
			return r
		}
	}
	return nil
}

// bucketPolicyOf returns the policy document attached to a bucket, separately or inline, or "".
func (s *Sim) bucketPolicyOf(name string) string {
	for _, r := range s.graph.byURN {
		if r.Type == "aws:s3/bucketPolicy:BucketPolicy" && stringInput(r.Inputs, "bucket") == name {
			return stringInput(r.Inputs, "policy")
		}
	}
	if b := s.bucketByName(name); b != nil {
		return stringInput(b.Inputs, "policy")
	}
	return ""
}

// checkBucketOf checks that the bucket a configuration resource applies to exists in the caller's region.
func (s *Sim) checkBucketOf(r *Resource) error {
	name := stringInput(r.Inputs, "bucket")
	b := s.bucketByName(name)
	if b == nil {
		return refuse("NoSuchBucket", "The specified bucket does not exist: %s", name)
	}
	if b.Region != r.Region {
		return refuse("PermanentRedirect", "The bucket %s is in %s: address it through that region's "+
			"endpoint (a provider for %s)", name, b.Region, b.Region)
	}
	return nil
}

// bucketPolicyDocument checks a bucket policy as S3 does: JSON, with statements that each have an Effect,
// a Principal and an Action.
func bucketPolicyDocument(doc string) error {
	if err := policyDocument("policy", doc); err != nil {
		var api *APIError
		if errors.As(err, &api) {
			return refuse("MalformedPolicy", "%s", api.Message)
		}
		return err
	}
	var p struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return refuse("MalformedPolicy", "Statement must be a list of objects: %v", err)
	}
	for i, st := range p.Statement {
		for _, k := range []string{"Effect", "Principal", "Action"} {
			if _, ok := st[k]; !ok {
				return refuse("MalformedPolicy", "Statement %d has no %s", i, k)
			}
		}
		if e := st["Effect"]; e != "Allow" && e != "Deny" {
			return refuse("MalformedPolicy", "Statement %d: Effect must be Allow or Deny, got %v", i, e)
		}
	}
	return nil
}

func bucketPolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	if known(r.Inputs, "policy") {
		if err := bucketPolicyDocument(stringInput(r.Inputs, "policy")); err != nil {
			return "", nil, err
		}
	} else if !r.Inputs.ContainsUnknowns() {
		return "", nil, refuse("MalformedPolicy", "policy is required")
	}
	return stringInput(r.Inputs, "bucket"), echo(r, nil), nil
}

func bucketPublicAccessBlockModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	out := echo(r, nil)
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		setDefault(out, k, false)
	}
	return stringInput(r.Inputs, "bucket"), out, nil
}

var objectOwnerships = map[string]bool{"BucketOwnerPreferred": true, "ObjectWriter": true, "BucketOwnerEnforced": true}

func bucketOwnershipControlsModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	if o := stringInput(r.Inputs, "rule.objectOwnership"); !objectOwnerships[o] {
		return "", nil, refuse("MalformedXML", "ObjectOwnership %q must be BucketOwnerPreferred, ObjectWriter "+
			"or BucketOwnerEnforced", o)
	}
	return stringInput(r.Inputs, "bucket"), echo(r, nil), nil
}

var sseAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

func bucketEncryptionModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	rules := objectsInput(r.Inputs, "rules")
	if len(rules) == 0 {
		return "", nil, refuse("MalformedXML", "a server-side encryption configuration needs one rule")
	}
	for _, rule := range rules {
		algo := stringInput(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
		if !sseAlgorithms[algo] {
			return "", nil, refuse("MalformedXML", "SSEAlgorithm %q must be AES256, aws:kms or aws:kms:dsse", algo)
		}
		if algo == "AES256" && stringInput(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId") != "" {
			return "", nil, refuse("InvalidArgument", "a KMS key id cannot be given with SSEAlgorithm AES256")
		}
	}
	return stringInput(r.Inputs, "bucket"), echo(r, nil), nil
}

func bucketLifecycleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	rules := objectsInput(r.Inputs, "rules")
	if len(rules) == 0 {
		return "", nil, refuse("MalformedXML", "a lifecycle configuration needs at least one rule")
	}
	ids := map[string]bool{}
	for _, rule := range rules {
		id := stringInput(rule, "id")
		if id == "" || len(id) > 255 {
			return "", nil, refuse("InvalidArgument", "a lifecycle rule needs an ID of 1-255 characters")
		}
		if ids[id] {
			return "", nil, refuse("InvalidArgument", "Rule ID %q must be unique", id)
		}
		ids[id] = true
		if st := stringInput(rule, "status"); st != "Enabled" && st != "Disabled" {
			return "", nil, refuse("MalformedXML", "rule %s: Status %q must be Enabled or Disabled", id, st)
		}
		if d, ok := numberInput(rule, "expiration.days"); ok && d <= 0 {
			return "", nil, refuse("InvalidArgument", "rule %s: Expiration days %v must be a positive integer", id, d)
		}
	}
	return stringInput(r.Inputs, "bucket"), echo(r, nil), nil
}

func bucketVersioningModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "bucket") {
		if err := s.checkBucketOf(r); err != nil {
			return "", nil, err
		}
	}
	if st := stringInput(r.Inputs, "versioningConfiguration.status"); st != "Enabled" && st != "Suspended" && st != "Disabled" {
		return "", nil, refuse("MalformedXML", "versioning status %q must be Enabled, Suspended or Disabled", st)
	}
	return stringInput(r.Inputs, "bucket"), echo(r, nil), nil
}
