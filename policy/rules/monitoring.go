package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Seeing the system run: alarms on what fails loudly, encrypted alarm topics, bounded log retention, and an
// OpenSearch domain that is as private as the database (AWS Config's opensearch-in-vpc-only,
// opensearch-encrypted-at-rest, opensearch-node-to-node-encryption-check, opensearch-https-required,
// opensearch-access-control-enabled, sns-encrypted-kms, cw-loggroup-retention-period-check).

func monitoringRules() []Rule {
	domain := []string{typeOpenSearchDomain}
	return []Rule{
		{
			Name:        "replica-lag-alarm",
			Description: "Every database replica has a CloudWatch alarm on AWS/RDS ReplicaLag for its DBInstanceIdentifier: lag is the data a failover loses.",
			Level:       Mandatory,
			CheckStack:  replicaLagAlarm,
		},
		{
			Name:        "load-balancer-alarms",
			Description: "Every load balancer has at least one CloudWatch alarm on its AWS/ApplicationELB (or AWS/NetworkELB) metrics that notifies someone (alarmActions).",
			Level:       Mandatory,
			CheckStack:  loadBalancerAlarms,
		},
		{
			Name:          "sns-topic-encrypted",
			Controls:      []string{"SNS.1"},
			Description:   "SNS topics encrypt messages at rest with a customer managed KMS key (kmsMasterKeyId), not alias/aws/sns, which CloudWatch alarms cannot publish through.",
			Level:         Mandatory,
			Types:         []string{typeSNSTopic},
			CheckResource: snsTopicEncrypted,
		},
		{
			Name:          "log-group-retention",
			Description:   "CloudWatch log groups expire their events (retentionInDays set and not 0), so logs do not grow and bill forever.",
			Level:         Advisory,
			Types:         []string{typeLogGroup},
			CheckResource: logGroupRetention,
		},
		{
			Name:          "opensearch-in-vpc",
			Controls:      []string{"Opensearch.2"},
			Description:   "OpenSearch domains live inside the VPC (vpcOptions.subnetIds), with no public endpoint.",
			Level:         Mandatory,
			Types:         domain,
			CheckResource: openSearchInVPC,
		},
		{
			Name:          "opensearch-encrypted",
			Controls:      []string{"Opensearch.1", "Opensearch.3"},
			Description:   "OpenSearch domains encrypt data at rest and between nodes (encryptAtRest.enabled, nodeToNodeEncryption.enabled).",
			Level:         Mandatory,
			Types:         domain,
			CheckResource: openSearchEncrypted,
		},
		{
			Name:          "opensearch-https-only",
			Controls:      []string{"Opensearch.8"},
			Description:   "OpenSearch domains refuse plain HTTP (domainEndpointOptions.enforceHttps) and TLS below 1.2.",
			Level:         Mandatory,
			Types:         domain,
			CheckResource: openSearchHTTPSOnly,
		},
		{
			Name:          "opensearch-fine-grained-access",
			Controls:      []string{"Opensearch.7"},
			Description:   "OpenSearch domains turn on fine-grained access control (advancedSecurityOptions.enabled).",
			Level:         Advisory,
			Types:         domain,
			CheckResource: openSearchFineGrained,
		},
	}
}

// metric is one metric an alarm watches: its own, or one of its metric queries'.
type metric struct {
	namespace, name string
	dimensions      property.Value
}

func metricsOf(alarm policyx.AnalyzerResource) []metric {
	ns, _ := str(prop(alarm, "namespace"))
	name, _ := str(prop(alarm, "metricName"))
	out := []metric{{namespace: ns, name: name, dimensions: prop(alarm, "dimensions")}}
	for _, q := range items(prop(alarm, "metricQueries")) {
		if !q.IsMap() {
			continue
		}
		ns, _ := str(get(q.AsMap(), "metric.namespace"))
		name, _ := str(get(q.AsMap(), "metric.metricName"))
		out = append(out, metric{namespace: ns, name: name, dimensions: get(q.AsMap(), "metric.dimensions")})
	}
	return out
}

// watches reports whether an alarm watches a metric of target: in one of the namespaces, named metricName
// when that is not empty, with the dimension key computed from target or equal to value.
func watches(alarm, target policyx.AnalyzerResource, namespaces []string, metricName, key string, matches func(string) bool) bool {
	dependsOnTarget := dependsOn(alarm, "dimensions", target.URN) || dependsOn(alarm, "metricQueries", target.URN)
	for _, m := range metricsOf(alarm) {
		if !slices.Contains(namespaces, m.namespace) || (metricName != "" && m.name != metricName) {
			continue
		}
		if m.dimensions.IsComputed() && dependsOnTarget {
			return true // built from the target in a preview: the value is unknown, the reference is not
		}
		if !m.dimensions.IsMap() {
			continue
		}
		dim := m.dimensions.AsMap().Get(key)
		if dim.IsNull() {
			continue
		}
		if dependsOnTarget {
			return true
		}
		if v, known := str(dim); known && matches(v) {
			return true
		}
	}
	return false
}

