package awssim

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Warm pools that work: lifecycle hooks, and what a Hibernated pool needs of its launch template. Auto Scaling
// accepts a warm pool without a launch hook, but "as soon as an instance finishes launching into the warm
// pool, Amazon EC2 Auto Scaling stops or hibernates the instance [and] does not wait for user data to finish
// running" (EC2 Auto Scaling user guide, "Use lifecycle hooks with a warm pool"): the checks here flag it.

func init() {
	models["aws:autoscaling/lifecycleHook:LifecycleHook"] = lifecycleHookModel
	invokes["aws:ec2/getInstanceType:getInstanceType"] = instanceTypeInvoke
}

var (
	lifecycleTransitions = map[string]bool{"autoscaling:EC2_INSTANCE_LAUNCHING": true,
		"autoscaling:EC2_INSTANCE_TERMINATING": true}
	lifecycleResults = map[string]bool{"CONTINUE": true, "ABANDON": true}
)

// checkLifecycleHook refuses what PutLifecycleHook refuses: an unknown transition, a heartbeat timeout
// outside 30-7200 seconds, a default result other than CONTINUE or ABANDON.
func checkLifecycleHook(h resource.PropertyMap) error {
	if t := stringInput(h, "lifecycleTransition"); !lifecycleTransitions[t] {
		return asgError("LifecycleTransition '%s' must be autoscaling:EC2_INSTANCE_LAUNCHING or "+
			"autoscaling:EC2_INSTANCE_TERMINATING", t)
	}
	if t, ok := numberInput(h, "heartbeatTimeout"); ok && (t < 30 || t > 7200) {
		return asgError("HeartbeatTimeout %v must be between 30 and 7200 seconds", t)
	}
	if d := stringInput(h, "defaultResult"); d != "" && !lifecycleResults[d] {
		return asgError("DefaultResult '%s' must be CONTINUE or ABANDON", d)
	}
	if n := stringInput(h, "name"); n == "" || len(n) > 255 {
		return asgError("LifecycleHookName '%s' must be 1 to 255 characters", n)
	}
	return nil
}

func lifecycleHookModel(s *Sim, r *Resource) (string, resource.PropertyMap, error) {
	if err := checkLifecycleHook(r.Inputs); err != nil {
		return "", nil, err
	}
	group := stringInput(r.Inputs, "autoscalingGroupName")
	if known(r.Inputs, "autoscalingGroupName") && s.groupByName(group, r.Region) == nil {
		return "", nil, asgError("AutoScalingGroup name not found - no such group: %s", group)
	}
	out := echo(r, nil)
	setDefault(out, "defaultResult", "ABANDON")
	setDefault(out, "heartbeatTimeout", 3600)
	return stringInput(r.Inputs, "name"), out, nil
}

// launchHooked reports whether a group has an EC2_INSTANCE_LAUNCHING hook from its creation (initial hooks,
// or a hook resource that was already deployed) or at least as a resource of its own.
func (g *Graph) launchHooked(group *Resource) (atCreation, later bool) {
	for _, h := range objectsInput(group.Inputs, "initialLifecycleHooks") {
		if stringInput(h, "lifecycleTransition") == "autoscaling:EC2_INSTANCE_LAUNCHING" {
			atCreation = true
		}
	}
	for _, h := range g.byURN {
		if h.Type != "aws:autoscaling/lifecycleHook:LifecycleHook" ||
			stringInput(h.Inputs, "lifecycleTransition") != "autoscaling:EC2_INSTANCE_LAUNCHING" {
			continue
		}
		if known(h.Inputs, "autoscalingGroupName") && stringInput(h.Inputs, "autoscalingGroupName") != group.ID {
			continue
		}
		later = true
		atCreation = atCreation || h.Prior != nil
	}
	return atCreation, later
}

