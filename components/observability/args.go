package observability

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/migration-kit/kit/components/network"
)

// Defaults. Thresholds are per minute unless said otherwise; each is the value of a Thresholds field left at 0.
const (
	DefaultALB5XXPerMinute              = 10.0
	DefaultTarget5XXPerMinute           = 10.0
	DefaultTargetResponseTimeP99Seconds = 2.0
	DefaultUnhealthyHosts               = 0.0
	DefaultASGAtMaxMinutes              = 15
	DefaultInstanceCPUPercent           = 80.0
	DefaultDBCPUPercent                 = 80.0
	DefaultDBFreeStorageGiB             = 5.0
	DefaultDBConnections                = 100.0

	DefaultGrafanaAuthenticationProvider = "AWS_SSO"

	DefaultOpenSearchEngineVersion = "OpenSearch_2.17"
	DefaultOpenSearchInstanceType  = "r6g.large.search"
	DefaultOpenSearchAZCount       = 2
	DefaultOpenSearchVolumeSizeGiB = 20
	// OpenSearch's gp3 volumes start at 10 GiB.
	minOpenSearchVolumeSizeGiB = 10
	// ALB's idle timeout tops out at 4000 s, so no request can take longer.
	maxResponseTimeSeconds = 4000.0
)

// Args configures the observability component. Every part but the alarm topic and the dashboard is optional:
// leave a part's inputs nil and its alarms and widgets are not made.
type Args struct {
	// Region is where the alarms, the topic and the dashboard widgets live: the region of the load balancer,
	// the auto-scaling group and the primary database. Required.
	Region string
	// Tags are merged onto every taggable resource, with a Name tag. Optional; default none.
	Tags map[string]string
	// AlarmEmails each get an email subscription to the alarm topic. AWS sends each address a confirmation
	// mail; no alarm reaches it until someone clicks the link. Optional; default none.
	AlarmEmails []string
	// TopicKMSKeyARN is the KMS key that encrypts the alarm topic. Its key policy must let
	// cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey*, or alarms fail to publish. The AWS
	// managed key alias/aws/sns cannot be given such a policy and is refused. Optional; default a customer
	// managed key created here, with that policy and yearly rotation.
	TopicKMSKeyARN pulumi.StringInput
	// TopicARN is an alarm topic that already exists in Region, one NewAlarmTopic made, to notify instead of
	// creating one: how two components share a topic, and how the DR site's lag alarm and its dashboards'
	// alarms reach the same people. AlarmEmails and TopicKMSKeyARN configure the topic this component would
	// create, so they must be empty when it is set. Optional; default a topic created here.
	TopicARN pulumi.StringInput
	// DashboardName names the CloudWatch dashboard; dashboards are global to the account, so it must not clash
	// with another stack's. Optional; default "<project>-<stack>-<component name>".
	DashboardName string

	// LoadBalancerARNSuffix is the ALB's ARN suffix (app/<name>/<id>, the lb package's ArnSuffix output): the
	// LoadBalancer dimension. Optional; default none, and then no load balancer alarms or widgets. Give it
	// together with TargetGroupARNSuffix.
	LoadBalancerARNSuffix pulumi.StringInput
	// TargetGroupARNSuffix is the target group's ARN suffix (targetgroup/<name>/<id>): the TargetGroup
	// dimension. Required when LoadBalancerARNSuffix is set.
	TargetGroupARNSuffix pulumi.StringInput
	// ASGName is the auto-scaling group's name. The at-maximum alarm reads GroupInServiceInstances, which AWS
	// publishes only when the group's metrics collection is on (enabledMetrics on the group). Optional;
	// default none, and then no capacity alarms.
	ASGName pulumi.StringInput
	// ASGMaxSize is the group's maximum size: the at-maximum alarm fires when this many instances have been in
	// service for Thresholds.ASGAtMaxMinutes. Required (at least 1) when ASGName is set.
	ASGMaxSize int
	// GreenTargetGroupARNSuffix and GreenASGName are the green group of a blue/green web tier (the blue one
	// being TargetGroupARNSuffix and ASGName): it gets the same target and capacity alarms, named "-green", so
	// the color that serves the users is watched whichever it is. Optional; default none. They need
	// LoadBalancerARNSuffix and ASGName respectively.
	GreenTargetGroupARNSuffix, GreenASGName pulumi.StringInput

	// DBInstanceIdentifier is the primary RDS instance's identifier. Optional; default none, and then no
	// database alarms or widgets.
	DBInstanceIdentifier pulumi.StringInput
	// ReplicaIdentifier is the cross-region read replica's identifier, shown on the dashboard's replica lag
	// row. Optional; default none, and then no replica row.
	ReplicaIdentifier pulumi.StringInput
	// ReplicaRegion is the replica's region, where its ReplicaLag metric lives. Required with
	// ReplicaIdentifier.
	ReplicaRegion string
	// ReplicaLagAlarmARN is the DR component's ReplicaLag alarm, graphed on the replica row. This component
	// makes no replica lag alarm of its own: the DR component owns the one that measures lag against the RPO
	// target, and a second alarm would page twice for one event. Optional; default none (no alarm graph).
	ReplicaLagAlarmARN pulumi.StringInput

	// VPNConnectionID is the site-to-site VPN to the data centre (the vpn component's ConnectionID): the
	// dashboard graphs its tunnels' state and traffic. The tunnel alarms are the vpn component's; pass them in
	// OtherAlarmARNs to see them in the status row. Optional; default none, and then no VPN row.
	VPNConnectionID pulumi.StringInput
	// ReplicationInstanceIdentifier and ReplicationTaskIdentifier are the DMS migration's instance and task
	// (the migration component's InstanceIdentifierName and TaskIdentifierName): the dashboard graphs CDC
	// latency, throughput, CPU and free storage. The alarms are the migration component's. Optional, both or
	// neither; default none, and then no migration row.
	ReplicationInstanceIdentifier pulumi.StringInput
	ReplicationTaskIdentifier     pulumi.StringInput
	// CDCLatencyAlarmSeconds is the migration's CDC latency alarm threshold, drawn on the latency graph.
	// Optional; default none (no line).
	CDCLatencyAlarmSeconds float64
	// OtherAlarmARNs are alarms other components made (the VPN's tunnel alarms, the migration's), shown in
	// the dashboard's status row beside this component's own. Optional; default none.
	OtherAlarmARNs []pulumi.StringInput
	// Publishers are AWS services besides CloudWatch that publish to the alarm topic this component creates,
	// such as DMS event subscriptions: the topic's policy and its key's policy let each one in. Optional;
	// default none. Not with TopicARN or TopicKMSKeyARN (whoever makes that topic or key lets them in).
	Publishers []Publisher

	// Thresholds tune the alarms. Optional; each field's default is documented on it.
	Thresholds Thresholds

	// Prometheus creates an Amazon Managed Service for Prometheus workspace and lets InstanceRoleName
	// remote-write to it. Optional; default false.
	Prometheus bool
	// InstanceRoleName is the IAM role of the instances that remote-write metrics to Prometheus (the web
	// tier's instance role). Required when Prometheus is true; ignored otherwise.
	InstanceRoleName pulumi.StringInput
	// Grafana creates an Amazon Managed Grafana workspace reading CloudWatch (and Prometheus when on), with a
	// role that may only read them. Users sign in through IAM Identity Center by default, which must be
	// enabled in the account. Optional; default false.
	Grafana bool
	// GrafanaAuthenticationProviders are how users sign in to Grafana: AWS_SSO and/or SAML. Optional; default
	// [AWS_SSO].
	GrafanaAuthenticationProviders []string
	// OpenSearch creates an Amazon OpenSearch Service domain for logs, private to the VPC. Optional; default
	// nil (no domain).
	OpenSearch *OpenSearchArgs
}

