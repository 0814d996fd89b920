package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
)

const (
	drPrimaryRegion = "us-east-1"
	drRegion        = "us-west-2"
	drZoneID        = "Z0123456789ABCDEFGHIJ"
	drALBZone       = "Z1H1FL5HABSF5"
)

// drFakeWebTier stands in for webtier.New: a security group in the DR VPC and a load balancer's address.
func drFakeWebTier(ctx *pulumi.Context, name string, in dr.StandbyInputs, opts ...pulumi.ResourceOption) (*dr.StandbyWebTier, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-instances", &ec2.SecurityGroupArgs{VpcId: in.VPC.VPCID,
		Tags: pulumi.StringMap{"Project": pulumi.String("kit"), "Environment": pulumi.String("production"),
			"ManagedBy": pulumi.String("pulumi")}}, opts...)
	if err != nil {
		return nil, err
	}
	return &dr.StandbyWebTier{
		LoadBalancerDNSName: pulumi.String("web-dr-1234567890.us-west-2.elb.amazonaws.com").ToStringOutput(),
		LoadBalancerZoneID:  pulumi.String(drALBZone).ToStringOutput(),
		SecurityGroupID:     sg.ID(),
	}, nil
}

// drProgram builds a primary network and database in drPrimaryRegion (the default provider) and the DR
// component for drRegion. edit may change the DR args.
func drProgram(edit func(*dr.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := map[string]string{"Project": "kit", "Environment": "production", "ManagedBy": "pulumi"}
		vpc, err := network.New(ctx, "primary-net", &network.Args{CIDR: "10.0.0.0/16", NATStrategy: network.NATSingle, Tags: tags})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders-db", &database.Args{
			VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data), Region: drPrimaryRegion, Production: true, MultiAZ: true, Tags: tags,
			ReplicaSource: true, RotationSubnets: vpc.SubnetsOf(network.Private),
		})
		if err != nil {
			return err
		}
		args := &dr.Args{
			Primary:        dr.PrimaryOf(db),
			Region:         drRegion,
			Network:        &network.Args{CIDR: "10.1.0.0/16", AZCount: 2, NATStrategy: network.NATSingle},
			PrimaryVPCCIDR: vpc.CIDR,
			RPOSeconds:     300,
			Production:     true,
			Tags:           tags,
		}
		if edit != nil {
			edit(args)
		}
		_, err = dr.New(ctx, "orders-dr", args)
		return err
	}
}

func drWarmStandby(a *dr.Args) {
	a.Strategy = dr.WarmStandby
	a.WebTier = drFakeWebTier
	a.Failover = &dr.Failover{
		HostedZoneID: drZoneID, Domain: "app.example.com",
		PrimaryLoadBalancerDNSName: pulumi.String("web-1234567890.us-east-1.elb.amazonaws.com"),
		PrimaryLoadBalancerZoneID:  pulumi.String("Z35SXDOTRQ7X7K"),
		HealthCheckPath:            "/healthz",
	}
}

// drReplica returns the DR replica (the instance in the DR region).
func drReplica(t *testing.T, g *awssim.Graph) *awssim.Resource {
	t.Helper()
	var out []*awssim.Resource
	for _, r := range g.ByType(typeRDSInstance) {
		if r.Region == drRegion {
			out = append(out, r)
		}
	}
	require.Len(t, out, 1)
	return out[0]
}

func drPrimary(t *testing.T, g *awssim.Graph) *awssim.Resource {
	t.Helper()
	r := g.Named(typeRDSInstance, "orders-db")
	require.NotNil(t, r)
	return r
}

func TestDREveryResourceIsInTheDRRegion(t *testing.T) {
	for _, edit := range []func(*dr.Args){nil, drWarmStandby} {
		g := simulate(t, drPrimaryRegion, drProgram(func(a *dr.Args) {
			a.ReplicateBackups = true
			if edit != nil {
				edit(a)
			}
		}))
		comp := g.Named("kit:dr:DR", "orders-dr")
		require.NotNil(t, comp)
		n := 0
		for _, r := range g.Descendants(comp.URN) {
			if r.Custom && strings.HasPrefix(r.Type, "aws:") {
				n++
				assert.Equal(t, drRegion, r.Region, "%s", r.URN)
			}
		}
		assert.Greater(t, n, 20)
		// and nothing of the primary moved
		for _, r := range g.Descendants(g.Named("kit:database:Database", "orders-db").URN) {
			if r.Custom && strings.HasPrefix(r.Type, "aws:") {
				assert.Equal(t, drPrimaryRegion, r.Region, "%s", r.URN)
			}
		}
	}
}

