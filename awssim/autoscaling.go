package awssim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	// Time zone checks must not depend on the machine's zoneinfo.
	_ "time/tzdata"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// EC2 Auto Scaling: groups, scaling policies and scheduled actions, plus the launch template checks that
// EC2 applies when a template is created.

func init() {
	models["aws:autoscaling/group:Group"] = autoscalingGroupModel
	models["aws:autoscaling/policy:Policy"] = autoscalingPolicyModel
	models["aws:autoscaling/schedule:Schedule"] = autoscalingScheduleModel
}

var (
	httpTokensValues   = map[string]bool{"optional": true, "required": true}
	enabledDisabled    = map[string]bool{"enabled": true, "disabled": true}
	ebsVolumeTypes     = map[string]bool{"standard": true, "io1": true, "io2": true, "gp2": true, "gp3": true, "sc1": true, "st1": true}
	trueFalseStrings   = map[string]bool{"": true, "true": true, "false": true}
	imageIDPattern     = regexp.MustCompile(`^(ami-[0-9a-f]{8}([0-9a-f]{9})?|resolve:ssm:.+)$`)
	instanceTypeFormat = regexp.MustCompile(`^[a-z0-9-]+\.[a-z0-9-]+$`)
)

// checkLaunchTemplate refuses what CreateLaunchTemplate refuses. It is called by launchTemplateModel.
func checkLaunchTemplate(r *Resource) error {
	if t := stringInput(r.Inputs, "metadataOptions.httpTokens"); t != "" && !httpTokensValues[t] {
		return refuse("InvalidParameterValue", "Value (%s) for parameter httpTokens is invalid: use optional or required", t)
	}
	if e := stringInput(r.Inputs, "metadataOptions.httpEndpoint"); e != "" && !enabledDisabled[e] {
		return refuse("InvalidParameterValue", "Value (%s) for parameter httpEndpoint is invalid: use enabled or disabled", e)
	}
	if h, ok := numberInput(r.Inputs, "metadataOptions.httpPutResponseHopLimit"); ok && (h < 1 || h > 64) {
		return refuse("InvalidParameterValue", "httpPutResponseHopLimit %v must be between 1 and 64", h)
	}
	if id := stringInput(r.Inputs, "imageId"); id != "" && known(r.Inputs, "imageId") && !imageIDPattern.MatchString(id) {
		return refuse("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	if t := stringInput(r.Inputs, "instanceType"); t != "" && !instanceTypeFormat.MatchString(t) {
		return refuse("InvalidParameterValue", "Invalid instance type '%s'", t)
	}
	for _, bd := range objectsInput(r.Inputs, "blockDeviceMappings") {
		vt := stringInput(bd, "ebs.volumeType")
		if vt != "" && !ebsVolumeTypes[vt] {
			return refuse("InvalidParameterValue", "The volume type '%s' is not valid: use standard, io1, io2, "+
				"gp2, gp3, sc1 or st1", vt)
		}
		for _, k := range []string{"ebs.encrypted", "ebs.deleteOnTermination"} {
			if v := stringInput(bd, k); !trueFalseStrings[v] {
				return refuse("InvalidParameterValue", "%s %q must be true or false", k, v)
			}
		}
		size, hasSize := numberInput(bd, "ebs.volumeSize")
		if hasSize && (size < 1 || size > 65536) {
			return refuse("InvalidParameterValue", "Volume size %v GiB is out of range", size)
		}
		if vt == "gp3" {
			if iops, ok := numberInput(bd, "ebs.iops"); ok && (iops < 3000 || iops > 80000) {
				return refuse("InvalidParameterValue", "gp3 volumes take 3000-80000 IOPS, got %v", iops)
			}
			if tp, ok := numberInput(bd, "ebs.throughput"); ok && (tp < 125 || tp > 2000) {
				return refuse("InvalidParameterValue", "gp3 volumes take a throughput of 125-2000 MiB/s, got %v", tp)
			}
		}
		if vt != "gp3" && vt != "" {
			if _, ok := numberInput(bd, "ebs.throughput"); ok {
				return refuse("InvalidParameterCombination", "throughput can only be set for gp3 volumes")
			}
		}
	}
	if len(objectsInput(r.Inputs, "networkInterfaces")) > 0 && len(stringsInput(r.Inputs, "vpcSecurityGroupIds")) > 0 {
		return refuse("InvalidParameterCombination", "Network interfaces and an instance-level security groups "+
			"may not be specified on the same request")
	}
	return nil
}

// asgMetrics are the group metrics EnableMetricsCollection accepts.
var asgMetrics = map[string]bool{
	"GroupMinSize": true, "GroupMaxSize": true, "GroupDesiredCapacity": true, "GroupInServiceInstances": true,
	"GroupPendingInstances": true, "GroupStandbyInstances": true, "GroupTerminatingInstances": true,
	"GroupTotalInstances": true, "GroupInServiceCapacity": true, "GroupPendingCapacity": true,
	"GroupStandbyCapacity": true, "GroupTerminatingCapacity": true, "GroupTotalCapacity": true,
	"WarmPoolDesiredCapacity": true, "WarmPoolWarmedCapacity": true, "WarmPoolPendingCapacity": true,
	"WarmPoolTerminatingCapacity": true, "WarmPoolTotalCapacity": true, "GroupAndWarmPoolDesiredCapacity": true,
	"GroupAndWarmPoolTotalCapacity": true,
}

var (
	healthCheckTypes        = map[string]bool{"EC2": true, "ELB": true, "VPC_LATTICE": true, "EBS": true}
	warmPoolStates          = map[string]bool{"Stopped": true, "Running": true, "Hibernated": true}
	spotAllocationStrategys = map[string]bool{"lowest-price": true, "capacity-optimized": true,
		"capacity-optimized-prioritized": true, "price-capacity-optimized": true}
)

func asgError(format string, args ...any) error { return refuse("ValidationError", format, args...) }

func autoscalingGroupModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := s.autoName(r, "name", 255)
	if len(name) > 255 {
		return "", nil, asgError("AutoScalingGroupName %q is longer than 255 characters", name)
	}
	min, hasMin := numberInput(r.Inputs, "minSize")
	max, hasMax := numberInput(r.Inputs, "maxSize")
	if !hasMin || !hasMax {
		return "", nil, asgError("minSize and maxSize are required")
	}
	if min < 0 || max < 0 {
		return "", nil, asgError("minSize (%v) and maxSize (%v) must not be negative", min, max)
	}
	if min > max {
		return "", nil, asgError("Max bound, %v, must be greater than or equal to min bound, %v", max, min)
	}
	if d, ok := numberInput(r.Inputs, "desiredCapacity"); ok && (d < min || d > max) {
		return "", nil, asgError("Desired capacity:%v must be between the specified min size:%v and max size:%v", d, min, max)
	}
	if t := stringInput(r.Inputs, "healthCheckType"); t != "" && !healthCheckTypes[t] {
		return "", nil, asgError("Health check type '%s' must be EC2, ELB, VPC_LATTICE or EBS", t)
	}
	if g, ok := numberInput(r.Inputs, "healthCheckGracePeriod"); ok && g < 0 {
		return "", nil, asgError("HealthCheckGracePeriod %v must not be negative", g)
	}

	subnets := stringsInput(r.Inputs, "vpcZoneIdentifiers")
	if known(r.Inputs, "vpcZoneIdentifiers") || !r.Input("vpcZoneIdentifiers").ContainsUnknowns() {
		if len(subnets) == 0 && len(stringsInput(r.Inputs, "availabilityZones")) == 0 {
			return "", nil, asgError("At least one Availability Zone or VPC Subnet is required.")
		}
		var vpcID string
		for _, id := range subnets {
			sn, err := s.byIDOfType(id, "aws:ec2/subnet:Subnet", "ValidationError", r.Region)
			if err != nil {
				return "", nil, asgError("The subnet ID '%s' does not exist in %s", id, r.Region)
			}
			v := stringInput(sn.Inputs, "vpcId")
			if vpcID != "" && v != vpcID {
				return "", nil, asgError("The subnets of an Auto Scaling group must be in one VPC: %s is in %s, "+
					"another in %s", id, v, vpcID)
			}
			vpcID = v
		}
	}

	if known(r.Inputs, "launchTemplate") {
		if err := s.checkLaunchTemplateRef(r, stringInput(r.Inputs, "launchTemplate.id"), stringInput(r.Inputs, "launchTemplate.name")); err != nil {
			return "", nil, err
		}
	}
	mixed := r.Input("mixedInstancesPolicy")
	lt := r.Input("launchTemplate")
	switch {
	case mixed.IsObject() && lt.IsObject():
		return "", nil, asgError("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, " +
			"InstanceId or MixedInstancesPolicy parameter, not several")
	case !mixed.IsObject() && !lt.IsObject() && stringInput(r.Inputs, "launchConfiguration") == "" && !r.Inputs.ContainsUnknowns():
		return "", nil, asgError("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, " +
			"InstanceId or MixedInstancesPolicy parameter.")
	}
	if mixed.IsObject() {
		if err := s.checkMixedInstances(r); err != nil {
			return "", nil, err
		}
	}

	for _, tg := range stringsInput(r.Inputs, "targetGroupArns") {
		if _, err := s.byIDOfType(tg, "aws:lb/targetGroup:TargetGroup", "ValidationError", r.Region); err != nil {
			return "", nil, asgError("Target group %s not found in %s", tg, r.Region)
		}
	}
	for _, m := range stringsInput(r.Inputs, "enabledMetrics") {
		if !asgMetrics[m] {
			return "", nil, asgError("Metric '%s' is not a valid Auto Scaling group metric", m)
		}
	}
	if g := stringInput(r.Inputs, "metricsGranularity"); g != "" && g != "1Minute" {
		return "", nil, asgError("Granularity '%s' is not supported: only 1Minute", g)
	}
	if err := s.checkInstanceRefresh(r); err != nil {
		return "", nil, err
	}
	for _, h := range objectsInput(r.Inputs, "initialLifecycleHooks") {
		if err := checkLifecycleHook(h); err != nil {
			return "", nil, err
		}
	}
	if r.Input("warmPool").IsObject() {
		if err := checkWarmPool(r.Inputs, mixed.IsObject()); err != nil {
			return "", nil, err
		}
	}
	for _, tag := range objectsInput(r.Inputs, "tags") {
		if stringInput(tag, "key") == "" {
			return "", nil, asgError("Tag keys must not be empty")
		}
	}

	a := arn("autoscaling", r.Region, fmt.Sprintf("autoScalingGroup:%s:autoScalingGroupName/%s", s.uuid(r.URN), name))
	out := echo(r, map[string]any{"name": name, "arn": a})
	setDefault(out, "healthCheckType", "EC2")
	setDefault(out, "healthCheckGracePeriod", 300)
	setDefault(out, "defaultCooldown", 300)
	setDefault(out, "capacityRebalance", false)
	if _, ok := numberInput(r.Inputs, "desiredCapacity"); !ok {
		out["desiredCapacity"] = resource.NewProperty(min)
	}
	return name, out, nil
}

