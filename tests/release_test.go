package tests

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	pluginapi "github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/awssim/provider"
	"github.com/migration-kit/kit/components/webtier"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/internal/release"
	"github.com/migration-kit/kit/internal/rollout"
)

const (
	releaseAlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm"
	releaseLTType    = "aws:ec2/launchTemplate:LaunchTemplate"
)

// releaseTier runs a two-AZ network and a tier named "web" in us-east-1, with edited args, as an update of
// prior when it is given.
func releaseTier(t *testing.T, prior *awssim.Graph, edit func(*webtier.Args)) *awssim.Graph {
	t.Helper()
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		net, err := webtierNetwork(ctx, "net", "us-east-1", 2)
		if err != nil {
			return err
		}
		_, err = webtier.New(ctx, "web", webtierArgs(net, "us-east-1", edit))
		return err
	}, awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}, Prior: prior})
	require.NoError(t, err)
	return g
}

func releaseVersion(v string) func(*webtier.Args) { return func(a *webtier.Args) { a.AppVersion = v } }

// releaseAlarms returns the tier's rollback alarms by logical name.
func releaseAlarms(g *awssim.Graph) map[string]*awssim.Resource {
	out := map[string]*awssim.Resource{}
	for _, a := range g.ByType(releaseAlarmType) {
		if strings.Contains(a.Name, "-release-") {
			out[a.Name] = a
		}
	}
	return out
}

func TestWebTierRollsReleasesOutBehindCheckpointsAndItsOwnRollbackAlarms(t *testing.T) {
	g := releaseTier(t, nil, nil)
	asg := webtierOne(t, g, webtierASG)
	p, ok := awssim.RefreshPreferencesOf(asg)
	require.True(t, ok)
	assert.Equal(t, []int{20, 50, 100}, p.CheckpointPercentages)
	assert.Equal(t, 10*time.Minute, p.CheckpointDelay)
	assert.Equal(t, 100, p.MinHealthyPercentage, "the whole capacity stays in service")
	assert.Equal(t, 110, p.MaxHealthyPercentage)
	assert.Equal(t, 2*time.Minute, p.InstanceWarmup)
	assert.True(t, p.SkipMatching, "instances already on the new template are not replaced again")
	assert.True(t, p.AutoRollback)
	assert.Equal(t, float64(2), webtierNumber(t, asg, "minElbCapacity"),
		"a new group's `pulumi up` waits for its minimum behind the load balancer")

	alarms := releaseAlarms(g)
	require.Len(t, alarms, 3)
	var names []string
	for _, a := range alarms {
		names = append(names, a.ID)
	}
	slices.Sort(names)
	watched := slices.Clone(p.Alarms)
	slices.Sort(watched)
	assert.Equal(t, names, watched, "the refresh watches exactly the tier's rollback alarms")

	alb, tg := webtierOne(t, g, webtierLB), webtierOne(t, g, webtierTG)
	want := map[string]struct {
		metric, stat string
		threshold    float64
		datapoints   float64
	}{
		"web-release-5xx":       {"HTTPCode_Target_5XX_Count", "Sum", 10, 2},
		"web-release-p99":       {"TargetResponseTime", "p99", 2, 3},
		"web-release-unhealthy": {"UnHealthyHostCount", "Maximum", 0, 2},
	}
	for name, w := range want {
		a := alarms[name]
		require.NotNil(t, a, name)
		assert.Equal(t, w.metric, a.InputString("metricName"), name)
		assert.Equal(t, w.stat, a.InputString("statistic")+a.InputString("extendedStatistic"), name)
		assert.Equal(t, w.threshold, webtierNumber(t, a, "threshold"), name)
		assert.Equal(t, w.datapoints, webtierNumber(t, a, "datapointsToAlarm"), name)
		assert.Equal(t, float64(3), webtierNumber(t, a, "evaluationPeriods"), name)
		assert.Equal(t, float64(60), webtierNumber(t, a, "period"), name)
		assert.Equal(t, "notBreaching", a.InputString("treatMissingData"), name)
		assert.Equal(t, alb.OutputString("arnSuffix"), a.InputString("dimensions.LoadBalancer"), name)
		assert.Equal(t, tg.OutputString("arnSuffix"), a.InputString("dimensions.TargetGroup"), name)
		assert.True(t, a.Input("alarmActions").IsNull(), "%s pages nobody: the monitoring alarms do", name)
	}
}

