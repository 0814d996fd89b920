package observability

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// topicKeyPolicy lets the account administer the key through IAM and lets CloudWatch alarms encrypt what they
// publish. The CloudWatch statement is the one AWS documents for alarms on encrypted topics; it carries no
// source condition because CloudWatch does not document one for KMS, and a condition it does not send would
// make every alarm action fail silently.
func topicKeyPolicy(accountID string) (string, error) {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "AccountAdministersTheKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", accountID)},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			map[string]any{
				"Sid":       "CloudWatchAlarmsPublishToTheTopic",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Resource":  "*",
			},
		},
	}
	out, err := json.Marshal(doc)
	return string(out), err
}

// topic makes the alarm topic, its key unless one was given, and the email subscriptions.
func (b *builder) topic() (pulumi.StringOutput, error) {
	keyARN := b.args.TopicKMSKeyARN
	if keyARN == nil {
		policy := b.accountID.ApplyT(topicKeyPolicy).(pulumi.StringOutput)
		key, err := kms.NewKey(b.ctx, b.name+"-alarms", &kms.KeyArgs{
			Description:       pulumi.String("Encrypts the " + b.name + " alarm topic; CloudWatch alarms may use it"),
			Policy:            policy,
			EnableKeyRotation: pulumi.Bool(true),
			Tags:              b.tags(b.name + "-alarms"),
		}, b.parent)
		if err != nil {
			return pulumi.StringOutput{}, err
		}
		keyARN = key.Arn
	}
	topic, err := sns.NewTopic(b.ctx, b.name+"-alarms", &sns.TopicArgs{
		KmsMasterKeyId: keyARN,
		Tags:           b.tags(b.name + "-alarms"),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// Subscriptions are named by address, not position, so removing one address leaves the others in place.
	for _, email := range b.args.AlarmEmails {
		if _, err := sns.NewTopicSubscription(b.ctx, b.name+"-alarms-"+strings.ToLower(email), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, b.parent); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	return topic.Arn, nil
}
