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
//
// Each Publisher gets the same two actions: a service publishing to an encrypted topic has SNS encrypt the
// message with the topic's key on its behalf. Like CloudWatch's, the statement carries no source condition:
// the topic's own policy decides who may publish.
func topicKeyPolicy(accountID string, publishers []Publisher) (string, error) {
	statements := []any{
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
	}
	for _, p := range publishers {
		statements = append(statements, map[string]any{
			"Sid":       sid(p.Service) + "PublishesToTheTopic",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": p.Service},
			"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			"Resource":  "*",
		})
	}
	out, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(out), err
}

// topicAccessPolicy is the topic's policy when services publish to it: the account keeps the access SNS's
// default policy gives it (which is how CloudWatch alarms publish), and each Publisher may publish on behalf
// of its SourceARN's resources only (DMS user guide, "Validating the access policy of your SNS topic":
// "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sns:Publish", restricted by aws:SourceArn).
func topicAccessPolicy(topicARN, accountID string, publishers []Publisher) (string, error) {
	statements := []any{map[string]any{
		"Sid":       "AccountOwnsTheTopic",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": "*"},
		"Action": []string{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
			"SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"},
		"Resource":  topicARN,
		"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceOwner": accountID}},
	}}
	for _, p := range publishers {
		statements = append(statements, map[string]any{
			"Sid":       sid(p.Service) + "Publishes",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": p.Service},
			"Action":    "sns:Publish",
			"Resource":  topicARN,
			"Condition": map[string]any{"ArnLike": map[string]any{"aws:SourceArn": p.SourceARN}},
		})
	}
	out, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(out), err
}

// sid makes a statement id of a service principal: dms.amazonaws.com -> Dms.
func sid(service string) string {
	name, _, _ := strings.Cut(service, ".")
	var b strings.Builder
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z' && i == 0:
			b.WriteRune(r - 'a' + 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// topic makes the alarm topic, its key unless one was given, and the email subscriptions.
func (b *builder) topic() (pulumi.StringOutput, error) {
	keyARN := b.args.TopicKMSKeyARN
	if keyARN == nil {
		publishers := b.args.Publishers
		policy := b.accountID.ApplyT(func(id string) (string, error) {
			return topicKeyPolicy(id, publishers)
		}).(pulumi.StringOutput)
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
	if len(b.args.Publishers) > 0 {
		publishers := b.args.Publishers
		policy := pulumi.All(topic.Arn, b.accountID).ApplyT(func(v []any) (string, error) {
			return topicAccessPolicy(v[0].(string), v[1].(string), publishers)
		}).(pulumi.StringOutput)
		if _, err := sns.NewTopicPolicy(b.ctx, b.name+"-alarms", &sns.TopicPolicyArgs{
			Arn:    topic.Arn,
			Policy: policy,
		}, b.parent); err != nil {
			return pulumi.StringOutput{}, err
		}
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
