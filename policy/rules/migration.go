package rules

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// The migration: the VPN to the data centre and DMS. Security Hub's foundational controls DMS.1 (replication
// instances not public), DMS.6 (automatic minor version upgrade), DMS.7 and DMS.8 (task logging of the target
// and the source), DMS.9 (endpoints use SSL) and DMS.13 (Multi-AZ replication instances), and the kit's own:
// endpoint credentials in Secrets Manager, tunnel logs on, and the data centre's routes kept off public route
// tables.

func migrationRules() []Rule {
	instance := []string{typeDMSInstance}
	endpoint := []string{typeDMSEndpoint}
	return []Rule{
		{
			Name:          "dms-replication-instance-not-public",
			Controls:      []string{"DMS.1"},
			Description:   "DMS replication instances are private (publiclyAccessible false; DMS makes them public when it is absent). Security Hub DMS.1.",
			Level:         Mandatory,
			Types:         instance,
			CheckResource: dmsInstanceNotPublic,
		},
		{
			Name:          "dms-replication-instance-encrypted",
			Description:   "DMS replication instances encrypt their storage with a customer managed KMS key (kmsKeyArn), not the AWS managed aws/dms.",
			Level:         Mandatory,
			Types:         instance,
			CheckResource: dmsInstanceEncrypted,
		},
		{
			Name:          "dms-replication-instance-multi-az",
			Description:   "In production DMS replication instances run Multi-AZ (multiAz), so an AZ failure does not stop the migration. Security Hub DMS.13.",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         instance,
			CheckResource: dmsInstanceMultiAZ,
		},
		{
			Name:          "dms-auto-minor-version-upgrade",
			Description:   "DMS replication instances take minor engine upgrades (autoMinorVersionUpgrade is not false). Security Hub DMS.6.",
			Level:         Advisory,
			Types:         instance,
			CheckResource: dmsAutoMinorUpgrade,
		},
		{
			Name:          "dms-endpoint-secrets-manager",
			Description:   "DMS endpoints of databases read their credentials from Secrets Manager (secretsManagerArn and secretsManagerAccessRoleArn), never a password in the endpoint.",
			Level:         Mandatory,
			Types:         endpoint,
			CheckResource: dmsEndpointSecrets,
		},
		{
			Name:          "dms-endpoint-ssl",
			Description:   "DMS endpoints of databases encrypt their connections (sslMode require, verify-ca or verify-full; DMS uses none when it is absent). Security Hub DMS.9.",
			Level:         Mandatory,
			Types:         endpoint,
			CheckResource: dmsEndpointSSL,
		},
		{
			Name:          "dms-task-logging",
			Description:   "DMS tasks log to CloudWatch (Logging.EnableLogging) with SOURCE_UNLOAD, SOURCE_CAPTURE, TARGET_LOAD and TARGET_APPLY at LOGGER_SEVERITY_DEFAULT or more. Security Hub DMS.7 and DMS.8.",
			Level:         Mandatory,
			Types:         []string{typeDMSTask},
			CheckResource: dmsTaskLogging,
		},
		{
			Name:          "vpn-tunnel-logs",
			Description:   "Both tunnels of a site-to-site VPN log to CloudWatch Logs (tunnelNLogOptions.cloudwatchLogOptions.logEnabled with a logGroupArn).",
			Level:         Mandatory,
			Types:         []string{typeVPNConnection},
			CheckResource: vpnTunnelLogs,
		},
		{
			Name:        "vpn-routes-not-public",
			Description: "Routes to the data centre (a virtual private gateway's route propagation, or a route to it) are never on a public route table (tagged Tier public, or routing 0.0.0.0/0 to an internet gateway).",
			Level:       Mandatory,
			CheckStack:  vpnRoutesNotPublic,
		},
	}
}

func dmsInstanceNotPublic(_ Env, r policyx.AnalyzerResource) []string {
	v := prop(r, "publiclyAccessible")
	switch {
	case v.IsNull():
		return []string{"publiclyAccessible is absent, and DMS then gives the instance a public address: set it to false"}
	case isTrue(v):
		return []string{"publiclyAccessible is true: set it to false; the instance reaches its endpoints inside the VPC and over the VPN"}
	}
	return nil
}

