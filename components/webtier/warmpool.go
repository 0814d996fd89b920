package webtier

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/placement"
)

// A warm pool that works. "As soon as an instance finishes launching into the warm pool, Amazon EC2 Auto
// Scaling stops or hibernates the instance. Amazon EC2 Auto Scaling does not wait for user data to finish
// running [...] By default, cloud-init runs user data only on the first boot." (EC2 Auto Scaling user guide,
// "Use lifecycle hooks with a warm pool"). So with a warm pool the web tier:
//   - adds an autoscaling:EC2_INSTANCE_LAUNCHING lifecycle hook, on the group from its creation
//     (initialLifecycleHooks) so that the very first pool instances wait too, and as a resource of its own so
//     that a group that gets a warm pool later has it as well. With the hook an instance waits in
//     Warmed:Pending:Wait when it enters the pool, and again in Pending:Wait when it leaves it (same page);
//   - makes cloud-init run the user data on every boot (cloud_final_modules: [scripts-user, always], the
//     warm pools guide's prerequisite for user data that must run when an instance restarts), so a bootstrap
//     cut short by the stop finishes when the instance leaves the pool;
//   - appends a script that waits for the application's health path and then completes the lifecycle action
//     (CompleteLifecycleAction), on every boot; the instance role may do that on this group only. An
//     instance whose application never answers is abandoned (terminated and replaced) when the hook times out.

// warmPoolHookTimeoutSeconds is how long an instance may take to answer its health path before it is
// abandoned; lifecycle hooks accept 30 to 7200 seconds.
const warmPoolHookTimeoutSeconds = 600

// maxHibernationRAMGiB: "Instance RAM size - Must be less than 150 GB" (EC2 user guide, hibernation
// prerequisites).
const maxHibernationRAMGiB = 150

// minRootVolumeGiB is what Amazon Linux 2023 needs of the root volume for itself.
const minRootVolumeGiB = 8

// lifecycleHookName is the warm pool's launch hook on a color's group.
func (b *builder) lifecycleHookName(c *color) string { return c.child(b, "launching") }

// warmPoolUserData wraps the application's user data so that it runs on every boot and, once the application
// answers its health path, completes the launch lifecycle action.
func warmPoolUserData(app string, port int, healthPath, hook string) string {
	complete := fmt.Sprintf(`#!/bin/bash
# Completes the warm pool's launch lifecycle hook (%[3]s) once the application answers http://127.0.0.1:%[1]d%[2]s.
# It runs on every boot: when the instance enters the warm pool and again when it leaves it. Needs the AWS
# CLI of the AMI (Amazon Linux 2023 has it).
set -uo pipefail
for i in $(seq 1 %[4]d); do
  if curl -fsS -o /dev/null "http://127.0.0.1:%[1]d%[2]s"; then
    token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
    md() { curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"; }
    id=$(md instance-id)
    region=$(md placement/region)
    group=$(aws autoscaling describe-auto-scaling-instances --region "$region" --instance-ids "$id" \
      --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text)
    # Outside a lifecycle wait (a plain reboot) there is nothing to complete, and the call fails harmlessly.
    aws autoscaling complete-lifecycle-action --region "$region" --auto-scaling-group-name "$group" \
      --lifecycle-hook-name %[3]s --lifecycle-action-result CONTINUE --instance-id "$id" || true
    exit 0
  fi
  sleep 5
done
echo "the application never answered %[2]s: the lifecycle hook times out and Auto Scaling replaces the instance" >&2
`, port, healthPath, hook, warmPoolHookTimeoutSeconds/5)
	return mimeMultipart(
		[2]string{"text/cloud-config", "#cloud-config\ncloud_final_modules:\n - [scripts-user, always]\n"},
		[2]string{"text/x-shellscript", app},
		[2]string{"text/x-shellscript", complete},
	)
}

// launchingHook is the hook as the group declares it at creation.
func (b *builder) launchingHook(c *color) autoscaling.GroupInitialLifecycleHookArray {
	if b.args.WarmPool == nil {
		return nil
	}
	return autoscaling.GroupInitialLifecycleHookArray{autoscaling.GroupInitialLifecycleHookArgs{
		Name:                pulumi.String(b.lifecycleHookName(c)),
		LifecycleTransition: pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING"),
		HeartbeatTimeout:    pulumi.Int(warmPoolHookTimeoutSeconds),
		DefaultResult:       pulumi.String("ABANDON"),
	}}
}

