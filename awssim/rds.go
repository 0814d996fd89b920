package awssim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// RDS: DB instances (primaries and read replicas, in one region or across two), their subnet and parameter
// groups, and cross-region replication of automated backups. The models refuse what the RDS API (or the
// provider's own validation, which runs before the API) refuses, with the RDS error code.

func init() {
	models["aws:rds/subnetGroup:SubnetGroup"] = rdsSubnetGroupModel
	models["aws:rds/parameterGroup:ParameterGroup"] = rdsParameterGroupModel
	models["aws:rds/instance:Instance"] = rdsInstanceModel
	models["aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"] = rdsBackupReplicationModel
	deleters["aws:rds/instance:Instance"] = rdsInstanceDelete
}

// rdsInstanceDelete refuses DeleteDBInstance as RDS does: "The database can't be deleted when deletion
// protection is enabled" (RDS API reference, CreateDBInstance DeletionProtection), and "FinalDBSnapshotIdentifier
// can not be specified when deleting a replica instance" (DeleteDBInstance).
func rdsInstanceDelete(_ *Sim, r *Resource) error {
	name := firstNonEmpty(stringInput(r.Outputs, "identifier"), stringInput(r.Inputs, "identifier"), r.ID)
	if boolInput(r.Inputs, "deletionProtection", false) {
		return refuse("InvalidParameterCombination", "Cannot delete protected DB Instance %s, please disable "+
			"deletion protection and try again (aws rds modify-db-instance --db-instance-identifier %s "+
			"--no-deletion-protection --apply-immediately)", name, name)
	}
	if rdsHas(r.Inputs, "replicateSourceDb") && !boolInput(r.Inputs, "skipFinalSnapshot", false) {
		return refuse("InvalidParameterCombination", "FinalDBSnapshotIdentifier can not be specified when "+
			"deleting a replica instance (%s)", name)
	}
	return nil
}

// rdsEngine is what the simulation knows of one engine: the major versions RDS offers, the latest minor of
// each (what RDS picks when only the major is given), the default port and the parameter that forces TLS.
type rdsEngine struct {
	minors   map[string]string // major -> latest minor
	port     int
	tlsParam string
}

var rdsEngines = map[string]rdsEngine{
	"postgres": {minors: map[string]string{"14": "14.17", "15": "15.12", "16": "16.8", "17": "17.4"}, port: 5432,
		tlsParam: "rds.force_ssl"},
	"mysql": {minors: map[string]string{"8.0": "8.0.41", "8.4": "8.4.4"}, port: 3306,
		tlsParam: "require_secure_transport"},
}

// rdsClassSizes are the instance sizes of each class family RDS offers for PostgreSQL and MySQL.
var rdsClassSizes = func() map[string][]string {
	burst := []string{"micro", "small", "medium", "large", "xlarge", "2xlarge"}
	fixed := []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"}
	return map[string][]string{
		"t3": burst, "t4g": burst,
		"m5": fixed, "m6g": fixed, "m6i": fixed, "m7g": fixed,
		"r5": fixed, "r6g": fixed, "r6i": fixed, "r7g": fixed,
	}
}()

// RDSInstanceClass reports whether RDS offers class (db.<family>.<size>) for PostgreSQL and MySQL.
func RDSInstanceClass(class string) bool {
	parts := strings.Split(class, ".")
	if len(parts) != 3 || parts[0] != "db" {
		return false
	}
	for _, s := range rdsClassSizes[parts[1]] {
		if s == parts[2] {
			return true
		}
	}
	return false
}

// rdsMajor splits an engine version into the major RDS versions are keyed by ("16.4" -> "16", "8.0.39" ->
// "8.0") and reports whether RDS offers it.
func rdsMajor(engine, version string) (string, bool) {
	e, ok := rdsEngines[engine]
	if !ok {
		return "", false
	}
	for major, latest := range e.minors {
		if version == major || version == latest {
			return major, true
		}
		if rest, ok := strings.CutPrefix(version, major+"."); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return major, true
			}
		}
	}
	return "", false
}

// rdsIdentifier is the provider's rule for DB instance identifiers (and, with a longer limit, final
// snapshot identifiers): letters, digits and hyphens, a letter first, no "--", no trailing hyphen.
func rdsIdentifier(field, id string, maxLen int, lowerOnly bool) error {
	switch {
	case id == "" || len(id) > maxLen:
		return refuse("InvalidParameterValue", "%s %q must be 1 to %d characters", field, id, maxLen)
	case lowerOnly && !regexp.MustCompile(`^[0-9a-z-]+$`).MatchString(id):
		return refuse("InvalidParameterValue", "%s %q: only lowercase alphanumeric characters and hyphens allowed", field, id)
	case !regexp.MustCompile(`^[0-9A-Za-z-]+$`).MatchString(id):
		return refuse("InvalidParameterValue", "%s %q: only alphanumeric characters and hyphens allowed", field, id)
	case !regexp.MustCompile(`^[A-Za-z]`).MatchString(id):
		return refuse("InvalidParameterValue", "%s %q: first character must be a letter", field, id)
	case strings.Contains(id, "--"):
		return refuse("InvalidParameterValue", "%s %q cannot contain two consecutive hyphens", field, id)
	case strings.HasSuffix(id, "-"):
		return refuse("InvalidParameterValue", "%s %q cannot end with a hyphen", field, id)
	}
	return nil
}

