package tests

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/internal/rollout"
	"github.com/migration-kit/kit/stacks"
)

// prodRun is prod deployed with some kit:web settings: its state, the account after the simulated `pulumi up`
// (whose groups carry their prior selves, so the refreshes an update starts are known), and the engine's
// preview of the change from the state before.
type prodRun struct {
	state *deploy.Snapshot
	graph *awssim.Graph
	steps []plan.Step
}

// prodWith runs the prod stack with extra kit:web settings merged into its own, through the engine, as an
// update of prior when it is given.
func prodWith(t testing.TB, prior *prodRun, web map[string]any) *prodRun {
	t.Helper()
	s, err := plan.LoadStack(root, "prod")
	require.NoError(t, err)
	cfg := maps.Clone(s.Config)
	section := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(cfg["kit:web"]), &section))
	maps.Copy(section, web)
	raw, err := json.Marshal(section)
	require.NoError(t, err)
	cfg["kit:web"] = string(raw)
	op := plan.Operation{Project: s.Project, Stack: s.Name, Config: cfg, SecretKeys: s.SecretKeys, Program: stacks.Run}
	if prior != nil {
		op.Prior = prior.state
	}
	preview, err := op.Run()
	require.NoError(t, err)
	require.NoError(t, preview.Err)
	op.Update = true
	applied, err := op.Run()
	require.NoError(t, err)
	require.NoError(t, applied.Err)
	return &prodRun{state: applied.State, graph: applied.Sim.Graph(), steps: plan.StepsOf(preview)}
}

// changes lists the engine's change lines, sorted.
func (r *prodRun) changes() []string {
	var out []string
	for _, c := range r.steps {
		if c.Op != plan.Same {
			out = append(out, c.String())
		}
	}
	slices.Sort(out)
	return out
}

