package cost

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/migration-kit/kit/awssim"
)

// rules price each AWS resource type by its token: what it is billed for, read from its inputs (and its
// outputs where an input is left to AWS, such as a replica's storage), priced by the table's keys. A type
// priced here may not be modelled by the simulated AWS yet: the rule is ready when it lands.
var rules = map[string]func(*calc){
	"aws:autoscaling/group:Group":      autoScalingGroup,
	"aws:ec2/instance:Instance":        instance,
	"aws:ec2/natGateway:NatGateway":    natGateway,
	"aws:ec2/eip:Eip":                  elasticIP,
	"aws:lb/loadBalancer:LoadBalancer": loadBalancer,
	"aws:rds/instance:Instance":        database,
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": backupReplication,
	"aws:kms/key:Key":                                 each("customer managed key", "kms/key"),
	"aws:cloudwatch/metricAlarm:MetricAlarm":          alarm,
	"aws:cloudwatch/dashboard:Dashboard":              each("dashboard", "cloudwatch/dashboard"),
	"aws:cloudwatch/logGroup:LogGroup":                logGroup,
	"aws:secretsmanager/secret:Secret":                secret,
	"aws:route53/healthCheck:HealthCheck":             healthCheck,
	"aws:route53/zone:Zone":                           each("hosted zone", "route53/zone"),
	"aws:ec2/vpcEndpoint:VpcEndpoint":                 vpcEndpoint,
	"aws:ec2/vpnConnection:VpnConnection":             hourly("VPN connection hours", "vpn/connection/hour"),
	"aws:dms/replicationInstance:ReplicationInstance": dmsInstance,
	"aws:amp/workspace:Workspace":                     prometheus,
	"aws:grafana/workspace:Workspace":                 grafana,
	"aws:opensearch/domain:Domain":                    openSearch,
	"aws:s3/bucketV2:BucketV2":                        bucket,
	"aws:s3/bucket:Bucket":                            bucket,
}

// noStandingCharge are the types that carry no hourly or monthly charge of their own: what they do is
// billed elsewhere (a flow log's data as its log group's ingestion, a route's traffic at the NAT gateway)
// or per request (SNS publishes and email deliveries, which the estimate leaves out, see the README).
var noStandingCharge = map[string]bool{
	"aws:ec2/vpc:Vpc": true, "aws:ec2/subnet:Subnet": true, "aws:ec2/routeTable:RouteTable": true,
	"aws:ec2/route:Route": true, "aws:ec2/routeTableAssociation:RouteTableAssociation": true,
	"aws:ec2/internetGateway:InternetGateway": true, "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": true,
	"aws:ec2/securityGroup:SecurityGroup": true, "aws:ec2/securityGroupRule:SecurityGroupRule": true,
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": true,
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl":       true,
	"aws:autoscaling/lifecycleHook:LifecycleHook":       true,
	// Rotation runs a Lambda function once a month: requests the estimate leaves out, as it does SNS's.
	"aws:secretsmanager/secretRotation:SecretRotation":                 true,
	"aws:serverlessrepository/cloudFormationStack:CloudFormationStack": true,
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":        true,
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":          true,
	"aws:ec2/flowLog:FlowLog":                                          true, "aws:ec2/launchTemplate:LaunchTemplate": true,
	"aws:ec2/customerGateway:CustomerGateway": true, "aws:ec2/vpnGateway:VpnGateway": true,
	"aws:ec2/vpnConnectionRoute:VpnConnectionRoute":                 true,
	"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": true,
	"aws:iam/role:Role": true, "aws:iam/policy:Policy": true, "aws:iam/rolePolicy:RolePolicy": true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": true, "aws:iam/instanceProfile:InstanceProfile": true,
	"aws:iam/serviceLinkedRole:ServiceLinkedRole": true,
	"aws:lb/listener:Listener":                    true, "aws:lb/targetGroup:TargetGroup": true,
	"aws:autoscaling/policy:Policy": true, "aws:autoscaling/schedule:Schedule": true,
	"aws:rds/parameterGroup:ParameterGroup": true, "aws:rds/subnetGroup:SubnetGroup": true,
	"aws:kms/alias:Alias": true, "aws:secretsmanager/secretVersion:SecretVersion": true,
	"aws:route53/record:Record": true, "aws:sns/topic:Topic": true, "aws:sns/topicSubscription:TopicSubscription": true,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       true,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     true,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     true,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               true,
	"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup":                                      true, "aws:dms/endpoint:Endpoint": true,
	"aws:dms/replicationTask:ReplicationTask": true, "aws:dms/eventSubscription:EventSubscription": true,
}

