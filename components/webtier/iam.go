package webtier

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const ec2AssumeRolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"},
    "Action": "sts:AssumeRole"
  }]
}`

// instanceRole gives the instances an identity with Session Manager access, instead of SSH keys and port 22.
func (b *builder) instanceRole() error {
	role, err := iam.NewRole(b.ctx, b.child("instance"), &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(ec2AssumeRolePolicy),
		Description:      pulumi.String("Instances of web tier " + b.name),
		Tags:             b.tags(b.child("instance")),
	}, b.parent)
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicyAttachment(b.ctx, b.child("ssm"), &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(ssmManagedInstancePolicy),
	}, b.parent); err != nil {
		return err
	}
	profile, err := iam.NewInstanceProfile(b.ctx, b.child("instance"), &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: b.tags(b.child("instance")),
	}, b.parent)
	if err != nil {
		return err
	}
	b.instanceProfileARN = profile.Arn
	b.tier.InstanceRoleName = role.Name
	return nil
}
