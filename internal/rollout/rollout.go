// Package rollout says what an update does to the instances of the auto-scaling groups it touches, for a
// reviewer reading the plan: the instance refresh a launch template change starts (how many instances, in
// which steps, the capacity kept healthy, the bake time at each checkpoint, how long it takes, and which
// alarms can roll it back), the changes that replace instances without one, or leave running instances on
// an old template, and the listeners that shift requests between blue and green target groups.
//
// It is a pure function of the resources before the update (the deployed state) and after it (the plan),
// as the simulated AWS records them; Auto Scaling's own arithmetic comes from awssim.PlanRefresh.
package rollout

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
)

// Kind is what happens to a group's running instances.
type Kind string

const (
	// Refresh: an instance refresh replaces the instances, in steps, behind the group's alarms.
	Refresh Kind = "refresh"
	// Replace: the instances are replaced or terminated without an instance refresh: no checkpoints, no
	// minimum healthy capacity, no rollback.
	Replace Kind = "replace"
	// Stale: the launch template changes but no refresh starts, so the running instances keep the old one
	// and only instances launched later (by scaling or health replacement) get the new one.
	Stale Kind = "stale"
	// Shift: a listener moves requests between target groups (blue/green); no instance is launched or
	// replaced. Group then names the listener.
	Shift Kind = "shift"
)

