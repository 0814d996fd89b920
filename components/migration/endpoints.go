package migration

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The endpoints: the old database over the VPN, and the kit's database. Each authenticates with a Secrets
// Manager secret read through its own access role, never with a user name and password in the endpoint
// (DMS takes one or the other: "You can't specify both", CreateEndpoint), and each requires TLS.

// endpointSSLMode makes DMS refuse an unencrypted connection; the kit's database refuses one anyway (its
// parameter group forces TLS).
const endpointSSLMode = "require"

// endpoints creates the source secret (unless one is given), the access roles and both endpoints.
func (b *builder) endpoints() error {
	s := b.s
	if s.Source.SecretARN != "" {
		b.sourceSecret = pulumi.String(s.Source.SecretARN)
	} else {
		secret, err := secretsmanager.NewSecret(b.ctx, b.name+"-source", &secretsmanager.SecretArgs{
			NamePrefix: pulumi.Sprintf("dms/%s/source-", s.instanceID),
			Description: pulumi.Sprintf("Credentials DMS uses to read the old %s database: the database owner "+
				"stores {\"username\", \"password\", \"host\", \"port\"} here; nothing else does", s.Source.Engine),
			KmsKeyId: b.key.Arn,
			Tags:     b.tags(b.name + "-source"),
		}, b.parent)
		if err != nil {
			return err
		}
		b.sourceSecret = secret.Arn
	}
	b.m.SourceSecretARN = b.sourceSecret.ToStringOutput()

	// A given source secret is encrypted with a key the component does not know: the role may decrypt with
	// the component's key, and Secrets Manager's own key needs no grant (DMS user guide: "If you use the
	// default encryption key created by AWS Secrets Manager, you do not have to specify the AWS KMS
	// permissions").
	sourceRole, err := b.accessRole("source", b.sourceSecret, b.key.Arn)
	if err != nil {
		return err
	}
	targetRole, err := b.accessRole("target", s.Target.SecretARN, s.Target.SecretKMSKeyARN)
	if err != nil {
		return err
	}

	source := &dms.EndpointArgs{
		EndpointId:                  pulumi.String(Identifier(b.name+"-source", 255)),
		EndpointType:                pulumi.String("source"),
		EngineName:                  pulumi.String(s.Source.Engine),
		SecretsManagerArn:           b.sourceSecret,
		SecretsManagerAccessRoleArn: sourceRole.Arn,
		SslMode:                     pulumi.String(endpointSSLMode),
		KmsKeyArn:                   b.key.Arn,
		ExtraConnectionAttributes:   b.net.override,
		Tags:                        b.tags(b.name + "-source"),
	}
	if s.Source.DatabaseName != "" {
		source.DatabaseName = pulumi.String(s.Source.DatabaseName)
	}
	if b.source, err = dms.NewEndpoint(b.ctx, b.name+"-source", source, b.parent); err != nil {
		return err
	}

	target := &dms.EndpointArgs{
		EndpointId:                  pulumi.String(Identifier(b.name+"-target", 255)),
		EndpointType:                pulumi.String("target"),
		EngineName:                  pulumi.String(s.Target.Engine),
		SecretsManagerArn:           s.Target.SecretARN,
		SecretsManagerAccessRoleArn: targetRole.Arn,
		SslMode:                     pulumi.String(endpointSSLMode),
		KmsKeyArn:                   b.key.Arn,
		ExtraConnectionAttributes:   b.net.override,
		Tags:                        b.tags(b.name + "-target"),
	}
	if !noDatabaseName[s.Target.Engine] {
		target.DatabaseName = pulumi.String(s.Target.DatabaseName)
	}
	if b.target, err = dms.NewEndpoint(b.ctx, b.name+"-target", target, b.parent); err != nil {
		return err
	}
	b.m.SourceEndpointARN = b.source.EndpointArn
	b.m.TargetEndpointARN = b.target.EndpointArn
	return nil
}
