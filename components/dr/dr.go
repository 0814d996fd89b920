// Package dr builds what a second AWS region needs to take over from the primary: its own network, an
// encrypted cross-region read replica of the primary database with a lag alarm on the recovery point
// objective, and, for a warm standby, the web tier and Route 53 failover.
//
// Every DR resource is created through one aws.Provider for the DR region, passed down as a resource option,
// so nothing can land in the primary's region by inheritance.
package dr

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/tagging"
)

// DR is the disaster-recovery component.
type DR struct {
	pulumi.ResourceState

	// Region is the DR region.
	Region string
	// Strategy is the strategy in force.
	Strategy Strategy
	// Promoted says whether the replica has been promoted to a standalone instance.
	Promoted bool
	// RPOSeconds is the recovery point objective the lag alarm watches.
	RPOSeconds int
	// ReplicaGeneration is the replica's generation (Args.ReplicaGeneration, defaulted).
	ReplicaGeneration int
	// ReplicaIdentifierName is the replica's DB instance identifier.
	ReplicaIdentifierName string

	// Provider is the DR region's provider; pass it to anything else that belongs in the DR region.
	Provider *aws.Provider
	// VPC is the DR region's network.
	VPC *network.VPC

	ReplicaEndpoint   pulumi.StringOutput
	ReplicaAddress    pulumi.StringOutput
	ReplicaARN        pulumi.StringOutput
	ReplicaIdentifier pulumi.StringOutput
	// SecurityGroupID is the replica's security group.
	SecurityGroupID pulumi.StringOutput
	// KMSKeyARN is the DR region's key encrypting the replica.
	KMSKeyARN pulumi.StringOutput
	// LagAlarmARN is the CloudWatch alarm on ReplicaLag > RPOSeconds.
	LagAlarmARN pulumi.StringOutput
	// WebTier is the warm-standby web tier; nil for a pilot light.
	WebTier *StandbyWebTier
	// HealthCheckID is the Route 53 health check on the primary's load balancer; empty without Failover.
	HealthCheckID pulumi.StringOutput

	Replica *rds.Instance

	sg   *ec2.SecurityGroup
	port int
}

// New validates args and builds the DR region. Nothing is registered when the arguments are wrong: the
// error lists every problem.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DR, error) {
	providerRegion := ""
	if args != nil && args.Provider != nil {
		where, err := placement.Lookup(ctx, pulumi.Provider(args.Provider))
		if err != nil {
			return nil, fmt.Errorf("dr %q: %w", name, err)
		}
		providerRegion = where.Region
	}
	s, err := validate(name, args, providerRegion)
	if err != nil {
		return nil, err
	}

	c := &DR{Region: s.Region, Strategy: s.Strategy, Promoted: s.Promote, RPOSeconds: s.RPOSeconds,
		ReplicaGeneration: s.ReplicaGeneration, ReplicaIdentifierName: s.replicaIdentifier}
	if err := ctx.RegisterComponentResource("kit:dr:DR", name, c, opts...); err != nil {
		return nil, err
	}
	c.Provider = s.Provider
	if c.Provider == nil {
		if c.Provider, err = aws.NewProvider(ctx, name+"-provider", &aws.ProviderArgs{
			Region: pulumi.String(s.Region),
		}, pulumi.Parent(c)); err != nil {
			return nil, err
		}
	}
	in := []pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(c.Provider)}

	netArgs := *s.Network
	netArgs.Tags = merge(s.Tags, s.Network.Tags)
	if c.VPC, err = network.New(ctx, name+"-network", &netArgs, in...); err != nil {
		return nil, fmt.Errorf("dr %q: %w", name, err)
	}
	if err := c.buildReplica(ctx, name, s, in); err != nil {
		return nil, err
	}
	if s.Strategy == WarmStandby {
		if err := c.buildStandby(ctx, name, s, in); err != nil {
			return nil, err
		}
	}

	outputs := pulumi.Map{
		"region":            pulumi.String(c.Region),
		"strategy":          pulumi.String(string(c.Strategy)),
		"promoted":          pulumi.Bool(c.Promoted),
		"replicaGeneration": pulumi.Int(c.ReplicaGeneration),
		"rpoSeconds":        pulumi.Int(c.RPOSeconds),
		"replicaEndpoint":   c.ReplicaEndpoint,
		"replicaArn":        c.ReplicaARN,
		"replicaIdentifier": c.ReplicaIdentifier,
		"securityGroupId":   c.SecurityGroupID,
		"kmsKeyArn":         c.KMSKeyARN,
		"lagAlarmArn":       c.LagAlarmARN,
		"vpcId":             c.VPC.VPCID,
	}
	if c.WebTier != nil {
		outputs["standbyLoadBalancerDnsName"] = c.WebTier.LoadBalancerDNSName
	}
	if s.Failover != nil {
		outputs["healthCheckId"] = c.HealthCheckID
	}
	if err := ctx.RegisterResourceOutputs(c, outputs); err != nil {
		return nil, err
	}
	return c, nil
}

