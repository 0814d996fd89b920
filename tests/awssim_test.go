package tests

import (
	"regexp"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
)

// rawVPC registers a VPC with an attached internet gateway and one public subnet, the smallest network
// the refusal tests build on.
type rawVPC struct {
	vpc    *ec2.Vpc
	igw    *ec2.InternetGateway
	public *ec2.Subnet
}

func newRawVPC(ctx *pulumi.Context, name, cidr, subnet string, withIGW bool) (*rawVPC, error) {
	r := &rawVPC{}
	var err error
	if r.vpc, err = ec2.NewVpc(ctx, name, &ec2.VpcArgs{CidrBlock: pulumi.String(cidr)}); err != nil {
		return nil, err
	}
	if withIGW {
		if r.igw, err = ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{VpcId: r.vpc.ID()}); err != nil {
			return nil, err
		}
	}
	r.public, err = ec2.NewSubnet(ctx, name+"-public", &ec2.SubnetArgs{VpcId: r.vpc.ID(), CidrBlock: pulumi.String(subnet), AvailabilityZone: pulumi.String("us-east-1a")})
	return r, err
}

func TestAWSSimRefusesWhatTheEC2APIRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		program pulumi.RunFunc
		want    string
	}{
		{"VPC larger than /16", func(ctx *pulumi.Context) error {
			_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/15")})
			return err
		}, "InvalidVpc.Range"},
		{"VPC smaller than /28", func(ctx *pulumi.Context) error {
			_, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/29")})
			return err
		}, "InvalidVpc.Range"},
		{"subnet outside its VPC", func(ctx *pulumi.Context) error {
			_, err := newRawVPC(ctx, "v", "10.0.0.0/16", "10.1.0.0/24", false)
			return err
		}, "InvalidSubnet.Range"},
		{"overlapping subnets", func(ctx *pulumi.Context) error {
			r, err := newRawVPC(ctx, "v", "10.0.0.0/16", "10.0.0.0/24", false)
			if err != nil {
				return err
			}
			_, err = ec2.NewSubnet(ctx, "second", &ec2.SubnetArgs{VpcId: r.vpc.ID(), CidrBlock: pulumi.String("10.0.0.128/25"), AvailabilityZone: pulumi.String("us-east-1b")},
				pulumi.DependsOn([]pulumi.Resource{r.public}))
			return err
		}, "InvalidSubnet.Conflict"},
		{"subnet in another region's AZ", func(ctx *pulumi.Context) error {
			v, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
			if err != nil {
				return err
			}
			_, err = ec2.NewSubnet(ctx, "s", &ec2.SubnetArgs{VpcId: v.ID(), CidrBlock: pulumi.String("10.0.0.0/24"), AvailabilityZone: pulumi.String("eu-west-1a")})
			return err
		}, "Subnets can currently only be created in the following availability zones: us-east-1a"},
		{"public NAT gateway without an internet gateway", func(ctx *pulumi.Context) error {
			r, err := newRawVPC(ctx, "v", "10.0.0.0/16", "10.0.0.0/24", false)
			if err != nil {
				return err
			}
			eip, err := ec2.NewEip(ctx, "e", &ec2.EipArgs{Domain: pulumi.String("vpc")})
			if err != nil {
				return err
			}
			_, err = ec2.NewNatGateway(ctx, "n", &ec2.NatGatewayArgs{SubnetId: r.public.ID(), AllocationId: eip.AllocationId})
			return err
		}, "Gateway.NotAttached"},
		{"route to another VPC's NAT gateway", func(ctx *pulumi.Context) error {
			a, err := newRawVPC(ctx, "a", "10.0.0.0/16", "10.0.0.0/24", true)
			if err != nil {
				return err
			}
			b, err := newRawVPC(ctx, "b", "10.1.0.0/16", "10.1.0.0/24", false)
			if err != nil {
				return err
			}
			eip, err := ec2.NewEip(ctx, "e", &ec2.EipArgs{Domain: pulumi.String("vpc")})
			if err != nil {
				return err
			}
			nat, err := ec2.NewNatGateway(ctx, "n", &ec2.NatGatewayArgs{SubnetId: a.public.ID(), AllocationId: eip.AllocationId}, pulumi.DependsOn([]pulumi.Resource{a.igw}))
			if err != nil {
				return err
			}
			rt, err := ec2.NewRouteTable(ctx, "rt", &ec2.RouteTableArgs{VpcId: b.vpc.ID()})
			if err != nil {
				return err
			}
			_, err = ec2.NewRoute(ctx, "r", &ec2.RouteArgs{RouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: nat.ID()})
			return err
		}, "belong to different networks"},
		{"security group rule with from port above to port", func(ctx *pulumi.Context) error {
			v, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
			if err != nil {
				return err
			}
			_, err = ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: v.ID(), Ingress: ec2.SecurityGroupIngressArray{
				ec2.SecurityGroupIngressArgs{Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(80), CidrBlocks: pulumi.StringArray{pulumi.String("10.0.0.0/8")}},
			}})
			return err
		}, "Invalid TCP/UDP port range (443-80)"},
		{"security group rule with a port above 65535", func(ctx *pulumi.Context) error {
			_, err := ec2.NewSecurityGroupRule(ctx, "r", &ec2.SecurityGroupRuleArgs{Type: pulumi.String("ingress"), Protocol: pulumi.String("tcp"),
				FromPort: pulumi.Int(80), ToPort: pulumi.Int(70000), SecurityGroupId: pulumi.String("sg-0123"), CidrBlocks: pulumi.StringArray{pulumi.String("10.0.0.0/8")}})
			return err
		}, "Invalid TCP/UDP port range (80-70000)"},
		{"flow log retention CloudWatch does not offer", func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "logs", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(10)})
			return err
		}, "retentionInDays"},
		{"resource type without a model", func(ctx *pulumi.Context) error {
			_, err := ec2.NewKeyPair(ctx, "key", &ec2.KeyPairArgs{PublicKey: pulumi.String("ssh-ed25519 AAAA")})
			return err
		}, `no model for resource type "aws:ec2/keyPair:KeyPair"`},
		{"invoke without a model", func(ctx *pulumi.Context) error {
			_, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Default: pulumi.BoolRef(true)})
			return err
		}, `no model for invoke "aws:ec2/getVpc:getVpc"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", tc.program)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAWSSimFlagsAPublicNATGatewayInASubnetWithoutAnInternetRoute(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		r, err := newRawVPC(ctx, "v", "10.0.0.0/16", "10.0.0.0/24", true)
		if err != nil {
			return err
		}
		eip, err := ec2.NewEip(ctx, "e", &ec2.EipArgs{Domain: pulumi.String("vpc")})
		if err != nil {
			return err
		}
		// Accepted by the API (the VPC has an internet gateway), but the subnet has no route to it.
		_, err = ec2.NewNatGateway(ctx, "n", &ec2.NatGatewayArgs{SubnetId: r.public.ID(), AllocationId: eip.AllocationId}, pulumi.DependsOn([]pulumi.Resource{r.igw}))
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "whose route table has no 0.0.0.0/0 route to an internet gateway")
}

func TestAWSSimRefusesAMissingRegion(t *testing.T) {
	_, err := awssim.Run(networkProgram(nil), awssim.Options{Project: project, Stack: "test"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing required configuration key aws:region")
}

func TestAWSSimOutputsLookLikeAWS(t *testing.T) {
	var ami string
	g := simulate(t, "eu-west-1", func(ctx *pulumi.Context) error {
		if _, err := network.New(ctx, "net", &network.Args{AZCount: 2}); err != nil {
			return err
		}
		p, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"})
		if err != nil {
			return err
		}
		ami = p.Value
		_, err = ec2.NewLaunchTemplate(ctx, "lt", &ec2.LaunchTemplateArgs{ImageId: pulumi.String(ami)})
		return err
	})
	idFormats := map[string]string{
		typeVPC: `^vpc-[0-9a-f]{17}$`, typeSubnet: `^subnet-[0-9a-f]{17}$`, typeIGW: `^igw-[0-9a-f]{17}$`,
		typeNAT: `^nat-[0-9a-f]{17}$`, "aws:ec2/eip:Eip": `^eipalloc-[0-9a-f]{17}$`, typeRouteTable: `^rtb-[0-9a-f]{17}$`,
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": `^sg-[0-9a-f]{17}$`, "aws:ec2/launchTemplate:LaunchTemplate": `^lt-[0-9a-f]{17}$`,
		"aws:ec2/vpcEndpoint:VpcEndpoint": `^vpce-[0-9a-f]{17}$`, "aws:ec2/flowLog:FlowLog": `^fl-[0-9a-f]{17}$`,
	}
	for typ, format := range idFormats {
		rs := g.ByType(typ)
		require.NotEmpty(t, rs, typ)
		for _, r := range rs {
			assert.Regexp(t, format, r.ID, typ)
		}
	}
	vpc := g.ByType(typeVPC)[0]
	assert.Equal(t, "arn:aws:ec2:eu-west-1:123456789012:vpc/"+vpc.ID, vpc.OutputString("arn"))
	assert.Equal(t, "10.0.0.0/16", vpc.OutputString("cidrBlock"), "inputs are echoed as outputs")
	assert.Regexp(t, `^arn:aws:iam::123456789012:role/net-flow-logs-[0-9a-f]{7}$`, g.ByType("aws:iam/role:Role")[0].OutputString("arn"))
	assert.Regexp(t, `^arn:aws:logs:eu-west-1:123456789012:log-group:/vpc/flow-logs/net-[0-9a-f]{26}$`, g.ByType("aws:cloudwatch/logGroup:LogGroup")[0].OutputString("arn"))
	eip := g.ByType("aws:ec2/eip:Eip")[0]
	assert.Regexp(t, `^52\.\d+\.\d+\.\d+$`, eip.OutputString("publicIp"))
	assert.Regexp(t, `^ec2-52-\d+-\d+-\d+\.eu-west-1\.compute\.amazonaws\.com$`, eip.OutputString("publicDns"))
	assert.Regexp(t, `^ami-0[0-9a-f]{16}$`, ami)
	assert.NotEqual(t, awssim.AMI("us-east-1", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"), ami, "AMIs differ per region")
	for _, s := range g.ByType(typeSubnet) {
		assert.Regexp(t, `^euw1-az[1-3]$`, s.OutputString("availabilityZoneId"))
	}
}

func TestAWSSimAnswersRealZonesForEverySupportedRegion(t *testing.T) {
	for _, region := range []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-2", "ap-northeast-1"} {
		var zones *aws.GetAvailabilityZonesResult
		simulate(t, region, func(ctx *pulumi.Context) error {
			var err error
			zones, err = aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{State: pulumi.StringRef("available"),
				Filters: []aws.GetAvailabilityZonesFilter{{Name: "zone-type", Values: []string{"availability-zone"}}}})
			return err
		})
		require.GreaterOrEqual(t, len(zones.Names), 3, region)
		for i, n := range zones.Names {
			assert.Regexp(t, "^"+regexp.QuoteMeta(region)+"[a-f]$", n)
			assert.NotEmpty(t, zones.ZoneIds[i])
		}
	}
}

func TestAWSSimIsDeterministic(t *testing.T) {
	render := func() []string {
		g := simulate(t, "us-east-1", networkProgram(&network.Args{}))
		var out []string
		for _, r := range g.Resources() {
			out = append(out, r.URN+" "+r.ID+" "+r.Region)
		}
		return out
	}
	first := render()
	for i := 0; i < 3; i++ {
		assert.Equal(t, first, render())
	}
}
