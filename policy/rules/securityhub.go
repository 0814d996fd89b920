package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Rules for the AWS Foundational Security Best Practices (FSBP) controls of Security Hub that the other files'
// rules do not cover. Each control's text and check are from the Security Hub user guide's control reference
// (and the AWS Config rule behind it); the rule's Controls field names it.

const (
	typeDefaultNetworkACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"
	typeNetworkACL        = "aws:ec2/networkAcl:NetworkAcl"
	typeSecret            = "aws:secretsmanager/secret:Secret"
	typeSecretRotation    = "aws:secretsmanager/secretRotation:SecretRotation"
)

// MaxRotationDays is the longest rotation schedule SecretsManager.4 accepts by default
// (maxDaysSinceRotation 90).
const MaxRotationDays = 90

// rdsLogExports are the logs RDS.9 expects each engine to publish to CloudWatch Logs. MySQL's list leaves out
// the audit log, which needs the MariaDB audit plugin option group (the kit creates none).
var rdsLogExports = map[string][]string{
	"postgres": {"postgresql", "upgrade"},
	"mysql":    {"error", "general", "slowquery"},
}

func securityHubRules() []Rule {
	db := []string{typeDBInstance}
	return []Rule{
		{
			Name:          "rds-enhanced-monitoring",
			Description:   "Databases run Enhanced Monitoring (monitoringInterval above 0, with a monitoringRoleArn).",
			Level:         Mandatory,
			Types:         db,
			Controls:      []string{"RDS.6"},
			CheckResource: rdsEnhancedMonitoring,
		},
		{
			Name:          "rds-log-exports",
			Description:   "Databases publish their engine's logs to CloudWatch Logs (enabledCloudwatchLogsExports: postgresql and upgrade for PostgreSQL; error, general and slowquery for MySQL).",
			Level:         Mandatory,
			Types:         db,
			Controls:      []string{"RDS.9"},
			CheckResource: rdsLogExportsCheck,
		},
		{
			Name:          "rds-iam-authentication",
			Description:   "Databases accept IAM database authentication (iamDatabaseAuthenticationEnabled).",
			Level:         Mandatory,
			Types:         db,
			Controls:      []string{"RDS.10"},
			CheckResource: rdsIAMAuthentication,
		},
		{
			Name:          "rds-copy-tags-to-snapshot",
			Description:   "Databases copy their tags to their snapshots (copyTagsToSnapshot), so snapshots are owned and priced like the database.",
			Level:         Advisory,
			Types:         db,
			Controls:      []string{"RDS.17"},
			CheckResource: rdsCopyTagsToSnapshot,
		},
		{
			Name:          "alb-desync-mitigation",
			Description:   "Application load balancers keep HTTP desync mitigation defensive or strictest (desyncMitigationMode is not monitor).",
			Level:         Mandatory,
			Types:         []string{typeLB, typeALB},
			Controls:      []string{"ELB.12"},
			CheckResource: albDesyncMitigation,
		},
		{
			Name:          "asg-launch-template",
			Description:   "Auto Scaling groups launch from a launch template (launchTemplate or mixedInstancesPolicy), not a launch configuration.",
			Level:         Mandatory,
			Types:         []string{typeASG},
			Controls:      []string{"AutoScaling.9"},
			CheckResource: asgLaunchTemplate,
		},
		{
			Name:          "nacl-no-ssh-rdp-from-anywhere",
			Description:   "No network ACL allows inbound TCP or UDP to port 22 or 3389 from 0.0.0.0/0 or ::/0.",
			Level:         Mandatory,
			Types:         []string{typeDefaultNetworkACL, typeNetworkACL},
			Controls:      []string{"EC2.21"},
			CheckResource: naclNoSSHRDP,
		},
		{
			Name:        "secretsmanager-rotation",
			Description: fmt.Sprintf("Every Secrets Manager secret rotates automatically (an aws:secretsmanager/secretRotation names it), at least every %d days.", MaxRotationDays),
			// Advisory: a secret the kit cannot rotate itself (the data centre's database credentials of a
			// migration) is the owner's to rotate; the kit's own master secret always rotates.
			Level:      Advisory,
			Controls:   []string{"SecretsManager.1", "SecretsManager.4"},
			CheckStack: secretsRotate,
		},
		{
			Name:          "opensearch-logs-to-cloudwatch",
			Description:   "OpenSearch domains publish their error logs and audit logs to CloudWatch Logs (logPublishingOptions ES_APPLICATION_LOGS and AUDIT_LOGS, enabled).",
			Level:         Mandatory,
			Types:         []string{typeOpenSearchDomain},
			Controls:      []string{"Opensearch.4", "Opensearch.5"},
			CheckResource: openSearchLogs,
		},
		{
			Name:          "opensearch-three-data-nodes",
			Description:   "In production OpenSearch domains run at least three data nodes with zone awareness.",
			Level:         Mandatory,
			Scope:         ProductionOnly,
			Types:         []string{typeOpenSearchDomain},
			Controls:      []string{"Opensearch.6"},
			CheckResource: openSearchThreeNodes,
		},
	}
}

func rdsEnhancedMonitoring(_ Env, r policyx.AnalyzerResource) []string {
	n, present, known := num(prop(r, "monitoringInterval"))
	if !known || present && n > 0 {
		return nil
	}
	return []string{"monitoringInterval is 0 or absent: set it (1, 5, 10, 15, 30 or 60 seconds) with a " +
		"monitoringRoleArn carrying AmazonRDSEnhancedMonitoringRole"}
}

