package awssim

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// EC2 and VPC resources. Each model refuses what the EC2 API refuses, with its error code; checks that need
// the whole network (is this subnet really public?) run at the end, in checks.go.

func init() {
	models["aws:ec2/vpc:Vpc"] = vpcModel
	models["aws:ec2/subnet:Subnet"] = subnetModel
	models["aws:ec2/internetGateway:InternetGateway"] = internetGatewayModel
	models["aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"] = igwAttachmentModel
	models["aws:ec2/eip:Eip"] = eipModel
	models["aws:ec2/natGateway:NatGateway"] = natGatewayModel
	models["aws:ec2/routeTable:RouteTable"] = routeTableModel
	models["aws:ec2/route:Route"] = routeModel
	models["aws:ec2/routeTableAssociation:RouteTableAssociation"] = routeTableAssociationModel
	models["aws:ec2/securityGroup:SecurityGroup"] = securityGroupModel
	models["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"] = defaultSecurityGroupModel
	models["aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"] = defaultNetworkACLModel
	models["aws:ec2/securityGroupRule:SecurityGroupRule"] = securityGroupRuleModel
	models["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"] = vpcSecurityGroupRuleModel
	models["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"] = vpcSecurityGroupRuleModel
	models["aws:ec2/vpcEndpoint:VpcEndpoint"] = vpcEndpointModel
	models["aws:ec2/flowLog:FlowLog"] = flowLogModel
	models["aws:ec2/launchTemplate:LaunchTemplate"] = launchTemplateModel
	models["aws:ec2/instance:Instance"] = instanceModel
}

func vpcModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	cidr := stringInput(r.Inputs, "cidrBlock")
	if known(r.Inputs, "cidrBlock") {
		p, err := parseCIDR(cidr)
		if err != nil {
			return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter cidrBlock is invalid. "+
				"This is not a valid CIDR block.", cidr)
		}
		if p.Bits() < 16 || p.Bits() > 28 {
			return "", nil, refuse("InvalidVpc.Range", "The CIDR '%s' is invalid. A VPC's IPv4 block must be "+
				"between a /16 netmask and a /28 netmask.", cidr)
		}
	} else if cidr == "" && !known(r.Inputs, "ipv4IpamPoolId") && !r.Inputs.ContainsUnknowns() {
		return "", nil, refuse("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' must be set.")
	}
	id := s.physicalID("vpc", r)
	out := echo(r, map[string]any{
		"arn":                    arn("ec2", r.Region, "vpc/"+id),
		"ownerId":                AccountID,
		"defaultSecurityGroupId": s.physicalID("sg", &Resource{URN: r.URN + "/default-sg"}),
		"defaultRouteTableId":    s.physicalID("rtb", &Resource{URN: r.URN + "/main-rtb"}),
		"mainRouteTableId":       s.physicalID("rtb", &Resource{URN: r.URN + "/main-rtb"}),
		"defaultNetworkAclId":    s.physicalID("acl", &Resource{URN: r.URN + "/default-acl"}),
	})
	setDefault(out, "enableDnsSupport", true)
	setDefault(out, "enableDnsHostnames", false)
	setDefault(out, "instanceTenancy", "default")
	return id, out, nil
}

// vpcByID finds the VPC r's vpcId names and checks that it is in the caller's region, as a regional API does.
func (s *Sim) vpcByID(r *Resource) (*Resource, error) {
	id := stringInput(r.Inputs, "vpcId")
	v := s.graph.byID[id]
	if v == nil || v.Type != "aws:ec2/vpc:Vpc" || v.Region != r.Region {
		return nil, refuse("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist in %s", id, r.Region)
	}
	return v, nil
}

func (s *Sim) byIDOfType(id, typ, code, region string) (*Resource, error) {
	x := s.graph.byID[id]
	if x == nil || x.Type != typ || x.Region != region {
		return nil, refuse(code, "The ID '%s' does not exist in %s", id, region)
	}
	return x, nil
}

func subnetModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if !known(r.Inputs, "vpcId") {
		return s.physicalID("subnet", r), echo(r, nil), nil
	}
	vpc, err := s.vpcByID(r)
	if err != nil {
		return "", nil, err
	}
	cidr := stringInput(r.Inputs, "cidrBlock")
	p, err := parseCIDR(cidr)
	if err != nil {
		return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter cidrBlock is invalid. "+
			"This is not a valid CIDR block.", cidr)
	}
	vpcCIDR, _ := netip.ParsePrefix(stringInput(vpc.Inputs, "cidrBlock"))
	if p.Bits() < vpcCIDR.Bits() || !vpcCIDR.Contains(p.Addr()) || p.Bits() > 28 {
		return "", nil, refuse("InvalidSubnet.Range", "The CIDR '%s' is invalid: it is not within the VPC's "+
			"CIDR block %s, or is not between /16 and /28.", cidr, vpcCIDR)
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && stringInput(other.Inputs, "vpcId") == vpc.ID {
			o, _ := netip.ParsePrefix(stringInput(other.Inputs, "cidrBlock"))
			if o.Overlaps(p) {
				return "", nil, refuse("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet "+
					"(%s, %s).", cidr, other.ID, o)
			}
		}
	}
	az := stringInput(r.Inputs, "availabilityZone")
	azID := stringInput(r.Inputs, "availabilityZoneId")
	// A subnet may go in a Local Zone the account opted into, as AWS allows; the multi-AZ checks elsewhere
	// count availability zones only (Zones), so such a subnet never stands in for an AZ.
	inZone := false
	var usable []string
	for _, z := range accountZones(r.Region) {
		usable = append(usable, z.Name)
		if az == "" && azID == z.ID {
			az = z.Name
		}
		if azID == "" && az == z.Name {
			azID = z.ID
		}
		inZone = inZone || az == z.Name
	}
	switch {
	case az == "" && azID == "":
		// EC2 picks a zone when none is given.
		az, azID = Zones(r.Region)[0].Name, Zones(r.Region)[0].ID
	case !inZone:
		return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter availabilityZone is invalid. "+
			"Subnets can currently only be created in the following availability zones: %s.",
			firstNonEmpty(az, azID), strings.Join(usable, ", "))
	}
	id := s.physicalID("subnet", r)
	out := echo(r, map[string]any{
		"arn":                arn("ec2", r.Region, "subnet/"+id),
		"ownerId":            AccountID,
		"availabilityZone":   az,
		"availabilityZoneId": azID,
	})
	setDefault(out, "mapPublicIpOnLaunch", false)
	return id, out, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// igwOf returns the internet gateway attached to a VPC, or nil.
func (s *Sim) igwOf(vpcID string) *Resource {
	for _, r := range s.graph.byURN {
		switch r.Type {
		case "aws:ec2/internetGateway:InternetGateway":
			if stringInput(r.Inputs, "vpcId") == vpcID {
				return r
			}
		case "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment":
			if stringInput(r.Inputs, "vpcId") == vpcID {
				return s.graph.byID[stringInput(r.Inputs, "internetGatewayId")]
			}
		}
	}
	return nil
}

func (s *Sim) attachIGW(r *Resource, igwID string) error {
	vpc, err := s.vpcByID(r)
	if err != nil {
		return err
	}
	if other := s.igwOf(vpc.ID); other != nil {
		return refuse("Resource.AlreadyAssociated", "resource %s is already associated with internet gateway %s",
			vpc.ID, other.ID)
	}
	_ = igwID
	return nil
}

func internetGatewayModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("igw", r)
	if known(r.Inputs, "vpcId") {
		if err := s.attachIGW(r, id); err != nil {
			return "", nil, err
		}
	}
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "internet-gateway/"+id), "ownerId": AccountID}), nil
}

func igwAttachmentModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	igwID := stringInput(r.Inputs, "internetGatewayId")
	if _, err := s.byIDOfType(igwID, "aws:ec2/internetGateway:InternetGateway", "InvalidInternetGatewayID.NotFound", r.Region); err != nil {
		return "", nil, err
	}
	if err := s.attachIGW(r, igwID); err != nil {
		return "", nil, err
	}
	return igwID + ":" + stringInput(r.Inputs, "vpcId"), echo(r, nil), nil
}

func eipModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("eipalloc", r)
	b, _ := hex.DecodeString(s.hash(r.URN, 6)) // hash is hex by construction
	ip := fmt.Sprintf("52.%d.%d.%d", b[0], b[1], b[2]|1)
	out := echo(r, map[string]any{
		"allocationId": id,
		"publicIp":     ip,
		"publicDns":    publicDNS(ip, r.Region),
		"arn":          arn("ec2", r.Region, "elastic-ip/"+id),
	})
	setDefault(out, "domain", "vpc")
	return id, out, nil
}

func publicDNS(ip, region string) string {
	host := "ec2-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".compute-1.amazonaws.com"
	}
	return host + "." + region + ".compute.amazonaws.com"
}

func natGatewayModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("nat", r)
	conn := stringInput(r.Inputs, "connectivityType")
	if conn == "" {
		conn = "public"
	}
	out := echo(r, map[string]any{"connectivityType": conn, "networkInterfaceId": s.physicalID("eni", r)})
	if !known(r.Inputs, "subnetId") {
		return id, out, nil
	}
	subnet, err := s.byIDOfType(stringInput(r.Inputs, "subnetId"), "aws:ec2/subnet:Subnet", "InvalidSubnetID.NotFound", r.Region)
	if err != nil {
		return "", nil, err
	}
	vpcID := stringInput(subnet.Inputs, "vpcId")
	if p, err := netip.ParsePrefix(stringInput(subnet.Inputs, "cidrBlock")); err == nil {
		out["privateIp"] = resource.NewProperty(p.Addr().Next().Next().Next().Next().String())
	}
	if conn == "public" {
		alloc := stringInput(r.Inputs, "allocationId")
		eip := s.graph.byID[alloc]
		if eip == nil || eip.Type != "aws:ec2/eip:Eip" {
			return "", nil, refuse("InvalidAllocationID.NotFound", "The allocation ID '%s' does not exist. "+
				"A public NAT gateway needs an Elastic IP allocation.", alloc)
		}
		if s.igwOf(vpcID) == nil {
			return "", nil, refuse("Gateway.NotAttached", "Network %s has no Internet gateway attached", vpcID)
		}
		out["publicIp"] = eip.Outputs["publicIp"]
	}
	out["vpcId"] = resource.NewProperty(vpcID)
	return id, out, nil
}

func routeTableModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("rtb", r)
	if known(r.Inputs, "vpcId") {
		vpc, err := s.vpcByID(r)
		if err != nil {
			return "", nil, err
		}
		for _, route := range objectsInput(r.Inputs, "routes") {
			if err := s.checkRouteTarget(vpc.ID, id, route, r.Region); err != nil {
				return "", nil, err
			}
		}
	}
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "route-table/"+id), "ownerId": AccountID}), nil
}

// routeTargets are the inputs of a route that name where the traffic goes, with the type each must be.
var routeTargets = map[string]string{
	"gatewayId":    "aws:ec2/internetGateway:InternetGateway",
	"natGatewayId": "aws:ec2/natGateway:NatGateway",
}

