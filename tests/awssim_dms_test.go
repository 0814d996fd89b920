package tests

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

// awssimDMSBase is a VPC with subnets in two AZs, a security group, a subnet group, a secret and a role
// that may read it, in an account that already holds DMS's fixed-name roles.
type awssimDMSBase struct {
	ctx     *pulumi.Context
	vpc     *ec2.Vpc
	a, b    *ec2.Subnet
	sg      *ec2.SecurityGroup
	group   *dms.ReplicationSubnetGroup
	secret  *secretsmanager.Secret
	role    *iam.Role
	mapping string
}

const awssimDMSMapping = `{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","rule-action":"include",` +
	`"object-locator":{"schema-name":"%","table-name":"%"}}]}`

func awssimDMSTrust(principal string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":%q},`+
		`"Action":"sts:AssumeRole"}]}`, principal)
}

func newAwssimDMSBase(ctx *pulumi.Context) (*awssimDMSBase, error) {
	b := &awssimDMSBase{ctx: ctx, mapping: awssimDMSMapping}
	var err error
	if b.vpc, err = ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}); err != nil {
		return nil, err
	}
	for i, s := range []**ec2.Subnet{&b.a, &b.b} {
		if *s, err = ec2.NewSubnet(ctx, fmt.Sprintf("s%d", i), &ec2.SubnetArgs{VpcId: b.vpc.ID(),
			CidrBlock:        pulumi.Sprintf("10.0.%d.0/24", i),
			AvailabilityZone: pulumi.Sprintf("us-east-1%c", 'a'+i)}); err != nil {
			return nil, err
		}
	}
	if b.sg, err = ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: b.vpc.ID()}); err != nil {
		return nil, err
	}
	if b.group, err = dms.NewReplicationSubnetGroup(ctx, "group", &dms.ReplicationSubnetGroupArgs{
		ReplicationSubnetGroupId: pulumi.String("group"), ReplicationSubnetGroupDescription: pulumi.String("d"),
		SubnetIds: pulumi.StringArray{b.a.ID(), b.b.ID()}}); err != nil {
		return nil, err
	}
	if b.secret, err = secretsmanager.NewSecret(ctx, "creds", nil); err != nil {
		return nil, err
	}
	if b.role, err = iam.NewRole(ctx, "reader", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(awssimDMSTrust("dms.us-east-1.amazonaws.com"))}); err != nil {
		return nil, err
	}
	_, err = iam.NewRolePolicy(ctx, "reader", &iam.RolePolicyArgs{Role: b.role.Name,
		Policy: b.secret.Arn.ApplyT(func(arn string) string {
			return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"` + arn + `"}]}`
		}).(pulumi.StringOutput)})
	return b, err
}

func (b *awssimDMSBase) instance(edit func(*dms.ReplicationInstanceArgs)) (*dms.ReplicationInstance, error) {
	args := &dms.ReplicationInstanceArgs{ReplicationInstanceId: pulumi.String("rep"),
		ReplicationInstanceClass: pulumi.String("dms.t3.medium"), ReplicationSubnetGroupId: b.group.ID(),
		VpcSecurityGroupIds: pulumi.StringArray{b.sg.ID()}, PubliclyAccessible: pulumi.Bool(false)}
	if edit != nil {
		edit(args)
	}
	return dms.NewReplicationInstance(b.ctx, "rep", args)
}

func (b *awssimDMSBase) endpoint(name, side string, edit func(*dms.EndpointArgs)) (*dms.Endpoint, error) {
	args := &dms.EndpointArgs{EndpointId: pulumi.String(name), EndpointType: pulumi.String(side),
		EngineName: pulumi.String("postgres"), SecretsManagerArn: b.secret.Arn, SecretsManagerAccessRoleArn: b.role.Arn,
		SslMode: pulumi.String("require"), DatabaseName: pulumi.String("app")}
	if edit != nil {
		edit(args)
	}
	return dms.NewEndpoint(b.ctx, name, args)
}

// task registers an instance, both endpoints and a task, edited.
func (b *awssimDMSBase) task(edit func(*dms.ReplicationTaskArgs)) (*dms.ReplicationTask, error) {
	instance, err := b.instance(nil)
	if err != nil {
		return nil, err
	}
	source, err := b.endpoint("src", "source", nil)
	if err != nil {
		return nil, err
	}
	target, err := b.endpoint("tgt", "target", nil)
	if err != nil {
		return nil, err
	}
	args := &dms.ReplicationTaskArgs{ReplicationTaskId: pulumi.String("task"), MigrationType: pulumi.String("full-load-and-cdc"),
		ReplicationInstanceArn: instance.ReplicationInstanceArn, SourceEndpointArn: source.EndpointArn,
		TargetEndpointArn: target.EndpointArn, TableMappings: pulumi.String(b.mapping)}
	if edit != nil {
		edit(args)
	}
	return dms.NewReplicationTask(b.ctx, "task", args)
}

func awssimDMSProgram(body func(b *awssimDMSBase) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		b, err := newAwssimDMSBase(ctx)
		if err != nil {
			return err
		}
		return body(b)
	}
}

// awssimDMSRun runs in us-east-1 in an account that holds the roles listed.
func awssimDMSRun(program pulumi.RunFunc, roles ...string) (*awssim.Graph, error) {
	return awssim.Run(program, awssim.Options{Project: project, Stack: "test",
		Config: map[string]string{"aws:region": "us-east-1"}, ExistingRoles: roles})
}

var awssimDMSRoles = []string{awssim.DMSVPCRole, awssim.DMSLogsRole}

func TestAWSSimAcceptsAMigrationAndAnswersLikeDMS(t *testing.T) {
	g, err := awssimDMSRun(awssimDMSProgram(func(b *awssimDMSBase) error {
		_, err := b.task(func(a *dms.ReplicationTaskArgs) { a.StartReplicationTask = pulumi.Bool(true) })
		return err
	}), awssimDMSRoles...)
	require.NoError(t, err)
	instance := g.Named(typeDMSInstance, "rep")
	assert.Equal(t, "rep", instance.ID)
	assert.Regexp(t, `^arn:aws:dms:us-east-1:123456789012:rep:[A-Z2-7]{26}$`, instance.OutputString("replicationInstanceArn"))
	assert.Equal(t, awssim.DMSDefaultEngineVersion, instance.OutputString("engineVersion"))
	assert.Regexp(t, `^10\.0\.0\.\d+$`, instance.Output("replicationInstancePrivateIps").ArrayValue()[0].StringValue())
	assert.Regexp(t, `^arn:aws:dms:us-east-1:123456789012:endpoint:[A-Z2-7]{26}$`,
		g.Named(typeDMSEndpoint, "src").OutputString("endpointArn"))
	assert.Equal(t, g.Named(typeDMSSubnetGroup, "group").ID, "group")
	assert.Equal(t, g.Named(typeDMSSubnetGroup, "group").OutputString("vpcId"), g.Named("aws:ec2/vpc:Vpc", "vpc").ID)
	task := g.Named(typeDMSTask, "task")
	assert.Equal(t, "running", task.OutputString("status"))

	// Left out, DMS makes an instance public (CreateReplicationInstance PubliclyAccessible defaults to true).
	g, err = awssimDMSRun(awssimDMSProgram(func(b *awssimDMSBase) error {
		_, err := b.instance(func(a *dms.ReplicationInstanceArgs) { a.PubliclyAccessible = nil })
		return err
	}), awssimDMSRoles...)
	require.NoError(t, err)
	assert.True(t, g.Named(typeDMSInstance, "rep").Output("publiclyAccessible").BoolValue())
}

func TestAWSSimRefusesWhatDMSRefuses(t *testing.T) {
	instanceWith := func(edit func(*dms.ReplicationInstanceArgs)) func(b *awssimDMSBase) error {
		return func(b *awssimDMSBase) error { _, err := b.instance(edit); return err }
	}
	endpointWith := func(side string, edit func(*dms.EndpointArgs)) func(b *awssimDMSBase) error {
		return func(b *awssimDMSBase) error { _, err := b.endpoint("e", side, edit); return err }
	}
	taskWith := func(edit func(*dms.ReplicationTaskArgs)) func(b *awssimDMSBase) error {
		return func(b *awssimDMSBase) error { _, err := b.task(edit); return err }
	}
	mappingWith := func(rules string) func(b *awssimDMSBase) error {
		return taskWith(func(a *dms.ReplicationTaskArgs) { a.TableMappings = pulumi.String(`{"rules":[` + rules + `]}`) })
	}
	for _, tc := range []struct {
		name  string
		roles []string
		body  func(b *awssimDMSBase) error
		want  string
	}{
		{"subnet group without dms-vpc-role", []string{}, func(*awssimDMSBase) error { return nil },
			"dms-vpc-role is not configured properly: it does not exist in the account"},
		{"subnet group named default", awssimDMSRoles, func(b *awssimDMSBase) error {
			_, err := dms.NewReplicationSubnetGroup(b.ctx, "d", &dms.ReplicationSubnetGroupArgs{ReplicationSubnetGroupId: pulumi.String("default"),
				ReplicationSubnetGroupDescription: pulumi.String("d"), SubnetIds: pulumi.StringArray{b.a.ID(), b.b.ID()}})
			return err
		}, `cannot be "default"`},
		{"subnet group in one AZ", awssimDMSRoles, func(b *awssimDMSBase) error {
			_, err := dms.NewReplicationSubnetGroup(b.ctx, "one", &dms.ReplicationSubnetGroupArgs{ReplicationSubnetGroupId: pulumi.String("one"),
				ReplicationSubnetGroupDescription: pulumi.String("d"), SubnetIds: pulumi.StringArray{b.a.ID()}})
			return err
		}, "ReplicationSubnetGroupDoesNotCoverEnoughAZs"},
		{"instance identifier with a leading digit", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.ReplicationInstanceId = pulumi.String("1rep")
		}), "begin with a letter"},
		{"instance identifier with two hyphens", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.ReplicationInstanceId = pulumi.String("re--p")
		}), "two consecutive hyphens"},
		{"unknown class", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.ReplicationInstanceClass = pulumi.String("dms.m5.large")
		}), `The specified instance class "dms.m5.large" is not supported`},
		{"storage below 5 GiB", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.AllocatedStorage = pulumi.Int(2)
		}), "AllocatedStorage 2 must be between 5 and 6144"},
		{"Multi-AZ in a chosen AZ", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.MultiAz, a.AvailabilityZone = pulumi.Bool(true), pulumi.String("us-east-1a")
		}), "You cannot set the AvailabilityZone parameter if the MultiAZ parameter is set to true"},
		{"security group of another VPC", awssimDMSRoles, func(b *awssimDMSBase) error {
			other, err := ec2.NewVpc(b.ctx, "other", &ec2.VpcArgs{CidrBlock: pulumi.String("10.9.0.0/16")})
			if err != nil {
				return err
			}
			sg, err := ec2.NewSecurityGroup(b.ctx, "other-sg", &ec2.SecurityGroupArgs{VpcId: other.ID()})
			if err != nil {
				return err
			}
			_, err = b.instance(func(a *dms.ReplicationInstanceArgs) { a.VpcSecurityGroupIds = pulumi.StringArray{sg.ID()} })
			return err
		}, "not in the subnet group's VPC"},
		{"key of another region", awssimDMSRoles, instanceWith(func(a *dms.ReplicationInstanceArgs) {
			a.KmsKeyArn = pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-a444-555555555555")
		}), "KMSKeyNotAccessibleFault"},
		{"endpoint of an unknown engine", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.EngineName = pulumi.String("postgresql")
		}), `The engine name "postgresql" is not supported`},
		{"Redshift as a source", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.EngineName = pulumi.String("redshift")
		}), "The engine redshift can only be a target endpoint"},
		{"MongoDB as a target", awssimDMSRoles, endpointWith("target", func(a *dms.EndpointArgs) {
			a.EngineName = pulumi.String("mongodb")
		}), "The engine mongodb can only be a source endpoint"},
		{"secret and password", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.Password = pulumi.String("hunter22")
		}), "you can't specify both (password is set)"},
		{"secret without a role", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.SecretsManagerAccessRoleArn = nil
		}), "give both or neither"},
		{"role trusting the global principal", awssimDMSRoles, func(b *awssimDMSBase) error {
			global, err := iam.NewRole(b.ctx, "global", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(awssimDMSTrust("dms.amazonaws.com"))})
			if err != nil {
				return err
			}
			_, err = b.endpoint("e", "source", func(a *dms.EndpointArgs) { a.SecretsManagerAccessRoleArn = global.Arn })
			return err
		}, "does not name the regional service principal dms.us-east-1.amazonaws.com"},
		{"role that does not exist", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.SecretsManagerAccessRoleArn = pulumi.String("arn:aws:iam::123456789012:role/nobody")
		}), "The role arn:aws:iam::123456789012:role/nobody does not exist"},
		{"secret of another region", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.SecretsManagerArn = pulumi.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf")
		}), "Secrets Manager can't find the secret"},
		{"unknown SSL mode", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.SslMode = pulumi.String("strict")
		}), `SslMode "strict"`},
		{"malformed connection attribute", awssimDMSRoles, endpointWith("source", func(a *dms.EndpointArgs) {
			a.ExtraConnectionAttributes = pulumi.String("heartbeatEnable")
		}), "is not of the form name=value"},
		{"mappings that are not JSON", awssimDMSRoles, taskWith(func(a *dms.ReplicationTaskArgs) {
			a.TableMappings = pulumi.String("all")
		}), "Invalid table mappings: the table mappings are not valid JSON"},
		{"mappings without a selection rule", awssimDMSRoles, mappingWith(""),
			"define at least one selection rule"},
		{"explicit rule with a wildcard", awssimDMSRoles, mappingWith(`{"rule-type":"selection","rule-id":"1","rule-name":"1",` +
			`"rule-action":"explicit","object-locator":{"schema-name":"s","table-name":"t%"}}`), "an explicit rule takes no wildcards"},
		{"duplicate rule id", awssimDMSRoles, mappingWith(`{"rule-type":"selection","rule-id":"1","rule-name":"a",` +
			`"rule-action":"include","object-locator":{"schema-name":"%","table-name":"%"}},{"rule-type":"selection",` +
			`"rule-id":"1","rule-name":"b","rule-action":"include","object-locator":{"schema-name":"%","table-name":"%"}}`),
			"rule 2: rule-id 1 is not a unique number"},
		{"unknown migration type", awssimDMSRoles, taskWith(func(a *dms.ReplicationTaskArgs) {
			a.MigrationType = pulumi.String("copy")
		}), `MigrationType "copy"`},
		{"endpoints the wrong way round", awssimDMSRoles, func(b *awssimDMSBase) error {
			instance, err := b.instance(nil)
			if err != nil {
				return err
			}
			src, err := b.endpoint("src", "source", nil)
			if err != nil {
				return err
			}
			_, err = dms.NewReplicationTask(b.ctx, "task", &dms.ReplicationTaskArgs{ReplicationTaskId: pulumi.String("task"),
				MigrationType: pulumi.String("cdc"), ReplicationInstanceArn: instance.ReplicationInstanceArn,
				SourceEndpointArn: src.EndpointArn, TargetEndpointArn: src.EndpointArn, TableMappings: pulumi.String(b.mapping)})
			return err
		}, "is a source endpoint, not a target one"},
		{"logging without dms-cloudwatch-logs-role", []string{awssim.DMSVPCRole}, taskWith(func(a *dms.ReplicationTaskArgs) {
			a.ReplicationTaskSettings = pulumi.String(`{"Logging":{"EnableLogging":true}}`)
		}), "dms-cloudwatch-logs-role is not configured properly"},
		{"task log group created after the task started", awssimDMSRoles, func(b *awssimDMSBase) error {
			task, err := b.task(func(a *dms.ReplicationTaskArgs) {
				a.ReplicationTaskSettings = pulumi.String(`{"Logging":{"EnableLogging":true}}`)
				a.StartReplicationTask = pulumi.Bool(true)
			})
			if err != nil {
				return err
			}
			_, err = cloudwatch.NewLogGroup(b.ctx, "late", &cloudwatch.LogGroupArgs{Name: pulumi.String("dms-tasks-rep")},
				pulumi.DependsOn([]pulumi.Resource{task}))
			return err
		}, "ResourceAlreadyExistsException"},
		{"event category of the other source type", awssimDMSRoles, func(b *awssimDMSBase) error {
			topic, err := sns.NewTopic(b.ctx, "t", nil)
			if err != nil {
				return err
			}
			_, err = dms.NewEventSubscription(b.ctx, "es", &dms.EventSubscriptionArgs{SnsTopicArn: topic.Arn,
				SourceType: pulumi.String("replication-task"), EventCategories: pulumi.StringArray{pulumi.String("low storage")}})
			return err
		}, `Event category "low storage" does not apply to source type replication-task`},
		{"events to a topic of another region", awssimDMSRoles, func(b *awssimDMSBase) error {
			_, err := dms.NewEventSubscription(b.ctx, "es", &dms.EventSubscriptionArgs{
				SnsTopicArn: pulumi.String("arn:aws:sns:eu-west-1:123456789012:t"), SourceType: pulumi.String("replication-instance"),
				EventCategories: pulumi.StringArray{pulumi.String("failure")}})
			return err
		}, "DMS events go to a topic of their own region"},
		{"events of an instance that does not exist", awssimDMSRoles, func(b *awssimDMSBase) error {
			topic, err := sns.NewTopic(b.ctx, "t", nil)
			if err != nil {
				return err
			}
			_, err = dms.NewEventSubscription(b.ctx, "es", &dms.EventSubscriptionArgs{SnsTopicArn: topic.Arn,
				SourceType: pulumi.String("replication-instance"), SourceIds: pulumi.StringArray{pulumi.String("nope")},
				EventCategories: pulumi.StringArray{pulumi.String("failure")}})
			return err
		}, "The replication-instance nope was not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := awssimDMSRun(awssimDMSProgram(tc.body), tc.roles...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAWSSimRefusesDMSRolesTheProgramDoesNotWaitFor(t *testing.T) {
	program := func(wait bool) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			role, err := iam.NewRole(ctx, "dms-vpc-role", &iam.RoleArgs{Name: pulumi.String("dms-vpc-role"),
				AssumeRolePolicy: pulumi.String(awssimDMSTrust("dms.amazonaws.com"))})
			if err != nil {
				return err
			}
			attachment, err := iam.NewRolePolicyAttachment(ctx, "dms-vpc-role", &iam.RolePolicyAttachmentArgs{Role: role.Name,
				PolicyArn: pulumi.String("arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole")})
			if err != nil {
				return err
			}
			vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
			if err != nil {
				return err
			}
			var subnets pulumi.StringArray
			for i := 0; i < 2; i++ {
				s, err := ec2.NewSubnet(ctx, fmt.Sprintf("s%d", i), &ec2.SubnetArgs{VpcId: vpc.ID(),
					CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i), AvailabilityZone: pulumi.Sprintf("us-east-1%c", 'a'+i)},
					pulumi.DependsOn([]pulumi.Resource{attachment}))
				if err != nil {
					return err
				}
				subnets = append(subnets, s.ID())
			}
			var opts []pulumi.ResourceOption
			if wait {
				opts = append(opts, pulumi.DependsOn([]pulumi.Resource{role, attachment}))
			}
			_, err = dms.NewReplicationSubnetGroup(ctx, "group", &dms.ReplicationSubnetGroupArgs{
				ReplicationSubnetGroupId: pulumi.String("group"), ReplicationSubnetGroupDescription: pulumi.String("d"),
				SubnetIds: subnets}, opts...)
			return err
		}
	}
	_, err := simulateErr(t, "us-east-1", program(false))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "this resource does not wait for the role and its policy")
	simulate(t, "us-east-1", program(true))
}

func TestAWSSimFlagsSecretsDMSCannotReadAndEventsItCannotPublish(t *testing.T) {
	_, err := awssimDMSRun(func(ctx *pulumi.Context) error {
		b, err := newAwssimDMSBase(ctx)
		if err != nil {
			return err
		}
		blind, err := iam.NewRole(ctx, "blind", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(awssimDMSTrust("dms.us-east-1.amazonaws.com"))})
		if err != nil {
			return err
		}
		if _, err := b.endpoint("e", "source", func(a *dms.EndpointArgs) { a.SecretsManagerAccessRoleArn = blind.Arn }); err != nil {
			return err
		}
		instance, err := b.instance(nil)
		if err != nil {
			return err
		}
		topic, err := sns.NewTopic(ctx, "t", nil)
		if err != nil {
			return err
		}
		_, err = dms.NewEventSubscription(ctx, "es", &dms.EventSubscriptionArgs{SnsTopicArn: topic.Arn,
			SourceType: pulumi.String("replication-instance"), SourceIds: pulumi.StringArray{instance.ReplicationInstanceId},
			EventCategories: pulumi.StringArray{pulumi.String("failure")}})
		return err
	}, awssimDMSRoles...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no policy allowing secretsmanager:GetSecretValue")
	assert.Contains(t, err.Error(), "does not let dms.amazonaws.com publish")
}
