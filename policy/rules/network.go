package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// VPC-level guardrails: AWS Config's restricted-ssh, restricted-common-ports, vpc-sg-open-only-to-authorized-
// ports, vpc-default-security-group-closed, vpc-flow-logs-enabled and subnet-auto-assign-public-ip-disabled.

func networkRules() []Rule {
	return []Rule{
		{
			Name:          "no-ssh-rdp-from-anywhere",
			Controls:      []string{"EC2.19"},
			Description:   "No security group opens SSH (22) or RDP (3389) to 0.0.0.0/0 or ::/0; use SSM Session Manager instead.",
			Level:         Mandatory,
			Types:         []string{typeSecurityGroup, typeSecurityGroupRule, typeIngressRule},
			CheckResource: noAdminPortsFromAnywhere,
		},
		{
			Name:        "public-ingress-only-to-load-balancer",
			Controls:    []string{"EC2.18", "EC2.19"},
			Description: "Ingress from 0.0.0.0/0 or ::/0 is allowed only on TCP 80 or 443, and only into a security group a load balancer uses.",
			Level:       Mandatory,
			CheckStack:  publicIngressOnlyToLoadBalancer,
		},
		{
			Name:        "default-security-group-closed",
			Controls:    []string{"EC2.2"},
			Description: "Every VPC adopts its default security group (aws:ec2/defaultSecurityGroup) and leaves it without ingress or egress rules, so nothing lands in an open group by accident.",
			Level:       Mandatory,
			CheckStack:  defaultSecurityGroupClosed,
		},
		{
			Name:        "vpc-flow-logs",
			Controls:    []string{"EC2.6"},
			Description: "Every VPC has a flow log (aws:ec2/flowLog whose vpcId refers to it).",
			Level:       Mandatory,
			CheckStack:  vpcFlowLogs,
		},
		{
			Name:          "subnet-no-auto-public-ip",
			Controls:      []string{"EC2.15"},
			Description:   "Subnets do not hand out public IPs on launch (mapPublicIpOnLaunch); what needs one asks for it.",
			Level:         Advisory,
			Types:         []string{typeSubnet},
			CheckResource: subnetNoAutoPublicIP,
		},
	}
}

// ingress is one ingress permission, whatever resource type declared it.
type ingress struct {
	where    string // for messages: "ingress[2]" or "" for a rule resource
	protocol string // "tcp", "udp", "icmp", "-1"...
	from, to int
	cidrs    []string
	known    bool // ports and protocol are known
}

// world lists the CIDRs of the ingress that mean "anywhere".
func (i ingress) world() []string {
	var out []string
	for _, c := range i.cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			out = append(out, c)
		}
	}
	return out
}

func (i ingress) allProtocols() bool { return i.protocol == "-1" || i.protocol == "all" }

func (i ingress) covers(port int) bool {
	if i.allProtocols() {
		return true
	}
	if i.protocol == "icmp" || i.protocol == "1" || i.protocol == "icmpv6" || i.protocol == "58" {
		return false
	}
	return i.from <= port && port <= i.to
}

func (i ingress) ports() string {
	switch {
	case i.allProtocols():
		return "all traffic"
	case i.from == i.to:
		return fmt.Sprintf("%s %d", i.protocol, i.from)
	default:
		return fmt.Sprintf("%s %d-%d", i.protocol, i.from, i.to)
	}
}

// ingressOf lists the ingress permissions a resource declares: a security group's inline ingress blocks, an
// ingress-type aws:ec2/securityGroupRule, or an aws:vpc/securityGroupIngressRule.
func ingressOf(r policyx.AnalyzerResource) []ingress {
	port := func(m property.Map, key string) (int, bool) {
		n, _, known := num(m.Get(key))
		return int(n), known
	}
	read := func(m property.Map, where, protoKey string, cidrKeys ...string) ingress {
		in := ingress{where: where, known: true}
		p, known := str(m.Get(protoKey))
		in.protocol = strings.ToLower(p)
		in.known = in.known && known
		var k1, k2 bool
		in.from, k1 = port(m, "fromPort")
		in.to, k2 = port(m, "toPort")
		in.known = in.known && (in.allProtocols() || (k1 && k2))
		for _, key := range cidrKeys {
			v := m.Get(key)
			if v.IsString() {
				in.cidrs = append(in.cidrs, v.AsString())
				continue
			}
			s, _ := stringsOf(v)
			in.cidrs = append(in.cidrs, s...)
		}
		return in
	}
	switch r.Type {
	case typeSecurityGroup:
		var out []ingress
		for i, b := range items(r.Properties.Get("ingress")) {
			if b.IsMap() {
				out = append(out, read(b.AsMap(), fmt.Sprintf("ingress[%d] ", i), "protocol", "cidrBlocks", "ipv6CidrBlocks"))
			}
		}
		return out
	case typeSecurityGroupRule:
		if t, _ := str(r.Properties.Get("type")); t != "ingress" {
			return nil
		}
		return []ingress{read(r.Properties, "", "protocol", "cidrBlocks", "ipv6CidrBlocks")}
	case typeIngressRule:
		return []ingress{read(r.Properties, "", "ipProtocol", "cidrIpv4", "cidrIpv6")}
	}
	return nil
}

