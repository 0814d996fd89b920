package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/network"
)

const (
	typeRDSInstance    = "aws:rds/instance:Instance"
	typeRDSSubnetGroup = "aws:rds/subnetGroup:SubnetGroup"
	typeRDSParams      = "aws:rds/parameterGroup:ParameterGroup"
	typeKMSKey         = "aws:kms/key:Key"
	typeIngressRule    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeMetricAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// databaseProgram builds a network and a client security group in region, then a database with args
// completed by the network (VPCID, DataSubnets, a client, Region unless set). edit may change the args.
func databaseProgram(region string, edit func(*database.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{CIDR: "10.0.0.0/16", NATStrategy: network.NATSingle})
		if err != nil {
			return err
		}
		app, err := ec2.NewSecurityGroup(ctx, "app", &ec2.SecurityGroupArgs{VpcId: vpc.VPCID})
		if err != nil {
			return err
		}
		args := &database.Args{
			VPCID:                  vpc.VPCID,
			DataSubnets:            vpc.SubnetsOf(network.Data),
			ClientSecurityGroupIDs: []pulumi.StringInput{app.ID()},
			Region:                 region,
			Tags:                   map[string]string{"Project": "kit", "Environment": "test", "ManagedBy": "pulumi"},
		}
		if edit != nil {
			edit(args)
		}
		db, err := database.New(ctx, "orders-db", args)
		if err != nil {
			return err
		}
		ctx.Export("secretArn", db.SecretARN)
		return nil
	}
}

func databaseInstance(t *testing.T, g *awssim.Graph) *awssim.Resource {
	t.Helper()
	instances := g.ByType(typeRDSInstance)
	require.Len(t, instances, 1)
	return instances[0]
}

func TestDatabaseDefaultsArePostgresEncryptedBackedUpAndPrivate(t *testing.T) {
	g := simulate(t, "us-east-1", databaseProgram("us-east-1", nil))
	db := databaseInstance(t, g)
	assert.Equal(t, "orders-db", db.InputString("identifier"))
	assert.Equal(t, "postgres", db.InputString("engine"))
	assert.Equal(t, database.DefaultPostgresVersion, db.InputString("engineVersion"))
	assert.Equal(t, database.DefaultInstanceClass, db.InputString("instanceClass"))
	assert.True(t, db.Input("storageEncrypted").BoolValue())
	assert.GreaterOrEqual(t, db.Input("backupRetentionPeriod").NumberValue(), 7.0)
	assert.Equal(t, database.DefaultBackupWindow, db.InputString("backupWindow"))
	assert.Equal(t, database.DefaultMaintenanceWindow, db.InputString("maintenanceWindow"))
	assert.True(t, db.Input("copyTagsToSnapshot").BoolValue())
	assert.True(t, db.Input("performanceInsightsEnabled").BoolValue())
	assert.True(t, db.Input("autoMinorVersionUpgrade").BoolValue())
	assert.False(t, db.Input("publiclyAccessible").BoolValue())
	assert.False(t, db.Input("multiAz").BoolValue())

	// The storage, the secret and Performance Insights use the component's own rotating key.
	keys := g.ByType(typeKMSKey)
	require.Len(t, keys, 1)
	key := keys[0]
	assert.True(t, key.Input("enableKeyRotation").BoolValue())
	keyARN := key.OutputString("arn")
	assert.Equal(t, keyARN, db.InputString("kmsKeyId"))
	assert.Equal(t, keyARN, db.InputString("masterUserSecretKmsKeyId"))
	assert.Equal(t, keyARN, db.InputString("performanceInsightsKmsKeyId"))

	// It lives in the data subnets.
	groups := g.ByType(typeRDSSubnetGroup)
	require.Len(t, groups, 1)
	assert.Equal(t, groups[0].ID, db.InputString("dbSubnetGroupName"))
	for _, id := range groups[0].Input("subnetIds").ArrayValue() {
		assert.Equal(t, "data", g.ByID(id.StringValue()).Tags()["Tier"])
	}
}