// each prices one unit a month of key: a key, a dashboard, a hosted zone.
func each(name, key string) func(*calc) {
	return func(c *calc) { c.add(name, key, 1, "", "") }
}

// hourly prices a resource that is billed for every hour it exists.
func hourly(name, key string) func(*calc) {
	return func(c *calc) { c.add(name, key, c.hours(), "", "") }
}

func natGateway(c *calc) {
	c.add("NAT gateway hours", "vpc/nat/hour", c.hours(), "", "")
	gb := or(c.ru.NATGatewayGB, DefaultNATGatewayGB)
	c.add("data processed", "vpc/nat/gb", gb, fmt.Sprintf("natGatewayGb %v", gb), "")
}

// elasticIP: since 2024-02-01 every AWS-provided public IPv4 address is billed by the hour, in use or idle,
// in every region (https://www.techpartner.news/news/aws-to-charge-for-ipv4-addresses-598672; the AWS
// networking blog "Identify and optimize public IPv4 address usage on AWS").
func elasticIP(c *calc) { c.add("public IPv4 address hours", "vpc/public-ipv4", c.hours(), "", "") }

func loadBalancer(c *calc) {
	r := c.resource
	if t := r.InputString("loadBalancerType"); t != "" && t != "application" {
		c.problem = fmt.Sprintf("%s load balancers have no pricing rule", t)
		return
	}
	c.add("ALB hours", "elb/alb/hour", c.hours(), "", "")
	lcu := or(c.ru.LoadBalancerLCU, DefaultLoadBalancerLCU)
	c.add("load balancer capacity units", "elb/alb/lcu-hour", lcu*c.hours(),
		fmt.Sprintf("loadBalancerLcu %v", lcu), "")
	if internal := r.Input("internal"); !internal.IsBool() || !internal.BoolValue() {
		// An internet-facing ALB holds a public IPv4 address in each of its AZs, each billed, more when it
		// scales out (https://cobalt-samba-401.notion.site/45-IP-Address-Charges-in-AWS-f5ae70cf2a8e828b9fa701bb6b239e5d,
		// "Load Balancer deployed across 3 AZs").
		n := float64(len(stringsAt(r, "subnets")))
		c.add("public IPv4 address hours", "vpc/public-ipv4", n*c.hours(),
			fmt.Sprintf("one address per subnet (%v)", n), "")
	}
}

