package dr

// Check validates args as New would, without registering anything (the region of a passed Provider is not
// asked): a caller composing several components checks them all first, so that every problem is reported
// at once. Check the DR network with network.Check on the DR region's placement too.
func Check(name string, args *Args) error {
	_, err := validate(name, args, "")
	return err
}
