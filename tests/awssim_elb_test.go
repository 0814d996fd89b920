package tests

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
)

// webtierSimBase is a working load-balanced setup built from raw resources: the refusal tests add one bad
// resource to it.
type webtierSimBase struct {
	net      *webtierNet
	public   pulumi.StringArray
	sg       *ec2.SecurityGroup
	tg       *lb.TargetGroup
	alb      *lb.LoadBalancer
	listener *lb.Listener
	lt       *ec2.LaunchTemplate
}

func webtierSimSetup(ctx *pulumi.Context) (*webtierSimBase, error) {
	region := "us-east-1"
	b := &webtierSimBase{}
	var err error
	if b.net, err = webtierNetwork(ctx, "net", region, 3); err != nil {
		return nil, err
	}
	for _, s := range b.net.Public {
		b.public = append(b.public, s.ID)
	}
	if b.sg, err = ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: b.net.VPC.ID()}); err != nil {
		return nil, err
	}
	if b.tg, err = lb.NewTargetGroup(ctx, "tg", &lb.TargetGroupArgs{
		VpcId: b.net.VPC.ID(), Port: pulumi.Int(8080), Protocol: pulumi.String("HTTP"),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{Path: pulumi.String("/health"), Interval: pulumi.Int(15), Timeout: pulumi.Int(5)},
	}); err != nil {
		return nil, err
	}
	if b.alb, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{
		Subnets: b.public, SecurityGroups: pulumi.StringArray{b.sg.ID()},
	}); err != nil {
		return nil, err
	}
	if b.listener, err = lb.NewListener(ctx, "http", &lb.ListenerArgs{
		LoadBalancerArn: b.alb.Arn, Port: pulumi.Int(80),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: b.tg.Arn}},
	}); err != nil {
		return nil, err
	}
	b.lt, err = ec2.NewLaunchTemplate(ctx, "lt", &ec2.LaunchTemplateArgs{
		ImageId: pulumi.String("ami-0123456789abcdef0"), InstanceType: pulumi.String("t3.micro"),
	})
	return b, err
}

// webtierSimRefusal runs a base setup plus add in us-east-1 and checks the run fails with want.
type webtierSimCase struct {
	name string
	add  func(ctx *pulumi.Context, b *webtierSimBase) error
	want []string // substrings of the error: the AWS code and the message
}

func webtierSimRun(t *testing.T, cases []webtierSimCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
				b, err := webtierSimSetup(ctx)
				if err != nil {
					return err
				}
				return tc.add(ctx, b)
			})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestAWSSimBaseLoadBalancerSetupIsAccepted(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := webtierSimSetup(ctx)
		return err
	})
	assert.Len(t, g.ByType("aws:lb/loadBalancer:LoadBalancer"), 1)
}

func webtierSimLB(ctx *pulumi.Context, name string, args *lb.LoadBalancerArgs, b *webtierSimBase) error {
	if args.Subnets == nil && args.SubnetMappings == nil {
		args.Subnets = b.public
	}
	_, err := lb.NewLoadBalancer(ctx, name, args)
	return err
}

func webtierSimTG(ctx *pulumi.Context, b *webtierSimBase, edit func(*lb.TargetGroupArgs)) error {
	args := &lb.TargetGroupArgs{VpcId: b.net.VPC.ID(), Port: pulumi.Int(8080), Protocol: pulumi.String("HTTP"),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{Path: pulumi.String("/")}}
	edit(args)
	_, err := lb.NewTargetGroup(ctx, "bad", args)
	return err
}

func webtierSimListener(ctx *pulumi.Context, b *webtierSimBase, args *lb.ListenerArgs) error {
	args.LoadBalancerArn = b.alb.Arn
	if args.DefaultActions == nil {
		args.DefaultActions = lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: b.tg.Arn}}
	}
	_, err := lb.NewListener(ctx, "bad", args, pulumi.DependsOn([]pulumi.Resource{b.listener}))
	return err
}

func webtierSimRedirect(protocol, port, status string) lb.ListenerDefaultActionArray {
	return lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("redirect"),
		Redirect: &lb.ListenerDefaultActionRedirectArgs{Protocol: pulumi.String(protocol), Port: pulumi.String(port), StatusCode: pulumi.String(status)}}}
}

