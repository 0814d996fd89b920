// Package observability makes a migrated service visible: an encrypted alarm topic, CloudWatch alarms on the
// load balancer, the auto-scaling group and the database, and a dashboard with one row per concern. When
// asked it adds Amazon Managed Service for Prometheus, Amazon Managed Grafana and a VPC-only Amazon
// OpenSearch Service domain for logs.
//
// It takes the other components' outputs as plain inputs (ARN suffixes, names, identifiers) rather than
// importing them, so any load balancer, group or database can be watched.
package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/tagging"
)

// Observability is the component. Outputs of parts that were not asked for are empty strings.
type Observability struct {
	pulumi.ResourceState

	// TopicARN is the SNS topic every alarm notifies, on ALARM and on OK.
	TopicARN pulumi.StringOutput
	// AlarmARNs maps each alarm's kind (alb-5xx, target-5xx, target-p99, unhealthy-hosts, asg-at-max,
	// instance-cpu, db-cpu, db-free-storage, db-connections) to its ARN; only the alarms made are present.
	AlarmARNs map[string]pulumi.StringOutput
	// DashboardName is the CloudWatch dashboard's name; DashboardURL opens it in the console.
	DashboardName pulumi.StringOutput
	DashboardURL  pulumi.StringOutput

	// PrometheusWorkspaceARN and PrometheusEndpoint (…/workspaces/<id>/; remote-write to <endpoint>api/v1/remote_write).
	PrometheusWorkspaceARN pulumi.StringOutput
	PrometheusEndpoint     pulumi.StringOutput
	// GrafanaEndpoint is the workspace's host name; GrafanaRoleARN the role it reads data with.
	GrafanaEndpoint pulumi.StringOutput
	GrafanaRoleARN  pulumi.StringOutput
	// OpenSearchEndpoint is the domain's VPC endpoint (HTTPS only); OpenSearchSecurityGroupID guards it.
	OpenSearchEndpoint        pulumi.StringOutput
	OpenSearchDomainARN       pulumi.StringOutput
	OpenSearchSecurityGroupID pulumi.StringOutput
}

// New validates args and registers the component and its resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Observability, error) {
	a, err := validate(name, args, ctx.Project(), ctx.Stack())
	if err != nil {
		return nil, err
	}
	o := &Observability{AlarmARNs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("kit:observability:Observability", name, o, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: a, parent: pulumi.Parent(o)}
	// The account id goes into the key policy, the Grafana trust policy and the domain's access policy; the
	// invoke runs on the component's provider, so it answers for the account the resources land in.
	b.accountID = aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, pulumi.Parent(o)).AccountId()

	empty := pulumi.String("").ToStringOutput()
	o.PrometheusWorkspaceARN, o.PrometheusEndpoint = empty, empty
	o.GrafanaEndpoint, o.GrafanaRoleARN = empty, empty
	o.OpenSearchEndpoint, o.OpenSearchDomainARN, o.OpenSearchSecurityGroupID = empty, empty, empty

	if a.TopicARN != nil {
		o.TopicARN = a.TopicARN.ToStringOutput()
	} else if o.TopicARN, err = b.topic(); err != nil {
		return nil, err
	}
	if o.AlarmARNs, err = b.alarms(o.TopicARN); err != nil {
		return nil, err
	}
	if o.DashboardName, err = b.dashboard(o.AlarmARNs); err != nil {
		return nil, err
	}
	o.DashboardURL = o.DashboardName.ApplyT(func(n string) string {
		return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards:name=%s",
			a.Region, a.Region, n)
	}).(pulumi.StringOutput)

	var ampARN pulumi.StringOutput
	if a.Prometheus {
		if ampARN, o.PrometheusEndpoint, err = b.prometheus(); err != nil {
			return nil, err
		}
		o.PrometheusWorkspaceARN = ampARN
	}
	if a.Grafana {
		var prom *pulumi.StringOutput
		if a.Prometheus {
			prom = &ampARN
		}
		if o.GrafanaEndpoint, o.GrafanaRoleARN, err = b.grafana(prom); err != nil {
			return nil, err
		}
	}
	if a.OpenSearch != nil {
		if o.OpenSearchEndpoint, o.OpenSearchDomainARN, o.OpenSearchSecurityGroupID, err = b.openSearch(); err != nil {
			return nil, err
		}
	}

	alarms := pulumi.Map{}
	for k, v := range o.AlarmARNs {
		alarms[k] = v
	}
	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{
		"topicArn":                  o.TopicARN,
		"alarmArns":                 alarms,
		"dashboardName":             o.DashboardName,
		"dashboardUrl":              o.DashboardURL,
		"prometheusWorkspaceArn":    o.PrometheusWorkspaceARN,
		"prometheusEndpoint":        o.PrometheusEndpoint,
		"grafanaEndpoint":           o.GrafanaEndpoint,
		"grafanaRoleArn":            o.GrafanaRoleARN,
		"openSearchEndpoint":        o.OpenSearchEndpoint,
		"openSearchDomainArn":       o.OpenSearchDomainARN,
		"openSearchSecurityGroupId": o.OpenSearchSecurityGroupID,
	}); err != nil {
		return nil, err
	}
	return o, nil
}

// builder carries what every part needs while registering.
type builder struct {
	ctx       *pulumi.Context
	name      string
	args      *Args
	parent    pulumi.ResourceOption
	accountID pulumi.StringOutput
}

// tags merges the caller's tags with a Name tag.
func (b *builder) tags(name string) pulumi.StringMap { return tagging.Merge(b.args.Tags, name) }