func rdsLogExportsCheck(_ Env, r policyx.AnalyzerResource) []string {
	engine, known := str(prop(r, "engine"))
	if !known {
		return nil
	}
	if engine == "" && replica(r) {
		return nil // a replica takes its source's engine; its exports are judged against it when known
	}
	want := rdsLogExports[engine]
	have, partial := stringsOf(prop(r, "enabledCloudwatchLogsExports"))
	if partial {
		return nil
	}
	var missing []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			missing = append(missing, w)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("enabledCloudwatchLogsExports lacks %s: publish the %s logs to CloudWatch Logs",
		strings.Join(missing, ", "), engine)}
}

func rdsIAMAuthentication(_ Env, r policyx.AnalyzerResource) []string {
	if v := prop(r, "iamDatabaseAuthenticationEnabled"); v.IsNull() || knownFalse(v) {
		return []string{"iamDatabaseAuthenticationEnabled is not true: turn it on, so clients can sign in with " +
			"short-lived IAM tokens instead of a shared password"}
	}
	return nil
}

func rdsCopyTagsToSnapshot(_ Env, r policyx.AnalyzerResource) []string {
	if v := prop(r, "copyTagsToSnapshot"); v.IsNull() || knownFalse(v) {
		return []string{"copyTagsToSnapshot is not true: set it"}
	}
	return nil
}

func albDesyncMitigation(_ Env, r policyx.AnalyzerResource) []string {
	if t, _ := str(prop(r, "loadBalancerType")); t != "" && t != "application" {
		return nil
	}
	if m, known := str(prop(r, "desyncMitigationMode")); known && m == "monitor" {
		return []string{"desyncMitigationMode is monitor: use defensive (the default) or strictest"}
	}
	return nil
}

func asgLaunchTemplate(_ Env, r policyx.AnalyzerResource) []string {
	if set(prop(r, "launchTemplate")) || set(prop(r, "mixedInstancesPolicy")) {
		return nil
	}
	return []string{"the group has no launchTemplate (nor mixedInstancesPolicy): launch from a launch template"}
}

// naclNoSSHRDP follows AWS Config's nacl-no-unrestricted-ssh-rdp: any inbound allow entry from anywhere whose
// protocol and ports reach 22 or 3389 fails, whatever deny entries come before it.
func naclNoSSHRDP(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	for _, e := range items(prop(r, "ingress")) {
		m := e.AsMap()
		action, _ := str(m.Get("action"))
		cidr, _ := str(m.Get("cidrBlock"))
		cidr6, _ := str(m.Get("ipv6CidrBlock"))
		if action != "allow" || cidr != "0.0.0.0/0" && cidr6 != "::/0" {
			continue
		}
		protocol, _ := str(m.Get("protocol"))
		if protocol != "-1" && protocol != "all" && protocol != "tcp" && protocol != "udp" && protocol != "6" && protocol != "17" {
			continue
		}
		from, _, _ := num(m.Get("fromPort"))
		to, _, _ := num(m.Get("toPort"))
		for _, port := range []float64{22, 3389} {
			if protocol == "-1" || protocol == "all" || from <= port && port <= to {
				rule, _, _ := num(m.Get("ruleNo"))
				out = append(out, fmt.Sprintf("ingress rule %g allows %s port %g from anywhere: leave 22 and 3389 "+
					"out of the ranges open to 0.0.0.0/0 and ::/0", rule, protocol, port))
			}
		}
	}
	return out
}

func secretsRotate(_ Env, rs []policyx.AnalyzerResource) []Finding {
	rotations := ofType(rs, typeSecretRotation)
	var out []Finding
	for _, s := range ofType(rs, typeSecret) {
		var rotation *policyx.AnalyzerResource
		for i := range rotations {
			if dependsOn(rotations[i], "secretId", s.URN) {
				rotation = &rotations[i]
			}
		}
		if rotation == nil {
			out = append(out, Finding{URN: s.URN, Message: "no aws:secretsmanager/secretRotation rotates this " +
				"secret: add one with a rotation function (for RDS credentials, AWS's published rotation function " +
				"for the engine)"})
			continue
		}
		if days, present, known := num(prop(*rotation, "rotationRules.automaticallyAfterDays")); known && present && days > MaxRotationDays {
			out = append(out, Finding{URN: s.URN, Message: fmt.Sprintf("the secret rotates every %g days: rotate "+
				"at least every %d", days, MaxRotationDays)})
		}
	}
	return out
}

func openSearchLogs(_ Env, r policyx.AnalyzerResource) []string {
	if prop(r, "logPublishingOptions").IsComputed() {
		return nil
	}
	enabled := map[string]bool{}
	for _, o := range items(prop(r, "logPublishingOptions")) {
		m := o.AsMap()
		t, _ := str(m.Get("logType"))
		if v := m.Get("enabled"); v.IsNull() || isTrue(v) {
			enabled[t] = true
		}
	}
	var out []string
	for _, t := range []string{"ES_APPLICATION_LOGS", "AUDIT_LOGS"} {
		if !enabled[t] {
			out = append(out, fmt.Sprintf("logPublishingOptions has no enabled %s: publish them to a CloudWatch log "+
				"group (audit logs need fine-grained access control)", t))
		}
	}
	return out
}

func openSearchThreeNodes(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	if n, present, known := num(prop(r, "clusterConfig.instanceCount")); known && (!present || n < 3) {
		out = append(out, fmt.Sprintf("clusterConfig.instanceCount is %g: run at least 3 data nodes in production", n))
	}
	if knownFalse(prop(r, "clusterConfig.zoneAwarenessEnabled")) || prop(r, "clusterConfig.zoneAwarenessEnabled").IsNull() {
		out = append(out, "clusterConfig.zoneAwarenessEnabled is not true: spread the data nodes over AZs")
	}
	return out
}
