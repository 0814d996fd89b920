package webtier

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// subnetIDs returns the subnets' ids ordered by AZ, so that the order of the caller's slice never shows
// up as a diff.
func subnetIDs(subnets []network.Subnet) pulumi.StringArray {
	sorted := append([]network.Subnet(nil), subnets...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].AZ < sorted[j].AZ })
	out := make(pulumi.StringArray, len(sorted))
	for i, s := range sorted {
		out[i] = s.ID
	}
	return out
}

// loadBalancer creates the ALB, a target group per color and the listeners.
func (b *builder) loadBalancer() error {
	a := b.args
	lbArgs := &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("application"),
		Internal:         pulumi.Bool(false),
		Subnets:          subnetIDs(a.PublicSubnets),
		SecurityGroups:   pulumi.StringArray{b.albSG},
		// Malformed headers are a request-smuggling vector; the app never needs them.
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(a.DeletionProtection),
		Tags:                     b.tags(b.child("alb")),
	}
	if a.ReservedCapacityUnits > 0 {
		lbArgs.MinimumLoadBalancerCapacity = &lb.LoadBalancerMinimumLoadBalancerCapacityArgs{
			CapacityUnits: pulumi.Int(a.ReservedCapacityUnits),
		}
	}
	if a.AccessLogs {
		lbArgs.AccessLogs = &lb.LoadBalancerAccessLogsArgs{Bucket: b.logsBucket, Enabled: pulumi.Bool(true)}
	}
	// AWS tests that it may write to the bucket when access logs are turned on, so the bucket's policy
	// comes first.
	alb, err := lb.NewLoadBalancer(b.ctx, b.child("alb"), lbArgs, b.parent, pulumi.DependsOn(b.logsReady))
	if err != nil {
		return err
	}
	for _, c := range b.colors {
		if err := b.targetGroup(c); err != nil {
			return err
		}
	}
	forward := b.forward()

	scheme := "http://"
	if a.CertificateARN == "" {
		http, err := lb.NewListener(b.ctx, b.child("http"), &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions:  forward,
			Tags:            b.tags(b.child("http")),
		}, b.parent)
		if err != nil {
			return err
		}
		b.listeners = []pulumi.Resource{http}
	} else {
		scheme = "https://"
		https, err := lb.NewListener(b.ctx, b.child("https"), &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			CertificateArn:  pulumi.String(a.CertificateARN),
			SslPolicy:       pulumi.String(a.SSLPolicy),
			DefaultActions:  forward,
			Tags:            b.tags(b.child("https")),
		}, b.parent)
		if err != nil {
			return err
		}
		redirect, err := lb.NewListener(b.ctx, b.child("http"), &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			}},
			Tags: b.tags(b.child("http")),
		}, b.parent)
		if err != nil {
			return err
		}
		b.listeners = []pulumi.Resource{https, redirect}
	}

	t := b.tier
	t.DNSName, t.ZoneID, t.ALBARN, t.ALBARNSuffix = alb.DnsName, alb.ZoneId, alb.Arn, alb.ArnSuffix
	blue := b.colors[0]
	t.TargetGroupARN, t.TargetGroupARNSuffix = blue.targetGroupARN, blue.targetGroupARNSuffix
	t.URL = pulumi.Sprintf("%s%s", scheme, alb.DnsName)
	return nil
}

// targetGroup creates a color's target group.
func (b *builder) targetGroup(c *color) error {
	a := b.args
	h := a.HealthCheck
	tgArgs := &lb.TargetGroupArgs{
		VpcId:               a.VPCID,
		Port:                pulumi.Int(a.AppPort),
		Protocol:            pulumi.String("HTTP"),
		TargetType:          pulumi.String("instance"),
		DeregistrationDelay: pulumi.Int(a.DeregistrationDelay),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(h.Path),
			Matcher:            pulumi.String(h.Matcher),
			Interval:           pulumi.Int(h.Interval),
			Timeout:            pulumi.Int(h.Timeout),
			HealthyThreshold:   pulumi.Int(h.HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(h.UnhealthyThreshold),
		},
		Tags: b.tags(c.child(b, "tg")),
	}
	if a.SlowStart > 0 {
		tgArgs.SlowStart = pulumi.Int(a.SlowStart)
	}
	tg, err := lb.NewTargetGroup(b.ctx, c.child(b, "tg"), tgArgs, b.parent)
	if err != nil {
		return err
	}
	c.targetGroupARN, c.targetGroupARNSuffix = tg.Arn, tg.ArnSuffix
	return nil
}

// forward is the listener's action: to the one target group, or split between blue and green by weight.
// Moving the split is an update of the listener alone: nothing is launched or replaced, and moving it back
// reverts a canary at once.
func (b *builder) forward() lb.ListenerDefaultActionArray {
	if len(b.colors) == 1 {
		return lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: b.colors[0].targetGroupARN,
		}}
	}
	var groups lb.ListenerDefaultActionForwardTargetGroupArray
	for _, c := range b.colors {
		groups = append(groups, &lb.ListenerDefaultActionForwardTargetGroupArgs{
			Arn: c.targetGroupARN, Weight: pulumi.Int(c.weight),
		})
	}
	return lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
		Type:    pulumi.String("forward"),
		Forward: &lb.ListenerDefaultActionForwardArgs{TargetGroups: groups},
	}}
}