func TestDatabaseAcceptsOnlyItsClientsOnTheDatabasePort(t *testing.T) {
	g := simulate(t, "us-east-1", databaseProgram("us-east-1", nil))
	db := databaseInstance(t, g)
	sgs := db.Input("vpcSecurityGroupIds").ArrayValue()
	require.Len(t, sgs, 1)
	sg := g.ByID(sgs[0].StringValue())
	require.NotNil(t, sg)
	assert.False(t, sg.Input("ingress").IsArray() && len(sg.Input("ingress").ArrayValue()) > 0, "no inline rules")
	assert.False(t, sg.Input("egress").IsArray() && len(sg.Input("egress").ArrayValue()) > 0, "a database initiates nothing")
	client := g.Named("aws:ec2/securityGroup:SecurityGroup", "app")
	var rules []*awssim.Resource
	for _, r := range g.ByType(typeIngressRule) {
		if r.InputString("securityGroupId") == sg.ID {
			rules = append(rules, r)
		}
	}
	require.Len(t, rules, 1)
	assert.Equal(t, client.ID, rules[0].InputString("referencedSecurityGroupId"))
	assert.Equal(t, 5432.0, rules[0].Input("fromPort").NumberValue())
	assert.Equal(t, 5432.0, rules[0].Input("toPort").NumberValue())
	assert.Equal(t, "tcp", rules[0].InputString("ipProtocol"))
	assert.True(t, rules[0].Input("cidrIpv4").IsNull())
}

func TestDatabaseParameterGroupForcesTLS(t *testing.T) {
	for _, tc := range []struct {
		engine             database.Engine
		family, param, val string
	}{
		{database.Postgres, "postgres17", "rds.force_ssl", "1"},
		{database.MySQL, "mysql8.4", "require_secure_transport", "ON"},
	} {
		t.Run(string(tc.engine), func(t *testing.T) {
			g := simulate(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) { a.Engine = tc.engine }))
			db := databaseInstance(t, g)
			pg := g.ByID(db.InputString("parameterGroupName"))
			require.NotNil(t, pg)
			assert.Equal(t, typeRDSParams, pg.Type)
			assert.Equal(t, tc.family, pg.InputString("family"))
			assert.Equal(t, tc.param, pg.InputString("parameters.0.name"))
			assert.Equal(t, tc.val, pg.InputString("parameters.0.value"))
		})
	}
}

func TestDatabaseProtectionFollowsTheProductionArg(t *testing.T) {
	for _, production := range []bool{false, true} {
		g := simulate(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) { a.Production = production }))
		db := databaseInstance(t, g)
		key := g.ByType(typeKMSKey)[0]
		assert.Equal(t, production, db.Input("deletionProtection").BoolValue(), "deletionProtection")
		assert.Equal(t, !production, db.Input("skipFinalSnapshot").BoolValue(), "skipFinalSnapshot")
		assert.Equal(t, !production, db.Input("deleteAutomatedBackups").BoolValue(), "deleteAutomatedBackups")
		assert.Equal(t, production, db.Protect, "pulumi protect on the instance")
		assert.Equal(t, production, key.Protect, "pulumi protect on the key")
		if production {
			assert.Equal(t, "orders-db-final", db.InputString("finalSnapshotIdentifier"))
		}
	}
}