var rdsGroupName = regexp.MustCompile(`^[a-z0-9 ._-]+$`)

func rdsSubnetGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := s.autoName(r, "name", 255)
	if !rdsGroupName.MatchString(name) || len(name) > 255 {
		return "", nil, refuse("InvalidParameterValue", "DB subnet group name %q: only lowercase alphanumeric "+
			"characters, hyphens, underscores, periods, and spaces allowed (up to 255)", name)
	}
	if name == "default" {
		return "", nil, refuse("InvalidParameterValue", "DB subnet group name \"default\" is reserved")
	}
	out := echo(r, map[string]any{"name": name, "arn": arn("rds", r.Region, "subgrp:"+name),
		"supportedNetworkTypes": []any{"IPV4"}})
	setDefault(out, "description", "Managed by Pulumi")
	if !known(r.Inputs, "subnetIds") {
		return name, out, nil
	}
	ids := stringsInput(r.Inputs, "subnetIds")
	var vpc string
	azs := map[string]bool{}
	var azList []string
	for _, id := range ids {
		sn, err := s.byIDOfType(id, "aws:ec2/subnet:Subnet", "InvalidSubnet", r.Region)
		if err != nil {
			return "", nil, refuse("InvalidSubnet", "Subnet %s does not exist in %s: a DB subnet group takes "+
				"subnets of its own region", id, r.Region)
		}
		v := stringInput(sn.Inputs, "vpcId")
		if vpc != "" && v != vpc {
			return "", nil, refuse("InvalidParameterValue", "Some input subnets in :[%s] are invalid: the "+
				"subnets of a DB subnet group must all be in one VPC (%s and %s)", strings.Join(ids, ", "), vpc, v)
		}
		vpc = v
		if az := stringInput(sn.Outputs, "availabilityZone"); !azs[az] {
			azs[az] = true
			azList = append(azList, az)
		}
	}
	if len(azs) < 2 {
		return "", nil, refuse("DBSubnetGroupDoesNotCoverEnoughAZs", "The DB subnet group doesn't meet "+
			"Availability Zone (AZ) coverage requirement. Current AZ coverage: %s. Add subnets to cover at "+
			"least 2 AZs.", strings.Join(azList, ", "))
	}
	out["vpcId"] = resource.NewProperty(vpc)
	return name, out, nil
}

// rdsFamily is the parameter group family of an engine major version: postgres16, mysql8.0.
func rdsFamily(engine, major string) string { return engine + major }

var rdsParamGroupName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

func rdsParameterGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	family := stringInput(r.Inputs, "family")
	var engine string
	for e, def := range rdsEngines {
		for major := range def.minors {
			if family == rdsFamily(e, major) {
				engine = e
			}
		}
	}
	if engine == "" {
		return "", nil, refuse("InvalidParameterValue", "ParameterGroupFamily %q is not a valid family "+
			"(e.g. postgres17, mysql8.0)", family)
	}
	name := s.autoName(r, "name", 255)
	if !rdsParamGroupName.MatchString(name) || strings.Contains(name, "--") || strings.HasSuffix(name, "-") {
		return "", nil, refuse("InvalidParameterValue", "DB parameter group name %q: lowercase letters, digits "+
			"and hyphens, a letter first, no two consecutive hyphens, no trailing hyphen", name)
	}
	for _, p := range objectsInput(r.Inputs, "parameters") {
		pname := stringInput(p, "name")
		for other, def := range rdsEngines {
			if other != engine && pname == def.tlsParam {
				return "", nil, refuse("InvalidParameterValue", "Could not find parameter with name: %s "+
					"(family %s)", pname, family)
			}
		}
		if m := stringInput(p, "applyMethod"); m != "" && m != "immediate" && m != "pending-reboot" {
			return "", nil, refuse("InvalidParameterValue", "applyMethod %q must be immediate or pending-reboot", m)
		}
	}
	out := echo(r, map[string]any{"name": name, "arn": arn("rds", r.Region, "pg:"+name)})
	setDefault(out, "description", "Managed by Pulumi")
	return name, out, nil
}

// rdsRegionalPart is the per-account, per-region label in every RDS endpoint
// (<identifier>.<label>.<region>.rds.amazonaws.com).
func rdsRegionalPart(s *Sim, region string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := s.hash(AccountID+"/"+region, 24)
	var b strings.Builder
	for i := 0; i < 12; i++ {
		n, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		b.WriteByte(alphabet[int(n)%len(alphabet)])
	}
	return b.String()
}

