package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/vpn"
	"github.com/migration-kit/kit/policy/rules"
)

const (
	typeCustomerGateway = "aws:ec2/customerGateway:CustomerGateway"
	typeVPNGateway      = "aws:ec2/vpnGateway:VpnGateway"
	typeVPNConnection   = "aws:ec2/vpnConnection:VpnConnection"
	typeVPNRoute        = "aws:ec2/vpnConnectionRoute:VpnConnectionRoute"
	typeVPNPropagation  = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation"
	typeLogGroup        = "aws:cloudwatch/logGroup:LogGroup"
)

func vpnTags() map[string]string {
	return map[string]string{"Project": "kit", "Environment": "dev", "ManagedBy": "pulumi"}
}

// vpnProgram builds a two-AZ network in region and connects a data centre to its private and data tables;
// edit may change the arguments, with the network at hand.
func vpnProgram(region string, edit func(*vpn.Args, *network.VPC)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{CIDR: "10.0.0.0/16", AZCount: 2,
			NATStrategy: network.NATSingle, Tags: vpnTags()})
		if err != nil {
			return err
		}
		args := &vpn.Args{
			VPCID:             vpc.VPCID,
			VPCCIDR:           vpc.CIDR,
			RouteTables:       append(vpc.RouteTablesOf(network.Private), vpc.RouteTablesOf(network.Data)...),
			Region:            region,
			CustomerGatewayIP: "198.51.100.7",
			OnPremCIDRs:       []string{"192.168.0.0/16", "172.20.0.0/16"},
			Tags:              vpnTags(),
		}
		if edit != nil {
			edit(args, vpc)
		}
		v, err := vpn.New(ctx, "datacentre", args)
		if err != nil {
			return err
		}
		ctx.Export("presharedKeySecretArn", v.PresharedKeySecretARN)
		return nil
	}
}

func vpnConnection(t *testing.T, g *awssim.Graph) *awssim.Resource {
	t.Helper()
	conns := g.ByType(typeVPNConnection)
	require.Len(t, conns, 1)
	return conns[0]
}

func vpnStrings(v resource.PropertyValue) []string {
	var out []string
	if v.IsArray() {
		for _, e := range v.ArrayValue() {
			if e.IsString() {
				out = append(out, e.StringValue())
			}
		}
	}
	return out
}

