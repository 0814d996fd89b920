package stacks

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Namespace is the project name: stack config keys are "kit:<key>".
const Namespace = "kit"

// Environments a stack can declare. Production turns on every protection the components offer.
const (
	Development = "development"
	Production  = "production"
)

// Config is the whole stack configuration: aws:region, and one field per kit:<key>, named by its json tag.
//
// The types are the stack file's schema. Every setting is a pointer (or a slice), so that a key the file
// leaves out (nil: the component's default) differs from one it sets to a zero value (honoured, or refused
// by check.go with the valid range): a key present in the file never silently becomes a default. The
// decoder (decode.go) matches keys exactly, case included, and names every unknown key with its full path.
//
// To add a section: add a field here with its json tag (the key under kit:) and a struct of pointer fields
// with json tags; the decoder, the top-level key check and the README table test then know it. Add its
// zero-value and cross-key rules to check.go, and map it onto its component in stack.go.
type Config struct {
	// Region is aws:region, the primary region. It is not a kit: key, so it has no tag.
	Region string `json:"-"`
	// Environment is kit:environment: "development" (default) or "production".
	Environment string `json:"environment"`
	// Network is kit:network.
	Network NetworkConfig `json:"network"`
	// Web is kit:web.
	Web WebConfig `json:"web"`
	// Database is kit:database.
	Database DatabaseConfig `json:"database"`
	// DR is kit:dr.
	DR DRConfig `json:"dr"`
	// Monitoring is kit:monitoring.
	Monitoring MonitoringConfig `json:"monitoring"`
	// VPN is kit:vpn, the site-to-site VPN to the data centre.
	VPN VPNConfig `json:"vpn"`
	// Migration is kit:migration, the DMS migration of the data centre's database into kit:database.
	Migration MigrationConfig `json:"migration"`
}

// NetworkConfig is kit:network, the primary region's VPC.
type NetworkConfig struct {
	CIDR                 *string `json:"cidr"`
	AZCount              *int    `json:"azCount"`
	NATStrategy          *string `json:"natStrategy"`
	FlowLogRetentionDays *int    `json:"flowLogRetentionDays"`
	// FlowLogs defaults to true; false saves the CloudWatch Logs cost, and the policy pack refuses it.
	FlowLogs *bool `json:"flowLogs"`
}

// WebConfig is kit:web, the load-balanced auto-scaling web tier.
type WebConfig struct {
	InstanceType          *string                 `json:"instanceType"`
	MinSize               *int                    `json:"minSize"`
	MaxSize               *int                    `json:"maxSize"`
	DesiredCapacity       *int                    `json:"desiredCapacity"`
	AppPort               *int                    `json:"appPort"`
	IngressCIDRs          []string                `json:"ingressCidrs"`
	CertificateARN        *string                 `json:"certificateArn"`
	HealthCheck           *HealthCheckConfig      `json:"healthCheck"`
	CPUTargetPercent      *float64                `json:"cpuTargetPercent"`
	RequestsPerTarget     *float64                `json:"requestsPerTarget"`
	ScheduledActions      []ScheduledActionConfig `json:"scheduledActions"`
	WarmPool              *WarmPoolConfig         `json:"warmPool"`
	Spot                  *SpotConfig             `json:"spot"`
	AccessLogs            *bool                   `json:"accessLogs"`
	AccessLogsDays        *int                    `json:"accessLogsDays"`
	ReservedCapacityUnits *int                    `json:"reservedCapacityUnits"`
	AMIID                 *string                 `json:"amiId"`
	// AppVersion is the version the instances run: changing it is a release.
	AppVersion *string `json:"appVersion"`
	// Release is how a release reaches the instances.
	Release *ReleaseConfig `json:"release"`
}

// ReleaseConfig is kit:web.release. Its field names are webtier.Release's, so the component's messages
// translate to these keys.
type ReleaseConfig struct {
	Strategy             *string               `json:"strategy"`
	Checkpoints          []int                 `json:"checkpoints"`
	BakeSeconds          *int                  `json:"bakeSeconds"`
	MinHealthyPercentage *int                  `json:"minHealthyPercentage"`
	MaxHealthyPercentage *int                  `json:"maxHealthyPercentage"`
	SkipMatching         *bool                 `json:"skipMatching"`
	AutoRollback         *bool                 `json:"autoRollback"`
	RollbackAlarms       *RollbackAlarmsConfig `json:"rollbackAlarms"`
	Green                *ColorConfig          `json:"green"`
	GreenPercent         *int                  `json:"greenPercent"`
}

