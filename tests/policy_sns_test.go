package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPolicySNSTopicRuleNeverSuggestsAKeyCloudWatchCannotUse(t *testing.T) {
	absent := policyFired(t, "dev", "sns-topic-encrypted", policyRes(policyTypeTopic, "subject", map[string]any{"name": "alarms"}))
	require.Len(t, absent, 1)
	assert.NotContains(t, absent[0].Message, "alias/aws/sns", "the AWS managed key is no fix for an alarm topic")
	assert.Contains(t, absent[0].Message, "customer managed KMS key")

	managed := policyFired(t, "dev", "sns-topic-encrypted", policyRes(policyTypeTopic, "subject", map[string]any{"kmsMasterKeyId": "alias/aws/sns"}))
	require.Len(t, managed, 1)
	assert.Contains(t, managed[0].Message, `kmsMasterKeyId "alias/aws/sns" is the AWS managed SNS key`)
	assert.Contains(t, managed[0].Message, "alarms could not publish to the topic", "the message says why")
}
