package tests

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/migration-kit/kit/awssim"
	"github.com/migration-kit/kit/components/network"
	"github.com/migration-kit/kit/components/observability"
	"github.com/migration-kit/kit/policy/rules"
)

const (
	observabilityLB      = "app/web-alb/50dc6c495c0c9188"
	observabilityTG      = "targetgroup/web-tg/73e2d6bc24d8a067"
	observabilityASG     = "web-asg-3f9a1c2"
	observabilityDB      = "app-db-primary"
	observabilityReplica = "app-db-replica"
	observabilityDRAlarm = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:app-dr-replica-lag-1a2b3c4"
)

// observabilityWorld is what a test program built around the component: its network, for OpenSearch, and
// an instance role, for Prometheus.
type observabilityWorld struct {
	vpcID    pulumi.StringOutput
	subnets  []network.Subnet
	clientSG pulumi.StringOutput
	role     pulumi.StringOutput
}

// observabilityNetwork builds a VPC with a public subnet and a private one in each of azCount AZs, a client
// security group and an instance role, on the given resource options.
func observabilityNetwork(ctx *pulumi.Context, region string, azCount int, opts ...pulumi.ResourceOption) (*observabilityWorld, error) {
	vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, opts...)
	if err != nil {
		return nil, err
	}
	w := &observabilityWorld{vpcID: vpc.ID().ToStringOutput()}
	zones := awssim.Zones(region)
	add := func(tier network.Tier, i int, cidr string) error {
		az := zones[i].Name
		sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-%s", tier, az), &ec2.SubnetArgs{
			VpcId: vpc.ID(), CidrBlock: pulumi.String(cidr), AvailabilityZone: pulumi.String(az),
		}, opts...)
		if err != nil {
			return err
		}
		w.subnets = append(w.subnets, network.Subnet{Tier: tier, AZ: az, CIDR: netip.MustParsePrefix(cidr),
			ID: sn.ID().ToStringOutput()})
		return nil
	}
	if err := add(network.Public, 0, "10.0.0.0/24"); err != nil {
		return nil, err
	}
	for i := 0; i < azCount; i++ {
		if err := add(network.Private, i, fmt.Sprintf("10.0.%d.0/24", 10+i)); err != nil {
			return nil, err
		}
	}
	sg, err := ec2.NewSecurityGroup(ctx, "log-shippers", &ec2.SecurityGroupArgs{VpcId: vpc.ID()}, opts...)
	if err != nil {
		return nil, err
	}
	w.clientSG = sg.ID().ToStringOutput()
	role, err := iam.NewRole(ctx, "web-instances", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}, opts...)
	if err != nil {
		return nil, err
	}
	w.role = role.Name
	return w, nil
}

// observabilityFullArgs watches a web tier, a database and its replica.
func observabilityFullArgs(region string) *observability.Args {
	return &observability.Args{
		Region:                region,
		Tags:                  map[string]string{"Project": "kit", "Environment": "production", "ManagedBy": "pulumi"},
		AlarmEmails:           []string{"ops@example.com", "oncall@example.org"},
		LoadBalancerARNSuffix: pulumi.String(observabilityLB),
		TargetGroupARNSuffix:  pulumi.String(observabilityTG),
		ASGName:               pulumi.String(observabilityASG),
		ASGMaxSize:            6,
		DBInstanceIdentifier:  pulumi.String(observabilityDB),
		ReplicaIdentifier:     pulumi.String(observabilityReplica),
		ReplicaRegion:         "us-west-2",
		ReplicaLagAlarmARN:    pulumi.String(observabilityDRAlarm),
	}
}

// observabilityRun runs the component in us-east-1 with args completed by edit, which sees the test world.
func observabilityRun(t *testing.T, edit func(*observability.Args, *observabilityWorld)) *awssim.Graph {
	t.Helper()
	const region = "us-east-1"
	return simulate(t, region, func(ctx *pulumi.Context) error {
		w, err := observabilityNetwork(ctx, region, 3)
		if err != nil {
			return err
		}
		args := observabilityFullArgs(region)
		if edit != nil {
			edit(args, w)
		}
		_, err = observability.New(ctx, "ops", args)
		return err
	})
}

