package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/observability"
)

func TestObservabilitySharedTopicIsNotifiedInsteadOfANewOne(t *testing.T) {
	var shared *observability.AlarmTopic
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		var err error
		shared, err = observability.NewAlarmTopic(ctx, "shared", &observability.TopicArgs{
			Region: "us-east-1", AlarmEmails: []string{"ops@example.com"},
			Tags: map[string]string{"Project": "kit"},
		})
		if err != nil {
			return err
		}
		args := observabilityFullArgs("us-east-1")
		args.AlarmEmails = nil
		args.TopicARN = shared.ARN
		_, err = observability.New(ctx, "ops", args)
		return err
	})
	topics := g.ByType("aws:sns/topic:Topic")
	require.Len(t, topics, 1, "the component reuses the shared topic")
	assert.NotEmpty(t, topics[0].InputString("kmsMasterKeyId"), "the shared topic is encrypted")
	assert.Len(t, g.ByType("aws:sns/topicSubscription:TopicSubscription"), 1)
	topicARN := topics[0].OutputString("arn")
	alarms := g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm")
	require.NotEmpty(t, alarms)
	for _, a := range alarms {
		assert.Equal(t, []string{topicARN}, observabilityStrings(a.Input("alarmActions")), a.Name)
	}
	comp := g.Named("kit:observability:AlarmTopic", "shared")
	require.NotNil(t, comp)
	assert.Len(t, g.Descendants(comp.URN), 3, "topic, its key and the subscription sit under the component")
}

func TestObservabilitySharedTopicRefusesSettingsOfItsOwnTopic(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		args := observabilityFullArgs("us-east-1")
		args.TopicARN = pulumi.String("arn:aws:sns:us-east-1:123456789012:shared")
		_, err := observability.New(ctx, "ops", args)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TopicARN is set together with AlarmEmails or TopicKMSKeyARN")

	_, err = simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.NewAlarmTopic(ctx, "shared", &observability.TopicArgs{AlarmEmails: []string{"not-an-email"}})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Region is empty")
	assert.Contains(t, err.Error(), `"not-an-email" is not an email address`)
}
