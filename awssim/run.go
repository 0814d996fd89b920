package awssim

import (
	"errors"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options say how to run a program under the simulation.
type Options struct {
	Project, Stack string
	// Config is the stack configuration as the engine passes it: "namespace:key" to string value.
	// aws:region in it is the region of every resource without an explicit provider.
	Config map[string]string
	// SecretKeys are the config keys the engine would mark secret.
	SecretKeys []string
	// DryRun runs the program as `pulumi preview` does.
	DryRun bool
	// Prior is the state the run updates, a graph an earlier run recorded; nil for a stack created from
	// nothing.
	Prior *Graph
	// ExistingRoles are IAM roles the account already holds (Sim.AccountHasRoles); none by default: the
	// simulated account is a fresh one, as the kit recommends one account per stack.
	ExistingRoles []string
}

// Run runs a Pulumi program under a fresh simulated AWS and returns the graph it recorded. The error is the
// program's own, or the problems the whole-graph checks found when it ended (Graph.Problems).
func Run(program pulumi.RunFunc, opts Options) (*Graph, error) {
	sim := New(opts.Project, opts.Stack, opts.Config["aws:region"])
	sim.StartFrom(opts.Prior)
	sim.AccountHasRoles(opts.ExistingRoles...)
	err := pulumi.RunErr(program, pulumi.WithMocks(opts.Project, opts.Stack, sim), func(info *pulumi.RunInfo) {
		info.Config = opts.Config
		info.ConfigSecretKeys = opts.SecretKeys
		info.DryRun = opts.DryRun
	})
	g := sim.Graph()
	if err != nil {
		return g, err
	}
	if problems := g.Problems(); len(problems) > 0 {
		return g, errors.New("awssim: the program registers infrastructure that would not work:\n  " +
			strings.Join(problems, "\n  "))
	}
	return g, nil
}