func TestDRReplicaPointsAtThePrimaryARNAndTheDRKey(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(nil))
	primary, replica := drPrimary(t, g), drReplica(t, g)
	assert.Equal(t, primary.OutputString("arn"), replica.InputString("replicateSourceDb"))
	var drKey *awssim.Resource
	for _, k := range g.ByType(typeKMSKey) {
		if k.Region == drRegion {
			drKey = k
		}
	}
	require.NotNil(t, drKey)
	assert.Equal(t, drKey.OutputString("arn"), replica.InputString("kmsKeyId"))
	assert.Equal(t, drKey.OutputString("arn"), replica.InputString("performanceInsightsKmsKeyId"))
	assert.True(t, drKey.Input("enableKeyRotation").BoolValue())
	assert.Equal(t, "postgres", replica.OutputString("engine"), "the engine comes from the source")
	assert.True(t, replica.Output("storageEncrypted").BoolValue())
	assert.Equal(t, "orders-dr", replica.InputString("identifier"))
	// It sits in the DR VPC's data subnets with its own security group.
	sg := g.ByID(replica.Input("vpcSecurityGroupIds").ArrayValue()[0].StringValue())
	require.NotNil(t, sg)
	assert.Equal(t, drRegion, sg.Region)
	group := g.ByID(replica.InputString("dbSubnetGroupName"))
	require.NotNil(t, group)
	for _, id := range group.Input("subnetIds").ArrayValue() {
		assert.Equal(t, "data", g.ByID(id.StringValue()).Tags()["Tier"])
	}
}

func TestDRLagAlarmWatchesTheRPOOnTheReplica(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(func(a *dr.Args) {
		a.RPOSeconds = 600
		a.AlarmActions = []pulumi.StringInput{pulumi.String("arn:aws:sns:us-west-2:123456789012:dr-pager")}
	}))
	alarms := g.ByType(typeMetricAlarm)
	require.Len(t, alarms, 1)
	alarm := alarms[0]
	assert.Equal(t, drRegion, alarm.Region)
	assert.Equal(t, "AWS/RDS", alarm.InputString("namespace"))
	assert.Equal(t, "ReplicaLag", alarm.InputString("metricName"))
	assert.Equal(t, "orders-dr", alarm.InputString("dimensions.DBInstanceIdentifier"))
	assert.Equal(t, 600.0, alarm.Input("threshold").NumberValue())
	assert.Equal(t, "GreaterThanThreshold", alarm.InputString("comparisonOperator"))
	assert.Equal(t, "arn:aws:sns:us-west-2:123456789012:dr-pager", alarm.InputString("alarmActions.0"))
	assert.Regexp(t, `^arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-dr-replica-lag$`, alarm.OutputString("arn"))
}

// drInputs renders every resource's inputs and options by URN, to compare two runs.
func drInputs(g *awssim.Graph) map[string]string {
	out := map[string]string{}
	for _, r := range g.Resources() {
		out[r.Type+"::"+r.Name] = resource.NewObjectProperty(r.Inputs).String() +
			fmt.Sprintf(" protect=%v provider=%q", r.Protect, r.ProviderURN)
	}
	return out
}

