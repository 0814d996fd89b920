package tests

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/migration"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/policy/rules"
)

const (
	typeDMSInstance     = "aws:dms/replicationInstance:ReplicationInstance"
	typeDMSSubnetGroup  = "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"
	typeDMSEndpoint     = "aws:dms/endpoint:Endpoint"
	typeDMSTask         = "aws:dms/replicationTask:ReplicationTask"
	typeDMSSubscription = "aws:dms/eventSubscription:EventSubscription"
	typeIAMRole         = "aws:iam/role:Role"
	typeIAMRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	typeSecret          = "aws:secretsmanager/secret:Secret"
)

// migrationWorld is what the migration program built around the component.
type migrationWorld struct {
	vpc *network.VPC
	db  *database.Database
}

// migrationProgram builds a two-AZ network, the kit's database keeping its credentials in its own secret, an
// alarm topic DMS may publish to, and the migration of an on-premises PostgreSQL database; edit may change
// the migration's arguments.
func migrationProgram(edit func(*migration.Args, *migrationWorld)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := vpnTags()
		vpc, err := network.New(ctx, "net", &network.Args{CIDR: "10.0.0.0/16", AZCount: 2,
			NATStrategy: network.NATSingle, Tags: tags})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders", &database.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: vpc.Region, ReplicaSource: true, RotationSubnets: vpc.SubnetsOf(network.Private), Tags: tags})
		if err != nil {
			return err
		}
		topic, err := observability.NewAlarmTopic(ctx, "migration", &observability.TopicArgs{Region: vpc.Region, Tags: tags,
			Publishers: []observability.Publisher{{Service: "dms.amazonaws.com",
				SourceARN: "arn:aws:dms:us-east-1:123456789012:es:*"}}})
		if err != nil {
			return err
		}
		args := &migration.Args{
			VPCID:       vpc.VPCID,
			DataSubnets: vpc.SubnetsOf(network.Data),
			Region:      vpc.Region,
			OnPremCIDRs: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")},
			Source: migration.Source{Engine: "postgres", Host: "192.168.10.20", Port: 5432,
				DatabaseName: "orders"},
			Target:             migration.TargetOf(db),
			CreateAccountRoles: true,
			AlarmTopicARN:      topic.ARN,
			Tags:               tags,
		}
		if edit != nil {
			edit(args, &migrationWorld{vpc: vpc, db: db})
		}
		m, err := migration.New(ctx, "cutover", args)
		if err != nil {
			return err
		}
		ctx.Export("sourceSecretArn", m.SourceSecretARN)
		return nil
	}
}

func migrationOne(t *testing.T, g *awssim.Graph, typ string) *awssim.Resource {
	t.Helper()
	rs := g.ByType(typ)
	require.Len(t, rs, 1, typ)
	return rs[0]
}

func migrationEndpoint(t *testing.T, g *awssim.Graph, side string) *awssim.Resource {
	t.Helper()
	for _, e := range g.ByType(typeDMSEndpoint) {
		if e.InputString("endpointType") == side {
			return e
		}
	}
	t.Fatalf("no %s endpoint", side)
	return nil
}

func TestMigrationReplicationInstanceIsPrivateEncryptedAndInTheDataSubnets(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(nil))
	instance := migrationOne(t, g, typeDMSInstance)
	assert.Equal(t, "cutover", instance.InputString("replicationInstanceId"))
	assert.False(t, instance.Input("publiclyAccessible").BoolValue())
	assert.Equal(t, migration.DefaultInstanceClass, instance.InputString("replicationInstanceClass"))
	assert.Equal(t, float64(migration.DefaultAllocatedStorageGB), instance.Input("allocatedStorage").NumberValue())
	assert.False(t, instance.Input("multiAz").BoolValue())

	key := g.Named(typeKMSKey, "cutover-key")
	require.NotNil(t, key)
	assert.True(t, key.Input("enableKeyRotation").BoolValue())
	assert.Equal(t, key.OutputString("arn"), instance.InputString("kmsKeyArn"))

	group := migrationOne(t, g, typeDMSSubnetGroup)
	assert.Equal(t, group.ID, instance.InputString("replicationSubnetGroupId"))
	for _, id := range group.Input("subnetIds").ArrayValue() {
		assert.Equal(t, "data", g.ByID(id.StringValue()).Tags()["Tier"])
	}
}

