// Package tests holds the kit's black-box tests: components, stacks, policies and the plan, all run against
// the simulated AWS. They live in one package so that the AWS SDK is linked into one test binary only.
package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

const project = "kit"

// simulate runs program in region under a fresh simulated AWS and fails the test on any error, the
// simulation's end-of-run checks included.
func simulate(t testing.TB, region string, program pulumi.RunFunc) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(program, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": region}})
	require.NoError(t, err)
	return g
}

// simulateErr runs program and returns the error it ends with, for tests that expect a refusal.
func simulateErr(t testing.TB, region string, program pulumi.RunFunc) (*awssim.Graph, error) {
	t.Helper()
	return awssim.Run(program, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": region}})
}
