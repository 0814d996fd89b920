package webtier

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// listenerPorts are the ports the load balancer accepts from IngressCIDRs. 80 stays open with a
// certificate too: it only redirects to 443.
var listenerPorts = []int{80, 443}

// securityGroups creates the two groups and their rules. Rules are separate resources, never inline, so
// that the two groups can refer to each other without a cycle and a rule change does not replace a group.
func (b *builder) securityGroups() error {
	albSG, err := ec2.NewSecurityGroup(b.ctx, b.child("alb"), &ec2.SecurityGroupArgs{
		VpcId:       b.args.VPCID,
		Description: pulumi.String(fmt.Sprintf("Load balancer of web tier %s: HTTP and HTTPS in, app port to instances out", b.name)),
		Tags:        b.tags(b.child("alb")),
	}, b.parent)
	if err != nil {
		return err
	}
	instanceSG, err := ec2.NewSecurityGroup(b.ctx, b.child("instances"), &ec2.SecurityGroupArgs{
		VpcId:       b.args.VPCID,
		Description: pulumi.String(fmt.Sprintf("Instances of web tier %s: app port from the load balancer only", b.name)),
		Tags:        b.tags(b.child("instances")),
	}, b.parent)
	if err != nil {
		return err
	}
	b.albSG, b.instanceSG = albSG.ID().ToStringOutput(), instanceSG.ID().ToStringOutput()
	b.tier.ALBSecurityGroupID, b.tier.InstanceSecurityGroupID = b.albSG, b.instanceSG

	for i, cidr := range b.args.IngressCIDRs {
		for _, port := range listenerPorts {
			_, err := vpc.NewSecurityGroupIngressRule(b.ctx, fmt.Sprintf("%s-alb-in-%d-%d", b.name, port, i), &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId: b.albSG,
				IpProtocol:      pulumi.String("tcp"),
				FromPort:        pulumi.Int(port),
				ToPort:          pulumi.Int(port),
				CidrIpv4:        pulumi.String(cidr),
				Description:     pulumi.String(fmt.Sprintf("Clients on %d", port)),
				Tags:            b.tags(b.child("alb")),
			}, b.parent)
			if err != nil {
				return err
			}
		}
	}
	// The load balancer talks to the instances only, on the app port (health checks use it too).
	if _, err := vpc.NewSecurityGroupEgressRule(b.ctx, b.child("alb-to-instances"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           b.albSG,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(b.args.AppPort),
		ToPort:                    pulumi.Int(b.args.AppPort),
		ReferencedSecurityGroupId: b.instanceSG,
		Description:               pulumi.String("Requests and health checks to the instances"),
		Tags:                      b.tags(b.child("alb")),
	}, b.parent); err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(b.ctx, b.child("instances-from-alb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           b.instanceSG,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(b.args.AppPort),
		ToPort:                    pulumi.Int(b.args.AppPort),
		ReferencedSecurityGroupId: b.albSG,
		Description:               pulumi.String("Requests and health checks from the load balancer"),
		Tags:                      b.tags(b.child("instances")),
	}, b.parent); err != nil {
		return err
	}
	// Instances reach out through the NAT gateways: SSM Session Manager, package repositories, the app's
	// own dependencies. Nothing reaches in but the load balancer.
	_, err = vpc.NewSecurityGroupEgressRule(b.ctx, b.child("instances-out"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: b.instanceSG,
		IpProtocol:      pulumi.String("-1"),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		Description:     pulumi.String("Outbound through NAT: SSM, updates, dependencies"),
		Tags:            b.tags(b.child("instances")),
	}, b.parent)
	return err
}
