package awssim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Instance refresh: the preferences StartInstanceRefresh accepts, what it refuses, and how Auto Scaling walks a
// group through a refresh, batch by batch and checkpoint by checkpoint. The references:
//
//   - [API] StartInstanceRefresh and RefreshPreferences, Amazon EC2 Auto Scaling API Reference
//     (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html), as the
//     aws-sdk-go-v2 autoscaling types (v1.82.0) carry it.
//   - [Guide] Amazon EC2 Auto Scaling User Guide: "Replacing Auto Scaling instances based on an instance
//     refresh" (asg-instance-refresh), "Adding checkpoints to an instance refresh"
//     (asg-adding-checkpoints-instance-refresh), "Undo changes with a manual or auto rollback"
//     (instance-refresh-rollback), "Understand the default values for an instance refresh".
//   - [Provider] pulumi-aws v6.83.4 autoscaling.Group (instanceRefresh), and the Terraform provider it wraps
//     (internal/service/autoscaling/group.go, expandStartInstanceRefreshInput).

// RefreshPreferences are the preferences the provider sends to StartInstanceRefresh for a group, with the
// defaults the provider and Auto Scaling fill in.
type RefreshPreferences struct {
	// MinHealthyPercentage of the desired capacity stays in service and healthy. [Provider] default 90.
	MinHealthyPercentage int
	// MaxHealthyPercentage of the desired capacity may run, old and new. The provider always sends it, 100
	// by default; 0 here means the request left it out.
	MaxHealthyPercentage int
	// InstanceWarmup is how long a new instance warms up before the refresh moves on. [API] default: the
	// group's DefaultInstanceWarmup, or its HealthCheckGracePeriod.
	InstanceWarmup time.Duration
	// CheckpointPercentages pause the refresh when that share of the group is replaced.
	CheckpointPercentages []int
	// CheckpointDelay is the pause at each checkpoint. [API] default one hour when checkpoints are set.
	CheckpointDelay time.Duration
	// SkipMatching leaves instances that already run the desired configuration alone.
	SkipMatching bool
	// AutoRollback puts the group back on its previous configuration when the refresh fails or an alarm of
	// Alarms goes to ALARM.
	AutoRollback bool
	// Alarms are the CloudWatch alarm names the refresh watches.
	Alarms []string
	// ScaleInProtectedInstances and StandbyInstances say what happens to such instances.
	ScaleInProtectedInstances, StandbyInstances string
}

// Provider defaults of the instance refresh preferences ([Provider] group.go schema) and of the group.
const (
	defaultMinHealthyPercentage = 90
	defaultMaxHealthyPercentage = 100
	// [API] CheckpointDelay: "If you specify a value for CheckpointPercentages and not for CheckpointDelay,
	// the CheckpointDelay defaults to 3600 (1 hour)."
	defaultCheckpointDelay = time.Hour
	// [Provider] health_check_grace_period defaults to 300 seconds.
	defaultHealthCheckGracePeriod = 300 * time.Second
	// [API] CheckpointDelay: "Valid Range: Minimum value of 0. Maximum value of 172800."
	maxCheckpointDelay = 172800
	// [API] AlarmSpecification.Alarms: "The names of one or more CloudWatch alarms ... up to 10 alarms."
	maxRefreshAlarms = 10
)

var (
	// [API] ScaleInProtectedInstances and StandbyInstances: the valid values.
	scaleInProtectedValues = map[string]bool{"Refresh": true, "Ignore": true, "Wait": true}
	standbyValues          = map[string]bool{"Terminate": true, "Ignore": true, "Wait": true}
)

