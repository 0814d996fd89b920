package tests

import (
	"regexp"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// webtierSimGroupArgs are valid group args on the base setup, attached to its target group.
func webtierSimGroupArgs(b *webtierSimBase) *autoscaling.GroupArgs {
	var private pulumi.StringArray
	for _, s := range b.net.Private {
		private = append(private, s.ID)
	}
	return &autoscaling.GroupArgs{
		MinSize: pulumi.Int(1), MaxSize: pulumi.Int(4), DesiredCapacity: pulumi.Int(2),
		VpcZoneIdentifiers: private,
		TargetGroupArns:    pulumi.StringArray{b.tg.Arn},
		LaunchTemplate:     &autoscaling.GroupLaunchTemplateArgs{Id: b.lt.ID(), Version: pulumi.String("$Latest")},
	}
}

func webtierSimGroup(ctx *pulumi.Context, b *webtierSimBase, edit func(*autoscaling.GroupArgs)) (*autoscaling.Group, error) {
	args := webtierSimGroupArgs(b)
	if edit != nil {
		edit(args)
	}
	return autoscaling.NewGroup(ctx, "asg", args)
}

// webtierSimRequestPolicy registers a request-count policy on a valid group with label, after the listener.
func webtierSimRequestPolicy(ctx *pulumi.Context, b *webtierSimBase, label pulumi.StringInput, value float64, edit func(*autoscaling.GroupArgs)) error {
	g, err := webtierSimGroup(ctx, b, edit)
	if err != nil {
		return err
	}
	_, err = autoscaling.NewPolicy(ctx, "requests", &autoscaling.PolicyArgs{
		AutoscalingGroupName: g.Name, PolicyType: pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ALBRequestCountPerTarget"), ResourceLabel: label,
			},
			TargetValue: pulumi.Float64(value),
		},
	}, pulumi.DependsOn([]pulumi.Resource{b.listener}))
	return err
}

func webtierSimLabel(b *webtierSimBase) pulumi.StringOutput {
	return pulumi.Sprintf("%s/%s", b.alb.ArnSuffix, b.tg.ArnSuffix)
}

func webtierSimSchedule(ctx *pulumi.Context, b *webtierSimBase, args *autoscaling.ScheduleArgs) error {
	g, err := webtierSimGroup(ctx, b, nil)
	if err != nil {
		return err
	}
	args.AutoscalingGroupName = g.Name
	if args.ScheduledActionName == nil {
		args.ScheduledActionName = pulumi.String("peak")
	}
	_, err = autoscaling.NewSchedule(ctx, "schedule", args)
	return err
}

func TestAWSSimAcceptsARequestCountPolicyOnAnAttachedTargetGroup(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		return webtierSimRequestPolicy(ctx, b, webtierSimLabel(b), 1000, nil)
	})
	p := g.Named("aws:autoscaling/policy:Policy", "requests")
	require.NotNil(t, p)
	asg := g.Named("aws:autoscaling/group:Group", "asg")
	assert.Regexp(t, `^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName/`+
		regexp.QuoteMeta(asg.ID)+`:policyName/requests-[0-9a-f]{7}$`, p.OutputString("arn"))
	assert.Regexp(t, `^arn:aws:autoscaling:us-east-1:\d{12}:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName/asg-[0-9a-f]{7}$`,
		asg.OutputString("arn"))
}

