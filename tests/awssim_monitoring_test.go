package tests

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/amp"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/grafana"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/opensearch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// observabilitySimAlarm is a valid alarm that each refusal case breaks in one way.
func observabilitySimAlarm(edit func(*cloudwatch.MetricAlarmArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := &cloudwatch.MetricAlarmArgs{
			Namespace: pulumi.String("AWS/EC2"), MetricName: pulumi.String("CPUUtilization"),
			Dimensions: pulumi.StringMap{"AutoScalingGroupName": pulumi.String("web")},
			Statistic:  pulumi.String("Average"), Period: pulumi.Int(300), EvaluationPeriods: pulumi.Int(3),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"), Threshold: pulumi.Float64(80),
		}
		edit(a)
		_, err := cloudwatch.NewMetricAlarm(ctx, "cpu", a)
		return err
	}
}

func observabilitySimDashboard(body string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := cloudwatch.NewDashboard(ctx, "d", &cloudwatch.DashboardArgs{
			DashboardName: pulumi.String("ops"), DashboardBody: pulumi.String(body)})
		return err
	}
}

// observabilitySimNet is three subnets in three AZs of us-east-1 and a security group.
type observabilitySimNet struct {
	subnets []pulumi.StringInput
	sg      pulumi.StringInput
}

func newObservabilitySimNet(ctx *pulumi.Context) (*observabilitySimNet, error) {
	vpc, err := ec2.NewVpc(ctx, "v", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
	if err != nil {
		return nil, err
	}
	n := &observabilitySimNet{}
	for i, az := range []string{"us-east-1a", "us-east-1b", "us-east-1c"} {
		s, err := ec2.NewSubnet(ctx, az, &ec2.SubnetArgs{VpcId: vpc.ID(), AvailabilityZone: pulumi.String(az),
			CidrBlock: pulumi.String(fmt.Sprintf("10.0.%d.0/24", i))})
		if err != nil {
			return nil, err
		}
		n.subnets = append(n.subnets, s.ID())
	}
	sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: vpc.ID()})
	n.sg = sg.ID()
	return n, err
}

// observabilitySimDomain is a valid private, fine-grained domain over azs AZs that each case breaks.
func observabilitySimDomain(azs int, edit func(*opensearch.DomainArgs, *observabilitySimNet)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		n, err := newObservabilitySimNet(ctx)
		if err != nil {
			return err
		}
		d := &opensearch.DomainArgs{
			DomainName:    pulumi.String("logs"),
			EngineVersion: pulumi.String("OpenSearch_2.17"),
			ClusterConfig: &opensearch.DomainClusterConfigArgs{
				InstanceType: pulumi.String("r6g.large.search"), InstanceCount: pulumi.Int(azs),
				ZoneAwarenessEnabled: pulumi.Bool(azs > 1),
				ZoneAwarenessConfig: &opensearch.DomainClusterConfigZoneAwarenessConfigArgs{
					AvailabilityZoneCount: pulumi.Int(azs)},
			},
			EbsOptions:           &opensearch.DomainEbsOptionsArgs{EbsEnabled: pulumi.Bool(true), VolumeSize: pulumi.Int(20)},
			EncryptAtRest:        &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(true)},
			NodeToNodeEncryption: &opensearch.DomainNodeToNodeEncryptionArgs{Enabled: pulumi.Bool(true)},
			DomainEndpointOptions: &opensearch.DomainDomainEndpointOptionsArgs{EnforceHttps: pulumi.Bool(true),
				TlsSecurityPolicy: pulumi.String("Policy-Min-TLS-1-2-2019-07")},
			AdvancedSecurityOptions: &opensearch.DomainAdvancedSecurityOptionsArgs{Enabled: pulumi.Bool(true),
				InternalUserDatabaseEnabled: pulumi.Bool(false),
				MasterUserOptions: &opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{
					MasterUserArn: pulumi.String("arn:aws:iam::123456789012:role/admins")}},
			VpcOptions: &opensearch.DomainVpcOptionsArgs{
				SubnetIds: pulumi.StringArray(n.subnets[:azs]), SecurityGroupIds: pulumi.StringArray{n.sg}},
		}
		edit(d, n)
		domain, err := opensearch.NewDomain(ctx, "logs", d)
		if err != nil {
			return err
		}
		return observabilitySimDomainUsers(ctx, domain, true)
	}
}

