package tests

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/components/webtier"
	"github.com/migration-kit/kit/policy/rules"
)

const (
	webtierSGIngress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	webtierSGEgress  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	webtierLB        = "aws:lb/loadBalancer:LoadBalancer"
	webtierTG        = "aws:lb/targetGroup:TargetGroup"
	webtierListener  = "aws:lb/listener:Listener"
	webtierLT        = "aws:ec2/launchTemplate:LaunchTemplate"
	webtierASG       = "aws:autoscaling/group:Group"
	webtierPolicy    = "aws:autoscaling/policy:Policy"
	webtierSchedule  = "aws:autoscaling/schedule:Schedule"
)

func webtierNumber(t *testing.T, r *awssim.Resource, path string) float64 {
	t.Helper()
	v := r.Input(path)
	require.True(t, v.IsNumber(), "%s %s is %v, not a number", r.Name, path, v)
	return v.NumberValue()
}

func TestWebTierRegistersEverythingUnderTheComponent(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 3, nil)
	comp := webtierOne(t, g, "kit:webtier:WebTier")
	below := map[string]bool{}
	for _, r := range g.Descendants(comp.URN) {
		below[r.URN] = true
	}
	counts := map[string]int{}
	for _, r := range g.Resources() {
		if strings.HasPrefix(r.Type, "aws:lb/") || strings.HasPrefix(r.Type, "aws:autoscaling/") ||
			r.Type == webtierLT || strings.HasPrefix(r.Type, "aws:iam/") || strings.HasPrefix(r.Type, "aws:vpc/") {
			assert.True(t, below[r.URN], "%s is not a child of the component", r.URN)
			counts[r.Type]++
		}
	}
	assert.Equal(t, map[string]int{
		webtierLB: 1, webtierTG: 1, webtierListener: 1, webtierLT: 1, webtierASG: 1, webtierPolicy: 2,
		"aws:iam/role:Role": 1, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
		"aws:iam/instanceProfile:InstanceProfile": 1,
		// 80 and 443 from anywhere, app port from the ALB, ALB to instances, instances out.
		webtierSGIngress: 3, webtierSGEgress: 2,
	}, counts)
}

func TestWebTierInstancesAcceptOnlyTheLoadBalancer(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 2, nil)
	instanceSG, albSG := outs.get("instanceSG"), outs.get("albSG")
	require.NotEmpty(t, instanceSG)
	var toInstances []*awssim.Resource
	for _, r := range g.ByType(webtierSGIngress) {
		if r.InputString("securityGroupId") == instanceSG {
			toInstances = append(toInstances, r)
		}
	}
	require.Len(t, toInstances, 1)
	rule := toInstances[0]
	assert.Equal(t, albSG, rule.InputString("referencedSecurityGroupId"))
	assert.Empty(t, rule.InputString("cidrIpv4"), "instances must not accept any CIDR")
	assert.Equal(t, "tcp", rule.InputString("ipProtocol"))
	assert.Equal(t, float64(webtier.DefaultAppPort), webtierNumber(t, rule, "fromPort"))
	assert.Equal(t, float64(webtier.DefaultAppPort), webtierNumber(t, rule, "toPort"))

	for _, typ := range []string{webtierSGIngress, "aws:ec2/securityGroupRule:SecurityGroupRule"} {
		for _, r := range g.ByType(typ) {
			from, to := r.Input("fromPort"), r.Input("toPort")
			if from.IsNumber() && to.IsNumber() {
				assert.False(t, from.NumberValue() <= 22 && 22 <= to.NumberValue(), "%s opens port 22", r.Name)
			}
		}
	}
	for _, r := range g.ByType("aws:ec2/securityGroup:SecurityGroup") {
		assert.True(t, r.Input("ingress").IsNull(), "%s has inline ingress rules", r.Name)
	}
	// The load balancer may only reach the instances, on the app port.
	for _, r := range g.ByType(webtierSGEgress) {
		if r.InputString("securityGroupId") == albSG {
			assert.Equal(t, instanceSG, r.InputString("referencedSecurityGroupId"))
			assert.Equal(t, float64(webtier.DefaultAppPort), webtierNumber(t, r, "fromPort"))
		}
	}
	// Session Manager instead of SSH.
	att := webtierOne(t, g, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", att.InputString("policyArn"))
	assert.Equal(t, outs.get("role"), att.InputString("role"))
	assert.True(t, webtierOne(t, g, webtierLT).Input("keyName").IsNull(), "no SSH key pair")
}