func TestMigrationEndpointsReadSecretsThroughRolesOnlyRegionalDMSMayAssume(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(nil))
	db := g.Named(typeRDSInstance, "orders")
	require.NotNil(t, db)
	for _, side := range []string{"source", "target"} {
		e := migrationEndpoint(t, g, side)
		assert.Equal(t, "require", e.InputString("sslMode"), side)
		for _, clear := range []string{"username", "password", "serverName", "port"} {
			assert.True(t, e.Input(clear).IsNull(), "%s endpoint takes no %s", side, clear)
		}
		assert.True(t, strings.HasPrefix(e.InputString("extraConnectionAttributes"), "secretsManagerEndpointOverride="),
			"DMS in the data subnets reaches Secrets Manager through the interface endpoint")

		roleName := e.InputString("secretsManagerAccessRoleArn")
		roleName = roleName[strings.LastIndex(roleName, "/")+1:]
		role := g.ByID(roleName)
		require.NotNil(t, role, side)
		var trust struct {
			Statement []struct {
				Principal struct{ Service string }
				Condition map[string]map[string]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(role.InputString("assumeRolePolicy")), &trust))
		require.Len(t, trust.Statement, 1)
		assert.Equal(t, "dms.us-east-1.amazonaws.com", trust.Statement[0].Principal.Service, "the regional principal")
		assert.Equal(t, awssim.AccountID, trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
		assert.Equal(t, "arn:aws:dms:us-east-1:123456789012:*", trust.Statement[0].Condition["ArnLike"]["aws:SourceArn"])

		var policies []string
		for _, p := range g.ByType(typeIAMRolePolicy) {
			if p.InputString("role") == roleName {
				policies = append(policies, p.InputString("policy"))
			}
		}
		require.Len(t, policies, 1, side)
		assert.Contains(t, policies[0], e.InputString("secretsManagerArn"), "the role reads its endpoint's secret only")
		assert.NotContains(t, policies[0], `"*"`)
	}
	target := migrationEndpoint(t, g, "target")
	assert.Equal(t, "postgres", target.InputString("engineName"))
	assert.Equal(t, "app", target.InputString("databaseName"))
	dbSecret := g.Named(typeSecret, "orders-master")
	require.NotNil(t, dbSecret)
	assert.Equal(t, dbSecret.OutputString("arn"), target.InputString("secretsManagerArn"),
		"the target reads the kit database's own secret, which holds host and port")

	source := migrationEndpoint(t, g, "source")
	secret := g.Named(typeSecret, "cutover-source")
	require.NotNil(t, secret)
	assert.Equal(t, secret.OutputString("arn"), source.InputString("secretsManagerArn"))
	assert.Equal(t, g.Named(typeKMSKey, "cutover-key").OutputString("arn"), secret.InputString("kmsKeyId"))
	for _, v := range g.ByType("aws:secretsmanager/secretVersion:SecretVersion") {
		assert.NotEqual(t, secret.ID, v.InputString("secretId"), "the source credentials are never written by the kit")
	}
}

