package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awssimRDSFixture is a minimal network in us-east-1 (a VPC with subnets in two AZs, a DB subnet group and
// a security group) and a provider for us-west-2 with the same in that region.
type awssimRDSFixture struct {
	ctx                *pulumi.Context
	west               *aws.Provider
	vpc, vpc2          *ec2.Vpc
	subnetA, subnetB   *ec2.Subnet
	group, westGroup   *rds.SubnetGroup
	sg                 *ec2.SecurityGroup
	eastKey, westKey   *kms.Key
	westSubnetA, westB *ec2.Subnet
}

func awssimRDSNetwork(ctx *pulumi.Context, prefix, cidr, region string, opts ...pulumi.ResourceOption) (*ec2.Vpc, *ec2.Subnet, *ec2.Subnet, *rds.SubnetGroup, error) {
	vpc, err := ec2.NewVpc(ctx, prefix+"-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String(cidr + ".0.0/16")}, opts...)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	a, err := ec2.NewSubnet(ctx, prefix+"-a", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String(cidr + ".1.0/24"),
		AvailabilityZone: pulumi.String(region + "a")}, opts...)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	b, err := ec2.NewSubnet(ctx, prefix+"-b", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String(cidr + ".2.0/24"),
		AvailabilityZone: pulumi.String(region + "b")}, opts...)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	g, err := rds.NewSubnetGroup(ctx, prefix+"-group", &rds.SubnetGroupArgs{Name: pulumi.String(prefix + "-group"),
		SubnetIds: pulumi.StringArray{a.ID(), b.ID()}}, opts...)
	return vpc, a, b, g, err
}

func newAwssimRDSFixture(ctx *pulumi.Context) (*awssimRDSFixture, error) {
	f := &awssimRDSFixture{ctx: ctx}
	var err error
	if f.vpc, f.subnetA, f.subnetB, f.group, err = awssimRDSNetwork(ctx, "east", "10.0", "us-east-1"); err != nil {
		return nil, err
	}
	if f.west, err = aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")}); err != nil {
		return nil, err
	}
	if _, f.westSubnetA, f.westB, f.westGroup, err = awssimRDSNetwork(ctx, "west", "10.1", "us-west-2", pulumi.Provider(f.west)); err != nil {
		return nil, err
	}
	if f.vpc2, err = ec2.NewVpc(ctx, "other-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.9.0.0/16")}); err != nil {
		return nil, err
	}
	if f.sg, err = ec2.NewSecurityGroup(ctx, "db-sg", &ec2.SecurityGroupArgs{VpcId: f.vpc.ID()}); err != nil {
		return nil, err
	}
	if f.eastKey, err = kms.NewKey(ctx, "east-key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true)}); err != nil {
		return nil, err
	}
	f.westKey, err = kms.NewKey(ctx, "west-key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true)}, pulumi.Provider(f.west))
	return f, err
}

// primary registers a valid encrypted postgres instance in us-east-1, able to be a replica source (its
// password is not managed by RDS); edit may change it.
func (f *awssimRDSFixture) primary(name string, edit func(*rds.InstanceArgs)) (*rds.Instance, error) {
	args := &rds.InstanceArgs{
		Identifier: pulumi.String(name), Engine: pulumi.String("postgres"), EngineVersion: pulumi.String("16"),
		InstanceClass: pulumi.String("db.t4g.medium"), AllocatedStorage: pulumi.Int(20),
		Username: pulumi.String("dbadmin"), Password: pulumi.ToSecret(pulumi.String("correct-horse-battery")).(pulumi.StringOutput),
		StorageEncrypted: pulumi.Bool(true), KmsKeyId: f.eastKey.Arn, BackupRetentionPeriod: pulumi.Int(7),
		DbSubnetGroupName: f.group.Name, VpcSecurityGroupIds: pulumi.StringArray{f.sg.ID()},
		SkipFinalSnapshot: pulumi.Bool(true),
	}
	if edit != nil {
		edit(args)
	}
	return rds.NewInstance(f.ctx, name, args)
}

// westReplica registers a cross-region replica of src in us-west-2; edit may change it.
func (f *awssimRDSFixture) westReplica(src pulumi.StringInput, edit func(*rds.InstanceArgs)) error {
	args := &rds.InstanceArgs{
		Identifier: pulumi.String("replica"), InstanceClass: pulumi.String("db.t4g.medium"),
		ReplicateSourceDb: src, KmsKeyId: f.westKey.Arn, DbSubnetGroupName: f.westGroup.Name,
		SkipFinalSnapshot: pulumi.Bool(true),
	}
	if edit != nil {
		edit(args)
	}
	_, err := rds.NewInstance(f.ctx, "replica", args, pulumi.Provider(f.west))
	return err
}

