package tests

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/webtier"
)

// webtierNet is a minimal network for the web tier's tests, built from raw resources: a VPC, an internet
// gateway, public subnets routed to it and private subnets, one of each per AZ.
type webtierNet struct {
	VPC     *ec2.Vpc
	Public  []network.Subnet
	Private []network.Subnet
}

// webtierNetwork registers the network in the first azs AZs of region. opts (e.g. a provider) apply to
// every resource.
func webtierNetwork(ctx *pulumi.Context, prefix, region string, azs int, opts ...pulumi.ResourceOption) (*webtierNet, error) {
	vpc, err := ec2.NewVpc(ctx, prefix+"-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, opts...)
	if err != nil {
		return nil, err
	}
	igw, err := ec2.NewInternetGateway(ctx, prefix+"-igw", &ec2.InternetGatewayArgs{VpcId: vpc.ID()}, opts...)
	if err != nil {
		return nil, err
	}
	rt, err := ec2.NewRouteTable(ctx, prefix+"-public", &ec2.RouteTableArgs{VpcId: vpc.ID()}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewRoute(ctx, prefix+"-default", &ec2.RouteArgs{
		RouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID(),
	}, opts...); err != nil {
		return nil, err
	}
	n := &webtierNet{VPC: vpc}
	for i, z := range awssim.Zones(region)[:azs] {
		for _, tier := range []network.Tier{network.Public, network.Private} {
			cidr := netip.MustParsePrefix(fmt.Sprintf("10.0.%d.0/24", i*16))
			if tier == network.Private {
				cidr = netip.MustParsePrefix(fmt.Sprintf("10.0.%d.0/24", i*16+4))
			}
			sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-%s-%s", prefix, tier, z.Name), &ec2.SubnetArgs{
				VpcId: vpc.ID(), CidrBlock: pulumi.String(cidr.String()), AvailabilityZone: pulumi.String(z.Name),
			}, opts...)
			if err != nil {
				return nil, err
			}
			s := network.Subnet{Tier: tier, AZ: z.Name, CIDR: cidr, ID: sn.ID().ToStringOutput()}
			if tier == network.Public {
				if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-public-%s", prefix, z.Name), &ec2.RouteTableAssociationArgs{
					RouteTableId: rt.ID(), SubnetId: sn.ID(),
				}, opts...); err != nil {
					return nil, err
				}
				n.Public = append(n.Public, s)
			} else {
				n.Private = append(n.Private, s)
			}
		}
	}
	return n, nil
}

// webtierArgs returns valid Args on net, changed by edit.
func webtierArgs(net *webtierNet, region string, edit func(*webtier.Args)) *webtier.Args {
	a := &webtier.Args{
		VPCID:          net.VPC.ID(),
		PublicSubnets:  net.Public,
		PrivateSubnets: net.Private,
		Region:         region,
		Tags:           map[string]string{"Project": "kit", "Environment": "test", "ManagedBy": "pulumi"},
	}
	if edit != nil {
		edit(a)
	}
	return a
}

// webtierOutputs are a tier's outputs as the program saw them.
type webtierOutputs struct {
	mu sync.Mutex
	m  map[string]string
}

func (o *webtierOutputs) capture(key string, out pulumi.StringOutput) {
	out.ApplyT(func(v string) string {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.m[key] = v
		return v
	})
}

func (o *webtierOutputs) get(key string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[key]
}

// webtierRun builds a network of azs AZs and a tier named "web" in region, and returns the graph, the
// tier's outputs and its plain MaxSize.
func webtierRun(t *testing.T, region string, azs int, edit func(*webtier.Args)) (*awssim.Graph, *webtierOutputs, int) {
	t.Helper()
	outs := &webtierOutputs{m: map[string]string{}}
	maxSize := 0
	g := simulate(t, region, func(ctx *pulumi.Context) error {
		net, err := webtierNetwork(ctx, "net", region, azs)
		if err != nil {
			return err
		}
		w, err := webtier.New(ctx, "web", webtierArgs(net, region, edit))
		if err != nil {
			return err
		}
		webtierCaptureAll(outs, w)
		maxSize = w.MaxSize
		return nil
	})
	return g, outs, maxSize
}

func webtierCaptureAll(outs *webtierOutputs, w *webtier.WebTier) {
	for k, v := range map[string]pulumi.StringOutput{
		"url": w.URL, "dnsName": w.DNSName, "zoneId": w.ZoneID, "albArn": w.ALBARN, "albArnSuffix": w.ALBARNSuffix,
		"tgArn": w.TargetGroupARN, "tgArnSuffix": w.TargetGroupARNSuffix, "asgName": w.ASGName,
		"albSG": w.ALBSecurityGroupID, "instanceSG": w.InstanceSecurityGroupID, "role": w.InstanceRoleName,
		"logs": w.AccessLogsBucket,
	} {
		outs.capture(k, v)
	}
}

// webtierOne returns the only resource of typ, failing the test if there is not exactly one.
func webtierOne(t *testing.T, g *awssim.Graph, typ string) *awssim.Resource {
	t.Helper()
	rs := g.ByType(typ)
	require.Len(t, rs, 1, "resources of type %s", typ)
	return rs[0]
}

const webtierCert = "arn:aws:acm:us-east-1:123456789012:certificate/0b3c9d2e-1f4a-4b5c-8d6e-7f8091a2b3c4"
