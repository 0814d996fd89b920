package awssim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/smithy-go"
)

// What Auto Scaling reports about the refreshes an update started, as time goes by: the answer to
// DescribeInstanceRefreshes that a release watcher polls after `pulumi up`, offline. Time only moves when the
// caller advances it, and an alarm goes to ALARM only when the caller says so, so a test or an exercise can
// replay a good release and a bad one exactly.

// SimulatedStart is when the simulated refreshes start: the moment the update that started them ended.
var SimulatedStart = time.Date(2026, time.December, 1, 9, 0, 0, 0, time.UTC)

// AutoScalingAPI answers Auto Scaling's DescribeInstanceRefreshes for one region of a run's graph. It
// satisfies autoscaling.DescribeInstanceRefreshesAPIClient, the interface the SDK's client does.
type AutoScalingAPI struct {
	graph     *Graph
	region    string
	refreshes []Refresh
	now       time.Duration
	alarms    map[string]time.Duration // alarm name -> when it went to ALARM
}

// AutoScalingAPI returns the Auto Scaling API of region as it stands when the run's update has just ended.
func (g *Graph) AutoScalingAPI(region string) *AutoScalingAPI {
	return g.autoScalingAPI(region, g.Refreshes())
}

// AutoScalingAPIAfter is AutoScalingAPI for a graph that does not link its resources to the state before the
// update (prior), such as one read back from a state file.
func (g *Graph) AutoScalingAPIAfter(prior *Graph, region string) *AutoScalingAPI {
	return g.autoScalingAPI(region, RefreshesBetween(prior.Resources(), g.Resources()))
}

func (g *Graph) autoScalingAPI(region string, refreshes []Refresh) *AutoScalingAPI {
	a := &AutoScalingAPI{graph: g, region: region, alarms: map[string]time.Duration{}}
	for _, r := range refreshes {
		if r.Region == region {
			a.refreshes = append(a.refreshes, r)
		}
	}
	return a
}

// Refreshes are the refreshes the update started in the region.
func (a *AutoScalingAPI) Refreshes() []Refresh { return slices.Clone(a.refreshes) }

// Now is the simulated time.
func (a *AutoScalingAPI) Now() time.Time { return SimulatedStart.Add(a.now) }

// Advance moves the simulated time on.
func (a *AutoScalingAPI) Advance(d time.Duration) { a.now += d }

// SetAlarm puts a CloudWatch alarm of the region in the ALARM state now, as a bad release would. It fails when
// the region has no alarm of that name.
func (a *AutoScalingAPI) SetAlarm(name string) error {
	for _, r := range a.graph.byURN {
		if r.Type == "aws:cloudwatch/metricAlarm:MetricAlarm" && r.Region == a.region && r.ID == name {
			if _, set := a.alarms[name]; !set {
				a.alarms[name] = a.now
			}
			return nil
		}
	}
	return &smithy.GenericAPIError{Code: "ResourceNotFound", Message: fmt.Sprintf("alarm %s does not exist in %s", name, a.region)}
}

// DescribeInstanceRefreshes implements autoscaling.DescribeInstanceRefreshesAPIClient: the group's refreshes,
// newest first (here, the one the update started).
func (a *AutoScalingAPI) DescribeInstanceRefreshes(_ context.Context, in *autoscaling.DescribeInstanceRefreshesInput,
	_ ...func(*autoscaling.Options)) (*autoscaling.DescribeInstanceRefreshesOutput, error) {
	name := aws.ToString(in.AutoScalingGroupName)
	if a.graph.groupNamed(name, a.region) == nil {
		return nil, &smithy.GenericAPIError{Code: "ValidationError",
			Message: fmt.Sprintf("AutoScalingGroup name not found - no such group: %s", name)}
	}
	out := &autoscaling.DescribeInstanceRefreshesOutput{}
	for _, r := range a.refreshes {
		if r.GroupName != name || (len(in.InstanceRefreshIds) > 0 && !slices.Contains(in.InstanceRefreshIds, r.ID)) {
			continue
		}
		out.InstanceRefreshes = append(out.InstanceRefreshes, a.state(r))
	}
	return out, nil
}

