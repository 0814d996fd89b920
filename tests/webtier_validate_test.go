package tests

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/webtier"
	"github.com/migration-kit/kit/policy/rules"
)

// webtierErr builds a three-AZ network and a tier named name with edited args, and returns the error New
// gives and the graph.
func webtierErr(t *testing.T, name string, edit func(*webtier.Args, *webtierNet)) (*awssim.Graph, error) {
	t.Helper()
	var newErr error
	g, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		net, err := webtierNetwork(ctx, "net", "us-east-1", 3)
		if err != nil {
			return err
		}
		_, newErr = webtier.New(ctx, name, webtierArgs(net, "us-east-1", func(a *webtier.Args) { edit(a, net) }))
		return nil
	})
	require.NoError(t, err, "the fixture itself must be valid")
	return g, newErr
}

// webtierAssertNothingRegistered checks that a refused tier left no trace: validation runs first.
func webtierAssertNothingRegistered(t *testing.T, g *awssim.Graph) {
	t.Helper()
	for _, r := range g.Resources() {
		assert.False(t, r.Type == "kit:webtier:WebTier" || strings.HasPrefix(r.Type, "aws:lb/") ||
			strings.HasPrefix(r.Type, "aws:autoscaling/") || strings.HasPrefix(r.Type, "aws:iam/"),
			"%s registered despite invalid args", r.URN)
	}
}

func webtierInt(v int) *int { return &v }