// RefreshPreferencesOf reads a group's instance refresh preferences from its inputs, with the defaults
// filled in. ok is false when the group has no instanceRefresh block: the provider then starts no refresh.
func RefreshPreferencesOf(group *Resource) (p RefreshPreferences, ok bool) {
	if !group.Input("instanceRefresh").IsObject() {
		return p, false
	}
	pref := "instanceRefresh.preferences."
	in := group.Inputs
	p.MinHealthyPercentage = defaultMinHealthyPercentage
	if v, ok := numberInput(in, pref+"minHealthyPercentage"); ok {
		p.MinHealthyPercentage = int(v)
	}
	p.MaxHealthyPercentage = defaultMaxHealthyPercentage
	if v, ok := numberInput(in, pref+"maxHealthyPercentage"); ok {
		p.MaxHealthyPercentage = int(v)
	}
	// [API] InstanceWarmup: "the value of the DefaultInstanceWarmup property, if defined ..., or the
	// HealthCheckGracePeriod property otherwise."
	p.InstanceWarmup = defaultHealthCheckGracePeriod
	if v, ok := numberInput(in, "healthCheckGracePeriod"); ok {
		p.InstanceWarmup = seconds(v)
	}
	if v, ok := numberInput(in, "defaultInstanceWarmup"); ok {
		p.InstanceWarmup = seconds(v)
	}
	if v, err := strconv.Atoi(stringInput(in, pref+"instanceWarmup")); err == nil {
		p.InstanceWarmup = time.Duration(v) * time.Second
	}
	for _, v := range numbersInput(in, pref+"checkpointPercentages") {
		p.CheckpointPercentages = append(p.CheckpointPercentages, int(v))
	}
	if len(p.CheckpointPercentages) > 0 {
		p.CheckpointDelay = defaultCheckpointDelay
	}
	if v, err := strconv.Atoi(stringInput(in, pref+"checkpointDelay")); err == nil {
		p.CheckpointDelay = time.Duration(v) * time.Second
	}
	p.SkipMatching = boolInput(in, pref+"skipMatching", false)
	p.AutoRollback = boolInput(in, pref+"autoRollback", false)
	p.Alarms = stringsInput(in, pref+"alarmSpecification.alarms")
	// [Provider] scale_in_protected_instances and standby_instances default to Ignore.
	p.ScaleInProtectedInstances = firstNonEmpty(stringInput(in, pref+"scaleInProtectedInstances"), "Ignore")
	p.StandbyInstances = firstNonEmpty(stringInput(in, pref+"standbyInstances"), "Ignore")
	return p, true
}

func seconds(v float64) time.Duration { return time.Duration(v) * time.Second }

// checkInstanceRefresh refuses the instance refresh settings StartInstanceRefresh refuses. The provider calls
// StartInstanceRefresh only when an update changes the launch template; refusing the settings whenever the
// group is registered means a setting that would break the next release fails the change that introduces it.
func (s *Sim) checkInstanceRefresh(r *Resource) error {
	m := r.Inputs
	if !lookup(m, "instanceRefresh").IsObject() {
		return nil
	}
	// [Provider] strategy: "The only allowed value is Rolling".
	if st := stringInput(m, "instanceRefresh.strategy"); st != "Rolling" {
		return asgError("Instance refresh strategy '%s' must be Rolling", st)
	}
	pref := "instanceRefresh.preferences."
	minH, hasMin := numberInput(m, pref+"minHealthyPercentage")
	if hasMin && (minH < 0 || minH > 100) {
		return asgError("MinHealthyPercentage %v must be between 0 and 100", minH)
	}
	maxH, hasMax := numberInput(m, pref+"maxHealthyPercentage")
	if hasMax && (maxH < 100 || maxH > 200) {
		return asgError("MaxHealthyPercentage %v must be between 100 and 200", maxH)
	}
	// [API] MaxHealthyPercentage: "the difference between them cannot be greater than 100".
	if hasMin && hasMax && maxH-minH > 100 {
		return asgError("The difference between MaxHealthyPercentage (%v) and MinHealthyPercentage (%v) "+
			"cannot be greater than 100", maxH, minH)
	}
	if w := stringInput(m, pref+"instanceWarmup"); w != "" {
		if n, err := strconv.Atoi(w); err != nil || n < 0 {
			return asgError("InstanceWarmup '%s' must be a number of seconds", w)
		}
	}
	if err := checkCheckpoints(m, pref); err != nil {
		return err
	}
	if v := stringInput(m, pref+"scaleInProtectedInstances"); v != "" && !scaleInProtectedValues[v] {
		return asgError("ScaleInProtectedInstances '%s' must be Refresh, Ignore or Wait", v)
	}
	if v := stringInput(m, pref+"standbyInstances"); v != "" && !standbyValues[v] {
		return asgError("StandbyInstances '%s' must be Terminate, Ignore or Wait", v)
	}
	if spec := lookup(m, pref+"alarmSpecification"); spec.IsObject() && !spec.ContainsUnknowns() {
		alarms := lookup(m, pref+"alarmSpecification.alarms")
		n := 0
		if alarms.IsArray() {
			n = len(alarms.ArrayValue())
		}
		if n == 0 || n > maxRefreshAlarms {
			return asgError("AlarmSpecification names %d alarms: give the names of 1 to %d CloudWatch alarms",
				n, maxRefreshAlarms)
		}
	}
	if boolInput(m, pref+"autoRollback", false) {
		return s.checkAutoRollback(r)
	}
	return nil
}