// rdsUpper returns n characters of AWS's upper-case resource-id alphabet derived from key.
func rdsUpper(s *Sim, key string, n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	h := s.hash(key, 2*n)
	var b strings.Builder
	for i := 0; i < n; i++ {
		v, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		b.WriteByte(alphabet[int(v)%len(alphabet)])
	}
	return b.String()
}

// rdsHostedZones are the Route 53 zones of RDS endpoints in some regions; the rest get a stable made-up id.
var rdsHostedZones = map[string]string{
	"us-east-1": "Z2R2ITUGPM61AM", "us-east-2": "Z2XHWR1WZ565X2", "us-west-1": "Z10WI91S59XXQN",
	"us-west-2": "Z1PVIF0B656C1W", "eu-west-1": "Z29XKXDKYMONMX", "eu-central-1": "Z1RLNUO7B9Q6NB",
}

// rdsWindow parses "hh24:mi-hh24:mi" (daily) or "ddd:hh24:mi-ddd:hh24:mi" (weekly) into minutes of the week;
// a daily window yields its seven occurrences.
func rdsWindow(w string, weekly bool) ([][2]int, error) {
	days := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	parse := func(part string) (int, error) {
		day := 0
		if weekly {
			d, rest, ok := strings.Cut(part, ":")
			if !ok {
				return 0, fmt.Errorf("bad")
			}
			day = -1
			for i, n := range days {
				if strings.EqualFold(d, n) {
					day = i
				}
			}
			if day < 0 {
				return 0, fmt.Errorf("bad")
			}
			part = rest
		}
		var hh, mm int
		if n, err := fmt.Sscanf(part, "%2d:%2d", &hh, &mm); n != 2 || err != nil || len(part) != 5 || hh > 23 || mm > 59 {
			return 0, fmt.Errorf("bad")
		}
		return day*1440 + hh*60 + mm, nil
	}
	from, to, ok := strings.Cut(w, "-")
	if !ok {
		return nil, fmt.Errorf("bad")
	}
	a, err := parse(from)
	if err != nil {
		return nil, err
	}
	b, err := parse(to)
	if err != nil {
		return nil, err
	}
	span := 1440
	if weekly {
		span = 7 * 1440
	}
	if b <= a {
		b += span
	}
	if b-a < 30 {
		return nil, fmt.Errorf("short")
	}
	if !weekly {
		var out [][2]int
		for d := 0; d < 7; d++ {
			out = append(out, [2]int{a + d*1440, b + d*1440})
		}
		return out, nil
	}
	return [][2]int{{a, b}}, nil
}

func rdsWindowsOverlap(backup, maintenance [][2]int) bool {
	const week = 7 * 1440
	for _, x := range backup {
		for _, y := range maintenance {
			for _, shift := range []int{-week, 0, week} {
				if x[0] < y[1]+shift && y[0]+shift < x[1] {
					return true
				}
			}
		}
	}
	return false
}

var rdsUsername = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// rdsInstanceBySource finds the source of a read replica: by ARN in any region, or by identifier in the
// replica's own region, as CreateDBInstanceReadReplica resolves SourceDBInstanceIdentifier.
func (s *Sim) rdsInstanceBySource(src, region string) (*Resource, string, error) {
	if strings.HasPrefix(src, "arn:") {
		parts := strings.Split(src, ":")
		if len(parts) != 7 || parts[2] != "rds" || parts[5] != "db" {
			return nil, "", refuse("InvalidParameterValue", "replicateSourceDb %q is not a DB instance ARN "+
				"(arn:aws:rds:<region>:<account>:db:<identifier>)", src)
		}
		for _, r := range s.graph.byURN {
			if r.Type == "aws:rds/instance:Instance" && stringInput(r.Outputs, "arn") == src {
				return r, parts[3], nil
			}
		}
		return nil, "", refuse("DBInstanceNotFound", "DBInstance %s not found.", src)
	}
	var elsewhere string
	for _, r := range s.graph.byURN {
		if r.Type == "aws:rds/instance:Instance" && stringInput(r.Outputs, "identifier") == src {
			if r.Region == region {
				return r, region, nil
			}
			elsewhere = r.Region
		}
	}
	if elsewhere != "" {
		return nil, "", refuse("DBInstanceNotFound", "DBInstance %s not found in %s: it is in %s, and a "+
			"cross-region read replica names its source by ARN (arn:aws:rds:%s:%s:db:%s)", src, region,
			elsewhere, elsewhere, AccountID, src)
	}
	return nil, "", refuse("DBInstanceNotFound", "DBInstance %s not found.", src)
}