// Thresholds are the alarms' trigger points. A field left at 0 takes its default; UnhealthyHosts' default is 0.
type Thresholds struct {
	// ALB5XXPerMinute: alarm when the load balancer itself answers more 5XX (HTTPCode_ELB_5XX_Count: 502/503/504
	// when targets fail or none are healthy) than this in 3 of 5 minutes. Optional; default 10.
	ALB5XXPerMinute float64
	// Target5XXPerMinute: alarm when the targets answer more 5XX (HTTPCode_Target_5XX_Count) than this in 3 of
	// 5 minutes. Optional; default 10.
	Target5XXPerMinute float64
	// TargetResponseTimeP99Seconds: alarm when the p99 of TargetResponseTime exceeds this for 5 minutes.
	// Optional; default 2; at most 4000 (the ALB's longest idle timeout).
	TargetResponseTimeP99Seconds float64
	// UnhealthyHosts: alarm when more targets than this are unhealthy for 3 minutes. Optional; default 0.
	UnhealthyHosts float64
	// ASGAtMaxMinutes: alarm when the group has had ASGMaxSize instances in service for this long: a peak the
	// capacity cannot absorb. A multiple of 5, from 5 to 1440. Optional; default 15.
	ASGAtMaxMinutes int
	// InstanceCPUPercent: alarm when the group's average CPU exceeds this for 15 minutes. Optional; default 80.
	InstanceCPUPercent float64
	// DBCPUPercent: alarm when the database's CPU exceeds this for 15 minutes. Optional; default 80.
	DBCPUPercent float64
	// DBFreeStorageGiB: alarm when the database's free storage falls below this. Optional; default 5.
	DBFreeStorageGiB float64
	// DBConnections: alarm when the database has more connections than this for 10 minutes; set it to about
	// 80% of the instance class's max_connections. Optional; default 100.
	DBConnections float64
}

