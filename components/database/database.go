// Package database builds the kit's primary database: an encrypted RDS instance (PostgreSQL by default) in
// the network's data subnets, reachable only from the given client security groups, with its master password
// kept by RDS in Secrets Manager.
package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/tagging"
)

// Database is the primary database component.
type Database struct {
	pulumi.ResourceState

	// Endpoint is "<address>:<port>".
	Endpoint pulumi.StringOutput
	// Address is the instance's DNS name.
	Address pulumi.StringOutput
	// Port is the port clients connect to.
	Port pulumi.IntOutput
	// ARN is the instance's ARN: what a cross-region read replica names as its source.
	ARN pulumi.StringOutput
	// Identifier is the RDS DB instance identifier (IdentifierName as an output).
	Identifier pulumi.StringOutput
	// SecurityGroupID is the database's security group.
	SecurityGroupID pulumi.StringOutput
	// SecretARN is the Secrets Manager secret that holds the master credentials: RDS's own, or the kit's when
	// the instance is a ReplicaSource. Grant clients secretsmanager:GetSecretValue on it (and kms:Decrypt on
	// KMSKeyARN).
	SecretARN pulumi.StringOutput
	// KMSKeyARN is the customer-managed key encrypting the storage, the secret and Performance Insights.
	KMSKeyARN pulumi.StringOutput

	// Plain facts, known when the program runs, for components that validate against the database (dr).

	// IdentifierName is the DB instance identifier.
	IdentifierName string
	// Engine is the database engine.
	Engine Engine
	// EngineVersion is the engine version as configured (a major version unless pinned).
	EngineVersion string
	// DatabaseName is the database created in the instance.
	DatabaseName string
	// InstanceClass is the instance class.
	InstanceClass string
	// Encrypted is true: the storage is always encrypted.
	Encrypted bool
	// BackupRetentionDays is the automated backup retention.
	BackupRetentionDays int
	// Region is the region the database is in.
	Region string
	// PortNumber is Port as a plain number.
	PortNumber int
	// Production says whether the production protections are on.
	Production bool
	// PasswordManagedByRDS is true unless the instance is a ReplicaSource: RDS refuses replicas of it then.
	PasswordManagedByRDS bool
	// MaxAllocatedStorageGB is the storage autoscaling ceiling, 0 when off: a replica needs the same room.
	MaxAllocatedStorageGB int

	Instance *rds.Instance

	name    string
	sg      *ec2.SecurityGroup
	tags    map[string]string
	clients int
}

// AddClient lets one more client security group reach the database's port, for a client built after the
// database: the web tier, whose instances check that they can reach it. Its rule is a child of the database
// named as ClientSecurityGroupIDs' rules are (<name>-client-<n>, counting on from them), so moving a client
// from ClientSecurityGroupIDs to AddClient keeps its rule.
func (db *Database) AddClient(ctx *pulumi.Context, client pulumi.StringInput) error {
	name := fmt.Sprintf("%s-client-%d", db.name, db.clients)
	db.clients++
	return AllowClient(ctx, name, db.sg, db.PortNumber, client, db.tags, pulumi.Parent(db))
}