// checkRouteTarget refuses a route whose target is unknown or lives in another VPC than the route table.
func (s *Sim) checkRouteTarget(vpcID, tableID string, route resource.PropertyMap, region string) error {
	for key, typ := range routeTargets {
		target := stringInput(route, key)
		if target == "" || !known(route, key) {
			continue
		}
		if key == "gatewayId" && (target == "local" || strings.HasPrefix(target, "vgw-")) {
			continue
		}
		t := s.graph.byID[target]
		if t == nil || t.Type != typ || t.Region != region {
			return refuse("InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist", target)
		}
		var targetVPC string
		if typ == "aws:ec2/natGateway:NatGateway" {
			targetVPC = stringInput(t.Outputs, "vpcId")
		} else if s.igwOf(vpcID) == t {
			targetVPC = vpcID
		}
		if targetVPC != vpcID {
			return refuse("InvalidParameterValue", "route table %s and network gateway %s belong to different "+
				"networks", tableID, target)
		}
	}
	return nil
}

func routeModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	tableID := stringInput(r.Inputs, "routeTableId")
	dest := firstNonEmpty(stringInput(r.Inputs, "destinationCidrBlock"), stringInput(r.Inputs, "destinationIpv6CidrBlock"),
		stringInput(r.Inputs, "destinationPrefixListId"))
	id := "r-" + tableID + "1080289494"
	if !known(r.Inputs, "routeTableId") {
		return id, echo(r, nil), nil
	}
	table, err := s.byIDOfType(tableID, "aws:ec2/routeTable:RouteTable", "InvalidRouteTableID.NotFound", r.Region)
	if err != nil {
		return "", nil, err
	}
	if dest == "" {
		return "", nil, refuse("MissingParameter", "The request must contain a destination CIDR block or prefix list")
	}
	if err := s.checkRouteTarget(stringInput(table.Inputs, "vpcId"), tableID, r.Inputs, r.Region); err != nil {
		return "", nil, err
	}
	for _, other := range s.routesOf(tableID) {
		if other.dest == dest {
			return "", nil, refuse("RouteAlreadyExists", "The route identified by %s already exists.", dest)
		}
	}
	return "r-" + tableID + s.hash(dest, 10), echo(r, map[string]any{"state": "active", "origin": "CreateRoute"}), nil
}

// route is one entry of a route table, wherever the program declared it.
type route struct {
	dest, gatewayID, natGatewayID string
}

// routesOf collects a table's routes, inline and separate.
func (s *Sim) routesOf(tableID string) []route {
	var out []route
	add := func(m resource.PropertyMap) {
		out = append(out, route{
			dest:         firstNonEmpty(stringInput(m, "destinationCidrBlock"), stringInput(m, "cidrBlock"), stringInput(m, "destinationPrefixListId")),
			gatewayID:    stringInput(m, "gatewayId"),
			natGatewayID: stringInput(m, "natGatewayId"),
		})
	}
	if t := s.graph.byID[tableID]; t != nil {
		for _, m := range objectsInput(t.Inputs, "routes") {
			add(m)
		}
	}
	for _, r := range s.graph.byURN {
		if r.Type == "aws:ec2/route:Route" && stringInput(r.Inputs, "routeTableId") == tableID {
			add(r.Inputs)
		}
	}
	return out
}

func routeTableAssociationModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("rtbassoc", r)
	if !known(r.Inputs, "routeTableId") || !known(r.Inputs, "subnetId") {
		return id, echo(r, nil), nil
	}
	table, err := s.byIDOfType(stringInput(r.Inputs, "routeTableId"), "aws:ec2/routeTable:RouteTable", "InvalidRouteTableID.NotFound", r.Region)
	if err != nil {
		return "", nil, err
	}
	subnetID := stringInput(r.Inputs, "subnetId")
	subnet, err := s.byIDOfType(subnetID, "aws:ec2/subnet:Subnet", "InvalidSubnetID.NotFound", r.Region)
	if err != nil {
		return "", nil, err
	}
	if stringInput(subnet.Inputs, "vpcId") != stringInput(table.Inputs, "vpcId") {
		return "", nil, refuse("InvalidParameterValue", "route table %s and subnet %s belong to different networks",
			table.ID, subnetID)
	}
	if other := s.associationOf(subnetID); other != nil {
		return "", nil, refuse("Resource.AlreadyAssociated", "the specified association for route table %s "+
			"conflicts with an existing association", stringInput(other.Inputs, "routeTableId"))
	}
	return id, echo(r, nil), nil
}