// OpenSearchArgs sizes and places the OpenSearch domain. The domain is always VPC-only with encryption at
// rest, node-to-node encryption, HTTPS with TLS 1.2, and fine-grained access control whose master user is
// an IAM principal: none of that is optional.
type OpenSearchArgs struct {
	// VPCID is the VPC of PrivateSubnets, where the domain's security group is made. Required.
	VPCID pulumi.StringInput
	// PrivateSubnets are the subnets the domain may use: private or data tier, covering at least AZCount AZs.
	// The first subnet of each of the first AZCount AZs is used. Required.
	PrivateSubnets []network.Subnet
	// ClientSecurityGroupIDs may reach the domain on 443. Optional; default none: nothing can connect until
	// a group is added.
	ClientSecurityGroupIDs []pulumi.StringInput
	// MasterUserARN is the IAM user or role that administers the domain (fine-grained access control's master
	// user). Required.
	MasterUserARN pulumi.StringInput
	// DomainName is the domain's name: 3-28 characters, lowercase letters, digits and hyphens, starting with
	// a letter. Optional; default derived from the component's name.
	DomainName string
	// EngineVersion is OpenSearch_<major>.<minor>. Optional; default OpenSearch_2.17.
	EngineVersion string
	// InstanceType is a data node type ending in .search. Optional; default r6g.large.search.
	InstanceType string
	// AZCount is how many AZs the data nodes spread over: 1 (no zone awareness), 2 or 3. Use 3 in production
	// when the VPC spans three AZs. Optional; default 2.
	AZCount int
	// InstanceCount is the number of data nodes, a multiple of AZCount. Optional; default AZCount.
	InstanceCount int
	// VolumeSizeGiB is each data node's gp3 volume. Optional; default 20; at least 10.
	VolumeSizeGiB int
	// CreateServiceLinkedRole creates AWSServiceRoleForAmazonOpenSearchService, which a VPC domain needs. Set
	// it in an account that has never had a VPC domain; leave it off where the role exists, as creating it
	// again fails. Optional; default false.
	CreateServiceLinkedRole bool
	// WriterRoleNames are the IAM roles that ship logs to the domain (the web tier's instance role): each may
	// sign es:ESHttpGet, Head, Post and Put requests to this domain, and must then be mapped in the domain's
	// fine-grained access control to a role that may write the log indices (a post-deploy step, README).
	// Required: a domain nothing may write to is of no use.
	WriterRoleNames []pulumi.StringInput
	// SAML lets people sign in to OpenSearch Dashboards through a SAML identity provider (IAM Identity Center
	// or another). Optional; default none: only signed API requests, no browser sign-in.
	SAML *OpenSearchSAML
}

