package tests

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awssimVPNBase is a VPC with a route table, a log group, a customer gateway and a virtual private gateway.
type awssimVPNBase struct {
	ctx   *pulumi.Context
	vpc   *ec2.Vpc
	table *ec2.RouteTable
	logs  *cloudwatch.LogGroup
	cgw   *ec2.CustomerGateway
	vgw   *ec2.VpnGateway
}

func newAwssimVPNBase(ctx *pulumi.Context) (*awssimVPNBase, error) {
	b := &awssimVPNBase{ctx: ctx}
	var err error
	if b.vpc, err = ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}); err != nil {
		return nil, err
	}
	if b.table, err = ec2.NewRouteTable(ctx, "rt", &ec2.RouteTableArgs{VpcId: b.vpc.ID()}); err != nil {
		return nil, err
	}
	if b.logs, err = cloudwatch.NewLogGroup(ctx, "tunnels", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(30)}); err != nil {
		return nil, err
	}
	if b.cgw, err = ec2.NewCustomerGateway(ctx, "cgw", &ec2.CustomerGatewayArgs{IpAddress: pulumi.String("198.51.100.7"),
		BgpAsn: pulumi.String("65000"), Type: pulumi.String("ipsec.1")}); err != nil {
		return nil, err
	}
	b.vgw, err = ec2.NewVpnGateway(ctx, "vgw", &ec2.VpnGatewayArgs{VpcId: b.vpc.ID()})
	return b, err
}

// connection registers a VPN connection on the base's gateways, edited.
func (b *awssimVPNBase) connection(name string, edit func(*ec2.VpnConnectionArgs)) (*ec2.VpnConnection, error) {
	args := &ec2.VpnConnectionArgs{CustomerGatewayId: b.cgw.ID(), VpnGatewayId: b.vgw.ID(), Type: pulumi.String("ipsec.1"),
		StaticRoutesOnly: pulumi.Bool(true)}
	if edit != nil {
		edit(args)
	}
	return ec2.NewVpnConnection(b.ctx, name, args)
}

func awssimVPNProgram(body func(b *awssimVPNBase) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		b, err := newAwssimVPNBase(ctx)
		if err != nil {
			return err
		}
		return body(b)
	}
}

func awssimVPNConnection(edit func(*ec2.VpnConnectionArgs)) func(b *awssimVPNBase) error {
	return func(b *awssimVPNBase) error { _, err := b.connection("vpn", edit); return err }
}