// checkCheckpoints applies [API] CheckpointPercentages ("Threshold values for each checkpoint in ascending
// order. Each number must be unique.") and CheckpointDelay ("if you specify a value for it, you must also
// specify a value for CheckpointPercentages"; 0 to 172800). [Guide] (checkpoints) has a checkpoint take a
// percentage from 1 to 100.
func checkCheckpoints(m resource.PropertyMap, pref string) error {
	points := numbersInput(m, pref+"checkpointPercentages")
	for i, p := range points {
		if p < 1 || p > 100 {
			return asgError("CheckpointPercentages value %v must be between 1 and 100", p)
		}
		if i > 0 && p <= points[i-1] {
			return asgError("CheckpointPercentages %v must be unique and in ascending order", points)
		}
	}
	delay := stringInput(m, pref+"checkpointDelay")
	if delay == "" {
		return nil
	}
	n, err := strconv.Atoi(delay)
	if err != nil || n < 0 || n > maxCheckpointDelay {
		return asgError("CheckpointDelay '%s' must be a number of seconds from 0 to %d", delay, maxCheckpointDelay)
	}
	if len(points) == 0 {
		return asgError("CheckpointDelay is specified without CheckpointPercentages: give the checkpoints too")
	}
	return nil
}

// checkAutoRollback applies [API] AutoRollback: "A rollback is not supported in the following situations:
// There is no desired configuration specified for the instance refresh. The Auto Scaling group has a launch
// template that uses an AWS Systems Manager parameter instead of an AMI ID for the ImageId property. The
// Auto Scaling group uses the launch template's $Latest or $Default version." The provider sends the
// group's launch template or mixed instances policy as the desired configuration, and nothing for a
// launch configuration ([Provider] expandStartInstanceRefreshInput).
func (s *Sim) checkAutoRollback(r *Resource) error {
	id, pinned, ok := launchTemplateSpec(r)
	version := r.Input("launchTemplate.version")
	if r.Input("mixedInstancesPolicy").IsObject() {
		version = r.Input("mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.version")
	}
	if version.ContainsUnknowns() || r.Input("launchTemplate").IsComputed() || r.Input("mixedInstancesPolicy").IsComputed() {
		return nil // a version the preview does not know yet: it is judged when the update has it
	}
	if !ok {
		// The provider's comment quotes the API's refusal.
		return asgError("The AutoRollback parameter cannot be set to true when the DesiredConfiguration " +
			"parameter is empty: use a launch template or a mixed instances policy, not a launch configuration")
	}
	if pinned == "" || pinned == "$Latest" || pinned == "$Default" {
		return asgError("AutoRollback is not supported when the Auto Scaling group uses the launch template's "+
			"$Latest or $Default version (version %q): use a numbered version, such as the template's latestVersion",
			firstNonEmpty(pinned, "$Default"))
	}
	if id == "" {
		return nil
	}
	if lt := s.graph.byID[id]; lt != nil && strings.HasPrefix(stringInput(lt.Inputs, "imageId"), "resolve:ssm:") {
		return asgError("AutoRollback is not supported when the launch template %s takes its ImageId from a "+
			"Systems Manager parameter (%s): give the AMI id itself", id, stringInput(lt.Inputs, "imageId"))
	}
	return nil
}