func TestWebTierReleaseSettingsReachTheInstanceRefresh(t *testing.T) {
	bake, minH, off := 900, 90, false
	g := releaseTier(t, nil, func(a *webtier.Args) {
		a.Release = webtier.Release{Checkpoints: []int{10, 100}, BakeSeconds: &bake, MinHealthyPercentage: &minH,
			MaxHealthyPercentage: 150, SkipMatching: &off, AutoRollback: &off,
			RollbackAlarms: webtier.RollbackAlarms{Target5XXPerMinute: 3, TargetResponseTimeP99Seconds: 0.5, UnhealthyHosts: 1}}
		a.InstanceWarmup = 300
	})
	p, ok := awssim.RefreshPreferencesOf(webtierOne(t, g, webtierASG))
	require.True(t, ok)
	assert.Equal(t, awssim.RefreshPreferences{MinHealthyPercentage: 90, MaxHealthyPercentage: 150,
		InstanceWarmup: 5 * time.Minute, CheckpointPercentages: []int{10, 100}, CheckpointDelay: 15 * time.Minute,
		Alarms: p.Alarms, ScaleInProtectedInstances: "Ignore", StandbyInstances: "Ignore"}, p)
	alarms := releaseAlarms(g)
	assert.Equal(t, float64(3), webtierNumber(t, alarms["web-release-5xx"], "threshold"))
	assert.Equal(t, 0.5, webtierNumber(t, alarms["web-release-p99"], "threshold"))
	assert.Equal(t, float64(1), webtierNumber(t, alarms["web-release-unhealthy"], "threshold"))
}

func TestWebTierAppVersionIsInTheLaunchTemplate(t *testing.T) {
	userData := func(g *awssim.Graph) string {
		raw, err := base64.StdEncoding.DecodeString(webtierOne(t, g, releaseLTType).InputString("userData"))
		require.NoError(t, err)
		return string(raw)
	}
	plain := releaseTier(t, nil, nil)
	versioned := releaseTier(t, nil, releaseVersion("1.4.2"))
	assert.NotContains(t, userData(plain), "/version")
	assert.Contains(t, userData(versioned), `VERSION_PATH, VERSION = "/version", "1.4.2"`)
	lt := webtierOne(t, versioned, releaseLTType)
	for i := range 2 {
		assert.Equal(t, "1.4.2", lt.InputString(fmt.Sprintf("tagSpecifications.%d.tags.AppVersion", i)))
	}
	assert.Empty(t, webtierOne(t, plain, releaseLTType).InputString("tagSpecifications.0.tags.AppVersion"))
	assert.Empty(t, lt.InputString("tags.AppVersion"), "the template's own tags do not change with the version")

	custom := releaseTier(t, nil, func(a *webtier.Args) { a.AppVersion = "2.0.0"; a.UserData = "#!/bin/bash\n/opt/app/run\n" })
	assert.Equal(t, "#!/bin/bash\n/opt/app/run\n", userData(custom), "custom user data is the caller's own")
	assert.Equal(t, "2.0.0", webtierOne(t, custom, releaseLTType).InputString("tagSpecifications.0.tags.AppVersion"))
}