func TestAWSSimRefusesWhatTheELBAPIRefuses(t *testing.T) {
	webtierSimRun(t, []webtierSimCase{
		{"load balancer in one subnet", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Subnets: b.public[:1]}, b)
		}, []string{"ValidationError", "At least two subnets in two different Availability Zones must be specified"}},
		{"load balancer in two subnets of one AZ", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{b.net.Public[0].ID, b.net.Private[0].ID}}, b)
		}, []string{"InvalidConfigurationRequest", "multiple subnets in the same Availability Zone"}},
		{"load balancer across two VPCs", func(ctx *pulumi.Context, b *webtierSimBase) error {
			other, err := ec2.NewVpc(ctx, "other", &ec2.VpcArgs{CidrBlock: pulumi.String("10.1.0.0/16")})
			if err != nil {
				return err
			}
			sn, err := ec2.NewSubnet(ctx, "other-b", &ec2.SubnetArgs{VpcId: other.ID(), CidrBlock: pulumi.String("10.1.0.0/24"), AvailabilityZone: pulumi.String("us-east-1b")})
			if err != nil {
				return err
			}
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{b.net.Public[0].ID, sn.ID()}}, b)
		}, []string{"InvalidConfigurationRequest", "must belong to one VPC"}},
		{"load balancer name over 32 characters", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Name: pulumi.String(strings.Repeat("a", 33))}, b)
		}, []string{"ValidationError", "cannot be longer than 32 characters"}},
		{"load balancer name with an underscore", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Name: pulumi.String("web_alb")}, b)
		}, []string{"ValidationError", "only alphanumeric characters and hyphens"}},
		{"load balancer name starting internal-", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{Name: pulumi.String("internal-web")}, b)
		}, []string{"cannot begin with 'internal-'"}},
		{"load balancer logical name too long to autoname", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimLB(ctx, "a-load-balancer-name-of-25", &lb.LoadBalancerArgs{}, b)
		}, []string{"name 'a-load-balancer-name-of-25-' plus 7 random chars is longer than maximum length 32"}},
		{"access logs to a bucket without the ELB policy", func(ctx *pulumi.Context, b *webtierSimBase) error {
			bucket, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{})
			if err != nil {
				return err
			}
			return webtierSimLB(ctx, "bad", &lb.LoadBalancerArgs{AccessLogs: &lb.LoadBalancerAccessLogsArgs{Bucket: bucket.Bucket, Enabled: pulumi.Bool(true)}}, b)
		}, []string{"InvalidConfigurationRequest", "Access Denied for bucket"}},
		{"target group port out of range", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) { a.Port = pulumi.Int(70000) })
		}, []string{"ValidationError", "Port 70000 must be between 1 and 65535"}},
		{"health check path without slash", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) {
				a.HealthCheck = &lb.TargetGroupHealthCheckArgs{Path: pulumi.String("health")}
			})
		}, []string{"ValidationError", "Health check path 'health' must begin with a '/' character"}},
		{"health check matcher", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) {
				a.HealthCheck = &lb.TargetGroupHealthCheckArgs{Matcher: pulumi.String("2xx")}
			})
		}, []string{"ValidationError", "matcher HTTP code '2xx'"}},
		{"health check interval not above timeout", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) {
				a.HealthCheck = &lb.TargetGroupHealthCheckArgs{Interval: pulumi.Int(10), Timeout: pulumi.Int(10)}
			})
		}, []string{"ValidationError", "interval (10) must be greater than the timeout (10)"}},
		{"healthy threshold above 10", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) {
				a.HealthCheck = &lb.TargetGroupHealthCheckArgs{HealthyThreshold: pulumi.Int(11)}
			})
		}, []string{"ValidationError", "Healthy threshold count 11 must be between 2 and 10"}},
		{"unhealthy threshold below 2", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) {
				a.HealthCheck = &lb.TargetGroupHealthCheckArgs{UnhealthyThreshold: pulumi.Int(1)}
			})
		}, []string{"ValidationError", "Unhealthy threshold count 1 must be between 2 and 10"}},
		{"deregistration delay above an hour", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) { a.DeregistrationDelay = pulumi.Int(3601) })
		}, []string{"ValidationError", "Deregistration delay 3601 must be between 0 and 3600"}},
		{"slow start below 30 seconds", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimTG(ctx, b, func(a *lb.TargetGroupArgs) { a.SlowStart = pulumi.Int(10) })
		}, []string{"ValidationError", "Slow start duration 10 must be 0 (off) or between 30 and 900"}},
		{"HTTPS listener without a certificate", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS")})
		}, []string{"ValidationError", "A certificate must be specified for HTTPS listeners"}},
		{"HTTPS listener with an unknown SSL policy", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
				CertificateArn: pulumi.String(webtierCert), SslPolicy: pulumi.String("ELBSecurityPolicy-TLS13-2099")})
		}, []string{"SSLPolicyNotFound", "SSL policy 'ELBSecurityPolicy-TLS13-2099' not found"}},
		{"certificate of another region", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
				CertificateArn: pulumi.String(strings.Replace(webtierCert, "us-east-1", "eu-west-1", 1))})
		}, []string{"CertificateNotFound", "it is in eu-west-1"}},
		{"redirect to itself", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(8081), DefaultActions: webtierSimRedirect("HTTP", "8081", "HTTP_301")})
		}, []string{"ValidationError", "The redirect configuration is not valid"}},
		{"redirect with a bad status code", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(8081), DefaultActions: webtierSimRedirect("HTTPS", "443", "HTTP_307")})
		}, []string{"ValidationError", "Redirect status code 'HTTP_307' must be HTTP_301 or HTTP_302"}},
		{"redirect to another protocol than HTTP(S)", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(8081), DefaultActions: webtierSimRedirect("FTP", "21", "HTTP_301")})
		}, []string{"ValidationError", "Redirect protocol 'FTP'"}},
		{"redirect to port 0", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(8081), DefaultActions: webtierSimRedirect("HTTPS", "0", "HTTP_301")})
		}, []string{"ValidationError", "Redirect port '0'"}},
		{"second listener on a port", func(ctx *pulumi.Context, b *webtierSimBase) error {
			return webtierSimListener(ctx, b, &lb.ListenerArgs{Port: pulumi.Int(80)})
		}, []string{"DuplicateListener"}},
		{"target group of another load balancer", func(ctx *pulumi.Context, b *webtierSimBase) error {
			other, err := lb.NewLoadBalancer(ctx, "other", &lb.LoadBalancerArgs{Subnets: b.public})
			if err != nil {
				return err
			}
			_, err = lb.NewListener(ctx, "bad", &lb.ListenerArgs{LoadBalancerArn: other.Arn, Port: pulumi.Int(80),
				DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: b.tg.Arn}}},
				pulumi.DependsOn([]pulumi.Resource{b.listener}))
			return err
		}, []string{"TargetGroupAssociationLimit"}},
	})
}

