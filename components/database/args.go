package database

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// Engine is the database engine.
type Engine string

const (
	// Postgres is RDS for PostgreSQL. The default.
	Postgres Engine = "postgres"
	// MySQL is RDS for MySQL.
	MySQL Engine = "mysql"
)

// Defaults of the optional Args fields.
const (
	DefaultEngine              = Postgres
	DefaultPostgresVersion     = "17"
	DefaultMySQLVersion        = "8.4"
	DefaultInstanceClass       = "db.t4g.medium"
	DefaultAllocatedStorageGB  = 20
	DefaultBackupRetentionDays = 7
	// The backup window comes first and the maintenance window an hour after it, both at night in UTC, so a
	// maintenance reboot never cuts a backup short.
	DefaultBackupWindow      = "03:00-04:00"
	DefaultMaintenanceWindow = "sun:05:00-sun:06:00"
	DefaultDatabaseName      = "app"
	DefaultMasterUsername    = "dbadmin"
	// KMSKeyRotationDays is how often the customer-managed key rotates (KMS allows 90 to 2560).
	KMSKeyRotationDays = 365
	// PerformanceInsightsRetentionDays is the retention included in the RDS price.
	PerformanceInsightsRetentionDays = 7
)

// Args configure the primary database.
type Args struct {
	// VPCID is the VPC the database lives in. Required.
	VPCID pulumi.StringInput
	// DataSubnets are the subnets of the DB subnet group: the VPC's data tier
	// (vpc.SubnetsOf(network.Data)), in at least two availability zones. Required.
	DataSubnets []network.Subnet
	// ClientSecurityGroupIDs are the security groups allowed to connect, on the database port only.
	// Optional; default none (nothing can connect until a client is added).
	ClientSecurityGroupIDs []pulumi.StringInput
	// Region is the AWS region of the provider the component is created with, e.g. "us-east-1". Required.
	Region string

	// Identifier is the RDS DB instance identifier; it also names the final snapshot, the subnet and
	// parameter groups and the key alias. Optional; default derived from the component name (IdentifierFor).
	Identifier string
	// Engine is postgres or mysql. Optional; default postgres.
	Engine Engine
	// EngineVersion is the major version (postgres 14-17, mysql 8.0 or 8.4); a minor ("16.4") pins it, which
	// fights automatic minor upgrades. Optional; default 17 for postgres, 8.4 for mysql.
	EngineVersion string
	// InstanceClass is the RDS instance class. Optional; default db.t4g.medium.
	InstanceClass string
	// AllocatedStorageGB is the initial gp3 storage, 20-65536 GiB. Optional; default 20.
	AllocatedStorageGB int
	// MaxAllocatedStorageGB turns on storage autoscaling up to this size; it must exceed AllocatedStorageGB.
	// Optional; default 0 (no autoscaling).
	MaxAllocatedStorageGB int
	// MultiAZ keeps a synchronous standby in a second AZ. Optional; default false.
	MultiAZ bool
	// BackupRetentionDays is how long automated backups are kept, 1-35 days (backups cannot be turned off:
	// point-in-time recovery and read replicas need them). Optional; default 7.
	BackupRetentionDays int
	// BackupWindow is the daily backup window, "hh24:mi-hh24:mi" UTC, at least 30 minutes.
	// Optional; default 03:00-04:00.
	BackupWindow string
	// MaintenanceWindow is the weekly maintenance window, "ddd:hh24:mi-ddd:hh24:mi" UTC, at least 30 minutes,
	// not overlapping the backup window. Optional; default sun:05:00-sun:06:00.
	MaintenanceWindow string
	// DatabaseName is the database created in the instance. Optional; default app.
	DatabaseName string
	// MasterUsername is the master user's name; its password is generated and kept by RDS in Secrets
	// Manager, never in config, code or state. Optional; default dbadmin.
	MasterUsername string
	// DisablePerformanceInsights turns Performance Insights off (MySQL on micro and small classes does not
	// support it). Optional; default false (on, with 7 days' retention, encrypted with the database's key).
	DisablePerformanceInsights bool
	// ReplicaSource prepares the instance to be the source of read replicas, such as the dr component's
	// cross-region replica. RDS cannot create a read replica of an instance whose master password it manages
	// in Secrets Manager (RDS user guide, "Limitations for Secrets Manager integration with Amazon RDS"), so
	// with ReplicaSource the kit keeps the credentials in a Secrets Manager secret of its own instead: the
	// password is generated once by the random provider's RandomPassword (password.go), kept in the stack's
	// state as a Pulumi secret (never in config or code), stored encrypted with the database's key, and sent
	// to RDS in the same update that turns RDS's management off. Rotation is then the secret's (a Secrets
	// Manager rotation function), not RDS's. Turning it on for an existing instance is an in-place change.
	// Optional; default false: RDS manages the password.
	ReplicaSource bool
	// RotationSubnets are where the rotation function of a ReplicaSource's secret runs (rotation.go): private
	// subnets with a route to Secrets Manager's endpoint (a NAT gateway, or an interface endpoint), in the
	// database's VPC. Required with ReplicaSource; ignored otherwise.
	RotationSubnets []network.Subnet
	// SecretReplicaRegions are regions the credentials secret of a ReplicaSource is replicated into (Secrets
	// Manager replicas, encrypted with each region's aws/secretsmanager key), so that a failover to the DR
	// region finds the master credentials there even when the primary region is gone. Optional; default none.
	SecretReplicaRegions []string
	// Production turns on deletion protection, a final snapshot named <identifier>-final that is never
	// skipped, retention of automated backups after deletion, and Pulumi's protect option on the instance and
	// its key. Optional; default false (a disposable database).
	Production bool
	// Tags are merged onto every taggable resource, with a Name tag. Optional; default none.
	Tags map[string]string
}

