package dr

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/network"
)

// Strategy is how much of the application runs in the DR region before a disaster.
type Strategy string

const (
	// PilotLight keeps the network and a replica of the database in the DR region; the application tier is
	// deployed there only when failing over. Cheapest; recovery takes as long as deploying the web tier.
	PilotLight Strategy = "pilot-light"
	// WarmStandby also runs the web tier in the DR region at reduced capacity, and Route 53 fails traffic over
	// to it when the primary's load balancer fails its health check. The default failover is DNS-fast;
	// scale the standby up after failing over.
	WarmStandby Strategy = "warm-standby"
)

// Defaults of the optional Args fields.
const (
	DefaultStrategy                       = PilotLight
	DefaultBackupReplicationRetentionDays = 7
	DefaultHealthCheckProtocol            = "HTTPS"
	DefaultHealthCheckPath                = "/health/ready"
	DefaultReplicaGeneration              = 1
	// LagAlarmPeriodSeconds and LagAlarmEvaluationPeriods: ReplicaLag is judged per minute, and the alarm
	// fires when 3 of the last 5 minutes exceed the RPO, so one slow checkpoint does not page anyone.
	LagAlarmPeriodSeconds     = 60
	LagAlarmEvaluationPeriods = 5
	LagAlarmDatapoints        = 3
	// IdlePostgresReplicaLagSeconds is the ReplicaLag RDS for PostgreSQL reports on a replica whose source
	// takes no writes: RDS reports the lag as the time since the last replayed transaction (now() -
	// pg_last_xact_replay_timestamp()), and an idle source switches WAL segments every 5 minutes, so the lag
	// of an idle, healthy replica climbs to 5 minutes before each switch (RDS user guide, "Monitoring and
	// tuning the replication process" for RDS for PostgreSQL read replicas). A PostgreSQL RPO below it would
	// page every night that nobody writes, so RPOSeconds is refused below it.
	IdlePostgresReplicaLagSeconds = 300
	// FailoverRequestIntervalSeconds and FailoverFailureThreshold are the Route 53 health check's: each
	// health checker requests the path every 10 seconds (the shorter of the two intervals Route 53 offers)
	// and calls the endpoint unhealthy after 3 consecutive failures (Route 53 developer guide, "How Amazon
	// Route 53 determines whether a health check is healthy"). Failover thus starts FailoverDetectionSeconds
	// after the primary stops being ready, and clients follow as their resolvers' cached answer expires.
	FailoverRequestIntervalSeconds = 10
	FailoverFailureThreshold       = 3
	FailoverDetectionSeconds       = FailoverRequestIntervalSeconds * FailoverFailureThreshold
)

// Primary is what the DR component needs to know of the primary database: its ARN (the replica's source)
// and plain facts to validate against before anything is registered. PrimaryOf fills it from a
// *database.Database.
type Primary struct {
	// ARN is the primary DB instance's ARN. Required.
	ARN pulumi.StringInput
	// Identifier is the primary's DB instance identifier. Required.
	Identifier string
	// Region is the primary's region. Required.
	Region string
	// Engine and EngineVersion are the primary's engine and version. Required.
	Engine        database.Engine
	EngineVersion string
	// InstanceClass is the primary's class. Required.
	InstanceClass string
	// Encrypted says whether the primary's storage is encrypted. The replica is always encrypted with the DR
	// region's key, and AWS cannot make an encrypted replica of an unencrypted source.
	Encrypted bool
	// BackupRetentionDays is the primary's automated backup retention; a read replica's source needs > 0.
	BackupRetentionDays int
	// Port is the database port. Optional; default the engine's port.
	Port int
	// PasswordManagedByRDS says RDS manages the primary's master password in Secrets Manager, which makes
	// AWS refuse to create a read replica of it: build the primary with database.Args.ReplicaSource.
	PasswordManagedByRDS bool
	// MaxAllocatedStorageGB is the primary's storage autoscaling ceiling (0: off). The replica gets the same,
	// or it fills up, and replication stops, once the primary grows past the replica's storage.
	MaxAllocatedStorageGB int
}

// PrimaryOf describes a database built with database.New.
func PrimaryOf(db *database.Database) Primary {
	return Primary{
		ARN: db.ARN, Identifier: db.IdentifierName, Region: db.Region, Engine: db.Engine,
		EngineVersion: db.EngineVersion, InstanceClass: db.InstanceClass, Encrypted: db.Encrypted,
		BackupRetentionDays: db.BackupRetentionDays, Port: db.PortNumber,
		PasswordManagedByRDS: db.PasswordManagedByRDS, MaxAllocatedStorageGB: db.MaxAllocatedStorageGB,
	}
}