var (
	regionPattern     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	domainNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{2,27}$`)
	enginePattern     = regexp.MustCompile(`^OpenSearch_\d+\.\d+$`)
	dashboardPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)
	servicePrincipal  = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$`)
)

// Publisher is an AWS service that publishes to the alarm topic on behalf of resources of this account.
type Publisher struct {
	// Service is its service principal, e.g. dms.amazonaws.com. Required.
	Service string
	// SourceARN limits it to this account's resources: an ARN pattern such as arn:aws:dms:us-east-1:
	// 123456789012:es:* (the aws:SourceArn condition). Required.
	SourceARN string
}

// validate checks every field and fills in the defaults, collecting every problem into one error.
func validate(name string, a *Args, project, stack string) (*Args, error) {
	if a == nil {
		return nil, fmt.Errorf("observability: args are nil: pass &observability.Args{Region: ...}")
	}
	c := *a
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	if c.Region == "" {
		bad("Region is empty: set it to the stack's AWS region, e.g. us-east-1")
	} else if !regionPattern.MatchString(c.Region) {
		bad("Region %q is not an AWS region name: use one like us-east-1", c.Region)
	}

	seen := map[string]bool{}
	for _, e := range c.AlarmEmails {
		addr, err := mail.ParseAddress(e)
		if err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
			bad("AlarmEmails: %q is not an email address: give a bare address such as ops@example.com", e)
			continue
		}
		if seen[strings.ToLower(e)] {
			bad("AlarmEmails: %q is listed twice: SNS keeps one subscription per address, so remove the duplicate", e)
		}
		seen[strings.ToLower(e)] = true
	}
	if k, ok := c.TopicKMSKeyARN.(pulumi.String); ok && (k == "alias/aws/sns" || strings.HasSuffix(string(k), ":alias/aws/sns")) {
		bad("TopicKMSKeyARN %q is the AWS managed SNS key, whose policy does not let CloudWatch alarms publish: "+
			"leave TopicKMSKeyARN unset (a suitable key is created) or give a customer managed key", k)
	}
	if c.TopicARN != nil && (len(c.AlarmEmails) > 0 || c.TopicKMSKeyARN != nil) {
		bad("TopicARN is set together with AlarmEmails or TopicKMSKeyARN: those configure the topic this " +
			"component would create; subscribe the addresses and choose the key where the shared topic is made")
	}
	if len(c.Publishers) > 0 && (c.TopicARN != nil || c.TopicKMSKeyARN != nil) {
		bad("Publishers is set together with TopicARN or TopicKMSKeyARN: the publishers are let in by the topic's " +
			"and the key's policies, which this component writes only for a topic and key it creates")
	}
	for i, p := range c.Publishers {
		if !servicePrincipal.MatchString(p.Service) {
			bad("Publishers[%d].Service %q is not an AWS service principal: write it like dms.amazonaws.com", i, p.Service)
		}
		if p.SourceARN == "" {
			bad("Publishers[%d].SourceARN is empty: name the resources that publish (e.g. arn:aws:dms:<region>:"+
				"<account>:es:*), so no other account's can", i)
		}
	}
	if (c.ReplicationInstanceIdentifier == nil) != (c.ReplicationTaskIdentifier == nil) {
		bad("ReplicationInstanceIdentifier and ReplicationTaskIdentifier go together: give both (task metrics " +
			"carry both dimensions) or neither")
	}
	if c.CDCLatencyAlarmSeconds < 0 {
		bad("CDCLatencyAlarmSeconds %v is negative: give the migration's alarm threshold in seconds", c.CDCLatencyAlarmSeconds)
	}
	for i, a := range c.OtherAlarmARNs {
		if a == nil {
			bad("OtherAlarmARNs[%d] is nil: remove it or pass an alarm ARN", i)
		}
	}
	if c.DashboardName == "" {
		c.DashboardName = dashboardSafe(project + "-" + stack + "-" + name)
	} else if !dashboardPattern.MatchString(c.DashboardName) {
		bad("DashboardName %q must be 1-255 letters, digits, hyphens or underscores", c.DashboardName)
	}

	switch {
	case c.LoadBalancerARNSuffix != nil && c.TargetGroupARNSuffix == nil:
		bad("TargetGroupARNSuffix is unset but LoadBalancerARNSuffix is set: give both (target alarms need the " +
			"TargetGroup dimension) or neither")
	case c.LoadBalancerARNSuffix == nil && c.TargetGroupARNSuffix != nil:
		bad("LoadBalancerARNSuffix is unset but TargetGroupARNSuffix is set: give both (AWS/ApplicationELB " +
			"target metrics carry both dimensions) or neither")
	}
	if s, ok := c.LoadBalancerARNSuffix.(pulumi.String); ok && !strings.HasPrefix(string(s), "app/") {
		bad("LoadBalancerARNSuffix %q is not an ALB ARN suffix: pass the load balancer's ArnSuffix "+
			"(app/<name>/<id>), not its ARN or name", s)
	}
	if s, ok := c.TargetGroupARNSuffix.(pulumi.String); ok && !strings.HasPrefix(string(s), "targetgroup/") {
		bad("TargetGroupARNSuffix %q is not a target group ARN suffix: pass the target group's ArnSuffix "+
			"(targetgroup/<name>/<id>)", s)
	}
	if c.GreenTargetGroupARNSuffix != nil && c.LoadBalancerARNSuffix == nil {
		bad("GreenTargetGroupARNSuffix is set without LoadBalancerARNSuffix: give the load balancer too, or drop it")
	}
	if c.GreenASGName != nil && c.ASGName == nil {
		bad("GreenASGName is set without ASGName: give the blue group's name too, or drop it")
	}
	if c.ASGName != nil && c.ASGMaxSize < 1 {
		bad("ASGMaxSize %d is less than 1 while ASGName is set: pass the group's MaxSize", c.ASGMaxSize)
	}
	if c.ASGName == nil && c.ASGMaxSize != 0 {
		bad("ASGMaxSize %d is set without ASGName: pass the group's name too, or drop ASGMaxSize", c.ASGMaxSize)
	}
	if c.ReplicaIdentifier != nil {
		if c.ReplicaRegion == "" {
			bad("ReplicaRegion is empty while ReplicaIdentifier is set: give the replica's region")
		} else if !regionPattern.MatchString(c.ReplicaRegion) {
			bad("ReplicaRegion %q is not an AWS region name: use one like us-west-2", c.ReplicaRegion)
		}
	} else if c.ReplicaRegion != "" || c.ReplicaLagAlarmARN != nil {
		bad("ReplicaRegion or ReplicaLagAlarmARN is set without ReplicaIdentifier: give the replica's identifier too")
	}

	c.Thresholds = validateThresholds(c.Thresholds, bad)

	if c.Prometheus && c.InstanceRoleName == nil {
		bad("InstanceRoleName is unset while Prometheus is true: give the instances' IAM role name so they may " +
			"remote-write, or turn Prometheus off")
	}
	if !c.Grafana && len(c.GrafanaAuthenticationProviders) > 0 {
		bad("GrafanaAuthenticationProviders is set while Grafana is false: turn Grafana on or drop the providers")
	}
	if c.Grafana {
		if len(c.GrafanaAuthenticationProviders) == 0 {
			c.GrafanaAuthenticationProviders = []string{DefaultGrafanaAuthenticationProvider}
		}
		for _, p := range c.GrafanaAuthenticationProviders {
			if p != "AWS_SSO" && p != "SAML" {
				bad("GrafanaAuthenticationProviders: %q is not a Grafana sign-in method: use AWS_SSO or SAML", p)
			}
		}
	}
	if c.OpenSearch != nil {
		os := *c.OpenSearch
		validateOpenSearch(name, &os, bad)
		c.OpenSearch = &os
	}

	if len(errs) > 0 {
		return nil, fmt.Errorf("observability: %d problem(s) with the arguments:\n  - %s", len(errs),
			strings.Join(errs, "\n  - "))
	}
	return &c, nil
}

