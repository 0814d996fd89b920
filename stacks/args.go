package stacks

import (
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/migration"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/vpn"
	"github.com/migration-kit/kit/components/webtier"
)

// The stack configuration mapped onto each component's arguments: one function per component, used both to
// check the components before anything is registered (components.go) and to build them (stack.go), so the
// checks judge exactly what will be built. A key left out maps to the component's zero value, its default.

func networkArgs(cfg *Config, tags map[string]string) *network.Args {
	n := cfg.Network
	return &network.Args{
		CIDR:                 val(n.CIDR),
		AZCount:              val(n.AZCount),
		NATStrategy:          network.NATStrategy(val(n.NATStrategy)),
		FlowLogRetentionDays: val(n.FlowLogRetentionDays),
		DisableFlowLogs:      n.FlowLogs != nil && !*n.FlowLogs,
		Tags:                 tags,
	}
}

func drNetworkArgs(cfg *Config, tags map[string]string) *network.Args {
	d := cfg.DR
	return &network.Args{CIDR: val(d.CIDR), AZCount: val(d.AZCount), NATStrategy: network.NATStrategy(val(d.NATStrategy)),
		Tags: tags}
}

// subnetsOf returns the subnets of one tier.
func subnetsOf(subnets []network.Subnet, tier network.Tier) []network.Subnet {
	var out []network.Subnet
	for _, s := range subnets {
		if s.Tier == tier {
			out = append(out, s)
		}
	}
	return out
}

// webArgs maps kit:web (or the standby's variant of it) onto the web tier's arguments in a VPC.
func webArgs(cfg *Config, w WebConfig, vpcID pulumi.StringInput, subnets []network.Subnet, region string,
	tags map[string]string) *webtier.Args {
	return &webtier.Args{
		VPCID:                 vpcID,
		PublicSubnets:         subnetsOf(subnets, network.Public),
		PrivateSubnets:        subnetsOf(subnets, network.Private),
		Region:                region,
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
		AppVersion:            val(w.AppVersion),
		Release:               releaseOf(w.Release),
	}
}

