package tests

// Turning DR on for a running primary (exercise 3): the primary goes from a password RDS manages to the
// kit's own, in one ModifyDBInstance that RDS accepts, and the password stays the same on every later run.

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/database"
)

const typeRandomPassword = "random:index/randomPassword:RandomPassword"

func TestDatabaseBecomesAReplicaSourceInOneUpdateRDSAccepts(t *testing.T) {
	deployed := simulate(t, "us-east-1", databaseProgram("us-east-1", nil))
	require.True(t, databaseInstance(t, deployed).Input("manageMasterUserPassword").BoolValue())

	source := databaseProgram("us-east-1", func(a *database.Args) {
		a.ReplicaSource = true
		a.RotationSubnets = a.DataSubnets // any subnets of the VPC will do for the simulation's checks
	})
	updated, err := exercisesUpdate(source, deployed)
	require.NoError(t, err, "RDS must accept the update that moves the password out of its management")
	db := databaseInstance(t, updated)
	assert.Empty(t, db.IgnoreChanges, "the password reaches RDS in the update itself, not behind ignoreChanges")
	require.True(t, db.Inputs["password"].IsSecret())
	assert.True(t, db.Input("manageMasterUserPassword").IsNull())

	generated := updated.ByType(typeRandomPassword)
	require.Len(t, generated, 1, "the password is a resource, so it lives in the state")
	assert.Equal(t, generated[0].Output("result").StringValue(), db.Input("password").StringValue())
	assert.Regexp(t, `^[A-Za-z0-9]{40}$`, db.Input("password").StringValue())

	again, err := exercisesUpdate(source, updated)
	require.NoError(t, err)
	assert.Equal(t, db.Input("password").StringValue(), databaseInstance(t, again).Input("password").StringValue(),
		"the next run sends the same password: nothing to update")
}

// awssimManagedPrimary is an RDS-managed primary, then (managed false) the same instance moved to password,
// with the given options on the update.
func awssimManagedPrimary(managed bool, password pulumi.StringInput, opts ...pulumi.ResourceOption) pulumi.RunFunc {
	return awssimRDSProgram(func(f *awssimRDSFixture) error {
		args := &rds.InstanceArgs{
			Identifier: pulumi.String("db"), Engine: pulumi.String("postgres"), EngineVersion: pulumi.String("16"),
			InstanceClass: pulumi.String("db.t4g.medium"), AllocatedStorage: pulumi.Int(20),
			Username: pulumi.String("dbadmin"), StorageEncrypted: pulumi.Bool(true), KmsKeyId: f.eastKey.Arn,
			BackupRetentionPeriod: pulumi.Int(7), DbSubnetGroupName: f.group.Name,
			VpcSecurityGroupIds: pulumi.StringArray{f.sg.ID()}, SkipFinalSnapshot: pulumi.Bool(true),
		}
		if managed {
			args.ManageMasterUserPassword = pulumi.Bool(true)
		} else {
			args.Password = password
		}
		_, err := rds.NewInstance(f.ctx, "db", args, opts...)
		return err
	})
}

func TestAwssimRDSRefusesTurningPasswordManagementOffWithoutAPassword(t *testing.T) {
	deployed := simulate(t, "us-east-1", awssimManagedPrimary(true, nil))
	secret := pulumi.ToSecret(pulumi.String("correct-horse-battery-staple")).(pulumi.StringOutput)

	for name, program := range map[string]pulumi.RunFunc{
		// What the engine makes of ignoreChanges: the deployed inputs have no password, so the new one goes.
		"a password behind ignoreChanges": awssimManagedPrimary(false, secret, pulumi.IgnoreChanges([]string{"password"})),
		"no password at all":              awssimManagedPrimary(false, nil),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := exercisesUpdate(program, deployed)
			require.Error(t, err)
			var apiErr *awssim.APIError
			require.True(t, errors.As(err, &apiErr), "%v", err)
			assert.Equal(t, "InvalidParameterCombination", apiErr.Code)
			assert.Contains(t, apiErr.Message, "to turn ManageMasterUserPassword off you must specify MasterUserPassword")
		})
	}

	t.Run("the password in the update", func(t *testing.T) {
		_, err := exercisesUpdate(awssimManagedPrimary(false, secret), deployed)
		require.NoError(t, err)
	})
	t.Run("ignoreChanges on a password the deployed inputs already hold", func(t *testing.T) {
		moved, err := exercisesUpdate(awssimManagedPrimary(false, secret), deployed)
		require.NoError(t, err)
		_, err = exercisesUpdate(awssimManagedPrimary(false, secret, pulumi.IgnoreChanges([]string{"password"})), moved)
		require.NoError(t, err)
	})
}

func TestAwssimRandomPasswordHoldsItsValueUntilAnInputChanges(t *testing.T) {
	program := func(length int) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var p struct {
				pulumi.CustomResourceState
				Result pulumi.StringOutput `pulumi:"result"`
			}
			return ctx.RegisterResource(typeRandomPassword, "pw", pulumi.Map{"length": pulumi.Int(length),
				"special": pulumi.Bool(false), "minUpper": pulumi.Int(2)}, &p)
		}
	}
	first := simulate(t, "us-east-1", program(24))
	pw := first.ByType(typeRandomPassword)[0].Output("result").StringValue()
	assert.Regexp(t, `^[A-Za-z0-9]{24}$`, pw)
	same, err := exercisesUpdate(program(24), first)
	require.NoError(t, err)
	assert.Equal(t, pw, same.ByType(typeRandomPassword)[0].Output("result").StringValue())
	longer, err := exercisesUpdate(program(30), same)
	require.NoError(t, err)
	assert.NotEqual(t, pw, longer.ByType(typeRandomPassword)[0].Output("result").StringValue(),
		"a changed input replaces the password")
	assert.Equal(t, []string{"length"}, awssim.Replaces(typeRandomPassword, nil, nil, []string{"length"}))

	_, err = simulateErr(t, "us-east-1", program(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must be at least 1 and at least minUpper + minLower + minNumeric + minSpecial (2)")
}
