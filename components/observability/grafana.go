package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/grafana"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// grafanaCloudWatchActions are what Grafana's CloudWatch data source calls to list, query and label metrics
// and alarms: the AWS managed policy AmazonGrafanaCloudWatchAccess (AWS Managed Policy Reference, v1) without
// its logs statement, as logs go to OpenSearch. ec2:Describe* and tag:GetResources resolve dimension values
// and tags, oam:* lists cross-account observability links. None takes resource-level permissions, hence "*".
var grafanaCloudWatchActions = []string{
	"cloudwatch:DescribeAlarmHistory",
	"cloudwatch:DescribeAlarms",
	"cloudwatch:DescribeAlarmsForMetric",
	"cloudwatch:GetInsightRuleReport",
	"cloudwatch:GetMetricData",
	"cloudwatch:GetMetricStatistics",
	"cloudwatch:ListMetrics",
	"ec2:DescribeInstances",
	"ec2:DescribeRegions",
	"ec2:DescribeTags",
	"oam:ListAttachedLinks",
	"oam:ListSinks",
	"tag:GetResources",
}

// grafanaPrometheusActions are the queries Grafana's Prometheus data source makes.
var grafanaPrometheusActions = []string{
	"aps:GetLabels",
	"aps:GetMetricMetadata",
	"aps:GetSeries",
	"aps:QueryMetrics",
}

// grafanaTrustPolicy lets only Grafana workspaces of this account in this region assume the role, so another
// account's workspace cannot be pointed at it (the confused deputy).
func grafanaTrustPolicy(accountID, region string) (string, error) {
	return policyJSON(map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "grafana.amazonaws.com"},
		"Action":    "sts:AssumeRole",
		"Condition": map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": accountID},
			"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:grafana:%s:%s:/workspaces/*", region, accountID)},
		},
	})
}

// grafanaReadPolicy grants CloudWatch reads and, when there is one, queries on the Prometheus workspace only.
func grafanaReadPolicy(prometheusARN string) (string, error) {
	statements := []map[string]any{{
		"Sid": "ReadCloudWatch", "Effect": "Allow", "Action": grafanaCloudWatchActions, "Resource": "*",
	}}
	if prometheusARN != "" {
		statements = append(statements, map[string]any{
			"Sid": "QueryThePrometheusWorkspace", "Effect": "Allow", "Action": grafanaPrometheusActions,
			"Resource": []string{prometheusARN},
		})
	}
	return policyJSON(statements...)
}

// grafana makes the workspace and the role it reads with. prometheusARN is nil without Prometheus.
func (b *builder) grafana(prometheusARN *pulumi.StringOutput) (endpoint, roleARN pulumi.StringOutput, err error) {
	region := b.args.Region
	trust := b.accountID.ApplyT(func(acct string) (string, error) { return grafanaTrustPolicy(acct, region) }).(pulumi.StringOutput)
	role, err := iam.NewRole(b.ctx, b.name+"-grafana", &iam.RoleArgs{
		Description:      pulumi.String("Lets the " + b.name + " Grafana workspace read CloudWatch and Prometheus"),
		AssumeRolePolicy: trust,
		Tags:             b.tags(b.name + "-grafana"),
	}, b.parent)
	if err != nil {
		return endpoint, roleARN, err
	}
	sources := pulumi.StringArray{pulumi.String("CLOUDWATCH")}
	promARN := pulumi.String("").ToStringOutput()
	if prometheusARN != nil {
		sources = append(sources, pulumi.String("PROMETHEUS"))
		promARN = *prometheusARN
	}
	if _, err := iam.NewRolePolicy(b.ctx, b.name+"-grafana-read", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: promARN.ApplyT(grafanaReadPolicy).(pulumi.StringOutput),
	}, b.parent); err != nil {
		return endpoint, roleARN, err
	}
	ws, err := grafana.NewWorkspace(b.ctx, b.name+"-grafana", &grafana.WorkspaceArgs{
		Name:                    pulumi.String(b.name),
		AccountAccessType:       pulumi.String("CURRENT_ACCOUNT"),
		AuthenticationProviders: pulumi.ToStringArray(b.args.GrafanaAuthenticationProviders),
		// Customer managed: the role above, not one Grafana would create with broader managed policies.
		PermissionType: pulumi.String("CUSTOMER_MANAGED"),
		RoleArn:        role.Arn,
		DataSources:    sources,
		Tags:           b.tags(b.name + "-grafana"),
	}, b.parent)
	if err != nil {
		return endpoint, roleARN, err
	}
	return ws.Endpoint, role.Arn, nil
}
