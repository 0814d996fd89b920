package webtier

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// How a new version reaches the running instances. A change of the launch template (the AMI, the user
// data, the app version) makes a new template version; the group is pinned to the latest version number, so
// the provider updates the group and starts an instance refresh (pulumi-aws autoscaling.Group,
// instanceRefresh: "A refresh is started when any of the following Auto Scaling Group properties change:
// launchConfiguration, launchTemplate, mixedInstancesPolicy"). The refresh below replaces the instances in
// steps, pauses at checkpoints while the tier's own rollback alarms watch the new instances, and rolls back
// by itself when one of them fires (Amazon EC2 Auto Scaling User Guide, "Undo changes with a manual or auto
// rollback").

// Strategy is how a release reaches the users.
type Strategy string

const (
	// Rolling replaces the instances of the one group in place, by instance refresh.
	Rolling Strategy = "rolling"
	// BlueGreen runs two groups, blue and green, each behind its own target group, and the HTTPS (or HTTP)
	// listener splits the traffic between them by weight: a release goes to the idle color, and moving
	// Release.GreenPercent moves the users, one listener update each way.
	BlueGreen Strategy = "blue-green"
)

// Defaults of Release, the values a cautious team would choose.
var (
	// DefaultCheckpoints pause the refresh after a fifth of the instances, then after half, so a bad version
	// meets few users before the alarms can stop it.
	DefaultCheckpoints = []int{20, 50, 100}
)

const (
	DefaultStrategy = Rolling
	// DefaultBakeSeconds is the pause at each checkpoint: enough for the rollback alarms' three one-minute
	// periods, and for someone to look.
	DefaultBakeSeconds = 600
	// DefaultMinHealthyPercentage keeps the whole desired capacity in service during a release: Auto
	// Scaling launches a replacement before it terminates an instance.
	DefaultMinHealthyPercentage = 100
	// DefaultMaxHealthyPercentage lets 10% more instances run during a release (at least one).
	DefaultMaxHealthyPercentage = 110
	// Rollback alarm thresholds: those of the kit's monitoring alarms, over a shorter window.
	DefaultRollback5XXPerMinute    = 10.0
	DefaultRollbackP99Seconds      = 2.0
	DefaultRollbackUnhealthyHosts  = 0.0
	rollbackAlarmPeriod            = 60 // seconds
	rollbackAlarmPeriods           = 3  // the window every rollback alarm evaluates
	maxRollbackResponseTimeSeconds = 4000.0
	maxBakeSeconds                 = 172800 // StartInstanceRefresh's CheckpointDelay maximum
	rollbackAlarmWindowSeconds     = rollbackAlarmPeriod * rollbackAlarmPeriods
	greenSuffix                    = "green"
	maxTargetGroupWeight           = 100 // GreenPercent is a share of 100
	appVersionTag                  = "AppVersion"
	appVersionMaxLength            = 128
)

var appVersionPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)

// Release configures how a change of the launch template rolls out. Every field is optional.
type Release struct {
	// Strategy is Rolling or BlueGreen. Optional; default Rolling.
	Strategy Strategy
	// Checkpoints are the shares of the group (percent, ascending, the last 100) after which the refresh
	// pauses for BakeSeconds. Optional; default DefaultCheckpoints (20, 50, 100).
	Checkpoints []int
	// BakeSeconds is the pause at each checkpoint, while the rollback alarms watch the new instances: at
	// least the alarms' three minutes when there is more than one checkpoint, at most 172800. Optional;
	// nil means DefaultBakeSeconds (600).
	BakeSeconds *int
	// MinHealthyPercentage of the desired capacity stays in service and healthy during a release (0-100).
	// Optional; nil means DefaultMinHealthyPercentage (100).
	MinHealthyPercentage *int
	// MaxHealthyPercentage of the desired capacity may run during a release (100-200, at most 100 above
	// MinHealthyPercentage). Optional; 0 means DefaultMaxHealthyPercentage (110).
	MaxHealthyPercentage int
	// SkipMatching leaves instances that already run the new template alone, so a release started again
	// after a failure replaces only what it has not. Optional; nil means true.
	SkipMatching *bool
	// AutoRollback puts the group back on its previous template when the refresh fails or a rollback alarm
	// fires. Optional; nil means true.
	AutoRollback *bool
	// RollbackAlarms tune the alarms that fail (and roll back) a release. Optional; defaults per field.
	RollbackAlarms RollbackAlarms
	// Green is the green group's version, with Strategy BlueGreen: the blue group runs Args.AppVersion and
	// Args.AMIID. Optional; default the blue group's version.
	Green *Color
	// GreenPercent is the share of requests the listener sends to the green group (0-100), with Strategy
	// BlueGreen; the blue group gets the rest. Optional; default 0.
	GreenPercent int
}

