package database

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/placement"
	"github.com/migration-kit/kit/components/tagging"
)

// masterPasswordLength is long enough to need no special characters: RDS refuses /, @, " and spaces in a
// master password, and leaving punctuation out avoids them all.
const masterPasswordLength = 40

// masterCredentials are the master user's credentials of a ReplicaSource instance: a password from Secrets
// Manager's generator, kept in a secret the kit owns. RDS cannot manage them itself for an instance it
// replicates.
//
// The generator answers differently on every run, so the password must be generated once and then live in
// the stack's state. It does, in a first version of the secret (initialPasswordStage) that holds the password
// alone and never changes: it ignores changes of its value from its very first run. The instance takes its
// password from that version and needs no ignoreChanges of its own. That matters: where the old inputs lack a
// path, Pulumi's ignoreChanges removes the new value (sdk resource.PropertyPath.Reset), so an ignored password
// on an instance that RDS used to manage (DR turned on for a running primary) would reach ModifyDBInstance as
// ManageMasterUserPassword=false without a MasterUserPassword, which RDS refuses.
type masterCredentials struct {
	password pulumi.StringOutput // a Pulumi secret
	secret   *secretsmanager.Secret
}

// initialPasswordStage labels the version that holds the generated password. The full credentials version,
// created after the instance, takes AWSCURRENT from it: "If you don't include VersionStages, then Secrets
// Manager automatically moves the staging label AWSCURRENT to this version" (Secrets Manager API reference,
// PutSecretValue), so rotation and clients read the full credentials.
const initialPasswordStage = "KIT_INITIAL"

func newMasterCredentials(ctx *pulumi.Context, name string, s *settings, key *kms.Key,
	parent pulumi.ResourceOption) (*masterCredentials, error) {
	invokeOpts, err := placement.InvokeOptions(parent)
	if err != nil {
		return nil, err
	}
	generated, err := secretsmanager.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordArgs{
		PasswordLength:          pulumi.IntRef(masterPasswordLength),
		ExcludePunctuation:      pulumi.BoolRef(true),
		RequireEachIncludedType: pulumi.BoolRef(true),
	}, invokeOpts...)
	if err != nil {
		return nil, fmt.Errorf("database %q: generating the master password: %w", name, err)
	}
	var replicas secretsmanager.SecretReplicaArray
	for _, region := range s.SecretReplicaRegions {
		replicas = append(replicas, secretsmanager.SecretReplicaArgs{Region: pulumi.String(region)})
	}
	secret, err := secretsmanager.NewSecret(ctx, name+"-master", &secretsmanager.SecretArgs{
		NamePrefix:  pulumi.String("rds/" + s.Identifier + "/master-"),
		Description: pulumi.String("Master credentials of database " + s.Identifier),
		KmsKeyId:    key.Arn,
		Replicas:    replicas,
		Tags:        tagging.Merge(s.Tags, s.Identifier),
	}, parent, pulumi.Protect(s.Production))
	if err != nil {
		return nil, err
	}
	initial, err := secretsmanager.NewSecretVersion(ctx, name+"-master-initial", &secretsmanager.SecretVersionArgs{
		SecretId:      secret.ID(),
		SecretString:  pulumi.ToSecret(pulumi.String(generated.RandomPassword)).(pulumi.StringOutput),
		VersionStages: pulumi.StringArray{pulumi.String(initialPasswordStage)},
	}, parent, pulumi.IgnoreChanges([]string{"secretString"}), pulumi.Protect(s.Production))
	if err != nil {
		return nil, err
	}
	password := pulumi.ToSecret(initial.SecretString.Elem()).(pulumi.StringOutput)
	return &masterCredentials{password: password, secret: secret}, nil
}

// store writes the credentials into the secret in the shape RDS and the Secrets Manager rotation functions
// use (engine, host, port, username, password, dbname), once the instance's address is known.
func (c *masterCredentials) store(ctx *pulumi.Context, name string, s *settings, instance *rds.Instance,
	parent pulumi.ResourceOption) error {
	value := pulumi.All(c.password, instance.Address).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(map[string]any{
			"engine": string(s.Engine), "host": v[1], "port": s.port, "username": s.MasterUsername,
			"password": v[0], "dbname": s.DatabaseName,
		})
		return string(b), err
	}).(pulumi.StringOutput)
	// Rotation changes the value outside Pulumi: what the kit wrote first stays its input.
	_, err := secretsmanager.NewSecretVersion(ctx, name+"-master", &secretsmanager.SecretVersionArgs{
		SecretId:     c.secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, parent, pulumi.IgnoreChanges([]string{"secretString"}))
	return err
}
