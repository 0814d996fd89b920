package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
)

// networkProgram builds one VPC with args in the default region.
func networkProgram(args *network.Args) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := network.New(ctx, "net", args)
		return err
	}
}

const (
	typeVPC        = "aws:ec2/vpc:Vpc"
	typeSubnet     = "aws:ec2/subnet:Subnet"
	typeRoute      = "aws:ec2/route:Route"
	typeRouteTable = "aws:ec2/routeTable:RouteTable"
	typeAssoc      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	typeNAT        = "aws:ec2/natGateway:NatGateway"
	typeIGW        = "aws:ec2/internetGateway:InternetGateway"
)

func TestNetworkResourceCountsPerNATStrategy(t *testing.T) {
	for _, tc := range []struct {
		nat           network.NATStrategy
		tiers         []network.Tier
		nats, subnets int
	}{
		{network.NATPerAZ, nil, 3, 9},
		{network.NATSingle, nil, 1, 9},
		{network.NATNone, []network.Tier{network.Public, network.Data}, 0, 6},
	} {
		t.Run(string(tc.nat), func(t *testing.T) {
			g := simulate(t, "us-east-1", networkProgram(&network.Args{NATStrategy: tc.nat, Tiers: tc.tiers}))
			counts := g.CountByType()
			assert.Equal(t, tc.nats, counts[typeNAT])
			assert.Equal(t, tc.nats, counts["aws:ec2/eip:Eip"])
			assert.Equal(t, 1, counts[typeVPC])
			assert.Equal(t, 1, counts[typeIGW])
			assert.Equal(t, 1, counts["aws:ec2/flowLog:FlowLog"])
			assert.Equal(t, 1, counts["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"])
			assert.Equal(t, tc.subnets, counts[typeSubnet])
			assert.Equal(t, tc.subnets, counts[typeAssoc])
		})
	}
}

// tableOf returns the route table a subnet is associated with.
func tableOf(t *testing.T, g *awssim.Graph, subnet *awssim.Resource) *awssim.Resource {
	t.Helper()
	for _, a := range g.ByType(typeAssoc) {
		if a.InputString("subnetId") == subnet.ID {
			return g.ByID(a.InputString("routeTableId"))
		}
	}
	t.Fatalf("subnet %s has no route table association", subnet.Name)
	return nil
}

// defaultRoute returns the 0.0.0.0/0 route of a table, or nil.
func defaultRoute(g *awssim.Graph, table *awssim.Resource) *awssim.Resource {
	for _, r := range g.ByType(typeRoute) {
		if r.InputString("routeTableId") == table.ID && r.InputString("destinationCidrBlock") == "0.0.0.0/0" {
			return r
		}
	}
	return nil
}

func subnetsOfTier(g *awssim.Graph, tier string) []*awssim.Resource {
	var out []*awssim.Resource
	for _, s := range g.ByType(typeSubnet) {
		if s.Tags()["Tier"] == tier {
			out = append(out, s)
		}
	}
	return out
}

func TestNetworkRoutesPublicToIGWPrivateToNATInSameAZAndDataNowhere(t *testing.T) {
	g := simulate(t, "us-west-2", networkProgram(&network.Args{}))
	igw := g.ByType(typeIGW)[0]
	for _, s := range subnetsOfTier(g, "public") {
		r := defaultRoute(g, tableOf(t, g, s))
		require.NotNil(t, r, s.Name)
		assert.Equal(t, igw.ID, r.InputString("gatewayId"), s.Name)
	}
	for _, s := range subnetsOfTier(g, "private") {
		r := defaultRoute(g, tableOf(t, g, s))
		require.NotNil(t, r, s.Name)
		nat := g.ByID(r.InputString("natGatewayId"))
		require.NotNil(t, nat, "private subnet %s routes to a NAT gateway", s.Name)
		natSubnet := g.ByID(nat.InputString("subnetId"))
		assert.Equal(t, s.OutputString("availabilityZone"), natSubnet.OutputString("availabilityZone"),
			"per-AZ NAT: %s uses the NAT gateway of its own AZ", s.Name)
		assert.Equal(t, "public", natSubnet.Tags()["Tier"])
	}
	for _, s := range subnetsOfTier(g, "data") {
		table := tableOf(t, g, s)
		assert.Nil(t, defaultRoute(g, table), "data subnet %s must have no internet route", s.Name)
		for _, r := range g.ByType(typeRoute) {
			assert.NotEqual(t, table.ID, r.InputString("routeTableId"), "data route table has no routes at all")
		}
	}
}

