package tests

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/internal/plan"
	"github.com/migration-kit/kit/policy/rules"
	"github.com/migration-kit/kit/stacks"
)

// The kit:vpn and kit:migration sections of a stack file: what the stack builds from them, and what it refuses
// in the file's words.

const (
	stackVPN = `{"enabled": true, "customerGatewayIp": "198.51.100.10", "onPremCidrs": ["192.168.0.0/16"]}`
	// stackMigration moves an on-premises PostgreSQL database into the stack's database.
	stackMigration = `{"enabled": true, "source": {"engine": "postgres", "host": "192.168.10.20", "port": 5432,
		"databaseName": "orders"}, "createAccountRoles": true}`
	typeDashboard      = "aws:cloudwatch/dashboard:Dashboard"
	typeSNSTopicPolicy = "aws:sns/topicPolicy:TopicPolicy"
	typeSNSTopic       = "aws:sns/topic:Topic"
)

// stackMigrationPlan plans stack name with the data centre's sections set (an empty value leaves one out).
func stackMigrationPlan(t *testing.T, name, vpn, migration string, edit func(map[string]string)) *plan.Result {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(root, "stacks", "Pulumi."+name+".yaml"))
	require.NoError(t, err)
	s := string(text)
	if vpn != "" {
		s += "  kit:vpn: " + strings.Join(strings.Fields(vpn), " ") + "\n"
	}
	if migration != "" {
		s += "  kit:migration: " + strings.Join(strings.Fields(migration), " ") + "\n"
	}
	dir := copyProject(t, map[string]string{"s": s})
	r, err := plan.Build(dir, "s")
	require.NoError(t, err)
	return r
}

func TestStackMigratesIntoTheDatabaseOverTheVPN(t *testing.T) {
	r := stackMigrationPlan(t, "dev", stackVPN, stackMigration, nil)
	g := r.Graph
	assert.Empty(t, rules.MandatoryOnly(r.Violations))

	// DMS reads the database's host and port from its credentials secret, which RDS's own secret lacks: the
	// migration moves the credentials into the kit's secret, as DR does.
	db := g.Named(typeRDSInstance, "primary")
	require.NotNil(t, db)
	assert.NotEqual(t, "true", db.InputString("manageMasterUserPassword"))
	target := g.Named(typeDMSEndpoint, "migration-target")
	require.NotNil(t, target)
	secret := g.Named(typeSecret, "primary-master")
	require.NotNil(t, secret)
	assert.Equal(t, secret.OutputString("arn"), target.InputString("secretsManagerArn"))

	// Development: a single-AZ replication instance; its roles made by this stack, as the file asks.
	instance := g.Named(typeDMSInstance, "migration")
	require.NotNil(t, instance)
	assert.False(t, instance.Input("multiAz").BoolValue())
	assert.NotNil(t, g.Named(typeIAMRole, "dms-vpc-role"))
	assert.NotNil(t, g.Named(typeLogGroup, "migration-task-logs"))

	// The data centre is reached from the private and data tiers only.
	var tables []string
	for _, p := range g.ByType(typeVPNPropagation) {
		tables = append(tables, p.Name)
	}
	assert.ElementsMatch(t, []string{"datacentre-private-us-east-1a", "datacentre-private-us-east-1b", "datacentre-data"}, tables)

	// The tunnel and migration alarms and DMS's events go to the data centre's topic, which lets DMS publish
	// for this account's event subscriptions only.
	topic := g.Named(typeSNSTopic, "datacentre-alarms")
	require.NotNil(t, topic)
	policy := g.Named(typeSNSTopicPolicy, "datacentre-alarms")
	require.NotNil(t, policy)
	assert.Contains(t, policy.InputString("policy"), `"dms.amazonaws.com"`)
	assert.Contains(t, policy.InputString("policy"), `"arn:aws:dms:us-east-1:123456789012:es:*"`)
	for _, name := range []string{"datacentre-tunnel1-down", "migration-cdc-latency-target"} {
		alarm := g.Named(typeMetricAlarm, name)
		require.NotNil(t, alarm, name)
		assert.Equal(t, []string{topic.ID}, vpnStrings(alarm.Input("alarmActions")), name)
	}
	for _, s := range g.ByType(typeDMSSubscription) {
		assert.Equal(t, topic.ID, s.InputString("snsTopicArn"), s.Name)
	}

	// The primary dashboard shows the tunnels and the task.
	dash := g.Named(typeDashboard, "ops-dashboard")
	require.NotNil(t, dash)
	body := dash.InputString("dashboardBody")
	for _, want := range []string{`"TunnelState"`, `"CDCLatencyTarget"`, `"ReplicationTaskIdentifier","migration"`} {
		assert.Contains(t, body, want)
	}
}

func TestStackMigrationIsMultiAZInProductionUnlessTheFileSaysOtherwise(t *testing.T) {
	r := stackMigrationPlan(t, "prod", stackVPN, stackMigration, nil)
	assert.True(t, r.Graph.Named(typeDMSInstance, "migration").Input("multiAz").BoolValue())
	assert.Empty(t, rules.MandatoryOnly(r.Violations))

	single := strings.Replace(stackMigration, `"enabled": true,`, `"enabled": true, "multiAz": false,`, 1)
	r = stackMigrationPlan(t, "prod", stackVPN, single, nil)
	assert.False(t, r.Graph.Named(typeDMSInstance, "migration").Input("multiAz").BoolValue(), "the file is honoured")
	var ids []string
	for _, v := range rules.MandatoryOnly(r.Violations) {
		ids = append(ids, v.Policy)
	}
	assert.Equal(t, []string{"dms-replication-instance-multi-az"}, ids, "and the policy pack stops it in production")
}

