package vpn

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// Routing is how the data centre's routes reach the VPC.
type Routing string

const (
	// Static routes: the component adds one route per on-premises CIDR to the connection, for devices that do
	// not speak BGP. The default.
	Static Routing = "static"
	// BGP: the data centre's device announces its networks over both tunnels, and a tunnel that stops
	// answering is withdrawn at once.
	BGP Routing = "bgp"
)

// Defaults, named so that documentation and code cannot drift apart. The AWS figures are from the EC2 API
// reference (CreateCustomerGateway, CreateVpnGateway) and the Site-to-Site VPN user guide, "Tunnel options
// for your Site-to-Site VPN connection" (https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html).
const (
	DefaultRouting = Static
	// DefaultCustomerASN is CreateCustomerGateway's own default, a private ASN. A static VPN still needs one.
	DefaultCustomerASN int64 = 65000
	// DefaultAmazonASN is CreateVpnGateway's default ASN for the Amazon side.
	DefaultAmazonASN int64 = 64512
	// DefaultDPDTimeoutSeconds is the least AWS accepts: a dead peer is noticed, and the tunnel restarted, in
	// 30 seconds rather than AWS's default 40.
	DefaultDPDTimeoutSeconds = 30
	// DefaultPhase1LifetimeSeconds and DefaultPhase2LifetimeSeconds are AWS's defaults, written out so that the
	// device configuration and the connection state the same values.
	DefaultPhase1LifetimeSeconds = 28800
	DefaultPhase2LifetimeSeconds = 3600
	// DefaultRekeyMarginSeconds is AWS's default rekey margin.
	DefaultRekeyMarginSeconds = 540
	// DefaultStartupAction "add" waits for the data centre's device to start IKE, AWS's default; "start"
	// makes AWS initiate.
	DefaultStartupAction = "add"
	// DefaultLogRetentionDays is how long tunnel logs are kept.
	DefaultLogRetentionDays = 90
)

// Tunnel option ranges AWS accepts (VPNTunnels.html and the ModifyVpnTunnelOptionsSpecification API).
const (
	minDPDTimeoutSeconds     = 30
	minPhase1LifetimeSeconds = 900
	maxPhase1LifetimeSeconds = 28800
	minPhase2LifetimeSeconds = 900
	maxPhase2LifetimeSeconds = 3600
	minRekeyMarginSeconds    = 60
)

