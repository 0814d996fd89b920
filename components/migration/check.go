package migration

// Check validates args as New would for a provider in args.Region, without registering anything: a caller
// composing several components checks them all first, so that every problem is reported at once. VPCID and
// the Target's secret, key and security group must be non-nil but are not read.
func Check(name string, args *Args) error {
	region := ""
	if args != nil {
		region = args.Region
	}
	_, err := validate(name, args, region)
	return err
}