func (g *Graph) groupNamed(name, region string) *Resource {
	for _, r := range g.byURN {
		if r.Type == "aws:autoscaling/group:Group" && r.Region == region && r.ID == name {
			return r
		}
	}
	return nil
}

// state is where refresh r stands now.
//
// While it runs, an instance counts as updated once it has warmed up ([API] InstanceRefresh.PercentageComplete:
// "When the instance's health status changes to healthy and the specified warm-up time passes, the instance
// is considered updated"). When one of its alarms goes to ALARM before it ends, it fails ([API]
// AlarmSpecification: alarms "fail the operation if an alarm threshold is met"), and with AutoRollback it
// rolls back: [Guide] rollback, "Amazon EC2 Auto Scaling replaces the instances that have been deployed so
// far", here batch by batch as the refresh launched them, while "PercentageComplete ... gradually goes back
// down to zero". An alarm after the end changes nothing: "You can't roll it back after it's finished."
func (a *AutoScalingAPI) state(r Refresh) types.InstanceRefresh {
	p := r.Plan
	out := types.InstanceRefresh{
		AutoScalingGroupName: aws.String(r.GroupName),
		InstanceRefreshId:    aws.String(r.ID),
		StartTime:            aws.Time(SimulatedStart),
		Strategy:             types.RefreshStrategyRolling,
		Preferences:          sdkPreferences(r.Preferences),
	}
	spec := &types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(r.LaunchTemplate), Version: aws.String(r.Version)}
	if r.Group.Input("mixedInstancesPolicy").IsObject() {
		out.DesiredConfiguration = &types.DesiredConfiguration{MixedInstancesPolicy: &types.MixedInstancesPolicy{
			LaunchTemplate: &types.LaunchTemplate{LaunchTemplateSpecification: spec}}}
	} else {
		out.DesiredConfiguration = &types.DesiredConfiguration{LaunchTemplate: spec}
	}
	alarm, at, fired := a.firstAlarm(r)
	switch {
	case fired:
		done, launched := p.progress(at)
		if !r.Preferences.AutoRollback {
			out.Status = types.InstanceRefreshStatusFailed
			out.StatusReason = aws.String(fmt.Sprintf("CloudWatch alarm %s went to ALARM: the instance refresh failed "+
				"with %d of %d instances replaced. Auto rollback is off: the group keeps both versions.", alarm, done, p.Instances))
			out.EndTime = aws.Time(SimulatedStart.Add(at))
			setProgress(&out, done, p.Instances)
			return out
		}
		reason := fmt.Sprintf("CloudWatch alarm %s went to ALARM", alarm)
		out.RollbackDetails = &types.RollbackDetails{
			RollbackReason:               aws.String(reason),
			RollbackStartTime:            aws.Time(SimulatedStart.Add(at)),
			InstancesToUpdateOnRollback:  aws.Int32(int32(p.Instances - done)),
			PercentageCompleteOnRollback: aws.Int32(int32(percent(done, p.Instances))),
		}
		// The rollback replaces what was launched, in batches of the same size and warmup.
		batches := ceilDiv(launched, max(p.BatchSize, 1))
		end := at + time.Duration(batches)*r.Preferences.InstanceWarmup
		if a.now >= end {
			out.Status = types.InstanceRefreshStatusRollbackSuccessful
			out.StatusReason = aws.String(reason + ": the group is back on its previous launch template.")
			out.EndTime = aws.Time(SimulatedStart.Add(end))
			setProgress(&out, 0, p.Instances)
			out.InstancesToUpdate = aws.Int32(int32(p.Instances - done))
			return out
		}
		restored := 0
		if r.Preferences.InstanceWarmup > 0 {
			restored = min(int((a.now-at)/r.Preferences.InstanceWarmup)*p.BatchSize, launched)
		}
		out.Status = types.InstanceRefreshStatusRollbackInProgress
		out.StatusReason = aws.String(reason + ": rolling back.")
		setProgress(&out, max(done-restored, 0), p.Instances)
		return out
	case a.now >= p.Duration:
		out.Status = types.InstanceRefreshStatusSuccessful
		out.EndTime = aws.Time(SimulatedStart.Add(p.Duration))
		last := 0
		if n := len(p.Batches); n > 0 {
			last = p.Batches[n-1].Replaced
		}
		setProgress(&out, last, p.Instances)
		out.InstancesToUpdate = aws.Int32(int32(p.Instances - last))
		return out
	default:
		done, _ := p.progress(a.now)
		out.Status = types.InstanceRefreshStatusInProgress
		if step, ok := p.pausedAt(a.now); ok {
			out.StatusReason = aws.String(fmt.Sprintf("Checkpoint %d%% reached: continuing at %s.",
				step.Checkpoint, SimulatedStart.Add(step.End+step.Pause).Format(time.RFC3339)))
		}
		setProgress(&out, done, p.Instances)
		return out
	}
}

