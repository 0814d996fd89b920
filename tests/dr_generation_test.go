package tests

// Failing back after a promotion: the simulated AWS refuses to turn a standalone instance back into a
// replica, as RDS does, and a new replica generation (dr.Args.ReplicaGeneration, kit:dr.replicaGeneration)
// is the way back.

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/internal/plan"
)

// exercisesUpdate runs program as an update of prior, as `pulumi up` of a deployed stack would.
func exercisesUpdate(program pulumi.RunFunc, prior *awssim.Graph) (*awssim.Graph, error) {
	return awssim.Run(program, awssim.Options{Project: project, Stack: "test",
		Config: map[string]string{"aws:region": drPrimaryRegion}, Prior: prior})
}

func TestAwssimRDSRefusesToTurnAStandaloneInstanceIntoAReplica(t *testing.T) {
	t.Run("a promoted replica", func(t *testing.T) {
		deployed := simulate(t, drPrimaryRegion, drProgram(nil))
		promoted, err := exercisesUpdate(drProgram(func(a *dr.Args) { a.Promote = true }), deployed)
		require.NoError(t, err)
		_, err = exercisesUpdate(drProgram(nil), promoted)
		require.Error(t, err)
		var apiErr *awssim.APIError
		require.True(t, errors.As(err, &apiErr), "%v", err)
		assert.Equal(t, "InvalidDBInstanceState", apiErr.Code)
		assert.Contains(t, apiErr.Message, "DB instance orders-dr is a standalone DB instance")
		assert.Contains(t, apiErr.Message, "a standalone DB instance cannot become a read replica; create a new replica")
	})

	t.Run("a primary", func(t *testing.T) {
		two := func(secondIsReplica bool) pulumi.RunFunc {
			return awssimRDSProgram(func(f *awssimRDSFixture) error {
				a, err := f.primary("a", nil)
				if err != nil {
					return err
				}
				_, err = f.primary("b", func(args *rds.InstanceArgs) {
					if secondIsReplica {
						args.ReplicateSourceDb = a.Identifier
					}
				})
				return err
			})
		}
		deployed := simulate(t, "us-east-1", two(false))
		_, err := exercisesUpdate(two(true), deployed)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "api error InvalidDBInstanceState: DB instance b is a standalone DB instance")
	})

	t.Run("a replica that stays one is an ordinary update", func(t *testing.T) {
		deployed := simulate(t, drPrimaryRegion, drProgram(nil))
		_, err := exercisesUpdate(drProgram(func(a *dr.Args) { a.ReplicaInstanceClass = "db.r6g.large" }), deployed)
		require.NoError(t, err)
	})
}

func TestDRReplicaGenerationRebuildsTheReplicaAfterAPromotion(t *testing.T) {
	deployed := simulate(t, drPrimaryRegion, drProgram(nil))
	first := drReplica(t, deployed)
	assert.Equal(t, "orders-dr-replica", first.Name, "generation 1 keeps the original names")
	assert.Equal(t, "orders-dr", first.InputString("identifier"))

	promoted, err := exercisesUpdate(drProgram(func(a *dr.Args) { a.Promote = true }), deployed)
	require.NoError(t, err)
	rebuilt, err := exercisesUpdate(drProgram(func(a *dr.Args) { a.ReplicaGeneration = 2 }), promoted)
	require.NoError(t, err)

	replica := drReplica(t, rebuilt)
	assert.Equal(t, "orders-dr-replica-g2", replica.Name)
	assert.Nil(t, replica.Prior, "a new resource, not an update of the promoted one")
	assert.Equal(t, "orders-dr-g2", replica.InputString("identifier"))
	assert.Equal(t, "orders-dr-g2-final", replica.InputString("finalSnapshotIdentifier"),
		"the final snapshot does not clash with the promoted instance's")
	assert.Equal(t, "orders-dr-g2", replica.Input("tags.Name").StringValue())
	assert.Equal(t, drPrimary(t, rebuilt).OutputString("arn"), replica.InputString("replicateSourceDb"))
	assert.Nil(t, rebuilt.Named(typeRDSInstance, "orders-dr-replica"), "the promoted instance leaves the program")

	// The parts the replica lives in keep their names: only the instance is new.
	for _, name := range []string{"orders-dr-key", "orders-dr-sg", "orders-dr-subnets", "orders-dr-params", "orders-dr-replica-lag"} {
		found := false
		for _, r := range rebuilt.Resources() {
			if r.Name == name {
				found = true
				assert.NotNil(t, r.Prior, "%s is kept", name)
			}
		}
		assert.True(t, found, name)
	}
	alarm := rebuilt.Named("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-dr-replica-lag")
	require.NotNil(t, alarm)
	assert.Equal(t, "orders-dr-replica-lag", alarm.InputString("name"))
	assert.Equal(t, "orders-dr-g2", alarm.Input("dimensions.DBInstanceIdentifier").StringValue(),
		"the lag alarm watches the new replica")
}