func TestDRPromotionOnlyDropsTheSourceAndTurnsOnTheFinalSnapshot(t *testing.T) {
	standby := func(promote bool) pulumi.RunFunc {
		return drProgram(func(a *dr.Args) { drWarmStandby(a); a.ReplicateBackups = true; a.Promote = promote })
	}
	deployed := simulate(t, drPrimaryRegion, standby(false))
	// Promotion is an update of the deployed replica, so the promoted program runs from that state.
	promoted, err := awssim.Run(standby(true), awssim.Options{Project: project, Stack: "test",
		Config: map[string]string{"aws:region": drPrimaryRegion}, Prior: deployed})
	require.NoError(t, err)
	before, after := drInputs(deployed), drInputs(promoted)
	require.Equal(t, len(before), len(after), "the same resources")
	var changed []string
	for key, in := range before {
		if after[key] != in {
			changed = append(changed, key)
		}
	}
	const replica = typeRDSInstance + "::orders-dr-replica"
	assert.Equal(t, []string{replica}, changed)
	assert.Contains(t, before[replica], "replicateSourceDb")
	assert.NotContains(t, after[replica], "replicateSourceDb")

	// Without the source, the replica's inputs are the same, key for key, but one: a standalone database
	// keeps a final snapshot when deleted, which RDS refuses for a replica (see dr.go).
	r := drReplica(t, deployed)
	delete(r.Inputs, "replicateSourceDb")
	assert.True(t, r.Input("skipFinalSnapshot").BoolValue())
	r.Inputs["skipFinalSnapshot"] = resource.NewProperty(false)
	assert.Equal(t, resource.NewObjectProperty(r.Inputs).String()+
		fmt.Sprintf(" protect=%v", r.Protect), strings.SplitN(after[replica], " provider=", 2)[0])
	assert.Equal(t, drReplica(t, deployed).ID, drReplica(t, promoted).ID, "promoted in place, not recreated")
}

func TestDRPromotedConfigCannotCreateAnEmptyDatabaseByMistake(t *testing.T) {
	// Applied to a stack whose replica is gone, the promoted configuration would create a new, empty
	// instance; it has no engine and no master user, so AWS refuses it instead.
	_, err := simulateErr(t, drPrimaryRegion, drProgram(func(a *dr.Args) { a.Promote = true }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "engine is required")
}

func TestDRProtectionFollowsTheProductionArg(t *testing.T) {
	for _, production := range []bool{false, true} {
		g := simulate(t, drPrimaryRegion, drProgram(func(a *dr.Args) { a.Production = production }))
		replica := drReplica(t, g)
		assert.Equal(t, production, replica.Protect)
		assert.Equal(t, production, replica.Input("deletionProtection").BoolValue())
		// RDS refuses a final snapshot when it deletes a replica; the identifier waits for the promotion.
		assert.True(t, replica.Input("skipFinalSnapshot").BoolValue())
		if production {
			assert.Equal(t, "orders-dr-final", replica.InputString("finalSnapshotIdentifier"))
		}
		for _, k := range g.ByType(typeKMSKey) {
			if k.Region == drRegion {
				assert.Equal(t, production, k.Protect)
			}
		}
	}
}

func TestDRSecretNeverAppearsAsAnInput(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(drWarmStandby))
	// The replica's source keeps its password in the kit's secret (RDS refuses replicas of an instance whose
	// password it manages): the password reaches RDS and Secrets Manager as Pulumi secrets only.
	secrets := 0
	for _, r := range g.Resources() {
		for k, v := range r.Inputs {
			if k == "password" || k == "secretString" {
				assert.True(t, v.IsSecret(), "%s: %s must be a Pulumi secret", r.URN, k)
				secrets++
			}
		}
	}
	assert.Equal(t, 2, secrets, "the primary's password and its secret version")
	assert.True(t, drReplica(t, g).Input("manageMasterUserPassword").IsNull(),
		"a replica uses its source's master user; RDS refuses a managed password on it")
}

