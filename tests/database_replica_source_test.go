package tests

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/database"
	"github.com/migration-kit/kit/components/dr"
	"github.com/migration-kit/kit/components/network"
)

func TestDatabaseReplicaSourceKeepsItsCredentialsInTheKitsSecret(t *testing.T) {
	var secretARN string
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{NATStrategy: network.NATSingle})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders-db", &database.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: "us-east-1", ReplicaSource: true, SecretReplicaRegions: []string{"us-west-2"}, Production: true,
			RotationSubnets: vpc.SubnetsOf(network.Private)})
		if err != nil {
			return err
		}
		assert.False(t, db.PasswordManagedByRDS)
		db.SecretARN.ApplyT(func(s string) string { secretARN = s; return s })
		return nil
	})
	db := databaseInstance(t, g)
	assert.True(t, db.Input("manageMasterUserPassword").IsNull(), "RDS does not manage the password of a replica source")
	require.True(t, db.Inputs["password"].IsSecret(), "the password reaches RDS as a Pulumi secret")
	assert.Len(t, db.Input("password").StringValue(), 40)
	assert.Empty(t, db.IgnoreChanges, "the password lives in the state: nothing to ignore")

	secret := g.Named("aws:secretsmanager/secret:Secret", "orders-db-master")
	require.NotNil(t, secret)
	assert.Equal(t, secretARN, secret.OutputString("arn"), "SecretARN names the kit's secret")
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/orders-db/master-[0-9a-f]{26}-[A-Z2-7]{6}$`, secretARN)
	key := g.ByType(typeKMSKey)[0]
	assert.Equal(t, key.OutputString("arn"), secret.InputString("kmsKeyId"), "encrypted with the database's key")
	assert.True(t, secret.Protect, "protected in production, like the database")
	assert.Equal(t, "us-west-2", secret.InputString("replicas.0.region"), "a failover finds the credentials in the DR region")

	version := g.Named("aws:secretsmanager/secretVersion:SecretVersion", "orders-db-master")
	require.NotNil(t, version)
	require.True(t, version.Inputs["secretString"].IsSecret())
	var stored map[string]any
	require.NoError(t, json.Unmarshal([]byte(version.InputString("secretString")), &stored))
	assert.Equal(t, db.Input("password").StringValue(), stored["password"])
	assert.Equal(t, "dbadmin", stored["username"])
	assert.Equal(t, "postgres", stored["engine"])
	assert.Equal(t, db.OutputString("address"), stored["host"])
	assert.Equal(t, 5432.0, stored["port"])
}

func TestDRRefusesAPrimaryWhosePasswordRDSManages(t *testing.T) {
	_, err := simulateErr(t, drPrimaryRegion, func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{NATStrategy: network.NATSingle})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "orders-db", &database.Args{VPCID: vpc.VPCID, DataSubnets: vpc.SubnetsOf(network.Data),
			Region: drPrimaryRegion})
		if err != nil {
			return err
		}
		_, err = dr.New(ctx, "orders-dr", &dr.Args{Primary: dr.PrimaryOf(db), Region: drRegion, PrimaryVPCCIDR: vpc.CIDR,
			Network: &network.Args{CIDR: "10.1.0.0/16"}, RPOSeconds: 300})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Primary.PasswordManagedByRDS is true")
	assert.Contains(t, err.Error(), "build the primary with database.Args.ReplicaSource")
}

func TestDRReplicaStorageGrowsLikeThePrimarys(t *testing.T) {
	g := simulate(t, drPrimaryRegion, drProgram(func(a *dr.Args) { a.Primary.MaxAllocatedStorageGB = 500 }))
	assert.Equal(t, 500.0, drReplica(t, g).Input("maxAllocatedStorage").NumberValue())
	off := simulate(t, drPrimaryRegion, drProgram(nil))
	assert.True(t, drReplica(t, off).Input("maxAllocatedStorage").IsNull())
}

func TestAWSSimSecretsManagerRefusesAndGeneratesLikeAWS(t *testing.T) {
	var a, b string
	simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		for i, into := range []*string{&a, &b} {
			p, err := secretsmanager.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordArgs{
				PasswordLength: pulumi.IntRef(20 + i), ExcludePunctuation: pulumi.BoolRef(true), ExcludeCharacters: pulumi.StringRef("0O1lI"),
			})
			if err != nil {
				return err
			}
			*into = p.RandomPassword
		}
		return nil
	})
	assert.Regexp(t, `^[A-Za-z0-9]{20}$`, a)
	assert.Len(t, b, 21)
	assert.NotContains(t, a+b, "0")
	assert.NotContains(t, a+b, "I")

	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := secretsmanager.NewSecret(ctx, "s", &secretsmanager.SecretArgs{Name: pulumi.String("bad name!")})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Invalid name "bad name!"`)

	_, err = simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := secretsmanager.NewSecretVersion(ctx, "v", &secretsmanager.SecretVersionArgs{
			SecretId: pulumi.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf"), SecretString: pulumi.String("x")})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ResourceNotFoundException")
}

func TestDatabaseSecretReplicaRegionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		args database.Args
		want string
	}{
		{database.Args{SecretReplicaRegions: []string{"us-west-2"}}, "SecretReplicaRegions is set but ReplicaSource is not"},
		{database.Args{ReplicaSource: true, SecretReplicaRegions: []string{"west"}}, `SecretReplicaRegions[0] "west" is not an AWS region name`},
		{database.Args{ReplicaSource: true, SecretReplicaRegions: []string{"us-east-1"}}, `SecretReplicaRegions[0] "us-east-1" is the database's own region`},
	} {
		_, err := simulateErr(t, "us-east-1", databaseProgram("us-east-1", func(a *database.Args) {
			a.ReplicaSource, a.SecretReplicaRegions = tc.args.ReplicaSource, tc.args.SecretReplicaRegions
		}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := secretsmanager.NewSecret(ctx, "s", &secretsmanager.SecretArgs{Replicas: secretsmanager.SecretReplicaArray{
			secretsmanager.SecretReplicaArgs{Region: pulumi.String("us-east-1")}}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot be replicated into its own region")
}