func validateThresholds(t Thresholds, bad func(string, ...any)) Thresholds {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&t.ALB5XXPerMinute, DefaultALB5XXPerMinute)
	def(&t.Target5XXPerMinute, DefaultTarget5XXPerMinute)
	def(&t.TargetResponseTimeP99Seconds, DefaultTargetResponseTimeP99Seconds)
	def(&t.InstanceCPUPercent, DefaultInstanceCPUPercent)
	def(&t.DBCPUPercent, DefaultDBCPUPercent)
	def(&t.DBFreeStorageGiB, DefaultDBFreeStorageGiB)
	def(&t.DBConnections, DefaultDBConnections)
	if t.ASGAtMaxMinutes == 0 {
		t.ASGAtMaxMinutes = DefaultASGAtMaxMinutes
	}

	for _, f := range []struct {
		name string
		v    float64
	}{{"ALB5XXPerMinute", t.ALB5XXPerMinute}, {"Target5XXPerMinute", t.Target5XXPerMinute},
		{"UnhealthyHosts", t.UnhealthyHosts}, {"DBConnections", t.DBConnections}} {
		if f.v < 0 {
			bad("Thresholds.%s %v is negative: use 0 for the default or a positive count", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"InstanceCPUPercent", t.InstanceCPUPercent}, {"DBCPUPercent", t.DBCPUPercent}} {
		if f.v < 0 || f.v >= 100 {
			bad("Thresholds.%s %v is out of range: CPU alarms need a percentage between 0 and 100 (exclusive)",
				f.name, f.v)
		}
	}
	if t.TargetResponseTimeP99Seconds < 0 || t.TargetResponseTimeP99Seconds > maxResponseTimeSeconds {
		bad("Thresholds.TargetResponseTimeP99Seconds %v is out of range: use seconds between 0 and %v",
			t.TargetResponseTimeP99Seconds, maxResponseTimeSeconds)
	}
	if t.DBFreeStorageGiB < 0 {
		bad("Thresholds.DBFreeStorageGiB %v is negative: use 0 for the default or a positive size", t.DBFreeStorageGiB)
	}
	if m := t.ASGAtMaxMinutes; m < 5 || m > 1440 || m%5 != 0 {
		bad("Thresholds.ASGAtMaxMinutes %d must be a multiple of 5 between 5 and 1440 (the alarm uses "+
			"5-minute periods and CloudWatch evaluates at most a day)", m)
	}
	return t
}

