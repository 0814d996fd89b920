package plan

import "strings"

// forcesReplacement lists, for each resource type the kit uses, the inputs whose change makes the provider
// delete the resource and create a new one instead of updating it. The source is each type's pulumi-aws
// registry page (DocsURL), whose arguments say "Changing this forces a new resource to be created" (the
// Terraform provider's ForceNew). Name and namePrefix force replacement on every type that has them: they
// are the physical name.
var forcesReplacement = map[string][]string{
	// ec2/vpc: the primary CIDR block cannot change; secondary blocks are separate resources.
	"aws:ec2/vpc:Vpc": {"cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"},
	// ec2/subnet
	"aws:ec2/subnet:Subnet": {"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn", "ipv6Native"},
	// ec2/eip
	"aws:ec2/eip:Eip": {"domain", "address", "customerOwnedIpv4Pool", "networkBorderGroup", "publicIpv4Pool", "ipamPoolId"},
	// ec2/natgateway
	"aws:ec2/natGateway:NatGateway": {"subnetId", "allocationId", "connectivityType", "privateIp"},
	// ec2/routetable
	"aws:ec2/routeTable:RouteTable": {"vpcId"},
	// ec2/route
	"aws:ec2/route:Route": {"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
	// ec2/routetableassociation
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {"subnetId", "gatewayId"},
	// ec2/securitygroup: the description is immutable in EC2.
	"aws:ec2/securityGroup:SecurityGroup": {"name", "namePrefix", "description", "vpcId"},
	// ec2/defaultsecuritygroup
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {"vpcId"},
	// vpc/securitygroupingressrule and egressrule
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"securityGroupId"},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {"securityGroupId"},
	// ec2/securitygrouprule: every argument but the description.
	"aws:ec2/securityGroupRule:SecurityGroupRule": {"type", "fromPort", "toPort", "protocol", "cidrBlocks", "ipv6CidrBlocks",
		"prefixListIds", "securityGroupId", "sourceSecurityGroupId", "self"},
	// ec2/vpcendpoint
	"aws:ec2/vpcEndpoint:VpcEndpoint": {"vpcId", "serviceName", "vpcEndpointType"},
	// ec2/flowlog: flow logs cannot be modified, only replaced.
	"aws:ec2/flowLog:FlowLog": {"vpcId", "subnetId", "eniId", "logDestination", "logDestinationType", "logGroupName",
		"iamRoleArn", "trafficType", "maxAggregationInterval", "logFormat", "destinationOptions"},
	// ec2/launchtemplate: other changes create a new template version.
	"aws:ec2/launchTemplate:LaunchTemplate": {"name", "namePrefix"},
	// ec2/instance
	"aws:ec2/instance:Instance": {"ami", "availabilityZone", "subnetId", "associatePublicIpAddress", "privateIp", "keyName"},
	// cloudwatch/loggroup
	"aws:cloudwatch/logGroup:LogGroup": {"name", "namePrefix", "logGroupClass"},
	// cloudwatch/metricalarm
	"aws:cloudwatch/metricAlarm:MetricAlarm": {"name"},
	// cloudwatch/dashboard
	"aws:cloudwatch/dashboard:Dashboard": {"dashboardName"},
	// iam/role
	"aws:iam/role:Role": {"name", "namePrefix", "path"},
	// iam/rolepolicy
	"aws:iam/rolePolicy:RolePolicy": {"role", "name", "namePrefix"},
	// iam/rolepolicyattachment
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {"role", "policyArn"},
	// iam/instanceprofile
	"aws:iam/instanceProfile:InstanceProfile": {"name", "namePrefix", "path"},
	// iam/policy
	"aws:iam/policy:Policy": {"name", "namePrefix", "path", "description"},
	// lb/loadbalancer
	"aws:lb/loadBalancer:LoadBalancer": {"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"},
	// lb/targetgroup
	"aws:lb/targetGroup:TargetGroup": {"name", "namePrefix", "port", "protocol", "protocolVersion", "vpcId", "targetType",
		"ipAddressType"},
	// lb/listener
	"aws:lb/listener:Listener": {"loadBalancerArn"},
	// autoscaling/group
	"aws:autoscaling/group:Group": {"name", "namePrefix"},
	// autoscaling/policy
	"aws:autoscaling/policy:Policy": {"name", "autoscalingGroupName"},
	// autoscaling/schedule
	"aws:autoscaling/schedule:Schedule": {"scheduledActionName", "autoscalingGroupName"},
	// rds/instance: the engine, the identifier and the encryption settings are fixed at creation. Removing
	// replicateSourceDb promotes a replica in place, so it is an update.
	"aws:rds/instance:Instance": {"identifier", "identifierPrefix", "engine", "storageEncrypted", "kmsKeyId",
		"availabilityZone", "characterSetName", "ncharCharacterSetName", "username", "timezone", "customIamInstanceProfile"},
	// rds/subnetgroup
	"aws:rds/subnetGroup:SubnetGroup": {"name", "namePrefix"},
	// rds/parametergroup
	"aws:rds/parameterGroup:ParameterGroup": {"name", "namePrefix", "family", "description"},
	// rds/instanceautomatedbackupsreplication
	"aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {"sourceDbInstanceArn", "kmsKeyId",
		"preSignedUrl", "retentionPeriod"},
	// kms/key
	"aws:kms/key:Key": {"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
	// kms/alias
	"aws:kms/alias:Alias": {"name", "namePrefix"},
	// s3/bucketv2
	"aws:s3/bucketV2:BucketV2": {"bucket", "bucketPrefix", "objectLockEnabled"},
	"aws:s3/bucket:Bucket":     {"bucket", "bucketPrefix"},
	// sns/topic
	"aws:sns/topic:Topic": {"name", "namePrefix", "fifoTopic"},
	// sns/topicsubscription
	"aws:sns/topicSubscription:TopicSubscription": {"topic", "protocol", "endpoint"},
	// route53/record
	"aws:route53/record:Record": {"zoneId", "name", "type", "setIdentifier"},
	// route53/healthcheck
	"aws:route53/healthCheck:HealthCheck": {"type", "requestInterval", "measureLatency"},
	// opensearch/domain
	"aws:opensearch/domain:Domain": {"domainName"},
	// amp/workspace, grafana/workspace
	"aws:grafana/workspace:Workspace": {"accountAccessType"},
}