// StandbyInputs is what the DR component hands the warm-standby web tier it builds.
type StandbyInputs struct {
	// VPC is the DR region's network.
	VPC *network.VPC
	// DatabaseAddress and DatabasePort reach the replica (read-only until promoted).
	DatabaseAddress pulumi.StringOutput
	DatabasePort    int
}

// StandbyWebTier is what the DR component needs back from the warm-standby web tier.
type StandbyWebTier struct {
	// LoadBalancerDNSName and LoadBalancerZoneID are the DR load balancer's DNS name and hosted zone id:
	// the SECONDARY failover record's alias target. Required.
	LoadBalancerDNSName pulumi.StringOutput
	LoadBalancerZoneID  pulumi.StringOutput
	// SecurityGroupID is the instances' security group, let into the replica's port. Optional (nil: none).
	SecurityGroupID pulumi.StringInput
}

// WebTierFunc builds the warm-standby web tier in the DR region. It receives the DR component's parent and
// provider in opts and must pass them on to everything it creates. A stack wraps webtier.New with the
// reduced capacity it wants.
type WebTierFunc func(ctx *pulumi.Context, name string, in StandbyInputs, opts ...pulumi.ResourceOption) (*StandbyWebTier, error)

// Failover configures Route 53 DNS failover from the primary region's load balancer to the DR one.
type Failover struct {
	// HostedZoneID is the Route 53 hosted zone the records go in. Required.
	HostedZoneID string
	// Domain is the name clients use, e.g. app.example.com, inside the hosted zone. Required.
	Domain string
	// PrimaryLoadBalancerDNSName and PrimaryLoadBalancerZoneID are the primary region's load balancer: the
	// health check's target and the PRIMARY record's alias target. Required.
	PrimaryLoadBalancerDNSName pulumi.StringInput
	PrimaryLoadBalancerZoneID  pulumi.StringInput
	// HealthCheckProtocol is HTTPS or HTTP. Optional; default HTTPS.
	HealthCheckProtocol string
	// HealthCheckPath is the path the health check requests: one the application answers only while it can
	// reach its database (the web tier's ReadinessPath), never the load balancer's own health path, which
	// cannot depend on the database. Optional; default "/health/ready" (webtier.DefaultReadinessPath).
	HealthCheckPath string
	// HealthCheckPort is the port checked. Optional; default 443 for HTTPS, 80 for HTTP.
	HealthCheckPort int
}

// Args configure the disaster-recovery region.
type Args struct {
	// Primary describes the primary database; use PrimaryOf(db). Required.
	Primary Primary
	// Region is the DR region, e.g. us-west-2: a known AWS region other than the primary's. Required.
	Region string
	// Provider is an AWS provider for Region. Optional; default a provider the component creates for Region
	// with the ambient credentials. Pass one to use other credentials or an assumed role; its region must be
	// Region (it is checked).
	Provider *aws.Provider
	// Network configures the DR region's VPC (built with network.New on the DR provider). Network.CIDR is
	// required and must not overlap PrimaryVPCCIDR: peering, a transit gateway or a VPN between the regions
	// need disjoint ranges. Required.
	Network *network.Args
	// PrimaryVPCCIDR is the primary VPC's CIDR block (vpc.CIDR). Required.
	PrimaryVPCCIDR string
	// Strategy is pilot-light or warm-standby. Optional; default pilot-light.
	Strategy Strategy
	// RPOSeconds is the recovery point objective: the most data, in seconds of writes, the business accepts
	// to lose. It becomes the threshold of an alarm on the replica's ReplicaLag. Required; > 0, and for
	// PostgreSQL at least IdlePostgresReplicaLagSeconds (300), the lag an idle source reports.
	RPOSeconds int
	// Promote turns the replica into a standalone, writable instance by removing its replication source:
	// the failover (or drill) switch. Nothing else changes. Optional; default false.
	Promote bool
	// ReplicaGeneration numbers the replica. A promoted replica cannot become a replica again, so failing
	// back after a drill means raising the generation: generation N > 1 names the replica resource
	// "<name>-replica-gN" and its identifier "<identifier>-gN", so the next update creates a fresh replica
	// of the primary and deletes the promoted instance. Generation 1 keeps the original names. Optional;
	// default 1.
	ReplicaGeneration int
	// ReplicaInstanceClass is the replica's class. Optional; default the primary's class (a smaller replica
	// may fall behind the primary's write rate and break the RPO).
	ReplicaInstanceClass string
	// ReplicaMultiAZ gives the replica a standby in a second AZ of the DR region. Optional; default false.
	ReplicaMultiAZ bool
	// ReplicateBackups also copies the primary's automated backups to the DR region, for point-in-time
	// recovery there if a logical error (a bad migration) has replicated too. Optional; default false.
	ReplicateBackups bool
	// BackupReplicationRetentionDays is how long replicated backups are kept, 1-35. Optional; default 7.
	BackupReplicationRetentionDays int
	// ClientSecurityGroupIDs are security groups in the DR VPC allowed to reach the replica. Optional;
	// default none (the warm-standby web tier's group is added on its own).
	ClientSecurityGroupIDs []pulumi.StringInput
	// WebTier builds the warm-standby web tier. Required for warm-standby; must be nil for pilot-light.
	WebTier WebTierFunc
	// Failover sets up Route 53 failover. Optional, warm-standby only; default none.
	Failover *Failover
	// AlarmActions are ARNs (SNS topics in the DR region) notified when the lag alarm fires. Optional.
	AlarmActions []pulumi.StringInput
	// Production protects the replica and its key exactly as database.Args.Production protects the
	// primary. Optional; default false.
	Production bool
	// Tags are merged onto every taggable resource. Optional.
	Tags map[string]string
}