// kmsKeyRegion resolves a KMS key reference (key ARN, alias ARN, key id) as RDS does, returning its region
// and whether the simulation knows the key. A bare key id resolves in the caller's region.
func (s *Sim) kmsKeyRegion(ref, callerRegion string) (region string, found bool) {
	region = callerRegion
	if strings.HasPrefix(ref, "arn:") {
		if parts := strings.Split(ref, ":"); len(parts) >= 6 {
			region = parts[3]
		}
	}
	for _, k := range s.graph.byURN {
		if k.Type != "aws:kms/key:Key" {
			continue
		}
		if stringInput(k.Outputs, "arn") == ref || (k.ID == ref && k.Region == callerRegion) {
			return k.Region, true
		}
	}
	return region, false
}

func rdsInstanceModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := appliedInputs(r)
	identifier := stringInput(in, "identifier")
	if identifier == "" {
		if p := stringInput(in, "identifierPrefix"); p != "" {
			identifier = p + s.hash(r.URN, 26)
		} else {
			identifier = "terraform-" + s.hash(r.URN, 26)
		}
	}
	if err := rdsIdentifier("identifier", identifier, 63, true); err != nil {
		return "", nil, err
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.Region == r.Region && stringInput(other.Outputs, "identifier") == identifier {
			return "", nil, refuse("DBInstanceAlreadyExists", "DB instance already exists: %s in %s", identifier, r.Region)
		}
	}

	replica := stringInput(in, "replicateSourceDb")
	isReplica := replica != "" || !known(in, "replicateSourceDb") && rdsHas(in, "replicateSourceDb")
	// Removing the source of an existing replica is PromoteReadReplica, not a create: the instance keeps the
	// engine, version and master user it replicated, so the create-time requirements do not apply.
	promoted := !isReplica && r.Prior != nil && rdsHas(r.Prior.Inputs, "replicateSourceDb")
	// Promotion is one-way: RDS has no API that turns a standalone instance (a promoted replica, or a
	// primary) back into a replica. Failing back after a drill needs a new replica under a new identifier.
	if isReplica && r.Prior != nil && !rdsHas(r.Prior.Inputs, "replicateSourceDb") {
		return "", nil, refuse("InvalidDBInstanceState", "DB instance %s is a standalone DB instance (promoted, "+
			"or created without a source): a standalone DB instance cannot become a read replica; create a new "+
			"replica under a new identifier and delete this instance",
			firstNonEmpty(stringInput(r.Prior.Outputs, "identifier"), identifier))
	}
	var source *Resource
	crossRegion := false
	engine := stringInput(in, "engine")
	version := stringInput(in, "engineVersion")
	if known(in, "replicateSourceDb") {
		var srcRegion string
		var err error
		source, srcRegion, err = s.rdsInstanceBySource(replica, r.Region)
		if err != nil {
			return "", nil, err
		}
		crossRegion = srcRegion != r.Region
		if ret, _ := numberInput(source.Outputs, "backupRetentionPeriod"); ret == 0 {
			return "", nil, refuse("InvalidDBInstanceState", "Automated backups are not enabled for this "+
				"database instance (%s). To enable automated backups, use ModifyDBInstance to set the backup "+
				"retention period to a non-zero value.", stringInput(source.Outputs, "identifier"))
		}
		srcEngine := stringInput(source.Outputs, "engine")
		if engine != "" && engine != srcEngine {
			return "", nil, refuse("InvalidParameterCombination", "engine %s of the read replica differs from "+
				"its source's engine %s", engine, srcEngine)
		}
		engine, version = srcEngine, stringInput(source.Outputs, "engineVersionActual")
		if boolInput(in, "manageMasterUserPassword", false) {
			return "", nil, refuse("InvalidParameterCombination", "ManageMasterUserPassword isn't supported "+
				"when creating a read replica: the replica uses its source's master user")
		}
		// RDS user guide, "Limitations for Secrets Manager integration": no read replica of a source whose
		// master password RDS manages (every engine but SQL Server).
		if r.Prior == nil && boolInput(source.Inputs, "manageMasterUserPassword", false) {
			return "", nil, refuse("InvalidParameterValue", "Creating read replicas for source instance with "+
				"engine %s where ManageMasterUserPassword is enabled is not supported", srcEngine)
		}
	}

	if promoted {
		engine, version = stringInput(r.Prior.Outputs, "engine"), stringInput(r.Prior.Outputs, "engineVersionActual")
	}
	if !isReplica && !promoted {
		if engine == "" {
			return "", nil, refuse("InvalidParameterValue", "engine is required for a DB instance that is not "+
				"a read replica or a restore")
		}
		if _, ok := rdsEngines[engine]; !ok {
			return "", nil, refuse("InvalidParameterValue", "Invalid DB engine: %s (the simulation models "+
				"postgres and mysql)", engine)
		}
	}
	def := rdsEngines[engine]
	major, actual := "", version
	if engine != "" {
		if version == "" {
			for m := range def.minors {
				if major == "" || m > major {
					major = m
				}
			}
			actual = def.minors[major]
		} else {
			var ok bool
			if major, ok = rdsMajor(engine, version); !ok {
				return "", nil, refuse("InvalidParameterCombination", "Cannot find version %s for %s", version, engine)
			}
			if version == major {
				actual = def.minors[major]
			}
		}
	}

	class := stringInput(in, "instanceClass")
	if known(in, "instanceClass") && !RDSInstanceClass(class) {
		return "", nil, refuse("InvalidParameterCombination", "RDS does not support creating a DB instance with "+
			"the following combination: DBInstanceClass=%s, Engine=%s, EngineVersion=%s. For supported "+
			"combinations of instance class and database engine version, see the documentation.", class, engine, actual)
	}

	if ret, ok := numberInput(in, "backupRetentionPeriod"); ok && (ret < 0 || ret > 35) {
		return "", nil, refuse("InvalidParameterValue", "The requested value for BackupRetentionPeriod (%v) is "+
			"not valid. Valid values are 0 to 35.", ret)
	}
	var backupWin, maintWin [][2]int
	if w := stringInput(in, "backupWindow"); w != "" {
		var err error
		if backupWin, err = rdsWindow(w, false); err != nil {
			return "", nil, refuse("InvalidParameterValue", "The backup window %q must be in the format "+
				"hh24:mi-hh24:mi (UTC) and at least 30 minutes long", w)
		}
	}
	if w := stringInput(in, "maintenanceWindow"); w != "" {
		var err error
		if maintWin, err = rdsWindow(w, true); err != nil {
			return "", nil, refuse("InvalidParameterValue", "The maintenance window %q must be in the format "+
				"ddd:hh24:mi-ddd:hh24:mi (UTC) and at least 30 minutes long", w)
		}
	}
	if rdsWindowsOverlap(backupWin, maintWin) {
		return "", nil, refuse("InvalidParameterValue", "The backup window and maintenance window must not "+
			"overlap (%s, %s)", stringInput(in, "backupWindow"), stringInput(in, "maintenanceWindow"))
	}

	skip := boolInput(in, "skipFinalSnapshot", false)
	finalID := stringInput(in, "finalSnapshotIdentifier")
	if !skip && finalID == "" && !rdsHas(in, "finalSnapshotIdentifier") {
		return "", nil, refuse("InvalidParameterCombination", "final_snapshot_identifier is required when "+
			"skip_final_snapshot is false: without one the provider cannot delete the instance (set "+
			"finalSnapshotIdentifier or skipFinalSnapshot)")
	}
	if finalID != "" {
		if err := rdsIdentifier("finalSnapshotIdentifier", finalID, 255, false); err != nil {
			return "", nil, err
		}
	}

	managed := boolInput(in, "manageMasterUserPassword", false)
	if managed && rdsHas(in, "password") {
		return "", nil, refuse("InvalidParameterCombination", "You can't specify MasterUserPassword when "+
			"ManageMasterUserPassword is enabled: RDS generates the password and keeps it in Secrets Manager")
	}
	// ModifyDBInstance, ManageMasterUserPassword: "If the DB instance already manages the master user password
	// with Amazon Web Services Secrets Manager, and you specify that the master user password is not managed
	// with Amazon Web Services Secrets Manager, then you must specify MasterUserPassword." The provider sends
	// ManageMasterUserPassword=false when the input goes away, so an update that drops it must carry a password.
	if r.Prior != nil && boolInput(r.Prior.Inputs, "manageMasterUserPassword", false) && !managed &&
		!rdsHas(in, "password") && !isReplica && !promoted {
		return "", nil, refuse("InvalidParameterCombination", "DB instance %s manages its master user password "+
			"with Secrets Manager: to turn ManageMasterUserPassword off you must specify MasterUserPassword in the "+
			"same ModifyDBInstance request (an ignoreChanges on password drops it from the update when the "+
			"deployed inputs have none)", identifier)
	}
	if !isReplica && !promoted && !rdsHas(in, "snapshotIdentifier") {
		user := stringInput(in, "username")
		maxUser := 63
		if engine == "mysql" {
			maxUser = 32
		}
		switch {
		case user == "" && !rdsHas(in, "username"):
			return "", nil, refuse("InvalidParameterValue", "The parameter MasterUsername must be provided and "+
				"must not be blank.")
		case known(in, "username") && (!rdsUsername.MatchString(user) || len(user) > maxUser):
			return "", nil, refuse("InvalidParameterValue", "MasterUsername %q must be 1 to %d letters, digits "+
				"or underscores, starting with a letter", user, maxUser)
		case strings.EqualFold(user, "rdsadmin"):
			return "", nil, refuse("InvalidParameterValue", "MasterUsername rdsadmin cannot be used as it is a "+
				"reserved word used by the engine")
		case !managed && !rdsHas(in, "password"):
			return "", nil, refuse("InvalidParameterValue", "The parameter MasterUserPassword must be provided "+
				"and must not be blank (or set ManageMasterUserPassword).")
		}
		size, ok := numberInput(in, "allocatedStorage")
		if !ok && !rdsHas(in, "allocatedStorage") {
			return "", nil, refuse("InvalidParameterValue", "The parameter AllocatedStorage must be provided")
		}
		st := stringInput(in, "storageType")
		minSize := 20.0
		if st == "io1" || st == "io2" {
			minSize = 100
		}
		if ok && (size < minSize || size > 65536) {
			return "", nil, refuse("InvalidParameterCombination", "Invalid storage size for engine name %s and "+
				"storage type %s: %v (valid: %v to 65536 GiB)", engine, firstNonEmpty(st, "gp2"), size, minSize)
		}
		if max, ok := numberInput(in, "maxAllocatedStorage"); ok && max != 0 && max <= size {
			return "", nil, refuse("InvalidParameterCombination", "Max storage size (%v) must be greater than "+
				"storage size (%v)", max, size)
		}
	}

	encrypted := boolInput(in, "storageEncrypted", false)
	kmsKey := stringInput(in, "kmsKeyId")
	if source != nil {
		srcEncrypted := boolInput(source.Outputs, "storageEncrypted", false)
		switch {
		case kmsKey != "" && !srcEncrypted:
			return "", nil, refuse("InvalidParameterCombination", "Cannot create an encrypted read replica of "+
				"an unencrypted DB instance (%s): encrypt the source first (restore it from an encrypted "+
				"snapshot copy)", stringInput(source.Outputs, "identifier"))
		case crossRegion && srcEncrypted && kmsKey == "" && !rdsHas(in, "kmsKeyId"):
			return "", nil, refuse("InvalidParameterCombination", "KmsKeyId must be specified for a "+
				"cross-region read replica of an encrypted DB instance: give a KMS key in %s", r.Region)
		}
		encrypted = srcEncrypted
		if kmsKey == "" && !crossRegion {
			kmsKey = stringInput(source.Outputs, "kmsKeyId")
		}
	} else if kmsKey != "" && !encrypted {
		return "", nil, refuse("InvalidParameterCombination", "A KmsKeyId was given but StorageEncrypted is "+
			"not true: set storageEncrypted to use the key")
	}
	for _, key := range []string{"kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"} {
		ref := stringInput(in, key)
		if !known(in, key) || ref == "" {
			continue
		}
		if region, _ := s.kmsKeyRegion(ref, r.Region); region != r.Region {
			return "", nil, refuse("KMSKeyNotAccessibleFault", "The KMS key %s (%s) is in %s, not in the same "+
				"region as the DB instance (%s): RDS only uses keys of its own region", ref, key, region, r.Region)
		}
	}
	if encrypted && kmsKey == "" {
		kmsKey = arn("kms", r.Region, "key/"+s.uuidFrom("aws/rds/"+r.Region))
	}

	if err := rdsObservability(in, engine); err != nil {
		return "", nil, err
	}
	if boolInput(in, "performanceInsightsEnabled", false) {
		if engine == "mysql" && (strings.HasSuffix(class, ".micro") || strings.HasSuffix(class, ".small")) {
			return "", nil, refuse("InvalidParameterCombination", "Performance Insights not supported for this "+
				"configuration (MySQL on %s): use db.t3.medium or larger", class)
		}
		if p, ok := numberInput(in, "performanceInsightsRetentionPeriod"); ok && p != 7 && p != 731 &&
			(p < 31 || p > 713 || int(p)%31 != 0) {
			return "", nil, refuse("InvalidParameterValue", "Invalid Performance Insights retention period %v: "+
				"use 7, a multiple of 31 up to 713, or 731", p)
		}
	}

	var vpcID string
	if known(in, "dbSubnetGroupName") {
		name := stringInput(in, "dbSubnetGroupName")
		sg, err := s.byIDOfType(name, "aws:rds/subnetGroup:SubnetGroup", "DBSubnetGroupNotFoundFault", r.Region)
		if err != nil {
			return "", nil, refuse("DBSubnetGroupNotFoundFault", "DB subnet group '%s' does not exist in %s",
				name, r.Region)
		}
		vpcID = stringInput(sg.Outputs, "vpcId")
	}
	if known(in, "vpcSecurityGroupIds") {
		for _, id := range stringsInput(in, "vpcSecurityGroupIds") {
			sg, err := s.byIDOfType(id, "aws:ec2/securityGroup:SecurityGroup", "InvalidGroup.NotFound", r.Region)
			if err != nil {
				return "", nil, err
			}
			if vpcID != "" && stringInput(sg.Inputs, "vpcId") != vpcID {
				return "", nil, refuse("InvalidParameterCombination", "The DB instance and EC2 security group "+
					"%s are in different VPCs.", id)
			}
		}
	}
	if known(in, "parameterGroupName") && engine != "" {
		name := stringInput(in, "parameterGroupName")
		pg, err := s.byIDOfType(name, "aws:rds/parameterGroup:ParameterGroup", "DBParameterGroupNotFound", r.Region)
		if err != nil {
			return "", nil, refuse("DBParameterGroupNotFound", "DBParameterGroup not found: %s (in %s)", name, r.Region)
		}
		if fam := stringInput(pg.Inputs, "family"); fam != rdsFamily(engine, major) {
			return "", nil, refuse("InvalidParameterCombination", "The parameter group %s with "+
				"DBParameterGroupFamily %s can't be used for this instance. Use a parameter group with "+
				"DBParameterGroupFamily %s.", name, fam, rdsFamily(engine, major))
		}
	}

	port := def.port
	if p, ok := numberInput(in, "port"); ok {
		port = int(p)
	}
	resourceID := "db-" + rdsUpper(s, r.URN, 26)
	address := fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", identifier, rdsRegionalPart(s, r.Region), r.Region)
	zone := rdsHostedZones[r.Region]
	if zone == "" {
		zone = "Z" + rdsUpper(s, "rds-zone/"+r.Region, 13)
	}
	out := echo(r, map[string]any{
		"identifier":          identifier,
		"resourceId":          resourceID,
		"arn":                 arn("rds", r.Region, "db:"+identifier),
		"address":             address,
		"endpoint":            fmt.Sprintf("%s:%d", address, port),
		"port":                port,
		"hostedZoneId":        zone,
		"status":              "available",
		"engine":              engine,
		"engineVersionActual": actual,
		"storageEncrypted":    encrypted,
		"replicas":            []any{},
		"listenerEndpoints":   []any{},
	})
	if version == "" && !isReplica {
		out["engineVersion"] = resource.NewProperty(actual)
	}
	if isReplica {
		out["engineVersion"] = resource.NewProperty(actual)
	}
	if kmsKey != "" {
		out["kmsKeyId"] = resource.NewProperty(kmsKey)
	}
	if managed {
		secretKey := stringInput(in, "masterUserSecretKmsKeyId")
		if secretKey == "" {
			secretKey = arn("kms", r.Region, "key/"+s.uuidFrom("aws/secretsmanager/"+r.Region))
		}
		out["masterUserSecrets"] = resource.NewProperty([]resource.PropertyValue{resource.NewObjectProperty(
			resource.NewPropertyMapFromMap(map[string]any{
				"secretArn": arn("secretsmanager", r.Region, "secret:rds!db-"+s.uuidFrom(r.URN+"/secret")+"-"+
					rdsUpper(s, r.URN+"/suffix", 6)),
				"secretStatus": "active",
				"kmsKeyId":     secretKey,
			}))})
	} else {
		out["masterUserSecrets"] = resource.NewProperty([]resource.PropertyValue{})
	}
	defRetention := 1
	if isReplica {
		defRetention = 0
	}
	setDefault(out, "backupRetentionPeriod", defRetention)
	setDefault(out, "backupWindow", "08:00-08:30")
	setDefault(out, "maintenanceWindow", "sun:09:00-sun:09:30")
	setDefault(out, "multiAz", false)
	setDefault(out, "storageType", "gp2")
	setDefault(out, "deletionProtection", false)
	setDefault(out, "skipFinalSnapshot", false)
	setDefault(out, "publiclyAccessible", false)
	setDefault(out, "autoMinorVersionUpgrade", true)
	setDefault(out, "copyTagsToSnapshot", false)
	setDefault(out, "performanceInsightsEnabled", false)
	setDefault(out, "dbSubnetGroupName", "default")
	if source != nil {
		setDefault(out, "allocatedStorage", source.Outputs["allocatedStorage"].V)
		setDefault(out, "username", stringInput(source.Outputs, "username"))
	}
	return resourceID, out, nil
}

func rdsBackupReplicationModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	if ret, ok := numberInput(in, "retentionPeriod"); ok && (ret < 1 || ret > 35) {
		return "", nil, refuse("InvalidParameterValue", "The requested value for BackupRetentionPeriod (%v) is "+
			"not valid. Valid values are 1 to 35.", ret)
	}
	id := arn("rds", r.Region, "auto-backup:ab-"+strings.ToLower(rdsUpper(s, r.URN, 26)))
	out := echo(r, map[string]any{"id": id})
	setDefault(out, "retentionPeriod", 7)
	if !known(in, "sourceDbInstanceArn") {
		return id, out, nil
	}
	src := stringInput(in, "sourceDbInstanceArn")
	source, srcRegion, err := s.rdsInstanceBySource(src, r.Region)
	if err != nil {
		return "", nil, err
	}
	if srcRegion == r.Region {
		return "", nil, refuse("InvalidParameterValue", "The source DB instance %s is in %s: automated backups "+
			"are replicated to a different region (create this resource with a provider for the destination)",
			src, srcRegion)
	}
	if ret, _ := numberInput(source.Outputs, "backupRetentionPeriod"); ret == 0 {
		return "", nil, refuse("InvalidDBInstanceState", "Automated backups are not enabled for this database "+
			"instance (%s)", stringInput(source.Outputs, "identifier"))
	}
	if boolInput(source.Outputs, "storageEncrypted", false) {
		key := stringInput(in, "kmsKeyId")
		if key == "" && !rdsHas(in, "kmsKeyId") {
			return "", nil, refuse("InvalidParameterCombination", "KmsKeyId is required to replicate the "+
				"automated backups of an encrypted DB instance: give a KMS key in %s", r.Region)
		}
		if known(in, "kmsKeyId") {
			if region, _ := s.kmsKeyRegion(key, r.Region); region != r.Region {
				return "", nil, refuse("KMSKeyNotAccessibleFault", "The KMS key %s is in %s, not in the "+
					"destination region %s", key, region, r.Region)
			}
		}
	}
	return id, out, nil
}