func TestWebTierRefusesEachBadInputNamingFieldValueAndFix(t *testing.T) {
	cases := []struct {
		name string
		edit func(*webtier.Args, *webtierNet)
		want string
	}{
		{"min above max", func(a *webtier.Args, _ *webtierNet) { a.MinSize, a.MaxSize = webtierInt(5), 2 },
			"MinSize 5 is greater than MaxSize 2: raise MaxSize or lower MinSize"},
		{"desired above max", func(a *webtier.Args, _ *webtierNet) { a.DesiredCapacity = webtierInt(9) },
			"DesiredCapacity 9 is outside [MinSize 2, MaxSize 6]: pick a value in that range"},
		{"desired below min", func(a *webtier.Args, _ *webtierNet) { a.MinSize, a.DesiredCapacity = webtierInt(3), webtierInt(1) },
			"DesiredCapacity 1 is outside [MinSize 3, MaxSize 6]"},
		{"one public subnet", func(a *webtier.Args, n *webtierNet) { a.PublicSubnets, a.PrivateSubnets = n.Public[:1], n.Private[:1] },
			"PublicSubnets cover 1 AZ(s) [us-east-1a]: an Application Load Balancer needs public subnets in at least two AZs"},
		{"two public subnets in one AZ", func(a *webtier.Args, n *webtierNet) {
			a.PublicSubnets, a.PrivateSubnets = append(n.Public[:1:1], n.Public[0]), n.Private[:1]
		}, "PublicSubnets has two subnets in AZ us-east-1a: pass one subnet per AZ"},
		{"private subnets miss an AZ", func(a *webtier.Args, n *webtierNet) { a.PrivateSubnets = n.Private[:2] },
			"PrivateSubnets do not cover AZ us-east-1c of PublicSubnets: add a private subnet in us-east-1c"},
		{"private subnet outside the public AZs", func(a *webtier.Args, n *webtierNet) { a.PublicSubnets = n.Public[:2] },
			"PrivateSubnets has a subnet in AZ us-east-1c but PublicSubnets has none"},
		{"no private subnets", func(a *webtier.Args, _ *webtierNet) { a.PrivateSubnets = nil },
			"PrivateSubnets is empty"},
		{"subnets of the wrong tier", func(a *webtier.Args, n *webtierNet) { a.PublicSubnets = n.Private },
			`PublicSubnets[0] (us-east-1a, 10.0.4.0/24) has tier "private": pass the network's public subnets`},
		{"subnets of another region", func(a *webtier.Args, _ *webtierNet) { a.Region = "eu-west-1" },
			`PublicSubnets[0] is in AZ "us-east-1a", which is not an AZ of Region eu-west-1`},
		{"no region", func(a *webtier.Args, _ *webtierNet) { a.Region = "" },
			`Region "" is not an AWS region name`},
		{"no VPC", func(a *webtier.Args, _ *webtierNet) { a.VPCID = nil }, "VPCID is nil"},
		{"health check path without slash", func(a *webtier.Args, _ *webtierNet) { a.HealthCheck.Path = "health" },
			`HealthCheck.Path "health" does not start with "/": use e.g. "/health"`},
		{"health check path with shell characters", func(a *webtier.Args, _ *webtierNet) { a.HealthCheck.Path = "/$(reboot)" },
			`HealthCheck.Path "/$(reboot)" has characters outside`},
		{"app port too high", func(a *webtier.Args, _ *webtierNet) { a.AppPort = 70000 },
			"AppPort 70000 is outside 1-65535"},
		{"app port negative", func(a *webtier.Args, _ *webtierNet) { a.AppPort = -1 }, "AppPort -1 is outside 1-65535"},
		{"CPU target negative", func(a *webtier.Args, _ *webtierNet) { a.CPUTargetPercent = -5 },
			"CPUTargetPercent -5 must be greater than 0"},
		{"CPU target above 100", func(a *webtier.Args, _ *webtierNet) { a.CPUTargetPercent = 150 },
			"CPUTargetPercent 150 must be greater than 0 and at most 100"},
		{"request target negative", func(a *webtier.Args, _ *webtierNet) { a.RequestsPerTarget = -1 },
			"RequestsPerTarget -1 must be greater than 0"},
		{"malformed certificate ARN", func(a *webtier.Args, _ *webtierNet) { a.CertificateARN = "arn:aws:acm:us-east-1:123:certificate/x" },
			`CertificateARN "arn:aws:acm:us-east-1:123:certificate/x" is not an ACM certificate ARN`},
		{"certificate of another region", func(a *webtier.Args, _ *webtierNet) {
			a.CertificateARN = strings.Replace(webtierCert, "us-east-1", "eu-west-1", 1)
		}, "is in eu-west-1, but the load balancer is in us-east-1: request or import the certificate in us-east-1"},
		{"cron with four fields", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 8 * *", MinSize: webtierInt(4)}}
		}, `ScheduledActions[0].Recurrence "0 8 * *" is not a cron expression: it has 4 fields, want 5`},
		{"cron minute out of range", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "61 8 * * *", MinSize: webtierInt(4)}}
		}, `minute field "61": "61" is not a value from 0 to 59`},
		{"cron bad day name", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 8 * * MONDAY", MinSize: webtierInt(4)}}
		}, `day-of-week field "MONDAY"`},
		{"cron backwards range", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 20-8 * * *", MinSize: webtierInt(4)}}
		}, `hour field "20-8": range 20-8 runs backwards`},
		{"unknown time zone", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 8 * * *", TimeZone: "Mars/Olympus", MinSize: webtierInt(4)}}
		}, `ScheduledActions[0].TimeZone "Mars/Olympus" is not an IANA time zone`},
		{"schedule without a size", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 8 * * *"}}
		}, "ScheduledActions[0] sets no size"},
		{"schedule min above max", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "0 8 * * *", MinSize: webtierInt(9), MaxSize: webtierInt(3)}}
		}, "ScheduledActions[0].MinSize 9 is greater than its MaxSize 3"},
		{"schedule names repeat", func(a *webtier.Args, _ *webtierNet) {
			s := webtier.ScheduledAction{Name: "peak", Recurrence: "0 8 * * *", MinSize: webtierInt(4)}
			a.ScheduledActions = []webtier.ScheduledAction{s, s}
		}, `ScheduledActions[1].Name "peak" is used twice`},
		{"spot share above 100", func(a *webtier.Args, _ *webtierNet) { a.Spot = &webtier.Spot{Percentage: 120} },
			"Spot.Percentage 120 is outside 0-100"},
		{"spot share negative", func(a *webtier.Args, _ *webtierNet) { a.Spot = &webtier.Spot{Percentage: -1} },
			"Spot.Percentage -1 is outside 0-100"},
		{"spot with a warm pool", func(a *webtier.Args, _ *webtierNet) {
			a.Spot, a.WarmPool = &webtier.Spot{Percentage: 50}, &webtier.WarmPool{MinSize: 1}
		}, "WarmPool and Spot are both set"},
		{"schedule size negative", func(a *webtier.Args, _ *webtierNet) {
			a.ScheduledActions = []webtier.ScheduledAction{{Name: "night", Recurrence: "0 20 * * *", DesiredCapacity: webtierInt(-1)}}
		}, "ScheduledActions[0].DesiredCapacity -1 is negative: use 0 or more"},
		{"warm pool size negative", func(a *webtier.Args, _ *webtierNet) { a.WarmPool = &webtier.WarmPool{MinSize: -1} },
			"WarmPool.MinSize -1 is negative: use 0 or more"},
		{"warm pool prepared capacity below its size", func(a *webtier.Args, _ *webtierNet) {
			a.WarmPool = &webtier.WarmPool{MinSize: 3, MaxPreparedCapacity: 2}
		}, "WarmPool.MaxPreparedCapacity 2 is less than WarmPool.MinSize 3: raise it or use 0 for MaxSize"},
		{"health check grace negative", func(a *webtier.Args, _ *webtierNet) { a.HealthCheckGracePeriod = -30 },
			"HealthCheckGracePeriod -30 is negative: use the seconds an instance needs to boot"},
		{"spot on-demand base negative", func(a *webtier.Args, _ *webtierNet) { a.Spot = &webtier.Spot{Percentage: 50, OnDemandBase: -1} },
			"Spot.OnDemandBase -1 is negative: use 0 or more"},
		{"spot allocation strategy", func(a *webtier.Args, _ *webtierNet) {
			a.Spot = &webtier.Spot{Percentage: 50, AllocationStrategy: "cheapest"}
		}, `Spot.AllocationStrategy "cheapest" is not one of price-capacity-optimized, capacity-optimized, capacity-optimized-prioritized, lowest-price`},
		{"spot instance type", func(a *webtier.Args, _ *webtierNet) {
			a.Spot = &webtier.Spot{Percentage: 50, InstanceTypes: []string{"t3.micro", "big"}}
		}, `Spot.InstanceTypes entry "big" is not an EC2 instance type: use e.g. "`},
		{"warm pool state", func(a *webtier.Args, _ *webtierNet) { a.WarmPool = &webtier.WarmPool{State: "Frozen"} },
			`WarmPool.State "Frozen" is not Stopped, Running or Hibernated`},
		{"health check matcher", func(a *webtier.Args, _ *webtierNet) { a.HealthCheck.Matcher = "2xx" },
			`HealthCheck.Matcher "2xx" is not an HTTP code list`},
		{"health check timeout not below interval", func(a *webtier.Args, _ *webtierNet) { a.HealthCheck.Interval, a.HealthCheck.Timeout = 10, 10 },
			"HealthCheck.Timeout 10 is not less than HealthCheck.Interval 10"},
		{"healthy threshold", func(a *webtier.Args, _ *webtierNet) { a.HealthCheck.HealthyThreshold = 11 },
			"HealthCheck.HealthyThreshold 11 is outside 2-10"},
		{"deregistration delay", func(a *webtier.Args, _ *webtierNet) { a.DeregistrationDelay = 4000 },
			"DeregistrationDelay 4000 is outside 0-3600 seconds"},
		{"slow start", func(a *webtier.Args, _ *webtierNet) { a.SlowStart = 10 },
			"SlowStart 10 is outside 30-900 seconds: use 0 to turn slow start off"},
		{"TLS policy below 1.3", func(a *webtier.Args, _ *webtierNet) { a.SSLPolicy = "ELBSecurityPolicy-2016-08" },
			`SSLPolicy "ELBSecurityPolicy-2016-08" is not a TLS 1.3 ALB security policy`},
		{"ingress CIDR", func(a *webtier.Args, _ *webtierNet) { a.IngressCIDRs = []string{"10.0.0.1/8"} },
			`IngressCIDRs entry "10.0.0.1/8" is not an IPv4 CIDR block`},
		{"AMI id", func(a *webtier.Args, _ *webtierNet) { a.AMIID = "ami-123" }, `AMIID "ami-123" is not an AMI id`},
		{"instance type", func(a *webtier.Args, _ *webtierNet) { a.InstanceType = "large" },
			`InstanceType "large" is not an EC2 instance type`},
		{"root volume", func(a *webtier.Args, _ *webtierNet) { a.RootVolumeSizeGiB = 4 },
			"RootVolumeSizeGiB 4 is outside 8-16384"},
		{"reserved capacity", func(a *webtier.Args, _ *webtierNet) { a.ReservedCapacityUnits = -100 },
			"ReservedCapacityUnits -100 is negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := webtierErr(t, "web", tc.edit)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "webtier: "), err.Error())
			webtierAssertNothingRegistered(t, g)
		})
	}
}