func noAdminPortsFromAnywhere(_ Env, r policyx.AnalyzerResource) []string {
	var out []string
	for _, in := range ingressOf(r) {
		world := in.world()
		if !in.known || len(world) == 0 {
			continue
		}
		for _, p := range []int{22, 3389} {
			if in.covers(p) {
				out = append(out, fmt.Sprintf("%sopens port %d (%s) to %s: remove it and use SSM Session Manager",
					in.where, p, in.ports(), strings.Join(world, ", ")))
			}
		}
	}
	return out
}

// loadBalancerGroups returns the URNs of the security groups load balancers use.
func loadBalancerGroups(rs []policyx.AnalyzerResource) map[string]bool {
	out := map[string]bool{}
	for _, lb := range ofType(rs, typeLB, typeALB) {
		for _, u := range deps(lb, "securityGroups") {
			out[u] = true
		}
	}
	return out
}

func publicIngressOnlyToLoadBalancer(_ Env, rs []policyx.AnalyzerResource) []Finding {
	lbGroups := loadBalancerGroups(rs)
	var out []Finding
	for _, r := range ofType(rs, typeSecurityGroup, typeSecurityGroupRule, typeIngressRule) {
		groups := []string{r.URN}
		if r.Type != typeSecurityGroup {
			groups = deps(r, "securityGroupId")
		}
		toLB := slices.ContainsFunc(groups, func(u string) bool { return lbGroups[u] })
		for _, in := range ingressOf(r) {
			world := in.world()
			if !in.known || len(world) == 0 {
				continue
			}
			web := (in.protocol == "tcp" || in.protocol == "6") && in.from == in.to && (in.from == 80 || in.from == 443)
			switch {
			case !web:
				out = append(out, Finding{URN: r.URN, Message: fmt.Sprintf("%sallows %s from %s: only TCP 80 and 443 "+
					"may be open to anywhere; narrow the source to a security group or a known CIDR",
					in.where, in.ports(), strings.Join(world, ", "))})
			case !toLB:
				out = append(out, Finding{URN: r.URN, Message: fmt.Sprintf("%sallows %s from %s into a security group "+
					"no load balancer uses: let the load balancer's group take public traffic and admit only that "+
					"group here", in.where, in.ports(), strings.Join(world, ", "))})
			}
		}
	}
	return out
}

func defaultSecurityGroupClosed(_ Env, rs []policyx.AnalyzerResource) []Finding {
	var out []Finding
	defaults := ofType(rs, typeDefaultSecurityGroup)
	for _, vpc := range ofType(rs, typeVPC) {
		if !slices.ContainsFunc(defaults, func(d policyx.AnalyzerResource) bool { return dependsOn(d, "vpcId", vpc.URN) }) {
			out = append(out, Finding{URN: vpc.URN, Message: "the VPC's default security group is not managed: add an " +
				"aws:ec2/defaultSecurityGroup with this VPC's id and no ingress or egress, which removes AWS's " +
				"allow-all rules"})
		}
	}
	for _, d := range defaults {
		for _, dir := range []string{"ingress", "egress"} {
			if v := d.Properties.Get(dir); !v.IsComputed() && len(items(v)) > 0 {
				out = append(out, Finding{URN: d.URN, Message: fmt.Sprintf("the default security group has %d %s "+
					"rule(s): remove them and give workloads their own groups", len(items(v)), dir)})
			}
		}
	}
	return out
}

func vpcFlowLogs(_ Env, rs []policyx.AnalyzerResource) []Finding {
	var out []Finding
	logs := ofType(rs, typeFlowLog)
	for _, vpc := range ofType(rs, typeVPC) {
		if !slices.ContainsFunc(logs, func(l policyx.AnalyzerResource) bool { return dependsOn(l, "vpcId", vpc.URN) }) {
			out = append(out, Finding{URN: vpc.URN, Message: "no aws:ec2/flowLog refers to this VPC: add one " +
				"(trafficType ALL) to a CloudWatch log group or S3 bucket"})
		}
	}
	return out
}

func subnetNoAutoPublicIP(_ Env, r policyx.AnalyzerResource) []string {
	if isTrue(prop(r, "mapPublicIpOnLaunch")) {
		return []string{"mapPublicIpOnLaunch is true: set it to false; load balancers and NAT gateways do not need it"}
	}
	return nil
}
