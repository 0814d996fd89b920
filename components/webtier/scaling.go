package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// groupMetrics are collected at one-minute granularity (free for group metrics): dashboards and the
// "group at maximum" alarm read GroupInServiceInstances against GroupMaxSize.
var groupMetrics = []string{
	"GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
	"GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
}

var warmPoolMetrics = []string{"WarmPoolDesiredCapacity", "WarmPoolWarmedCapacity", "WarmPoolTotalCapacity"}

// autoScalingGroup runs a color's instances in the private subnets of every AZ, behind its target group.
func (b *builder) autoScalingGroup(c *color) error {
	a := b.args
	metrics := append([]string(nil), groupMetrics...)
	if a.WarmPool != nil {
		metrics = append(metrics, warmPoolMetrics...)
	}
	var tags autoscaling.GroupTagArray
	for _, kv := range b.sortedTags(c.child(b, "instance")) {
		tags = append(tags, &autoscaling.GroupTagArgs{
			Key: pulumi.String(kv[0]), Value: pulumi.String(kv[1]), PropagateAtLaunch: pulumi.Bool(true),
		})
	}
	args := &autoscaling.GroupArgs{
		VpcZoneIdentifiers:     subnetIDs(a.PrivateSubnets),
		MinSize:                pulumi.Int(*a.MinSize),
		MaxSize:                pulumi.Int(a.MaxSize),
		DesiredCapacity:        pulumi.Int(*a.DesiredCapacity),
		TargetGroupArns:        pulumi.StringArray{c.targetGroupARN},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(a.HealthCheckGracePeriod),
		DefaultInstanceWarmup:  pulumi.Int(a.InstanceWarmup),
		// Replaces Spot instances AWS is about to reclaim before they go; harmless On-Demand only.
		CapacityRebalance:     pulumi.Bool(true),
		EnabledMetrics:        pulumi.ToStringArray(metrics),
		MetricsGranularity:    pulumi.String(metricsGranularity),
		InitialLifecycleHooks: b.launchingHook(c),
		InstanceRefresh:       b.instanceRefresh(c),
		Tags:                  tags,
	}
	// `pulumi up` of a new group returns only once this many instances are healthy behind the load
	// balancer (the provider's minElbCapacity: "wait for this number of instances ... to show up healthy in
	// the ELB only on creation"); a release on an existing group is waited for with cmd/release-status.
	if *a.MinSize > 0 {
		args.MinElbCapacity = pulumi.Int(*a.MinSize)
	}
	if s := a.Spot; s != nil {
		var overrides autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArray
		for _, t := range s.InstanceTypes {
			overrides = append(overrides, &autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs{
				InstanceType: pulumi.String(t),
			})
		}
		args.MixedInstancesPolicy = &autoscaling.GroupMixedInstancesPolicyArgs{
			InstancesDistribution: &autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs{
				OnDemandBaseCapacity:                pulumi.Int(s.OnDemandBase),
				OnDemandPercentageAboveBaseCapacity: pulumi.Int(100 - s.Percentage),
				SpotAllocationStrategy:              pulumi.String(s.AllocationStrategy),
			},
			LaunchTemplate: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs{
				LaunchTemplateSpecification: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs{
					LaunchTemplateId: c.launchTemplateID,
					Version:          c.launchTemplateVer,
				},
				Overrides: overrides,
			},
		}
	} else {
		args.LaunchTemplate = &autoscaling.GroupLaunchTemplateArgs{Id: c.launchTemplateID, Version: c.launchTemplateVer}
	}
	if w := a.WarmPool; w != nil {
		maxPrepared := w.MaxPreparedCapacity
		if maxPrepared == 0 {
			maxPrepared = -1 // the group's MaxSize
		}
		args.WarmPool = &autoscaling.GroupWarmPoolArgs{
			MinSize:                  pulumi.Int(w.MinSize),
			MaxGroupPreparedCapacity: pulumi.Int(maxPrepared),
			PoolState:                pulumi.String(w.State),
		}
	}
	// Scaling owns the desired capacity once the group exists: a deployment during a peak must not put it
	// back to the configured value and drop the instances the peak needs.
	group, err := autoscaling.NewGroup(b.ctx, c.child(b, "asg"), args, b.parent,
		pulumi.IgnoreChanges([]string{"desiredCapacity"}))
	if err != nil {
		return err
	}
	c.asgName = group.Name
	if c.name == "" {
		b.tier.ASGName = group.Name
	}
	return b.warmPoolHook(c, group)
}

// scaling adds target tracking on CPU and on requests per target, and the scheduled actions, to a color's
// group.
func (b *builder) scaling(c *color) error {
	a := b.args
	if _, err := autoscaling.NewPolicy(b.ctx, c.child(b, "cpu"), &autoscaling.PolicyArgs{
		AutoscalingGroupName: c.asgName,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(a.CPUTargetPercent),
		},
	}, b.parent); err != nil {
		return err
	}
	// AWS wants app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>, and refuses the policy until a
	// listener joins the two: hence the dependency on the listeners.
	label := pulumi.Sprintf("%s/%s", b.tier.ALBARNSuffix, c.targetGroupARNSuffix)
	if _, err := autoscaling.NewPolicy(b.ctx, c.child(b, "requests"), &autoscaling.PolicyArgs{
		AutoscalingGroupName: c.asgName,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ALBRequestCountPerTarget"),
				ResourceLabel:        label,
			},
			TargetValue: pulumi.Float64(a.RequestsPerTarget),
		},
	}, b.parent, pulumi.DependsOn(b.listeners)); err != nil {
		return err
	}
	for _, s := range a.ScheduledActions {
		if _, err := autoscaling.NewSchedule(b.ctx, c.child(b, "schedule-"+s.Name), &autoscaling.ScheduleArgs{
			AutoscalingGroupName: c.asgName,
			ScheduledActionName:  pulumi.String(s.Name),
			Recurrence:           pulumi.String(s.Recurrence),
			TimeZone:             pulumi.String(s.TimeZone),
			MinSize:              scheduleSize(s.MinSize),
			MaxSize:              scheduleSize(s.MaxSize),
			DesiredCapacity:      scheduleSize(s.DesiredCapacity),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}

// scheduleSize maps "leave unchanged" to -1: the provider's default for a missing size is 0, which would
// shrink the group to nothing at the scheduled time.
func scheduleSize(v *int) pulumi.IntInput {
	if v == nil {
		return pulumi.Int(-1)
	}
	return pulumi.Int(*v)
}
