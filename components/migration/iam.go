package migration

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The roles DMS needs: two account-wide ones it finds by their fixed names, and one access role per endpoint
// secret.

// Account-wide roles DMS looks up by name (DMS user guide, "Creating the IAM roles to use with AWS DMS"; the
// AWS managed policies AmazonDMSVPCManagementRole and AmazonDMSCloudWatchLogsRole are "attached to the
// dms-vpc-role role" and to dms-cloudwatch-logs-role, AWS managed policy reference).
const (
	VPCRoleName            = "dms-vpc-role"
	CloudWatchLogsRoleName = "dms-cloudwatch-logs-role"
	vpcRolePolicyARN       = "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"
	logsRolePolicyARN      = "arn:aws:iam::aws:policy/service-role/AmazonDMSCloudWatchLogsRole"
)

// accountRoles are what the replication instance and the task must wait for when the component creates
// the account's roles: the policy attachments, after which DMS finds each role able to act.
type accountRoles struct {
	vpc, logs []pulumi.Resource
}

// accountRoles creates dms-vpc-role and dms-cloudwatch-logs-role when asked. They trust dms.amazonaws.com
// without conditions, as AWS documents them: DMS assumes dms-vpc-role to create the subnet group, before
// any replication instance (and its engine version) exists.
func (b *builder) accountRoles() error {
	if !b.s.CreateAccountRoles {
		return nil
	}
	for _, r := range []struct {
		name, policy, why string
		into              *[]pulumi.Resource
	}{
		{VPCRoleName, vpcRolePolicyARN, "manage the network interfaces of replication instances", &b.roles.vpc},
		{CloudWatchLogsRoleName, logsRolePolicyARN, "write task logs to the dms-tasks-* log groups", &b.roles.logs},
	} {
		role, err := iam.NewRole(b.ctx, r.name, &iam.RoleArgs{
			Name:             pulumi.String(r.name),
			AssumeRolePolicy: pulumi.String(mustJSON(trustPolicy("dms.amazonaws.com", nil))),
			Description:      pulumi.String("Lets AWS DMS " + r.why + " (account-wide; one stack of the account owns it)"),
			Tags:             b.tags(r.name),
		}, b.parent)
		if err != nil {
			return err
		}
		attachment, err := iam.NewRolePolicyAttachment(b.ctx, r.name, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(r.policy),
		}, b.parent)
		if err != nil {
			return err
		}
		*r.into = []pulumi.Resource{role, attachment}
	}
	return nil
}

// accessRole creates the role DMS assumes to read one endpoint's secret. It trusts the regional DMS
// principal dms.<region>.amazonaws.com (DMS user guide, "Using secrets to access AWS DMS endpoints"), and
// only on behalf of this account's DMS resources in this region: aws:SourceAccount and aws:SourceArn guard
// against the confused deputy (DMS user guide, "Cross-service confused deputy prevention", DMS 3.4.7 and
// later). It may read that one secret and decrypt it with its key, nothing else.
func (b *builder) accessRole(which string, secretARN, keyARN pulumi.StringInput) (*iam.Role, error) {
	name := fmt.Sprintf("%s-%s-secret", b.name, which)
	conditions := map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": b.account},
		"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:dms:%s:%s:*", b.s.Region, b.account)},
	}
	role, err := iam.NewRole(b.ctx, name, &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(mustJSON(trustPolicy("dms."+b.s.Region+".amazonaws.com", conditions))),
		Description:      pulumi.Sprintf("Lets DMS read the %s database's credentials for migration %s", which, b.name),
		Tags:             b.tags(name),
	}, b.parent)
	if err != nil {
		return nil, err
	}
	policy := pulumi.All(secretARN, keyARN).ApplyT(func(v []any) string {
		return mustJSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				{"Sid": "ReadTheSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": v[0]},
				{"Sid": "DecryptIt", "Effect": "Allow", "Action": []string{"kms:Decrypt", "kms:DescribeKey"},
					"Resource": v[1]},
			},
		})
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(b.ctx, name, &iam.RolePolicyArgs{Role: role.Name, Policy: policy},
		b.parent); err != nil {
		return nil, err
	}
	return role, nil
}

// trustPolicy lets service assume a role, under conditions when given.
func trustPolicy(service string, conditions map[string]any) map[string]any {
	st := map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": service},
		"Action":    "sts:AssumeRole",
	}
	if conditions != nil {
		st["Condition"] = conditions
	}
	return map[string]any{"Version": "2012-10-17", "Statement": []any{st}}
}

// mustJSON marshals policy documents built from maps of strings, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
