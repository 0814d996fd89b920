package observability

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CloudWatch's treatMissingData values.
const (
	missingNotBreaching = "notBreaching"
	missingBreaching    = "breaching"
	missingMissing      = "missing"
)

const gib = 1024 * 1024 * 1024

// alarmSpec is one alarm before it becomes a resource.
type alarmSpec struct {
	kind        string // also the suffix of the logical name and the key in AlarmARNs
	description string
	namespace   string
	metric      string
	dimensions  pulumi.StringMap
	statistic   string // one of statistic and extendedStatistic
	extended    string
	period      int
	evaluations int
	datapoints  int
	comparison  string
	threshold   float64
	missing     string
}

// alarmSpecs lists the alarms for the parts the caller gave. Each treatMissingData follows from when AWS
// publishes the metric at all.
func alarmSpecs(a *Args) []alarmSpec {
	t := a.Thresholds
	var out []alarmSpec
	if a.LoadBalancerARNSuffix != nil {
		lb := pulumi.StringMap{"LoadBalancer": a.LoadBalancerARNSuffix}
		lbTG := pulumi.StringMap{"LoadBalancer": a.LoadBalancerARNSuffix, "TargetGroup": a.TargetGroupARNSuffix}
		out = append(out,
			alarmSpec{
				kind:        "alb-5xx",
				description: "The load balancer itself answers 5XX (no healthy target, target connection failures).",
				namespace:   "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", dimensions: lb,
				statistic: "Sum", period: 60, evaluations: 5, datapoints: 3,
				comparison: "GreaterThanThreshold", threshold: t.ALB5XXPerMinute,
				// ELB publishes a count only in minutes when it is non-zero: no data means no errors.
				missing: missingNotBreaching,
			},
			alarmSpec{
				kind:        "target-5xx",
				description: "The application answers 5XX.",
				namespace:   "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: lbTG,
				statistic: "Sum", period: 60, evaluations: 5, datapoints: 3,
				comparison: "GreaterThanThreshold", threshold: t.Target5XXPerMinute,
				// Published only when non-zero, as above.
				missing: missingNotBreaching,
			},
			alarmSpec{
				kind:        "target-p99",
				description: "The slowest 1% of requests take longer than the threshold (seconds).",
				namespace:   "AWS/ApplicationELB", metric: "TargetResponseTime", dimensions: lbTG,
				extended: "p99", period: 60, evaluations: 5, datapoints: 5,
				comparison: "GreaterThanThreshold", threshold: t.TargetResponseTimeP99Seconds,
				// Published only for minutes with requests: no requests, no latency problem.
				missing: missingNotBreaching,
			},
			alarmSpec{
				kind:        "unhealthy-hosts",
				description: "Targets fail their health checks.",
				namespace:   "AWS/ApplicationELB", metric: "UnHealthyHostCount", dimensions: lbTG,
				statistic: "Maximum", period: 60, evaluations: 3, datapoints: 3,
				comparison: "GreaterThanThreshold", threshold: t.UnhealthyHosts,
				// Host counts are published every minute while the target group serves the load balancer,
				// traffic or not. Silence means the target group lost its load balancer: an outage, not health.
				missing: missingBreaching,
			},
		)
	}
	if a.ASGName != nil {
		asg := pulumi.StringMap{"AutoScalingGroupName": a.ASGName}
		out = append(out,
			alarmSpec{
				kind:        "asg-at-max",
				description: "The auto-scaling group has run at its maximum size: a peak the capacity cannot absorb.",
				namespace:   "AWS/AutoScaling", metric: "GroupInServiceInstances", dimensions: asg,
				statistic: "Minimum", period: 300, evaluations: t.ASGAtMaxMinutes / 5, datapoints: t.ASGAtMaxMinutes / 5,
				comparison: "GreaterThanOrEqualToThreshold", threshold: float64(a.ASGMaxSize),
				// The group publishes this only with metrics collection on. Missing keeps the alarm in
				// INSUFFICIENT_DATA, visible on the dashboard, instead of a reassuring but false OK.
				missing: missingMissing,
			},
			alarmSpec{
				kind:        "instance-cpu",
				description: "The group's instances run hot on average.",
				namespace:   "AWS/EC2", metric: "CPUUtilization", dimensions: asg,
				// Five-minute periods ride out the spikes of boots and rolling refreshes.
				statistic: "Average", period: 300, evaluations: 3, datapoints: 3,
				comparison: "GreaterThanThreshold", threshold: t.InstanceCPUPercent,
				// No data means no running instances; the unhealthy-hosts alarm covers that, not CPU.
				missing: missingNotBreaching,
			},
		)
	}
	out = append(out, greenSpecs(out, a)...)
	if a.DBInstanceIdentifier != nil {
		db := pulumi.StringMap{"DBInstanceIdentifier": a.DBInstanceIdentifier}
		// RDS publishes every minute while the instance runs; a gap is a reboot, failover or stop. Missing
		// holds the last state through it rather than raising or clearing an alarm on a metric nobody measured.
		out = append(out,
			alarmSpec{
				kind:        "db-cpu",
				description: "The database's CPU is high.",
				namespace:   "AWS/RDS", metric: "CPUUtilization", dimensions: db,
				statistic: "Average", period: 300, evaluations: 3, datapoints: 3,
				comparison: "GreaterThanThreshold", threshold: t.DBCPUPercent,
				missing: missingMissing,
			},
			alarmSpec{
				kind:        "db-free-storage",
				description: "The database is running out of storage (threshold in bytes).",
				namespace:   "AWS/RDS", metric: "FreeStorageSpace", dimensions: db,
				statistic: "Minimum", period: 300, evaluations: 1, datapoints: 1,
				comparison: "LessThanThreshold", threshold: t.DBFreeStorageGiB * gib,
				missing: missingMissing,
			},
			alarmSpec{
				kind:        "db-connections",
				description: "The database holds more connections than the threshold.",
				namespace:   "AWS/RDS", metric: "DatabaseConnections", dimensions: db,
				statistic: "Maximum", period: 300, evaluations: 2, datapoints: 2,
				comparison: "GreaterThanThreshold", threshold: t.DBConnections,
				missing: missingMissing,
			},
		)
	}
	return out
}

