package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/suggest"
)

// KnownKeys lists the top-level config keys the kit reads, without the "kit:" namespace, in the README's
// order. Any other kit: key is refused.
func KnownKeys() []string { return keysOf(reflect.TypeOf(Config{})) }

// Keys lists the keys of a kit: section (network, web, ...), in declaration order, or nil for a key that is
// not a section.
func Keys(section string) []string {
	t := reflect.TypeOf(Config{})
	i := fieldIndex(t, section)
	if i < 0 || t.Field(i).Type.Kind() != reflect.Struct {
		return nil
	}
	return keysOf(t.Field(i).Type)
}

// awsKeys are the AWS provider's configuration keys (aws:<key>), as the pulumi-aws SDK reads them
// (sdk/v6/go/aws/config/config.go, v6.83.4; the provider's "Configuration" reference on the Pulumi
// registry). The kit reads aws:region; the others are the provider's to use. A key outside this list is a
// typo the provider would ignore: aws:regoin would plan everything in the project's default region.
var awsKeys = []string{"accessKey", "allowedAccountIds", "assumeRole", "assumeRoleWithWebIdentity",
	"customCaBundle", "defaultTags", "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints",
	"forbiddenAccountIds", "httpProxy", "httpsProxy", "ignoreTags", "insecure", "maxRetries", "noProxy", "profile",
	"region", "retryMode", "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "secretKey", "sharedConfigFiles",
	"sharedCredentialsFiles", "skipCredentialsValidation", "skipMetadataApiCheck", "skipRegionValidation",
	"skipRequestingAccountId", "stsRegion", "token", "tokenBucketRateLimiterCapacity", "useDualstackEndpoint",
	"useFipsEndpoint"}

// CheckKeys refuses config keys ("namespace:key") of the kit: and aws: namespaces that nothing reads: a typo
// in a top-level key (kit:networks, aws:regoin) would otherwise leave its setting at the default without a
// word. Keys are case-sensitive, as the SDK's lookups. Other namespaces are not the kit's to judge. It
// returns one problem per unknown key, sorted, each with the nearest known key.
func CheckKeys(keys []string) []string {
	kit := KnownKeys()
	var problems []string
	for _, k := range keys {
		ns, name, _ := strings.Cut(k, ":")
		switch ns {
		case Namespace:
			if slices.Contains(kit, name) {
				continue
			}
			msg := fmt.Sprintf("unknown config key %q", k)
			section, nested, dotted := strings.Cut(name, ".")
			switch {
			case dotted && slices.Contains(kit, section):
				msg += fmt.Sprintf(": write it nested, %s: on its own line under %s:%s", nested, Namespace, section)
			case suggest.Nearest(name, kit) != "":
				msg += fmt.Sprintf(": did you mean %q?", Namespace+":"+suggest.Nearest(name, kit))
			}
			problems = append(problems, msg+"; the kit reads only "+strings.Join(qualified(Namespace, kit), ", "))
		case "aws":
			if slices.Contains(awsKeys, name) {
				continue
			}
			msg := fmt.Sprintf("unknown config key %q: the AWS provider has no such setting", k)
			if s := suggest.Nearest(name, awsKeys); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", "aws:"+s)
			}
			problems = append(problems, msg)
		}
	}
	sort.Strings(problems)
	return problems
}

func qualified(ns string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = ns + ":" + k
	}
	return out
}

// stackFileKeys are the top-level keys of a Pulumi.<stack>.yaml file (workspace.ProjectStack in the Pulumi
// SDK: the secrets settings `pulumi stack init` writes, the config, and an ESC environment).
var stackFileKeys = []string{"config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"}

// CheckStackFile refuses top-level keys of a stack file that the Pulumi CLI ignores: with `configs:` for
// `config:`, every setting silently falls back to its default. The CLI's own loader accepts such a file,
// so whoever loads the file (the offline plan) must ask.
func CheckStackFile(text []byte) []string {
	var top map[string]any
	if err := encoding.YAML.Unmarshal(text, &top); err != nil {
		return []string{"the file is not YAML: " + err.Error()}
	}
	var problems []string
	for k := range top {
		if slices.Contains(stackFileKeys, k) {
			continue
		}
		msg := fmt.Sprintf("unknown top-level key %q", k)
		if s := suggest.Nearest(k, stackFileKeys); s != "" {
			msg += fmt.Sprintf(": did you mean %q?", s)
		}
		problems = append(problems, msg+" A stack file has "+strings.Join(stackFileKeys, ", ")+
			"; the settings go under config:")
	}
	sort.Strings(problems)
	return problems
}

// engineConfigKeys returns the keys of the config the Pulumi engine hands the program in PULUMI_CONFIG (a
// JSON object "namespace:key" -> value, which the Go SDK reads in pulumi.RunWithContext's getEnvInfo). The
// SDK gives a program no way to list its config keys, so this is the only place a typo'd top-level key can
// be seen under the real CLI. Under the simulated AWS the config comes through RunInfo and the variable is
// unset: then there is nothing to check here (the offline plan checks the stack file itself).
func engineConfigKeys() ([]string, error) {
	raw, ok := os.LookupEnv(pulumi.EnvConfig)
	if !ok || raw == "" {
		return nil, nil
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object of config values: %w", pulumi.EnvConfig, err)
	}
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	return keys, nil
}

// invalidConfig is the one error a stack user sees for a configuration that cannot work: every problem on
// its own line, nothing after the last.
func invalidConfig(problems []string) error {
	return errors.New("stack configuration is invalid:\n - " + strings.Join(problems, "\n - "))
}