func dmsInstanceEncrypted(_ Env, r policyx.AnalyzerResource) []string {
	s, known := str(prop(r, "kmsKeyArn"))
	switch {
	case !known:
	case s == "":
		return []string{"kmsKeyArn is absent, so DMS uses the AWS managed key aws/dms: pass a customer managed key's ARN"}
	case strings.Contains(s, "alias/aws/"):
		return []string{fmt.Sprintf("kmsKeyArn %q is an AWS managed key: pass a customer managed key you can rotate and audit", s)}
	}
	return nil
}

func dmsInstanceMultiAZ(_ Env, r policyx.AnalyzerResource) []string {
	if knownFalse(prop(r, "multiAz")) {
		return []string{"multiAz is not true in production: set it to true so the migration survives an AZ failure"}
	}
	return nil
}

func dmsAutoMinorUpgrade(_ Env, r policyx.AnalyzerResource) []string {
	if v := prop(r, "autoMinorVersionUpgrade"); !v.IsNull() && knownFalse(v) {
		return []string{"autoMinorVersionUpgrade is false: leave it on so fixes arrive in the maintenance window"}
	}
	return nil
}

// dmsDatabaseEngines are the endpoint engines that are databases a user signs in to: the ones these rules
// judge. Streams, buckets and search engines authenticate otherwise.
var dmsDatabaseEngines = []string{"mysql", "mariadb", "postgres", "oracle", "sqlserver", "sybase", "db2",
	"db2-zos", "aurora", "aurora-postgresql", "redshift", "azuredb", "azure-sql-managed-instance", "gcp-mysql",
	"babelfish", "mongodb", "docdb"}

// dmsDatabaseEndpoint reports whether the endpoint is a database's; an unknown engine is judged too.
func dmsDatabaseEndpoint(r policyx.AnalyzerResource) bool {
	e, known := str(prop(r, "engineName"))
	return !known || slices.Contains(dmsDatabaseEngines, e)
}

func dmsEndpointSecrets(_ Env, r policyx.AnalyzerResource) []string {
	if !dmsDatabaseEndpoint(r) {
		return nil
	}
	var out []string
	if set(prop(r, "password")) {
		out = append(out, "password is set on the endpoint, where it sits in the stack's state: store the credentials "+
			"in a Secrets Manager secret and pass secretsManagerArn and secretsManagerAccessRoleArn instead")
	}
	if !set(prop(r, "secretsManagerArn")) || !set(prop(r, "secretsManagerAccessRoleArn")) {
		out = append(out, "secretsManagerArn or secretsManagerAccessRoleArn is absent: give both, so DMS reads the "+
			"credentials from Secrets Manager")
	}
	return out
}

func dmsEndpointSSL(_ Env, r policyx.AnalyzerResource) []string {
	if !dmsDatabaseEndpoint(r) {
		return nil
	}
	mode, known := str(prop(r, "sslMode"))
	switch {
	case !known:
	case mode == "":
		return []string{"sslMode is absent, and DMS then connects without TLS: set it to require (or verify-full with a certificate)"}
	case mode == "none":
		return []string{"sslMode is none: set it to require (or verify-full with a certificate)"}
	}
	return nil
}

// dmsLoggedComponents are the log components Security Hub DMS.7 (TARGET_APPLY, TARGET_LOAD) and DMS.8
// (SOURCE_CAPTURE, SOURCE_UNLOAD) require, and the severities that satisfy them.
var (
	dmsLoggedComponents = []string{"SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY"}
	dmsLogSeverities    = []string{"LOGGER_SEVERITY_DEFAULT", "LOGGER_SEVERITY_DEBUG", "LOGGER_SEVERITY_DETAILED_DEBUG"}
)

// dmsLogComponent is one entry of the task settings' Logging.LogComponents.
type dmsLogComponent struct {
	ID       string `json:"Id"`
	Severity string
}

