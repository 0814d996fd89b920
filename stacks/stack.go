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
		CIDR:                 val(cfg.Network.CIDR),
		AZCount:              val(cfg.Network.AZCount),
		NATStrategy:          network.NATStrategy(val(cfg.Network.NATStrategy)),
		FlowLogRetentionDays: val(cfg.Network.FlowLogRetentionDays),
		DisableFlowLogs:      cfg.Network.FlowLogs != nil && !*cfg.Network.FlowLogs,
		Tags:                 tags,
	})
	if err != nil {
		return nil, fmt.Errorf("kit:network: %w", err)
	}

	web, err := webtier.New(ctx, "web", webArgs(cfg, cfg.Web, vpc, tags))
	if err != nil {
		return nil, fmt.Errorf("kit:web: %w", err)
	}

	db, err := database.New(ctx, "primary", &database.Args{
		VPCID:                  vpc.VPCID,
		DataSubnets:            vpc.SubnetsOf(network.Data),
		ClientSecurityGroupIDs: []pulumi.StringInput{web.InstanceSecurityGroupID},
		Region:                 vpc.Region,
		Engine:                 database.Engine(val(cfg.Database.Engine)),
		EngineVersion:          val(cfg.Database.EngineVersion),
		InstanceClass:          val(cfg.Database.InstanceClass),
		AllocatedStorageGB:     val(cfg.Database.AllocatedStorageGB),
		MaxAllocatedStorageGB:  val(cfg.Database.MaxAllocatedStorageGB),
		MultiAZ:                val(cfg.Database.MultiAZ),
		BackupRetentionDays:    val(cfg.Database.BackupRetentionDays),
		BackupWindow:           val(cfg.Database.BackupWindow),
		MaintenanceWindow:      val(cfg.Database.MaintenanceWindow),
		DatabaseName:           val(cfg.Database.DatabaseName),
		// The DR replica needs a source whose credentials RDS does not manage itself, and a failover needs
		// those credentials in the DR region.
		ReplicaSource:        cfg.DREnabled(),
		SecretReplicaRegions: drRegions(cfg),
		Production:           cfg.Production(),
		Tags:                 tags,
	})
	if err != nil {
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
		Thresholds:            thresholds(cfg.Monitoring.Thresholds),
		LoadBalancerARNSuffix: web.ALBARNSuffix,
		TargetGroupARNSuffix:  web.TargetGroupARNSuffix,
		ASGName:               web.ASGName,
		ASGMaxSize:            web.MaxSize,
		DBInstanceIdentifier:  db.Identifier,
		Prometheus:            val(cfg.Monitoring.Prometheus),
		InstanceRoleName:      web.InstanceRoleName,
		Grafana:               val(cfg.Monitoring.Grafana),
	}
	if os := cfg.Monitoring.OpenSearch; os != nil {
		monitoring.OpenSearch = &observability.OpenSearchArgs{
			VPCID:                  vpc.VPCID,
			PrivateSubnets:         vpc.SubnetsOf(network.Private),
			ClientSecurityGroupIDs: []pulumi.StringInput{web.InstanceSecurityGroupID},
			MasterUserARN:          pulumi.String(val(os.MasterUserARN)),
			InstanceType:           val(os.InstanceType),
			InstanceCount:          val(os.InstanceCount),
			AZCount:                val(os.AZCount),
			VolumeSizeGiB:          val(os.VolumeSizeGiB),
		}
	}

	if cfg.DREnabled() {
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
		AppPort:               val(w.AppPort),
		IngressCIDRs:          w.IngressCIDRs,
		CertificateARN:        val(w.CertificateARN),
		DeletionProtection:    cfg.Production(),
		AccessLogs:            w.AccessLogs == nil && cfg.Production() || val(w.AccessLogs),
		AccessLogsDays:        val(w.AccessLogsDays),
		ReservedCapacityUnits: val(w.ReservedCapacityUnits),
		HealthCheck:           healthCheck(w.HealthCheck),
		AMIID:                 val(w.AMIID),
		InstanceType:          val(w.InstanceType),
		MinSize:               w.MinSize,
		MaxSize:               val(w.MaxSize),
		DesiredCapacity:       w.DesiredCapacity,
		CPUTargetPercent:      val(w.CPUTargetPercent),
		RequestsPerTarget:     val(w.RequestsPerTarget),
		ScheduledActions:      scheduledActions(w.ScheduledActions),
		WarmPool:              warmPool(w.WarmPool),
		Spot:                  spot(w.Spot),
	}
}

func healthCheck(h *HealthCheckConfig) webtier.HealthCheck {
	if h == nil {
		return webtier.HealthCheck{}
	}
	return webtier.HealthCheck{Path: val(h.Path), Matcher: val(h.Matcher), Interval: val(h.Interval),
		Timeout: val(h.Timeout), HealthyThreshold: val(h.HealthyThreshold), UnhealthyThreshold: val(h.UnhealthyThreshold)}
}

func scheduledActions(in []ScheduledActionConfig) []webtier.ScheduledAction {
	var out []webtier.ScheduledAction
	for _, s := range in {
		out = append(out, webtier.ScheduledAction{Name: val(s.Name), Recurrence: val(s.Recurrence),
			TimeZone: val(s.TimeZone), MinSize: s.MinSize, MaxSize: s.MaxSize, DesiredCapacity: s.DesiredCapacity})
	}
	return out
}

func warmPool(p *WarmPoolConfig) *webtier.WarmPool {
	if p == nil {
		return nil
	}
	return &webtier.WarmPool{MinSize: val(p.MinSize), MaxPreparedCapacity: val(p.MaxPreparedCapacity), State: val(p.State)}
}

