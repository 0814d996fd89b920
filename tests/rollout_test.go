package tests

import (
	"strconv"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/webtier"
	"github.com/migration-kit/kit/internal/rollout"
)

func TestRolloutOfANewAppVersionNamesItsStepsBakeDurationAndAlarms(t *testing.T) {
	before, after := releaseUpdate(t, nil)
	rs := rollout.Describe(before.Resources(), after.Resources())
	require.Len(t, rs, 1)
	r := rs[0]
	assert.Equal(t, rollout.Refresh, r.Kind)
	assert.Equal(t, "web-asg", r.Group)
	assert.Equal(t, []string{"launch template web-lt (tagSpecifications, userData)"}, r.Why)
	assert.Equal(t, 2, r.Instances)
	assert.Equal(t, 14*time.Minute, r.Plan.Duration)
	require.Len(t, r.Alarms, 3)
	assert.Equal(t, "web-release-5xx", r.Alarms[0].Name)
	assert.Equal(t, "HTTPCode_Target_5XX_Count Sum > 10 in 2 of 3 periods of 1m", r.Alarms[0].Condition)

	group := webtierOne(t, after, webtierASG).ID
	assert.Equal(t, `== Rollout
web-asg (us-east-1): instance refresh of 2 instances, because launch template web-lt (tagSpecifications, userData) changes
  1 at a time, keeping at least 2 in service and healthy, at most 3 running (minimum healthy 100%, maximum 110% of the desired capacity)
  step 1: 1 of 2 replaced (checkpoint 50%), then a bake of 10m
  step 2: 2 of 2 replaced (checkpoint 100%): done
  estimated 14m: 2 batches of 2m warmup and 1 bake of 10m; each launch and health check adds to it
  instances already on the new launch template are skipped
  rolled back by Auto Scaling if it fails, or when one of these alarms goes to ALARM before the last batch has warmed up:
    web-release-5xx: HTTPCode_Target_5XX_Count Sum > 10 in 2 of 3 periods of 1m
    web-release-p99: TargetResponseTime p99 > 2 in 3 of 3 periods of 1m
    web-release-unhealthy: UnHealthyHostCount Maximum > 0 in 2 of 3 periods of 1m
  pulumi up returns once the refresh has started; wait for its outcome with
    go run ./cmd/release-status -region us-east-1 -group `+group+` -wait
`, rollout.Text(rs))
}

func TestRolloutIsSilentWhenNoInstanceChanges(t *testing.T) {
	before, after := releaseUpdate(t, nil)
	same := releaseTier(t, after, releaseVersion("1.1.0"))
	assert.Empty(t, rollout.Describe(after.Resources(), same.Resources()))
	assert.Empty(t, rollout.Text(nil))
	bigger := releaseTier(t, after, func(a *webtier.Args) { a.AppVersion = "1.1.0"; a.MaxSize = 9 })
	assert.Empty(t, rollout.Describe(after.Resources(), bigger.Resources()), "a resize replaces nothing")
	assert.Empty(t, rollout.Describe(nil, before.Resources()), "a new stack creates, it does not roll out")
}

func TestRolloutSaysWhatAnAlarmLessReleaseWithoutRollbackRisks(t *testing.T) {
	off := false
	before, after := releaseUpdate(t, func(a *webtier.Args) { a.Release.AutoRollback = &off })
	text := rollout.Text(rollout.Describe(before.Resources(), after.Resources()))
	assert.Contains(t, text, "  stopped (not rolled back: auto rollback is off) if it fails, or when one of these alarms goes to ALARM")
}

// rawGroup runs a launch template and a group of the caller's making, as an update of prior when given.
func rawGroup(t *testing.T, prior *awssim.Graph, userData string, edit func(*autoscaling.GroupArgs)) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		lt, err := ec2.NewLaunchTemplate(ctx, "app", &ec2.LaunchTemplateArgs{ImageId: pulumi.String("ami-0123456789abcdef0"),
			UserData: pulumi.String(userData), UpdateDefaultVersion: pulumi.Bool(true)})
		if err != nil {
			return err
		}
		b.lt = lt
		_, err = webtierSimGroup(ctx, b, func(a *autoscaling.GroupArgs) {
			a.LaunchTemplate = &autoscaling.GroupLaunchTemplateArgs{Id: lt.ID(),
				Version: lt.LatestVersion.ApplyT(strconv.Itoa).(pulumi.StringOutput)}
			a.InstanceRefresh = &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling")}
			if edit != nil {
				edit(a)
			}
		})
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}, Prior: prior})
	require.NoError(t, err)
	return g
}

