package tests

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/stacks"
)

// The stack file as a new user meets it: every key present is honoured or refused, never silently replaced,
// and every refusal speaks the file's language. Each case here is one the issue measured.

// planFile runs the offline plan of a stack file (its config: lines) in a copy of the project.
func planFile(t *testing.T, config string) (int, string, string) {
	t.Helper()
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n" + config})
	var stdout, stderr bytes.Buffer
	status := plan.Main([]string{"-root", dir, "s"}, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

// loadConfig runs stacks.LoadConfig alone under the simulated AWS and returns its own error, as the
// program returns it (the SDK's run loop wraps it afterwards).
func loadConfig(t *testing.T, cfg map[string]string) (*stacks.Config, error) {
	t.Helper()
	if _, ok := cfg["aws:region"]; !ok {
		cfg["aws:region"] = "us-east-1"
	}
	var got *stacks.Config
	var loadErr error
	_, err := awssim.Run(func(ctx *pulumi.Context) error {
		got, loadErr = stacks.LoadConfig(ctx)
		return nil
	}, awssim.Options{Project: project, Stack: "test", Config: cfg})
	require.NoError(t, err)
	return got, loadErr
}

func TestAZeroTheFileSetsIsHonouredOrRefusedNeverDefaulted(t *testing.T) {
	// An ASG may have a minimum of 0: honoured.
	status, _, stderr := planFile(t, "  kit:web:\n    minSize: 0\n")
	require.Equal(t, 0, status, stderr)
	r, err := plan.Build(copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n  kit:web:\n    minSize: 0\n"}), "s")
	require.NoError(t, err)
	asg := r.Graph.Named("aws:autoscaling/group:Group", "web-asg")
	require.NotNil(t, asg)
	assert.Equal(t, 0.0, asg.Input("minSize").NumberValue(), "minSize: 0 reaches AWS as 0, not the default 2")
	assert.Equal(t, 0.0, asg.Input("desiredCapacity").NumberValue(), "the desired capacity follows the minimum")

	// Zeros AWS or the kit cannot take: refused with the valid range, each naming its key.
	for _, tc := range []struct{ config, want string }{
		{"  kit:web:\n    maxSize: 0\n", "kit:web.maxSize 0 is out of range"},
		{"  kit:database:\n    backupRetentionDays: 0\n", "kit:database.backupRetentionDays 0 is out of range: use 1 to 35 days"},
		{"  kit:network:\n    flowLogRetentionDays: 0\n", "kit:network.flowLogRetentionDays 0 is out of range: CloudWatch Logs keeps logs for one of [1 3 5"},
		{"  kit:database:\n    allocatedStorageGb: 0\n", "kit:database.allocatedStorageGb 0 is out of range: gp3 storage is 20 to 65536 GiB"},
	} {
		status, _, stderr := planFile(t, tc.config)
		assert.Equal(t, 2, status, tc.config)
		assert.Contains(t, stderr, tc.want)
		assert.Contains(t, stderr, "remove the key for the default")
	}
}

func TestKeysAreCaseSensitiveAndUnknownOnesSuggestTheRightOne(t *testing.T) {
	status, _, stderr := planFile(t, "  kit:web:\n    maxsize: 3\n    healthCheck:\n      pathh: /up\n  kit:network:\n    CIDR: 10.1.0.0/16\n")
	assert.Equal(t, 2, status)
	for _, want := range []string{
		`unknown config key "kit:web.maxsize": keys are case-sensitive; did you mean "maxSize"?`,
		`unknown config key "kit:web.healthCheck.pathh": did you mean "path"? kit:web.healthCheck takes path, matcher`,
		`unknown config key "kit:network.CIDR": keys are case-sensitive; did you mean "cidr"?`,
	} {
		assert.Contains(t, stderr, want)
	}
}

func TestAWSKeysTheKitReadsAreCheckedToo(t *testing.T) {
	status, _, stderr := planFile(t, "  aws:regoin: eu-west-1\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, `unknown config key "aws:regoin": the AWS provider has no such setting; did you mean "aws:region"?`)

	assert.Empty(t, stacks.CheckKeys([]string{"aws:region", "aws:profile", "aws:assumeRole", "aws:defaultTags"}),
		"the provider's own settings pass")
	assert.Contains(t, stacks.CheckKeys([]string{"kit:web.minSize"})[0], "write it nested, minSize: on its own line under kit:web")
}

func TestAStackFileWithConfigsInsteadOfConfigIsRefused(t *testing.T) {
	problems := stacks.CheckStackFile([]byte("configs:\n  aws:region: us-east-1\n"))
	require.Len(t, problems, 1)
	assert.Contains(t, problems[0], `unknown top-level key "configs": did you mean "config"?`)
	assert.Empty(t, stacks.CheckStackFile([]byte("encryptionsalt: v1:abc\nconfig:\n  aws:region: us-east-1\n")),
		"what `pulumi stack init` writes is a stack file's own")
}

func TestADRSectionWithoutEnabledIsRefused(t *testing.T) {
	status, _, stderr := planFile(t, "  kit:dr:\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, "kit:dr sets region, cidr, rpoSeconds but not enabled: add enabled: true")

	status, _, stderr = planFile(t, "  kit:dr:\n    enabled: false\n    region: us-west-2\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n")
	assert.Equal(t, 0, status, "enabled: false keeps the settings with DR off: "+stderr)
}

func TestTypeErrorsShowTheValueInYAMLWords(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{"  kit:web:\n    maxSize: three\n", `kit:web.maxSize "three" should be a whole number, e.g. maxSize: 3`},
		{"  kit:dr: true\n", "kit:dr true should be a group of settings indented under the key (enabled, region"},
		{"  kit:database:\n    engineVersion: 16\n", `kit:database.engineVersion 16 is a number, but it is text: quote it, engineVersion: "16"`},
		{"  kit:monitoring:\n    alarmEmails: ops@example.com\n", `kit:monitoring.alarmEmails "ops@example.com" should be a list of strings`},
		{"  kit:network:\n    flowLogs: \"no\"\n", `kit:network.flowLogs "no" should be true or false`},
	} {
		status, _, stderr := planFile(t, tc.config)
		assert.Equal(t, 2, status, tc.config)
		assert.Contains(t, stderr, tc.want)
		assert.NotContains(t, stderr, "stacks.", "no Go type names")
	}
	// One mistake, one problem: the bad azCount is not also reported as an unset or zero one.
	_, err := loadConfig(t, map[string]string{"kit:network": `{"azCount": "two"}`})
	require.Error(t, err)
	assert.Equal(t, 1, strings.Count(err.Error(), "\n - "), err.Error())
}

func TestEveryProblemOfEverySectionAtOnceWithoutTrailingBlankLines(t *testing.T) {
	_, err := loadConfig(t, map[string]string{
		"kit:network":     `{"cidrr": "10.0.0.0/16"}`,
		"kit:web":         `{"maxSize": "three", "minSize": 0}`,
		"kit:database":    `{"backupRetentionDays": 0}`,
		"kit:dr":          `{"region": "us-west-2"}`,
		"kit:monitoring":  `{"prometheus": "yes"}`,
		"kit:environment": "staging",
	})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"kit:network.cidrr", "kit:web.maxSize", "kit:database.backupRetentionDays 0",
		"kit:dr sets region but not enabled", "kit:monitoring.prometheus", `kit:environment "staging"`} {
		assert.Contains(t, msg, want)
	}
	assert.Equal(t, strings.TrimSpace(msg), msg, "no blank lines after the last problem")
	assert.Equal(t, 6, strings.Count(msg, "\n - "), msg)
}

func TestProblemsOfSeveralComponentsComeBackTogetherBeforeAnythingIsRegistered(t *testing.T) {
	g, err := awssim.Run(stacks.Run, awssim.Options{Project: project, Stack: "test", Config: map[string]string{
		"aws:region":     "us-east-1",
		"kit:web":        `{"minSize": 5, "maxSize": 3}`,
		"kit:database":   `{"backupRetentionDays": 40}`,
		"kit:monitoring": `{"alarmEmails": ["ops"]}`,
	}})
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"kit:web.minSize 5 is greater than kit:web.maxSize 3",
		"kit:database.backupRetentionDays 40 is out of range", `kit:monitoring.alarmEmails: "ops" is not an email address`} {
		assert.Contains(t, msg, want)
	}
	assert.NotContains(t, msg, "desiredCapacity", "no cascade from the contradicting bounds")
	assert.Zero(t, g.Len(), "nothing is registered for a configuration that cannot work")
}

// planMain runs the offline plan of a stack in a project directory.
func planMain(t *testing.T, dir, stack string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := plan.Main([]string{"-root", dir, stack}, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

func TestAComponentMistakeIsReportedBesideAMistakeInAnotherSection(t *testing.T) {
	// A type error in kit:database and a bound error the web tier finds, in one run; a bad network still lets
	// the web tier's own mistake through.
	status, _, stderr := planFile(t, "  kit:database:\n    engineVersion: 16\n  kit:web:\n    minSize: 5\n    maxSize: 3\n"+
		"  kit:network:\n    cidr: 10.0.0.0/24\n    azCount: 6\n")
	assert.Equal(t, 2, status)
	for _, want := range []string{`kit:database.engineVersion 16 is a number`,
		"kit:web.minSize 5 is greater than kit:web.maxSize 3", "kit:network.azCount 6 does not fit the /24 VPC"} {
		assert.Contains(t, stderr, want)
	}
	assert.NotContains(t, stderr, "kit:database.engine ", "the database with a bad key is not checked again")
}
