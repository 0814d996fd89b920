package tests

import (
	"net/netip"
	"testing"

	"github.com/migration-kit/kit/components/network"
)

// FuzzPlan checks that the address planner never panics and that whatever it returns is inside the VPC and
// free of overlaps. Run it with: go test ./tests -run '^$' -fuzz FuzzPlan -fuzztime 30s
func FuzzPlan(f *testing.F) {
	// Seed corpus: the default layout, a small VPC, a public-only layout, and hostile values.
	f.Add("10.0.0.0/16", 3, 6, 24, 20, 22)
	f.Add("172.16.16.0/20", 2, 4, 28, 24, 26)
	f.Add("192.168.0.0/24", 1, 1, 28, 0, 0)
	f.Add("10.0.0.1/16", 2, 6, 24, 20, 22)
	f.Add("::/0", 1, 1, 1, 1, 1)
	f.Add("0.0.0.0/0", 16, 16, 32, 1, 33)
	f.Add("", -1, -5, -1, 99, -99)
	f.Fuzz(func(t *testing.T, cidr string, azs, maxAZs, public, private, data int) {
		vpc, err := netip.ParsePrefix(cidr)
		if err != nil {
			vpc = netip.Prefix{}
		}
		prefixes := map[network.Tier]int{}
		for tier, bits := range map[network.Tier]int{network.Public: public, network.Private: private, network.Data: data} {
			if bits != 0 {
				prefixes[tier] = bits
			}
		}
		plan, err := network.Plan(network.PlanInput{VPC: vpc, AZCount: azs, MaxAZs: maxAZs, Prefixes: prefixes})
		if err != nil {
			return
		}
		for i, a := range plan {
			if !vpc.Contains(a.CIDR.Addr()) || a.CIDR.Bits() < vpc.Bits() {
				t.Fatalf("%s is outside %s", a.CIDR, vpc)
			}
			for _, b := range plan[i+1:] {
				if a.CIDR.Overlaps(b.CIDR) {
					t.Fatalf("%s overlaps %s", a.CIDR, b.CIDR)
				}
			}
		}
	})
}