// exercisesDRProgram is drProgram with the DR component under another name.
func exercisesDRProgram(name string, edit func(*dr.Args)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := map[string]string{"Project": "kit", "Environment": "production", "ManagedBy": "pulumi"}
		vpc, err := network.New(ctx, "primary-net", &network.Args{CIDR: "10.0.0.0/16", NATStrategy: network.NATSingle, Tags: tags})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders-db", &database.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: drPrimaryRegion, Tags: tags, ReplicaSource: true, RotationSubnets: vpc.SubnetsOf(network.Private)})
		if err != nil {
			return err
		}
		args := &dr.Args{Primary: dr.PrimaryOf(db), Region: drRegion, PrimaryVPCCIDR: vpc.CIDR, RPOSeconds: 300,
			Network: &network.Args{CIDR: "10.1.0.0/16", NATStrategy: network.NATSingle}, Tags: tags}
		edit(args)
		_, err = dr.New(ctx, name, args)
		return err
	}
}

func TestDRReplicaGenerationIsValidated(t *testing.T) {
	_, err := simulateErr(t, drPrimaryRegion, drProgram(func(a *dr.Args) { a.ReplicaGeneration = -1 }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ReplicaGeneration -1 must be 1 or more")

	long := "d" + strings.Repeat("r", 61) // a valid 62-character identifier, too long with "-g2"
	g, err := simulateErr(t, drPrimaryRegion, exercisesDRProgram(long, func(a *dr.Args) { a.ReplicaGeneration = 2 }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ReplicaGeneration 2 makes the replica identifier "`+long+`-g2", which must be 1 to 63 characters`)
	assert.Nil(t, g.Named("kit:dr:DR", long), "nothing is registered")

	_, err = simulateErr(t, drPrimaryRegion, exercisesDRProgram(long, func(a *dr.Args) {}))
	require.NoError(t, err, "generation 1 keeps the identifier, which fits")
}

func TestStackConfigReplicaGenerationIsCheckedAndPassedOn(t *testing.T) {
	prod := exercisesStackFiles(t)["prod"]
	bad := strings.Replace(prod, "    rpoSeconds: 300\n", "    rpoSeconds: 300\n    replicaGeneration: 0\n", 1)
	require.NotEqual(t, prod, bad)
	dir := copyProject(t, map[string]string{"bad": bad})
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, plan.Main([]string{"-root", dir, "bad"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "kit:dr.replicaGeneration 0 must be 1 or more")

	// On a new stack, generation 3 is simply the replica's name.
	third := strings.Replace(prod, "    rpoSeconds: 300\n", "    rpoSeconds: 300\n    replicaGeneration: 3\n", 1)
	dir = copyProject(t, map[string]string{"third": third})
	r, err := plan.Build(dir, "third")
	require.NoError(t, err)
	replica := r.Graph.Named(typeRDSInstance, "dr-replica-g3")
	require.NotNil(t, replica)
	assert.Equal(t, "dr-g3", replica.InputString("identifier"))
	assert.Nil(t, r.Graph.Named(typeRDSInstance, "dr-replica"))
}
