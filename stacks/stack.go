// Package stacks composes the kit's components into one migration stack, driven by the stack's config
// file (stacks/Pulumi.<stack>.yaml). It is the only package that knows every component.
//
// The order is the order of dependencies: the network, the database, the web tier whose instances reach it,
// then (when enabled) the VPN to the data centre and the migration of its database over it, the DR region,
// and last the monitoring, which watches all of them.
package stacks

import (
	"fmt"
	"sort"

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

// Outputs are the stack outputs a user needs after `pulumi up` (`pulumi stack output`).
type Outputs struct {
	AppURL           pulumi.StringOutput
	PrimaryRegion    string
	VPCIDs           pulumi.StringMap // region -> VPC id
	DatabaseEndpoint pulumi.StringOutput
	// DatabaseSecretARN is the Secrets Manager secret RDS keeps the master password in.
	DatabaseSecretARN pulumi.StringOutput
	DashboardURL      pulumi.StringOutput
	// WebASGName is the web tier's auto-scaling group, the one a release refreshes (blue's with blue/green);
	// WebGreenASGName is green's, "" without blue/green. The DR ones are the warm standby's, "" without one.
	WebASGName, WebGreenASGName, DRWebASGName, DRWebGreenASGName pulumi.StringOutput

	// The DR outputs are set when kit:dr is enabled, and empty otherwise.
	DRRegion           string
	ReplicaEndpoint    pulumi.StringOutput
	ReplicaPromoted    bool
	RPOSeconds         int
	ReplicaLagAlarmARN pulumi.StringOutput

	// VPN is set when kit:vpn is enabled: what the data centre's side is configured with.
	VPN *vpn.VPN
	// Migration is set when kit:migration is enabled.
	Migration *migration.Migration
}

// Run is the Pulumi program: main.go, the tests and the offline plan all run exactly this.
func Run(ctx *pulumi.Context) error {
	cfg, problems := load(ctx)
	if len(problems) > 0 {
		// The components of the sections without a problem are checked too, so that one run reports every
		// problem; nothing is registered.
		bad := sectionsOf(problems)
		if !bad["aws"] {
			if primary, err := placement.Lookup(ctx); err == nil {
				problems = append(problems, cfg.checkComponents(ctx, primary, nil, tags(ctx, cfg), bad)...)
			}
		}
		return invalidConfig(problems)
	}
	out, err := Deploy(ctx, cfg)
	if err != nil {
		return err
	}
	ctx.Export("appUrl", out.AppURL)
	ctx.Export("primaryRegion", pulumi.String(out.PrimaryRegion))
	ctx.Export("vpcIds", out.VPCIDs)
	ctx.Export("databaseEndpoint", out.DatabaseEndpoint)
	ctx.Export("databaseSecretArn", out.DatabaseSecretARN)
	ctx.Export("dashboardUrl", out.DashboardURL)
	// The groups cmd/release-status waits for after `pulumi up`, "" where there is none.
	ctx.Export("webAsgName", out.WebASGName)
	ctx.Export("webGreenAsgName", out.WebGreenASGName)
	ctx.Export("drWebAsgName", out.DRWebASGName)
	ctx.Export("drWebGreenAsgName", out.DRWebGreenASGName)
	if out.DRRegion != "" {
		ctx.Export("drRegion", pulumi.String(out.DRRegion))
		ctx.Export("replicaEndpoint", out.ReplicaEndpoint)
		ctx.Export("replicaPromoted", pulumi.Bool(out.ReplicaPromoted))
		ctx.Export("rpoSeconds", pulumi.Int(out.RPOSeconds))
		ctx.Export("replicaLagAlarmArn", out.ReplicaLagAlarmARN)
	}
	if v := out.VPN; v != nil {
		// The data centre's device needs the tunnels' outside addresses and inside networks; the pre-shared
		// keys stay in Secrets Manager, named here by the secret's ARN only.
		ctx.Export("vpnConnectionId", v.ConnectionID)
		ctx.Export("vpnTunnelAddresses", pulumi.StringArray{v.Tunnel1Address, v.Tunnel2Address})
		ctx.Export("vpnTunnelInsideCidrs", pulumi.StringArray{v.Tunnel1InsideCIDR, v.Tunnel2InsideCIDR})
		ctx.Export("vpnPresharedKeySecretArn", v.PresharedKeySecretARN)
	}
	if m := out.Migration; m != nil {
		ctx.Export("migrationSourceSecretArn", m.SourceSecretARN)
		ctx.Export("migrationReplicationInstanceArn", m.ReplicationInstanceARN)
		ctx.Export("migrationSourceEndpointArn", m.SourceEndpointARN)
		ctx.Export("migrationTargetEndpointArn", m.TargetEndpointARN)
		ctx.Export("migrationTaskArn", m.TaskARN)
		ctx.Export("migrationLogGroup", m.LogGroupName)
	}
	return nil
}

// Deploy builds the stack from a checked configuration. Every component's own checks run first, on the
// arguments the stack will give it (check.go, components.go): a configuration with a problem anywhere
// registers nothing, and all its problems come back together in the stack file's words.
func Deploy(ctx *pulumi.Context, cfg *Config) (*Outputs, error) {
	tags := tags(ctx, cfg)
	primary, err := placement.Lookup(ctx)
	if err != nil {
		return nil, fmt.Errorf("aws:region %q: %w", cfg.Region, err)
	}
	var drSite *drPlacement
	if cfg.DREnabled() {
		// The DR region's provider is configuration, not infrastructure: it is registered first so that the
		// DR network can be checked against that region's zones before anything real is.
		provider, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String(val(cfg.DR.Region))})
		if err != nil {
			return nil, err
		}
		where, err := placement.Lookup(ctx, pulumi.Provider(provider))
		if err != nil {
			return nil, fmt.Errorf("kit:dr.region %q: %w", val(cfg.DR.Region), err)
		}
		drSite = &drPlacement{provider: provider, where: where}
	}
	if problems := cfg.checkComponents(ctx, primary, drSite, tags, nil); len(problems) > 0 {
		return nil, invalidConfig(problems)
	}

	vpc, err := network.New(ctx, "primary", networkArgs(cfg, tags))
	if err != nil {
		return nil, fmt.Errorf("kit:network: %w", err)
	}
	db, err := database.New(ctx, "primary", databaseArgs(cfg, vpc.VPCID, vpc.Subnets, nil, vpc.Region, tags))
	if err != nil {
		return nil, fmt.Errorf("kit:database: %w", err)
	}
	// The web tier comes after the database, whose address its instances check they can reach (the readiness
	// path Route 53 fails over on), and is then let into the database's port.
	wa := webArgs(cfg, cfg.Web, vpc.VPCID, vpc.Subnets, vpc.Region, tags)
	wa.DatabaseAddress, wa.DatabasePort = db.Address, db.PortNumber
	web, err := webtier.New(ctx, "web", wa)
	if err != nil {
		return nil, fmt.Errorf("kit:web: %w", err)
	}
	if err := db.AddClient(ctx, web.InstanceSecurityGroupID); err != nil {
		return nil, fmt.Errorf("kit:database: %w", err)
	}

	out := &Outputs{
		AppURL: web.URL, PrimaryRegion: vpc.Region, VPCIDs: pulumi.StringMap{vpc.Region: vpc.VPCID},
		DatabaseEndpoint: db.Endpoint, DatabaseSecretARN: db.SecretARN,
		WebASGName: web.ASGName, WebGreenASGName: web.GreenASGName,
		DRWebASGName: pulumi.String("").ToStringOutput(), DRWebGreenASGName: pulumi.String("").ToStringOutput(),
		// Without DR these stay empty rather than zero values, which would not resolve.
		ReplicaEndpoint: pulumi.String("").ToStringOutput(), ReplicaLagAlarmARN: pulumi.String("").ToStringOutput(),
	}
	monitoring := monitoringArgs(cfg, vpc.Region, webOutputs{ALBARNSuffix: web.ALBARNSuffix,
		TargetGroupARNSuffix: web.TargetGroupARNSuffix, ASGName: web.ASGName, MaxSize: web.MaxSize,
		InstanceRoleName: web.InstanceRoleName, InstanceSecurityGroupID: web.InstanceSecurityGroupID},
		db.Identifier, vpc.VPCID, vpc.Subnets, tags)
	if blueGreen(cfg.Web) {
		monitoring.GreenTargetGroupARNSuffix, monitoring.GreenASGName = web.GreenTargetGroupARNSuffix, web.GreenASGName
	}

	if cfg.VPNEnabled() {
		site, err := deployDataCentre(ctx, cfg, vpc, db, tags)
		if err != nil {
			return nil, err
		}
		site.watch(monitoring)
		out.VPN, out.Migration = site.vpn, site.migration
	}

	if drSite != nil {
		site, standby, err := deployDR(ctx, cfg, drSite.provider, vpc, db, web, tags)
		if err != nil {
			return nil, fmt.Errorf("kit:dr: %w", err)
		}
		if standby != nil {
			out.DRWebASGName, out.DRWebGreenASGName = standby.ASGName, standby.GreenASGName
		}
		out.VPCIDs[site.Region] = site.VPC.VPCID
		monitoring.ReplicaIdentifier = site.ReplicaIdentifier
		monitoring.ReplicaRegion = site.Region
		monitoring.ReplicaLagAlarmARN = site.LagAlarmARN
		out.DRRegion, out.ReplicaEndpoint, out.ReplicaPromoted = site.Region, site.ReplicaEndpoint, site.Promoted
		out.RPOSeconds, out.ReplicaLagAlarmARN = site.RPOSeconds, site.LagAlarmARN
	}

	ops, err := observability.New(ctx, "ops", monitoring)
	if err != nil {
		return nil, fmt.Errorf("kit:monitoring: %w", err)
	}
	out.DashboardURL = ops.DashboardURL
	return out, nil
}

