package awssim

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Site-to-Site VPN: customer gateways, virtual private gateways, VPN connections and their tunnel options,
// static routes and route propagation. Sources: the EC2 API reference (CreateCustomerGateway,
// CreateVpnGateway, CreateVpnConnection, VpnTunnelOptionsSpecification, CreateVpnConnectionRoute,
// EnableVgwRoutePropagation) and the Site-to-Site VPN user guide ("Customer gateway options", "Tunnel options
// for your Site-to-Site VPN connection", https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html).

func init() {
	models["aws:ec2/customerGateway:CustomerGateway"] = customerGatewayModel
	models["aws:ec2/vpnGateway:VpnGateway"] = vpnGatewayModel
	models["aws:ec2/vpnConnection:VpnConnection"] = vpnConnectionModel
	models["aws:ec2/vpnConnectionRoute:VpnConnectionRoute"] = vpnConnectionRouteModel
	models["aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"] = vpnPropagationModel
}

const (
	typeCustomerGateway = "aws:ec2/customerGateway:CustomerGateway"
	typeVPNGateway      = "aws:ec2/vpnGateway:VpnGateway"
	typeVPNConnection   = "aws:ec2/vpnConnection:VpnConnection"
)

// vpnReservedASNs are the ASNs AWS keeps, in every region ("") or in one ("Customer gateway options").
var vpnReservedASNs = map[int64]string{7224: "", 9059: "eu-west-1", 10124: "ap-northeast-1", 17943: "ap-southeast-1"}

// privateASN reports whether asn is in the private ranges CreateVpnGateway's AmazonSideAsn takes.
func privateASN(asn int64) bool {
	return asn >= 64512 && asn <= 65534 || asn >= 4200000000 && asn <= 4294967294
}

// privateIPv4 are the ranges only a private VPN over Direct Connect may use as a customer gateway address
// (CustomerGateway.IpAddress: "If OutsideIpAddressType ... is set to PrivateIpv4, you can use an RFC6598 or
// RFC1918 private IPv4 address. If OutsideIpAddressType is set to PublicIpv4, you can use a public IPv4
// address").
var privateIPv4 = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10")}

func inAny(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func customerGatewayModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if t := stringInput(r.Inputs, "type"); t != "ipsec.1" {
		return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter type is invalid. The only "+
			"supported type is ipsec.1", t)
	}
	asn, extended := stringInput(r.Inputs, "bgpAsn"), stringInput(r.Inputs, "bgpAsnExtended")
	var n int64
	switch {
	case asn != "" && extended != "":
		return "", nil, refuse("InvalidParameterCombination", "BgpAsn and BgpAsnExtended are mutually exclusive")
	case asn == "" && extended == "" && !r.Inputs.ContainsUnknowns():
		return "", nil, refuse("MissingParameter", "You must specify either BgpAsn or BgpAsnExtended when "+
			"creating the customer gateway")
	case asn != "":
		v, err := strconv.ParseInt(asn, 10, 64)
		if err != nil || v < 1 || v > 2147483647 {
			return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter BgpAsn is invalid. Valid "+
				"values: 1 to 2,147,483,647; use BgpAsnExtended above that", asn)
		}
		n = v
	case extended != "":
		v, err := strconv.ParseInt(extended, 10, 64)
		if err != nil || v < 2147483648 || v > 4294967295 {
			return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter BgpAsnExtended is invalid. "+
				"Valid values: 2,147,483,648 to 4,294,967,295", extended)
		}
		n = v
	}
	if region, reserved := vpnReservedASNs[n]; reserved && (region == "" || region == r.Region) {
		return "", nil, refuse("InvalidParameterValue", "The ASN %d is reserved by AWS in %s", n,
			firstNonEmpty(region, "every region"))
	}
	if ip := stringInput(r.Inputs, "ipAddress"); known(r.Inputs, "ipAddress") {
		a, err := netip.ParseAddr(ip)
		if err != nil || !a.Is4() || a.IsLoopback() || a.IsMulticast() || a.IsUnspecified() || a.IsLinkLocalUnicast() {
			return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter ipAddress is invalid: "+
				"the outside interface of a customer gateway needs a unicast IPv4 address", ip)
		}
	}
	id := s.physicalID("cgw", r)
	out := echo(r, map[string]any{"arn": arn("ec2", r.Region, "customer-gateway/"+id)})
	return id, out, nil
}

func vpnGatewayModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	asn := firstNonEmpty(stringInput(r.Inputs, "amazonSideAsn"), "64512")
	if n, err := strconv.ParseInt(asn, 10, 64); err != nil || !privateASN(n) {
		return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter amazonSideAsn is invalid: a "+
			"16-bit ASN must be in the 64512 to 65534 range, a 32-bit one in 4200000000 to 4294967294", asn)
	}
	if known(r.Inputs, "vpcId") {
		if _, err := s.vpcByID(r); err != nil {
			return "", nil, err
		}
	}
	id := s.physicalID("vgw", r)
	return id, echo(r, map[string]any{"arn": arn("ec2", r.Region, "vpn-gateway/"+id), "amazonSideAsn": asn}), nil
}

var (
	presharedKey     = regexp.MustCompile(`^[A-Za-z0-9._]{8,64}$`)
	transitGatewayID = regexp.MustCompile(`^tgw-[0-9a-f]{8,17}$`)
	logGroupARN      = regexp.MustCompile(`^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$`)
)

// vpnInsideReserved are the /30 blocks no tunnel may use (VpnTunnelOptionsSpecification.TunnelInsideCidr).
var vpnInsideReserved = map[string]bool{"169.254.0.0/30": true, "169.254.1.0/30": true, "169.254.2.0/30": true,
	"169.254.3.0/30": true, "169.254.4.0/30": true, "169.254.5.0/30": true, "169.254.169.252/30": true}

// tunnelEnums are the values each list or choice of tunnel options takes (VPNTunnels.html and the AWS
// provider's vpn_connection schema).
var tunnelEnums = map[string]map[string]bool{
	"IkeVersions":                {"ikev1": true, "ikev2": true},
	"Phase1EncryptionAlgorithms": {"AES128": true, "AES256": true, "AES128-GCM-16": true, "AES256-GCM-16": true},
	"Phase2EncryptionAlgorithms": {"AES128": true, "AES256": true, "AES128-GCM-16": true, "AES256-GCM-16": true},
	"Phase1IntegrityAlgorithms":  {"SHA1": true, "SHA2-256": true, "SHA2-384": true, "SHA2-512": true},
	"Phase2IntegrityAlgorithms":  {"SHA1": true, "SHA2-256": true, "SHA2-384": true, "SHA2-512": true},
	"DpdTimeoutAction":           {"clear": true, "none": true, "restart": true},
	"StartupAction":              {"add": true, "start": true},
}

// tunnelDHGroups are the Diffie-Hellman groups of each phase: phase 1 does not take group 5.
var tunnelDHGroups = map[string]map[float64]bool{
	"Phase1DhGroupNumbers": {2: true, 14: true, 15: true, 16: true, 17: true, 18: true, 19: true, 20: true, 21: true, 22: true, 23: true, 24: true},
	"Phase2DhGroupNumbers": {2: true, 5: true, 14: true, 15: true, 16: true, 17: true, 18: true, 19: true, 20: true, 21: true, 22: true, 23: true, 24: true},
}