func TestWebTierRefusesALongOrInvalidName(t *testing.T) {
	_, err := webtierErr(t, "a-very-long-web-tier-name", func(*webtier.Args, *webtierNet) {})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `name "a-very-long-web-tier-name" is 25 characters`)
	assert.Contains(t, err.Error(), "use a name of at most 20 characters")

	_, err = webtierErr(t, "web_tier", func(*webtier.Args, *webtierNet) {})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `name "web_tier" is not a valid load balancer name`)
}

func TestWebTierRefusesNilArgs(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := webtier.New(ctx, "web", nil)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "webtier: Args is nil")
}

// TestWebTierReportsEveryProblemOfTheIssueInOneError gives every bad input the issue lists at once: one error
// must name them all, and nothing may be registered.
func TestWebTierReportsEveryProblemOfTheIssueInOneError(t *testing.T) {
	g, err := webtierErr(t, "web", func(a *webtier.Args, n *webtierNet) {
		a.MinSize, a.MaxSize, a.DesiredCapacity = webtierInt(5), 2, webtierInt(9)
		a.PublicSubnets, a.PrivateSubnets = n.Public[:1], n.Private[1:2]
		a.HealthCheck.Path = "health"
		a.AppPort = 0x10000
		a.CPUTargetPercent = -1
		a.CertificateARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0b3c9d2e-1f4a-4b5c-8d6e-7f8091a2b3c4"
		a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: "every monday", TimeZone: "Nowhere/Land", MinSize: webtierInt(3)}}
		a.Spot = &webtier.Spot{Percentage: 101}
	})
	require.Error(t, err)
	for _, want := range []string{
		"MinSize 5 is greater than MaxSize 2",
		"PublicSubnets cover 1 AZ(s)",
		"PrivateSubnets do not cover AZ us-east-1a",
		`HealthCheck.Path "health" does not start with "/"`,
		"AppPort 65536 is outside 1-65535",
		"CPUTargetPercent -1 must be greater than 0",
		"is in eu-west-1, but the load balancer is in us-east-1",
		`ScheduledActions[0].Recurrence "every monday" is not a cron expression`,
		`ScheduledActions[0].TimeZone "Nowhere/Land" is not an IANA time zone`,
		"Spot.Percentage 101 is outside 0-100",
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.NotContains(t, err.Error(), "DesiredCapacity", "bounds that contradict each other are one problem, not a cascade")
	// One line per problem, each a complete sentence with the package prefix.
	for _, line := range strings.Split(err.Error(), "\n") {
		assert.True(t, strings.HasPrefix(line, "webtier: "), "line %q", line)
	}
	webtierAssertNothingRegistered(t, g)
}

