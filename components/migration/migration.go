// Package migration copies the old database from the data centre into the kit's RDS database with AWS DMS,
// and keeps it in sync until cutover: a replication instance in the data subnets (private, encrypted with a
// key of the kit's), a source endpoint that reaches the old database over the VPN, a target endpoint on the
// kit's database, and a full-load-and-cdc task with validation, logging and alarms.
//
// No credential passes through config, code or state. The source's credentials live in a Secrets Manager
// secret the database owner fills; the target's are the kit database's own secret. DMS reads each through a
// role only DMS in this region and account may assume, allowed to read that one secret.
package migration

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/tagging"
)

// Migration is the DMS component.
type Migration struct {
	pulumi.ResourceState

	// Plain facts, known when the program runs.

	// InstanceIdentifierName is the replication instance's identifier, the ReplicationInstanceIdentifier
	// dimension of its metrics; its task logs go to the log group dms-tasks-<InstanceIdentifierName>.
	InstanceIdentifierName string
	// TaskIdentifierName is the replication task's identifier and resource identifier, the
	// ReplicationTaskIdentifier dimension of its metrics.
	TaskIdentifierName string
	// CDCLatencyAlarmSeconds is the CDC latency alarms' threshold.
	CDCLatencyAlarmSeconds int
	// Started says whether the task is asked to run.
	Started bool
	// Region is where the migration runs.
	Region string

	ReplicationInstanceARN pulumi.StringOutput
	TaskARN                pulumi.StringOutput
	SourceEndpointARN      pulumi.StringOutput
	TargetEndpointARN      pulumi.StringOutput
	// SourceSecretARN is the secret DMS reads the old database's credentials from: fill it with
	// {"username", "password", "host", "port"} before starting the task.
	SourceSecretARN pulumi.StringOutput
	// SecurityGroupID is the replication instance's security group: let it into the old database.
	SecurityGroupID pulumi.StringOutput
	// KMSKeyARN encrypts the replication instance's storage, the endpoints' connection settings and the
	// source secret.
	KMSKeyARN pulumi.StringOutput
	// LogGroupName is the task log group.
	LogGroupName pulumi.StringOutput
	// AlarmARNs maps each alarm (cdc-latency-source, cdc-latency-target, free-storage, cpu) to its ARN.
	AlarmARNs map[string]pulumi.StringOutput

	Instance *dms.ReplicationInstance
	Task     *dms.ReplicationTask
}

// New validates args and builds the migration. Nothing is registered when the arguments are wrong: the
// error lists every problem.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Migration, error) {
	if args == nil {
		_, err := validate(name, nil, "")
		return nil, err
	}
	where, err := placement.Lookup(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("migration %q: %w", name, err)
	}
	s, err := validate(name, args, where.Region)
	if err != nil {
		return nil, err
	}
	m := &Migration{InstanceIdentifierName: s.instanceID, TaskIdentifierName: s.taskID,
		CDCLatencyAlarmSeconds: s.CDCLatencyAlarmSeconds, Started: s.Start, Region: s.Region,
		AlarmARNs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("kit:migration:Migration", name, m, opts...); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, s: s, m: m, parent: pulumi.Parent(m)}
	invokeOpts, err := placement.InvokeOptions(b.parent)
	if err != nil {
		return nil, err
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, invokeOpts...)
	if err != nil {
		return nil, fmt.Errorf("migration %q: looking up the account for the access roles: %w", name, err)
	}
	b.account = caller.AccountId
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("migration %q: %w", name, err)
	}

	alarms := pulumi.Map{}
	for k, v := range m.AlarmARNs {
		alarms[k] = v
	}
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{
		"replicationInstanceArn": m.ReplicationInstanceARN,
		"replicationInstanceId":  pulumi.String(m.InstanceIdentifierName),
		"taskArn":                m.TaskARN,
		"taskId":                 pulumi.String(m.TaskIdentifierName),
		"sourceEndpointArn":      m.SourceEndpointARN,
		"targetEndpointArn":      m.TargetEndpointARN,
		"sourceSecretArn":        m.SourceSecretARN,
		"securityGroupId":        m.SecurityGroupID,
		"kmsKeyArn":              m.KMSKeyARN,
		"logGroupName":           m.LogGroupName,
		"alarmArns":              alarms,
	})
}

