package observability

// Check validates args as New would in project and stack, without registering anything: a caller
// composing several components checks them all first, so that every problem is reported at once.
func Check(name string, args *Args, project, stack string) error {
	_, err := validate(name, args, project, stack)
	return err
}
