package tests

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

// The Guide's own example ("Adding checkpoints to an instance refresh", Considerations): ten instances,
// checkpoints [20,50], a 15-minute delay, 80% healthy and a 10-minute warmup give replacements at 0:00 (two),
// 0:25 (two) and 0:35 (one), done at 0:45.
func TestAWSSimPlansTheRefreshOfTheGuidesCheckpointExample(t *testing.T) {
	p := awssim.PlanRefresh(10, awssim.RefreshPreferences{
		MinHealthyPercentage: 80, CheckpointPercentages: []int{20, 50}, CheckpointDelay: 15 * time.Minute,
		InstanceWarmup: 10 * time.Minute,
	})
	assert.Equal(t, 2, p.BatchSize)
	assert.Equal(t, []awssim.RefreshBatch{
		{Start: 0, End: 10 * time.Minute, Size: 2, Replaced: 2},
		{Start: 25 * time.Minute, End: 35 * time.Minute, Size: 2, Replaced: 4},
		{Start: 35 * time.Minute, End: 45 * time.Minute, Size: 1, Replaced: 5},
	}, p.Batches)
	require.Len(t, p.Steps, 2)
	assert.Equal(t, 20, p.Steps[0].Checkpoint)
	assert.Equal(t, 15*time.Minute, p.Steps[0].Pause)
	assert.Equal(t, 50, p.Steps[1].Checkpoint)
	assert.Zero(t, p.Steps[1].Pause, "the last checkpoint ends the refresh: no pause after it")
	assert.Equal(t, 45*time.Minute, p.Duration)
}

// The Guide's second example: two instances and checkpoints [10,40,100]; the first replacement reaches both
// 10 and 40, so the refresh pauses once, at 40.
func TestAWSSimPlansOnePauseForCheckpointsReachedTogether(t *testing.T) {
	p := awssim.PlanRefresh(2, awssim.RefreshPreferences{
		MinHealthyPercentage: 90, MaxHealthyPercentage: 100, CheckpointPercentages: []int{10, 40, 100},
		CheckpointDelay: time.Hour, InstanceWarmup: time.Minute,
	})
	require.Len(t, p.Steps, 2)
	assert.Equal(t, awssim.RefreshStep{Checkpoint: 40, Replaced: 1, Batches: 1, Start: 0, End: time.Minute, Pause: time.Hour}, p.Steps[0])
	assert.Equal(t, 100, p.Steps[1].Checkpoint)
	assert.Equal(t, 2*time.Minute+time.Hour, p.Duration)
}

func TestAWSSimPlansTheBatchFromTheHealthyPercentages(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		instances, minH, maxH     int
		batch, inService, running int
	}{
		{"launch before terminate keeps the whole capacity", 3, 100, 110, 1, 3, 4},
		{"ten percent more of a large group", 40, 100, 110, 4, 40, 44},
		{"the provider's defaults on a small group: one launched first", 3, 90, 100, 1, 3, 4},
		{"the provider's defaults on ten", 10, 90, 100, 1, 9, 10},
		{"nothing kept: everything at once", 6, 0, 100, 6, 0, 6},
		{"maximum left out: terminate and launch together", 10, 80, 0, 2, 8, 10},
		{"a wide band", 10, 50, 150, 10, 5, 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := awssim.PlanRefresh(tc.instances, awssim.RefreshPreferences{MinHealthyPercentage: tc.minH,
				MaxHealthyPercentage: tc.maxH, InstanceWarmup: time.Minute})
			assert.Equal(t, tc.batch, p.BatchSize)
			assert.Equal(t, tc.inService, p.MinInService)
			assert.Equal(t, tc.running, p.MaxRunning)
		})
	}
	empty := awssim.PlanRefresh(0, awssim.RefreshPreferences{MinHealthyPercentage: 100, CheckpointPercentages: []int{50, 100}})
	assert.Empty(t, empty.Steps)
	assert.Zero(t, empty.Duration)
}

