package stacks

import (
	"reflect"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/migration"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/vpn"
	"github.com/migration-kit/kit/components/webtier"
)

// drPlacement is the DR region's provider and where it lands.
type drPlacement struct {
	provider *aws.Provider
	where    *placement.Placement
}

// planned stands in for an output that does not exist before anything is registered: the components' checks
// only ask that such inputs are given. It is an Output, not a plain String, so no check reads its value.
var planned = pulumi.String("").ToStringOutput()

// checkComponents runs every component's own checks on the arguments the stack will give it, before anything
// is registered, and returns their problems in the stack file's words. The components of bad sections (whose
// keys already have a problem) are not checked, nor one whose inputs come from a component that failed: their
// problems would be echoes of the first. A network that cannot be built is replaced, for its dependents' checks,
// by the default network of two AZs, so that their own mistakes are still found.
func (cfg *Config) checkComponents(ctx *pulumi.Context, primary *placement.Placement, drSite *drPlacement,
	tags map[string]string, bad map[string]bool) []string {
	var problems []string
	add := func(err error, k keys) bool {
		for _, p := range translate(err, k, cfg.sets) {
			if !slices.Contains(problems, p) {
				problems = append(problems, p)
			}
		}
		return err == nil
	}
	var subnets []network.Subnet
	var err error
	if !bad["network"] {
		subnets, err = network.Check(networkArgs(cfg, tags), primary)
		add(err, networkKeys("kit:network"))
	}
	if subnets == nil {
		if subnets, err = network.Check(&network.Args{AZCount: 2, Tags: tags}, primary); err != nil {
			return problems
		}
	}
	webOK := !bad["web"] && add(webtier.Check("web", webArgs(cfg, cfg.Web, planned, subnets, primary.Region, tags)),
		webKeys(cfg, false))
	var db *database.Database
	if !bad["database"] {
		db, err = database.Check("primary", databaseArgs(cfg, planned, subnets, planned, primary.Region, tags))
		add(err, keysOfSection("kit:database", reflect.TypeOf(DatabaseConfig{})))
	}
	if cfg.VPNEnabled() && !bad["vpn"] {
		// The tables only need their tiers here; the VPN's are the private and data tiers'.
		tables := []network.RouteTable{{Tier: network.Private}, {Tier: network.Data}}
		onPrem, err := vpn.Check(vpnArgs(cfg, planned, firstNonEmpty(val(cfg.Network.CIDR), network.DefaultCIDR),
			tables, primary.Region, planned, tags))
		if add(err, vpnKeys()) && db != nil && cfg.MigrationEnabled() && !bad["migration"] {
			target := migration.TargetOf(db)
			target.SecretARN, target.SecretKMSKeyARN, target.SecurityGroupID = planned, planned, planned
			add(migration.Check(migrationName, migrationArgs(cfg, planned, subnets, primary.Region, onPrem, target,
				planned, tags)), migrationKeys())
		}
	}
	// Monitoring reads the web tier's maximum; when that is wrong, the web tier's problem is the one to report.
	maxSize := webMaxSize(cfg.Web)
	if !webOK {
		maxSize = webtier.DefaultMaxSize
	}
	ops := monitoringArgs(cfg, primary.Region, webOutputs{ALBARNSuffix: planned,
		TargetGroupARNSuffix: planned, ASGName: planned, InstanceRoleName: planned, InstanceSecurityGroupID: planned,
		MaxSize: maxSize}, planned, planned, subnets, tags)
	if cfg.VPNEnabled() {
		site := &dataCentre{connectionID: planned}
		if cfg.MigrationEnabled() {
			site.instanceID, site.taskID = planned, planned
			// A threshold out of range is the migration's problem to report, not the dashboard's too.
			site.cdcLatencyAlarmSeconds = max(val(cfg.Migration.CDCLatencyAlarmSeconds), 0)
		}
		site.watch(ops)
	}
	if !bad["monitoring"] {
		add(observability.Check("ops", ops, ctx.Project(), ctx.Stack()),
			keysOfSection("kit:monitoring", reflect.TypeOf(MonitoringConfig{})))
	}
	if drSite == nil || bad["dr"] {
		return problems
	}
	drSubnets, err := network.Check(drNetworkArgs(cfg, tags), drSite.where)
	drNetOK := add(err, networkKeys("kit:dr"))
	if db != nil {
		var build dr.WebTierFunc = func(*pulumi.Context, string, dr.StandbyInputs, ...pulumi.ResourceOption) (*dr.StandbyWebTier, error) {
			return nil, nil
		}
		add(dr.Check("dr", drArgs(cfg, dr.PrimaryOf(db), nil,
			firstNonEmpty(val(cfg.Network.CIDR), network.DefaultCIDR), planned, build, planned, planned,
			tags)), drKeys(cfg))
	}
	if drNetOK && webOK && val(cfg.DR.Strategy) == string(dr.WarmStandby) {
		// The name is the one the DR component gives its standby.
		add(webtier.Check("dr-web", webArgs(cfg, standbyWeb(cfg), planned, drSubnets, drSite.where.Region, tags)),
			webKeys(cfg, true))
	}
	return problems
}

