package tests

// What the kit builds for Security Hub's FSBP controls (issue 11, item 7), and what the simulated AWS
// refuses of it.

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/policy/rules"
)

func TestDatabaseIsMonitoredLogsToCloudWatchAndTakesIAMAuth(t *testing.T) {
	g := simulate(t, "us-east-1", databaseProgram("us-east-1", nil))
	db := databaseInstance(t, g)
	assert.Equal(t, float64(database.MonitoringIntervalSeconds), db.Input("monitoringInterval").NumberValue())
	role := g.Named("aws:iam/role:Role", "orders-db-monitoring")
	require.NotNil(t, role)
	assert.Equal(t, role.OutputString("arn"), db.InputString("monitoringRoleArn"))
	assert.Contains(t, role.InputString("assumeRolePolicy"), "monitoring.rds.amazonaws.com")
	attached := g.Named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "orders-db-monitoring")
	require.NotNil(t, attached)
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", attached.InputString("policyArn"))
	assert.Equal(t, []any{"postgresql", "upgrade"}, db.Input("enabledCloudwatchLogsExports").Mappable())
	assert.True(t, db.Input("iamDatabaseAuthenticationEnabled").BoolValue())

	mysql := simulate(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) { a.Engine = database.MySQL }))
	assert.Equal(t, []any{"error", "general", "slowquery"}, databaseInstance(t, mysql).Input("enabledCloudwatchLogsExports").Mappable())
}

func TestAwssimRDSRefusesMonitoringWithoutARoleAndLogsTheEngineDoesNotWrite(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(*rds.InstanceArgs)
		want string
	}{
		"interval without role": {func(a *rds.InstanceArgs) { a.MonitoringInterval = pulumi.Int(60) },
			"InvalidParameterCombination: A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0."},
		"interval RDS does not offer": {func(a *rds.InstanceArgs) { a.MonitoringInterval = pulumi.Int(45) },
			"MonitoringInterval 45 is not valid: use 0, 1, 5, 10, 15, 30 or 60"},
		"a MySQL log on PostgreSQL": {func(a *rds.InstanceArgs) {
			a.EnabledCloudwatchLogsExports = pulumi.ToStringArray([]string{"slowquery"})
		},
			"You cannot use the log type slowquery with engine postgres"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", awssimRDSProgram(func(f *awssimRDSFixture) error {
				_, err := f.primary("db", tc.edit)
				return err
			}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNetworkTakesOverTheDefaultNetworkACLWithoutSSHOrRDPFromAnywhere(t *testing.T) {
	g := simulate(t, "us-east-1", networkProgram(&network.Args{AZCount: 2, NATStrategy: network.NATSingle}))
	acls := g.ByType("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")
	require.Len(t, acls, 1)
	acl := acls[0]
	vpc := g.ByType("aws:ec2/vpc:Vpc")[0]
	assert.Equal(t, vpc.OutputString("defaultNetworkAclId"), acl.InputString("defaultNetworkAclId"))
	assert.Len(t, acl.Input("subnetIds").ArrayValue(), len(g.ByType("aws:ec2/subnet:Subnet")), "every subnet stays on it")
	assert.Empty(t, policyFired(t, "prod", "nacl-no-ssh-rdp-from-anywhere", g.AnalyzerResources()...), "EC2.21 passes")
	var open []string
	for _, e := range acl.Input("ingress").ArrayValue() {
		m := e.ObjectValue()
		if m["cidrBlock"].StringValue() == "0.0.0.0/0" && m["protocol"].StringValue() != "icmp" {
			open = append(open, fmt.Sprintf("%s %v-%v", m["protocol"].StringValue(), m["fromPort"].NumberValue(),
				m["toPort"].NumberValue()))
		}
	}
	assert.Equal(t, []string{"tcp 0-21", "tcp 23-3388", "tcp 3390-65535", "udp 0-21", "udp 23-3388", "udp 3390-65535"}, open,
		"TCP and UDP, each in three ranges around 22 and 3389")
}

func TestAWSSimRefusesNetworkACLEntriesEC2Refuses(t *testing.T) {
	program := func(entries ec2.DefaultNetworkAclIngressArray) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			r, err := newRawVPC(ctx, "v", "10.0.0.0/16", "10.0.1.0/24", false)
			if err != nil {
				return err
			}
			_, err = ec2.NewDefaultNetworkAcl(ctx, "acl", &ec2.DefaultNetworkAclArgs{
				DefaultNetworkAclId: r.vpc.DefaultNetworkAclId, Ingress: entries})
			return err
		}
	}
	entry := func(rule int, action string) ec2.DefaultNetworkAclIngressArgs {
		return ec2.DefaultNetworkAclIngressArgs{Protocol: pulumi.String("tcp"), RuleNo: pulumi.Int(rule),
			Action: pulumi.String(action), CidrBlock: pulumi.String("10.0.0.0/8"), FromPort: pulumi.Int(80), ToPort: pulumi.Int(80)}
	}
	for want, entries := range map[string]ec2.DefaultNetworkAclIngressArray{
		"NetworkAclEntryAlreadyExists": {entry(100, "allow"), entry(100, "deny")},
		"Invalid rule number 40000":    {entry(40000, "allow")},
		`Invalid rule action "permit"`: {entry(100, "permit")},
	} {
		_, err := simulateErr(t, "us-east-1", program(entries))
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
	}
	simulate(t, "us-east-1", program(ec2.DefaultNetworkAclIngressArray{entry(100, "allow"), entry(110, "deny")}))
}