func TestWebTierLoadBalancerAcceptsHTTPAndHTTPSFromTheConfiguredCIDRs(t *testing.T) {
	cidrs := []string{"203.0.113.0/24", "198.51.100.0/24"}
	g, outs, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.IngressCIDRs = cidrs })
	got := map[string]bool{}
	for _, r := range g.ByType(webtierSGIngress) {
		if r.InputString("securityGroupId") == outs.get("albSG") {
			got[r.InputString("cidrIpv4")+":"+r.Input("fromPort").String()] = true
		}
	}
	assert.Equal(t, map[string]bool{
		"203.0.113.0/24:{80}": true, "203.0.113.0/24:{443}": true,
		"198.51.100.0/24:{80}": true, "198.51.100.0/24:{443}": true,
	}, got)
}

func TestWebTierWithACertificateRedirectsHTTPToHTTPSUnderATLS13Policy(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.CertificateARN = webtierCert })
	listeners := g.ByType(webtierListener)
	require.Len(t, listeners, 2)
	byPort := map[float64]*awssim.Resource{}
	for _, l := range listeners {
		byPort[webtierNumber(t, l, "port")] = l
	}
	https, http := byPort[443], byPort[80]
	require.NotNil(t, https)
	require.NotNil(t, http)
	assert.Equal(t, "HTTPS", https.InputString("protocol"))
	assert.Equal(t, webtierCert, https.InputString("certificateArn"))
	assert.Equal(t, webtier.DefaultSSLPolicy, https.InputString("sslPolicy"))
	assert.Contains(t, https.InputString("sslPolicy"), "TLS13")
	assert.Equal(t, "forward", https.InputString("defaultActions.0.type"))
	assert.Equal(t, outs.get("tgArn"), https.InputString("defaultActions.0.targetGroupArn"))

	assert.Equal(t, "HTTP", http.InputString("protocol"))
	assert.Equal(t, "redirect", http.InputString("defaultActions.0.type"))
	assert.Equal(t, "HTTPS", http.InputString("defaultActions.0.redirect.protocol"))
	assert.Equal(t, "443", http.InputString("defaultActions.0.redirect.port"))
	assert.Equal(t, "HTTP_301", http.InputString("defaultActions.0.redirect.statusCode"))
	assert.True(t, strings.HasPrefix(outs.get("url"), "https://"), outs.get("url"))
}

func TestWebTierWithoutACertificateServesHTTPOnly(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 2, nil)
	l := webtierOne(t, g, webtierListener)
	assert.Equal(t, float64(80), webtierNumber(t, l, "port"))
	assert.Equal(t, "HTTP", l.InputString("protocol"))
	assert.Equal(t, "forward", l.InputString("defaultActions.0.type"))
	assert.Equal(t, "http://"+outs.get("dnsName"), outs.get("url"))
}

func TestWebTierLoadBalancerIsInternetFacingInThePublicSubnetsAndDropsInvalidHeaders(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 3, nil)
	alb := webtierOne(t, g, webtierLB)
	assert.Equal(t, "application", alb.InputString("loadBalancerType"))
	assert.False(t, alb.Input("internal").BoolValue())
	assert.True(t, alb.Input("dropInvalidHeaderFields").BoolValue())
	assert.False(t, alb.Input("enableDeletionProtection").BoolValue())
	assert.True(t, alb.Input("accessLogs").IsNull())
	var azs []string
	for _, id := range alb.Input("subnets").ArrayValue() {
		sn := g.ByID(id.StringValue())
		require.NotNil(t, sn)
		assert.True(t, strings.Contains(sn.Name, "-public-"), "%s is not a public subnet", sn.Name)
		azs = append(azs, sn.OutputString("availabilityZone"))
	}
	assert.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, azs)
	assert.Equal(t, []any{outs.get("albSG")}, alb.Input("securityGroups").Mappable())
	assert.Regexp(t, `^web-alb-[0-9a-f]{7}-\d{10}\.us-east-1\.elb\.amazonaws\.com$`, outs.get("dnsName"))
	assert.Equal(t, "Z35SXDOTRQ7X7K", outs.get("zoneId"))
}

