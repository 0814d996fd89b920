package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// gatewayServices are the services AWS offers gateway endpoints for. Gateway endpoints are free and keep
// S3 and DynamoDB traffic off the NAT gateways, which charge per GB processed.
var gatewayServices = []string{"s3", "dynamodb"}

// InterfaceServices are the AWS services private subnets reach through interface endpoints when there is no
// NAT gateway (NATStrategy none): Session Manager's three (ssm, ssmmessages, ec2messages: AWS Systems Manager
// User Guide, "Step 2: Create VPC endpoints", https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html),
// CloudWatch Logs and metrics (logs, monitoring) for the CloudWatch agent, Secrets Manager and KMS for
// the database credentials, and STS for role credentials. Interface endpoints are billed per hour in each AZ
// and per GB.
var InterfaceServices = []string{"ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "secretsmanager", "kms", "sts"}

func (b *builder) buildEndpoints() error {
	if b.c.nat == NATNone && len(b.subnets[Private]) > 0 {
		if err := b.buildInterfaceEndpoints(); err != nil {
			return err
		}
	}
	if !b.c.gateways {
		return nil
	}
	var tables pulumi.StringArray
	for _, tier := range []Tier{Private, Data} {
		for _, rt := range b.tables[tier] {
			tables = append(tables, rt.ID().ToStringOutput())
		}
	}
	if len(tables) == 0 {
		return nil // public subnets reach S3 through the internet gateway at no charge
	}
	for _, svc := range gatewayServices {
		name := fmt.Sprintf("%s-%s", b.name, svc)
		if _, err := ec2.NewVpcEndpoint(b.ctx, name, &ec2.VpcEndpointArgs{
			VpcId:           b.vpc.ID(),
			ServiceName:     pulumi.Sprintf("com.amazonaws.%s.%s", b.c.region, svc),
			VpcEndpointType: pulumi.String("Gateway"),
			RouteTableIds:   tables,
			Tags:            b.tags(name),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}

// buildInterfaceEndpoints gives the private subnets their way to AWS without a NAT gateway: an interface
// endpoint per service in each private subnet, with private DNS so that the services' usual names resolve
// to the endpoints (which needs the VPC's DNS support and hostnames, both on), behind a security group of
// their own that admits HTTPS from the VPC and nothing else.
func (b *builder) buildInterfaceEndpoints() error {
	sgName := b.name + "-endpoints"
	sg, err := ec2.NewSecurityGroup(b.ctx, sgName, &ec2.SecurityGroupArgs{
		VpcId:       b.vpc.ID(),
		Description: pulumi.String("Interface endpoints of " + b.name + ": HTTPS from the VPC"),
		Tags:        b.tags(sgName),
	}, b.parent)
	if err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(b.ctx, sgName+"-https", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: sg.ID(),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
		CidrIpv4:        pulumi.String(b.c.vpc.String()),
		Description:     pulumi.String("HTTPS from the VPC to the AWS service endpoints"),
		Tags:            b.tags(sgName + "-https"),
	}, b.parent); err != nil {
		return err
	}
	subnets := pulumi.StringArray{}
	for _, s := range b.subnets[Private] {
		subnets = append(subnets, s.ID())
	}
	for _, svc := range InterfaceServices {
		name := fmt.Sprintf("%s-%s", b.name, svc)
		if _, err := ec2.NewVpcEndpoint(b.ctx, name, &ec2.VpcEndpointArgs{
			VpcId:             b.vpc.ID(),
			ServiceName:       pulumi.Sprintf("com.amazonaws.%s.%s", b.c.region, svc),
			VpcEndpointType:   pulumi.String("Interface"),
			SubnetIds:         subnets,
			SecurityGroupIds:  pulumi.StringArray{sg.ID()},
			PrivateDnsEnabled: pulumi.Bool(true),
			Tags:              b.tags(name),
		}, b.parent); err != nil {
			return err
		}
	}
	return nil
}
