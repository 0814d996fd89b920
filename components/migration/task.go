package migration

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TaskLogGroupName is the log group DMS writes a replication instance's task logs to: dms-tasks-<instance>.
// The AWS managed policy of dms-cloudwatch-logs-role may create and write log groups of that name only
// (AmazonDMSCloudWatchLogsRole: logs:CreateLogGroup on arn:aws:logs:*:*:log-group:dms-tasks-*), and the task
// settings' Logging.CloudWatchLogGroup is read-only (AWS provider, dms.ReplicationTask).
func TaskLogGroupName(instanceID string) string { return "dms-tasks-" + instanceID }

// logComponents are the task log components kept at the default severity: what DMS reads from the source
// (SOURCE_UNLOAD in the full load, SOURCE_CAPTURE in CDC), what it writes to the target (TARGET_LOAD,
// TARGET_APPLY), and the task manager. Security Hub controls DMS.7 and DMS.8 ask for the first four at
// LOGGER_SEVERITY_DEFAULT or above.
var logComponents = []string{"SOURCE_UNLOAD", "SOURCE_CAPTURE", "TARGET_LOAD", "TARGET_APPLY", "TASK_MANAGER"}

// TaskSettings renders the task settings the kit sets: logging on for logComponents, and data validation
// on, so every migrated row is compared with its source before cutover (DMS user guide, "Data validation
// task settings", ValidationSettings.EnableValidation). Everything else keeps DMS's defaults.
func TaskSettings() string {
	components := make([]map[string]string, len(logComponents))
	for i, c := range logComponents {
		components[i] = map[string]string{"Id": c, "Severity": "LOGGER_SEVERITY_DEFAULT"}
	}
	b, err := json.Marshal(map[string]any{
		"Logging":            map[string]any{"EnableLogging": true, "LogComponents": components},
		"ValidationSettings": map[string]any{"EnableValidation": true},
	})
	if err != nil {
		panic(err) // maps of strings and bools always marshal
	}
	return string(b)
}

// task creates the log group, with its retention, before the task can log, and the task. Had DMS created the
// group first it would keep its logs for ever and the kit could not create it any more. The task also waits
// for dms-cloudwatch-logs-role (when the component creates it) and for the rule that lets the instance
// into the kit's database.
func (b *builder) task() error {
	s := b.s
	group, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-task-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(TaskLogGroupName(s.instanceID)),
		RetentionInDays: pulumi.Int(s.LogRetentionDays),
		Tags:            b.tags(b.name + "-task-logs"),
	}, b.parent)
	if err != nil {
		return err
	}
	b.m.LogGroupName = group.Name

	waits := append([]pulumi.Resource{group, b.net.targetIngress}, b.roles.logs...)
	task, err := dms.NewReplicationTask(b.ctx, b.name, &dms.ReplicationTaskArgs{
		ReplicationTaskId: pulumi.String(s.taskID),
		// The resource identifier ends the task's ARN and names it in CloudWatch: the same name everywhere.
		ResourceIdentifier:      pulumi.String(s.taskID),
		MigrationType:           pulumi.String(s.MigrationType),
		ReplicationInstanceArn:  b.instance.ReplicationInstanceArn,
		SourceEndpointArn:       b.source.EndpointArn,
		TargetEndpointArn:       b.target.EndpointArn,
		TableMappings:           pulumi.String(s.mappings),
		ReplicationTaskSettings: pulumi.String(TaskSettings()),
		StartReplicationTask:    pulumi.Bool(s.Start),
		Tags:                    b.tags(s.taskID),
	}, b.parent, pulumi.DependsOn(waits))
	if err != nil {
		return err
	}
	b.m.Task = task
	b.m.TaskARN = task.ReplicationTaskArn
	return nil
}