// builder carries what every step needs; each step reads only what the steps before it made.
type builder struct {
	ctx     *pulumi.Context
	name    string
	s       *settings
	m       *Migration
	parent  pulumi.ResourceOption
	account string

	key          *kms.Key
	net          *networking
	roles        accountRoles
	instance     *dms.ReplicationInstance
	source       *dms.Endpoint
	target       *dms.Endpoint
	sourceSecret pulumi.StringInput
}

func (b *builder) tags(name string) pulumi.StringMap { return tagging.Merge(b.s.Tags, name) }

func (b *builder) build() error {
	for _, step := range []func() error{b.encryption, b.accountRoles, b.networking, b.replicationInstance,
		b.endpoints, b.task, b.monitoring} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// encryption creates the migration's key: rotating yearly, kept 30 days after a deletion by mistake.
func (b *builder) encryption() error {
	key, err := kms.NewKey(b.ctx, b.name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Encrypts the DMS migration %s: replication storage, endpoint settings, source credentials", b.name),
		EnableKeyRotation:    pulumi.Bool(true),
		RotationPeriodInDays: pulumi.Int(database.KMSKeyRotationDays),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 b.tags(b.name + "-key"),
	}, b.parent)
	if err != nil {
		return err
	}
	if _, err := kms.NewAlias(b.ctx, b.name+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String("alias/dms/" + b.s.instanceID),
		TargetKeyId: key.KeyId,
	}, b.parent); err != nil {
		return err
	}
	b.key = key
	b.m.KMSKeyARN = key.Arn
	return nil
}

// replicationInstance creates the subnet group in the data subnets and the private, encrypted instance. Both
// wait for the account's dms-vpc-role when the component creates it: DMS looks the role up by name when
// either is created, and fails if it is not there yet.
func (b *builder) replicationInstance() error {
	s := b.s
	subnets := pulumi.StringArray{}
	for _, sn := range s.DataSubnets {
		subnets = append(subnets, sn.ID)
	}
	group, err := dms.NewReplicationSubnetGroup(b.ctx, b.name+"-subnets", &dms.ReplicationSubnetGroupArgs{
		ReplicationSubnetGroupId:          pulumi.String(s.instanceID),
		ReplicationSubnetGroupDescription: pulumi.Sprintf("Data subnets of the DMS migration %s", b.name),
		SubnetIds:                         subnets,
		Tags:                              b.tags(b.name + "-subnets"),
	}, b.parent, pulumi.DependsOn(b.roles.vpc))
	if err != nil {
		return err
	}
	args := &dms.ReplicationInstanceArgs{
		ReplicationInstanceId:    pulumi.String(s.instanceID),
		ReplicationInstanceClass: pulumi.String(s.InstanceClass),
		AllocatedStorage:         pulumi.Int(s.AllocatedStorageGB),
		MultiAz:                  pulumi.Bool(s.MultiAZ),
		// DMS makes an instance public unless told otherwise (CreateReplicationInstance PubliclyAccessible).
		PubliclyAccessible:       pulumi.Bool(false),
		KmsKeyArn:                b.key.Arn,
		ReplicationSubnetGroupId: group.ID(),
		VpcSecurityGroupIds:      pulumi.StringArray{b.net.instanceSG.ID()},
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		// A class or storage change during a migration is wanted now, not in next week's window.
		ApplyImmediately: pulumi.Bool(true),
		Tags:             b.tags(s.instanceID),
	}
	if s.EngineVersion != "" {
		args.EngineVersion = pulumi.String(s.EngineVersion)
	}
	b.instance, err = dms.NewReplicationInstance(b.ctx, b.name, args, b.parent, pulumi.DependsOn(b.roles.vpc))
	if err != nil {
		return err
	}
	b.m.Instance = b.instance
	b.m.ReplicationInstanceARN = b.instance.ReplicationInstanceArn
	return nil
}