func TestWebTierDeletionProtectionAndReservedCapacityAreArgs(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.DeletionProtection = true
		a.ReservedCapacityUnits = 200
	})
	alb := webtierOne(t, g, webtierLB)
	assert.True(t, alb.Input("enableDeletionProtection").BoolValue())
	assert.Equal(t, float64(200), webtierNumber(t, alb, "minimumLoadBalancerCapacity.capacityUnits"))
}

func TestWebTierTargetGroupHealthCheckAndDrainingHaveDefaultsAndArgs(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, nil)
	tg := webtierOne(t, g, webtierTG)
	assert.Equal(t, float64(webtier.DefaultAppPort), webtierNumber(t, tg, "port"))
	assert.Equal(t, "HTTP", tg.InputString("protocol"))
	assert.Equal(t, webtier.DefaultHealthCheckPath, tg.InputString("healthCheck.path"))
	assert.Equal(t, "200", tg.InputString("healthCheck.matcher"))
	assert.Equal(t, float64(webtier.DefaultDeregistrationDelay), webtierNumber(t, tg, "deregistrationDelay"))
	assert.True(t, tg.Input("slowStart").IsNull(), "slow start is off by default")

	g, _, _ = webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.AppPort = 3000
		a.HealthCheck = webtier.HealthCheck{Path: "/status/ready", Matcher: "200-299", Interval: 30, Timeout: 10,
			HealthyThreshold: 3, UnhealthyThreshold: 4}
		a.DeregistrationDelay = 60
		a.SlowStart = 90
	})
	tg = webtierOne(t, g, webtierTG)
	assert.Equal(t, float64(3000), webtierNumber(t, tg, "port"))
	assert.Equal(t, "/status/ready", tg.InputString("healthCheck.path"))
	assert.Equal(t, "200-299", tg.InputString("healthCheck.matcher"))
	assert.Equal(t, float64(30), webtierNumber(t, tg, "healthCheck.interval"))
	assert.Equal(t, float64(10), webtierNumber(t, tg, "healthCheck.timeout"))
	assert.Equal(t, float64(3), webtierNumber(t, tg, "healthCheck.healthyThreshold"))
	assert.Equal(t, float64(4), webtierNumber(t, tg, "healthCheck.unhealthyThreshold"))
	assert.Equal(t, float64(60), webtierNumber(t, tg, "deregistrationDelay"))
	assert.Equal(t, float64(90), webtierNumber(t, tg, "slowStart"))
}

func TestWebTierLaunchTemplateRequiresIMDSv2AndEncryptsTheRootVolume(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 2, nil)
	lt := webtierOne(t, g, webtierLT)
	assert.Equal(t, "required", lt.InputString("metadataOptions.httpTokens"))
	assert.Equal(t, "enabled", lt.InputString("metadataOptions.httpEndpoint"))
	assert.Equal(t, "/dev/xvda", lt.InputString("blockDeviceMappings.0.deviceName"))
	assert.Equal(t, "gp3", lt.InputString("blockDeviceMappings.0.ebs.volumeType"))
	assert.Equal(t, "true", lt.InputString("blockDeviceMappings.0.ebs.encrypted"))
	assert.True(t, lt.Input("monitoring.enabled").BoolValue(), "detailed monitoring")
	assert.Equal(t, "false", lt.InputString("networkInterfaces.0.associatePublicIpAddress"))
	assert.Equal(t, []any{outs.get("instanceSG")}, lt.Input("networkInterfaces.0.securityGroups").Mappable())
	assert.Equal(t, webtierOne(t, g, "aws:iam/instanceProfile:InstanceProfile").OutputString("arn"),
		lt.InputString("iamInstanceProfile.arn"))
	assert.Equal(t, "t3.micro", lt.InputString("instanceType"))
	assert.Equal(t, awssim.AMI("us-east-1", webtier.DefaultAMIParameter), lt.InputString("imageId"))

	script, err := base64.StdEncoding.DecodeString(lt.InputString("userData"))
	require.NoError(t, err)
	assert.Contains(t, string(script), `PORT, HEALTH, READY, DB_HOST, DB_PORT = 8080, "/health", "/health/ready", "", 0`,
		"the placeholder serves the health path and the readiness path; without a database it is always ready")
	assert.Contains(t, string(script), "systemctl enable --now webtier.service")
}

