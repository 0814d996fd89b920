package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/policy/rules"
)

// TestDRDatabaseAndReplicaPassEveryPolicyInProduction judges the primary database and the warm-standby DR
// region as a production stack composes them.
func TestDRDatabaseAndReplicaPassEveryPolicyInProduction(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(drWarmStandby))
	vs, err := rules.Evaluate("prod", g.AnalyzerResources())
	require.NoError(t, err)
	for _, v := range vs {
		assert.Fail(t, "policy violation", "%s", v)
	}
}