// RollbackAlarms are the thresholds of the alarms a release watches. They evaluate one-minute periods over
// three minutes, so that they fire within a checkpoint's bake time.
type RollbackAlarms struct {
	// Target5XXPerMinute: fire when the targets answer more 5XX than this in 2 of 3 minutes. Optional; 0
	// means DefaultRollback5XXPerMinute (10).
	Target5XXPerMinute float64
	// TargetResponseTimeP99Seconds: fire when the p99 response time exceeds this for 3 minutes (at most
	// 4000). Optional; 0 means DefaultRollbackP99Seconds (2).
	TargetResponseTimeP99Seconds float64
	// UnhealthyHosts: fire when more targets than this fail their health checks in 2 of 3 minutes.
	// Optional; default 0.
	UnhealthyHosts float64
}

// Color is the version one group of a blue/green pair runs.
type Color struct {
	// AppVersion is the application version (see Args.AppVersion). Optional; default Args.AppVersion.
	AppVersion string
	// AMIID is the image (see Args.AMIID). Optional; default Args.AMIID.
	AMIID string
}

// validateRelease checks Release and fills in its defaults.
func validateRelease(p *problems, name string, a *Args) {
	r := &a.Release
	if r.Strategy == "" {
		r.Strategy = DefaultStrategy
	}
	if r.Strategy != Rolling && r.Strategy != BlueGreen {
		p.addf("Release.Strategy %q is not a strategy: use %q or %q", r.Strategy, Rolling, BlueGreen)
	}
	if green := name + "-tg-" + greenSuffix; r.Strategy == BlueGreen && len(name) <= maxNameLength &&
		len(green)+8 > 32 {
		p.addf("name %q is %d characters: with the %q strategy the green target group is named %q plus 8 random "+
			"characters and AWS allows 32; use a name of at most %d characters", name, len(name), BlueGreen, green,
			32-8-len("-tg-"+greenSuffix))
	}
	if r.Checkpoints == nil {
		r.Checkpoints = slices.Clone(DefaultCheckpoints)
	}
	checkpointsOK := len(r.Checkpoints) > 0
	for i, c := range r.Checkpoints {
		if c < 1 || c > 100 {
			p.addf("Release.Checkpoints[%d] %d is outside 1-100: a checkpoint is the percentage of the group "+
				"replaced before a pause", i, c)
			checkpointsOK = false
		} else if i > 0 && c <= r.Checkpoints[i-1] {
			p.addf("Release.Checkpoints %v are not in ascending order without repeats: list them from the "+
				"smallest, e.g. %v", r.Checkpoints, DefaultCheckpoints)
			checkpointsOK = false
		}
	}
	switch {
	case len(r.Checkpoints) == 0:
		p.addf("Release.Checkpoints is empty: give at least [100], or leave it unset for %v", DefaultCheckpoints)
	case checkpointsOK && r.Checkpoints[len(r.Checkpoints)-1] != 100:
		p.addf("Release.Checkpoints %v end at %d%%: the last checkpoint must be 100, or a release stops with "+
			"part of the group on the old version", r.Checkpoints, r.Checkpoints[len(r.Checkpoints)-1])
	}
	r.BakeSeconds = defaultPtr(r.BakeSeconds, DefaultBakeSeconds)
	switch bake := *r.BakeSeconds; {
	case bake < 0 || bake > maxBakeSeconds:
		p.addf("Release.BakeSeconds %d is outside 0-%d", bake, maxBakeSeconds)
	case len(r.Checkpoints) > 1 && bake < rollbackAlarmWindowSeconds:
		p.addf("Release.BakeSeconds %d is shorter than the %d seconds the rollback alarms need to fire: a bad "+
			"version would pass the checkpoint before they can stop it; use %d or more", bake,
			rollbackAlarmWindowSeconds, DefaultBakeSeconds)
	}
	r.MinHealthyPercentage = defaultPtr(r.MinHealthyPercentage, DefaultMinHealthyPercentage)
	minH := *r.MinHealthyPercentage
	if minH < 0 || minH > 100 {
		p.addf("Release.MinHealthyPercentage %d is outside 0-100", minH)
	}
	defaultInt(&r.MaxHealthyPercentage, DefaultMaxHealthyPercentage)
	switch maxH := r.MaxHealthyPercentage; {
	case maxH < 100 || maxH > 200:
		p.addf("Release.MaxHealthyPercentage %d is outside 100-200", maxH)
	case minH >= 0 && minH <= 100 && maxH-minH > 100:
		p.addf("Release.MaxHealthyPercentage %d is more than 100 above Release.MinHealthyPercentage %d, which "+
			"Auto Scaling refuses: lower the maximum to %d or raise the minimum", maxH, minH, minH+100)
	}
	r.SkipMatching = defaultBool(r.SkipMatching, true)
	r.AutoRollback = defaultBool(r.AutoRollback, true)

	al := &r.RollbackAlarms
	defaultFloat(&al.Target5XXPerMinute, DefaultRollback5XXPerMinute)
	if al.Target5XXPerMinute < 0 {
		p.addf("Release.RollbackAlarms.Target5XXPerMinute %g is negative: use the 5XX per minute that mean a "+
			"bad release", al.Target5XXPerMinute)
	}
	defaultFloat(&al.TargetResponseTimeP99Seconds, DefaultRollbackP99Seconds)
	if t := al.TargetResponseTimeP99Seconds; t < 0 || t > maxRollbackResponseTimeSeconds {
		p.addf("Release.RollbackAlarms.TargetResponseTimeP99Seconds %g is outside 0-%g seconds", t,
			maxRollbackResponseTimeSeconds)
	}
	if al.UnhealthyHosts < 0 {
		p.addf("Release.RollbackAlarms.UnhealthyHosts %g is negative: use 0 to roll back on the first "+
			"unhealthy target", al.UnhealthyHosts)
	}

	if r.Strategy != BlueGreen {
		if r.Green != nil {
			p.addf("Release.Green is set but Release.Strategy is %q: set Strategy %q, or drop Green", r.Strategy, BlueGreen)
		}
		if r.GreenPercent != 0 {
			p.addf("Release.GreenPercent %d is set but Release.Strategy is %q: set Strategy %q, or drop "+
				"GreenPercent", r.GreenPercent, r.Strategy, BlueGreen)
		}
	}
	if r.GreenPercent < 0 || r.GreenPercent > maxTargetGroupWeight {
		p.addf("Release.GreenPercent %d is outside 0-100: it is the share of requests the green group gets",
			r.GreenPercent)
	}
	if r.Green != nil {
		g := *r.Green
		checkAppVersion(p, "Release.Green.AppVersion", g.AppVersion)
		if g.AMIID != "" && !amiPattern.MatchString(g.AMIID) {
			p.addf("Release.Green.AMIID %q is not an AMI id: use ami- and 8 or 17 hex digits", g.AMIID)
		}
		r.Green = &g
	}
	checkAppVersion(p, "AppVersion", a.AppVersion)
}

