package awssim

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// appliedInputs are the inputs an update sends to AWS once the engine has applied the resource's
// ignoreChanges option: each ignored path takes its value from the inputs in the prior state, and where the
// prior inputs lack the path, the new value is removed (sdk common/resource PropertyPath.Reset, which the
// engine's step generator calls for every ignored path). On a create, or without ignoreChanges, they are the
// inputs as registered.
//
// The models call it where an update's request depends on it (RDS's ModifyDBInstance). Under Pulumi's own
// engine the provider receives these inputs already; applying the reset again changes nothing.
func appliedInputs(r *Resource) resource.PropertyMap {
	if r.Prior == nil || len(r.IgnoreChanges) == 0 {
		return r.Inputs
	}
	out := r.Inputs.Copy()
	for _, p := range r.IgnoreChanges {
		path, err := resource.ParsePropertyPath(p)
		if err != nil {
			continue
		}
		path.Reset(r.Prior.Inputs, out)
	}
	return out
}