// Whatever the group and preferences, a plan replaces every instance exactly once, batches never exceed the
// batch size, checkpoints pause only between steps, and the duration is the warmups plus the pauses.
func TestAWSSimRefreshPlansAddUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	for range 2000 {
		n := 1 + rng.IntN(60)
		minH := rng.IntN(101)
		maxH := 100 + rng.IntN(101)
		if maxH-minH > 100 {
			maxH = minH + 100
		}
		var points []int
		for p := 1 + rng.IntN(60); p < 100; p += 1 + rng.IntN(50) {
			points = append(points, p)
		}
		points = append(points, 100)
		prefs := awssim.RefreshPreferences{MinHealthyPercentage: minH, MaxHealthyPercentage: maxH,
			CheckpointPercentages: points, CheckpointDelay: time.Duration(1+rng.IntN(30)) * time.Minute,
			InstanceWarmup: time.Duration(30+rng.IntN(300)) * time.Second}
		p := awssim.PlanRefresh(n, prefs)
		total, pauses := 0, time.Duration(0)
		for _, b := range p.Batches {
			require.LessOrEqual(t, b.Size, p.BatchSize, "%d instances %+v", n, prefs)
			require.Positive(t, b.Size)
			total += b.Size
			require.Equal(t, total, b.Replaced)
		}
		require.Equal(t, n, total, "every instance is replaced once: %d instances %+v", n, prefs)
		for i, s := range p.Steps {
			if i == len(p.Steps)-1 {
				require.Zero(t, s.Pause)
				require.Equal(t, 100, s.Checkpoint)
			} else {
				require.Equal(t, prefs.CheckpointDelay, s.Pause)
				require.Less(t, s.Replaced, n)
			}
			pauses += s.Pause
		}
		require.Equal(t, time.Duration(len(p.Batches))*prefs.InstanceWarmup+pauses, p.Duration)
		require.GreaterOrEqual(t, p.MaxRunning, p.MinInService+1, "a replacement can always be launched")
	}
}

// refreshGroup registers a group on the base setup with an instance refresh block.
func refreshGroup(ctx *pulumi.Context, b *webtierSimBase, version pulumi.StringInput, prefs *autoscaling.GroupInstanceRefreshPreferencesArgs) error {
	_, err := webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
		a.LaunchTemplate = &autoscaling.GroupLaunchTemplateArgs{Id: b.lt.ID(), Version: version}
		a.InstanceRefresh = &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"), Preferences: prefs}
	})
	return err
}

func TestAWSSimRefusesTheRefreshSettingsStartInstanceRefreshRefuses(t *testing.T) {
	one := pulumi.String("1")
	alarmNames := func(n int) pulumi.StringArray {
		var out pulumi.StringArray
		for range n {
			out = append(out, pulumi.String("any"))
		}
		return out
	}
	webtierSimRun(t, []webtierSimCase{
		{"checkpoints out of order", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				CheckpointPercentages: pulumi.IntArray{pulumi.Int(50), pulumi.Int(20), pulumi.Int(100)}})
		}, []string{"ValidationError", "CheckpointPercentages [50 20 100] must be unique and in ascending order"}},
		{"a checkpoint twice", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				CheckpointPercentages: pulumi.IntArray{pulumi.Int(50), pulumi.Int(50)}})
		}, []string{"ValidationError", "must be unique and in ascending order"}},
		{"a checkpoint above 100", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				CheckpointPercentages: pulumi.IntArray{pulumi.Int(50), pulumi.Int(120)}})
		}, []string{"ValidationError", "CheckpointPercentages value 120 must be between 1 and 100"}},
		{"a checkpoint delay without checkpoints", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{CheckpointDelay: pulumi.String("600")})
		}, []string{"ValidationError", "CheckpointDelay is specified without CheckpointPercentages"}},
		{"a checkpoint delay above two days", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				CheckpointPercentages: pulumi.IntArray{pulumi.Int(100)}, CheckpointDelay: pulumi.String("172801")})
		}, []string{"ValidationError", "CheckpointDelay '172801' must be a number of seconds from 0 to 172800"}},
		{"auto rollback on the $Latest version", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, pulumi.String("$Latest"), &autoscaling.GroupInstanceRefreshPreferencesArgs{AutoRollback: pulumi.Bool(true)})
		}, []string{"ValidationError", "AutoRollback is not supported when the Auto Scaling group uses the launch template's $Latest or $Default version"}},
		{"auto rollback on the default version", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, pulumi.String(""), &autoscaling.GroupInstanceRefreshPreferencesArgs{AutoRollback: pulumi.Bool(true)})
		}, []string{"ValidationError", `(version "$Default")`}},
		{"auto rollback on an AMI from a Systems Manager parameter", func(ctx *pulumi.Context, b *webtierSimBase) error {
			lt, err := ec2.NewLaunchTemplate(ctx, "ssm", &ec2.LaunchTemplateArgs{
				ImageId: pulumi.String("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")})
			if err != nil {
				return err
			}
			b.lt = lt
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{AutoRollback: pulumi.Bool(true)})
		}, []string{"ValidationError", "takes its ImageId from a Systems Manager parameter"}},
		{"an alarm specification with eleven alarms", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				AlarmSpecification: &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{Alarms: alarmNames(11)}})
		}, []string{"ValidationError", "AlarmSpecification names 11 alarms: give the names of 1 to 10 CloudWatch alarms"}},
		{"an empty alarm specification", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				AlarmSpecification: &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{Alarms: pulumi.StringArray{}}})
		}, []string{"ValidationError", "AlarmSpecification names 0 alarms"}},
		{"maximum more than 100 above the minimum", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(50), MaxHealthyPercentage: pulumi.Int(160)})
		}, []string{"ValidationError", "cannot be greater than 100"}},
		{"an unknown standby behaviour", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return refreshGroup(ctx, b, one, &autoscaling.GroupInstanceRefreshPreferencesArgs{StandbyInstances: pulumi.String("Keep")})
		}, []string{"ValidationError", "StandbyInstances 'Keep' must be Terminate, Ignore or Wait"}},
	})
}