// autoScalingGroup prices the instances an auto-scaling group runs on average, and their volumes.
func autoScalingGroup(c *calc) {
	r := c.resource
	ltID := r.InputString("launchTemplate.id")
	spot := r.Input("mixedInstancesPolicy")
	if spot.IsObject() {
		ltID = r.InputString("mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId")
	}
	lt := c.g.ByID(ltID)
	if lt == nil {
		c.problem = "its launch template is not in the graph, so its instance type is unknown"
		return
	}
	itype := lt.InputString("instanceType")
	if spot.IsObject() {
		if t := r.InputString("mixedInstancesPolicy.launchTemplate.overrides.0.instanceType"); t != "" {
			itype = t
		}
	}
	if itype == "" {
		c.problem = "its instance type is unknown (not in the launch template)"
		return
	}
	minSize, _ := number(r, "minSize")
	maxSize, _ := number(r, "maxSize")
	desired, ok := number(r, "desiredCapacity")
	if !ok {
		desired = minSize
	}
	n, assumption := desired, "instances desired"
	if in := c.ru.Instances; in != nil {
		switch in.Keyword {
		case "min":
			n = minSize
		case "max":
			n = maxSize
		case "desired":
		default:
			n = in.Count
		}
		assumption = "instances " + in.String()
	}
	assumption = fmt.Sprintf("%s (%v of %v..%v)", assumption, n, minSize, maxSize)
	onDemand, spotCount := n, 0.0
	if spot.IsObject() {
		base, _ := number(r, "mixedInstancesPolicy.instancesDistribution.onDemandBaseCapacity")
		pct, ok := number(r, "mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity")
		if !ok {
			pct = 100
		}
		onDemand = min(n, base) + max(n-base, 0)*pct/100
		spotCount = n - onDemand
	}
	key := "ec2/instance/" + itype
	if onDemand > 0 {
		c.add(fmt.Sprintf("instance hours (%s, on-demand)", itype), key, onDemand*c.hours(), assumption, "")
	}
	if spotCount > 0 {
		discount := or(c.ru.SpotDiscountPercent, 0)
		c.add(fmt.Sprintf("instance hours (%s, Spot at %v%% below on-demand)", itype, discount), key,
			spotCount*c.hours()*(1-discount/100), fmt.Sprintf("%s, spotDiscountPercent %v", assumption, discount), "")
	}
	volumes(c, lt, "blockDeviceMappings", "ebs.", n, assumption)
	if pool := r.Input("warmPool"); pool.IsObject() {
		warm, _ := number(r, "warmPool.minSize")
		if warm > 0 {
			if r.InputString("warmPool.poolState") == "Running" {
				c.add(fmt.Sprintf("warm pool instance hours (%s, running)", itype), key, warm*c.hours(),
					fmt.Sprintf("warm pool minSize %v", warm), "")
			}
			volumes(c, lt, "blockDeviceMappings", "ebs.", warm, fmt.Sprintf("warm pool minSize %v", warm))
		}
	}
}

// volumes prices the EBS volumes a launch template (or an instance) gives each of count instances.
func volumes(c *calc, from *awssim.Resource, list, prefix string, count float64, assumption string) {
	v := from.Input(list)
	if !v.IsArray() {
		return
	}
	for i := range v.ArrayValue() {
		at := fmt.Sprintf("%s.%d.%s", list, i, prefix)
		size, ok := number(from, at+"volumeSize")
		if !ok {
			continue
		}
		vt := from.InputString(at + "volumeType")
		if vt == "" {
			vt = "gp2" // EC2's default volume type
		}
		c.add(fmt.Sprintf("%s volume GB-months (%v GB × %v)", vt, size, count), "ebs/"+vt, size*count, assumption, "")
	}
}

func instance(c *calc) {
	r := c.resource
	itype := r.InputString("instanceType")
	if itype == "" {
		c.problem = "its instance type is unknown"
		return
	}
	c.add(fmt.Sprintf("instance hours (%s, on-demand)", itype), "ec2/instance/"+itype, c.hours(), "", "")
	if size, ok := number(r, "rootBlockDevice.volumeSize"); ok {
		vt := r.InputString("rootBlockDevice.volumeType")
		if vt == "" {
			vt = "gp2"
		}
		c.add(fmt.Sprintf("%s root volume GB-months", vt), "ebs/"+vt, size, "", "")
	}
}

