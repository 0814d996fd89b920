package database

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/tagging"
)

// What a database (and the DR replica, which becomes one) reports about itself, as the Security Hub
// Foundational Security Best Practices ask: enhanced monitoring (RDS.6), its logs in CloudWatch Logs (RDS.9)
// and IAM database authentication (RDS.10).

// MonitoringIntervalSeconds is how often Enhanced Monitoring samples the operating system; RDS takes 1, 5, 10,
// 15, 30 or 60 (AWS Config rule rds-enhanced-monitoring-enabled, RDS.6's check). A minute is the cheapest
// interval that still shows a CPU or memory spike the one-minute CloudWatch metrics blur.
const MonitoringIntervalSeconds = 60

// enhancedMonitoringPolicy is the AWS managed policy RDS's monitoring role carries (RDS user guide, "Setting
// up and enabling Enhanced Monitoring").
const enhancedMonitoringPolicy = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"

// LogExports are the logs each engine publishes to CloudWatch Logs, the ones Security Hub RDS.9 checks:
// PostgreSQL's postgresql and upgrade logs; MySQL's error, general and slow query logs. (RDS.9 also lists
// MySQL's audit log, which RDS for MySQL writes only with the MariaDB audit plugin option group; the kit
// creates no option group, so a MySQL database does not pass that part.)
var LogExports = map[Engine][]string{
	Postgres: {"postgresql", "upgrade"},
	MySQL:    {"error", "general", "slowquery"},
}

// NewMonitoringRole creates the role RDS Enhanced Monitoring sends operating-system metrics to CloudWatch Logs
// with: monitoring.rds.amazonaws.com may assume it, and it carries AmazonRDSEnhancedMonitoringRole.
func NewMonitoringRole(ctx *pulumi.Context, name, identifier string, tags map[string]string,
	opts ...pulumi.ResourceOption) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, name+"-monitoring", &iam.RoleArgs{
		Description: pulumi.String("RDS Enhanced Monitoring of " + identifier),
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"Service":"monitoring.rds.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		Tags: tagging.Merge(tags, identifier+"-monitoring"),
	}, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-monitoring", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(enhancedMonitoringPolicy),
	}, opts...); err != nil {
		return nil, err
	}
	return role, nil
}

// Observe turns on Enhanced Monitoring through role, the engine's log exports, and IAM database
// authentication (clients may then sign in with an IAM token instead of the master password).
func Observe(args *rds.InstanceArgs, engine Engine, role *iam.Role) {
	args.MonitoringInterval = pulumi.Int(MonitoringIntervalSeconds)
	args.MonitoringRoleArn = role.Arn
	args.EnabledCloudwatchLogsExports = pulumi.ToStringArray(LogExports[engine])
	args.IamDatabaseAuthenticationEnabled = pulumi.Bool(true)
}
