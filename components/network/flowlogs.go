package network

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/placement"
)

// Flow logs go to CloudWatch Logs through a role that can write to this one log group and nothing else.

func (b *builder) buildFlowLogs() error {
	if !b.c.flowLogs {
		b.v.FlowLogGroupName = pulumi.String("").ToStringOutput()
		return nil
	}
	opts, err := placement.InvokeOptions(b.parent)
	if err != nil {
		return err
	}
	caller, err := aws.GetCallerIdentity(b.ctx, nil, opts...)
	if err != nil {
		return fmt.Errorf("looking up the account for the flow log role: %w", err)
	}

	group, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-flow-logs", &cloudwatch.LogGroupArgs{
		// A prefix, not a fixed name: two stacks in one account and region must not collide.
		NamePrefix:      pulumi.Sprintf("/vpc/flow-logs/%s-", b.name),
		RetentionInDays: pulumi.Int(b.c.flowDays),
		Tags:            b.tags(b.name + "-flow-logs"),
	}, b.parent)
	if err != nil {
		return err
	}

	role, err := iam.NewRole(b.ctx, b.name+"-flow-logs", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(flowLogTrustPolicy(caller.AccountId, b.c.region)),
		Description:      pulumi.Sprintf("Lets VPC flow logs of %s write to their log group", b.name),
		Tags:             b.tags(b.name + "-flow-logs"),
	}, b.parent)
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicy(b.ctx, b.name+"-flow-logs", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: group.Arn.ApplyT(flowLogWritePolicy).(pulumi.StringOutput),
	}, b.parent); err != nil {
		return err
	}

	if _, err := ec2.NewFlowLog(b.ctx, b.name, &ec2.FlowLogArgs{
		VpcId:                  b.vpc.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60), // one-minute records: fast enough to investigate an incident
		Tags:                   b.tags(b.name + "-flow-log"),
	}, b.parent); err != nil {
		return err
	}
	b.v.FlowLogGroupName = group.Name
	return nil
}

// flowLogTrustPolicy lets only VPC flow logs of this account and region assume the role: the SourceAccount
// and SourceArn conditions are AWS's guard against the confused-deputy problem.
func flowLogTrustPolicy(account, region string) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": account},
				"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", region, account)},
			},
		}},
	})
}

// flowLogWritePolicy grants writing to one log group and its streams. The service also lists log groups, as
// the AWS flow logs guide's role shows; listing names only, and it takes no narrower resource than "*".
func flowLogWritePolicy(groupARN string) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":      "WriteThisLogGroup",
			"Effect":   "Allow",
			"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			"Resource": []string{groupARN, groupARN + ":*"},
		}, {
			"Sid":      "FindTheLogGroup",
			"Effect":   "Allow",
			"Action":   []string{"logs:DescribeLogGroups"},
			"Resource": "*",
		}},
	})
}

// mustJSON marshals policy documents built from maps of strings, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
