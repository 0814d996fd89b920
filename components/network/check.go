package network

import "github.com/migration-kit/kit/components/placement"

// Check validates args against a placement (placement.Lookup) without registering anything, exactly as New
// would, and returns the subnets New would create (tier, AZ and CIDR; no ID yet). A caller that composes
// several components checks every one of them this way first, so that all their problems are reported
// together and nothing is registered for a configuration that cannot work.
func Check(args *Args, where *placement.Placement) ([]Subnet, error) {
	if args == nil {
		args = &Args{}
	}
	c, err := args.validate(where)
	if err != nil {
		return nil, err
	}
	var out []Subnet
	for _, p := range c.plan {
		out = append(out, Subnet{Tier: p.Tier, AZ: c.azs[p.AZIndex].Name, CIDR: p.CIDR})
	}
	return out, nil
}