func TestWebTierRefusesABadReleaseConfigurationNamingEachField(t *testing.T) {
	neg, short, long, minH := -1, 60, 200000, 120
	cases := []struct {
		name string
		edit func(*webtier.Args)
		want string
	}{
		{"unknown strategy", func(a *webtier.Args) { a.Release.Strategy = "canary" },
			`Release.Strategy "canary" is not a strategy: use "rolling" or "blue-green"`},
		{"checkpoint out of range", func(a *webtier.Args) { a.Release.Checkpoints = []int{0, 100} },
			"Release.Checkpoints[0] 0 is outside 1-100"},
		{"checkpoints out of order", func(a *webtier.Args) { a.Release.Checkpoints = []int{50, 20, 100} },
			"Release.Checkpoints [50 20 100] are not in ascending order without repeats"},
		{"checkpoints that stop short", func(a *webtier.Args) { a.Release.Checkpoints = []int{20, 50} },
			"Release.Checkpoints [20 50] end at 50%: the last checkpoint must be 100"},
		{"no checkpoint", func(a *webtier.Args) { a.Release.Checkpoints = []int{} },
			"Release.Checkpoints is empty: give at least [100]"},
		{"negative bake", func(a *webtier.Args) { a.Release.BakeSeconds = &neg }, "Release.BakeSeconds -1 is outside 0-172800"},
		{"bake longer than AWS allows", func(a *webtier.Args) { a.Release.BakeSeconds = &long }, "Release.BakeSeconds 200000 is outside 0-172800"},
		{"bake shorter than the alarms", func(a *webtier.Args) { a.Release.BakeSeconds = &short },
			"Release.BakeSeconds 60 is shorter than the 180 seconds the rollback alarms need to fire"},
		{"minimum healthy above 100", func(a *webtier.Args) { a.Release.MinHealthyPercentage = &minH },
			"Release.MinHealthyPercentage 120 is outside 0-100"},
		{"maximum healthy above 200", func(a *webtier.Args) { a.Release.MaxHealthyPercentage = 250 },
			"Release.MaxHealthyPercentage 250 is outside 100-200"},
		{"a band wider than 100", func(a *webtier.Args) {
			z := 0
			a.Release.MinHealthyPercentage = &z
			a.Release.MaxHealthyPercentage = 150
		},
			"Release.MaxHealthyPercentage 150 is more than 100 above Release.MinHealthyPercentage 0"},
		{"negative 5XX threshold", func(a *webtier.Args) { a.Release.RollbackAlarms.Target5XXPerMinute = -1 },
			"Release.RollbackAlarms.Target5XXPerMinute -1 is negative"},
		{"latency threshold past the ALB's limit", func(a *webtier.Args) { a.Release.RollbackAlarms.TargetResponseTimeP99Seconds = 5000 },
			"Release.RollbackAlarms.TargetResponseTimeP99Seconds 5000 is outside 0-4000 seconds"},
		{"negative unhealthy hosts", func(a *webtier.Args) { a.Release.RollbackAlarms.UnhealthyHosts = -2 },
			"Release.RollbackAlarms.UnhealthyHosts -2 is negative"},
		{"a green version without blue/green", func(a *webtier.Args) { a.Release.Green = &webtier.Color{AppVersion: "2"} },
			`Release.Green is set but Release.Strategy is "rolling"`},
		{"a green share without blue/green", func(a *webtier.Args) { a.Release.GreenPercent = 10 },
			`Release.GreenPercent 10 is set but Release.Strategy is "rolling"`},
		{"a green share above 100", func(a *webtier.Args) { a.Release.Strategy = webtier.BlueGreen; a.Release.GreenPercent = 110 },
			"Release.GreenPercent 110 is outside 0-100"},
		{"an app version with a quote", func(a *webtier.Args) { a.AppVersion = "1.0'; rm -rf /" },
			`AppVersion "1.0'; rm -rf /" is not a version`},
		{"a green AMI that is not one", func(a *webtier.Args) {
			a.Release.Strategy = webtier.BlueGreen
			a.Release.Green = &webtier.Color{AMIID: "ami-xyz"}
		}, `Release.Green.AMIID "ami-xyz" is not an AMI id`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) { tc.edit(a) })
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			webtierAssertNothingRegistered(t, g)
		})
	}
	t.Run("a name too long for the green target group", func(t *testing.T) {
		g, err := webtierErr(t, "storefront-checkout", func(a *webtier.Args, _ *webtierNet) { a.Release.Strategy = webtier.BlueGreen })
		require.Error(t, err)
		assert.Contains(t, err.Error(), `name "storefront-checkout" is 19 characters: with the "blue-green" strategy the green `+
			`target group is named "storefront-checkout-tg-green" plus 8 random characters and AWS allows 32; use a name of at most 15 characters`)
		webtierAssertNothingRegistered(t, g)
		_, err = webtierErr(t, "storefront-cart", func(a *webtier.Args, _ *webtierNet) { a.Release.Strategy = webtier.BlueGreen })
		assert.NoError(t, err, "15 characters fit")
	})
	t.Run("every problem at once", func(t *testing.T) {
		_, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) {
			a.Release.Checkpoints = []int{50, 20}
			a.Release.BakeSeconds = &neg
			a.Release.GreenPercent = 5
		})
		require.Error(t, err)
		assert.Len(t, strings.Split(err.Error(), "\n"), 3, err.Error())
	})
}

