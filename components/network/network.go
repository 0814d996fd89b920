// Package network builds a VPC with public, private and data subnets across availability zones, NAT
// gateways by strategy, flow logs, free gateway endpoints and a locked-down default security group.
//
// The address plan (plan.go) is pure and stable; this file and its siblings only turn it into resources.
// The component works in any region: pass an explicit aws.Provider in the resource options and every child,
// and every lookup, uses it.
package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/tagging"
)

// VPC is the network component.
type VPC struct {
	pulumi.ResourceState

	// Plain facts, known when the program runs, for other components to validate against.
	Region  string
	CIDR    string
	AZs     []string
	Subnets []Subnet // in Tiers order, then AZ order
	// RouteTables are the tiers' route tables: public, then private (one per AZ, in AZ order), then data.
	RouteTables []RouteTable

	VPCID                pulumi.StringOutput
	PublicSubnetIDs      pulumi.StringArrayOutput
	PrivateSubnetIDs     pulumi.StringArrayOutput
	DataSubnetIDs        pulumi.StringArrayOutput
	PublicRouteTableIDs  pulumi.StringArrayOutput
	PrivateRouteTableIDs pulumi.StringArrayOutput // one per AZ, in AZ order
	DataRouteTableIDs    pulumi.StringArrayOutput
	NATPublicIPs         pulumi.StringArrayOutput
	FlowLogGroupName     pulumi.StringOutput // empty when flow logs are off
}

// SubnetsOf returns the subnets of one tier, in AZ order.
func (v *VPC) SubnetsOf(tier Tier) []Subnet {
	var out []Subnet
	for _, s := range v.Subnets {
		if s.Tier == tier {
			out = append(out, s)
		}
	}
	return out
}

// RouteTablesOf returns the route tables of one tier: the private tier's in AZ order.
func (v *VPC) RouteTablesOf(tier Tier) []RouteTable {
	var out []RouteTable
	for _, t := range v.RouteTables {
		if t.Tier == tier {
			out = append(out, t)
		}
	}
	return out
}

// New validates args against the provider's region and builds the VPC. Nothing is registered when the
// arguments are wrong: the error lists every problem.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*VPC, error) {
	if args == nil {
		args = &Args{}
	}
	where, err := placement.Lookup(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	c, err := args.validate(where)
	if err != nil {
		return nil, err
	}

	v := &VPC{Region: c.region, CIDR: c.vpc.String()}
	for _, z := range c.azs {
		v.AZs = append(v.AZs, z.Name)
	}
	if err := ctx.RegisterComponentResource("kit:network:VPC", name, v, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, c: c, v: v, parent: pulumi.Parent(v)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	return v, ctx.RegisterResourceOutputs(v, pulumi.Map{
		"vpcId":                v.VPCID,
		"cidr":                 pulumi.String(v.CIDR),
		"region":               pulumi.String(v.Region),
		"azs":                  pulumi.ToStringArray(v.AZs),
		"publicSubnetIds":      v.PublicSubnetIDs,
		"privateSubnetIds":     v.PrivateSubnetIDs,
		"dataSubnetIds":        v.DataSubnetIDs,
		"publicRouteTableIds":  v.PublicRouteTableIDs,
		"privateRouteTableIds": v.PrivateRouteTableIDs,
		"dataRouteTableIds":    v.DataRouteTableIDs,
		"natPublicIps":         v.NATPublicIPs,
		"flowLogGroupName":     v.FlowLogGroupName,
	})
}

// builder carries what every resource-building step needs.
type builder struct {
	ctx    *pulumi.Context
	name   string
	c      *config
	v      *VPC
	parent pulumi.ResourceOption

	vpc     *ec2.Vpc
	subnets map[Tier][]*ec2.Subnet // AZ order
	tables  map[Tier][]*ec2.RouteTable
}

// tags merges the user's tags with a Name tag and any extras.
func (b *builder) tags(name string, extra ...string) pulumi.StringMap {
	return tagging.Merge(b.c.tags, name, extra...)
}

// build runs the steps in a fixed order; each step only reads what earlier steps made.
func (b *builder) build() error {
	steps := []func() error{b.buildVPC, b.buildSubnets, b.buildNetworkACL, b.buildRouting, b.buildEndpoints,
		b.buildFlowLogs}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) buildVPC() error {
	vpc, err := ec2.NewVpc(b.ctx, b.name, &ec2.VpcArgs{
		CidrBlock: pulumi.String(b.c.vpc.String()),
		// Both on: private DNS names resolve, which interface endpoints and RDS endpoints rely on.
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               b.tags(b.name),
	}, b.parent)
	if err != nil {
		return err
	}
	b.vpc = vpc
	b.v.VPCID = vpc.ID().ToStringOutput()

	// Adopting the default security group with no rules strips AWS's allow-all-within-the-group default, so
	// nothing can silently fall back on it.
	_, err = ec2.NewDefaultSecurityGroup(b.ctx, b.name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  b.tags(b.name + "-default-do-not-use"),
	}, b.parent)
	return err
}

func (b *builder) buildSubnets() error {
	b.subnets = map[Tier][]*ec2.Subnet{}
	for _, p := range b.c.plan {
		az := b.c.azs[p.AZIndex]
		name := fmt.Sprintf("%s-%s-%s", b.name, p.Tier, az.Name)
		s, err := ec2.NewSubnet(b.ctx, name, &ec2.SubnetArgs{
			VpcId:            b.vpc.ID(),
			CidrBlock:        pulumi.String(p.CIDR.String()),
			AvailabilityZone: pulumi.String(az.Name),
			// Nothing gets a public IP by accident: load balancers and NAT gateways bring their own.
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                b.tags(name, "Tier", string(p.Tier)),
		}, b.parent)
		if err != nil {
			return err
		}
		b.subnets[p.Tier] = append(b.subnets[p.Tier], s)
		b.v.Subnets = append(b.v.Subnets, Subnet{Tier: p.Tier, AZ: az.Name, CIDR: p.CIDR, ID: s.ID().ToStringOutput()})
	}
	b.v.PublicSubnetIDs = idsOf(b.subnets[Public])
	b.v.PrivateSubnetIDs = idsOf(b.subnets[Private])
	b.v.DataSubnetIDs = idsOf(b.subnets[Data])
	return nil
}

// idsOf collects resource ids into one array output, in order.
func idsOf[R interface{ ID() pulumi.IDOutput }](rs []R) pulumi.StringArrayOutput {
	arr := pulumi.StringArray{}
	for _, r := range rs {
		arr = append(arr, r.ID().ToStringOutput())
	}
	return arr.ToStringArrayOutput()
}