// alarms registers every alarm, each notifying the topic when it fires and when it clears.
func (b *builder) alarms(topicARN pulumi.StringOutput) (map[string]pulumi.StringOutput, error) {
	out := map[string]pulumi.StringOutput{}
	for _, s := range alarmSpecs(b.args) {
		args := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(s.description),
			Namespace:          pulumi.String(s.namespace),
			MetricName:         pulumi.String(s.metric),
			Dimensions:         s.dimensions,
			Period:             pulumi.Int(s.period),
			EvaluationPeriods:  pulumi.Int(s.evaluations),
			DatapointsToAlarm:  pulumi.Int(s.datapoints),
			ComparisonOperator: pulumi.String(s.comparison),
			Threshold:          pulumi.Float64(s.threshold),
			TreatMissingData:   pulumi.String(s.missing),
			AlarmActions:       pulumi.Array{topicARN},
			OkActions:          pulumi.Array{topicARN},
			Tags:               b.tags(b.name + "-" + s.kind),
		}
		if s.extended != "" {
			args.ExtendedStatistic = pulumi.String(s.extended)
		} else {
			args.Statistic = pulumi.String(s.statistic)
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.name+"-"+s.kind, args, b.parent)
		if err != nil {
			return nil, err
		}
		out[s.kind] = alarm.Arn
	}
	return out, nil
}

// greenSpecs copies the target and capacity alarms onto the green group of a blue/green web tier: the users
// may be on either color, and a release goes to the idle one.
func greenSpecs(specs []alarmSpec, a *Args) []alarmSpec {
	var out []alarmSpec
	for _, s := range specs {
		dims := pulumi.StringMap{}
		green := false
		for k, v := range s.dimensions {
			switch {
			case k == "TargetGroup" && a.GreenTargetGroupARNSuffix != nil:
				v, green = a.GreenTargetGroupARNSuffix, true
			case k == "AutoScalingGroupName" && a.GreenASGName != nil:
				v, green = a.GreenASGName, true
			}
			dims[k] = v
		}
		if green {
			s.kind += "-green"
			s.description = "Green group: " + s.description
			s.dimensions = dims
			out = append(out, s)
		}
	}
	return out
}
