package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Routing: the internet gateway, NAT gateways by strategy, and one route table per tier (per AZ for the
// private tier). Private route tables are per AZ whatever the NAT strategy, so switching from single to
// per-AZ NAT changes routes only and never replaces a table or an association.

func (b *builder) buildRouting() error {
	b.tables = map[Tier][]*ec2.RouteTable{}
	var igw *ec2.InternetGateway
	if len(b.subnets[Public]) > 0 {
		// The internet gateway costs nothing; public subnets are public because of it.
		var err error
		igw, err = ec2.NewInternetGateway(b.ctx, b.name+"-igw", &ec2.InternetGatewayArgs{
			VpcId: b.vpc.ID(),
			Tags:  b.tags(b.name + "-igw"),
		}, b.parent)
		if err != nil {
			return err
		}
		rt, err := b.table(Public, "", b.name+"-public")
		if err != nil {
			return err
		}
		if _, err := ec2.NewRoute(b.ctx, b.name+"-public-internet", &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			GatewayId:            igw.ID(),
		}, b.parent); err != nil {
			return err
		}
		if err := b.associate(Public, func(int) *ec2.RouteTable { return rt }); err != nil {
			return err
		}
	}

	nats, err := b.natGateways(igw)
	if err != nil {
		return err
	}

	if len(b.subnets[Private]) > 0 {
		for i := range b.subnets[Private] {
			az := b.c.azs[i].Name
			rt, err := b.table(Private, az, fmt.Sprintf("%s-private-%s", b.name, az))
			if err != nil {
				return err
			}
			if b.c.nat == NATNone {
				continue // no way out: interface endpoints (endpoints.go) reach AWS instead
			}
			nat := nats[0]
			if b.c.nat == NATPerAZ {
				nat = nats[i] // same AZ: an AZ outage takes only its own private subnets offline
			}
			if _, err := ec2.NewRoute(b.ctx, fmt.Sprintf("%s-private-%s-internet", b.name, az), &ec2.RouteArgs{
				RouteTableId:         rt.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         nat.ID(),
			}, b.parent); err != nil {
				return err
			}
		}
		if err := b.associate(Private, func(i int) *ec2.RouteTable { return b.tables[Private][i] }); err != nil {
			return err
		}
	}

	if len(b.subnets[Data]) > 0 {
		// Data subnets get a table of their own with no route out: isolation is the absence of a route.
		rt, err := b.table(Data, "", b.name+"-data")
		if err != nil {
			return err
		}
		if err := b.associate(Data, func(int) *ec2.RouteTable { return rt }); err != nil {
			return err
		}
	}

	b.v.PublicRouteTableIDs = idsOf(b.tables[Public])
	b.v.PrivateRouteTableIDs = idsOf(b.tables[Private])
	b.v.DataRouteTableIDs = idsOf(b.tables[Data])
	return nil
}

// table creates a tier's route table; az names the zone of a per-AZ table, empty for a tier-wide one.
func (b *builder) table(tier Tier, az, name string) (*ec2.RouteTable, error) {
	rt, err := ec2.NewRouteTable(b.ctx, name, &ec2.RouteTableArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.tags(name, "Tier", string(tier)),
	}, b.parent)
	if err == nil {
		b.tables[tier] = append(b.tables[tier], rt)
		b.v.RouteTables = append(b.v.RouteTables, RouteTable{Tier: tier, AZ: az, ID: rt.ID().ToStringOutput()})
	}
	return rt, err
}

// associate attaches each subnet of a tier to the table tableFor gives for its AZ index.
func (b *builder) associate(tier Tier, tableFor func(i int) *ec2.RouteTable) error {
	for i, s := range b.subnets[tier] {
		name := fmt.Sprintf("%s-%s-%s", b.name, tier, b.c.azs[i].Name)
		if _, err := ec2.NewRouteTableAssociation(b.ctx, name, &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: tableFor(i).ID(),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}

// natGateways creates the NAT gateways the strategy asks for, each with its Elastic IP, in public subnets.
func (b *builder) natGateways(igw *ec2.InternetGateway) ([]*ec2.NatGateway, error) {
	count := 0
	switch {
	case len(b.subnets[Private]) == 0 || b.c.nat == NATNone:
	case b.c.nat == NATSingle:
		count = 1
	case b.c.nat == NATPerAZ:
		count = len(b.subnets[Public])
	}
	var nats []*ec2.NatGateway
	var ips pulumi.StringArray
	for i := 0; i < count; i++ {
		az := b.c.azs[i].Name
		eip, err := ec2.NewEip(b.ctx, fmt.Sprintf("%s-nat-%s", b.name, az), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   b.tags(fmt.Sprintf("%s-nat-%s", b.name, az)),
		}, b.parent)
		if err != nil {
			return nil, err
		}
		nat, err := ec2.NewNatGateway(b.ctx, fmt.Sprintf("%s-%s", b.name, az), &ec2.NatGatewayArgs{
			SubnetId:     b.subnets[Public][i].ID(),
			AllocationId: eip.AllocationId,
			Tags:         b.tags(fmt.Sprintf("%s-nat-%s", b.name, az)),
			// A public NAT gateway needs the internet gateway attached first, or AWS refuses it.
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, err
		}
		nats = append(nats, nat)
		ips = append(ips, eip.PublicIp)
	}
	b.v.NATPublicIPs = ips.ToStringArrayOutput()
	return nats, nil
}