func TestVPNConnectsTheDataCentreWithTwoLoggedTunnelsWhoseKeysAWSKeepsInSecretsManager(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", nil))

	cgws := g.ByType(typeCustomerGateway)
	require.Len(t, cgws, 1)
	assert.Equal(t, "198.51.100.7", cgws[0].InputString("ipAddress"))
	assert.Equal(t, "65000", cgws[0].InputString("bgpAsn"), "a static VPN still has CreateCustomerGateway's default ASN")
	vgws := g.ByType(typeVPNGateway)
	require.Len(t, vgws, 1)
	assert.Equal(t, g.Named("aws:ec2/vpc:Vpc", "net").ID, vgws[0].InputString("vpcId"))
	assert.Equal(t, "64512", vgws[0].InputString("amazonSideAsn"))

	conn := vpnConnection(t, g)
	assert.Equal(t, cgws[0].ID, conn.InputString("customerGatewayId"))
	assert.Equal(t, vgws[0].ID, conn.InputString("vpnGatewayId"))
	assert.True(t, conn.Input("staticRoutesOnly").BoolValue())
	assert.Equal(t, "SecretsManager", conn.InputString("presharedKeyStorage"))
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:`, conn.OutputString("presharedKeyArn"))

	groups := g.ByType(typeLogGroup)
	var tunnelLogs *awssim.Resource
	for _, lg := range groups {
		if strings.HasPrefix(lg.ID, "/vpn/datacentre-") {
			tunnelLogs = lg
		}
	}
	require.NotNil(t, tunnelLogs, "the tunnels' log group")
	assert.Equal(t, float64(vpn.DefaultLogRetentionDays), tunnelLogs.Input("retentionInDays").NumberValue())

	for _, tunnel := range []string{"tunnel1", "tunnel2"} {
		assert.True(t, conn.Input(tunnel+"PresharedKey").IsNull(), "no key is ever an input: AWS makes them")
		assert.Equal(t, []string{"ikev2"}, vpnStrings(conn.Input(tunnel+"IkeVersions")))
		assert.Equal(t, vpn.EncryptionAlgorithms, vpnStrings(conn.Input(tunnel+"Phase1EncryptionAlgorithms")))
		assert.Equal(t, vpn.IntegrityAlgorithms, vpnStrings(conn.Input(tunnel+"Phase2IntegrityAlgorithms")))
		assert.Equal(t, 30.0, conn.Input(tunnel+"DpdTimeoutSeconds").NumberValue())
		assert.Equal(t, "restart", conn.InputString(tunnel+"DpdTimeoutAction"))
		assert.Equal(t, 28800.0, conn.Input(tunnel+"Phase1LifetimeSeconds").NumberValue())
		assert.Equal(t, 3600.0, conn.Input(tunnel+"Phase2LifetimeSeconds").NumberValue())
		logs := tunnel + "LogOptions.cloudwatchLogOptions"
		assert.True(t, conn.Input(logs+".logEnabled").BoolValue(), tunnel)
		assert.Equal(t, tunnelLogs.OutputString("arn"), conn.InputString(logs+".logGroupArn"), tunnel)
		assert.Equal(t, "json", conn.InputString(logs+".logOutputFormat"), tunnel)
		assert.Regexp(t, `^169\.254\.\d+\.\d+/30$`, conn.OutputString(tunnel+"InsideCidr"), "AWS picks the inside CIDRs")
	}
}

func TestVPNRoutesTheDataCentreIntoThePrivateAndDataTablesOnly(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", nil))
	tier := map[string]string{}
	for _, rt := range g.ByType(typeRouteTable) {
		tier[rt.ID] = rt.Tags()["Tier"]
	}
	props := g.ByType(typeVPNPropagation)
	require.Len(t, props, 3, "two private tables (one per AZ) and the data table")
	for _, p := range props {
		assert.Contains(t, []string{"private", "data"}, tier[p.InputString("routeTableId")])
		assert.Equal(t, g.ByType(typeVPNGateway)[0].ID, p.InputString("vpnGatewayId"))
	}
	var dests []string
	for _, r := range g.ByType(typeVPNRoute) {
		assert.Equal(t, vpnConnection(t, g).ID, r.InputString("vpnConnectionId"))
		dests = append(dests, r.InputString("destinationCidrBlock"))
	}
	assert.ElementsMatch(t, []string{"192.168.0.0/16", "172.20.0.0/16"}, dests)
	assert.NotNil(t, g.Named(typeVPNPropagation, "datacentre-private-us-east-1a"),
		"named after tier and AZ, so adding an AZ renames nothing")
}

func TestVPNWithBGPLeavesTheRoutesToBGP(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.Routing = vpn.BGP
		a.CustomerASN = 65010
	}))
	conn := vpnConnection(t, g)
	assert.False(t, conn.Input("staticRoutesOnly").BoolValue())
	assert.Empty(t, g.ByType(typeVPNRoute))
	assert.Len(t, g.ByType(typeVPNPropagation), 3)
	assert.Equal(t, "65010", g.ByType(typeCustomerGateway)[0].InputString("bgpAsn"))
}

func TestVPNOnATransitGatewayRoutesEachTableToIt(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.TransitGatewayID = "tgw-0123456789abcdef0"
	}))
	assert.Empty(t, g.ByType(typeVPNGateway))
	assert.Empty(t, g.ByType(typeVPNPropagation))
	assert.Empty(t, g.ByType(typeVPNRoute), "static routes of a transit gateway VPN go on the transit gateway's table")
	conn := vpnConnection(t, g)
	assert.Equal(t, "tgw-0123456789abcdef0", conn.InputString("transitGatewayId"))
	routes := 0
	for _, r := range g.ByType("aws:ec2/route:Route") {
		if r.InputString("transitGatewayId") == "tgw-0123456789abcdef0" {
			routes++
		}
	}
	assert.Equal(t, 3*2, routes, "each of the 3 tables gets a route per on-premises network")
}

func TestVPNTunnelAlarmsWatchEachTunnelsState(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.AlarmActions = []pulumi.StringInput{pulumi.String("arn:aws:sns:us-east-1:123456789012:elsewhere")}
	}))
	conn := vpnConnection(t, g)
	var addresses []string
	for _, a := range g.ByType(typeMetricAlarm) {
		if a.InputString("namespace") != "AWS/VPN" {
			continue
		}
		assert.Equal(t, "TunnelState", a.InputString("metricName"))
		assert.Equal(t, conn.ID, a.InputString("dimensions.VpnId"))
		addresses = append(addresses, a.InputString("dimensions.TunnelIpAddress"))
		assert.Equal(t, "LessThanThreshold", a.InputString("comparisonOperator"))
		assert.Equal(t, 1.0, a.Input("threshold").NumberValue())
		assert.Equal(t, "breaching", a.InputString("treatMissingData"))
		assert.Equal(t, []string{"arn:aws:sns:us-east-1:123456789012:elsewhere"}, vpnStrings(a.Input("alarmActions")))
		assert.Equal(t, vpnStrings(a.Input("alarmActions")), vpnStrings(a.Input("okActions")))
	}
	assert.ElementsMatch(t, []string{conn.OutputString("tunnel1Address"), conn.OutputString("tunnel2Address")}, addresses)
}

// TestVPNRunsTwiceWithTheSameInputs guards against the connection replaced on every run
// (terraform-aws-vpn-gateway #18): nothing the component sends changes between runs.
func TestVPNRunsTwiceWithTheSameInputs(t *testing.T) {
	first := vpnConnection(t, simulate(t, "us-east-1", vpnProgram("us-east-1", nil)))
	second := vpnConnection(t, simulate(t, "us-east-1", vpnProgram("us-east-1", nil)))
	assert.Equal(t, first.Inputs, second.Inputs)
}

// TestVPNInsideCIDRChangeIsAStatefulReplacement: the provider replaces a connection whose inside CIDR
// changes (hashicorp/terraform-provider-aws #45663), which gives the tunnels new addresses and keys, so the
// plan must treat it as losing something.
func TestVPNInsideCIDRChangeIsAStatefulReplacement(t *testing.T) {
	old := vpnConnection(t, simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.TunnelInsideCIDRs = []string{"169.254.10.0/30", "169.254.10.4/30"}
	})))
	changed := vpnConnection(t, simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.TunnelInsideCIDRs = []string{"169.254.10.0/30", "169.254.10.8/30"}
	})))
	assert.Equal(t, []string{"tunnel2InsideCidr"},
		awssim.Replaces(typeVPNConnection, old.Inputs, changed.Inputs, []string{"tunnel2InsideCidr"}))
	assert.Empty(t, awssim.Replaces(typeVPNConnection, old.Inputs, changed.Inputs, []string{"tunnel2DpdTimeoutSeconds"}),
		"tunnel options other than the inside CIDRs change in place")
	lost, stateful := awssim.Stateful(typeVPNConnection)
	assert.True(t, stateful)
	assert.Contains(t, lost, "data centre")
}

func TestVPNRejectsEveryBadInputBeforeRegisteringAnything(t *testing.T) {
	g, err := simulateErr(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, vpc *network.VPC) {
		a.Region = "us-west-2"
		a.CustomerGatewayIP = "10.1.2.3"
		a.OnPremCIDRs = []string{"10.0.128.0/17", "10.21.0.0/16", "192.168.0.1/16", "bogus"}
		a.PeerCIDRs = []string{"10.21.0.0/16"}
		a.RouteTables = append(a.RouteTables, vpc.RouteTablesOf(network.Public)...)
		a.CustomerASN = 3356
		a.TunnelInsideCIDRs = []string{"169.254.169.252/30", "10.0.0.0/30"}
		a.DPDTimeoutSeconds = 10
		a.Phase1LifetimeSeconds = 100
		a.StartupAction = "now"
		a.LogRetentionDays = 10
	}))
	require.Error(t, err)
	for _, want := range []string{
		`Region "us-west-2" does not match the provider`,
		`CustomerGatewayIP "10.1.2.3" is a private (RFC 1918) address`,
		`OnPremCIDRs[0] 10.0.128.0/17 overlaps the VPC's 10.0.0.0/16`,
		`OnPremCIDRs[1] 10.21.0.0/16 overlaps PeerCIDRs[0] 10.21.0.0/16`,
		`OnPremCIDRs[2] "192.168.0.1/16" has host bits set: use the network address 192.168.0.0/16`,
		`OnPremCIDRs[3] "bogus" is not an IPv4 CIDR block`,
		`RouteTables[3] is the public tier's table`,
		`CustomerASN 3356 is a public ASN`,
		`TunnelInsideCIDRs[0] "169.254.169.252/30" is reserved by AWS`,
		`TunnelInsideCIDRs[1] "10.0.0.0/30" must be a /30 block of 169.254.0.0/16`,
		`DPDTimeoutSeconds 10 is too short`,
		`Phase1LifetimeSeconds 100 is out of range`,
		`StartupAction "now"`,
		`LogRetentionDays 10`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Nil(t, g.Named("kit:vpn:VPN", "datacentre"), "nothing of the VPN is registered")
	assert.Empty(t, g.ByType(typeCustomerGateway))
}

func TestVPNRejectsEachBadInputAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*vpn.Args, *network.VPC)
		want string
	}{
		{"no region", func(a *vpn.Args, _ *network.VPC) { a.Region = "" }, "Region is empty"},
		{"no VPC", func(a *vpn.Args, _ *network.VPC) { a.VPCID = nil }, "VPCID is nil"},
		{"bad VPC CIDR", func(a *vpn.Args, _ *network.VPC) { a.VPCCIDR = "10.0.0.0" }, `VPCCIDR "10.0.0.0"`},
		{"no tables", func(a *vpn.Args, _ *network.VPC) { a.RouteTables = nil }, "RouteTables is empty"},
		{"no customer IP", func(a *vpn.Args, _ *network.VPC) { a.CustomerGatewayIP = "" }, "CustomerGatewayIP is empty"},
		{"malformed customer IP", func(a *vpn.Args, _ *network.VPC) { a.CustomerGatewayIP = "198.51.100" },
			`CustomerGatewayIP "198.51.100" is not an IPv4 address`},
		{"carrier-grade NAT IP", func(a *vpn.Args, _ *network.VPC) { a.CustomerGatewayIP = "100.64.1.1" }, "RFC 6598"},
		{"no on-prem networks", func(a *vpn.Args, _ *network.VPC) { a.OnPremCIDRs = nil }, "OnPremCIDRs is empty"},
		{"overlapping on-prem networks", func(a *vpn.Args, _ *network.VPC) {
			a.OnPremCIDRs = []string{"192.168.0.0/16", "192.168.4.0/24"}
		}, "OnPremCIDRs[1] 192.168.4.0/24 overlaps OnPremCIDRs[0] 192.168.0.0/16"},
		{"default route to the data centre", func(a *vpn.Args, _ *network.VPC) { a.OnPremCIDRs = []string{"0.0.0.0/0"} },
			"overlaps the VPC's"},
		{"unknown routing", func(a *vpn.Args, _ *network.VPC) { a.Routing = "ospf" }, `Routing "ospf"`},
		{"BGP without an ASN", func(a *vpn.Args, _ *network.VPC) { a.Routing = vpn.BGP }, "CustomerASN is unset"},
		{"ASN reserved everywhere", func(a *vpn.Args, _ *network.VPC) {
			a.CustomerASN, a.PublicASNReason = 7224, "ours"
		}, "CustomerASN 7224 is reserved by AWS in every region"},
		{"ASN out of range", func(a *vpn.Args, _ *network.VPC) { a.CustomerASN = 4294967296 }, "out of range"},
		{"public Amazon ASN", func(a *vpn.Args, _ *network.VPC) { a.AmazonASN = 7018 }, "AmazonASN 7018 is not a private ASN"},
		{"Amazon ASN with a transit gateway", func(a *vpn.Args, _ *network.VPC) {
			a.TransitGatewayID, a.AmazonASN = "tgw-0123456789abcdef0", 64600
		}, "AmazonASN 64600 is set with TransitGatewayID"},
		{"malformed transit gateway", func(a *vpn.Args, _ *network.VPC) { a.TransitGatewayID = "tgw-xyz" },
			`TransitGatewayID "tgw-xyz"`},
		{"one inside CIDR", func(a *vpn.Args, _ *network.VPC) { a.TunnelInsideCIDRs = []string{"169.254.10.0/30"} },
			"TunnelInsideCIDRs has 1 blocks"},
		{"the same inside CIDR twice", func(a *vpn.Args, _ *network.VPC) {
			a.TunnelInsideCIDRs = []string{"169.254.10.0/30", "169.254.10.0/30"}
		}, "TunnelInsideCIDRs lists 169.254.10.0/30 twice"},
		{"inside CIDR not a /30", func(a *vpn.Args, _ *network.VPC) {
			a.TunnelInsideCIDRs = []string{"169.254.10.0/29", "169.254.20.0/30"}
		}, "must be a /30 block"},
		{"phase 2 too long", func(a *vpn.Args, _ *network.VPC) { a.Phase2LifetimeSeconds = 7200 }, "Phase2LifetimeSeconds 7200"},
		{"rekey margin beyond half of phase 2", func(a *vpn.Args, _ *network.VPC) {
			a.Phase2LifetimeSeconds, a.RekeyMarginSeconds = 1000, 600
		}, "RekeyMarginSeconds 600 is out of range"},
		{"nil alarm action", func(a *vpn.Args, _ *network.VPC) { a.AlarmActions = []pulumi.StringInput{nil} },
			"AlarmActions[0] is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", vpnProgram("us-east-1", tc.edit))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestVPNTakesARegionReservedASNElsewhereWithAReason(t *testing.T) {
	// 9059 is reserved in eu-west-1 only: elsewhere it is a public ASN like any other.
	_, err := simulateErr(t, "eu-west-1", vpnProgram("eu-west-1", func(a *vpn.Args, _ *network.VPC) {
		a.CustomerASN, a.PublicASNReason = 9059, "the data centre announces it"
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CustomerASN 9059 is reserved by AWS in eu-west-1")
	simulate(t, "us-east-1", vpnProgram("us-east-1", func(a *vpn.Args, _ *network.VPC) {
		a.CustomerASN, a.PublicASNReason = 9059, "the data centre announces it"
	}))
}

func TestVPNNilArgsIsAnError(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := vpn.New(ctx, "datacentre", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "vpn: args are nil")
}

func TestVPNPassesEveryPolicy(t *testing.T) {
	g := simulate(t, "us-east-1", vpnProgram("us-east-1", nil))
	for _, stack := range []string{"dev", "prod"} {
		vs, err := rules.Evaluate(stack, g.AnalyzerResources())
		require.NoError(t, err)
		assert.Empty(t, vs, "stack %s", stack)
	}
}
