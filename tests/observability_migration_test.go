package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/components/observability"
)

// The dashboard's rows for the migration, and an alarm topic other AWS services publish to.

const observabilityTunnelAlarm = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:datacentre-tunnel1-down-1a2b3c4"

func observabilityMigrationArgs(a *observability.Args, _ *observabilityWorld) {
	a.VPNConnectionID = pulumi.String("vpn-0123456789abcdef0")
	a.ReplicationInstanceIdentifier = pulumi.String("cutover")
	a.ReplicationTaskIdentifier = pulumi.String("cutover")
	a.CDCLatencyAlarmSeconds = 300
	a.OtherAlarmARNs = []pulumi.StringInput{pulumi.String(observabilityTunnelAlarm)}
}

// observabilityWidgets returns the dashboard's widgets.
func observabilityWidgets(t *testing.T, body string) []struct {
	Type       string
	Properties map[string]any
} {
	t.Helper()
	var doc struct {
		Widgets []struct {
			Type       string
			Properties map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	return doc.Widgets
}

func TestObservabilityDashboardShowsTheDataCentreLinkAndTheMigration(t *testing.T) {
	g := observabilityRun(t, observabilityMigrationArgs)
	dashboards := g.ByType("aws:cloudwatch/dashboard:Dashboard")
	require.Len(t, dashboards, 1)
	body := dashboards[0].InputString("dashboardBody")

	var headers, metrics []string
	for _, w := range observabilityWidgets(t, body) {
		switch w.Type {
		case "text":
			headers = append(headers, w.Properties["markdown"].(string))
		case "alarm":
			assert.Contains(t, w.Properties["alarms"], observabilityTunnelAlarm, "other components' alarms in the status row")
		case "metric":
			lines, _ := w.Properties["metrics"].([]any)
			for _, l := range lines {
				m := l.([]any)
				metrics = append(metrics, m[0].(string)+" "+m[1].(string)+" "+m[3].(string))
			}
		}
	}
	assert.Contains(t, headers, "## Data centre link (VPN)")
	assert.Contains(t, headers, "## Database migration (DMS)")
	for _, want := range []string{"AWS/VPN TunnelState vpn-0123456789abcdef0", "AWS/VPN TunnelDataIn vpn-0123456789abcdef0",
		"AWS/DMS CDCLatencySource cutover", "AWS/DMS CDCLatencyTarget cutover", "AWS/DMS FreeStorageSpace cutover"} {
		assert.Contains(t, metrics, want)
	}
	assert.Contains(t, body, `"label":"latency alarm","value":300`)

	without := observabilityRun(t, nil).ByType("aws:cloudwatch/dashboard:Dashboard")[0].InputString("dashboardBody")
	assert.NotContains(t, without, "AWS/VPN")
	assert.NotContains(t, without, "AWS/DMS")
}

func TestObservabilityTopicLetsItsPublishersInThroughTheTopicAndTheKey(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.NewAlarmTopic(ctx, "migration", &observability.TopicArgs{Region: "us-east-1",
			Publishers: []observability.Publisher{{Service: "dms.amazonaws.com", SourceARN: "arn:aws:dms:us-east-1:123456789012:es:*"}}})
		return err
	})
	key := g.Named(typeKMSKey, "migration-alarms")
	require.NotNil(t, key)
	assert.Contains(t, key.InputString("policy"), `"Service":"dms.amazonaws.com"`)
	assert.Contains(t, key.InputString("policy"), `"Service":"cloudwatch.amazonaws.com"`)

	policies := g.ByType("aws:sns/topicPolicy:TopicPolicy")
	require.Len(t, policies, 1)
	topic := g.Named("aws:sns/topic:Topic", "migration-alarms")
	assert.Equal(t, topic.ID, policies[0].InputString("arn"))
	var doc struct {
		Statement []struct {
			Principal map[string]string
			Action    any
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policies[0].InputString("policy")), &doc))
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, "*", doc.Statement[0].Principal["AWS"], "the account keeps SNS's default access")
	assert.Equal(t, "123456789012", doc.Statement[0].Condition["StringEquals"]["AWS:SourceOwner"])
	assert.Equal(t, "dms.amazonaws.com", doc.Statement[1].Principal["Service"])
	assert.Equal(t, "sns:Publish", doc.Statement[1].Action)
	assert.Equal(t, "arn:aws:dms:us-east-1:123456789012:es:*", doc.Statement[1].Condition["ArnLike"]["aws:SourceArn"])

	plain := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.NewAlarmTopic(ctx, "ops", &observability.TopicArgs{Region: "us-east-1"})
		return err
	})
	assert.Empty(t, plain.ByType("aws:sns/topicPolicy:TopicPolicy"), "without publishers SNS's default policy stays")
	assert.NotContains(t, plain.Named(typeKMSKey, "ops-alarms").InputString("policy"), "dms")
}

func TestObservabilityRefusesMigrationArgumentsThatCannotWork(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*observability.Args, *observabilityWorld)
		want string
	}{
		{"instance without task", func(a *observability.Args, _ *observabilityWorld) {
			a.ReplicationInstanceIdentifier = pulumi.String("cutover")
		}, "ReplicationInstanceIdentifier and ReplicationTaskIdentifier go together"},
		{"negative latency line", func(a *observability.Args, _ *observabilityWorld) { a.CDCLatencyAlarmSeconds = -1 },
			"CDCLatencyAlarmSeconds -1 is negative"},
		{"nil other alarm", func(a *observability.Args, _ *observabilityWorld) { a.OtherAlarmARNs = []pulumi.StringInput{nil} },
			"OtherAlarmARNs[0] is nil"},
		{"publisher that is no service", func(a *observability.Args, _ *observabilityWorld) {
			a.Publishers = []observability.Publisher{{Service: "dms", SourceARN: "arn:aws:dms:us-east-1:123456789012:es:*"}}
		}, `Publishers[0].Service "dms" is not an AWS service principal`},
		{"publisher without a source", func(a *observability.Args, _ *observabilityWorld) {
			a.Publishers = []observability.Publisher{{Service: "dms.amazonaws.com"}}
		}, "Publishers[0].SourceARN is empty"},
		{"publishers on a shared topic", func(a *observability.Args, _ *observabilityWorld) {
			a.AlarmEmails = nil
			a.TopicARN = pulumi.String("arn:aws:sns:us-east-1:123456789012:shared")
			a.Publishers = []observability.Publisher{{Service: "dms.amazonaws.com", SourceARN: "arn:aws:dms:us-east-1:123456789012:es:*"}}
		}, "Publishers is set together with TopicARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
				w, err := observabilityNetwork(ctx, "us-east-1", 2)
				if err != nil {
					return err
				}
				args := observabilityFullArgs("us-east-1")
				tc.edit(args, w)
				_, err = observability.New(ctx, "ops", args)
				return err
			})
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), tc.want), "%v", err)
		})
	}
}