func TestAWSSimRefusesARefreshWatchingAnAlarmThatDoesNotExist(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		return refreshGroup(ctx, b, pulumi.String("1"), &autoscaling.GroupInstanceRefreshPreferencesArgs{
			AutoRollback:       pulumi.Bool(true),
			AlarmSpecification: &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{Alarms: pulumi.StringArray{pulumi.String("web-5xx")}}})
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `instance refresh alarm "web-5xx" does not exist in us-east-1`)
}

func TestAWSSimAcceptsARefreshWatchingItsAlarmsWithAutoRollback(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		alarm, err := cloudwatch.NewMetricAlarm(ctx, "5xx", &cloudwatch.MetricAlarmArgs{
			Namespace: pulumi.String("AWS/ApplicationELB"), MetricName: pulumi.String("HTTPCode_Target_5XX_Count"),
			Statistic: pulumi.String("Sum"), Period: pulumi.Int(60), EvaluationPeriods: pulumi.Int(3),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"), Threshold: pulumi.Float64(10),
		})
		if err != nil {
			return err
		}
		return refreshGroup(ctx, b, pulumi.String("1"), &autoscaling.GroupInstanceRefreshPreferencesArgs{
			AutoRollback: pulumi.Bool(true), CheckpointPercentages: pulumi.IntArray{pulumi.Int(50), pulumi.Int(100)},
			CheckpointDelay:    pulumi.String("300"),
			AlarmSpecification: &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{Alarms: pulumi.StringArray{alarm.Name}}})
	})
	asg := g.Named("aws:autoscaling/group:Group", "asg")
	require.NotNil(t, asg)
	p, ok := awssim.RefreshPreferencesOf(asg)
	require.True(t, ok)
	assert.True(t, p.AutoRollback)
	assert.Equal(t, 5*time.Minute, p.CheckpointDelay)
	assert.Equal(t, []int{50, 100}, p.CheckpointPercentages)
	assert.Equal(t, 90, p.MinHealthyPercentage, "the provider's default")
	assert.Equal(t, 100, p.MaxHealthyPercentage, "the provider sends its default of 100")
	assert.Equal(t, 300*time.Second, p.InstanceWarmup, "no warmup and no default warmup: the provider's health check grace period")
	require.Len(t, p.Alarms, 1)
	assert.True(t, strings.HasPrefix(p.Alarms[0], "5xx-"))
}