func TestNetworkSingleNATServesEveryPrivateSubnet(t *testing.T) {
	g := simulate(t, "us-east-1", networkProgram(&network.Args{NATStrategy: network.NATSingle}))
	nat := g.ByType(typeNAT)[0]
	assert.Equal(t, "us-east-1a", g.ByID(nat.InputString("subnetId")).OutputString("availabilityZone"))
	for _, s := range subnetsOfTier(g, "private") {
		assert.Equal(t, nat.ID, defaultRoute(g, tableOf(t, g, s)).InputString("natGatewayId"), s.Name)
	}
}

func TestNetworkGatewayEndpointsOnPrivateAndDataTables(t *testing.T) {
	g := simulate(t, "eu-central-1", networkProgram(&network.Args{}))
	want := map[string]bool{}
	for _, tier := range []string{"private", "data"} {
		for _, s := range subnetsOfTier(g, tier) {
			want[tableOf(t, g, s).ID] = true
		}
	}
	endpoints := g.ByType("aws:ec2/vpcEndpoint:VpcEndpoint")
	require.Len(t, endpoints, 2)
	var services []string
	for _, e := range endpoints {
		services = append(services, e.InputString("serviceName"))
		assert.Equal(t, "Gateway", e.InputString("vpcEndpointType"))
		got := map[string]bool{}
		for _, v := range e.Input("routeTableIds").ArrayValue() {
			got[v.StringValue()] = true
		}
		assert.Equal(t, want, got, "%s is on every private and data route table and no other", e.Name)
	}
	assert.ElementsMatch(t, []string{"com.amazonaws.eu-central-1.s3", "com.amazonaws.eu-central-1.dynamodb"}, services)

	off := simulate(t, "eu-central-1", networkProgram(&network.Args{DisableGatewayEndpoints: true}))
	assert.Empty(t, off.ByType("aws:ec2/vpcEndpoint:VpcEndpoint"))
}

func TestNetworkFlowLogsWriteOnlyToTheirLogGroup(t *testing.T) {
	g := simulate(t, "us-east-1", networkProgram(&network.Args{FlowLogRetentionDays: 365}))
	vpc := g.ByType(typeVPC)[0]
	fl := g.ByType("aws:ec2/flowLog:FlowLog")[0]
	group := g.ByType("aws:cloudwatch/logGroup:LogGroup")[0]
	role := g.ByType("aws:iam/role:Role")[0]
	assert.Equal(t, vpc.ID, fl.InputString("vpcId"))
	assert.Equal(t, "ALL", fl.InputString("trafficType"))
	assert.Equal(t, group.OutputString("arn"), fl.InputString("logDestination"))
	assert.Equal(t, role.OutputString("arn"), fl.InputString("iamRoleArn"))
	assert.Equal(t, 365.0, group.Input("retentionInDays").NumberValue())

	var trust struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(role.InputString("assumeRolePolicy")), &trust))
	assert.Equal(t, map[string]any{"Service": "vpc-flow-logs.amazonaws.com"}, trust.Statement[0]["Principal"])
	assert.Contains(t, role.InputString("assumeRolePolicy"), awssim.AccountID, "trust is scoped to the account")

	var policy struct {
		Statement []struct {
			Action   []string
			Resource any
		}
	}
	rp := g.ByType("aws:iam/rolePolicy:RolePolicy")[0]
	require.NoError(t, json.Unmarshal([]byte(rp.InputString("policy")), &policy))
	require.Len(t, policy.Statement, 2)
	assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, policy.Statement[0].Action)
	assert.ElementsMatch(t, []any{group.OutputString("arn"), group.OutputString("arn") + ":*"}, policy.Statement[0].Resource,
		"writes go to this log group only")
	assert.Equal(t, []string{"logs:DescribeLogGroups"}, policy.Statement[1].Action, "the only action on every resource lists names")

	off := simulate(t, "us-east-1", networkProgram(&network.Args{DisableFlowLogs: true}))
	assert.Empty(t, off.ByType("aws:ec2/flowLog:FlowLog"))
	assert.Empty(t, off.ByType("aws:iam/role:Role"))
}