func releaseOf(r *ReleaseConfig) webtier.Release {
	if r == nil {
		return webtier.Release{}
	}
	out := webtier.Release{Strategy: webtier.Strategy(val(r.Strategy)), Checkpoints: r.Checkpoints,
		BakeSeconds: r.BakeSeconds, MinHealthyPercentage: r.MinHealthyPercentage,
		MaxHealthyPercentage: val(r.MaxHealthyPercentage), SkipMatching: r.SkipMatching, AutoRollback: r.AutoRollback,
		GreenPercent: val(r.GreenPercent)}
	if a := r.RollbackAlarms; a != nil {
		out.RollbackAlarms = webtier.RollbackAlarms{Target5XXPerMinute: val(a.Target5XXPerMinute),
			TargetResponseTimeP99Seconds: val(a.TargetResponseTimeP99Seconds), UnhealthyHosts: val(a.UnhealthyHosts)}
	}
	if g := r.Green; g != nil {
		out.Green = &webtier.Color{AppVersion: val(g.AppVersion), AMIID: val(g.AMIID)}
	}
	return out
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

// clients lists the database's client security group, none when it is let in later (Database.AddClient).
func clients(client pulumi.StringInput) []pulumi.StringInput {
	if client == nil {
		return nil
	}
	return []pulumi.StringInput{client}
}

func databaseArgs(cfg *Config, vpcID pulumi.StringInput, subnets []network.Subnet, client pulumi.StringInput,
	region string, tags map[string]string) *database.Args {
	b := cfg.Database
	return &database.Args{
		VPCID:                  vpcID,
		DataSubnets:            subnetsOf(subnets, network.Data),
		ClientSecurityGroupIDs: clients(client),
		Region:                 region,
		Engine:                 database.Engine(val(b.Engine)),
		EngineVersion:          val(b.EngineVersion),
		InstanceClass:          val(b.InstanceClass),
		AllocatedStorageGB:     val(b.AllocatedStorageGB),
		MaxAllocatedStorageGB:  val(b.MaxAllocatedStorageGB),
		MultiAZ:                val(b.MultiAZ),
		BackupRetentionDays:    val(b.BackupRetentionDays),
		BackupWindow:           val(b.BackupWindow),
		MaintenanceWindow:      val(b.MaintenanceWindow),
		DatabaseName:           val(b.DatabaseName),
		// The DR replica needs a source whose credentials RDS does not manage itself, and a failover needs
		// those credentials in the DR region. DMS needs them too: RDS's own secret holds no host or port.
		ReplicaSource:        cfg.DREnabled() || cfg.MigrationEnabled(),
		SecretReplicaRegions: drRegions(cfg),
		// The secret's rotation function reaches Secrets Manager through the private subnets' NAT.
		RotationSubnets: rotationSubnets(cfg, subnets),
		Production:      cfg.Production(),
		Tags:            tags,
	}
}

// webOutputs are what monitoring needs of the web tier.
type webOutputs struct {
	ALBARNSuffix, TargetGroupARNSuffix, ASGName, InstanceRoleName, InstanceSecurityGroupID pulumi.StringInput
	MaxSize                                                                                int
}

// blueGreen reports whether the web tier runs blue and green groups.
func blueGreen(w WebConfig) bool {
	return w.Release != nil && val(w.Release.Strategy) == string(webtier.BlueGreen)
}

func monitoringArgs(cfg *Config, region string, web webOutputs, dbIdentifier, vpcID pulumi.StringInput,
	subnets []network.Subnet, tags map[string]string) *observability.Args {
	m := cfg.Monitoring
	a := &observability.Args{
		Region:                region,
		Tags:                  tags,
		AlarmEmails:           m.AlarmEmails,
		Thresholds:            thresholds(m.Thresholds),
		LoadBalancerARNSuffix: web.ALBARNSuffix,
		TargetGroupARNSuffix:  web.TargetGroupARNSuffix,
		ASGName:               web.ASGName,
		ASGMaxSize:            web.MaxSize,
		DBInstanceIdentifier:  dbIdentifier,
		Prometheus:            val(m.Prometheus),
		InstanceRoleName:      web.InstanceRoleName,
		Grafana:               val(m.Grafana),
	}
	if os := m.OpenSearch; os != nil {
		a.OpenSearch = &observability.OpenSearchArgs{
			VPCID:                  vpcID,
			PrivateSubnets:         subnetsOf(subnets, network.Private),
			ClientSecurityGroupIDs: []pulumi.StringInput{web.InstanceSecurityGroupID},
			MasterUserARN:          pulumi.String(val(os.MasterUserARN)),
			WriterRoleNames:        []pulumi.StringInput{web.InstanceRoleName},
			SAML:                   openSearchSAML(os.SAML),
			InstanceType:           val(os.InstanceType),
			InstanceCount:          val(os.InstanceCount),
			AZCount:                val(os.AZCount),
			VolumeSizeGiB:          val(os.VolumeSizeGiB),
		}
	}
	return a
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

// drArgs maps kit:dr onto the DR component. build makes the warm standby's web tier; the primary load
// balancer's DNS name and zone are what Route 53 fails over from.
func drArgs(cfg *Config, primary dr.Primary, provider *aws.Provider, primaryCIDR string, topicARN pulumi.StringInput,
	build dr.WebTierFunc, lbDNSName, lbZoneID pulumi.StringInput, tags map[string]string) *dr.Args {
	d := cfg.DR
	args := &dr.Args{
		Primary:              primary,
		Region:               val(d.Region),
		Provider:             provider,
		PrimaryVPCCIDR:       primaryCIDR,
		Network:              drNetworkArgs(cfg, tags),
		Strategy:             dr.Strategy(val(d.Strategy)),
		RPOSeconds:           val(d.RPOSeconds),
		Promote:              val(d.Promote),
		ReplicaGeneration:    val(d.ReplicaGeneration),
		ReplicaInstanceClass: val(d.ReplicaInstanceClass),
		ReplicaMultiAZ:       val(d.ReplicaMultiAZ),
		ReplicateBackups:     val(d.ReplicateBackups),
		AlarmActions:         []pulumi.StringInput{topicARN},
		Production:           cfg.Production(),
		Tags:                 tags,
	}
	if args.Strategy == dr.WarmStandby {
		args.WebTier = build
		if d.Domain != nil || d.HostedZoneID != nil {
			args.Failover = &dr.Failover{HostedZoneID: val(d.HostedZoneID), Domain: val(d.Domain),
				PrimaryLoadBalancerDNSName: lbDNSName, PrimaryLoadBalancerZoneID: lbZoneID,
				HealthCheckProtocol: healthCheckProtocol(cfg.Web),
				// Route 53 checks the readiness path, which answers only while the application reaches its
				// database: an application or database failure in the primary region then fails over.
				HealthCheckPath: webtier.DefaultReadinessPath}
		}
	}
	return args
}

// rotationSubnets are the private subnets when the database keeps its credentials in the kit's secret.
func rotationSubnets(cfg *Config, subnets []network.Subnet) []network.Subnet {
	if !cfg.DREnabled() && !cfg.MigrationEnabled() {
		return nil
	}
	return subnetsOf(subnets, network.Private)
}

// openSearchSAML maps kit:monitoring.openSearch.saml.
func openSearchSAML(c *OpenSearchSAMLConfig) *observability.OpenSearchSAML {
	if c == nil {
		return nil
	}
	return &observability.OpenSearchSAML{EntityID: val(c.EntityID), MetadataXML: val(c.MetadataXML),
		MasterBackendRole: val(c.MasterBackendRole), RolesKey: val(c.RolesKey)}
}

// vpnArgs maps kit:vpn onto the VPN component in the primary VPC: the routes to the data centre go to the
// private and data tiers' tables, and no on-premises network may overlap the DR VPC either.
func vpnArgs(cfg *Config, vpcID pulumi.StringInput, vpcCIDR string, tables []network.RouteTable, region string,
	topicARN pulumi.StringInput, tags map[string]string) *vpn.Args {
	v := cfg.VPN
	var peers []string
	if cfg.DREnabled() && val(cfg.DR.CIDR) != "" {
		peers = []string{val(cfg.DR.CIDR)}
	}
	return &vpn.Args{
		VPCID:                 vpcID,
		VPCCIDR:               vpcCIDR,
		PeerCIDRs:             peers,
		RouteTables:           tables,
		Region:                region,
		CustomerGatewayIP:     val(v.CustomerGatewayIP),
		OnPremCIDRs:           v.OnPremCIDRs,
		Routing:               vpn.Routing(val(v.Routing)),
		CustomerASN:           val(v.CustomerASN),
		PublicASNReason:       val(v.PublicASNReason),
		AmazonASN:             val(v.AmazonASN),
		TransitGatewayID:      val(v.TransitGatewayID),
		TunnelInsideCIDRs:     v.TunnelInsideCIDRs,
		DPDTimeoutSeconds:     val(v.DPDTimeoutSeconds),
		Phase1LifetimeSeconds: val(v.Phase1LifetimeSeconds),
		Phase2LifetimeSeconds: val(v.Phase2LifetimeSeconds),
		RekeyMarginSeconds:    val(v.RekeyMarginSeconds),
		StartupAction:         val(v.StartupAction),
		LogRetentionDays:      val(v.LogRetentionDays),
		AlarmActions:          []pulumi.StringInput{topicARN},
		Tags:                  tags,
	}
}

// vpnRouteTables are the tables that learn the routes to the data centre: the private and data tiers'.
func vpnRouteTables(vpc *network.VPC) []network.RouteTable {
	return append(vpc.RouteTablesOf(network.Private), vpc.RouteTablesOf(network.Data)...)
}

// migrationArgs maps kit:migration onto the migration component: the replication instance in the data
// subnets, reaching the data centre's networks over the VPN, moving the data into the primary database.
// Production makes the replication instance Multi-AZ unless the file says otherwise.
func migrationArgs(cfg *Config, vpcID pulumi.StringInput, subnets []network.Subnet, region string,
	onPrem []netip.Prefix, target migration.Target, topicARN pulumi.StringInput, tags map[string]string) *migration.Args {
	m := cfg.Migration
	src := val(m.Source)
	var tables []migration.TableRule
	for _, t := range m.Tables {
		tables = append(tables, migration.TableRule{Action: val(t.Action), Schema: val(t.Schema), Table: val(t.Table)})
	}
	return &migration.Args{
		VPCID:       vpcID,
		DataSubnets: subnetsOf(subnets, network.Data),
		Region:      region,
		OnPremCIDRs: onPrem,
		Source: migration.Source{Engine: val(src.Engine), Host: val(src.Host), Port: val(src.Port),
			DatabaseName: val(src.DatabaseName), SecretARN: val(src.SecretARN)},
		Target:                 target,
		Tables:                 tables,
		TableMappings:          val(m.TableMappings),
		MigrationType:          val(m.MigrationType),
		Start:                  val(m.Start),
		InstanceClass:          val(m.InstanceClass),
		AllocatedStorageGB:     val(m.AllocatedStorageGB),
		MultiAZ:                m.MultiAZ == nil && cfg.Production() || val(m.MultiAZ),
		EngineVersion:          val(m.EngineVersion),
		CreateAccountRoles:     val(m.CreateAccountRoles),
		CDCLatencyAlarmSeconds: val(m.CDCLatencyAlarmSeconds),
		LogRetentionDays:       val(m.LogRetentionDays),
		AlarmTopicARN:          topicARN,
		Tags:                   tags,
	}
}

// dmsPublisher lets DMS publish the migration's events to the alarm topic: only this account's event
// subscriptions in the region (their ARNs are arn:aws:dms:<region>:<account>:es:<name>; DMS user guide,
// "Constructing an Amazon Resource Name (ARN) for AWS DMS", CHAP_Introduction.AWS.ARN).
func dmsPublisher(region, account string) observability.Publisher {
	return observability.Publisher{Service: "dms.amazonaws.com",
		SourceARN: "arn:aws:dms:" + region + ":" + account + ":es:*"}
}
