package vpn

import "net/netip"

// Check validates args as New would for a provider in args.Region, without registering anything: a caller
// composing several components checks them all first, so that every problem is reported at once. It returns
// the on-premises networks New would route to (VPN.OnPremCIDRs), for a caller to check the migration that
// reaches them (migration.Check). VPCID must be non-nil (unless TransitGatewayID is set) but is not read.
func Check(args *Args) ([]netip.Prefix, error) {
	region := ""
	if args != nil {
		region = args.Region
	}
	s, err := validate(args, region)
	if err != nil {
		return nil, err
	}
	return s.onPrem, nil
}