// settings are Args after defaults.
type settings struct {
	Args
	// identifier names the DR region's database parts (key, groups, alarm); replicaIdentifier and
	// replicaName are the current generation's replica.
	identifier        string
	replicaIdentifier string
	replicaName       string
	major             string
	port              int
}

// validate applies the defaults and checks every field, returning every problem at once. providerRegion is
// the region of a passed-in provider, or "" when the component creates its own.
func validate(name string, in *Args, providerRegion string) (*settings, error) {
	if in == nil {
		return nil, errors.New("dr: args are nil: pass &dr.Args{...} with at least Primary, Region, Network, " +
			"PrimaryVPCCIDR and RPOSeconds")
	}
	s := &settings{Args: *in, identifier: database.IdentifierFor(name)}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	p := s.Primary

	if s.Strategy == "" {
		s.Strategy = DefaultStrategy
	}
	if s.ReplicaInstanceClass == "" {
		s.ReplicaInstanceClass = p.InstanceClass
	}
	if s.BackupReplicationRetentionDays == 0 {
		s.BackupReplicationRetentionDays = DefaultBackupReplicationRetentionDays
	}
	if s.ReplicaGeneration == 0 {
		s.ReplicaGeneration = DefaultReplicaGeneration
	}
	s.replicaIdentifier, s.replicaName = s.identifier, name+"-replica"
	if s.ReplicaGeneration > 1 {
		suffix := fmt.Sprintf("-g%d", s.ReplicaGeneration)
		s.replicaIdentifier, s.replicaName = s.identifier+suffix, s.replicaName+suffix
	}
	if s.Failover != nil {
		f := *s.Failover
		if f.HealthCheckProtocol == "" {
			f.HealthCheckProtocol = DefaultHealthCheckProtocol
		}
		if f.HealthCheckPath == "" {
			f.HealthCheckPath = DefaultHealthCheckPath
		}
		if f.HealthCheckPort == 0 {
			f.HealthCheckPort = map[string]int{"HTTPS": 443, "HTTP": 80}[f.HealthCheckProtocol]
		}
		s.Failover = &f
	}
	s.port = p.Port
	if s.port == 0 {
		s.port = database.Ports[p.Engine]
	}

	// Regions.
	switch {
	case s.Region == "":
		add("Region is empty: set the DR region, e.g. us-west-2")
	case !KnownRegion(s.Region):
		add("Region %q is not a known AWS region: use one of %s", s.Region, strings.Join(Regions(), ", "))
	case s.Region == p.Region:
		add("Region %q is the primary's region: a DR region must be another region, e.g. %s", s.Region,
			suggestRegion(p.Region))
	case providerRegion != "" && providerRegion != s.Region:
		add("Provider is for %s, but Region is %q: pass a provider for %s, or leave Provider nil", providerRegion,
			s.Region, s.Region)
	}
	if p.Region == "" {
		add("Primary.Region is empty: use dr.PrimaryOf(db)")
	} else if !KnownRegion(p.Region) {
		add("Primary.Region %q is not a known AWS region", p.Region)
	}

	// The primary, as a read replica's source.
	if p.ARN == nil {
		add("Primary.ARN is nil: use dr.PrimaryOf(db)")
	}
	if why := database.CheckIdentifier(s.identifier); why != "" {
		add("the replica identifier %q derived from the component name %s: name the component with letters, "+
			"digits and hyphens", s.identifier, why)
	}
	if p.Identifier != "" && s.identifier == p.Identifier {
		add("the replica identifier %q equals the primary's: name the DR component differently", s.identifier)
	}
	if s.ReplicaGeneration < 1 {
		add("ReplicaGeneration %d must be 1 or more: use 1 (or leave it unset) for the first replica, and "+
			"raise it by one to rebuild the replica after a promotion", s.ReplicaGeneration)
	} else if why := database.CheckIdentifier(s.replicaIdentifier); why != "" && s.ReplicaGeneration > 1 {
		add("ReplicaGeneration %d makes the replica identifier %q, which %s: shorten the DR component's name",
			s.ReplicaGeneration, s.replicaIdentifier, why)
	}
	switch p.Engine {
	case database.Postgres, database.MySQL:
		if major, ok := database.MajorVersion(p.Engine, p.EngineVersion); ok {
			s.major = major
		} else {
			add("Primary.EngineVersion %q is not an RDS %s version a replica can be created from", p.EngineVersion, p.Engine)
		}
	default:
		add("Primary.Engine %q cannot have a cross-region read replica built by this kit: use %q or %q",
			p.Engine, database.Postgres, database.MySQL)
	}
	if !database.ValidInstanceClass(s.ReplicaInstanceClass) {
		add("ReplicaInstanceClass %q is not an RDS class the %s replica can use: use e.g. db.t4g.medium, "+
			"db.m7g.large or db.r6g.xlarge", s.ReplicaInstanceClass, p.Engine)
	} else if p.Engine == database.MySQL && database.SmallClass(s.ReplicaInstanceClass) {
		add("ReplicaInstanceClass %q has no Performance Insights for mysql: use db.t4g.medium or larger",
			s.ReplicaInstanceClass)
	}
	if !p.Encrypted {
		add("Primary is not encrypted: the replica is encrypted with the DR region's key, and AWS cannot " +
			"make an encrypted replica of an unencrypted instance; encrypt the primary (database.New always does)")
	}
	if p.PasswordManagedByRDS {
		add("Primary.PasswordManagedByRDS is true: AWS refuses to create a read replica of an instance whose " +
			"master password RDS manages in Secrets Manager; build the primary with database.Args.ReplicaSource " +
			"(the kit then keeps the credentials in a secret of its own)")
	}
	if p.BackupRetentionDays <= 0 {
		add("Primary.BackupRetentionDays is %d: AWS requires automated backups on a read replica's source; "+
			"set the primary's backup retention to 1-35 days", p.BackupRetentionDays)
	}

	// Networks.
	primaryCIDR, errP := netip.ParsePrefix(s.PrimaryVPCCIDR)
	if errP != nil || !primaryCIDR.Addr().Is4() {
		add("PrimaryVPCCIDR %q is not an IPv4 CIDR block: pass the primary VPC's CIDR (vpc.CIDR)", s.PrimaryVPCCIDR)
	}
	if s.Network == nil {
		add("Network is nil: pass &network.Args{CIDR: ...} with a CIDR disjoint from the primary's")
	} else {
		drCIDR, err := netip.ParsePrefix(s.Network.CIDR)
		switch {
		case s.Network.CIDR == "":
			add("Network.CIDR is empty: give the DR VPC its own block, disjoint from the primary's %s (e.g. %s)",
				s.PrimaryVPCCIDR, suggestCIDR(primaryCIDR))
		case err != nil || !drCIDR.Addr().Is4():
			add("Network.CIDR %q is not an IPv4 CIDR block", s.Network.CIDR)
		case errP == nil && drCIDR.Overlaps(primaryCIDR):
			add("Network.CIDR %s overlaps the primary VPC's %s: peering, a transit gateway or a VPN between the "+
				"regions need disjoint ranges; use e.g. %s", s.Network.CIDR, s.PrimaryVPCCIDR, suggestCIDR(primaryCIDR))
		}
		if len(s.Network.Tiers) > 0 && !slices.Contains(s.Network.Tiers, network.Data) {
			add("Network.Tiers %v has no %q tier: the replica lives in the data subnets; add it", s.Network.Tiers,
				network.Data)
		}
	}

	if s.RPOSeconds <= 0 {
		add("RPOSeconds %d must be greater than 0: the seconds of writes you accept to lose, e.g. 300", s.RPOSeconds)
	} else if p.Engine == database.Postgres && s.RPOSeconds < IdlePostgresReplicaLagSeconds {
		add("RPOSeconds %d is below %d: RDS for PostgreSQL reports up to %d s of ReplicaLag on a replica whose "+
			"source takes no writes (an idle source switches WAL segments every 5 minutes), so the lag alarm would "+
			"page whenever the primary is idle; use %d or more", s.RPOSeconds, IdlePostgresReplicaLagSeconds,
			IdlePostgresReplicaLagSeconds, IdlePostgresReplicaLagSeconds)
	}
	if s.BackupReplicationRetentionDays < 1 || s.BackupReplicationRetentionDays > 35 {
		add("BackupReplicationRetentionDays %d is out of range: use 1 to 35", s.BackupReplicationRetentionDays)
	}
	for i, id := range s.ClientSecurityGroupIDs {
		if id == nil {
			add("ClientSecurityGroupIDs[%d] is nil: pass a security group id (e.g. web.InstanceSecurityGroupID) or drop the entry", i)
		}
	}
	for i, a := range s.AlarmActions {
		if a == nil {
			add("AlarmActions[%d] is nil: pass an SNS topic ARN in the DR region or drop the entry", i)
		}
	}

	// Strategy and failover.
	switch s.Strategy {
	case PilotLight:
		if s.WebTier != nil {
			add("WebTier is set with strategy %q: a pilot light runs no web tier; use %q or drop WebTier",
				PilotLight, WarmStandby)
		}
		if s.Failover != nil {
			add("Failover is set with strategy %q: there is no standby load balancer to fail over to; use %q",
				PilotLight, WarmStandby)
		}
	case WarmStandby:
		if s.WebTier == nil {
			add("Strategy %q needs WebTier: pass a function building the DR web tier (webtier.New at reduced "+
				"capacity)", WarmStandby)
		}
	default:
		add("Strategy %q is not a strategy: use %q or %q", s.Strategy, PilotLight, WarmStandby)
	}
	if f := s.Failover; f != nil {
		switch {
		case f.Domain != "" && f.HostedZoneID == "":
			add("Failover.Domain %q has no HostedZoneID: give the Route 53 hosted zone of the domain", f.Domain)
		case f.Domain == "" && f.HostedZoneID != "":
			add("Failover.HostedZoneID %q has no Domain: give the name clients use, e.g. app.example.com",
				f.HostedZoneID)
		case f.Domain == "":
			add("Failover is set without Domain and HostedZoneID: give both, or leave Failover nil")
		}
		if f.PrimaryLoadBalancerDNSName == nil || f.PrimaryLoadBalancerZoneID == nil {
			add("Failover.PrimaryLoadBalancerDNSName and PrimaryLoadBalancerZoneID are required: the primary " +
				"region's load balancer is what the health check watches")
		}
		if f.HealthCheckProtocol != "HTTPS" && f.HealthCheckProtocol != "HTTP" {
			add("Failover.HealthCheckProtocol %q must be HTTPS or HTTP", f.HealthCheckProtocol)
		}
		if !strings.HasPrefix(f.HealthCheckPath, "/") || len(f.HealthCheckPath) > 255 {
			add("Failover.HealthCheckPath %q must start with / (at most 255 characters)", f.HealthCheckPath)
		}
		if f.HealthCheckPort < 1 || f.HealthCheckPort > 65535 {
			add("Failover.HealthCheckPort %d is not a port: use 1-65535, or 0 for the protocol's (443 or 80)", f.HealthCheckPort)
		}
	}

	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("dr %q: invalid arguments:\n  - %s", name, strings.Join(problems, "\n  - "))
	}
	return s, nil
}

// suggestCIDR proposes a /16 beside the primary's block for error messages.
func suggestCIDR(primary netip.Prefix) string {
	if !primary.IsValid() || !primary.Addr().Is4() {
		return "10.1.0.0/16"
	}
	b := primary.Masked().Addr().As4()
	return fmt.Sprintf("%d.%d.0.0/16", b[0], (int(b[1])+1)%256)
}
