package migration

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Alarms on the DMS metrics (namespace AWS/DMS; the instance's metrics by ReplicationInstanceIdentifier, the
// task's by that and ReplicationTaskIdentifier; DMS user guide, "Data Migration Service metrics"), and event
// subscriptions for what no metric shows: a failed task, a failover, storage running out.

const gib = 1024 * 1024 * 1024

// Thresholds that are not arguments.
const (
	// FreeStoragePercent: alarm when less than this share of the instance's storage is free. Task logs and the
	// changes DMS spills to disk during a full load fill it; a full instance stops its tasks.
	FreeStoragePercent = 20
	// CPUPercent: alarm when the instance's CPU stays above this for 15 minutes: the class is too small.
	CPUPercent = 80
)

// EventCategories are the DMS event categories the component subscribes to, per source type (DMS user
// guide, "AWS DMS event categories and event messages for SNS notifications", in the lower-case form
// CreateEventSubscription and DescribeEventCategories use).
var EventCategories = map[string][]string{
	"replication-instance": {"failure", "failover", "low storage"},
	"replication-task":     {"failure", "state change"},
}

type alarm struct {
	kind, metric, description, statistic, comparison, missing string
	task                                                      bool
	period, evaluations                                       int
	threshold                                                 float64
}

// alarmSpecs lists the alarms, each treatMissingData following from when DMS publishes the metric.
func (b *builder) alarmSpecs() []alarm {
	s := b.s
	latency := func(side string) alarm {
		return alarm{kind: "cdc-latency-" + side, metric: "CDCLatency" + map[string]string{"source": "Source",
			"target": "Target"}[side], task: true,
			description: fmt.Sprintf("Changes reach the %s more than %d s late: the target falls behind the old "+
				"database and cutover must wait.", side, s.CDCLatencyAlarmSeconds),
			statistic: "Maximum", period: 60, evaluations: 5, comparison: "GreaterThanThreshold",
			threshold: float64(s.CDCLatencyAlarmSeconds),
			// No latency is published while the task is stopped or still in its full load: nothing to be late.
			missing: "notBreaching"}
	}
	return []alarm{
		latency("source"),
		latency("target"),
		{kind: "free-storage", metric: "FreeStorageSpace",
			description: fmt.Sprintf("The replication instance has less than %d%% of its storage free: task logs "+
				"and spilled changes fill it, and a full instance stops its tasks.", FreeStoragePercent),
			statistic: "Minimum", period: 300, evaluations: 1, comparison: "LessThanThreshold",
			threshold: float64(s.AllocatedStorageGB) * gib * FreeStoragePercent / 100, missing: "missing"},
		{kind: "cpu", metric: "CPUUtilization",
			description: fmt.Sprintf("The replication instance's CPU has been above %d%% for 15 minutes: use a "+
				"larger InstanceClass.", CPUPercent),
			statistic: "Average", period: 300, evaluations: 3, comparison: "GreaterThanThreshold",
			threshold: CPUPercent, missing: "missing"},
	}
}

// monitoring creates the alarms and, with a topic, the event subscriptions.
func (b *builder) monitoring() error {
	actions := pulumi.Array{}
	if b.s.AlarmTopicARN != nil {
		actions = append(actions, b.s.AlarmTopicARN)
	}
	for _, a := range b.alarmSpecs() {
		dims := pulumi.StringMap{"ReplicationInstanceIdentifier": pulumi.String(b.s.instanceID)}
		if a.task {
			dims["ReplicationTaskIdentifier"] = pulumi.String(b.s.taskID)
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, b.name+"-"+a.kind, &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(a.description),
			Namespace:          pulumi.String("AWS/DMS"),
			MetricName:         pulumi.String(a.metric),
			Dimensions:         dims,
			Statistic:          pulumi.String(a.statistic),
			Period:             pulumi.Int(a.period),
			EvaluationPeriods:  pulumi.Int(a.evaluations),
			DatapointsToAlarm:  pulumi.Int(a.evaluations),
			ComparisonOperator: pulumi.String(a.comparison),
			Threshold:          pulumi.Float64(a.threshold),
			TreatMissingData:   pulumi.String(a.missing),
			AlarmActions:       actions,
			OkActions:          actions,
			Tags:               b.tags(b.name + "-" + a.kind),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{b.m.Task}))
		if err != nil {
			return err
		}
		b.m.AlarmARNs[a.kind] = alarm.Arn
	}
	if b.s.AlarmTopicARN == nil {
		return nil
	}
	for _, source := range []struct {
		typ string
		id  pulumi.StringInput
	}{
		{"replication-instance", b.instance.ReplicationInstanceId},
		{"replication-task", b.m.Task.ReplicationTaskId},
	} {
		name := fmt.Sprintf("%s-%s-events", b.name, source.typ)
		if _, err := dms.NewEventSubscription(b.ctx, name, &dms.EventSubscriptionArgs{
			SnsTopicArn:     b.s.AlarmTopicARN,
			SourceType:      pulumi.String(source.typ),
			SourceIds:       pulumi.StringArray{source.id},
			EventCategories: pulumi.ToStringArray(EventCategories[source.typ]),
			Enabled:         pulumi.Bool(true),
			Tags:            b.tags(name),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}