func TestDRWarmStandbyFailsOverWithRoute53(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(drWarmStandby))
	checks := g.ByType("aws:route53/healthCheck:HealthCheck")
	require.Len(t, checks, 1)
	check := checks[0]
	assert.Equal(t, "HTTPS", check.InputString("type"))
	assert.Equal(t, "web-1234567890.us-east-1.elb.amazonaws.com", check.InputString("fqdn"))
	assert.Equal(t, "/healthz", check.InputString("resourcePath"))
	assert.Equal(t, 443.0, check.Input("port").NumberValue())

	records := map[string]*awssim.Resource{}
	for _, r := range g.ByType("aws:route53/record:Record") {
		records[r.InputString("failoverRoutingPolicies.0.type")] = r
	}
	require.Len(t, records, 2)
	primary, secondary := records["PRIMARY"], records["SECONDARY"]
	assert.Equal(t, check.ID, primary.InputString("healthCheckId"))
	assert.Equal(t, "web-1234567890.us-east-1.elb.amazonaws.com", primary.InputString("aliases.0.name"))
	assert.Equal(t, "web-dr-1234567890.us-west-2.elb.amazonaws.com", secondary.InputString("aliases.0.name"))
	assert.Equal(t, drALBZone, secondary.InputString("aliases.0.zoneId"))
	for _, r := range records {
		assert.Equal(t, drZoneID, r.InputString("zoneId"))
		assert.Equal(t, "app.example.com", r.InputString("name"))
	}

	// The standby's instances may reach the replica, on its port only.
	web := g.Named("aws:ec2/securityGroup:SecurityGroup", "orders-dr-web-instances")
	require.NotNil(t, web)
	replicaSG := drReplica(t, g).Input("vpcSecurityGroupIds").ArrayValue()[0].StringValue()
	found := false
	for _, r := range g.ByType(typeIngressRule) {
		if r.InputString("securityGroupId") == replicaSG && r.InputString("referencedSecurityGroupId") == web.ID {
			found = true
			assert.Equal(t, 5432.0, r.Input("fromPort").NumberValue())
		}
	}
	assert.True(t, found, "the web tier's group is let into the replica's")
}

func TestDRPilotLightHasNoWebTierNorDNS(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(nil))
	assert.Empty(t, g.ByType("aws:route53/record:Record"))
	assert.Empty(t, g.ByType("aws:route53/healthCheck:HealthCheck"))
	assert.Nil(t, g.Named("aws:ec2/securityGroup:SecurityGroup", "orders-dr-web-instances"))
	assert.Empty(t, g.ByType("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"))
}

func TestDRBackupReplicationGoesToTheDRRegionWithTheDRKey(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(func(a *dr.Args) { a.ReplicateBackups = true }))
	reps := g.ByType("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
	require.Len(t, reps, 1)
	assert.Equal(t, drRegion, reps[0].Region)
	assert.Equal(t, drPrimary(t, g).OutputString("arn"), reps[0].InputString("sourceDbInstanceArn"))
	assert.Equal(t, drReplica(t, g).InputString("kmsKeyId"), reps[0].InputString("kmsKeyId"))
}

func TestDRUsesAPassedProviderAndChecksItsRegion(t *testing.T) {
	g := simulate(t, drPrimaryRegion, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String(drRegion)})
		if err != nil {
			return err
		}
		return drProgram(func(a *dr.Args) { a.Provider = p })(ctx)
	})
	assert.Len(t, g.ByType("pulumi:providers:aws"), 1, "no second provider is created")
	assert.Equal(t, drRegion, drReplica(t, g).Region)

	_, err := simulateErr(t, drPrimaryRegion, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "wrong", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		return drProgram(func(a *dr.Args) { a.Provider = p })(ctx)
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Provider is for eu-west-1, but Region is "us-west-2"`)
}

func TestDRRejectsEveryBadInputTogether(t *testing.T) {
	g, err := simulateErr(t, drPrimaryRegion, drProgram(func(a *dr.Args) {
		a.Region = drPrimaryRegion
		a.Primary.Encrypted = false
		a.Primary.BackupRetentionDays = 0
		a.Network.CIDR = "10.0.128.0/17"
		a.RPOSeconds = 0
		a.Strategy = dr.WarmStandby
		a.Failover = &dr.Failover{Domain: "app.example.com",
			PrimaryLoadBalancerDNSName: pulumi.String("x"), PrimaryLoadBalancerZoneID: pulumi.String("Z1")}
		a.ReplicaInstanceClass = "db.z1.mega"
	}))
	require.Error(t, err)
	for _, want := range []string{
		`Region "us-east-1" is the primary's region`,
		"Primary is not encrypted",
		"Primary.BackupRetentionDays is 0",
		"Network.CIDR 10.0.128.0/17 overlaps the primary VPC's 10.0.0.0/16",
		"RPOSeconds 0 must be greater than 0",
		`Strategy "warm-standby" needs WebTier`,
		`Failover.Domain "app.example.com" has no HostedZoneID`,
		`ReplicaInstanceClass "db.z1.mega"`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Nil(t, g.Named("kit:dr:DR", "orders-dr"), "nothing of the DR component is registered")
	assert.Empty(t, g.ByType("pulumi:providers:aws"))
}

func TestDRRejectsEachBadInputAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*dr.Args)
		want string
	}{
		{"unknown region", func(a *dr.Args) { a.Region = "us-west-9" }, `Region "us-west-9" is not a known AWS region`},
		{"empty region", func(a *dr.Args) { a.Region = "" }, "Region is empty"},
		{"engine", func(a *dr.Args) { a.Primary.Engine = "sqlserver-ex" }, `Primary.Engine "sqlserver-ex" cannot have a cross-region read replica`},
		{"mysql small replica", func(a *dr.Args) {
			a.Primary.Engine, a.Primary.EngineVersion, a.ReplicaInstanceClass = database.MySQL, "8.0", "db.t3.small"
		}, "no Performance Insights for mysql"},
		{"negative RPO", func(a *dr.Args) { a.RPOSeconds = -5 }, "RPOSeconds -5"},
		{"RPO below an idle PostgreSQL source's lag", func(a *dr.Args) { a.RPOSeconds = 120 },
			"RPOSeconds 120 is below 300: RDS for PostgreSQL reports up to 300 s of ReplicaLag on a replica whose " +
				"source takes no writes (an idle source switches WAL segments every 5 minutes), so the lag alarm would " +
				"page whenever the primary is idle; use 300 or more"},
		{"zone without domain", func(a *dr.Args) {
			drWarmStandby(a)
			a.Failover.Domain = ""
		}, `Failover.HostedZoneID "` + drZoneID + `" has no Domain`},
		{"failover on pilot light", func(a *dr.Args) {
			drWarmStandby(a)
			a.Strategy, a.WebTier = dr.PilotLight, nil
		}, "no standby load balancer"},
		{"bad strategy", func(a *dr.Args) { a.Strategy = "hot" }, `Strategy "hot" is not a strategy`},
		{"no network", func(a *dr.Args) { a.Network = nil }, "Network is nil"},
		{"empty CIDR", func(a *dr.Args) { a.Network.CIDR = "" }, "Network.CIDR is empty"},
		{"no data tier", func(a *dr.Args) { a.Network.Tiers = []network.Tier{network.Public, network.Private} }, `no "data" tier`},
		{"health check protocol", func(a *dr.Args) {
			drWarmStandby(a)
			a.Failover.HealthCheckProtocol = "TCP"
		}, `HealthCheckProtocol "TCP" must be HTTPS or HTTP`},
		{"nil ARN", func(a *dr.Args) { a.Primary.ARN = nil }, "Primary.ARN is nil"},
		{"backup replication retention", func(a *dr.Args) { a.ReplicateBackups, a.BackupReplicationRetentionDays = true, 36 },
			"BackupReplicationRetentionDays 36 is out of range: use 1 to 35"},
		{"health check port", func(a *dr.Args) {
			drWarmStandby(a)
			a.Failover.HealthCheckPort = 70000
		}, "Failover.HealthCheckPort 70000 is not a port: use 1-65535"},
		{"nil client group", func(a *dr.Args) { a.ClientSecurityGroupIDs = []pulumi.StringInput{nil} },
			"ClientSecurityGroupIDs[0] is nil: pass a security group id"},
		{"nil alarm action", func(a *dr.Args) { a.AlarmActions = []pulumi.StringInput{nil} },
			"AlarmActions[0] is nil: pass an SNS topic ARN"},
		{"replica named like the primary", func(a *dr.Args) { a.Primary.Identifier = "orders-dr" },
			`the replica identifier "orders-dr" equals the primary's`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, drPrimaryRegion, drProgram(tc.edit))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDRNilArgsIsAnError(t *testing.T) {
	_, err := simulateErr(t, drPrimaryRegion, func(ctx *pulumi.Context) error {
		_, err := dr.New(ctx, "dr", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "args are nil")
}
