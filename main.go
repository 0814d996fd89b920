// Command kit is the Pulumi program: `pulumi preview` and `pulumi up` run it with the selected stack's
// config. Everything it does is stacks.Run, which the tests and the offline plan run too.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/stacks"
)

func main() {
	pulumi.Run(stacks.Run)
}
