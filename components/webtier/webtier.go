// Package webtier puts an application behind an internet-facing Application Load Balancer on an
// auto-scaling group of EC2 instances in private subnets, in any region, sized for traffic peaks.
//
// It builds on the network component's subnets. Instances accept traffic only from the load balancer and
// have no SSH: operators reach them through SSM Session Manager.
package webtier

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/tagging"
)

// WebTier is a load-balanced auto-scaling web tier.
type WebTier struct {
	pulumi.ResourceState

	// URL is where the tier answers: https://<DNSName> with a certificate, http://<DNSName> without.
	// Point a DNS name covered by the certificate at DNSName for browsers to trust it.
	URL pulumi.StringOutput
	// DNSName is the load balancer's DNS name.
	DNSName pulumi.StringOutput
	// ZoneID is the load balancer's canonical hosted zone id, for a Route 53 alias record.
	ZoneID pulumi.StringOutput
	// ALBARN is the load balancer's ARN.
	ALBARN pulumi.StringOutput
	// ALBARNSuffix is app/<name>/<id>: the LoadBalancer dimension of CloudWatch metrics.
	ALBARNSuffix pulumi.StringOutput
	// TargetGroupARN is the target group's ARN.
	TargetGroupARN pulumi.StringOutput
	// TargetGroupARNSuffix is targetgroup/<name>/<id>: the TargetGroup dimension of CloudWatch metrics.
	TargetGroupARNSuffix pulumi.StringOutput
	// ASGName is the auto-scaling group's name.
	ASGName pulumi.StringOutput
	// ALBSecurityGroupID is the load balancer's security group.
	ALBSecurityGroupID pulumi.StringOutput
	// InstanceSecurityGroupID is the instances' security group.
	InstanceSecurityGroupID pulumi.StringOutput
	// InstanceRoleName is the instances' IAM role, for other components to attach policies to.
	InstanceRoleName pulumi.StringOutput
	// AccessLogsBucket is the access-log bucket's name, or "" without access logs.
	AccessLogsBucket pulumi.StringOutput
	// MaxSize is the group's maximum size, known when the program runs (alarms compare against it).
	MaxSize int
	// GreenASGName and GreenTargetGroupARNSuffix are the green group's, with the BlueGreen strategy; ""
	// otherwise. ASGName and TargetGroupARNSuffix are then the blue group's.
	GreenASGName, GreenTargetGroupARNSuffix pulumi.StringOutput
	// ReadinessPath is the path that answers only while the application can reach its database: what Route 53
	// failover checks.
	ReadinessPath string
}

// New creates a web tier. Args are validated before anything is registered; every problem is reported in
// one error.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebTier, error) {
	a, err := validate(name, args)
	if err != nil {
		return nil, err
	}
	if err := hibernation(ctx, a, opts...); err != nil {
		return nil, fmt.Errorf("webtier %q: %w", name, err)
	}
	t := &WebTier{MaxSize: a.MaxSize, ReadinessPath: a.ReadinessPath}
	if err := ctx.RegisterComponentResource("kit:webtier:WebTier", name, t, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, args: a, tier: t, parent: pulumi.Parent(t), colors: colors(a)}
	type step struct {
		what string
		run  func() error
	}
	steps := []step{
		{"security groups", b.securityGroups},
		{"instance role", b.instanceRole},
		{"access logs", b.accessLogs},
		{"load balancer", b.loadBalancer},
	}
	for _, c := range b.colors {
		group := func(f func(*color) error) func() error { return func() error { return f(c) } }
		steps = append(steps,
			step{"launch template", group(b.launchTemplate)},
			step{"rollback alarms", group(b.rollbackAlarms)},
			step{"auto-scaling group", group(b.autoScalingGroup)},
			step{"scaling", group(b.scaling)},
		)
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("webtier %q: %s: %w", name, s.what, err)
		}
	}
	t.GreenASGName = pulumi.String("").ToStringOutput()
	t.GreenTargetGroupARNSuffix = pulumi.String("").ToStringOutput()
	if len(b.colors) > 1 {
		t.GreenASGName, t.GreenTargetGroupARNSuffix = b.colors[1].asgName, b.colors[1].targetGroupARNSuffix
	}
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{
		"url": t.URL, "dnsName": t.DNSName, "zoneId": t.ZoneID, "albArn": t.ALBARN, "albArnSuffix": t.ALBARNSuffix,
		"targetGroupArn": t.TargetGroupARN, "targetGroupArnSuffix": t.TargetGroupARNSuffix, "asgName": t.ASGName,
		"albSecurityGroupId": t.ALBSecurityGroupID, "instanceSecurityGroupId": t.InstanceSecurityGroupID,
		"instanceRoleName": t.InstanceRoleName, "accessLogsBucket": t.AccessLogsBucket, "maxSize": pulumi.Int(t.MaxSize),
		"greenAsgName": t.GreenASGName, "greenTargetGroupArnSuffix": t.GreenTargetGroupARNSuffix,
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// builder carries what the steps share: the validated args and the resources made so far.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *Args
	tier   *WebTier
	parent pulumi.ResourceOrInvokeOption

	albSG, instanceSG  pulumi.StringOutput
	instanceProfileARN pulumi.StringOutput
	logsBucket         pulumi.StringOutput
	logsReady          []pulumi.Resource // what must exist before the load balancer writes logs
	listeners          []pulumi.Resource
	// colors are the groups: blue alone, or blue and green.
	colors    []*color
	latestAMI string // the region's latest Amazon Linux 2023, looked up once
}

// child names a child resource after the component.
func (b *builder) child(suffix string) string { return b.name + "-" + suffix }

// tags merges the Args tags with a Name tag.
func (b *builder) tags(name string) pulumi.StringMap { return tagging.Merge(b.args.Tags, name) }

// sortedTags lists the Args tags and Name in a stable order, for resources that take a tag list.
func (b *builder) sortedTags(name string) [][2]string {
	m := map[string]string{}
	for k, v := range b.args.Tags {
		m[k] = v
	}
	m["Name"] = name
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][2]string, len(keys))
	for i, k := range keys {
		out[i] = [2]string{k, m[k]}
	}
	return out
}