// observabilitySimDomainUsers gives a domain what makes it usable: a role that may write to it and SAML
// sign-in for people.
func observabilitySimDomainUsers(ctx *pulumi.Context, domain *opensearch.Domain, saml bool) error {
	role, err := iam.NewRole(ctx, "shipper", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicy(ctx, "ship", &iam.RolePolicyArgs{Role: role.Name,
		Policy: domain.Arn.ApplyT(func(a string) string {
			return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"es:ESHttp*","Resource":"` + a + `/*"}]}`
		}).(pulumi.StringOutput)}); err != nil {
		return err
	}
	if !saml {
		return nil
	}
	_, err = opensearch.NewDomainSamlOptions(ctx, "logs", &opensearch.DomainSamlOptionsArgs{DomainName: domain.DomainName,
		SamlOptions: &opensearch.DomainSamlOptionsSamlOptionsArgs{Enabled: pulumi.Bool(true),
			Idp: &opensearch.DomainSamlOptionsSamlOptionsIdpArgs{EntityId: pulumi.String("https://idp.example.com"),
				MetadataContent: pulumi.String("<EntityDescriptor/>")},
			MasterBackendRole: pulumi.String("log-admins")}})
	return err
}

func observabilitySimGrafana(edit func(*grafana.WorkspaceArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		w := &grafana.WorkspaceArgs{
			AccountAccessType:       pulumi.String("CURRENT_ACCOUNT"),
			AuthenticationProviders: pulumi.StringArray{pulumi.String("AWS_SSO")},
			PermissionType:          pulumi.String("CUSTOMER_MANAGED"),
			RoleArn:                 pulumi.String("arn:aws:iam::123456789012:role/grafana"),
			DataSources:             pulumi.StringArray{pulumi.String("CLOUDWATCH")},
		}
		edit(w)
		_, err := grafana.NewWorkspace(ctx, "g", w)
		return err
	}
}

func observabilitySimKey(policy string, edit func(*kms.KeyArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		k := &kms.KeyArgs{}
		if policy != "" {
			k.Policy = pulumi.String(policy)
		}
		if edit != nil {
			edit(k)
		}
		_, err := kms.NewKey(ctx, "k", k)
		return err
	}
}

func observabilitySimSubscription(protocol, endpoint string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		t, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{})
		if err != nil {
			return err
		}
		_, err = sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{Topic: t.Arn,
			Protocol: pulumi.String(protocol), Endpoint: pulumi.String(endpoint)})
		return err
	}
}

const observabilityAdminKeyPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`

func TestAWSSimRefusesWhatTheMonitoringAPIsRefuse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		program pulumi.RunFunc
		want    string
	}{
		// SNS
		{"topic name with a space", func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("ops alarms")})
			return err
		}, "Topic Name"},
		{"FIFO topic without .fifo", func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("ops"), FifoTopic: pulumi.Bool(true)})
			return err
		}, "must end in .fifo"},
		{"unknown protocol", observabilitySimSubscription("pager", "ops@example.com"), "does not support this protocol"},
		{"email that is not one", observabilitySimSubscription("email", "ops.example.com"), `Endpoint "ops.example.com" is not valid`},
		{"https endpoint over http", observabilitySimSubscription("https", "http://hooks.example.com"), "is not valid for the https"},
		{"sms that is not a number", observabilitySimSubscription("sms", "call me"), "is not valid for the sms"},
		{"subscription to a missing topic", func(ctx *pulumi.Context) error {
			_, err := sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{
				Topic:    pulumi.String("arn:aws:sns:us-east-1:123456789012:nowhere"),
				Protocol: pulumi.String("email"), Endpoint: pulumi.String("ops@example.com")})
			return err
		}, "NotFound"},
		{"subscription to another region's topic", func(ctx *pulumi.Context) error {
			_, err := sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{
				Topic:    pulumi.String("arn:aws:sns:eu-west-1:123456789012:ops"),
				Protocol: pulumi.String("email"), Endpoint: pulumi.String("ops@example.com")})
			return err
		}, "the topic is in eu-west-1"},
		{"firehose without a role", observabilitySimSubscription("firehose", "arn:aws:firehose:us-east-1:123456789012:deliverystream/x"), "subscriptionRoleArn"},

		// CloudWatch alarms
		{"unknown comparison", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.ComparisonOperator = pulumi.String("GreaterThan")
		}), "comparisonOperator' failed to satisfy constraint"},
		{"anomaly comparison without a band", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.ComparisonOperator = pulumi.String("GreaterThanUpperThreshold")
		}), "needs ThresholdMetricId"},
		{"period of 45 s", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period = pulumi.Int(45) }),
			"Period (45) must be 10, 20, 30 or a multiple of 60"},
		{"period of 90 s", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period = pulumi.Int(90) }),
			"Period (90)"},
		{"no evaluation periods", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.EvaluationPeriods = pulumi.Int(0) }),
			"EvaluationPeriods (0) must be at least 1"},
		{"more datapoints than periods", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.DatapointsToAlarm = pulumi.Int(4) }),
			"DatapointsToAlarm (4) must be between 1 and EvaluationPeriods (3)"},
		{"longer than a day", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.EvaluationPeriods = pulumi.Int(289) }),
			"must not exceed 86400"},
		{"statistic and percentile", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.ExtendedStatistic = pulumi.String("p99")
		}), "mutually exclusive"},
		{"no statistic", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.Statistic = nil }),
			"one of Statistic or ExtendedStatistic is required"},
		{"unknown statistic", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.Statistic = pulumi.String("Median") }),
			`Statistic "Median"`},
		{"percentile over 100", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.Statistic, a.ExtendedStatistic = nil, pulumi.String("p101")
		}), `ExtendedStatistic "p101"`},
		{"unknown missing-data treatment", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.TreatMissingData = pulumi.String("zero")
		}), `TreatMissingData "zero"`},
		{"no metric", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) { a.MetricName = nil }),
			"needs MetricName and Namespace, or MetricQueries"},
		{"metric and queries", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("e1"), Expression: pulumi.String("m1*2"), ReturnData: pulumi.Bool(true)}}
		}), "MetricQueries cannot be combined"},
		{"queries with no result", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.MetricName, a.Namespace, a.Statistic, a.Period, a.Dimensions = nil, nil, nil, nil, nil
			a.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("e1"), Expression: pulumi.String("SELECT AVG(CPUUtilization) FROM \"AWS/EC2\"")}}
		}), "exactly one MetricQuery must have ReturnData true, got 0"},
		{"empty dimension value", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.Dimensions = pulumi.StringMap{"AutoScalingGroupName": pulumi.String("")}
		}), "Dimensions.AutoScalingGroupName.Value must be a value in the range 1-1024"},
		{"action in another region", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.AlarmActions = pulumi.Array{pulumi.String("arn:aws:sns:eu-west-1:123456789012:ops")}
		}), "Invalid region eu-west-1 specified. Only us-east-1 is supported."},
		{"action that is not an ARN", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.OkActions = pulumi.Array{pulumi.String("ops-topic")}
		}), "Invalid arn syntax: ops-topic"},
		{"six actions", observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			actions := pulumi.Array{}
			for i := 0; i < 6; i++ {
				actions = append(actions, pulumi.String(fmt.Sprintf("arn:aws:sns:us-east-1:123456789012:t%d", i)))
			}
			a.AlarmActions = actions
		}), "at most 5 actions"},

		// CloudWatch dashboards
		{"dashboard name with a space", func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewDashboard(ctx, "d", &cloudwatch.DashboardArgs{
				DashboardName: pulumi.String("ops board"), DashboardBody: pulumi.String(`{"widgets":[]}`)})
			return err
		}, "DashboardName"},
		{"body that is not JSON", observabilitySimDashboard(`{"widgets":[`), "body is not valid JSON"},
		{"body without widgets", observabilitySimDashboard(`{"start":"-PT3H"}`), "Should have required property 'widgets'"},
		{"unknown widget type", observabilitySimDashboard(`{"widgets":[{"type":"chart","properties":{}}]}`), `type "chart"`},
		{"widget wider than the grid", observabilitySimDashboard(`{"widgets":[{"type":"text","x":12,"width":18,"properties":{"markdown":"x"}}]}`),
			"wider than the 24-unit grid"},
		{"metric widget without a region", observabilitySimDashboard(`{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/EC2","CPUUtilization"]]}}]}`),
			"Should have required property 'region'"},
		{"metric widget without metrics", observabilitySimDashboard(`{"widgets":[{"type":"metric","properties":{"region":"us-east-1"}}]}`),
			"needs metrics or an alarm annotation"},
		{"metric with a dangling dimension", observabilitySimDashboard(`{"widgets":[{"type":"metric","properties":{"region":"us-east-1","metrics":[["AWS/EC2","CPUUtilization","AutoScalingGroupName"]]}}]}`),
			"dimension name/value pairs"},
		{"alarm widget without alarms", observabilitySimDashboard(`{"widgets":[{"type":"alarm","properties":{"title":"x"}}]}`),
			"Should have required property 'alarms'"},

		// KMS
		{"key policy that locks everyone out", observabilitySimKey(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}]}`, nil),
			"will not allow you to update the key policy"},
		{"key policy that is not JSON", observabilitySimKey(`{"Version":`, nil), "MalformedPolicyDocumentException"},
		{"rotation of an asymmetric key", observabilitySimKey("", func(k *kms.KeyArgs) {
			k.CustomerMasterKeySpec, k.KeyUsage, k.EnableKeyRotation = pulumi.String("RSA_2048"), pulumi.String("SIGN_VERIFY"), pulumi.Bool(true)
		}), "Automatic key rotation is supported only on symmetric encryption KMS keys"},
		{"deletion window of 3 days", observabilitySimKey("", func(k *kms.KeyArgs) { k.DeletionWindowInDays = pulumi.Int(3) }),
			"between 7 and 30"},

		// Prometheus and Grafana
		{"Prometheus key from another region", func(ctx *pulumi.Context) error {
			_, err := amp.NewWorkspace(ctx, "p", &amp.WorkspaceArgs{
				KmsKeyArn: pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")})
			return err
		}, "must be the ARN of a KMS key in us-east-1"},
		{"customer-managed Grafana without a role", observabilitySimGrafana(func(w *grafana.WorkspaceArgs) { w.RoleArn = nil }),
			"needs workspaceRoleArn"},
		{"Grafana data source it does not know", observabilitySimGrafana(func(w *grafana.WorkspaceArgs) {
			w.DataSources = pulumi.StringArray{pulumi.String("LOKI")}
		}), `"LOKI" is not a data source`},
		{"Grafana sign-in it does not offer", observabilitySimGrafana(func(w *grafana.WorkspaceArgs) {
			w.AuthenticationProviders = pulumi.StringArray{pulumi.String("OKTA")}
		}), `"OKTA" must be AWS_SSO or SAML`},
		{"Grafana version it does not run", observabilitySimGrafana(func(w *grafana.WorkspaceArgs) { w.GrafanaVersion = pulumi.String("7.5") }),
			`grafanaVersion "7.5"`},
		{"Grafana role that is not a role", observabilitySimGrafana(func(w *grafana.WorkspaceArgs) {
			w.RoleArn = pulumi.String("arn:aws:iam::123456789012:user/grafana")
		}), "is not an IAM role ARN"},

		// OpenSearch
		{"uppercase domain name", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.DomainName = pulumi.String("Logs")
		}), `Domain name "Logs" is invalid`},
		{"domain name of 29 characters", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.DomainName = pulumi.String("logs-for-the-whole-migrations")
		}), "is invalid"},
		{"domain name of 2 characters", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.DomainName = pulumi.String("lg")
		}), "is invalid"},
		{"instance type without .search", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.ClusterConfig.(*opensearch.DomainClusterConfigArgs).InstanceType = pulumi.String("r6g.large")
		}), `Invalid instance type "r6g.large"`},
		{"zone count 3 with two subnets", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			c := d.ClusterConfig.(*opensearch.DomainClusterConfigArgs)
			c.InstanceCount = pulumi.Int(3)
			c.ZoneAwarenessConfig = &opensearch.DomainClusterConfigZoneAwarenessConfigArgs{AvailabilityZoneCount: pulumi.Int(3)}
		}), "You must specify exactly 3 subnet(s)"},
		{"three nodes over two AZs", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.ClusterConfig.(*opensearch.DomainClusterConfigArgs).InstanceCount = pulumi.Int(3)
		}), "multiple of the number of Availability Zones"},
		{"zone count 4", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.ClusterConfig.(*opensearch.DomainClusterConfigArgs).ZoneAwarenessConfig =
				&opensearch.DomainClusterConfigZoneAwarenessConfigArgs{AvailabilityZoneCount: pulumi.Int(4)}
		}), "availabilityZoneCount 4 must be 2 or 3"},
		{"two subnets in one AZ", observabilitySimDomain(2, func(d *opensearch.DomainArgs, n *observabilitySimNet) {
			d.VpcOptions.(*opensearch.DomainVpcOptionsArgs).SubnetIds = pulumi.StringArray{n.subnets[0], n.subnets[0]}
		}), "subnets in different Availability Zones"},
		{"fine-grained without node-to-node encryption", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.NodeToNodeEncryption = nil
		}), "fine-grained access control requires enforceHTTPS, node-to-node encryption and encryption at rest"},
		{"fine-grained without HTTPS", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.DomainEndpointOptions = &opensearch.DomainDomainEndpointOptionsArgs{EnforceHttps: pulumi.Bool(false)}
		}), "https=false"},
		{"fine-grained without encryption at rest", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.EncryptAtRest = &opensearch.DomainEncryptAtRestArgs{Enabled: pulumi.Bool(false)}
		}), "at rest=false"},
		{"fine-grained master that is not IAM", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.AdvancedSecurityOptions.(*opensearch.DomainAdvancedSecurityOptionsArgs).MasterUserOptions =
				&opensearch.DomainAdvancedSecurityOptionsMasterUserOptionsArgs{MasterUserArn: pulumi.String("admin")}
		}), `masterUserArn "admin" is not an IAM user or role ARN`},
		{"unknown TLS policy", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.DomainEndpointOptions = &opensearch.DomainDomainEndpointOptionsArgs{EnforceHttps: pulumi.Bool(true),
				TlsSecurityPolicy: pulumi.String("Policy-Min-TLS-1-3")}
		}), `tlsSecurityPolicy "Policy-Min-TLS-1-3"`},
		{"volume under 10 GiB", observabilitySimDomain(2, func(d *opensearch.DomainArgs, _ *observabilitySimNet) {
			d.EbsOptions = &opensearch.DomainEbsOptionsArgs{EbsEnabled: pulumi.Bool(true), VolumeSize: pulumi.Int(5)}
		}), "below the minimum of 10 GiB"},
		{"service-linked role for an unknown service", func(ctx *pulumi.Context) error {
			_, err := iam.NewServiceLinkedRole(ctx, "r", &iam.ServiceLinkedRoleArgs{AwsServiceName: pulumi.String("logs.example.com")})
			return err
		}, "InvalidInput"},
		{"service-linked role made twice", func(ctx *pulumi.Context) error {
			a, err := iam.NewServiceLinkedRole(ctx, "a", &iam.ServiceLinkedRoleArgs{AwsServiceName: pulumi.String("opensearchservice.amazonaws.com")})
			if err != nil {
				return err
			}
			_, err = iam.NewServiceLinkedRole(ctx, "b", &iam.ServiceLinkedRoleArgs{AwsServiceName: pulumi.String("opensearchservice.amazonaws.com")},
				pulumi.DependsOn([]pulumi.Resource{a}))
			return err
		}, "has been taken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := simulateErr(t, "us-east-1", tc.program)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAWSSimAcceptsTheValidMonitoringBaselines(t *testing.T) {
	// The refusal cases start from these; each must pass untouched, or the refusals prove nothing.
	for name, program := range map[string]pulumi.RunFunc{
		"alarm":     observabilitySimAlarm(func(*cloudwatch.MetricAlarmArgs) {}),
		"dashboard": observabilitySimDashboard(`{"widgets":[{"type":"metric","x":0,"y":0,"width":24,"height":6,"properties":{"region":"us-east-1","metrics":[["AWS/EC2","CPUUtilization","AutoScalingGroupName","web"]]}}]}`),
		"domain":    observabilitySimDomain(2, func(*opensearch.DomainArgs, *observabilitySimNet) {}),
		"grafana":   observabilitySimGrafana(func(*grafana.WorkspaceArgs) {}),
		"key":       observabilitySimKey(observabilityAdminKeyPolicy, nil),
		"email":     observabilitySimSubscription("email", "ops@example.com"),
		"percentile alarm": observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.Statistic, a.ExtendedStatistic = nil, pulumi.String("p99.9")
		}),
		"metric math alarm": observabilitySimAlarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.MetricName, a.Namespace, a.Statistic, a.Period, a.Dimensions = nil, nil, nil, nil, nil
			a.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{
				cloudwatch.MetricAlarmMetricQueryArgs{Id: pulumi.String("m1"), Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					MetricName: pulumi.String("CPUUtilization"), Namespace: pulumi.String("AWS/EC2"),
					Period: pulumi.Int(60), Stat: pulumi.String("Average")}},
				cloudwatch.MetricAlarmMetricQueryArgs{Id: pulumi.String("e1"), Expression: pulumi.String("m1*2"),
					ReturnData: pulumi.Bool(true)},
			}
		}),
	} {
		t.Run(name, func(t *testing.T) {
			simulate(t, "us-east-1", program)
		})
	}
}

func TestAWSSimMonitoringOutputsHaveAWSFormats(t *testing.T) {
	g := simulate(t, "eu-west-1", func(ctx *pulumi.Context) error {
		topic, err := sns.NewTopic(ctx, "alarms", &sns.TopicArgs{})
		if err != nil {
			return err
		}
		if _, err := sns.NewTopicSubscription(ctx, "ops", &sns.TopicSubscriptionArgs{Topic: topic.Arn,
			Protocol: pulumi.String("email"), Endpoint: pulumi.String("ops@example.com")}); err != nil {
			return err
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, "cpu", &cloudwatch.MetricAlarmArgs{
			Namespace: pulumi.String("AWS/EC2"), MetricName: pulumi.String("CPUUtilization"),
			Statistic: pulumi.String("Average"), Period: pulumi.Int(60), EvaluationPeriods: pulumi.Int(1),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"), Threshold: pulumi.Float64(1),
			AlarmActions: pulumi.Array{topic.Arn},
		}); err != nil {
			return err
		}
		if _, err := cloudwatch.NewDashboard(ctx, "board", &cloudwatch.DashboardArgs{DashboardName: pulumi.String("ops"),
			DashboardBody: pulumi.String(`{"widgets":[]}`)}); err != nil {
			return err
		}
		if _, err := kms.NewKey(ctx, "key", &kms.KeyArgs{}); err != nil {
			return err
		}
		if _, err := amp.NewWorkspace(ctx, "prom", &amp.WorkspaceArgs{}); err != nil {
			return err
		}
		if _, err := grafana.NewWorkspace(ctx, "graf", &grafana.WorkspaceArgs{AccountAccessType: pulumi.String("CURRENT_ACCOUNT"),
			AuthenticationProviders: pulumi.StringArray{pulumi.String("SAML")}, PermissionType: pulumi.String("SERVICE_MANAGED")}); err != nil {
			return err
		}
		if _, err := iam.NewServiceLinkedRole(ctx, "os", &iam.ServiceLinkedRoleArgs{AwsServiceName: pulumi.String("opensearchservice.amazonaws.com")}); err != nil {
			return err
		}
		domain, err := opensearch.NewDomain(ctx, "public", &opensearch.DomainArgs{DomainName: pulumi.String("public-logs")})
		if err != nil {
			return err
		}
		return observabilitySimDomainUsers(ctx, domain, false)
	})
	one := func(typ string) map[string]string {
		rs := g.ByType(typ)
		require.Len(t, rs, 1, typ)
		out := map[string]string{"id": rs[0].ID}
		for k, v := range rs[0].Outputs {
			if v.IsString() {
				out[string(k)] = v.StringValue()
			}
		}
		return out
	}
	topic := one("aws:sns/topic:Topic")
	assert.Regexp(t, `^arn:aws:sns:eu-west-1:123456789012:alarms-[0-9a-f]{7}$`, topic["arn"])
	assert.Equal(t, topic["arn"], topic["id"])

	sub := g.ByType("aws:sns/topicSubscription:TopicSubscription")[0]
	assert.Regexp(t, `^`+topic["arn"]+`:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, sub.OutputString("arn"))
	assert.True(t, sub.Output("pendingConfirmation").BoolValue())

	alarm := one("aws:cloudwatch/metricAlarm:MetricAlarm")
	assert.Regexp(t, `^arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-[0-9a-f]{7}$`, alarm["arn"])
	assert.Equal(t, "missing", alarm["treatMissingData"], "CloudWatch's default")

	assert.Equal(t, "arn:aws:cloudwatch::123456789012:dashboard/ops", one("aws:cloudwatch/dashboard:Dashboard")["dashboardArn"],
		"dashboards are global: no region in the ARN")

	key := one("aws:kms/key:Key")
	assert.Regexp(t, `^arn:aws:kms:eu-west-1:123456789012:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, key["arn"])
	assert.Contains(t, key["policy"], `"arn:aws:iam::123456789012:root"`, "the default key policy")

	prom := one("aws:amp/workspace:Workspace")
	assert.Regexp(t, `^ws-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, prom["id"])
	assert.Equal(t, "arn:aws:aps:eu-west-1:123456789012:workspace/"+prom["id"], prom["arn"])
	assert.Equal(t, "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/"+prom["id"]+"/", prom["prometheusEndpoint"])

	graf := one("aws:grafana/workspace:Workspace")
	assert.Regexp(t, `^g-[0-9a-f]{10}$`, graf["id"])
	assert.Equal(t, graf["id"]+".grafana-workspace.eu-west-1.amazonaws.com", graf["endpoint"])
	assert.Equal(t, "arn:aws:grafana:eu-west-1:123456789012:/workspaces/"+graf["id"], graf["arn"])
	assert.Equal(t, "NOT_CONFIGURED", graf["samlConfigurationStatus"])

	slr := one("aws:iam/serviceLinkedRole:ServiceLinkedRole")
	assert.Equal(t, "arn:aws:iam::123456789012:role/aws-service-role/opensearchservice.amazonaws.com/AWSServiceRoleForAmazonOpenSearchService", slr["arn"])

	domain := one("aws:opensearch/domain:Domain")
	assert.Equal(t, "arn:aws:es:eu-west-1:123456789012:domain/public-logs", domain["arn"])
	assert.Regexp(t, `^search-public-logs-[0-9a-f]{26}\.eu-west-1\.es\.amazonaws\.com$`, domain["endpoint"],
		"without VPC options a domain gets a public search- endpoint")
	assert.Equal(t, "123456789012/public-logs", domain["domainId"])
}

