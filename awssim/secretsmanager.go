package awssim

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Secrets Manager: secrets, their versions, and the password generator.

func init() {
	models["aws:secretsmanager/secret:Secret"] = secretModel
	models["aws:secretsmanager/secretVersion:SecretVersion"] = secretVersionModel
	invokes["aws:secretsmanager/getRandomPassword:getRandomPassword"] = randomPasswordInvoke
}

var secretName = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)

func secretModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := s.autoName(r, "name", 512)
	if !secretName.MatchString(name) {
		return "", nil, refuse("ValidationException", "Invalid name %q: a secret name may contain letters, "+
			"digits and /_+=.@- only", name)
	}
	if key := stringInput(r.Inputs, "kmsKeyId"); key != "" && known(r.Inputs, "kmsKeyId") {
		if region, _ := s.kmsKeyRegion(key, r.Region); region != r.Region {
			return "", nil, refuse("ValidationException", "KMS key %s is in %s: a secret in %s must be "+
				"encrypted with a key of its own region", key, region, r.Region)
		}
	}
	if d, ok := numberInput(r.Inputs, "recoveryWindowInDays"); ok && d != 0 && (d < 7 || d > 30) {
		return "", nil, refuse("InvalidParameterException", "RecoveryWindowInDays %v must be 0 or 7 to 30", d)
	}
	seen := map[string]bool{}
	for _, replica := range objectsInput(r.Inputs, "replicas") {
		region := stringInput(replica, "region")
		switch {
		case Zones(region) == nil:
			return "", nil, refuse("InvalidParameterException", "Invalid replica region %q", region)
		case region == r.Region:
			return "", nil, refuse("InvalidParameterException", "a secret cannot be replicated into its own "+
				"region %s", region)
		case seen[region]:
			return "", nil, refuse("InvalidParameterException", "replica region %s is listed twice", region)
		}
		seen[region] = true
	}
	// Secrets Manager appends six random characters to the name in the ARN.
	a := arn("secretsmanager", r.Region, "secret:"+name+"-"+rdsUpper(s, r.URN+"/arn", 6))
	return a, echo(r, map[string]any{"name": name, "arn": a}), nil
}

func secretVersionModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := stringInput(r.Inputs, "secretId")
	if known(r.Inputs, "secretId") {
		secret := s.graph.byID[id]
		if secret == nil || secret.Type != "aws:secretsmanager/secret:Secret" || secret.Region != r.Region {
			return "", nil, refuse("ResourceNotFoundException", "Secrets Manager can't find the specified "+
				"secret %s in %s", id, r.Region)
		}
	}
	if rdsHas(r.Inputs, "secretString") == rdsHas(r.Inputs, "secretBinary") {
		return "", nil, refuse("InvalidParameterException", "exactly one of secretString and secretBinary "+
			"must be given")
	}
	version := s.uuidFrom(r.URN + "/version")
	out := echo(r, map[string]any{"arn": id, "versionId": version})
	// "If you don't include VersionStages, then Secrets Manager automatically moves the staging label
	// AWSCURRENT to this version" (Secrets Manager API reference, PutSecretValue).
	setDefault(out, "versionStages", []any{"AWSCURRENT"})
	return id + "|" + version, out, nil
}

// passwordCharacters are GetRandomPassword's character classes; punctuation is the set Secrets Manager uses.
var passwordCharacters = map[string]string{
	"excludeLowercase":   "abcdefghijklmnopqrstuvwxyz",
	"excludeUppercase":   "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"excludeNumbers":     "0123456789",
	"excludePunctuation": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
}

// randomPasswordInvoke answers GetRandomPassword with a password derived from the call, so runs repeat.
func randomPasswordInvoke(s *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
	length := 32.0
	if n, ok := numberInput(args, "passwordLength"); ok {
		length = n
	}
	if length < 1 || length > 4096 {
		return nil, refuse("InvalidParameterException", "PasswordLength %v must be between 1 and 4096", length)
	}
	var alphabet string
	for _, class := range []string{"excludeLowercase", "excludeUppercase", "excludeNumbers", "excludePunctuation"} {
		if !boolInput(args, class, false) {
			alphabet += passwordCharacters[class]
		}
	}
	for _, c := range stringInput(args, "excludeCharacters") {
		alphabet = strings.ReplaceAll(alphabet, string(c), "")
	}
	if alphabet == "" {
		return nil, refuse("InvalidParameterException", "every character is excluded: nothing to build a password from")
	}
	var b strings.Builder
	for i := 0; b.Len() < int(length); i++ {
		raw, _ := hex.DecodeString(s.hash(fmt.Sprintf("%s/password/%d", region, i), 64)) // hex by construction
		for _, x := range raw {
			if b.Len() < int(length) {
				b.WriteByte(alphabet[int(x)%len(alphabet)])
			}
		}
	}
	out := args.Copy()
	out["id"] = resource.NewProperty(region)
	out["randomPassword"] = resource.NewProperty(b.String())
	return out, nil
}
