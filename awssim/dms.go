package awssim

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// AWS Database Migration Service: replication subnet groups, replication instances, endpoints, tasks and
// event subscriptions, and the account-wide roles DMS looks up by name. Sources: the DMS API reference
// (CreateReplicationSubnetGroup, CreateReplicationInstance, CreateEndpoint, CreateReplicationTask,
// CreateEventSubscription), the DMS user guide ("Using secrets to access AWS DMS endpoints", "Selection rules
// and actions", "AWS DMS event categories and event messages for SNS notifications", "Choosing the right
// AWS DMS replication instance") and the AWS provider's dms resources.

func init() {
	models["aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"] = dmsSubnetGroupModel
	models["aws:dms/replicationInstance:ReplicationInstance"] = dmsInstanceModel
	models["aws:dms/endpoint:Endpoint"] = dmsEndpointModel
	models["aws:dms/replicationTask:ReplicationTask"] = dmsTaskModel
	models["aws:dms/eventSubscription:EventSubscription"] = dmsEventSubscriptionModel
}

const (
	typeDMSSubnetGroup = "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"
	typeDMSInstance    = "aws:dms/replicationInstance:ReplicationInstance"
	typeDMSEndpoint    = "aws:dms/endpoint:Endpoint"
	typeDMSTask        = "aws:dms/replicationTask:ReplicationTask"
)

// The account-wide roles DMS finds by their fixed names, and the AWS managed policy each must carry (AWS
// managed policy reference: AmazonDMSVPCManagementRole "is attached to the dms-vpc-role role";
// AmazonDMSCloudWatchLogsRole to dms-cloudwatch-logs-role).
const (
	DMSVPCRole  = "dms-vpc-role"
	DMSLogsRole = "dms-cloudwatch-logs-role"
)

var dmsRolePolicies = map[string]string{
	DMSVPCRole:  "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
	DMSLogsRole: "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole",
}

// dmsRoleReady refuses as DMS does when a fixed-name role is missing or cannot act ("The IAM Role
// arn:aws:iam::<account>:role/dms-vpc-role is not configured properly", AccessDeniedFault). A role the
// program creates must also be a dependency of r: IAM changes take time to reach DMS, and a resource created
// alongside the role without waiting for it fails on a real account.
func (s *Sim) dmsRoleReady(r *Resource, name string) error {
	if s.existingRoles[name] {
		return nil
	}
	bad := func(why string) error {
		return refuse("AccessDeniedFault", "The IAM Role arn:aws:iam::%s:role/%s is not configured properly: %s",
			AccountID, name, why)
	}
	role := s.roleByName(name)
	if role == nil {
		return bad("it does not exist in the account; create it (once per account) with the AWS managed policy " +
			dmsRolePolicies[name])
	}
	if st, err := parsePolicy(stringInput(role.Inputs, "assumeRolePolicy")); err == nil &&
		!allows(st, "Service", "dms.amazonaws.com", "sts:AssumeRole") {
		return bad("its trust policy does not let dms.amazonaws.com assume it")
	}
	var attachment *Resource
	for _, a := range s.graph.byURN {
		if a.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && stringInput(a.Inputs, "role") == name &&
			stringInput(a.Inputs, "policyArn") == dmsRolePolicies[name] {
			attachment = a
		}
	}
	if attachment == nil {
		return bad("it does not carry the AWS managed policy " + dmsRolePolicies[name])
	}
	if !slices.Contains(r.DependsOn, role.URN) && !slices.Contains(r.DependsOn, attachment.URN) {
		return bad("this resource does not wait for the role and its policy: make it depend on them")
	}
	return nil
}

var (
	dmsIdentifier    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)
	dmsSubnetGroupID = regexp.MustCompile(`^[A-Za-z0-9 ._-]{1,255}$`)
)