// paths lists the property paths a resource's change touches, sorted.
func (r *prodRun) paths(name string) []string {
	var out []string
	for _, c := range r.steps {
		if c.Name == name {
			for p := range c.Diff {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestProdAppVersionChangeIsALaunchTemplateUpdateWhoseRolloutNamesCheckpointsAndAlarms(t *testing.T) {
	before := prodWith(t, nil, map[string]any{"appVersion": "1.4.2"})
	after := prodWith(t, before, map[string]any{"appVersion": "1.5.0"})
	assert.Equal(t, []string{
		"~ update aws:autoscaling/group:Group dr-web-asg (launchTemplate)",
		"~ update aws:autoscaling/group:Group web-asg (launchTemplate)",
		"~ update aws:ec2/launchTemplate:LaunchTemplate dr-web-lt (tagSpecifications, userData)",
		"~ update aws:ec2/launchTemplate:LaunchTemplate web-lt (tagSpecifications, userData)",
	}, after.changes(), "a new version replaces nothing: the templates get a version, the groups a refresh")
	assert.Equal(t, []string{"tagSpecifications[0].tags.AppVersion", "tagSpecifications[1].tags.AppVersion", "userData"},
		after.paths("web-lt"))

	rs := rollout.Describe(before.graph.Resources(), after.graph.Resources())
	require.Len(t, rs, 2, "the warm standby runs the same version")
	primary := rs[0]
	assert.Equal(t, "web-asg", primary.Group)
	assert.Equal(t, "us-east-1", primary.Region)
	assert.Equal(t, rollout.Refresh, primary.Kind)
	assert.Equal(t, 3, primary.Instances)
	var checkpoints []int
	for _, s := range primary.Plan.Steps {
		checkpoints = append(checkpoints, s.Checkpoint)
	}
	assert.Equal(t, []int{20, 50, 100}, checkpoints, "three instances: one step per checkpoint")
	text := rollout.Text(rs)
	for _, want := range []string{
		"web-asg (us-east-1): instance refresh of 3 instances, because launch template web-lt (tagSpecifications, userData) changes",
		"  step 1: 1 of 3 replaced (checkpoint 20%), then a bake of 10m",
		"  step 2: 2 of 3 replaced (checkpoint 50%), then a bake of 10m",
		"  step 3: 3 of 3 replaced (checkpoint 100%): done",
		"  estimated 26m: 3 batches of 2m warmup and 2 bakes of 10m; each launch and health check adds to it",
		"    web-release-5xx: HTTPCode_Target_5XX_Count Sum > 10 in 2 of 3 periods of 1m",
		"    web-release-p99: TargetResponseTime p99 > 2 in 3 of 3 periods of 1m",
		"    web-release-unhealthy: UnHealthyHostCount Maximum > 0 in 2 of 3 periods of 1m",
		"dr-web-asg (us-west-2): instance refresh of 1 instance, because launch template dr-web-lt (tagSpecifications, userData) changes",
	} {
		assert.Contains(t, text, want+"\n")
	}
}

func TestProdBlueGreenWeightMoveIsAListenerUpdateOnly(t *testing.T) {
	blueGreen := func(percent int) map[string]any {
		return map[string]any{"appVersion": "1.4.2", "release": map[string]any{"strategy": "blue-green",
			"green": map[string]any{"appVersion": "1.5.0"}, "greenPercent": percent}}
	}
	zero := prodWith(t, nil, blueGreen(0))
	ten := prodWith(t, zero, blueGreen(10))
	assert.Equal(t, []string{
		"~ update aws:lb/listener:Listener dr-web-https (defaultActions)",
		"~ update aws:lb/listener:Listener web-https (defaultActions)",
	}, ten.changes(), "only the listeners change; the standby mirrors the split, so that a failover keeps it")
	weights := []string{"defaultActions[0].forward.targetGroups[0].weight", "defaultActions[0].forward.targetGroups[1].weight"}
	assert.Equal(t, weights, ten.paths("web-https"), "only the weights move")
	assert.Equal(t, weights, ten.paths("dr-web-https"))
	assert.Equal(t, "== Rollout\n"+
		"web-https (us-east-1): requests shift: web-tg 100% -> 90%, web-tg-green 0% -> 10%. No instance is launched or "+
		"replaced; setting the weights back reverts it.\n"+
		"dr-web-https (us-west-2): requests shift: dr-web-tg 100% -> 90%, dr-web-tg-green 0% -> 10%. No instance is "+
		"launched or replaced; setting the weights back reverts it.\n",
		rollout.Text(rollout.Describe(zero.graph.Resources(), ten.graph.Resources())), "the plan shows a shift of requests, no refresh")
	tenGraph := ten.graph

	https := tenGraph.Named("aws:lb/listener:Listener", "web-https")
	require.NotNil(t, https)
	blue, green := tenGraph.Named("aws:lb/targetGroup:TargetGroup", "web-tg"), tenGraph.Named("aws:lb/targetGroup:TargetGroup", "web-tg-green")
	require.NotNil(t, green)
	assert.Equal(t, blue.ID, https.InputString("defaultActions.0.forward.targetGroups.0.arn"))
	assert.Equal(t, float64(90), https.Input("defaultActions.0.forward.targetGroups.0.weight").NumberValue())
	assert.Equal(t, green.ID, https.InputString("defaultActions.0.forward.targetGroups.1.arn"))
	assert.Equal(t, float64(10), https.Input("defaultActions.0.forward.targetGroups.1.weight").NumberValue())

	// The monitoring watches the green color as it watches blue, in both regions: either may serve the users.
	for _, region := range []struct{ ops, web string }{{"ops", "web"}, {"dr-ops", "dr-web"}} {
		greenTG := tenGraph.Named("aws:lb/targetGroup:TargetGroup", region.web+"-tg-green")
		greenASG := tenGraph.Named("aws:autoscaling/group:Group", region.web+"-asg-green")
		require.NotNil(t, greenTG, region.web)
		require.NotNil(t, greenASG, region.web)
		for _, kind := range []string{"target-5xx", "target-p99", "unhealthy-hosts"} {
			a := tenGraph.Named("aws:cloudwatch/metricAlarm:MetricAlarm", region.ops+"-"+kind+"-green")
			require.NotNil(t, a, region.ops+"-"+kind+"-green")
			assert.Equal(t, greenTG.OutputString("arnSuffix"), a.InputString("dimensions.TargetGroup"))
			assert.NotEmpty(t, a.Input("alarmActions").ArrayValue(), "it pages, as blue's does")
		}
		for _, kind := range []string{"asg-at-max", "instance-cpu"} {
			a := tenGraph.Named("aws:cloudwatch/metricAlarm:MetricAlarm", region.ops+"-"+kind+"-green")
			require.NotNil(t, a, region.ops+"-"+kind+"-green")
			assert.Equal(t, greenASG.ID, a.InputString("dimensions.AutoScalingGroupName"))
		}
	}
}

func TestObservabilityRefusesAGreenGroupWithoutItsBlueCounterpart(t *testing.T) {
	var newErr error
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, newErr = observability.New(ctx, "ops", &observability.Args{Region: "us-east-1",
			GreenTargetGroupARNSuffix: pulumi.String("targetgroup/web-tg-green/0123456789abcdef"),
			GreenASGName:              pulumi.String("web-asg-green")})
		return nil
	})
	require.NoError(t, err)
	require.Error(t, newErr)
	assert.Contains(t, newErr.Error(), "GreenTargetGroupARNSuffix is set without LoadBalancerARNSuffix")
	assert.Contains(t, newErr.Error(), "GreenASGName is set without ASGName")
}

func TestABadReleaseConfigurationIsRefusedInTheStackFilesWords(t *testing.T) {
	fields := goFieldNames()
	for _, tc := range []struct{ name, config, want string }{
		{"checkpoints out of order", "  kit:web:\n    release:\n      checkpoints: [50, 20, 100]\n",
			"kit:web.release.checkpoints [50 20 100] are not in ascending order without repeats"},
		{"checkpoint above 100", "  kit:web:\n    release:\n      checkpoints: [20, 150]\n", "kit:web.release.checkpoints[1] 150 is outside 1-100"},
		{"partial release", "  kit:web:\n    release:\n      checkpoints: [20, 50]\n",
			"kit:web.release.checkpoints [20 50] end at 50%: the last checkpoint must be 100"},
		{"bake shorter than the alarms", "  kit:web:\n    release:\n      bakeSeconds: 30\n",
			"kit:web.release.bakeSeconds 30 is shorter than the 180 seconds the rollback alarms need to fire"},
		{"unknown strategy", "  kit:web:\n    release:\n      strategy: canary\n", `kit:web.release.strategy "canary" is not a strategy: use "rolling" or "blue-green"`},
		{"healthy band", "  kit:web:\n    release:\n      minHealthyPercentage: 20\n      maxHealthyPercentage: 200\n",
			"kit:web.release.maxHealthyPercentage 200 is more than 100 above kit:web.release.minHealthyPercentage 20"},
		{"maximum of zero", "  kit:web:\n    release:\n      maxHealthyPercentage: 0\n", "kit:web.release.maxHealthyPercentage 0 is out of range: use 100-200"},
		{"green share without blue/green", "  kit:web:\n    release:\n      greenPercent: 10\n",
			`kit:web.release.greenPercent 10 is set but kit:web.release.strategy is "rolling": set kit:web.release.strategy "blue-green"`},
		{"green version without blue/green", "  kit:web:\n    release:\n      green:\n        appVersion: \"2.0\"\n",
			`kit:web.release.green is set but kit:web.release.strategy is "rolling"`},
		{"green share above 100", "  kit:web:\n    release:\n      strategy: blue-green\n      greenPercent: 120\n",
			"kit:web.release.greenPercent 120 is outside 0-100"},
		{"app version with a space", "  kit:web:\n    appVersion: \"1.0 beta\"\n", `kit:web.appVersion "1.0 beta" is not a version`},
		{"empty app version", "  kit:web:\n    appVersion: \"\"\n", "kit:web.appVersion is empty"},
		{"rollback on any 5XX", "  kit:web:\n    release:\n      rollbackAlarms:\n        target5xxPerMinute: 0\n",
			"kit:web.release.rollbackAlarms.target5xxPerMinute 0 is out of range"},
		{"negative unhealthy hosts", "  kit:web:\n    release:\n      rollbackAlarms:\n        unhealthyHosts: -1\n",
			"kit:web.release.rollbackAlarms.unhealthyHosts -1 is negative"},
		{"unknown release key", "  kit:web:\n    release:\n      bake: 600\n", "kit:web.release.bake"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, stderr := planFile(t, tc.config)
			assert.Equal(t, 2, status)
			assert.Contains(t, stderr, tc.want)
			msg := stderr[strings.Index(stderr, "stack configuration is invalid"):]
			for _, w := range word.FindAllString(msg, -1) {
				if strings.ToUpper(w) == w || w == "Auto" || w == "Scaling" {
					continue
				}
				assert.False(t, fields[w], "the message names the Go field %s: %s", w, msg)
			}
		})
	}
}

func TestStackOutputsNameTheGroupsAReleaseWaitsFor(t *testing.T) {
	for _, blueGreen := range []bool{false, true} {
		s, err := plan.LoadStack(root, "dev")
		require.NoError(t, err)
		opts := s.Options()
		opts.Config = maps.Clone(opts.Config)
		if blueGreen {
			opts.Config["kit:web"] = `{"instanceType": "t3.micro", "release": {"strategy": "blue-green"}}`
		}
		names := map[string]string{}
		g, err := awssim.Run(func(ctx *pulumi.Context) error {
			cfg, err := stacks.LoadConfig(ctx)
			if err != nil {
				return err
			}
			out, err := stacks.Deploy(ctx, cfg)
			if err != nil {
				return err
			}
			pulumi.All(out.WebASGName, out.WebGreenASGName).ApplyT(func(v []any) error {
				names["blue"], names["green"] = v[0].(string), v[1].(string)
				return nil
			})
			return nil
		}, opts)
		require.NoError(t, err)
		assert.Equal(t, g.Named("aws:autoscaling/group:Group", "web-asg").ID, names["blue"])
		if blueGreen {
			assert.Equal(t, g.Named("aws:autoscaling/group:Group", "web-asg-green").ID, names["green"])
		} else {
			assert.Empty(t, names["green"])
		}
	}
}

func TestStackOutputsNameTheWarmStandbysGroup(t *testing.T) {
	s, err := plan.LoadStack(root, "prod")
	require.NoError(t, err)
	var name string
	g, err := awssim.Run(func(ctx *pulumi.Context) error {
		cfg, err := stacks.LoadConfig(ctx)
		if err != nil {
			return err
		}
		out, err := stacks.Deploy(ctx, cfg)
		if err != nil {
			return err
		}
		out.DRWebASGName.ApplyT(func(v string) string { name = v; return v })
		return nil
	}, s.Options())
	require.NoError(t, err)
	standby := g.Named("aws:autoscaling/group:Group", "dr-web-asg")
	require.NotNil(t, standby)
	assert.Equal(t, standby.ID, name)
	assert.Equal(t, "us-west-2", standby.Region)
}