// checkTunnel applies VpnTunnelOptionsSpecification's constraints to one tunnel's inputs (prefix tunnel1 or
// tunnel2).
func (s *Sim) checkTunnel(r *Resource, prefix string) error {
	in := r.Inputs
	bad := func(option, format string, args ...any) error {
		return refuse("InvalidParameterValue", "%s%s: "+format, append([]any{prefix, option}, args...)...)
	}
	for option, values := range tunnelEnums {
		key := prefix + option
		if option == "DpdTimeoutAction" || option == "StartupAction" {
			if v := stringInput(in, key); v != "" && !values[v] {
				return bad(option, "%q is not a valid value", v)
			}
			continue
		}
		for _, v := range stringsInput(in, key) {
			if !values[v] {
				return bad(option, "%q is not a valid value", v)
			}
		}
	}
	for option, groups := range tunnelDHGroups {
		v := lookup(in, prefix+option)
		if !v.IsArray() {
			continue
		}
		for _, g := range v.ArrayValue() {
			if g = unwrap(g); g.IsNumber() && !groups[g.NumberValue()] {
				return bad(option, "Diffie-Hellman group %v is not valid for this phase", g.NumberValue())
			}
		}
	}
	ranges := []struct {
		option   string
		min, max float64
	}{
		{"Phase1LifetimeSeconds", 900, 28800}, {"Phase2LifetimeSeconds", 900, 3600},
		{"RekeyFuzzPercentage", 0, 100}, {"ReplayWindowSize", 64, 2048}, {"DpdTimeoutSeconds", 30, 1 << 31},
	}
	for _, rg := range ranges {
		if v, ok := numberInput(in, prefix+rg.option); ok && (v < rg.min || v > rg.max) {
			return bad(rg.option, "%v is out of range (%v to %v)", v, rg.min, rg.max)
		}
	}
	phase2 := 3600.0
	if v, ok := numberInput(in, prefix+"Phase2LifetimeSeconds"); ok {
		phase2 = v
	}
	if v, ok := numberInput(in, prefix+"RekeyMarginTimeSeconds"); ok && (v < 60 || v > phase2/2) {
		return bad("RekeyMarginTimeSeconds", "%v must be between 60 and half the phase 2 lifetime (%v)", v, phase2/2)
	}
	if cidr := stringInput(in, prefix+"InsideCidr"); cidr != "" && known(in, prefix+"InsideCidr") {
		p, err := parseCIDR(cidr)
		switch {
		case err != nil || p.Bits() != 30 || !netip.MustParsePrefix("169.254.0.0/16").Contains(p.Addr()):
			return bad("InsideCidr", "%q must be a size /30 CIDR block from the 169.254.0.0/16 range", cidr)
		case vpnInsideReserved[cidr]:
			return bad("InsideCidr", "%s is reserved and cannot be used", cidr)
		}
	}
	if key := stringInput(in, prefix+"PresharedKey"); key != "" && known(in, prefix+"PresharedKey") {
		if !presharedKey.MatchString(key) || key[0] == '0' {
			return bad("PresharedKey", "allowed characters are alphanumeric characters, periods and "+
				"underscores; it must be 8 to 64 characters long and cannot start with zero")
		}
	}
	logs := prefix + "LogOptions.cloudwatchLogOptions"
	if f := stringInput(in, logs+".logOutputFormat"); f != "" && f != "json" && f != "text" {
		return bad("LogOptions", "logOutputFormat %q must be json or text", f)
	}
	if !boolInput(in, logs+".logEnabled", false) || !known(in, prefix+"LogOptions") {
		return nil // a group created in the same preview is not known yet
	}
	group := stringInput(in, logs+".logGroupArn")
	m := logGroupARN.FindStringSubmatch(group)
	switch {
	case m == nil:
		return bad("LogOptions", "logging is enabled but logGroupArn %q is not a CloudWatch Logs group ARN", group)
	case m[1] != r.Region:
		return bad("LogOptions", "log group %s is in %s: a connection in %s logs to a group of its region",
			m[3], m[1], r.Region)
	case m[2] == AccountID && s.logGroupByName(m[3], r.Region) == nil:
		return bad("LogOptions", "the log group %s does not exist", m[3])
	}
	return nil
}

func (s *Sim) logGroupByName(name, region string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == "aws:cloudwatch/logGroup:LogGroup" && r.Region == region && r.ID == name {
			return r
		}
	}
	return nil
}

func vpnConnectionModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	in := r.Inputs
	if t := stringInput(in, "type"); t != "ipsec.1" {
		return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter type is invalid. The supported "+
			"connection type is ipsec.1", t)
	}
	vgwID, tgwID := stringInput(in, "vpnGatewayId"), stringInput(in, "transitGatewayId")
	hasVGW, hasTGW := rdsHas(in, "vpnGatewayId"), rdsHas(in, "transitGatewayId")
	switch {
	case hasVGW && hasTGW:
		return "", nil, refuse("InvalidParameterCombination", "If you specify a virtual private gateway, you "+
			"cannot specify a transit gateway")
	case !hasVGW && !hasTGW && !rdsHas(in, "coreNetworkArn"):
		return "", nil, refuse("MissingParameter", "A VPN connection needs a virtual private gateway or a "+
			"transit gateway")
	}
	var vgw *Resource
	if hasVGW && known(in, "vpnGatewayId") {
		var err error
		if vgw, err = s.byIDOfType(vgwID, typeVPNGateway, "InvalidVpnGatewayID.NotFound", r.Region); err != nil {
			return "", nil, err
		}
	}
	if hasTGW && known(in, "transitGatewayId") && !transitGatewayID.MatchString(tgwID) {
		return "", nil, refuse("InvalidTransitGatewayID.Malformed", "Invalid id: %q", tgwID)
	}
	if known(in, "customerGatewayId") {
		cgw, err := s.byIDOfType(stringInput(in, "customerGatewayId"), typeCustomerGateway,
			"InvalidCustomerGatewayID.NotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
		outside := firstNonEmpty(stringInput(in, "outsideIpAddressType"), "PublicIpv4")
		if a, err := netip.ParseAddr(stringInput(cgw.Inputs, "ipAddress")); err == nil && outside == "PublicIpv4" &&
			inAny(privateIPv4, a) {
			return "", nil, refuse("InvalidCustomerGateway", "Customer gateway %s has the private address %s: a "+
				"public VPN connection (OutsideIpAddressType PublicIpv4) needs a public IPv4 address", cgw.ID, a)
		}
	}
	if st := stringInput(in, "presharedKeyStorage"); st != "" && st != "Standard" && st != "SecretsManager" {
		return "", nil, refuse("InvalidParameterValue", "PreSharedKeyStorage %q must be Standard or SecretsManager", st)
	}
	for _, prefix := range []string{"tunnel1", "tunnel2"} {
		if err := s.checkTunnel(r, prefix); err != nil {
			return "", nil, err
		}
	}
	c1, c2 := stringInput(in, "tunnel1InsideCidr"), stringInput(in, "tunnel2InsideCidr")
	if c1 != "" && c1 == c2 {
		return "", nil, refuse("InvalidParameterValue", "The tunnel inside CIDR %s is used by both tunnels", c1)
	}
	// Inside CIDRs are unique across the connections of one virtual private gateway.
	if vgw != nil {
		for _, other := range s.graph.byURN {
			if other.Type != r.Type || stringInput(other.Inputs, "vpnGatewayId") != vgw.ID {
				continue
			}
			for _, c := range []string{c1, c2} {
				if c != "" && (c == stringInput(other.Outputs, "tunnel1InsideCidr") || c == stringInput(other.Outputs, "tunnel2InsideCidr")) {
					return "", nil, refuse("InvalidParameterValue", "The tunnel inside CIDR %s is already used by "+
						"VPN connection %s of %s", c, other.ID, vgw.ID)
				}
			}
		}
	}

	id := s.physicalID("vpn", r)
	out := echo(r, map[string]any{"arn": arn("ec2", r.Region, "vpn-connection/"+id)})
	amazonASN := "64512"
	if vgw != nil {
		amazonASN = stringInput(vgw.Outputs, "amazonSideAsn")
	}
	for i, prefix := range []string{"tunnel1", "tunnel2"} {
		cidr := stringInput(in, prefix+"InsideCidr")
		if cidr == "" {
			cidr = s.insideCIDR(r.URN, i)
		}
		p := netip.MustParsePrefix(cidr)
		vgwAddr := p.Addr().Next()
		out[resource.PropertyKey(prefix+"InsideCidr")] = resource.NewProperty(cidr)
		out[resource.PropertyKey(prefix+"VgwInsideAddress")] = resource.NewProperty(vgwAddr.String())
		out[resource.PropertyKey(prefix+"CgwInsideAddress")] = resource.NewProperty(vgwAddr.Next().String())
		out[resource.PropertyKey(prefix+"Address")] = resource.NewProperty(s.tunnelAddress(r.URN, i))
		out[resource.PropertyKey(prefix+"BgpAsn")] = resource.NewProperty(amazonASN)
		out[resource.PropertyKey(prefix+"BgpHoldtime")] = resource.NewProperty(30.0)
	}
	storage := firstNonEmpty(stringInput(in, "presharedKeyStorage"), "Standard")
	out["presharedKeyStorage"] = resource.NewProperty(storage)
	if storage == "SecretsManager" {
		// AWS generates the keys and keeps them in a secret of its own naming.
		out["presharedKeyArn"] = resource.NewProperty(arn("secretsmanager", r.Region,
			"secret:vpn-psk-"+id+"-"+rdsUpper(s, r.URN+"/psk", 6)))
	}
	if hasTGW {
		out["transitGatewayAttachmentId"] = resource.NewProperty("tgw-attach-0" + s.hash(r.URN+"/attach", 16))
	}
	setDefault(out, "staticRoutesOnly", false)
	setDefault(out, "outsideIpAddressType", "PublicIpv4")
	setDefault(out, "tunnelInsideIpVersion", "ipv4")
	out["customerGatewayConfiguration"] = resource.MakeSecret(resource.NewProperty(fmt.Sprintf(
		"<vpn_connection id=%q><vpn_connection_type>ipsec.1</vpn_connection_type></vpn_connection>", id)))
	return id, out, nil
}

// insideCIDR is the /30 AWS would pick for tunnel i: a block of 169.254.0.0/16 derived from the connection,
// never a reserved one.
func (s *Sim) insideCIDR(urn string, i int) string {
	for n := 0; ; n++ {
		h, _ := strconv.ParseUint(s.hash(fmt.Sprintf("%s/inside/%d/%d", urn, i, n), 4), 16, 16)
		// 169.254.8.0 to 169.254.167.252: clear of the reserved blocks at both ends.
		cidr := fmt.Sprintf("169.254.%d.%d/30", 8+h%160, (h>>8)%64*4)
		if !vpnInsideReserved[cidr] {
			return cidr
		}
	}
}