// deployDR builds the DR region: its alarm topic first, so that the replica's lag alarm, made inside the DR
// component, and the standby's own alarms notify the same topic in that region.
func deployDR(ctx *pulumi.Context, cfg *Config, provider *aws.Provider, vpc *network.VPC, db *database.Database,
	web *webtier.WebTier, tags map[string]string) (*dr.DR, *webtier.WebTier, error) {
	region := val(cfg.DR.Region)
	topic, err := observability.NewAlarmTopic(ctx, "dr", &observability.TopicArgs{
		Region: region, AlarmEmails: cfg.Monitoring.AlarmEmails, Tags: tags,
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, nil, err
	}
	var standby *webtier.WebTier
	build := func(ctx *pulumi.Context, name string, in dr.StandbyInputs, opts ...pulumi.ResourceOption) (*dr.StandbyWebTier, error) {
		var err error
		sa := webArgs(cfg, standbyWeb(cfg), in.VPC.VPCID, in.VPC.Subnets, in.VPC.Region, tags)
		// The standby's instances are ready when they reach the replica (the database once promoted).
		sa.DatabaseAddress, sa.DatabasePort = in.DatabaseAddress, in.DatabasePort
		if standby, err = webtier.New(ctx, name, sa, opts...); err != nil {
			return nil, err
		}
		return &dr.StandbyWebTier{LoadBalancerDNSName: standby.DNSName, LoadBalancerZoneID: standby.ZoneID,
			SecurityGroupID: standby.InstanceSecurityGroupID}, nil
	}
	site, err := dr.New(ctx, "dr", drArgs(cfg, dr.PrimaryOf(db), provider, vpc.CIDR, topic.ARN, build,
		web.DNSName, web.ZoneID, tags))
	if err != nil {
		return nil, nil, err
	}

	// The DR region's own watch: the standby tier (when there is one) and the replica, on the shared topic.
	watch := &observability.Args{
		Region: region, Tags: tags, TopicARN: topic.ARN, Thresholds: thresholds(cfg.Monitoring.Thresholds),
		ReplicaIdentifier: site.ReplicaIdentifier, ReplicaRegion: site.Region, ReplicaLagAlarmARN: site.LagAlarmARN,
	}
	if standby != nil {
		watch.LoadBalancerARNSuffix, watch.TargetGroupARNSuffix = standby.ALBARNSuffix, standby.TargetGroupARNSuffix
		watch.ASGName, watch.ASGMaxSize = standby.ASGName, standby.MaxSize
		if blueGreen(cfg.Web) {
			watch.GreenTargetGroupARNSuffix, watch.GreenASGName = standby.GreenTargetGroupARNSuffix, standby.GreenASGName
		}
	}
	if _, err := observability.New(ctx, "dr-ops", watch, pulumi.Provider(provider)); err != nil {
		return nil, nil, err
	}
	return site, standby, nil
}

// Names of the data centre's components: the VPN, the migration (its replication instance and task
// identifier, and its task log group dms-tasks-migration), and the alarm topic both notify.
const (
	vpnName       = "datacentre"
	migrationName = "migration"
	topicName     = "datacentre"
)

// dataCentre is what kit:vpn and kit:migration built, and what the dashboard watches of it.
type dataCentre struct {
	vpn       *vpn.VPN
	migration *migration.Migration

	connectionID, instanceID, taskID pulumi.StringInput
	cdcLatencyAlarmSeconds           int
	alarmARNs                        []pulumi.StringInput
}

// watch adds the data centre's link and migration to the primary dashboard: a VPN row, a DMS row, and their
// alarms in the status row.
func (d *dataCentre) watch(a *observability.Args) {
	a.VPNConnectionID = d.connectionID
	a.ReplicationInstanceIdentifier, a.ReplicationTaskIdentifier = d.instanceID, d.taskID
	a.CDCLatencyAlarmSeconds = float64(d.cdcLatencyAlarmSeconds)
	a.OtherAlarmARNs = append(a.OtherAlarmARNs, d.alarmARNs...)
}

// deployDataCentre connects the data centre (kit:vpn) and, when kit:migration is enabled, builds the migration
// of its database into the primary database. Their alarms and DMS's events go to an alarm topic of their own,
// with kit:monitoring's subscribers: it goes away with them once the migration is over.
func deployDataCentre(ctx *pulumi.Context, cfg *Config, vpc *network.VPC, db *database.Database,
	tags map[string]string) (*dataCentre, error) {
	topicArgs := &observability.TopicArgs{Region: vpc.Region, AlarmEmails: cfg.Monitoring.AlarmEmails, Tags: tags}
	if cfg.MigrationEnabled() {
		caller, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("kit:migration: looking up the account DMS publishes from: %w", err)
		}
		topicArgs.Publishers = []observability.Publisher{dmsPublisher(vpc.Region, caller.AccountId)}
	}
	topic, err := observability.NewAlarmTopic(ctx, topicName, topicArgs)
	if err != nil {
		return nil, fmt.Errorf("kit:vpn: %w", err)
	}
	link, err := vpn.New(ctx, vpnName, vpnArgs(cfg, vpc.VPCID, vpc.CIDR, vpnRouteTables(vpc), vpc.Region, topic.ARN, tags))
	if err != nil {
		return nil, fmt.Errorf("kit:vpn: %w", err)
	}
	d := &dataCentre{vpn: link, connectionID: link.ConnectionID}
	for _, a := range link.TunnelAlarmARNs {
		d.alarmARNs = append(d.alarmARNs, a)
	}
	if !cfg.MigrationEnabled() {
		return d, nil
	}
	m, err := migration.New(ctx, migrationName, migrationArgs(cfg, vpc.VPCID, vpc.Subnets, vpc.Region,
		link.OnPremCIDRs, migration.TargetOf(db), topic.ARN, tags))
	if err != nil {
		return nil, fmt.Errorf("kit:migration: %w", err)
	}
	d.migration = m
	d.instanceID, d.taskID = pulumi.String(m.InstanceIdentifierName), pulumi.String(m.TaskIdentifierName)
	d.cdcLatencyAlarmSeconds = m.CDCLatencyAlarmSeconds
	names := make([]string, 0, len(m.AlarmARNs))
	for name := range m.AlarmARNs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d.alarmARNs = append(d.alarmARNs, m.AlarmARNs[name])
	}
	return d, nil
}

// tags are the tags every resource of the stack carries.
func tags(ctx *pulumi.Context, cfg *Config) map[string]string {
	return map[string]string{"Project": ctx.Project(), "Environment": cfg.Environment, "ManagedBy": "pulumi"}
}

// drRegions lists the DR region when DR is enabled.
func drRegions(cfg *Config) []string {
	if !cfg.DREnabled() {
		return nil
	}
	return []string{val(cfg.DR.Region)}
}

// StandbyMinSize is the warm standby's default minimum: warm, not idle.
const StandbyMinSize = 1

// healthCheckProtocol is how Route 53 checks the primary: HTTPS when it serves HTTPS.
func healthCheckProtocol(w WebConfig) string {
	if val(w.CertificateARN) != "" {
		return "HTTPS"
	}
	return "HTTP"
}