// Args configure the connection to the data centre.
type Args struct {
	// VPCID is the VPC the virtual private gateway attaches to (vpc.VPCID). Required unless TransitGatewayID is
	// set.
	VPCID pulumi.StringInput
	// VPCCIDR is the VPC's block (vpc.CIDR): no on-premises network may overlap it. Required.
	VPCCIDR string
	// PeerCIDRs are other networks the VPC already routes to, such as the DR region's VPC: no on-premises
	// network may overlap them either. Optional; default none.
	PeerCIDRs []string
	// RouteTables are the tables that learn the routes to the data centre: the private and data tiers'
	// (vpc.RouteTablesOf(network.Private) and network.Data). A public table is refused: the data centre must
	// be reachable from the application and the databases only, never from the internet-facing tier.
	// Required.
	RouteTables []network.RouteTable
	// Region is the region of the provider the component is created with, e.g. "us-east-1". Required.
	Region string

	// CustomerGatewayIP is the public, static IPv4 address of the data centre's VPN device (of the NAT device
	// in front of it, if any). Required.
	CustomerGatewayIP string
	// OnPremCIDRs are the data centre's networks the VPC may reach. They must not overlap the VPC or
	// PeerCIDRs. Required.
	OnPremCIDRs []string
	// Routing is "static" (a route per on-premises CIDR) or "bgp". Optional; default "static".
	Routing Routing
	// CustomerASN is the BGP ASN of the data centre's device. It must be private (64512-65534 or
	// 4200000000-4294967294) unless PublicASNReason says why the network's own public ASN is used.
	// Optional with static routing (default 65000); required with BGP.
	CustomerASN int64
	// PublicASNReason explains a public CustomerASN (e.g. "the data centre announces AS 3356 to its
	// providers"). Optional; required with a public ASN.
	PublicASNReason string
	// AmazonASN is the ASN of the virtual private gateway, a private ASN. Optional; default 64512. Not with
	// TransitGatewayID: a transit gateway has its own ASN.
	AmazonASN int64
	// TransitGatewayID attaches the connection to an existing transit gateway (tgw-...) instead of a virtual
	// private gateway on the VPC. The VPC must already be attached to it; the route tables then send the
	// on-premises CIDRs to the transit gateway, and with static routing the routes to the data centre go on
	// the transit gateway's route table, which the component does not own. Optional; default none.
	TransitGatewayID string

	// TunnelInsideCIDRs are the two tunnels' inside networks: /30 blocks of 169.254.0.0/16, not one of the
	// blocks AWS reserves. Changing one replaces the connection (new outside addresses and keys the data
	// centre must be given again), so choose them once. Optional; default AWS picks them once and keeps them.
	TunnelInsideCIDRs []string
	// DPDTimeoutSeconds is the dead peer detection timeout, 30 or more. Optional; default 30.
	DPDTimeoutSeconds int
	// Phase1LifetimeSeconds is the IKE SA lifetime, 900-28800. Optional; default 28800.
	Phase1LifetimeSeconds int
	// Phase2LifetimeSeconds is the IPsec SA lifetime, 900-3600. Optional; default 3600.
	Phase2LifetimeSeconds int
	// RekeyMarginSeconds is how long before phase 2 expires AWS rekeys: 60 to half of Phase2LifetimeSeconds.
	// Optional; default 540.
	RekeyMarginSeconds int
	// StartupAction is "add" (the data centre's device starts IKE) or "start" (AWS starts it). Optional;
	// default "add".
	StartupAction string
	// LogRetentionDays is how long tunnel logs are kept; CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60, 90,
	// 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653. Optional; default 90.
	LogRetentionDays int
	// AlarmActions are notified when a tunnel goes down and when it comes back (the kit's alarm topic).
	// Optional; default none (the alarms are made, and notify nobody).
	AlarmActions []pulumi.StringInput
	// Tags are merged onto every taggable resource, with a Name tag. Optional; default none.
	Tags map[string]string
}

// The tunnels' algorithms: IKEv2 only, AES-256 (GCM first), SHA-2 and elliptic-curve Diffie-Hellman groups
// for both phases (perfect forward secrecy). Every value is one AWS accepts (VPNTunnels.html); the older ones
// AWS offers by default (IKEv1, SHA1, DH groups 2, 5 and 14-18) are left out.
var (
	IKEVersions          = []string{"ikev2"}
	EncryptionAlgorithms = []string{"AES256-GCM-16", "AES256"}
	IntegrityAlgorithms  = []string{"SHA2-256", "SHA2-384", "SHA2-512"}
	DHGroups             = []int{19, 20, 21}
)

// reservedInsideCIDRs are the /30 blocks of 169.254.0.0/16 AWS reserves: no tunnel may use them (EC2 API
// reference, VpnTunnelOptionsSpecification.TunnelInsideCidr).
var reservedInsideCIDRs = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/30"), netip.MustParsePrefix("169.254.1.0/30"),
	netip.MustParsePrefix("169.254.2.0/30"), netip.MustParsePrefix("169.254.3.0/30"),
	netip.MustParsePrefix("169.254.4.0/30"), netip.MustParsePrefix("169.254.5.0/30"),
	netip.MustParsePrefix("169.254.169.252/30"),
}

var linkLocal = netip.MustParsePrefix("169.254.0.0/16")

// reservedASNs are public ASNs AWS keeps for itself, in every region ("") or one (Site-to-Site VPN user
// guide, "Customer gateway options": 7224 everywhere, 9059 in eu-west-1, 10124 in ap-northeast-1, 17943 in
// ap-southeast-1).
var reservedASNs = map[int64]string{7224: "", 9059: "eu-west-1", 10124: "ap-northeast-1", 17943: "ap-southeast-1"}

// maxASN is the largest ASN a customer gateway takes (1 to 4,294,967,295, "Customer gateway options").
const maxASN int64 = 4294967295