// firstAlarm returns the refresh's alarm that went to ALARM first while it ran, and when.
func (a *AutoScalingAPI) firstAlarm(r Refresh) (name string, at time.Duration, ok bool) {
	for _, n := range r.Preferences.Alarms {
		t, set := a.alarms[n]
		if !set || t > a.now || t >= r.Plan.Duration {
			continue
		}
		if !ok || t < at {
			name, at, ok = n, t, true
		}
	}
	return name, at, ok
}

// progress returns how many instances are updated (warmed up) and how many were launched, at t.
func (p RefreshPlan) progress(t time.Duration) (done, launched int) {
	for _, b := range p.Batches {
		if b.Start <= t {
			launched = b.Replaced
		}
		if b.End <= t {
			done = b.Replaced
		}
	}
	return done, launched
}

// pausedAt returns the step whose checkpoint pause t falls in.
func (p RefreshPlan) pausedAt(t time.Duration) (RefreshStep, bool) {
	for _, s := range p.Steps {
		if s.Pause > 0 && t >= s.End && t < s.End+s.Pause {
			return s, true
		}
	}
	return RefreshStep{}, false
}

func setProgress(out *types.InstanceRefresh, done, instances int) {
	out.PercentageComplete = aws.Int32(int32(percent(done, instances)))
	out.InstancesToUpdate = aws.Int32(int32(instances - done))
}

func percent(n, of int) int {
	if of == 0 {
		return 100
	}
	return n * 100 / of
}

func sdkPreferences(p RefreshPreferences) *types.RefreshPreferences {
	out := &types.RefreshPreferences{
		MinHealthyPercentage:      aws.Int32(int32(p.MinHealthyPercentage)),
		InstanceWarmup:            aws.Int32(int32(p.InstanceWarmup / time.Second)),
		SkipMatching:              aws.Bool(p.SkipMatching),
		AutoRollback:              aws.Bool(p.AutoRollback),
		ScaleInProtectedInstances: types.ScaleInProtectedInstances(p.ScaleInProtectedInstances),
		StandbyInstances:          types.StandbyInstances(p.StandbyInstances),
	}
	if p.MaxHealthyPercentage > 0 {
		out.MaxHealthyPercentage = aws.Int32(int32(p.MaxHealthyPercentage))
	}
	for _, c := range p.CheckpointPercentages {
		out.CheckpointPercentages = append(out.CheckpointPercentages, int32(c))
	}
	if len(p.CheckpointPercentages) > 0 {
		out.CheckpointDelay = aws.Int32(int32(p.CheckpointDelay / time.Second))
	}
	if len(p.Alarms) > 0 {
		out.AlarmSpecification = &types.AlarmSpecification{Alarms: slices.Clone(p.Alarms)}
	}
	return out
}