func spot(s *SpotConfig) *webtier.Spot {
	if s == nil {
		return nil
	}
	return &webtier.Spot{Percentage: val(s.Percentage), OnDemandBase: val(s.OnDemandBase),
		InstanceTypes: s.InstanceTypes, AllocationStrategy: val(s.AllocationStrategy)}
}

func thresholds(t *ThresholdsConfig) observability.Thresholds {
	if t == nil {
		return observability.Thresholds{}
	}
	return observability.Thresholds{ALB5XXPerMinute: val(t.ALB5XXPerMinute),
		Target5XXPerMinute: val(t.Target5XXPerMinute), TargetResponseTimeP99Seconds: val(t.TargetResponseTimeP99Seconds),
		UnhealthyHosts: val(t.UnhealthyHosts), ASGAtMaxMinutes: val(t.ASGAtMaxMinutes),
		InstanceCPUPercent: val(t.InstanceCPUPercent), DBCPUPercent: val(t.DBCPUPercent),
		DBFreeStorageGiB: val(t.DBFreeStorageGiB), DBConnections: val(t.DBConnections)}
}

// deployDR builds the DR region: its provider and alarm topic first, so that the replica's lag alarm, made
// inside the DR component, and the standby's own alarms notify the same topic in that region.
func deployDR(ctx *pulumi.Context, cfg *Config, vpc *network.VPC, db *database.Database, web *webtier.WebTier,
	tags map[string]string) (*dr.DR, error) {
	d := cfg.DR
	region := val(d.Region)
	provider, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String(region)})
	if err != nil {
		return nil, err
	}
	topic, err := observability.NewAlarmTopic(ctx, "dr", &observability.TopicArgs{
		Region: region, AlarmEmails: cfg.Monitoring.AlarmEmails, Tags: tags,
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, err
	}

	var standby *webtier.WebTier
	args := &dr.Args{
		Primary:              dr.PrimaryOf(db),
		Region:               region,
		Provider:             provider,
		PrimaryVPCCIDR:       vpc.CIDR,
		Network:              &network.Args{CIDR: val(d.CIDR), AZCount: val(d.AZCount), NATStrategy: network.NATStrategy(val(d.NATStrategy)), Tags: tags},
		Strategy:             dr.Strategy(val(d.Strategy)),
		RPOSeconds:           val(d.RPOSeconds),
		Promote:              val(d.Promote),
		ReplicaGeneration:    val(d.ReplicaGeneration),
		ReplicaInstanceClass: val(d.ReplicaInstanceClass),
		ReplicaMultiAZ:       val(d.ReplicaMultiAZ),
		ReplicateBackups:     val(d.ReplicateBackups),
		AlarmActions:         []pulumi.StringInput{topic.ARN},
		Production:           cfg.Production(),
		Tags:                 tags,
	}
	if args.Strategy == dr.WarmStandby {
		// The standby is the primary's web tier at reduced capacity, in the DR network.
		w := standbyWeb(cfg)
		args.WebTier = func(ctx *pulumi.Context, name string, in dr.StandbyInputs, opts ...pulumi.ResourceOption) (*dr.StandbyWebTier, error) {
			var err error
			if standby, err = webtier.New(ctx, name, webArgs(cfg, w, in.VPC, tags), opts...); err != nil {
				return nil, err
			}
			return &dr.StandbyWebTier{LoadBalancerDNSName: standby.DNSName, LoadBalancerZoneID: standby.ZoneID,
				SecurityGroupID: standby.InstanceSecurityGroupID}, nil
		}
		if d.Domain != nil || d.HostedZoneID != nil {
			args.Failover = &dr.Failover{HostedZoneID: val(d.HostedZoneID), Domain: val(d.Domain),
				PrimaryLoadBalancerDNSName: web.DNSName, PrimaryLoadBalancerZoneID: web.ZoneID,
				HealthCheckProtocol: healthCheckProtocol(cfg.Web),
				// Route 53 checks what the load balancer checks: the application's health path.
				HealthCheckPath: firstNonEmpty(healthCheck(cfg.Web.HealthCheck).Path, webtier.DefaultHealthCheckPath)}
		}
	}
	site, err := dr.New(ctx, "dr", args)
	if err != nil {
		return nil, err
	}

	// The DR region's own watch: the standby tier (when there is one) and the replica, on the shared topic.
	watch := &observability.Args{
		Region: region, Tags: tags, TopicARN: topic.ARN, Thresholds: thresholds(cfg.Monitoring.Thresholds),
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
	if !cfg.DREnabled() {
		return nil
	}
	return []string{val(cfg.DR.Region)}
}

// standbyWeb is the warm standby's web tier: kit:web with kit:dr.standby's overrides. One instance keeps the
// standby warm, and the primary's maximum lets it take the whole load once traffic fails over; peaks are
// served by the primary until a failover, so it has no scheduled actions; its certificate is its own, as
// certificates are regional.
func standbyWeb(cfg *Config) WebConfig {
	w := cfg.Web
	s := val(cfg.DR.Standby)
	if s.InstanceType != nil {
		w.InstanceType = s.InstanceType
	}
	w.MinSize, w.DesiredCapacity = s.MinSize, s.DesiredCapacity
	if w.MinSize == nil {
		min := StandbyMinSize
		w.MinSize = &min
	}
	if s.MaxSize != nil {
		w.MaxSize = s.MaxSize
	}
	w.CertificateARN = s.CertificateARN
	w.ScheduledActions = nil
	return w
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
