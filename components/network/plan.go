package network

import (
	"fmt"
	"net/netip"
)

// The CIDR plan: pure address arithmetic over net/netip, apart from any resource code.
//
// Stability is the point. A subnet's CIDR depends only on the VPC CIDR, its tier's prefix length, and its
// AZ's index, never on how many AZs or which other tiers exist. Each tier owns a block of MaxAZs slots at a
// fixed place in the VPC, whether the tier is enabled or not, so growing from 2 to 3 AZs or adding the data
// tier later never moves (and so never replaces) an existing subnet.

// planOrder is the order tier blocks are laid out in the VPC: the largest (private) first, so that alignment
// wastes the least space with the default prefix lengths. Display order is Tiers.
var planOrder = []Tier{Private, Data, Public}

// maxAZSlots bounds the slots a tier may reserve; no AWS region has more than six AZs.
const maxAZSlots = 16

// SubnetPlan is one planned subnet.
type SubnetPlan struct {
	Tier    Tier
	AZIndex int
	CIDR    netip.Prefix
}

// PlanInput is what the plan depends on, and nothing else.
type PlanInput struct {
	VPC     netip.Prefix
	AZCount int // AZs to create subnets in now
	MaxAZs  int // slots reserved per tier, so AZs can be added later without moving anything
	// Prefixes is the subnet prefix length per tier. Every tier in it reserves its block, created or not.
	Prefixes map[Tier]int
	// Create lists the tiers to create subnets for now; empty means every tier in Prefixes.
	Create []Tier
}

// TierBlock is the address block reserved for one tier's MaxAZs subnets.
type TierBlock struct {
	Tier  Tier
	First netip.Addr // the first address of the block
	Size  uint64     // addresses in the block
}

// Blocks lays out the tier blocks. Every tier that has a prefix length reserves its block, in planOrder.
func Blocks(in PlanInput) ([]TierBlock, error) {
	if !in.VPC.IsValid() || !in.VPC.Addr().Is4() {
		return nil, fmt.Errorf("VPC CIDR %s is not an IPv4 prefix", in.VPC)
	}
	if in.MaxAZs < 1 || in.MaxAZs > maxAZSlots {
		return nil, fmt.Errorf("MaxAZs %d must be between 1 and %d", in.MaxAZs, maxAZSlots)
	}
	vpcFirst := addrToUint(in.VPC.Masked().Addr())
	vpcSize := uint64(1) << (32 - in.VPC.Bits())
	cursor := vpcFirst
	var out []TierBlock
	for _, tier := range planOrder {
		bits, ok := in.Prefixes[tier]
		if !ok {
			continue
		}
		if bits < in.VPC.Bits() || bits > 32 {
			return nil, fmt.Errorf("%s prefix /%d does not fit in VPC %s", tier, bits, in.VPC)
		}
		size := uint64(1) << (32 - bits)
		cursor = (cursor + size - 1) / size * size // align the block to its subnets' size
		block := size * uint64(in.MaxAZs)
		if cursor+block > vpcFirst+vpcSize {
			return nil, fmt.Errorf("the %s tier needs %d /%d subnets (%d addresses) but the VPC %s has only %d "+
				"addresses left after the tiers before it", tier, in.MaxAZs, bits, block, in.VPC,
				int64(vpcFirst+vpcSize)-int64(cursor))
		}
		out = append(out, TierBlock{Tier: tier, First: uintToAddr(cursor), Size: block})
		cursor += block
	}
	return out, nil
}

// Plan returns the subnets to create: for each created tier (in Tiers order) and each AZ index below
// AZCount, the CIDR reserved for that slot.
func Plan(in PlanInput) ([]SubnetPlan, error) {
	if in.AZCount < 1 || in.AZCount > in.MaxAZs {
		return nil, fmt.Errorf("AZ count %d must be between 1 and MaxAZs %d", in.AZCount, in.MaxAZs)
	}
	blocks, err := Blocks(in)
	if err != nil {
		return nil, err
	}
	byTier := map[Tier]TierBlock{}
	for _, b := range blocks {
		byTier[b.Tier] = b
	}
	create := map[Tier]bool{}
	for _, t := range in.Create {
		create[t] = true
	}
	var out []SubnetPlan
	for _, tier := range Tiers {
		b, ok := byTier[tier]
		if !ok || (len(create) > 0 && !create[tier]) {
			continue
		}
		bits := in.Prefixes[tier]
		size := uint64(1) << (32 - bits)
		for i := 0; i < in.AZCount; i++ {
			addr := uintToAddr(addrToUint(b.First) + uint64(i)*size)
			out = append(out, SubnetPlan{Tier: tier, AZIndex: i, CIDR: netip.PrefixFrom(addr, bits)})
		}
	}
	return out, nil
}

func addrToUint(a netip.Addr) uint64 {
	b := a.As4()
	return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
}

func uintToAddr(v uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