// uuid is a UUID-shaped id derived from key, as Auto Scaling puts in its ARNs.
func (s *Sim) uuid(key string) string {
	h := s.hash(key, 32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (s *Sim) checkLaunchTemplateRef(r *Resource, id, name string) error {
	for _, lt := range s.graph.byURN {
		if lt.Type == "aws:ec2/launchTemplate:LaunchTemplate" && lt.Region == r.Region &&
			((id != "" && lt.ID == id) || (name != "" && stringInput(lt.Outputs, "name") == name)) {
			return nil
		}
	}
	return asgError("The specified launch template, with template ID %s, does not exist in %s", firstNonEmpty(id, name), r.Region)
}

func (s *Sim) checkMixedInstances(r *Resource) error {
	p := "mixedInstancesPolicy."
	spec := p + "launchTemplate.launchTemplateSpecification."
	if known(r.Inputs, "mixedInstancesPolicy") {
		if err := s.checkLaunchTemplateRef(r, stringInput(r.Inputs, spec+"launchTemplateId"), stringInput(r.Inputs, spec+"launchTemplateName")); err != nil {
			return err
		}
	}
	if v, ok := numberInput(r.Inputs, p+"instancesDistribution.onDemandPercentageAboveBaseCapacity"); ok && (v < 0 || v > 100) {
		return asgError("OnDemandPercentageAboveBaseCapacity %v must be between 0 and 100", v)
	}
	if v, ok := numberInput(r.Inputs, p+"instancesDistribution.onDemandBaseCapacity"); ok && v < 0 {
		return asgError("OnDemandBaseCapacity %v must not be negative", v)
	}
	if st := stringInput(r.Inputs, p+"instancesDistribution.spotAllocationStrategy"); st != "" && !spotAllocationStrategys[st] {
		return asgError("SpotAllocationStrategy '%s' must be lowest-price, capacity-optimized, "+
			"capacity-optimized-prioritized or price-capacity-optimized", st)
	}
	for _, o := range objectsInput(r.Inputs, p+"launchTemplate.overrides") {
		if t := stringInput(o, "instanceType"); t != "" && !instanceTypeFormat.MatchString(t) {
			return asgError("Invalid instance type '%s' in the overrides", t)
		}
	}
	return nil
}

func checkWarmPool(m resource.PropertyMap, mixed bool) error {
	if mixed {
		return asgError("You can't add a warm pool to an Auto Scaling group that has a mixed instances policy " +
			"or that launches Spot Instances")
	}
	minSize, hasMin := numberInput(m, "warmPool.minSize")
	if hasMin && minSize < 0 {
		return asgError("Warm pool MinSize %v must not be negative", minSize)
	}
	if mp, ok := numberInput(m, "warmPool.maxGroupPreparedCapacity"); ok && mp != -1 {
		if mp < 0 {
			return asgError("MaxGroupPreparedCapacity %v must be -1 (the group's maximum) or a positive number", mp)
		}
		if hasMin && mp < minSize {
			return asgError("MaxGroupPreparedCapacity %v must be greater than or equal to the warm pool's "+
				"MinSize %v", mp, minSize)
		}
	}
	if st := stringInput(m, "warmPool.poolState"); st != "" && !warmPoolStates[st] {
		return asgError("PoolState '%s' must be Stopped, Running or Hibernated", st)
	}
	return nil
}

func (s *Sim) groupByName(name, region string) *Resource {
	for _, r := range s.graph.byURN {
		if r.Type == "aws:autoscaling/group:Group" && r.Region == region && r.ID == name {
			return r
		}
	}
	return nil
}

var (
	policyTypes        = map[string]bool{"SimpleScaling": true, "StepScaling": true, "TargetTrackingScaling": true, "PredictiveScaling": true}
	predefinedMetrics  = map[string]bool{"ASGAverageCPUUtilization": true, "ASGAverageNetworkIn": true, "ASGAverageNetworkOut": true, "ALBRequestCountPerTarget": true}
	requestCountLabel  = regexp.MustCompile(`^(app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16})/(targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16})$`)
	scheduleActionName = regexp.MustCompile(`^[\x20-\x7e]{1,255}$`)
)

func autoscalingPolicyModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := s.autoName(r, "name", 255)
	groupName := stringInput(r.Inputs, "autoscalingGroupName")
	var group *Resource
	if known(r.Inputs, "autoscalingGroupName") {
		if group = s.groupByName(groupName, r.Region); group == nil {
			return "", nil, asgError("AutoScalingGroup name not found - no such group: %s", groupName)
		}
	}
	typ := stringInput(r.Inputs, "policyType")
	if typ == "" {
		typ = "SimpleScaling"
	}
	if !policyTypes[typ] {
		return "", nil, asgError("PolicyType '%s' must be SimpleScaling, StepScaling, TargetTrackingScaling or PredictiveScaling", typ)
	}
	if typ == "TargetTrackingScaling" {
		tt := "targetTrackingConfiguration."
		if !r.Input("targetTrackingConfiguration").IsObject() {
			return "", nil, asgError("TargetTrackingConfiguration is required for a TargetTrackingScaling policy")
		}
		if v, ok := numberInput(r.Inputs, tt+"targetValue"); !ok || v <= 0 {
			return "", nil, asgError("TargetValue %v must be greater than 0", v)
		}
		metric := stringInput(r.Inputs, tt+"predefinedMetricSpecification.predefinedMetricType")
		if r.Input(tt+"predefinedMetricSpecification").IsObject() && !predefinedMetrics[metric] {
			return "", nil, asgError("PredefinedMetricType '%s' is not valid for Auto Scaling groups", metric)
		}
		label := stringInput(r.Inputs, tt+"predefinedMetricSpecification.resourceLabel")
		switch {
		case metric == "ALBRequestCountPerTarget":
			if lookup(r.Inputs, tt+"predefinedMetricSpecification.resourceLabel").ContainsUnknowns() {
				break
			}
			if err := s.checkRequestCountLabel(r, group, label); err != nil {
				return "", nil, err
			}
		case label != "" && metric != "":
			return "", nil, asgError("ResourceLabel is only valid with the ALBRequestCountPerTarget metric, not %s", metric)
		}
	}
	a := arn("autoscaling", r.Region, fmt.Sprintf("scalingPolicy:%s:autoScalingGroupName/%s:policyName/%s",
		s.uuid(r.URN), groupName, name))
	out := echo(r, map[string]any{"name": name, "arn": a, "policyType": typ})
	setDefault(out, "enabled", true)
	return name, out, nil
}

// checkRequestCountLabel refuses an ALBRequestCountPerTarget label that does not name a load balancer and a
// target group that exist, are joined by a listener, and serve this group: AWS checks all three.
func (s *Sim) checkRequestCountLabel(r, group *Resource, label string) error {
	m := requestCountLabel.FindStringSubmatch(label)
	if m == nil {
		return asgError("ResourceLabel '%s' must have the form app/<load-balancer-name>/<load-balancer-id>/"+
			"targetgroup/<target-group-name>/<target-group-id>", label)
	}
	var lb, tg *Resource
	for _, x := range s.graph.byURN {
		switch {
		case x.Type == "aws:lb/loadBalancer:LoadBalancer" && x.Region == r.Region && stringInput(x.Outputs, "arnSuffix") == m[1]:
			lb = x
		case x.Type == "aws:lb/targetGroup:TargetGroup" && x.Region == r.Region && stringInput(x.Outputs, "arnSuffix") == m[2]:
			tg = x
		}
	}
	if lb == nil {
		return asgError("ResourceLabel '%s': load balancer %s not found in %s", label, m[1], r.Region)
	}
	if tg == nil {
		return asgError("ResourceLabel '%s': target group %s not found in %s", label, m[2], r.Region)
	}
	if s.loadBalancerOfTargetGroup(tg.ID) != lb.ID {
		return asgError("ResourceLabel '%s': target group %s is not associated with load balancer %s (no "+
			"listener forwards to it yet: register the policy after the listener)", label, m[2], m[1])
	}
	if group != nil {
		attached := false
		for _, a := range stringsInput(group.Inputs, "targetGroupArns") {
			attached = attached || a == tg.ID
		}
		for _, ts := range objectsInput(group.Inputs, "trafficSources") {
			attached = attached || stringInput(ts, "identifier") == tg.ID
		}
		if !attached {
			return asgError("ResourceLabel '%s': target group %s is not attached to Auto Scaling group %s",
				label, m[2], group.ID)
		}
	}
	return nil
}

// cronFields are the ranges of the five fields of a scheduled action's recurrence (Unix cron).
var cronFields = []struct {
	name    string
	lo, hi  int
	aliases []string
}{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{"day of week", 0, 7, []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

// checkCron checks a recurrence as Auto Scaling does: five space-separated Unix cron fields.
func checkCron(expr string) error {
	fields := strings.Fields(expr)
	if len(fields) != 5 {
		return fmt.Errorf("has %d fields, want 5 (minute hour day-of-month month day-of-week)", len(fields))
	}
	for i, f := range fields {
		spec := cronFields[i]
		for _, part := range strings.Split(f, ",") {
			rng, step, hasStep := strings.Cut(part, "/")
			if hasStep {
				if n, err := strconv.Atoi(step); err != nil || n < 1 {
					return fmt.Errorf("%s field %q has a bad step", spec.name, f)
				}
			}
			if rng == "*" {
				continue
			}
			lo, hi, isRange := strings.Cut(rng, "-")
			values := []string{lo}
			if isRange {
				values = append(values, hi)
			}
			for _, v := range values {
				n, ok := cronValue(v, spec.lo, spec.aliases)
				if !ok || n < spec.lo || n > spec.hi {
					return fmt.Errorf("%s field %q: %q is not in %d-%d", spec.name, f, v, spec.lo, spec.hi)
				}
			}
		}
	}
	return nil
}

func cronValue(v string, base int, aliases []string) (int, bool) {
	for i, a := range aliases {
		if strings.EqualFold(v, a) {
			return base + i, true
		}
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func autoscalingScheduleModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	name := stringInput(r.Inputs, "scheduledActionName")
	if !scheduleActionName.MatchString(name) {
		return "", nil, asgError("ScheduledActionName '%s' must be 1-255 printable characters", name)
	}
	groupName := stringInput(r.Inputs, "autoscalingGroupName")
	if known(r.Inputs, "autoscalingGroupName") && s.groupByName(groupName, r.Region) == nil {
		return "", nil, asgError("AutoScalingGroup name not found - no such group: %s", groupName)
	}
	if rec := stringInput(r.Inputs, "recurrence"); rec != "" {
		if err := checkCron(rec); err != nil {
			return "", nil, asgError("Given recurrence schedule '%s' is invalid: %v", rec, err)
		}
	}
	if tz := stringInput(r.Inputs, "timeZone"); tz != "" {
		if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
			return "", nil, asgError("Invalid time zone '%s': use an IANA name such as Europe/Paris or Etc/UTC", tz)
		}
	}
	for _, k := range []string{"startTime", "endTime"} {
		if v := stringInput(r.Inputs, k); v != "" {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return "", nil, asgError("%s '%s' must be in YYYY-MM-DDThh:mm:ssZ form", k, v)
			}
		}
	}
	// The provider sends 0 for a size the program leaves out (its documented default) and -1 means
	// "unchanged": a program that sets only desiredCapacity also sets the group's min and max to 0.
	size := func(key string) (float64, bool) {
		v, ok := numberInput(r.Inputs, key)
		if !ok {
			return 0, true
		}
		return v, v != -1
	}
	min, hasMin := size("minSize")
	max, hasMax := size("maxSize")
	desired, hasDesired := size("desiredCapacity")
	for _, v := range []float64{min, max, desired} {
		if v < -1 {
			return "", nil, asgError("Sizes must be -1 (unchanged) or non-negative, got %v", v)
		}
	}
	if !hasMin && !hasMax && !hasDesired {
		return "", nil, asgError("At least one of minSize, maxSize or desiredCapacity must be specified")
	}
	if hasMin && hasMax && min > max {
		return "", nil, asgError("Max bound, %v, must be greater than or equal to min bound, %v", max, min)
	}
	if hasDesired && ((hasMin && desired < min) || (hasMax && desired > max)) {
		return "", nil, asgError("Desired capacity:%v must be between the specified min size:%v and max size:%v",
			desired, min, max)
	}
	for _, other := range s.graph.byURN {
		if other.Type == r.Type && other.Region == r.Region && stringInput(other.Inputs, "autoscalingGroupName") == groupName &&
			stringInput(other.Inputs, "scheduledActionName") == name {
			return "", nil, refuse("AlreadyExists", "Scheduled action %s already exists for group %s", name, groupName)
		}
	}
	a := arn("autoscaling", r.Region, fmt.Sprintf("scheduledUpdateGroupAction:%s:autoScalingGroupName/%s:scheduledActionName/%s",
		s.uuid(r.URN), groupName, name))
	return name, echo(r, map[string]any{"arn": a}), nil
}
