package tests

// The warm pool waits for the application (item 2 of issue 11), and the readiness path Route 53 fails over on
// depends on the database (item 6).

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/webtier"
)

func webtierUserData(t *testing.T, lt interface{ InputString(string) string }) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(lt.InputString("userData"))
	require.NoError(t, err)
	return string(raw)
}

func TestWebTierWarmPoolInstancesWaitForTheApplication(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.WarmPool = &webtier.WarmPool{MinSize: 2} })
	asg := webtierOne(t, g, webtierASG)

	// The hook exists from the group's creation, and as a resource for a group that gets a pool later.
	assert.Equal(t, "web-launching", asg.InputString("initialLifecycleHooks.0.name"))
	assert.Equal(t, "autoscaling:EC2_INSTANCE_LAUNCHING", asg.InputString("initialLifecycleHooks.0.lifecycleTransition"))
	assert.Equal(t, "ABANDON", asg.InputString("initialLifecycleHooks.0.defaultResult"),
		"an instance whose application never answers is replaced, not put in service")
	hook := webtierOne(t, g, "aws:autoscaling/lifecycleHook:LifecycleHook")
	assert.Equal(t, "web-launching", hook.InputString("name"))
	assert.Equal(t, asg.ID, hook.InputString("autoscalingGroupName"))
	assert.Equal(t, "autoscaling:EC2_INSTANCE_LAUNCHING", hook.InputString("lifecycleTransition"))

	// The user data runs on every boot and completes the hook once the health path answers.
	script := webtierUserData(t, webtierOne(t, g, webtierLT))
	assert.Contains(t, script, "Content-Type: multipart/mixed")
	assert.Contains(t, script, "cloud_final_modules:\n - [scripts-user, always]")
	assert.Contains(t, script, `curl -fsS -o /dev/null "http://127.0.0.1:8080/health"`)
	assert.Contains(t, script, "complete-lifecycle-action")
	assert.Contains(t, script, "--lifecycle-hook-name web-launching")
	assert.Less(t, strings.Index(script, "webtier.service"), strings.Index(script, "complete-lifecycle-action"),
		"the application starts before the hook is completed")

	// The instances may complete the hook of this group only.
	var policy *struct{ Statement []map[string]any }
	for _, p := range g.ByType("aws:iam/rolePolicy:RolePolicy") {
		if p.Name == "web-complete-launch" {
			require.NoError(t, json.Unmarshal([]byte(p.InputString("policy")), &policy))
		}
	}
	require.NotNil(t, policy)
	assert.Equal(t, "autoscaling:CompleteLifecycleAction", policy.Statement[0]["Action"])
	assert.Equal(t, asg.OutputString("arn"), policy.Statement[0]["Resource"])
}

func TestWebTierWithoutWarmPoolHasNoHook(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, nil)
	assert.Empty(t, g.ByType("aws:autoscaling/lifecycleHook:LifecycleHook"))
	assert.True(t, webtierOne(t, g, webtierASG).Input("initialLifecycleHooks").IsNull())
	assert.NotContains(t, webtierUserData(t, webtierOne(t, g, webtierLT)), "multipart")
}

