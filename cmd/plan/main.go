// Command plan is the kit's offline plan: it runs a stack's real program under the simulated AWS and prints
// the resource tree, the changes against the committed snapshot, and the policy verdicts. No AWS account and
// no Pulumi CLI are needed.
//
//	go run ./cmd/plan dev              # the plan of the dev stack
//	go run ./cmd/plan -update dev      # also rewrite stacks/dev.snapshot.txt
package main

import (
	"os"

	"github.com/migration-kit/kit/internal/plan"
)

func main() {
	os.Exit(plan.Main(os.Args[1:], os.Stdout, os.Stderr))
}
