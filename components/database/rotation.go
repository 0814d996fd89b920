package database

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/tagging"
)

// Rotation of the kit's master secret (Security Hub SecretsManager.1 and .4). RDS rotates the secrets it
// manages itself; the kit's own secret, which a ReplicaSource needs, is rotated by AWS's published rotation
// function for the engine: the Serverless Application Repository application
// SecretsManagerRDS<Engine>RotationSingleUser of account 297356227824 (the one the Secrets Manager console
// deploys; its parameters endpoint, functionName, vpcSubnetIds, vpcSecurityGroupIds and kmsKeyArn, and its
// output RotationLambdaARN). The function runs in the given subnets, reaches Secrets Manager's endpoint over
// HTTPS (through NAT) and the database on its port, and changes the master password in place ("single user").

// RotationDays is how often the master password rotates: within SecretsManager.4's 90 days.
const RotationDays = 30

// rotationApplications are the published single-user rotation functions, per engine.
var rotationApplications = map[Engine]string{
	Postgres: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
	MySQL:    "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser",
}

// rotate deploys the rotation function for the secret and turns rotation on.
func (c *masterCredentials) rotate(ctx *pulumi.Context, name string, s *settings, dbSG *ec2.SecurityGroup,
	keyARN pulumi.StringOutput, parent pulumi.ResourceOption) error {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-rotation", &ec2.SecurityGroupArgs{
		VpcId:       s.VPCID,
		Description: pulumi.String("Rotation function of " + s.Identifier + "'s master secret"),
		Tags:        tagging.Merge(s.Tags, s.Identifier+"-rotation"),
	}, parent)
	if err != nil {
		return err
	}
	// Out to Secrets Manager's endpoint, and to the database; nothing comes in.
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-rotation-https", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(), IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
		CidrIpv4: pulumi.String("0.0.0.0/0"), Description: pulumi.String("Secrets Manager API"),
		Tags: tagging.Merge(s.Tags, name+"-rotation-https"),
	}, parent); err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-rotation-db", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(), IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(s.port), ToPort: pulumi.Int(s.port),
		ReferencedSecurityGroupId: dbSG.ID(), Description: pulumi.String("the database"),
		Tags: tagging.Merge(s.Tags, name+"-rotation-db"),
	}, parent); err != nil {
		return err
	}
	if err := AllowClient(ctx, name+"-rotation-client", dbSG, s.port, sg.ID(), s.Tags, parent); err != nil {
		return err
	}
	subnets := pulumi.StringArray{}
	for _, sn := range s.RotationSubnets {
		subnets = append(subnets, sn.ID)
	}
	function := s.Identifier + "-rotation"
	stack, err := serverlessrepository.NewCloudFormationStack(ctx, name+"-rotation", &serverlessrepository.CloudFormationStackArgs{
		Name:          pulumi.String(s.Identifier + "-secret-rotation"),
		ApplicationId: pulumi.String(rotationApplications[s.Engine]),
		// The application creates the function's role and lets Secrets Manager invoke it.
		Capabilities: pulumi.ToStringArray([]string{"CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"}),
		Parameters: pulumi.StringMap{
			"endpoint":            pulumi.String(fmt.Sprintf("https://secretsmanager.%s.amazonaws.com", s.Region)),
			"functionName":        pulumi.String(function),
			"vpcSubnetIds":        subnets.ToStringArrayOutput().ApplyT(joinComma).(pulumi.StringOutput),
			"vpcSecurityGroupIds": sg.ID().ToStringOutput(),
			"kmsKeyArn":           keyARN,
		},
		Tags: tagging.Merge(s.Tags, s.Identifier+"-secret-rotation"),
	}, parent)
	if err != nil {
		return err
	}
	// The first rotation waits for the secret's first value: it changes the password the instance was created
	// with, which the value holds.
	_, err = secretsmanager.NewSecretRotation(ctx, name+"-master", &secretsmanager.SecretRotationArgs{
		SecretId:          c.secret.ID(),
		RotationLambdaArn: stack.Outputs.MapIndex(pulumi.String("RotationLambdaARN")),
		RotationRules: &secretsmanager.SecretRotationRotationRulesArgs{
			AutomaticallyAfterDays: pulumi.Int(RotationDays),
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{c.version}))
	return err
}

func joinComma(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ","
		}
		out += id
	}
	return out
}
