package network

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/migration-kit/kit/components/placement"
)

// Defaults, named so that documentation and code cannot drift apart.
const (
	DefaultCIDR        = "10.0.0.0/16"
	DefaultAZCount     = 3
	DefaultMaxAZs      = 6 // the most AZs any region has (us-east-1): room to grow anywhere
	DefaultNATStrategy = NATPerAZ
	DefaultFlowLogDays = 90

	// Default subnet sizes, relative to the VPC: with a /16, private /20 (4,096 addresses: room for
	// containers), data /22 and public /24 (load balancers and NAT gateways need few addresses).
	defaultPrivateNewBits = 4
	defaultDataNewBits    = 6
	defaultPublicNewBits  = 8
)

// Args configures a VPC.
type Args struct {
	// CIDR is the VPC's IPv4 block, between /16 and /28. Optional; default "10.0.0.0/16". Give each region
	// and each network you may connect (peering, transit gateway, VPN to the old data centre) a disjoint one.
	CIDR string
	// AZCount is how many AZs to spread over, taking the region's zones in order. Optional; default 3.
	// Ignored when AZs is set.
	AZCount int
	// AZs names the zones explicitly (e.g. "us-east-1a", "us-east-1c"). Optional; default the first AZCount
	// zones of the region. Order matters: a zone's index fixes its subnets' CIDRs.
	AZs []string
	// MaxAZs is how many AZ slots each tier reserves in the address plan. Optional; default 6. Raising it
	// later moves subnets; growing AZCount up to it never does.
	MaxAZs int
	// Tiers lists the subnet tiers to create. Optional; default public, private and data.
	Tiers []Tier
	// PublicPrefix, PrivatePrefix and DataPrefix are each tier's subnet prefix length. Optional; defaults are
	// relative to the VPC: public = VPC+8 (/24 in a /16), private = VPC+4 (/20), data = VPC+6 (/22).
	PublicPrefix, PrivatePrefix, DataPrefix int
	// NATStrategy is how private subnets reach the internet: "none", "single" or "per-az". Optional; default
	// "per-az" (one NAT gateway per AZ, so an AZ outage stays in that AZ).
	NATStrategy NATStrategy
	// DisableFlowLogs turns VPC flow logs off. Optional; default false: flow logs on, to CloudWatch Logs.
	DisableFlowLogs bool
	// FlowLogRetentionDays is how long flow logs are kept; CloudWatch Logs accepts 1, 3, 5, 7, 14, 30, 60,
	// 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653. Optional; default 90.
	FlowLogRetentionDays int
	// DisableGatewayEndpoints turns off the S3 and DynamoDB gateway endpoints. Optional; default false: the
	// endpoints are created on the private and data route tables, because they cost nothing and keep that
	// traffic off the NAT gateways (which charge per GB).
	DisableGatewayEndpoints bool
	// Tags are merged onto every resource. Optional.
	Tags map[string]string
}

// config is Args after defaults and validation: everything resource code needs, plain and checked.
type config struct {
	vpc      netip.Prefix
	azs      []placement.Zone
	maxAZs   int
	prefixes map[Tier]int
	nat      NATStrategy
	flowLogs bool
	flowDays int
	gateways bool
	region   string
	tags     map[string]string
	plan     []SubnetPlan
}

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
	2557, 2922, 3288, 3653}