func TestWebTierUsesAnExplicitAMIAndUserData(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.AMIID = "ami-0123456789abcdef0"
		a.UserData = "#!/bin/bash\necho hello"
		a.InstanceType = "m7i.large"
	})
	lt := webtierOne(t, g, webtierLT)
	assert.Equal(t, "ami-0123456789abcdef0", lt.InputString("imageId"))
	assert.Equal(t, "m7i.large", lt.InputString("instanceType"))
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho hello")), lt.InputString("userData"))
}

func TestWebTierRunsInThePrivateSubnetsOfEveryAZ(t *testing.T) {
	g, outs, maxSize := webtierRun(t, "us-east-1", 3, nil)
	asg := webtierOne(t, g, webtierASG)
	var azs []string
	for _, id := range asg.Input("vpcZoneIdentifiers").ArrayValue() {
		sn := g.ByID(id.StringValue())
		require.NotNil(t, sn)
		assert.Contains(t, sn.Name, "-private-")
		azs = append(azs, sn.OutputString("availabilityZone"))
	}
	sort.Strings(azs)
	assert.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, azs)
	assert.Equal(t, []any{outs.get("tgArn")}, asg.Input("targetGroupArns").Mappable())
	assert.Equal(t, "ELB", asg.InputString("healthCheckType"))
	assert.Equal(t, float64(webtier.DefaultHealthCheckGrace), webtierNumber(t, asg, "healthCheckGracePeriod"))
	assert.Equal(t, float64(2), webtierNumber(t, asg, "minSize"))
	assert.Equal(t, float64(6), webtierNumber(t, asg, "maxSize"))
	assert.Equal(t, float64(2), webtierNumber(t, asg, "desiredCapacity"))
	assert.Equal(t, 6, maxSize)
	assert.True(t, asg.Input("capacityRebalance").BoolValue())
	assert.Contains(t, asg.IgnoreChanges, "desiredCapacity", "a deployment must not undo a scale-out")
	assert.Equal(t, outs.get("asgName"), asg.ID)
	assert.Equal(t, webtierOne(t, g, webtierLT).ID, asg.InputString("launchTemplate.id"))
	assert.Equal(t, "1", asg.InputString("launchTemplate.version"))

	metrics := map[string]bool{}
	for _, m := range asg.Input("enabledMetrics").ArrayValue() {
		metrics[m.StringValue()] = true
	}
	for _, m := range []string{"GroupInServiceInstances", "GroupDesiredCapacity", "GroupMaxSize", "GroupMinSize"} {
		assert.True(t, metrics[m], "metric %s is not collected", m)
	}
	tags := map[string]bool{}
	for _, tag := range asg.Input("tags").ArrayValue() {
		m := tag.ObjectValue()
		assert.True(t, m["propagateAtLaunch"].BoolValue(), "tag %v is not propagated", m["key"])
		tags[m["key"].StringValue()] = true
	}
	assert.Equal(t, map[string]bool{"Name": true, "Project": true, "Environment": true, "ManagedBy": true}, tags)
}

var webtierRequestLabel = regexp.MustCompile(`^app/[a-zA-Z0-9-]+/[0-9a-f]{16}/targetgroup/[a-zA-Z0-9-]+/[0-9a-f]{16}$`)

func TestWebTierScalesOnCPUAndOnRequestsPerTargetWithTheLabelAWSWants(t *testing.T) {
	g, outs, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.CertificateARN = webtierCert })
	alb, tg := webtierOne(t, g, webtierLB), webtierOne(t, g, webtierTG)
	policies := map[string]*awssim.Resource{}
	for _, p := range g.ByType(webtierPolicy) {
		assert.Equal(t, "TargetTrackingScaling", p.InputString("policyType"))
		assert.Equal(t, outs.get("asgName"), p.InputString("autoscalingGroupName"))
		policies[p.InputString("targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType")] = p
	}
	cpu, requests := policies["ASGAverageCPUUtilization"], policies["ALBRequestCountPerTarget"]
	require.NotNil(t, cpu)
	require.NotNil(t, requests)
	assert.Equal(t, float64(50), webtierNumber(t, cpu, "targetTrackingConfiguration.targetValue"))
	assert.Equal(t, float64(1000), webtierNumber(t, requests, "targetTrackingConfiguration.targetValue"))

	label := requests.InputString("targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel")
	assert.Equal(t, alb.OutputString("arnSuffix")+"/"+tg.OutputString("arnSuffix"), label)
	assert.Regexp(t, webtierRequestLabel, label)
	assert.True(t, strings.HasSuffix(alb.ID, ":loadbalancer/"+alb.OutputString("arnSuffix")))
	assert.True(t, strings.HasSuffix(tg.ID, ":"+tg.OutputString("arnSuffix")))
	assert.Equal(t, alb.OutputString("arnSuffix"), outs.get("albArnSuffix"))
	assert.Equal(t, tg.OutputString("arnSuffix"), outs.get("tgArnSuffix"))
	// AWS refuses the policy until a listener joins the load balancer and the target group.
	for _, l := range g.ByType(webtierListener) {
		assert.Contains(t, requests.DependsOn, l.URN)
	}

	g, _, _ = webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.CPUTargetPercent = 65; a.RequestsPerTarget = 250 })
	for _, p := range g.ByType(webtierPolicy) {
		want := 65.0
		if strings.HasSuffix(p.Name, "-requests") {
			want = 250
		}
		assert.Equal(t, want, webtierNumber(t, p, "targetTrackingConfiguration.targetValue"), p.Name)
	}
}

