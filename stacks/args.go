package stacks

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
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
		// those credentials in the DR region.
		ReplicaSource:        cfg.DREnabled(),
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
	if !cfg.DREnabled() {
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