// rdsHas reports whether an input is set, known or not: during a preview an input computed from another
// resource is unknown, and AWS-side checks on it wait for the real deployment.
func rdsHas(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return ok && !v.IsNull()
}

// rdsPostgresIdleLagSeconds is the ReplicaLag an RDS for PostgreSQL replica reports while its source takes no
// writes: the metric is the time since the last replayed transaction, and an idle source switches WAL
// segments every 5 minutes (RDS user guide, "Monitoring and tuning the replication process").
const rdsPostgresIdleLagSeconds = 300

// replicaLagAlarmsThatPageWhenIdle finds ReplicaLag alarms on PostgreSQL replicas whose threshold the lag of
// an idle, healthy replica crosses: AWS accepts them, and they page whenever nobody writes.
func (g *Graph) replicaLagAlarmsThatPageWhenIdle() []string {
	var out []string
	for _, a := range g.byURN {
		if a.Type != "aws:cloudwatch/metricAlarm:MetricAlarm" || stringInput(a.Inputs, "namespace") != "AWS/RDS" ||
			stringInput(a.Inputs, "metricName") != "ReplicaLag" || !known(a.Inputs, "dimensions") {
			continue
		}
		threshold, ok := numberInput(a.Inputs, "threshold")
		op := stringInput(a.Inputs, "comparisonOperator")
		if !ok || (op != "GreaterThanThreshold" && op != "GreaterThanOrEqualToThreshold") {
			continue
		}
		id := stringInput(a.Inputs, "dimensions.DBInstanceIdentifier")
		for _, db := range g.byURN {
			if db.Type != "aws:rds/instance:Instance" || db.Region != a.Region || stringInput(db.Outputs, "identifier") != id ||
				!rdsHas(db.Inputs, "replicateSourceDb") || stringInput(db.Outputs, "engine") != "postgres" {
				continue
			}
			if threshold < rdsPostgresIdleLagSeconds || op == "GreaterThanOrEqualToThreshold" && threshold == rdsPostgresIdleLagSeconds {
				out = append(out, fmt.Sprintf("%s: ReplicaLag alarm on PostgreSQL replica %s fires at %v s, but RDS "+
					"for PostgreSQL reports up to %d s of lag while the source is idle (WAL segments switch every 5 "+
					"minutes): AWS accepts it, and it pages whenever nobody writes. Use a threshold of at least %d s.",
					a.URN, id, threshold, rdsPostgresIdleLagSeconds, rdsPostgresIdleLagSeconds))
			}
		}
	}
	return out
}