// webMaxSize is the web tier's maximum size as the component will set it.
func webMaxSize(w WebConfig) int {
	if w.MaxSize == nil {
		return webtier.DefaultMaxSize
	}
	return *w.MaxSize
}

// networkKeys translates the network component's messages for the VPC section (kit:network or kit:dr).
func networkKeys(section string) keys {
	return keys{"CIDR": section + ".cidr", "AZCount": section + ".azCount", "NATStrategy": section + ".natStrategy",
		"FlowLogRetentionDays": "kit:network.flowLogRetentionDays", "DisableFlowLogs": "kit:network.flowLogs"}
}

// webKeys translates the web tier's messages: kit:web's keys, or for the warm standby kit:dr.standby's where
// it sets them.
func webKeys(cfg *Config, standby bool) keys {
	k := keysOfSection("kit:web", reflect.TypeOf(WebConfig{}))
	if standby {
		s := val(cfg.DR.Standby)
		for goName, key := range keysOfSection("kit:dr.standby", reflect.TypeOf(StandbyConfig{})) {
			if goName == "CertificateARN" || slices.Contains(settings(s), lastKey(key)) {
				k[goName] = key
			}
		}
	}
	return k
}

// drKeys translates the DR component's messages. Values it inherits (the replica's class, the primary's
// engine and CIDR, the health check path) are named by the key they come from.
func drKeys(cfg *Config) keys {
	k := keysOfSection("kit:dr", reflect.TypeOf(DRConfig{}))
	for goPath, key := range map[string]string{
		"Network.CIDR": "kit:dr.cidr", "Network.AZCount": "kit:dr.azCount",
		"Failover.Domain": "kit:dr.domain", "Failover.HostedZoneID": "kit:dr.hostedZoneId",
		"Failover.HealthCheckPath": "kit:web.healthCheck.path", "PrimaryVPCCIDR": "kit:network.cidr",
		"Primary.Engine": "kit:database.engine", "Primary.EngineVersion": "kit:database.engineVersion",
		"Primary.InstanceClass": "kit:database.instanceClass", "Primary.BackupRetentionDays": "kit:database.backupRetentionDays",
	} {
		k[goPath] = key
	}
	if cfg.DR.ReplicaInstanceClass == nil {
		k["ReplicaInstanceClass"] = "kit:database.instanceClass"
	}
	return k
}

// vpnKeys translates the VPN component's messages: kit:vpn's keys, and the networks it must not overlap by
// the keys that set them.
func vpnKeys() keys {
	k := keysOfSection("kit:vpn", reflect.TypeOf(VPNConfig{}))
	for goPath, key := range map[string]string{"VPCCIDR": "kit:network.cidr", "PeerCIDRs": "kit:dr.cidr",
		"PeerCIDRs[]": "kit:dr.cidr", "Region": "aws:region"} {
		k[goPath] = key
	}
	return k
}

// migrationKeys translates the migration component's messages: kit:migration's keys, the data centre's
// networks by kit:vpn's key, the target by kit:database.
func migrationKeys() keys {
	k := keysOfSection("kit:migration", reflect.TypeOf(MigrationConfig{}))
	for goPath, key := range map[string]string{"OnPremCIDRs": "kit:vpn.onPremCidrs", "Region": "aws:region",
		"Target": "kit:database", "Target.Engine": "kit:database.engine"} {
		k[goPath] = key
	}
	return k
}
