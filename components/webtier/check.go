package webtier

// Check validates args as New would, without registering anything: a caller composing several components
// checks them all first, so that every problem is reported at once. The subnets may come from
// network.Check (no IDs yet); VPCID must be non-nil but is not read.
func Check(name string, args *Args) error {
	_, err := validate(name, args)
	return err
}