func (s *Sim) associationOf(subnetID string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == "aws:ec2/routeTableAssociation:RouteTableAssociation" && stringInput(r.Inputs, "subnetId") == subnetID {
			return r
		}
	}
	return nil
}

// checkPorts applies EC2's rules for a security group rule's protocol and port range.
func checkPorts(protocol string, from, to float64, hasFrom, hasTo bool) error {
	switch strings.ToLower(protocol) {
	case "-1", "all":
		if (hasFrom && from != 0 && from != -1) || (hasTo && to != 0 && to != -1) {
			return refuse("InvalidParameterValue", "from port (%v) and to port (%v) must both be 0 (or -1) "+
				"for protocol -1 (all traffic)", from, to)
		}
	case "tcp", "udp", "6", "17":
		if !hasFrom || !hasTo {
			return refuse("InvalidParameterValue", "Invalid TCP/UDP port range: a %s rule needs both ports", protocol)
		}
		if from < 0 || from > 65535 || to < 0 || to > 65535 || from > to {
			return refuse("InvalidParameterValue", "Invalid TCP/UDP port range (%v-%v): ports must be 0-65535 "+
				"and the from port no greater than the to port", from, to)
		}
	case "icmp", "1":
		if from < -1 || from > 255 || to < -1 || to > 255 {
			return refuse("InvalidParameterValue", "Invalid ICMP type/code (%v, %v)", from, to)
		}
	case "":
		return refuse("MissingParameter", "The request must contain the parameter ipProtocol")
	}
	return nil
}

func checkInlineRules(m resource.PropertyMap) error {
	for _, dir := range []string{"ingress", "egress"} {
		for _, rule := range objectsInput(m, dir) {
			from, hasFrom := numberInput(rule, "fromPort")
			to, hasTo := numberInput(rule, "toPort")
			if err := checkPorts(stringInput(rule, "protocol"), from, to, hasFrom, hasTo); err != nil {
				return err
			}
		}
	}
	return nil
}

func securityGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if known(r.Inputs, "vpcId") {
		if _, err := s.vpcByID(r); err != nil {
			return "", nil, err
		}
	}
	if err := checkInlineRules(r.Inputs); err != nil {
		return "", nil, err
	}
	if d := stringInput(r.Inputs, "description"); len(d) > 255 {
		return "", nil, refuse("InvalidParameterValue", "description is longer than 255 characters")
	}
	id := s.physicalID("sg", r)
	out := echo(r, map[string]any{
		"arn":     arn("ec2", r.Region, "security-group/"+id),
		"ownerId": AccountID,
		"name":    s.autoName(r, "name", 255),
	})
	setDefault(out, "description", "Managed by Pulumi")
	return id, out, nil
}

func defaultSecurityGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	vpc, err := s.vpcByID(r)
	if err != nil {
		return "", nil, err
	}
	if err := checkInlineRules(r.Inputs); err != nil {
		return "", nil, err
	}
	id := stringInput(vpc.Outputs, "defaultSecurityGroupId")
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "security-group/"+id), "name": "default",
		"ownerId": AccountID}), nil
}

func (s *Sim) checkRuleGroup(r *Resource) error {
	if !known(r.Inputs, "securityGroupId") {
		return nil
	}
	_, err := s.byIDOfType(stringInput(r.Inputs, "securityGroupId"), "aws:ec2/securityGroup:SecurityGroup", "InvalidGroup.NotFound", r.Region)
	return err
}

func securityGroupRuleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	from, hasFrom := numberInput(r.Inputs, "fromPort")
	to, hasTo := numberInput(r.Inputs, "toPort")
	if err := checkPorts(stringInput(r.Inputs, "protocol"), from, to, hasFrom, hasTo); err != nil {
		return "", nil, err
	}
	if t := stringInput(r.Inputs, "type"); t != "ingress" && t != "egress" {
		return "", nil, refuse("InvalidParameterValue", "rule type %q must be ingress or egress", t)
	}
	if err := s.checkRuleGroup(r); err != nil {
		return "", nil, err
	}
	return "sgrule-" + s.hash(r.URN, 10), echo(r, nil), nil
}

func vpcSecurityGroupRuleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	from, hasFrom := numberInput(r.Inputs, "fromPort")
	to, hasTo := numberInput(r.Inputs, "toPort")
	if err := checkPorts(stringInput(r.Inputs, "ipProtocol"), from, to, hasFrom, hasTo); err != nil {
		return "", nil, err
	}
	if err := s.checkRuleGroup(r); err != nil {
		return "", nil, err
	}
	sources := 0
	for _, k := range []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"} {
		if _, ok := r.Inputs[resource.PropertyKey(k)]; ok {
			sources++
		}
	}
	if sources != 1 {
		return "", nil, refuse("InvalidParameterCombination", "exactly one of cidrIpv4, cidrIpv6, prefixListId "+
			"or referencedSecurityGroupId must be set, got %d", sources)
	}
	id := s.physicalID("sgr", r)
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "security-group-rule/"+id),
		"securityGroupRuleId": id}), nil
}

func vpcEndpointModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("vpce", r)
	service := stringInput(r.Inputs, "serviceName")
	if known(r.Inputs, "serviceName") && !strings.HasPrefix(service, "com.amazonaws."+r.Region+".") {
		return "", nil, refuse("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist in %s",
			service, r.Region)
	}
	typ := stringInput(r.Inputs, "vpcEndpointType")
	if typ == "" {
		typ = "Gateway"
	}
	if known(r.Inputs, "vpcId") {
		vpc, err := s.vpcByID(r)
		if err != nil {
			return "", nil, err
		}
		for _, t := range stringsInput(r.Inputs, "routeTableIds") {
			table := s.graph.byID[t]
			if table == nil || stringInput(table.Inputs, "vpcId") != vpc.ID {
				return "", nil, refuse("InvalidRouteTableId.NotFound", "route table %s does not exist in %s", t, vpc.ID)
			}
		}
		if typ == "Interface" {
			if err := s.checkInterfaceEndpoint(r, vpc); err != nil {
				return "", nil, err
			}
		}
	}
	extra := map[string]any{
		"arn":             arn("ec2", r.Region, "vpc-endpoint/"+id),
		"vpcEndpointType": typ,
		"state":           "available",
		"ownerId":         AccountID,
	}
	if typ == "Gateway" {
		extra["prefixListId"] = "pl-" + s.hash(service, 8)
	} else {
		// An interface endpoint has a network interface in each subnet and regional DNS names of its own.
		var enis []any
		for _, sn := range stringsInput(r.Inputs, "subnetIds") {
			enis = append(enis, s.physicalID("eni", &Resource{URN: r.URN + "/" + sn}))
		}
		extra["networkInterfaceIds"] = enis
		svc := service[strings.LastIndex(service, ".")+1:]
		extra["dnsEntries"] = []any{map[string]any{
			"dnsName":      fmt.Sprintf("%s-%s.%s.%s.vpce.amazonaws.com", id, s.hash(r.URN, 8), svc, r.Region),
			"hostedZoneId": "Z" + strings.ToUpper(s.hash(r.Region+"vpce", 12)),
		}}
	}
	return id, echo(r, extra), nil
}