func TestAWSSimOpenSearchVPCDomainGetsAVPCEndpointInItsSubnetsAZs(t *testing.T) {
	g := simulate(t, "us-east-1", observabilitySimDomain(3, func(*opensearch.DomainArgs, *observabilitySimNet) {}))
	d := g.ByType("aws:opensearch/domain:Domain")[0]
	assert.Regexp(t, `^vpc-logs-[0-9a-f]{26}\.us-east-1\.es\.amazonaws\.com$`, d.OutputString("endpoint"))
	assert.Equal(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, observabilityStrings(d.Output("vpcOptions.availabilityZones")))
	assert.Equal(t, g.ByType("aws:ec2/vpc:Vpc")[0].ID, d.OutputString("vpcOptions.vpcId"))
}

// observabilitySimAlarmOnTopic registers an alarm notifying a topic encrypted with key.
func observabilitySimAlarmOnTopic(key func(ctx *pulumi.Context) (pulumi.StringInput, error)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		k, err := key(ctx)
		if err != nil {
			return err
		}
		topic, err := sns.NewTopic(ctx, "alarms", &sns.TopicArgs{KmsMasterKeyId: k})
		if err != nil {
			return err
		}
		_, err = cloudwatch.NewMetricAlarm(ctx, "cpu", &cloudwatch.MetricAlarmArgs{
			Namespace: pulumi.String("AWS/EC2"), MetricName: pulumi.String("CPUUtilization"),
			Statistic: pulumi.String("Average"), Period: pulumi.Int(300), EvaluationPeriods: pulumi.Int(1),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"), Threshold: pulumi.Float64(80),
			AlarmActions: pulumi.Array{topic.Arn},
		})
		return err
	}
}