func dmsTaskLogging(_ Env, r policyx.AnalyzerResource) []string {
	doc, known := str(prop(r, "replicationTaskSettings"))
	if !known {
		return nil
	}
	var settings struct {
		Logging struct {
			EnableLogging bool
			LogComponents []dmsLogComponent
		}
	}
	if doc == "" || json.Unmarshal([]byte(doc), &settings) != nil || !settings.Logging.EnableLogging {
		return []string{"replicationTaskSettings does not turn Logging.EnableLogging on: the task's progress and errors " +
			"are then nowhere to read; enable it"}
	}
	var missing []string
	for _, c := range dmsLoggedComponents {
		if !slices.ContainsFunc(settings.Logging.LogComponents, func(l dmsLogComponent) bool {
			return l.ID == c && slices.Contains(dmsLogSeverities, l.Severity)
		}) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return []string{fmt.Sprintf("Logging.LogComponents does not log %s at LOGGER_SEVERITY_DEFAULT or more: add them",
			strings.Join(missing, ", "))}
	}
	return nil
}

func vpnTunnelLogs(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	for _, tunnel := range []string{"tunnel1", "tunnel2"} {
		opts := tunnel + "LogOptions.cloudwatchLogOptions"
		if v := prop(r, tunnel+"LogOptions"); v.IsComputed() {
			continue
		}
		if !isTrue(prop(r, opts+".logEnabled")) || !set(prop(r, opts+".logGroupArn")) {
			out = append(out, fmt.Sprintf("%sLogOptions does not send the tunnel's logs to CloudWatch Logs: set "+
				"cloudwatchLogOptions.logEnabled and a logGroupArn; without them a tunnel that will not come up "+
				"leaves no trace", tunnel))
		}
	}
	return out
}

// publicRouteTables returns the URNs of the stack's public route tables: tagged Tier public, or routing
// 0.0.0.0/0 to an internet gateway, in the table or in a separate route.
func publicRouteTables(rs []policyx.AnalyzerResource, idx map[string]policyx.AnalyzerResource) map[string]bool {
	out := map[string]bool{}
	toIGW := func(r policyx.AnalyzerResource, gatewayInput string, gateway string) bool {
		if strings.HasPrefix(gateway, "igw-") {
			return true
		}
		return slices.ContainsFunc(deps(r, gatewayInput), func(u string) bool { return idx[u].Type == typeInternetGateway })
	}
	for _, t := range ofType(rs, typeRouteTable) {
		if tagsOf(t)["Tier"] == "public" {
			out[t.URN] = true
		}
		for _, route := range items(t.Properties.Get("routes")) {
			if !route.IsMap() {
				continue
			}
			dest, _ := str(route.AsMap().Get("cidrBlock"))
			gw, _ := str(route.AsMap().Get("gatewayId"))
			if dest == "0.0.0.0/0" && strings.HasPrefix(gw, "igw-") {
				out[t.URN] = true
			}
		}
	}
	for _, route := range ofType(rs, typeRoute) {
		dest, _ := str(prop(route, "destinationCidrBlock"))
		gw, _ := str(prop(route, "gatewayId"))
		if dest == "0.0.0.0/0" && toIGW(route, "gatewayId", gw) {
			for _, u := range deps(route, "routeTableId") {
				out[u] = true
			}
		}
	}
	return out
}

func vpnRoutesNotPublic(_ Env, rs []policyx.AnalyzerResource) []Finding {
	idx := byURN(rs)
	public := publicRouteTables(rs, idx)
	var out []Finding
	onPublic := func(r policyx.AnalyzerResource) bool {
		return slices.ContainsFunc(deps(r, "routeTableId"), func(u string) bool { return public[u] })
	}
	for _, p := range ofType(rs, typeVPNPropagation) {
		if onPublic(p) {
			out = append(out, Finding{URN: p.URN, Message: "the virtual private gateway propagates the data centre's " +
				"routes into a public route table: propagate to the private and data tiers' tables only, so the " +
				"internet-facing subnets cannot reach the data centre"})
		}
	}
	for _, route := range ofType(rs, typeRoute) {
		toVGW := slices.ContainsFunc(deps(route, "gatewayId"), func(u string) bool { return idx[u].Type == typeVPNGateway })
		if gw, _ := str(prop(route, "gatewayId")); strings.HasPrefix(gw, "vgw-") {
			toVGW = true
		}
		if toVGW && onPublic(route) {
			out = append(out, Finding{URN: route.URN, Message: "a route to the data centre's virtual private gateway " +
				"is on a public route table: put it on the private and data tiers' tables only"})
		}
	}
	return out
}