// warmPoolHook keeps the launch hook on an existing group (initialLifecycleHooks acts at creation only:
// pulumi-aws autoscaling.Group docs) and lets the instance role complete it on this group.
func (b *builder) warmPoolHook(c *color, group *autoscaling.Group) error {
	if b.args.WarmPool == nil {
		return nil
	}
	if _, err := autoscaling.NewLifecycleHook(b.ctx, b.lifecycleHookName(c), &autoscaling.LifecycleHookArgs{
		Name:                 pulumi.String(b.lifecycleHookName(c)),
		AutoscalingGroupName: group.Name,
		LifecycleTransition:  pulumi.String("autoscaling:EC2_INSTANCE_LAUNCHING"),
		HeartbeatTimeout:     pulumi.Int(warmPoolHookTimeoutSeconds),
		DefaultResult:        pulumi.String("ABANDON"),
	}, b.parent); err != nil {
		return err
	}
	policy := group.Arn.ApplyT(func(arn string) (string, error) {
		doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
			{"Sid": "CompleteTheLaunchHookOfThisGroup", "Effect": "Allow",
				"Action": "autoscaling:CompleteLifecycleAction", "Resource": arn},
			// DescribeAutoScalingInstances takes no resource-level permission.
			{"Sid": "FindTheGroupOfThisInstance", "Effect": "Allow",
				"Action": "autoscaling:DescribeAutoScalingInstances", "Resource": "*"},
		}})
		return string(doc), err
	}).(pulumi.StringOutput)
	_, err := iam.NewRolePolicy(b.ctx, c.child(b, "complete-launch"), &iam.RolePolicyArgs{
		Role:   b.tier.InstanceRoleName,
		Policy: policy,
	}, b.parent)
	return err
}

// hibernation checks a Hibernated warm pool against the hibernation prerequisites of the EC2 user guide,
// asking EC2 for the instance type (DescribeInstanceTypes, through the component's provider): the type
// supports hibernation, its RAM is under 150 GiB, and the encrypted root volume has room for the RAM besides
// the system. It runs before anything is registered; the launch template then enables hibernation.
func hibernation(ctx *pulumi.Context, a *Args, opts ...pulumi.ResourceOption) error {
	if a.WarmPool == nil || a.WarmPool.State != "Hibernated" {
		return nil
	}
	invokeOpts, err := placement.InvokeOptions(opts...)
	if err != nil {
		return err
	}
	t, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: a.InstanceType}, invokeOpts...)
	if err != nil {
		return fmt.Errorf("webtier: WarmPool.State Hibernated: describing instance type %s: %w", a.InstanceType, err)
	}
	ramGiB := (t.MemorySize + 1023) / 1024
	var problems []string
	if !t.HibernationSupported {
		problems = append(problems, fmt.Sprintf("InstanceType %q does not support hibernation: use a type that "+
			"does (aws ec2 describe-instance-types --filters Name=hibernation-supported,Values=true) or WarmPool.State "+
			"Stopped", a.InstanceType))
	}
	if ramGiB >= maxHibernationRAMGiB {
		problems = append(problems, fmt.Sprintf("InstanceType %q has %d GiB of RAM: EC2 hibernates instances with "+
			"less than %d GB only; use a smaller type or WarmPool.State Stopped", a.InstanceType, ramGiB, maxHibernationRAMGiB))
	}
	if need := ramGiB + minRootVolumeGiB; a.RootVolumeSizeGiB < need {
		problems = append(problems, fmt.Sprintf("RootVolumeSizeGiB %d cannot hold the %d GiB of RAM of %s besides "+
			"the system's %d GiB: hibernation writes the RAM to the root volume; use at least %d", a.RootVolumeSizeGiB, ramGiB,
			a.InstanceType, minRootVolumeGiB, need))
	}
	if len(problems) > 0 {
		return fmt.Errorf("webtier: WarmPool.State Hibernated:\n  - %s", strings.Join(problems, "\n  - "))
	}
	return nil
}
