package database

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/tagging"
)

// masterPasswordLength is long enough to need no special characters, and within every engine's limit (RDS
// for MySQL takes 8 to 41 characters: ModifyDBInstance, MasterUserPassword length constraints).
const masterPasswordLength = 40

// masterCredentials are the master user's credentials of a ReplicaSource instance: a password generated once
// and kept in the stack's state (see password.go), stored in a secret the kit owns. RDS cannot manage them
// itself for an instance it replicates.
type masterCredentials struct {
	password pulumi.StringOutput // a Pulumi secret
	secret   *secretsmanager.Secret
	version  *secretsmanager.SecretVersion // the first value, once stored
}

func newMasterCredentials(ctx *pulumi.Context, name string, s *settings, key *kms.Key,
	parent pulumi.ResourceOption) (*masterCredentials, error) {
	generated, err := newRandomPassword(ctx, name+"-master-password", masterPasswordLength, parent)
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
	return &masterCredentials{password: pulumi.ToSecret(generated.Result).(pulumi.StringOutput), secret: secret}, nil
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
	version, err := secretsmanager.NewSecretVersion(ctx, name+"-master", &secretsmanager.SecretVersionArgs{
		SecretId:     c.secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
		// The kit writes the first version only: after that the secret's rotation owns the password, and writing
		// the first value again would put a password the database no longer has back in front of its clients.
		// (The old inputs always hold secretString, so ignoring it keeps the old value rather than dropping it.)
	}, parent, pulumi.IgnoreChanges([]string{"secretString"}))
	c.version = version
	return err
}