func observabilityOpenSearch(w *observabilityWorld) *observability.OpenSearchArgs {
	var private []network.Subnet
	for _, s := range w.subnets {
		if s.Tier == network.Private {
			private = append(private, s)
		}
	}
	return &observability.OpenSearchArgs{
		VPCID:                  w.vpcID,
		PrivateSubnets:         private,
		ClientSecurityGroupIDs: []pulumi.StringInput{w.clientSG},
		MasterUserARN:          pulumi.String("arn:aws:iam::123456789012:role/log-admins"),
		WriterRoleNames:        []pulumi.StringInput{w.role},
		SAML: &observability.OpenSearchSAML{EntityID: "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/example",
			MetadataXML: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`, MasterBackendRole: "log-admins"},
	}
}

// observabilityPolicy is a parsed IAM policy document.
type observabilityPolicy struct {
	Version   string
	Statement []struct {
		Sid       string
		Effect    string
		Principal map[string]any
		Action    any
		Resource  any
		Condition map[string]map[string]any
	}
}

func observabilityParsePolicy(t *testing.T, doc string) observabilityPolicy {
	t.Helper()
	var p observabilityPolicy
	require.NoError(t, json.Unmarshal([]byte(doc), &p), doc)
	return p
}

// observabilityList turns a policy field that may be a string or a list into a sorted list.
func observabilityList(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = []string{x}
	case []any:
		for _, e := range x {
			out = append(out, e.(string))
		}
	}
	sort.Strings(out)
	return out
}

func observabilityAlarm(t *testing.T, g *awssim.Graph, kind string) *awssim.Resource {
	t.Helper()
	a := g.Named("aws:cloudwatch/metricAlarm:MetricAlarm", "ops-"+kind)
	require.NotNil(t, a, "alarm %s", kind)
	return a
}

func observabilityDims(r *awssim.Resource) map[string]string {
	out := map[string]string{}
	if v := r.Input("dimensions"); v.IsObject() {
		for k, d := range v.ObjectValue() {
			out[string(k)] = d.StringValue()
		}
	}
	return out
}

func TestObservabilityAlarmsWatchTheGivenResources(t *testing.T) {
	g := observabilityRun(t, nil)
	topic := g.ByType("aws:sns/topic:Topic")
	require.Len(t, topic, 1)
	topicARN := topic[0].OutputString("arn")

	lb := map[string]string{"LoadBalancer": observabilityLB}
	lbTG := map[string]string{"LoadBalancer": observabilityLB, "TargetGroup": observabilityTG}
	asg := map[string]string{"AutoScalingGroupName": observabilityASG}
	db := map[string]string{"DBInstanceIdentifier": observabilityDB}
	cases := []struct {
		kind, namespace, metric, stat, op, missing string
		dims                                       map[string]string
		threshold                                  float64
		period, evaluations                        float64
	}{
		{"alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", "GreaterThanThreshold", "notBreaching", lb, 10, 60, 5},
		{"target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", "notBreaching", lbTG, 10, 60, 5},
		{"target-p99", "AWS/ApplicationELB", "TargetResponseTime", "p99", "GreaterThanThreshold", "notBreaching", lbTG, 2, 60, 5},
		{"unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold", "breaching", lbTG, 0, 60, 3},
		{"asg-at-max", "AWS/AutoScaling", "GroupInServiceInstances", "Minimum", "GreaterThanOrEqualToThreshold", "missing", asg, 6, 300, 3},
		{"instance-cpu", "AWS/EC2", "CPUUtilization", "Average", "GreaterThanThreshold", "notBreaching", asg, 80, 300, 3},
		{"db-cpu", "AWS/RDS", "CPUUtilization", "Average", "GreaterThanThreshold", "missing", db, 80, 300, 3},
		{"db-free-storage", "AWS/RDS", "FreeStorageSpace", "Minimum", "LessThanThreshold", "missing", db, 5 * 1024 * 1024 * 1024, 300, 1},
		{"db-connections", "AWS/RDS", "DatabaseConnections", "Maximum", "GreaterThanThreshold", "missing", db, 100, 300, 2},
	}
	require.Len(t, g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm"), len(cases))
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			a := observabilityAlarm(t, g, c.kind)
			assert.Equal(t, c.namespace, a.InputString("namespace"))
			assert.Equal(t, c.metric, a.InputString("metricName"))
			assert.Equal(t, c.dims, observabilityDims(a))
			if strings.HasPrefix(c.stat, "p") {
				assert.Equal(t, c.stat, a.InputString("extendedStatistic"))
				assert.True(t, a.Input("statistic").IsNull())
			} else {
				assert.Equal(t, c.stat, a.InputString("statistic"))
			}
			assert.Equal(t, c.op, a.InputString("comparisonOperator"))
			assert.Equal(t, c.threshold, a.Input("threshold").NumberValue())
			assert.Equal(t, c.period, a.Input("period").NumberValue())
			assert.Equal(t, c.evaluations, a.Input("evaluationPeriods").NumberValue())
			assert.Equal(t, c.missing, a.InputString("treatMissingData"))
			assert.Equal(t, []string{topicARN}, observabilityStrings(a.Input("alarmActions")))
			assert.Equal(t, []string{topicARN}, observabilityStrings(a.Input("okActions")))
			assert.Equal(t, "production", a.Tags()["Environment"])
			assert.Regexp(t, `^arn:aws:cloudwatch:us-east-1:123456789012:alarm:ops-`+c.kind+`-[0-9a-f]{7}$`, a.OutputString("arn"))
		})
	}
}

// observabilityStrings reads a recorded array of strings, unwrapping the outputs it was built from.
func observabilityStrings(v resource.PropertyValue) []string {
	var out []string
	if !v.IsArray() {
		return nil
	}
	for _, e := range v.ArrayValue() {
		for e.IsOutput() || e.IsSecret() {
			if e.IsOutput() {
				e = e.OutputValue().Element
			} else {
				e = e.SecretValue().Element
			}
		}
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

func TestObservabilityThresholdsFollowTheArgs(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, _ *observabilityWorld) {
		a.Thresholds = observability.Thresholds{ALB5XXPerMinute: 3, TargetResponseTimeP99Seconds: 0.5,
			UnhealthyHosts: 1, ASGAtMaxMinutes: 30, InstanceCPUPercent: 70, DBFreeStorageGiB: 20, DBConnections: 400}
	})
	assert.Equal(t, 3.0, observabilityAlarm(t, g, "alb-5xx").Input("threshold").NumberValue())
	assert.Equal(t, 10.0, observabilityAlarm(t, g, "target-5xx").Input("threshold").NumberValue(), "default kept")
	assert.Equal(t, 0.5, observabilityAlarm(t, g, "target-p99").Input("threshold").NumberValue())
	assert.Equal(t, 1.0, observabilityAlarm(t, g, "unhealthy-hosts").Input("threshold").NumberValue())
	atMax := observabilityAlarm(t, g, "asg-at-max")
	assert.Equal(t, 6.0, atMax.Input("evaluationPeriods").NumberValue(), "30 minutes of 5-minute periods")
	assert.Equal(t, 6.0, atMax.Input("datapointsToAlarm").NumberValue())
	assert.Equal(t, 70.0, observabilityAlarm(t, g, "instance-cpu").Input("threshold").NumberValue())
	assert.Equal(t, 20.0*1024*1024*1024, observabilityAlarm(t, g, "db-free-storage").Input("threshold").NumberValue())
	assert.Equal(t, 400.0, observabilityAlarm(t, g, "db-connections").Input("threshold").NumberValue())
}

func TestObservabilityAlarmTopicIsEncryptedWithAKeyCloudWatchMayUse(t *testing.T) {
	g := observabilityRun(t, nil)
	topic := g.ByType("aws:sns/topic:Topic")[0]
	keys := g.ByType("aws:kms/key:Key")
	require.Len(t, keys, 1)
	assert.Equal(t, keys[0].OutputString("arn"), topic.InputString("kmsMasterKeyId"))
	assert.True(t, keys[0].Input("enableKeyRotation").BoolValue())

	p := observabilityParsePolicy(t, keys[0].InputString("policy"))
	var cloudwatch, admin bool
	for _, st := range p.Statement {
		switch {
		case st.Principal["Service"] == "cloudwatch.amazonaws.com":
			cloudwatch = true
			assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey*"}, observabilityList(st.Action))
		case st.Principal["AWS"] == "arn:aws:iam::123456789012:root":
			admin = true
		default:
			t.Errorf("unexpected key policy statement %+v", st)
		}
	}
	assert.True(t, cloudwatch, "CloudWatch must be able to use the key, or alarms never publish")
	assert.True(t, admin, "the account must keep control of the key")
}

func TestObservabilityGivenKeyEncryptsTheTopic(t *testing.T) {
	const key = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	g := observabilityRun(t, func(a *observability.Args, _ *observabilityWorld) {
		a.TopicKMSKeyARN = pulumi.String(key)
	})
	assert.Empty(t, g.ByType("aws:kms/key:Key"))
	assert.Equal(t, key, g.ByType("aws:sns/topic:Topic")[0].InputString("kmsMasterKeyId"))
}

func TestObservabilityEmailsSubscribeToTheTopic(t *testing.T) {
	g := observabilityRun(t, nil)
	topicARN := g.ByType("aws:sns/topic:Topic")[0].OutputString("arn")
	var endpoints []string
	for _, s := range g.ByType("aws:sns/topicSubscription:TopicSubscription") {
		assert.Equal(t, "email", s.InputString("protocol"))
		assert.Equal(t, topicARN, s.InputString("topic"))
		assert.True(t, s.Output("pendingConfirmation").BoolValue(), "email subscriptions wait for a click")
		endpoints = append(endpoints, s.InputString("endpoint"))
	}
	sort.Strings(endpoints)
	assert.Equal(t, []string{"oncall@example.org", "ops@example.com"}, endpoints)
}

func TestObservabilityOnlyWatchesThePartsGiven(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.New(ctx, "ops", &observability.Args{Region: "us-east-1",
			DBInstanceIdentifier: pulumi.String(observabilityDB)})
		return err
	})
	var kinds []string
	for _, a := range g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		kinds = append(kinds, a.Name)
		assert.Equal(t, "AWS/RDS", a.InputString("namespace"))
	}
	assert.Equal(t, []string{"ops-db-connections", "ops-db-cpu", "ops-db-free-storage"}, kinds)
	assert.Len(t, g.ByType("aws:sns/topic:Topic"), 1)
	assert.Empty(t, g.ByType("aws:sns/topicSubscription:TopicSubscription"))

	// Nothing given at all: the topic and an explanatory dashboard, no alarms.
	g = simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.New(ctx, "ops", &observability.Args{Region: "us-east-1"})
		return err
	})
	assert.Empty(t, g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm"))
	assert.Len(t, g.ByType("aws:cloudwatch/dashboard:Dashboard"), 1)
}

func TestObservabilityMakesNoReplicaLagAlarmOfItsOwn(t *testing.T) {
	g := observabilityRun(t, nil)
	for _, a := range g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		assert.NotEqual(t, "ReplicaLag", a.InputString("metricName"), "the DR component owns the replica lag alarm")
	}
}

// observabilityDashboard parses the recorded dashboard body.
type observabilityDashboardBody struct {
	Widgets []struct {
		Type       string
		X, Y       int
		Width      int
		Height     int
		Properties struct {
			Title       string
			Markdown    string
			Region      string
			Alarms      []string
			Metrics     [][]any
			Annotations struct {
				Alarms     []string
				Horizontal []struct {
					Label string
					Value float64
				}
			}
		}
	}
}

func observabilityDashboard(t *testing.T, g *awssim.Graph) (*awssim.Resource, observabilityDashboardBody) {
	t.Helper()
	ds := g.ByType("aws:cloudwatch/dashboard:Dashboard")
	require.Len(t, ds, 1)
	var body observabilityDashboardBody
	require.NoError(t, json.Unmarshal([]byte(ds[0].InputString("dashboardBody")), &body))
	return ds[0], body
}

// observabilityDimensionValues collects, per region, every dimension value the dashboard's metrics name.
func observabilityDimensionValues(body observabilityDashboardBody) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, w := range body.Widgets {
		for _, m := range w.Properties.Metrics {
			if out[w.Properties.Region] == nil {
				out[w.Properties.Region] = map[string]bool{}
			}
			for i := 2; i+1 < len(m); i += 2 {
				name, _ := m[i].(string)
				value, _ := m[i+1].(string)
				out[w.Properties.Region][name+"="+value] = true
			}
		}
	}
	return out
}

func TestObservabilityDashboardNamesTheRealResources(t *testing.T) {
	g := observabilityRun(t, nil)
	d, body := observabilityDashboard(t, g)
	assert.Equal(t, "kit-test-ops", d.InputString("dashboardName"))
	assert.Equal(t, "arn:aws:cloudwatch::123456789012:dashboard/kit-test-ops", d.OutputString("dashboardArn"))

	var rows []string
	for _, w := range body.Widgets {
		if w.Type == "text" {
			rows = append(rows, strings.TrimPrefix(w.Properties.Markdown, "## "))
		}
		assert.LessOrEqual(t, w.X+w.Width, 24, "widget %q leaves the grid", w.Properties.Title)
	}
	assert.Equal(t, []string{"Alarms", "Traffic", "Latency", "Errors", "Capacity", "Database", "Replica lag"}, rows)

	dims := observabilityDimensionValues(body)
	for _, want := range []string{"LoadBalancer=" + observabilityLB, "TargetGroup=" + observabilityTG,
		"AutoScalingGroupName=" + observabilityASG, "DBInstanceIdentifier=" + observabilityDB} {
		assert.True(t, dims["us-east-1"][want], "dashboard misses %s in us-east-1", want)
	}
	assert.Equal(t, map[string]bool{"DBInstanceIdentifier=" + observabilityReplica: true}, dims["us-west-2"],
		"replica lag is graphed in the replica's region, and only there")

	var statusAlarms, drAlarm []string
	for _, w := range body.Widgets {
		statusAlarms = append(statusAlarms, w.Properties.Alarms...)
		drAlarm = append(drAlarm, w.Properties.Annotations.Alarms...)
	}
	var alarmARNs []string
	for _, a := range g.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		alarmARNs = append(alarmARNs, a.OutputString("arn"))
	}
	sort.Strings(alarmARNs)
	assert.Equal(t, alarmARNs, statusAlarms, "the status row shows exactly the component's alarms")
	assert.Equal(t, []string{observabilityDRAlarm}, drAlarm, "the DR component's alarm is graphed, not copied")
}

func TestObservabilityDashboardBodyLeavesOutRowsWithNothingToShow(t *testing.T) {
	body, err := observability.DashboardBody(observability.DashboardSpec{Region: "eu-west-1", DBInstance: "db-1"})
	require.NoError(t, err)
	var parsed observabilityDashboardBody
	require.NoError(t, json.Unmarshal([]byte(body), &parsed))
	var rows []string
	for _, w := range parsed.Widgets {
		if w.Type == "text" {
			rows = append(rows, w.Properties.Markdown)
		} else {
			assert.Equal(t, "eu-west-1", w.Properties.Region)
		}
	}
	assert.Equal(t, []string{"## Database"}, rows)

	_, err = observability.DashboardBody(observability.DashboardSpec{})
	assert.ErrorContains(t, err, "region")
}

func TestObservabilityOptionalServicesAppearOnlyWhenAsked(t *testing.T) {
	optional := []string{"aws:amp/workspace:Workspace", "aws:grafana/workspace:Workspace",
		"aws:opensearch/domain:Domain", "aws:iam/rolePolicy:RolePolicy", "aws:iam/serviceLinkedRole:ServiceLinkedRole"}
	g := observabilityRun(t, nil)
	for _, typ := range optional {
		assert.Empty(t, g.ByType(typ), "%s made without being asked", typ)
	}
	assert.Len(t, g.ByType("aws:iam/role:Role"), 1, "only the test's own instance role")

	g = observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.Prometheus, a.InstanceRoleName = true, w.role
		a.Grafana = true
		a.OpenSearch = observabilityOpenSearch(w)
	})
	for _, typ := range optional[:3] {
		assert.Len(t, g.ByType(typ), 1, typ)
	}
}

func TestObservabilityPrometheusRemoteWriteIsTheInstancesOnlyGrant(t *testing.T) {
	var roleName string
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.Prometheus, a.InstanceRoleName = true, w.role
	})
	ws := g.ByType("aws:amp/workspace:Workspace")
	require.Len(t, ws, 1)
	wsARN := ws[0].OutputString("arn")
	assert.Regexp(t, `^arn:aws:aps:us-east-1:123456789012:workspace/ws-[0-9a-f-]{36}$`, wsARN)
	roleName = g.Named("aws:iam/role:Role", "web-instances").ID

	policies := g.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	assert.Equal(t, roleName, policies[0].InputString("role"))
	p := observabilityParsePolicy(t, policies[0].InputString("policy"))
	require.Len(t, p.Statement, 1)
	st := p.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, []string{"aps:RemoteWrite"}, observabilityList(st.Action))
	assert.Equal(t, []string{wsARN}, observabilityList(st.Resource))
}

func TestObservabilityGrafanaRoleOnlyReadsItsDataSources(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.Prometheus, a.InstanceRoleName, a.Grafana = true, w.role, true
	})
	role := g.Named("aws:iam/role:Role", "ops-grafana")
	require.NotNil(t, role)
	trust := observabilityParsePolicy(t, role.InputString("assumeRolePolicy"))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, map[string]any{"Service": "grafana.amazonaws.com"}, trust.Statement[0].Principal)
	assert.Equal(t, map[string]any{"aws:SourceAccount": awssim.AccountID}, trust.Statement[0].Condition["StringEquals"])
	assert.Equal(t, map[string]any{"aws:SourceArn": "arn:aws:grafana:us-east-1:123456789012:/workspaces/*"},
		trust.Statement[0].Condition["ArnLike"])

	var read *awssim.Resource
	for _, p := range g.ByType("aws:iam/rolePolicy:RolePolicy") {
		if p.InputString("role") == role.ID {
			read = p
		}
	}
	require.NotNil(t, read)
	wsARN := g.ByType("aws:amp/workspace:Workspace")[0].OutputString("arn")
	grants := map[string][]string{}
	for _, st := range observabilityParsePolicy(t, read.InputString("policy")).Statement {
		assert.Equal(t, "Allow", st.Effect)
		grants[strings.Join(observabilityList(st.Resource), ",")] = observabilityList(st.Action)
	}
	assert.Equal(t, map[string][]string{
		// AmazonGrafanaCloudWatchAccess without its logs statement.
		"*": {"cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmsForMetric",
			"cloudwatch:GetInsightRuleReport", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics",
			"cloudwatch:ListMetrics", "ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeTags",
			"oam:ListAttachedLinks", "oam:ListSinks", "tag:GetResources"},
		wsARN: {"aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"},
	}, grants)

	ws := g.ByType("aws:grafana/workspace:Workspace")[0]
	assert.Equal(t, "CUSTOMER_MANAGED", ws.InputString("permissionType"))
	assert.Equal(t, role.OutputString("arn"), ws.InputString("roleArn"))
	assert.Equal(t, []string{"CLOUDWATCH", "PROMETHEUS"}, observabilityStrings(ws.Input("dataSources")))
	assert.Equal(t, []string{"AWS_SSO"}, observabilityStrings(ws.Input("authenticationProviders")))
	assert.Regexp(t, `^g-[0-9a-f]{10}\.grafana-workspace\.us-east-1\.amazonaws\.com$`, ws.OutputString("endpoint"))
}

func TestObservabilityGrafanaWithoutPrometheusReadsCloudWatchOnly(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, _ *observabilityWorld) { a.Grafana = true })
	ws := g.ByType("aws:grafana/workspace:Workspace")[0]
	assert.Equal(t, []string{"CLOUDWATCH"}, observabilityStrings(ws.Input("dataSources")))
	policies := g.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	for _, st := range observabilityParsePolicy(t, policies[0].InputString("policy")).Statement {
		for _, a := range observabilityList(st.Action) {
			assert.False(t, strings.HasPrefix(a, "aps:") || strings.HasPrefix(a, "logs:"), "unexpected grant %s", a)
		}
	}
}

func TestObservabilityOpenSearchStaysInsideThePrivateSubnets(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.OpenSearch = observabilityOpenSearch(w)
		a.OpenSearch.AZCount, a.OpenSearch.InstanceCount, a.OpenSearch.VolumeSizeGiB = 3, 6, 100
	})
	d := g.ByType("aws:opensearch/domain:Domain")[0]

	var private []string
	for _, s := range g.ByType("aws:ec2/subnet:Subnet") {
		if strings.HasPrefix(s.Name, "private-") {
			private = append(private, s.ID)
		}
	}
	subnets := observabilityStrings(d.Input("vpcOptions.subnetIds"))
	sort.Strings(subnets)
	sort.Strings(private)
	assert.Equal(t, private, subnets, "one private subnet per AZ, never the public one")
	assert.Regexp(t, `^vpc-ops-[0-9a-f]{26}\.us-east-1\.es\.amazonaws\.com$`, d.OutputString("endpoint"),
		"a VPC endpoint, not a public search- one")

	sgs := observabilityStrings(d.Input("vpcOptions.securityGroupIds"))
	require.Len(t, sgs, 1)
	sg := g.ByID(sgs[0])
	client := g.Named("aws:ec2/securityGroup:SecurityGroup", "log-shippers").ID
	ingress := sg.Input("ingress").ArrayValue()
	require.Len(t, ingress, 1)
	rule := ingress[0].ObjectValue()
	assert.Equal(t, 443.0, rule["fromPort"].NumberValue())
	assert.Equal(t, 443.0, rule["toPort"].NumberValue())
	assert.Equal(t, []string{client}, observabilityStrings(rule["securityGroups"]))
	assert.True(t, rule["cidrBlocks"].IsNull() || len(rule["cidrBlocks"].ArrayValue()) == 0, "no address ranges")
	assert.True(t, sg.Input("egress").IsNull() || len(sg.Input("egress").ArrayValue()) == 0, "no egress")

	assert.True(t, d.Input("encryptAtRest.enabled").BoolValue())
	assert.True(t, d.Input("nodeToNodeEncryption.enabled").BoolValue())
	assert.True(t, d.Input("domainEndpointOptions.enforceHttps").BoolValue())
	assert.Contains(t, d.InputString("domainEndpointOptions.tlsSecurityPolicy"), "TLS-1-2")
	assert.True(t, d.Input("advancedSecurityOptions.enabled").BoolValue())
	assert.False(t, d.Input("advancedSecurityOptions.internalUserDatabaseEnabled").BoolValue())
	assert.False(t, d.Input("advancedSecurityOptions.anonymousAuthEnabled").BoolValue())
	assert.Equal(t, "arn:aws:iam::123456789012:role/log-admins",
		d.InputString("advancedSecurityOptions.masterUserOptions.masterUserArn"))

	assert.True(t, d.Input("clusterConfig.zoneAwarenessEnabled").BoolValue())
	assert.Equal(t, 3.0, d.Input("clusterConfig.zoneAwarenessConfig.availabilityZoneCount").NumberValue())
	assert.Equal(t, 6.0, d.Input("clusterConfig.instanceCount").NumberValue())
	assert.Equal(t, "r6g.large.search", d.InputString("clusterConfig.instanceType"))
	assert.Equal(t, 100.0, d.Input("ebsOptions.volumeSize").NumberValue())

	access := observabilityParsePolicy(t, d.InputString("accessPolicies"))
	require.Len(t, access.Statement, 1)
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, access.Statement[0].Principal,
		"never an anonymous principal")
	assert.Equal(t, []string{"arn:aws:es:us-east-1:123456789012:domain/ops/*"}, observabilityList(access.Statement[0].Resource))
}

func TestObservabilityOpenSearchCanCreateItsServiceLinkedRole(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.OpenSearch = observabilityOpenSearch(w)
		a.OpenSearch.CreateServiceLinkedRole = true
	})
	roles := g.ByType("aws:iam/serviceLinkedRole:ServiceLinkedRole")
	require.Len(t, roles, 1)
	assert.Equal(t, "opensearchservice.amazonaws.com", roles[0].InputString("awsServiceName"))
	assert.Contains(t, g.ByType("aws:opensearch/domain:Domain")[0].DependsOn, roles[0].URN,
		"the domain waits for the role it needs")
}

func TestObservabilityWorksInASecondRegionOnAnExplicitProvider(t *testing.T) {
	const region = "eu-west-1"
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "dr", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		w, err := observabilityNetwork(ctx, region, 2, pulumi.Provider(p))
		if err != nil {
			return err
		}
		args := observabilityFullArgs(region)
		args.Prometheus, args.InstanceRoleName, args.Grafana = true, w.role, true
		args.OpenSearch = observabilityOpenSearch(w)
		_, err = observability.New(ctx, "ops", args, pulumi.Provider(p))
		return err
	})
	for _, r := range g.Resources() {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			assert.Equal(t, region, r.Region, "%s %s", r.Type, r.Name)
		}
	}
	assert.Contains(t, g.ByType("aws:sns/topic:Topic")[0].OutputString("arn"), ":sns:eu-west-1:")
	_, body := observabilityDashboard(t, g)
	for _, w := range body.Widgets {
		if w.Type == "metric" && !strings.HasPrefix(w.Properties.Title, "Replica") {
			assert.Equal(t, region, w.Properties.Region, w.Properties.Title)
		}
	}
	assert.Regexp(t, `\.eu-west-1\.es\.amazonaws\.com$`, g.ByType("aws:opensearch/domain:Domain")[0].OutputString("endpoint"))
}

// observabilityEverythingOn runs the component in us-east-1 with every optional part asked for, on a network
// of azs AZs.
func observabilityEverythingOn(azs int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		w, err := observabilityNetwork(ctx, "us-east-1", azs)
		if err != nil {
			return err
		}
		args := observabilityFullArgs("us-east-1")
		args.Prometheus, args.InstanceRoleName, args.Grafana = true, w.role, true
		args.OpenSearch = observabilityOpenSearch(w)
		_, err = observability.New(ctx, "ops", args)
		return err
	}
}

func TestObservabilityRunsAsAPreview(t *testing.T) {
	_, err := awssim.Run(observabilityEverythingOn(2), awssim.Options{Project: project, Stack: "test", Config: map[string]string{"aws:region": "us-east-1"}, DryRun: true})
	require.NoError(t, err)
}

// observabilityErr runs the component with args edited from the full set and returns its error.
func observabilityErr(t *testing.T, edit func(*observability.Args, *observabilityWorld)) error {
	t.Helper()
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		w, err := observabilityNetwork(ctx, "us-east-1", 2)
		if err != nil {
			return err
		}
		args := observabilityFullArgs("us-east-1")
		edit(args, w)
		_, err = observability.New(ctx, "ops", args)
		return err
	})
	return err
}

func TestObservabilityRejectsBadArgsBeforeRegistering(t *testing.T) {
	cases := []struct {
		name string
		edit func(*observability.Args, *observabilityWorld)
		want string
	}{
		{"no region", func(a *observability.Args, _ *observabilityWorld) { a.Region = "" }, "Region is empty"},
		{"bad region", func(a *observability.Args, _ *observabilityWorld) { a.Region = "Virginia" }, `Region "Virginia" is not an AWS region`},
		{"not an email", func(a *observability.Args, _ *observabilityWorld) { a.AlarmEmails = []string{"ops-at-example.com"} },
			`AlarmEmails: "ops-at-example.com" is not an email address`},
		{"email without a domain dot", func(a *observability.Args, _ *observabilityWorld) { a.AlarmEmails = []string{"ops@localhost"} },
			`"ops@localhost" is not an email address`},
		{"email with a display name", func(a *observability.Args, _ *observabilityWorld) { a.AlarmEmails = []string{"Ops <ops@example.com>"} },
			`"Ops <ops@example.com>" is not an email address`},
		{"duplicate email", func(a *observability.Args, _ *observabilityWorld) {
			a.AlarmEmails = []string{"ops@example.com", "OPS@example.com"}
		}, `"OPS@example.com" is listed twice`},
		{"AWS managed SNS key", func(a *observability.Args, _ *observabilityWorld) { a.TopicKMSKeyARN = pulumi.String("alias/aws/sns") },
			"TopicKMSKeyARN \"alias/aws/sns\" is the AWS managed SNS key"},
		{"bad dashboard name", func(a *observability.Args, _ *observabilityWorld) { a.DashboardName = "ops dashboard" },
			`DashboardName "ops dashboard" must be`},
		{"load balancer without target group", func(a *observability.Args, _ *observabilityWorld) { a.TargetGroupARNSuffix = nil },
			"TargetGroupARNSuffix is unset but LoadBalancerARNSuffix is set"},
		{"target group without load balancer", func(a *observability.Args, _ *observabilityWorld) { a.LoadBalancerARNSuffix = nil },
			"LoadBalancerARNSuffix is unset but TargetGroupARNSuffix is set"},
		{"full ALB ARN", func(a *observability.Args, _ *observabilityWorld) {
			a.LoadBalancerARNSuffix = pulumi.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/" + observabilityLB)
		}, "is not an ALB ARN suffix"},
		{"target group name", func(a *observability.Args, _ *observabilityWorld) { a.TargetGroupARNSuffix = pulumi.String("web-tg") },
			`TargetGroupARNSuffix "web-tg" is not a target group ARN suffix`},
		{"group without max size", func(a *observability.Args, _ *observabilityWorld) { a.ASGMaxSize = 0 },
			"ASGMaxSize 0 is less than 1 while ASGName is set"},
		{"max size without group", func(a *observability.Args, _ *observabilityWorld) { a.ASGName = nil },
			"ASGMaxSize 6 is set without ASGName"},
		{"replica without region", func(a *observability.Args, _ *observabilityWorld) { a.ReplicaRegion = "" },
			"ReplicaRegion is empty while ReplicaIdentifier is set"},
		{"replica alarm without replica", func(a *observability.Args, _ *observabilityWorld) { a.ReplicaIdentifier = nil },
			"set without ReplicaIdentifier"},
		{"negative 5XX threshold", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.ALB5XXPerMinute = -1 },
			"Thresholds.ALB5XXPerMinute -1 is negative"},
		{"negative target 5XX threshold", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.Target5XXPerMinute = -2 },
			"Thresholds.Target5XXPerMinute -2 is negative"},
		{"negative unhealthy hosts", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.UnhealthyHosts = -1 },
			"Thresholds.UnhealthyHosts -1 is negative"},
		{"negative connections", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.DBConnections = -5 },
			"Thresholds.DBConnections -5 is negative"},
		{"CPU over 100", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.InstanceCPUPercent = 120 },
			"Thresholds.InstanceCPUPercent 120 is out of range"},
		{"DB CPU at 100", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.DBCPUPercent = 100 },
			"Thresholds.DBCPUPercent 100 is out of range"},
		{"response time too long", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.TargetResponseTimeP99Seconds = 5000 },
			"Thresholds.TargetResponseTimeP99Seconds 5000 is out of range"},
		{"negative free storage", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.DBFreeStorageGiB = -1 },
			"Thresholds.DBFreeStorageGiB -1 is negative"},
		{"at-max not a multiple of 5", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.ASGAtMaxMinutes = 12 },
			"Thresholds.ASGAtMaxMinutes 12 must be a multiple of 5"},
		{"at-max over a day", func(a *observability.Args, _ *observabilityWorld) { a.Thresholds.ASGAtMaxMinutes = 1445 },
			"Thresholds.ASGAtMaxMinutes 1445 must be"},
		{"Prometheus without a role", func(a *observability.Args, _ *observabilityWorld) { a.Prometheus = true },
			"InstanceRoleName is unset while Prometheus is true"},
		{"Grafana providers without Grafana", func(a *observability.Args, _ *observabilityWorld) {
			a.GrafanaAuthenticationProviders = []string{"SAML"}
		}, "GrafanaAuthenticationProviders is set while Grafana is false"},
		{"unknown Grafana provider", func(a *observability.Args, _ *observabilityWorld) {
			a.Grafana, a.GrafanaAuthenticationProviders = true, []string{"OKTA"}
		}, `"OKTA" is not a Grafana sign-in method`},
		{"OpenSearch without VPC", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.VPCID = nil
		}, "OpenSearch.VPCID is unset"},
		{"OpenSearch without master user", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.MasterUserARN = nil
		}, "OpenSearch.MasterUserARN is unset"},
		{"OpenSearch master user not an IAM ARN", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.MasterUserARN = pulumi.String("admin")
		}, `OpenSearch.MasterUserARN "admin" is not an IAM ARN`},
		{"OpenSearch domain name", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.DomainName = "Logs"
		}, `OpenSearch.DomainName "Logs" must be 3-28`},
		{"OpenSearch engine", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.EngineVersion = "Elasticsearch_7.10"
		}, `OpenSearch.EngineVersion "Elasticsearch_7.10" is not an OpenSearch version`},
		{"OpenSearch instance type", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.InstanceType = "r6g.large"
		}, `OpenSearch.InstanceType "r6g.large" is not an OpenSearch instance type`},
		{"OpenSearch AZ count", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.AZCount = 4
		}, "OpenSearch.AZCount 4 is out of range"},
		{"OpenSearch instance count not a multiple", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.InstanceCount = 3
		}, "OpenSearch.InstanceCount 3 is not a multiple of AZCount 2: OpenSearch needs the same number of data nodes in each AZ, so use 2 or 4"},
		{"OpenSearch negative instance count", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.InstanceCount = -2
		}, "OpenSearch.InstanceCount -2 is less than 1: use a multiple of AZCount, or 0 for one data node per AZ"},
		{"OpenSearch small volume", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.VolumeSizeGiB = 5
		}, "OpenSearch.VolumeSizeGiB 5 is below OpenSearch's gp3 minimum of 10 GiB"},
		{"OpenSearch needs more AZs than the subnets cover", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.AZCount = 3
		}, "OpenSearch.PrivateSubnets cover 2 AZ(s) (us-east-1a, us-east-1b) but AZCount is 3"},
		{"OpenSearch in a public subnet", func(a *observability.Args, w *observabilityWorld) {
			a.OpenSearch = observabilityOpenSearch(w)
			a.OpenSearch.PrivateSubnets = w.subnets
		}, "OpenSearch.PrivateSubnets: the subnet in us-east-1a (10.0.0.0/24) is in the public tier"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := observabilityErr(t, c.edit)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestObservabilityReportsEveryProblemAtOnceAndRegistersNothing(t *testing.T) {
	g, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.New(ctx, "ops", &observability.Args{
			AlarmEmails: []string{"nope"},
			Thresholds:  observability.Thresholds{InstanceCPUPercent: 101, ASGAtMaxMinutes: 7},
			Prometheus:  true,
		})
		return err
	})
	require.Error(t, err)
	for _, want := range []string{"5 problem(s)", "Region is empty", `"nope" is not an email address`,
		"InstanceCPUPercent 101", "ASGAtMaxMinutes 7", "InstanceRoleName is unset"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, g.Len(), "nothing may be registered when the arguments are wrong")
}

func TestObservabilityNilArgsIsAnError(t *testing.T) {
	_, err := simulateErr(t, "us-east-1", func(ctx *pulumi.Context) error {
		_, err := observability.New(ctx, "ops", nil)
		return err
	})
	assert.ErrorContains(t, err, "observability: args are nil")
}

func TestObservabilityOpenSearchFitsTheNetworkComponentsPrivateTier(t *testing.T) {
	g := simulate(t, "us-east-1", func(ctx *pulumi.Context) error {
		vpc, err := network.New(ctx, "net", &network.Args{})
		if err != nil {
			return err
		}
		role, err := iam.NewRole(ctx, "app-instances", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
		if err != nil {
			return err
		}
		_, err = observability.New(ctx, "ops", &observability.Args{
			Region: "us-east-1",
			OpenSearch: &observability.OpenSearchArgs{
				VPCID: vpc.VPCID, PrivateSubnets: vpc.SubnetsOf(network.Private), AZCount: 3,
				MasterUserARN:   pulumi.String("arn:aws:iam::123456789012:role/log-admins"),
				WriterRoleNames: []pulumi.StringInput{role.Name},
				SAML: &observability.OpenSearchSAML{EntityID: "https://idp.example.com",
					MetadataXML: "<EntityDescriptor/>", MasterBackendRole: "log-admins"},
			},
		})
		return err
	})
	d := g.ByType("aws:opensearch/domain:Domain")[0]
	var private []string
	for _, s := range g.ByType("aws:ec2/subnet:Subnet") {
		if s.Tags()["Tier"] == string(network.Private) || strings.Contains(s.Name, "private") {
			private = append(private, s.ID)
		}
	}
	got := observabilityStrings(d.Input("vpcOptions.subnetIds"))
	sort.Strings(got)
	sort.Strings(private)
	assert.Equal(t, private, got)
	assert.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, observabilityStrings(d.Output("vpcOptions.availabilityZones")))
}

// BenchmarkObservabilityEverythingOn times one run of the component with every part asked for.
func BenchmarkObservabilityEverythingOn(b *testing.B) {
	for b.Loop() {
		simulate(b, "us-east-1", observabilityEverythingOn(3))
	}
}

// TestObservabilityPassesEveryPolicyRule judges the component with every part on against the kit's policy pack.
func TestObservabilityPassesEveryPolicyRule(t *testing.T) {
	g := observabilityRun(t, func(a *observability.Args, w *observabilityWorld) {
		a.Prometheus, a.InstanceRoleName, a.Grafana = true, w.role, true
		a.OpenSearch = observabilityOpenSearch(w)
		// Production needs three data nodes with zone awareness (Opensearch.6).
		a.OpenSearch.AZCount = 3
	})
	var ours []policyx.AnalyzerResource
	for _, r := range g.AnalyzerResources() {
		// The test's own scaffolding (a bare VPC without flow logs, untagged) is not the component's to answer for.
		if strings.Contains(r.URN, "kit:observability:Observability") {
			ours = append(ours, r)
		}
	}
	require.NotEmpty(t, ours)
	for _, stack := range []string{"dev", "prod"} {
		vs, err := rules.Evaluate(stack, ours)
		require.NoError(t, err)
		assert.Empty(t, vs, "stack %s", stack)
	}
}