// New creates the database. Children inherit the provider from opts, so the database lands in the region of
// that provider, which must be args.Region.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		_, err := validate(name, nil, "")
		return nil, err
	}
	// The provider's region is asked first so that a Region that contradicts it is one more problem in the
	// same list, not a surprise at deployment.
	where, err := placement.Lookup(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("database %q: %w", name, err)
	}
	s, err := validate(name, args, where.Region)
	if err != nil {
		return nil, err
	}
	db := s.facts()
	if err := ctx.RegisterComponentResource("kit:database:Database", name, db, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(db)

	key, err := NewKey(ctx, name, s.Identifier, "primary database "+s.Identifier, s.Production, s.Tags, parent)
	if err != nil {
		return nil, err
	}
	sg, err := NewSecurityGroup(ctx, name, s.Identifier, s.VPCID, s.port, s.ClientSecurityGroupIDs, s.Tags, parent)
	if err != nil {
		return nil, err
	}
	subnetGroup, err := NewSubnetGroup(ctx, name, s.Identifier, SubnetIDs(s.DataSubnets), s.Tags, parent)
	if err != nil {
		return nil, err
	}
	params, err := NewParameterGroup(ctx, name, s.Identifier, s.Engine, s.major, s.Tags, parent)
	if err != nil {
		return nil, err
	}

	instanceArgs := &rds.InstanceArgs{
		Identifier:            pulumi.String(s.Identifier),
		Engine:                pulumi.String(string(s.Engine)),
		EngineVersion:         pulumi.String(s.EngineVersion),
		InstanceClass:         pulumi.String(s.InstanceClass),
		AllocatedStorage:      pulumi.Int(s.AllocatedStorageGB),
		StorageType:           pulumi.String("gp3"),
		DbName:                pulumi.String(s.DatabaseName),
		Username:              pulumi.String(s.MasterUsername),
		Port:                  pulumi.Int(s.port),
		MultiAz:               pulumi.Bool(s.MultiAZ),
		BackupRetentionPeriod: pulumi.Int(s.BackupRetentionDays),
		BackupWindow:          pulumi.String(s.BackupWindow),
		MaintenanceWindow:     pulumi.String(s.MaintenanceWindow),
		// Major upgrades change behaviour and need a plan; minor ones are security fixes.
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		AllowMajorVersionUpgrade: pulumi.Bool(false),
		CopyTagsToSnapshot:       pulumi.Bool(true),
		PubliclyAccessible:       pulumi.Bool(false),
		DbSubnetGroupName:        subnetGroup.Name,
		VpcSecurityGroupIds:      pulumi.StringArray{sg.ID()},
		ParameterGroupName:       params.Name,
		Tags:                     tagging.Merge(s.Tags, s.Identifier),
	}
	Encrypt(instanceArgs, key, !s.DisablePerformanceInsights)
	Protect(instanceArgs, s.Identifier, s.Production)
	monitoring, err := NewMonitoringRole(ctx, name, s.Identifier, s.Tags, parent)
	if err != nil {
		return nil, err
	}
	Observe(instanceArgs, s.Engine, monitoring)
	if s.MaxAllocatedStorageGB > 0 {
		instanceArgs.MaxAllocatedStorage = pulumi.Int(s.MaxAllocatedStorageGB)
	}
	instanceOpts := []pulumi.ResourceOption{parent, pulumi.Protect(s.Production)}
	var credentials *masterCredentials
	if s.ReplicaSource {
		if credentials, err = newMasterCredentials(ctx, name, s, key, parent); err != nil {
			return nil, err
		}
		// The password lives in the stack's state and never changes on its own, so turning ReplicaSource on
		// is one ModifyDBInstance that sets it and turns RDS's management off together, as RDS requires.
		instanceArgs.Password = credentials.password
	} else {
		instanceArgs.ManageMasterUserPassword = pulumi.Bool(true)
		instanceArgs.MasterUserSecretKmsKeyId = key.Arn
	}
	instance, err := rds.NewInstance(ctx, name, instanceArgs, instanceOpts...)
	if err != nil {
		return nil, err
	}

	db.Instance = instance
	db.name, db.sg, db.tags, db.clients = name, sg, s.Tags, len(s.ClientSecurityGroupIDs)
	db.Endpoint = instance.Endpoint
	db.Address = instance.Address
	db.Port = instance.Port
	db.ARN = instance.Arn
	db.Identifier = instance.Identifier
	db.SecurityGroupID = sg.ID().ToStringOutput()
	if credentials != nil {
		if err := credentials.store(ctx, name, s, instance, parent); err != nil {
			return nil, err
		}
		if err := credentials.rotate(ctx, name, s, sg, key.Arn, parent); err != nil {
			return nil, err
		}
		db.SecretARN = credentials.secret.Arn
	} else {
		db.SecretARN = instance.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()
	}
	db.KMSKeyARN = key.Arn
	if err := ctx.RegisterResourceOutputs(db, pulumi.Map{
		"endpoint":        db.Endpoint,
		"address":         db.Address,
		"port":            db.Port,
		"arn":             db.ARN,
		"identifier":      db.Identifier,
		"securityGroupId": db.SecurityGroupID,
		"secretArn":       db.SecretARN,
		"kmsKeyArn":       db.KMSKeyARN,
	}); err != nil {
		return nil, err
	}
	return db, nil
}