// database prices an RDS instance: its hours by engine, class and deployment, its storage, backup storage
// beyond the free amount, and, for a replica in another region, the replication traffic. Multi-AZ is its
// own price for hours and storage: AWS bills "both the primary and standby instances" and "the storage
// provisioned for both" (RDS user guide, "On-Demand DB instances for Amazon RDS"); backup storage "up to 100%
// of your provisioned database storage" is free (RDS FAQ, billing), so only what is beyond counts.
func database(c *calc) {
	r := c.resource
	source := rdsSource(c.g, r)
	engine := firstString(r, source, "engine")
	class := firstString(r, nil, "instanceClass")
	storageType := firstString(r, source, "storageType")
	if storageType == "" {
		storageType = "gp2" // RDS's default storage type
	}
	deployment := "single-az"
	if v := r.Input("multiAz"); v.IsBool() && v.BoolValue() {
		deployment = "multi-az"
	}
	if engine == "" || class == "" {
		c.problem = "its engine or instance class is unknown"
		return
	}
	c.add(fmt.Sprintf("database instance hours (%s, %s, %s)", engine, class, deployment),
		fmt.Sprintf("rds/%s/%s/%s", engine, deployment, class), c.hours(), "", "")
	storage, ok := number(r, "allocatedStorage")
	if !ok && source != nil {
		storage, ok = number(source, "allocatedStorage")
	}
	if !ok {
		storage, ok = outputNumber(r, "allocatedStorage")
	}
	if ok {
		c.add(fmt.Sprintf("%s storage GB-months (%s)", storageType, deployment),
			fmt.Sprintf("rds/%s/%s", storageType, deployment), storage, "", "")
	}
	if gb := or(c.ru.BackupGB, 0); gb > 0 {
		c.add("backup storage beyond the free amount", "rds/backup", gb, fmt.Sprintf("backupGb %v", gb), "")
	}
	if source != nil && source.Region != r.Region {
		replication(c, source.Region)
	}
}

// replication prices the data a cross-region copy receives, billed as transfer out of the source region.
func replication(c *calc, sourceRegion string) {
	gb := or(c.ru.ReplicationGB, DefaultReplicationGB)
	c.add(fmt.Sprintf("inter-region transfer from %s", sourceRegion), "transfer/inter-region/gb", gb,
		fmt.Sprintf("replicationGb %v", gb), sourceRegion)
}

// backupReplication prices automated backups copied to another region: the copies' storage there, and
// the transfer.
func backupReplication(c *calc) {
	r := c.resource
	arn := r.InputString("sourceDbInstanceArn")
	source := rdsByARN(c.g, arn)
	if source == nil {
		c.problem = "its source database is not in the graph"
		return
	}
	if storage, ok := number(source, "allocatedStorage"); ok {
		c.add("replicated backup storage GB-months", "rds/backup", storage,
			fmt.Sprintf("one full copy of the source's %v GB", storage), "")
	}
	replication(c, source.Region)
}

// rdsSource returns the database a replica replicates, by ARN or identifier; nil for a primary.
func rdsSource(g *awssim.Graph, r *awssim.Resource) *awssim.Resource {
	ref := r.InputString("replicateSourceDb")
	if ref == "" {
		return nil
	}
	if s := rdsByARN(g, ref); s != nil {
		return s
	}
	for _, s := range g.ByType(r.Type) {
		if s.InputString("identifier") == ref {
			return s
		}
	}
	return nil
}

func rdsByARN(g *awssim.Graph, arn string) *awssim.Resource {
	for _, s := range g.ByType("aws:rds/instance:Instance") {
		if arn != "" && s.OutputString("arn") == arn {
			return s
		}
	}
	return nil
}

func alarm(c *calc) {
	n := 1.0
	if q := c.resource.Input("metricQueries"); q.IsArray() {
		n = 0
		for i := range q.ArrayValue() {
			if c.resource.Input(fmt.Sprintf("metricQueries.%d.metric", i)).IsObject() {
				n++
			}
		}
		n = max(n, 1)
	}
	c.add("alarm metrics (standard resolution)", "cloudwatch/alarm", n, "", "")
}

