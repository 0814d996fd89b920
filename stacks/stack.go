// Package stacks composes the kit's components into one migration stack, driven by the stack's config
// file (stacks/Pulumi.<stack>.yaml). It is the only package that knows every component.
package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
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
		DisableFlowLogs:      cfg.Network.FlowLogs != nil && !*cfg.Network.FlowLogs,
		Tags:                 tags,
	})
	if err != nil {
		return fmt.Errorf("kit:network: %w", err)
	}

	db, err := database.New(ctx, "primary", &database.Args{
		VPCID:                 vpc.VPCID,
		DataSubnets:           vpc.SubnetsOf(network.Data),
		Region:                vpc.Region,
		Engine:                database.Engine(cfg.Database.Engine),
		EngineVersion:         cfg.Database.EngineVersion,
		InstanceClass:         cfg.Database.InstanceClass,
		AllocatedStorageGB:    cfg.Database.AllocatedStorageGB,
		MaxAllocatedStorageGB: cfg.Database.MaxAllocatedStorageGB,
		MultiAZ:               cfg.Database.MultiAZ,
		BackupRetentionDays:   cfg.Database.BackupRetentionDays,
		BackupWindow:          cfg.Database.BackupWindow,
		MaintenanceWindow:     cfg.Database.MaintenanceWindow,
		DatabaseName:          cfg.Database.DatabaseName,
		Production:            cfg.Production(),
		Tags:                  tags,
	})
	if err != nil {
		return fmt.Errorf("kit:database: %w", err)
	}

	vpcIDs := pulumi.StringMap{vpc.Region: vpc.VPCID}
	ctx.Export("primaryRegion", pulumi.String(vpc.Region))
	ctx.Export("databaseEndpoint", db.Endpoint)
	ctx.Export("databaseSecretArn", db.SecretARN)

	if cfg.DR.Enabled {
		site, err := dr.New(ctx, "dr", &dr.Args{
			Primary:        dr.PrimaryOf(db),
			Region:         cfg.DR.Region,
			PrimaryVPCCIDR: vpc.CIDR,
			Network: &network.Args{
				CIDR:        cfg.DR.CIDR,
				AZCount:     cfg.DR.AZCount,
				NATStrategy: network.NATStrategy(cfg.DR.NATStrategy),
				Tags:        tags,
			},
			Strategy:             dr.Strategy(cfg.DR.Strategy),
			RPOSeconds:           cfg.DR.RPOSeconds,
			Promote:              cfg.DR.Promote,
			ReplicaInstanceClass: cfg.DR.ReplicaInstanceClass,
			ReplicateBackups:     cfg.DR.ReplicateBackups,
			Production:           cfg.Production(),
			Tags:                 tags,
		})
		if err != nil {
			return fmt.Errorf("kit:dr: %w", err)
		}
		vpcIDs[site.Region] = site.VPC.VPCID
		ctx.Export("drRegion", pulumi.String(site.Region))
		ctx.Export("replicaEndpoint", site.ReplicaEndpoint)
		ctx.Export("replicaPromoted", pulumi.Bool(site.Promoted))
		ctx.Export("rpoSeconds", pulumi.Int(site.RPOSeconds))
		ctx.Export("replicaLagAlarmArn", site.LagAlarmARN)
	}
	ctx.Export("vpcIds", vpcIDs)
	return nil
}