func validateOpenSearch(name string, o *OpenSearchArgs, bad func(string, ...any)) {
	if o.VPCID == nil {
		bad("OpenSearch.VPCID is unset: give the VPC of the private subnets")
	}
	if o.MasterUserARN == nil {
		bad("OpenSearch.MasterUserARN is unset: fine-grained access control needs an IAM user or role ARN as " +
			"master user")
	} else if s, ok := o.MasterUserARN.(pulumi.String); ok && !strings.HasPrefix(string(s), "arn:aws:iam::") {
		bad("OpenSearch.MasterUserARN %q is not an IAM ARN: give arn:aws:iam::<account>:role/<name> or "+
			":user/<name>", s)
	}
	if len(o.WriterRoleNames) == 0 {
		bad("OpenSearch.WriterRoleNames is empty: give the roles that ship logs to the domain (the web tier's " +
			"InstanceRoleName), or nothing may write to it")
	}
	if s := o.SAML; s != nil {
		if s.EntityID == "" || s.MetadataXML == "" || s.MasterBackendRole == "" {
			bad("OpenSearch.SAML needs EntityID, MetadataXML and MasterBackendRole: take the first two from the " +
				"identity provider's SAML application, and name the group that administers the domain")
		} else if !strings.Contains(s.MetadataXML, "EntityDescriptor") {
			bad("OpenSearch.SAML.MetadataXML is not SAML metadata (no EntityDescriptor): paste the identity " +
				"provider's metadata document")
		}
	}
	if o.DomainName == "" {
		o.DomainName = domainNameFrom(name)
	} else if !domainNamePattern.MatchString(o.DomainName) {
		bad("OpenSearch.DomainName %q must be 3-28 characters of lowercase letters, digits and hyphens, "+
			"starting with a letter", o.DomainName)
	}
	if o.EngineVersion == "" {
		o.EngineVersion = DefaultOpenSearchEngineVersion
	} else if !enginePattern.MatchString(o.EngineVersion) {
		bad("OpenSearch.EngineVersion %q is not an OpenSearch version: use OpenSearch_<major>.<minor>, e.g. %s",
			o.EngineVersion, DefaultOpenSearchEngineVersion)
	}
	if o.InstanceType == "" {
		o.InstanceType = DefaultOpenSearchInstanceType
	} else if !strings.HasSuffix(o.InstanceType, ".search") {
		bad("OpenSearch.InstanceType %q is not an OpenSearch instance type: they end in .search, e.g. %s",
			o.InstanceType, DefaultOpenSearchInstanceType)
	}
	if o.AZCount == 0 {
		o.AZCount = DefaultOpenSearchAZCount
	}
	if o.AZCount < 1 || o.AZCount > 3 {
		bad("OpenSearch.AZCount %d is out of range: OpenSearch spreads over 1, 2 or 3 AZs", o.AZCount)
	}
	if o.InstanceCount == 0 {
		o.InstanceCount = o.AZCount
	}
	if o.InstanceCount < 1 {
		bad("OpenSearch.InstanceCount %d is less than 1: use a multiple of AZCount, or 0 for one data node per AZ", o.InstanceCount)
	} else if o.AZCount >= 1 && o.InstanceCount%o.AZCount != 0 {
		bad("OpenSearch.InstanceCount %d is not a multiple of AZCount %d: OpenSearch needs the same number of "+
			"data nodes in each AZ, so use %d or %d", o.InstanceCount, o.AZCount,
			o.InstanceCount/o.AZCount*o.AZCount, (o.InstanceCount/o.AZCount+1)*o.AZCount)
	}
	if o.VolumeSizeGiB == 0 {
		o.VolumeSizeGiB = DefaultOpenSearchVolumeSizeGiB
	} else if o.VolumeSizeGiB < minOpenSearchVolumeSizeGiB {
		bad("OpenSearch.VolumeSizeGiB %d is below OpenSearch's gp3 minimum of %d GiB", o.VolumeSizeGiB,
			minOpenSearchVolumeSizeGiB)
	}
	var azs []string
	seen := map[string]bool{}
	for _, s := range o.PrivateSubnets {
		if s.Tier == network.Public {
			bad("OpenSearch.PrivateSubnets: the subnet in %s (%s) is in the public tier: give private or data "+
				"subnets", s.AZ, s.CIDR)
			continue
		}
		if !seen[s.AZ] {
			seen[s.AZ] = true
			azs = append(azs, s.AZ)
		}
	}
	if len(azs) < o.AZCount {
		sort.Strings(azs)
		bad("OpenSearch.PrivateSubnets cover %d AZ(s) (%s) but AZCount is %d: zone awareness needs one private "+
			"subnet in each of %d AZs; add subnets or lower AZCount", len(azs), strings.Join(azs, ", "), o.AZCount,
			o.AZCount)
	}
}

// domainNameFrom makes an OpenSearch domain name from a logical name: lowercase, letters first, 28 at most.
func domainNameFrom(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "logs-" + s
	}
	if len(s) < 3 {
		s += "-logs"
	}
	if len(s) > 28 {
		s = strings.TrimRight(s[:28], "-")
	}
	return s
}

func dashboardSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	out := b.String()
	if len(out) > 255 {
		out = out[:255]
	}
	return out
}
