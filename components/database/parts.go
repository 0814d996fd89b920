package database

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/tagging"
)

// The building blocks of a database, exported so that the dr component builds its replica's key, network
// placement, parameters and protections exactly as the primary's are built: the replica becomes a primary on
// promotion, so it must already be one in everything but its replication source.

// SubnetIDs returns the ids of subnets.
func SubnetIDs(subnets []network.Subnet) pulumi.StringArray {
	out := pulumi.StringArray{}
	for _, s := range subnets {
		out = append(out, s.ID)
	}
	return out
}

// NewKey creates a customer-managed KMS key with automatic rotation, and an alias naming it after the
// database. In production the key is protected: deleting it makes every snapshot it encrypts unreadable.
func NewKey(ctx *pulumi.Context, name, identifier, description string, production bool, tags map[string]string,
	opts ...pulumi.ResourceOption) (*kms.Key, error) {
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.String("Encrypts " + description),
		EnableKeyRotation:    pulumi.Bool(true),
		RotationPeriodInDays: pulumi.Int(KMSKeyRotationDays),
		// The longest window: a key scheduled for deletion by mistake can be recovered for 30 days.
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tagging.Merge(tags, identifier),
	}, append(opts, pulumi.Protect(production))...)
	if err != nil {
		return nil, err
	}
	if _, err := kms.NewAlias(ctx, name+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String("alias/rds/" + identifier),
		TargetKeyId: key.KeyId,
	}, opts...); err != nil {
		return nil, err
	}
	return key, nil
}

// NewSecurityGroup creates the database's security group: no egress (a database initiates nothing), and
// ingress only on port from each client security group.
func NewSecurityGroup(ctx *pulumi.Context, name, identifier string, vpcID pulumi.StringInput, port int,
	clients []pulumi.StringInput, tags map[string]string, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       vpcID,
		Description: pulumi.String(fmt.Sprintf("Database %s: its clients only, on port %d", identifier, port)),
		Tags:        tagging.Merge(tags, identifier),
	}, opts...)
	if err != nil {
		return nil, err
	}
	for i, client := range clients {
		if err := AllowClient(ctx, fmt.Sprintf("%s-client-%d", name, i), sg, port, client, tags, opts...); err != nil {
			return nil, err
		}
	}
	return sg, nil
}

// AllowClient lets one client security group reach the database's port.
func AllowClient(ctx *pulumi.Context, name string, sg *ec2.SecurityGroup, port int, client pulumi.StringInput,
	tags map[string]string, opts ...pulumi.ResourceOption) error {
	_, err := vpc.NewSecurityGroupIngressRule(ctx, name, &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		ReferencedSecurityGroupId: client,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
		Description:               pulumi.String("database clients"),
		Tags:                      tagging.Merge(tags, name),
	}, opts...)
	return err
}

// NewSubnetGroup creates the DB subnet group, named after the identifier so that it is stable and valid
// (subnet group names are lowercase).
func NewSubnetGroup(ctx *pulumi.Context, name, identifier string, subnetIDs pulumi.StringArrayInput,
	tags map[string]string, opts ...pulumi.ResourceOption) (*rds.SubnetGroup, error) {
	return rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Name:        pulumi.String(identifier),
		Description: pulumi.String("Data subnets of " + identifier),
		SubnetIds:   subnetIDs,
		Tags:        tagging.Merge(tags, identifier),
	}, opts...)
}

// NewParameterGroup creates a parameter group that refuses unencrypted connections. Its name carries the
// family, so a major upgrade creates the new group beside the old one instead of modifying it in place.
func NewParameterGroup(ctx *pulumi.Context, name, identifier string, engine Engine, major string,
	tags map[string]string, opts ...pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	family := ParameterGroupFamily(engine, major)
	param, value := TLSParameter(engine)
	return rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		Name:        pulumi.String(identifier + "-" + strings.ReplaceAll(family, ".", "-")),
		Family:      pulumi.String(family),
		Description: pulumi.String("TLS-only connections for " + identifier),
		Parameters: rds.ParameterGroupParameterArray{
			rds.ParameterGroupParameterArgs{Name: pulumi.String(param), Value: pulumi.String(value)},
		},
		Tags: tagging.Merge(tags, identifier),
	}, opts...)
}

// Encrypt encrypts the instance's storage with key, and Performance Insights with it when turned on.
func Encrypt(args *rds.InstanceArgs, key *kms.Key, performanceInsights bool) {
	args.StorageEncrypted = pulumi.Bool(true)
	args.KmsKeyId = key.Arn
	args.PerformanceInsightsEnabled = pulumi.Bool(performanceInsights)
	if performanceInsights {
		args.PerformanceInsightsKmsKeyId = key.Arn
		args.PerformanceInsightsRetentionPeriod = pulumi.Int(PerformanceInsightsRetentionDays)
	}
}

// FinalSnapshotIdentifier is the stable name of an instance's final snapshot.
func FinalSnapshotIdentifier(identifier string) string { return identifier + "-final" }

// Protect sets the deletion safeguards one production flag drives: deletion protection, a final snapshot
// that is never skipped, and automated backups kept after deletion. Outside production the instance is
// disposable. The Pulumi protect option is set by the caller on the resource itself.
func Protect(args *rds.InstanceArgs, identifier string, production bool) {
	args.DeletionProtection = pulumi.Bool(production)
	args.SkipFinalSnapshot = pulumi.Bool(!production)
	args.DeleteAutomatedBackups = pulumi.Bool(!production)
	if production {
		args.FinalSnapshotIdentifier = pulumi.String(FinalSnapshotIdentifier(identifier))
	}
}