// launchTemplateRun registers one launch template with userData and tags, as an update of prior when set.
func launchTemplateRun(t *testing.T, prior *awssim.Graph, userData string, tags map[string]string) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		_, err := ec2.NewLaunchTemplate(ctx, "lt", &ec2.LaunchTemplateArgs{
			UserData: pulumi.String(userData), Tags: pulumi.ToStringMap(tags), UpdateDefaultVersion: pulumi.Bool(true),
		})
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}, Prior: prior})
	require.NoError(t, err)
	return g
}

func TestAWSSimVersionsALaunchTemplateWhenItsDataChanges(t *testing.T) {
	version := func(g *awssim.Graph) (float64, float64) {
		lt := g.Named("aws:ec2/launchTemplate:LaunchTemplate", "lt")
		return lt.Output("latestVersion").NumberValue(), lt.Output("defaultVersion").NumberValue()
	}
	v1 := launchTemplateRun(t, nil, "echo 1", map[string]string{"Name": "a"})
	latest, def := version(v1)
	assert.Equal(t, []float64{1, 1}, []float64{latest, def})

	same := launchTemplateRun(t, v1, "echo 1", map[string]string{"Name": "b"})
	latest, _ = version(same)
	assert.Equal(t, float64(1), latest, "a tag of the template itself makes no new version")

	v2 := launchTemplateRun(t, v1, "echo 2", map[string]string{"Name": "a"})
	latest, def = version(v2)
	assert.Equal(t, []float64{2, 2}, []float64{latest, def}, "new user data: a new version, made the default")
	v3 := launchTemplateRun(t, v2, "echo 3", map[string]string{"Name": "a"})
	latest, _ = version(v3)
	assert.Equal(t, float64(3), latest)
}

func TestAWSSimRefusesATargetGroupWeightOutsideWhatELBAccepts(t *testing.T) {
	webtierSimRun(t, []webtierSimCase{
		{"a weight of 1000", func(ctx *pulumi.Context, b *webtierSimBase) error {
			_, err := lb.NewListener(ctx, "weighted", &lb.ListenerArgs{
				LoadBalancerArn: b.alb.Arn, Port: pulumi.Int(8080),
				DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
					Type: pulumi.String("forward"),
					Forward: &lb.ListenerDefaultActionForwardArgs{TargetGroups: lb.ListenerDefaultActionForwardTargetGroupArray{
						&lb.ListenerDefaultActionForwardTargetGroupArgs{Arn: b.tg.Arn, Weight: pulumi.Int(1000)},
					}},
				}},
			})
			return err
		}, []string{"ValidationError", "Target group weight 1000 is out of range: the range is 0 to 999"}},
	})
}

// In the engine's preview of a new stack the template's version is unknown until it exists: auto rollback is
// judged once the version is known, not refused as if it were $Default.
func TestAWSSimJudgesAutoRollbackOnlyOnAKnownTemplateVersion(t *testing.T) {
	unknown := resource.MakeComputed(resource.NewProperty(""))
	group := func(version resource.PropertyValue) error {
		sim := awssim.New(project, "test", "us-east-1")
		_, _, err := sim.NewResource(pulumi.MockResourceArgs{TypeToken: "aws:autoscaling/group:Group", Name: "asg", Custom: true,
			Inputs: resource.PropertyMap{
				"minSize": resource.NewProperty(1.0), "maxSize": resource.NewProperty(2.0),
				"vpcZoneIdentifiers": resource.NewProperty([]resource.PropertyValue{unknown}),
				"launchTemplate":     resource.NewProperty(resource.PropertyMap{"id": unknown, "version": version}),
				"instanceRefresh": resource.NewProperty(resource.PropertyMap{
					"strategy":    resource.NewProperty("Rolling"),
					"preferences": resource.NewProperty(resource.PropertyMap{"autoRollback": resource.NewProperty(true)}),
				}),
			}})
		return err
	}
	assert.NoError(t, group(unknown))
	err := group(resource.NewProperty("$Latest"))
	require.Error(t, err, "the same group on a known $Latest is refused")
	assert.Contains(t, err.Error(), "AutoRollback is not supported")
}