// buildReplica creates the replica and what it needs in the DR region: key, security group, subnet and
// parameter groups, optional backup replication, and the lag alarm.
func (c *DR) buildReplica(ctx *pulumi.Context, name string, s *settings, in []pulumi.ResourceOption) error {
	p := s.Primary
	key, err := database.NewKey(ctx, name, s.identifier, "DR replica "+s.identifier+" of "+p.Identifier,
		s.Production, s.Tags, in...)
	if err != nil {
		return err
	}
	sg, err := database.NewSecurityGroup(ctx, name, s.identifier, c.VPC.VPCID, s.port, s.ClientSecurityGroupIDs,
		s.Tags, in...)
	if err != nil {
		return err
	}
	subnets, err := database.NewSubnetGroup(ctx, name, s.identifier,
		database.SubnetIDs(c.VPC.SubnetsOf(network.Data)), s.Tags, in...)
	if err != nil {
		return err
	}
	params, err := database.NewParameterGroup(ctx, name, s.identifier, p.Engine, s.major, s.Tags, in...)
	if err != nil {
		return err
	}

	// The replica is configured as the primary it becomes on promotion: backups, windows, protections and
	// Performance Insights are already in place, so promoting changes nothing but the replication source.
	// Engine, version, storage size and master user come from the source.
	args := &rds.InstanceArgs{
		Identifier:              pulumi.String(s.replicaIdentifier),
		InstanceClass:           pulumi.String(s.ReplicaInstanceClass),
		StorageType:             pulumi.String("gp3"),
		Port:                    pulumi.Int(s.port),
		MultiAz:                 pulumi.Bool(s.ReplicaMultiAZ),
		BackupRetentionPeriod:   pulumi.Int(p.BackupRetentionDays),
		BackupWindow:            pulumi.String(database.DefaultBackupWindow),
		MaintenanceWindow:       pulumi.String(database.DefaultMaintenanceWindow),
		AutoMinorVersionUpgrade: pulumi.Bool(true),
		CopyTagsToSnapshot:      pulumi.Bool(true),
		PubliclyAccessible:      pulumi.Bool(false),
		DbSubnetGroupName:       subnets.Name,
		VpcSecurityGroupIds:     pulumi.StringArray{sg.ID()},
		ParameterGroupName:      params.Name,
		Tags:                    tagging.Merge(s.Tags, s.replicaIdentifier),
	}
	if !s.Promote {
		args.ReplicateSourceDb = p.ARN
	}
	if p.MaxAllocatedStorageGB > 0 {
		args.MaxAllocatedStorage = pulumi.Int(p.MaxAllocatedStorageGB)
	}
	database.Encrypt(args, key, true)
	database.Protect(args, s.replicaIdentifier, s.Production)
	monitoring, err := database.NewMonitoringRole(ctx, name, s.identifier, s.Tags, in...)
	if err != nil {
		return err
	}
	database.Observe(args, p.Engine, monitoring)
	if !s.Promote {
		// RDS refuses a final snapshot when a replica is deleted ("FinalDBSnapshotIdentifier can not be
		// specified when deleting a replica instance"): the replica skips it until promotion makes it a
		// database of its own. The identifier stays, so promotion only turns the snapshot on.
		args.SkipFinalSnapshot = pulumi.Bool(true)
	}
	replica, err := rds.NewInstance(ctx, s.replicaName, args, append(in, pulumi.Protect(s.Production))...)
	if err != nil {
		return err
	}

	if s.ReplicateBackups {
		if _, err := rds.NewInstanceAutomatedBackupsReplication(ctx, name+"-backups",
			&rds.InstanceAutomatedBackupsReplicationArgs{
				SourceDbInstanceArn: p.ARN,
				KmsKeyId:            key.Arn,
				RetentionPeriod:     pulumi.Int(s.BackupReplicationRetentionDays),
			}, in...); err != nil {
			return err
		}
	}

	actions := pulumi.Array{}
	for _, a := range s.AlarmActions {
		actions = append(actions, a)
	}
	alarm, err := cloudwatch.NewMetricAlarm(ctx, name+"-replica-lag", &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(s.identifier + "-replica-lag"),
		AlarmDescription: pulumi.String(fmt.Sprintf("Replica %s in %s lags the primary %s by more than the "+
			"recovery point objective of %d s: a failover now would lose more data than agreed.",
			s.replicaIdentifier, s.Region, p.Identifier, s.RPOSeconds)),
		Namespace:          pulumi.String("AWS/RDS"),
		MetricName:         pulumi.String("ReplicaLag"),
		Dimensions:         pulumi.StringMap{"DBInstanceIdentifier": replica.Identifier},
		Statistic:          pulumi.String("Maximum"),
		Period:             pulumi.Int(LagAlarmPeriodSeconds),
		EvaluationPeriods:  pulumi.Int(LagAlarmEvaluationPeriods),
		DatapointsToAlarm:  pulumi.Int(LagAlarmDatapoints),
		Threshold:          pulumi.Float64(float64(s.RPOSeconds)),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		// No lag data means replication has stopped (or the replica was promoted): the RPO is not watched,
		// which is itself worth an alarm.
		TreatMissingData: pulumi.String("breaching"),
		AlarmActions:     actions,
		OkActions:        actions,
		Tags:             tagging.Merge(s.Tags, s.identifier+"-replica-lag"),
	}, in...)
	if err != nil {
		return err
	}

	c.Replica = replica
	c.ReplicaEndpoint = replica.Endpoint
	c.ReplicaAddress = replica.Address
	c.ReplicaARN = replica.Arn
	c.ReplicaIdentifier = replica.Identifier
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.KMSKeyARN = key.Arn
	c.LagAlarmARN = alarm.Arn
	c.sg = sg
	c.port = s.port
	return nil
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
