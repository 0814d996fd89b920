package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// gatewayServices are the services AWS offers gateway endpoints for. Gateway endpoints are free and keep
// S3 and DynamoDB traffic off the NAT gateways, which charge per GB processed.
var gatewayServices = []string{"s3", "dynamodb"}

func (b *builder) buildEndpoints() error {
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