// dmsIdentifierProblem applies DMS's identifier rules: ASCII letters, digits and hyphens, a letter first, no
// hyphen at the end and no two in a row, at most max characters.
func dmsIdentifierProblem(field, id string, max int) error {
	if len(id) < 1 || len(id) > max || !dmsIdentifier.MatchString(id) || strings.HasSuffix(id, "-") ||
		strings.Contains(id, "--") {
		return refuse("InvalidParameterValueException", "%s %q must contain from 1 to %d alphanumeric "+
			"characters or hyphens, begin with a letter, not end with a hyphen and not contain two consecutive "+
			"hyphens", field, id, max)
	}
	return nil
}

// dmsARN is an ARN of DMS's kind: the resource type and an upper-case identifier DMS generates.
func (s *Sim) dmsARN(r *Resource, kind string) string {
	return arn("dms", r.Region, kind+":"+rdsUpper(s, r.URN+"/"+kind, 26))
}

func dmsSubnetGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := strings.ToLower(stringInput(r.Inputs, "replicationSubnetGroupId"))
	if !dmsSubnetGroupID.MatchString(id) || id == "default" {
		return "", nil, refuse("InvalidParameterValueException", "Replication subnet group identifier %q must "+
			"contain no more than 255 alphanumeric characters, periods, spaces, underscores, or hyphens, and "+
			"cannot be \"default\"", id)
	}
	if err := s.dmsRoleReady(r, DMSVPCRole); err != nil {
		return "", nil, err
	}
	out := echo(r, map[string]any{"replicationSubnetGroupId": id,
		"replicationSubnetGroupArn": arn("dms", r.Region, "subgrp:"+id)})
	if !known(r.Inputs, "subnetIds") {
		return id, out, nil
	}
	ids := stringsInput(r.Inputs, "subnetIds")
	var vpc string
	azs := map[string]bool{}
	for _, sid := range ids {
		sn, err := s.byIDOfType(sid, "aws:ec2/subnet:Subnet", "InvalidSubnet", r.Region)
		if err != nil {
			return "", nil, err
		}
		v := stringInput(sn.Inputs, "vpcId")
		if vpc != "" && v != vpc {
			return "", nil, refuse("InvalidSubnet", "The subnets of a replication subnet group must be in one "+
				"VPC (%s and %s)", vpc, v)
		}
		vpc = v
		azs[stringInput(sn.Outputs, "availabilityZone")] = true
	}
	// "List of at least 2 EC2 subnet IDs for the subnet group. The subnets must cover at least 2
	// availability zones" (AWS provider, dms.ReplicationSubnetGroup).
	if len(azs) < 2 {
		return "", nil, refuse("ReplicationSubnetGroupDoesNotCoverEnoughAZs", "The replication subnet group "+
			"does not cover enough Availability Zones: its subnets must cover at least 2")
	}
	out["vpcId"] = resource.NewProperty(vpc)
	return id, out, nil
}

// dmsInstanceClasses are the replication instance classes DMS offers ("Choosing the right AWS DMS
// replication instance for your migration").
var dmsInstanceClasses = map[string][]string{
	"t2": {"micro", "small", "medium", "large"},
	"t3": {"micro", "small", "medium", "large"},
	"c4": {"large", "xlarge", "2xlarge", "4xlarge"},
	"c5": {"large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge"},
	"r4": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge"},
	"r5": {"large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"},
}

// DMSDefaultEngineVersion is the engine version the simulation reports when a program leaves it to DMS.
const DMSDefaultEngineVersion = "3.5.4"

func dmsInstanceModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	id := strings.ToLower(stringInput(in, "replicationInstanceId"))
	if err := dmsIdentifierProblem("Replication instance identifier", id, 63); err != nil {
		return "", nil, err
	}
	class := stringInput(in, "replicationInstanceClass")
	if parts := strings.Split(class, "."); len(parts) != 3 || parts[0] != "dms" ||
		!slices.Contains(dmsInstanceClasses[parts[1]], parts[2]) {
		return "", nil, refuse("InvalidParameterValueException", "The specified instance class %q is not "+
			"supported", class)
	}
	// The AWS provider validates allocated_storage between 5 and 6144 GiB.
	if n, ok := numberInput(in, "allocatedStorage"); ok && (n < 5 || n > 6144) {
		return "", nil, refuse("InvalidParameterValueException", "AllocatedStorage %v must be between 5 and "+
			"6144 GiB", n)
	}
	if boolInput(in, "multiAz", false) && stringInput(in, "availabilityZone") != "" {
		return "", nil, refuse("InvalidParameterCombinationException", "You cannot set the AvailabilityZone "+
			"parameter if the MultiAZ parameter is set to true")
	}
	if err := s.dmsRoleReady(r, DMSVPCRole); err != nil {
		return "", nil, err
	}
	var vpc string
	var firstSubnet *Resource
	if known(in, "replicationSubnetGroupId") {
		group := s.dmsByID(typeDMSSubnetGroup, stringInput(in, "replicationSubnetGroupId"), r.Region)
		if group == nil {
			return "", nil, refuse("ResourceNotFoundFault", "Replication subnet group %q not found in %s",
				stringInput(in, "replicationSubnetGroupId"), r.Region)
		}
		vpc = stringInput(group.Outputs, "vpcId")
		if ids := stringsInput(group.Inputs, "subnetIds"); len(ids) > 0 {
			firstSubnet = s.graph.byID[ids[0]]
		}
	}
	for _, sg := range stringsInput(in, "vpcSecurityGroupIds") {
		g, err := s.byIDOfType(sg, "aws:ec2/securityGroup:SecurityGroup", "InvalidParameterValueException", r.Region)
		if err != nil {
			return "", nil, err
		}
		if v := stringInput(g.Inputs, "vpcId"); vpc != "" && known(g.Inputs, "vpcId") && v != vpc {
			return "", nil, refuse("InvalidParameterCombinationException", "The security group %s is in %s, "+
				"not in the subnet group's VPC %s", sg, v, vpc)
		}
	}
	if key := stringInput(in, "kmsKeyArn"); key != "" && known(in, "kmsKeyArn") {
		if region, _ := s.kmsKeyRegion(key, r.Region); region != r.Region {
			return "", nil, refuse("KMSKeyNotAccessibleFault", "KMS key %s is in %s, not %s", key, region, r.Region)
		}
	}
	out := echo(r, map[string]any{"replicationInstanceId": id, "replicationInstanceArn": s.dmsARN(r, "rep")})
	// CreateReplicationInstance: "PubliclyAccessible ... The default value is true."
	setDefault(out, "publiclyAccessible", true)
	setDefault(out, "multiAz", false)
	setDefault(out, "engineVersion", DMSDefaultEngineVersion)
	setDefault(out, "autoMinorVersionUpgrade", true)
	private := []any{}
	if firstSubnet != nil {
		// The first four addresses of a subnet are AWS's; the instance takes one after them.
		if p, err := netip.ParsePrefix(stringInput(firstSubnet.Inputs, "cidrBlock")); err == nil {
			a := p.Addr()
			for i := 0; i < 10; i++ {
				a = a.Next()
			}
			private = append(private, a.String())
		}
	}
	out["replicationInstancePrivateIps"] = resource.NewPropertyValue(private)
	out["replicationInstancePublicIps"] = resource.NewPropertyValue([]any{})
	return id, out, nil
}