func TestDatabaseReplicaSourceSecretRotatesThroughAWSsRotationFunction(t *testing.T) {
	g := simulate(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) {
		a.ReplicaSource, a.RotationSubnets = true, a.DataSubnets
	}))
	stack := g.Named("aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "orders-db-rotation")
	require.NotNil(t, stack)
	assert.Equal(t, "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
		stack.InputString("applicationId"))
	assert.Equal(t, "https://secretsmanager.us-east-1.amazonaws.com", stack.InputString("parameters.endpoint"))
	rotation := g.Named("aws:secretsmanager/secretRotation:SecretRotation", "orders-db-master")
	require.NotNil(t, rotation)
	assert.Equal(t, float64(database.RotationDays), rotation.Input("rotationRules.automaticallyAfterDays").NumberValue())
	assert.Equal(t, "arn:aws:lambda:us-east-1:123456789012:function:orders-db-rotation", rotation.InputString("rotationLambdaArn"))
	assert.Empty(t, policyFired(t, "prod", "secretsmanager-rotation", g.AnalyzerResources()...))
	// The function may reach the database: its group is one of the database's clients.
	client := g.Named(typeIngressRule, "orders-db-rotation-client")
	require.NotNil(t, client)
	assert.Equal(t, g.Named("aws:ec2/securityGroup:SecurityGroup", "orders-db-rotation").ID, client.InputString("referencedSecurityGroupId"))

	_, err := simulateErr(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) { a.ReplicaSource = true }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RotationSubnets is empty while ReplicaSource is set")
}