// releaseUpdate deploys the tier at version 1.0.0, then updates it to 1.1.0 with edit applied to both.
func releaseUpdate(t *testing.T, edit func(*webtier.Args)) (before, after *awssim.Graph) {
	t.Helper()
	with := func(v string) func(*webtier.Args) {
		return func(a *webtier.Args) {
			if edit != nil {
				edit(a)
			}
			a.AppVersion = v
		}
	}
	before = releaseTier(t, nil, with("1.0.0"))
	return before, releaseTier(t, before, with("1.1.0"))
}

func TestAWSSimStartsARefreshWhenANewVersionChangesTheLaunchTemplate(t *testing.T) {
	before, after := releaseUpdate(t, nil)
	assert.Empty(t, before.Refreshes(), "creating the group starts no refresh")
	assert.Equal(t, "2", webtierOne(t, after, webtierASG).InputString("launchTemplate.version"))
	rs := after.Refreshes()
	require.Len(t, rs, 1)
	r := rs[0]
	asg := webtierOne(t, after, webtierASG)
	assert.Equal(t, asg.ID, r.GroupName)
	assert.Equal(t, "2", r.Version)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, r.ID)
	assert.Equal(t, 2, r.Plan.Instances, "the desired capacity of the deployed group")

	again := releaseTier(t, after, releaseVersion("1.1.0"))
	assert.Empty(t, again.Refreshes(), "the same version again changes nothing")
	scaled := releaseTier(t, after, func(a *webtier.Args) { a.AppVersion = "1.1.0"; a.MaxSize = 8 })
	assert.Empty(t, scaled.Refreshes(), "a new maximum size is no release")
}

// releaseAPI is the simulated Auto Scaling API after the update of releaseUpdate.
func releaseAPI(t *testing.T, edit func(*webtier.Args)) (*awssim.AutoScalingAPI, string) {
	t.Helper()
	_, after := releaseUpdate(t, edit)
	return after.AutoScalingAPI("us-east-1"), webtierOne(t, after, webtierASG).ID
}

func releaseState(t *testing.T, api *awssim.AutoScalingAPI, group string) types.InstanceRefresh {
	t.Helper()
	out, err := api.DescribeInstanceRefreshes(context.Background(), &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: aws.String(group)})
	require.NoError(t, err)
	require.Len(t, out.InstanceRefreshes, 1)
	return out.InstanceRefreshes[0]
}