// logGroup prices what flows into a log group and what it keeps: at steady state a group holds its
// retention's worth of a month's ingestion; a group that never expires is counted at a year.
func logGroup(c *calc) {
	gb := or(c.ru.LogGroupGB, DefaultLogGroupGB)
	c.add("log data ingested", "cloudwatch/logs/ingested", gb, fmt.Sprintf("logGroupGb %v", gb), "")
	days, ok := number(c.resource, "retentionInDays")
	if !ok || days == 0 {
		days = 365
	}
	months := days / 30
	c.add(fmt.Sprintf("log data stored (%v days' retention)", days), "cloudwatch/logs/stored", gb*months,
		fmt.Sprintf("logGroupGb %v × %.1f months kept", gb, months), "")
}

// secret prices a secret and each of its replicas. A replica is counted as a secret in its own region: the
// rule for replicas was not found in a source read offline, so a replica's region needs its own price row
// and is listed as unpriced without one (README, "Cost estimate").
func secret(c *calc) {
	c.add("secret", "secretsmanager/secret", 1, "", "")
	for _, region := range stringsAt(c.resource, "replicas", "region") {
		c.add("replica secret", "secretsmanager/secret", 1, "", region)
	}
}

// healthCheck prices a Route 53 health check: the check itself, more for an endpoint outside AWS (Route 53
// developer guide, "Values that you specify when you create or update health checks": "If you specify a
// non-AWS endpoint, an additional charge applies"), and each optional feature it uses: HTTPS, string
// matching, fast interval, latency measurement, each billed on top
// (https://wewantcode.com/en/course/aws/lesson/7-84-health-checks-status-check.html).
func healthCheck(c *calc) {
	r := c.resource
	typ := r.InputString("type")
	switch typ {
	case "CALCULATED", "CLOUDWATCH_METRIC":
		c.add("health check", "route53/health-check/aws-endpoint", 1, "", "")
		return
	}
	endpoint := "other-endpoint"
	if strings.HasSuffix(r.InputString("fqdn"), ".amazonaws.com") {
		endpoint = "aws-endpoint"
	}
	c.add("health check ("+strings.ReplaceAll(endpoint, "-", " ")+")", "route53/health-check/"+endpoint, 1, "", "")
	var features []string
	if strings.HasPrefix(typ, "HTTPS") {
		features = append(features, "https")
	}
	if strings.HasSuffix(typ, "_STR_MATCH") {
		features = append(features, "string-matching")
	}
	if n, ok := number(r, "requestInterval"); ok && n == 10 {
		features = append(features, "fast-interval")
	}
	if v := r.Input("measureLatency"); v.IsBool() && v.BoolValue() {
		features = append(features, "latency-measurement")
	}
	for _, f := range features {
		c.add("optional feature: "+f, fmt.Sprintf("route53/health-check/%s/%s", endpoint, f), 1, "", "")
	}
}

// vpcEndpoint prices an interface endpoint, billed "for each hour that your VPC endpoint remains provisioned
// in each Availability Zone" and per GB processed (https://aws.amazon.com/privatelink/pricing/); gateway
// endpoints (S3, DynamoDB) are not PrivateLink endpoints and have no such charge.
func vpcEndpoint(c *calc) {
	r := c.resource
	if t := r.InputString("vpcEndpointType"); t != "Interface" {
		return
	}
	azs := float64(len(stringsAt(r, "subnetIds")))
	c.add(fmt.Sprintf("interface endpoint AZ-hours (%v AZs)", azs), "vpc/interface-endpoint/az-hour", azs*c.hours(), "", "")
	gb := or(c.ru.InterfaceEndpointGB, DefaultInterfaceEndpointGB)
	c.add("data processed", "vpc/interface-endpoint/gb", gb, fmt.Sprintf("interfaceEndpointGb %v", gb), "")
}