const (
	groupType    = "aws:autoscaling/group:Group"
	listenerType = "aws:lb/listener:Listener"
	targetType   = "aws:lb/targetGroup:TargetGroup"
	templateType = "aws:ec2/launchTemplate:LaunchTemplate"
	alarmType    = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// Rollout is what an update does to one group's instances.
type Rollout struct {
	// Group is the group's logical name, as the plan's change lines name it; Region its region.
	Group, Region string
	// GroupName is its physical name in the deployed state ("" for a group the update creates).
	GroupName string
	Kind      Kind
	// Why lists the changes behind it, e.g. "launch template web-lt (userData)".
	Why []string
	// Instances is the group's desired capacity in the deployed state: what a refresh replaces.
	Instances int
	// Preferences are the refresh's preferences and Plan how Auto Scaling walks through them (Refresh only).
	Preferences awssim.RefreshPreferences
	Plan        awssim.RefreshPlan
	// Alarms can fail the refresh, and roll it back when Preferences.AutoRollback is set.
	Alarms []Alarm
	// Shares are the requests' split between target groups before and after (Shift only), by target group.
	Shares []Share
}

// Share is one target group's share of a listener's requests, in percent, before and after the update.
type Share struct {
	TargetGroup string
	From, To    int
}

// Alarm is one alarm a refresh watches.
type Alarm struct {
	// Name is the alarm's logical name when the plan has it, else its physical name.
	Name string
	// Condition says when it fires, e.g. "HTTPCode_Target_5XX_Count Sum > 10 in 2 of 3 periods of 1m".
	Condition string
}

// Describe lists what the update from before (the deployed resources) to after (the planned ones) does to
// the instances of every auto-scaling group, ordered by region and group. A group the update leaves
// alone, or only creates, has no entry.
func Describe(before, after []*awssim.Resource) []Rollout {
	old := byAddress(before)
	var out []Rollout
	seen := map[string]bool{}
	for _, g := range after {
		if g.Type != groupType {
			continue
		}
		addr := awssim.Address(g.URN)
		seen[addr] = true
		prev := old[addr]
		if prev == nil {
			continue
		}
		if r, ok := describeGroup(prev, g, before, after); ok {
			out = append(out, r)
		}
	}
	for _, l := range after {
		if l.Type == listenerType && old[awssim.Address(l.URN)] != nil {
			if r, ok := shift(old[awssim.Address(l.URN)], l, before, after); ok {
				out = append(out, r)
			}
		}
	}
	for _, g := range before {
		if g.Type == groupType && !seen[awssim.Address(g.URN)] {
			out = append(out, Rollout{Group: g.Name, Region: g.Region, GroupName: g.ID, Kind: Replace,
				Instances: desired(g), Why: []string{"the group is deleted: its instances are terminated"}})
		}
	}
	slices.SortFunc(out, func(a, b Rollout) int {
		return strings.Compare(a.Region+"\x00"+a.Group, b.Region+"\x00"+b.Group)
	})
	return out
}

func describeGroup(prev, g *awssim.Resource, before, after []*awssim.Resource) (Rollout, bool) {
	r := Rollout{Group: g.Name, Region: g.Region, GroupName: prev.ID, Instances: desired(prev)}
	if why := replaced(prev, g); why != "" {
		r.Kind, r.Why = Replace, []string{why + ": its instances are replaced all at once by a new group's"}
		return r, true
	}
	templateWhy := templateChanges(prev, g, before, after)
	prefs, hasRefresh := awssim.RefreshPreferencesOf(g)
	if hasRefresh && awssim.RefreshStarts(prev, g) {
		r.Kind, r.Preferences = Refresh, prefs
		r.Why = templateWhy
		for _, k := range []string{"launchConfiguration", "launchTemplate", "mixedInstancesPolicy"} {
			if changed(prev, g, k) && (k != "launchTemplate" || len(templateWhy) == 0) {
				r.Why = append(r.Why, "the group's "+k)
			}
		}
		r.Plan = awssim.PlanRefresh(r.Instances, prefs)
		r.Alarms = alarms(g, prefs, after)
		return r, true
	}
	if len(templateWhy) > 0 {
		r.Kind, r.Why = Stale, templateWhy
		return r, true
	}
	return r, false
}

// replaced says why the provider replaces the group itself, or "".
func replaced(prev, g *awssim.Resource) string {
	if prev.Region != g.Region {
		return "the group moves from " + prev.Region + " to " + g.Region
	}
	var changedKeys []string
	for k := range g.Inputs {
		if changed(prev, g, string(k)) {
			changedKeys = append(changedKeys, string(k))
		}
	}
	for k := range prev.Inputs {
		if g.Inputs[k].IsNull() && !prev.Inputs[k].IsNull() {
			changedKeys = append(changedKeys, string(k))
		}
	}
	slices.Sort(changedKeys)
	if keys := awssim.Replaces(groupType, prev.Inputs, g.Inputs, changedKeys); len(keys) > 0 {
		return "the group is replaced (" + strings.Join(keys, ", ") + " changed)"
	}
	return ""
}

func changed(prev, g *awssim.Resource, key string) bool {
	a, b := prev.Input(key), g.Input(key)
	return b.ContainsUnknowns() || !a.DeepEquals(b)
}

// templateChanges names the group's launch template and the inputs whose change makes it a new version.
func templateChanges(prev, g *awssim.Resource, before, after []*awssim.Resource) []string {
	lt := templateOf(g, after)
	if lt == nil {
		return nil
	}
	old := byAddress(before)[awssim.Address(lt.URN)]
	if old == nil {
		return []string{"a new launch template " + lt.Name}
	}
	keys := awssim.LaunchTemplateDataChanges(old, lt)
	if len(keys) == 0 {
		return nil
	}
	return []string{"launch template " + lt.Name + " (" + strings.Join(keys, ", ") + ")"}
}

// templateOf finds the launch template a group launches from: by id, else by the dependency the engine
// records when the id is not known yet (a preview of a replaced template), else the one template beside
// the group in its component.
func templateOf(g *awssim.Resource, after []*awssim.Resource) *awssim.Resource {
	id := g.InputString("launchTemplate.id")
	if id == "" {
		id = g.InputString("mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId")
	}
	var siblings []*awssim.Resource
	for _, r := range after {
		if r.Type != templateType {
			continue
		}
		if id != "" && r.ID == id {
			return r
		}
		for _, key := range []string{"launchTemplate", "mixedInstancesPolicy"} {
			if slices.Contains(g.PropertyDependencies[key], r.URN) {
				return r
			}
		}
		if r.Parent == g.Parent && r.Region == g.Region {
			siblings = append(siblings, r)
		}
	}
	if len(siblings) == 1 {
		return siblings[0]
	}
	return nil
}

// alarms describes the alarms a refresh watches: the named ones, and, during a preview where the names of
// alarms created in the same update are unknown, the alarms the refresh settings are computed from.
func alarms(g *awssim.Resource, prefs awssim.RefreshPreferences, after []*awssim.Resource) []Alarm {
	var out []Alarm
	found := map[string]bool{}
	for _, r := range after {
		if r.Type != alarmType || r.Region != g.Region {
			continue
		}
		named := r.ID != "" && slices.Contains(prefs.Alarms, r.ID) ||
			slices.Contains(prefs.Alarms, r.InputString("name")) && r.InputString("name") != ""
		if named || slices.Contains(g.PropertyDependencies["instanceRefresh"], r.URN) {
			out = append(out, Alarm{Name: r.Name, Condition: condition(r)})
			found[r.ID] = true
		}
	}
	for _, name := range prefs.Alarms {
		if !found[name] {
			out = append(out, Alarm{Name: name, Condition: "an alarm the plan does not hold"})
		}
	}
	slices.SortFunc(out, func(a, b Alarm) int { return strings.Compare(a.Name, b.Name) })
	return out
}

var comparisons = map[string]string{
	"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<",
	"LessThanOrEqualToThreshold": "<=",
}

// condition says when an alarm fires, from its inputs.
func condition(a *awssim.Resource) string {
	stat := a.InputString("statistic")
	if ext := a.InputString("extendedStatistic"); ext != "" {
		stat = ext
	}
	op := comparisons[a.InputString("comparisonOperator")]
	if op == "" {
		op = a.InputString("comparisonOperator")
	}
	threshold := a.Input("threshold")
	evals := a.Input("evaluationPeriods")
	points := a.Input("datapointsToAlarm")
	if !points.IsNumber() {
		points = evals
	}
	period := a.Input("period")
	if !threshold.IsNumber() || !evals.IsNumber() || !period.IsNumber() {
		return a.InputString("metricName")
	}
	return fmt.Sprintf("%s %s %s %g in %g of %g periods of %s", a.InputString("metricName"), stat, op,
		threshold.NumberValue(), points.NumberValue(), evals.NumberValue(),
		Duration(time.Duration(period.NumberValue())*time.Second))
}

func desired(g *awssim.Resource) int {
	for _, v := range []float64{number(g.Output("desiredCapacity")), number(g.Input("desiredCapacity")),
		number(g.Input("minSize"))} {
		if v >= 0 {
			return int(v)
		}
	}
	return 0
}

func number(v resource.PropertyValue) float64 {
	if v.IsNumber() {
		return v.NumberValue()
	}
	return -1
}

func byAddress(rs []*awssim.Resource) map[string]*awssim.Resource {
	out := map[string]*awssim.Resource{}
	for _, r := range rs {
		out[awssim.Address(r.URN)] = r
	}
	return out
}

// Duration prints a duration the way a reviewer reads it: 26m, 1h5m, 45s.
func Duration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// shift describes a listener whose default action moves requests between target groups.
func shift(prev, l *awssim.Resource, before, after []*awssim.Resource) (Rollout, bool) {
	from, to := shares(prev), shares(l)
	names := map[string]string{}
	for _, rs := range [][]*awssim.Resource{before, after} {
		for _, r := range rs {
			if r.Type == targetType && r.ID != "" {
				names[r.ID] = r.Name
			}
		}
	}
	var out []Share
	moved := false
	for _, arn := range sortedKeys(from, to) {
		s := Share{TargetGroup: firstNonEmpty(names[arn], arn), From: from[arn], To: to[arn]}
		moved = moved || s.From != s.To
		out = append(out, s)
	}
	if !moved {
		return Rollout{}, false
	}
	return Rollout{Group: l.Name, Region: l.Region, Kind: Shift, Shares: out}, true
}

// shares are the percentages of requests a listener's first forward action sends to each target group
// (weights are relative: Elastic Load Balancing API Reference, TargetGroupTuple and ForwardActionConfig).
func shares(l *awssim.Resource) map[string]int {
	out := map[string]int{}
	action := "defaultActions.0."
	if l.InputString(action+"type") != "forward" {
		return out
	}
	if arn := l.InputString(action + "targetGroupArn"); arn != "" {
		out[arn] = 100
		return out
	}
	groups := l.Input(action + "forward.targetGroups")
	if !groups.IsArray() {
		return out
	}
	weights := map[string]float64{}
	total := 0.0
	for i := range groups.ArrayValue() {
		arn := l.InputString(fmt.Sprintf("%sforward.targetGroups.%d.arn", action, i))
		w := 1.0 // an absent weight counts as much as another absent one; the kit always gives them
		if v := l.Input(fmt.Sprintf("%sforward.targetGroups.%d.weight", action, i)); v.IsNumber() {
			w = v.NumberValue()
		}
		weights[arn] += w
		total += w
	}
	for arn, w := range weights {
		out[arn] = 0
		if total > 0 {
			out[arn] = int(w*100/total + 0.5)
		}
	}
	return out
}

func sortedKeys(maps ...map[string]int) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