func TestMigrationTaskCopiesThenReplicatesWithLoggingAndValidation(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(func(a *migration.Args, _ *migrationWorld) {
		a.Tables = []migration.TableRule{{Action: "include", Schema: "sales", Table: "%"},
			{Action: "exclude", Schema: "sales", Table: "audit_%"}}
	}))
	task := migrationOne(t, g, typeDMSTask)
	assert.Equal(t, "full-load-and-cdc", task.InputString("migrationType"))
	assert.Equal(t, "cutover", task.InputString("resourceIdentifier"))
	assert.False(t, task.Input("startReplicationTask").BoolValue(), "the task waits for the source secret")
	assert.JSONEq(t, `{"rules":[
		{"rule-type":"selection","rule-id":"1","rule-name":"1","rule-action":"include","object-locator":{"schema-name":"sales","table-name":"%"}},
		{"rule-type":"selection","rule-id":"2","rule-name":"2","rule-action":"exclude","object-locator":{"schema-name":"sales","table-name":"audit_%"}}]}`,
		task.InputString("tableMappings"))
	var settings struct {
		Logging struct {
			EnableLogging bool
			LogComponents []struct{ ID, Severity string }
		}
		ValidationSettings struct{ EnableValidation bool }
	}
	require.NoError(t, json.Unmarshal([]byte(task.InputString("replicationTaskSettings")), &settings))
	assert.True(t, settings.Logging.EnableLogging)
	assert.True(t, settings.ValidationSettings.EnableValidation)

	logs := g.Named(typeLogGroup, "cutover-task-logs")
	require.NotNil(t, logs)
	assert.Equal(t, "dms-tasks-cutover", logs.ID, "the name DMS writes to, dms-tasks-<instance>")
	assert.Contains(t, task.DependsOn, logs.URN, "the group exists, with its retention, before the task can log")

	started := migrationOne(t, simulate(t, "us-east-1", migrationProgram(func(a *migration.Args, _ *migrationWorld) {
		a.Start = true
	})), typeDMSTask)
	assert.True(t, started.Input("startReplicationTask").BoolValue())
	assert.Equal(t, "running", started.OutputString("status"))
}

func TestMigrationCreatesTheAccountRolesOnlyWhenAskedAndWaitsForThem(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(nil))
	vpcRole := g.Named(typeIAMRole, migration.VPCRoleName)
	logsRole := g.Named(typeIAMRole, migration.CloudWatchLogsRoleName)
	require.NotNil(t, vpcRole)
	require.NotNil(t, logsRole)
	assert.Equal(t, "dms-vpc-role", vpcRole.ID)
	assert.Equal(t, "dms-cloudwatch-logs-role", logsRole.ID)
	assert.Contains(t, migrationOne(t, g, typeDMSInstance).DependsOn, vpcRole.URN)
	assert.Contains(t, migrationOne(t, g, typeDMSSubnetGroup).DependsOn, vpcRole.URN)
	assert.Contains(t, migrationOne(t, g, typeDMSTask).DependsOn, logsRole.URN)

	// A second stack of the account leaves the roles to the first: it creates none, and DMS finds them.
	second, err := awssim.Run(migrationProgram(func(a *migration.Args, _ *migrationWorld) { a.CreateAccountRoles = false }),
		awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"},
			ExistingRoles: []string{awssim.DMSVPCRole, awssim.DMSLogsRole}})
	require.NoError(t, err)
	assert.Nil(t, second.Named(typeIAMRole, migration.VPCRoleName))

	// Both stacks creating them collide, as in terraform-aws-dms #70.
	_, err = awssim.Run(migrationProgram(nil), awssim.Options{Project: project, Stack: "test",
		Config: map[string]string{"aws:region": "us-east-1"}, ExistingRoles: []string{awssim.DMSVPCRole}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "EntityAlreadyExists")

	// Neither creating them nor finding them is refused as DMS refuses it.
	_, err = simulateErr(t, "us-east-1", migrationProgram(func(a *migration.Args, _ *migrationWorld) { a.CreateAccountRoles = false }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dms-vpc-role is not configured properly")
}

func TestMigrationLetsTheInstanceIntoTheKitsDatabaseAndOutToTheDataCentreOnly(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(nil))
	sg := g.Named("aws:ec2/securityGroup:SecurityGroup", "cutover-sg")
	require.NotNil(t, sg)
	assert.Equal(t, sg.ID, migrationOne(t, g, typeDMSInstance).Input("vpcSecurityGroupIds").ArrayValue()[0].StringValue())

	dbSG := g.Named("aws:ec2/securityGroup:SecurityGroup", "orders-sg")
	require.NotNil(t, dbSG)
	into := g.Named(typeIngressRule, "cutover-into-target")
	require.NotNil(t, into)
	assert.Equal(t, dbSG.ID, into.InputString("securityGroupId"))
	assert.Equal(t, sg.ID, into.InputString("referencedSecurityGroupId"))
	assert.Equal(t, 5432.0, into.Input("fromPort").NumberValue())

	var egress []string
	for _, r := range g.ByType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") {
		if r.InputString("securityGroupId") != sg.ID {
			continue
		}
		to := r.InputString("cidrIpv4")
		if to == "" {
			to = g.ByID(r.InputString("referencedSecurityGroupId")).Name
		}
		egress = append(egress, fmt.Sprintf("%s:%v", to, r.Input("fromPort").NumberValue()))
	}
	for _, r := range g.ByType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") {
		if r.InputString("securityGroupId") == sg.ID {
			assert.NotEqual(t, "0.0.0.0/0", r.InputString("cidrIpv4"))
		}
	}
	assert.ElementsMatch(t, []string{"192.168.0.0/16:5432", "orders-sg:5432", "cutover-secrets-endpoint-sg:443"}, egress,
		"the data centre's database, the kit's database and the Secrets Manager endpoint only")

	endpoint := g.Named("aws:ec2/vpcEndpoint:VpcEndpoint", "cutover-secretsmanager")
	require.NotNil(t, endpoint)
	assert.Equal(t, "Interface", endpoint.InputString("vpcEndpointType"))
	assert.False(t, endpoint.Input("privateDnsEnabled").BoolValue(), "nothing else in the VPC changes")
}