func TestWebTierAcceptsValidCronExpressions(t *testing.T) {
	for _, expr := range []string{"0 8 * * *", "*/15 * * * *", "0 8-18/2 * * MON-FRI", "30 6 1,15 * *",
		"0 0 * JAN-MAR sun", "0 12 * * 0,7", "59 23 31 12 6"} {
		t.Run(expr, func(t *testing.T) {
			g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
				net, err := webtierNetwork(ctx, "net", "us-east-1", 2)
				if err != nil {
					return err
				}
				_, err = webtier.New(ctx, "web", webtierArgs(net, "us-east-1", func(a *webtier.Args) {
					a.ScheduledActions = []webtier.ScheduledAction{{Name: "peak", Recurrence: expr, DesiredCapacity: webtierInt(4)}}
				}))
				return err
			})
			assert.Len(t, g.ByType(webtierSchedule), 1)
		})
	}
}

// The web tier's TLS 1.3 allow-list and the policy pack's cannot share code; this keeps them in step from
// the side a test can see: a TLS 1.3 policy the pack accepts must not be refused by the component.
func TestWebTierAcceptsEveryTLS13PolicyThePolicyPackAccepts(t *testing.T) {
	n := 0
	for _, p := range rules.TLSPolicies {
		if !strings.HasPrefix(p, "ELBSecurityPolicy-TLS13-") {
			continue
		}
		n++
		_, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) { a.SSLPolicy = p })
		assert.NoError(t, err, p)
	}
	assert.Greater(t, n, 0)
}