func dmsInstance(c *calc) {
	r := c.resource
	class := r.InputString("replicationInstanceClass")
	if class == "" {
		c.problem = "its replication instance class is unknown"
		return
	}
	deployment := "single-az"
	if v := r.Input("multiAz"); v.IsBool() && v.BoolValue() {
		deployment = "multi-az"
	}
	c.add(fmt.Sprintf("replication instance hours (%s, %s)", class, deployment),
		fmt.Sprintf("dms/%s/%s", deployment, class), c.hours(), "", "")
	if gb, ok := number(r, "allocatedStorage"); ok {
		c.add("replication storage GB-months", "dms/storage/"+deployment, gb, "", "")
	}
}

// prometheus: Amazon Managed Service for Prometheus bills samples ingested, stored and queried; the kit
// has no usage assumption for them yet, so the workspace is listed as unpriced rather than counted as zero.
func prometheus(c *calc) {
	c.problem = "Managed Prometheus is billed per metric sample ingested and stored; there is no usage assumption for it"
}

// grafana prices one editor licence: a workspace someone can edit dashboards in has at least one.
func grafana(c *calc) {
	c.add("editor licence", "grafana/editor", 1, "one editor", "")
}

func openSearch(c *calc) {
	r := c.resource
	itype := r.InputString("clusterConfig.instanceType")
	count, ok := number(r, "clusterConfig.instanceCount")
	if !ok {
		count = 1
	}
	if itype == "" {
		c.problem = "its instance type is unknown"
		return
	}
	c.add(fmt.Sprintf("data node hours (%s × %v)", itype, count), "opensearch/instance/"+itype, count*c.hours(), "", "")
	if v := r.Input("clusterConfig.dedicatedMasterEnabled"); v.IsBool() && v.BoolValue() {
		mtype := r.InputString("clusterConfig.dedicatedMasterType")
		mcount, _ := number(r, "clusterConfig.dedicatedMasterCount")
		c.add(fmt.Sprintf("dedicated master hours (%s × %v)", mtype, mcount), "opensearch/instance/"+mtype, mcount*c.hours(), "", "")
	}
	if size, ok := number(r, "ebsOptions.volumeSize"); ok {
		vt := r.InputString("ebsOptions.volumeType")
		if vt == "" {
			vt = "gp2"
		}
		c.add(fmt.Sprintf("%s storage GB-months (%v GB × %v)", vt, size, count), "opensearch/"+vt, size*count, "", "")
	}
}

func bucket(c *calc) {
	gb := or(c.ru.BucketGB, DefaultBucketGB)
	c.add("standard storage GB-months", "s3/standard", gb, fmt.Sprintf("bucketGb %v", gb), "")
}

// number reads a numeric input by dotted path.
func number(r *awssim.Resource, path string) (float64, bool) {
	return asNumber(r.Input(path))
}

func outputNumber(r *awssim.Resource, path string) (float64, bool) {
	return asNumber(r.Output(path))
}

func asNumber(v resource.PropertyValue) (float64, bool) {
	if v.IsNumber() {
		return v.NumberValue(), true
	}
	return 0, false
}

// firstString reads a string input, then the same output, then the source's: what a replica inherits.
func firstString(r, source *awssim.Resource, path string) string {
	if s := r.InputString(path); s != "" {
		return s
	}
	if s := r.OutputString(path); s != "" {
		return s
	}
	if source != nil {
		if s := source.InputString(path); s != "" {
			return s
		}
		return source.OutputString(path)
	}
	return ""
}

// stringsAt returns the strings of an array input; with field, the field of each object element.
func stringsAt(r *awssim.Resource, path string, field ...string) []string {
	v := r.Input(path)
	if !v.IsArray() {
		return nil
	}
	var out []string
	for i := range v.ArrayValue() {
		at := fmt.Sprintf("%s.%d", path, i)
		if len(field) > 0 {
			at += "." + field[0]
		}
		if s := r.InputString(at); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Covers reports whether the estimate knows a resource type: it has a pricing rule, or the type carries no
// charge of its own.
func Covers(typ string) bool {
	_, priced := rules[typ]
	return priced || noStandingCharge[typ]
}