// engineMajors are the major versions RDS offers, per engine.
var engineMajors = map[Engine][]string{
	Postgres: {"14", "15", "16", "17"},
	MySQL:    {"8.0", "8.4"},
}

// Ports are the engines' default ports.
var Ports = map[Engine]int{Postgres: 5432, MySQL: 3306}

// tlsParameter is the parameter that makes each engine refuse unencrypted connections.
var tlsParameter = map[Engine][2]string{
	Postgres: {"rds.force_ssl", "1"},
	MySQL:    {"require_secure_transport", "ON"},
}

// classSizes are the instance class families and sizes RDS offers for both engines.
var classSizes = func() map[string][]string {
	burst := []string{"micro", "small", "medium", "large", "xlarge", "2xlarge"}
	fixed := []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}
	return map[string][]string{
		"t3": burst, "t4g": burst,
		"m5": fixed, "m6g": fixed, "m6i": fixed, "m7g": fixed,
		"r5": fixed, "r6g": fixed, "r6i": fixed, "r7g": fixed,
	}
}()

// MajorVersion returns the major version of an engine version ("16.4" -> "16", "8.0.39" -> "8.0") and
// whether RDS offers it for the engine.
func MajorVersion(engine Engine, version string) (string, bool) {
	for _, m := range engineMajors[engine] {
		if version == m {
			return m, true
		}
		if rest, ok := strings.CutPrefix(version, m+"."); ok {
			if _, err := strconv.Atoi(rest); err == nil {
				return m, true
			}
		}
	}
	return "", false
}

// ValidInstanceClass reports whether RDS offers class for PostgreSQL and MySQL.
func ValidInstanceClass(class string) bool {
	parts := strings.Split(class, ".")
	if len(parts) != 3 || parts[0] != "db" {
		return false
	}
	for _, s := range classSizes[parts[1]] {
		if s == parts[2] {
			return true
		}
	}
	return false
}