// warmPoolsThatDoNotWait finds groups with a warm pool whose instances nothing holds until they are ready.
func (g *Graph) warmPoolsThatDoNotWait() []string {
	var out []string
	for _, grp := range g.byURN {
		if grp.Type != "aws:autoscaling/group:Group" || !grp.Input("warmPool").IsObject() {
			continue
		}
		atCreation, later := g.launchHooked(grp)
		switch {
		case !atCreation && !later:
			out = append(out, fmt.Sprintf("%s: warm pool without an autoscaling:EC2_INSTANCE_LAUNCHING lifecycle "+
				"hook: AWS accepts it, but Auto Scaling stops each pool instance as soon as it launches, without "+
				"waiting for its user data, and cloud-init runs user data on the first boot only, so instances "+
				"enter service without their application. Add a launch hook that the instance completes when it "+
				"is ready.", grp.URN))
		case !atCreation && grp.Prior == nil:
			out = append(out, fmt.Sprintf("%s: the warm pool's launch hook is a resource created after the group: "+
				"AWS accepts it, but the pool's first instances launch, and are stopped, before the hook exists. "+
				"Declare the hook in the group's initialLifecycleHooks too.", grp.URN))
		}
		if stringInput(grp.Inputs, "warmPool.poolState") == "Hibernated" {
			if lt := g.launchTemplateOf(grp); lt != nil && !boolInput(lt.Inputs, "hibernationOptions.configured", false) {
				out = append(out, fmt.Sprintf("%s: warm pool state Hibernated, but launch template %s does not "+
					"enable hibernation (hibernationOptions.configured): AWS accepts it, but an instance can only "+
					"hibernate when hibernation is enabled at launch (EC2 user guide, hibernation prerequisites).",
					grp.URN, lt.ID))
			}
		}
	}
	return out
}

// launchTemplateOf returns the launch template a group launches from, or nil.
func (g *Graph) launchTemplateOf(group *Resource) *Resource {
	id := firstNonEmpty(stringInput(group.Inputs, "launchTemplate.id"),
		stringInput(group.Inputs, "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId"))
	if lt := g.byID[id]; lt != nil && lt.Type == "aws:ec2/launchTemplate:LaunchTemplate" {
		return lt
	}
	return nil
}

// checkHibernation refuses a launch template that enables hibernation without an encrypted root volume:
// "Encryption of the root volume is enforced at instance launch" (EC2 user guide, hibernation prerequisites).
// It is called by launchTemplateModel's checks.
func checkHibernation(r *Resource) error {
	if !boolInput(r.Inputs, "hibernationOptions.configured", false) {
		return nil
	}
	for _, bd := range objectsInput(r.Inputs, "blockDeviceMappings") {
		if stringInput(bd, "ebs.encrypted") != "true" {
			return refuse("InvalidParameterCombination", "hibernation needs an encrypted root volume: "+
				"blockDeviceMappings %s is not encrypted", stringInput(bd, "deviceName"))
		}
	}
	return nil
}

// instanceTypes are the instance types the simulation describes: memory in MiB (EC2 instance type
// specifications) and hibernation support (EC2 user guide, hibernation prerequisites: T3 and M5 are among the
// supported Nitro families; the first-generation C1 is in no supported family).
var instanceTypes = map[string]struct {
	memoryMiB   int
	hibernation bool
}{
	"t3.micro": {1024, true}, "t3.small": {2048, true}, "t3.medium": {4096, true}, "t3.large": {8192, true},
	"m5.large": {8192, true}, "m5.xlarge": {16384, true}, "m5.24xlarge": {393216, true},
	"c1.medium": {1741, false},
}

// instanceTypeInvoke answers DescribeInstanceTypes for one type, as ec2.getInstanceType reads it.
func instanceTypeInvoke(_ *Sim, region string, args resource.PropertyMap) (resource.PropertyMap, error) {
	name := stringInput(args, "instanceType")
	t, ok := instanceTypes[name]
	if !ok {
		if strings.Contains(name, ".") {
			return nil, refuse("InvalidInstanceType", "The following supplied instance types do not exist: [%s] "+
				"(the simulation describes %d types in %s)", name, len(instanceTypes), region)
		}
		return nil, refuse("InvalidInstanceType", "Invalid instance type '%s'", name)
	}
	out := args.Copy()
	out["id"] = resource.NewProperty(name)
	out["memorySize"] = resource.NewProperty(float64(t.memoryMiB))
	out["hibernationSupported"] = resource.NewProperty(t.hibernation)
	return out, nil
}