func TestStackVPNAloneLeavesTheDatabaseAlone(t *testing.T) {
	r := stackMigrationPlan(t, "dev", stackVPN, "", nil)
	g := r.Graph
	assert.Empty(t, rules.MandatoryOnly(r.Violations))
	assert.NotNil(t, g.Named(typeVPNConnection, "datacentre"))
	assert.Empty(t, g.ByType(typeDMSInstance))
	assert.Nil(t, g.Named(typeSecret, "primary-master"), "without a migration RDS keeps managing the password")
	assert.Nil(t, g.Named(typeSNSTopicPolicy, "datacentre-alarms"), "no service but CloudWatch publishes")

	// With DR on, the data centre must not overlap the DR VPC either: prod's is 10.21.0.0/16.
	status, _, stderr := planFile(t, "  kit:dr:\n    enabled: true\n    region: us-west-2\n    cidr: 10.21.0.0/16\n"+
		"    rpoSeconds: 300\n  kit:vpn:\n    enabled: true\n    customerGatewayIp: 198.51.100.10\n    onPremCidrs: [10.16.0.0/12]\n")
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr, "kit:vpn.onPremCidrs[0] 10.16.0.0/12 overlaps kit:dr.cidr 10.21.0.0/16")
}

func TestStackRefusesDataCentreSettingsTheComponentsCannotSee(t *testing.T) {
	const link = "  kit:vpn:\n    enabled: true\n    customerGatewayIp: 198.51.100.10\n    onPremCidrs: [192.168.0.0/16]\n"
	const move = "  kit:migration:\n    enabled: true\n    source:\n      engine: postgres\n      host: 192.168.10.20\n" +
		"      port: 5432\n      databaseName: orders\n"
	for _, tc := range []struct{ name, config, want string }{
		{"vpn settings without enabled", "  kit:vpn:\n    customerGatewayIp: 198.51.100.10\n",
			"kit:vpn sets customerGatewayIp but not enabled: add enabled: true to connect the data centre, or enabled: false"},
		{"migration settings without enabled", link + "  kit:migration:\n    start: true\n",
			"kit:migration sets start but not enabled"},
		{"migration without the vpn", move, "kit:migration is enabled but kit:vpn is not"},
		{"migration with the vpn off", strings.Replace(link, "enabled: true", "enabled: false", 1) + move,
			"kit:migration is enabled but kit:vpn is not"},
		{"empty inside cidrs", link + "    tunnelInsideCidrs: []\n", "kit:vpn.tunnelInsideCidrs is an empty list"},
		{"asn zero", link + "    customerAsn: 0\n", "kit:vpn.customerAsn 0 is out of range"},
		{"asn not a number", link + "    customerAsn: private\n", `kit:vpn.customerAsn "private" should be a whole number`},
		{"empty routing", link + "    routing: \"\"\n", "kit:vpn.routing is empty"},
		{"unknown vpn key", link + "    customerGatewayIP: 198.51.100.10\n", `did you mean "customerGatewayIp"?`},
		{"empty tables", link + move + "    tables: []\n", "kit:migration.tables is an empty list: the task would copy nothing"},
		{"empty source secret", link + move + "      secretArn: \"\"\n", "kit:migration.source.secretArn is empty"},
		{"empty table mappings", link + move + "    tableMappings: \" \"\n", "kit:migration.tableMappings is empty"},
		{"empty instance class", link + move + "    instanceClass: \"\"\n", "kit:migration.instanceClass is empty"},
		{"zero storage", link + move + "    allocatedStorageGb: 0\n", "kit:migration.allocatedStorageGb 0 is out of range: DMS takes 5 to 6144 GiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, stderr := planFile(t, tc.config)
			assert.Equal(t, 2, status)
			assert.Contains(t, stderr, tc.want)
		})
	}

	// A four-byte private ASN fits the key, and the settings of a section turned off are kept, checked.
	status, _, stderr := planFile(t, link+"    routing: bgp\n    customerAsn: 4200000001\n")
	assert.Equal(t, 0, status, stderr)
	status, _, stderr = planFile(t, strings.Replace(link, "enabled: true", "enabled: false", 1)+
		strings.Replace(move, "enabled: true", "enabled: false", 1))
	assert.Equal(t, 0, status, stderr)
}

// TestREADMEDocumentsEveryDataCentreKey keeps the README's configuration table in step with kit:vpn and
// kit:migration: each key, nested ones included, is named in its section's rows.
func TestREADMEDocumentsEveryDataCentreKey(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	for section, typ := range map[string]reflect.Type{"vpn": reflect.TypeOf(stacks.VPNConfig{}),
		"migration": reflect.TypeOf(stacks.MigrationConfig{})} {
		m := regexp.MustCompile("(?s)\\| \\*\\*`kit:" + section + "`\\*\\* \\|.*?\n(.*?)(\n\\| \\*\\*|\n\n)").FindSubmatch(readme)
		require.NotNil(t, m, "the README's configuration table has no kit:%s section", section)
		rows := string(m[1])
		var walk func(prefix string, typ reflect.Type)
		walk = func(prefix string, typ reflect.Type) {
			for i := 0; i < typ.NumField(); i++ {
				f := typ.Field(i)
				key := strings.Split(f.Tag.Get("json"), ",")[0]
				assert.Regexp(t, "\\b"+regexp.QuoteMeta(key)+"\\b", rows, "kit:%s.%s%s is not in the README", section, prefix, key)
				ft := f.Type
				for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(prefix+key+".", ft)
				}
			}
		}
		walk("", typ)
	}
}