// tunnelAddress is the public address of tunnel i's AWS endpoint.
func (s *Sim) tunnelAddress(urn string, i int) string {
	h, _ := strconv.ParseUint(s.hash(fmt.Sprintf("%s/tunnel/%d", urn, i), 6), 16, 32)
	return fmt.Sprintf("3.%d.%d.%d", 208+h%16, (h>>4)%256, 1+(h>>12)%254)
}

func vpnConnectionRouteModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	dest := stringInput(r.Inputs, "destinationCidrBlock")
	if known(r.Inputs, "destinationCidrBlock") {
		if _, err := parseCIDR(dest); err != nil {
			return "", nil, refuse("InvalidParameterValue", "Value (%s) for parameter destinationCidrBlock is "+
				"invalid: %v", dest, err)
		}
	}
	connID := stringInput(r.Inputs, "vpnConnectionId")
	if known(r.Inputs, "vpnConnectionId") {
		conn, err := s.byIDOfType(connID, typeVPNConnection, "InvalidVpnConnectionID.NotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
		// CreateVpnConnectionRoute "creates a static route associated with a VPN connection between an
		// existing virtual private gateway and a VPN customer gateway": a transit gateway's static routes go
		// on its route table.
		if !rdsHas(conn.Inputs, "vpnGatewayId") {
			return "", nil, refuse("InvalidVpnConnection.InvalidType", "VPN connection %s is not attached to a "+
				"virtual private gateway: add static routes for a transit gateway VPN to the transit gateway's "+
				"route table", connID)
		}
		for _, other := range s.graph.byURN {
			if other.Type == r.Type && stringInput(other.Inputs, "vpnConnectionId") == connID &&
				stringInput(other.Inputs, "destinationCidrBlock") == dest {
				return "", nil, refuse("RouteAlreadyExists", "The route %s of %s already exists", dest, connID)
			}
		}
	}
	return connID + ":" + dest, echo(r, nil), nil
}

func vpnPropagationModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	vgwID, tableID := stringInput(r.Inputs, "vpnGatewayId"), stringInput(r.Inputs, "routeTableId")
	if known(r.Inputs, "vpnGatewayId") && known(r.Inputs, "routeTableId") {
		vgw, err := s.byIDOfType(vgwID, typeVPNGateway, "InvalidVpnGatewayID.NotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
		table, err := s.byIDOfType(tableID, "aws:ec2/routeTable:RouteTable", "InvalidRouteTableID.NotFound", r.Region)
		if err != nil {
			return "", nil, err
		}
		// EnableVgwRoutePropagation works on a table of the VPC the gateway is attached to.
		if stringInput(vgw.Inputs, "vpcId") != stringInput(table.Inputs, "vpcId") {
			return "", nil, refuse("Gateway.NotAttached", "resource %s is not attached to the VPC of route "+
				"table %s", vgwID, tableID)
		}
		for _, other := range s.graph.byURN {
			if other.Type == r.Type && stringInput(other.Inputs, "vpnGatewayId") == vgwID &&
				stringInput(other.Inputs, "routeTableId") == tableID {
				return "", nil, refuse("RouteTablePropagationAlreadyExists", "%s already propagates to %s", vgwID, tableID)
			}
		}
	}
	return tableID + "_" + vgwID, echo(r, nil), nil
}

// vpnRoutesIntoTheVPC finds static routes to the data centre that overlap the VPC of their gateway: AWS
// accepts them, but the VPC's local route is more specific or equal and wins, so that traffic never leaves
// the VPC.
func (g *Graph) vpnRoutesIntoTheVPC() []string {
	var out []string
	for _, r := range g.byURN {
		if r.Type != "aws:ec2/vpnConnectionRoute:VpnConnectionRoute" {
			continue
		}
		conn := g.byID[stringInput(r.Inputs, "vpnConnectionId")]
		if conn == nil {
			continue
		}
		vgw := g.byID[stringInput(conn.Inputs, "vpnGatewayId")]
		if vgw == nil {
			continue
		}
		vpc := g.byID[stringInput(vgw.Inputs, "vpcId")]
		if vpc == nil {
			continue
		}
		dest, err1 := netip.ParsePrefix(stringInput(r.Inputs, "destinationCidrBlock"))
		block, err2 := netip.ParsePrefix(stringInput(vpc.Inputs, "cidrBlock"))
		if err1 == nil && err2 == nil && dest.Overlaps(block) {
			out = append(out, fmt.Sprintf("%s: VPN static route %s overlaps the VPC's %s: AWS accepts it, but "+
				"the VPC's local route wins and that traffic never reaches the data centre", r.URN, dest, block))
		}
	}
	return out
}