func TestAWSSimWalksARefreshThroughItsCheckpointsToSuccess(t *testing.T) {
	api, group := releaseAPI(t, nil)
	// Two instances, [20, 50, 100], one at a time: one replaced (50%, past 20 and 50), a 10-minute bake, the
	// second; two minutes of warmup each.
	for _, step := range []struct {
		at       time.Duration
		status   types.InstanceRefreshStatus
		percent  int32
		toUpdate int32
		reason   string
	}{
		{0, types.InstanceRefreshStatusInProgress, 0, 2, ""},
		{time.Minute, types.InstanceRefreshStatusInProgress, 0, 2, ""},
		{2 * time.Minute, types.InstanceRefreshStatusInProgress, 50, 1, "Checkpoint 50% reached: continuing at 2026-12-01T09:12:00Z."},
		{12 * time.Minute, types.InstanceRefreshStatusInProgress, 50, 1, ""},
		{14 * time.Minute, types.InstanceRefreshStatusSuccessful, 100, 0, ""},
	} {
		api.Advance(step.at - api.Now().Sub(awssim.SimulatedStart))
		s := releaseState(t, api, group)
		assert.Equal(t, step.status, s.Status, "at %s", step.at)
		assert.Equal(t, step.percent, aws.ToInt32(s.PercentageComplete), "at %s", step.at)
		assert.Equal(t, step.toUpdate, aws.ToInt32(s.InstancesToUpdate), "at %s", step.at)
		assert.Equal(t, step.reason, aws.ToString(s.StatusReason), "at %s", step.at)
	}
	s := releaseState(t, api, group)
	assert.Equal(t, awssim.SimulatedStart.Add(14*time.Minute), aws.ToTime(s.EndTime))
	assert.Equal(t, "2", aws.ToString(s.DesiredConfiguration.LaunchTemplate.Version))
	assert.Equal(t, []int32{20, 50, 100}, s.Preferences.CheckpointPercentages)
	assert.Len(t, s.Preferences.AlarmSpecification.Alarms, 3)

	_, err := api.DescribeInstanceRefreshes(context.Background(), &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: aws.String("nope")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ValidationError")
}

func TestAWSSimRollsARefreshBackWhenARollbackAlarmFires(t *testing.T) {
	api, group := releaseAPI(t, nil)
	api.Advance(5 * time.Minute) // in the bake after the first instance
	require.NoError(t, api.SetAlarm(releaseAlarmName(t, api, "web-release-5xx")))
	s := releaseState(t, api, group)
	assert.Equal(t, types.InstanceRefreshStatusRollbackInProgress, s.Status)
	require.NotNil(t, s.RollbackDetails)
	assert.Equal(t, int32(50), aws.ToInt32(s.RollbackDetails.PercentageCompleteOnRollback))
	assert.Equal(t, int32(1), aws.ToInt32(s.RollbackDetails.InstancesToUpdateOnRollback))
	assert.Contains(t, aws.ToString(s.RollbackDetails.RollbackReason), "web-release-5xx")

	api.Advance(2 * time.Minute) // the one new instance is replaced by an old-version one
	s = releaseState(t, api, group)
	assert.Equal(t, types.InstanceRefreshStatusRollbackSuccessful, s.Status)
	assert.Equal(t, int32(0), aws.ToInt32(s.PercentageComplete))
	assert.Equal(t, awssim.SimulatedStart.Add(7*time.Minute), aws.ToTime(s.EndTime))
}

func TestAWSSimIgnoresAlarmsTheRefreshDoesNotWatchOrThatFireAfterIt(t *testing.T) {
	api, group := releaseAPI(t, nil)
	api.Advance(15 * time.Minute)
	require.NoError(t, api.SetAlarm(releaseAlarmName(t, api, "web-release-p99")))
	assert.Equal(t, types.InstanceRefreshStatusSuccessful, releaseState(t, api, group).Status,
		"a finished refresh cannot be rolled back")
	assert.Error(t, api.SetAlarm("no-such-alarm"))
}

func TestAWSSimFailsARefreshWithoutAutoRollbackWhenAnAlarmFires(t *testing.T) {
	off := false
	api, group := releaseAPI(t, func(a *webtier.Args) { a.Release.AutoRollback = &off })
	api.Advance(3 * time.Minute)
	require.NoError(t, api.SetAlarm(releaseAlarmName(t, api, "web-release-unhealthy")))
	s := releaseState(t, api, group)
	assert.Equal(t, types.InstanceRefreshStatusFailed, s.Status)
	assert.Nil(t, s.RollbackDetails)
	assert.Contains(t, aws.ToString(s.StatusReason), "Auto rollback is off")
}

// releaseAlarmName is the physical name of the rollback alarm with this logical name.
func releaseAlarmName(t *testing.T, api *awssim.AutoScalingAPI, logical string) string {
	t.Helper()
	for _, r := range api.Refreshes() {
		for _, name := range r.Preferences.Alarms {
			if strings.HasPrefix(name, logical+"-") {
				return name
			}
		}
	}
	t.Fatalf("no alarm %s", logical)
	return ""
}

// releaseEnv runs the command against the simulated API; sleeping advances its clock, and fire, when set,
// runs once the clock has passed its time.
func releaseEnv(api *awssim.AutoScalingAPI, fireAt time.Duration, fire func()) release.Env {
	return release.Env{
		API: func(_ context.Context, region string) (release.API, error) {
			if region != "us-east-1" {
				return nil, fmt.Errorf("no such region %s", region)
			}
			return api, nil
		},
		Now: api.Now,
		Sleep: func(_ context.Context, d time.Duration) error {
			api.Advance(d)
			if fire != nil && api.Now().Sub(awssim.SimulatedStart) >= fireAt {
				fire()
				fire = nil
			}
			return nil
		},
	}
}

func releaseMain(env release.Env, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	status := release.Main(args, &stdout, &stderr, env)
	return status, stdout.String(), stderr.String()
}

func TestReleaseStatusWaitsForASuccessfulRelease(t *testing.T) {
	api, group := releaseAPI(t, nil)
	status, out, errOut := releaseMain(releaseEnv(api, 0, nil), "-region", "us-east-1", "-group", group, "-wait", "-poll", "1m")
	assert.Equal(t, release.ExitSucceeded, status, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Contains(t, lines[0], group+": instance refresh ")
	assert.Contains(t, lines[0], "InProgress, 0% complete, 2 instances to update, started 2026-12-01T09:00:00Z")
	assert.Contains(t, out, "09:02:00 "+group)
	assert.Contains(t, out, "Checkpoint 50% reached: continuing at 2026-12-01T09:12:00Z.")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "09:14:00 "+group), out)
	assert.Contains(t, lines[len(lines)-1], "Successful, 100% complete, 0 instances to update")
	assert.Equal(t, 14*time.Minute, api.Now().Sub(awssim.SimulatedStart), "it stops polling at the end")
}