// RollbackAlarmsConfig is kit:web.release.rollbackAlarms.
type RollbackAlarmsConfig struct {
	Target5XXPerMinute           *float64 `json:"target5xxPerMinute"`
	TargetResponseTimeP99Seconds *float64 `json:"targetResponseTimeP99Seconds"`
	UnhealthyHosts               *float64 `json:"unhealthyHosts"`
}

// ColorConfig is kit:web.release.green: the version the green group of a blue/green pair runs.
type ColorConfig struct {
	AppVersion *string `json:"appVersion"`
	AMIID      *string `json:"amiId"`
}

// HealthCheckConfig is kit:web.healthCheck.
type HealthCheckConfig struct {
	Path               *string `json:"path"`
	Matcher            *string `json:"matcher"`
	Interval           *int    `json:"interval"`
	Timeout            *int    `json:"timeout"`
	HealthyThreshold   *int    `json:"healthyThreshold"`
	UnhealthyThreshold *int    `json:"unhealthyThreshold"`
}

// ScheduledActionConfig is one entry of kit:web.scheduledActions.
type ScheduledActionConfig struct {
	Name            *string `json:"name"`
	Recurrence      *string `json:"recurrence"`
	TimeZone        *string `json:"timeZone"`
	MinSize         *int    `json:"minSize"`
	MaxSize         *int    `json:"maxSize"`
	DesiredCapacity *int    `json:"desiredCapacity"`
}

// WarmPoolConfig is kit:web.warmPool.
type WarmPoolConfig struct {
	MinSize             *int    `json:"minSize"`
	MaxPreparedCapacity *int    `json:"maxPreparedCapacity"`
	State               *string `json:"state"`
}

// SpotConfig is kit:web.spot.
type SpotConfig struct {
	Percentage         *int     `json:"percentage"`
	OnDemandBase       *int     `json:"onDemandBase"`
	InstanceTypes      []string `json:"instanceTypes"`
	AllocationStrategy *string  `json:"allocationStrategy"`
}

// DatabaseConfig is kit:database, the primary database.
type DatabaseConfig struct {
	Engine                *string `json:"engine"`
	EngineVersion         *string `json:"engineVersion"`
	InstanceClass         *string `json:"instanceClass"`
	AllocatedStorageGB    *int    `json:"allocatedStorageGb"`
	MaxAllocatedStorageGB *int    `json:"maxAllocatedStorageGb"`
	MultiAZ               *bool   `json:"multiAz"`
	BackupRetentionDays   *int    `json:"backupRetentionDays"`
	BackupWindow          *string `json:"backupWindow"`
	MaintenanceWindow     *string `json:"maintenanceWindow"`
	DatabaseName          *string `json:"databaseName"`
}

// DRConfig is kit:dr, the disaster-recovery region. Settings without `enabled` are refused (check.go):
// `enabled: false` keeps them, checked, with DR off.
type DRConfig struct {
	Enabled              *bool   `json:"enabled"`
	Region               *string `json:"region"`
	CIDR                 *string `json:"cidr"`
	AZCount              *int    `json:"azCount"`
	NATStrategy          *string `json:"natStrategy"`
	Strategy             *string `json:"strategy"`
	RPOSeconds           *int    `json:"rpoSeconds"`
	Promote              *bool   `json:"promote"`
	ReplicaInstanceClass *string `json:"replicaInstanceClass"`
	ReplicaMultiAZ       *bool   `json:"replicaMultiAz"`
	ReplicateBackups     *bool   `json:"replicateBackups"`
	HostedZoneID         *string `json:"hostedZoneId"`
	Domain               *string `json:"domain"`
	// Standby is the warm standby's web tier: kit:web at reduced capacity, overridden here.
	Standby *StandbyConfig `json:"standby"`
	// ReplicaGeneration is raised by one to fail back after a promotion: a new replica replaces the promoted
	// instance (see dr.Args.ReplicaGeneration). Unset means 1.
	ReplicaGeneration *int `json:"replicaGeneration"`
}