// stateful types hold data or identity that a replacement destroys: a database's contents, a key that
// encrypts them, a network others are wired to.
var stateful = map[string]bool{
	"aws:rds/instance:Instance": true,
	"aws:kms/key:Key":           true,
	"aws:ec2/vpc:Vpc":           true,
	"aws:ec2/subnet:Subnet":     true,
	"aws:s3/bucketV2:BucketV2":  true,
	"aws:s3/bucket:Bucket":      true,
}

// DocsURL is the pulumi-aws registry page of a type token, where its replacement rules are documented:
// aws:ec2/routeTableAssociation:RouteTableAssociation -> .../api-docs/ec2/routetableassociation/.
func DocsURL(typ string) string {
	parts := strings.Split(strings.TrimPrefix(typ, "aws:"), ":")
	if len(parts) != 2 || !strings.HasPrefix(typ, "aws:") {
		return ""
	}
	module, _, _ := strings.Cut(parts[0], "/")
	return "https://www.pulumi.com/registry/packages/aws/api-docs/" + module + "/" + strings.ToLower(parts[1]) + "/"
}

// replaces reports whether a change to this input of this type replaces the resource. An input nested in
// an object (a.b) or array (a[0]) counts as a change of its top-level input.
func replaces(typ, key string) bool {
	top := key
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	for _, k := range forcesReplacement[typ] {
		if k == top {
			return true
		}
	}
	return false
}