func TestReleaseStatusFailsWhenTheReleaseRollsBack(t *testing.T) {
	api, group := releaseAPI(t, nil)
	alarm := releaseAlarmName(t, api, "web-release-5xx")
	status, out, _ := releaseMain(releaseEnv(api, 4*time.Minute, func() { require.NoError(t, api.SetAlarm(alarm)) }),
		"-region", "us-east-1", "-group", group, "-wait", "-poll", "1m")
	assert.Equal(t, release.ExitFailed, status)
	assert.Contains(t, out, "RollbackInProgress")
	assert.Contains(t, out, "RollbackSuccessful")
	assert.Contains(t, out, "CloudWatch alarm "+alarm+" went to ALARM")
	assert.True(t, strings.HasSuffix(out, "release failed: the group runs the previous version, or a mix; see the reasons above\n"), out)
}

func TestReleaseStatusWithoutWaitingReportsARunningRelease(t *testing.T) {
	api, group := releaseAPI(t, nil)
	status, out, _ := releaseMain(releaseEnv(api, 0, nil), "-region", "us-east-1", "-group", group)
	assert.Equal(t, release.ExitRunning, status)
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
	assert.Zero(t, api.Now().Sub(awssim.SimulatedStart), "it does not wait")
}

func TestReleaseStatusGivesUpAtTheTimeout(t *testing.T) {
	api, group := releaseAPI(t, nil)
	status, out, _ := releaseMain(releaseEnv(api, 0, nil), "-region", "us-east-1", "-group", group, "-wait", "-timeout", "5m", "-poll", "2m")
	assert.Equal(t, release.ExitFailed, status)
	assert.Contains(t, out, "release still running after 5m0s")
	assert.Equal(t, 5*time.Minute, api.Now().Sub(awssim.SimulatedStart), "the last wait is cut to the deadline")
}