func TestNetworkDefaultSecurityGroupHasNoRules(t *testing.T) {
	g := simulate(t, "us-east-1", networkProgram(&network.Args{}))
	sg := g.ByType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")[0]
	assert.Equal(t, g.ByType(typeVPC)[0].ID, sg.InputString("vpcId"))
	assert.True(t, sg.Input("ingress").IsNull() || len(sg.Input("ingress").ArrayValue()) == 0)
	assert.True(t, sg.Input("egress").IsNull() || len(sg.Input("egress").ArrayValue()) == 0)
}

func TestNetworkTagsEveryResourceAndNamesTierAndAZ(t *testing.T) {
	tags := map[string]string{"Project": "kit", "Environment": "dev", "ManagedBy": "pulumi"}
	g := simulate(t, "us-east-2", networkProgram(&network.Args{Tags: tags}))
	for _, r := range g.Resources() {
		if !r.Custom || r.Type == typeRoute || r.Type == typeAssoc || r.Type == "aws:iam/rolePolicy:RolePolicy" {
			continue // these types take no tags
		}
		for k, v := range tags {
			assert.Equal(t, v, r.Tags()[k], "%s %s tag %s", r.Type, r.Name, k)
		}
		assert.NotEmpty(t, r.Tags()["Name"], "%s %s has a Name tag", r.Type, r.Name)
	}
	for _, s := range g.ByType(typeSubnet) {
		name := s.Tags()["Name"]
		assert.Contains(t, name, s.Tags()["Tier"])
		assert.True(t, strings.HasSuffix(name, s.OutputString("availabilityZone")), name)
	}
}

func TestNetworkOnASecondProviderPutsEveryChildInItsRegion(t *testing.T) {
	var vpc *network.VPC
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		vpc, err = network.New(ctx, "dr-net", &network.Args{CIDR: "10.1.0.0/16", AZCount: 2}, pulumi.Provider(p))
		return err
	})
	assert.Equal(t, "eu-west-1", vpc.Region)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b"}, vpc.AZs)
	aws := 0
	for _, r := range g.Resources() {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			aws++
			assert.Equal(t, "eu-west-1", r.Region, "%s %s", r.Type, r.Name)
		}
	}
	assert.Greater(t, aws, 20)
	for _, s := range g.ByType(typeSubnet) {
		assert.True(t, strings.HasPrefix(s.OutputString("availabilityZone"), "eu-west-1"))
	}
}

func TestNetworkExplicitAZsKeepTheirOrderAndCIDRs(t *testing.T) {
	var vpc *network.VPC
	simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		var err error
		vpc, err = network.New(ctx, "net", &network.Args{AZs: []string{"us-east-1c", "us-east-1a"}, NATStrategy: network.NATSingle})
		return err
	})
	assert.Equal(t, []string{"us-east-1c", "us-east-1a"}, vpc.AZs)
	var got []string
	for _, s := range vpc.Subnets {
		got = append(got, string(s.Tier)+" "+s.AZ+" "+s.CIDR.String())
	}
	assert.Equal(t, []string{
		"public us-east-1c 10.0.120.0/24", "public us-east-1a 10.0.121.0/24",
		"private us-east-1c 10.0.0.0/20", "private us-east-1a 10.0.16.0/20",
		"data us-east-1c 10.0.96.0/22", "data us-east-1a 10.0.100.0/22",
	}, got)
	assert.Len(t, vpc.SubnetsOf(network.Private), 2)
}