func TestRolloutCallsOutChangesThatReplaceOrStrandInstancesWithoutARefresh(t *testing.T) {
	latest := func(a *autoscaling.GroupArgs) {
		a.LaunchTemplate.(*autoscaling.GroupLaunchTemplateArgs).Version = pulumi.String("$Latest")
	}
	t.Run("a template on $Latest starts no refresh", func(t *testing.T) {
		before := rawGroup(t, nil, "v1", latest)
		after := rawGroup(t, before, "v2", latest)
		rs := rollout.Describe(before.Resources(), after.Resources())
		require.Len(t, rs, 1)
		assert.Equal(t, rollout.Stale, rs[0].Kind)
		assert.Equal(t, "!! asg (us-east-1): launch template app (userData) changes, but no instance refresh starts: "+
			"the 2 running instances keep the old template until scaling or a health check replaces them.\n",
			rollout.Text(rs)[len("== Rollout\n"):])
	})
	t.Run("a group without an instance refresh", func(t *testing.T) {
		none := func(a *autoscaling.GroupArgs) { a.InstanceRefresh = nil }
		before := rawGroup(t, nil, "v1", none)
		after := rawGroup(t, before, "v2", none)
		rs := rollout.Describe(before.Resources(), after.Resources())
		require.Len(t, rs, 1)
		assert.Equal(t, rollout.Stale, rs[0].Kind)
	})
	t.Run("a renamed group is a new group", func(t *testing.T) {
		named := func(n string) func(*autoscaling.GroupArgs) {
			return func(a *autoscaling.GroupArgs) { a.Name = pulumi.String(n) }
		}
		before := rawGroup(t, nil, "v1", named("app-a"))
		after := rawGroup(t, before, "v1", named("app-b"))
		rs := rollout.Describe(before.Resources(), after.Resources())
		require.Len(t, rs, 1)
		assert.Equal(t, rollout.Replace, rs[0].Kind)
		assert.Equal(t, "!! asg (us-east-1): 2 instances are replaced without an instance refresh: the group is "+
			"replaced (name changed): its instances are replaced all at once by a new group's. No checkpoints, no "+
			"minimum healthy capacity, no rollback.\n", rollout.Text(rs)[len("== Rollout\n"):])
	})
	t.Run("a deleted group", func(t *testing.T) {
		before := rawGroup(t, nil, "v1", nil)
		rs := rollout.Describe(before.Resources(), nil)
		require.Len(t, rs, 1)
		assert.Equal(t, rollout.Replace, rs[0].Kind)
		assert.Equal(t, []string{"the group is deleted: its instances are terminated"}, rs[0].Why)
	})
	t.Run("a refresh without alarms or rollback", func(t *testing.T) {
		before := rawGroup(t, nil, "v1", nil)
		after := rawGroup(t, before, "v2", nil)
		rs := rollout.Describe(before.Resources(), after.Resources())
		require.Len(t, rs, 1)
		assert.Equal(t, rollout.Refresh, rs[0].Kind)
		assert.Contains(t, rollout.Text(rs), "!! no alarm watches it and nothing rolls it back: a bad release replaces every instance\n")
		assert.Contains(t, rollout.Text(rs), "  1 at a time, keeping at least 2 in service and healthy, at most 3 running "+
			"(minimum healthy 90%, maximum 100% of the desired capacity)\n", "the provider's defaults")
	})
}

// In a preview, a new template version and the names of alarms created in the same update are unknown:
// the rollout still sees the refresh, and finds the alarms through the references the engine records.
func TestRolloutReadsAPreviewWhereTheVersionAndAlarmNamesAreUnknown(t *testing.T) {
	before, after := releaseUpdate(t, nil)
	unknown := resource.MakeComputed(resource.NewProperty(""))
	var preview []*awssim.Resource
	for _, r := range after.Resources() {
		c := *r
		c.Inputs = r.Inputs.Copy()
		switch r.Type {
		case webtierASG:
			lt := c.Inputs["launchTemplate"].ObjectValue().Copy()
			lt["version"] = unknown
			c.Inputs["launchTemplate"] = resource.NewProperty(lt)
			refresh := c.Inputs["instanceRefresh"].ObjectValue().Copy()
			prefs := refresh["preferences"].ObjectValue().Copy()
			prefs["alarmSpecification"] = resource.NewProperty(resource.PropertyMap{
				"alarms": resource.NewProperty([]resource.PropertyValue{unknown, unknown, unknown})})
			refresh["preferences"] = resource.NewProperty(prefs)
			c.Inputs["instanceRefresh"] = resource.NewProperty(refresh)
		case releaseAlarmType:
			c.ID = "" // not created yet
		}
		preview = append(preview, &c)
	}
	rs := rollout.Describe(before.Resources(), preview)
	require.Len(t, rs, 1)
	assert.Equal(t, rollout.Refresh, rs[0].Kind)
	var names []string
	for _, a := range rs[0].Alarms {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"web-release-5xx", "web-release-p99", "web-release-unhealthy"}, names)
}

func TestRolloutDurationsReadLikeAReviewerWritesThem(t *testing.T) {
	for d, want := range map[time.Duration]string{
		14 * time.Minute: "14m", 90 * time.Second: "1m30s", 45 * time.Second: "45s", time.Hour: "1h",
		65 * time.Minute: "1h5m", 2*time.Hour + 30*time.Second: "2h0m30s", 0: "0s",
	} {
		assert.Equal(t, want, rollout.Duration(d))
	}
}

// BenchmarkRolloutOfAProdRelease measures the rollout section of prod's app version change: pairing ~200
// resources before and after, planning both refreshes and rendering the text.
func BenchmarkRolloutOfAProdRelease(b *testing.B) {
	before := prodWith(b, nil, map[string]any{"appVersion": "1.4.2"})
	after := prodWith(b, before, map[string]any{"appVersion": "1.5.0"})
	old, cur := before.graph.Resources(), after.graph.Resources()
	b.ResetTimer()
	for b.Loop() {
		if rollout.Text(rollout.Describe(old, cur)) == "" {
			b.Fatal("no rollout")
		}
	}
}