func TestReleaseStatusHasNothingToWaitForWithoutARefreshSinceTheDeployment(t *testing.T) {
	api, group := releaseAPI(t, nil)
	later := awssim.SimulatedStart.Add(time.Hour).Format(time.RFC3339)
	status, out, _ := releaseMain(releaseEnv(api, 0, nil), "-region", "us-east-1", "-group", group, "-since", later, "-wait")
	assert.Equal(t, release.ExitSucceeded, status)
	assert.Contains(t, out, group+": no instance refresh since 2026-12-01T10:00:00Z: nothing to wait for")
}

func TestReleaseStatusRefusesBadUsageWithEveryProblem(t *testing.T) {
	api, _ := releaseAPI(t, nil)
	status, _, errOut := releaseMain(releaseEnv(api, 0, nil), "-since", "yesterday", "extra")
	assert.Equal(t, release.ExitUsage, status)
	for _, want := range []string{"-region is required", "-group is required", `-since "yesterday" is not an RFC 3339 time`,
		`unexpected arguments ["extra"]`} {
		assert.Contains(t, errOut, want)
	}
	status, _, errOut = releaseMain(releaseEnv(api, 0, nil), "-region", "us-east-1", "-group", "nope")
	assert.Equal(t, release.ExitUsage, status)
	assert.Contains(t, errOut, "AutoScalingGroup name not found - no such group: nope")
	status, _, errOut = releaseMain(releaseEnv(api, 0, nil), "-region", "eu-west-1", "-group", "nope")
	assert.Equal(t, release.ExitUsage, status)
	assert.Contains(t, errOut, "no such region eu-west-1")
}

func releaseBlueGreen(green string, percent int) func(*webtier.Args) {
	return func(a *webtier.Args) {
		a.AppVersion = "1.0.0"
		a.Release = webtier.Release{Strategy: webtier.BlueGreen, Green: &webtier.Color{AppVersion: green}, GreenPercent: percent}
	}
}

func TestWebTierBlueGreenRunsTwoGroupsBehindAWeightedListener(t *testing.T) {
	g := releaseTier(t, nil, releaseBlueGreen("1.1.0", 10))
	tgs := map[string]*awssim.Resource{}
	for _, tg := range g.ByType(webtierTG) {
		tgs[tg.Name] = tg
	}
	require.Len(t, tgs, 2)
	listener := g.Named("aws:lb/listener:Listener", "web-http")
	require.NotNil(t, listener)
	for i, want := range []struct {
		tg     string
		weight float64
	}{{"web-tg", 90}, {"web-tg-green", 10}} {
		assert.Equal(t, tgs[want.tg].ID, listener.InputString(fmt.Sprintf("defaultActions.0.forward.targetGroups.%d.arn", i)))
		assert.Equal(t, want.weight, webtierNumber(t, listener, fmt.Sprintf("defaultActions.0.forward.targetGroups.%d.weight", i)))
	}

	alarms := releaseAlarms(g)
	require.Len(t, alarms, 6, "each color has its own rollback alarms")
	for _, c := range []struct{ suffix, version string }{{"", "1.0.0"}, {"-green", "1.1.0"}} {
		asg := g.Named(webtierASG, "web-asg"+c.suffix)
		lt := g.Named(releaseLTType, "web-lt"+c.suffix)
		require.NotNil(t, asg, c.suffix)
		require.NotNil(t, lt, c.suffix)
		tg := tgs["web-tg"+c.suffix]
		assert.Equal(t, lt.ID, asg.InputString("launchTemplate.id"))
		assert.Equal(t, c.version, lt.InputString("tagSpecifications.0.tags.AppVersion"))
		assert.Equal(t, tg.ID, asg.InputString("targetGroupArns.0"))
		p, _ := awssim.RefreshPreferencesOf(asg)
		require.Len(t, p.Alarms, 3)
		for _, name := range p.Alarms {
			a := g.ByID(name)
			require.NotNil(t, a, name)
			assert.Equal(t, tg.OutputString("arnSuffix"), a.InputString("dimensions.TargetGroup"),
				"%s watches its own color's target group", name)
		}
		label := g.Named("aws:autoscaling/policy:Policy", "web-requests"+c.suffix).
			InputString("targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel")
		assert.True(t, strings.HasSuffix(label, tg.OutputString("arnSuffix")), label)
	}
}