// validate checks every argument against the region the provider is in, and returns all problems at once.
func (a *Args) validate(p *placement.Placement) (*config, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	c := &config{region: p.Region, tags: a.Tags, flowLogs: !a.DisableFlowLogs, gateways: !a.DisableGatewayEndpoints}

	cidr := a.CIDR
	if cidr == "" {
		cidr = DefaultCIDR
	}
	vpc, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil || !vpc.Addr().Is4():
		bad("CIDR %q is not an IPv4 CIDR block: write it like %q", a.CIDR, DefaultCIDR)
	case vpc.Masked() != vpc:
		bad("CIDR %q has host bits set: use the network address %s", a.CIDR, vpc.Masked())
	case vpc.Bits() < 16 || vpc.Bits() > 28:
		bad("CIDR %q is a /%d: AWS accepts VPC blocks from /16 to /28; pick a prefix length in that range",
			a.CIDR, vpc.Bits())
	default:
		c.vpc = vpc
	}

	c.maxAZs = a.MaxAZs
	if c.maxAZs == 0 {
		c.maxAZs = DefaultMaxAZs
	}
	if c.maxAZs < 1 || c.maxAZs > maxAZSlots {
		bad("MaxAZs %d is out of range: use 1 to %d (no region has more than 6 AZs)", a.MaxAZs, maxAZSlots)
	}

	c.azs = a.pickAZs(p, bad)

	tiers := a.Tiers
	if len(tiers) == 0 {
		tiers = Tiers
	}
	enabled := map[Tier]bool{}
	for _, t := range tiers {
		switch {
		case t != Public && t != Private && t != Data:
			bad("Tiers: %q is not a tier: use %q, %q or %q", t, Public, Private, Data)
		case enabled[t]:
			bad("Tiers: %q is listed twice: list each tier once", t)
		}
		enabled[t] = true
	}

	c.nat = a.NATStrategy
	if c.nat == "" {
		c.nat = DefaultNATStrategy
	}
	switch c.nat {
	case NATNone, NATSingle, NATPerAZ:
	default:
		bad("NATStrategy %q is not a strategy: use %q, %q or %q", a.NATStrategy, NATNone, NATSingle, NATPerAZ)
	}
	if c.nat != NATNone && enabled[Private] && !enabled[Public] {
		bad("NATStrategy %q needs the public tier: NAT gateways live in public subnets; add %q to Tiers",
			c.nat, Public)
	}

	c.flowDays = a.FlowLogRetentionDays
	if c.flowDays == 0 {
		c.flowDays = DefaultFlowLogDays
	}
	if !containsInt(logRetentionDays, c.flowDays) {
		bad("FlowLogRetentionDays %d is not a period CloudWatch Logs accepts: use one of %v",
			a.FlowLogRetentionDays, logRetentionDays)
	}

	if c.vpc.IsValid() {
		a.planPrefixes(c, enabled, bad)
	}
	if c.maxAZs >= 1 && len(c.azs) > c.maxAZs {
		if a.MaxAZs == 0 && c.vpc.IsValid() {
			bad("AZCount %d does not fit the /%d VPC %s: with subnets of at least /%d, it has room for %d AZs of "+
				"%d tiers; use a larger CIDR or fewer AZs", len(c.azs), c.vpc.Bits(), c.vpc, maxSubnetBits, c.maxAZs,
				len(c.prefixes))
		} else {
			bad("%d AZs exceed MaxAZs %d: raise MaxAZs (this moves subnets) or use fewer AZs", len(c.azs), c.maxAZs)
		}
	}

	if len(problems) > 0 {
		return nil, fmt.Errorf("network: invalid arguments:\n - %s", strings.Join(problems, "\n - "))
	}
	// Every tier's block is reserved, created or not, so creating one later moves nothing.
	c.plan, err = Plan(PlanInput{VPC: c.vpc, AZCount: len(c.azs), MaxAZs: c.maxAZs, Prefixes: c.prefixes, Create: tiers})
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	return c, nil
}

// maxSubnetBits is the longest subnet prefix AWS accepts: "The allowed block size for a subnet is between a
// /28 netmask and /16 netmask" (Amazon VPC User Guide, "Subnet CIDR blocks").
const maxSubnetBits = 28

