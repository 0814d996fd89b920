package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/dr"
)

// TestEveryRegionTheKitAcceptsIsModelledOffline plans a stack in each region the kit accepts, as primary and
// as DR region: the offline plan never answers for a region the kit accepts with a refusal AWS would not give.
func TestEveryRegionTheKitAcceptsIsModelledOffline(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	assert.ElementsMatch(t, dr.Regions(), awssim.Regions(), "the kit accepts exactly the regions the simulation models")
	for _, region := range dr.Regions() {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			require.GreaterOrEqual(t, len(awssim.Zones(region)), 2)
			other := "us-east-1"
			if region == other {
				other = "us-west-2"
			}
			dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: " + region + "\n  kit:network:\n    azCount: 2\n" +
				"  kit:dr:\n    enabled: true\n    region: " + other + "\n    cidr: 10.1.0.0/16\n    azCount: 2\n    rpoSeconds: 300\n"})
			status, _, stderr := planMain(t, dir, "s")
			assert.Equal(t, 0, status, stderr)
		})
	}
}

func TestRegionsTheIssueMeasuredPlan(t *testing.T) {
	status, _, stderr := planFile(t, "  kit:dr:\n    enabled: true\n    region: eu-west-3\n    cidr: 10.1.0.0/16\n    rpoSeconds: 300\n")
	assert.Equal(t, 0, status, stderr)
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: me-central-1\n"})
	status, _, stderr = planMain(t, dir, "s")
	assert.Equal(t, 0, status, stderr)

	status, _, stderr = planMain(t, copyProject(t, map[string]string{"s": "config:\n  aws:region: mars-north-1\n"}), "s")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, `aws:region "mars-north-1" is not an AWS region the kit knows: use one of af-south-1`)
	assert.NotContains(t, stderr, "api error", "a region the kit does not know is the stack file's mistake, not an AWS refusal")
}