func checkAppVersion(p *problems, field, v string) {
	if v != "" && (len(v) > appVersionMaxLength || !appVersionPattern.MatchString(v)) {
		p.addf("%s %q is not a version: use letters, digits and . _ + - (at most %d), e.g. \"1.4.2\" or a "+
			"commit hash", field, v, appVersionMaxLength)
	}
}

func defaultBool(v *bool, def bool) *bool {
	if v != nil {
		def = *v
	}
	return &def
}

// color is one group of the tier with what it launches: the tier's own (blue), or the green one of a
// blue/green pair. Blue's resources keep the tier's names, so turning blue/green on replaces nothing.
type color struct {
	name       string // "" for blue
	appVersion string
	amiID      string
	weight     int // the share of requests the listener sends it

	targetGroupARN, targetGroupARNSuffix pulumi.StringOutput
	launchTemplateID, launchTemplateVer  pulumi.StringOutput
	asgName                              pulumi.StringOutput
	rollbackAlarms                       pulumi.StringArray
}

// child names a resource of this color: the tier's name for blue, with "-green" for green.
func (c *color) child(b *builder, suffix string) string {
	if c.name == "" {
		return b.child(suffix)
	}
	return b.child(suffix + "-" + c.name)
}

// colors are the groups the tier runs: blue alone, or blue and green.
func colors(a *Args) []*color {
	blue := &color{appVersion: a.AppVersion, amiID: a.AMIID, weight: maxTargetGroupWeight}
	if a.Release.Strategy != BlueGreen {
		return []*color{blue}
	}
	green := &color{name: greenSuffix, appVersion: a.AppVersion, amiID: a.AMIID, weight: a.Release.GreenPercent}
	if g := a.Release.Green; g != nil {
		green.appVersion = firstNonEmpty(g.AppVersion, green.appVersion)
		green.amiID = firstNonEmpty(g.AMIID, green.amiID)
	}
	blue.weight -= green.weight
	return []*color{blue, green}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// rollbackAlarm is one alarm that fails a release.
type rollbackAlarm struct {
	kind, description, metric, statistic, extended string
	threshold                                      float64
	datapoints                                     int
}

// rollbackAlarms registers the alarms a color's instance refresh watches. They notify nobody: the
// monitoring alarms page people; these exist for Auto Scaling, over a window short enough to fire within a
// checkpoint's bake. A target that answers nothing publishes no 5XX and no latency, so missing data never
// rolls a release back.
func (b *builder) rollbackAlarms(c *color) error {
	t := b.args.Release.RollbackAlarms
	dims := pulumi.StringMap{"LoadBalancer": b.tier.ALBARNSuffix, "TargetGroup": c.targetGroupARNSuffix}
	for _, s := range []rollbackAlarm{
		{kind: "5xx", description: "Release rollback: the new instances answer 5XX.",
			metric: "HTTPCode_Target_5XX_Count", statistic: "Sum", threshold: t.Target5XXPerMinute, datapoints: 2},
		{kind: "p99", description: "Release rollback: the slowest 1% of requests are too slow (seconds).",
			metric: "TargetResponseTime", extended: "p99", threshold: t.TargetResponseTimeP99Seconds,
			datapoints: rollbackAlarmPeriods},
		{kind: "unhealthy", description: "Release rollback: targets fail their health checks.",
			metric: "UnHealthyHostCount", statistic: "Maximum", threshold: t.UnhealthyHosts, datapoints: 2},
	} {
		args := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(s.description),
			Namespace:          pulumi.String("AWS/ApplicationELB"),
			MetricName:         pulumi.String(s.metric),
			Dimensions:         dims,
			Period:             pulumi.Int(rollbackAlarmPeriod),
			EvaluationPeriods:  pulumi.Int(rollbackAlarmPeriods),
			DatapointsToAlarm:  pulumi.Int(s.datapoints),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			Threshold:          pulumi.Float64(s.threshold),
			TreatMissingData:   pulumi.String("notBreaching"),
			Tags:               b.tags(c.child(b, "release-"+s.kind)),
		}
		if s.extended != "" {
			args.ExtendedStatistic = pulumi.String(s.extended)
		} else {
			args.Statistic = pulumi.String(s.statistic)
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, c.child(b, "release-"+s.kind), args, b.parent)
		if err != nil {
			return err
		}
		c.rollbackAlarms = append(c.rollbackAlarms, alarm.Name)
	}
	return nil
}

