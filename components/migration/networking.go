package migration

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// What the replication instance may reach, and how it reaches Secrets Manager from subnets with no way to
// the internet.

// networking holds the security groups and the Secrets Manager endpoint.
type networking struct {
	instanceSG *ec2.SecurityGroup
	// override is the extra connection attribute that sends DMS's secret reads to the endpoint.
	override pulumi.StringOutput
	// targetIngress lets the instance into the kit's database: the task waits for it.
	targetIngress pulumi.Resource
}

// networking creates the instance's security group with egress to the data centre's database, the kit's
// database and the Secrets Manager endpoint only, the rule that admits it into the kit's database, and the
// endpoint. A replication instance in a private subnet reads its endpoints' secrets through a Secrets Manager
// interface endpoint named in the endpoints' secretsManagerEndpointOverride attribute (DMS user guide, "Using
// secrets to access AWS DMS endpoints", "To use secrets manager with a replication instance in a private
// subnet"). The endpoint has no private DNS: it changes nothing for the rest of the VPC.
func (b *builder) networking() error {
	s := b.s
	sg, err := ec2.NewSecurityGroup(b.ctx, b.name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       s.VPCID,
		Description: pulumi.String(fmt.Sprintf("DMS replication instance %s: the old and the new database only", s.instanceID)),
		Tags:        b.tags(b.name + "-sg"),
	}, b.parent)
	if err != nil {
		return err
	}
	endpointSG, err := ec2.NewSecurityGroup(b.ctx, b.name+"-secrets-endpoint-sg", &ec2.SecurityGroupArgs{
		VpcId:       s.VPCID,
		Description: pulumi.String(fmt.Sprintf("Secrets Manager endpoint of DMS migration %s: HTTPS from its replication instance", b.name)),
		Tags:        b.tags(b.name + "-secrets-endpoint-sg"),
	}, b.parent)
	if err != nil {
		return err
	}

	rule := func(kind, description string, port int, args vpc.SecurityGroupEgressRuleArgs) error {
		args.SecurityGroupId = sg.ID()
		args.IpProtocol = pulumi.String("tcp")
		args.FromPort = pulumi.Int(port)
		args.ToPort = pulumi.Int(port)
		args.Description = pulumi.String(description)
		args.Tags = b.tags(b.name + "-to-" + kind)
		_, err := vpc.NewSecurityGroupEgressRule(b.ctx, b.name+"-to-"+kind, &args, b.parent)
		return err
	}
	for _, p := range s.OnPremCIDRs {
		if err := rule("source-"+slug(p.String()), "the old database, over the VPN", s.Source.Port,
			vpc.SecurityGroupEgressRuleArgs{CidrIpv4: pulumi.String(p.String())}); err != nil {
			return err
		}
	}
	if err := rule("target", "the kit's database", s.Target.Port,
		vpc.SecurityGroupEgressRuleArgs{ReferencedSecurityGroupId: s.Target.SecurityGroupID}); err != nil {
		return err
	}
	if err := rule("secrets-endpoint", "Secrets Manager, for the endpoints' credentials", 443,
		vpc.SecurityGroupEgressRuleArgs{ReferencedSecurityGroupId: endpointSG.ID()}); err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(b.ctx, b.name+"-secrets-endpoint-from-instance",
		&vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId:           endpointSG.ID(),
			ReferencedSecurityGroupId: sg.ID(),
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(443),
			ToPort:                    pulumi.Int(443),
			Description:               pulumi.String("the DMS replication instance"),
			Tags:                      b.tags(b.name + "-secrets-endpoint-from-instance"),
		}, b.parent); err != nil {
		return err
	}
	ingress, err := vpc.NewSecurityGroupIngressRule(b.ctx, b.name+"-into-target", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           s.Target.SecurityGroupID,
		ReferencedSecurityGroupId: sg.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(s.Target.Port),
		ToPort:                    pulumi.Int(s.Target.Port),
		Description:               pulumi.String("the DMS replication instance of migration " + b.name),
		Tags:                      b.tags(b.name + "-into-target"),
	}, b.parent)
	if err != nil {
		return err
	}

	subnets := pulumi.StringArray{}
	for _, sn := range s.DataSubnets {
		subnets = append(subnets, sn.ID)
	}
	endpoint, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-secretsmanager", &ec2.VpcEndpointArgs{
		VpcId:             s.VPCID,
		ServiceName:       pulumi.Sprintf("com.amazonaws.%s.secretsmanager", s.Region),
		VpcEndpointType:   pulumi.String("Interface"),
		SubnetIds:         subnets,
		SecurityGroupIds:  pulumi.StringArray{endpointSG.ID()},
		PrivateDnsEnabled: pulumi.Bool(false),
		Tags:              b.tags(b.name + "-secretsmanager"),
	}, b.parent)
	if err != nil {
		return err
	}
	// The first DNS entry is the endpoint's regional name, which answers from every AZ it is in.
	b.net = &networking{
		instanceSG: sg,
		override: endpoint.DnsEntries.Index(pulumi.Int(0)).DnsName().Elem().ApplyT(func(dns string) string {
			return "secretsManagerEndpointOverride=" + dns
		}).(pulumi.StringOutput),
		targetIngress: ingress,
	}
	b.m.SecurityGroupID = sg.ID().ToStringOutput()
	return nil
}

// slug turns a CIDR into a name part: 192.168.0.0/16 -> 192-168-0-0-16.
func slug(cidr string) string {
	out := []byte(cidr)
	for i, c := range out {
		if c == '.' || c == '/' {
			out[i] = '-'
		}
	}
	return string(out)
}