func TestAWSSimFlagsAlarmsWhoseTopicKeyShutsOutCloudWatch(t *testing.T) {
	t.Run("AWS managed key", func(t *testing.T) {
		_, err := simulateErr(t, "us-east-1", observabilitySimAlarmOnTopic(func(*pulumi.Context) (pulumi.StringInput, error) {
			return pulumi.String("alias/aws/sns"), nil
		}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "encrypted with the AWS managed key alias/aws/sns")
		assert.Contains(t, err.Error(), "no notification is ever delivered")
	})
	t.Run("key without a CloudWatch statement", func(t *testing.T) {
		_, err := simulateErr(t, "us-east-1", observabilitySimAlarmOnTopic(func(ctx *pulumi.Context) (pulumi.StringInput, error) {
			k, err := kms.NewKey(ctx, "k", &kms.KeyArgs{Policy: pulumi.String(observabilityAdminKeyPolicy)})
			if err != nil {
				return nil, err
			}
			return k.Arn, nil
		}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "has no key policy statement letting cloudwatch.amazonaws.com use")
	})
	t.Run("key with the default policy", func(t *testing.T) {
		_, err := simulateErr(t, "us-east-1", observabilitySimAlarmOnTopic(func(ctx *pulumi.Context) (pulumi.StringInput, error) {
			k, err := kms.NewKey(ctx, "k", &kms.KeyArgs{})
			if err != nil {
				return nil, err
			}
			return k.Arn, nil
		}))
		assert.ErrorContains(t, err, "has no key policy statement letting cloudwatch.amazonaws.com use")
	})
	t.Run("key that lets CloudWatch publish", func(t *testing.T) {
		simulate(t, "us-east-1", observabilitySimAlarmOnTopic(func(ctx *pulumi.Context) (pulumi.StringInput, error) {
			k, err := kms.NewKey(ctx, "k", &kms.KeyArgs{Policy: pulumi.String(`{"Version":"2012-10-17","Statement":[` +
				`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"},` +
				`{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}`)})
			if err != nil {
				return nil, err
			}
			return k.Arn, nil
		}))
	})
}

func TestAWSSimFlagsAGrafanaRoleThatCannotReadCloudWatch(t *testing.T) {
	program := func(actions ...string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			role, err := iam.NewRole(ctx, "grafana", &iam.RoleArgs{Name: pulumi.String("grafana"),
				AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"grafana.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
			if err != nil {
				return err
			}
			doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17",
				"Statement": []map[string]any{{"Effect": "Allow", "Action": actions, "Resource": "*"}}})
			if _, err := iam.NewRolePolicy(ctx, "read", &iam.RolePolicyArgs{Role: role.Name, Policy: pulumi.String(string(doc))}); err != nil {
				return err
			}
			return observabilitySimGrafana(func(w *grafana.WorkspaceArgs) { w.RoleArn = role.Arn })(ctx)
		}
	}
	_, err := simulateErr(t, "us-east-1", program("cloudwatch:GetMetricData", "cloudwatch:ListMetrics"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Grafana workspace reads CLOUDWATCH through role grafana, which is not allowed "+
		"cloudwatch:DescribeAlarmHistory, cloudwatch:DescribeAlarms, cloudwatch:DescribeAlarmsForMetric, "+
		"cloudwatch:GetInsightRuleReport, cloudwatch:GetMetricStatistics, ec2:DescribeInstances, ec2:DescribeRegions, "+
		"ec2:DescribeTags, oam:ListAttachedLinks, oam:ListSinks, tag:GetResources")

	simulate(t, "us-east-1", program("cloudwatch:*", "ec2:Describe*", "tag:GetResources", "oam:List*"))
}