// SmallClass reports whether class is a micro or small burstable class, on which MySQL has no Performance
// Insights.
func SmallClass(class string) bool {
	return strings.HasSuffix(class, ".micro") || strings.HasSuffix(class, ".small")
}

// ParameterGroupFamily is the RDS parameter group family of an engine and major version: postgres17, mysql8.0.
func ParameterGroupFamily(engine Engine, major string) string { return string(engine) + major }

// TLSParameter returns the parameter name and value that force TLS for engine.
func TLSParameter(engine Engine) (name, value string) {
	p := tlsParameter[engine]
	return p[0], p[1]
}

var (
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d$`)
	identifierChars = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	nonIdentifier   = regexp.MustCompile(`[^a-z0-9]+`)
)

// IdentifierFor derives an RDS identifier from a component name: lowercase letters, digits and single
// hyphens, starting with a letter, at most 63 characters. The same name always gives the same identifier, so
// the final snapshot, alarms and DNS names built on it never move.
func IdentifierFor(name string) string {
	id := strings.Trim(nonIdentifier.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "db-" + id
	}
	if len(id) > 63 {
		id = id[:63]
	}
	return strings.TrimRight(id, "-")
}

// CheckIdentifier returns why id is not a valid RDS instance identifier, or "".
func CheckIdentifier(id string) string {
	switch {
	case len(id) < 1 || len(id) > 63:
		return "must be 1 to 63 characters"
	case !identifierChars.MatchString(id):
		return "must start with a lowercase letter and hold only lowercase letters, digits and hyphens"
	case strings.Contains(id, "--") || strings.HasSuffix(id, "-"):
		return "must not contain two consecutive hyphens or end with a hyphen"
	}
	return ""
}

// window parses a daily ("hh24:mi-hh24:mi") or weekly ("ddd:hh24:mi-ddd:hh24:mi") window into minute ranges of
// the week; a daily window yields its seven occurrences.
func window(w string, weekly bool) ([][2]int, error) {
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	point := func(s string) (int, bool) {
		day := 0
		if weekly {
			d, rest, ok := strings.Cut(s, ":")
			if !ok {
				return 0, false
			}
			day = -1
			for i, n := range days {
				if strings.EqualFold(d, n) {
					day = i
				}
			}
			if day < 0 {
				return 0, false
			}
			s = rest
		}
		h, m, ok := strings.Cut(s, ":")
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || hh > 23 || mm > 59 {
			return 0, false
		}
		return day*1440 + hh*60 + mm, true
	}
	from, to, ok := strings.Cut(w, "-")
	a, okA := point(from)
	b, okB := point(to)
	if !ok || !okA || !okB {
		return nil, errors.New("bad format")
	}
	span := 1440
	if weekly {
		span = 7 * 1440
	}
	if b <= a {
		b += span
	}
	if b-a < 30 {
		return nil, errors.New("shorter than 30 minutes")
	}
	if weekly {
		return [][2]int{{a, b}}, nil
	}
	var out [][2]int
	for d := 0; d < 7; d++ {
		out = append(out, [2]int{a + d*1440, b + d*1440})
	}
	return out, nil
}

func overlap(x, y [][2]int) bool {
	const week = 7 * 1440
	for _, a := range x {
		for _, b := range y {
			for _, shift := range []int{-week, 0, week} {
				if a[0] < b[1]+shift && b[0]+shift < a[1] {
					return true
				}
			}
		}
	}
	return false
}

// settings are Args after defaults, plus what is derived from them.
type settings struct {
	Args
	major  string
	family string
	port   int
}

// validate applies the defaults and checks every field, returning every problem at once.
func validate(name string, in *Args, providerRegion string) (*settings, error) {
	if in == nil {
		return nil, errors.New("database: args are nil: pass &database.Args{...} with at least VPCID, " +
			"DataSubnets and Region")
	}
	s := &settings{Args: *in}
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	if s.Identifier == "" {
		s.Identifier = IdentifierFor(name)
	}
	if s.Engine == "" {
		s.Engine = DefaultEngine
	}
	if s.EngineVersion == "" {
		s.EngineVersion = map[Engine]string{Postgres: DefaultPostgresVersion, MySQL: DefaultMySQLVersion}[s.Engine]
	}
	if s.InstanceClass == "" {
		s.InstanceClass = DefaultInstanceClass
	}
	if s.AllocatedStorageGB == 0 {
		s.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if s.BackupRetentionDays == 0 {
		s.BackupRetentionDays = DefaultBackupRetentionDays
	}
	if s.BackupWindow == "" {
		s.BackupWindow = DefaultBackupWindow
	}
	if s.MaintenanceWindow == "" {
		s.MaintenanceWindow = DefaultMaintenanceWindow
	}
	if s.DatabaseName == "" {
		s.DatabaseName = DefaultDatabaseName
	}
	if s.MasterUsername == "" {
		s.MasterUsername = DefaultMasterUsername
	}

	if s.Region == "" {
		add("Region is empty: set it to the region of the provider the database is created with, e.g. us-east-1")
	} else if !regionPattern.MatchString(s.Region) {
		add("Region %q is not an AWS region name: use a name like us-east-1", s.Region)
	} else if providerRegion != "" && providerRegion != s.Region {
		add("Region %q does not match the provider the database is created with, which is in %s: pass the "+
			"provider for %s, or set Region to %s", s.Region, providerRegion, s.Region, providerRegion)
	}
	for i, r := range s.SecretReplicaRegions {
		switch {
		case !s.ReplicaSource:
			add("SecretReplicaRegions is set but ReplicaSource is not: RDS keeps its own secret in one region; set " +
				"ReplicaSource to keep the credentials in a secret the kit can replicate")
		case !regionPattern.MatchString(r):
			add("SecretReplicaRegions[%d] %q is not an AWS region name: use a name like us-west-2", i, r)
		case r == s.Region:
			add("SecretReplicaRegions[%d] %q is the database's own region: list other regions only", i, r)
		}
	}
	if s.ReplicaSource && len(s.RotationSubnets) == 0 {
		add("RotationSubnets is empty while ReplicaSource is set: the kit's secret rotates through a function in " +
			"the VPC; pass private subnets with a route to Secrets Manager (vpc.SubnetsOf(network.Private))")
	}
	for i, sn := range s.RotationSubnets {
		if sn.Tier == network.Public {
			add("RotationSubnets[%d] (%s, %s) is a public subnet: the rotation function needs no public address; pass "+
				"private subnets (vpc.SubnetsOf(network.Private))", i, sn.AZ, sn.CIDR)
		}
	}
	if s.VPCID == nil {
		add("VPCID is nil: pass the VPC's id (vpc.VPCID)")
	}
	azs := map[string]bool{}
	for i, sn := range s.DataSubnets {
		if sn.Tier != network.Data {
			add("DataSubnets[%d] (%s, %s) is a %s subnet: pass the VPC's data subnets, "+
				"vpc.SubnetsOf(network.Data), which have no route to the internet", i, sn.AZ, sn.CIDR, sn.Tier)
		}
		azs[sn.AZ] = true
	}
	if len(azs) < 2 {
		add("DataSubnets cover %d availability zone(s): RDS needs a DB subnet group in at least 2 AZs; build "+
			"the network with AZCount >= 2", len(azs))
	}
	for i, id := range s.ClientSecurityGroupIDs {
		if id == nil {
			add("ClientSecurityGroupIDs[%d] is nil: remove it or pass a security group id", i)
		}
	}
	if why := CheckIdentifier(s.Identifier); why != "" {
		add("Identifier %q %s: set Identifier, or name the component with letters, digits and hyphens",
			s.Identifier, why)
	}
	if _, ok := engineMajors[s.Engine]; !ok {
		add("Engine %q is not supported: use %q or %q", s.Engine, Postgres, MySQL)
	} else if major, ok := MajorVersion(s.Engine, s.EngineVersion); !ok {
		add("EngineVersion %q is not offered for %s: use one of %s", s.EngineVersion, s.Engine,
			strings.Join(engineMajors[s.Engine], ", "))
	} else {
		s.major, s.family, s.port = major, ParameterGroupFamily(s.Engine, major), Ports[s.Engine]
	}
	if !ValidInstanceClass(s.InstanceClass) {
		add("InstanceClass %q is not an RDS class for %s: use e.g. db.t4g.medium, db.m7g.large or db.r6g.xlarge",
			s.InstanceClass, s.Engine)
	} else if s.Engine == MySQL && SmallClass(s.InstanceClass) && !s.DisablePerformanceInsights {
		add("InstanceClass %q has no Performance Insights for mysql: use db.t4g.medium or larger, or set "+
			"DisablePerformanceInsights", s.InstanceClass)
	}
	if s.AllocatedStorageGB < 20 || s.AllocatedStorageGB > 65536 {
		add("AllocatedStorageGB %d is out of range: gp3 storage is 20 to 65536 GiB", s.AllocatedStorageGB)
	}
	if s.MaxAllocatedStorageGB != 0 && s.MaxAllocatedStorageGB <= s.AllocatedStorageGB {
		add("MaxAllocatedStorageGB %d is not greater than AllocatedStorageGB %d: raise it, or set 0 to turn "+
			"storage autoscaling off", s.MaxAllocatedStorageGB, s.AllocatedStorageGB)
	}
	if s.MaxAllocatedStorageGB > 65536 {
		add("MaxAllocatedStorageGB %d is above the 65536 GiB limit", s.MaxAllocatedStorageGB)
	}
	if s.BackupRetentionDays < 1 || s.BackupRetentionDays > 35 {
		add("BackupRetentionDays %d is out of range: use 1 to 35 days (automated backups stay on: "+
			"point-in-time recovery and read replicas need them)", s.BackupRetentionDays)
	}
	backup, errB := window(s.BackupWindow, false)
	if errB != nil {
		add("BackupWindow %q is invalid (%v): use hh24:mi-hh24:mi in UTC, at least 30 minutes, e.g. %s",
			s.BackupWindow, errB, DefaultBackupWindow)
	}
	maint, errM := window(s.MaintenanceWindow, true)
	if errM != nil {
		add("MaintenanceWindow %q is invalid (%v): use ddd:hh24:mi-ddd:hh24:mi in UTC, at least 30 minutes, "+
			"e.g. %s", s.MaintenanceWindow, errM, DefaultMaintenanceWindow)
	}
	if errB == nil && errM == nil && overlap(backup, maint) {
		add("BackupWindow %q overlaps MaintenanceWindow %q: move one of them", s.BackupWindow, s.MaintenanceWindow)
	}
	maxName, maxUser := 63, 63
	if s.Engine == MySQL {
		maxName, maxUser = 64, 32
	}
	if !usernamePattern.MatchString(s.DatabaseName) || len(s.DatabaseName) > maxName {
		add("DatabaseName %q is invalid: use 1 to %d letters, digits or underscores, starting with a letter",
			s.DatabaseName, maxName)
	}
	if !usernamePattern.MatchString(s.MasterUsername) || len(s.MasterUsername) > maxUser {
		add("MasterUsername %q is invalid: use 1 to %d letters, digits or underscores, starting with a letter",
			s.MasterUsername, maxUser)
	} else if strings.EqualFold(s.MasterUsername, "rdsadmin") {
		add("MasterUsername %q is reserved by RDS: choose another name", s.MasterUsername)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("database %q: invalid arguments:\n  - %s", name, strings.Join(problems, "\n  - "))
	}
	return s, nil
}
