package migration

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/network"
)

// Defaults of the optional Args fields.
const (
	// DefaultInstanceClass is the smallest class with 4 GiB of memory (DMS user guide, "Choosing the right
	// AWS DMS replication instance"); CDC of a busy database wants an r5.
	DefaultInstanceClass = "dms.t3.medium"
	// DefaultAllocatedStorageGB leaves room for the task logs and the changes DMS spills to disk while a full
	// load runs.
	DefaultAllocatedStorageGB = 100
	// DefaultMigrationType copies the tables, then keeps them in sync until cutover.
	DefaultMigrationType = "full-load-and-cdc"
	// DefaultCDCLatencyAlarmSeconds: alarm when changes reach the target more than five minutes late.
	DefaultCDCLatencyAlarmSeconds = 300
	// DefaultLogRetentionDays is how long task logs are kept.
	DefaultLogRetentionDays = 90
)

// Allocated storage DMS takes, in GiB (the AWS provider's allocated_storage validation, 5 to 6144).
const (
	minAllocatedStorageGB = 5
	maxAllocatedStorageGB = 6144
)

// minEngineVersion is the first DMS version that honours the confused-deputy conditions on the secrets
// access roles (DMS user guide, "Cross-service confused deputy prevention": "AWS DMS supports confused deputy
// options starting from the 3.4.7 version and higher").
var minEngineVersion = [3]int{3, 4, 7}

// instanceClasses are the replication instance classes DMS offers (DMS user guide, "Choosing the right AWS
// DMS replication instance for your migration").
var instanceClasses = map[string][]string{
	"t2": {"micro", "small", "medium", "large"},
	"t3": {"micro", "small", "medium", "large"},
	"c4": {"large", "xlarge", "2xlarge", "4xlarge"},
	"c5": {"large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"},
	"r4": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge"},
	"r5": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"},
}

// ValidInstanceClass reports whether DMS offers class.
func ValidInstanceClass(class string) bool {
	parts := strings.Split(class, ".")
	return len(parts) == 3 && parts[0] == "dms" && slices.Contains(instanceClasses[parts[1]], parts[2])
}

// migrationTypes are the task's migration types (CreateReplicationTask MigrationType).
var migrationTypes = []string{"full-load", "cdc", "full-load-and-cdc"}

var logRetentionPeriod = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
	2557, 2922, 3288, 3653}

// Source is the old database in the data centre.
type Source struct {
	// Engine is its DMS engine name: oracle, sqlserver, postgres, mysql, mariadb, sybase, db2 or db2-zos.
	// Required.
	Engine string
	// Host is its address or DNS name as seen from the VPC. An IPv4 address must be in the data centre's
	// networks reached over the VPN (Args.OnPremCIDRs); a name must resolve, from the VPC, to one. Required.
	Host string
	// Port is the port it listens on. Required.
	Port int
	// DatabaseName is the database to read. Required, except for mysql and mariadb, where it must be empty:
	// the schema of each table rule names the database instead.
	DatabaseName string
	// SecretARN is an existing Secrets Manager secret holding {"username", "password", "host", "port"} for
	// the source, in the component's region. Optional; default a secret created here, empty, for the
	// database owner to fill (aws secretsmanager put-secret-value): the credentials never pass through
	// config, code or state.
	SecretARN string
}

// Target is the kit's database the data moves into; TargetOf builds it from the database component.
type Target struct {
	// Engine is postgres or mysql.
	Engine string
	// Port is the port the database listens on.
	Port int
	// DatabaseName is the database the tables go to (ignored for mysql: the schema names it).
	DatabaseName string
	// Identifier is the RDS instance identifier, for descriptions.
	Identifier string
	// SecretARN is the secret with the database's credentials, host and port.
	SecretARN pulumi.StringInput
	// SecretKMSKeyARN is the key that encrypts SecretARN.
	SecretKMSKeyARN pulumi.StringInput
	// SecurityGroupID is the database's security group; the component lets the replication instance in.
	SecurityGroupID pulumi.StringInput
	// PasswordManagedByRDS says the secret is RDS's own, which holds no host or port.
	PasswordManagedByRDS bool
	// Region is the database's region.
	Region string
}