func TestWebTierHibernatedWarmPoolChecksThePrerequisites(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.WarmPool = &webtier.WarmPool{State: "Hibernated"}
		a.InstanceType, a.RootVolumeSizeGiB = "m5.large", 16
	})
	assert.True(t, webtierOne(t, g, webtierLT).Input("hibernationOptions.configured").BoolValue())

	for _, tc := range []struct {
		name string
		edit func(*webtier.Args)
		want string
	}{
		{"root volume too small for the RAM", func(a *webtier.Args) { a.InstanceType, a.RootVolumeSizeGiB = "m5.large", 12 },
			`RootVolumeSizeGiB 12 cannot hold the 8 GiB of RAM of m5.large besides the system's 8 GiB: hibernation ` +
				`writes the RAM to the root volume; use at least 16`},
		{"too much RAM", func(a *webtier.Args) { a.InstanceType, a.RootVolumeSizeGiB = "m5.24xlarge", 500 },
			`InstanceType "m5.24xlarge" has 384 GiB of RAM: EC2 hibernates instances with less than 150 GB only`},
		{"a type without hibernation", func(a *webtier.Args) { a.InstanceType = "c1.medium" },
			`InstanceType "c1.medium" does not support hibernation`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) {
				a.WarmPool = &webtier.WarmPool{State: "Hibernated"}
				tc.edit(a)
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestWebTierWarmPoolTakesOnlyAShellScriptAsUserData(t *testing.T) {
	_, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) {
		a.WarmPool = &webtier.WarmPool{}
		a.UserData = "#cloud-config\npackages: [nginx]\n"
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "UserData must be a shell script (starting with #!) with WarmPool")
}

func TestAWSSimFlagsAWarmPoolWithoutALaunchHook(t *testing.T) {
	base := func(edit func(*autoscaling.GroupArgs)) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			b, err := webtierSimSetup(ctx)
			if err != nil {
				return err
			}
			_, err = webtierSimGroup(ctx, b, func(g *autoscaling.GroupArgs) {
				g.WarmPool = &autoscaling.GroupWarmPoolArgs{MinSize: pulumi.Int(1)}
				if edit != nil {
					edit(g)
				}
			})
			return err
		}
	}
	_, err := simulateErr(t, "us-east-1", base(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "warm pool without an autoscaling:EC2_INSTANCE_LAUNCHING lifecycle hook: AWS "+
		"accepts it, but Auto Scaling stops each pool instance as soon as it launches")

	_, err = simulateErr(t, "us-east-1", base(func(g *autoscaling.GroupArgs) {
		g.InitialLifecycleHooks = autoscaling.GroupInitialLifecycleHookArray{autoscaling.GroupInitialLifecycleHookArgs{
			Name: pulumi.String("h"), LifecycleTransition: pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING"),
			HeartbeatTimeout: pulumi.Int(10)}}
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HeartbeatTimeout 10 must be between 30 and 7200 seconds")

	simulate(t, "us-east-1", base(func(g *autoscaling.GroupArgs) {
		g.InitialLifecycleHooks = autoscaling.GroupInitialLifecycleHookArray{autoscaling.GroupInitialLifecycleHookArgs{
			Name: pulumi.String("h"), LifecycleTransition: pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING")}}
	}))
}

func TestWebTierReadinessDependsOnTheDatabaseAndIsNotTheHealthPath(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.DatabaseAddress, a.DatabasePort = pulumi.String("primary.abc123.us-east-1.rds.amazonaws.com"), 5432
	})
	script := webtierUserData(t, webtierOne(t, g, webtierLT))
	assert.Contains(t, script, `"/health/ready", "primary.abc123.us-east-1.rds.amazonaws.com", 5432`)
	assert.Contains(t, script, "socket.create_connection((DB_HOST, DB_PORT), timeout=2)")
	assert.Contains(t, script, `self.reply(503, b"database unreachable\n")`)

	_, err := webtierErr(t, "web", func(a *webtier.Args, _ *webtierNet) { a.ReadinessPath = "/health" })
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ReadinessPath "/health" is HealthCheck.Path too`)
}

func TestProdFailsOverOnTheReadinessPathWithinTheDocumentedTime(t *testing.T) {
	r, err := committedPlan("prod")
	require.NoError(t, err)
	check := r.Graph.Named("aws:route53/healthCheck:HealthCheck", "dr-primary-health")
	require.NotNil(t, check)
	assert.Equal(t, webtier.DefaultReadinessPath, check.InputString("resourcePath"))
	assert.Equal(t, 10.0, check.Input("requestInterval").NumberValue())
	assert.Equal(t, 3.0, check.Input("failureThreshold").NumberValue())
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(readme), "about 30 seconds (3 failed checks, 10 seconds apart)"),
		"the README states the failover time the thresholds give")

	// The primary's instances check the primary database, the standby's the replica.
	lt := r.Graph.Named(webtierLT, "web-lt")
	assert.Contains(t, webtierUserData(t, lt), r.Graph.Named(typeRDSInstance, "primary").OutputString("address"))
	standby := r.Graph.Named(webtierLT, "dr-web-lt")
	assert.Contains(t, webtierUserData(t, standby), r.Graph.Named(typeRDSInstance, "dr-replica").OutputString("address"))
}

func TestAWSSimFlagsFailoverOnTheLoadBalancersOwnHealthPath(t *testing.T) {
	program := func(path string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			net, err := webtierNetwork(ctx, "net", drPrimaryRegion, 2)
			if err != nil {
				return err
			}
			web, err := webtier.New(ctx, "web", webtierArgs(net, drPrimaryRegion, nil))
			if err != nil {
				return err
			}
			check, err := route53.NewHealthCheck(ctx, "primary", &route53.HealthCheckArgs{Type: pulumi.String("HTTP"),
				Fqdn: web.DNSName, ResourcePath: pulumi.String(path), FailureThreshold: pulumi.Int(3), RequestInterval: pulumi.Int(10)})
			if err != nil {
				return err
			}
			_, err = route53.NewRecord(ctx, "primary", &route53.RecordArgs{ZoneId: pulumi.String(drZoneID),
				Name: pulumi.String("app.example.com"), Type: pulumi.String("A"), SetIdentifier: pulumi.String("primary"),
				HealthCheckId: check.ID(),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}},
				Aliases: route53.RecordAliasArray{route53.RecordAliasArgs{Name: web.DNSName, ZoneId: web.ZoneID,
					EvaluateTargetHealth: pulumi.Bool(true)}}})
			return err
		}
	}
	_, err := simulateErr(t, drPrimaryRegion, program(webtier.DefaultHealthCheckPath))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PRIMARY failover record's health check")
	assert.Contains(t, err.Error(), "requests /health, the path the load balancer's target group checks")
	simulate(t, drPrimaryRegion, program(webtier.DefaultReadinessPath))
}