// launchTemplateSpec returns the launch template id and version a group launches from, directly or through
// its mixed instances policy; ok is false without a launch template.
func launchTemplateSpec(r *Resource) (id, version string, ok bool) {
	if r.Input("launchTemplate").IsObject() {
		return r.InputString("launchTemplate.id"), r.InputString("launchTemplate.version"), true
	}
	spec := "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification."
	if r.Input("mixedInstancesPolicy").IsObject() {
		return r.InputString(spec + "launchTemplateId"), r.InputString(spec + "version"), true
	}
	return "", "", false
}

// refreshAlarmsMissing finds groups whose refresh watches alarms that do not exist in the group's region: an
// alarm that does not exist never goes to ALARM, so a bad release it was meant to stop rolls on.
func (g *Graph) refreshAlarmsMissing() []string {
	names := map[string]bool{}
	for _, r := range g.byURN {
		if r.Type == "aws:cloudwatch/metricAlarm:MetricAlarm" {
			names[r.Region+"/"+r.ID] = true
		}
	}
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:autoscaling/group:Group" {
			continue
		}
		for _, a := range stringsInput(r.Inputs, "instanceRefresh.preferences.alarmSpecification.alarms") {
			if !names[r.Region+"/"+a] {
				out = append(out, fmt.Sprintf("%s: instance refresh alarm %q does not exist in %s: it can never "+
					"go to ALARM, so no release is failed or rolled back by it. Name an alarm of the group's "+
					"region.", r.URN, a, r.Region))
			}
		}
	}
	return out
}

// RefreshPlan is how Auto Scaling replaces a group's instances in a refresh: in batches, pausing at
// checkpoints.
type RefreshPlan struct {
	// Instances is the desired capacity the refresh replaces.
	Instances int
	// MinInService is the fewest instances kept in service and healthy; MaxRunning the most running at once,
	// old and new.
	MinInService, MaxRunning int
	// BatchSize is how many instances are replaced at a time.
	BatchSize int
	// Steps run from one checkpoint to the next; without checkpoints there is one.
	Steps   []RefreshStep
	Batches []RefreshBatch
	// Duration is from the start to the end of the last batch's warmup: the refresh is then Successful.
	Duration time.Duration
}

// RefreshStep is the part of a refresh up to a checkpoint.
type RefreshStep struct {
	// Checkpoint is the highest checkpoint percentage the step reaches; 0 without checkpoints. A step that
	// reaches several checkpoints at once pauses once ([Guide] checkpoints: "it skips the first checkpoint").
	Checkpoint int
	// Replaced is how many instances are replaced when the step ends, counting earlier steps.
	Replaced int
	// Batches is how many batches the step takes.
	Batches int
	// Start and End bound the step's batches; Pause follows End (0 after the last step).
	Start, End, Pause time.Duration
}

// RefreshBatch is a set of instances replaced together: launched at Start, warmed up at End.
type RefreshBatch struct {
	Start, End time.Duration
	Size       int
	// Replaced counts every instance replaced once the batch is warm, earlier batches included.
	Replaced int
}