func TestAWSSimRefusesWhatTheAutoScalingAPIRefuses(t *testing.T) {
	webtierSimRun(t, []webtierSimCase{
		{"launch template with a bad httpTokens", func(ctx *pulumi.Context, _ *webtierSimBase) error {
			_, err := ec2.NewLaunchTemplate(ctx, "bad", &ec2.LaunchTemplateArgs{
				MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{HttpTokens: pulumi.String("always")}})
			return err
		}, []string{"InvalidParameterValue", "Value (always) for parameter httpTokens is invalid"}},
		{"launch template with an unknown volume type", func(ctx *pulumi.Context, _ *webtierSimBase) error {
			_, err := ec2.NewLaunchTemplate(ctx, "bad", &ec2.LaunchTemplateArgs{BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
				&ec2.LaunchTemplateBlockDeviceMappingArgs{DeviceName: pulumi.String("/dev/xvda"),
					Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{VolumeType: pulumi.String("gp4")}}}})
			return err
		}, []string{"InvalidParameterValue", "The volume type 'gp4' is not valid"}},
		{"launch template with security groups twice", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := ec2.NewLaunchTemplate(ctx, "bad", &ec2.LaunchTemplateArgs{
				VpcSecurityGroupIds: pulumi.StringArray{b.sg.ID()},
				NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
					DeviceIndex: pulumi.Int(0), SecurityGroups: pulumi.StringArray{b.sg.ID()}}}})
			return err
		}, []string{"InvalidParameterCombination"}},
		{"group min above max", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.MinSize, a.MaxSize, a.DesiredCapacity = pulumi.Int(5), pulumi.Int(2), nil
			})
			return err
		}, []string{"ValidationError", "Max bound, 2, must be greater than or equal to min bound, 5"}},
		{"group desired outside min and max", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) { a.DesiredCapacity = pulumi.Int(9) })
			return err
		}, []string{"ValidationError", "Desired capacity:9 must be between the specified min size:1 and max size:4"}},
		{"group without subnets", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) { a.VpcZoneIdentifiers = pulumi.StringArray{} })
			return err
		}, []string{"ValidationError", "At least one Availability Zone or VPC Subnet is required."}},
		{"group across two VPCs", func(ctx *pulumi.Context, b *webtierSimBase) error {
			other, err := ec2.NewVpc(ctx, "other", &ec2.VpcArgs{CidrBlock: pulumi.String("10.1.0.0/16")})
			if err != nil {
				return err
			}
			sn, err := ec2.NewSubnet(ctx, "other-a", &ec2.SubnetArgs{VpcId: other.ID(), CidrBlock: pulumi.String("10.1.0.0/24")})
			if err != nil {
				return err
			}
			_, err = webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.VpcZoneIdentifiers = pulumi.StringArray{b.net.Private[0].ID, sn.ID()}
			})
			return err
		}, []string{"ValidationError", "must be in one VPC"}},
		{"instance refresh keeping more than 100% healthy", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.InstanceRefresh = &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"),
					Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{MinHealthyPercentage: pulumi.Int(150)}}
			})
			return err
		}, []string{"ValidationError", "MinHealthyPercentage 150 must be between 0 and 100"}},
		{"warm pool prepared capacity below its minimum", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.WarmPool = &autoscaling.GroupWarmPoolArgs{MinSize: pulumi.Int(3), MaxGroupPreparedCapacity: pulumi.Int(2)}
			})
			return err
		}, []string{"ValidationError", "MaxGroupPreparedCapacity 2 must be greater than or equal to the warm pool's MinSize 3"}},
		{"warm pool in an unknown state", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.WarmPool = &autoscaling.GroupWarmPoolArgs{PoolState: pulumi.String("Frozen")}
			})
			return err
		}, []string{"ValidationError", "PoolState 'Frozen'"}},
		{"warm pool with a mixed instances policy", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.LaunchTemplate = nil
				a.MixedInstancesPolicy = &autoscaling.GroupMixedInstancesPolicyArgs{
					LaunchTemplate: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs{
						LaunchTemplateSpecification: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs{LaunchTemplateId: b.lt.ID()}}}
				a.WarmPool = &autoscaling.GroupWarmPoolArgs{MinSize: pulumi.Int(1)}
			})
			return err
		}, []string{"ValidationError", "You can't add a warm pool to an Auto Scaling group that has a mixed instances policy"}},
		{"spot share above 100%", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
				a.LaunchTemplate = nil
				a.MixedInstancesPolicy = &autoscaling.GroupMixedInstancesPolicyArgs{
					InstancesDistribution: &autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs{OnDemandPercentageAboveBaseCapacity: pulumi.Int(120)},
					LaunchTemplate: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs{
						LaunchTemplateSpecification: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs{LaunchTemplateId: b.lt.ID()}}}
			})
			return err
		}, []string{"ValidationError", "OnDemandPercentageAboveBaseCapacity 120 must be between 0 and 100"}},
		{"unknown group metric", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) { a.EnabledMetrics = pulumi.StringArray{pulumi.String("GroupInService")} })
			return err
		}, []string{"ValidationError", "Metric 'GroupInService'"}},
		{"target tracking with a target of zero", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimRequestPolicy(ctx, b, webtierSimLabel(b), 0, nil)
		}, []string{"ValidationError", "TargetValue 0 must be greater than 0"}},
		{"request count label in the wrong order", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimRequestPolicy(ctx, b, pulumi.Sprintf("%s/%s", b.tg.ArnSuffix, b.alb.ArnSuffix), 1000, nil)
		}, []string{"ValidationError", "must have the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/"}},
		{"request count label from full ARNs", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimRequestPolicy(ctx, b, pulumi.Sprintf("%s/%s", b.alb.Arn, b.tg.Arn), 1000, nil)
		}, []string{"ValidationError", "must have the form"}},
		{"request count label naming a load balancer that does not exist", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimRequestPolicy(ctx, b, pulumi.Sprintf("app/gone/0123456789abcdef/%s", b.tg.ArnSuffix), 1000, nil)
		}, []string{"ValidationError", "load balancer app/gone/0123456789abcdef not found"}},
		{"request count label on a target group the group does not use", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimRequestPolicy(ctx, b, webtierSimLabel(b), 1000, func(a *autoscaling.GroupArgs) { a.TargetGroupArns = nil })
		}, []string{"ValidationError", "is not attached to Auto Scaling group"}},
		{"request count label on a target group no listener forwards to", func(ctx *pulumi.Context, b *webtierSimBase) error {
			tg, err := lb.NewTargetGroup(ctx, "lonely", &lb.TargetGroupArgs{VpcId: b.net.VPC.ID(), Port: pulumi.Int(8080), Protocol: pulumi.String("HTTP")})
			if err != nil {
				return err
			}
			return webtierSimRequestPolicy(ctx, b, pulumi.Sprintf("%s/%s", b.alb.ArnSuffix, tg.ArnSuffix), 1000,
				func(a *autoscaling.GroupArgs) { a.TargetGroupArns = pulumi.StringArray{tg.Arn} })
		}, []string{"ValidationError", "is not associated with load balancer"}},
		{"schedule with four cron fields", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 8 * *"), MinSize: pulumi.Int(2), MaxSize: pulumi.Int(4), DesiredCapacity: pulumi.Int(-1)})
		}, []string{"ValidationError", "Given recurrence schedule '0 8 * *' is invalid"}},
		{"schedule with an hour of 24", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 24 * * *"), MinSize: pulumi.Int(2), MaxSize: pulumi.Int(4), DesiredCapacity: pulumi.Int(-1)})
		}, []string{"ValidationError", "hour field"}},
		{"schedule in an unknown time zone", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 8 * * *"), TimeZone: pulumi.String("Europe/Atlantis"),
				MinSize: pulumi.Int(2), MaxSize: pulumi.Int(4), DesiredCapacity: pulumi.Int(-1)})
		}, []string{"ValidationError", "Invalid time zone 'Europe/Atlantis'"}},
		{"schedule min above max", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 8 * * *"), MinSize: pulumi.Int(5), MaxSize: pulumi.Int(3), DesiredCapacity: pulumi.Int(-1)})
		}, []string{"ValidationError", "Max bound, 3, must be greater than or equal to min bound, 5"}},
		{"schedule setting only desired capacity sets min and max to 0", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 8 * * *"), DesiredCapacity: pulumi.Int(4)})
		}, []string{"ValidationError", "Desired capacity:4 must be between the specified min size:0 and max size:0"}},
	})
}

func TestAWSSimAcceptsAScheduleThatLeavesSizesUnchanged(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		return webtierSimSchedule(ctx, b, &autoscaling.ScheduleArgs{Recurrence: pulumi.String("0 8 * * MON-FRI"),
			TimeZone: pulumi.String("Europe/Paris"), MinSize: pulumi.Int(-1), MaxSize: pulumi.Int(-1), DesiredCapacity: pulumi.Int(3)})
	})
	s := g.Named("aws:autoscaling/schedule:Schedule", "schedule")
	require.NotNil(t, s)
	assert.Equal(t, "peak", s.ID)
	assert.Regexp(t, `:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName/asg-[0-9a-f]{7}:scheduledActionName/peak$`, s.OutputString("arn"))
}