// PrivateASN reports whether asn is in one of the private ranges AWS accepts for either side of a VPN:
// 64512-65534 (16-bit) and 4200000000-4294967294 (32-bit).
func PrivateASN(asn int64) bool {
	return asn >= 64512 && asn <= 65534 || asn >= 4200000000 && asn <= 4294967294
}

// notPublic are the IPv4 ranges that cannot be a public VPN endpoint: RFC 1918 and RFC 6598 addresses serve
// only a private VPN over Direct Connect (EC2 API reference, CustomerGateway.IpAddress), and the others are
// not unicast internet addresses at all.
var notPublic = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "'this network' (RFC 1122)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared carrier-grade NAT space (RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private (RFC 1918)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
}

// PublicIPv4Problem returns why ip cannot be a customer gateway's public address, or "".
func PublicIPv4Problem(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is4() {
		return "is not an IPv4 address"
	}
	for _, r := range notPublic {
		if r.prefix.Contains(a) {
			return "is a " + r.what + " address, not a public one"
		}
	}
	return ""
}

// InsideCIDRProblem returns why cidr cannot be a tunnel's inside network, or "".
func InsideCIDRProblem(cidr string) string {
	p, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil || !p.Addr().Is4():
		return "is not an IPv4 CIDR block"
	case p.Masked() != p:
		return fmt.Sprintf("has host bits set: the block is %s", p.Masked())
	case p.Bits() != 30 || !linkLocal.Contains(p.Addr()):
		return "must be a /30 block of 169.254.0.0/16"
	}
	for _, r := range reservedInsideCIDRs {
		if r == p {
			return "is reserved by AWS (169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30 are)"
		}
	}
	return ""
}

var (
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	transitGatewayID   = regexp.MustCompile(`^tgw-[0-9a-f]{8,17}$`)
	logRetentionPeriod = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
		2557, 2922, 3288, 3653}
)

// settings are Args after defaults, with the parsed networks.
type settings struct {
	Args
	onPrem []netip.Prefix
}