func TestMigrationAlarmsAndEventsReachTheTopic(t *testing.T) {
	g := simulate(t, "us-east-1", migrationProgram(nil))
	topic := g.Named("aws:sns/topic:Topic", "migration-alarms")
	require.NotNil(t, topic)
	kinds := map[string]*awssim.Resource{}
	for _, a := range g.ByType(typeMetricAlarm) {
		if a.InputString("namespace") == "AWS/DMS" {
			kinds[a.InputString("metricName")] = a
			assert.Equal(t, []string{topic.ID}, vpnStrings(a.Input("alarmActions")))
			assert.Equal(t, "cutover", a.InputString("dimensions.ReplicationInstanceIdentifier"))
		}
	}
	require.Len(t, kinds, 4)
	for _, m := range []string{"CDCLatencySource", "CDCLatencyTarget"} {
		assert.Equal(t, "cutover", kinds[m].InputString("dimensions.ReplicationTaskIdentifier"))
		assert.Equal(t, float64(migration.DefaultCDCLatencyAlarmSeconds), kinds[m].Input("threshold").NumberValue())
	}
	assert.Equal(t, float64(migration.DefaultAllocatedStorageGB)*(1<<30)*migration.FreeStoragePercent/100,
		kinds["FreeStorageSpace"].Input("threshold").NumberValue())

	subs := g.ByType(typeDMSSubscription)
	require.Len(t, subs, 2)
	for _, s := range subs {
		assert.Equal(t, topic.ID, s.InputString("snsTopicArn"))
		assert.Contains(t, vpnStrings(s.Input("eventCategories")), "failure")
	}
}