// planPrefixes sets each tier's prefix length and, when MaxAZs is not given, how many AZ slots the VPC has
// room for. The default sizes are relative to the VPC (private VPC+4, data VPC+6, public VPC+8) and never
// longer than /28, so a small VPC still gets subnets AWS accepts; a VPC too small for six slots of every tier
// reserves as many as fit instead (unless MaxAZs or a prefix is given), which depends on its size alone, so
// growing AZCount up to it still moves nothing.
func (a *Args) planPrefixes(c *config, enabled map[Tier]bool, bad func(string, ...any)) {
	c.prefixes = map[Tier]int{}
	for _, t := range []struct {
		tier    Tier
		field   string
		given   int
		newBits int
	}{
		{Public, "PublicPrefix", a.PublicPrefix, defaultPublicNewBits},
		{Private, "PrivatePrefix", a.PrivatePrefix, defaultPrivateNewBits},
		{Data, "DataPrefix", a.DataPrefix, defaultDataNewBits},
	} {
		bits := t.given
		if bits == 0 {
			bits = min(c.vpc.Bits()+t.newBits, maxSubnetBits)
		}
		if bits <= c.vpc.Bits() || bits > maxSubnetBits {
			if t.given == 0 {
				if enabled[t.tier] {
					bad("CIDR %q is a /%d: too small for a /%d %s subnet, the smallest AWS allows; use a "+
						"/%d or larger VPC", c.vpc, c.vpc.Bits(), maxSubnetBits, t.tier, maxSubnetBits-1)
				}
				continue
			}
			bad("%s /%d does not fit a /%d VPC: AWS subnets are /16 to /28 and must be smaller than the VPC; "+
				"set %s between %d and 28, or use a larger VPC CIDR", t.field, bits, c.vpc.Bits(), t.field,
				c.vpc.Bits()+1)
			continue
		}
		c.prefixes[t.tier] = bits
	}
	if len(c.prefixes) == 0 || c.maxAZs < 1 || c.maxAZs > maxAZSlots {
		return
	}
	fits := func() bool {
		_, err := Blocks(PlanInput{VPC: c.vpc, MaxAZs: c.maxAZs, Prefixes: c.prefixes})
		return err == nil
	}
	defaults := a.PublicPrefix == 0 && a.PrivatePrefix == 0 && a.DataPrefix == 0
	if a.MaxAZs == 0 && defaults {
		for c.maxAZs > 1 && !fits() {
			c.maxAZs--
		}
	}
	if _, err := Blocks(PlanInput{VPC: c.vpc, MaxAZs: c.maxAZs, Prefixes: c.prefixes}); err != nil {
		if a.MaxAZs == 0 && defaults {
			bad("CIDR %q is a /%d: too small for a /%d subnet of each of the %d tiers; use a /%d or larger VPC",
				c.vpc, c.vpc.Bits(), maxSubnetBits, len(c.prefixes), maxSubnetBits-2)
			return
		}
		bad("the address plan does not fit: %v. Use a larger CIDR, longer prefix lengths "+
			"(PublicPrefix, PrivatePrefix, DataPrefix), or fewer MaxAZs", err)
	}
}

// pickAZs resolves AZs or AZCount against the region's zones.
func (a *Args) pickAZs(p *placement.Placement, bad func(string, ...any)) []placement.Zone {
	if len(a.AZs) > 0 {
		var out []placement.Zone
		seen := map[string]bool{}
		for _, name := range a.AZs {
			if seen[name] {
				bad("AZs: %q is listed twice: list each zone once", name)
				continue
			}
			seen[name] = true
			found := false
			for _, z := range p.Zones {
				if z.Name == name {
					out = append(out, z)
					found = true
				}
			}
			if !found {
				bad("AZs: %q is not an available zone of %s: use some of %s", name, p.Region,
					strings.Join(p.ZoneNames(), ", "))
			}
		}
		return out
	}
	n := a.AZCount
	if n == 0 {
		n = DefaultAZCount
	}
	if n < 1 || n > len(p.Zones) {
		bad("AZCount %d is out of range: %s has %d available zones (%s); use 1 to %d", n, p.Region,
			len(p.Zones), strings.Join(p.ZoneNames(), ", "), len(p.Zones))
		return nil
	}
	return append([]placement.Zone(nil), p.Zones[:n]...)
}

// LogRetentionPeriods lists the retention periods, in days, that CloudWatch Logs accepts.
func LogRetentionPeriods() []int { return append([]int(nil), logRetentionDays...) }

func containsInt(list []int, v int) bool {
	i := sort.SearchInts(list, v)
	return i < len(list) && list[i] == v
}