func TestAWSSimAcceptsAVPNAndAnswersLikeAWS(t *testing.T) {
	g := simulate(t, "us-east-1", awssimVPNProgram(func(b *awssimVPNBase) error {
		conn, err := b.connection("vpn", func(a *ec2.VpnConnectionArgs) {
			a.PresharedKeyStorage = pulumi.String("SecretsManager")
			a.Tunnel1LogOptions = &ec2.VpnConnectionTunnel1LogOptionsArgs{CloudwatchLogOptions: &ec2.VpnConnectionTunnel1LogOptionsCloudwatchLogOptionsArgs{
				LogEnabled: pulumi.Bool(true), LogGroupArn: b.logs.Arn}}
		})
		if err != nil {
			return err
		}
		if _, err := ec2.NewVpnConnectionRoute(b.ctx, "to-dc", &ec2.VpnConnectionRouteArgs{VpnConnectionId: conn.ID(),
			DestinationCidrBlock: pulumi.String("192.168.0.0/16")}); err != nil {
			return err
		}
		_, err = ec2.NewVpnGatewayRoutePropagation(b.ctx, "prop", &ec2.VpnGatewayRoutePropagationArgs{
			VpnGatewayId: b.vgw.ID(), RouteTableId: b.table.ID()})
		return err
	}))
	cgw := g.Named(typeCustomerGateway, "cgw")
	assert.Regexp(t, `^cgw-0[0-9a-f]{16}$`, cgw.ID)
	assert.Regexp(t, `^arn:aws:ec2:us-east-1:123456789012:customer-gateway/cgw-`, cgw.OutputString("arn"))
	vgw := g.Named(typeVPNGateway, "vgw")
	assert.Regexp(t, `^vgw-0[0-9a-f]{16}$`, vgw.ID)
	assert.Equal(t, "64512", vgw.OutputString("amazonSideAsn"), "CreateVpnGateway's default ASN")
	conn := g.Named(typeVPNConnection, "vpn")
	assert.Regexp(t, `^vpn-0[0-9a-f]{16}$`, conn.ID)
	for _, tunnel := range []string{"tunnel1", "tunnel2"} {
		cidr := conn.OutputString(tunnel + "InsideCidr")
		assert.Regexp(t, `^169\.254\.\d+\.\d+/30$`, cidr)
		assert.NotContains(t, []string{"169.254.0.0/30", "169.254.1.0/30", "169.254.169.252/30"}, cidr)
		assert.Regexp(t, `^\d+\.\d+\.\d+\.\d+$`, conn.OutputString(tunnel+"Address"))
		assert.Equal(t, "64512", conn.OutputString(tunnel+"BgpAsn"))
	}
	assert.NotEqual(t, conn.OutputString("tunnel1InsideCidr"), conn.OutputString("tunnel2InsideCidr"))
	assert.NotEqual(t, conn.OutputString("tunnel1Address"), conn.OutputString("tunnel2Address"))
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:vpn-psk-vpn-0`, conn.OutputString("presharedKeyArn"))
	assert.True(t, conn.Outputs["customerGatewayConfiguration"].IsSecret(), "the device configuration is a secret")
}

func TestAWSSimRefusesWhatTheSiteToSiteVPNAPIRefuses(t *testing.T) {
	cgw := func(name string, args *ec2.CustomerGatewayArgs) func(b *awssimVPNBase) error {
		return func(b *awssimVPNBase) error {
			if args.Type == nil {
				args.Type = pulumi.String("ipsec.1")
			}
			if args.IpAddress == nil {
				args.IpAddress = pulumi.String("198.51.100.9")
			}
			_, err := ec2.NewCustomerGateway(b.ctx, name, args)
			return err
		}
	}
	for _, tc := range []struct {
		name   string
		region string
		body   func(b *awssimVPNBase) error
		want   string
	}{
		{"customer gateway of another type", "", cgw("c", &ec2.CustomerGatewayArgs{Type: pulumi.String("ipsec.2"),
			BgpAsn: pulumi.String("65000")}), "The only supported type is ipsec.1"},
		{"customer gateway without an ASN", "", cgw("c", &ec2.CustomerGatewayArgs{}), "You must specify either BgpAsn or BgpAsnExtended"},
		{"customer gateway with both ASNs", "", cgw("c", &ec2.CustomerGatewayArgs{BgpAsn: pulumi.String("65000"),
			BgpAsnExtended: pulumi.String("4200000000")}), "mutually exclusive"},
		{"32-bit ASN in BgpAsn", "", cgw("c", &ec2.CustomerGatewayArgs{BgpAsn: pulumi.String("4200000000")}),
			"use BgpAsnExtended above that"},
		{"ASN reserved everywhere", "", cgw("c", &ec2.CustomerGatewayArgs{BgpAsn: pulumi.String("7224")}),
			"The ASN 7224 is reserved by AWS in every region"},
		{"ASN reserved in eu-west-1", "eu-west-1", cgw("c", &ec2.CustomerGatewayArgs{BgpAsn: pulumi.String("9059")}),
			"The ASN 9059 is reserved by AWS in eu-west-1"},
		{"loopback customer gateway", "", cgw("c", &ec2.CustomerGatewayArgs{BgpAsn: pulumi.String("65000"),
			IpAddress: pulumi.String("127.0.0.1")}), "needs a unicast IPv4 address"},
		{"public Amazon ASN", "", func(b *awssimVPNBase) error {
			_, err := ec2.NewVpnGateway(b.ctx, "v2", &ec2.VpnGatewayArgs{AmazonSideAsn: pulumi.String("7018")})
			return err
		}, "a 16-bit ASN must be in the 64512 to 65534 range"},
		{"connection without a gateway", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) { a.VpnGatewayId = nil }),
			"needs a virtual private gateway or a transit gateway"},
		{"connection with both gateways", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.TransitGatewayId = pulumi.String("tgw-0123456789abcdef0")
		}), "you cannot specify a transit gateway"},
		{"malformed transit gateway", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.VpnGatewayId, a.TransitGatewayId = nil, pulumi.String("tgw-nope")
		}), "InvalidTransitGatewayID.Malformed"},
		{"private customer address on a public VPN", "", func(b *awssimVPNBase) error {
			c, err := ec2.NewCustomerGateway(b.ctx, "private", &ec2.CustomerGatewayArgs{IpAddress: pulumi.String("10.8.0.1"),
				BgpAsn: pulumi.String("65000"), Type: pulumi.String("ipsec.1")})
			if err != nil {
				return err
			}
			_, err = b.connection("vpn", func(a *ec2.VpnConnectionArgs) { a.CustomerGatewayId = c.ID() })
			return err
		}, "needs a public IPv4 address"},
		{"reserved inside CIDR", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1InsideCidr = pulumi.String("169.254.5.0/30")
		}), "169.254.5.0/30 is reserved and cannot be used"},
		{"inside CIDR not a /30", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel2InsideCidr = pulumi.String("169.254.20.0/29")
		}), "must be a size /30 CIDR block from the 169.254.0.0/16 range"},
		{"inside CIDR outside link-local", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel2InsideCidr = pulumi.String("10.0.0.0/30")
		}), "169.254.0.0/16 range"},
		{"one inside CIDR for both tunnels", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1InsideCidr, a.Tunnel2InsideCidr = pulumi.String("169.254.20.0/30"), pulumi.String("169.254.20.0/30")
		}), "is used by both tunnels"},
		{"inside CIDR taken on the same gateway", "", func(b *awssimVPNBase) error {
			if _, err := b.connection("first", func(a *ec2.VpnConnectionArgs) {
				a.Tunnel1InsideCidr = pulumi.String("169.254.20.0/30")
			}); err != nil {
				return err
			}
			_, err := b.connection("second", func(a *ec2.VpnConnectionArgs) {
				a.Tunnel2InsideCidr = pulumi.String("169.254.20.0/30")
			})
			return err
		}, "is already used by VPN connection"},
		{"pre-shared key starting with zero", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1PresharedKey = pulumi.String("0secretkey")
		}), "cannot start with zero"},
		{"pre-shared key too short", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel2PresharedKey = pulumi.String("short")
		}), "8 to 64 characters"},
		{"unknown key storage", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.PresharedKeyStorage = pulumi.String("Vault")
		}), "must be Standard or SecretsManager"},
		{"phase 1 lifetime too short", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1Phase1LifetimeSeconds = pulumi.Int(600)
		}), "tunnel1Phase1LifetimeSeconds: 600 is out of range"},
		{"rekey margin beyond half of phase 2", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1Phase2LifetimeSeconds, a.Tunnel1RekeyMarginTimeSeconds = pulumi.Int(900), pulumi.Int(500)
		}), "must be between 60 and half the phase 2 lifetime"},
		{"DPD timeout too short", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel2DpdTimeoutSeconds = pulumi.Int(10)
		}), "tunnel2DpdTimeoutSeconds"},
		{"DH group 5 in phase 1", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1Phase1DhGroupNumbers = pulumi.IntArray{pulumi.Int(5)}
		}), "Diffie-Hellman group 5 is not valid for this phase"},
		{"unknown IKE version", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1IkeVersions = pulumi.StringArray{pulumi.String("ikev3")}
		}), `"ikev3" is not a valid value`},
		{"logs to a group of another region", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel1LogOptions = &ec2.VpnConnectionTunnel1LogOptionsArgs{CloudwatchLogOptions: &ec2.VpnConnectionTunnel1LogOptionsCloudwatchLogOptionsArgs{
				LogEnabled: pulumi.Bool(true), LogGroupArn: pulumi.String("arn:aws:logs:eu-west-1:123456789012:log-group:vpn")}}
		}), "log group vpn is in eu-west-1"},
		{"logs to a group that does not exist", "", awssimVPNConnection(func(a *ec2.VpnConnectionArgs) {
			a.Tunnel2LogOptions = &ec2.VpnConnectionTunnel2LogOptionsArgs{CloudwatchLogOptions: &ec2.VpnConnectionTunnel2LogOptionsCloudwatchLogOptionsArgs{
				LogEnabled: pulumi.Bool(true), LogGroupArn: pulumi.String("arn:aws:logs:us-east-1:123456789012:log-group:nowhere")}}
		}), "the log group nowhere does not exist"},
		{"static route on a transit gateway VPN", "", func(b *awssimVPNBase) error {
			conn, err := b.connection("vpn", func(a *ec2.VpnConnectionArgs) {
				a.VpnGatewayId, a.TransitGatewayId = nil, pulumi.String("tgw-0123456789abcdef0")
			})
			if err != nil {
				return err
			}
			_, err = ec2.NewVpnConnectionRoute(b.ctx, "r", &ec2.VpnConnectionRouteArgs{VpnConnectionId: conn.ID(),
				DestinationCidrBlock: pulumi.String("192.168.0.0/16")})
			return err
		}, "is not attached to a virtual private gateway"},
		{"propagation to another VPC's table", "", func(b *awssimVPNBase) error {
			other, err := ec2.NewVpc(b.ctx, "other", &ec2.VpcArgs{CidrBlock: pulumi.String("10.9.0.0/16")})
			if err != nil {
				return err
			}
			table, err := ec2.NewRouteTable(b.ctx, "other-rt", &ec2.RouteTableArgs{VpcId: other.ID()})
			if err != nil {
				return err
			}
			_, err = ec2.NewVpnGatewayRoutePropagation(b.ctx, "p", &ec2.VpnGatewayRoutePropagationArgs{
				VpnGatewayId: b.vgw.ID(), RouteTableId: table.ID()})
			return err
		}, "Gateway.NotAttached"},
		{"propagation twice", "", func(b *awssimVPNBase) error {
			for _, n := range []string{"p1", "p2"} {
				if _, err := ec2.NewVpnGatewayRoutePropagation(b.ctx, n, &ec2.VpnGatewayRoutePropagationArgs{
					VpnGatewayId: b.vgw.ID(), RouteTableId: b.table.ID()}); err != nil {
					return err
				}
			}
			return nil
		}, "already propagates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			region := tc.region
			if region == "" {
				region = "us-east-1"
			}
			_, err := simulateErr(t, region, awssimVPNProgram(tc.body))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAWSSimFlagsAVPNRouteThatOverlapsTheVPC(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", awssimVPNProgram(func(b *awssimVPNBase) error {
		conn, err := b.connection("vpn", nil)
		if err != nil {
			return err
		}
		_, err = ec2.NewVpnConnectionRoute(b.ctx, "into-vpc", &ec2.VpnConnectionRouteArgs{VpnConnectionId: conn.ID(),
			DestinationCidrBlock: pulumi.String("10.0.8.0/24")})
		return err
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "VPN static route 10.0.8.0/24 overlaps the VPC's 10.0.0.0/16")
}