func TestDatabasePasswordIsManagedByRDSAndNeverAnInput(t *testing.T) {
	g := simulate(t, "us-east-1", databaseProgram("us-east-1", nil))
	db := databaseInstance(t, g)
	assert.True(t, db.Input("manageMasterUserPassword").BoolValue())
	for _, r := range g.Resources() {
		for k := range r.Inputs {
			// manageMasterUserPassword names the password without holding it.
			if k != "manageMasterUserPassword" {
				assert.NotContains(t, strings.ToLower(string(k)), "password", "%s has input %s", r.URN, k)
			}
		}
	}
	secret := db.OutputString("masterUserSecrets.0.secretArn")
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-[0-9a-f-]{36}-[A-Z2-7]{6}$`, secret)
}

func TestDatabaseOutputsHaveAWSFormats(t *testing.T) {
	g := simulate(t, "eu-west-1", databaseProgram("eu-west-1", func(a *database.Args) { a.Identifier = "shop" }))
	db := databaseInstance(t, g)
	assert.Regexp(t, `^shop\.[a-z0-9]{12}\.eu-west-1\.rds\.amazonaws\.com:5432$`, db.OutputString("endpoint"))
	assert.Equal(t, "arn:aws:rds:eu-west-1:123456789012:db:shop", db.OutputString("arn"))
	assert.Regexp(t, `^db-[A-Z2-7]{26}$`, db.OutputString("resourceId"))
	assert.Regexp(t, `^arn:aws:kms:eu-west-1:123456789012:key/[0-9a-f-]{36}$`, g.ByType(typeKMSKey)[0].OutputString("arn"))
	comp := g.Named("kit:database:Database", "orders-db")
	require.NotNil(t, comp)
	assert.Len(t, g.Descendants(comp.URN), len(g.Children(comp.URN)), "every child is parented directly")
	for _, r := range g.Children(comp.URN) {
		if r.Type == typeRDSInstance || r.Type == typeKMSKey || r.Type == typeRDSSubnetGroup {
			assert.Equal(t, "kit", r.Tags()["Project"], r.URN)
			assert.NotEmpty(t, r.Tags()["Name"], r.URN)
		}
	}
}

func TestDatabaseRejectsBadInputBeforeRegisteringAnything(t *testing.T) {
	g, err := simulateErr(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) {
		a.Region = "us-west-2"
		a.Engine = "oracle"
		a.InstanceClass = "db.x9.huge"
		a.AllocatedStorageGB = 10
		a.MaxAllocatedStorageGB = 5
		a.BackupRetentionDays = 40
		a.BackupWindow = "05:10-05:20"
		a.MaintenanceWindow = "someday"
		a.MasterUsername = "rdsadmin"
		a.DatabaseName = "1st"
		a.Identifier = "Bad--Name"
		a.DataSubnets = a.DataSubnets[:1]
		a.ClientSecurityGroupIDs = append(a.ClientSecurityGroupIDs, nil)
	}))
	require.Error(t, err)
	for _, want := range []string{
		`Region "us-west-2" does not match the provider`,
		`Engine "oracle" is not supported`,
		`InstanceClass "db.x9.huge"`,
		`AllocatedStorageGB 10`,
		`MaxAllocatedStorageGB 5`,
		`BackupRetentionDays 40`,
		`BackupWindow "05:10-05:20"`,
		`MaintenanceWindow "someday"`,
		`MasterUsername "rdsadmin"`,
		`DatabaseName "1st"`,
		`Identifier "Bad--Name"`,
		`DataSubnets cover 1 availability zone`,
		`ClientSecurityGroupIDs[1] is nil`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Empty(t, g.ByType(typeRDSInstance))
	assert.Nil(t, g.Named("kit:database:Database", "orders-db"), "nothing of the database is registered")
}

func TestDatabaseRejectsEachBadInputAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*database.Args)
		want string
	}{
		{"nil VPC", func(a *database.Args) { a.VPCID = nil }, "VPCID is nil"},
		{"no region", func(a *database.Args) { a.Region = "" }, "Region is empty"},
		{"bad region", func(a *database.Args) { a.Region = "mars" }, `Region "mars" is not an AWS region`},
		{"postgres version", func(a *database.Args) { a.EngineVersion = "13" }, `EngineVersion "13" is not offered for postgres`},
		{"mysql version", func(a *database.Args) { a.Engine = database.MySQL; a.EngineVersion = "5.7" }, `EngineVersion "5.7" is not offered for mysql`},
		{"mysql micro", func(a *database.Args) { a.Engine = database.MySQL; a.InstanceClass = "db.t3.micro" }, "no Performance Insights for mysql"},
		{"overlapping windows", func(a *database.Args) { a.BackupWindow = "05:30-06:30" }, "overlaps MaintenanceWindow"},
		{"public subnet", func(a *database.Args) { a.DataSubnets[0].Tier = network.Public }, "is a public subnet"},
		{"negative retention", func(a *database.Args) { a.BackupRetentionDays = -1 }, "BackupRetentionDays -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", databaseProgram("us-east-1", tc.edit))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDatabaseNilArgsIsAnError(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := database.New(ctx, "db", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "args are nil")
}

func TestDatabaseIdentifierIsStableAndValid(t *testing.T) {
	for name, want := range map[string]string{
		"orders-db":             "orders-db",
		"Orders_DB":             "orders-db",
		"2nd--store":            "db-2nd-store",
		strings.Repeat("a", 80): strings.Repeat("a", 63),
	} {
		got := database.IdentifierFor(name)
		assert.Equal(t, want, got, name)
		assert.Empty(t, database.CheckIdentifier(got), name)
	}
}