func replicaLagAlarm(_ Env, rs []policyx.AnalyzerResource) []Finding {
	alarms := ofType(rs, typeMetricAlarm)
	var out []Finding
	for _, r := range ofType(rs, typeDBInstance) {
		if !replica(r) {
			continue
		}
		id, _ := str(prop(r, "identifier"))
		found := slices.ContainsFunc(alarms, func(a policyx.AnalyzerResource) bool {
			return watches(a, r, []string{"AWS/RDS"}, "ReplicaLag", "DBInstanceIdentifier",
				func(v string) bool { return id != "" && v == id })
		})
		if !found {
			out = append(out, Finding{URN: r.URN, Message: "no CloudWatch alarm watches this replica's ReplicaLag " +
				"(namespace AWS/RDS, dimension DBInstanceIdentifier): add one with the RPO target as its threshold"})
		}
	}
	return out
}

func loadBalancerAlarms(_ Env, rs []policyx.AnalyzerResource) []Finding {
	alarms := ofType(rs, typeMetricAlarm)
	var out []Finding
	for _, lb := range ofType(rs, typeLB, typeALB) {
		name, _ := str(prop(lb, "name"))
		found := slices.ContainsFunc(alarms, func(a policyx.AnalyzerResource) bool {
			// An alarm without actions (such as one only an instance refresh watches) tells nobody.
			if !set(prop(a, "alarmActions")) {
				return false
			}
			// The LoadBalancer dimension is the ARN suffix: app/<name>/<id> or net/<name>/<id>.
			return watches(a, lb, []string{"AWS/ApplicationELB", "AWS/NetworkELB"}, "", "LoadBalancer", func(v string) bool {
				parts := strings.Split(v, "/")
				return name != "" && len(parts) == 3 && parts[1] == name
			})
		})
		if !found {
			out = append(out, Finding{URN: lb.URN, Message: "no CloudWatch alarm with an action watches this load " +
				"balancer (namespace AWS/ApplicationELB, dimension LoadBalancer): add alarms on 5XX rate and latency " +
				"that notify a topic (alarmActions)"})
		}
	}
	return out
}

// snsTopicEncrypted also refuses the AWS managed key: its key policy cannot be changed and does not let
// cloudwatch.amazonaws.com use it, so CloudWatch alarms could not publish to the topic and every
// notification would be lost without an error anywhere.
func snsTopicEncrypted(_ Env, r policyx.AnalyzerResource) []string {
	key := prop(r, "kmsMasterKeyId")
	if !set(key) {
		return []string{"kmsMasterKeyId is absent: encrypt the topic with a customer managed KMS key whose policy " +
			"lets cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*)"}
	}
	if k, known := str(key); known && (k == "alias/aws/sns" || strings.HasSuffix(k, ":alias/aws/sns")) {
		return []string{fmt.Sprintf("kmsMasterKeyId %q is the AWS managed SNS key, whose key policy does not let "+
			"cloudwatch.amazonaws.com use it, so alarms could not publish to the topic: use a customer managed KMS key "+
			"whose policy allows CloudWatch (kms:Decrypt, kms:GenerateDataKey*)", k)}
	}
	return nil
}

func logGroupRetention(_ Env, r policyx.AnalyzerResource) []string {
	days, present, known := num(prop(r, "retentionInDays"))
	if known && (!present || days == 0) {
		return []string{"retentionInDays is not set, so events never expire: set it (e.g. 30, 90 or 365)"}
	}
	return nil
}

func openSearchInVPC(_ Env, r policyx.AnalyzerResource) []string {
	if !set(prop(r, "vpcOptions.subnetIds")) {
		return []string{"vpcOptions.subnetIds is absent, so the domain gets a public endpoint: place it in the private subnets"}
	}
	return nil
}

func openSearchEncrypted(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	if knownFalse(prop(r, "encryptAtRest.enabled")) {
		out = append(out, "encryptAtRest.enabled is not true: set it to true")
	}
	if knownFalse(prop(r, "nodeToNodeEncryption.enabled")) {
		out = append(out, "nodeToNodeEncryption.enabled is not true: set it to true")
	}
	return out
}

func openSearchHTTPSOnly(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	if knownFalse(prop(r, "domainEndpointOptions.enforceHttps")) {
		out = append(out, "domainEndpointOptions.enforceHttps is not true: set it to true")
	}
	if p, _ := str(prop(r, "domainEndpointOptions.tlsSecurityPolicy")); p != "" && !strings.Contains(p, "TLS-1-2") {
		out = append(out, fmt.Sprintf("domainEndpointOptions.tlsSecurityPolicy %q accepts TLS below 1.2: use "+
			"Policy-Min-TLS-1-2-2019-07 or Policy-Min-TLS-1-2-PFS-2023-10", p))
	}
	return out
}

func openSearchFineGrained(_ Env, r policyx.AnalyzerResource) []string {
	if knownFalse(prop(r, "advancedSecurityOptions.enabled")) {
		return []string{"advancedSecurityOptions.enabled is not true: turn on fine-grained access control"}
	}
	return nil
}
