// Command policy is the kit's policy pack. Users run it with `pulumi preview --policy-pack policy`; the rules
// themselves live in policy/rules, where `go test` and the offline plan run the very same values.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/migration-kit/kit/policy/rules"
)

func main() {
	// The engine configures the pack per stack, so production-only rules know the stack's name.
	err := policyx.Main(func(ctx *pulumi.Context) (policyx.PolicyPack, error) {
		return rules.Pack(ctx.Stack())
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