// validate applies the defaults and checks every field, returning every problem at once.
func validate(in *Args, providerRegion string) (*settings, error) {
	if in == nil {
		return nil, fmt.Errorf("vpn: args are nil: pass &vpn.Args{...} with at least VPCID, VPCCIDR, " +
			"RouteTables, Region, CustomerGatewayIP and OnPremCIDRs")
	}
	s := &settings{Args: *in}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	if s.Routing == "" {
		s.Routing = DefaultRouting
	}
	if s.AmazonASN == 0 && s.TransitGatewayID == "" {
		s.AmazonASN = DefaultAmazonASN
	}
	if s.DPDTimeoutSeconds == 0 {
		s.DPDTimeoutSeconds = DefaultDPDTimeoutSeconds
	}
	if s.Phase1LifetimeSeconds == 0 {
		s.Phase1LifetimeSeconds = DefaultPhase1LifetimeSeconds
	}
	if s.Phase2LifetimeSeconds == 0 {
		s.Phase2LifetimeSeconds = DefaultPhase2LifetimeSeconds
	}
	if s.RekeyMarginSeconds == 0 {
		s.RekeyMarginSeconds = DefaultRekeyMarginSeconds
	}
	if s.StartupAction == "" {
		s.StartupAction = DefaultStartupAction
	}
	if s.LogRetentionDays == 0 {
		s.LogRetentionDays = DefaultLogRetentionDays
	}

	switch {
	case s.Region == "":
		add("Region is empty: set it to the region of the provider the VPN is created with, e.g. us-east-1")
	case !regionPattern.MatchString(s.Region):
		add("Region %q is not an AWS region name: use a name like us-east-1", s.Region)
	case providerRegion != "" && providerRegion != s.Region:
		add("Region %q does not match the provider the VPN is created with, which is in %s: pass the provider "+
			"for %s, or set Region to %s", s.Region, providerRegion, s.Region, providerRegion)
	}

	if s.TransitGatewayID == "" && s.VPCID == nil {
		add("VPCID is nil: pass the VPC's id (vpc.VPCID), or a TransitGatewayID the VPC is attached to")
	}
	if s.TransitGatewayID != "" && !transitGatewayID.MatchString(s.TransitGatewayID) {
		add("TransitGatewayID %q is not a transit gateway id: it looks like tgw-0123456789abcdef0", s.TransitGatewayID)
	}

	vpc, err := netip.ParsePrefix(s.VPCCIDR)
	if err != nil || !vpc.Addr().Is4() {
		add("VPCCIDR %q is not an IPv4 CIDR block: pass the VPC's block (vpc.CIDR)", s.VPCCIDR)
		vpc = netip.Prefix{}
	}
	peers := map[string]netip.Prefix{}
	for i, c := range s.PeerCIDRs {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is4() {
			add("PeerCIDRs[%d] %q is not an IPv4 CIDR block: write it like 10.21.0.0/16", i, c)
			continue
		}
		peers[fmt.Sprintf("PeerCIDRs[%d] %s", i, c)] = p.Masked()
	}

	if len(s.RouteTables) == 0 {
		add("RouteTables is empty: pass the private and data tiers' route tables " +
			"(vpc.RouteTablesOf(network.Private) and vpc.RouteTablesOf(network.Data)), which learn the routes to " +
			"the data centre")
	}
	for i, t := range s.RouteTables {
		switch t.Tier {
		case network.Private, network.Data:
		case network.Public:
			add("RouteTables[%d] is the public tier's table: routes to the data centre go to the private and data "+
				"tiers only, never to the internet-facing one; leave it out", i)
		default:
			add("RouteTables[%d] has tier %q: pass the VPC's private and data route tables", i, t.Tier)
		}
	}

	if s.CustomerGatewayIP == "" {
		add("CustomerGatewayIP is empty: set the public IPv4 address of the data centre's VPN device")
	} else if why := PublicIPv4Problem(s.CustomerGatewayIP); why != "" {
		add("CustomerGatewayIP %q %s: a site-to-site VPN over the internet needs the device's public, static "+
			"address (that of the NAT device in front of it, if any)", s.CustomerGatewayIP, why)
	}

	if len(s.OnPremCIDRs) == 0 {
		add("OnPremCIDRs is empty: list the data centre's networks the VPC may reach, e.g. 192.168.0.0/16")
	}
	for i, c := range s.OnPremCIDRs {
		p, err := netip.ParsePrefix(c)
		switch {
		case err != nil || !p.Addr().Is4():
			add("OnPremCIDRs[%d] %q is not an IPv4 CIDR block: write it like 192.168.0.0/16", i, c)
			continue
		case p.Masked() != p:
			add("OnPremCIDRs[%d] %q has host bits set: use the network address %s", i, c, p.Masked())
			continue
		}
		if vpc.IsValid() && p.Overlaps(vpc) {
			add("OnPremCIDRs[%d] %s overlaps the VPC's %s: traffic to those addresses would stay in the VPC; "+
				"readdress the VPC or list only the data centre's own networks", i, c, vpc)
		}
		for name, peer := range peers {
			if p.Overlaps(peer) {
				add("OnPremCIDRs[%d] %s overlaps %s, a network the VPC already reaches: list only the data "+
					"centre's own networks", i, c, name)
			}
		}
		for j, prev := range s.onPrem {
			if p.Overlaps(prev) {
				add("OnPremCIDRs[%d] %s overlaps OnPremCIDRs[%d] %s: list each network once", i, c, j, prev)
			}
		}
		s.onPrem = append(s.onPrem, p)
	}

	switch s.Routing {
	case Static:
		if s.CustomerASN == 0 {
			s.CustomerASN = DefaultCustomerASN
		}
	case BGP:
		if s.CustomerASN == 0 {
			add("CustomerASN is unset: with BGP routing give the ASN the data centre's device announces")
		}
	default:
		add("Routing %q is not a routing mode: use %q or %q", s.Routing, Static, BGP)
	}
	if a := s.CustomerASN; a != 0 {
		switch {
		case a < 1 || a > maxASN:
			add("CustomerASN %d is out of range: AWS accepts 1 to %d", a, maxASN)
		case reservedASNs[a] == "" && isReserved(a):
			add("CustomerASN %d is reserved by AWS in every region: use a private ASN (64512-65534 or "+
				"4200000000-4294967294)", a)
		case reservedASNs[a] == s.Region && isReserved(a):
			add("CustomerASN %d is reserved by AWS in %s: use a private ASN (64512-65534 or 4200000000-4294967294)",
				a, s.Region)
		case !PrivateASN(a) && strings.TrimSpace(s.PublicASNReason) == "":
			add("CustomerASN %d is a public ASN: use a private one (64512-65534 or 4200000000-4294967294), or set "+
				"PublicASNReason to say why the network's registered ASN is used", a)
		}
	}
	if s.TransitGatewayID != "" && s.AmazonASN != 0 {
		add("AmazonASN %d is set with TransitGatewayID: the transit gateway has its own ASN; set it there", s.AmazonASN)
	} else if s.TransitGatewayID == "" && !PrivateASN(s.AmazonASN) {
		add("AmazonASN %d is not a private ASN: the virtual private gateway takes 64512-65534 or "+
			"4200000000-4294967294", s.AmazonASN)
	}

	switch len(s.TunnelInsideCIDRs) {
	case 0:
	case 2:
		for i, c := range s.TunnelInsideCIDRs {
			if why := InsideCIDRProblem(c); why != "" {
				add("TunnelInsideCIDRs[%d] %q %s: pick a /30 such as 169.254.10.0/30", i, c, why)
			}
		}
		if s.TunnelInsideCIDRs[0] == s.TunnelInsideCIDRs[1] {
			add("TunnelInsideCIDRs lists %s twice: each tunnel needs its own /30", s.TunnelInsideCIDRs[0])
		}
	default:
		add("TunnelInsideCIDRs has %d blocks: give one /30 per tunnel (2), or none and AWS picks them",
			len(s.TunnelInsideCIDRs))
	}
	if s.DPDTimeoutSeconds < minDPDTimeoutSeconds {
		add("DPDTimeoutSeconds %d is too short: AWS accepts %d or more", s.DPDTimeoutSeconds, minDPDTimeoutSeconds)
	}
	if s.Phase1LifetimeSeconds < minPhase1LifetimeSeconds || s.Phase1LifetimeSeconds > maxPhase1LifetimeSeconds {
		add("Phase1LifetimeSeconds %d is out of range: AWS accepts %d to %d", s.Phase1LifetimeSeconds,
			minPhase1LifetimeSeconds, maxPhase1LifetimeSeconds)
	}
	if s.Phase2LifetimeSeconds < minPhase2LifetimeSeconds || s.Phase2LifetimeSeconds > maxPhase2LifetimeSeconds {
		add("Phase2LifetimeSeconds %d is out of range: AWS accepts %d to %d", s.Phase2LifetimeSeconds,
			minPhase2LifetimeSeconds, maxPhase2LifetimeSeconds)
	} else if s.RekeyMarginSeconds < minRekeyMarginSeconds || s.RekeyMarginSeconds > s.Phase2LifetimeSeconds/2 {
		add("RekeyMarginSeconds %d is out of range: AWS accepts %d to half of Phase2LifetimeSeconds (%d)",
			s.RekeyMarginSeconds, minRekeyMarginSeconds, s.Phase2LifetimeSeconds/2)
	}
	if s.StartupAction != "add" && s.StartupAction != "start" {
		add("StartupAction %q is not an action: use \"add\" (the data centre starts IKE) or \"start\" (AWS does)",
			s.StartupAction)
	}
	if !slices.Contains(logRetentionPeriod, s.LogRetentionDays) {
		add("LogRetentionDays %d is not a period CloudWatch Logs accepts: use one of %v", s.LogRetentionDays,
			logRetentionPeriod)
	}
	for i, a := range s.AlarmActions {
		if a == nil {
			add("AlarmActions[%d] is nil: remove it or pass a topic ARN", i)
		}
	}

	if len(problems) > 0 {
		return nil, fmt.Errorf("vpn: invalid arguments:\n - %s", strings.Join(problems, "\n - "))
	}
	return s, nil
}

func isReserved(asn int64) bool { _, ok := reservedASNs[asn]; return ok }
