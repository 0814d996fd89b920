package network

import (
	"net/netip"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Tier is the role of a subnet.
type Tier string

const (
	// Public subnets route 0.0.0.0/0 to the internet gateway: load balancers and NAT gateways live here.
	Public Tier = "public"
	// Private subnets reach the internet only outbound, through a NAT gateway: the application tier.
	Private Tier = "private"
	// Data subnets have no route to the internet at all: databases and caches.
	Data Tier = "data"
)

// Tiers lists the tiers in the order subnets are laid out and rendered.
var Tiers = []Tier{Public, Private, Data}

// NATStrategy says how private subnets reach the internet.
type NATStrategy string

const (
	// NATNone creates no NAT gateway: private subnets have no route to the internet, and reach AWS through
	// interface endpoints (InterfaceServices) and the S3 and DynamoDB gateway endpoints instead. Instances
	// then cannot download anything from the internet: bake packages into the AMI.
	NATNone NATStrategy = "none"
	// NATSingle shares one NAT gateway, in the first AZ's public subnet, across all AZs: cheap, but the first
	// AZ's failure cuts every private subnet off the internet, and cross-AZ traffic is charged.
	NATSingle NATStrategy = "single"
	// NATPerAZ puts a NAT gateway in each AZ, so an AZ failure stays in its AZ. The default.
	NATPerAZ NATStrategy = "per-az"
)

// Subnet is one subnet of the VPC. Tier, AZ and CIDR are known when the program runs (they come from the
// plan), so other components can validate against them before registering anything; ID is known once the
// subnet exists.
type Subnet struct {
	Tier Tier
	AZ   string
	CIDR netip.Prefix
	ID   pulumi.StringOutput
}

// RouteTable is one route table of the VPC. Tier and AZ are known when the program runs, so a component that
// attaches to the network (a VPN propagating the data centre's routes) can choose its tables by tier and
// refuse the public ones before registering anything; ID is known once the table exists.
type RouteTable struct {
	Tier Tier
	// AZ is the zone a per-AZ table serves (the private tier's); empty for a table shared by the tier's AZs.
	AZ string
	ID pulumi.StringOutput
}