// instanceRefresh is the group's refresh: checkpoints with a bake, the healthy capacity, skip matching,
// auto rollback and the rollback alarms.
func (b *builder) instanceRefresh(c *color) *autoscaling.GroupInstanceRefreshArgs {
	r := b.args.Release
	return &autoscaling.GroupInstanceRefreshArgs{
		Strategy: pulumi.String("Rolling"),
		Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
			MinHealthyPercentage:  pulumi.Int(*r.MinHealthyPercentage),
			MaxHealthyPercentage:  pulumi.Int(r.MaxHealthyPercentage),
			InstanceWarmup:        pulumi.String(strconv.Itoa(b.args.InstanceWarmup)),
			CheckpointPercentages: pulumi.ToIntArray(r.Checkpoints),
			CheckpointDelay:       pulumi.String(strconv.Itoa(*r.BakeSeconds)),
			SkipMatching:          pulumi.Bool(*r.SkipMatching),
			AutoRollback:          pulumi.Bool(*r.AutoRollback),
			AlarmSpecification: &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{
				Alarms: c.rollbackAlarms,
			},
		},
	}
}

// appVersionTags adds the app version to an instance's tags.
func appVersionTags(tags pulumi.StringMap, version string) pulumi.StringMap {
	if version == "" {
		return tags
	}
	out := pulumi.StringMap{}
	for k, v := range tags {
		out[k] = v
	}
	out[appVersionTag] = pulumi.String(version)
	return out
}