// TargetOf describes the kit's primary database as a migration target.
func TargetOf(db *database.Database) Target {
	return Target{
		Engine: string(db.Engine), Port: db.PortNumber, DatabaseName: db.DatabaseName, Identifier: db.IdentifierName,
		SecretARN: db.SecretARN, SecretKMSKeyARN: db.KMSKeyARN, SecurityGroupID: db.SecurityGroupID,
		PasswordManagedByRDS: db.PasswordManagedByRDS, Region: db.Region,
	}
}

// Args configure the migration.
type Args struct {
	// VPCID is the VPC of the replication instance (vpc.VPCID). Required.
	VPCID pulumi.StringInput
	// DataSubnets are the subnets of the replication subnet group: the VPC's data tier
	// (vpc.SubnetsOf(network.Data)), in at least two availability zones. Required.
	DataSubnets []network.Subnet
	// Region is the region of the provider the component is created with. Required.
	Region string
	// OnPremCIDRs are the data centre's networks reached over the VPN (the vpn component's OnPremCIDRs).
	// Required: the data subnets have no other way out.
	OnPremCIDRs []netip.Prefix

	// Source is the database in the data centre. Required.
	Source Source
	// Target is the kit's database (TargetOf(db)). Required.
	Target Target

	// Tables select what the task copies. Optional; default every table of every schema (DefaultTables). Not
	// with TableMappings.
	Tables []TableRule
	// TableMappings is a table mappings document written by hand, for rules Tables cannot say
	// (transformations). Optional; default rendered from Tables.
	TableMappings string
	// MigrationType is full-load, cdc or full-load-and-cdc. Optional; default full-load-and-cdc.
	MigrationType string
	// Start runs the task: its first start does the full load, then replicates changes until it is stopped
	// (Start back to false) at cutover. Fill the source secret and test both endpoints first. Optional;
	// default false (the task is created, ready to start).
	Start bool

	// InstanceClass is the replication instance class. Optional; default dms.t3.medium.
	InstanceClass string
	// AllocatedStorageGB is the replication instance's storage, 5-6144 GiB. Optional; default 100.
	AllocatedStorageGB int
	// MultiAZ keeps a standby replication instance in a second AZ: set it in production. Optional; default
	// false.
	MultiAZ bool
	// EngineVersion pins the DMS engine version, 3.4.7 or later. Optional; default DMS's current default.
	EngineVersion string
	// CreateAccountRoles creates the roles DMS looks up by their fixed names in the account, dms-vpc-role and
	// dms-cloudwatch-logs-role. Set it in the one stack of an account that owns them: a second stack setting
	// it too collides on the names (terraform-aws-dms #70). Optional; default false (the roles exist).
	CreateAccountRoles bool

	// CDCLatencyAlarmSeconds: alarm when changes reach the source or the target later than this, for five
	// minutes. Optional; default 300.
	CDCLatencyAlarmSeconds int
	// LogRetentionDays is how long task logs are kept. Optional; default 90.
	LogRetentionDays int
	// AlarmTopicARN receives the alarms and the DMS events (failures, low storage, failover, task state
	// changes). The topic must let dms.amazonaws.com publish and use its key (observability.TopicArgs.
	// Publishers). Optional; default none: the alarms notify nobody and no event subscription is made.
	AlarmTopicARN pulumi.StringInput
	// Tags are merged onto every taggable resource, with a Name tag. Optional; default none.
	Tags map[string]string
}

var (
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	secretARN     = regexp.MustCompile(`^arn:aws:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$`)
	hostName      = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	engineVersion = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)
)

// settings are Args after defaults, with what is derived from them.
type settings struct {
	Args
	mappings   string
	instanceID string
	taskID     string
}