func TestWebTierScheduledActionsUseCronAndTimeZoneAndLeaveUnsetSizesAlone(t *testing.T) {
	ten, twenty := 10, 20
	g, outs, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.MaxSize = 30
		a.ScheduledActions = []webtier.ScheduledAction{
			{Name: "black-friday", Recurrence: "0 6 * 11 FRI", TimeZone: "America/New_York", MinSize: &ten, MaxSize: &twenty},
			{Name: "weekday-morning", Recurrence: "30 7 * * MON-FRI", DesiredCapacity: &ten},
		}
	})
	schedules := map[string]*awssim.Resource{}
	for _, s := range g.ByType(webtierSchedule) {
		schedules[s.InputString("scheduledActionName")] = s
		assert.Equal(t, outs.get("asgName"), s.InputString("autoscalingGroupName"))
	}
	require.Len(t, schedules, 2)
	bf := schedules["black-friday"]
	assert.Equal(t, "0 6 * 11 FRI", bf.InputString("recurrence"))
	assert.Equal(t, "America/New_York", bf.InputString("timeZone"))
	assert.Equal(t, float64(10), webtierNumber(t, bf, "minSize"))
	assert.Equal(t, float64(20), webtierNumber(t, bf, "maxSize"))
	assert.Equal(t, float64(-1), webtierNumber(t, bf, "desiredCapacity"), "unset means unchanged, not 0")
	wm := schedules["weekday-morning"]
	assert.Equal(t, "Etc/UTC", wm.InputString("timeZone"))
	assert.Equal(t, float64(-1), webtierNumber(t, wm, "minSize"))
	assert.Equal(t, float64(-1), webtierNumber(t, wm, "maxSize"))
	assert.Equal(t, float64(10), webtierNumber(t, wm, "desiredCapacity"))
}

func TestWebTierWarmPoolKeepsInstancesReady(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.WarmPool = &webtier.WarmPool{MinSize: 2} })
	asg := webtierOne(t, g, webtierASG)
	assert.Equal(t, float64(2), webtierNumber(t, asg, "warmPool.minSize"))
	assert.Equal(t, float64(-1), webtierNumber(t, asg, "warmPool.maxGroupPreparedCapacity"))
	assert.Equal(t, "Stopped", asg.InputString("warmPool.poolState"))
	metrics := asg.Input("enabledMetrics").Mappable()
	assert.Contains(t, metrics, "WarmPoolWarmedCapacity")
}

func TestWebTierSpotShareRunsThroughAMixedInstancesPolicy(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) {
		a.Spot = &webtier.Spot{Percentage: 70, OnDemandBase: 2, InstanceTypes: []string{"t3.large", "t3a.large", "m6i.large"}}
	})
	asg := webtierOne(t, g, webtierASG)
	assert.True(t, asg.Input("launchTemplate").IsNull(), "a mixed instances policy replaces the launch template")
	p := "mixedInstancesPolicy."
	assert.Equal(t, float64(30), webtierNumber(t, asg, p+"instancesDistribution.onDemandPercentageAboveBaseCapacity"))
	assert.Equal(t, float64(2), webtierNumber(t, asg, p+"instancesDistribution.onDemandBaseCapacity"))
	assert.Equal(t, "price-capacity-optimized", asg.InputString(p+"instancesDistribution.spotAllocationStrategy"))
	assert.Equal(t, webtierOne(t, g, webtierLT).ID, asg.InputString(p+"launchTemplate.launchTemplateSpecification.launchTemplateId"))
	var types []string
	for _, o := range asg.Input(p + "launchTemplate.overrides").ArrayValue() {
		types = append(types, o.ObjectValue()["instanceType"].StringValue())
	}
	assert.Equal(t, []string{"t3.large", "t3a.large", "m6i.large"}, types)
}

