package tests

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/stacks"
)

func TestPlanRefusesATypoInATopLevelConfigKey(t *testing.T) {
	dir := copyProject(t, map[string]string{"typo": "config:\n  aws:region: us-east-1\n  kit:networks:\n    cidr: 10.0.0.0/16\n"})
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, plan.Main([]string{"-root", dir, "typo"}, &stdout, &stderr))
	for _, want := range []string{"Pulumi.typo.yaml", `unknown config key "kit:networks"`,
		"kit:environment, kit:network, kit:web, kit:database, kit:dr, kit:monitoring"} {
		assert.Contains(t, stderr.String(), want)
	}
}

func TestPlanRefusesATypoInAProjectConfigKey(t *testing.T) {
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n"})
	project, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"),
		append(project, []byte("  kit:monitorng:\n    value: x\n")...), 0o644))
	s, err := plan.LoadStack(dir, "s")
	require.NoError(t, err, "the loader keeps the problem, to report it with every other one")
	require.Len(t, s.Problems, 1)
	assert.Contains(t, s.Problems[0], "Pulumi.yaml: ")
	var stdout, stderr bytes.Buffer
	assert.Equal(t, plan.ExitInvalid, plan.Main([]string{"-root", dir, "s"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), `Pulumi.yaml: unknown config key "kit:monitorng"`)
}

func TestEveryKnownConfigKeyIsAccepted(t *testing.T) {
	var keys []string
	for _, k := range stacks.KnownKeys() {
		keys = append(keys, "kit:"+k)
	}
	assert.Empty(t, stacks.CheckKeys(append(keys, "aws:region", "aws:profile")),
		"the kit's own keys pass, and other namespaces are not the kit's to judge")
	assert.Len(t, stacks.CheckKeys([]string{"kit:networks", "kit:Network"}), 2, "keys are case-sensitive, as the SDK's lookup")
}

// stackKeysLoad runs stacks.LoadConfig under the simulated AWS with a valid stack config.
func stackKeysLoad(t *testing.T) error {
	t.Helper()
	_, err := awssim.Run(func(ctx *pulumi.Context) error {
		_, err := stacks.LoadConfig(ctx)
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{
		"aws:region": "us-east-1", "kit:network": `{"cidr": "10.0.0.0/16"}`,
	}})
	return err
}

func TestLoadConfigRefusesAnUnknownKeyTheEngineHandsIt(t *testing.T) {
	// Under the real CLI the engine passes the program its config in PULUMI_CONFIG.
	t.Setenv(pulumi.EnvConfig, `{"aws:region": "us-east-1", "kit:networks": "{\"cidr\": \"10.0.0.0/16\"}"}`)
	err := stackKeysLoad(t)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown config key "kit:networks"`)
	assert.Contains(t, err.Error(), "kit:network")

	t.Setenv(pulumi.EnvConfig, `{"aws:region": "us-east-1", "kit:network": "{\"cidr\": \"10.0.0.0/16\"}", "kit:environment": "development"}`)
	assert.NoError(t, stackKeysLoad(t), "known keys pass")

	t.Setenv(pulumi.EnvConfig, `not json`)
	err = stackKeysLoad(t)
	require.Error(t, err)
	assert.Contains(t, err.Error(), pulumi.EnvConfig)
}

func TestLoadConfigWithoutTheEngineVariableChecksNothingExtra(t *testing.T) {
	t.Setenv(pulumi.EnvConfig, "")
	require.NoError(t, os.Unsetenv(pulumi.EnvConfig))
	assert.NoError(t, stackKeysLoad(t), "the simulated AWS passes config through RunInfo, not PULUMI_CONFIG")
}
