package awssim

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What the AWS provider replaces instead of updating. The simulated provider's Diff asks Replaces, so the
// engine decides replacements, and their cascades, exactly as it would with pulumi-aws.

// forcesReplacement lists, for each resource type the kit uses, the input paths whose change makes the
// provider delete the resource and create a new one instead of updating it. The source is each type's
// pulumi-aws registry page (DocsURL), whose arguments say "Changing this forces a new resource to be created"
// (the Terraform provider's ForceNew). A path names a top-level input ("cidrBlock") or a nested one, with [*]
// for any element of a list ("ebsBlockDevices[*].encrypted"); a top-level entry covers everything under it.
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
	// ec2/customergateway: EC2 has no action that modifies a customer gateway, only tags.
	"aws:ec2/customerGateway:CustomerGateway": {"bgpAsn", "bgpAsnExtended", "ipAddress", "type", "deviceName",
		"certificateArn"},
	// ec2/vpngateway: the Amazon-side ASN is set at creation; the VPC is attached and detached in place.
	"aws:ec2/vpnGateway:VpnGateway": {"amazonSideAsn", "availabilityZone"},
	// ec2/vpnconnection: the provider's schema marks these ForceNew (tunnel inside CIDRs among them,
	// terraform-aws-vpn-gateway #18, hashicorp/terraform-provider-aws #45663); the gateways and every other
	// tunnel option are modified in place (ModifyVpnConnection, ModifyVpnTunnelOptions).
	"aws:ec2/vpnConnection:VpnConnection": {"staticRoutesOnly", "enableAcceleration", "tunnelInsideIpVersion",
		"tunnel1InsideCidr", "tunnel2InsideCidr", "tunnel1InsideIpv6Cidr", "tunnel2InsideIpv6Cidr"},
	// ec2/vpnconnectionroute, ec2/vpngatewayroutepropagation: no update actions.
	"aws:ec2/vpnConnectionRoute:VpnConnectionRoute":                 {"destinationCidrBlock", "vpnConnectionId"},
	"aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": {"vpnGatewayId", "routeTableId"},
	// dms/replicationsubnetgroup
	"aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": {"replicationSubnetGroupId"},
	// dms/replicationinstance: the provider's schema marks these ForceNew; class, storage, Multi-AZ, version
	// and security groups change in place (ModifyReplicationInstance).
	"aws:dms/replicationInstance:ReplicationInstance": {"replicationInstanceId", "replicationSubnetGroupId",
		"publiclyAccessible", "kmsKeyArn", "availabilityZone"},
	// dms/endpoint
	"aws:dms/endpoint:Endpoint": {"endpointId", "kmsKeyArn"},
	// dms/replicationtask: ModifyReplicationTask changes mappings, settings and the migration type, not the
	// instance or the endpoints.
	"aws:dms/replicationTask:ReplicationTask": {"replicationTaskId", "replicationInstanceArn", "sourceEndpointArn",
		"targetEndpointArn"},
	// dms/eventsubscription
	"aws:dms/eventSubscription:EventSubscription": {"name"},
	// random/randompassword (not AWS): every argument forces a new value.
	randomPasswordType: {"length", "lower", "upper", "numeric", "number", "special", "minLower", "minUpper",
		"minNumeric", "minSpecial", "overrideSpecial", "keepers"},
}

// conditional holds the replacements the provider decides from the values, not from the path alone: it gets
// the old and new inputs and the changed paths, and returns those of them that force a replacement.
var conditional = map[string]func(olds, news resource.PropertyMap, changed []string) []string{}

// stateful lists the types whose replacement or deletion loses data or identity, and what is lost.
var stateful = map[string]string{
	"aws:rds/instance:Instance": "the database and its data",
	"aws:kms/key:Key":           "the key, and with it every ciphertext it encrypted",
	"aws:ec2/vpc:Vpc":           "the network every other resource is wired to",
	"aws:ec2/subnet:Subnet":     "the subnet's addresses, and the instances and interfaces in it",
	"aws:s3/bucketV2:BucketV2":  "the bucket and its objects",
	"aws:s3/bucket:Bucket":      "the bucket and its objects",
	// A new connection has new tunnel addresses and pre-shared keys: the data centre's device must be
	// configured again before anything flows.
	"aws:ec2/vpnConnection:VpnConnection": "the tunnels' addresses and keys the data centre's device is configured with",
	// A new task starts from nothing: the full load runs again, and changes made meanwhile are lost.
	"aws:dms/replicationTask:ReplicationTask": "the task's progress: the full load starts again",
}

// Replaces returns the changed paths that make the provider replace a resource of type typ. changed are
// property paths as the engine prints them ("cidrBlock", "ebsBlockDevices[0].encrypted"): inputs whose value
// differs between olds and news, or is unknown in news. A path unknown to the table never replaces.
func Replaces(typ string, olds, news resource.PropertyMap, changed []string) []string {
	var out []string
	for _, path := range changed {
		for _, pattern := range forcesReplacement[typ] {
			if pathMatches(pattern, path) {
				out = append(out, path)
				break
			}
		}
	}
	if f := conditional[typ]; f != nil {
		for _, p := range f(olds, news, changed) {
			if !contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Stateful reports whether replacing or deleting a resource of this type loses data or identity, and what.
func Stateful(typ string) (lost string, ok bool) {
	lost, ok = stateful[typ]
	return lost, ok
}

// pathMatches reports whether path is pattern or lies under it; [*] in pattern matches any index.
func pathMatches(pattern, path string) bool {
	for pattern != "" {
		if path == "" {
			return false
		}
		if strings.HasPrefix(pattern, "[*]") {
			end := strings.IndexByte(path, ']')
			if path[0] != '[' || end < 0 {
				return false
			}
			pattern, path = pattern[3:], path[end+1:]
			continue
		}
		if pattern[0] != path[0] {
			return false
		}
		pattern, path = pattern[1:], path[1:]
	}
	return path == "" || path[0] == '.' || path[0] == '['
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