func TestWebTierAccessLogsGoToAPrivateEncryptedExpiringBucketTheRegionalELBAccountMayWrite(t *testing.T) {
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			g, outs, _ := webtierRun(t, region, 2, func(a *webtier.Args) { a.AccessLogs = true; a.AccessLogsDays = 30 })
			bucket := webtierOne(t, g, "aws:s3/bucketV2:BucketV2")
			name := outs.get("logs")
			assert.Equal(t, bucket.ID, name)
			alb := webtierOne(t, g, webtierLB)
			assert.Equal(t, name, alb.InputString("accessLogs.bucket"))
			assert.True(t, alb.Input("accessLogs.enabled").BoolValue())

			pab := webtierOne(t, g, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				assert.True(t, pab.Input(k).BoolValue(), k)
			}
			enc := webtierOne(t, g, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2")
			assert.Equal(t, "AES256", enc.InputString("rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"),
				"ELB access logs only support SSE-S3")
			lc := webtierOne(t, g, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2")
			assert.Equal(t, float64(30), webtierNumber(t, lc, "rules.0.expiration.days"))
			assert.Equal(t, "Enabled", lc.InputString("rules.0.status"))

			var policy struct {
				Statement []struct {
					Effect    string
					Principal any
					Action    any
					Resource  any
				}
			}
			pol := webtierOne(t, g, "aws:s3/bucketPolicy:BucketPolicy")
			require.NoError(t, json.Unmarshal([]byte(pol.InputString("policy")), &policy))
			allow := policy.Statement[0]
			assert.Equal(t, "Allow", allow.Effect)
			assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::" + awssim.ELBLogDeliveryAccount(region) + ":root"}, allow.Principal)
			assert.Equal(t, "s3:PutObject", allow.Action)
			assert.Equal(t, "arn:aws:s3:::"+name+"/AWSLogs/"+awssim.AccountID+"/*", allow.Resource)
			assert.Equal(t, "Deny", policy.Statement[1].Effect, "requests without TLS are refused")
			assert.Contains(t, alb.DependsOn, pol.URN, "the policy must exist before ELB tests the bucket")
		})
	}
}

func TestWebTierTagsEveryTaggableResource(t *testing.T) {
	g, _, _ := webtierRun(t, "us-east-1", 2, func(a *webtier.Args) { a.AccessLogs = true })
	comp := webtierOne(t, g, "kit:webtier:WebTier")
	for _, r := range g.Descendants(comp.URN) {
		if r.Type == webtierASG {
			continue // tagged through its tag list, checked with the group
		}
		if r.Input("tags").IsNull() {
			switch r.Type {
			case "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:autoscaling/policy:Policy",
				"aws:autoscaling/schedule:Schedule", "aws:s3/bucketPolicy:BucketPolicy",
				"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
				"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
				"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
				"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
				continue // these types take no tags
			}
			t.Errorf("%s (%s) has no tags", r.Name, r.Type)
			continue
		}
		tags := r.Tags()
		assert.Equal(t, "kit", tags["Project"], r.Name)
		assert.Equal(t, "pulumi", tags["ManagedBy"], r.Name)
		assert.NotEmpty(t, tags["Name"], r.Name)
	}
}

func TestWebTierBuildsInASecondRegionOnASecondProvider(t *testing.T) {
	outs := &webtierOutputs{m: map[string]string{}}
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		net, err := webtierNetwork(ctx, "dr", "us-west-2", 2, pulumi.Provider(west))
		if err != nil {
			return err
		}
		w, err := webtier.New(ctx, "web-dr", webtierArgs(net, "us-west-2", nil), pulumi.Provider(west))
		if err != nil {
			return err
		}
		webtierCaptureAll(outs, w)
		return nil
	})
	comp := webtierOne(t, g, "kit:webtier:WebTier")
	n := 0
	for _, r := range g.Descendants(comp.URN) {
		if r.Custom {
			n++
			assert.Equal(t, "us-west-2", r.Region, "%s is not in the second region", r.Name)
		}
	}
	assert.Greater(t, n, 10)
	assert.Equal(t, awssim.AMI("us-west-2", webtier.DefaultAMIParameter), webtierOne(t, g, webtierLT).InputString("imageId"),
		"the AMI must come from the second region's SSM parameter")
	assert.NotEqual(t, awssim.AMI("us-east-1", webtier.DefaultAMIParameter), awssim.AMI("us-west-2", webtier.DefaultAMIParameter))
	assert.Equal(t, "Z1H1FL5HABSF5", outs.get("zoneId"))
	assert.Contains(t, outs.get("dnsName"), ".us-west-2.elb.amazonaws.com")
	assert.True(t, strings.HasPrefix(outs.get("albArn"), "arn:aws:elasticloadbalancing:us-west-2:"))
}