// dmsEngines are CreateEndpoint's engine names, with the sides DMS uses each on. The user guide's "Sources
// for data migration" and "Targets for data migration" list what each side takes; an engine missing from a
// side's list is refused on that side.
var dmsEngines = map[string]struct{ source, target bool }{
	"mysql": {true, true}, "oracle": {true, true}, "postgres": {true, true}, "mariadb": {true, true},
	"aurora": {true, true}, "aurora-postgresql": {true, true}, "sqlserver": {true, true}, "sybase": {true, true},
	"db2": {true, true}, "docdb": {true, true}, "s3": {true, true},
	"azuredb": {true, false}, "azure-sql-managed-instance": {true, false}, "gcp-mysql": {true, false},
	"mongodb": {true, false}, "db2-zos": {true, false}, "dms-transfer": {true, false},
	"redshift": {false, true}, "redshift-serverless": {false, true}, "dynamodb": {false, true},
	"kinesis": {false, true}, "kafka": {false, true}, "elasticsearch": {false, true}, "opensearch": {false, true},
	"neptune": {false, true}, "redis": {false, true}, "babelfish": {false, true},
	"aurora-serverless": {false, true}, "aurora-postgresql-serverless": {false, true},
}

// dmsSecretEngines are the engines whose endpoints take a Secrets Manager secret (AWS provider,
// dms.Endpoint.secretsManagerArn: "Supported only when engineName is aurora, aurora-postgresql, mariadb,
// mongodb, mysql, oracle, postgres, redshift, or sqlserver").
var dmsSecretEngines = map[string]bool{"aurora": true, "aurora-postgresql": true, "mariadb": true, "mongodb": true,
	"mysql": true, "oracle": true, "postgres": true, "redshift": true, "sqlserver": true}