func awssimRDSProgram(body func(f *awssimRDSFixture) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		f, err := newAwssimRDSFixture(ctx)
		if err != nil {
			return err
		}
		return body(f)
	}
}

func TestAwssimRDSRefusesWhatAWSRefuses(t *testing.T) {
	primaryWith := func(edit func(*rds.InstanceArgs)) func(f *awssimRDSFixture) error {
		return func(f *awssimRDSFixture) error { _, err := f.primary("db", edit); return err }
	}
	replicaWith := func(primaryEdit, edit func(*rds.InstanceArgs)) func(f *awssimRDSFixture) error {
		return func(f *awssimRDSFixture) error {
			p, err := f.primary("db", primaryEdit)
			if err != nil {
				return err
			}
			return f.westReplica(p.Arn, edit)
		}
	}
	for _, tc := range []struct {
		name string
		body func(f *awssimRDSFixture) error
		want string
	}{
		{"subnet group in one AZ", func(f *awssimRDSFixture) error {
			_, err := rds.NewSubnetGroup(f.ctx, "one-az", &rds.SubnetGroupArgs{Name: pulumi.String("one-az"),
				SubnetIds: pulumi.StringArray{f.subnetA.ID()}})
			return err
		}, "DBSubnetGroupDoesNotCoverEnoughAZs"},
		{"subnet group across VPCs", func(f *awssimRDSFixture) error {
			s, err := ec2.NewSubnet(f.ctx, "other", &ec2.SubnetArgs{VpcId: f.vpc2.ID(), CidrBlock: pulumi.String("10.9.3.0/24"),
				AvailabilityZone: pulumi.String("us-east-1c")})
			if err != nil {
				return err
			}
			_, err = rds.NewSubnetGroup(f.ctx, "mixed", &rds.SubnetGroupArgs{Name: pulumi.String("mixed"),
				SubnetIds: pulumi.StringArray{f.subnetA.ID(), s.ID()}})
			return err
		}, "must all be in one VPC"},
		{"subnet group with another region's subnet", func(f *awssimRDSFixture) error {
			_, err := rds.NewSubnetGroup(f.ctx, "cross", &rds.SubnetGroupArgs{Name: pulumi.String("cross"),
				SubnetIds: pulumi.StringArray{f.subnetA.ID(), f.westSubnetA.ID()}})
			return err
		}, "InvalidSubnet"},
		{"subnet group name in upper case", func(f *awssimRDSFixture) error {
			_, err := rds.NewSubnetGroup(f.ctx, "Upper", &rds.SubnetGroupArgs{SubnetIds: pulumi.StringArray{f.subnetA.ID(), f.subnetB.ID()}})
			return err
		}, "only lowercase"},
		{"unknown engine version", primaryWith(func(a *rds.InstanceArgs) { a.EngineVersion = pulumi.String("13.2") }),
			"Cannot find version 13.2 for postgres"},
		{"unknown class", primaryWith(func(a *rds.InstanceArgs) { a.InstanceClass = pulumi.String("db.t2.nano") }),
			"RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.t2.nano"},
		{"retention above 35", primaryWith(func(a *rds.InstanceArgs) { a.BackupRetentionPeriod = pulumi.Int(36) }),
			"Valid values are 0 to 35"},
		{"identifier starting with a digit", primaryWith(func(a *rds.InstanceArgs) { a.Identifier = pulumi.String("1db") }),
			"first character must be a letter"},
		{"identifier with double hyphen", primaryWith(func(a *rds.InstanceArgs) { a.Identifier = pulumi.String("a--b") }),
			"two consecutive hyphens"},
		{"identifier too long", primaryWith(func(a *rds.InstanceArgs) {
			a.Identifier = pulumi.String(strings.Repeat("abcdefgh", 8))
		}),
			"1 to 63 characters"},
		{"final snapshot without identifier", primaryWith(func(a *rds.InstanceArgs) { a.SkipFinalSnapshot = nil }),
			"final_snapshot_identifier is required when skip_final_snapshot is false"},
		{"managed and explicit password", primaryWith(func(a *rds.InstanceArgs) { a.ManageMasterUserPassword = pulumi.Bool(true) }),
			"You can't specify MasterUserPassword when ManageMasterUserPassword"},
		{"key without encryption", primaryWith(func(a *rds.InstanceArgs) { a.StorageEncrypted = pulumi.Bool(false) }),
			"StorageEncrypted is not true"},
		{"key in another region", primaryWith(func(a *rds.InstanceArgs) { a.KmsKeyId = f2westKeyARN() }),
			"KMSKeyNotAccessibleFault"},
		{"mysql micro with performance insights", primaryWith(func(a *rds.InstanceArgs) {
			a.Engine, a.EngineVersion, a.InstanceClass = pulumi.String("mysql"), pulumi.String("8.0"), pulumi.String("db.t3.micro")
			a.PerformanceInsightsEnabled = pulumi.Bool(true)
		}), "Performance Insights not supported for this configuration"},
		{"overlapping windows", primaryWith(func(a *rds.InstanceArgs) {
			a.BackupWindow, a.MaintenanceWindow = pulumi.String("03:00-04:00"), pulumi.String("tue:03:30-tue:04:30")
		}), "must not overlap"},
		{"parameter group of another family", func(f *awssimRDSFixture) error {
			pg, err := rds.NewParameterGroup(f.ctx, "pg", &rds.ParameterGroupArgs{Family: pulumi.String("postgres15")})
			if err != nil {
				return err
			}
			_, err = f.primary("db", func(a *rds.InstanceArgs) { a.ParameterGroupName = pg.Name })
			return err
		}, "Use a parameter group with DBParameterGroupFamily postgres16"},
		{"mysql parameter in a postgres group", func(f *awssimRDSFixture) error {
			_, err := rds.NewParameterGroup(f.ctx, "pg", &rds.ParameterGroupArgs{Family: pulumi.String("postgres16"),
				Parameters: rds.ParameterGroupParameterArray{rds.ParameterGroupParameterArgs{
					Name: pulumi.String("require_secure_transport"), Value: pulumi.String("ON")}}})
			return err
		}, "Could not find parameter with name: require_secure_transport"},
		{"security group of another VPC", func(f *awssimRDSFixture) error {
			sg, err := ec2.NewSecurityGroup(f.ctx, "elsewhere", &ec2.SecurityGroupArgs{VpcId: f.vpc2.ID()})
			if err != nil {
				return err
			}
			_, err = f.primary("db", func(a *rds.InstanceArgs) { a.VpcSecurityGroupIds = pulumi.StringArray{sg.ID()} })
			return err
		}, "are in different VPCs"},
		{"replica of a source without backups", replicaWith(func(a *rds.InstanceArgs) { a.BackupRetentionPeriod = pulumi.Int(0) }, nil),
			"InvalidDBInstanceState: Automated backups are not enabled for this database instance"},
		{"cross-region replica of an encrypted source without a key", replicaWith(nil, func(a *rds.InstanceArgs) { a.KmsKeyId = nil }),
			"KmsKeyId must be specified for a cross-region read replica of an encrypted DB instance"},
		{"replica with a key of the source's region", func(f *awssimRDSFixture) error {
			p, err := f.primary("db", nil)
			if err != nil {
				return err
			}
			return f.westReplica(p.Arn, func(a *rds.InstanceArgs) { a.KmsKeyId = f.eastKey.Arn })
		}, "not in the same region as the DB instance (us-west-2)"},
		{"cross-region replica named by identifier", func(f *awssimRDSFixture) error {
			p, err := f.primary("db", nil)
			if err != nil {
				return err
			}
			return f.westReplica(p.Identifier, nil)
		}, "a cross-region read replica names its source by ARN"},
		{"encrypted replica of an unencrypted source", replicaWith(func(a *rds.InstanceArgs) {
			a.StorageEncrypted, a.KmsKeyId = pulumi.Bool(false), nil
		}, nil), "Cannot create an encrypted read replica of an unencrypted DB instance"},
		{"replica of a source whose password RDS manages", replicaWith(func(a *rds.InstanceArgs) {
			a.Password, a.ManageMasterUserPassword = nil, pulumi.Bool(true)
		}, nil), "Creating read replicas for source instance with engine postgres where ManageMasterUserPassword is enabled is not supported"},
		{"replica with a managed password", replicaWith(nil, func(a *rds.InstanceArgs) { a.ManageMasterUserPassword = pulumi.Bool(true) }),
			"ManageMasterUserPassword isn't supported when creating a read replica"},
		{"replica source that does not exist", func(f *awssimRDSFixture) error {
			return f.westReplica(pulumi.String("arn:aws:rds:us-east-1:123456789012:db:ghost"), nil)
		}, "DBInstanceNotFound"},
		{"backup replication in the source's region", func(f *awssimRDSFixture) error {
			p, err := f.primary("db", nil)
			if err != nil {
				return err
			}
			_, err = rds.NewInstanceAutomatedBackupsReplication(f.ctx, "rep", &rds.InstanceAutomatedBackupsReplicationArgs{
				SourceDbInstanceArn: p.Arn, KmsKeyId: f.eastKey.Arn})
			return err
		}, "replicated to a different region"},
		{"backup replication of an encrypted source without a key", func(f *awssimRDSFixture) error {
			p, err := f.primary("db", nil)
			if err != nil {
				return err
			}
			_, err = rds.NewInstanceAutomatedBackupsReplication(f.ctx, "rep", &rds.InstanceAutomatedBackupsReplicationArgs{
				SourceDbInstanceArn: p.Arn}, pulumi.Provider(f.west))
			return err
		}, "KmsKeyId is required to replicate the automated backups"},
		{"key rotation period too short", func(f *awssimRDSFixture) error {
			_, err := kms.NewKey(f.ctx, "k", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true), RotationPeriodInDays: pulumi.Int(30)})
			return err
		}, "RotationPeriodInDays 30 must be between 90 and 2560"},
		{"rotation period without rotation", func(f *awssimRDSFixture) error {
			_, err := kms.NewKey(f.ctx, "k", &kms.KeyArgs{RotationPeriodInDays: pulumi.Int(365)})
			return err
		}, "enableKeyRotation is not"},
		{"key deletion window too short", func(f *awssimRDSFixture) error {
			_, err := kms.NewKey(f.ctx, "k", &kms.KeyArgs{DeletionWindowInDays: pulumi.Int(3)})
			return err
		}, "between 7 and 30"},
		{"alias in the AWS namespace", func(f *awssimRDSFixture) error {
			_, err := kms.NewAlias(f.ctx, "a", &kms.AliasArgs{Name: pulumi.String("alias/aws/rds"), TargetKeyId: f.eastKey.KeyId})
			return err
		}, "reserved for AWS managed keys"},
		{"alias for a key in another region", func(f *awssimRDSFixture) error {
			_, err := kms.NewAlias(f.ctx, "a", &kms.AliasArgs{Name: pulumi.String("alias/x"), TargetKeyId: f.westKey.Arn})
			return err
		}, "an alias and its key must be in the same region"},
		{"alias record without target zone", func(f *awssimRDSFixture) error {
			_, err := route53.NewRecord(f.ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String("Z123ABC"), Name: pulumi.String("a.example.com"),
				Type: pulumi.String("A"), Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: pulumi.String("lb.example.com"),
					ZoneId: pulumi.String(""), EvaluateTargetHealth: pulumi.Bool(true)}}})
			return err
		}, "needs the hosted zone id of the target"},
		{"failover record without set identifier", func(f *awssimRDSFixture) error {
			_, err := route53.NewRecord(f.ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String("Z123ABC"), Name: pulumi.String("a.example.com"),
				Type: pulumi.String("A"), Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("SECONDARY")}}})
			return err
		}, "needs a setIdentifier"},
		{"primary failover record without health check", func(f *awssimRDSFixture) error {
			_, err := route53.NewRecord(f.ctx, "r", &route53.RecordArgs{ZoneId: pulumi.String("Z123ABC"), Name: pulumi.String("a.example.com"),
				Type: pulumi.String("A"), Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60), SetIdentifier: pulumi.String("p"),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}}})
			return err
		}, "Route 53 would never fail over"},
		{"record outside its zone", func(f *awssimRDSFixture) error {
			z, err := route53.NewZone(f.ctx, "z", &route53.ZoneArgs{Name: pulumi.String("example.com")})
			if err != nil {
				return err
			}
			_, err = route53.NewRecord(f.ctx, "r", &route53.RecordArgs{ZoneId: z.ZoneId, Name: pulumi.String("a.example.org"),
				Type: pulumi.String("A"), Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60)})
			return err
		}, "is not permitted in zone example.com"},
		{"HTTP health check without endpoint", func(f *awssimRDSFixture) error {
			_, err := route53.NewHealthCheck(f.ctx, "h", &route53.HealthCheckArgs{Type: pulumi.String("HTTP")})
			return err
		}, "set fqdn or ipAddress"},
		{"health check path without slash", func(f *awssimRDSFixture) error {
			_, err := route53.NewHealthCheck(f.ctx, "h", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"),
				Fqdn: pulumi.String("lb.example.com"), ResourcePath: pulumi.String("health")})
			return err
		}, "must begin with /"},
		{"health check interval", func(f *awssimRDSFixture) error {
			_, err := route53.NewHealthCheck(f.ctx, "h", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"),
				Fqdn: pulumi.String("lb.example.com"), RequestInterval: pulumi.Int(15)})
			return err
		}, "RequestInterval 15 must be 10 or 30"},
		{"alarm action in another region", func(f *awssimRDSFixture) error {
			_, err := cloudwatch.NewMetricAlarm(f.ctx, "a", &cloudwatch.MetricAlarmArgs{ComparisonOperator: pulumi.String("GreaterThanThreshold"),
				EvaluationPeriods: pulumi.Int(1), MetricName: pulumi.String("ReplicaLag"), Namespace: pulumi.String("AWS/RDS"),
				Period: pulumi.Int(60), Statistic: pulumi.String("Maximum"), Threshold: pulumi.Float64(60),
				AlarmActions: pulumi.Array{pulumi.String("arn:aws:sns:us-east-1:123456789012:t")}}, pulumi.Provider(f.west))
			return err
		}, "Invalid region us-east-1"},
		{"alarm period", func(f *awssimRDSFixture) error {
			_, err := cloudwatch.NewMetricAlarm(f.ctx, "a", &cloudwatch.MetricAlarmArgs{ComparisonOperator: pulumi.String("GreaterThanThreshold"),
				EvaluationPeriods: pulumi.Int(1), MetricName: pulumi.String("ReplicaLag"), Namespace: pulumi.String("AWS/RDS"),
				Period: pulumi.Int(45), Statistic: pulumi.String("Maximum"), Threshold: pulumi.Float64(60)})
			return err
		}, "Period (45) must be 10, 20, 30 or a multiple of 60"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", awssimRDSProgram(tc.body))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// f2westKeyARN is a syntactically valid key ARN in us-west-2, for a us-east-1 instance to refuse.
func f2westKeyARN() pulumi.StringInput {
	return pulumi.String("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
}

func TestAwssimRDSAcceptsAValidCrossRegionReplicaWithRealisticOutputs(t *testing.T) {
	g := simulate(t, "us-east-1", awssimRDSProgram(func(f *awssimRDSFixture) error {
		// A standalone instance whose password RDS manages, for the secret's format.
		if _, err := f.primary("managed", func(a *rds.InstanceArgs) {
			a.Password, a.ManageMasterUserPassword = nil, pulumi.Bool(true)
		}); err != nil {
			return err
		}
		p, err := f.primary("orders", nil)
		if err != nil {
			return err
		}
		if err := f.westReplica(p.Arn, nil); err != nil {
			return err
		}
		if _, err := rds.NewInstanceAutomatedBackupsReplication(f.ctx, "rep", &rds.InstanceAutomatedBackupsReplicationArgs{
			SourceDbInstanceArn: p.Arn, KmsKeyId: f.westKey.Arn}, pulumi.Provider(f.west)); err != nil {
			return err
		}
		z, err := route53.NewZone(f.ctx, "z", &route53.ZoneArgs{Name: pulumi.String("example.com")})
		if err != nil {
			return err
		}
		h, err := route53.NewHealthCheck(f.ctx, "h", &route53.HealthCheckArgs{Type: pulumi.String("HTTPS"),
			Fqdn: pulumi.String("lb.example.com"), ResourcePath: pulumi.String("/healthz")})
		if err != nil {
			return err
		}
		_, err = route53.NewRecord(f.ctx, "r", &route53.RecordArgs{ZoneId: z.ZoneId, Name: pulumi.String("app"),
			Type: pulumi.String("A"), SetIdentifier: pulumi.String("p"), HealthCheckId: h.ID(),
			FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}},
			Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: pulumi.String("lb.example.com"),
				ZoneId: pulumi.String("Z35SXDOTRQ7X7K"), EvaluateTargetHealth: pulumi.Bool(true)}}})
		return err
	}))
	primary := g.Named(typeRDSInstance, "orders")
	assert.Regexp(t, `^orders\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432$`, primary.OutputString("endpoint"))
	assert.Regexp(t, `^orders\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$`, primary.OutputString("address"))
	assert.Equal(t, "arn:aws:rds:us-east-1:123456789012:db:orders", primary.OutputString("arn"))
	assert.Regexp(t, `^db-[A-Z2-7]{26}$`, primary.OutputString("resourceId"))
	assert.Equal(t, primary.ID, primary.OutputString("resourceId"), "the provider's id is the resource id")
	assert.Equal(t, "16.8", primary.OutputString("engineVersionActual"))
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}-[A-Z2-7]{6}$`,
		g.Named(typeRDSInstance, "managed").OutputString("masterUserSecrets.0.secretArn"))

	replica := g.Named(typeRDSInstance, "replica")
	assert.Equal(t, "us-west-2", replica.Region)
	assert.Regexp(t, `^replica\.[a-z0-9]{12}\.us-west-2\.rds\.amazonaws\.com:5432$`, replica.OutputString("endpoint"))
	assert.Equal(t, "postgres", replica.OutputString("engine"))
	assert.True(t, replica.Output("storageEncrypted").BoolValue())
	assert.Regexp(t, `^arn:aws:kms:us-west-2:123456789012:key/[0-9a-f-]{36}$`, replica.OutputString("kmsKeyId"))

	rep := g.Named("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "rep")
	assert.Regexp(t, `^arn:aws:rds:us-west-2:123456789012:auto-backup:ab-[a-z2-7]{26}$`, rep.ID)

	assert.Regexp(t, `^Z[A-Z2-7]{20}$`, g.Named("aws:route53/zone:Zone", "z").ID)
	h := g.Named("aws:route53/healthCheck:HealthCheck", "h")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, h.ID)
	assert.Equal(t, 443.0, h.Output("port").NumberValue())
	assert.Equal(t, "app.example.com", g.Named("aws:route53/record:Record", "r").OutputString("fqdn"))
}

func TestAwssimRDSFlagsAReplicaThatCouldNotBeDeleted(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", awssimRDSProgram(func(f *awssimRDSFixture) error {
		p, err := f.primary("orders", nil)
		if err != nil {
			return err
		}
		return f.westReplica(p.Arn, func(a *rds.InstanceArgs) {
			a.SkipFinalSnapshot, a.FinalSnapshotIdentifier = pulumi.Bool(false), pulumi.String("replica-final")
		})
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read replica with skipFinalSnapshot false")
}

func TestAwssimRDSFlagsAReplicaLagAlarmThatPagesOnAnIdlePostgresSource(t *testing.T) {
	program := func(threshold float64, op string) pulumi.RunFunc {
		return awssimRDSProgram(func(f *awssimRDSFixture) error {
			p, err := f.primary("orders", nil)
			if err != nil {
				return err
			}
			if err := f.westReplica(p.Arn, nil); err != nil {
				return err
			}
			_, err = cloudwatch.NewMetricAlarm(f.ctx, "lag", &cloudwatch.MetricAlarmArgs{
				Namespace: pulumi.String("AWS/RDS"), MetricName: pulumi.String("ReplicaLag"),
				Dimensions: pulumi.StringMap{"DBInstanceIdentifier": pulumi.String("replica")},
				Statistic:  pulumi.String("Maximum"), Period: pulumi.Int(60), EvaluationPeriods: pulumi.Int(5),
				Threshold: pulumi.Float64(threshold), ComparisonOperator: pulumi.String(op),
			}, pulumi.Provider(f.west))
			return err
		})
	}
	for _, tc := range []struct {
		threshold float64
		op        string
	}{{120, "GreaterThanThreshold"}, {300, "GreaterThanOrEqualToThreshold"}} {
		_, err := simulateErr(t, "us-east-1", program(tc.threshold, tc.op))
		require.Error(t, err, "%v %s", tc.threshold, tc.op)
		assert.Contains(t, err.Error(), "ReplicaLag alarm on PostgreSQL replica replica fires at")
		assert.Contains(t, err.Error(), "reports up to 300 s of lag while the source is idle")
	}
	simulate(t, "us-east-1", program(300, "GreaterThanThreshold"))
}