func TestMigrationRejectsEveryBadInputBeforeRegisteringAnything(t *testing.T) {
	g, err := simulateErr(t, "us-east-1", migrationProgram(func(a *migration.Args, w *migrationWorld) {
		a.Region = "us-west-2"
		a.DataSubnets = w.vpc.SubnetsOf(network.Private)[:1]
		a.Source = migration.Source{Engine: "redshift", Host: "10.99.0.5", Port: 0, DatabaseName: ""}
		a.TableMappings = `{"rules": [{"rule-type": "selection", "rule-id": "x", "rule-name": "a", "rule-action": "keep"}]}`
		a.InstanceClass = "dms.m5.large"
		a.AllocatedStorageGB = 7000
		a.EngineVersion = "3.4.6"
		a.MigrationType = "copy"
		a.LogRetentionDays = 2
	}))
	require.Error(t, err)
	for _, want := range []string{
		`Region "us-west-2" does not match the provider`,
		`DataSubnets[0] (us-east-1a, 10.0.0.0/20) is a private subnet`,
		`DataSubnets cover 1 availability zone(s)`,
		`Source.Engine "redshift" is an engine DMS only writes to`,
		`Source.Port 0 is not a port`,
		`Source.Host 10.99.0.5 is outside the data centre's networks the VPN reaches (192.168.0.0/16)`,
		`TableMappings rule 1: rule-id x is not a number`,
		`TableMappings rule 1: rule-action "keep"`,
		`InstanceClass "dms.m5.large"`,
		`AllocatedStorageGB 7000 is out of range`,
		`EngineVersion "3.4.6" is older than 3.4.7`,
		`MigrationType "copy"`,
		`LogRetentionDays 2`,
		`Target is in us-east-1 and the migration in us-west-2`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Nil(t, g.Named("kit:migration:Migration", "cutover"), "nothing of the migration is registered")
	assert.Empty(t, g.ByType(typeDMSInstance))
}

func TestMigrationRejectsEachBadInputAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*migration.Args, *migrationWorld)
		want string
	}{
		{"no VPN", func(a *migration.Args, _ *migrationWorld) { a.OnPremCIDRs = nil },
			"OnPremCIDRs is empty: the replication instance sits in the data subnets"},
		{"source outside the VPN", func(a *migration.Args, _ *migrationWorld) { a.Source.Host = "203.0.113.5" },
			"Source.Host 203.0.113.5 is outside the data centre's networks"},
		{"source is not relational", func(a *migration.Args, _ *migrationWorld) { a.Source.Engine = "mongodb" },
			`Source.Engine "mongodb" is not a relational database`},
		{"source in another cloud", func(a *migration.Args, _ *migrationWorld) { a.Source.Engine = "azuredb" },
			"does not run in the data centre"},
		{"source engine misspelt", func(a *migration.Args, _ *migrationWorld) { a.Source.Engine = "postgresql" },
			`Source.Engine "postgresql" is not a DMS engine name`},
		{"MySQL source naming a database", func(a *migration.Args, _ *migrationWorld) {
			a.Source = migration.Source{Engine: "mysql", Host: "192.168.1.1", Port: 3306, DatabaseName: "shop"}
		}, `Source.DatabaseName "shop" is set for mysql`},
		{"PostgreSQL source without a database", func(a *migration.Args, _ *migrationWorld) { a.Source.DatabaseName = "" },
			"Source.DatabaseName is empty"},
		{"source secret in another region", func(a *migration.Args, _ *migrationWorld) {
			a.Source.SecretARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:old-AbCdEf"
		}, "is in eu-west-1: DMS reads secrets of its own region"},
		{"host that is no host", func(a *migration.Args, _ *migrationWorld) { a.Source.Host = "db_1!" },
			"neither an IPv4 address nor a DNS name"},
		{"target whose password RDS manages", func(a *migration.Args, _ *migrationWorld) {
			a.Target.PasswordManagedByRDS = true
		}, "holds no host or port, and DMS needs both"},
		{"both table forms", func(a *migration.Args, _ *migrationWorld) {
			a.Tables = migration.DefaultTables
			a.TableMappings = `{"rules":[]}`
		}, "Tables and TableMappings are both set"},
		{"only exclusions", func(a *migration.Args, _ *migrationWorld) {
			a.Tables = []migration.TableRule{{Action: "exclude", Schema: "%", Table: "tmp_%"}}
		}, "Tables only excludes"},
		{"explicit with a wildcard", func(a *migration.Args, _ *migrationWorld) {
			a.Tables = []migration.TableRule{{Action: "explicit", Schema: "sales", Table: "order%"}}
		}, "Tables[0] is explicit but names sales.order%"},
		{"mappings that are not JSON", func(a *migration.Args, _ *migrationWorld) { a.TableMappings = "rules: all" },
			"TableMappings is not valid JSON"},
		{"mappings without an include", func(a *migration.Args, _ *migrationWorld) {
			a.TableMappings = `{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"1","rule-action":"exclude",` +
				`"object-locator":{"schema-name":"%","table-name":"%"}}]}`
		}, "has no selection rule that includes tables"},
		{"mappings with a duplicate rule id", func(a *migration.Args, _ *migrationWorld) {
			rule := `{"rule-type":"selection","rule-id":"1","rule-name":"%s","rule-action":"include","object-locator":{"schema-name":"%%","table-name":"%%"}}`
			a.TableMappings = `{"rules":[` + strings.Replace(rule, "%s", "a", 1) + "," + strings.Replace(rule, "%s", "b", 1) + `]}`
		}, "rule-id 1 is also rule 1's"},
		{"negative latency", func(a *migration.Args, _ *migrationWorld) { a.CDCLatencyAlarmSeconds = -5 },
			"CDCLatencyAlarmSeconds -5"},
		{"no VPC", func(a *migration.Args, _ *migrationWorld) { a.VPCID = nil }, "VPCID is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", migrationProgram(tc.edit))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestMigrationRefusesADatabaseWhosePasswordRDSManages(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{CIDR: "10.0.0.0/16", AZCount: 2, NATStrategy: network.NATSingle})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders", &database.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: vpc.Region})
		if err != nil {
			return err
		}
		_, err = migration.New(ctx, "cutover", &migration.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: vpc.Region, OnPremCIDRs: []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")},
			Source: migration.Source{Engine: "oracle", Host: "192.168.0.9", Port: 1521, DatabaseName: "ORCL"},
			Target: migration.TargetOf(db), CreateAccountRoles: true})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Target orders keeps its master password in RDS's own secret")
}

