// Package stacks composes the kit's components into one migration stack, driven by the stack's config
// file (stacks/Pulumi.<stack>.yaml). It is the only package that knows every component.
package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// Run is the Pulumi program: main.go, the tests and the offline plan all run exactly this.
func Run(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	return Deploy(ctx, cfg)
}

// Deploy builds the stack from a checked configuration.
func Deploy(ctx *pulumi.Context, cfg *Config) error {
	tags := map[string]string{
		"Project":     ctx.Project(),
		"Environment": cfg.Environment,
		"ManagedBy":   "pulumi",
		"Stack":       ctx.Stack(),
	}

	vpc, err := network.New(ctx, "primary", &network.Args{
		CIDR:                 cfg.Network.CIDR,
		AZCount:              cfg.Network.AZCount,
		NATStrategy:          network.NATStrategy(cfg.Network.NATStrategy),
		FlowLogRetentionDays: cfg.Network.FlowLogRetentionDays,
		Tags:                 tags,
	})
	if err != nil {
		return fmt.Errorf("kit:network: %w", err)
	}

	ctx.Export("primaryRegion", pulumi.String(vpc.Region))
	ctx.Export("vpcIds", pulumi.StringMap{vpc.Region: vpc.VPCID})
	return nil
}