func TestNetworkRejectsBadInputBeforeRegisteringAnything(t *testing.T) {
	for _, tc := range []struct {
		name string
		args network.Args
		want []string
	}{
		{"unparsable CIDR", network.Args{CIDR: "10.0.0/16"}, []string{`CIDR "10.0.0/16" is not an IPv4 CIDR block`}},
		{"host bits", network.Args{CIDR: "10.0.0.1/16"}, []string{"use the network address 10.0.0.0/16"}},
		{"too large", network.Args{CIDR: "10.0.0.0/8"}, []string{"from /16 to /28"}},
		{"a VPC too small for one subnet of each tier", network.Args{CIDR: "10.0.0.0/27"}, []string{`CIDR "10.0.0.0/27" is a /27: too small for a /28 subnet of each of the 3 tiers; use a /26 or larger VPC`}},
		{"a small VPC holds fewer AZs", network.Args{CIDR: "10.0.0.0/25"}, []string{"AZCount 3 does not fit the /25 VPC 10.0.0.0/25: with subnets of at least /28, it has room for 2 AZs of 3 tiers"}},
		{"explicit prefixes that cannot fit", network.Args{CIDR: "10.0.0.0/24", PublicPrefix: 32}, []string{"PublicPrefix /32 does not fit"}},
		{"tiers do not fit", network.Args{CIDR: "10.0.0.0/20", PrivatePrefix: 21}, []string{"the address plan does not fit", "Use a larger CIDR"}},
		{"zero AZs", network.Args{AZCount: -1}, []string{"AZCount -1 is out of range", "use 1 to 3"}},
		{"more AZs than the region", network.Args{AZCount: 4}, []string{"AZCount 4 is out of range: us-east-2 has 3 available zones"}},
		{"duplicate AZ", network.Args{AZs: []string{"us-east-2a", "us-east-2a"}}, []string{`AZs: "us-east-2a" is listed twice`}},
		{"foreign AZ", network.Args{AZs: []string{"us-west-2a"}}, []string{`AZs: "us-west-2a" is not an available zone of us-east-2`}},
		{"unknown NAT strategy", network.Args{NATStrategy: "two"}, []string{`NATStrategy "two" is not a strategy`}},
		{"unknown tier", network.Args{Tiers: []network.Tier{"dmz"}}, []string{`Tiers: "dmz" is not a tier`}},
		{"bad retention", network.Args{FlowLogRetentionDays: 10}, []string{"FlowLogRetentionDays 10 is not a period CloudWatch Logs accepts"}},
		{"every problem at once", network.Args{CIDR: "10.0.0.0/8", AZCount: 9, NATStrategy: "x"}, []string{"CIDR", "AZCount 9", `NATStrategy "x"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := simulateErr(t, "us-east-2", networkProgram(&tc.args))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Zero(t, g.Len(), "nothing is registered when the arguments are wrong")
		})
	}
}

func TestNetworkRegistersItsOutputs(t *testing.T) {
	var vpc *network.VPC
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		var err error
		vpc, err = network.New(ctx, "net", &network.Args{AZCount: 2, NATStrategy: network.NATSingle})
		return err
	})
	comp := g.Named("kit:network:VPC", "net")
	require.NotNil(t, comp)
	assert.Len(t, g.Descendants(comp.URN), g.Len()-1, "every resource is parented under the component")
	assert.Equal(t, "10.0.0.0/16", vpc.CIDR)
	assert.Len(t, vpc.Subnets, 6)
}

func BenchmarkNetworkUnderSimulatedAWS(b *testing.B) {
	for _, azs := range []int{2, 3, 6} {
		b.Run(fmt.Sprintf("azs=%d", azs), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := awssim.Run(networkProgram(&network.Args{AZCount: azs}), awssim.Options{
					Project: project, Stack: "bench", Config: map[string]string{"aws:region": "us-east-1"},
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