// StandbyConfig is kit:dr.standby: how the DR region's web tier differs from the primary's.
type StandbyConfig struct {
	InstanceType    *string `json:"instanceType"`
	MinSize         *int    `json:"minSize"`
	MaxSize         *int    `json:"maxSize"`
	DesiredCapacity *int    `json:"desiredCapacity"`
	// CertificateARN is an ACM certificate in the DR region: certificates are regional.
	CertificateARN *string `json:"certificateArn"`
}

// MonitoringConfig is kit:monitoring.
type MonitoringConfig struct {
	AlarmEmails []string          `json:"alarmEmails"`
	Thresholds  *ThresholdsConfig `json:"thresholds"`
	Prometheus  *bool             `json:"prometheus"`
	Grafana     *bool             `json:"grafana"`
	OpenSearch  *OpenSearchConfig `json:"openSearch"`
}

// ThresholdsConfig is kit:monitoring.thresholds.
type ThresholdsConfig struct {
	ALB5XXPerMinute              *float64 `json:"alb5xxPerMinute"`
	Target5XXPerMinute           *float64 `json:"target5xxPerMinute"`
	TargetResponseTimeP99Seconds *float64 `json:"targetResponseTimeP99Seconds"`
	UnhealthyHosts               *float64 `json:"unhealthyHosts"`
	ASGAtMaxMinutes              *int     `json:"asgAtMaxMinutes"`
	InstanceCPUPercent           *float64 `json:"instanceCpuPercent"`
	DBCPUPercent                 *float64 `json:"dbCpuPercent"`
	DBFreeStorageGiB             *float64 `json:"dbFreeStorageGib"`
	DBConnections                *float64 `json:"dbConnections"`
}

// OpenSearchConfig is kit:monitoring.openSearch: a logs domain in the private subnets.
type OpenSearchConfig struct {
	MasterUserARN *string `json:"masterUserArn"`
	InstanceType  *string `json:"instanceType"`
	InstanceCount *int    `json:"instanceCount"`
	AZCount       *int    `json:"azCount"`
	VolumeSizeGiB *int    `json:"volumeSizeGib"`
	// SAML is people's sign-in to OpenSearch Dashboards (kit:monitoring.openSearch.saml).
	SAML *OpenSearchSAMLConfig `json:"saml"`
}

// OpenSearchSAMLConfig is kit:monitoring.openSearch.saml: the identity provider's SAML application.
type OpenSearchSAMLConfig struct {
	EntityID          *string `json:"entityId"`
	MetadataXML       *string `json:"metadataXml"`
	MasterBackendRole *string `json:"masterBackendRole"`
	RolesKey          *string `json:"rolesKey"`
}

// VPNConfig is kit:vpn, the site-to-site VPN from the primary VPC to the data centre. Settings without `enabled`
// are refused (check.go), as with kit:dr.
type VPNConfig struct {
	Enabled           *bool    `json:"enabled"`
	CustomerGatewayIP *string  `json:"customerGatewayIp"`
	OnPremCIDRs       []string `json:"onPremCidrs"`
	Routing           *string  `json:"routing"`
	// The ASNs are whole numbers up to 4294967294: 4-byte ASNs do not fit the decoder's 32-bit integers.
	CustomerASN           *int64   `json:"customerAsn"`
	PublicASNReason       *string  `json:"publicAsnReason"`
	AmazonASN             *int64   `json:"amazonAsn"`
	TransitGatewayID      *string  `json:"transitGatewayId"`
	TunnelInsideCIDRs     []string `json:"tunnelInsideCidrs"`
	DPDTimeoutSeconds     *int     `json:"dpdTimeoutSeconds"`
	Phase1LifetimeSeconds *int     `json:"phase1LifetimeSeconds"`
	Phase2LifetimeSeconds *int     `json:"phase2LifetimeSeconds"`
	RekeyMarginSeconds    *int     `json:"rekeyMarginSeconds"`
	StartupAction         *string  `json:"startupAction"`
	LogRetentionDays      *int     `json:"logRetentionDays"`
}