// validate applies the defaults and checks every field, returning every problem at once.
func validate(name string, in *Args, providerRegion string) (*settings, error) {
	if in == nil {
		return nil, fmt.Errorf("migration: args are nil: pass &migration.Args{...} with at least VPCID, " +
			"DataSubnets, Region, OnPremCIDRs, Source and Target")
	}
	s := &settings{Args: *in, instanceID: Identifier(name, 63), taskID: Identifier(name, 255)}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	if s.InstanceClass == "" {
		s.InstanceClass = DefaultInstanceClass
	}
	if s.AllocatedStorageGB == 0 {
		s.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if s.MigrationType == "" {
		s.MigrationType = DefaultMigrationType
	}
	if s.CDCLatencyAlarmSeconds == 0 {
		s.CDCLatencyAlarmSeconds = DefaultCDCLatencyAlarmSeconds
	}
	if s.LogRetentionDays == 0 {
		s.LogRetentionDays = DefaultLogRetentionDays
	}

	switch {
	case s.Region == "":
		add("Region is empty: set it to the region of the provider the migration is created with, e.g. us-east-1")
	case !regionPattern.MatchString(s.Region):
		add("Region %q is not an AWS region name: use a name like us-east-1", s.Region)
	case providerRegion != "" && providerRegion != s.Region:
		add("Region %q does not match the provider the migration is created with, which is in %s: pass the "+
			"provider for %s, or set Region to %s", s.Region, providerRegion, s.Region, providerRegion)
	}
	if s.VPCID == nil {
		add("VPCID is nil: pass the VPC's id (vpc.VPCID)")
	}
	azs := map[string]bool{}
	for i, sn := range s.DataSubnets {
		if sn.Tier != network.Data {
			add("DataSubnets[%d] (%s, %s) is a %s subnet: pass the VPC's data subnets, vpc.SubnetsOf(network.Data), "+
				"which reach the data centre and the database and nothing else", i, sn.AZ, sn.CIDR, sn.Tier)
		}
		azs[sn.AZ] = true
	}
	if len(azs) < 2 {
		add("DataSubnets cover %d availability zone(s): a DMS replication subnet group needs subnets in at least "+
			"2 AZs; build the network with AZCount >= 2", len(azs))
	}

	s.sourceProblems(add)
	s.targetProblems(add)

	switch {
	case len(s.Tables) > 0 && s.TableMappings != "":
		add("Tables and TableMappings are both set: give the rules one way")
	case s.TableMappings != "":
		for _, p := range CheckTableMappings(s.TableMappings) {
			add("TableMappings %s", p)
		}
		s.mappings = s.TableMappings
	default:
		if len(s.Tables) == 0 {
			s.Tables = DefaultTables
		}
		for _, p := range tableRuleProblems("Tables", s.Tables) {
			add("%s", p)
		}
		var err error
		if s.mappings, err = RenderTableMappings(s.Tables); err != nil {
			add("Tables cannot be rendered: %v", err)
		}
	}
	if !slices.Contains(migrationTypes, s.MigrationType) {
		add("MigrationType %q is not a migration type: use %s", s.MigrationType, strings.Join(migrationTypes, ", "))
	}

	if !ValidInstanceClass(s.InstanceClass) {
		add("InstanceClass %q is not a DMS replication instance class: use e.g. dms.t3.medium, dms.c5.large or "+
			"dms.r5.large", s.InstanceClass)
	}
	if s.AllocatedStorageGB < minAllocatedStorageGB || s.AllocatedStorageGB > maxAllocatedStorageGB {
		add("AllocatedStorageGB %d is out of range: DMS takes %d to %d GiB", s.AllocatedStorageGB,
			minAllocatedStorageGB, maxAllocatedStorageGB)
	}
	if v := s.EngineVersion; v != "" {
		m := engineVersion.FindStringSubmatch(v)
		if m == nil {
			add("EngineVersion %q is not a DMS engine version: write it like 3.5.4, or leave it unset", v)
		} else if older(m[1:], minEngineVersion) {
			add("EngineVersion %q is older than 3.4.7, the first DMS version that honours the confused-deputy "+
				"conditions of the secrets access roles: use 3.4.7 or later, or leave it unset", v)
		}
	}
	if s.CDCLatencyAlarmSeconds < 1 {
		add("CDCLatencyAlarmSeconds %d must be positive: it is how late changes may arrive before the alarm", s.CDCLatencyAlarmSeconds)
	}
	if !slices.Contains(logRetentionPeriod, s.LogRetentionDays) {
		add("LogRetentionDays %d is not a period CloudWatch Logs accepts: use one of %v", s.LogRetentionDays,
			logRetentionPeriod)
	}

	if len(problems) > 0 {
		return nil, fmt.Errorf("migration: invalid arguments:\n - %s", strings.Join(problems, "\n - "))
	}
	return s, nil
}

// sourceProblems checks the source and that the replication instance can reach it: only over the VPN.
func (s *settings) sourceProblems(add func(string, ...any)) {
	src := s.Source
	if src.Engine == "" {
		add("Source.Engine is empty: name the old database's engine (oracle, sqlserver, postgres, mysql, mariadb, " +
			"sybase, db2 or db2-zos)")
	} else if why := sourceEngineProblem(src.Engine); why != "" {
		add("Source.Engine %q %s: use oracle, sqlserver, postgres, mysql, mariadb, sybase, db2 or db2-zos", src.Engine, why)
	}
	if src.Port < 1 || src.Port > 65535 {
		add("Source.Port %d is not a port: give the port the old database listens on (1-65535)", src.Port)
	}
	switch {
	case noDatabaseName[src.Engine] && src.DatabaseName != "":
		add("Source.DatabaseName %q is set for %s: DMS would load every table into that one database; leave it "+
			"empty and name the database as the schema of the table rules", src.DatabaseName, src.Engine)
	case !noDatabaseName[src.Engine] && src.DatabaseName == "" && relationalSources[src.Engine] != "":
		add("Source.DatabaseName is empty: name the database DMS reads on the %s server", relationalSources[src.Engine])
	}
	if src.SecretARN != "" {
		if m := secretARN.FindStringSubmatch(src.SecretARN); m == nil {
			add("Source.SecretARN %q is not a Secrets Manager secret ARN: leave it empty and the component creates "+
				"the secret to fill", src.SecretARN)
		} else if s.Region != "" && m[1] != s.Region {
			add("Source.SecretARN %q is in %s: DMS reads secrets of its own region, %s", src.SecretARN, m[1], s.Region)
		}
	}

	if len(s.OnPremCIDRs) == 0 {
		add("OnPremCIDRs is empty: the replication instance sits in the data subnets, whose only way out is the " +
			"VPN to the data centre; connect the data centre (the vpn component) and pass its OnPremCIDRs")
	}
	switch addr, err := netip.ParseAddr(src.Host); {
	case src.Host == "":
		add("Source.Host is empty: give the old database's address in the data centre")
	case err == nil && !addr.Is4():
		add("Source.Host %q is not an IPv4 address: the VPN carries IPv4", src.Host)
	case err == nil && len(s.OnPremCIDRs) > 0 && !containsAddr(s.OnPremCIDRs, addr):
		add("Source.Host %s is outside the data centre's networks the VPN reaches (%s): DMS could not reach it; "+
			"add its network to the VPN's OnPremCIDRs", src.Host, prefixList(s.OnPremCIDRs))
	case err != nil && !hostName.MatchString(src.Host):
		add("Source.Host %q is neither an IPv4 address nor a DNS name", src.Host)
	}
}

// targetProblems checks the kit database the data goes to.
func (s *settings) targetProblems(add func(string, ...any)) {
	t := s.Target
	if !relationalTargets[t.Engine] {
		add("Target.Engine %q is not a database the kit builds: pass TargetOf(db) of the database component", t.Engine)
	}
	if t.SecretARN == nil || t.SecretKMSKeyARN == nil || t.SecurityGroupID == nil {
		add("Target has no secret, key or security group: pass TargetOf(db) of the database component")
	}
	if t.PasswordManagedByRDS {
		add("Target %s keeps its master password in RDS's own secret, which holds no host or port, and DMS needs "+
			"both (DMS user guide, \"Using secrets to access AWS DMS endpoints\"): build the database with "+
			"ReplicaSource, which keeps the credentials in a secret of the kit's with host and port", t.Identifier)
	}
	if t.Region != "" && s.Region != "" && t.Region != s.Region {
		add("Target is in %s and the migration in %s: put the replication instance in the database's region",
			t.Region, s.Region)
	}
	if t.Port < 1 || t.Port > 65535 {
		add("Target.Port %d is not a port: pass TargetOf(db) of the database component", t.Port)
	}
}

func containsAddr(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func prefixList(ps []netip.Prefix) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return strings.Join(out, ", ")
}

// older reports whether the version parts (major, minor, patch) come before min.
func older(parts []string, min [3]int) bool {
	for i, p := range parts {
		n, _ := strconv.Atoi(p)
		if n != min[i] {
			return n < min[i]
		}
	}
	return false
}

var nonIdentifier = regexp.MustCompile(`[^a-z0-9]+`)

// Identifier derives a DMS identifier from a component name: letters, digits and single hyphens, starting
// with a letter, not ending with a hyphen, at most max characters (replication instances take 63, tasks and
// endpoints 255; DMS API reference). The same name always gives the same identifier.
func Identifier(name string, max int) string {
	id := strings.Trim(nonIdentifier.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "dms-" + id
	}
	if len(id) > max {
		id = id[:max]
	}
	return strings.TrimRight(id, "-")
}