// PlanRefresh works out how a refresh with preferences p replaces instances instances.
//
// The batch follows the healthy percentages: [Guide] "The value is expressed as a percentage of the desired
// capacity of the Auto Scaling group (rounded up to the nearest integer)" for the minimum; the maximum is
// rounded down here, so the plan never promises more instances at once than the group may run. Where the
// two leave no room, [API] MaxHealthyPercentage: "Auto Scaling launches a new instance before terminating
// an old one (temporarily exceeding the desired capacity)" when the maximum is set, and "terminates an
// instance and launches its replacement simultaneously" when it is omitted: one at a time either way. A batch
// takes the instance warmup ([Guide] "It waits until the instances pass your health checks and complete
// warmup before it moves on"); a checkpoint is reached when the replaced instances reach its percentage,
// counted up ("equal to or higher than the percentage threshold, but not lower"), and the refresh waits
// CheckpointDelay there, except at the last checkpoint, after which it is Successful ([Guide] checkpoints:
// "The operation transitions to Successful after this percentage is successfully replaced"). The Guide's
// example of ten instances, [20,50], 80% healthy and a 15-minute delay is in the tests.
func PlanRefresh(instances int, p RefreshPreferences) RefreshPlan {
	plan := RefreshPlan{Instances: instances}
	if instances <= 0 {
		return plan
	}
	plan.MinInService = ceilDiv(instances*p.MinHealthyPercentage, 100)
	plan.MaxRunning = instances
	if p.MaxHealthyPercentage > 0 {
		plan.MaxRunning = instances * p.MaxHealthyPercentage / 100
	}
	plan.BatchSize = min(max(plan.MaxRunning-plan.MinInService, 1), instances)
	if plan.MaxRunning < plan.MinInService+1 && p.MaxHealthyPercentage > 0 {
		plan.MaxRunning = plan.MinInService + 1 // the one launched before its predecessor is terminated
	}

	points := p.CheckpointPercentages
	if len(points) == 0 {
		points = []int{100}
	}
	last := ceilDiv(instances*points[len(points)-1], 100)
	replaced, at := 0, time.Duration(0)
	for _, pct := range points {
		target := ceilDiv(instances*pct, 100)
		if target <= replaced {
			continue // reached by the step before: it paused once for both
		}
		step := RefreshStep{Start: at}
		for replaced < target {
			size := min(plan.BatchSize, target-replaced)
			replaced += size
			plan.Batches = append(plan.Batches, RefreshBatch{Start: at, End: at + p.InstanceWarmup, Size: size, Replaced: replaced})
			at += p.InstanceWarmup
			step.Batches++
		}
		step.End, step.Replaced = at, replaced
		if len(p.CheckpointPercentages) > 0 {
			for _, q := range p.CheckpointPercentages {
				if ceilDiv(instances*q, 100) <= replaced {
					step.Checkpoint = q
				}
			}
		}
		if replaced < last {
			step.Pause = p.CheckpointDelay
			at += p.CheckpointDelay
		}
		plan.Steps = append(plan.Steps, step)
	}
	plan.Duration = at
	return plan
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// Refresh is an instance refresh an update starts.
type Refresh struct {
	// ID is the refresh's id, a UUID derived from the group and the launch template version.
	ID string
	// Group is the group as the update registers it; GroupName its name.
	Group     *Resource
	GroupName string
	Region    string
	// LaunchTemplate and Version are the desired configuration.
	LaunchTemplate, Version string
	Preferences             RefreshPreferences
	Plan                    RefreshPlan
}

// Refreshes lists the instance refreshes the run starts, as the provider starts them ([Provider]
// instanceRefresh.triggers: "A refresh is started when any of the following Auto Scaling Group properties
// change: launchConfiguration, launchTemplate, mixedInstancesPolicy", plus the properties named in triggers;
// "A refresh will not start when version = "$Latest" is configured"). Only an update starts one: a group the
// run creates launches its instances from the new template directly. Each replaces the desired capacity
// the group had, recorded in the state the run started from.
func (g *Graph) Refreshes() []Refresh {
	var out []Refresh
	for _, r := range g.Resources() {
		if r.Prior != nil {
			out = appendRefresh(out, r.Prior, r)
		}
	}
	return out
}

// RefreshesBetween lists the refreshes an update from before to after starts, pairing the resources by
// address: for graphs that do not link each resource to its prior self (a state read back from a file).
func RefreshesBetween(before, after []*Resource) []Refresh {
	prior := map[string]*Resource{}
	for _, r := range before {
		prior[Address(r.URN)] = r
	}
	var out []Refresh
	for _, r := range after {
		if p := prior[Address(r.URN)]; p != nil {
			out = appendRefresh(out, p, r)
		}
	}
	return out
}

func appendRefresh(out []Refresh, prior, r *Resource) []Refresh {
	if r.Type != "aws:autoscaling/group:Group" {
		return out
	}
	prefs, ok := RefreshPreferencesOf(r)
	if !ok || !RefreshStarts(prior, r) {
		return out
	}
	id, version, _ := launchTemplateSpec(r)
	instances := 0
	if v, ok := numberInput(prior.Outputs, "desiredCapacity"); ok {
		instances = int(v)
	}
	s := &Sim{}
	return append(out, Refresh{
		ID: s.uuid(r.URN + "#refresh#" + id + ":" + version), Group: r, GroupName: r.ID, Region: r.Region,
		LaunchTemplate: id, Version: version, Preferences: prefs, Plan: PlanRefresh(instances, prefs),
	})
}

// RefreshStarts reports whether updating a group from before to after starts an instance refresh, by the
// provider's rule (see Graph.Refreshes). A change that is unknown during a preview counts as a change.
func RefreshStarts(before, after *Resource) bool {
	if !after.Input("instanceRefresh").IsObject() {
		return false
	}
	if _, version, ok := launchTemplateSpec(after); ok && version == "$Latest" {
		return false
	}
	keys := []string{"launchConfiguration", "launchTemplate", "mixedInstancesPolicy"}
	keys = append(keys, stringsInput(after.Inputs, "instanceRefresh.triggers")...)
	for _, k := range keys {
		a, b := before.Input(k), after.Input(k)
		if b.ContainsUnknowns() || !a.DeepEquals(b) {
			return true
		}
	}
	return false
}

// launchTemplateVersionKeys are the launch template inputs whose change makes the provider create a new
// template version: resourceLaunchTemplateUpdate's updateKeys in the Terraform provider
// (internal/service/ec2/ec2_launch_template.go). Tags, name and the default-version settings change the
// template, not its data, and make no version.
var launchTemplateVersionKeys = []string{
	"blockDeviceMappings", "capacityReservationSpecification", "cpuOptions", "creditSpecification",
	"description", "disableApiStop", "disableApiTermination", "ebsOptimized", "elasticGpuSpecifications",
	"elasticInferenceAccelerator", "enclaveOptions", "hibernationOptions", "iamInstanceProfile", "imageId",
	"instanceInitiatedShutdownBehavior", "instanceMarketOptions", "instanceRequirements", "instanceType",
	"kernelId", "keyName", "licenseSpecifications", "metadataOptions", "monitoring", "networkInterfaces",
	"placement", "privateDnsNameOptions", "ramDiskId", "securityGroupNames", "tagSpecifications", "userData",
	"vpcSecurityGroupIds",
}

// LaunchTemplateDataChanges lists the inputs whose change between before and after makes a new launch
// template version, sorted; an input unknown in after counts as changed.
func LaunchTemplateDataChanges(before, after *Resource) []string {
	var out []string
	for _, k := range launchTemplateVersionKeys {
		a, b := before.Input(k), after.Input(k)
		if b.ContainsUnknowns() || !a.DeepEquals(b) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// launchTemplateVersions returns a template's latest and default version numbers: 1 and 1 when it is
// created; on an update, one more than before when its data changes, with the default following the latest
// when updateDefaultVersion is set ([Provider] ec2.LaunchTemplate: "Whether to update Default Version each
// update").
func launchTemplateVersions(r *Resource) (latest, def int) {
	if r.Prior == nil {
		return 1, 1
	}
	latest, def = 1, 1
	if v, ok := numberInput(r.Prior.Outputs, "latestVersion"); ok {
		latest = int(v)
	}
	if v, ok := numberInput(r.Prior.Outputs, "defaultVersion"); ok {
		def = int(v)
	}
	if len(LaunchTemplateDataChanges(r.Prior, r)) > 0 {
		latest++
	}
	if boolInput(r.Inputs, "updateDefaultVersion", false) {
		def = latest
	}
	return latest, def
}

// numbersInput reads a list of numbers, skipping what is not a known number.
func numbersInput(m resource.PropertyMap, key string) []float64 {
	v := lookup(m, key)
	if !v.IsArray() {
		return nil
	}
	var out []float64
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsNumber() {
			out = append(out, e.NumberValue())
		}
	}
	return out
}