func TestAWSSimRefusesRotationDeploymentsAWSRefuses(t *testing.T) {
	app := "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
	stack := func(caps []string, endpoint string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			_, err := serverlessrepository.NewCloudFormationStack(ctx, "rot", &serverlessrepository.CloudFormationStackArgs{
				Name: pulumi.String("rot"), ApplicationId: pulumi.String(app), Capabilities: pulumi.ToStringArray(caps),
				Parameters: pulumi.StringMap{"endpoint": pulumi.String(endpoint), "functionName": pulumi.String("rot")}})
			return err
		}
	}
	_, err := simulateErr(t, "us-east-1", stack([]string{"CAPABILITY_IAM"}, "https://secretsmanager.us-east-1.amazonaws.com"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "InsufficientCapabilitiesException")
	_, err = simulateErr(t, "us-east-1", stack([]string{"CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"}, "https://secretsmanager.eu-west-1.amazonaws.com"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not Secrets Manager's endpoint in us-east-1")

	_, err = simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		s, err := secretsmanager.NewSecret(ctx, "s", &secretsmanager.SecretArgs{})
		if err != nil {
			return err
		}
		_, err = secretsmanager.NewSecretRotation(ctx, "s", &secretsmanager.SecretRotationArgs{SecretId: s.ID(),
			RotationLambdaArn: pulumi.String("arn:aws:lambda:us-east-1:123456789012:function:rot"),
			RotationRules:     &secretsmanager.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(2000)}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AutomaticallyAfterDays 2000 must be between 1 and 1000")
}

func TestObservabilityOpenSearchIsUsableAndLogsToCloudWatch(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) { a.OpenSearch = observabilityOpenSearch(w) })
	domain := g.ByType("aws:opensearch/domain:Domain")[0]
	kinds := map[string]string{}
	for _, o := range domain.Input("logPublishingOptions").ArrayValue() {
		m := o.ObjectValue()
		kinds[m["logType"].StringValue()] = m["cloudwatchLogGroupArn"].StringValue()
	}
	require.Len(t, kinds, 2)
	assert.Contains(t, kinds["ES_APPLICATION_LOGS"], ":log-group:/aws/opensearch/domains/ops/application")
	assert.Contains(t, kinds["AUDIT_LOGS"], ":log-group:/aws/opensearch/domains/ops/audit")
	policy := g.ByType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")[0]
	assert.Contains(t, policy.InputString("policyDocument"), `"Service":"es.amazonaws.com"`)
	assert.Contains(t, policy.InputString("policyDocument"), `"aws:SourceAccount":"123456789012"`)

	var write struct{ Statement []map[string]any }
	writer := g.Named("aws:iam/rolePolicy:RolePolicy", "ops-opensearch-write-0")
	require.NotNil(t, writer)
	require.NoError(t, json.Unmarshal([]byte(writer.InputString("policy")), &write))
	assert.Equal(t, []any{"es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"}, write.Statement[0]["Action"])
	assert.Equal(t, []any{domain.OutputString("arn") + "/*"}, write.Statement[0]["Resource"])

	saml := g.ByType("aws:opensearch/domainSamlOptions:DomainSamlOptions")[0]
	assert.Equal(t, "log-admins", saml.InputString("samlOptions.masterBackendRole"))
	assert.Equal(t, "Role", saml.InputString("samlOptions.rolesKey"))
	assert.Empty(t, policyFired(t, "dev", "opensearch-logs-to-cloudwatch", g.AnalyzerResources()...))
}

func TestObservabilityOpenSearchWithoutWritersOrWithBrokenSAMLIsRefused(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		w, err := observabilityNetwork(ctx, "us-east-1", 3)
		if err != nil {
			return err
		}
		a := observabilityFullArgs("us-east-1")
		a.OpenSearch = observabilityOpenSearch(w)
		a.OpenSearch.WriterRoleNames = nil
		a.OpenSearch.SAML.MetadataXML = "not metadata"
		_, err = observability.New(ctx, "ops", a)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "OpenSearch.WriterRoleNames is empty")
	assert.Contains(t, err.Error(), "OpenSearch.SAML.MetadataXML is not SAML metadata")
}

func TestAWSSimFlagsAnOpenSearchDomainNobodyCanUse(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := opensearch.NewDomain(ctx, "logs", &opensearch.DomainArgs{
			DomainName:           pulumi.String("logs"),
			EncryptAtRest:        &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true)},
			NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
			DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{EnforceHttps: pulumi.Bool(true),
				TlsSecurityPolicy: pulumi.String("Policy-Min-TLS-1-2-2019-07")},
			EbsOptions: &opensearch.DomainEbsOptionsArgs{EbsEnabled: pulumi.Bool(true), VolumeSize: pulumi.Int(20)},
			AdvancedSecurityOptions: &opensearch.DomainAdvancedSecurityOptionsArgs{Enabled: pulumi.Bool(true),
				MasterUserOptions: &opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
					MasterUserArn: pulumi.String("arn:aws:iam::123456789012:role/admins")}},
		})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no role of the program may sign es:ESHttpPost to domain logs")
	assert.Contains(t, err.Error(), "nobody can open OpenSearch Dashboards in a browser")
}

func TestFSBPRuleControlsAreOnlyFSBPOrCIS(t *testing.T) {
	for _, r := range rules.Policies() {
		for _, c := range r.Controls {
			assert.Regexp(t, `^([A-Za-z0-9]+\.\d+|CIS \d+\.\d+)$`, c, "rule %s", r.Name)
		}
	}
	_ = awssim.AccountID
}