// checkInterfaceEndpoint applies CreateVpcEndpoint's rules for an interface endpoint: its subnets and security
// groups belong to the VPC, at most one subnet per AZ, no route tables, and private DNS only in a VPC with DNS
// support and DNS hostnames: "To use a private hosted zone, you must set the following VPC attributes to true:
// enableDnsHostnames and enableDnsSupport" (Amazon EC2 API Reference, CreateVpcEndpoint, PrivateDnsEnabled:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html).
func (s *Sim) checkInterfaceEndpoint(r *Resource, vpc *Resource) error {
	if len(stringsInput(r.Inputs, "routeTableIds")) > 0 {
		return refuse("InvalidParameter", "route table IDs are only supported for Gateway endpoints")
	}
	zones := map[string]string{}
	for _, id := range stringsInput(r.Inputs, "subnetIds") {
		sn := s.graph.byID[id]
		if sn == nil || sn.Type != "aws:ec2/subnet:Subnet" || stringInput(sn.Inputs, "vpcId") != vpc.ID {
			return refuse("InvalidSubnetId.NotFound", "The subnet ID '%s' does not exist in %s", id, vpc.ID)
		}
		az := stringInput(sn.Outputs, "availabilityZone")
		if other, dup := zones[az]; dup {
			return refuse("DuplicateSubnetsInSameZone", "Found another VPC endpoint subnet in the availability "+
				"zone of %s (%s, %s): an interface endpoint takes one subnet per zone", id, other, az)
		}
		zones[az] = id
	}
	for _, id := range stringsInput(r.Inputs, "securityGroupIds") {
		sg := s.graph.byID[id]
		if sg == nil || sg.Type != "aws:ec2/securityGroup:SecurityGroup" || stringInput(sg.Inputs, "vpcId") != vpc.ID {
			return refuse("InvalidSecurityGroupID.NotFound", "The security group '%s' does not exist in %s", id, vpc.ID)
		}
	}
	if boolInput(r.Inputs, "privateDnsEnabled", false) {
		on := func(attribute string) bool {
			v := vpc.Outputs[resource.PropertyKey(attribute)]
			return v.IsBool() && v.BoolValue()
		}
		if !on("enableDnsSupport") || !on("enableDnsHostnames") {
			return refuse("InvalidParameter", "Enabling private DNS requires both enableDnsSupport and "+
				"enableDnsHostnames VPC attributes set to true for %s", vpc.ID)
		}
	}
	return nil
}

var flowLogTraffic = map[string]bool{"ACCEPT": true, "REJECT": true, "ALL": true}

func flowLogModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if t := stringInput(r.Inputs, "trafficType"); t != "" && !flowLogTraffic[t] {
		return "", nil, refuse("InvalidParameterValue", "TrafficType %q must be ACCEPT, REJECT or ALL", t)
	}
	dest := stringInput(r.Inputs, "logDestinationType")
	if dest == "" || dest == "cloud-watch-logs" {
		if !known(r.Inputs, "iamRoleArn") && !r.Inputs.ContainsUnknowns() {
			return "", nil, refuse("InvalidParameter", "DeliverLogsPermissionArn is required to publish flow "+
				"logs to CloudWatch Logs")
		}
	}
	if i, ok := numberInput(r.Inputs, "maxAggregationInterval"); ok && i != 60 && i != 600 {
		return "", nil, refuse("InvalidParameterValue", "MaxAggregationInterval must be 60 or 600, got %v", i)
	}
	if known(r.Inputs, "vpcId") {
		if _, err := s.vpcByID(r); err != nil {
			return "", nil, err
		}
	}
	id := s.physicalID("fl", r)
	out := echo(r, map[string]any{"arn": arn("ec2", r.Region, "vpc-flow-log/"+id)})
	setDefault(out, "logDestinationType", "cloud-watch-logs")
	setDefault(out, "maxAggregationInterval", 600)
	return id, out, nil
}

func launchTemplateModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if err := checkHibernation(r); err != nil {
		return "", nil, err
	}
	if err := checkLaunchTemplate(r); err != nil {
		return "", nil, err
	}
	id := s.physicalID("lt", r)
	name := s.autoName(r, "name", 128)
	latest, def := launchTemplateVersions(r)
	out := echo(r, map[string]any{
		"arn":            arn("ec2", r.Region, "launch-template/"+id),
		"name":           name,
		"latestVersion":  latest,
		"defaultVersion": def,
	})
	return id, out, nil
}

func instanceModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := s.physicalID("i", r)
	out := echo(r, map[string]any{
		"arn":                       arn("ec2", r.Region, "instance/"+id),
		"instanceState":             "running",
		"privateIp":                 "10.0.0.10",
		"primaryNetworkInterfaceId": s.physicalID("eni", r),
	})
	if known(r.Inputs, "subnetId") {
		subnet, err := s.byIDOfType(stringInput(r.Inputs, "subnetId"), "aws:ec2/subnet:Subnet", "InvalidSubnetID.NotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
		out["availabilityZone"] = subnet.Outputs["availabilityZone"]
		if p, err := netip.ParsePrefix(stringInput(subnet.Inputs, "cidrBlock")); err == nil {
			out["privateIp"] = resource.NewProperty(p.Addr().Next().Next().Next().Next().Next().String())
		}
	}
	return id, out, nil
}

// defaultNetworkACLModel adopts a VPC's default network ACL, refusing what CreateNetworkAclEntry refuses: a rule
// number outside 1-32766 or used twice in one direction, an action other than allow or deny, a CIDR block that
// does not parse, a port range out of order, and subnets of another VPC.
func defaultNetworkACLModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	id := stringInput(r.Inputs, "defaultNetworkAclId")
	var vpc *Resource
	if known(r.Inputs, "defaultNetworkAclId") {
		for _, v := range s.graph.byURN {
			if v.Type == "aws:ec2/vpc:Vpc" && stringInput(v.Outputs, "defaultNetworkAclId") == id {
				vpc = v
			}
		}
		if vpc == nil || vpc.Region != r.Region {
			return "", nil, refuse("InvalidNetworkAclID.NotFound", "The network ACL ID '%s' does not exist", id)
		}
	}
	for _, dir := range []string{"ingress", "egress"} {
		seen := map[float64]bool{}
		for _, e := range objectsInput(r.Inputs, dir) {
			n, _ := numberInput(e, "ruleNo")
			if n < 1 || n > 32766 {
				return "", nil, refuse("InvalidParameterValue", "Invalid rule number %v: use 1 to 32766", n)
			}
			if seen[n] {
				return "", nil, refuse("NetworkAclEntryAlreadyExists", "The network ACL entry identified by %v "+
					"already exists (%s).", n, dir)
			}
			seen[n] = true
			if a := stringInput(e, "action"); a != "allow" && a != "deny" {
				return "", nil, refuse("InvalidParameterValue", "Invalid rule action %q: use allow or deny", a)
			}
			if c := stringInput(e, "cidrBlock"); c != "" {
				if _, err := parseCIDR(c); err != nil {
					return "", nil, refuse("InvalidParameterValue", "Invalid CIDR block %q", c)
				}
			}
			from, _ := numberInput(e, "fromPort")
			to, _ := numberInput(e, "toPort")
			if p := stringInput(e, "protocol"); (p == "tcp" || p == "udp" || p == "6" || p == "17") && from > to {
				return "", nil, refuse("InvalidParameterValue", "Invalid port range %v-%v", from, to)
			}
		}
	}
	if vpc != nil && known(r.Inputs, "subnetIds") {
		for _, sn := range stringsInput(r.Inputs, "subnetIds") {
			sub := s.graph.byID[sn]
			if sub == nil || sub.Type != "aws:ec2/subnet:Subnet" || stringInput(sub.Inputs, "vpcId") != vpc.ID {
				return "", nil, refuse("InvalidParameterValue", "Subnet %s is not in the VPC of network ACL %s", sn, id)
			}
		}
	}
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "network-acl/"+id), "ownerId": AccountID}), nil
}
