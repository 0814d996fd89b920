package tests

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/policy/rules"
)

func TestNATStrategyNoneWorksThroughTheStackWithInterfaceEndpoints(t *testing.T) {
	dir := copyProject(t, map[string]string{"s": "config:\n  aws:region: us-east-1\n  kit:network:\n    cidr: 10.30.0.0/16\n    azCount: 2\n    natStrategy: none\n"})
	r, err := plan.Build(dir, "s")
	require.NoError(t, err)
	g := r.Graph
	assert.Empty(t, g.ByType("aws:ec2/natGateway:NatGateway"))
	assert.Empty(t, rules.MandatoryOnly(r.Violations), "the policy pack accepts a private tier without NAT")

	var private []string
	for _, s := range g.ByType("aws:ec2/subnet:Subnet") {
		if s.Tags()["Tier"] == "private" {
			private = append(private, s.ID)
		}
	}
	require.Len(t, private, 2)
	sg := g.Named("aws:ec2/securityGroup:SecurityGroup", "primary-endpoints")
	require.NotNil(t, sg, "the endpoints have a security group of their own")
	rule := g.Named("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "primary-endpoints-https")
	require.NotNil(t, rule)
	assert.Equal(t, "10.30.0.0/16", rule.InputString("cidrIpv4"), "HTTPS from the VPC only")
	assert.Equal(t, 443.0, rule.Input("fromPort").NumberValue())

	for _, svc := range network.InterfaceServices {
		e := g.Named("aws:ec2/vpcEndpoint:VpcEndpoint", "primary-"+svc)
		require.NotNil(t, e, svc)
		assert.Equal(t, "com.amazonaws.us-east-1."+svc, e.InputString("serviceName"))
		assert.Equal(t, "Interface", e.InputString("vpcEndpointType"))
		assert.True(t, e.Input("privateDnsEnabled").BoolValue(), "the services' usual names resolve to the endpoint")
		var subnets []string
		for _, v := range e.Input("subnetIds").ArrayValue() {
			subnets = append(subnets, v.StringValue())
		}
		assert.ElementsMatch(t, private, subnets, "an endpoint in each private subnet")
	}
	for _, rt := range g.ByType("aws:ec2/route:Route") {
		assert.NotContains(t, rt.Name, "private", "no private route table has a way out: %s", rt.Name)
	}
}

func TestAnInterfaceEndpointWithPrivateDNSNeedsDNSHostnamesInItsVPC(t *testing.T) {
	_, err := awssim.Run(func(ctx *pulumi.Context) error {
		vpc, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		if err != nil {
			return err
		}
		sn, err := ec2.NewSubnet(ctx, "a", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.0.0/24"),
			AvailabilityZone: pulumi.String("us-east-1a")})
		if err != nil {
			return err
		}
		_, err = ec2.NewVpcEndpoint(ctx, "ssm", &ec2.VpcEndpointArgs{VpcId: vpc.ID(),
			ServiceName: pulumi.String("com.amazonaws.us-east-1.ssm"), VpcEndpointType: pulumi.String("Interface"),
			SubnetIds: pulumi.StringArray{sn.ID()}, PrivateDnsEnabled: pulumi.Bool(true)})
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames")
}

// TestEveryVPCSizeTheREADMEPromisesPlans plans the stack with each VPC size the README documents, with the
// most AZs it says each holds.
func TestEveryVPCSizeTheREADMEPromisesPlans(t *testing.T) {
	t.Parallel() // plans through the engine: it shares the cores with the other slow tests
	for bits := 16; bits <= 25; bits++ {
		azs := 3
		switch bits {
		case 24:
			azs = 5
		case 25:
			azs = 2
		}
		t.Run(fmt.Sprintf("/%d", bits), func(t *testing.T) {
			status, _, stderr := planFile(t, fmt.Sprintf("  kit:network:\n    cidr: 10.0.0.0/%d\n    azCount: %d\n", bits, azs))
			assert.Equal(t, 0, status, stderr)
		})
	}
	status, _, stderr := planFile(t, "  kit:network:\n    cidr: 10.0.0.0/25\n    azCount: 3\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, "kit:network.azCount 3 does not fit the /25 VPC 10.0.0.0/25: with subnets of at least /28, it has room for 2 AZs of 3 tiers; use a larger CIDR or fewer AZs")
	status, _, stderr = planFile(t, "  kit:network:\n    cidr: 10.0.0.0/27\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, `kit:network.cidr "10.0.0.0/27" is a /27: too small`)
}
