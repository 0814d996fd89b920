package tests

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/network"
)

func defaultPrefixes(vpcBits int) map[network.Tier]int {
	return map[network.Tier]int{network.Public: vpcBits + 8, network.Private: vpcBits + 4, network.Data: vpcBits + 6}
}

func planCIDRs(t *testing.T, in network.PlanInput) []string {
	t.Helper()
	plan, err := network.Plan(in)
	require.NoError(t, err)
	var out []string
	for _, s := range plan {
		out = append(out, string(s.Tier)+" "+s.CIDR.String())
	}
	return out
}

func TestPlanExactPrefixes(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   network.PlanInput
		want []string
	}{
		{"default /16, 3 AZs", network.PlanInput{VPC: netip.MustParsePrefix("10.0.0.0/16"), AZCount: 3, MaxAZs: 6, Prefixes: defaultPrefixes(16)}, []string{
			"public 10.0.120.0/24", "public 10.0.121.0/24", "public 10.0.122.0/24",
			"private 10.0.0.0/20", "private 10.0.16.0/20", "private 10.0.32.0/20",
			"data 10.0.96.0/22", "data 10.0.100.0/22", "data 10.0.104.0/22",
		}},
		{"a /20 VPC scales every tier down", network.PlanInput{VPC: netip.MustParsePrefix("172.16.16.0/20"), AZCount: 2, MaxAZs: 4, Prefixes: defaultPrefixes(20)}, []string{
			"public 172.16.21.0/28", "public 172.16.21.16/28",
			"private 172.16.16.0/24", "private 172.16.17.0/24",
			"data 172.16.20.0/26", "data 172.16.20.64/26",
		}},
		{"explicit prefixes are aligned", network.PlanInput{VPC: netip.MustParsePrefix("10.1.0.0/16"), AZCount: 2, MaxAZs: 3, Prefixes: map[network.Tier]int{network.Public: 26, network.Private: 19, network.Data: 23}}, []string{
			"public 10.1.102.0/26", "public 10.1.102.64/26",
			"private 10.1.0.0/19", "private 10.1.32.0/19",
			"data 10.1.96.0/23", "data 10.1.98.0/23",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, planCIDRs(t, tc.in))
		})
	}
}

func TestPlanSubnetsAreInsideTheVPCAndNeverOverlap(t *testing.T) {
	for _, vpc := range []string{"10.0.0.0/16", "10.20.0.0/18", "192.168.0.0/20", "172.31.255.0/24"} {
		p := netip.MustParsePrefix(vpc)
		for maxAZs := 1; maxAZs <= 6; maxAZs++ {
			for azs := 1; azs <= maxAZs; azs++ {
				prefixes := map[network.Tier]int{network.Public: min(p.Bits()+8, 28), network.Private: min(p.Bits()+4, 28), network.Data: min(p.Bits()+6, 28)}
				plan, err := network.Plan(network.PlanInput{VPC: p, AZCount: azs, MaxAZs: maxAZs, Prefixes: prefixes})
				if err != nil {
					continue // too small to hold the reservation: the validation reports it
				}
				for i, a := range plan {
					assert.True(t, p.Contains(a.CIDR.Addr()) && a.CIDR.Bits() >= p.Bits(), "%s inside %s", a.CIDR, p)
					assert.Equal(t, a.CIDR.Masked(), a.CIDR, "network address")
					for _, b := range plan[i+1:] {
						assert.False(t, a.CIDR.Overlaps(b.CIDR), "%s overlaps %s", a.CIDR, b.CIDR)
					}
				}
			}
		}
	}
}

func TestPlanIsStableWhenAZsOrTiersAreAdded(t *testing.T) {
	vpc := netip.MustParsePrefix("10.0.0.0/16")
	key := func(s network.SubnetPlan) string { return string(s.Tier) + string(rune('0'+s.AZIndex)) }
	index := func(plan []network.SubnetPlan) map[string]netip.Prefix {
		out := map[string]netip.Prefix{}
		for _, s := range plan {
			out[key(s)] = s.CIDR
		}
		return out
	}
	two, err := network.Plan(network.PlanInput{VPC: vpc, AZCount: 2, MaxAZs: 6, Prefixes: defaultPrefixes(16)})
	require.NoError(t, err)
	three, err := network.Plan(network.PlanInput{VPC: vpc, AZCount: 3, MaxAZs: 6, Prefixes: defaultPrefixes(16)})
	require.NoError(t, err)
	grown := index(three)
	for k, cidr := range index(two) {
		assert.Equal(t, cidr, grown[k], "growing from 2 to 3 AZs keeps %s", k)
	}

	before, err := network.Plan(network.PlanInput{VPC: vpc, AZCount: 3, MaxAZs: 6, Prefixes: defaultPrefixes(16),
		Create: []network.Tier{network.Public, network.Private}})
	require.NoError(t, err)
	for k, cidr := range index(before) {
		assert.Equal(t, cidr, grown[k], "adding the data tier keeps %s", k)
	}
}

func TestPlanRefusesWhatCannotFit(t *testing.T) {
	for _, in := range []network.PlanInput{
		{VPC: netip.MustParsePrefix("10.0.0.0/24"), AZCount: 3, MaxAZs: 6, Prefixes: map[network.Tier]int{network.Private: 25}},
		{VPC: netip.MustParsePrefix("10.0.0.0/16"), AZCount: 7, MaxAZs: 6, Prefixes: defaultPrefixes(16)},
		{VPC: netip.MustParsePrefix("10.0.0.0/16"), AZCount: 0, MaxAZs: 6, Prefixes: defaultPrefixes(16)},
		{VPC: netip.MustParsePrefix("10.0.0.0/16"), AZCount: 1, MaxAZs: 6, Prefixes: map[network.Tier]int{network.Public: 8}},
		{VPC: netip.Prefix{}, AZCount: 1, MaxAZs: 1, Prefixes: defaultPrefixes(16)},
	} {
		_, err := network.Plan(in)
		assert.Error(t, err, "%+v", in)
	}
}