func TestAWSSimFlagsAnInternetFacingLoadBalancerWithoutAnInternetRoute(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		b, err := webtierSimSetup(ctx)
		if err != nil {
			return err
		}
		return webtierSimLB(ctx, "private", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{b.net.Private[0].ID, b.net.Private[1].ID}}, b)
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internet-facing load balancer is in subnets without a 0.0.0.0/0 route")
}

func TestAWSSimLoadBalancerOutputsLookLikeAWS(t *testing.T) {
	for _, tc := range []struct{ region, zone string }{
		{"us-east-1", "Z35SXDOTRQ7X7K"}, {"us-east-2", "Z3AADJGX6KTTL2"}, {"us-west-2", "Z1H1FL5HABSF5"},
		{"eu-west-1", "Z32O12XQLNTSW2"}, {"eu-central-1", "Z215JYRZR1TBD5"}, {"ap-northeast-1", "Z14GRHDCWA56QT"},
		{"ap-northeast-2", "ZWKZPGTI48KDX"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			g := simulate(t, tc.region, func(ctx *pulumi.Context) error {
				net, err := webtierNetwork(ctx, "net", tc.region, 2)
				if err != nil {
					return err
				}
				subnets := pulumi.StringArray{net.Public[0].ID, net.Public[1].ID}
				alb, err := lb.NewLoadBalancer(ctx, "web-alb", &lb.LoadBalancerArgs{Subnets: subnets})
				if err != nil {
					return err
				}
				if _, err := lb.NewLoadBalancer(ctx, "web-internal", &lb.LoadBalancerArgs{
					Subnets: pulumi.StringArray{net.Private[0].ID, net.Private[1].ID}, Internal: pulumi.Bool(true),
				}); err != nil {
					return err
				}
				tg, err := lb.NewTargetGroup(ctx, "web-tg", &lb.TargetGroupArgs{VpcId: net.VPC.ID(), Port: pulumi.Int(80), Protocol: pulumi.String("HTTP")})
				if err != nil {
					return err
				}
				_, err = lb.NewListener(ctx, "http", &lb.ListenerArgs{LoadBalancerArn: alb.Arn, Port: pulumi.Int(80),
					DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}}})
				return err
			})
			alb := g.Named("aws:lb/loadBalancer:LoadBalancer", "web-alb")
			name := alb.OutputString("name")
			assert.Regexp(t, `^web-alb-[0-9a-f]{7}$`, name)
			assert.LessOrEqual(t, len(name), 32)
			assert.Regexp(t, `^app/`+name+`/[0-9a-f]{16}$`, alb.OutputString("arnSuffix"))
			assert.Equal(t, "arn:aws:elasticloadbalancing:"+tc.region+":"+awssim.AccountID+":loadbalancer/"+alb.OutputString("arnSuffix"), alb.OutputString("arn"))
			assert.Equal(t, alb.OutputString("arn"), alb.ID)
			assert.Regexp(t, `^`+name+`-\d{10}\.`+regexp.QuoteMeta(tc.region)+`\.elb\.amazonaws\.com$`, alb.OutputString("dnsName"))
			assert.Equal(t, tc.zone, alb.OutputString("zoneId"))
			assert.Equal(t, tc.zone, awssim.ELBHostedZoneID(tc.region))

			internal := g.Named("aws:lb/loadBalancer:LoadBalancer", "web-internal")
			assert.True(t, strings.HasPrefix(internal.OutputString("dnsName"), "internal-web-internal-"), internal.OutputString("dnsName"))

			tg := g.Named("aws:lb/targetGroup:TargetGroup", "web-tg")
			assert.Regexp(t, `^targetgroup/web-tg-[0-9a-f]{7}/[0-9a-f]{16}$`, tg.OutputString("arnSuffix"))
			assert.Equal(t, "arn:aws:elasticloadbalancing:"+tc.region+":"+awssim.AccountID+":"+tg.OutputString("arnSuffix"), tg.OutputString("arn"))
			l := g.Named("aws:lb/listener:Listener", "http")
			assert.Regexp(t, `^arn:aws:elasticloadbalancing:`+tc.region+`:\d{12}:listener/`+regexp.QuoteMeta(alb.OutputString("arnSuffix"))+`/[0-9a-f]{16}$`, l.ID)
		})
	}
}

