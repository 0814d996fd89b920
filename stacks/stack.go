// Package stacks composes the kit's components into one migration stack, driven by the stack's config
// file (stacks/Pulumi.<stack>.yaml). It is the only package that knows every component.
//
// The order is the order of dependencies: the network, the web tier in it, the database its instances reach,
// then (when enabled) the DR region, and last the monitoring, which watches all of them.
package stacks

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
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

	// The DR outputs are set when kit:dr is enabled, and empty otherwise.
	DRRegion           string
	ReplicaEndpoint    pulumi.StringOutput
	ReplicaPromoted    bool
	RPOSeconds         int
	ReplicaLagAlarmARN pulumi.StringOutput
}

// Run is the Pulumi program: main.go, the tests and the offline plan all run exactly this.
func Run(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
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
	if out.DRRegion != "" {
		ctx.Export("drRegion", pulumi.String(out.DRRegion))
		ctx.Export("replicaEndpoint", out.ReplicaEndpoint)
		ctx.Export("replicaPromoted", pulumi.Bool(out.ReplicaPromoted))
		ctx.Export("rpoSeconds", pulumi.Int(out.RPOSeconds))
		ctx.Export("replicaLagAlarmArn", out.ReplicaLagAlarmARN)
	}
	return nil
}

// Deploy builds the stack from a checked configuration.
func Deploy(ctx *pulumi.Context, cfg *Config) (*Outputs, error) {
	tags := map[string]string{
		"Project":     ctx.Project(),
		"Environment": cfg.Environment,
		"ManagedBy":   "pulumi",
	}

	vpc, err := network.New(ctx, "primary", &network.Args{
		CIDR:                 cfg.Network.CIDR,
		AZCount:              intOr(cfg.Network.AZCount),
		NATStrategy:          network.NATStrategy(cfg.Network.NATStrategy),
		FlowLogRetentionDays: cfg.Network.FlowLogRetentionDays,
		DisableFlowLogs:      cfg.Network.FlowLogs != nil && !*cfg.Network.FlowLogs,
		Tags:                 tags,
	})
	if err != nil {
		return nil, fmt.Errorf("kit:network: %w", err)
	}

	db, err := database.New(ctx, "primary", &database.Args{
		VPCID:                  vpc.VPCID,
		DataSubnets:            vpc.SubnetsOf(network.Data),
		Region:                 vpc.Region,
		Engine:                 database.Engine(cfg.Database.Engine),
		EngineVersion:          cfg.Database.EngineVersion,
		InstanceClass:          cfg.Database.InstanceClass,
		AllocatedStorageGB:     cfg.Database.AllocatedStorageGB,
		MaxAllocatedStorageGB:  cfg.Database.MaxAllocatedStorageGB,
		MultiAZ:                cfg.Database.MultiAZ,
		BackupRetentionDays:    cfg.Database.BackupRetentionDays,
		BackupWindow:           cfg.Database.BackupWindow,
		MaintenanceWindow:      cfg.Database.MaintenanceWindow,
		DatabaseName:           cfg.Database.DatabaseName,
		// The DR replica needs a source whose credentials RDS does not manage itself, and a failover needs
		// those credentials in the DR region.
		ReplicaSource:        cfg.DR.Enabled,
		SecretReplicaRegions: drRegions(cfg),
		Production:           cfg.Production(),
		Tags:                 tags,
	})
	if err != nil {
		return nil, fmt.Errorf("kit:database: %w", err)
	}

	// The web tier comes after the database, whose address its instances check they can reach (the readiness
	// path Route 53 fails over on), and is then let into the database's port.
	wa := webArgs(cfg, cfg.Web, vpc, tags)
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
		// Without DR these stay empty rather than zero values, which would not resolve.
		ReplicaEndpoint: pulumi.String("").ToStringOutput(), ReplicaLagAlarmARN: pulumi.String("").ToStringOutput(),
	}

	monitoring := &observability.Args{
		Region:                vpc.Region,
		Tags:                  tags,
		AlarmEmails:           cfg.Monitoring.AlarmEmails,
		Thresholds:            cfg.Monitoring.Thresholds,
		LoadBalancerARNSuffix: web.ALBARNSuffix,
		TargetGroupARNSuffix:  web.TargetGroupARNSuffix,
		ASGName:               web.ASGName,
		ASGMaxSize:            web.MaxSize,
		DBInstanceIdentifier:  db.Identifier,
		Prometheus:            cfg.Monitoring.Prometheus,
		InstanceRoleName:      web.InstanceRoleName,
		Grafana:               cfg.Monitoring.Grafana,
	}
	if os := cfg.Monitoring.OpenSearch; os != nil {
		monitoring.OpenSearch = &observability.OpenSearchArgs{
			VPCID:                  vpc.VPCID,
			PrivateSubnets:         vpc.SubnetsOf(network.Private),
			ClientSecurityGroupIDs: []pulumi.StringInput{web.InstanceSecurityGroupID},
			MasterUserARN:          pulumi.String(os.MasterUserARN),
			InstanceType:           os.InstanceType,
			InstanceCount:          os.InstanceCount,
			AZCount:                os.AZCount,
			VolumeSizeGiB:          os.VolumeSizeGiB,
		}
	}

	if cfg.DR.Enabled {
		site, err := deployDR(ctx, cfg, vpc, db, web, tags)
		if err != nil {
			return nil, fmt.Errorf("kit:dr: %w", err)
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

// webArgs maps kit:web (or the standby's variant of it) onto the web tier's arguments in a VPC.
func webArgs(cfg *Config, w WebConfig, vpc *network.VPC, tags map[string]string) *webtier.Args {
	return &webtier.Args{
		VPCID:                 vpc.VPCID,
		PublicSubnets:         vpc.SubnetsOf(network.Public),
		PrivateSubnets:        vpc.SubnetsOf(network.Private),
		Region:                vpc.Region,
		Tags:                  tags,
		AppPort:               w.AppPort,
		IngressCIDRs:          w.IngressCIDRs,
		CertificateARN:        w.CertificateARN,
		DeletionProtection:    cfg.Production(),
		AccessLogs:            w.AccessLogs == nil && cfg.Production() || w.AccessLogs != nil && *w.AccessLogs,
		AccessLogsDays:        w.AccessLogsDays,
		ReservedCapacityUnits: w.ReservedCapacityUnits,
		HealthCheck:           w.HealthCheck,
		AMIID:                 w.AMIID,
		InstanceType:          w.InstanceType,
		MinSize:               w.MinSize,
		MaxSize:               w.MaxSize,
		DesiredCapacity:       w.DesiredCapacity,
		CPUTargetPercent:      w.CPUTargetPercent,
		RequestsPerTarget:     w.RequestsPerTarget,
		ScheduledActions:      w.ScheduledActions,
		WarmPool:              w.WarmPool,
		Spot:                  w.Spot,
	}
}

// deployDR builds the DR region: its provider and alarm topic first, so that the replica's lag alarm, made
// inside the DR component, and the standby's own alarms notify the same topic in that region.
func deployDR(ctx *pulumi.Context, cfg *Config, vpc *network.VPC, db *database.Database, web *webtier.WebTier,
	tags map[string]string) (*dr.DR, error) {
	d := cfg.DR
	provider, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String(d.Region)})
	if err != nil {
		return nil, err
	}
	topic, err := observability.NewAlarmTopic(ctx, "dr", &observability.TopicArgs{
		Region: d.Region, AlarmEmails: cfg.Monitoring.AlarmEmails, Tags: tags,
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, err
	}

	var standby *webtier.WebTier
	args := &dr.Args{
		Primary:              dr.PrimaryOf(db),
		Region:               d.Region,
		Provider:             provider,
		PrimaryVPCCIDR:       vpc.CIDR,
		Network:              &network.Args{CIDR: d.CIDR, AZCount: intOr(d.AZCount), NATStrategy: network.NATStrategy(d.NATStrategy), Tags: tags},
		Strategy:             dr.Strategy(d.Strategy),
		RPOSeconds:           d.RPOSeconds,
		Promote:              d.Promote,
		ReplicaGeneration:    generation(d.ReplicaGeneration),
		ReplicaInstanceClass: d.ReplicaInstanceClass,
		ReplicaMultiAZ:       d.ReplicaMultiAZ,
		ReplicateBackups:     d.ReplicateBackups,
		AlarmActions:         []pulumi.StringInput{topic.ARN},
		Production:           cfg.Production(),
		Tags:                 tags,
	}
	if args.Strategy == dr.WarmStandby {
		// The standby is the primary's web tier at reduced capacity, in the DR network.
		w := cfg.Web
		w.InstanceType = firstNonEmpty(d.Standby.InstanceType, w.InstanceType)
		// One instance keeps the standby warm; the primary's maximum lets it take the whole load once traffic
		// fails over.
		w.MinSize, w.MaxSize, w.DesiredCapacity = d.Standby.MinSize, d.Standby.MaxSize, d.Standby.DesiredCapacity
		if w.MinSize == 0 {
			w.MinSize = StandbyMinSize
		}
		if w.MaxSize == 0 {
			w.MaxSize = cfg.Web.MaxSize
		}
		w.CertificateARN = d.Standby.CertificateARN
		w.ScheduledActions = nil // peaks are served by the primary until a failover
		args.WebTier = func(ctx *pulumi.Context, name string, in dr.StandbyInputs, opts ...pulumi.ResourceOption) (*dr.StandbyWebTier, error) {
			var err error
			sa := webArgs(cfg, w, in.VPC, tags)
			sa.DatabaseAddress, sa.DatabasePort = in.DatabaseAddress, in.DatabasePort
			if standby, err = webtier.New(ctx, name, sa, opts...); err != nil {
				return nil, err
			}
			return &dr.StandbyWebTier{LoadBalancerDNSName: standby.DNSName, LoadBalancerZoneID: standby.ZoneID,
				SecurityGroupID: standby.InstanceSecurityGroupID}, nil
		}
		if d.Domain != "" || d.HostedZoneID != "" {
			args.Failover = &dr.Failover{HostedZoneID: d.HostedZoneID, Domain: d.Domain,
				PrimaryLoadBalancerDNSName: web.DNSName, PrimaryLoadBalancerZoneID: web.ZoneID,
				HealthCheckProtocol: healthCheckProtocol(cfg.Web),
				// Route 53 checks the readiness path, which answers only while the application reaches its
				// database: an application or database failure in the primary region then fails over.
				HealthCheckPath: web.ReadinessPath}
		}
	}
	site, err := dr.New(ctx, "dr", args)
	if err != nil {
		return nil, err
	}

	// The DR region's own watch: the standby tier (when there is one) and the replica, on the shared topic.
	watch := &observability.Args{
		Region: d.Region, Tags: tags, TopicARN: topic.ARN, Thresholds: cfg.Monitoring.Thresholds,
		ReplicaIdentifier: site.ReplicaIdentifier, ReplicaRegion: site.Region, ReplicaLagAlarmARN: site.LagAlarmARN,
	}
	if standby != nil {
		watch.LoadBalancerARNSuffix, watch.TargetGroupARNSuffix = standby.ALBARNSuffix, standby.TargetGroupARNSuffix
		watch.ASGName, watch.ASGMaxSize = standby.ASGName, standby.MaxSize
	}
	if _, err := observability.New(ctx, "dr-ops", watch, pulumi.Provider(provider)); err != nil {
		return nil, err
	}
	return site, nil
}

// drRegions lists the DR region when DR is enabled.
func drRegions(cfg *Config) []string {
	if !cfg.DR.Enabled {
		return nil
	}
	return []string{cfg.DR.Region}
}

// StandbyMinSize is the warm standby's default minimum: warm, not idle.
const StandbyMinSize = 1

// healthCheckProtocol is how Route 53 checks the primary: HTTPS when it serves HTTPS.
func healthCheckProtocol(w WebConfig) string {
	if w.CertificateARN != "" {
		return "HTTPS"
	}
	return "HTTP"
}

// generation is kit:dr.replicaGeneration for the DR component: unset is its default.
func generation(g *int) int {
	if g == nil {
		return 0
	}
	return *g
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