var (
	dmsSSLModes = map[string]bool{"none": true, "require": true, "verify-ca": true, "verify-full": true}
	dmsRoleARN  = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$`)
	secretARN   = regexp.MustCompile(`^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:.+$`)
)

// dmsRegionalPrincipal is the service principal DMS assumes secrets access roles as ("edit the trust
// relationships for the role to use your AWS DMS regional service principal ... dms.region-name.amazonaws.com").
func dmsRegionalPrincipal(region string) string { return "dms." + region + ".amazonaws.com" }

func dmsEndpointModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	id := stringInput(in, "endpointId")
	if err := dmsIdentifierProblem("Endpoint identifier", id, 255); err != nil {
		return "", nil, err
	}
	side := stringInput(in, "endpointType")
	if side != "source" && side != "target" {
		return "", nil, refuse("InvalidParameterValueException", "EndpointType %q: valid values are source and "+
			"target", side)
	}
	engine := stringInput(in, "engineName")
	sides, ok := dmsEngines[engine]
	switch {
	case !ok:
		return "", nil, refuse("InvalidParameterValueException", "The engine name %q is not supported", engine)
	case side == "source" && !sides.source:
		return "", nil, refuse("InvalidParameterValueException", "The engine %s can only be a target endpoint", engine)
	case side == "target" && !sides.target:
		return "", nil, refuse("InvalidParameterValueException", "The engine %s can only be a source endpoint", engine)
	}
	hasSecret, hasRole := rdsHas(in, "secretsManagerArn"), rdsHas(in, "secretsManagerAccessRoleArn")
	if hasSecret || hasRole {
		switch {
		case hasSecret != hasRole:
			return "", nil, refuse("InvalidParameterCombinationException", "SecretsManagerSecretId and "+
				"SecretsManagerAccessRoleArn go together: give both or neither")
		case !dmsSecretEngines[engine]:
			return "", nil, refuse("InvalidParameterValueException", "Secrets Manager authentication is not "+
				"supported for engine %s", engine)
		}
		for _, clear := range []string{"username", "password", "serverName", "port"} {
			if rdsHas(in, clear) {
				return "", nil, refuse("InvalidParameterCombinationException", "You can specify the values for "+
					"SecretsManagerAccessRoleArn and SecretsManagerSecretId, or clear-text values for UserName, "+
					"Password, ServerName and Port; you can't specify both (%s is set)", clear)
			}
		}
		if err := s.dmsCheckAccessRole(r); err != nil {
			return "", nil, err
		}
		if sec := stringInput(in, "secretsManagerArn"); known(in, "secretsManagerArn") {
			m := secretARN.FindStringSubmatch(sec)
			if m == nil || m[1] != r.Region {
				return "", nil, refuse("ResourceNotFoundFault", "Secrets Manager can't find the secret %s in %s",
					sec, r.Region)
			}
		}
	}
	if mode := stringInput(in, "sslMode"); mode != "" && !dmsSSLModes[mode] {
		return "", nil, refuse("InvalidParameterValueException", "SslMode %q: valid values are none, require, "+
			"verify-ca and verify-full", mode)
	}
	if key := stringInput(in, "kmsKeyArn"); key != "" && known(in, "kmsKeyArn") {
		if region, _ := s.kmsKeyRegion(key, r.Region); region != r.Region {
			return "", nil, refuse("KMSKeyNotAccessibleFault", "KMS key %s is in %s, not %s", key, region, r.Region)
		}
	}
	if attrs := stringInput(in, "extraConnectionAttributes"); attrs != "" {
		for _, a := range strings.Split(strings.TrimSuffix(attrs, ";"), ";") {
			if k, _, ok := strings.Cut(a, "="); !ok || k == "" {
				return "", nil, refuse("InvalidParameterValueException", "Extra connection attribute %q is not "+
					"of the form name=value", a)
			}
		}
	}
	out := echo(r, map[string]any{"endpointArn": s.dmsARN(r, "endpoint")})
	setDefault(out, "sslMode", "none")
	return id, out, nil
}

// dmsCheckAccessRole refuses an access role DMS cannot use: unknown in the account, or not trusting the
// regional DMS principal. DMS validates the role when the endpoint is created ("AWS DMS requires these
// permissions to validate both the access role and its secret").
func (s *Sim) dmsCheckAccessRole(r *Resource) error {
	ref := stringInput(r.Inputs, "secretsManagerAccessRoleArn")
	if !known(r.Inputs, "secretsManagerAccessRoleArn") {
		return nil
	}
	m := dmsRoleARN.FindStringSubmatch(ref)
	if m == nil {
		return refuse("InvalidParameterValueException", "SecretsManagerAccessRoleArn %q is not a role ARN", ref)
	}
	if m[1] != AccountID || s.existingRoles[m[2]] {
		return nil
	}
	role := s.roleByName(m[2])
	if role == nil {
		return refuse("AccessDeniedFault", "The role %s does not exist", ref)
	}
	st, err := parsePolicy(stringInput(role.Inputs, "assumeRolePolicy"))
	principal := dmsRegionalPrincipal(r.Region)
	if err == nil && !allows(st, "Service", principal, "sts:AssumeRole") {
		return refuse("AccessDeniedFault", "DMS cannot assume %s: its trust policy does not name the regional "+
			"service principal %s", ref, principal)
	}
	return nil
}

// dmsMappingsProblem checks table mappings as CreateReplicationTask does ("Selection rules and actions").
func dmsMappingsProblem(doc string) string {
	var parsed struct {
		Rules []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal([]byte(doc), &parsed); err != nil {
		return "the table mappings are not valid JSON: " + err.Error()
	}
	ids, names := map[string]bool{}, map[string]bool{}
	selections := 0
	for i, rule := range parsed.Rules {
		id := fmt.Sprint(rule["rule-id"])
		name, _ := rule["rule-name"].(string)
		if _, err := strconv.ParseUint(id, 10, 64); err != nil || ids[id] {
			return fmt.Sprintf("rule %d: rule-id %v is not a unique number", i+1, rule["rule-id"])
		}
		if name == "" || names[name] {
			return fmt.Sprintf("rule %d: rule-name %q is not a unique name", i+1, name)
		}
		ids[id], names[name] = true, true
		switch rule["rule-type"] {
		case "selection":
			selections++
			action, _ := rule["rule-action"].(string)
			locator, _ := rule["object-locator"].(map[string]any)
			schema, _ := locator["schema-name"].(string)
			table, _ := locator["table-name"].(string)
			if action != "include" && action != "exclude" && action != "explicit" {
				return fmt.Sprintf("rule %d: rule-action %q is not include, exclude or explicit", i+1, action)
			}
			if schema == "" || table == "" {
				return fmt.Sprintf("rule %d: the object-locator needs schema-name and table-name", i+1)
			}
			if action == "explicit" && strings.ContainsAny(schema+table, "%") {
				return fmt.Sprintf("rule %d: an explicit rule takes no wildcards", i+1)
			}
		case "transformation", "table-settings":
		default:
			return fmt.Sprintf("rule %d: unknown rule-type %v", i+1, rule["rule-type"])
		}
	}
	if selections == 0 {
		return "define at least one selection rule when specifying a table mapping"
	}
	return ""
}

var dmsMigrationTypes = map[string]bool{"full-load": true, "cdc": true, "full-load-and-cdc": true}

// dmsByID finds a DMS resource by type and identifier: DMS identifiers are unique per type, not across types
// (an instance and its subnet group may share one).
func (s *Sim) dmsByID(typ, id, region string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == typ && r.ID == id && r.Region == region {
			return r
		}
	}
	return nil
}

// dmsByOutput finds the resource of type typ whose output key is value, in region.
func (s *Sim) dmsByOutput(typ, key, value, region string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == typ && r.Region == region && stringInput(r.Outputs, key) == value {
			return r
		}
	}
	return nil
}

// dmsTaskLogs reports whether a task's settings turn CloudWatch logging on.
func dmsTaskLogs(settings string) (bool, error) {
	if settings == "" {
		return false, nil
	}
	var parsed struct {
		Logging struct{ EnableLogging bool }
	}
	err := json.Unmarshal([]byte(settings), &parsed)
	return parsed.Logging.EnableLogging, err
}

func dmsTaskModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	id := stringInput(in, "replicationTaskId")
	if err := dmsIdentifierProblem("Replication task identifier", id, 255); err != nil {
		return "", nil, err
	}
	if t := stringInput(in, "migrationType"); !dmsMigrationTypes[t] {
		return "", nil, refuse("InvalidParameterValueException", "MigrationType %q: valid values are full-load, "+
			"cdc and full-load-and-cdc", t)
	}
	if known(in, "tableMappings") {
		if why := dmsMappingsProblem(stringInput(in, "tableMappings")); why != "" {
			return "", nil, refuse("InvalidParameterValueException", "Invalid table mappings: %s", why)
		}
	}
	logs, err := dmsTaskLogs(stringInput(in, "replicationTaskSettings"))
	if err != nil {
		return "", nil, refuse("InvalidParameterValueException", "The task settings are not valid JSON: %v", err)
	}
	if logs {
		if err := s.dmsRoleReady(r, DMSLogsRole); err != nil {
			return "", nil, err
		}
	}
	for _, ref := range []struct{ key, typ, side string }{
		{"replicationInstanceArn", typeDMSInstance, ""},
		{"sourceEndpointArn", typeDMSEndpoint, "source"},
		{"targetEndpointArn", typeDMSEndpoint, "target"},
	} {
		if !known(in, ref.key) {
			continue
		}
		value := stringInput(in, ref.key)
		outKey := map[string]string{typeDMSInstance: "replicationInstanceArn", typeDMSEndpoint: "endpointArn"}[ref.typ]
		found := s.dmsByOutput(ref.typ, outKey, value, r.Region)
		if found == nil {
			return "", nil, refuse("ResourceNotFoundFault", "%s %s was not found in %s", ref.key, value, r.Region)
		}
		if ref.side != "" && stringInput(found.Inputs, "endpointType") != ref.side {
			return "", nil, refuse("InvalidParameterValueException", "%s %s is a %s endpoint, not a %s one",
				ref.key, value, stringInput(found.Inputs, "endpointType"), ref.side)
		}
	}
	ident := firstNonEmpty(stringInput(in, "resourceIdentifier"), rdsUpper(s, r.URN+"/task", 26))
	if rdsHas(in, "resourceIdentifier") {
		if err := dmsIdentifierProblem("Resource identifier", ident, 255); err != nil {
			return "", nil, err
		}
	}
	out := echo(r, map[string]any{"replicationTaskArn": arn("dms", r.Region, "task:"+ident)})
	status := "ready"
	if boolInput(in, "startReplicationTask", false) {
		status = "running"
	}
	out["status"] = resource.NewProperty(status)
	return id, out, nil
}

// dmsTaskLoggingTo returns a running task that logs to the log group named name in region, which DMS has
// then created itself: CreateLogGroup of that name fails afterwards (ResourceAlreadyExistsException).
func (s *Sim) dmsTaskLoggingTo(name, region string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type != typeDMSTask || r.Region != region || stringInput(r.Outputs, "status") != "running" {
			continue
		}
		logs, _ := dmsTaskLogs(stringInput(r.Inputs, "replicationTaskSettings"))
		instance := s.dmsByOutput(typeDMSInstance, "replicationInstanceArn",
			stringInput(r.Inputs, "replicationInstanceArn"), region)
		if logs && instance != nil && "dms-tasks-"+instance.ID == name {
			return r
		}
	}
	return nil
}

// dmsEventCategories are the categories each source type takes, in the lower-case form of the API (DMS user
// guide, "AWS DMS event categories and event messages for SNS notifications").
var dmsEventCategories = map[string]map[string]bool{
	"replication-instance": {"configuration change": true, "creation": true, "deletion": true,
		"maintenance": true, "low storage": true, "failover": true, "failure": true},
	"replication-task": {"state change": true, "failure": true, "configuration change": true, "deletion": true,
		"creation": true},
}

func dmsEventSubscriptionModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	typ := stringInput(in, "sourceType")
	categories, ok := dmsEventCategories[typ]
	if !ok {
		return "", nil, refuse("InvalidParameterValueException", "SourceType %q: valid values are "+
			"replication-instance and replication-task", typ)
	}
	for _, c := range stringsInput(in, "eventCategories") {
		if !categories[c] {
			return "", nil, refuse("InvalidParameterValueException", "Event category %q does not apply to "+
				"source type %s", c, typ)
		}
	}
	if topic := stringInput(in, "snsTopicArn"); known(in, "snsTopicArn") {
		m := snsTopicARN.FindStringSubmatch(topic)
		switch {
		case m == nil:
			return "", nil, refuse("SNSInvalidTopicFault", "Invalid SNS topic ARN %s", topic)
		case m[1] != r.Region:
			return "", nil, refuse("SNSInvalidTopicFault", "The topic %s is in %s; DMS events go to a topic of "+
				"their own region, %s", topic, m[1], r.Region)
		case m[2] == AccountID && s.graph.byID[topic] == nil:
			return "", nil, refuse("SNSNoAuthorizationFault", "The topic %s does not exist", topic)
		}
	}
	if known(in, "sourceIds") {
		for _, sid := range stringsInput(in, "sourceIds") {
			want := map[string]string{"replication-instance": typeDMSInstance, "replication-task": typeDMSTask}[typ]
			if s.dmsByID(want, sid, r.Region) == nil {
				return "", nil, refuse("ResourceNotFoundFault", "The %s %s was not found", typ, sid)
			}
		}
	}
	name := s.autoName(r, "name", 255)
	return name, echo(r, map[string]any{"name": name, "arn": arn("dms", r.Region, "es:"+name)}), nil
}

// dmsSecretsUnreadable finds endpoints whose access role may not read their secret, or decrypt it: AWS
// accepts the endpoint (it checks the role exists), but the connection test and the task fail.
func (g *Graph) dmsSecretsUnreadable() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != typeDMSEndpoint || !rdsHas(r.Inputs, "secretsManagerArn") {
			continue
		}
		m := dmsRoleARN.FindStringSubmatch(stringInput(r.Inputs, "secretsManagerAccessRoleArn"))
		if m == nil || m[1] != AccountID {
			continue
		}
		sec := stringInput(r.Inputs, "secretsManagerArn")
		needs := [][2]string{{"secretsmanager:GetSecretValue", sec}}
		if secret := g.byID[sec]; secret != nil {
			if key := stringInput(secret.Inputs, "kmsKeyId"); key != "" && !strings.Contains(key, "alias/aws/") {
				needs = append(needs, [2]string{"kms:Decrypt", key})
			}
		}
		for _, n := range needs {
			if !g.rolePolicyAllows(m[2], n[0], n[1]) {
				out = append(out, fmt.Sprintf("%s: the access role %s has no policy allowing %s on %s: AWS accepts "+
					"the endpoint, but DMS cannot read its credentials and the connection fails", r.URN, m[2], n[0], n[1]))
			}
		}
	}
	return out
}

// rolePolicyAllows reports whether an inline policy of the role allows action on resourceARN.
func (g *Graph) rolePolicyAllows(role, action, resourceARN string) bool {
	for _, p := range g.byURN {
		if p.Type != "aws:iam/rolePolicy:RolePolicy" || stringInput(p.Inputs, "role") != role {
			continue
		}
		statements, err := parsePolicy(stringInput(p.Inputs, "policy"))
		if err != nil {
			continue
		}
		for _, st := range statements {
			if st.Effect != "Allow" || !st.actionAllowed(action) {
				continue
			}
			for _, res := range st.Resource {
				if res == "*" || res == resourceARN ||
					strings.HasSuffix(res, "*") && strings.HasPrefix(resourceARN, strings.TrimSuffix(res, "*")) {
					return true
				}
			}
		}
	}
	return false
}

// dmsEventsUndeliverable finds event subscriptions whose topic DMS cannot publish to: the topic's policy
// must let dms.amazonaws.com publish (DMS user guide, "Validating the access policy of your SNS topic"), and
// an encrypted topic's key must let it use the key, as for every AWS service that publishes to an encrypted
// topic. AWS accepts the subscription either way; the events are lost.
func (g *Graph) dmsEventsUndeliverable() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:dms/eventSubscription:EventSubscription" {
			continue
		}
		topicARN := stringInput(r.Inputs, "snsTopicArn")
		topic := g.byID[topicARN]
		if topic == nil || topic.Type != "aws:sns/topic:Topic" {
			continue
		}
		policy := stringInput(topic.Outputs, "policy")
		for _, p := range g.byURN {
			if p.Type == "aws:sns/topicPolicy:TopicPolicy" && stringInput(p.Inputs, "arn") == topicARN {
				policy = stringInput(p.Inputs, "policy")
			}
		}
		if st, err := parsePolicy(policy); err == nil && !allows(st, "Service", "dms.amazonaws.com", "sns:Publish") {
			out = append(out, fmt.Sprintf("%s: the policy of topic %s does not let dms.amazonaws.com publish: AWS "+
				"accepts the subscription, but no DMS event reaches the topic", r.URN, topicARN))
		}
		if key := g.kmsKeyByRef(stringInput(topic.Inputs, "kmsMasterKeyId")); key != nil {
			if st, err := parsePolicy(stringInput(key.Outputs, "policy")); err == nil &&
				!allows(st, "Service", "dms.amazonaws.com", "kms:Decrypt", "kms:GenerateDataKey") {
				out = append(out, fmt.Sprintf("%s: the key %s of topic %s does not let dms.amazonaws.com use it: "+
					"AWS accepts the subscription, but no DMS event can be published", r.URN, key.ID, topicARN))
			}
		}
	}
	return out
}