// TestWebTierOnTheNetworkComponentPassesThePolicyPack composes the tier on the real network component as a
// stack would: a production-like configuration passes every rule of its own; a dev one without a certificate
// also gets the advisory about plain HTTP. The load balancer's alarms belong to the observability component,
// which is not composed here, so their rule fires in both.
func TestWebTierOnTheNetworkComponentPassesThePolicyPack(t *testing.T) {
	for _, tc := range []struct {
		stack string
		prod  bool
		want  []string
	}{
		{"prod", true, []string{"load-balancer-alarms"}},
		{"dev", false, []string{"http-listener-redirects-to-https-advisory", "load-balancer-alarms"}},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			env := map[bool]string{true: "production", false: "dev"}[tc.prod]
			tags := map[string]string{"Project": "kit", "Environment": env, "ManagedBy": "pulumi"}
			g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
				vpc, err := network.New(ctx, "main", &network.Args{AZCount: 3, Tags: tags})
				if err != nil {
					return err
				}
				args := &webtier.Args{
					VPCID: vpc.VPCID, PublicSubnets: vpc.SubnetsOf(network.Public),
					PrivateSubnets: vpc.SubnetsOf(network.Private), Region: vpc.Region, Tags: tags,
				}
				if tc.prod {
					args.CertificateARN, args.DeletionProtection, args.AccessLogs = webtierCert, true, true
				}
				_, err = webtier.New(ctx, "web", args)
				return err
			})
			vs, err := rules.Evaluate(tc.stack, g.AnalyzerResources())
			require.NoError(t, err)
			var got []string
			for _, v := range vs {
				got = append(got, v.Policy)
			}
			assert.Equal(t, tc.want, got, "%v", vs)
		})
	}
}

// TestWebTierWithObservabilityPassesEveryRuleInProduction feeds the tier's outputs to the observability
// component, as the stack does: the alarms on the load balancer, target group and group close the last rule,
// and the Prometheus policy attaches to the instances' role.
func TestWebTierWithObservabilityPassesEveryRuleInProduction(t *testing.T) {
	tags := map[string]string{"Project": "kit", "Environment": "production", "ManagedBy": "pulumi"}
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "main", &network.Args{AZCount: 3, Tags: tags})
		if err != nil {
			return err
		}
		w, err := webtier.New(ctx, "web", &webtier.Args{
			VPCID: vpc.VPCID, PublicSubnets: vpc.SubnetsOf(network.Public), PrivateSubnets: vpc.SubnetsOf(network.Private),
			Region: vpc.Region, Tags: tags, CertificateARN: webtierCert, DeletionProtection: true, AccessLogs: true,
		})
		if err != nil {
			return err
		}
		_, err = observability.New(ctx, "obs", &observability.Args{
			Region: vpc.Region, Tags: tags, AlarmEmails: []string{"oncall@example.com"},
			LoadBalancerARNSuffix: w.ALBARNSuffix, TargetGroupARNSuffix: w.TargetGroupARNSuffix,
			ASGName: w.ASGName, ASGMaxSize: w.MaxSize, Prometheus: true, InstanceRoleName: w.InstanceRoleName,
		})
		return err
	})
	vs, err := rules.Evaluate("prod", g.AnalyzerResources())
	require.NoError(t, err)
	assert.Empty(t, vs)
	asg := webtierOne(t, g, webtierASG)
	found := false
	for _, r := range g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if r.InputString("dimensions.AutoScalingGroupName") == asg.ID && r.InputString("metricName") == "GroupInServiceInstances" {
			found = true
		}
	}
	assert.True(t, found, "an alarm watches GroupInServiceInstances of the web tier's group")
}
