package tests

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/webtier"
	"github.com/migration-kit/kit/internal/plan"
)

func TestAnInstanceTypeEC2DoesNotHaveIsRefusedWithTheNearestOne(t *testing.T) {
	status, _, stderr := planFile(t, "  kit:web:\n    instanceType: t3.mikro\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, `kit:web.instanceType "t3.mikro" is not an EC2 instance type: did you mean "t3.micro"?`)

	for _, known := range []string{"t3.micro", "t4g.micro", "m7g.large", "c6gn.16xlarge", "m7i-flex.large", "r5.metal"} {
		assert.True(t, webtier.KnownInstanceType(known), known)
	}
	for _, unknown := range []string{"t3.mikro", "t4g.metal", "m7g", "large"} {
		assert.False(t, webtier.KnownInstanceType(unknown), unknown)
	}
}

func TestAGravitonTypeGetsTheArm64Image(t *testing.T) {
	for _, typ := range []string{"t4g.micro", "m7g.large"} {
		dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: eu-west-1\n  kit:web:\n    instanceType: " + typ + "\n"})
		r, err := plan.Build(dir, "s")
		require.NoError(t, err, typ)
		lt := r.Graph.Named("aws:ec2/launchTemplate:LaunchTemplate", "web-lt")
		require.NotNil(t, lt)
		assert.Equal(t, awssim.AMI("eu-west-1", webtier.DefaultARMAMIParameter), lt.InputString("imageId"),
			"%s launches Amazon Linux 2023 for arm64", typ)
	}
	assert.Equal(t, webtier.ARM, webtier.Architecture("im4gn.large"))
	assert.Equal(t, webtier.X86, webtier.Architecture("g4dn.xlarge"), "a g series is not Graviton; the g option is")
	assert.Equal(t, webtier.X86, webtier.Architecture("m7i-flex.large"))

	// An explicit image is the user's choice for any type.
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n  kit:web:\n    instanceType: t4g.small\n    amiId: ami-0123456789abcdef0\n"})
	r, err := plan.Build(dir, "s")
	require.NoError(t, err)
	assert.Equal(t, "ami-0123456789abcdef0", r.Graph.Named("aws:ec2/launchTemplate:LaunchTemplate", "web-lt").InputString("imageId"))
}

func TestASpotListSharesOneArchitecture(t *testing.T) {
	status, _, stderr := planFile(t, "  kit:web:\n    instanceType: t3.small\n    spot:\n      percentage: 50\n      instanceTypes: [t3.small, t4g.small]\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, `kit:web.spot.instanceTypes mixes architectures with kit:web.instanceType "t3.small" (x86_64: t3.small; arm64: t4g.small)`)

	status, _, stderr = planFile(t, "  kit:web:\n    instanceType: m7g.large\n    spot:\n      percentage: 50\n      instanceTypes: [m7g.large, m6g.large, c7g.large]\n")
	assert.Equal(t, 0, status, stderr)
}

func TestTheSimulatedAWSRefusesAnImageOnAnotherArchitecture(t *testing.T) {
	_, err := awssim.Run(func(ctx *pulumi.Context) error {
		_, err := ec2.NewLaunchTemplate(ctx, "lt", &ec2.LaunchTemplateArgs{
			ImageId:      pulumi.String(awssim.AMI("us-east-1", webtier.DefaultAMIParameter)),
			InstanceType: pulumi.String("t4g.micro"),
		})
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(x86_64) on instance type t4g.micro (arm64): EC2 refuses")
}