// rdsLogTypes are the logs each engine can publish to CloudWatch Logs (EnabledCloudwatchLogsExports): the
// types Security Hub RDS.9 lists per engine, and iam-db-auth-error, which both engines publish.
var rdsLogTypes = map[string]map[string]bool{
	"postgres": {"postgresql": true, "upgrade": true, "iam-db-auth-error": true},
	"mysql":    {"audit": true, "error": true, "general": true, "slowquery": true, "iam-db-auth-error": true},
}

// rdsObservability refuses what CreateDBInstance and ModifyDBInstance refuse of Enhanced Monitoring and log
// exports: an interval other than 0, 1, 5, 10, 15, 30 or 60 seconds (AWS Config rds-enhanced-monitoring-enabled
// lists the valid values), an interval without the role RDS sends the metrics with, a log type the engine does
// not write.
func rdsObservability(in resource.PropertyMap, engine string) error {
	interval, ok := numberInput(in, "monitoringInterval")
	if ok {
		switch interval {
		case 0, 1, 5, 10, 15, 30, 60:
		default:
			return refuse("InvalidParameterValue", "MonitoringInterval %v is not valid: use 0, 1, 5, 10, 15, 30 or 60", interval)
		}
		if interval > 0 && !rdsHas(in, "monitoringRoleArn") {
			return refuse("InvalidParameterCombination", "A MonitoringRoleARN value is required if you specify a "+
				"MonitoringInterval value other than 0.")
		}
	}
	if types, ok := rdsLogTypes[engine]; ok {
		for _, t := range stringsInput(in, "enabledCloudwatchLogsExports") {
			if !types[t] {
				return refuse("InvalidParameterCombination", "You cannot use the log type %s with engine %s", t, engine)
			}
		}
	}
	return nil
}