func TestWebTierTurnsBlueGreenOnWithoutReplacingAnything(t *testing.T) {
	rolling := releaseTier(t, nil, releaseVersion("1.0.0"))
	blueGreen := releaseTier(t, rolling, releaseBlueGreen("1.0.0", 0))
	for _, c := range graphChanges(rolling, blueGreen) {
		switch c.Op {
		case plan.Create:
			assert.Contains(t, c.Name, "green", "only the green color's resources are new: %s", c)
		case plan.Update:
			assert.Equal(t, "web-http", c.Name, "the listener alone changes: %s", c)
		default:
			t.Errorf("nothing is replaced or deleted: %s", c)
		}
	}
	assert.Empty(t, blueGreen.Refreshes(), "blue keeps its template: no refresh")
	assert.Empty(t, rollout.Describe(rolling.Resources(), blueGreen.Resources()),
		"every request stays on blue: nothing rolls out, nothing shifts")
	moved := releaseTier(t, blueGreen, releaseBlueGreen("1.0.0", 100))
	var changed []string
	for _, c := range graphChanges(blueGreen, moved) {
		changed = append(changed, c.String())
		var paths []string
		for p := range c.Diff {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		assert.Equal(t, []string{"defaultActions[0].forward.targetGroups[0].weight",
			"defaultActions[0].forward.targetGroups[1].weight"}, paths, "only the weights move")
	}
	assert.Equal(t, []string{"~ update aws:lb/listener:Listener web-http (defaultActions)"}, changed)
	assert.Empty(t, moved.Refreshes())
}

// graphChanges compares two runs of a component under mocks resource by resource, with the provider's own
// Diff (awssim/provider): what it would update or replace. Cascades need the engine (the mocks keep ids
// across runs); the stack tests plan through it.
func graphChanges(before, after *awssim.Graph) []plan.Step {
	var out []plan.Step
	for _, r := range after.Resources() {
		if !r.Custom {
			continue
		}
		old := before.Get(r.URN)
		if old == nil {
			out = append(out, plan.Step{Op: plan.Create, URN: r.URN, Type: r.Type, Name: r.Name})
			continue
		}
		d := provider.Diff(r.Type, old.Inputs, r.Inputs)
		if d.Changes != pluginapi.DiffSome {
			continue
		}
		s := plan.Step{Op: plan.Update, URN: r.URN, Type: r.Type, Name: r.Name, Diff: d.DetailedDiff}
		if len(d.ReplaceKeys) > 0 {
			s.Op = plan.Replace
		}
		out = append(out, s)
	}
	for _, r := range before.Resources() {
		if r.Custom && after.Get(r.URN) == nil {
			out = append(out, plan.Step{Op: plan.Delete, URN: r.URN, Type: r.Type, Name: r.Name})
		}
	}
	return out
}

// A state read back from a file does not link each resource to its prior self: the refreshes are then found
// by pairing the two states by address, with the same result.
func TestAWSSimFindsTheRefreshesBetweenTwoStatesByAddress(t *testing.T) {
	before, after := releaseUpdate(t, nil)
	var unlinked []*awssim.Resource
	for _, r := range after.Resources() {
		c := *r
		c.Prior = nil
		unlinked = append(unlinked, &c)
	}
	linked := after.Refreshes()
	require.Len(t, linked, 1)
	between := awssim.RefreshesBetween(before.Resources(), unlinked)
	require.Len(t, between, 1)
	assert.Equal(t, linked[0].ID, between[0].ID)
	assert.Equal(t, linked[0].Plan, between[0].Plan)
	group := webtierOne(t, after, webtierASG).ID
	assert.Equal(t, releaseState(t, after.AutoScalingAPI("us-east-1"), group),
		releaseState(t, after.AutoScalingAPIAfter(before, "us-east-1"), group))
	assert.Empty(t, awssim.RefreshesBetween(after.Resources(), unlinked), "no change, no refresh")
}
