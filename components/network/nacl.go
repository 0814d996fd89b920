package network

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The VPC's default network ACL, taken over. AWS creates it allowing all traffic in and out, which Security
// Hub EC2.21 fails: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389" (AWS
// Config nacl-no-unrestricted-ssh-rdp: NON_COMPLIANT "if a NACL inbound entry allows a source TCP or UDP CIDR
// block for ports 22 or 3389", whatever the entries' order). So the inbound entries from anywhere allow TCP
// and UDP on every port but those two, ICMP, and everything from inside the VPC; outbound stays open, as
// security groups do the filtering. Network ACLs are stateless: a reply through a NAT gateway whose source
// port happens to be 22 or 3389 is dropped too, a rare lost connection that the client's retry, on another
// port, recovers. Nothing in the kit listens on 22 or 3389 (operators use Session Manager).

// naclOpenRanges are the TCP and UDP port ranges open to the internet at the network ACL.
var naclOpenRanges = [][2]int{{0, 21}, {23, 3388}, {3390, 65535}}

func (b *builder) buildNetworkACL() error {
	var ingress ec2.DefaultNetworkAclIngressArray
	rule := 100
	entry := func(protocol, cidr string, from, to int) {
		ingress = append(ingress, ec2.DefaultNetworkAclIngressArgs{
			Protocol: pulumi.String(protocol), RuleNo: pulumi.Int(rule), Action: pulumi.String("allow"),
			CidrBlock: pulumi.String(cidr), FromPort: pulumi.Int(from), ToPort: pulumi.Int(to),
		})
		rule += 10
	}
	for _, protocol := range []string{"tcp", "udp"} {
		for _, r := range naclOpenRanges {
			entry(protocol, "0.0.0.0/0", r[0], r[1])
		}
	}
	entry("icmp", "0.0.0.0/0", 0, 0)
	entry("-1", b.c.vpc.String(), 0, 0)
	subnets := pulumi.StringArray{}
	for _, tier := range []Tier{Public, Private, Data} {
		for _, s := range b.subnets[tier] {
			subnets = append(subnets, s.ID())
		}
	}
	_, err := ec2.NewDefaultNetworkAcl(b.ctx, b.name+"-default-acl", &ec2.DefaultNetworkAclArgs{
		DefaultNetworkAclId: b.vpc.DefaultNetworkAclId,
		Ingress:             ingress,
		Egress: ec2.DefaultNetworkAclEgressArray{ec2.DefaultNetworkAclEgressArgs{
			Protocol: pulumi.String("-1"), RuleNo: pulumi.Int(100), Action: pulumi.String("allow"),
			CidrBlock: pulumi.String("0.0.0.0/0"), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
		}},
		// Every subnet stays on the default ACL; naming them keeps the provider from planning to detach them.
		SubnetIds: subnets,
		Tags:      b.tags(b.name + "-default-acl"),
	}, b.parent)
	return err
}