func TestMigrationIdentifiersAreStableAndValid(t *testing.T) {
	for name, want := range map[string]string{"cutover": "cutover", "Move_Orders DB": "move-orders-db",
		"2024-move": "dms-2024-move", "a--b-": "a-b"} {
		assert.Equal(t, want, migration.Identifier(name, 63), name)
	}
	assert.Len(t, migration.Identifier(strings.Repeat("x", 80), 63), 63)
}

func TestMigrationNilArgsIsAnError(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := migration.New(ctx, "cutover", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "migration: args are nil")
}

func TestMigrationPassesEveryPolicyAndMultiAZIsAskedInProduction(t *testing.T) {
	for _, multiAZ := range []bool{false, true} {
		g := simulate(t, "us-east-1", migrationProgram(func(a *migration.Args, _ *migrationWorld) { a.MultiAZ = multiAZ }))
		vs, err := rules.Evaluate("dev", g.AnalyzerResources())
		require.NoError(t, err)
		var dms []rules.Violation
		for _, v := range vs {
			if strings.HasPrefix(v.Policy, "dms-") || strings.HasPrefix(v.Policy, "vpn-") || v.Policy == "required-tags" ||
				v.Policy == "sns-topic-encrypted" || v.Policy == "iam-no-admin-statements" || v.Policy == "log-group-retention" {
				dms = append(dms, v)
			}
		}
		assert.Empty(t, dms, "dev")
		prod, err := rules.Evaluate("prod", g.AnalyzerResources())
		require.NoError(t, err)
		fired := false
		for _, v := range prod {
			fired = fired || v.Policy == "dms-replication-instance-multi-az"
		}
		assert.Equal(t, !multiAZ, fired, "multiAz %v in production", multiAZ)
	}
}