func TestAWSSimELBLogDeliveryAccountsCoverEverySupportedRegion(t *testing.T) {
	// Regions opened after August 2022 let the log-delivery service principal write instead of an account.
	newer := map[string]bool{"ap-east-2": true, "ap-south-2": true, "ap-southeast-4": true, "ap-southeast-5": true,
		"ap-southeast-6": true, "ap-southeast-7": true, "ca-west-1": true, "eu-central-2": true, "eu-south-2": true,
		"il-central-1": true, "me-central-1": true, "mx-central-1": true}
	for _, region := range awssim.Regions() {
		if newer[region] {
			assert.Empty(t, awssim.ELBLogDeliveryAccount(region), region)
		} else {
			assert.Regexp(t, `^\d{12}$`, awssim.ELBLogDeliveryAccount(region), region)
		}
		assert.Regexp(t, `^Z[0-9A-Z]+$`, awssim.ELBHostedZoneID(region), region)
	}
	assert.Equal(t, "127311923021", awssim.ELBLogDeliveryAccount("us-east-1"))
	assert.Equal(t, "156460612806", awssim.ELBLogDeliveryAccount("eu-west-1"))
}

// TestAWSSimLoadBalancerOnASecondProviderLivesInItsRegion checks the models take the region from the
// provider, not from the default.
func TestAWSSimLoadBalancerOnASecondProviderLivesInItsRegion(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "eu", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		net, err := webtierNetwork(ctx, "net", "eu-central-1", 2, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{Subnets: pulumi.StringArray{net.Public[0].ID, net.Public[1].ID}}, pulumi.Provider(p))
		return err
	})
	alb := g.Named("aws:lb/loadBalancer:LoadBalancer", "alb")
	assert.Equal(t, "eu-central-1", alb.Region)
	assert.Equal(t, "Z215JYRZR1TBD5", alb.OutputString("zoneId"))
	assert.Contains(t, alb.OutputString("dnsName"), ".eu-central-1.elb.amazonaws.com")
}