// MigrationConfig is kit:migration: AWS DMS copying the data centre's database into kit:database over kit:vpn,
// then keeping it in sync until cutover. Settings without `enabled` are refused (check.go).
type MigrationConfig struct {
	Enabled       *bool                  `json:"enabled"`
	Source        *MigrationSourceConfig `json:"source"`
	Tables        []TableRuleConfig      `json:"tables"`
	TableMappings *string                `json:"tableMappings"`
	MigrationType *string                `json:"migrationType"`
	// Start runs the task; back to false stops it, at cutover.
	Start                  *bool   `json:"start"`
	InstanceClass          *string `json:"instanceClass"`
	AllocatedStorageGB     *int    `json:"allocatedStorageGb"`
	MultiAZ                *bool   `json:"multiAz"`
	EngineVersion          *string `json:"engineVersion"`
	CreateAccountRoles     *bool   `json:"createAccountRoles"`
	CDCLatencyAlarmSeconds *int    `json:"cdcLatencyAlarmSeconds"`
	LogRetentionDays       *int    `json:"logRetentionDays"`
}

// MigrationSourceConfig is kit:migration.source, the database in the data centre. Its credentials are never
// here: they go into a Secrets Manager secret (secretArn, or the one the kit creates empty to fill).
type MigrationSourceConfig struct {
	Engine       *string `json:"engine"`
	Host         *string `json:"host"`
	Port         *int    `json:"port"`
	DatabaseName *string `json:"databaseName"`
	SecretARN    *string `json:"secretArn"`
}

// TableRuleConfig is one entry of kit:migration.tables.
type TableRuleConfig struct {
	Action *string `json:"action"`
	Schema *string `json:"schema"`
	Table  *string `json:"table"`
}

// Production reports whether the stack is a production one.
func (c *Config) Production() bool { return c.Environment == Production }

// DREnabled reports whether kit:dr turns the DR region on.
func (c *Config) DREnabled() bool { return c.DR.Enabled != nil && *c.DR.Enabled }

// VPNEnabled reports whether kit:vpn connects the data centre.
func (c *Config) VPNEnabled() bool { return c.VPN.Enabled != nil && *c.VPN.Enabled }

// MigrationEnabled reports whether kit:migration builds the DMS migration.
func (c *Config) MigrationEnabled() bool { return c.Migration.Enabled != nil && *c.Migration.Enabled }

// LoadConfig reads and checks the stack configuration: every problem of every section at once, each naming
// its key as the stack file spells it, with the value as written and a fix the file can express.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	c, problems := load(ctx)
	if len(problems) > 0 {
		return nil, invalidConfig(problems)
	}
	return c, nil
}

// load decodes and checks the stack configuration, returning it with the problems found.
func load(ctx *pulumi.Context) (*Config, []string) {
	kit := config.New(ctx, Namespace)
	raw := map[string]*string{}
	for _, key := range KnownKeys() {
		if v, err := kit.Try(key); err == nil {
			raw[key] = &v
		}
	}
	var problems []string
	if keys, err := engineConfigKeys(); err != nil {
		problems = append(problems, err.Error())
	} else {
		problems = append(problems, CheckKeys(keys)...)
	}
	c, d := decodeConfig(raw)
	c.Region = config.New(ctx, "aws").Get("region")
	return c, append(problems, c.check(d)...)
}

// sectionsOf lists the sections (network, web, ...) that problems are about, and "aws" for aws: keys: their
// components are not checked, since the values they would see are not the file's.
func sectionsOf(problems []string) map[string]bool {
	out := map[string]bool{}
	for _, p := range problems {
		p = strings.TrimPrefix(p, `unknown config key "`)
		ns, rest, ok := strings.Cut(p, ":")
		if !ok {
			continue
		}
		if ns != Namespace {
			out[ns] = true
			continue
		}
		end := strings.IndexAny(rest, `. "`)
		if end < 0 {
			end = len(rest)
		}
		out[rest[:end]] = true
	}
	return out
}

// val is *p, or the zero value (a component's "use the default") when the key is unset.
func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
