package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/policy/rules"
)

// The program runs offline against the kit's simulated AWS, which refuses what AWS would refuse: no
// account, no Pulumi CLI.
func run(t *testing.T, region string) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(program, awssim.Options{Project: "webapp", Stack: "dev",
		Config: map[string]string{"aws:region": region}})
	require.NoError(t, err)
	return g
}

func TestTheWebTierRunsInThePrivateSubnetsBehindAPublicLoadBalancer(t *testing.T) {
	g := run(t, "eu-west-1")
	alb := g.Named("aws:lb/loadBalancer:LoadBalancer", "app-alb")
	require.NotNil(t, alb)
	assert.Equal(t, "eu-west-1", alb.Region)
	assert.Len(t, alb.Input("subnets").ArrayValue(), 2, "the load balancer spans the two AZs")

	asg := g.Named("aws:autoscaling/group:Group", "app-asg")
	require.NotNil(t, asg)
	private := map[string]bool{}
	for _, s := range g.ByType("aws:ec2/subnet:Subnet") {
		if s.Tags()["Tier"] == "private" {
			private[s.ID] = true
		}
	}
	for _, id := range asg.Input("vpcZoneIdentifiers").ArrayValue() {
		assert.True(t, private[id.StringValue()], "instances run in private subnets only")
	}
	lt := g.Named("aws:ec2/launchTemplate:LaunchTemplate", "app-lt")
	require.NotNil(t, lt)
	assert.Equal(t, awssim.AMI("eu-west-1", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"),
		lt.InputString("imageId"), "a Graviton type launches the arm64 image")
}

func TestTheKitsPolicyPackAcceptsTheProgram(t *testing.T) {
	g := run(t, "us-east-2")
	violations, err := rules.Evaluate("dev", g.AnalyzerResources())
	require.NoError(t, err)
	assert.Empty(t, rules.MandatoryOnly(violations), "tags, flow logs, private instances: the caller's share is done")
}
